"""Events the identity service publishes (source `scts.identity`).

Every account-scoped event carries `sequence`: a per-account counter that identity raises
on every change to the account (it is the audit chain's position). Consumers keep, per
projected item, the highest sequence applied and ignore anything not newer, so duplicated
or reordered deliveries change nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from contracts.envelope import EventData
from contracts.event_type import EventType

SERVICE = "identity"

PERMISSION_PATTERN = r"^[a-z_]+:(read|manage)$"
Permission = Annotated[str, Field(pattern=PERMISSION_PATTERN)]


class AccountEventData(EventData):
    account_id: str = Field(min_length=1, description="The counterparty account.")
    sequence: int = Field(ge=1, description="Per-account change counter; newer wins.")


class AccountCreatedData(AccountEventData):
    name: str = Field(min_length=1, max_length=200)
    created_by: str = Field(description="Cognito sub of the SCTS admin or CAM who created it.")


class AccountSuspendedData(AccountEventData):
    reason: str = Field(default="", max_length=500)


class AccountReactivatedData(AccountEventData):
    pass


class MemberInvitedData(AccountEventData):
    subject: str = Field(description="Cognito sub of the invited person.")
    email: str
    role: str
    expires_at: AwareDatetime


class InvitationRevokedData(AccountEventData):
    subject: str


class AccessGrantedData(AccountEventData):
    subject: str = Field(description="Cognito sub of the member.")
    email: str
    role: str
    permissions: list[Permission] = Field(
        description="The role resolved to area:action pairs; manage always comes with read."
    )


class AccessChangedData(AccountEventData):
    subject: str
    role: str
    permissions: list[Permission]


class AccessRevokedData(AccountEventData):
    subject: str


class CamAssignedData(AccountEventData):
    subject: str = Field(description="Cognito sub of the Corporate Account Manager.")


class CamUnassignedData(AccountEventData):
    subject: str


class PreferencesChangedData(EventData):
    subject: str
    version: int = Field(ge=1, description="Per-person counter; newer wins.")
    locale: str
    timezone: str
    date_format: str
    number_format: str
    default_currency: str
    landing_view: str
    changed_at: datetime


class CamRegisteredData(EventData):
    """A person became a Corporate Account Manager (their contact data, for notices)."""

    subject: str = Field(description="Cognito sub of the CAM.")
    email: str
    name: str = Field(min_length=1, max_length=200)


class MfaEnabledData(EventData):
    """A person finished enrolling an authenticator app (a security notice)."""

    subject: str
    method: Literal["totp"] = "totp"


class PasswordChangedData(EventData):
    """A person's password was set anew (a security notice). `reset`: through the emailed
    code (identity's /v1/password/confirm succeeded, Cognito having checked the code)."""

    subject: str
    how: Literal["reset"]


def _v1(detail_type: str, model: type[EventData]) -> EventType:
    return EventType(detail_type=detail_type, version=1, service=SERVICE, data_model=model)


ACCOUNT_CREATED = _v1("AccountCreated", AccountCreatedData)
ACCOUNT_SUSPENDED = _v1("AccountSuspended", AccountSuspendedData)
ACCOUNT_REACTIVATED = _v1("AccountReactivated", AccountReactivatedData)
MEMBER_INVITED = _v1("MemberInvited", MemberInvitedData)
INVITATION_REVOKED = _v1("InvitationRevoked", InvitationRevokedData)
ACCESS_GRANTED = _v1("AccessGranted", AccessGrantedData)
ACCESS_CHANGED = _v1("AccessChanged", AccessChangedData)
ACCESS_REVOKED = _v1("AccessRevoked", AccessRevokedData)
CAM_ASSIGNED = _v1("CamAssigned", CamAssignedData)
CAM_UNASSIGNED = _v1("CamUnassigned", CamUnassignedData)
PREFERENCES_CHANGED = _v1("PreferencesChanged", PreferencesChangedData)
CAM_REGISTERED = _v1("CamRegistered", CamRegisteredData)
MFA_ENABLED = _v1("MfaEnabled", MfaEnabledData)
PASSWORD_CHANGED = _v1("PasswordChanged", PasswordChangedData)

EVENT_TYPES: list[EventType] = [
    ACCOUNT_CREATED,
    ACCOUNT_SUSPENDED,
    ACCOUNT_REACTIVATED,
    MEMBER_INVITED,
    INVITATION_REVOKED,
    ACCESS_GRANTED,
    ACCESS_CHANGED,
    ACCESS_REVOKED,
    CAM_ASSIGNED,
    CAM_UNASSIGNED,
    PREFERENCES_CHANGED,
    CAM_REGISTERED,
    MFA_ENABLED,
    PASSWORD_CHANGED,
]
