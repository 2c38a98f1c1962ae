"""Forward deals: trades with volume still to deliver, by next delivery date."""

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
from services.portfolio.models.api.holdings import ForwardDealItem, ForwardDealPage
from services.portfolio.models.queries import ForwardDealQuery

router = Router()
TAGS = ["forward deals"]
COLUMNS = columns(
    ForwardDealItem,
    [
        "reference", "side", "scheme", "contracted_mwh", "delivered_mwh", "outstanding_mwh",
        "next_delivery_date", "registry_account", "status",
    ],
)  # fmt: skip


@router.get(
    f"{ACCOUNT}/forward-deals",
    operation_id="listForwardDeals",
    summary="Trades with volume still to deliver, nearest delivery first",
    tags=TAGS,
    responses=errors(*LIST_ERRORS),
)
def list_forward_deals(
    account_id: AccountId,
    params: Annotated[ForwardDealQuery, Query()],
    caller: Caller,
    reads: ReadsDep,
) -> ForwardDealPage:
    page = holdings.list_forward_deals(reads, caller, account_id, params)
    return ForwardDealPage(
        items=[ForwardDealItem.of(d) for d in page.items], next_cursor=page.next_cursor
    )


@router.get(
    f"{ACCOUNT}/forward-deals/export",
    operation_id="exportForwardDeals",
    summary="The filtered forward deals as CSV (every page)",
    tags=TAGS,
    responses=csv_responses(403, 404, 413),
)
def export_forward_deals(
    account_id: AccountId,
    params: Annotated[ForwardDealQuery, Query()],
    caller: Caller,
    reads: ReadsDep,
) -> Response[str]:
    rows = holdings.export_forward_deals(reads, caller, account_id, params)
    return csv_download("forward-deals", COLUMNS, (ForwardDealItem.of(d) for d in rows))
