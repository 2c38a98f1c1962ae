"""The documents service's cloud shape: read by the CDK app and by the local runtime."""

from common.access.topology import access_function, access_subscription, access_table
from common.rate_limit import RATE_LIMITS_TABLE, rate_limit_table
from common.topology import (
    Access,
    AuthKind,
    Bucket,
    BucketAccess,
    ClaimCheck,
    Expiry,
    Function,
    Index,
    MalwareScan,
    Route,
    Schedule,
    Secret,
    SecretKind,
    ServiceTopology,
    SignedDownloads,
    Subscription,
    Table,
    read_only,
    read_write,
)
from contracts.events import documents as events
from contracts.events import provisioning as provisioning_events
from services.documents import SERVICE

ACCOUNT = "/v1/accounts/{account_id}"
DOCUMENT = f"{ACCOUNT}/documents/{{document_id}}"
BUNDLE = f"{ACCOUNT}/bundles/{{bundle_id}}"

FILES = "files"
"""The service's bucket: `files/` downloadable objects, `quarantine/` published files being
checked, `bundles/` ZIPs of a period (deleted after a week)."""
QUARANTINE_PREFIX = "quarantine/"
DOWNLOADS_PREFIX = "files/"
BUNDLES_PREFIX = "bundles/"
PUBLISHED_PREFIX = "documents/"
"""Where provisioning keeps the files STX publishes (shared with this service only)."""

PROJECTED_FACTS = (
    provisioning_events.COUNTERPARTY_LINKED,
    provisioning_events.TRADE_EXECUTED,
    provisioning_events.TRADE_AMENDED,
    provisioning_events.TRADE_CANCELLED,
    provisioning_events.DELIVERY_COMPLETED,
    provisioning_events.DELIVERY_FAILED,
    provisioning_events.RETIREMENT_COMPLETED,
    provisioning_events.INVOICE_ISSUED,
    provisioning_events.INVOICE_PAID,
)

SIGNING_KEY = Secret(
    name="documents-signing-key",
    description="RSA private key signing CloudFront URLs of documents (public half: key group).",
    kind=SecretKind.RSA_PRIVATE_KEY,
)
CURSOR_SIGNING_KEY = Secret(
    name="documents-cursor-signing-key",
    description="HMAC key binding pagination cursors to an account, a person and a query.",
)
MONTHLY_STATEMENTS = Schedule(
    name="monthly-statements",
    expression="cron(0 3 1 * ? *)",
    function="statements",
    description="Each account's statement of the month that just ended (1st, 03:00 UTC).",
    max_retries=5,
    max_event_age_seconds=6 * 3600,
)

CORE = Access(
    tables=(*read_write("documents", "facts"), *read_only("access")),
    buckets=(BucketAccess(bucket=FILES),),
)
"""What every documents function's ports reach (`dependencies.ports`): its tables, its
bucket, and the access projection (read)."""

TOPOLOGY = ServiceTopology(
    service=SERVICE,
    functions=(
        Function(
            name="api",
            handler="services.documents.handlers.api.handler",
            memory_mb=1024,
            access=CORE.model_copy(
                update={
                    "tables": (*CORE.tables, *read_write(RATE_LIMITS_TABLE)),
                    "secrets": (SIGNING_KEY.name, CURSOR_SIGNING_KEY.name),
                    "sends_to": (MONTHLY_STATEMENTS.name,),
                }
            ),
        ),
        Function(
            name="facts",
            handler="services.documents.handlers.facts.handler",
            timeout_seconds=60,
            memory_mb=1024,
            access=CORE,
        ),
        Function(
            name="intake",
            handler="services.documents.handlers.intake.handler",
            timeout_seconds=60,
            memory_mb=512,
            access=CORE,
        ),
        Function(
            name="verdicts",
            handler="services.documents.handlers.verdicts.handler",
            timeout_seconds=30,
            memory_mb=256,
            access=CORE,
        ),
        Function(
            name="statements",
            handler="services.documents.handlers.statements.handler",
            timeout_seconds=900,
            memory_mb=1769,
            reserved_concurrency=2,
            access=CORE,
        ),
        Function(
            name="bundler",
            handler="services.documents.handlers.bundler.handler",
            timeout_seconds=300,
            memory_mb=1024,
            reserved_concurrency=5,
            access=CORE,
        ),
        access_function(),
    ),
    tables=(
        Table(
            name="documents",
            indexes=(Index(name="bykind", partition_key="gsi1pk", sort_key="gsi1sk"),),
            stream=True,
            outbox=True,
            ttl_attribute="expires_at",
        ),
        Table(name="facts"),
        access_table(),
        rate_limit_table(),
    ),
    buckets=(
        Bucket(
            name=FILES,
            expiries=(
                Expiry(prefix=BUNDLES_PREFIX, days=7),
                Expiry(prefix=QUARANTINE_PREFIX, days=30),
            ),
        ),
    ),
    secrets=(SIGNING_KEY, CURSOR_SIGNING_KEY),
    routes=(
        Route(method="GET", path="/v1/version", auth=AuthKind.PUBLIC, function="api"),
        Route(method="GET", path=f"{ACCOUNT}/documents", auth=AuthKind.USER, function="api"),
        Route(method="GET", path=DOCUMENT, auth=AuthKind.USER, function="api"),
        Route(method="GET", path=f"{DOCUMENT}/download", auth=AuthKind.USER, function="api"),
        Route(method="POST", path=f"{DOCUMENT}/withdrawal", auth=AuthKind.USER, function="api"),
        Route(method="POST", path=f"{ACCOUNT}/bundles", auth=AuthKind.USER, function="api"),
        Route(method="GET", path=BUNDLE, auth=AuthKind.USER, function="api"),
        Route(method="GET", path=f"{BUNDLE}/download", auth=AuthKind.USER, function="api"),
        Route(method="POST", path="/v1/statement-runs", auth=AuthKind.USER, function="api"),
    ),
    subscriptions=(
        Subscription(
            name="provisioning-facts",
            detail_types=tuple(t.detail_type for t in PROJECTED_FACTS),
            sources=(provisioning_events.TRADE_EXECUTED.source,),
            function="facts",
        ),
        Subscription(
            name="published-documents",
            detail_types=(provisioning_events.DOCUMENT_PUBLISHED.detail_type,),
            sources=(provisioning_events.DOCUMENT_PUBLISHED.source,),
            function="intake",
            batch_size=5,
        ),
        Subscription(
            name="bundle-requests",
            detail_types=(events.BUNDLE_REQUESTED.detail_type,),
            sources=(events.BUNDLE_REQUESTED.source,),
            function="bundler",
            batch_size=1,
            max_receives=3,
        ),
        access_subscription("access"),
    ),
    schedules=(MONTHLY_STATEMENTS,),
    malware_scans=(
        MalwareScan(
            name="scan-results", bucket=FILES, prefix=QUARANTINE_PREFIX, function="verdicts"
        ),
    ),
    claim_checks=(
        ClaimCheck(
            name="published-files",
            service="provisioning",
            bucket="files",
            prefix=PUBLISHED_PREFIX,
            function="intake",
        ),
    ),
    signed_downloads=(
        SignedDownloads(
            name="cdn",
            bucket=FILES,
            signing_key=SIGNING_KEY.name,
            signers=("api",),
            prefixes=(DOWNLOADS_PREFIX, BUNDLES_PREFIX),
        ),
    ),
    publishes=tuple(t.detail_type for t in events.EVENT_TYPES),
)
