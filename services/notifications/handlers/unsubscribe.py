"""One-click unsubscribe (RFC 8058), without sign-in: GET describes (link checkers fetch
links in mail, so it changes nothing), POST `List-Unsubscribe=One-Click` switches email off
for the token's categories."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.request import Request

from common.errors import invalid
from common.openapi import errors
from services.notifications.handlers.context import NotificationsPorts, Token
from services.notifications.logic import unsubscribe as use
from services.notifications.models import api as m

router = Router()
TAGS = ["unsubscribe"]
ONE_CLICK_BODY = {
    "requestBody": {
        "description": "RFC 8058: exactly `List-Unsubscribe=One-Click`.",
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {"List-Unsubscribe": {"type": "string", "enum": ["One-Click"]}},
                    "required": ["List-Unsubscribe"],
                }
            }
        },
    }
}


def one_click(request: Request) -> bool:
    """Whether the body is RFC 8058's one-click form (else 422)."""
    event = request.resolved_event
    fields = parse_qs(event.decoded_body or "", keep_blank_values=True)
    if fields != {"List-Unsubscribe": ["One-Click"]}:
        raise invalid("body.List-Unsubscribe", "must be exactly One-Click (RFC 8058)")
    return True


@router.get(
    "/v1/unsubscribe/<token>",
    operation_id="describeUnsubscribe",
    summary="What an unsubscribe link would switch off (changes nothing)",
    tags=TAGS,
    responses=errors(404),
)
def describe(token: Token, ports: NotificationsPorts) -> m.UnsubscribeView:
    found = use.preview(ports, token)
    return m.UnsubscribeView(categories=list(found.categories), done=False)


@router.post(
    "/v1/unsubscribe/<token>",
    operation_id="unsubscribe",
    summary="One-click unsubscribe: email off for the link's categories, nothing else",
    tags=TAGS,
    responses=errors(404),
    openapi_extensions=ONE_CLICK_BODY,
)
def unsubscribe(
    token: Token, _form: Annotated[bool, Depends(one_click)], ports: NotificationsPorts
) -> m.UnsubscribeView:
    done = use.unsubscribe(ports, token)
    return m.UnsubscribeView(categories=list(done.categories), done=True)
