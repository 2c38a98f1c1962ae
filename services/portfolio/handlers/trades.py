"""Trades: the filtered list, its CSV export, one trade with its history."""

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
    Reference,
    columns,
    csv_download,
    csv_responses,
)
from services.portfolio.logic.queries import trades
from services.portfolio.models.api.trades import TradeDetailResponse, TradeItem, TradePage
from services.portfolio.models.queries import TradeQuery

router = Router()
TAGS = ["trades"]
COLUMNS = columns(
    TradeItem,
    [
        "reference", "version", "status", "side", "trade_date", "scheme", "volume_mwh",
        "unit_price", "currency", "total", "technologies", "countries", "vintage_from",
        "vintage_to", "delivery_date", "registry_account", "payment_due_date", "delivered_mwh",
        "outstanding_mwh",
    ],
)  # fmt: skip


@router.get(
    f"{ACCOUNT}/trades",
    operation_id="listTrades",
    summary="The account's trades, filtered and sorted, one page at a time",
    description="A page holds up to `limit` matching trades while more exist; `q` searches "
    "the reference (any part, case-insensitive).",
    tags=TAGS,
    responses=errors(*LIST_ERRORS),
)
def list_trades(
    account_id: AccountId,
    params: Annotated[TradeQuery, Query()],
    caller: Caller,
    reads: ReadsDep,
) -> TradePage:
    page = trades.list_trades(reads, caller, account_id, params)
    return TradePage(items=[TradeItem.of(t) for t in page.items], next_cursor=page.next_cursor)


@router.get(
    f"{ACCOUNT}/trades/export",
    operation_id="exportTrades",
    summary="The filtered trades as CSV (every page)",
    tags=TAGS,
    responses=csv_responses(403, 404, 413),
)
def export_trades(
    account_id: AccountId,
    params: Annotated[TradeQuery, Query()],
    caller: Caller,
    reads: ReadsDep,
) -> Response[str]:
    rows = trades.export_trades(reads, caller, account_id, params)
    return csv_download("trades", COLUMNS, (TradeItem.of(t) for t in rows))


@router.get(
    f"{ACCOUNT}/trades/<reference>",
    operation_id="getTrade",
    summary="One trade with its versions, deliveries and invoices",
    tags=TAGS,
    responses=errors(403, 404, 413),
)
def get_trade(
    account_id: AccountId, reference: Reference, caller: Caller, reads: ReadsDep
) -> TradeDetailResponse:
    detail, access = trades.trade_detail(reads, caller, account_id, reference)
    return TradeDetailResponse.of(detail, access)
