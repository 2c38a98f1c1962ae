"""Corporate Account Managers: the platform's CAMs (SCTS admin) and each account's."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from common.api_types import PageQuery
from common.openapi import errors
from services.identity.handlers.context import (
    AccountId,
    Acting,
    IdentityPorts,
    Subject,
    assignment_view,
    cam_view,
    page_request,
)
from services.identity.logic import cams
from services.identity.models import api as m

router = Router()
TAGS = ["cams"]
ACCOUNT_CAM = "/v1/accounts/<account_id>/cams/<subject>"


@router.get(
    "/v1/cams",
    operation_id="listCams",
    summary="Corporate Account Managers (SCTS admin)",
    tags=TAGS,
    responses=errors(403),
)
def list_cams(
    query: Annotated[PageQuery, Query()], actor: Acting, ports: IdentityPorts
) -> m.CamPage:
    page = cams.list_cams(ports, actor, page_request(query))
    return m.CamPage(items=[cam_view(c) for c in page.items], next_cursor=page.next_cursor)


@router.post(
    "/v1/cams",
    operation_id="createCam",
    summary="Make a person a Corporate Account Manager (SCTS admin)",
    tags=TAGS,
    status_code=HTTPStatus.CREATED,
    responses=errors(403, 409, 503, success=HTTPStatus.CREATED),
)
def create_cam(body: m.CreateCamRequest, actor: Acting, ports: IdentityPorts) -> m.CamView:
    return cam_view(cams.create_cam(ports, actor, body.email, body.name))


@router.get(
    "/v1/accounts/<account_id>/cams",
    operation_id="listAccountCams",
    summary="CAMs assigned to the account",
    tags=TAGS,
    responses=errors(403, 404),
)
def list_account_cams(
    account_id: AccountId,
    query: Annotated[PageQuery, Query()],
    actor: Acting,
    ports: IdentityPorts,
) -> m.AssignmentPage:
    page = cams.list_account_cams(ports, actor, account_id, page_request(query))
    return m.AssignmentPage(
        items=[assignment_view(a) for a in page.items], next_cursor=page.next_cursor
    )


@router.put(
    ACCOUNT_CAM,
    operation_id="assignCam",
    summary="Assign a CAM to the account (SCTS admin)",
    tags=TAGS,
    responses=errors(403, 404, 409, 503),
)
def assign_cam(
    account_id: AccountId, subject: Subject, actor: Acting, ports: IdentityPorts
) -> m.AssignmentView:
    return assignment_view(cams.assign_cam(ports, actor, account_id, subject))


@router.delete(
    ACCOUNT_CAM,
    operation_id="unassignCam",
    summary="Unassign a CAM from the account (SCTS admin)",
    tags=TAGS,
    responses=errors(403, 404, 409, 503, success=HTTPStatus.NO_CONTENT),
)
def unassign_cam(
    account_id: AccountId, subject: Subject, actor: Acting, ports: IdentityPorts
) -> Response[None]:
    cams.unassign_cam(ports, actor, account_id, subject)
    return Response(HTTPStatus.NO_CONTENT, None, None)
