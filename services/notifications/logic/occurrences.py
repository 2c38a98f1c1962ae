"""From the events the portal publishes to occurrences: what happened, to which account,
which kind of notice it is, and the facts a message needs (as strings, formatted later
in each person's own style)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from contracts.envelope import EventEnvelope
from contracts.events import documents as doc
from contracts.events import identity as idn
from contracts.events import provisioning as prv
from services.notifications.models.domain import Kind, Occurrence

DOCUMENTS_SOURCE = doc.DOCUMENT_AVAILABLE.source
DOCUMENT_AVAILABLE = doc.DOCUMENT_AVAILABLE.detail_type
_DOCUMENT_KINDS = {
    "trade_confirmation": Kind.TRADE_CONFIRMATION_AVAILABLE,
    "invoice": Kind.BILLING_DOCUMENT_AVAILABLE,
    "credit_note": Kind.BILLING_DOCUMENT_AVAILABLE,
    "redemption_statement": Kind.REDEMPTION_STATEMENT_AVAILABLE,
    "monthly_statement": Kind.MONTHLY_STATEMENT_AVAILABLE,
}
"""A document's kind -> the notice (whose rule names who may read that kind)."""

_TRADE_KINDS = {
    prv.TRADE_EXECUTED.detail_type: Kind.TRADE_EXECUTED,
    prv.TRADE_AMENDED.detail_type: Kind.TRADE_AMENDED,
    prv.TRADE_CANCELLED.detail_type: Kind.TRADE_CANCELLED,
}
_DELIVERY_KINDS = {
    prv.DELIVERY_COMPLETED.detail_type: Kind.DELIVERY_COMPLETED,
    prv.DELIVERY_FAILED.detail_type: Kind.DELIVERY_FAILED,
}
_INVOICE_KINDS = {
    prv.INVOICE_ISSUED.detail_type: Kind.INVOICE_ISSUED,
    prv.INVOICE_PAID.detail_type: Kind.INVOICE_PAID,
}


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _facts(data: Any, *names: str) -> dict[str, str]:
    return {name: _text(getattr(data, name, None)) for name in names}


def occurrence_of(envelope: EventEnvelope[Any]) -> Occurrence | None:
    """The occurrence an event is, or None when it is not one to tell anybody about."""
    kind, subject, facts = _kind_and_facts(envelope)
    if kind is None:
        return None
    return Occurrence(
        occurrence_id=str(envelope.event_id),
        kind=kind,
        account_id=envelope.account_id,
        subject=subject,
        occurred_at=envelope.occurred_at,
        facts=facts,
        correlation_id=envelope.correlation_id,
    )


def _kind_and_facts(envelope: EventEnvelope[Any]) -> tuple[Kind | None, str | None, dict[str, str]]:
    data, detail_type = envelope.data, envelope.detail_type
    if detail_type in _TRADE_KINDS:
        return (
            _TRADE_KINDS[detail_type],
            None,
            _facts(
                data,
                "reference",
                "side",
                "scheme",
                "volume_mwh",
                "unit_price",
                "currency",
                "total",
                "trade_date",
                "delivery_date",
                "cancellation_reason",
                "version",
            ),
        )
    if detail_type in _DELIVERY_KINDS:
        return (
            _DELIVERY_KINDS[detail_type],
            None,
            _facts(
                data,
                "reference",
                "trade_reference",
                "scheme",
                "volume_mwh",
                "delivery_date",
                "failure_reason",
            ),
        )
    if detail_type == prv.RETIREMENT_COMPLETED.detail_type:
        return (
            Kind.RETIREMENT_COMPLETED,
            None,
            _facts(
                data,
                "reference",
                "scheme",
                "volume_mwh",
                "retired_on",
                "beneficiary_name",
                "reporting_year",
            ),
        )
    if detail_type in _INVOICE_KINDS and data.document_type == "invoice":
        return _INVOICE_KINDS[detail_type], None, invoice_facts(data)
    if detail_type == DOCUMENT_AVAILABLE and envelope.source == DOCUMENTS_SOURCE:
        kind = _DOCUMENT_KINDS.get(str(getattr(data, "kind", "")))
        if kind is None:
            return None, None, {}  # a kind nobody here knows who may read: tell nobody
        return (
            kind,
            None,
            _facts(data, "document_id", "title", "kind", "issued_on", "related_reference"),
        )
    return _identity_notice(envelope)


_ENTITIES: tuple[tuple[type[prv.EntityFact], str], ...] = (
    (prv.Trade, "trade"),
    (prv.Delivery, "delivery"),
    (prv.RetirementCompletedV1, "retirement"),
    (prv.Invoice, "invoice"),
)


def entity_version(envelope: EventEnvelope[Any]) -> tuple[str, str, int] | None:
    """(entity, reference, version) of one of provisioning's versioned facts, else None."""
    data = envelope.data
    for model, entity in _ENTITIES:
        if isinstance(data, model):
            return entity, data.reference, data.version
    return None


def invoice_facts(data: prv.Invoice) -> dict[str, str]:
    return _facts(
        data, "reference", "document_type", "issue_date", "due_date", "currency", "gross_amount"
    )


def _identity_notice(
    envelope: EventEnvelope[Any],
) -> tuple[Kind | None, str | None, dict[str, str]]:
    data = envelope.data
    match data:
        case idn.MemberInvitedData():
            return Kind.ACCESS_INVITED, data.subject, _facts(data, "role", "expires_at")
        case idn.AccessChangedData():
            return Kind.ACCESS_ROLE_CHANGED, data.subject, _facts(data, "role")
        case idn.AccessRevokedData():
            return Kind.ACCESS_REMOVED, data.subject, {}
        case idn.CamAssignedData():
            return Kind.CAM_ASSIGNED, data.subject, {}
        case idn.MfaEnabledData():
            return Kind.MFA_ENABLED, data.subject, _facts(data, "method")
        case idn.PasswordChangedData():
            return Kind.PASSWORD_CHANGED, data.subject, _facts(data, "how")
    return None, None, {}


def contact_update(envelope: EventEnvelope[Any]) -> tuple[str, str, dict[str, str], int] | None:
    """(subject, group, contact values, version) an identity event tells about a person.

    PreferencesChanged carries the person's own counter (newer wins); an email comes with
    a grant, an invitation or a CAM registration, ordered by when it happened."""
    data = envelope.data
    match data:
        case idn.PreferencesChangedData():
            values = _facts(
                data, "locale", "timezone", "date_format", "number_format", "default_currency"
            )
            return data.subject, "format", values, data.version
        case idn.AccessGrantedData() | idn.MemberInvitedData() | idn.CamRegisteredData():
            stamp = int(envelope.occurred_at.timestamp() * 1000)
            return data.subject, "email", {"email": data.email.strip().lower()}, stamp
    return None
