"""End-to-end: every mail that tells a person to sign in carries the web portal's link:
invitations and the CAM welcome (identity, SCTS_PORTAL_URL) and the password reset code
(Cognito's verification message, `cognito_pool.CODE_MAIL`)."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def mails(local_runtime: dict[str, Any], address: str = "") -> list[dict[str, Any]]:
    url = local_runtime["mailbox"] + (f"/{address}" if address else "")
    found: list[dict[str, Any]] = requests.get(url, timeout=10).json()
    return found


def test_invitations_and_the_cam_welcome_link_to_the_portal(local_runtime: dict[str, Any]) -> None:
    sign_in = f"Sign in at {local_runtime['web']} with:"
    sent = mails(local_runtime)
    invitations = [m for m in sent if m["subject"].startswith("Invitation to ")]
    welcomes = [m for m in sent if m["subject"] == "Your SCTS portal account manager access"]

    assert invitations, "the demo invites people"
    assert welcomes, "the demo creates a CAM"
    for mail in invitations + welcomes:
        assert sign_in in mail["body"], mail["subject"]


def test_the_password_reset_code_mail_links_to_the_portal(local_runtime: dict[str, Any]) -> None:
    person = next(u for u in local_runtime["users"] if u["role"] == "viewer")["username"]
    before = len(mails(local_runtime, person))
    answer = requests.post(
        local_runtime["services"]["identity"] + "/v1/password/forgot",
        json={"username": person},
        timeout=30,
    )
    assert answer.status_code == 202

    deadline = time.monotonic() + 30
    while len(sent := mails(local_runtime, person)) == before and time.monotonic() < deadline:
        time.sleep(0.5)
    reset = sent[-1]
    assert reset["subject"] == "Your SCTS portal password reset code"
    assert f"Enter it at {local_runtime['web']} " in reset["body"]
    assert "{####}" not in reset["body"]
