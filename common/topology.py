"""How a service declares its cloud shape, once, for both the CDK app and the local runtime.

Each service has `services/<name>/topology.py` exposing `TOPOLOGY: ServiceTopology`.
Declarations are plain data: importing them must not import boto3 or CDK.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

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
    PORTAL_URL = "portal_url"


PLATFORM_ENV: dict[PlatformRef, tuple[str, ...]] = {
    PlatformRef.EVENT_BUS: ("SCTS_EVENT_BUS_NAME",),
    PlatformRef.USER_POOL: ("SCTS_USER_POOL_ID",),
    PlatformRef.MAIL_SENDER: ("SCTS_MAIL_SENDER",),
    PlatformRef.PORTAL_URL: ("SCTS_PORTAL_URL",),
}
"""Environment variables each platform reference fills in every function of the service."""

JWT_ENV: tuple[str, ...] = ("SCTS_JWT_ISSUER", "SCTS_JWT_AUDIENCE", "SCTS_JWKS_URL")
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


class Route(_Frozen):
    method: HttpMethod
    path: str = Field(pattern=r"^/v1(/[A-Za-z0-9_{}.-]+)*$")
    auth: AuthKind
    function: str


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


QueueFed = Subscription | BucketNotification
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
        return (*self.subscriptions, *self.bucket_notifications)

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
