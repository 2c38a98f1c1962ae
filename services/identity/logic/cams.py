"""Corporate Account Managers: created and assigned to accounts by SCTS administrators;
the CAMs of an account are listed to whoever may read its users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from common.access import Action, Area, permission
from common.errors import NotFound
from contracts.events import identity as ev
from services.identity.logic import audit, mails
from services.identity.logic.accounts import account_or_404
from services.identity.logic.actor import Actor
from services.identity.logic.authorization import (
    member_of_suspended,
    require_scts_admin,
    require_scts_admin_read,
    require_users_read,
)
from services.identity.logic.commits import Planned, commit
from services.identity.logic.errors import conflict
from services.identity.logic.paging import ListPage, ListScope, PageRequest, page_of
from services.identity.logic.ports import (
    Change,
    ClaimStaff,
    DeleteCamAssignment,
    Ports,
    PutCam,
    PutCamAssignment,
)
from services.identity.models.domain import Cam, CamAssignment, MembershipStatus


@dataclass(frozen=True)
class AssignedCam:
    """An assignment with the CAM it names, so people read a name, not a subject."""

    assignment: CamAssignment
    cam: Cam | None
    """None only if the CAM's record is gone."""


def _with_cam(ports: Ports, assignment: CamAssignment) -> AssignedCam:
    return AssignedCam(assignment, ports.repository.get_cam(assignment.subject))


def create_cam(ports: Ports, actor: Actor, email: str, name: str) -> Cam:
    """The person becomes a CAM (a Cognito user is created if they have none). Members
    are refused, also one whose invitation is accepted at the same moment (`ClaimStaff`:
    the loser of the race gets a 409)."""
    require_scts_admin(ports, actor, "cam.create", None)
    email = email.strip().lower()
    user = ports.directory.find_user(email)
    password = ""
    if user is None:
        password = mails.temporary_password()
        user = ports.directory.create_user(email, password)
    if ports.repository.get_cam(user.subject) is not None:
        raise conflict("already_cam", "This person is already a CAM.", field="email")
    memberships = ports.repository.memberships_of(user.subject)
    if any(m.status is MembershipStatus.ACTIVE for m in memberships):  # invitations: refused
        raise conflict(  # when accepted (`invitations.accept_invitation`)
            "staff_cannot_be_member",
            "This person is a member of an account: staff never are. Remove them from their "
            "accounts first.",
            field="email",
        )
    if not password and user.must_change_password:  # never signed in: no password of theirs
        password = mails.temporary_password()
        ports.directory.set_temporary_password(user.username, password)
    subject = user.subject

    def plan(_seq: int, now: datetime) -> Planned[Cam]:
        cam = Cam(subject=subject, email=email, name=name, created_at=now, created_by=actor.subject)
        registered = ev.CamRegisteredData(subject=subject, email=email, name=name)
        changes: list[Change] = [PutCam(cam), ClaimStaff(subject)]
        return Planned(cam, changes, [(ev.CAM_REGISTERED, registered)])

    created = commit(ports, actor, audit.PLATFORM_CHAIN, "cam.create", f"cam:{subject}", plan)
    ports.mailer.send(
        email, mails.CAM_WELCOME_SUBJECT, mails.cam_welcome(name, email, password, ports.portal_url)
    )
    return created


def list_cams(ports: Ports, actor: Actor, page: PageRequest) -> ListPage[Cam]:
    require_scts_admin_read(ports, actor, "cam.list")
    scope = ListScope.of("cams", actor)
    return page_of(ports, scope, ports.repository.list_cams(), _cam_key, page)


def _cam_key(cam: Cam) -> str:
    return cam.subject


def list_account_cams(
    ports: Ports, actor: Actor, account_id: str, page: PageRequest
) -> ListPage[AssignedCam]:
    require_users_read(ports, actor, "cams.list", account_id)
    scope = ListScope.of("account-cams", actor, account_id)
    found = ports.repository.cam_assignments_of_account(account_id)
    listed = page_of(ports, scope, found, _assignment_key, page)
    return ListPage([_with_cam(ports, a) for a in listed.items], listed.next_cursor)


def cams_of_accounts(
    ports: Ports, actor: Actor, account_ids: list[str]
) -> dict[str, list[AssignedCam] | None]:
    """The CAMs assigned to each account, for a caller who may read its users (SCTS
    administrators: every account; its CAMs and members with users:read); None for the
    others. One Query per account shown + one GetItem per CAM named."""
    repo = ports.repository
    cams: dict[str, Cam | None] = {}
    shown: dict[str, list[AssignedCam] | None] = {}
    for account_id in account_ids:
        if not (actor.scts_admin or _reads_users(ports, actor, account_id)):
            shown[account_id] = None
            continue
        listed = []
        for assignment in repo.cam_assignments_of_account(account_id):
            if assignment.subject not in cams:
                cams[assignment.subject] = repo.get_cam(assignment.subject)
            listed.append(AssignedCam(assignment, cams[assignment.subject]))
        shown[account_id] = listed
    return shown


def _reads_users(ports: Ports, actor: Actor, account_id: str) -> bool:
    facts = ports.access.facts(account_id, actor.subject)
    if member_of_suspended(actor, facts):
        return False
    readers = facts.member_permissions or frozenset()
    return facts.cam_assigned or permission(Area.USERS, Action.READ) in readers


def _assignment_key(assignment: CamAssignment) -> str:
    return assignment.subject


def assign_cam(ports: Ports, actor: Actor, account_id: str, subject: str) -> AssignedCam:
    require_scts_admin(ports, actor, "cam.assign", account_id)

    def plan(seq: int, now: datetime) -> Planned[CamAssignment]:
        account_or_404(ports, account_id)
        if ports.repository.get_cam(subject) is None:
            raise NotFound("No such CAM.")
        if ports.repository.get_cam_assignment(account_id, subject) is not None:
            raise conflict("already_assigned", "The CAM is already assigned to this account.")
        assignment = CamAssignment(
            account_id=account_id, subject=subject, assigned_at=now, assigned_by=actor.subject
        )
        data = ev.CamAssignedData(account_id=account_id, sequence=seq, subject=subject)
        return Planned(assignment, [PutCamAssignment(assignment)], [(ev.CAM_ASSIGNED, data)])

    assigned = commit(ports, actor, account_id, "cam.assign", f"cam:{subject}", plan)
    return _with_cam(ports, assigned)


def unassign_cam(ports: Ports, actor: Actor, account_id: str, subject: str) -> None:
    require_scts_admin(ports, actor, "cam.unassign", account_id)

    def plan(seq: int, _now: datetime) -> Planned[None]:
        account_or_404(ports, account_id)
        if ports.repository.get_cam_assignment(account_id, subject) is None:
            raise NotFound("No such assignment.")
        data = ev.CamUnassignedData(account_id=account_id, sequence=seq, subject=subject)
        changes = [DeleteCamAssignment(account_id, subject)]
        return Planned(None, changes, [(ev.CAM_UNASSIGNED, data)])

    commit(ports, actor, account_id, "cam.unassign", f"cam:{subject}", plan)
