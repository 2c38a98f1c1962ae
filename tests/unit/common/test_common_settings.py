"""common/settings.py: only SCTS_* variables; a missing one fails at first use, clearly."""

from __future__ import annotations

import json

import pytest

from common.lambda_api import service_resolver
from common.settings import JwtSettings, ServiceSettings, SettingsError, load_settings
from common.topology import AuthKind, Function, Route, ServiceTopology
from tests.unit.common.test_common_api import call, http_event

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("SCTS_") or name in {"SERVICE_NAME", "STAGE"}:
            monkeypatch.delenv(name)


def test_reads_only_scts_prefixed_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICE_NAME", "unprefixed")
    monkeypatch.setenv("STAGE", "prod")
    monkeypatch.setenv("SCTS_SERVICE_NAME", "identity")
    settings = load_settings(ServiceSettings)
    assert (settings.service_name, settings.stage) == ("identity", "local")


def test_a_missing_variable_names_the_environment_variable() -> None:
    with pytest.raises(SettingsError, match="SCTS_JWT_ISSUER is not set") as raised:
        load_settings(JwtSettings)
    assert "SCTS_JWKS_URL is not set" in str(raised.value)
    assert "SCTS_JWT_AUDIENCE is not set" in str(raised.value)


def test_an_invalid_value_is_named_but_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCTS_SERVICE_NAME", "Sup3r-Secret-Value")
    with pytest.raises(SettingsError, match="SCTS_SERVICE_NAME is invalid") as raised:
        load_settings(ServiceSettings)
    assert "Sup3r-Secret-Value" not in str(raised.value)


def test_settings_are_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCTS_SERVICE_NAME", "identity")
    settings = load_settings(ServiceSettings)
    with pytest.raises(ValueError, match="frozen"):
        settings.stage = "prod"  # type: ignore[misc]


TOPOLOGY = ServiceTopology(
    service="example",
    functions=(Function(name="api", handler="tests.example.api.handler"),),
    routes=(Route(method="GET", path="/v1/version", auth=AuthKind.PUBLIC, function="api"),),
)


def test_the_resolver_builds_without_environment_and_fails_at_first_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = service_resolver(TOPOLOGY)  # import time: no settings read
    with pytest.raises(SettingsError, match="SCTS_SERVICE_NAME is not set"):
        call(app, http_event("GET", "/v1/version"))
    monkeypatch.setenv("SCTS_SERVICE_NAME", "example")
    status, body = call(app, http_event("GET", "/v1/version"))
    assert (status, body["service"]) == (200, "example")
    monkeypatch.setenv("SCTS_SERVICE_NAME", "changed")
    assert json.loads(app.resolve(http_event("GET", "/v1/version"), {})["body"])["service"] == (  # type: ignore[arg-type]
        "example"
    ), "settings are parsed once per cold start"


def test_values_are_parsed_by_the_model_and_names_match_in_any_case(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from services.provisioning.settings import ProvisioningSettings

    for name in ("records_table", "publishers_table", "idempotency_table", "files_bucket"):
        monkeypatch.setenv(f"SCTS_{name.upper()}", name)
    monkeypatch.setenv("SCTS_SERVICE_NAME", "provisioning")
    monkeypatch.setenv("scts_key_overlap_hours", "12")
    settings = load_settings(ProvisioningSettings)
    assert (settings.key_overlap_hours, settings.upload_chunk_rows) == (12, 500)
    monkeypatch.setenv("SCTS_UPLOAD_CHUNK_ROWS", "0")
    with pytest.raises(SettingsError, match="SCTS_UPLOAD_CHUNK_ROWS is invalid"):
        load_settings(ProvisioningSettings)


def test_the_local_runtime_reads_its_own_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    from infra.local.runtime import LocalSettings

    monkeypatch.setenv("SCTS_LOCAL_BASE_PORT", "31000")
    monkeypatch.setenv("SCTS_LOCAL_DEMO", "false")
    monkeypatch.setenv("SCTS_BASE_PORT", "32000")
    settings = load_settings(LocalSettings)
    assert (settings.base_port, settings.demo) == (31000, False)
