"""The counterparty pages of the web portal (issue 16) in a real browser, each figure checked
against what the service APIs answer the same person at the same moment: the dashboard
against the portfolio summary, a filtered trades list and its CSV against the trades API,
invoices (overdue marked) for a finance user, read-only targets for a viewer and field
errors for an editor, documents downloaded through the CDN, the bell's unread count.

Other e2e tests may add records for the demo accounts while these run, so every expected
value is read from the API right before the browser shows it (the demo book is large and
settled by the time the runtime reports ready). Every page goes through `page_is_sound`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from infra.local.demo import ApiClient
from tests.e2e.test_identity_flows import DEMO_ACCOUNT, Portal, ok
from tests.e2e.web.conftest import BrowserChecks, sign_in
from tests.e2e.web.test_web_portal import MY_PAGES, menu

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

OTHER_ACCOUNT = "Saigon Solar Trading JSC"
PAGE_SIZE = 50
"""What the portal asks the list APIs for per page."""
FINANCE_MENU = ["Overview", "Invoices and financials", "Documents", *MY_PAGES]


@pytest.fixture(scope="module")
def portal(local_runtime: dict[str, Any]) -> Portal:
    return Portal(local_runtime)


class Person:
    """A demo user: credentials for the browser, API clients with their own token."""

    def __init__(self, portal: Portal, role: str, account: str) -> None:
        self.user = portal.demo_user(role, account)
        token = portal.login(self.user["username"], self.user["password"], self.user["totp_secret"])
        self.portal = portal
        self.token = token
        me = ok(portal.identity(token).get("/v1/me"))
        self.account_id = str(
            next(m["account_id"] for m in me["memberships"] if m["account_name"] == account)
        )

    def api(self, service: str) -> ApiClient:
        return self.portal.api(service, self.token)

    def get(self, service: str, path: str, **params: Any) -> Any:
        return ok(self.api(service).get(path, params=params or None))

    def account(self, path: str) -> str:
        return f"/v1/accounts/{self.account_id}/{path}"

    def open(self, page: Page, path: str) -> None:
        """Open a page of the account, signing in on the way (TOTP where the role has it)."""
        page.goto(f"/accounts/{self.account_id}" + (f"/{path}" if path else ""))
        sign_in(page, self.user["username"], self.user["password"], self.user["totp_secret"])


def digits(text: str) -> str:
    """A figure as its digits only: how it is grouped and which decimal mark it uses
    depend on the person's preferences (another test may change them); the digits do not."""
    return re.sub(r"\D", "", text)


def figure(count: int) -> re.Pattern[str]:
    """A count as shown in any number format (digits, maybe grouped; "+" when capped)."""
    return re.compile(r"^" + r"\D?".join(str(count)) + r"\+?$")


def row_headers(table: Locator) -> list[str]:
    return [text.strip() for text in table.locator("tbody th[scope=row]").all_inner_texts()]


def all_pages(page: Page, table: str) -> list[str]:
    """The row headers of every page of a paged table, following "Next page"."""
    rows = row_headers(page.get_by_test_id(table))
    following = page.get_by_role("button", name="Next page")
    while following.count() and following.is_enabled():
        first = rows[-1]
        following.click()
        expect(page.get_by_test_id(table).locator("tbody th[scope=row]").last).not_to_have_text(
            first
        )
        rows += row_headers(page.get_by_test_id(table))
    return rows


def api_pages(person: Person, path: str, **query: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        answer = person.get(
            "portfolio", path, limit=PAGE_SIZE, **query, **({"cursor": cursor} if cursor else {})
        )
        items += answer["items"]
        cursor = answer["next_cursor"]
        if not cursor:
            return items


def test_a_trader_signs_in_with_totp_and_the_dashboard_equals_the_portfolio_summary(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    trader = Person(portal, "trader", DEMO_ACCOUNT)
    assert trader.user["totp_secret"], "the demo trader signs in with TOTP"
    summary = trader.get("portfolio", trader.account("summary"))
    by_technology = trader.get("portfolio", trader.account("holdings"), group_by="technology")

    trader.open(page, "dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    for bucket in ("active", "retired", "expired", "contracted_undelivered"):
        shown = page.get_by_test_id(f"holdings-{bucket}").inner_text()
        assert digits(shown) == digits(summary["holdings"][bucket]), bucket
    technologies = page.get_by_test_id("holdings-by-technology")
    assert row_headers(technologies) == [g["key"]["technology"] for g in by_technology["groups"]]
    years = page.get_by_test_id("trades-by-year").locator("tbody tr")
    expected = [
        (year["year"], status["trades"], status["volume_mwh"])
        for year in summary["trades_by_year"]
        for status in year["by_status"]
    ]
    assert years.count() == len(expected)
    for index, (year, trades, volume) in enumerate(expected):
        cells = years.nth(index).locator("th, td").all_inner_texts()
        assert (cells[0], digits(cells[2]), digits(cells[3])) == (
            str(year),
            str(trades),
            digits(volume),
        )
    coverage = page.get_by_test_id("coverage").locator("tbody tr")
    assert coverage.count() == len(summary["coverage"])
    expect(page.get_by_test_id("money")).to_have_count(0)  # a trader reads no billing
    checks.page_is_sound(page, "dashboard")

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Holdings").click()
    expect(page.get_by_test_id("holdings")).to_be_visible()
    checks.page_is_sound(page, "holdings")
    page.get_by_role("link", name=re.compile(r"^Batches")).first.click()
    expect(page.get_by_test_id("batches")).to_be_visible()
    checks.page_is_sound(page, "holdings-batches")
    for name, testid in [("Forward deals", "forward-deals"), ("Retirements", "retirements")]:
        nav.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        expect(page.get_by_test_id(testid)).to_be_visible()
        checks.page_is_sound(page, testid)


def test_a_trades_filter_shows_the_apis_rows_its_csv_has_them_too_and_a_trade_opens(
    page: Page, portal: Portal, checks: BrowserChecks, tmp_path: Path
) -> None:
    trader = Person(portal, "trader", DEMO_ACCOUNT)
    every = api_pages(trader, trader.account("trades"))
    technology = every[0]["technologies"][0]
    vintage = every[0]["vintage_from"]
    query = {"technology": technology, "vintage_from": vintage, "vintage_to": vintage}
    matching = [t["reference"] for t in api_pages(trader, trader.account("trades"), **query)]
    assert 0 < len(matching) < len(every), "the filter must pick some trades, not all"

    trader.open(page, "trades")
    expect(page.get_by_test_id("trades")).to_be_visible()
    checks.page_is_sound(page, "trades")
    page.get_by_label("Technology").fill(technology)
    page.get_by_label("Vintage from").fill(vintage)
    page.get_by_label("Vintage to").fill(vintage)
    page.get_by_label("Vintage to").press("Enter")
    expect(page).to_have_url(re.compile(f"technology={technology}"))
    # The unfiltered table stays on screen until the filtered list replaces it: wait for that.
    first_row = page.get_by_test_id("trades").locator("tbody th[scope=row]").first
    expect(first_row).to_have_text(matching[0])
    shown = all_pages(page, "trades")
    assert shown == matching

    with page.expect_download() as pending:
        page.get_by_role("button", name="Download CSV").click()
    saved = tmp_path / "trades.csv"
    pending.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert sorted(row["reference"] for row in rows) == sorted(matching)

    reference = matching[0]
    detail = trader.get("portfolio", trader.account(f"trades/{reference}"))
    page.get_by_role("link", name=reference, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Trade {reference}")
    versions = page.get_by_test_id("trade-versions").locator("tbody tr")
    expect(versions).to_have_count(len(detail["versions"]))
    expect(page.get_by_role("heading", name="Documents")).to_be_visible()
    checks.page_is_sound(page, "trade-detail")


def test_a_finance_user_sees_invoices_with_overdue_marked_and_no_trades_menu(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    finance = Person(portal, "finance", DEMO_ACCOUNT)
    first = finance.get("portfolio", finance.account("invoices"), limit=PAGE_SIZE)["items"]
    overdue = {i["reference"] for i in first if i["status"] == "overdue"}
    assert overdue, "the demo book has overdue invoices"

    finance.open(page, "invoices")
    assert menu(page) == FINANCE_MENU
    table = page.get_by_test_id("invoices")
    expect(table.locator("tbody tr")).to_have_count(len(first))
    marked = table.locator("tbody tr.overdue")
    assert {marked.nth(i).get_attribute("data-reference") for i in range(marked.count())} == overdue
    expect(marked.get_by_text("Overdue", exact=True)).to_have_count(len(overdue))
    financials = finance.get("portfolio", finance.account("financials"))
    expect(page.get_by_test_id("financials").locator("tbody tr")).to_have_count(
        len(financials["currencies"])
    )
    checks.page_is_sound(page, "invoices")

    page.get_by_label("State").select_option("overdue")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"state=overdue"))
    expect(table.locator("tbody tr:not(.overdue)")).to_have_count(0)

    reference = next(iter(overdue))
    table.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Invoice {reference}")
    invoice = finance.get("portfolio", finance.account(f"invoices/{reference}"))
    facts = page.get_by_test_id("invoice-facts")
    expect(facts.get_by_text("Overdue", exact=True)).to_be_visible()
    expect(page.get_by_test_id("invoice-lines").locator("tbody tr")).to_have_count(
        len(invoice["lines"])
    )
    checks.page_is_sound(page, "invoice-detail")

    page.goto(f"/accounts/{finance.account_id}/trades")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()


def test_a_viewer_cannot_edit_targets_and_an_editor_sees_the_apis_field_errors(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    admin = Person(portal, "admin", OTHER_ACCOUNT)
    name = "Renewable share 2030"
    target = {
        "name": name,
        "kind": "renewable_share",
        "base_year": 2024,
        "base_renewable_share_percent": "20",
        "target_year": 2030,
        "target_renewable_share_percent": "80",
        "milestones": [],
        "net_zero_date": None,
    }
    ok(admin.api("portfolio").put(admin.account("usage/targets/web-e2e"), json=target))
    viewer = Person(portal, "viewer", OTHER_ACCOUNT)
    refused = viewer.api("portfolio").put(viewer.account("usage/targets/web-e2e"), json=target)
    assert refused.status_code == 403

    viewer.open(page, "usage")
    targets = page.get_by_test_id("targets")
    expect(targets.get_by_role("rowheader", name=name)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Edit"))).to_have_count(0)
    expect(page.get_by_role("button", name="Add a target")).to_have_count(0)
    checks.page_is_sound(page, "usage-read-only")

    page.context.clear_cookies()
    page.evaluate("() => sessionStorage.clear()")
    admin.open(page, "usage")
    page.get_by_role("button", name=f"Edit {name}").click()
    share = page.get_by_label("Target renewable share (%)")
    share.fill("150")
    page.get_by_role("button", name="Save target").click()
    expect(share).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-error")).to_contain_text("less than or equal to 100")
    checks.page_is_sound(page, "usage-field-error")
    share.fill("85")
    page.get_by_role("button", name="Save target").click()
    expect(page.get_by_role("status").filter(has_text="saved")).to_be_visible()
    saved = admin.get("portfolio", admin.account("usage"))["targets"]
    edited = next(t for t in saved if t["target_id"] == "web-e2e")
    assert Decimal(edited["target_renewable_share_percent"]) == Decimal("85")


def test_documents_are_listed_and_one_downloads_through_the_cdn(
    page: Page, portal: Portal, checks: BrowserChecks, tmp_path: Path
) -> None:
    trader = Person(portal, "trader", DEMO_ACCOUNT)
    listed = trader.get("documents", trader.account("documents"), limit=PAGE_SIZE)["items"]
    assert listed, "the demo produced documents"

    trader.open(page, "documents")
    table = page.get_by_test_id("documents")
    expect(table.locator("tbody tr")).to_have_count(len(listed))
    assert row_headers(table) == [d["title"] for d in listed]
    checks.page_is_sound(page, "documents")

    first = next(d for d in listed if d["status"] == "available")
    with page.expect_download() as pending:
        table.get_by_role("button", name=f"Download {first['file_name']}").click()
    download = pending.value
    assert download.url.startswith(portal.endpoints["documents_cdn"])
    saved = tmp_path / first["file_name"]
    download.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == first["sha256"]

    page.get_by_label("Kind").select_option("trade_confirmation")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile("kind=trade_confirmation"))
    kinds = table.locator("tbody tr td:nth-child(2)")
    expect(kinds.first).to_have_text("Trade confirmation")
    assert set(kinds.all_inner_texts()) == {"Trade confirmation"}


def test_the_bell_shows_the_apis_unread_count_and_follows_the_inbox(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    trader = Person(portal, "trader", OTHER_ACCOUNT)

    def counted() -> int:
        return int(trader.get("notifications", "/v1/me/notifications/unread-count")["unread"])

    trader.open(page, "")
    bell = page.get_by_test_id("unread-count")
    unread = _bell_agrees(bell, counted)  # tests running beside this one may notify the trader
    page.get_by_test_id("bell").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    checks.page_is_sound(page, "notifications")
    first_unread = page.get_by_role("button", name=re.compile("^Mark as read")).first
    if unread:
        before = counted()
        first_unread.click()
        # the click's request completes after the click returns: wait for the API to count it
        deadline = time.monotonic() + 15
        while (after := counted()) != before - 1 and time.monotonic() < deadline:
            time.sleep(0.25)
        assert after == before - 1
        _bell_agrees(bell, counted)

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Notification settings"
    ).click()
    expect(page.get_by_test_id("preferences-matrix")).to_be_visible()
    checks.page_is_sound(page, "notification-settings")


def _bell_agrees(bell: Locator, counted: Callable[[], int]) -> int:
    """The count the bell and the API agree on. The bell reads the count on each page and
    after each change made in the inbox; another test's notice arriving in between makes
    them differ, so the page is read again until they agree."""
    deadline = time.monotonic() + 20
    while True:
        count = counted()
        if figure(count).match(bell.inner_text()) or time.monotonic() > deadline:
            break
        bell.page.reload()
        time.sleep(0.5)
    expect(bell).to_have_text(figure(count))
    return count


def _first_with(person: Person, category: str, page: str) -> dict[str, Any] | None:
    """The newest inbox item of the category whose target is that page (first 100 looked at)."""
    items = person.get("notifications", "/v1/me/notifications", category=category, limit=100)
    return next((n for n in items["items"] if n["target"]["page"] == page), None)


def _follow(page: Page, item: dict[str, Any], category: str) -> None:
    page.goto(f"/me/notifications?category={category}")
    link = page.get_by_test_id("inbox-link").filter(has_text=item["title"]).first
    expect(link).to_have_attribute("href", item["link"])
    link.click()
    expect(page).to_have_url(re.compile(re.escape(item["link"]) + "$"))


def test_an_inbox_item_opens_the_page_it_is_about(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    trader = Person(portal, "trader", OTHER_ACCOUNT)
    trade = _first_with(trader, "trades", "trade")
    assert trade, "the demo book tells the trader of trades"
    assert trade["target"]["account_id"] == trader.account_id
    reference = trade["target"]["reference"]
    assert trade["link"] == f"/accounts/{trader.account_id}/trades/{reference}"

    trader.open(page, "")
    _follow(page, trade, "trades")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Trade {reference}")
    expect(page.get_by_test_id("trade-facts")).to_be_visible()
    # following an unread item reads it
    if not trade["read"]:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            again = trader.get("notifications", f"/v1/me/notifications/{trade['notification_id']}")
            if again["read"]:
                break
            time.sleep(0.25)
        assert again["read"]

    documents = _first_with(trader, "documents", "documents")
    if documents:
        _follow(page, documents, "documents")
        expect(page.get_by_role("heading", level=1)).to_have_text("Documents")


def _lot(key: dict[str, Any]) -> str:
    dims = ("scheme", "registry_account", "technology", "country", "vintage")
    return " · ".join(key[d] or "—" for d in dims)


def test_the_reconciliation_page_shows_the_apis_lots_and_its_verdict(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    trader = Person(portal, "trader", DEMO_ACCOUNT)
    trader.open(page, "holdings")
    page.get_by_role("link", name="Reconciliation over a period").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Holdings reconciliation")
    expect(page.get_by_test_id("reconciliation-summary")).to_be_visible()
    checks.page_is_sound(page, "holdings-reconciliation")

    today = time.strftime("%Y-%m-%d", time.gmtime())
    date_from = f"{int(today[:4]) - 1}-01-01"
    page.get_by_label("From").fill(date_from)
    page.get_by_label("To").fill(today)
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(f"date_from={date_from}&date_to={today}"))
    expect(page.get_by_test_id("reconciliation-period")).to_contain_text("to")
    answer = trader.get(
        "portfolio",
        trader.account("holdings/reconciliation"),
        date_from=date_from,
        date_to=today,
    )
    assert answer["lots"], "the demo book has lots in the last year"
    table = page.get_by_test_id("reconciliation")
    expect(table.locator("tbody tr")).to_have_count(len(answer["lots"]))
    assert row_headers(table) == [_lot(lot["key"]) for lot in answer["lots"]]
    shown = [
        [digits(cell) for cell in row.locator("td.number").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]
    flows = ("opening", "delivered_in", "delivered_out", "retired", "closing")
    assert shown == [[str(lot[f]) for f in flows] for lot in answer["lots"]]
    results = table.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.reconciled)")
    assert results == [str(lot["reconciled"]).lower() for lot in answer["lots"]]
    summary = page.get_by_test_id("reconciliation-summary")
    if answer["reconciled"]:
        expect(summary).to_contain_text("Reconciled.")
    else:
        first = next(lot for lot in answer["lots"] if not lot["reconciled"])
        expect(summary).to_contain_text("Not reconciled.")
        expect(page.get_by_test_id("first-unreconciled")).to_have_text(_lot(first["key"]))
    checks.page_is_sound(page, "holdings-reconciliation-period")
    # one filter form, showing the address's filters (after Clear: none)
    expect(page.get_by_role("search")).to_have_count(1)
    page.get_by_role("button", name="Clear").click()
    expect(page).not_to_have_url(re.compile("date_from"))
    expect(page.get_by_label("From")).to_have_value("")
    expect(page.get_by_role("search")).to_have_count(1)


def test_consumption_records_are_edited_by_editors_only_with_the_apis_field_errors(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    admin = Person(portal, "admin", OTHER_ACCOUNT)
    site, start = "web-e2e-site", "2026-01-01"
    record = {
        "site_name": "Web e2e plant",
        "country": "VN",
        "period_end": "2026-02-01",
        "consumption_mwh": "123.456",
        "source": "meter",
    }
    key = admin.account(f"usage/consumption/{site}/{start}")
    ok(admin.api("portfolio").put(key, json=record))
    viewer = Person(portal, "viewer", OTHER_ACCOUNT)
    assert viewer.api("portfolio").put(key, json=record).status_code == 403

    viewer.open(page, "usage")
    table = page.get_by_test_id("consumption")
    row = table.locator(f'tr[data-key="{site}/{start}"]')
    expect(row).to_be_visible()
    assert digits(row.locator("td.number").inner_text()) == "123456"
    expect(page.get_by_role("button", name=re.compile("^(Edit|Delete) Web e2e"))).to_have_count(0)
    expect(page.get_by_role("button", name="Add a consumption record")).to_have_count(0)
    checks.page_is_sound(page, "usage-consumption-read-only")

    page.context.clear_cookies()
    page.evaluate("() => sessionStorage.clear()")
    admin.open(page, "usage")
    row.get_by_role("button", name=re.compile("^Edit")).click()
    amount = page.get_by_label("Consumption (MWh)")
    amount.fill("-5")
    page.get_by_role("button", name="Save consumption").click()
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-error")).to_contain_text("greater than 0")
    checks.page_is_sound(page, "usage-consumption-field-error")
    amount.fill("150.5")
    page.get_by_role("button", name="Save consumption").click()
    expect(page.get_by_test_id("consumption-status")).to_contain_text("saved")
    saved = admin.get("portfolio", admin.account("usage/consumption"), limit=200)["items"]
    edited = next(r for r in saved if (r["site_id"], r["period_start"]) == (site, start))
    assert Decimal(edited["consumption_mwh"]) == Decimal("150.5")
    assert digits(row.locator("td.number").inner_text()) == "150500"
    assert edited["updated_by_email"] == admin.user["username"]
    expect(row).to_contain_text(f"by {admin.user['username']}")  # a person, not a Cognito id

    row.get_by_role("button", name=re.compile("^Delete")).click()
    expect(page.get_by_role("alertdialog")).to_contain_text("Web e2e plant")
    checks.page_is_sound(page, "usage-consumption-delete")
    page.get_by_role("button", name="Delete it").click()
    expect(page.get_by_test_id("consumption-status")).to_contain_text("deleted")
    expect(row).to_have_count(0)
    left = admin.get("portfolio", admin.account("usage/consumption"), limit=200)["items"]
    assert (site, start) not in {(r["site_id"], r["period_start"]) for r in left}
