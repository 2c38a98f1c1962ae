"""The local web server's answers (infra.local.web.WebSite), without sockets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.local.web import WebSite, security_headers

pytestmark = pytest.mark.unit

CONFIG = {"stage": "local", "services": {"identity": "http://127.0.0.1:8710"}}


@pytest.fixture
def site(tmp_path: Path) -> WebSite:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<html>portal</html>")
    (dist / "assets" / "index-abc.js").write_text("console.log(1)")
    (dist / "favicon.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("outside")
    return WebSite(dist, CONFIG, security_headers(["http://127.0.0.1:8710"]))


def test_deep_links_get_the_app_and_never_cached(site: WebSite) -> None:
    for path in ["/", "/accounts/a1/members?x=1", "/signin"]:
        answer = site.respond("GET", path)
        assert (answer.status, answer.body) == (200, b"<html>portal</html>")
        assert dict(answer.headers)["cache-control"] == "no-cache"


def test_config_json_is_the_runtime_s_values(site: WebSite) -> None:
    answer = site.respond("GET", "/config.json")
    assert answer.status == 200
    assert json.loads(answer.body) == CONFIG
    assert dict(answer.headers)["cache-control"] == "no-store"


def test_hashed_assets_are_immutable_and_missing_ones_are_404(site: WebSite) -> None:
    answer = site.respond("GET", "/assets/index-abc.js")
    headers = dict(answer.headers)
    assert answer.status == 200
    assert headers["content-type"] in ("text/javascript", "application/javascript")
    assert "immutable" in headers["cache-control"]
    assert site.respond("GET", "/assets/gone-123.js").status == 404


def test_nothing_outside_the_build_is_served(site: WebSite) -> None:
    for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt"]:
        assert b"outside" not in site.respond("GET", path).body


def test_every_answer_carries_the_security_headers(site: WebSite) -> None:
    for path in ["/", "/config.json", "/assets/index-abc.js", "/assets/gone.js", "/favicon.svg"]:
        headers = dict(site.respond("GET", path).headers)
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert "connect-src 'self' http://127.0.0.1:8710" in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"


def test_only_reads_are_served(site: WebSite) -> None:
    assert site.respond("POST", "/config.json").status == 405


def test_an_unbuilt_app_says_how_to_build_it(tmp_path: Path) -> None:
    answer = WebSite(tmp_path / "missing", CONFIG).respond("GET", "/accounts")
    assert answer.status == 503
    assert b"make run" in answer.body
