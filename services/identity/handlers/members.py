"""An account's members: list, change a role, remove (admins of the account)."""

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
    member_view,
    page_request,
)
from services.identity.logic import members
from services.identity.models import api as m

router = Router()
TAGS = ["members"]


@router.get(
    "/v1/accounts/<account_id>/members",
    operation_id="listMembers",
    summary="Members and pending invitations of an account",
    tags=TAGS,
    responses=errors(403, 404),
)
def list_members(
    account_id: AccountId,
    query: Annotated[PageQuery, Query()],
    actor: Acting,
    ports: IdentityPorts,
) -> m.MemberPage:
    page = members.list_members(ports, actor, account_id, page_request(query))
    return m.MemberPage(items=[member_view(x) for x in page.items], next_cursor=page.next_cursor)


@router.put(
    "/v1/accounts/<account_id>/members/<subject>",
    operation_id="changeMemberRole",
    summary="Change a member's role (the account keeps at least one admin)",
    tags=TAGS,
    responses=errors(403, 404, 409, 503),
)
def change_role(
    account_id: AccountId,
    subject: Subject,
    body: m.ChangeRoleRequest,
    actor: Acting,
    ports: IdentityPorts,
) -> m.MemberView:
    return member_view(members.change_role(ports, actor, account_id, subject, body.role))


@router.delete(
    "/v1/accounts/<account_id>/members/<subject>",
    operation_id="removeMember",
    summary="Remove a member: their access ends on the next request",
    tags=TAGS,
    responses=errors(403, 404, 409, 503, success=HTTPStatus.NO_CONTENT),
)
def remove_member(
    account_id: AccountId, subject: Subject, actor: Acting, ports: IdentityPorts
) -> Response[None]:
    members.remove_member(ports, actor, account_id, subject)
    return Response(HTTPStatus.NO_CONTENT, None, None)
