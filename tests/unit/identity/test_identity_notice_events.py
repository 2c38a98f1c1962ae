"""Identity tells other services what they need for notices, in the same transaction as the
change and its audit entry: a CAM's contact data, MFA enabled, a password reset."""

from __future__ import annotations

from typing import Any

import pytest

from contracts.catalog import CATALOG
from contracts.events import identity as ev
from services.identity.logic import audit, cams, me, recovery
from services.identity.logic.ports import DirectoryUser

from .identity_fakes import MemoryDirectory, MemoryRepository, actor, memory_ports

pytestmark = pytest.mark.unit


def published(repository: MemoryRepository, detail_type: str) -> list[Any]:
    return [e for e in repository.outbox if e.detail_type == detail_type]


def test_creating_a_cam_publishes_their_contact_data_with_the_audit_entry() -> None:
    repository = MemoryRepository()
    ports = memory_ports(repository)
    assert isinstance(ports.directory, MemoryDirectory)
    ports.directory.mfa.add("root")
    cam = cams.create_cam(ports, actor("root", scts_admin=True), " Ana@STX.example ", "Ana")
    [event] = published(repository, "CamRegistered")
    assert event.data == ev.CamRegisteredData(
        subject=cam.subject, email="ana@stx.example", name="Ana"
    )
    assert event.account_id is None
    assert CATALOG.parse(event.model_dump_json()) == event
    assert [e.action for e in repository.entries[audit.PLATFORM_CHAIN]] == ["cam.create"]


def test_enrolling_totp_publishes_mfa_enabled_only_when_the_code_is_right() -> None:
    repository = MemoryRepository()
    ports = memory_ports(repository)
    person = actor("sub-1")
    with pytest.raises(Exception, match="not valid"):
        me.verify_totp(ports, person, "000000", "phone")
    assert published(repository, "MfaEnabled") == []
    me.verify_totp(ports, person, "123456", "phone")
    [event] = published(repository, "MfaEnabled")
    assert event.data == ev.MfaEnabledData(subject="sub-1")
    assert event.correlation_id == person.correlation_id


def test_a_reset_cognito_accepted_ends_every_session_and_publishes_password_changed() -> None:
    repository = MemoryRepository()
    ports = memory_ports(repository)
    assert isinstance(ports.directory, MemoryDirectory)
    ports.directory.users["ana@a.example"] = DirectoryUser(
        "ana@a.example", "sub-ana", "ana@a.example", must_change_password=False
    )
    request = recovery.AnonymousRequest(request_digest="0" * 64, correlation_id="req-reset")
    recovery.confirm_password(ports, request, " Ana@A.example", "123456", "a new long password!")
    [event] = published(repository, "PasswordChanged")
    assert event.data == ev.PasswordChangedData(subject="sub-ana", how="reset")
    [entry] = repository.entries[audit.PLATFORM_CHAIN]
    assert (entry.actor, entry.action) == ("sub-ana", "password.reset")
    assert ports.directory.signed_out == ["ana@a.example"]


def test_a_reset_cognito_refused_publishes_nothing() -> None:
    repository = MemoryRepository()
    ports = memory_ports(repository)

    class Refusing(MemoryDirectory):
        def confirm_forgot_password(self, username: str, code: str, new_password: str) -> None:
            raise ValueError("code mismatch")

    refusing = Refusing()
    ports = type(ports)(**{**ports.__dict__, "directory": refusing})
    request = recovery.AnonymousRequest(request_digest="0" * 64, correlation_id="req-reset")
    with pytest.raises(ValueError, match="mismatch"):
        recovery.confirm_password(ports, request, "ana@a.example", "1", "pw")
    assert repository.outbox == []
    assert refusing.signed_out == []
