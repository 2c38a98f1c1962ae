"""The local Cognito behaves like Amazon Cognito where security depends on it.

moto (pinned 5.2.5) emulates Cognito's API shape but not its checks. In the local runtime's
process only (`aws.Moto.start` installs this; the Lambda code path never imports it) this
module patches moto's Cognito backend so that (cognito_signin.py, cognito_recovery.py,
cognito_tokens.py; state in cognito_moto.py):

- USER_SRP_AUTH is real SRP-6a (cognito_srp.py): SALT/SRP_B/SECRET_BLOCK kept per sign-in,
  the PASSWORD_VERIFIER proof checked; a wrong password is NotAuthorizedException
  "Incorrect username or password." (moto accepts any proof).
- Every challenge session is bound to its user, its client and the one challenge it was
  issued for, and expires after the client's AuthSessionValidity (moto lets a session of
  one user answer for another, answers MFA_SETUP with any session, never expires them).
- TOTP secrets are per user; enrolment and sign-in codes are checked against them (moto
  gives everyone one fixed secret, and checks nothing unless an env switch is set).
- ForgotPassword mails (cognito_mail.py) a 6-digit code that is the only one accepted, for
  1 hour, once; 5 wrong codes withdraw it (moto accepts any code without its fixed prefix
  and returns its code in a response header). Wrong: CodeMismatchException.
- The pool's password policy (cognito_pool.py) wherever Cognito applies it, including
  AdminCreateUser temporary passwords and ConfirmForgotPassword (moto: neither).
- With PreventUserExistenceErrors=ENABLED an unknown user is answered like a known one:
  sign-in NotAuthorizedException, ForgotPassword a simulated delivery, ConfirmForgotPassword
  the same code errors (moto: UserNotFound/ResourceNotFound).
- The client's token validities and auth flows apply, expired access and refresh tokens
  are refused, global sign-out reaches every alias's tokens, and SignUp is refused when
  only administrators may create users.

Guarded by tests/integration/local/test_cognito_parity_guards.py (raw moto still lacks each
behaviour) and test_cognito_parity.py (the patched moto behaves like Cognito).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUserPool

from infra.local import cognito_moto, cognito_recovery, cognito_signin, cognito_tokens


def _patches() -> list[tuple[type, str, Callable[..., Any]]]:
    backend, pool = CognitoIdpBackend, CognitoIdpUserPool
    signin, recovery, tokens = cognito_signin, cognito_recovery, cognito_tokens
    return [
        (backend, "initiate_auth", signin.initiate_auth),
        (backend, "admin_initiate_auth", signin.admin_initiate_auth),
        (backend, "respond_to_auth_challenge", signin.respond_to_auth_challenge),
        (backend, "associate_software_token", signin.associate_software_token),
        (backend, "verify_software_token", signin.verify_software_token),
        (backend, "forgot_password", recovery.forgot_password),
        (backend, "confirm_forgot_password", recovery.confirm_forgot_password),
        (backend, "_validate_password", recovery.validate_password),
        (backend, "admin_create_user", recovery.admin_create_user),
        (backend, "sign_up", recovery.sign_up),
        (backend, "confirm_sign_up", recovery.confirm_sign_up),
        (pool, "create_jwt", tokens.create_jwt),
        (pool, "create_refresh_token", tokens.create_refresh_token),
        (pool, "create_tokens_from_refresh_token", tokens.create_tokens_from_refresh_token),
        (pool, "sign_out", tokens.sign_out),
    ]


PATCHED = tuple((owner, name) for owner, name, _ in _patches())
"""moto's methods the layer replaces (the guard tests check each is still moto's)."""

_lock = threading.Lock()
_installed = 0


def install() -> None:
    """Apply the layer process-wide (counted: pair every call with `uninstall`)."""
    global _installed
    with _lock:
        if _installed == 0:
            cognito_moto.reset_state()
            for owner, name, replacement in _patches():
                cognito_moto.ORIGINALS[name] = getattr(owner, name)
                setattr(owner, name, replacement)
        _installed += 1


def uninstall() -> None:
    global _installed
    with _lock:
        if _installed == 0:
            return
        _installed -= 1
        if _installed == 0:
            for owner, name, _ in _patches():
                setattr(owner, name, cognito_moto.ORIGINALS.pop(name))
