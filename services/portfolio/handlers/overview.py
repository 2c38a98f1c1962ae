"""Overviews: one account's summary, and the CAM overview of several accounts."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from common.access.fields import areas_of
from common.api import Caller
from common.openapi import errors
from services.portfolio.handlers.routing import ACCOUNT, AccountId, ReadsDep
from services.portfolio.logic.queries import summary
from services.portfolio.models.api.summary import CamOverviewPage, SummaryResponse
from services.portfolio.models.queries import OverviewQuery

router = Router()
TAGS = ["overview"]
SECTIONS = areas_of(SummaryResponse)
"""A summary is for anyone who may read one of its sections; each section is shown only
to those its permission covers."""


@router.get(
    f"{ACCOUNT}/summary",
    operation_id="getSummary",
    summary="What the account's dashboard shows",
    description="Sections the caller's permissions do not cover are null.",
    tags=TAGS,
    responses=errors(403, 404, 413),
)
def get_summary(account_id: AccountId, caller: Caller, reads: ReadsDep) -> SummaryResponse:
    found, access = summary.summary(reads, caller, account_id, SECTIONS)
    return SummaryResponse.of(found, access)


@router.get(
    "/v1/cam/overview",
    operation_id="getCamOverview",
    summary="The summaries of the caller's assigned accounts, a page at a time",
    description=(
        "Without `accounts`: every account assigned to the caller as CAM (identity's "
        "CamAssigned/CamUnassigned, kept in this service's access projection), in account "
        "id order, `limit` per page, the rest through `next_cursor`. With `accounts`: the "
        "named ones (at most 50). Accounts the caller may not read are left out, without "
        "saying why; sections its permissions do not cover are null."
    ),
    tags=TAGS,
    responses=errors(413),
)
def get_cam_overview(
    params: Annotated[OverviewQuery, Query()], caller: Caller, reads: ReadsDep
) -> CamOverviewPage:
    return CamOverviewPage.of(summary.cam_overview(reads, caller, params, SECTIONS))
