"""The notifications service's cloud shape: read by the CDK app and by the local runtime.

Events in (one subscription) -> resolve -> render -> email | push -> record, each stage its
own queue and DLQ (`WorkQueue`), SES's reports through `MailEvents`, the overdue scan,
digests and quiet-hour releases on `Schedule`s; the access projection as in every service.
"""

from common.access.topology import access_function, access_subscription, access_table
from common.rate_limit import RATE_LIMITS_TABLE, rate_limit_table
from common.topology import (
    FORM_MEDIA_TYPE,
    Access,
    AuthKind,
    Function,
    HttpMethod,
    Index,
    MailEvents,
    PlatformRef,
    Route,
    Schedule,
    Secret,
    ServiceTopology,
    Subscription,
    Table,
    WorkQueue,
    read_only,
    read_write,
)
from contracts.events import documents, identity, provisioning
from services.notifications import SERVICE

U, P = AuthKind.USER, AuthKind.PUBLIC
ME = "/v1/me/notifications"

_ROUTES: tuple[tuple[HttpMethod, str, AuthKind], ...] = (
    ("GET", "/v1/version", P),
    ("GET", ME, U),
    ("GET", f"{ME}/unread-count", U),
    ("POST", f"{ME}/read-all", U),
    ("GET", f"{ME}/{{notification_id}}", U),
    ("POST", f"{ME}/{{notification_id}}/read", U),
    ("POST", f"{ME}/{{notification_id}}/unread", U),
    ("POST", f"{ME}/{{notification_id}}/archive", U),
    ("GET", "/v1/me/notification-preferences", U),
    ("PUT", "/v1/me/notification-preferences", U),
    ("DELETE", "/v1/me/email-suppression", U),
    ("GET", "/v1/me/push-subscriptions", U),
    ("POST", "/v1/me/push-subscriptions", U),
    ("DELETE", "/v1/me/push-subscriptions/{subscription_id}", U),
    ("GET", "/v1/push/vapid-public-key", U),
    ("GET", "/v1/accounts/{account_id}/notification-defaults", U),
    ("PUT", "/v1/accounts/{account_id}/notification-defaults", U),
    ("GET", "/v1/unsubscribe/{token}", P),
)

NOTIFYING_DETAIL_TYPES: tuple[str, ...] = (
    *(
        t.detail_type
        for t in (
            provisioning.TRADE_EXECUTED,
            provisioning.TRADE_AMENDED,
            provisioning.TRADE_CANCELLED,
            provisioning.DELIVERY_COMPLETED,
            provisioning.DELIVERY_FAILED,
            provisioning.RETIREMENT_COMPLETED,
            provisioning.INVOICE_ISSUED,
            provisioning.INVOICE_PAID,
            identity.ACCOUNT_CREATED,
            identity.MEMBER_INVITED,
            identity.ACCESS_GRANTED,
            identity.ACCESS_CHANGED,
            identity.ACCESS_REVOKED,
            identity.CAM_ASSIGNED,
            identity.PREFERENCES_CHANGED,
            identity.CAM_REGISTERED,
            identity.MFA_ENABLED,
            identity.PASSWORD_CHANGED,
        )
    ),
    documents.DOCUMENT_AVAILABLE.detail_type,
)
SOURCES = tuple(
    sorted(
        {
            provisioning.TRADE_EXECUTED.source,
            identity.ACCOUNT_CREATED.source,
            documents.DOCUMENT_AVAILABLE.source,
        }
    )
)

CURSOR_SIGNING_KEY = Secret(
    name="notifications-cursor-key",
    description="HMAC key binding inbox cursors to a list, its filters and the caller.",
)
UNSUBSCRIBE_KEY = Secret(
    name="notifications-unsubscribe-key",
    description="HMAC key of one-click unsubscribe tokens (RFC 8058) in notification emails.",
)
VAPID_KEY = Secret(
    name="notifications-vapid-key",
    description="Seed of the VAPID (RFC 8292) P-256 key pair that signs Web Push requests.",
)


_DATA = (*read_write("notifications"), *read_only("access"))
"""The store and the access projection (recipients are checked against it, read only)."""


def _stage(name: str, handler: str, access: Access, timeout: int = 30) -> Function:
    return Function(
        name=name,
        handler=f"services.notifications.handlers.{handler}",
        timeout_seconds=timeout,
        access=access,
    )


TOPOLOGY = ServiceTopology(
    service=SERVICE,
    functions=(
        Function(
            name="api",
            handler="services.notifications.handlers.api.handler",
            access=Access(
                tables=(*_DATA, *read_write(RATE_LIMITS_TABLE)),
                secrets=(CURSOR_SIGNING_KEY.name, UNSUBSCRIBE_KEY.name),
            ),
        ),
        access_function(),
        _stage("events", "events.handler", Access(tables=_DATA, sends_to=("render",))),
        _stage(
            "render",
            "stages.render_handler",
            Access(tables=_DATA, secrets=(UNSUBSCRIBE_KEY.name,), sends_to=("email", "push")),
        ),
        _stage(
            "email",
            "stages.email_handler",
            Access(tables=_DATA, sends_to=("record",), sends_mail=True),
        ),
        _stage(
            "push",
            "stages.push_handler",
            Access(tables=_DATA, secrets=(VAPID_KEY.name,), sends_to=("record",)),
            timeout=20,
        ),
        _stage("record", "stages.record_handler", Access(tables=_DATA)),
        _stage(
            "overdue-scan",
            "schedules.overdue_handler",
            Access(tables=_DATA, sends_to=("render",)),
            timeout=300,
        ),
        _stage(
            "digests",
            "schedules.digest_handler",
            Access(tables=_DATA, sends_to=("render",)),
            timeout=120,
        ),
        _stage(
            "releases",
            "schedules.release_handler",
            Access(tables=_DATA, sends_to=("render",)),
            timeout=120,
        ),
    ),
    tables=(
        Table(
            name="notifications",
            indexes=(
                Index(name="inbox", partition_key="inbox_pk", sort_key="nsk"),
                Index(name="unread", partition_key="unread_pk", sort_key="nsk"),
                Index(name="byaccount", partition_key="acct_pk", sort_key="nsk"),
                Index(name="due", partition_key="due_pk", sort_key="due_sk"),
            ),
            ttl_attribute="expires_at",
        ),
        access_table(),
        rate_limit_table(),
    ),
    secrets=(CURSOR_SIGNING_KEY, UNSUBSCRIBE_KEY, VAPID_KEY),
    routes=(
        *(Route(method=m, path=p, auth=a, function="api") for m, p, a in _ROUTES),
        Route(
            method="POST",
            path="/v1/unsubscribe/{token}",
            auth=P,
            function="api",
            media_types=(FORM_MEDIA_TYPE,),
        ),
    ),
    subscriptions=(
        Subscription(
            name="events", detail_types=NOTIFYING_DETAIL_TYPES, sources=SOURCES, function="events"
        ),
        access_subscription("access"),
    ),
    work_queues=(
        WorkQueue(name="render", function="render"),
        WorkQueue(name="email", function="email", batch_size=2),
        WorkQueue(name="push", function="push", batch_size=2),
        WorkQueue(name="record", function="record"),
    ),
    mail_events=MailEvents(name="mail-events", function="record"),
    schedules=(
        Schedule(name="overdue-scan", expression="cron(0 6 * * ? *)", function="overdue-scan"),
        Schedule(name="digests", expression="cron(0/15 * * * ? *)", function="digests"),
        Schedule(name="releases", expression="cron(0/5 * * * ? *)", function="releases"),
    ),
    platform=frozenset({PlatformRef.MAIL_SENDER, PlatformRef.PORTAL_URL}),
)
