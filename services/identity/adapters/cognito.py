"""The Cognito user pool: admin APIs for invitations, the user's own token for TOTP.

Cognito's refusals become identity's domain exceptions here (the Directory port says
which), so logic never sees a botocore error.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError

from common.errors import DomainError, RateLimited, Unavailable
from services.identity.logic.errors import (
    CodeRejected,
    DirectoryRefused,
    EmailRejected,
    PasswordRejected,
    conflict,
)
from services.identity.logic.ports import DirectoryUser

FEDERATED_STATUS = "EXTERNAL_PROVIDER"
"""Users signing in through Entra ID: MFA is enforced by their own identity provider."""
RECOVERY_RETRY_SECONDS = 60
"""What a throttled password recovery is told to wait (Cognito names no time)."""


def _attributes(user: dict[str, Any]) -> dict[str, str]:
    listed = user.get("UserAttributes") or user.get("Attributes") or []
    return {a["Name"]: a["Value"] for a in listed}


class CognitoDirectory:
    def __init__(self, user_pool_id: str, client_id: str, client: Any | None = None) -> None:
        self._pool = user_pool_id
        self._client_id = client_id
        self._client = client or boto3.client("cognito-idp")

    def _user(self, user: dict[str, Any], username: str) -> DirectoryUser:
        attributes = _attributes(user)
        return DirectoryUser(
            username=user.get("Username", username),
            subject=attributes["sub"],
            email=attributes.get("email", username),
            must_change_password=user.get("UserStatus") == "FORCE_CHANGE_PASSWORD",
        )

    def find_user(self, email: str) -> DirectoryUser | None:
        """The pool refusing the address as a username (over 128 characters, characters it
        does not take) is the caller's input error, as in `create_user`."""
        try:
            found = self._client.admin_get_user(UserPoolId=self._pool, Username=email)
        except self._client.exceptions.UserNotFoundException:
            return None
        except self._client.exceptions.InvalidParameterException as exc:
            raise EmailRejected() from exc
        return self._user(found, email)

    def email_of(self, subject: str) -> str | None:
        """Email is the pool's sign-in alias, so a user's username is its `sub`."""
        try:
            found = self._client.admin_get_user(UserPoolId=self._pool, Username=subject)
        except self._client.exceptions.UserNotFoundException:
            return None
        return _attributes(found).get("email")

    def create_user(self, email: str, temporary_password: str) -> DirectoryUser:
        """The Cognito user with a temporary password; our mailer sends the invitation.
        The pool refusing the address as a username is the caller's input error; a user
        created meanwhile by another request is a 409 to retry."""
        try:
            created = self._client.admin_create_user(
                UserPoolId=self._pool,
                Username=email,
                TemporaryPassword=temporary_password,
                MessageAction="SUPPRESS",
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "email_verified", "Value": "true"},
                ],
            )
        except self._client.exceptions.InvalidParameterException as exc:
            raise EmailRejected() from exc
        except self._client.exceptions.UsernameExistsException as exc:
            # created meanwhile by another request (the caller looked and found nobody)
            raise conflict(
                "conflict", "The person was registered meanwhile; retry.", field="email"
            ) from exc
        return self._user(created["User"], email)

    def set_temporary_password(self, username: str, temporary_password: str) -> None:
        self._client.admin_set_user_password(
            UserPoolId=self._pool, Username=username, Password=temporary_password, Permanent=False
        )

    def mfa_satisfied(self, username: str) -> bool:
        try:
            user = self._client.admin_get_user(UserPoolId=self._pool, Username=username)
        except self._client.exceptions.UserNotFoundException:
            return False
        if user.get("UserStatus") == FEDERATED_STATUS:
            return True
        return "SOFTWARE_TOKEN_MFA" in (user.get("UserMFASettingList") or [])

    def start_totp(self, access_token: str) -> str:
        try:
            started = self._client.associate_software_token(AccessToken=access_token)
        except ClientError as exc:
            raise _client_error(exc) from exc
        return str(started["SecretCode"])

    def verify_totp(self, access_token: str, code: str, device_name: str) -> bool:
        try:
            verified = self._client.verify_software_token(
                AccessToken=access_token, UserCode=code, FriendlyDeviceName=device_name
            )
        except self._client.exceptions.EnableSoftwareTokenMFAException:
            return False
        except self._client.exceptions.CodeMismatchException:
            return False
        except ClientError as exc:
            raise _client_error(exc) from exc
        if verified.get("Status") != "SUCCESS":
            return False
        self._client.set_user_mfa_preference(
            AccessToken=access_token,
            SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
        )
        return True

    def forgot_password(self, username: str) -> None:
        """Cognito emails the code. Unknown users are not revealed (same answer)."""
        try:
            self._client.forgot_password(ClientId=self._client_id, Username=username)
        except (
            self._client.exceptions.UserNotFoundException,
            self._client.exceptions.InvalidParameterException,
            self._client.exceptions.NotAuthorizedException,
        ):
            return
        except (
            self._client.exceptions.LimitExceededException,
            self._client.exceptions.TooManyRequestsException,
        ) as exc:
            raise _throttled() from exc

    def groups_of(self, username: str) -> frozenset[str]:
        try:
            found = self._client.admin_list_groups_for_user(
                UserPoolId=self._pool, Username=username, Limit=60
            )
        except self._client.exceptions.UserNotFoundException:
            return frozenset()
        return frozenset(g["GroupName"] for g in found.get("Groups", []))

    def sign_out_everywhere(self, username: str) -> None:
        """Every refresh token of the user stops working (access tokens expire in 15 min;
        the services authorize each request from their own projection meanwhile)."""
        try:
            self._client.admin_user_global_sign_out(UserPoolId=self._pool, Username=username)
        except self._client.exceptions.UserNotFoundException:
            return

    def confirm_forgot_password(self, username: str, code: str, new_password: str) -> None:
        try:
            self._client.confirm_forgot_password(
                ClientId=self._client_id,
                Username=username,
                ConfirmationCode=code,
                Password=new_password,
            )
        except (
            self._client.exceptions.CodeMismatchException,
            self._client.exceptions.ExpiredCodeException,
            self._client.exceptions.UserNotFoundException,
            # a disabled user, or one who cannot reset: the unknown user's answer, so the
            # answer does not tell who has an account
            self._client.exceptions.NotAuthorizedException,
        ) as exc:
            raise CodeRejected("The code is wrong or has expired.") from exc
        except (
            self._client.exceptions.InvalidPasswordException,
            self._client.exceptions.InvalidParameterException,  # e.g. leading/trailing spaces
        ) as exc:
            raise PasswordRejected() from exc
        except (
            self._client.exceptions.LimitExceededException,
            self._client.exceptions.TooManyFailedAttemptsException,
            self._client.exceptions.TooManyRequestsException,
        ) as exc:
            raise _throttled() from exc


def _throttled() -> RateLimited:
    return RateLimited("Too many attempts; try again later.", RECOVERY_RETRY_SECONDS)


def _client_error(exc: ClientError) -> DomainError:
    code = exc.response["Error"]["Code"]
    if code in ("NotAuthorizedException", "InvalidParameterException"):
        return DirectoryRefused()
    return Unavailable("The identity provider failed; try again later.")
