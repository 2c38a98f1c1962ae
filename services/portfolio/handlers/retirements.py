"""Retirements: the list, its CSV export, one retirement."""

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
from services.portfolio.logic.queries import retirements
from services.portfolio.models.api.retirements import RetirementItem, RetirementPage
from services.portfolio.models.queries import RetirementQuery

router = Router()
TAGS = ["retirements"]
COLUMNS = columns(
    RetirementItem,
    [
        "reference", "status", "scheme", "volume_mwh", "retired_on", "beneficiary_name",
        "consumption_country", "consumption_period_start", "consumption_period_end",
        "reporting_year", "purpose", "registry_transaction_reference",
    ],
)  # fmt: skip


@router.get(
    f"{ACCOUNT}/retirements",
    operation_id="listRetirements",
    summary="The account's retirements, newest first, one page at a time",
    tags=TAGS,
    responses=errors(*LIST_ERRORS),
)
def list_retirements(
    account_id: AccountId,
    params: Annotated[RetirementQuery, Query()],
    caller: Caller,
    reads: ReadsDep,
) -> RetirementPage:
    page = retirements.list_retirements(reads, caller, account_id, params)
    return RetirementPage(
        items=[RetirementItem.of(r) for r in page.items], next_cursor=page.next_cursor
    )


@router.get(
    f"{ACCOUNT}/retirements/export",
    operation_id="exportRetirements",
    summary="The filtered retirements as CSV (every page)",
    tags=TAGS,
    responses=csv_responses(403, 404, 413),
)
def export_retirements(
    account_id: AccountId,
    params: Annotated[RetirementQuery, Query()],
    caller: Caller,
    reads: ReadsDep,
) -> Response[str]:
    rows = retirements.export_retirements(reads, caller, account_id, params)
    return csv_download("retirements", COLUMNS, (RetirementItem.of(r) for r in rows))


@router.get(
    f"{ACCOUNT}/retirements/<reference>",
    operation_id="getRetirement",
    summary="One retirement with its certificate batches",
    tags=TAGS,
    responses=errors(403, 404),
)
def get_retirement(
    account_id: AccountId, reference: Reference, caller: Caller, reads: ReadsDep
) -> RetirementItem:
    return RetirementItem.of(retirements.retirement(reads, caller, account_id, reference))
