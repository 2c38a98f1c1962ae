"""Where a notification points in the portal: its target (a page, the account, the record's
reference) and that target's path, the one mapping behind the inbox's `target`/`link`, the
email's link and the push payload's `url`.

The web app maps the same targets to its routes (`web/src/notifications/links.ts`); both
sides are tested against one table, `web/src/notifications/portal-links.json`, so a path
the service hands out is a page the portal has."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from services.notifications.models.domain import Kind, PortalPage

ACCOUNT_PAGES = {
    PortalPage.TRADE: "trades",
    PortalPage.INVOICE: "invoices",
    PortalPage.RETIREMENTS: "retirements",
    PortalPage.DOCUMENTS: "documents",
    PortalPage.ACCOUNT: "",
}
"""Pages of one account (under /accounts/<id>), with their path below it."""
PERSONAL_PAGES = {
    PortalPage.MY_INVITATIONS: "/me/invitations",
    PortalPage.SECURITY: "/me/security",
    PortalPage.HOME: "/",
}
URI_COMPONENT_SAFE = "!'()*"
"""What JavaScript's encodeURIComponent leaves as it is besides letters, digits and `-_.~`."""
WITH_REFERENCE = {PortalPage.TRADE, PortalPage.INVOICE}
"""Detail pages: the record's reference follows the list's path."""


@dataclass(frozen=True)
class Target:
    page: PortalPage
    account_id: str | None = None
    reference: str | None = None

    @property
    def path(self) -> str:
        """The portal path (relative to the portal's origin)."""
        if self.page in PERSONAL_PAGES:
            return PERSONAL_PAGES[self.page]
        base = f"/accounts/{quote(self.account_id or '', safe=URI_COMPONENT_SAFE)}"
        below = ACCOUNT_PAGES[self.page]
        path = f"{base}/{below}" if below else base
        if self.page in WITH_REFERENCE and self.reference:
            path += f"/{quote(self.reference, safe=URI_COMPONENT_SAFE)}"
        return path


def target(kind: Kind, facts: dict[str, str], account_id: str | None) -> Target:
    """The page a notice of this kind opens. An account page needs the account (a notice
    without one opens the home page); a detail page without a reference opens its list."""
    page, reference = _page(kind, facts)
    if page in PERSONAL_PAGES:
        return Target(page)
    if not account_id:
        return Target(PortalPage.HOME)
    if page in WITH_REFERENCE:
        return Target(page, account_id, reference or None)
    return Target(page, account_id)


def _page(kind: Kind, facts: dict[str, str]) -> tuple[PortalPage, str]:
    match kind:
        case Kind.TRADE_EXECUTED | Kind.TRADE_AMENDED | Kind.TRADE_CANCELLED:
            return PortalPage.TRADE, facts.get("reference", "")
        case Kind.DELIVERY_COMPLETED | Kind.DELIVERY_FAILED:
            return PortalPage.TRADE, facts.get("trade_reference", "")
        case Kind.RETIREMENT_COMPLETED:
            return PortalPage.RETIREMENTS, ""
        case Kind.INVOICE_ISSUED | Kind.INVOICE_PAID | Kind.INVOICE_OVERDUE:
            return PortalPage.INVOICE, facts.get("reference", "")
        case (
            Kind.TRADE_CONFIRMATION_AVAILABLE
            | Kind.BILLING_DOCUMENT_AVAILABLE
            | Kind.REDEMPTION_STATEMENT_AVAILABLE
            | Kind.MONTHLY_STATEMENT_AVAILABLE
        ):
            return PortalPage.DOCUMENTS, ""
        case Kind.ACCESS_INVITED:
            return PortalPage.MY_INVITATIONS, ""
        case Kind.ACCESS_ROLE_CHANGED:
            return PortalPage.ACCOUNT, ""
        case Kind.ACCESS_REMOVED | Kind.CAM_ASSIGNED:
            # no longer a member / staff (the staff console is another issue): home
            return PortalPage.HOME, ""
        case Kind.MFA_ENABLED | Kind.PASSWORD_CHANGED:
            return PortalPage.SECURITY, ""
    raise ValueError(f"no target for {kind}")
