"""The monthly statement run: for every account with facts, the statement of one month.

Started by the schedule (the 1st of each month, for the month that ended) or by an SCTS
administrator for a given month (the same queue, the same code). A run is idempotent: a
statement whose content did not change is not written again (same SHA-256); one whose
facts changed since (a late delivery) becomes the next version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from common.errors import invalid
from services.documents.logic import issuing, kinds
from services.documents.logic.ports import Ports
from services.documents.logic.statement_figures import (
    Month,
    figures,
    layout,
    statement_title,
)
from services.documents.models.domain import DocumentKind, DocumentVersion, Draft
from services.documents.models.facts import FactKind, PartyFact

STATEMENT_FACTS = (
    FactKind.PARTY,
    FactKind.TRADE,
    FactKind.DELIVERY,
    FactKind.RETIREMENT,
    FactKind.INVOICE,
)
EARLIEST_MONTH = Month(2000, 1)


@dataclass
class RunResult:
    month: str
    accounts: int = 0
    issued: list[str] = field(default_factory=list)
    unchanged: int = 0
    without_activity: int = 0


def month_of_request(message: dict[str, object], today: date) -> Month:
    """The month a run message asks for: `month` (YYYY-MM) when given, else the month
    before the scheduled time's."""
    asked = message.get("month")
    if isinstance(asked, str):
        return requested_month(asked, today)
    scheduled = message.get("scheduled_time")
    if not isinstance(scheduled, str):
        raise ValueError("a statements run names a month or its scheduled time")
    return Month.before(datetime.fromisoformat(scheduled.replace("Z", "+00:00")).date())


def requested_month(text: str, today: date) -> Month:
    """A month that has ended (a statement of a running month would change under it)."""
    try:
        month = Month.parse(text)
        first = month.first
    except ValueError as exc:
        raise invalid("body.month", "must be a month as YYYY-MM") from exc
    if first < EARLIEST_MONTH.first or first.year >= date.max.year or month.next_first > today:
        raise invalid("body.month", "must be a month that has ended")
    return month


def statement_for(
    ports: Ports, account_id: str, month: Month, correlation_id: str
) -> DocumentVersion | bool | None:
    """Issue the account's statement of `month`: the new version, None when unchanged,
    False when the account had nothing by the month's end."""
    facts = ports.facts.of_account(account_id, STATEMENT_FACTS)
    counted = figures(account_id, month, facts)
    if not counted.has_activity:
        return False
    parties = sorted(
        (f for f in facts if f.kind is FactKind.PARTY), key=lambda f: (f.reference, -f.version)
    )
    party: PartyFact | None = parties[0].parsed() if parties else None
    document_id = kinds.statement_id(str(month))
    shown = layout(counted, party)

    def draft(version: int) -> Draft:
        return Draft(
            account_id=account_id,
            document_id=document_id,
            version=version,
            kind=DocumentKind.MONTHLY_STATEMENT,
            title=statement_title(month)
            if version == 1
            else f"{statement_title(month)} (version {version})",
            related_reference=str(month),
            issued_on=month.next_first,
            file_name=issuing.file_name_for(document_id, version),
            layout=shown,
        )

    return issuing.issue_if_changed(ports, draft, correlation_id)


def run(ports: Ports, month: Month, correlation_id: str) -> RunResult:
    result = RunResult(month=str(month))
    for account_id in ports.facts.accounts():
        result.accounts += 1
        outcome = statement_for(ports, account_id, month, correlation_id)
        if outcome is False:
            result.without_activity += 1
        elif outcome is None:
            result.unchanged += 1
        else:
            assert isinstance(outcome, DocumentVersion)
            result.issued.append(account_id)
    return result
