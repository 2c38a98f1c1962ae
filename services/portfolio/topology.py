"""The portfolio service's cloud shape: read by the CDK app and by the local runtime."""

from common.access.topology import access_function, access_subscription, access_table
from common.rate_limit import RATE_LIMITS_TABLE, rate_limit_table
from common.topology import (
    Access,
    AuthKind,
    Function,
    Index,
    Route,
    Secret,
    ServiceTopology,
    Subscription,
    Table,
    read_only,
    read_write,
)
from services.portfolio import SERVICE
from services.portfolio.logic.facts import PROJECTED_DETAIL_TYPES

ACCOUNT = "/v1/accounts/{account_id}"

READ_ROUTES = (
    f"{ACCOUNT}/trades",
    f"{ACCOUNT}/trades/export",
    f"{ACCOUNT}/trades/{{reference}}",
    f"{ACCOUNT}/holdings",
    f"{ACCOUNT}/holdings/reconciliation",
    f"{ACCOUNT}/holdings/batches",
    f"{ACCOUNT}/holdings/batches/export",
    f"{ACCOUNT}/forward-deals",
    f"{ACCOUNT}/forward-deals/export",
    f"{ACCOUNT}/retirements",
    f"{ACCOUNT}/retirements/export",
    f"{ACCOUNT}/retirements/{{reference}}",
    f"{ACCOUNT}/invoices",
    f"{ACCOUNT}/invoices/export",
    f"{ACCOUNT}/invoices/{{reference}}",
    f"{ACCOUNT}/financials",
    f"{ACCOUNT}/usage",
    f"{ACCOUNT}/usage/consumption",
    f"{ACCOUNT}/usage/consumption/export",
    f"{ACCOUNT}/summary",
    "/v1/cam/overview",
)
WRITE_ROUTES = (
    ("PUT", f"{ACCOUNT}/usage/consumption/{{site_id}}/{{period_start}}"),
    ("DELETE", f"{ACCOUNT}/usage/consumption/{{site_id}}/{{period_start}}"),
    ("PUT", f"{ACCOUNT}/usage/targets/{{target_id}}"),
    ("DELETE", f"{ACCOUNT}/usage/targets/{{target_id}}"),
)

CURSOR_SIGNING_KEY = Secret(
    name="cursor-signing-key",
    description="HMAC key binding pagination cursors to an account and a principal.",
)

TOPOLOGY = ServiceTopology(
    service=SERVICE,
    functions=(
        Function(
            name="api",
            handler="services.portfolio.handlers.api.handler",
            access=Access(
                tables=(
                    *read_write("read-model", "usage", RATE_LIMITS_TABLE),
                    *read_only("access"),
                ),
                secrets=(CURSOR_SIGNING_KEY.name,),
            ),
        ),
        Function(
            name="projector",
            handler="services.portfolio.handlers.projector.handler",
            timeout_seconds=30,
            access=Access(tables=read_write("read-model")),
        ),
        access_function(),
    ),
    tables=(
        Table(
            name="read-model",
            indexes=(
                Index(name="bydate", partition_key="gsi1pk", sort_key="gsi1sk"),
                Index(name="byvolume", partition_key="gsi2pk", sort_key="gsi2sk"),
                Index(name="byfacet", partition_key="gsi3pk", sort_key="gsi3sk"),
            ),
        ),
        Table(name="usage"),
        access_table(cam_accounts=True),
        rate_limit_table(),
    ),
    secrets=(CURSOR_SIGNING_KEY,),
    routes=(
        Route(method="GET", path="/v1/version", auth=AuthKind.PUBLIC, function="api"),
        *(
            Route(method="GET", path=path, auth=AuthKind.USER, function="api")
            for path in READ_ROUTES
        ),
        *(
            Route(method=method, path=path, auth=AuthKind.USER, function="api")
            for method, path in WRITE_ROUTES
        ),
    ),
    subscriptions=(
        Subscription(
            name="provisioning-events",
            detail_types=PROJECTED_DETAIL_TYPES,
            sources=("scts.provisioning",),
            function="projector",
        ),
        access_subscription("access"),
    ),
)
