"""People shown by email or name where a person reads them: the audit log names whom the
account knows (members, invitees, assigned CAMs) and never reveals who someone outside the
account is; an account's CAMs are listed with name and email."""

from __future__ import annotations

import pytest

from common.errors import DomainError
from services.identity.logic import audit_log, cams, invitations
from services.identity.logic.paging import PageRequest
from services.identity.logic.roles import RoleName

from .identity_fakes import MemoryDirectory, actor, memory_ports
from .test_identity_use_cases import repository_with_account_a

pytestmark = pytest.mark.unit

ROOT = actor("root", scts_admin=True)
ADMIN = actor("admin-a")
OUTSIDER = actor("stranger")


def test_actors_and_targets_are_named_as_the_account_knows_them() -> None:
    ports = memory_ports(repository_with_account_a())
    assert isinstance(ports.directory, MemoryDirectory)
    ports.directory.mfa |= {"root", "admin-a"}
    invited = invitations.invite(ports, ADMIN, "acc_a", "ben@a.example", RoleName.VIEWER)
    cam = cams.create_cam(ports, ROOT, "carla@stx.example", "Carla Manager")
    cams.assign_cam(ports, ROOT, "acc_a", cam.subject)
    with pytest.raises(DomainError):
        audit_log.audit_page(ports, OUTSIDER, "acc_a", PageRequest(limit=10))

    view = audit_log.audit_page_view(ports, ADMIN, "acc_a", PageRequest(limit=10))

    shown = {e.action: (view.person(e.actor), view.target(e.target)) for e in view.page.items}
    assert shown["cam.assign"] == (None, "Carla Manager <carla@stx.example>")
    assert shown["invitation.create"] == ("admin-a@a.example", "ben@a.example")
    # An outsider's probe is audited on the platform chain, never shown to the account.
    assert [e for e in view.page.items if e.actor == "stranger"] == []
    assert view.person("stranger") is None
    assert invited.subject in view.people
    assert "root" not in view.people


def test_the_cams_of_an_account_are_listed_with_name_and_email() -> None:
    ports = memory_ports(repository_with_account_a())
    assert isinstance(ports.directory, MemoryDirectory)
    ports.directory.mfa |= {"root", "admin-a"}
    cam = cams.create_cam(ports, ROOT, "carla@stx.example", "Carla Manager")

    assigned = cams.assign_cam(ports, ROOT, "acc_a", cam.subject)
    listed = cams.list_account_cams(ports, ADMIN, "acc_a", PageRequest(limit=10))

    assert assigned.cam == cam
    assert [(a.assignment.subject, a.cam) for a in listed.items] == [(cam.subject, cam)]
