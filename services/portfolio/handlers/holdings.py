"""Holdings: positions grouped by dimension, and the certificate batch drill-down."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from common.api import Caller
from common.openapi import errors
from services.portfolio.handlers.routing import (
    ACCOUNT,
    LIST_ERRORS,
    AccountId,
    ReadsDep,
    columns,
    csv_download,
    csv_responses,
)
from services.portfolio.logic.queries import holdings
from services.portfolio.models.api.holdings import BatchItem, BatchPage, HoldingsResponse
from services.portfolio.models.queries import BatchQuery, HoldingsQuery

router = Router()
TAGS = ["holdings"]
BATCH_COLUMNS = columns(
    BatchItem,
    [
        "scheme", "registry_account", "technology", "country", "vintage", "expires_on",
        "movement", "source_reference", "trade_reference", "serial_start", "serial_end",
        "quantity", "device_code", "moved_on",
    ],
)  # fmt: skip


@router.get(
    f"{ACCOUNT}/holdings",
    operation_id="getHoldings",
    summary="Certificates by where they stand, grouped by the chosen dimensions",
    tags=TAGS,
    responses=errors(403, 404, 413),
)
def get_holdings(
    account_id: AccountId,
    params: Annotated[HoldingsQuery, Query()],
    caller: Caller,
    reads: ReadsDep,
) -> HoldingsResponse:
    return HoldingsResponse.of(holdings.holdings(reads, caller, account_id, params))


@router.get(
    f"{ACCOUNT}/holdings/batches",
    operation_id="listHoldingBatches",
    summary="Certificate batches moved in, out or retired, one page at a time",
    tags=TAGS,
    responses=errors(*LIST_ERRORS),
)
def list_holding_batches(
    account_id: AccountId,
    params: Annotated[BatchQuery, Query()],
    caller: Caller,
    reads: ReadsDep,
) -> BatchPage:
    page = holdings.list_batches(reads, caller, account_id, params)
    return BatchPage(items=[BatchItem.of(b) for b in page.items], next_cursor=page.next_cursor)


@router.get(
    f"{ACCOUNT}/holdings/batches/export",
    operation_id="exportHoldingBatches",
    summary="The filtered certificate batches as CSV (every page)",
    tags=TAGS,
    responses=csv_responses(403, 404, 413),
)
def export_holding_batches(
    account_id: AccountId,
    params: Annotated[BatchQuery, Query()],
    caller: Caller,
    reads: ReadsDep,
) -> Response[str]:
    rows = holdings.export_batches(reads, caller, account_id, params)
    return csv_download("holdings-batches", BATCH_COLUMNS, (BatchItem.of(b) for b in rows))
