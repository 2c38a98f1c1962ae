"""A function's `access` (what the CDK app grants it, exactly) names what the service
declares, and asks only for the platform the service is told about."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from common.topology import (
    Access,
    Bucket,
    BucketAccess,
    Function,
    PlatformRef,
    Schedule,
    Secret,
    SecretKind,
    ServiceTopology,
    SignedDownloads,
    Table,
    WorkQueue,
    read_only,
    read_write,
)
from services.topologies import TOPOLOGIES


def topology(access: Access, **extra: object) -> ServiceTopology:
    return ServiceTopology.model_validate(
        {
            "service": "svc",
            "functions": (
                Function(name="api", handler="svc.handlers.api.handler", access=access),
                Function(name="worker", handler="svc.handlers.worker.handler"),
            ),
            "tables": (Table(name="things"),),
            "buckets": (Bucket(name="files"),),
            "secrets": (Secret(name="hmac", description="d"),),
            "work_queues": (WorkQueue(name="work", function="worker"),),
            "schedules": (Schedule(name="daily", expression="rate(1 day)", function="worker"),),
            **extra,
        }
    )


def test_access_to_what_the_service_declares_is_accepted() -> None:
    declared = topology(
        Access(
            tables=read_only("things"),
            buckets=(BucketAccess(bucket="files", mode="read"),),
            secrets=("hmac",),
            sends_to=("work", "daily"),
        )
    )
    assert declared.function("worker").access == Access()  # nothing unless declared


@pytest.mark.parametrize(
    "access",
    [
        Access(tables=read_write("other")),
        Access(buckets=(BucketAccess(bucket="other"),)),
        Access(secrets=("other",)),
        Access(sends_to=("other",)),
    ],
)
def test_access_to_anything_undeclared_is_refused(access: Access) -> None:
    with pytest.raises(ValidationError, match="access names unknown"):
        topology(access)


@pytest.mark.parametrize(
    ("access", "ref"),
    [
        (Access(user_pool=True), PlatformRef.USER_POOL),
        (Access(sends_mail=True), PlatformRef.MAIL_SENDER),
        (Access(publishes=True), PlatformRef.EVENT_BUS),
    ],
)
def test_platform_access_needs_its_platform_ref(access: Access, ref: PlatformRef) -> None:
    with pytest.raises(ValidationError, match=ref.name):
        topology(access)
    assert topology(access, platform=frozenset({ref})).function("api").access == access


def test_a_signing_key_is_read_only_by_its_signers() -> None:
    key = Secret(name="signing", description="d", kind=SecretKind.RSA_PRIVATE_KEY)
    downloads = SignedDownloads(
        name="cdn", bucket="files", signing_key="signing", signers=("api",), prefixes=("out/",)
    )
    extra = {"secrets": (key,), "signed_downloads": (downloads,)}
    assert topology(Access(secrets=("signing",)), **extra)
    with pytest.raises(ValidationError, match="signs no downloads"):
        ServiceTopology.model_validate(
            {
                **topology(Access(secrets=("signing",)), **extra).model_dump(),
                "functions": (
                    Function(name="api", handler="svc.handlers.api.handler"),
                    Function(
                        name="worker",
                        handler="svc.handlers.worker.handler",
                        access=Access(secrets=("signing",)),
                    ),
                ),
            }
        )


def test_only_the_api_functions_read_the_callers_budget_and_the_cursor_keys() -> None:
    """Shape of the services' declarations: the rate-limit table and cursor secrets
    belong to the functions that serve user routes (`common.lambda_api`)."""
    for declared in TOPOLOGIES:
        serving = {r.function for r in declared.http_routes}
        for function in declared.functions:
            tables = {t.table for t in function.access.tables}
            assert ("rate-limits" in tables) == (function.name in serving), function.name
            cursor_keys = {s for s in function.access.secrets if "cursor" in s}
            if function.name not in serving:
                assert cursor_keys == set(), (declared.service, function.name)
