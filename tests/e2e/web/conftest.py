"""Browser tests of the web portal: Playwright driving Debian's chromium against the runtime
the test session starts (`local_runtime`), the SPA served by its web server.

Every page a test visits goes through `BrowserChecks.page_is_sound`: axe-core finds no
serious or critical violation, every interactive element is reachable with Tab, nothing
overflows a 375 px wide screen, and a screenshot lands in `.local/screenshots/`
(git-ignored). Any Content-Security-Policy refusal the page logs fails the test.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, ViewportSize, expect

from infra.local.cognito import totp_code
from infra.local.runtime import REPO

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "web" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / ".local" / "screenshots"
NARROW: ViewportSize = {"width": 375, "height": 812}
WIDE: ViewportSize = {"width": 1280, "height": 800}
BLOCKING_IMPACTS = ("serious", "critical")
FOCUSABLE = (
    "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), "
    "textarea:not([disabled]), [tabindex]:not([tabindex='-1'])"
)
STICKING_OUT = """(width) => {
    if (document.documentElement.scrollWidth <= width) return [];
    const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const inScroller = (el) => {
        for (let p = el.parentElement; p; p = p.parentElement) if (scrolls(p)) return true;
        return false;
    };
    const right = (el) => el.getBoundingClientRect().right;
    return [...document.body.querySelectorAll('*')]
        .filter(el => right(el) > width + 0.5 && !inScroller(el))
        .map(el => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(right(el))}px`)
        .slice(0, 5);
}"""
CSP_REFUSAL = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's chromium (Playwright cannot download its own here); as root it needs
    --no-sandbox."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `make install` installs Debian's chromium")
    args = ["--disable-dev-shm-usage", "--disable-gpu"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": args,
    }


@pytest.fixture(scope="session")
def base_url(local_runtime: dict[str, Any]) -> str:
    """The portal as `make run` serves it (pytest-base-url's fixture, used by `page`)."""
    return str(local_runtime["web"])


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: `make install` installs the web packages")
    return AXE.read_text()


class BrowserChecks:
    """What every page of the portal must pass, plus the console's CSP refusals."""

    def __init__(self, axe: str, node_id: str) -> None:
        self.axe = axe
        self.prefix = re.sub(r"[^A-Za-z0-9]+", "-", node_id.split("::")[-1]).strip("-")
        self.csp_refusals: list[str] = []
        self.checked: list[str] = []

    def watch(self, page: Page) -> None:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error" and CSP_REFUSAL.search(message.text):
                self.csp_refusals.append(message.text)

        page.on("console", on_console)

    def accessibility_violations(self, page: Page) -> list[str]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe)
        results = page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.map(v => ({id: v.id, impact: v.impact,
                    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}));
            }"""
        )
        return [
            f"{v['id']} ({v['impact']}): {v['nodes']}"
            for v in results
            if v["impact"] in BLOCKING_IMPACTS
        ]

    def unreachable_by_keyboard(self, page: Page) -> list[str]:
        """Interactive elements Tab never reaches (from the top of the page)."""
        count = page.evaluate(
            """(selector) => {
                const shown = [...document.querySelectorAll(selector)]
                    .filter(el => el.getClientRects().length > 0);
                shown.forEach((el, i) => el.setAttribute('data-kb', String(i)));
                return shown.length;
            }""",
            FOCUSABLE,
        )
        page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
        page.locator("body").focus()
        reached: set[str] = set()
        # a date field takes three Tab stops (day, month, year): allow more presses than
        # elements, stopping once every one was reached
        for _ in range(3 * count + 2):
            page.keyboard.press("Tab")
            marker = page.evaluate("() => document.activeElement?.getAttribute('data-kb')")
            if marker is not None:
                reached.add(marker)
            if len(reached) == count:
                break
        missing = page.evaluate(
            """(reached) => [...document.querySelectorAll('[data-kb]')]
                .filter(el => !reached.includes(el.getAttribute('data-kb')))
                .map(el => el.outerHTML.slice(0, 80))""",
            sorted(reached),
        )
        page.evaluate(
            "() => document.querySelectorAll('[data-kb]')"
            ".forEach(el => el.removeAttribute('data-kb'))"
        )
        return list(missing)

    def wider_than_narrow_screen(self, page: Page) -> list[str]:
        """Elements sticking out of a 375 px wide screen (none when the page fits; content
        of a horizontally scrolling box, such as a wide table, may extend inside it)."""
        page.set_viewport_size(NARROW)
        try:
            offenders: list[str] = page.evaluate(STICKING_OUT, NARROW["width"])
        finally:
            page.set_viewport_size(WIDE)
        return offenders

    def page_is_sound(self, page: Page, name: str) -> None:
        """axe, keyboard, 375 px, screenshot: assert all, naming the page."""
        page.wait_for_load_state("networkidle")
        expect(page.locator("[role=status].state-loading")).to_have_count(0)
        assert self.accessibility_violations(page) == [], f"{name}: axe"
        assert self.unreachable_by_keyboard(page) == [], f"{name}: keyboard"
        assert self.wider_than_narrow_screen(page) == [], f"{name}: wider than 375 px"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{self.prefix}--{name}.png"), full_page=True)
        self.checked.append(name)


@pytest.fixture
def checks(axe_source: str, request: pytest.FixtureRequest) -> Iterator[BrowserChecks]:
    checker = BrowserChecks(axe_source, request.node.nodeid)
    yield checker
    assert checker.csp_refusals == [], "the page broke its own Content-Security-Policy"


@pytest.fixture
def context(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    """A fresh browser profile per test (pytest-playwright's, at desktop size)."""
    created = browser.new_context(**{**browser_context_args, "viewport": WIDE})
    yield created
    created.close()


@pytest.fixture
def page(context: BrowserContext, checks: BrowserChecks) -> Page:
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    checks.watch(opened)
    return opened


TOTP_STEP_SECONDS = 30
TOTP_MIN_LIFETIME_SECONDS = 6.0
"""A code typed into the browser must outlive the trip through the SPA to moto, which
checks codes without a clock-skew window (a loaded machine can take seconds)."""


def fresh_totp(secret: str) -> str:
    """The current TOTP code, or the next one when the current expires within 6 s."""
    left = TOTP_STEP_SECONDS - time.time() % TOTP_STEP_SECONDS
    if left < TOTP_MIN_LIFETIME_SECONDS:
        time.sleep(left)
    return totp_code(secret)


def sign_in(page: Page, email: str, password: str, totp_secret: str | None = None) -> None:
    """Through the sign-in page, by keyboard: email, password, Enter; then the TOTP code."""
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.keyboard.press("Enter")
    if totp_secret is not None:
        code = page.get_by_label("6-digit code")
        code.fill(fresh_totp(totp_secret))
        code.press("Enter")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
