"""Password recovery (public routes): through identity, so the answer never reveals
whether a person exists and errors have the one shape."""

from __future__ import annotations

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from common.openapi import errors
from services.identity.handlers.context import Anonymous, IdentityPorts
from services.identity.logic import recovery
from services.identity.models import api as m

router = Router()
TAGS = ["password"]


@router.post(
    "/v1/password/forgot",
    operation_id="forgotPassword",
    summary="Email a password reset code (the same answer for unknown people)",
    tags=TAGS,
    status_code=HTTPStatus.ACCEPTED,
    responses=errors(429, success=HTTPStatus.ACCEPTED),
)
def forgot_password(body: m.ForgotPasswordRequest, ports: IdentityPorts) -> m.Accepted:
    recovery.forgot_password(ports, body.username)
    return m.Accepted()


@router.post(
    "/v1/password/confirm",
    operation_id="confirmPassword",
    summary="Set a new password with the emailed code",
    tags=TAGS,
    responses=errors(
        (400, "The code is wrong or has expired, or the new password breaks the policy."),
        429,
        success=HTTPStatus.NO_CONTENT,
    ),
)
def confirm_password(
    body: m.ConfirmPasswordRequest, request: Anonymous, ports: IdentityPorts
) -> Response[None]:
    recovery.confirm_password(ports, request, body.username, body.code, body.new_password)
    return Response(HTTPStatus.NO_CONTENT, None, None)
