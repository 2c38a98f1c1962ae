"""API fuzzing in `make test` (issue 10): schemathesis over every committed OpenAPI document,
against the e2e session's local runtime, as every demo role (Cognito routes), the demo
publisher's key (ingest routes) and nobody (public routes). Zero 5xx, zero responses
outside their documented status codes, content types and schemas (`tests/support/api_fuzz.py`).

It runs after every other e2e test of the session (`e2e_last`): its requests create
accounts, CAMs, publishers, targets and trades that the other tests' expectations about the
demo's data do not include. The requests made per document and principal are printed in
the session's summary ("API fuzzing"); `SCTS_FUZZ_EXAMPLES` (default 4 per operation and
principal) deepens a run, `SCTS_FUZZ_SEED` varies it (derandomized otherwise).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from infra.contracts_export import OPENAPI_DIR
from infra.local.aws import client
from infra.local.cognito import login
from infra.local.demo.provisioning import PUBLISHER as DEMO_PUBLISHER
from tests.conftest import FUZZ_PROPERTY
from tests.e2e.conftest import user_pool
from tests.support.api_fuzz import (
    ANONYMOUS,
    API_KEY_SCHEME,
    JWT_SCHEME,
    PUBLISHER,
    FuzzRun,
    Principal,
    fuzz_document,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e"), pytest.mark.e2e_last]

DOCUMENTS = sorted(OPENAPI_DIR.glob("*.json"))


@pytest.fixture(scope="module")
def principals(local_runtime: dict[str, Any]) -> list[Principal]:
    """One demo user per role (signed in now: tokens last 15 minutes), the demo publisher's
    key, and nobody."""
    pool = user_pool(local_runtime)
    cognito = client("cognito-idp", pool.endpoint)
    found: list[Principal] = []
    for user in local_runtime["users"]:
        if any(p.name == user["role"] for p in found):
            continue
        tokens = login(cognito, pool, user["username"], user["password"], user.get("totp_secret"))
        bearer = {"Authorization": f"Bearer {tokens['AccessToken']}"}
        found.append(Principal(user["role"], bearer, JWT_SCHEME))
    key = next(p["api_key"] for p in local_runtime["publishers"] if p["name"] == DEMO_PUBLISHER)
    found.append(Principal(PUBLISHER, {"x-api-key": str(key)}, API_KEY_SCHEME))
    found.append(Principal(ANONYMOUS, {}, None))
    return found


@pytest.fixture(scope="module")
def accounts(local_runtime: dict[str, Any], principals: list[Principal]) -> dict[str, str]:
    """Each role's first account, as identity lists it for that role."""
    identity = local_runtime["services"]["identity"]
    found: dict[str, str] = {}
    for principal in principals:
        if principal.scheme != JWT_SCHEME:
            continue
        answer = requests.get(f"{identity}/v1/accounts", headers=principal.headers, timeout=30)
        assert answer.status_code == 200, answer.text
        items = answer.json()["items"]
        if items:
            found[principal.name] = items[0]["account_id"]
    return found


def test_the_fuzzer_covers_every_document_and_every_demo_role(
    principals: list[Principal],
) -> None:
    assert {p.stem for p in DOCUMENTS} >= {"identity", "portfolio", "provisioning"}
    assert "provisioning-ingest" in {p.stem for p in DOCUMENTS}
    roles = {p.name for p in principals if p.scheme == JWT_SCHEME}
    assert roles >= {"scts-admin", "cam", "admin", "trader", "finance", "viewer"}


@pytest.mark.timeout(900)  # a bounded run; slower than 300 s only on a crowded machine
@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.stem)
def test_every_response_keeps_the_document(
    document: Path,
    local_runtime: dict[str, Any],
    principals: list[Principal],
    accounts: dict[str, str],
    record_property: Any,
) -> None:
    def known(principal: Principal) -> dict[str, str]:
        account = accounts.get(principal.name)
        return {"account_id": account} if account else {}

    run: FuzzRun = fuzz_document(document, local_runtime, principals, known)
    record_property(FUZZ_PROPERTY, run.summary())
    assert sum(run.requests.values()) > 0, f"{document.name}: no request made"
    assert not run.findings, run.summary() + "\n" + "\n".join(str(f) for f in run.findings.values())
