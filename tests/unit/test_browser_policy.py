"""infra.browser: the CORS allow-list of every HTTP API and the SPA's CSP (issue 16)."""

from __future__ import annotations

import pytest

from common.topology import AuthKind, Route
from infra.browser import (
    OAUTH_CALLBACK_PATH,
    CorsPolicy,
    OriginError,
    StaffSignIn,
    browser_origin,
    cognito_hosted_ui,
    content_security_policy,
    cors_policy,
    spa_config,
)
from services.topologies import TOPOLOGIES
from tests.support.gadgets import gadgets_topology

pytestmark = pytest.mark.unit

PORTAL = "https://portal.scts.example.com"


@pytest.mark.parametrize(
    "url",
    [
        "*",
        "https://*.example.com",
        "http://portal.example.com",
        "https://portal.example.com/app",
        "https://portal.example.com?x=1",
        "https://user@portal.example.com",
        "ftp://portal.example.com",
        "portal.example.com",
    ],
)
def test_only_single_https_or_loopback_origins_are_accepted(url: str) -> None:
    with pytest.raises(OriginError):
        browser_origin(url)


def test_origins_are_normalised_without_a_trailing_slash() -> None:
    assert browser_origin(PORTAL + "/") == PORTAL
    assert browser_origin("http://127.0.0.1:8703") == "http://127.0.0.1:8703"


def test_a_policy_refuses_anything_but_exact_origins() -> None:
    for origins in [(), ("*",), (PORTAL + "/",)]:
        with pytest.raises(OriginError):
            CorsPolicy(allow_origins=origins, allow_methods=("GET",))


def test_the_policy_allows_the_methods_the_api_routes() -> None:
    topology = gadgets_topology(
        Route(method="GET", path="/v1/a", auth=AuthKind.USER, function="echo"),
        Route(method="PUT", path="/v1/a", auth=AuthKind.USER, function="echo"),
        Route(method="POST", path="/v1/ingest", auth=AuthKind.PUBLISHER, function="ingest"),
    )
    policy = cors_policy(topology, [PORTAL])
    assert policy.allow_methods == ("GET", "PUT")
    assert policy.allow_origins == (PORTAL,)


def test_preflight_and_response_headers_only_for_the_portal_origin() -> None:
    policy = CorsPolicy(allow_origins=(PORTAL,), allow_methods=("GET", "PUT"))
    granted = dict(policy.preflight(PORTAL, "put") or [])
    assert granted["access-control-allow-origin"] == PORTAL
    assert granted["access-control-allow-headers"] == "authorization,content-type,idempotency-key"
    assert policy.preflight(PORTAL, "DELETE") is None
    assert policy.preflight("https://evil.example.com", "GET") is None
    assert dict(policy.response_headers(PORTAL))["access-control-allow-origin"] == PORTAL
    assert policy.response_headers("https://evil.example.com") == []
    assert policy.response_headers(None) == []


def test_every_service_api_gets_a_policy() -> None:
    for topology in TOPOLOGIES:
        if topology.http_routes:
            assert "GET" in cors_policy(topology, [PORTAL]).allow_methods


def test_the_csp_allows_no_inline_code_no_framing_and_only_the_named_connections() -> None:
    api, cognito = "https://a1.execute-api.eu-west-1.amazonaws.com", "https://cognito-idp.x"
    directives = dict(
        directive.split(" ", 1) for directive in content_security_policy([api, cognito]).split("; ")
    )
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["worker-src"] == "'self'"  # the push service worker, nothing else
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'none'"
    assert directives["connect-src"] == f"'self' {api} {cognito}"
    assert "unsafe" not in content_security_policy([api])


def test_the_spa_config_carries_staff_redirect_sign_in_only_where_a_hosted_ui_exists() -> None:
    """Deployed stages: the hosted UI, the callback registered on the SPA client and the
    Entra ID provider (web/src/auth/oauth.ts reads them); the local runtime: none."""

    def config(staff: StaffSignIn | None) -> object:
        return spa_config(
            stage="preprod",
            region="eu-west-1",
            user_pool_id="eu-west-1_abc",
            client_id="client",
            services={"identity": "https://id.example.com"},
            staff_sign_in=staff,
        )["cognito"]

    assert config(None) == {"user_pool_id": "eu-west-1_abc", "client_id": "client"}
    staff = StaffSignIn(
        domain=cognito_hosted_ui("scts-preprod", "eu-west-1"),
        portal_url=PORTAL + "/",
        identity_provider="EntraID",
    )
    assert config(staff) == {
        "user_pool_id": "eu-west-1_abc",
        "client_id": "client",
        "oauth": {
            "domain": "https://scts-preprod.auth.eu-west-1.amazoncognito.com",
            "redirect_uri": f"{PORTAL}{OAUTH_CALLBACK_PATH}",
            "identity_provider": "EntraID",
            "scopes": ["openid", "email", "profile"],
        },
    }
