"""Invitation and CAM welcome mails carry the portal's link (SCTS_PORTAL_URL), so the person
knows where to sign in with the temporary password they were sent."""

from __future__ import annotations

import dataclasses

import pytest

from services.identity.logic import cams, invitations
from services.identity.logic.roles import RoleName

from .identity_fakes import Mailbox, MemoryDirectory, actor, memory_ports
from .test_identity_use_cases import repository_with_account_a

pytestmark = pytest.mark.unit

PORTAL = "https://portal.example.test"


def test_an_invitation_names_the_portal_link_and_the_temporary_password() -> None:
    ports = dataclasses.replace(memory_ports(repository_with_account_a()), portal_url=PORTAL)
    assert isinstance(ports.directory, MemoryDirectory)
    ports.directory.mfa.add("admin-a")

    invitations.invite(ports, actor("admin-a"), "acc_a", "New@Example.test", RoleName.TRADER)

    assert isinstance(ports.mailer, Mailbox)
    ((to, subject, text),) = ports.mailer.sent
    assert to == "new@example.test"
    assert subject == "Invitation to A on the SCTS portal"
    assert f"Sign in at {PORTAL} with:" in text
    assert "  username: new@example.test" in text
    assert "temporary password: " in text


def test_a_cam_welcome_names_the_portal_link() -> None:
    ports = dataclasses.replace(memory_ports(), portal_url=PORTAL)
    assert isinstance(ports.directory, MemoryDirectory)
    ports.directory.mfa.add("root")

    cams.create_cam(ports, actor("root", scts_admin=True), "cam@stx.example", "Ann CAM")

    assert isinstance(ports.mailer, Mailbox)
    ((to, _, text),) = ports.mailer.sent
    assert to == "cam@stx.example"
    assert f"Sign in at {PORTAL} with:" in text
    assert "  username: cam@stx.example" in text
    assert "temporary password: " in text
