"""How a service declares its cloud shape, once, for both the CDK app and the local runtime.

Each service has `services/<name>/topology.py` exposing `TOPOLOGY: ServiceTopology`.
Declarations are plain data: importing them must not import boto3 or CDK.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, Field, model_validator

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]

_LOGICAL = r"^[a-z][a-z0-9-]{0,30}$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AuthKind(StrEnum):
    """Who may call a route, checked at the gateway and again inside the service."""

    USER = "user"  # Cognito JWT (HTTP API, JWT authorizer)
    PUBLISHER = "publisher"  # STX publisher API key (the REST "ingest API", Lambda authorizer)
    PUBLIC = "public"  # no credential (version, health)


INGEST_API_AUTH = AuthKind.PUBLISHER
"""Routes of this kind are served by the service's REST API (the "ingest API"), not its HTTP
API: only a REST API can answer 401 to a refused key (gateway responses), carry a regional
WAF and usage plans. Its functions get payload format 1.0 events."""


class PlatformRef(StrEnum):
    """Shared platform resources a service's functions may be told about."""

    EVENT_BUS = "event_bus"
    USER_POOL = "user_pool"
    MAIL_SENDER = "mail_sender"


PLATFORM_ENV: dict[PlatformRef, tuple[str, ...]] = {
    PlatformRef.EVENT_BUS: ("SCTS_EVENT_BUS_NAME",),
    PlatformRef.USER_POOL: ("SCTS_USER_POOL_ID",),
    PlatformRef.MAIL_SENDER: ("SCTS_MAIL_SENDER",),
}
"""Environment variables each platform reference fills in every function of the service."""

JWT_ENV: tuple[str, ...] = ("SCTS_JWT_ISSUER", "SCTS_JWT_AUDIENCE", "SCTS_JWKS_URL")

HTTP_API_URL_ENV = "SCTS_HTTP_API_URL"
"""The service's own HTTP API base URL, for links in what it sends (unsubscribe)."""
"""Set on every function of a service with USER routes: the service re-verifies tokens."""


class Index(_Frozen):
    name: str = Field(pattern=r"^[a-z0-9]+$")
    partition_key: str
    sort_key: str | None = None


class Table(_Frozen):
    """A DynamoDB table owned by the service (all keys are strings)."""

    name: str = Field(pattern=_LOGICAL)
    partition_key: str = "pk"
    sort_key: str | None = "sk"
    indexes: tuple[Index, ...] = ()
    stream: bool = False
    ttl_attribute: str | None = None
    outbox: bool = Field(
        default=False,
        description="Items with the outbox marker are relayed to the bus from the stream.",
    )

    @property
    def env_var(self) -> str:
        return f"SCTS_{self.name.upper().replace('-', '_')}_TABLE"

    @model_validator(mode="after")
    def _outbox_needs_stream(self) -> Table:
        if self.outbox and not self.stream:
            raise ValueError(f"table {self.name}: an outbox table needs a stream")
        return self


class Bucket(_Frozen):
    """An S3 bucket (or the service's prefix of one) owned by the service."""

    name: str = Field(pattern=_LOGICAL)

    @property
    def env_var(self) -> str:
        return f"SCTS_{self.name.upper().replace('-', '_')}_BUCKET"


class Secret(_Frozen):
    """A secret the service's functions read at cold start (never put in the environment).

    Stored in Secrets Manager as `/<stage>/scts/<name>`; functions get its id in
    `SCTS_<NAME>_SECRET_ID` and read the value through `common.secrets`. The local
    runtime creates it with a fresh random value each run; the CDK app generates it.
    """

    name: str = Field(pattern=_LOGICAL)
    description: str

    @property
    def env_var(self) -> str:
        return f"SCTS_{self.name.upper().replace('-', '_')}_SECRET_ID"

    def secret_id(self, stage: str) -> str:
        return f"/{stage}/scts/{self.name}"


class Function(_Frozen):
    """A Lambda function: `handler` is the dotted path `package.module.attribute`."""

    name: str = Field(pattern=_LOGICAL)
    handler: str = Field(pattern=r"^[a-z_][a-z0-9_.]*\.[a-z_][a-z0-9_]*$")
    timeout_seconds: int = Field(default=10, ge=1, le=900)
    memory_mb: int = Field(default=512, ge=128, le=10240)
    reserved_concurrency: int | None = Field(default=None, ge=1)

    @property
    def module(self) -> str:
        return self.handler.rsplit(".", 1)[0]

    @property
    def attribute(self) -> str:
        return self.handler.rsplit(".", 1)[1]


MediaType = Literal["application/json", "application/x-www-form-urlencoded"]
JSON_MEDIA_TYPE: MediaType = "application/json"
FORM_MEDIA_TYPE: MediaType = "application/x-www-form-urlencoded"


class Route(_Frozen):
    method: HttpMethod
    path: str = Field(pattern=r"^/v1(/[A-Za-z0-9_{}.-]+)*$")
    auth: AuthKind
    function: str
    media_types: tuple[MediaType, ...] = Field(
        default=(JSON_MEDIA_TYPE,),
        min_length=1,
        description="Body media types the route takes (`common.gate` refuses others "
        "with 415). Only JSON, unless a standard says otherwise (RFC 8058's one-click "
        "unsubscribe POSTs a form).",
    )


class Subscription(_Frozen):
    """Events the service consumes: an EventBridge rule -> its own queue -> a function."""

    name: str = Field(pattern=_LOGICAL)
    detail_types: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1, description="EventBridge sources to match.")
    function: str
    batch_size: int = Field(default=10, ge=1, le=10)
    max_receives: int = Field(default=5, ge=1, le=1000)


class BucketNotification(_Frozen):
    """Objects created in one of the service's buckets under `prefix` -> its own queue
    (DLQ after `max_receives`) -> `function`, which gets SQS batches of S3 event
    notifications and reports partial batch failures (`common.object_consumer`)."""

    name: str = Field(pattern=_LOGICAL)
    bucket: str
    prefix: str = Field(
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9/_.-]+$",
        description="Key prefix filter: only objects created under it are notified.",
    )
    function: str
    batch_size: int = Field(default=10, ge=1, le=10)
    max_receives: int = Field(default=5, ge=1, le=1000)


class WorkQueue(_Frozen):
    """A queue the service sends its own work to (one stage of a pipeline): queue (+DLQ
    after `max_receives`) -> `function`, with partial batch failures. Every function of the
    service gets the queue's physical name in `SCTS_<NAME>_QUEUE` and may send to it."""

    name: str = Field(pattern=_LOGICAL)
    function: str
    batch_size: int = Field(default=10, ge=1, le=10)
    max_receives: int = Field(default=5, ge=1, le=1000)

    @property
    def env_var(self) -> str:
        return f"SCTS_{self.name.upper().replace('-', '_')}_QUEUE"


MAIL_CONFIGURATION_SET_ENV = "SCTS_MAIL_CONFIGURATION_SET"
MailEventType = Literal["BOUNCE", "COMPLAINT", "DELIVERY", "REJECT"]


class MailEvents(_Frozen):
    """What SES learns about the service's mail after sending it (bounces, complaints,
    deliveries): an SES configuration set whose event destination is an SNS topic, the
    topic -> a queue (+DLQ after `max_receives`, raw message delivery) -> `function`.
    Functions get the configuration set's name in `MAIL_CONFIGURATION_SET_ENV` and send
    with it, so SES reports on exactly their mail."""

    name: str = Field(pattern=_LOGICAL)
    function: str
    events: tuple[MailEventType, ...] = ("BOUNCE", "COMPLAINT", "DELIVERY", "REJECT")
    batch_size: int = Field(default=10, ge=1, le=10)
    max_receives: int = Field(default=5, ge=1, le=1000)


_RATE = re.compile(r"^rate\((?P<n>[1-9][0-9]*) (?P<unit>minute|minutes|hour|hours|day|days)\)$")
_CRON = re.compile(r"^cron\((?P<fields>[^()]+)\)$")
_CRON_FIELD = re.compile(r"^[0-9A-Za-z*?/,#L-]+$")


def schedule_expression_problem(expression: str) -> str | None:
    """Why an EventBridge Scheduler expression is not one we accept (None when it is):
    `rate(<n> <unit>)` with a singular unit for 1, or `cron(min hour dom month dow year)`
    with exactly one of day-of-month / day-of-week being `?`."""
    rate = _RATE.match(expression)
    if rate:
        singular = rate["unit"] in {"minute", "hour", "day"}
        if (rate["n"] == "1") != singular:
            return "rate(1 ...) takes a singular unit, rate(n>1 ...) a plural one"
        return None
    cron = _CRON.match(expression)
    if not cron:
        return "expected rate(<n> <unit>) or cron(<6 fields>)"
    fields = cron["fields"].split()
    if len(fields) != 6 or not all(_CRON_FIELD.match(f) for f in fields):
        return "cron() takes 6 fields: minutes hours day-of-month month day-of-week year"
    if (fields[2] == "?") == (fields[4] == "?"):
        return "cron(): exactly one of day-of-month and day-of-week must be '?'"
    return None


class Schedule(_Frozen):
    """Work the service does on a clock: EventBridge Scheduler invokes `function` (in the
    cloud with a retry policy and a DLQ; locally the runtime's scheduler thread plays the
    same expression). `expression` is EventBridge Scheduler syntax, `rate(5 minutes)` or
    `cron(0 6 * * ? *)`, read in `timezone` (IANA, default UTC). The function gets
    `{"schedule": <name>, "time": <ISO instant>}`."""

    name: str = Field(pattern=_LOGICAL)
    expression: str
    function: str
    timezone: str = "UTC"
    max_retries: int = Field(default=3, ge=0, le=185)
    max_event_age_seconds: int = Field(default=3600, ge=60, le=86400)

    @model_validator(mode="after")
    def _valid_expression(self) -> Schedule:
        problem = schedule_expression_problem(self.expression)
        if problem:
            raise ValueError(f"schedule {self.name}: {problem}")
        if self.timezone not in available_timezones():
            raise ValueError(f"schedule {self.name}: unknown IANA time zone {self.timezone!r}")
        return self


class UsagePlan(_Frozen):
    """A REST API usage plan on the ingest API: every publisher its own token bucket.

    The API key source is the authorizer (its `usageIdentifierKey`), so the API key never
    travels on the wire: it only names the publisher's bucket in the plan. `key_managers`
    create and delete those keys (they get the plan id in `USAGE_PLAN_ENV` and the
    apigateway rights on the plan; they must not serve ingest routes).
    """

    rate_limit: int = Field(ge=1, description="Steady requests/s per publisher.")
    burst_limit: int = Field(ge=1, description="Requests a publisher may send at once.")
    key_managers: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _burst_covers_rate(self) -> UsagePlan:
        if self.burst_limit < self.rate_limit:
            raise ValueError("a usage plan's burst_limit must be at least its rate_limit")
        return self


USAGE_PLAN_ENV = "SCTS_INGEST_USAGE_PLAN_ID"
"""The ingest API's usage plan id, in the environment of the plan's key managers."""


QueueFed = Subscription | BucketNotification | WorkQueue | MailEvents
"""Declarations that become a queue (+ DLQ) polled into a function."""


class ServiceTopology(_Frozen):
    """Everything the cloud and the local runtime must create for one service."""

    service: str = Field(pattern=r"^[a-z]+$")
    functions: tuple[Function, ...]
    tables: tuple[Table, ...] = ()
    buckets: tuple[Bucket, ...] = ()
    secrets: tuple[Secret, ...] = ()
    routes: tuple[Route, ...] = ()
    subscriptions: tuple[Subscription, ...] = ()
    bucket_notifications: tuple[BucketNotification, ...] = ()
    work_queues: tuple[WorkQueue, ...] = ()
    mail_events: MailEvents | None = None
    schedules: tuple[Schedule, ...] = ()
    publishes: tuple[str, ...] = Field(default=(), description="Detail-types it publishes.")
    platform: frozenset[PlatformRef] = frozenset()
    publisher_authorizer: str | None = Field(
        default=None, description="Function that authorizes PUBLISHER routes (API key)."
    )
    publisher_usage_plan: UsagePlan | None = Field(
        default=None, description="Per-publisher throttle of the ingest API (gateway)."
    )

    @model_validator(mode="after")
    def _references_resolve(self) -> ServiceTopology:
        names = {f.name for f in self.functions}
        if len(names) != len(self.functions):
            raise ValueError(f"{self.service}: function names repeat")
        wanted = [r.function for r in self.routes] + [s.function for s in self.subscriptions]
        wanted += [q.function for q in self.work_queues] + [s.function for s in self.schedules]
        if self.mail_events is not None:
            wanted.append(self.mail_events.function)
        if self.publisher_authorizer:
            wanted.append(self.publisher_authorizer)
        missing = sorted(set(wanted) - names)
        if missing:
            raise ValueError(f"{self.service}: routes or subscriptions name unknown {missing}")
        seen = {(r.method, r.path) for r in self.routes}
        if len(seen) != len(self.routes):
            raise ValueError(f"{self.service}: a route is declared twice")
        ingest_functions = {r.function for r in self.ingest_routes}
        shared = sorted(ingest_functions & {r.function for r in self.http_routes})
        if shared:
            raise ValueError(
                f"{self.service}: {shared} serve both the ingest API and the HTTP API "
                "(payload formats differ: one function per API)"
            )
        if self.ingest_routes and not self.publisher_authorizer:
            raise ValueError(f"{self.service}: ingest routes need a publisher_authorizer")
        self._usage_plan_fits(names, ingest_functions)
        buckets = {b.name for b in self.buckets}
        for notification in self.bucket_notifications:
            if notification.bucket not in buckets:
                raise ValueError(
                    f"{self.service}: bucket notification {notification.name} names unknown "
                    f"bucket {notification.bucket!r}"
                )
            if notification.function not in names:
                raise ValueError(
                    f"{self.service}: bucket notification {notification.name} names unknown "
                    f"function {notification.function!r}"
                )
        queue_names = [q.name for q in self.queue_fed]
        if len(set(queue_names)) != len(queue_names):
            raise ValueError(
                f"{self.service}: subscription and bucket notification names share one queue "
                "namespace and must not repeat"
            )
        if self.publishes and not any(t.outbox for t in self.tables):
            raise ValueError(f"{self.service}: publishing events needs an outbox table")
        schedule_names = [s.name for s in self.schedules]
        if len(set(schedule_names)) != len(schedule_names):
            raise ValueError(f"{self.service}: schedule names repeat")
        if self.mail_events is not None and PlatformRef.MAIL_SENDER not in self.platform:
            raise ValueError(f"{self.service}: mail events need the MAIL_SENDER platform ref")
        return self

    def _usage_plan_fits(self, names: set[str], ingest_functions: set[str]) -> None:
        plan = self.publisher_usage_plan
        if plan is None:
            return
        if not self.ingest_routes:
            raise ValueError(f"{self.service}: a publisher usage plan needs ingest routes")
        unknown = sorted(set(plan.key_managers) - names)
        if unknown:
            raise ValueError(f"{self.service}: usage plan key managers name unknown {unknown}")
        serving = sorted(set(plan.key_managers) & (ingest_functions | {self.publisher_authorizer}))
        if serving:
            raise ValueError(
                f"{self.service}: usage plan key managers {serving} serve the ingest API "
                "(the plan hangs on that API's stage: they cannot be told its id)"
            )

    def function(self, name: str) -> Function:
        return next(f for f in self.functions if f.name == name)

    @property
    def http_routes(self) -> tuple[Route, ...]:
        """Routes of the service's HTTP API (Cognito users and public)."""
        return tuple(r for r in self.routes if r.auth is not INGEST_API_AUTH)

    @property
    def ingest_routes(self) -> tuple[Route, ...]:
        """Routes of the service's REST ingest API (publisher API keys)."""
        return tuple(r for r in self.routes if r.auth is INGEST_API_AUTH)

    @property
    def queue_fed(self) -> tuple[QueueFed, ...]:
        """Every declaration with its own queue + DLQ: subscriptions and bucket notifications."""
        mail = (self.mail_events,) if self.mail_events is not None else ()
        return (*self.subscriptions, *self.bucket_notifications, *self.work_queues, *mail)

    def mail_configuration_set(self, stage: str) -> str | None:
        """The SES configuration set the service sends with (None without mail events)."""
        if self.mail_events is None:
            return None
        return self.resource_name(stage, self.mail_events.name)

    def schedule_name(self, stage: str, schedule: Schedule) -> str:
        return self.resource_name(stage, f"{schedule.name}-schedule")

    @property
    def has_user_routes(self) -> bool:
        return any(r.auth is AuthKind.USER for r in self.routes)

    def resource_name(self, stage: str, logical: str) -> str:
        """Physical name for a resource: scts-<stage>-<service>-<logical>."""
        return f"scts-{stage}-{self.service}-{logical}"

    def queue_name(self, stage: str, subscription: QueueFed) -> str:
        return self.resource_name(stage, subscription.name)

    def dlq_name(self, stage: str, subscription: QueueFed) -> str:
        return self.resource_name(stage, f"{subscription.name}-dlq")

    def visibility_timeout(self, subscription: QueueFed) -> int:
        """AWS guidance: at least six times the consuming function's timeout."""
        return 6 * self.function(subscription.function).timeout_seconds
