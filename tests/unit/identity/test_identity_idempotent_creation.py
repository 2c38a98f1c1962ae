"""Account creation with an Idempotency-Key on in-memory ports: the receipt commits with
the account, so two concurrent requests with one key create one account."""

from __future__ import annotations

import pytest

from common.api_errors import status_for
from common.errors import DomainError
from services.identity.logic import accounts

from .identity_fakes import actor, memory_ports
from .test_identity_repeated_accept import FirstCommitOvertaken

pytestmark = pytest.mark.unit

ROOT = actor("root", scts_admin=True)


def test_of_two_concurrent_requests_with_one_key_the_second_commits_nothing() -> None:
    repository = FirstCommitOvertaken()
    ports = memory_ports(repository)
    ports.directory.mfa.add("root")  # type: ignore[attr-defined]
    first: list[object] = []
    repository.meanwhile = lambda: first.append(
        accounts.create_account(ports, ROOT, "Nordic Green", "k")
    )

    with pytest.raises(DomainError) as refused:
        accounts.create_account(ports, ROOT, "Nordic Green", "k")

    assert status_for(refused.value) == 409
    assert list(repository.accounts.values()) == first
    assert accounts.create_account(ports, ROOT, "Nordic Green", "k") == first[0]
    assert len(repository.accounts) == 1


def test_a_refused_caller_gets_no_answer_from_someone_elses_key() -> None:
    repository = FirstCommitOvertaken()
    ports = memory_ports(repository)
    ports.directory.mfa.add("root")  # type: ignore[attr-defined]
    accounts.create_account(ports, ROOT, "Nordic Green", "k")
    with pytest.raises(DomainError) as refused:
        accounts.create_account(ports, actor("stranger"), "Nordic Green", "k")
    assert status_for(refused.value) == 403
    assert len(repository.accounts) == 1
