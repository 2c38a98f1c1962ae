"""The web portal in a real browser (issue 16): sign-in with TOTP, first login with a new
password and MFA enrolment, forgotten password, sign out, the account switcher, menus from
permissions, personalised formatting, the session-expired path; every page checked with
axe-core, by keyboard and at 375 px, and photographed."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from infra.local.cognito import strong_password
from infra.local.demo import ApiClient
from tests.e2e.test_identity_flows import (
    DEMO_ACCOUNT,
    RESET_CODE,
    Person,
    Portal,
    new_email,
    ok,
    onboard,
    temporary_password,
)
from tests.e2e.web.conftest import BrowserChecks, fresh_totp, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

OTHER_ACCOUNT = "Saigon Solar Trading JSC"
MY_PAGES = ["Profile and preferences", "Sign-in security", "Notifications", "Notification settings"]
TRADER_PAGES = ["Dashboard", "Trades", "Holdings", "Forward deals", "Retirements"]
TRADER_MENU = ["Overview", *TRADER_PAGES, "Usage and targets", "Documents", *MY_PAGES]
ADMIN_PAGES = ["Members", "Invitations", "Roles", "Audit log"]
ADMIN_ACCOUNT_PAGES = [*TRADER_PAGES, "Invoices and financials", "Usage and targets", "Documents"]


@pytest.fixture(scope="module")
def portal(local_runtime: dict[str, Any]) -> Portal:
    return Portal(local_runtime)


def as_user(
    portal: Portal, role: str, account: str = DEMO_ACCOUNT
) -> tuple[dict[str, Any], ApiClient]:
    user = portal.demo_user(role, account)
    token = portal.login(user["username"], user["password"], user["totp_secret"])
    return user, portal.identity(token)


def account_id_of(client: ApiClient, name: str) -> str:
    me = ok(client.get("/v1/me"))
    return str(next(m["account_id"] for m in me["memberships"] if m["account_name"] == name))


BREAK_ACCESS_TOKEN = """() => {
    const key = Object.keys(sessionStorage).find(k => k.endsWith('.accessToken'));
    const [header, payload, signature] = sessionStorage.getItem(key).split('.');
    const swapped = signature[10] === 'A' ? 'B' : 'A';
    const flipped = signature.slice(0, 10) + swapped + signature.slice(11);
    const broken = [header, payload, flipped].join('.');
    sessionStorage.setItem(key, broken);
    return [key, broken];
}"""


def menu(page: Page) -> list[str]:
    return page.get_by_role("navigation", name="Main").get_by_role("link").all_inner_texts()


def test_a_trader_signs_in_with_totp_and_sees_only_what_the_role_allows(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    trader, api = as_user(portal, "trader")
    account_id = account_id_of(api, DEMO_ACCOUNT)
    me = ok(api.get("/v1/me"))

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2F$"))
    checks.page_is_sound(page, "sign-in")
    page.get_by_label("Email address").fill(trader["username"])
    page.get_by_label("Password", exact=True).fill(trader["password"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Enter your authenticator code")).to_be_visible()
    checks.page_is_sound(page, "sign-in-totp")
    page.get_by_label("6-digit code").fill(fresh_totp(trader["totp_secret"]))
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(f"/accounts/{account_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_ACCOUNT)
    assert menu(page) == TRADER_MENU
    expect(page.get_by_test_id("role")).to_have_text("Trader")
    permissions = next(m["permissions"] for m in me["memberships"] if m["account_id"] == account_id)
    expect(page.get_by_test_id("permissions").get_by_role("listitem")).to_have_count(
        len(permissions)
    )
    assert page.evaluate("() => localStorage.length") == 0
    stored = page.evaluate("() => Object.keys(sessionStorage)")
    assert any(key.endswith(".accessToken") for key in stored)
    checks.page_is_sound(page, "overview")

    for name in ["Profile and preferences", "Sign-in security"]:
        page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        checks.page_is_sound(page, name.lower().replace(" ", "-"))

    page.goto(f"/accounts/{account_id}/members")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    checks.page_is_sound(page, "not-found")
    page.goto("/accounts/acc_not_mine")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()


def member_row(page: Page, username: str) -> Locator:
    """The members table's row for a person: the audit log also names people in rows, and
    it stays on screen until the members page replaces it."""
    members = page.get_by_role("table", name="Members of the account")
    return members.get_by_role("row", name=re.compile(re.escape(username)))


def test_an_account_admin_gets_the_people_pages_and_an_ended_session_comes_back(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    admin, api = as_user(portal, "admin")
    account_id = account_id_of(api, DEMO_ACCOUNT)
    trader = portal.demo_user("trader", DEMO_ACCOUNT)
    verification = ok(api.get(f"/v1/accounts/{account_id}/audit/verify"))

    page.goto(f"/accounts/{account_id}/members")
    sign_in(page, admin["username"], admin["password"], admin["totp_secret"])
    expect(page).to_have_url(re.compile(f"/accounts/{account_id}/members$"))
    assert menu(page) == ["Overview", *ADMIN_ACCOUNT_PAGES, *ADMIN_PAGES, *MY_PAGES]
    expect(member_row(page, trader["username"])).to_be_visible()
    checks.page_is_sound(page, "members")

    for name in ["Invitations", "Roles"]:
        page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        checks.page_is_sound(page, name.lower())
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    expect(page.get_by_test_id("audit-verification")).to_contain_text(
        f"The log is intact: {verification['checked']:,} entries checked"
    )
    checks.page_is_sound(page, "audit-log")

    # An access token the API refuses (here: its signature broken) is renewed silently
    # with the refresh token, and the request retried: the page loads, no sign-in.
    key, broken = page.evaluate(BREAK_ACCESS_TOKEN)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    expect(member_row(page, trader["username"])).to_be_visible()
    renewed = page.evaluate("(key) => sessionStorage.getItem(key)", key)
    assert renewed
    assert renewed != broken

    # The session ends (tokens gone, as when the refresh token is no longer accepted):
    # the next API call leads to the session-expired page, and signing in returns there.
    page.evaluate(
        "() => Object.keys(sessionStorage).filter(k => k.startsWith('CognitoIdentity'))"
        ".forEach(k => sessionStorage.removeItem(k))"
    )
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Roles").click()
    expect(page.get_by_role("heading", name="Your session has ended")).to_be_visible()
    checks.page_is_sound(page, "session-expired")
    page.get_by_role("link", name="Sign in again").click()
    sign_in(page, admin["username"], admin["password"], admin["totp_secret"])
    expect(page).to_have_url(re.compile(f"/accounts/{account_id}/roles$"))


def test_an_invited_person_sets_a_password_enrols_mfa_accepts_and_signs_out(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    _, admin = as_user(portal, "admin")
    account_id = account_id_of(admin, DEMO_ACCOUNT)
    email = new_email("web-invitee")
    ok(
        admin.post(
            f"/v1/accounts/{account_id}/invitations", json={"email": email, "role": "viewer"}
        ),
        201,
    )
    temporary = temporary_password(portal, email)

    page.goto("/signin")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(temporary)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    checks.page_is_sound(page, "first-login-new-password")
    password = strong_password()
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Repeat the new password").fill(password)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile("/me/invitations$"))
    checks.page_is_sound(page, "my-invitations")
    page.get_by_role("button", name=f"Accept and open {DEMO_ACCOUNT}").click()
    expect(page).to_have_url(re.compile(f"/accounts/{account_id}$"))
    expect(page.get_by_test_id("role")).to_have_text("Viewer")

    page.get_by_role("link", name="Sign-in security").click()
    page.get_by_role("button", name="Set up an authenticator app").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    checks.page_is_sound(page, "mfa-enrolment")
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    page.get_by_label("Code from the app").fill(fresh_totp(secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Your authenticator app is set up.")).to_be_visible()

    page.get_by_role("button", name=re.compile("^User menu for")).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile("/signin$"))
    assert not any(
        k.startswith("CognitoIdentity") for k in page.evaluate("() => Object.keys(sessionStorage)")
    )
    page.goto(f"/accounts/{account_id}")
    expect(page).to_have_url(re.compile("/signin\\?next="))
    sign_in(page, email, password, secret)
    expect(page).to_have_url(re.compile(f"/accounts/{account_id}$"))


def test_a_forgotten_password_is_reset_with_the_mailed_code(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    _, admin = as_user(portal, "admin")
    person: Person = onboard(
        portal, admin, account_id_of(admin, DEMO_ACCOUNT), "viewer", "web-forgot"
    )
    mails_before = len(portal.mail_to(person.email))

    page.goto("/signin")
    page.get_by_role("link", name="Forgot your password?").click()
    # The router keeps the sign-in page (with its own "Email address") on screen until the
    # lazily loaded page has arrived: fill only once it is there.
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    page.get_by_label("Email address").fill(person.email)
    checks.page_is_sound(page, "forgot-password")
    page.get_by_role("button", name="Email me a code").click()
    expect(page.get_by_label("Code from the email")).to_be_visible()
    [mail] = portal.mail_to(person.email)[mails_before:]
    code = RESET_CODE.search(mail["body"])
    assert code, mail["body"]
    new_password = strong_password()
    page.get_by_label("Code from the email").fill(code.group(1))
    page.get_by_label("New password").fill(new_password)
    checks.page_is_sound(page, "forgot-password-code")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible()

    page.get_by_role("link", name="Sign in", exact=True).click()
    sign_in(page, person.email, new_password)
    with pytest.raises(portal.cognito.exceptions.NotAuthorizedException):
        portal.login(person.email, person.password)  # USER_PASSWORD_AUTH checks passwords


def test_a_person_in_two_accounts_switches_between_them(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    _, nordic_admin = as_user(portal, "admin")
    _, saigon_admin = as_user(portal, "admin", OTHER_ACCOUNT)
    nordic = account_id_of(nordic_admin, DEMO_ACCOUNT)
    saigon = account_id_of(saigon_admin, OTHER_ACCOUNT)
    person = onboard(portal, nordic_admin, nordic, "admin", "web-two-accounts")
    ok(
        saigon_admin.post(
            f"/v1/accounts/{saigon}/invitations", json={"email": person.email, "role": "viewer"}
        ),
        201,
    )
    ok(
        portal.identity(portal.login(person.email, person.password)).post(
            f"/v1/me/invitations/{saigon}/accept"
        )
    )

    page.goto(f"/accounts/{nordic}/members")
    sign_in(page, person.email, person.password)
    switcher = page.get_by_label("Account", exact=True)
    expect(switcher).to_have_value(nordic)
    checks.page_is_sound(page, "members-with-account-switcher")

    switcher.select_option(label=OTHER_ACCOUNT)  # a viewer there: no members page, overview
    expect(page).to_have_url(re.compile(f"/accounts/{saigon}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(OTHER_ACCOUNT)
    assert "Members" not in menu(page)
    page.get_by_label("Account", exact=True).select_option(label=DEMO_ACCOUNT)
    expect(page).to_have_url(re.compile(f"/accounts/{nordic}$"))
    assert "Members" in menu(page)
    page.goto("/")
    expect(page).to_have_url(re.compile(f"/accounts/{nordic}$"))  # the last account looked at


def test_changing_locale_and_number_format_changes_how_amounts_and_dates_render(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    _, admin = as_user(portal, "admin")
    person = onboard(portal, admin, account_id_of(admin, DEMO_ACCOUNT), "viewer", "web-prefs")

    page.goto("/me/profile")
    sign_in(page, person.email, person.password)
    expect(page.get_by_test_id("current-amount")).to_have_text("€1,234,567.50")
    expect(page.get_by_test_id("current-datetime")).to_have_text("2026-12-31 23:30")

    page.get_by_label("Language and region").select_option("de-DE")
    page.get_by_label("Number format").select_option("1.234,56")
    page.get_by_label("Date format").select_option("DD.MM.YYYY")
    page.get_by_label("Time zone").fill("Europe/Amsterdam")
    expect(page.get_by_test_id("preview-amount")).to_have_text("1.234.567,50\u00a0€")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()

    expect(page.get_by_test_id("current-amount")).to_have_text("1.234.567,50\u00a0€")
    expect(page.get_by_test_id("current-datetime")).to_have_text("01.01.2027 00:30")
    assert page.evaluate("() => document.documentElement.lang") == "de-DE"
    checks.page_is_sound(page, "profile-personalised")
    page.reload()
    expect(page.get_by_test_id("current-amount")).to_have_text("1.234.567,50\u00a0€")
    saved = ok(
        portal.identity(portal.login(person.email, person.password)).get("/v1/me/preferences")
    )
    assert saved["values"]["number_format"] == "1.234,56"


def test_an_invalid_preference_is_refused_next_to_its_field(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    _, admin = as_user(portal, "admin")
    person = onboard(portal, admin, account_id_of(admin, DEMO_ACCOUNT), "viewer", "web-badprefs")
    page.goto("/me/profile")
    sign_in(page, person.email, person.password)
    page.get_by_label("Time zone").fill("Mars/Olympus_Mons")
    page.get_by_role("button", name="Save preferences").click()
    field = page.get_by_label("Time zone")
    expect(field).to_have_attribute("aria-invalid", "true")
    checks.page_is_sound(page, "profile-invalid-field")


SIGN_IN_AT = re.compile(r"Sign in at (\S+) with:")


def test_an_admin_invites_in_the_people_pages_and_the_invitee_onboards_from_the_mail(
    page: Page, portal: Portal, checks: BrowserChecks
) -> None:
    admin_user, admin = as_user(portal, "admin", OTHER_ACCOUNT)
    account_id = account_id_of(admin, OTHER_ACCOUNT)
    email = new_email("web-invited-admin")

    page.goto(f"/accounts/{account_id}/invitations")
    sign_in(page, admin_user["username"], admin_user["password"], admin_user["totp_secret"])
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Role").select_option(label="Administrator")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status").filter(has_text=email)).to_be_visible()
    checks.page_is_sound(page, "invitations-sent")

    # the invitation mail: the portal's address and a temporary password
    deadline = time.monotonic() + 30
    while not (mails := portal.mail_to(email)) and time.monotonic() < deadline:
        time.sleep(0.5)
    subject = f"Invitation to {OTHER_ACCOUNT} on the SCTS portal"
    [mail] = [m for m in mails if m["subject"] == subject]
    link = SIGN_IN_AT.search(mail["body"])
    assert link, mail["body"]
    assert link.group(1).rstrip("/") == portal.endpoints["web"].rstrip("/")
    temporary = temporary_password(portal, email)

    # the invitee, in a fresh session, follows the mail's link
    page.get_by_role("button", name=re.compile("^User menu for")).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile("/signin$"))
    page.goto(link.group(1))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(temporary)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    password = strong_password()
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Repeat the new password").fill(password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/me/invitations$"))
    page.get_by_role("button", name=f"Accept and open {OTHER_ACCOUNT}").click()
    expect(page).to_have_url(re.compile(f"/accounts/{account_id}$"))
    expect(page.get_by_test_id("role")).to_have_text("Administrator")

    # an administrator changes nothing before enrolling an authenticator app
    page.get_by_role("link", name="Sign-in security").click()
    page.get_by_role("button", name="Set up an authenticator app").click()
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    page.get_by_label("Code from the app").fill(fresh_totp(secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Your authenticator app is set up.")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(re.compile(f"/accounts/{account_id}/dashboard$"))
    token = portal.login(email, password, secret)
    summary = ok(portal.api("portfolio", token).get(f"/v1/accounts/{account_id}/summary"))
    active = page.get_by_test_id("holdings-active")
    expect(active).to_be_visible()
    shown = re.sub(r"\D", "", active.inner_text())
    assert shown == re.sub(r"\D", "", str(summary["holdings"]["active"]))
    checks.page_is_sound(page, "invited-admin-dashboard")
