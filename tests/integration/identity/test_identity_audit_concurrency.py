"""20 concurrent writers on one account's chain, against DynamoDB Local (AWS's own engine:
moto in-process is not thread-safe, so it cannot show what conditional writes guarantee)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from common.access import AccessFacts, Denial
from common.errors import Forbidden
from common.principal import UserPrincipal
from infra.local.aws import client
from services.identity.adapters.dynamo import DynamoIdentityRepository
from services.identity.logic import audit
from services.identity.logic.actor import Actor
from services.identity.logic.commits import record_denial
from services.identity.logic.ports import Ports
from services.identity.topology import TOPOLOGY
from tests.support.dynamodb_local import dynamodb_local_url
from tests.support.tables import create_table

pytestmark = pytest.mark.integration

WRITERS = 20


@pytest.fixture(scope="module")
def dynamodb_local() -> Iterator[Any]:
    with dynamodb_local_url() as url:
        yield client("dynamodb", url)


class _NoAccess:
    def facts(self, account_id: str, subject: str) -> AccessFacts:
        return AccessFacts()


def test_twenty_concurrent_writers_leave_a_gap_free_chain(dynamodb_local: Any) -> None:
    create_table(dynamodb_local, "identity", TOPOLOGY.tables[0])
    repository = DynamoIdentityRepository("identity", dynamodb_local)
    ports = Ports(
        repository,
        _NoAccess(),
        directory=None,  # type: ignore[arg-type]
        mailer=None,  # type: ignore[arg-type]
        clock=lambda: datetime.now(UTC),
        cursors=None,  # type: ignore[arg-type]
    )
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        actor = Actor(
            principal=UserPrincipal(sub=f"user-{n}", username=f"u{n}", claims={}),
            access_token="",
            request_digest=audit.request_hash("GET", f"/probe/{n}", None),
            correlation_id=f"writer-{n}",
        )
        barrier.wait()
        try:
            record_denial(
                ports,
                actor,
                "probe",
                # A 403 inside the account: audited in the account's own chain.
                Denial("acc_1", actor.subject, "x:read", Forbidden("no"), True),
            )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    entries = repository.audit_entries("acc_1")
    assert [e.position for e in entries] == list(range(1, WRITERS + 1))
    assert sorted(e.fields["actor"] for e in entries) == sorted(f"user-{n}" for n in range(WRITERS))
    result = audit.verify_chain(entries, repository.chain_head("acc_1"))
    assert result.ok, result.broken
    assert result.checked == WRITERS
