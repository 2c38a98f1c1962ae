"""The caller's own things: who they are and where, preferences, TOTP enrolment."""

from __future__ import annotations

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from common.openapi import errors
from services.identity.handlers.context import Acting, IdentityPorts, account_view
from services.identity.logic import me as use
from services.identity.models import api as m
from services.identity.models.domain import Preferences, PreferenceValues

router = Router()
TAGS = ["me"]


@router.get(
    "/v1/me",
    operation_id="getMe",
    summary="Who I am: accounts, role and permissions in each, pending invitations",
    tags=TAGS,
    responses=errors(),
)
def get_me(actor: Acting, ports: IdentityPorts) -> m.MeResponse:
    view = use.me(ports, actor)
    return m.MeResponse(
        subject=view.subject,
        username=view.username,
        scts_admin=view.scts_admin,
        cam=view.cam,
        memberships=[
            m.MembershipView(
                account_id=account.account_id,
                account_name=account.name,
                account_status=account.status,
                role=member.role,
                permissions=member.permissions,
            )
            for member, account in view.memberships
        ],
        invitations=[
            m.InvitationForMe(
                account_id=account.account_id,
                account_name=account.name,
                role=member.role,
                expires_at=member.expires_at,
            )
            for member, account in view.invitations
        ],
        cam_accounts=[account_view(a) for a in view.cam_accounts],
    )


def preferences_response(saved: Preferences) -> m.PreferencesResponse:
    values = saved.values
    return m.PreferencesResponse(
        values=m.PreferenceValuesView(
            locale=values.locale,
            timezone=values.timezone,
            date_format=values.date_format,
            number_format=values.number_format,
            default_currency=values.default_currency,
            landing_view=values.landing_view,
        ),
        version=saved.version,
    )


@router.get(
    "/v1/me/preferences",
    operation_id="getPreferences",
    summary="My personalization preferences (defaults, version 0, until first saved)",
    tags=TAGS,
    responses=errors(),
)
def get_preferences(actor: Acting, ports: IdentityPorts) -> m.PreferencesResponse:
    return preferences_response(use.preferences(ports, actor))


@router.put(
    "/v1/me/preferences",
    operation_id="putPreferences",
    summary="Replace my personalization preferences",
    tags=TAGS,
    responses=errors(409, 503),
)
def put_preferences(
    body: PreferenceValues, actor: Acting, ports: IdentityPorts
) -> m.PreferencesResponse:
    return preferences_response(use.set_preferences(ports, actor, body))


@router.post(
    "/v1/me/mfa/totp",
    operation_id="startTotp",
    summary="Start TOTP enrolment: the secret for an authenticator app",
    tags=TAGS,
    responses=errors((400, "Cognito refused the caller's token for this."), 503),
)
def start_totp(actor: Acting, ports: IdentityPorts) -> m.TotpStartResponse:
    started = use.start_totp(ports, actor)
    return m.TotpStartResponse(secret_code=started.secret, otpauth_uri=started.otpauth_uri)


@router.post(
    "/v1/me/mfa/totp/verify",
    operation_id="verifyTotp",
    summary="Finish TOTP enrolment with a current code",
    tags=TAGS,
    responses=errors(
        (400, "The code is not valid (try the next one), or Cognito refused the token."),
        503,
        success=HTTPStatus.NO_CONTENT,
    ),
)
def verify_totp(body: m.TotpVerifyRequest, actor: Acting, ports: IdentityPorts) -> Response[None]:
    use.verify_totp(ports, actor, body.code, body.device_name)
    return Response(HTTPStatus.NO_CONTENT, None, None)
