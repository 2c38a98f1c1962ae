"""Counterparty accounts: list, read, create (SCTS admin or CAM), suspend and reactivate
(SCTS admin)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Header, Query

from common.api_types import PageQuery
from common.openapi import errors
from services.identity.handlers.context import (
    AccountId,
    Acting,
    IdentityPorts,
    account_view,
    page_request,
)
from services.identity.logic import accounts, cams
from services.identity.models import api as m

router = Router()
TAGS = ["accounts"]
MAX_IDEMPOTENCY_KEY_CHARS = 128

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=MAX_IDEMPOTENCY_KEY_CHARS,
        description=(
            "Makes the request safely repeatable for 24 hours: the same key from the same "
            "caller with the same body answers the first answer again; with another body, "
            f"422. At most {MAX_IDEMPOTENCY_KEY_CHARS} characters."
        ),
    ),
]


@router.get(
    "/v1/accounts",
    operation_id="listAccounts",
    summary="Accounts I may see (every account for SCTS administrators), with their CAMs",
    tags=TAGS,
    responses=errors(),
)
def list_accounts(
    query: Annotated[PageQuery, Query()], actor: Acting, ports: IdentityPorts
) -> m.AccountPage:
    page = accounts.list_accounts(ports, actor, page_request(query))
    cams_of = cams.cams_of_accounts(ports, actor, [a.account_id for a in page.items])
    return m.AccountPage(
        items=[account_view(a, cams_of[a.account_id]) for a in page.items],
        next_cursor=page.next_cursor,
    )


@router.post(
    "/v1/accounts",
    operation_id="createAccount",
    summary="Create a counterparty account (SCTS admin or CAM, TOTP enrolled)",
    tags=TAGS,
    status_code=HTTPStatus.CREATED,
    responses=errors(403, 409, 503, success=HTTPStatus.CREATED),
)
def create_account(
    body: m.CreateAccountRequest,
    actor: Acting,
    ports: IdentityPorts,
    idempotency_key: IdempotencyKey = None,
) -> m.AccountView:
    return account_view(accounts.create_account(ports, actor, body.name, idempotency_key))


@router.get(
    "/v1/accounts/<account_id>",
    operation_id="getAccount",
    summary="One account",
    tags=TAGS,
    responses=errors(403, 404),
)
def get_account(account_id: AccountId, actor: Acting, ports: IdentityPorts) -> m.AccountView:
    account = accounts.get_account(ports, actor, account_id)
    return account_view(account, cams.cams_of_accounts(ports, actor, [account_id])[account_id])


@router.post(
    "/v1/accounts/<account_id>/suspend",
    operation_id="suspendAccount",
    summary="Suspend an account: its members are refused everywhere (SCTS admin)",
    tags=TAGS,
    responses=errors(403, 404, 409, 503),
)
def suspend_account(
    account_id: AccountId, body: m.SuspendRequest, actor: Acting, ports: IdentityPorts
) -> m.AccountView:
    return account_view(accounts.suspend_account(ports, actor, account_id, body.reason))


@router.post(
    "/v1/accounts/<account_id>/reactivate",
    operation_id="reactivateAccount",
    summary="Reactivate a suspended account (SCTS admin)",
    tags=TAGS,
    responses=errors(403, 404, 409, 503),
)
def reactivate_account(account_id: AccountId, actor: Acting, ports: IdentityPorts) -> m.AccountView:
    return account_view(accounts.reactivate_account(ports, actor, account_id))
