"""Lambda entry point for the identity HTTP API: parse, call one use case, map the result."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Query

from common.access import AccountStatus
from common.access.dynamo import DynamoAccessSource
from common.api import principal
from common.jwt import bearer_token
from common.lambda_api import http_handler, service_resolver
from common.observability import observability
from services.identity.adapters.cognito import CognitoDirectory
from services.identity.adapters.dynamo import ACCOUNT_PREFIX, DynamoIdentityRepository
from services.identity.adapters.mail import SesMailer
from services.identity.logic import audit
from services.identity.logic.roles import BUILT_IN_ROLES, ROLE_DESCRIPTIONS
from services.identity.logic.service import Caller, IdentityService
from services.identity.models import api as m
from services.identity.models.domain import (
    Account,
    Cam,
    CamAssignment,
    Membership,
    PreferenceValues,
)
from services.identity.settings import IdentitySettings
from services.identity.topology import TOPOLOGY

obs = observability(TOPOLOGY.service)
app = service_resolver(TOPOLOGY, IdentitySettings)


@cache
def settings() -> IdentitySettings:
    return IdentitySettings()


@cache
def service() -> IdentityService:
    current = settings()
    return IdentityService(
        repository=DynamoIdentityRepository(current.identity_table),
        access=DynamoAccessSource(current.identity_table, pk_prefix=ACCOUNT_PREFIX),
        directory=CognitoDirectory(current.user_pool_id, current.spa_client_id),
        mailer=SesMailer(current.mail_sender),
        clock=lambda: datetime.now(UTC),
        portal_url=current.portal_url,
    )


def caller() -> Caller:
    event = app.current_event
    request_id = str(event.raw_event.get("requestContext", {}).get("requestId", "unknown"))
    return Caller(
        principal=principal(app),
        access_token=bearer_token(event.headers),
        request_digest=audit.request_hash(
            event.http_method, event.path, event.decoded_body if event.body else None
        ),
        correlation_id=request_id,
    )


def json_response(status: HTTPStatus, body: m.Body) -> Response[str]:
    return Response(
        status_code=status, content_type=content_types.APPLICATION_JSON, body=body.model_dump_json()
    )


def created(body: m.Body) -> Response[str]:
    return json_response(HTTPStatus.CREATED, body)


def no_content() -> Response[str]:
    return Response(status_code=HTTPStatus.NO_CONTENT, body="")


def account_view(account: Account) -> m.AccountView:
    return m.AccountView(
        account_id=account.account_id,
        name=account.name,
        status=account.status,
        created_at=account.created_at,
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


def assignment_view(assignment: CamAssignment) -> m.AssignmentView:
    return m.AssignmentView(
        account_id=assignment.account_id,
        subject=assignment.subject,
        assigned_at=assignment.assigned_at,
    )


# ---- public: account recovery


@app.post("/v1/password/forgot", summary="Email a password reset code (Cognito)")
def forgot_password(body: m.ForgotPasswordRequest) -> Response[str]:
    service().forgot_password(body.username)
    return json_response(HTTPStatus.ACCEPTED, m.Accepted())


@app.post("/v1/password/confirm", summary="Set a new password with the emailed code")
def confirm_password(body: m.ConfirmPasswordRequest) -> Response[str]:
    service().confirm_forgot_password(body.username, body.code, body.new_password)
    return no_content()


# ---- me


@app.get("/v1/me", summary="Who I am: accounts, role and permissions in each")
def me() -> m.MeResponse:
    view = service().me(caller())
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


@app.get("/v1/me/preferences", summary="My personalization preferences")
def get_preferences() -> m.PreferencesResponse:
    current = service().preferences(principal(app).sub)
    return m.PreferencesResponse(values=current.values, version=current.version)


@app.put("/v1/me/preferences", summary="Replace my personalization preferences")
def put_preferences(body: PreferenceValues) -> m.PreferencesResponse:
    saved = service().set_preferences(caller(), body)
    return m.PreferencesResponse(values=saved.values, version=saved.version)


@app.post("/v1/me/mfa/totp", summary="Start TOTP enrolment: the secret for an authenticator")
def start_totp() -> m.TotpStartResponse:
    secret, uri = service().start_totp(caller())
    return m.TotpStartResponse(secret_code=secret, otpauth_uri=uri)


@app.post("/v1/me/mfa/totp/verify", summary="Finish TOTP enrolment with a current code")
def verify_totp(body: m.TotpVerifyRequest) -> Response[str]:
    service().verify_totp(caller(), body.code, body.device_name)
    return no_content()


@app.post(
    "/v1/me/invitations/<account_id>/accept",
    summary="Accept an invitation after first login: the membership becomes active",
)
def accept_invitation(account_id: str) -> m.MemberView:
    return member_view(service().accept_invitation(caller(), account_id))


@app.get("/v1/roles", summary="The built-in roles and the permissions each grants")
def roles() -> m.RoleList:
    return m.RoleList(
        roles=[
            m.RoleView(name=name, description=ROLE_DESCRIPTIONS[name], permissions=sorted(perms))
            for name, perms in BUILT_IN_ROLES.items()
        ]
    )


# ---- accounts


@app.get("/v1/accounts", summary="Accounts I may see")
def list_accounts() -> m.AccountList:
    return m.AccountList(accounts=[account_view(a) for a in service().list_accounts(caller())])


@app.post("/v1/accounts", summary="Create a counterparty account (SCTS admin or CAM)")
def create_account(body: m.CreateAccountRequest) -> Response[str]:
    return created(account_view(service().create_account(caller(), body.name)))


@app.get("/v1/accounts/<account_id>", summary="One account")
def get_account(account_id: str) -> m.AccountView:
    return account_view(service().get_account(caller(), account_id))


@app.post("/v1/accounts/<account_id>/suspend", summary="Suspend an account (SCTS admin)")
def suspend_account(account_id: str, body: m.SuspendRequest) -> m.AccountView:
    account = service().set_account_status(
        caller(), account_id, AccountStatus.SUSPENDED, body.reason
    )
    return account_view(account)


@app.post("/v1/accounts/<account_id>/reactivate", summary="Reactivate an account (SCTS admin)")
def reactivate_account(account_id: str) -> m.AccountView:
    account = service().set_account_status(caller(), account_id, AccountStatus.ACTIVE, "")
    return account_view(account)


# ---- members and invitations


@app.get("/v1/accounts/<account_id>/members", summary="Members and pending invitations")
def list_members(account_id: str) -> m.MemberList:
    members = service().list_members(caller(), account_id)
    return m.MemberList(members=[member_view(x) for x in members])


@app.put("/v1/accounts/<account_id>/members/<subject>", summary="Change a member's role")
def change_role(account_id: str, subject: str, body: m.ChangeRoleRequest) -> m.MemberView:
    return member_view(service().change_role(caller(), account_id, subject, body.role))


@app.delete("/v1/accounts/<account_id>/members/<subject>", summary="Remove a member")
def remove_member(account_id: str, subject: str) -> Response[str]:
    service().remove_member(caller(), account_id, subject)
    return no_content()


@app.get("/v1/accounts/<account_id>/invitations", summary="Pending invitations")
def list_invitations(account_id: str) -> m.MemberList:
    invited = service().list_invitations(caller(), account_id)
    return m.MemberList(members=[member_view(x) for x in invited])


@app.post("/v1/accounts/<account_id>/invitations", summary="Invite a person by email")
def invite(account_id: str, body: m.InviteRequest) -> Response[str]:
    return created(member_view(service().invite(caller(), account_id, body.email, body.role)))


@app.post(
    "/v1/accounts/<account_id>/invitations/<subject>/resend",
    summary="Send the invitation again (new temporary password, 7 more days)",
)
def resend_invitation(account_id: str, subject: str) -> m.MemberView:
    return member_view(service().resend_invitation(caller(), account_id, subject))


@app.delete("/v1/accounts/<account_id>/invitations/<subject>", summary="Revoke an invitation")
def revoke_invitation(account_id: str, subject: str) -> Response[str]:
    service().revoke_invitation(caller(), account_id, subject)
    return no_content()


# ---- CAMs


@app.get("/v1/cams", summary="Corporate Account Managers (SCTS admin)")
def list_cams() -> m.CamList:
    return m.CamList(cams=[cam_view(c) for c in service().list_cams(caller())])


@app.post("/v1/cams", summary="Create a Corporate Account Manager (SCTS admin)")
def create_cam(body: m.CreateCamRequest) -> Response[str]:
    return created(cam_view(service().create_cam(caller(), body.email, body.name)))


@app.get("/v1/accounts/<account_id>/cams", summary="CAMs assigned to the account")
def list_account_cams(account_id: str) -> m.AssignmentList:
    found = service().list_account_cams(caller(), account_id)
    return m.AssignmentList(assignments=[assignment_view(a) for a in found])


@app.put("/v1/accounts/<account_id>/cams/<subject>", summary="Assign a CAM (SCTS admin)")
def assign_cam(account_id: str, subject: str) -> m.AssignmentView:
    return assignment_view(service().assign_cam(caller(), account_id, subject))


@app.delete("/v1/accounts/<account_id>/cams/<subject>", summary="Unassign a CAM (SCTS admin)")
def unassign_cam(account_id: str, subject: str) -> Response[str]:
    service().unassign_cam(caller(), account_id, subject)
    return no_content()


# ---- audit


@app.get("/v1/accounts/<account_id>/audit", summary="The account's audit log, newest first")
def audit_log(
    account_id: str,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    before: Annotated[int | None, Query(ge=1)] = None,
) -> m.AuditPage:
    entries = service().audit_page(caller(), account_id, limit, before)
    return m.AuditPage(
        entries=[m.AuditEntryView(**e.model_dump(exclude={"chain"})) for e in entries],
        next_before=entries[-1].seq if len(entries) == limit and entries[-1].seq > 1 else None,
    )


@app.get(
    "/v1/accounts/<account_id>/audit/verify",
    summary="Recompute the audit chain; name the first broken entry",
)
def verify_audit(account_id: str) -> m.VerifyResponse:
    result = service().verify_audit(caller(), account_id)
    broken = result.broken
    return m.VerifyResponse(
        ok=result.ok,
        checked=result.checked,
        head_seq=result.head_seq,
        broken=(
            m.BrokenLinkView(seq=broken.seq, entry_id=broken.entry_id, reason=broken.reason)
            if broken
            else None
        ),
    )


handler = http_handler(app, obs)
