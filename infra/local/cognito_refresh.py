"""Cognito's GetTokensFromRefreshToken, which moto (pinned 5.2.5) lacks.

AWS Amplify v6 Auth, the web portal's Cognito library, renews tokens with
GetTokensFromRefreshToken (not InitiateAuth REFRESH_TOKEN_AUTH). moto does not know the
action, so in the browser every silent refresh would fail and each session would end when
its first access token expires. `install()` adds the action to moto's Cognito API: for a
refresh token the pool issued, it answers new ID and access tokens exactly as moto's
REFRESH_TOKEN_AUTH does (no new refresh token: rotation is off on the SPA client, as in
AWS); an unknown or revoked refresh token gets NotAuthorizedException.

Guarded by tests/integration/local/test_cognito_refresh.py, which fails when moto changes
(e.g. starts implementing the action itself: then drop this module).
"""

from __future__ import annotations

import threading
from typing import Any

from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.responses import ActionResult

ACTION_METHOD = "get_tokens_from_refresh_token"
REFRESH_FLOW = "REFRESH_TOKEN_AUTH"

_lock = threading.Lock()
_installed = 0


def _get_tokens_from_refresh_token(self: CognitoIdpResponse) -> ActionResult:
    client_id = self._get_param("ClientId")
    refresh_token = self._get_param("RefreshToken")
    answer: dict[str, Any] = self._get_region_agnostic_backend().initiate_auth(
        client_id, REFRESH_FLOW, {"REFRESH_TOKEN": refresh_token}
    )
    return ActionResult({"AuthenticationResult": answer["AuthenticationResult"]})


def install() -> None:
    """Serve GetTokensFromRefreshToken (process-wide, counted: pair with `uninstall`)."""
    global _installed
    with _lock:
        if _installed == 0:
            setattr(CognitoIdpResponse, ACTION_METHOD, _get_tokens_from_refresh_token)
        _installed += 1


def uninstall() -> None:
    global _installed
    with _lock:
        if _installed == 0:
            return
        _installed -= 1
        if _installed == 0:
            delattr(CognitoIdpResponse, ACTION_METHOD)
