"""The staff console in a real browser (issue 17): the demo CAM's overview and read-only
staff view, the SCTS administrator's publishers (key shown once, pushed with, revoked ->
401), accounts (suspension seen by members, reactivation), account managers and the audit
trail. Every staff page goes through the harness's checks (axe-core, keyboard, 375 px,
screenshot in `.local/screenshots/`); confirmation dialogs through axe and a screenshot
(a modal dialog makes the page behind it unreachable by Tab on purpose)."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect

from infra.local.cognito import strong_password
from infra.local.demo import ApiClient
from infra.local.demo.records import counterparty
from tests.e2e.test_identity_flows import DEMO_ACCOUNT, Portal, new_email, ok, temporary_password
from tests.e2e.web.conftest import SCREENSHOTS, WIDE, BrowserChecks, fresh_totp, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

OTHER_ACCOUNT = "Saigon Solar Trading JSC"
EDIT_CONTROL = re.compile(
    r"^(Save|Edit|Invite|Send invitation|Remove|Delete|Withdraw|Revoke|Resend|Add|Cancel"
    r" invitation|Set up|Mark all|Archive|Accept)",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def portal(local_runtime: dict[str, Any]) -> Portal:
    return Portal(local_runtime)


def staff_user(portal: Portal, role: str) -> dict[str, Any]:
    return portal.demo_user(role)


def client_of(portal: Portal, user: dict[str, Any], service: str = "identity") -> ApiClient:
    token = portal.login(user["username"], user["password"], user.get("totp_secret"))
    return portal.api(service, token)


def accounts_by_name(portal: Portal) -> dict[str, str]:
    admin = client_of(portal, staff_user(portal, "scts-admin"))
    items = ok(admin.get("/v1/accounts", params={"limit": 200}))["items"]
    return {a["name"]: a["account_id"] for a in items}


def menu(page: Page) -> list[str]:
    return page.get_by_role("navigation", name="Main").get_by_role("link").all_inner_texts()


def open_menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def edit_controls(page: Page) -> list[str]:
    """Buttons that would change something, and role pickers: none in a staff view."""
    main = page.locator("main")
    buttons = [
        text.strip()
        for text in main.get_by_role("button").all_inner_texts()
        if EDIT_CONTROL.match(text.strip())
    ]
    pickers = main.locator("select[aria-label^='Role of']").count()
    return buttons + (["role picker"] * pickers)


def dialog_is_sound(page: Page, checks: BrowserChecks, name: str) -> None:
    """An open confirmation: axe finds nothing serious, and it is photographed."""
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    assert checks.accessibility_violations(page) == [], f"{name}: axe"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{checks.prefix}--{name}.png"))
    checks.checked.append(name)


def test_the_cam_sees_exactly_the_assigned_accounts_and_opens_one_read_only(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    cam = staff_user(portal, "cam")
    me = ok(client_of(portal, cam).get("/v1/me"))
    assigned = {a["name"]: a["account_id"] for a in me["cam_accounts"]}
    assert DEMO_ACCOUNT in assigned
    everyone = accounts_by_name(portal)
    unassigned = [account_id for name, account_id in everyone.items() if name not in assigned]
    assert unassigned, "the demo has an account the CAM does not manage"

    page.goto("/")
    sign_in(page, cam["username"], cam["password"], cam["totp_secret"])
    expect(page).to_have_url(re.compile("/staff/overview$"))
    overview = page.get_by_test_id("cam-overview")
    expect(overview).to_be_visible()
    names = overview.locator("tbody th").all_inner_texts()
    assert sorted(names) == sorted(assigned)
    checks.page_is_sound(page, "cam-overview")

    for column in ["Open forward volume", "Outstanding", "Overdue invoices", "Last activity"]:
        expect(overview.get_by_role("columnheader", name=re.compile(column))).to_be_visible()
    # sortable: the column header says its order and flips it
    header = overview.get_by_role("columnheader", name=re.compile("Active holdings"))
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")

    account_id = assigned[DEMO_ACCOUNT]
    overview.get_by_role("link", name=DEMO_ACCOUNT).click()
    expect(page).to_have_url(re.compile(f"/accounts/{account_id}$"))
    banner = page.get_by_test_id("staff-banner")
    expect(banner).to_contain_text("Staff view")
    expect(page.get_by_test_id("role")).to_have_text("Account manager (staff, read only)")
    checks.page_is_sound(page, "cam-staff-view-overview")

    pages = [
        link
        for link in menu(page)
        if link not in {"My accounts", "New account", "Overview"}
        and link
        not in {
            "Profile and preferences",
            "Sign-in security",
            "Notifications",
            "Notification settings",
        }
    ]
    assert {"Dashboard", "Trades", "Invoices and financials", "Members", "Audit log"} <= set(pages)
    for name in pages:
        open_menu(page, name)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_test_id("staff-banner")).to_be_visible()
        page.wait_for_load_state("networkidle")
        expect(page.locator("[role=status].state-loading")).to_have_count(0)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        assert edit_controls(page) == [], f"{name}: an edit control in the staff view"
        checks.page_is_sound(page, "cam-staff-view-" + name.lower().replace(" ", "-"))

    page.goto(f"/accounts/{unassigned[0]}")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.goto(f"/accounts/{unassigned[0]}/trades")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_test_id("staff-banner")).to_have_count(0)
    checks.page_is_sound(page, "cam-unassigned-not-found")
    page.goto("/staff/publishers")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()

    # A CAM creates an account (assigned to it at once) and invites its first admin.
    page.goto("/staff/new-account")
    checks.page_is_sound(page, "cam-new-account")
    name = f"Web CAM account {int(time.time())}"
    page.get_by_label("Account name").fill(name)
    page.get_by_label("First administrator's email").fill(new_email("web-first-admin"))
    with page.expect_request(
        lambda r: r.method == "POST" and r.url.endswith("/v1/accounts")
    ) as creation:
        page.get_by_role("button", name="Create account").click()
    assert creation.value.headers.get("idempotency-key")  # a second press: the same account
    results = page.get_by_test_id("action-result")
    expect(results.first).to_have_text(f"Account {name} created.")
    expect(results.nth(1)).to_contain_text("first administrator")
    open_menu(page, "My accounts")
    overview = page.get_by_test_id("cam-overview")
    deadline = time.monotonic() + 60
    while name not in overview.locator("tbody th").all_inner_texts():
        assert time.monotonic() < deadline, "the new account never reached the CAM overview"
        time.sleep(2)
        page.reload()
        expect(overview).to_be_visible()


def test_the_scts_admin_registers_a_publisher_sees_the_key_once_and_revokes_it(
    page: Page,
    context: BrowserContext,
    portal: Portal,
    checks: BrowserChecks,
    local_runtime: dict[str, Any],
) -> None:
    admin = staff_user(portal, "scts-admin")
    account_id = accounts_by_name(portal)[DEMO_ACCOUNT]
    ingest = local_runtime["ingest_apis"]["provisioning"]

    page.goto("/")
    sign_in(page, admin["username"], admin["password"], admin["totp_secret"])
    expect(page).to_have_url(re.compile("/staff/accounts$"))
    assert menu(page)[:5] == [
        "Accounts",
        "New account",
        "Account managers",
        "Publishers",
        "Audit trail",
    ]
    cam = staff_user(portal, "cam")
    demo_row = page.locator(f"tr[data-account='{account_id}']")
    expect(demo_row.get_by_test_id("account-cams")).not_to_have_text("none")
    expect(demo_row.get_by_test_id("account-status")).to_have_text("active")
    checks.page_is_sound(page, "admin-accounts")
    page.get_by_role("link", name=DEMO_ACCOUNT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_ACCOUNT)
    expect(page.get_by_test_id("assigned-cams")).to_contain_text(cam["username"])
    checks.page_is_sound(page, "admin-account")
    for name, shot in [
        ("Account managers", "admin-cams"),
        ("New account", "admin-new-account"),
    ]:
        open_menu(page, name)
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        checks.page_is_sound(page, shot)
    open_menu(page, "Audit trail")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    page.get_by_label("Account", exact=True).select_option(label=DEMO_ACCOUNT)
    expect(page.get_by_test_id("audit-verification")).to_contain_text("The log is intact")
    # staff actions across the platform: the demo's bootstrap created its accounts
    expect(page.get_by_test_id("staff-audit")).to_contain_text("account.create")
    expect(page.get_by_test_id("staff-audit")).to_contain_text(DEMO_ACCOUNT)
    checks.page_is_sound(page, "admin-audit")

    open_menu(page, "Publishers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Publishers")
    checks.page_is_sound(page, "admin-publishers")
    name = f"Web test publisher {int(time.time())}"
    page.get_by_label("Publisher name").fill(name)
    page.get_by_role("checkbox", name=DEMO_ACCOUNT).check()
    page.get_by_role("button", name="Register and issue a key").click()
    shown = page.get_by_test_id("key-once")
    expect(shown).to_contain_text("shown this once")
    key = page.get_by_test_id("issued-key").inner_text().strip()
    assert key.startswith("scts_pub_")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    shown.get_by_role("button", name="Copy the key").click()
    expect(shown.get_by_role("status")).to_have_text("Copied to the clipboard.")
    assert page.evaluate("() => navigator.clipboard.readText()") == key
    checks.page_is_sound(page, "admin-publisher-key-once")

    page.reload()
    expect(page.get_by_role("heading", level=2, name=name)).to_be_visible()
    expect(page.get_by_test_id("key-once")).to_have_count(0)
    assert key not in page.content()
    section = page.locator(f"section[data-publisher='{name}']")
    expect(section.get_by_test_id("key-last-used")).to_have_text("never")

    record = counterparty(f"STX-CP-WEB{int(time.time()) % 100000:05d}", account_id, name)
    pushed = requests.post(
        f"{ingest}/v1/counterparties",
        json={"records": [record]},
        headers={"x-api-key": key},
        timeout=30,
    )
    assert pushed.status_code < 300, pushed.text

    page.reload()
    section = page.locator(f"section[data-publisher='{name}']")
    expect(section.get_by_test_id("key-last-used")).not_to_have_text("never")
    section.get_by_role("button", name=re.compile("^Revoke")).click()
    dialog_is_sound(page, checks, "admin-revoke-key-dialog")
    expect(page.get_by_role("dialog")).to_contain_text("gets 401")
    page.get_by_role("dialog").get_by_role("button", name="Revoke the key").click()
    expect(page.get_by_test_id("action-result")).to_contain_text("is revoked")
    expect(section.get_by_test_id("key-state")).to_have_text("revoked")
    checks.page_is_sound(page, "admin-publisher-revoked")

    refused = requests.post(
        f"{ingest}/v1/counterparties",
        json={"records": [record]},
        headers={"x-api-key": key},
        timeout=30,
    )
    assert refused.status_code == 401, refused.text

    # provisioning's PublisherKeyRevoked reaches identity (outbox -> bus -> its consumer):
    # the staff audit trail names the revocation, the admin by email, the publisher by name
    open_menu(page, "Audit trail")
    revocation = (
        page.get_by_test_id("staff-audit")
        .locator("tr", has=page.get_by_role("rowheader", name="publisher.key.revoke"))
        .filter(has_text=name)
    )
    deadline = time.monotonic() + 60
    while revocation.count() == 0 and time.monotonic() < deadline:
        time.sleep(2)
        page.reload()
    expect(revocation).to_have_count(1)
    expect(revocation).to_contain_text(admin["username"])


def test_suspending_an_account_shows_its_members_the_suspended_state_until_reactivated(
    page: Page, browser: Browser, portal: Portal, checks: BrowserChecks
) -> None:
    admin = staff_user(portal, "scts-admin")
    member = portal.demo_user("viewer", OTHER_ACCOUNT)
    account_id = accounts_by_name(portal)[OTHER_ACCOUNT]

    member_page = browser.new_context(viewport=WIDE).new_page()
    member_page.set_default_timeout(20_000)
    checks.watch(member_page)
    member_page.goto(f"{portal.endpoints['web']}/accounts/{account_id}")
    sign_in(member_page, member["username"], member["password"], member.get("totp_secret"))
    expect(member_page.get_by_role("heading", level=1)).to_have_text(OTHER_ACCOUNT)

    page.goto("/staff/accounts")
    sign_in(page, admin["username"], admin["password"], admin["totp_secret"])
    row = page.locator(f"tr[data-account='{account_id}']")
    try:
        row.get_by_role("button", name=re.compile("^Suspend")).click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text("Every member is signed out")
        dialog.get_by_label("Reason (kept in the audit trail)").fill("Web test of suspension")
        dialog_is_sound(page, checks, "admin-suspend-dialog")
        dialog.get_by_role("button", name="Suspend the account").click()
        expect(page.get_by_test_id("action-result")).to_contain_text("is suspended")
        expect(row.get_by_test_id("account-status")).to_have_text("suspended")
        checks.page_is_sound(page, "admin-accounts-suspended")

        member_page.reload()
        expect(member_page.get_by_test_id("account-suspended")).to_be_visible()
        expect(member_page.get_by_role("heading", level=1)).to_have_text(
            "This account is suspended"
        )
        member_page.goto(f"{portal.endpoints['web']}/accounts/{account_id}/dashboard")
        expect(member_page.get_by_test_id("account-suspended")).to_be_visible()
        checks.page_is_sound(member_page, "member-account-suspended")
    finally:
        page.goto("/staff/accounts")
        row = page.locator(f"tr[data-account='{account_id}']")
        if row.get_by_test_id("account-status").inner_text() == "suspended":
            row.get_by_role("button", name=re.compile("^Reactivate")).click()
            dialog_is_sound(page, checks, "admin-reactivate-dialog")
            page.get_by_role("dialog").get_by_role("button", name="Reactivate the account").click()
            expect(page.get_by_test_id("action-result")).to_contain_text("is active again")
    expect(row.get_by_test_id("account-status")).to_have_text("active")

    member_page.goto(f"{portal.endpoints['web']}/accounts/{account_id}")
    expect(member_page.get_by_role("heading", level=1)).to_have_text(OTHER_ACCOUNT)
    expect(member_page.get_by_test_id("account-suspended")).to_have_count(0)
    member_page.context.close()


def test_a_new_cam_is_created_and_assigned_in_the_console_and_enrols_totp_before_anything(
    page: Page, browser: Browser, portal: Portal, checks: BrowserChecks
) -> None:
    admin = staff_user(portal, "scts-admin")
    email = new_email("web-cam")
    page.goto("/staff/cams")
    sign_in(page, admin["username"], admin["password"], admin["totp_secret"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Account managers")
    page.get_by_label("Name", exact=True).fill("Web Test CAM")
    page.get_by_label("Email (their STX Microsoft account)").fill(email)
    page.get_by_role("button", name="Add account manager").click()
    expect(page.get_by_test_id("action-result")).to_contain_text("is now an account manager")
    page.get_by_label("Account manager", exact=True).select_option(label=f"Web Test CAM ({email})")
    page.get_by_label("Account", exact=True).select_option(label=DEMO_ACCOUNT)
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_test_id("action-result")).to_contain_text("is assigned")
    row = page.get_by_test_id("cams").get_by_role("row", name=re.compile(re.escape(email)))
    expect(row).to_contain_text(DEMO_ACCOUNT)
    checks.page_is_sound(page, "admin-cams-assigned")

    temporary = temporary_password(portal, email)
    cam_page = browser.new_context(viewport=WIDE).new_page()
    cam_page.set_default_timeout(20_000)
    checks.watch(cam_page)
    cam_page.goto(f"{portal.endpoints['web']}/")
    cam_page.get_by_label("Email address").fill(email)
    cam_page.get_by_label("Password", exact=True).fill(temporary)
    cam_page.keyboard.press("Enter")
    password = strong_password()
    cam_page.get_by_label("New password", exact=True).fill(password)
    cam_page.get_by_label("Repeat the new password").fill(password)
    cam_page.keyboard.press("Enter")
    # not enrolled: the console walks the CAM through TOTP first, whatever the page
    expect(cam_page.get_by_test_id("staff-mfa-enrolment")).to_be_visible()
    expect(cam_page.get_by_test_id("cam-overview")).to_have_count(0)
    cam_page.get_by_role("button", name="Set up an authenticator app").click()
    expect(cam_page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    checks.page_is_sound(cam_page, "new-cam-mfa-enrolment")
    secret = cam_page.get_by_test_id("totp-secret").inner_text().strip()
    cam_page.get_by_label("Code from the app").fill(fresh_totp(secret))
    cam_page.get_by_role("button", name="Confirm").click()
    overview = cam_page.get_by_test_id("cam-overview")
    expect(overview).to_be_visible()
    deadline = time.monotonic() + 60
    while DEMO_ACCOUNT not in overview.locator("tbody th").all_inner_texts():
        assert time.monotonic() < deadline, "the assignment never reached the CAM overview"
        time.sleep(2)
        cam_page.reload()
        expect(overview).to_be_visible()

    # unassigned in the console (confirmed): the account is no longer the CAM's
    row.get_by_role("button", name=re.compile("^Unassign")).click()
    dialog_is_sound(page, checks, "admin-unassign-dialog")
    page.get_by_role("dialog").get_by_role("button", name="Unassign").click()
    expect(page.get_by_test_id("action-result")).to_contain_text("no longer manages")
    expect(row).not_to_contain_text(DEMO_ACCOUNT)
    account_id = accounts_by_name(portal)[DEMO_ACCOUNT]
    cam_page.goto(f"{portal.endpoints['web']}/accounts/{account_id}")
    expect(cam_page.get_by_role("heading", name="Page not found")).to_be_visible()
    cam_page.context.close()
