"""Request and response bodies of the identity API (unknown fields are refused: 422)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from common.access import AccountStatus
from services.identity.logic.roles import RoleName
from services.identity.models.domain import AuditLink, MembershipStatus, PreferenceValues

EMAIL_PATTERN = r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"  # noqa: E501
Email = Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=254, examples=["ana@example.com"])]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AccountView(Body):
    account_id: str
    name: str
    status: AccountStatus
    created_at: AwareDatetime


class AccountList(Body):
    accounts: list[AccountView]


class CreateAccountRequest(Body):
    name: str = Field(min_length=1, max_length=200)


class SuspendRequest(Body):
    reason: str = Field(default="", max_length=500)


class MembershipView(Body):
    account_id: str
    account_name: str
    account_status: AccountStatus
    role: RoleName
    permissions: list[str]


class InvitationForMe(Body):
    account_id: str
    account_name: str
    role: RoleName
    expires_at: AwareDatetime | None


class MeResponse(Body):
    subject: str
    username: str
    scts_admin: bool
    cam: bool
    memberships: list[MembershipView]
    invitations: list[InvitationForMe]
    cam_accounts: list[AccountView]


class PreferencesResponse(Body):
    values: PreferenceValues
    version: int


class TotpStartResponse(Body):
    secret_code: str
    otpauth_uri: str


class TotpVerifyRequest(Body):
    code: str = Field(pattern=r"^\d{6}$")
    device_name: str = Field(default="authenticator", min_length=1, max_length=64)


class ForgotPasswordRequest(Body):
    username: Email


class ConfirmPasswordRequest(Body):
    username: Email
    code: str = Field(min_length=1, max_length=64)
    new_password: str = Field(min_length=8, max_length=256)


class Accepted(Body):
    status: str = "accepted"


class MemberView(Body):
    subject: str
    email: str
    role: RoleName
    status: MembershipStatus
    permissions: list[str]
    invited_at: AwareDatetime
    expires_at: AwareDatetime | None
    activated_at: AwareDatetime | None


class MemberList(Body):
    members: list[MemberView]


class ChangeRoleRequest(Body):
    role: RoleName


class InviteRequest(Body):
    email: Email
    role: RoleName


class CreateCamRequest(Body):
    email: Email
    name: str = Field(min_length=1, max_length=200)


class CamView(Body):
    subject: str
    email: str
    name: str
    created_at: AwareDatetime


class CamList(Body):
    cams: list[CamView]


class AssignmentView(Body):
    account_id: str
    subject: str
    assigned_at: AwareDatetime


class AssignmentList(Body):
    assignments: list[AssignmentView]


class RoleView(Body):
    name: RoleName
    description: str
    permissions: list[str]


class RoleList(Body):
    roles: list[RoleView]


class AuditEntryView(Body, AuditLink):
    pass


class AuditPage(Body):
    entries: list[AuditEntryView]
    next_before: int | None = Field(
        description="Pass as `before` for the next (older) page; null on the last page."
    )


class BrokenLinkView(Body):
    seq: int
    entry_id: str | None
    reason: str


class VerifyResponse(Body):
    ok: bool
    checked: int
    head_seq: int
    broken: BrokenLinkView | None
