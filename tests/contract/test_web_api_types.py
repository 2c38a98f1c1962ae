"""The web app's typed API clients must match the committed OpenAPI documents: the types in
web/src/api/generated/ are regenerated (openapi-typescript) and compared, like the schemas
and documents themselves. `make contracts` rewrites them."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from infra.contracts_export import OPENAPI_DIR, REPO_ROOT

pytestmark = pytest.mark.contract

WEB = REPO_ROOT / "web"
GENERATOR = WEB / "scripts" / "generate-api.mjs"
GENERATED = WEB / "src" / "api" / "generated"


def test_generated_web_api_types_match_the_openapi_documents() -> None:
    node = shutil.which("node")
    assert node, "node is missing: `make install` installs it"
    assert (WEB / "node_modules" / "openapi-typescript").is_dir(), (
        "web packages are missing: run `make install`"
    )
    answer = subprocess.run(  # noqa: S603 - fixed command, repository files
        [node, str(GENERATOR), "--check"],
        cwd=WEB,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert answer.returncode == 0, answer.stderr + answer.stdout


def test_every_http_api_document_has_its_client_and_no_ingest_document_does() -> None:
    documents = {p.stem for p in OPENAPI_DIR.glob("*.json")}
    clients = {p.stem for p in GENERATED.glob("*.ts")}
    assert clients == {d for d in documents if not d.endswith("-ingest")}
