"""Invitations: list, invite, resend, revoke (the account's admins; the first admin by an
assigned CAM or an SCTS admin), and the invitee's acceptance."""

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
from services.identity.logic import invitations
from services.identity.models import api as m

router = Router()
TAGS = ["invitations"]
INVITATION = "/v1/accounts/<account_id>/invitations/<subject>"


@router.get(
    "/v1/accounts/<account_id>/invitations",
    operation_id="listInvitations",
    summary="Pending invitations of an account",
    tags=TAGS,
    responses=errors(403, 404),
)
def list_invitations(
    account_id: AccountId,
    query: Annotated[PageQuery, Query()],
    actor: Acting,
    ports: IdentityPorts,
) -> m.MemberPage:
    page = invitations.list_invitations(ports, actor, account_id, page_request(query))
    return m.MemberPage(items=[member_view(x) for x in page.items], next_cursor=page.next_cursor)


@router.post(
    "/v1/accounts/<account_id>/invitations",
    operation_id="invite",
    summary="Invite a person by email (valid 7 days; mailed with a temporary password)",
    tags=TAGS,
    status_code=HTTPStatus.CREATED,
    responses=errors(403, 404, 409, 503, success=HTTPStatus.CREATED),
)
def invite(
    account_id: AccountId, body: m.InviteRequest, actor: Acting, ports: IdentityPorts
) -> m.MemberView:
    return member_view(invitations.invite(ports, actor, account_id, body.email, body.role))


@router.post(
    INVITATION + "/resend",
    operation_id="resendInvitation",
    summary="Send the invitation again (new temporary password, 7 more days)",
    tags=TAGS,
    responses=errors(403, 404, 409, 503),
)
def resend_invitation(
    account_id: AccountId, subject: Subject, actor: Acting, ports: IdentityPorts
) -> m.MemberView:
    return member_view(invitations.resend_invitation(ports, actor, account_id, subject))


@router.delete(
    INVITATION,
    operation_id="revokeInvitation",
    summary="Revoke a pending invitation",
    tags=TAGS,
    responses=errors(403, 404, 409, 503, success=HTTPStatus.NO_CONTENT),
)
def revoke_invitation(
    account_id: AccountId, subject: Subject, actor: Acting, ports: IdentityPorts
) -> Response[None]:
    invitations.revoke_invitation(ports, actor, account_id, subject)
    return Response(HTTPStatus.NO_CONTENT, None, None)


@router.post(
    "/v1/me/invitations/<account_id>/accept",
    operation_id="acceptInvitation",
    summary="Accept my invitation after first login: the membership becomes active",
    tags=TAGS,
    responses=errors(404, (410, "The invitation has expired; ask for a new one."), 409, 503),
)
def accept_invitation(account_id: AccountId, actor: Acting, ports: IdentityPorts) -> m.MemberView:
    return member_view(invitations.accept_invitation(ports, actor, account_id))
