"""Usage and targets: coverage per year, consumption records, targets (reads and writes)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from common.api import Caller
from common.api_types import ID_PATTERN, Day
from common.openapi import errors
from services.portfolio.handlers.routing import (
    ACCOUNT,
    LIST_ERRORS,
    AccountId,
    ReadsDep,
    WritesDep,
    columns,
    csv_download,
    csv_responses,
)
from services.portfolio.logic import usage as usage_data
from services.portfolio.logic.queries import usage
from services.portfolio.models.api.usage import (
    ConsumptionItem,
    ConsumptionPage,
    TargetItem,
    UsageResponse,
)
from services.portfolio.models.queries import ConsumptionQuery
from services.portfolio.models.usage import ConsumptionInput, TargetInput

router = Router()
TAGS = ["usage"]
SiteId = Annotated[str, Path(pattern=ID_PATTERN, description="The site (1-64 of A-Z a-z 0-9 - _).")]
TargetId = Annotated[
    str, Path(pattern=ID_PATTERN, description="The target (1-64 of A-Z a-z 0-9 - _).")
]
PeriodStart = Annotated[Day, Path(description="First day of the consumption period.")]
CONSUMPTION = f"{ACCOUNT}/usage/consumption/<site_id>/<period_start>"
TARGET = f"{ACCOUNT}/usage/targets/<target_id>"
COLUMNS = columns(
    ConsumptionItem,
    [
        "site_id", "site_name", "country", "period_start", "period_end", "consumption_mwh",
        "source", "updated_by", "updated_by_email", "updated_at",
    ],
)  # fmt: skip


def deleted(*error_statuses: int) -> dict[int, Any]:
    return {
        204: {"description": "Deleted.", "content": {}},
        **errors(*error_statuses, success=None),
    }


@router.get(
    f"{ACCOUNT}/usage",
    operation_id="getUsage",
    summary="The targets, and per year consumption, retirements and coverage",
    tags=TAGS,
    responses=errors(403, 404, 413),
)
def get_usage(account_id: AccountId, caller: Caller, reads: ReadsDep) -> UsageResponse:
    return UsageResponse.of(usage.usage(reads, caller, account_id))


@router.get(
    f"{ACCOUNT}/usage/consumption",
    operation_id="listConsumption",
    summary="The consumption records, by site and period, one page at a time",
    tags=TAGS,
    responses=errors(*LIST_ERRORS),
)
def list_consumption(
    account_id: AccountId,
    params: Annotated[ConsumptionQuery, Query()],
    caller: Caller,
    reads: ReadsDep,
) -> ConsumptionPage:
    page = usage.list_consumption(reads, caller, account_id, params)
    return ConsumptionPage(
        items=[ConsumptionItem.of(c) for c in page.items], next_cursor=page.next_cursor
    )


@router.get(
    f"{ACCOUNT}/usage/consumption/export",
    operation_id="exportConsumption",
    summary="Every consumption record as CSV",
    tags=TAGS,
    responses=csv_responses(403, 404, 413),
)
def export_consumption(
    account_id: AccountId,
    params: Annotated[ConsumptionQuery, Query()],
    caller: Caller,
    reads: ReadsDep,
) -> Response[str]:
    rows = usage.export_consumption(reads, caller, account_id)
    return csv_download("consumption", COLUMNS, (ConsumptionItem.of(c) for c in rows))


@router.put(
    CONSUMPTION,
    operation_id="putConsumption",
    summary="Write the consumption of one site for the period starting that day",
    tags=TAGS,
    responses=errors(403, 404, 409, 422),
)
def put_consumption(
    account_id: AccountId,
    site_id: SiteId,
    period_start: PeriodStart,
    body: ConsumptionInput,
    caller: Caller,
    writes: WritesDep,
) -> ConsumptionItem:
    record = usage_data.put_consumption(writes, caller, account_id, site_id, period_start, body)
    return ConsumptionItem.of(record)


@router.delete(
    CONSUMPTION,
    operation_id="deleteConsumption",
    summary="Delete one consumption record",
    tags=TAGS,
    responses=deleted(403, 404, 409),
)
def delete_consumption(
    account_id: AccountId,
    site_id: SiteId,
    period_start: PeriodStart,
    caller: Caller,
    writes: WritesDep,
) -> Response[None]:
    usage_data.delete_consumption(writes, caller, account_id, site_id, period_start)
    return Response(status_code=HTTPStatus.NO_CONTENT, body=None)


@router.put(
    TARGET,
    operation_id="putTarget",
    summary="Write a renewable-share target",
    tags=TAGS,
    responses=errors(403, 404, 422),
)
def put_target(
    account_id: AccountId, target_id: TargetId, body: TargetInput, caller: Caller, writes: WritesDep
) -> TargetItem:
    return TargetItem.of(usage_data.put_target(writes, caller, account_id, target_id, body))


@router.delete(
    TARGET,
    operation_id="deleteTarget",
    summary="Delete a target",
    tags=TAGS,
    responses=deleted(403, 404),
)
def delete_target(
    account_id: AccountId, target_id: TargetId, caller: Caller, writes: WritesDep
) -> Response[None]:
    usage_data.delete_target(writes, caller, account_id, target_id)
    return Response(status_code=HTTPStatus.NO_CONTENT, body=None)
