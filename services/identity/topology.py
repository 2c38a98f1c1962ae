"""The identity service's cloud shape: read by the CDK app and by the local runtime."""

from common.rate_limit import RATE_LIMITS_TABLE, rate_limit_table
from common.topology import (
    Access,
    AuthKind,
    Function,
    HttpMethod,
    Index,
    PlatformRef,
    Route,
    Secret,
    ServiceTopology,
    Subscription,
    Table,
    read_write,
)
from contracts.events.identity import EVENT_TYPES
from contracts.events.provisioning import PUBLISHER_EVENTS
from services.identity import SERVICE

U, P = AuthKind.USER, AuthKind.PUBLIC

_ROUTES: tuple[tuple[HttpMethod, str, AuthKind], ...] = (
    ("GET", "/v1/version", P),
    # Account recovery goes through our API (not the SPA straight to Cognito) so the
    # answer never reveals whether a user exists and errors have our shape.
    ("POST", "/v1/password/forgot", P),
    ("POST", "/v1/password/confirm", P),
    ("GET", "/v1/me", U),
    ("GET", "/v1/me/preferences", U),
    ("PUT", "/v1/me/preferences", U),
    ("POST", "/v1/me/mfa/totp", U),
    ("POST", "/v1/me/mfa/totp/verify", U),
    ("POST", "/v1/me/invitations/{account_id}/accept", U),
    ("GET", "/v1/roles", U),
    ("GET", "/v1/accounts", U),
    ("POST", "/v1/accounts", U),
    ("GET", "/v1/accounts/{account_id}", U),
    ("POST", "/v1/accounts/{account_id}/suspend", U),
    ("POST", "/v1/accounts/{account_id}/reactivate", U),
    ("GET", "/v1/accounts/{account_id}/members", U),
    ("PUT", "/v1/accounts/{account_id}/members/{subject}", U),
    ("DELETE", "/v1/accounts/{account_id}/members/{subject}", U),
    ("GET", "/v1/accounts/{account_id}/invitations", U),
    ("POST", "/v1/accounts/{account_id}/invitations", U),
    ("POST", "/v1/accounts/{account_id}/invitations/{subject}/resend", U),
    ("DELETE", "/v1/accounts/{account_id}/invitations/{subject}", U),
    ("GET", "/v1/accounts/{account_id}/cams", U),
    ("PUT", "/v1/accounts/{account_id}/cams/{subject}", U),
    ("DELETE", "/v1/accounts/{account_id}/cams/{subject}", U),
    ("GET", "/v1/accounts/{account_id}/audit", U),
    ("GET", "/v1/accounts/{account_id}/audit/verify", U),
    ("GET", "/v1/audit", U),
    ("GET", "/v1/audit/verify", U),
    ("GET", "/v1/cams", U),
    ("POST", "/v1/cams", U),
)

CURSOR_SIGNING_KEY = Secret(
    name="identity-cursor-signing-key",
    description="HMAC key binding identity's list cursors to a list, an account and a caller.",
)

TOPOLOGY = ServiceTopology(
    service=SERVICE,
    functions=(
        Function(
            name="api",
            handler="services.identity.handlers.api.handler",
            timeout_seconds=15,
            access=Access(
                tables=read_write("identity", RATE_LIMITS_TABLE),
                secrets=(CURSOR_SIGNING_KEY.name,),
                user_pool=True,
                sends_mail=True,
            ),
        ),
        Function(
            name="publisher-actions",
            handler="services.identity.handlers.publisher_events.handler",
            timeout_seconds=30,
            memory_mb=256,
            # Appends to the platform audit chain (its head, entry, the event's mark and the
            # publisher's name): identity's table only, nothing of Cognito, mail or secrets.
            access=Access(tables=read_write("identity")),
        ),
    ),
    tables=(
        Table(
            name="identity",
            indexes=(
                Index(name="byuser", partition_key="byuser_pk", sort_key="byuser_sk"),
                Index(name="bykind", partition_key="kind_pk", sort_key="kind_sk"),
            ),
            stream=True,
            outbox=True,
            ttl_attribute="expires_at",
        ),
        rate_limit_table(),
    ),
    secrets=(CURSOR_SIGNING_KEY,),
    routes=tuple(
        Route(method=method, path=path, auth=auth, function="api") for method, path, auth in _ROUTES
    ),
    subscriptions=(
        Subscription(
            name="publisher-actions",
            detail_types=tuple(t.detail_type for t in PUBLISHER_EVENTS),
            sources=(PUBLISHER_EVENTS[0].source,),
            function="publisher-actions",
        ),
    ),
    publishes=tuple(t.detail_type for t in EVENT_TYPES),
    platform=frozenset({PlatformRef.USER_POOL, PlatformRef.MAIL_SENDER, PlatformRef.PORTAL_URL}),
)
