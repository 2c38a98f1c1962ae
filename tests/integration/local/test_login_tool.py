"""`python -m infra.local.login` on every sign-in path, against the local Cognito (moto
server with the local layer, as `make run` has it) and a written endpoints.json."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import pytest

from infra.local import aws, login
from infra.local.cognito import UserPool, create_user_pool, enrol_totp, strong_password, totp_code
from infra.local.cognito import login as password_login
from infra.local.runtime import ENDPOINTS_FILE
from tests.integration.local.conftest import free_port
from tests.support.cognito import SENDER, invitee, person, user_sub

pytestmark = pytest.mark.integration


@dataclass
class Portal:
    cognito: Any
    pool: UserPool
    state_dir: Path
    users: dict[str, dict[str, Any]]

    def write_endpoints(self, listed: list[str], endpoint: str | None = None) -> None:
        facts = {
            "cognito": {**self.pool.as_json(), "endpoint": endpoint or self.pool.endpoint},
            "users": [self.users[name] for name in listed],
        }
        (self.state_dir / ENDPOINTS_FILE).write_text(json.dumps(facts))


@pytest.fixture(scope="module")
def portal_pool(moto_url: str) -> tuple[Any, UserPool, dict[str, dict[str, Any]]]:
    aws.client("ses", moto_url).verify_email_identity(EmailAddress=SENDER)
    cognito = aws.client("cognito-idp", moto_url)
    pool = create_user_pool(cognito, moto_url, SENDER)
    demo_password = person(cognito, pool, "demo@example.local")
    mfa_password = person(cognito, pool, "mfa@example.local")
    tokens = password_login(cognito, pool, "mfa@example.local", mfa_password)
    secret = enrol_totp(cognito, tokens["AccessToken"], "mfa@example.local", pool.user_pool_id)
    users = {
        "demo": {"username": "demo@example.local", "password": demo_password, "role": "viewer"},
        "mfa": {
            "username": "mfa@example.local",
            "password": mfa_password,
            "role": "admin",
            "totp_secret": secret,
        },
    }
    return cognito, pool, users


@pytest.fixture
def portal(
    portal_pool: tuple[Any, UserPool, dict[str, dict[str, Any]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Portal:
    monkeypatch.setenv("SCTS_LOCAL_STATE_DIR", str(tmp_path))
    cognito, pool, users = portal_pool
    found = Portal(cognito, pool, tmp_path, users)
    found.write_endpoints(["demo", "mfa"])
    return found


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, prompt: Callable[[str], str] | None = None
) -> tuple[int, str, str]:
    code = login.main(list(argv), prompt=prompt)
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def subject(token: str) -> str:
    return str(jwt.decode(token, options={"verify_signature": False})["sub"])


def test_help_shows_examples_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        login.main(["--help"])

    out = capsys.readouterr().out
    assert done.value.code == 0
    assert "examples:" in out
    assert "python -m infra.local.login admin@scts.local" in out
    assert "exit codes:" in out
    assert "4  Cognito asks for something not given" in out


def test_wrong_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        login.main([])

    assert done.value.code == login.USAGE
    assert "username" in capsys.readouterr().err


def test_a_listed_demo_user_signs_in_with_srp(
    portal: Portal, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "demo@example.local")

    assert code == login.SIGNED_IN
    assert subject(out) == user_sub(portal.cognito, portal.pool, "demo@example.local")


@pytest.mark.parametrize("username", ["demo@example.local", "nobody@example.local"])
def test_a_wrong_password_or_unknown_user_is_refused_the_same_way(
    portal: Portal, capsys: pytest.CaptureFixture[str], username: str
) -> None:
    code, out, err = run(capsys, username, "Wrong-password-123!")

    assert (code, out) == (login.REFUSED, "")
    assert err == f"{username}: sign-in refused: Incorrect username or password."


def test_a_user_who_is_not_listed_needs_a_password(
    portal: Portal, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "someone@example.local")

    assert code == login.NEEDS_INPUT
    assert "password" in err


def test_a_first_sign_in_chooses_a_new_password(
    portal: Portal, capsys: pytest.CaptureFixture[str]
) -> None:
    temporary, chosen = strong_password(), strong_password()
    invitee(portal.cognito, portal.pool, "new@example.local", temporary)

    code, _, err = run(capsys, "new@example.local", temporary)
    assert code == login.NEEDS_INPUT
    assert "a new password is required" in err
    assert "--new-password" in err

    code, _, err = run(capsys, "new@example.local", temporary, "--new-password", "weak")
    assert code == login.REFUSED
    assert "the new password was refused: Password did not conform with policy" in err

    code, out, err = run(capsys, "new@example.local", temporary, "--new-password", chosen)
    assert code == login.SIGNED_IN
    assert "password changed" in err
    assert subject(out) == user_sub(portal.cognito, portal.pool, "new@example.local")

    assert run(capsys, "new@example.local", chosen)[0] == login.SIGNED_IN


def test_an_mfa_user_who_is_not_listed_needs_a_code(
    portal: Portal, capsys: pytest.CaptureFixture[str]
) -> None:
    portal.write_endpoints(["demo"])
    password, secret = portal.users["mfa"]["password"], portal.users["mfa"]["totp_secret"]

    code, _, err = run(capsys, "mfa@example.local", password)
    assert code == login.NEEDS_INPUT
    assert "--totp-code or --totp-secret" in err

    code, _, err = run(capsys, "mfa@example.local", password, "--totp-code", "000000")
    assert code == login.REFUSED
    assert "the TOTP code was refused" in err

    assert run(capsys, "mfa@example.local", password, "--totp-secret", secret)[0] == 0
    asked: list[str] = []

    def prompt(question: str) -> str:
        asked.append(question)
        return totp_code(secret)

    assert run(capsys, "mfa@example.local", password, prompt=prompt)[0] == login.SIGNED_IN
    assert asked == ["TOTP code: "]


def test_a_listed_mfa_user_signs_in_and_prints_every_token(
    portal: Portal, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "mfa@example.local", "--print", "json")

    tokens = json.loads(out)
    assert code == login.SIGNED_IN
    assert {"AccessToken", "IdToken", "RefreshToken", "ExpiresIn"} <= set(tokens)
    assert subject(tokens["IdToken"]) == user_sub(portal.cognito, portal.pool, "mfa@example.local")


def test_no_running_portal_exits_3(portal: Portal, capsys: pytest.CaptureFixture[str]) -> None:
    portal.write_endpoints(["demo"], endpoint=f"http://127.0.0.1:{free_port()}")
    code, _, err = run(capsys, "demo@example.local")
    assert code == login.NOT_RUNNING
    assert "is `make run` up?" in err

    (portal.state_dir / ENDPOINTS_FILE).unlink()
    code, _, err = run(capsys, "demo@example.local")
    assert code == login.NOT_RUNNING
    assert "not found: is `make run` up?" in err
