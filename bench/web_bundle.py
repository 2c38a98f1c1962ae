"""The web portal's weight and speed: initial JavaScript (gzip) and sign-in to shell.

    .venv/bin/python -m bench.web_bundle                # the build only (make web first)
    .venv/bin/python -m bench.web_bundle --browser [--runs 5] [--endpoints .local/endpoints.json]

Size: the JavaScript a first visit loads before any route chunk (the entry module of
web/dist/index.html and what it imports statically, followed transitively), each file
gzipped at level 9; the budget is 250 kB. Every lazily loaded chunk is listed apart.

Speed (`--browser`, against a running `make run`): headless chromium signs in as the demo
trader (SRP + TOTP) through the sign-in page, `--runs` times in fresh profiles. Timed in the
browser with performance.now(): password submitted -> TOTP prompt shown, and TOTP code
submitted -> shell rendered (menu and account heading on screen, /v1/me and preferences
loaded). Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from infra.local.cognito import totp_code
from infra.local.runtime import REPO

DIST = REPO / "web" / "dist"
BUDGET_BYTES = 250 * 1024
CHROMIUM = "/usr/bin/chromium"
ENTRY = re.compile(r'<script[^>]+type="module"[^>]+src="/([^"]+)"')
STATIC_IMPORT = re.compile(r'(?:^|[;\s}])import\s*(?:[\w${}\s,*]+from\s*)?"\./([^"]+\.js)"')


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def initial_chunks(dist: Path) -> list[Path]:
    """The entry module and every chunk it imports statically (transitively)."""
    html = (dist / "index.html").read_text()
    found = ENTRY.search(html)
    if not found:
        raise SystemExit(f"{dist}/index.html has no module entry: run `make web`")
    pending, seen = [dist / found.group(1)], []
    while pending:
        chunk = pending.pop()
        if chunk in seen:
            continue
        seen.append(chunk)
        for name in STATIC_IMPORT.findall(chunk.read_text()):
            pending.append(chunk.parent / name)
    return seen


def report_size(dist: Path) -> None:
    initial = initial_chunks(dist)
    every = sorted((dist / "assets").glob("*.js"))
    lazy = [chunk for chunk in every if chunk not in initial]
    total = sum(gzipped(chunk) for chunk in initial)
    print("Initial JavaScript (gzip -9):")
    for chunk in initial:
        print(f"  {chunk.name:<40} {gzipped(chunk) / 1024:7.1f} kB")
    verdict = "within" if total <= BUDGET_BYTES else "OVER"
    print(f"  {'total':<40} {total / 1024:7.1f} kB  ({verdict} the 250 kB budget)")
    print(f"Lazily loaded chunks: {len(lazy)}, {sum(gzipped(c) for c in lazy) / 1024:.1f} kB gzip")
    for chunk in sorted(lazy, key=gzipped, reverse=True)[:5]:
        print(f"  {chunk.name:<40} {gzipped(chunk) / 1024:7.1f} kB")


MARK_SHELL = """() => {
  window.__shell = new Promise((resolve) => {
    const shown = () => document.querySelector('nav[aria-label="Main"]') &&
      document.querySelector('main h1');
    new MutationObserver((_, observer) => {
      if (shown()) { observer.disconnect(); resolve(performance.now()); }
    }).observe(document, {subtree: true, childList: true});
  });
  return performance.now();
}"""


def timed_sign_in(page: Any, user: dict[str, Any], mark: str, done: str) -> tuple[float, float]:
    """On the sign-in page: password -> TOTP prompt, and TOTP submitted -> what `mark`
    (a script returning now and arming a promise) resolves `done` to, in browser ms."""
    page.get_by_label("Email address").fill(user["username"])
    page.get_by_label("Password", exact=True).fill(user["password"])
    started = page.evaluate("() => performance.now()")
    page.keyboard.press("Enter")
    code = page.get_by_label("6-digit code")
    code.wait_for()
    prompted = page.evaluate("() => performance.now()")
    code.fill(totp_code(user["totp_secret"]))
    submitted = page.evaluate(mark)
    code.press("Enter")
    finished = page.evaluate(done)
    return prompted - started, finished - submitted


def sign_in_once(browser: Any, web: str, user: dict[str, Any]) -> tuple[float, float]:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(web + "/signin")
        return timed_sign_in(page, user, MARK_SHELL, "() => window.__shell")
    finally:
        context.close()


@contextmanager
def trader_browser(endpoints_file: Path) -> Iterator[tuple[Any, str, dict[str, Any]]]:
    """Headless Debian chromium, the web app's URL and the demo trader (with TOTP) of a
    running `make run`: what the sign-in benches drive."""
    from playwright.sync_api import sync_playwright

    endpoints = json.loads(endpoints_file.read_text())
    web = endpoints.get("web")
    if not web:
        raise SystemExit(f"{endpoints_file} has no `web`: is a current `make run` up?")
    user = next(u for u in endpoints["users"] if u["role"] == "trader" and u["totp_secret"])
    args = ["--disable-dev-shm-usage", "--disable-gpu"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            yield browser, web, user
        finally:
            browser.close()


def report_sign_in(endpoints_file: Path, runs: int) -> None:
    with trader_browser(endpoints_file) as (browser, web, user):
        timings = [sign_in_once(browser, web, user) for _ in range(runs)]
    password = [t[0] for t in timings]
    shell = [t[1] for t in timings]
    total = [a + b for a, b in timings]
    print(f"Sign-in as {user['username']} on {web}, {runs} runs (ms, median / max):")
    print(f"  password -> TOTP prompt     {statistics.median(password):7.0f} / {max(password):.0f}")
    print(f"  TOTP code -> shell rendered {statistics.median(shell):7.0f} / {max(shell):.0f}")
    print(f"  sign-in to shell (sum)      {statistics.median(total):7.0f} / {max(total):.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=DIST)
    parser.add_argument("--browser", action="store_true", help="also time sign-in to shell")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--endpoints", type=Path, default=REPO / ".local" / "endpoints.json")
    options = parser.parse_args()
    report_size(options.dist)
    if options.browser:
        report_sign_in(options.endpoints, options.runs)


if __name__ == "__main__":
    main()
