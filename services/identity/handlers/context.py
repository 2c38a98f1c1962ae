"""What every identity route takes: the acting caller, the use cases' ports, its path
parameters and the page query, and the mapping of logic's results to response models
(allow-lists, built field by field)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.request import Request

from common.api import current_principal
from common.api_errors import request_id_of
from common.api_types import ID_PATTERN, PageQuery
from common.jwt import bearer_token
from services.identity import dependencies
from services.identity.logic import audit
from services.identity.logic.actor import Actor
from services.identity.logic.cams import AssignedCam
from services.identity.logic.paging import PageRequest
from services.identity.logic.ports import Ports
from services.identity.logic.recovery import AnonymousRequest
from services.identity.models import api as m
from services.identity.models.domain import Account, Cam, Membership

AccountId = Annotated[
    str,
    Path(pattern=ID_PATTERN, description="The account's id.", examples=["acc_0123456789abcdef"]),
]
Subject = Annotated[
    str,
    Path(
        pattern=ID_PATTERN,
        description="The person's Cognito sub.",
        examples=["3f1c2e9a-5b7d-4e8f-9a0b-1c2d3e4f5a6b"],
    ),
]


def acting(request: Request) -> Actor:
    """The verified caller, with what the audit records about the request."""
    event = request.resolved_event
    return Actor(
        principal=current_principal(request),
        access_token=bearer_token(event.headers),
        request_digest=audit.request_hash(
            event.http_method, event.path, event.decoded_body if event.body else None
        ),
        correlation_id=request_id_of(event.raw_event),
    )


def anonymous(request: Request) -> AnonymousRequest:
    """What the audit records about a request made without a token (password reset)."""
    event = request.resolved_event
    return AnonymousRequest(
        request_digest=audit.request_hash(event.http_method, event.path, None),
        correlation_id=request_id_of(event.raw_event),
    )


Acting = Annotated[Actor, Depends(acting)]
Anonymous = Annotated[AnonymousRequest, Depends(anonymous)]
IdentityPorts = Annotated[Ports, Depends(dependencies.ports)]


def page_request(query: PageQuery) -> PageRequest:
    return PageRequest(limit=query.limit, cursor=query.cursor)


def account_view(account: Account, cams: list[AssignedCam] | None = None) -> m.AccountView:
    return m.AccountView(
        account_id=account.account_id,
        name=account.name,
        status=account.status,
        created_at=account.created_at,
        cams=None if cams is None else [assignment_view(c) for c in cams],
    )


def member_view(member: Membership) -> m.MemberView:
    return m.MemberView(
        subject=member.subject,
        email=member.email,
        role=member.role,
        status=member.status,
        permissions=member.permissions,
        invited_at=member.invited_at,
        expires_at=member.expires_at,
        activated_at=member.activated_at,
    )


def cam_view(cam: Cam) -> m.CamView:
    return m.CamView(subject=cam.subject, email=cam.email, name=cam.name, created_at=cam.created_at)


def assignment_view(assigned: AssignedCam) -> m.AssignmentView:
    assignment, cam = assigned.assignment, assigned.cam
    return m.AssignmentView(
        account_id=assignment.account_id,
        subject=assignment.subject,
        name=cam.name if cam else None,
        email=cam.email if cam else None,
        assigned_at=assignment.assigned_at,
    )
