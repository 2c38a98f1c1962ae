"""No secret reaches a log (issue 11, "also"): flows on the runtime `make run` starts, run
with canary secrets (passwords, a reset code's new password, Cognito tokens, API keys, a
wrong password and a made-up key), then every log file the runtime wrote and its console
output are searched for them and for the demo logins' secrets. The one allowed place is the
console banner that deliberately prints the demo logins and keys."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import pytest
import requests

from infra.local.aws import client
from infra.local.cognito import create_user, login, strong_password
from infra.local.control import RuntimeProcess
from infra.local.demo import ApiClient
from infra.local.demo import records as testdata
from tests.e2e.conftest import user_pool

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

MAILED_CODE = re.compile(r"code is (\d{6})\b")
BANNER = re.compile(r"SCTS portal is running locally.*?\nReady in [^\n]*\n", re.DOTALL)
LOG_FLUSH_SECONDS = 3


def _flows(endpoints: dict[str, Any], admin_tokens: dict[str, Any]) -> set[str]:
    """Sign-in, reset, API calls and ingest with canaries; the canaries used."""
    pool = user_pool(endpoints)
    cognito = client("cognito-idp", pool.endpoint)
    identity = ApiClient(endpoints["services"]["identity"], None)
    email = f"canary-{uuid.uuid4().hex[:10]}@e2e.local"
    first, second, wrong = strong_password(), strong_password(), strong_password()
    create_user(cognito, pool, email, first)
    assert identity.post("/v1/password/forgot", json={"username": email}).status_code == 202
    mails = requests.get(f"{endpoints['mailbox']}/{email}", timeout=10).json()
    (code,) = [m.group(1) for mail in mails if (m := MAILED_CODE.search(str(mail["body"])))]
    refused = {"username": email, "code": "000000", "new_password": wrong}
    assert identity.post("/v1/password/confirm", json=refused).status_code == 400
    reset = {"username": email, "code": code, "new_password": second}
    assert identity.post("/v1/password/confirm", json=reset).status_code == 204
    with pytest.raises(cognito.exceptions.NotAuthorizedException):
        login(cognito, pool, email, wrong)
    tokens = login(cognito, pool, email, second)
    me = requests.get(
        f"{endpoints['services']['identity']}/v1/me",
        headers={"Authorization": f"Bearer {tokens['AccessToken']}"},
        timeout=30,
    )
    assert me.status_code == 200, me.text
    admin = requests.Session()
    admin.headers["Authorization"] = f"Bearer {admin_tokens['AccessToken']}"
    created = admin.post(
        f"{endpoints['services']['provisioning']}/v1/publishers",
        json={"name": "canary publisher", "all_accounts": True},
        timeout=30,
    )
    assert created.status_code == 201, created.text
    key = str(created.json()["api_key"])
    made_up = f"{key[:12]}{uuid.uuid4().hex}"
    trades = f"{endpoints['ingest_apis']['provisioning']}/v1/trades"
    body = {"records": [testdata.trade("STX-T-CANARY", "STX-CP-0001")]}
    answers = [
        requests.post(
            trades,
            json=body,
            params={"dry_run": "true"},
            headers={"x-api-key": presented},
            timeout=30,
        ).status_code
        for presented in (key, made_up)
    ]
    assert answers == [200, 401]
    return {
        first,
        second,
        wrong,
        key,
        made_up,
        tokens["AccessToken"],
        tokens["IdToken"],
        tokens["RefreshToken"],
        admin_tokens["AccessToken"],
    }


def _demo_secrets(endpoints: dict[str, Any]) -> set[str]:
    found = {str(u["password"]) for u in endpoints["users"]}
    found |= {str(u["totp_secret"]) for u in endpoints["users"] if u.get("totp_secret")}
    return found | {str(p["api_key"]) for p in endpoints["publishers"]}


def test_no_secret_appears_in_any_log_the_runtime_wrote(
    runtime_process: RuntimeProcess,
    local_runtime: dict[str, Any],
    admin_tokens: dict[str, Any],
) -> None:
    canaries = _flows(local_runtime, admin_tokens) | _demo_secrets(local_runtime)
    assert all(len(c) >= 12 for c in canaries)
    time.sleep(LOG_FLUSH_SECONDS)  # the hosts' output pipes reach their log files
    logs = sorted((runtime_process.state_dir / "logs").glob("*.log"))
    assert logs, "the runtime wrote no log files"
    leaks = []
    for log in logs:
        text = log.read_text(errors="replace")
        leaks += [f"{log.name}: {c[:6]}..." for c in canaries if c in text]
    console = BANNER.sub("", runtime_process.output.read_text(errors="replace"))
    leaks += [f"console: {c[:6]}..." for c in canaries if c in console]
    assert leaks == []


def test_the_search_finds_a_canary_where_one_is_written(
    runtime_process: RuntimeProcess, local_runtime: dict[str, Any]
) -> None:
    """The banner does show the demo logins: the search is not blind."""
    banner = "".join(BANNER.findall(runtime_process.output.read_text(errors="replace")))
    assert any(secret in banner for secret in _demo_secrets(local_runtime))
