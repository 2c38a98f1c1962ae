"""Request and response bodies of the identity API (docs/api-conventions.md).

Requests refuse unknown fields (422). Responses are allow-lists: the handlers build each
from logic's result field by field, so a stored attribute never reaches a caller unless a
model here names it. Lists are pages (`items`, `next_cursor`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from common.access import AccountStatus
from common.api_types import Name, Page
from services.identity.logic.roles import RoleName
from services.identity.models.domain import (
    AuditOutcome,
    DateFormat,
    LandingView,
    MembershipStatus,
    NumberFormat,
)

EMAIL_PATTERN = r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"  # noqa: E501
Email = Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=254, examples=["ana@example.com"])]
Permission = Annotated[str, Field(examples=["trades:read"], description="`area:action`")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# ---- accounts


class AccountView(Body):
    account_id: str
    name: str
    status: AccountStatus
    created_at: AwareDatetime
    cams: list[AssignmentView] | None = Field(
        None,
        description="The CAMs assigned to the account, by subject, with name and email: in "
        "`GET /v1/accounts` and `GET /v1/accounts/{account_id}` for a caller who may read the "
        "account's users (SCTS administrators, its CAMs, members with users:read); null "
        "otherwise and in the answers of changes.",
    )


class AccountPage(Page[AccountView]):
    """Accounts the caller may see, by id."""


class CreateAccountRequest(Body):
    name: Name


class SuspendRequest(Body):
    reason: str = Field(default="", max_length=500)


# ---- me


class MembershipView(Body):
    account_id: str
    account_name: str
    account_status: AccountStatus
    role: RoleName
    permissions: list[Permission]


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
    invitations: list[InvitationForMe] = Field(description="Pending, not expired.")
    cam_accounts: list[AccountView]


class PreferenceValuesView(Body):
    locale: str
    timezone: str
    date_format: DateFormat
    number_format: NumberFormat
    default_currency: str
    landing_view: LandingView


class PreferencesResponse(Body):
    values: PreferenceValuesView
    version: int = Field(ge=0, description="0 until first saved.")


class TotpStartResponse(Body):
    secret_code: str
    otpauth_uri: str


class TotpVerifyRequest(Body):
    code: str = Field(pattern=r"^[0-9]{6}$")
    device_name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)
    ] = "authenticator"


# ---- password recovery


class ForgotPasswordRequest(Body):
    username: Email


class ConfirmPasswordRequest(Body):
    username: Email
    code: str = Field(min_length=1, max_length=64)
    new_password: str = Field(min_length=8, max_length=256)


class Accepted(Body):
    status: Literal["accepted"] = "accepted"


# ---- members and invitations


class MemberView(Body):
    subject: str
    email: str
    role: RoleName
    status: MembershipStatus
    permissions: list[Permission]
    invited_at: AwareDatetime
    expires_at: AwareDatetime | None
    activated_at: AwareDatetime | None


class MemberPage(Page[MemberView]):
    """Members (and pending invitations), by subject."""


class ChangeRoleRequest(Body):
    role: RoleName


class InviteRequest(Body):
    email: Email
    role: RoleName


# ---- CAMs


class CreateCamRequest(Body):
    email: Email
    name: Name


class CamView(Body):
    subject: str
    email: str
    name: str
    created_at: AwareDatetime


class CamPage(Page[CamView]):
    """Corporate Account Managers, by subject."""


class AssignmentView(Body):
    account_id: str
    subject: str
    name: str | None = Field(description="The CAM's name (null only if the CAM is gone).")
    email: str | None = Field(description="The CAM's email (null only if the CAM is gone).")
    assigned_at: AwareDatetime


class AssignmentPage(Page[AssignmentView]):
    """The CAMs assigned to an account, by subject."""


# ---- roles


class RoleView(Body):
    name: RoleName
    description: str
    permissions: list[Permission]


class RolePage(Page[RoleView]):
    """The built-in roles: one page, `next_cursor` always null."""


# ---- audit


class AuditEntryView(Body):
    seq: int = Field(ge=1)
    entry_id: str
    actor: str = Field(description="Cognito sub of who acted.")
    actor_name: str | None = Field(
        description="Who acted, as a person reads it: the email of a member or invitee of the "
        "account, or the name and email of a CAM assigned to it; null for anyone else (SCTS "
        "staff, a removed member, someone outside the account who was refused)."
    )
    action: str
    target: str
    target_name: str | None = Field(
        description="The person a member:, invitation: or cam: target names, shown as "
        "actor_name is; null for other targets and for people the account does not know."
    )
    account_id: str | None
    at: AwareDatetime
    request_hash: str = Field(description="SHA-256 of the request's method, path and body.")
    outcome: AuditOutcome
    prev_hash: str
    hash: str


class AuditPage(Page[AuditEntryView]):
    """Entries newest first."""


class StaffAuditEntryView(Body):
    """One staff action on the platform (or its refusal), from the chain it is kept in."""

    chain: str = Field(description="The audit chain: an account id, or `platform`.")
    seq: int = Field(ge=1, description="Position in its chain (verify with the chain's route).")
    entry_id: str
    actor: str = Field(description="Cognito sub of who acted.")
    actor_email: str | None = Field(
        description="Who acted: a CAM's name and email, else the person's email from the "
        "user pool; null if the user is gone."
    )
    action: str
    target: str
    target_name: str | None = Field(
        description="An `account:` target's account name, a `cam:` target's name and email."
    )
    account_id: str | None
    at: AwareDatetime
    outcome: AuditOutcome


class StaffAuditPage(Page[StaffAuditEntryView]):
    """Staff actions across every chain, newest first."""


class BrokenLinkView(Body):
    seq: int
    entry_id: str | None
    reason: str


class VerifyResponse(Body):
    ok: bool
    checked: int
    head_seq: int
    broken: BrokenLinkView | None


AccountView.model_rebuild()
