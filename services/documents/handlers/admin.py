"""What STX does in the library: withdraw a document, run the monthly statements."""

from __future__ import annotations

from http import HTTPStatus

from aws_lambda_powertools.event_handler.api_gateway import Router

from common.api import Caller
from common.openapi import errors
from services.documents.handlers.context import (
    AccountId,
    DocumentId,
    DocumentsPorts,
    RequestId,
    detail,
)
from services.documents.logic import library
from services.documents.models import api as m

router = Router()


@router.post(
    "/v1/accounts/<account_id>/documents/<document_id>/withdrawal",
    operation_id="withdrawDocument",
    summary="Withdraw a document (SCTS administrators): the record stays, downloads stop",
    tags=["documents"],
    responses=errors(403, 404, (409, "Nothing left to withdraw.")),
)
def withdraw(
    account_id: AccountId,
    document_id: DocumentId,
    body: m.WithdrawalRequest,
    caller: Caller,
    ports: DocumentsPorts,
    request_id: RequestId,
) -> m.DocumentDetail:
    return detail(library.withdraw(ports, caller, account_id, document_id, body.reason, request_id))


@router.post(
    "/v1/statement-runs",
    operation_id="startStatementRun",
    summary="Run the monthly statements of an ended month for every account (SCTS admins)",
    tags=["statements"],
    status_code=HTTPStatus.ACCEPTED,
    responses=errors(403, success=HTTPStatus.ACCEPTED),
)
def start_statement_run(
    body: m.StatementRunRequest, caller: Caller, ports: DocumentsPorts, request_id: RequestId
) -> m.StatementRunView:
    month = library.request_statement_run(ports, caller, body.month, request_id)
    return m.StatementRunView(month=month, status="accepted")
