"""Reading an account's audit log: pages newest first, and a verification of the whole
chain that names the first entry that does not fit (`audit.verify_chain`)."""

from __future__ import annotations

from services.identity.logic import audit
from services.identity.logic.actor import Actor
from services.identity.logic.authorization import require_users_read
from services.identity.logic.paging import ListPage, ListScope, PageRequest, bad_cursor
from services.identity.logic.ports import Ports
from services.identity.models.domain import AuditEntry


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
    require_users_read(ports, actor, "audit.verify", account_id)
    head = ports.repository.chain_head(account_id)
    return audit.verify_chain(ports.repository.audit_entries(account_id), head)
