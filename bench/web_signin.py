"""Sign-in to a rendered dashboard in the browser, against a running `make run`.

    .venv/bin/python -m bench.web_signin [--runs 20] [--endpoints .local/endpoints.json]

Headless chromium (Debian's, as the browser tests drive it) opens the demo trader's
dashboard deep link in a fresh profile each run, is sent to the sign-in page, and signs in
as a person does: email, password, Enter; the TOTP code, Enter. Timed in the page with
performance.now() (one document: the SPA never reloads):

- password submitted -> TOTP prompt on screen (SRP with Cognito),
- TOTP submitted -> dashboard rendered: its heading, the holdings table's figures and no
  loading state left (the session, /v1/me, preferences, the dashboard chunk and the
  portfolio summary all loaded),
- the sum: sign-in to a rendered dashboard.

Prints p50 / p95 / max over the runs (ms) after one warm-up run that is not counted;
figures only, no assertions. `bench.web_bundle --browser` times sign-in to the shell.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path
from typing import Any

from bench.web_bundle import timed_sign_in, trader_browser
from infra.local.cognito import totp_code
from infra.local.runtime import REPO

MARK_DASHBOARD = """() => {
  window.__dashboard = new Promise((resolve) => {
    const rendered = () =>
      document.querySelector('nav[aria-label="Main"]') &&
      document.querySelector('[data-testid="holdings-by-status"]') &&
      !document.querySelector('.state-loading');
    const check = (observer) => {
      if (rendered()) { observer.disconnect(); resolve(performance.now()); }
    };
    const observer = new MutationObserver(() => check(observer));
    observer.observe(document, {subtree: true, childList: true, characterData: true});
  });
  return performance.now();
}"""


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (small samples: p95 of 20 runs is the 19th)."""
    ranked = sorted(values)
    rank = max(1, -(-len(ranked) * share // 1))
    return ranked[int(rank) - 1]


def sign_in_once(browser: Any, web: str, user: dict[str, Any], path: str) -> tuple[float, float]:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(web + path)
        timings = timed_sign_in(page, user, MARK_DASHBOARD, "() => window.__dashboard")
        if "/dashboard" not in page.url:
            raise SystemExit(f"signed in but not on the dashboard: {page.url}")
        return timings
    finally:
        context.close()


def dashboard_path(browser: Any, web: str, user: dict[str, Any]) -> str:
    """The trader's first account's dashboard (where "/" lands is the account overview)."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(web + "/")
        page.get_by_label("Email address").fill(user["username"])
        page.get_by_label("Password", exact=True).fill(user["password"])
        page.keyboard.press("Enter")
        code = page.get_by_label("6-digit code")
        code.fill(totp_code(user["totp_secret"]))
        code.press("Enter")
        page.wait_for_url("**/accounts/**")
        account = page.url.split("/accounts/", 1)[1].split("/", 1)[0]
        return f"/accounts/{account}/dashboard"
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--endpoints", type=Path, default=REPO / ".local" / "endpoints.json")
    options = parser.parse_args()
    with trader_browser(options.endpoints) as (browser, web, user):
        path = dashboard_path(browser, web, user)
        sign_in_once(browser, web, user, path)  # warm-up: caches, function hosts
        timings = [sign_in_once(browser, web, user, path) for _ in range(options.runs)]
    rows = {
        "password -> TOTP prompt": [t[0] for t in timings],
        "TOTP -> dashboard rendered": [t[1] for t in timings],
        "sign-in to dashboard (sum)": [t[0] + t[1] for t in timings],
    }
    print(f"Sign-in to a rendered dashboard as {user['username']} on {web}")
    print(f"{options.runs} runs after one warm-up, ms:   p50     p95     max    mean")
    for name, values in rows.items():
        print(
            f"  {name:<28} {percentile(values, 0.5):7.0f} {percentile(values, 0.95):7.0f}"
            f" {max(values):7.0f} {statistics.fmean(values):7.0f}"
        )


if __name__ == "__main__":
    main()
