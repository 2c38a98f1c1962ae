"""The provisioning service's cloud shape: read by the CDK app and by the local runtime."""

from common.rate_limit import RATE_LIMITS_TABLE, rate_limit_table
from common.topology import (
    Access,
    AuthKind,
    Bucket,
    BucketAccess,
    BucketNotification,
    Function,
    Route,
    ServiceTopology,
    Share,
    Subscription,
    Table,
    UsagePlan,
    read_write,
)
from contracts.events import provisioning as events
from services.provisioning import SERVICE
from services.provisioning.models.records import RecordKind
from services.provisioning.models.uploads import UPLOAD_OBJECT_PREFIX

API = "api"
INGEST = "ingest"
UPLOAD_LANDED = "upload-landed"
FILES = "files"
PUBLISHED_DOCUMENTS_PREFIX = "documents/"
"""Where published document files are kept (`logic.events.document_key`); the documents
service reads them from here (claim check), and nothing else of the bucket."""

_INGEST_ROUTES = tuple(
    Route(method="POST", path=f"/v1/{kind.value}", auth=AuthKind.PUBLISHER, function=INGEST)
    for kind in RecordKind
)

TOPOLOGY = ServiceTopology(
    service=SERVICE,
    functions=(
        Function(
            name=API,
            handler="services.provisioning.handlers.api.handler",
            timeout_seconds=29,
            memory_mb=1024,
            access=Access(
                tables=read_write("records", "publishers", RATE_LIMITS_TABLE),
                buckets=(BucketAccess(bucket=FILES),),
            ),
        ),
        Function(
            name=INGEST,
            handler="services.provisioning.handlers.ingest.handler",
            timeout_seconds=29,
            memory_mb=1024,
            access=Access(
                tables=read_write("records", "publishers", "idempotency"),
                buckets=(BucketAccess(bucket=FILES),),
            ),
        ),
        Function(
            name="authorizer",
            handler="services.provisioning.handlers.authorizer.handler",
            timeout_seconds=5,
            memory_mb=256,
            access=Access(tables=read_write("publishers")),
        ),
        Function(
            name="uploads",
            handler="services.provisioning.handlers.uploads.handler",
            timeout_seconds=900,
            memory_mb=1024,
            reserved_concurrency=5,
            access=Access(
                tables=read_write("records", "publishers"), buckets=(BucketAccess(bucket=FILES),)
            ),
        ),
        Function(
            name=UPLOAD_LANDED,
            handler="services.provisioning.handlers.upload_landed.handler",
            timeout_seconds=30,
            memory_mb=256,
            access=Access(tables=read_write("records"), buckets=(BucketAccess(bucket=FILES),)),
        ),
        Function(
            name="accounts",
            handler="services.provisioning.handlers.accounts.handler",
            timeout_seconds=30,
            memory_mb=256,
            access=Access(tables=read_write("records")),
        ),
    ),
    tables=(
        Table(name="records", stream=True, outbox=True, ttl_attribute="expires_at"),
        Table(name="publishers", ttl_attribute="expires_at"),
        Table(name="idempotency", partition_key="id", sort_key=None, ttl_attribute="expiration"),
        rate_limit_table(),
    ),
    buckets=(
        Bucket(
            name=FILES,
            shares=(Share(prefix=PUBLISHED_DOCUMENTS_PREFIX, service="documents"),),
        ),
    ),
    routes=(
        Route(method="GET", path="/v1/version", auth=AuthKind.PUBLIC, function=API),
        Route(method="POST", path="/v1/publishers", auth=AuthKind.USER, function=API),
        Route(method="GET", path="/v1/publishers", auth=AuthKind.USER, function=API),
        Route(method="GET", path="/v1/publishers/{publisher_id}", auth=AuthKind.USER, function=API),
        Route(
            method="POST",
            path="/v1/publishers/{publisher_id}/keys",
            auth=AuthKind.USER,
            function=API,
        ),
        Route(
            method="DELETE",
            path="/v1/publishers/{publisher_id}/keys/{prefix}",
            auth=AuthKind.USER,
            function=API,
        ),
        *_INGEST_ROUTES,
        Route(method="POST", path="/v1/uploads", auth=AuthKind.PUBLISHER, function=INGEST),
        Route(
            method="GET", path="/v1/uploads/{upload_id}", auth=AuthKind.PUBLISHER, function=INGEST
        ),
        Route(
            method="POST",
            path="/v1/uploads/{upload_id}/complete",
            auth=AuthKind.PUBLISHER,
            function=INGEST,
        ),
        Route(
            method="GET",
            path="/v1/uploads/{upload_id}/rejections",
            auth=AuthKind.PUBLISHER,
            function=INGEST,
        ),
    ),
    subscriptions=(
        Subscription(
            name="accounts",
            detail_types=("AccountCreated",),
            sources=("scts.identity",),
            function="accounts",
        ),
        Subscription(
            name="uploads",
            detail_types=(events.UPLOAD_RECEIVED.detail_type,),
            sources=(events.UPLOAD_RECEIVED.source,),
            function="uploads",
            batch_size=1,
            max_receives=3,
        ),
    ),
    bucket_notifications=(
        BucketNotification(
            name=UPLOAD_LANDED,
            bucket=FILES,
            prefix=UPLOAD_OBJECT_PREFIX,
            function=UPLOAD_LANDED,
            max_receives=5,
        ),
    ),
    publishes=tuple(t.detail_type for t in events.EVENT_TYPES),
    publisher_authorizer="authorizer",
    publisher_usage_plan=UsagePlan(rate_limit=20, burst_limit=40, key_managers=(API,)),
)
