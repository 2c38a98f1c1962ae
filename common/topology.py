"""How a service declares its cloud shape, once, for both the CDK app and the local runtime.

Each service has `services/<name>/topology.py` exposing `TOPOLOGY: ServiceTopology`.
Declarations are plain data: importing them must not import boto3 or CDK.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, model_validator

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]

_LOGICAL = r"^[a-z][a-z0-9-]{0,30}$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


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

HTTP_API_URL_ENV = "SCTS_HTTP_API_URL"
"""The service's own HTTP API base URL, for links in what it sends (unsubscribe)."""


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


_PREFIX = r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,199}/$"
"""An object key prefix: ends with `/` so `a/` never also matches `ab/...`."""


class Expiry(_Frozen):
    """Objects under `prefix` are deleted `days` after they were written (lifecycle rule)."""

    prefix: str = Field(pattern=_PREFIX)
    days: int = Field(ge=1, le=3650)


class Share(_Frozen):
    """Read-only access to objects under `prefix`, granted by the owning service to one
    other service, which names it in a `ClaimCheck` (the event is the claim check; the
    reader copies the object into its own storage). Nothing else of the bucket is shared."""

    prefix: str = Field(pattern=_PREFIX)
    service: str = Field(pattern=r"^[a-z]+$", description="The service that may read.")


class Bucket(_Frozen):
    """An S3 bucket (or the service's prefix of one) owned by the service."""

    name: str = Field(pattern=_LOGICAL)
    expiries: tuple[Expiry, ...] = ()
    shares: tuple[Share, ...] = ()

    @property
    def env_var(self) -> str:
        return f"SCTS_{self.name.upper().replace('-', '_')}_BUCKET"


class ClaimCheck(_Frozen):
    """Reading files another service shares (its `Bucket.shares`): `function` may read
    (only read) objects under `prefix` of `service`'s `bucket`; it gets the bucket's name
    in `SCTS_<NAME>_BUCKET`. The event carries the key (the claim check); the reader
    verifies what it reads and copies it into its own bucket before using it."""

    name: str = Field(pattern=_LOGICAL)
    service: str = Field(pattern=r"^[a-z]+$", description="The owning service.")
    bucket: str = Field(pattern=_LOGICAL)
    prefix: str = Field(pattern=_PREFIX)
    function: str

    @property
    def env_var(self) -> str:
        return f"SCTS_{self.name.upper().replace('-', '_')}_BUCKET"


class SecretKind(StrEnum):
    RANDOM = "random"
    """A random string: generated by the CDK app, fresh on every local run."""
    RSA_PRIVATE_KEY = "rsa-private-key"
    """A PEM RSA private key whose public half is registered elsewhere (a CloudFront key
    group): created by an operator in the cloud (never by CloudFormation, which would put
    it in the template), generated with its public half on every local run."""


class Secret(_Frozen):
    """A secret the service's functions read at cold start (never put in the environment).

    Stored in Secrets Manager as `/<stage>/scts/<name>`; functions get its id in
    `SCTS_<NAME>_SECRET_ID` and read the value through `common.secrets`. The local
    runtime creates it with a fresh value each run; the CDK app generates a RANDOM one and
    references an operator-created RSA_PRIVATE_KEY one.
    """

    name: str = Field(pattern=_LOGICAL)
    description: str
    kind: SecretKind = SecretKind.RANDOM

    @property
    def env_var(self) -> str:
        return f"SCTS_{self.name.upper().replace('-', '_')}_SECRET_ID"

    def secret_id(self, stage: str) -> str:
        return f"/{stage}/scts/{self.name}"


AccessMode = Literal["read", "read-write"]


class TableAccess(_Frozen):
    """A function's access to one of the service's tables (and its indexes)."""

    table: str
    mode: AccessMode = "read-write"


class BucketAccess(_Frozen):
    """A function's access to the objects of one of the service's buckets (and listing it)."""

    bucket: str
    mode: AccessMode = "read-write"


class Access(_Frozen):
    """What one function may touch of the service's own resources and the platform's: the
    CDK app grants exactly this (tests/infra/test_function_grants.py compares each role's
    policy with it), nothing by default.

    What the function's triggers imply is not repeated here: the queue it consumes, the
    claim checks and signed downloads it is named in, the usage plan it manages, and the
    role's own log group, key and X-Ray."""

    tables: tuple[TableAccess, ...] = ()
    buckets: tuple[BucketAccess, ...] = ()
    secrets: tuple[str, ...] = Field(default=(), description="Secrets it reads.")
    sends_to: tuple[str, ...] = Field(
        default=(), description="Work queues and schedule queues it sends messages to."
    )
    publishes: bool = Field(
        default=False, description="events:PutEvents on the platform bus (its own source only)."
    )
    user_pool: bool = Field(default=False, description="Administers the platform user pool.")
    sends_mail: bool = Field(
        default=False,
        description="Sends mail from the platform sender (and with the service's "
        "configuration set, when it declares mail events).",
    )


def read_write(*tables: str) -> tuple[TableAccess, ...]:
    """Read-write access to each of `tables` (for `Access.tables`)."""
    return tuple(TableAccess(table=table) for table in tables)


def read_only(*tables: str) -> tuple[TableAccess, ...]:
    """Read access to each of `tables` (for `Access.tables`)."""
    return tuple(TableAccess(table=table, mode="read") for table in tables)


class Function(_Frozen):
    """A Lambda function: `handler` is the dotted path `package.module.attribute`; `access`
    is everything it may touch (granted exactly, see `Access`)."""

    name: str = Field(pattern=_LOGICAL)
    handler: str = Field(pattern=r"^[a-z_][a-z0-9_.]*\.[a-z_][a-z0-9_]*$")
    timeout_seconds: int = Field(default=10, ge=1, le=900)
    memory_mb: int = Field(default=512, ge=128, le=10240)
    reserved_concurrency: int | None = Field(default=None, ge=1)
    access: Access = Access()

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


_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
"""Files of the zone database that are not IANA zones (`available_timezones()` leaves them
out too)."""


@cache
def is_time_zone(name: str) -> bool:
    """An IANA zone name. Loads that one zone rather than listing them all
    (`available_timezones()` walks the whole database: ~20 ms of every API function's cold
    start, since its topology validates its schedules at import)."""
    if name in _NOT_ZONES or name.startswith(("/", ".")):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


class Schedule(_Frozen):
    """Work the service does on a clock. At each time of `expression` (EventBridge
    Scheduler syntax, `rate(5 minutes)` or `cron(0 6 * * ? *)`, read in `timezone`, IANA,
    default UTC) a message `{"schedule": <name>, "scheduled_time": <ISO instant>}` is put
    on the schedule's own queue (DLQ after `max_receives`) -> `function`. In the cloud
    EventBridge Scheduler sends it (retry policy `max_retries` / `max_event_age_seconds`,
    then the schedule DLQ); locally `infra.local.scheduler` plays the same table. One path
    for every clock: a run asked for by hand (functions of the service get the queue's name
    in `SCTS_<NAME>_QUEUE`) goes the same way, and a failed run waits in the DLQ."""

    name: str = Field(pattern=_LOGICAL)
    expression: str = Field(examples=["cron(0 3 1 * ? *)", "rate(5 minutes)"])
    function: str
    description: str = ""
    timezone: str = "UTC"
    batch_size: int = Field(default=1, ge=1, le=10)
    max_receives: int = Field(default=3, ge=1, le=1000)
    max_retries: int = Field(default=3, ge=0, le=185)
    max_event_age_seconds: int = Field(default=3600, ge=60, le=86400)

    @property
    def env_var(self) -> str:
        return f"SCTS_{self.name.upper().replace('-', '_')}_QUEUE"

    @model_validator(mode="after")
    def _valid_expression(self) -> Schedule:
        problem = schedule_expression_problem(self.expression)
        if problem:
            raise ValueError(f"schedule {self.name}: {problem}")
        if not is_time_zone(self.timezone):
            raise ValueError(f"schedule {self.name}: unknown IANA time zone {self.timezone!r}")
        return self


class MalwareScan(_Frozen):
    """Objects written under `prefix` of `bucket` are scanned (GuardDuty Malware Protection
    for S3 in the cloud, a simulated scanner locally); each verdict, as GuardDuty publishes
    it to the account's default event bus, goes to its own queue (DLQ after
    `max_receives`) -> `function`."""

    name: str = Field(pattern=_LOGICAL)
    bucket: str
    prefix: str = Field(pattern=_PREFIX)
    function: str
    batch_size: int = Field(default=10, ge=1, le=10)
    max_receives: int = Field(default=5, ge=1, le=1000)


EDGE_REGION = "us-east-1"
"""Where CloudFront's web ACLs live, and the edge stack with them."""


class SignedDownloads(_Frozen):
    """Objects of `bucket` served by a CDN (CloudFront in the edge stack; `infra.local.cdn`
    locally) that answers only URLs signed with the `signing_key` secret (an
    RSA_PRIVATE_KEY) whose public half is in the CDN's trusted key group.

    What the CDN is only exists once it is deployed (its domain, the public key's id), and
    the edge stack deploys after the services (it reads their API URLs), so the edge
    writes both to SSM parameters under `parameter_path(stage)` (`.../url`,
    `.../key-pair-id`) in `EDGE_REGION`; functions get the path and region in
    `SCTS_<NAME>_PARAMETERS` / `SCTS_<NAME>_PARAMETERS_REGION` and read them (cached).
    The local runtime writes the same parameters for its CDN."""

    name: str = Field(pattern=_LOGICAL)
    bucket: str
    signing_key: str
    signers: tuple[str, ...] = Field(
        min_length=1, description="Functions that sign URLs (read the key and the parameters)."
    )
    prefixes: tuple[str, ...] = Field(
        min_length=1,
        description="What the CDN may read of the bucket (its origin access); nothing else.",
    )
    url_seconds: int = Field(
        default=120, ge=10, le=300, description="Lifetime of a signed URL (at most 5 minutes)."
    )

    def parameter_path(self, stage: str, service: str) -> str:
        return f"/{stage}/scts/{service}-{self.name}"

    @property
    def parameters_env_var(self) -> str:
        return f"SCTS_{self.name.upper().replace('-', '_')}_PARAMETERS"

    @property
    def region_env_var(self) -> str:
        return f"{self.parameters_env_var}_REGION"


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


QueueFed = Subscription | BucketNotification | Schedule | MalwareScan | WorkQueue | MailEvents
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
    schedules: tuple[Schedule, ...] = ()
    work_queues: tuple[WorkQueue, ...] = ()
    mail_events: MailEvents | None = None
    malware_scans: tuple[MalwareScan, ...] = ()
    claim_checks: tuple[ClaimCheck, ...] = ()
    signed_downloads: tuple[SignedDownloads, ...] = ()
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
        wanted += [q.function for q in self.work_queues]
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
        self._files_resolve(names, buckets)
        self._access_resolves()
        schedule_names = [s.name for s in self.schedules]
        if len(set(schedule_names)) != len(schedule_names):
            raise ValueError(f"{self.service}: schedule names repeat")
        queue_names = [q.name for q in self.queue_fed]
        repeated = sorted({n for n in queue_names if queue_names.count(n) > 1})
        if repeated:
            raise ValueError(
                f"{self.service}: queue names repeat {repeated}: subscriptions, bucket "
                "notifications, schedules, scans, work queues and mail events share one "
                "queue namespace"
            )
        if self.publishes and not any(t.outbox for t in self.tables):
            raise ValueError(f"{self.service}: publishing events needs an outbox table")
        if self.mail_events is not None and PlatformRef.MAIL_SENDER not in self.platform:
            raise ValueError(f"{self.service}: mail events need the MAIL_SENDER platform ref")
        return self

    def _files_resolve(self, names: set[str], buckets: set[str]) -> None:
        """Schedules, scans, claim checks and signed downloads name what exists."""
        functional: tuple[Schedule | MalwareScan | ClaimCheck, ...] = (
            *self.schedules,
            *self.malware_scans,
            *self.claim_checks,
        )
        for declared in functional:
            if declared.function not in names:
                raise ValueError(
                    f"{self.service}: {declared.name} names unknown function {declared.function!r}"
                )
        on_buckets: tuple[MalwareScan | SignedDownloads, ...] = (
            *self.malware_scans,
            *self.signed_downloads,
        )
        for declared_bucket in on_buckets:
            if declared_bucket.bucket not in buckets:
                raise ValueError(
                    f"{self.service}: {declared_bucket.name} names unknown bucket "
                    f"{declared_bucket.bucket!r}"
                )
        secrets = {s.name: s for s in self.secrets}
        for downloads in self.signed_downloads:
            for prefix in downloads.prefixes:
                if not re.fullmatch(_PREFIX, prefix):
                    raise ValueError(f"{self.service}: {downloads.name} prefix {prefix!r}")
            unknown = sorted(set(downloads.signers) - names)
            if unknown:
                raise ValueError(f"{self.service}: {downloads.name} signers name unknown {unknown}")
            key = secrets.get(downloads.signing_key)
            if key is None or key.kind is not SecretKind.RSA_PRIVATE_KEY:
                raise ValueError(
                    f"{self.service}: signed downloads {downloads.name} need an "
                    f"{SecretKind.RSA_PRIVATE_KEY.value} secret, not {downloads.signing_key!r}"
                )
        for claim in self.claim_checks:
            if claim.service == self.service:
                raise ValueError(f"{self.service}: claim check {claim.name} reads its own bucket")
        env_vars = [b.env_var for b in self.buckets] + [c.env_var for c in self.claim_checks]
        if len(set(env_vars)) != len(env_vars):
            raise ValueError(f"{self.service}: bucket and claim check names must not repeat")

    def _access_resolves(self) -> None:
        """Every function's `access` names the service's own tables, buckets, secrets and
        queues; a signing key (RSA) is read only by its signed downloads' signers; the
        platform it asks for is declared."""
        tables = {t.name for t in self.tables}
        buckets = {b.name for b in self.buckets}
        secrets = {s.name: s for s in self.secrets}
        queues = {q.name for q in self.work_queues} | {s.name for s in self.schedules}
        for function in self.functions:
            access, name = function.access, function.name
            unknown = sorted(
                {t.table for t in access.tables} - tables
                | {b.bucket for b in access.buckets} - buckets
                | set(access.secrets) - set(secrets)
                | set(access.sends_to) - queues
            )
            if unknown:
                raise ValueError(
                    f"{self.service}: function {name}'s access names unknown {unknown}"
                )
            for secret in access.secrets:
                if secrets[secret].kind is SecretKind.RSA_PRIVATE_KEY and not any(
                    name in d.signers for d in self.signed_downloads if d.signing_key == secret
                ):
                    raise ValueError(
                        f"{self.service}: function {name} reads signing key {secret} "
                        "but signs no downloads with it"
                    )
            if access.user_pool and PlatformRef.USER_POOL not in self.platform:
                raise ValueError(f"{self.service}: {name} administers the pool: USER_POOL ref")
            if access.sends_mail and PlatformRef.MAIL_SENDER not in self.platform:
                raise ValueError(f"{self.service}: {name} sends mail: MAIL_SENDER platform ref")
            if access.publishes and PlatformRef.EVENT_BUS not in self.platform:
                raise ValueError(f"{self.service}: {name} publishes: EVENT_BUS platform ref")

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
        """Every declaration with its own queue + DLQ (one queue namespace)."""
        return (
            *self.subscriptions,
            *self.bucket_notifications,
            *self.schedules,
            *self.malware_scans,
            *self.work_queues,
            *((self.mail_events,) if self.mail_events is not None else ()),
        )

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


def check_shares(topologies: Iterable[ServiceTopology]) -> None:
    """Every claim check reads what its owner shares with that service, and every share is
    claimed: the two sides of a file hand-over cannot drift apart."""
    topologies = tuple(topologies)
    by_service = {t.service: t for t in topologies}
    offered = {
        (owner.service, bucket.name, share.prefix, share.service)
        for owner in topologies
        for bucket in owner.buckets
        for share in bucket.shares
    }
    claimed = set()
    for reader in topologies:
        for claim in reader.claim_checks:
            key = (claim.service, claim.bucket, claim.prefix, reader.service)
            if claim.service not in by_service:
                raise ValueError(
                    f"{reader.service}: claim check {claim.name} names unknown "
                    f"service {claim.service!r}"
                )
            if key not in offered:
                raise ValueError(
                    f"{reader.service}: claim check {claim.name} reads {claim.prefix} of "
                    f"{claim.service}'s {claim.bucket!r}, which {claim.service} does not share "
                    f"with {reader.service}"
                )
            claimed.add(key)
    unclaimed = sorted(offered - claimed)
    if unclaimed:
        raise ValueError(f"shares nobody claims: {unclaimed}")
