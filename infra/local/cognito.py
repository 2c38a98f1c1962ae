"""The local user pool: SPA client, groups, the bootstrap administrator, logging in."""

from __future__ import annotations

import base64
import secrets
import string
import time
from dataclasses import dataclass
from typing import Any

import pyotp

from infra.local.invoke import ACCOUNT_ID
from infra.shape.cognito_pool import (
    CODE_MAIL,
    PASSWORD_POLICY,
    PREVENT_USER_EXISTENCE_ERRORS,
    TOKEN_VALIDITY,
)

POOL_NAME = "scts-local-users"
CLIENT_NAME = "scts-local-spa"
ADMINS_GROUP = "scts-admins"
CAMS_GROUP = "scts-cams"
BOOTSTRAP_ADMIN = "admin@scts.local"
READ_ATTRIBUTES = ["email", "email_verified", "name", "given_name", "family_name"]


@dataclass(frozen=True)
class UserPool:
    endpoint: str
    region: str
    user_pool_id: str
    client_id: str

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def jwks_url(self) -> str:
        """Served by the local moto server: verifiers never follow the token's `iss`."""
        return f"{self.endpoint}/{self.user_pool_id}/.well-known/jwks.json"

    def as_json(self) -> dict[str, str]:
        return {
            "endpoint": self.endpoint,
            "region": self.region,
            "user_pool_id": self.user_pool_id,
            "client_id": self.client_id,
            "jwks_url": self.jwks_url,
            "issuer": self.issuer,
        }


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str
    account: str | None = None
    totp_secret: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return {
            "username": self.username,
            "password": self.password,
            "role": self.role,
            "account": self.account,
            "totp_secret": self.totp_secret,
        }


class _TOTP(pyotp.TOTP):
    """pyotp's TOTP that also accepts secrets shorter than 112 bits.

    Raw moto hands every user the same 60-bit secret; the local runtime's Cognito (like
    real Cognito) gives each user a 256-bit one, which pyotp's own check accepts.
    """

    def byte_secret(self) -> bytes:
        padded = self.secret.upper() + "=" * (-len(self.secret) % 8)
        return base64.b32decode(padded)


TOTP_MIN_LIFETIME_SECONDS = 2.0
"""The local Cognito checks TOTP codes without any clock-skew window: never hand out a code
that may expire before it reaches the server."""


def totp_code(secret: str, at: float | None = None) -> str:
    """A 6-digit code for a software token secret (SOFTWARE_TOKEN_MFA): the current one,
    after waiting for the next time step when the current one is about to expire."""
    totp = _TOTP(secret)
    if at is None:
        left = totp.interval - time.time() % totp.interval
        if left < TOTP_MIN_LIFETIME_SECONDS:
            time.sleep(left)
        at = time.time()
    code: str = totp.at(at)
    return code


def strong_password(length: int = 20) -> str:
    """A password meeting the pool policy (PASSWORD_POLICY), from `secrets` (new every run).
    It starts with a letter, so a command line never reads it as an option (`-x...`)."""
    classes = [string.ascii_lowercase, string.ascii_uppercase, string.digits, "!#%+-=?@^_"]
    chars = [secrets.choice(c) for c in classes]
    alphabet = "".join(classes)
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars) - 1)]
    secrets.SystemRandom().shuffle(chars)
    return secrets.choice(string.ascii_letters) + "".join(chars)


def ses_identity_arn(region: str, email: str) -> str:
    return f"arn:aws:ses:{region}:{ACCOUNT_ID}:identity/{email}"


def create_user_pool(
    cognito: Any, endpoint: str, mail_sender: str | None = None, portal_url: str = ""
) -> UserPool:
    """The pool; with `mail_sender` (an SES-verified address) Cognito's own mail (e.g.
    forgot-password codes) comes from it, as with EmailSendingAccount=DEVELOPER in AWS;
    with `portal_url` that mail words the code as `CODE_MAIL` does, with the portal's link.

    Password policy, token validity and user-existence errors come from cognito_pool.py,
    which the CDK platform stack reads too. The SPA client also allows USER_PASSWORD_AUTH
    (the cloud's allows SRP only), for the runtime's own tools and tests.
    """
    region = cognito.meta.region_name
    email_configuration = (
        {
            "EmailSendingAccount": "DEVELOPER",
            "SourceArn": ses_identity_arn(region, mail_sender),
            "From": mail_sender,
        }
        if mail_sender
        else {"EmailSendingAccount": "COGNITO_DEFAULT"}
    )
    pool_id = cognito.create_user_pool(
        PoolName=POOL_NAME,
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        MfaConfiguration="OPTIONAL",
        Policies={"PasswordPolicy": PASSWORD_POLICY.as_cognito()},
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
        AccountRecoverySetting={"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
        EmailConfiguration=email_configuration,
        **({"VerificationMessageTemplate": CODE_MAIL.template(portal_url)} if portal_url else {}),
    )["UserPool"]["Id"]
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=CLIENT_NAME,
        GenerateSecret=False,
        ExplicitAuthFlows=[
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_SRP_AUTH",
        ],
        ReadAttributes=READ_ATTRIBUTES,
        PreventUserExistenceErrors="ENABLED" if PREVENT_USER_EXISTENCE_ERRORS else "LEGACY",
        **TOKEN_VALIDITY.as_cognito(),
    )["UserPoolClient"]["ClientId"]
    for group, description in (
        (ADMINS_GROUP, "SCTS administrators"),
        (CAMS_GROUP, "STX Corporate Account Managers"),
    ):
        cognito.create_group(GroupName=group, UserPoolId=pool_id, Description=description)
    return UserPool(endpoint, region, pool_id, client_id)


def login(
    cognito: Any, pool: UserPool, username: str, password: str, totp_secret: str | None = None
) -> dict[str, Any]:
    """USER_PASSWORD_AUTH, answering a SOFTWARE_TOKEN_MFA challenge with the TOTP secret.

    Returns Cognito's AuthenticationResult (AccessToken, IdToken, RefreshToken...).
    """
    answer = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    if answer.get("ChallengeName") == "SOFTWARE_TOKEN_MFA":
        if not totp_secret:
            raise ValueError(f"{username} needs a TOTP code")
        answer = cognito.respond_to_auth_challenge(
            ClientId=pool.client_id,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=answer["Session"],
            ChallengeResponses={
                "USERNAME": username,
                "SOFTWARE_TOKEN_MFA_CODE": totp_code(totp_secret),
            },
        )
    if "AuthenticationResult" not in answer:
        raise RuntimeError(f"{username}: unexpected challenge {answer.get('ChallengeName')}")
    result: dict[str, Any] = answer["AuthenticationResult"]
    return result


def enrol_totp(cognito: Any, access_token: str, username: str, pool_id: str) -> str:
    """Associate and verify a software token; TOTP becomes the user's preferred MFA."""
    secret: str = cognito.associate_software_token(AccessToken=access_token)["SecretCode"]
    status = cognito.verify_software_token(
        AccessToken=access_token, UserCode=totp_code(secret), FriendlyDeviceName="local"
    )["Status"]
    if status != "SUCCESS":
        raise RuntimeError(f"TOTP enrolment of {username} failed: {status}")
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool_id,
        Username=username,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    return secret


def create_user(
    cognito: Any, pool: UserPool, email: str, password: str, *, groups: tuple[str, ...] = ()
) -> None:
    """A confirmed user named by its verified email, with a permanent password (no mail
    sent), in `groups`."""
    cognito.admin_create_user(
        UserPoolId=pool.user_pool_id,
        Username=email,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    cognito.admin_set_user_password(
        UserPoolId=pool.user_pool_id, Username=email, Password=password, Permanent=True
    )
    for group in groups:
        cognito.admin_add_user_to_group(
            UserPoolId=pool.user_pool_id, Username=email, GroupName=group
        )


def create_bootstrap_admin(cognito: Any, pool: UserPool) -> Login:
    """The break-glass SCTS administrator, as a deployment creates it: in `scts-admins`,
    a fresh strong password per run, enrolled in TOTP."""
    password = strong_password()
    create_user(cognito, pool, BOOTSTRAP_ADMIN, password, groups=(ADMINS_GROUP,))
    tokens = login(cognito, pool, BOOTSTRAP_ADMIN, password)
    secret = enrol_totp(cognito, tokens["AccessToken"], BOOTSTRAP_ADMIN, pool.user_pool_id)
    return Login(BOOTSTRAP_ADMIN, password, role="scts-admin", totp_secret=secret)
