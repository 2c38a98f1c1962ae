"""What a browser may do with the portal, declared once for the CDK app and the local runtime.

- CORS: the SPA is served from its own origin (the CDN) and calls each service's HTTP API
  on that API's own origin, so every HTTP API allow-lists exactly the portal's origin
  (`cors_policy`). API Gateway answers the preflight itself (no function, no authorizer);
  the local gateway plays the same rules. Never a wildcard: `browser_origin` refuses one.
- CSP: the SPA's Content-Security-Policy (`content_security_policy`): scripts and styles
  only from the SPA's origin (no inline code), no framing, and `connect-src` limited to the
  portal's APIs and Cognito.
- `/config.json`: what one build of the SPA needs to know about where it runs
  (`spa_config`), written by the local web server and by the CDK deployment alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from common.topology import ServiceTopology

CORS_ALLOW_HEADERS = ("authorization", "content-type", "idempotency-key")
CORS_EXPOSE_HEADERS = ("apigw-requestid", "content-disposition", "retry-after")
"""What the SPA reads of a cross-origin answer: the request id it shows, a download's file
name, and how long a 429 asks it to wait."""
CORS_MAX_AGE_SECONDS = 7200
"""Chromium caches a preflight for at most 2 hours; longer is ignored."""
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})


class OriginError(ValueError):
    """Not a single browser origin (scheme://host[:port]) the portal may allow."""


def browser_origin(url: str) -> str:
    """`url` as an origin (scheme://host[:port], no path); https, or http on loopback only.
    Wildcards, paths, credentials and queries are refused."""
    if "*" in url:
        raise OriginError(f"{url!r}: wildcards are never allowed")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise OriginError(f"{url!r} is not an http(s) origin")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        raise OriginError(f"{url!r}: plain http only on loopback")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise OriginError(f"{url!r} must be an origin only (no path, query or credentials)")
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class CorsPolicy:
    """The CORS configuration of one HTTP API (API Gateway's `CorsConfiguration`)."""

    allow_origins: tuple[str, ...]
    allow_methods: tuple[str, ...]
    allow_headers: tuple[str, ...] = CORS_ALLOW_HEADERS
    expose_headers: tuple[str, ...] = CORS_EXPOSE_HEADERS
    max_age_seconds: int = CORS_MAX_AGE_SECONDS

    def __post_init__(self) -> None:
        if not self.allow_origins:
            raise OriginError("a CORS policy needs at least one origin")
        for origin in self.allow_origins:
            if browser_origin(origin) != origin:
                raise OriginError(f"{origin!r} is not in origin form ({browser_origin(origin)})")

    def preflight(self, origin: str, method: str) -> list[tuple[str, str]] | None:
        """Headers answering a preflight from `origin` for `method`; None when not allowed
        (the browser then refuses the real request)."""
        if origin not in self.allow_origins or method.upper() not in self.allow_methods:
            return None
        return [
            ("access-control-allow-origin", origin),
            ("access-control-allow-methods", ",".join(self.allow_methods)),
            ("access-control-allow-headers", ",".join(self.allow_headers)),
            ("access-control-max-age", str(self.max_age_seconds)),
            ("vary", "origin"),
        ]

    def response_headers(self, origin: str | None) -> list[tuple[str, str]]:
        """Headers added to an actual response for a request from `origin`."""
        if origin is None or origin not in self.allow_origins:
            return []
        return [
            ("access-control-allow-origin", origin),
            ("access-control-expose-headers", ",".join(self.expose_headers)),
            ("vary", "origin"),
        ]


def cors_policy(topology: ServiceTopology, portal_origins: Iterable[str]) -> CorsPolicy:
    """The HTTP API of `topology` allows the portal's origin(s) for the methods it routes."""
    methods = tuple(sorted({route.method for route in topology.http_routes}))
    return CorsPolicy(allow_origins=tuple(portal_origins), allow_methods=methods)


OAUTH_CALLBACK_PATH = "/callback"
"""Where the hosted UI sends a redirect sign-in back (web/src/pages/public/Callback.tsx)."""
OAUTH_SCOPES = ("openid", "email", "profile")


def cognito_hosted_ui(domain_prefix: str, region: str) -> str:
    """The user pool's own domain (hosted UI, /oauth2/authorize and /oauth2/token)."""
    return f"https://{domain_prefix}.auth.{region}.amazoncognito.com"


@dataclass(frozen=True)
class StaffSignIn:
    """Redirect sign-in with PKCE through Cognito federation (Entra ID for STX CAMs): what
    the SPA's `cognito.oauth` carries (web/src/auth/oauth.ts)."""

    domain: str
    """The hosted UI origin (`cognito_hosted_ui`)."""
    portal_url: str
    identity_provider: str
    scopes: tuple[str, ...] = OAUTH_SCOPES

    @property
    def redirect_uri(self) -> str:
        return f"{self.portal_url.rstrip('/')}{OAUTH_CALLBACK_PATH}"

    def config(self) -> dict[str, object]:
        return {
            "domain": browser_origin(self.domain),
            "redirect_uri": self.redirect_uri,
            "identity_provider": self.identity_provider,
            "scopes": list(self.scopes),
        }


def cognito_origin(region: str) -> str:
    """Where the SPA talks to a real user pool (Amplify's regional endpoint)."""
    return f"https://cognito-idp.{region}.amazonaws.com"


def content_security_policy(connect_sources: Iterable[str]) -> str:
    """The SPA's CSP; `connect_sources` are the API and Cognito origins it may call (CDK
    passes deploy-time tokens, so they are not checked here: callers build them)."""
    connect = " ".join(["'self'", *connect_sources])
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "font-src 'self'",
            "manifest-src 'self'",
            # the push service worker (/push-worker.js), from the SPA's own origin only
            "worker-src 'self'",
            f"connect-src {connect}",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "object-src 'none'",
        )
    )


def spa_config(
    *,
    stage: str,
    region: str,
    user_pool_id: str,
    client_id: str,
    services: dict[str, str],
    cognito_endpoint: str | None = None,
    staff_sign_in: StaffSignIn | None = None,
) -> dict[str, object]:
    """The SPA's `/config.json` (read by web/src/config.ts): the user pool, its endpoint
    only where it is not AWS's regional one (moto locally), the hosted UI for staff redirect
    sign-in where there is one (deployed stages; moto has none), and each service's API
    base URL."""
    cognito: dict[str, object] = {"user_pool_id": user_pool_id, "client_id": client_id}
    if cognito_endpoint is not None:
        cognito["endpoint"] = cognito_endpoint
    if staff_sign_in is not None:
        cognito["oauth"] = staff_sign_in.config()
    return {"stage": stage, "region": region, "cognito": cognito, "services": dict(services)}
