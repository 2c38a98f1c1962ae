"""Who may read which kind of document, and how documents are named.

Each kind is read with the permissions of the area its content belongs to (the role model
of identity, `common.access.permissions`):

| kind | needs | why |
|---|---|---|
| trade_confirmation | trades:read | the terms of a trade |
| invoice, credit_note | billing:read | amounts billed and paid |
| redemption_statement | portfolio:read | certificates retired from the holdings |
| monthly_statement | portfolio:read AND billing:read | holdings and the month's invoices |

The `documents` area grants nothing by itself: finance people (billing only) must read
invoices, and a trader (no billing) must not read an invoice through the documents
library. CAMs read every kind of an assigned account (read-only); SCTS administrators
read nothing here, but may withdraw a document (`documents:manage` in any account).
"""

from __future__ import annotations

from collections.abc import Iterable

from common.access import Access, AccessGuard, Action, Area, GrantKind, UserPrincipal, permission
from common.errors import Forbidden, NotFound
from services.documents.models.domain import DocumentKind

REQUIRED_AREAS: dict[DocumentKind, frozenset[Area]] = {
    DocumentKind.TRADE_CONFIRMATION: frozenset({Area.TRADES}),
    DocumentKind.INVOICE: frozenset({Area.BILLING}),
    DocumentKind.CREDIT_NOTE: frozenset({Area.BILLING}),
    DocumentKind.REDEMPTION_STATEMENT: frozenset({Area.PORTFOLIO}),
    DocumentKind.MONTHLY_STATEMENT: frozenset({Area.PORTFOLIO, Area.BILLING}),
}
ALL_KINDS = tuple(DocumentKind)
KIND_AREAS = frozenset(area for areas in REQUIRED_AREAS.values() for area in areas)
WITHDRAW_PERMISSION = permission(Area.DOCUMENTS, Action.MANAGE)


def readable_kinds(access: Access) -> tuple[DocumentKind, ...]:
    """The kinds the granted access may read, in a stable order."""
    if access.kind is GrantKind.CAM:
        return ALL_KINDS
    granted = access.permissions
    return tuple(
        kind
        for kind in ALL_KINDS
        if all(permission(area, Action.READ) in granted for area in REQUIRED_AREAS[kind])
    )


def reader_access(guard: AccessGuard, principal: UserPrincipal, account_id: str) -> Access:
    """The caller's access to the account for reading documents: 404 if the account is not
    theirs to know, 403 if they may know it but read no kind of document."""
    refusal: Forbidden | None = None
    for area in sorted(KIND_AREAS):
        try:
            access = guard.require(principal, account_id, area, Action.READ)
        except Forbidden as exc:
            refusal = exc
            continue
        if readable_kinds(access):
            return access
    raise refusal or NotFound()


def named(kind: DocumentKind) -> str:
    """`an invoice`, `a trade confirmation`: a kind in a sentence."""
    name = kind.value.replace("_", " ")
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def require_kind(access: Access, kind: DocumentKind) -> None:
    if kind not in readable_kinds(access):
        needed = " and ".join(sorted(permission(a, Action.READ) for a in REQUIRED_AREAS[kind]))
        raise Forbidden(f"Reading {named(kind)} needs {needed}.")


def kinds_for(access: Access, wanted: Iterable[DocumentKind] | None) -> tuple[DocumentKind, ...]:
    """The requested kinds the caller may read (all readable ones when none is named);
    asking for a kind one may not read is refused (403), never silently narrowed."""
    readable = readable_kinds(access)
    if wanted is None:
        return readable
    chosen = tuple(dict.fromkeys(wanted))
    for kind in chosen:
        require_kind(access, kind)
    return chosen


_ESCAPES = {"_": "_U", "/": "_S", ":": "_C"}


def document_id(prefix: str, reference: str) -> str:
    """`confirmation-STX-T-1`: references may hold `/`, `:` and `_`, so those are written
    `_S`, `_C` and `_U` (the escape character escaped too) to keep ids path-safe and
    distinct: `STX/T/1` and `STX_ST_S1` are two trades, so two documents."""
    safe = "".join(_ESCAPES.get(char, char) for char in reference)
    return f"{prefix}-{safe}"


def confirmation_id(trade_reference: str) -> str:
    return document_id("confirmation", trade_reference)


def invoice_id(reference: str, credit_note: bool) -> str:
    return document_id("creditnote" if credit_note else "invoice", reference)


def redemption_id(reference: str) -> str:
    return document_id("redemption", reference)


def statement_id(month: str) -> str:
    return document_id("statement", month)


def published_id(reference: str) -> str:
    return document_id("published", reference)


PUBLISHED_KIND: dict[str, DocumentKind] = {
    "trade_confirmation": DocumentKind.TRADE_CONFIRMATION,
    "invoice": DocumentKind.INVOICE,
    "redemption_statement": DocumentKind.REDEMPTION_STATEMENT,
}
