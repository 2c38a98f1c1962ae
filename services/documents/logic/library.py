"""Reading the library: list, detail, download links; withdrawing (SCTS administrators).

Every use case first decides what the caller may read in the account (`kinds`): another
account's documents, or an account the caller cannot see, are 404; a kind the caller's
role does not cover is 403 when named, and simply absent from lists.

Lists merge one index partition per readable kind (newest first by issued date). Filters
on the related reference and on title text are applied while reading, within a budget of
items per kind and page; a page ends where every kind has been read up to (so it never
skips a match), and a filter that finds nothing within the budget is 413 (narrow it with
a kind or a period) rather than an empty page with a cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from common.access import (
    AccessFacts,
    AccessGuard,
    AccessSource,
    Action,
    Area,
    GrantKind,
    UserPrincipal,
    is_scts_admin,
)
from common.cursor import InvalidCursor, query_fingerprint
from common.errors import Conflict, Forbidden, NotFound, TooLarge, invalid
from services.documents.logic import issuing, kinds, statements
from services.documents.logic.ports import ApiPorts, ListFilter, Ports
from services.documents.models.domain import Document, DocumentKind, DocumentVersion

READ_BUDGET = 1000
"""Items one kind's index may read for one page (each query page is at most 1 MB)."""


class _Memo:
    """One read of the access facts per request, however many areas are checked."""

    def __init__(self, source: AccessSource) -> None:
        self._source = source
        self._known: dict[tuple[str, str], AccessFacts] = {}

    def facts(self, account_id: str, subject: str) -> AccessFacts:
        key = (account_id, subject)
        if key not in self._known:
            self._known[key] = self._source.facts(account_id, subject)
        return self._known[key]


def guard(ports: Ports) -> AccessGuard:
    return AccessGuard(
        _Memo(ports.access), scts_admin_permissions=frozenset({kinds.WITHDRAW_PERMISSION})
    )


@dataclass(frozen=True)
class ListQuery:
    kinds: tuple[DocumentKind, ...] | None
    issued_from: date | None
    issued_to: date | None
    related_reference: str | None
    text: str | None
    limit: int
    cursor: str | None


@dataclass(frozen=True)
class DocumentPage:
    items: list[DocumentVersion]
    next_cursor: str | None


def _fingerprint(query: ListQuery, readable: tuple[DocumentKind, ...]) -> str:
    return query_fingerprint(
        "documents",
        {
            "kinds": [k.value for k in readable],
            "issued_from": query.issued_from,
            "issued_to": query.issued_to,
            "related_reference": query.related_reference,
            "text": query.text,
        },
    )


def list_documents(
    ports: ApiPorts, principal: UserPrincipal, account_id: str, query: ListQuery
) -> DocumentPage:
    access = kinds.reader_access(guard(ports.core), principal, account_id)
    chosen = kinds.kinds_for(access, query.kinds)
    fingerprint = _fingerprint(query, chosen)
    before = None
    if query.cursor:
        try:
            position = ports.cursors.decode(
                query.cursor, account_id=account_id, subject=principal.sub, fingerprint=fingerprint
            )
        except InvalidCursor as exc:
            raise invalid("query.cursor", "is not a cursor of this list") from exc
        before = str(position.get("before", ""))
    where = ListFilter(
        issued_from=query.issued_from,
        issued_to=query.issued_to,
        related_reference=query.related_reference,
        text=query.text.lower() if query.text else None,
        before=before,
    )
    pages = [
        ports.core.documents.list_kind(account_id, kind, where, query.limit, READ_BUDGET)
        for kind in chosen
    ]
    horizons = [p.horizon for p in pages if p.horizon is not None]
    floor = max(horizons) if horizons else None
    merged = sorted((m for p in pages for m in p.matches), key=sort_key, reverse=True)
    shown = [m for m in merged if floor is None or sort_key(m) >= floor][: query.limit]
    if not shown and floor is not None:
        raise TooLarge(
            "The filter matched nothing in the documents read for one page; narrow it "
            "with a kind or an issued period."
        )
    more = floor is not None or len(merged) > len(shown)
    cursor = (
        ports.cursors.encode(
            {"before": sort_key(shown[-1])},
            account_id=account_id,
            subject=principal.sub,
            fingerprint=fingerprint,
        )
        if more and shown
        else None
    )
    return DocumentPage(items=shown, next_cursor=cursor)


def sort_key(version: DocumentVersion) -> str:
    return f"{version.issued_on.isoformat()}#{version.document_id}"


def get_document(
    ports: ApiPorts, principal: UserPrincipal, account_id: str, document_id: str
) -> Document:
    access = kinds.reader_access(guard(ports.core), principal, account_id)
    document = ports.core.documents.document(account_id, document_id)
    if document is None:
        raise NotFound()
    kinds.require_kind(access, document.kind)
    return document


@dataclass(frozen=True)
class DownloadLink:
    url: str
    expires_at: datetime
    version: DocumentVersion | None = None


def download_link(
    ports: ApiPorts,
    principal: UserPrincipal,
    account_id: str,
    document_id: str,
    version_number: int | None,
) -> DownloadLink:
    """A signed CDN URL for one version (the current one by default): one read of the
    document, one signature."""
    access = kinds.reader_access(guard(ports.core), principal, account_id)
    store = ports.core.documents
    version = (
        store.current(account_id, document_id)
        if version_number is None
        else store.version(account_id, document_id, version_number)
    )
    if version is None:
        raise NotFound()
    kinds.require_kind(access, version.kind)
    if not version.downloadable:
        raise Conflict(
            f"This document version is {version.status.value} and cannot be downloaded.",
            code="not_downloadable",
        )
    expires_at = ports.core.clock() + timedelta(seconds=ports.core.url_seconds)
    return DownloadLink(ports.signer.sign(version.object_key, expires_at), expires_at, version)


def withdraw(
    ports: ApiPorts,
    principal: UserPrincipal,
    account_id: str,
    document_id: str,
    reason: str,
    correlation_id: str,
) -> Document:
    """STX withdraws a document (an SCTS administrator; the account's own admins may not):
    every downloadable version stops being downloadable, the record stays with who, when
    and why (`DocumentWithdrawn`)."""
    access = guard(ports.core).require(principal, account_id, Area.DOCUMENTS, Action.MANAGE)
    if access.kind is not GrantKind.SCTS_ADMIN:
        raise Forbidden("Only STX (an SCTS administrator) withdraws documents.")
    store = ports.core.documents
    document = store.document(account_id, document_id)
    if document is None:
        raise NotFound()
    if not any(v.downloadable for v in document.versions):
        issuing.finish_withdrawal(ports.core, document)  # a retry after a crash
        raise Conflict("This document has no downloadable version.", code="not_downloadable")
    issuing.withdraw_document(
        ports.core, document, reason=reason, by=principal.sub, correlation_id=correlation_id
    )
    found = store.document(account_id, document_id)
    assert found is not None
    return found


def request_statement_run(
    ports: ApiPorts, principal: UserPrincipal, month: str, correlation_id: str
) -> str:
    """An SCTS administrator asks for the statements of an ended month (all accounts),
    run asynchronously by the same function as the schedule; the month, normalized."""
    if not is_scts_admin(principal):
        raise Forbidden("Only SCTS administrators start statement runs.")
    chosen = statements.requested_month(month, ports.core.clock().date())
    ports.runs.enqueue(
        {
            "schedule": "monthly-statements",
            "month": str(chosen),
            "requested_by": principal.sub,
            "correlation_id": correlation_id,
        }
    )
    return str(chosen)
