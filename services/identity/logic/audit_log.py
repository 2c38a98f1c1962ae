"""Reading an account's audit log: pages newest first, with the people it names shown by
email or name, and a verification of the whole chain that names the first entry that does
not fit (`audit.verify_chain`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from services.identity.logic import audit
from services.identity.logic.actor import Actor
from services.identity.logic.authorization import require_scts_admin_read, require_users_read
from services.identity.logic.paging import ListPage, ListScope, PageRequest, bad_cursor
from services.identity.logic.ports import Ports
from services.identity.models.domain import AuditEntry


@dataclass(frozen=True)
class AuditPageView:
    """A page of entries and how to show the people they name (subject -> email or name)."""

    page: ListPage[AuditEntry]
    people: Mapping[str, str]

    def person(self, subject: str) -> str | None:
        return self.people.get(subject)

    def target(self, target: str) -> str | None:
        """The person a `member:`/`invitation:`/`cam:` target names, else None."""
        kind, _, subject = target.partition(":")
        return self.people.get(subject) if kind in PERSON_TARGETS else None


PERSON_TARGETS = frozenset({"member", "invitation", "cam"})
PUBLISHER_TARGET = "publisher"
"""`publisher:<id>` or `publisher:<id>:key:<prefix>` (`logic.publisher_audit`)."""


def people_of_account(ports: Ports, account_id: str) -> dict[str, str]:
    """Whom a reader of the account's users may see by name: its members and invitees (by
    email) and the CAMs assigned to it (by name and email). Anyone else (SCTS staff, an
    outsider refused, a removed member) stays a subject: the account's log does not reveal
    who people outside it are."""
    repo = ports.repository
    people = {m.subject: m.email for m in repo.list_memberships(account_id)}
    for assignment in repo.cam_assignments_of_account(account_id):
        cam = repo.get_cam(assignment.subject)
        if cam is not None:
            people[cam.subject] = f"{cam.name} <{cam.email}>"
    return people


def audit_page_view(
    ports: Ports, actor: Actor, account_id: str, page: PageRequest
) -> AuditPageView:
    """`audit_page` with the people its entries name."""
    entries = audit_page(ports, actor, account_id, page)
    return AuditPageView(entries, people_of_account(ports, account_id))


def audit_page(
    ports: Ports, actor: Actor, account_id: str, page: PageRequest
) -> ListPage[AuditEntry]:
    """Up to `limit` entries older than the cursor's position, newest first; one query."""
    require_users_read(ports, actor, "audit.list", account_id)
    scope = ListScope.of("audit", actor, account_id)
    before: int | None = None
    if page.cursor is not None:
        position = scope.decode(ports, page.cursor).get("before")
        if not isinstance(position, int) or position < 2:
            raise bad_cursor()
        before = position
    entries = ports.repository.audit_page(account_id, page.limit, before)
    more = len(entries) == page.limit and entries[-1].seq > 1
    next_cursor = scope.encode(ports, {"before": entries[-1].seq}) if more else None
    return ListPage(entries, next_cursor)


def verify_audit(ports: Ports, actor: Actor, account_id: str) -> audit.Verification:
    """An account's chain, which opens with its creation (an empty one was deleted)."""
    require_users_read(ports, actor, "audit.verify", account_id)
    head = ports.repository.chain_head(account_id)
    entries = ports.repository.audit_entries(account_id)
    return audit.verify_chain(entries, head, opened_by="account.create")


def verify_platform_audit(ports: Ports, actor: Actor) -> audit.Verification:
    """The platform chain (CAM creation, publishers, sign-in security, outsiders'
    refusals): SCTS administrators verify it as account admins verify theirs."""
    require_scts_admin_read(ports, actor, "audit.platform.verify")
    head = ports.repository.chain_head(audit.PLATFORM_CHAIN)
    return audit.verify_chain(ports.repository.audit_entries(audit.PLATFORM_CHAIN), head)


@dataclass(frozen=True)
class StaffAuditView:
    """A page of staff entries and how to show the people, accounts and publishers they
    name."""

    page: ListPage[AuditEntry]
    people: Mapping[str, str | None]
    accounts: Mapping[str, str]
    publishers: Mapping[str, str] = field(default_factory=dict)

    def person(self, subject: str) -> str | None:
        return self.people.get(subject)

    def target(self, target: str) -> str | None:
        kind, _, rest = target.partition(":")
        if kind == "account":
            return self.accounts.get(rest.partition(":")[0])
        if kind == PUBLISHER_TARGET:
            return self.publishers.get(rest.partition(":")[0])
        return self.people.get(rest) if kind in PERSON_TARGETS else None


def staff_audit_view(ports: Ports, actor: Actor, page: PageRequest) -> StaffAuditView:
    """Staff actions on accounts, CAMs and publishers (and their refusals) across every
    chain, newest first (SCTS administrators): one Query of the staff index per page; people
    by CAM name and email, else by the user pool's email (one lookup per other person on the
    page); accounts and publishers by name (one GetItem per account or publisher the page
    names)."""
    require_scts_admin_read(ports, actor, "audit.staff.list")
    scope = ListScope.of("staff-audit", actor)
    before: str | None = None
    if page.cursor is not None:
        position = scope.decode(ports, page.cursor).get("before")
        if not isinstance(position, str) or not position:
            raise bad_cursor()
        before = position
    repo = ports.repository
    entries = repo.staff_audit_page(page.limit, before)
    more = len(entries) == page.limit
    next_cursor = (
        scope.encode(ports, {"before": audit.staff_position(entries[-1])}) if more else None
    )
    people: dict[str, str | None] = {}
    accounts: dict[str, str] = {}
    publishers: dict[str, str] = {}
    for entry in entries:
        kind, _, rest = entry.target.partition(":")
        if kind == PUBLISHER_TARGET:
            publisher_id = rest.partition(":")[0]
            if publisher_id not in publishers:
                name = repo.publisher_name(publisher_id)
                if name is not None:
                    publishers[publisher_id] = name
        subjects = [entry.actor] + ([rest] if kind in PERSON_TARGETS else [])
        for subject in subjects:
            if subject not in people:
                cam = repo.get_cam(subject)
                people[subject] = (
                    f"{cam.name} <{cam.email}>" if cam else ports.directory.email_of(subject)
                )
        account_id = rest.partition(":")[0] if kind == "account" else entry.account_id
        if account_id and account_id not in accounts:
            found = repo.get_account(account_id)
            if found is not None:
                accounts[account_id] = found.name
    return StaffAuditView(ListPage(entries, next_cursor), people, accounts, publishers)
