"""What each kind of notice says: a title and fact lines, in the person's style. The words
are English for every locale (translations would plug in here); numbers, amounts,
volumes, dates and times follow the person's own formats."""

from __future__ import annotations

from dataclasses import dataclass

from services.notifications.logic import formatting as fmt
from services.notifications.models.domain import Contact, Kind

SIDE = {"buy": "Bought", "sell": "Sold"}
UPDATED_FACT = "updated"
"""Set on an invoice told before (intake): its new version is "updated", not "issued"."""


@dataclass(frozen=True)
class Wording:
    title: str
    summary: str
    lines: list[tuple[str, str]]


def _f(facts: dict[str, str], name: str) -> str:
    return facts.get(name) or ""


def wording(
    kind: Kind, facts: dict[str, str], account_name: str | None, contact: Contact
) -> Wording:
    account = account_name or "your account"
    ref = _f(facts, "reference")
    match kind:
        case Kind.TRADE_EXECUTED | Kind.TRADE_AMENDED | Kind.TRADE_CANCELLED:
            verb = {"trade_executed": "executed", "trade_amended": "amended"}.get(
                kind.value, "cancelled"
            )
            lines = [
                ("Side", SIDE.get(_f(facts, "side"), _f(facts, "side"))),
                ("Volume", fmt.volume(_f(facts, "volume_mwh"), contact)),
                ("Scheme", _f(facts, "scheme")),
                ("Unit price", fmt.money(_f(facts, "unit_price"), _f(facts, "currency"), contact)),
                ("Total", fmt.money(_f(facts, "total"), _f(facts, "currency"), contact)),
                ("Trade date", fmt.day(_f(facts, "trade_date"), contact)),
                ("Delivery date", fmt.day(_f(facts, "delivery_date"), contact)),
            ]
            if kind is Kind.TRADE_CANCELLED and _f(facts, "cancellation_reason"):
                lines.append(("Reason", _f(facts, "cancellation_reason")))
            summary = (
                f"{SIDE.get(_f(facts, 'side'), 'Traded')} {lines[1][1]} of {_f(facts, 'scheme')}."
            )
            return Wording(f"Trade {ref} {verb}", summary, lines)
        case Kind.DELIVERY_COMPLETED | Kind.DELIVERY_FAILED:
            failed = kind is Kind.DELIVERY_FAILED
            lines = [
                ("Trade", _f(facts, "trade_reference")),
                ("Volume", fmt.volume(_f(facts, "volume_mwh"), contact)),
                ("Delivery date", fmt.day(_f(facts, "delivery_date"), contact)),
            ]
            if failed:
                lines.append(("Reason", _f(facts, "failure_reason") or "not given"))
            title = f"Delivery {ref} {'failed' if failed else 'completed'}"
            return Wording(title, f"{lines[1][1]} for trade {lines[0][1]}.", lines)
        case Kind.RETIREMENT_COMPLETED:
            lines = [
                ("Volume", fmt.volume(_f(facts, "volume_mwh"), contact)),
                ("Beneficiary", _f(facts, "beneficiary_name")),
                ("Retired on", fmt.day(_f(facts, "retired_on"), contact)),
                ("Reporting year", _f(facts, "reporting_year")),
            ]
            return Wording(
                f"Retirement {ref} completed",
                f"{lines[0][1]} retired.",
                lines,
            )
        case Kind.INVOICE_ISSUED | Kind.INVOICE_PAID | Kind.INVOICE_OVERDUE:
            state = {"invoice_issued": "issued", "invoice_paid": "paid"}.get(kind.value, "overdue")
            if state == "issued" and _f(facts, UPDATED_FACT):
                state = "updated"
            amount = fmt.money(_f(facts, "gross_amount"), _f(facts, "currency"), contact)
            due = fmt.day(_f(facts, "due_date"), contact)
            lines = [("Amount", amount), ("Due date", due)]
            return Wording(f"Invoice {ref} {state}", f"{amount}, due {due}.", lines)
        case (
            Kind.TRADE_CONFIRMATION_AVAILABLE
            | Kind.BILLING_DOCUMENT_AVAILABLE
            | Kind.REDEMPTION_STATEMENT_AVAILABLE
            | Kind.MONTHLY_STATEMENT_AVAILABLE
        ):
            title = _f(facts, "title") or "A document"
            lines = [("Document", title), ("Issued on", fmt.day(_f(facts, "issued_on"), contact))]
            return Wording(f"New document: {title}", f"Available in {account}.", lines)
        case Kind.ACCESS_INVITED:
            return Wording(
                f"You are invited to {account}",
                f"Role: {_f(facts, 'role')}.",
                [("Role", _f(facts, "role"))],
            )
        case Kind.ACCESS_ROLE_CHANGED:
            return Wording(
                f"Your role in {account} changed",
                f"You are now {_f(facts, 'role')}.",
                [("Role", _f(facts, "role"))],
            )
        case Kind.ACCESS_REMOVED:
            return Wording(
                f"You no longer have access to {account}",
                "An administrator of the account removed your access.",
                [],
            )
        case Kind.CAM_ASSIGNED:
            return Wording(f"You manage {account}", "You are now an account manager of it.", [])
        case Kind.MFA_ENABLED:
            return Wording(
                "Two-step sign-in is on",
                "An authenticator app now protects your sign-in. Not you? Contact SCTS at once.",
                [],
            )
        case Kind.PASSWORD_CHANGED:
            return Wording(
                "Your password was changed",
                "Your password was reset with an emailed code. Not you? Contact SCTS at once.",
                [],
            )
    raise ValueError(f"no wording for {kind}")
