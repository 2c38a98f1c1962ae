"""End-to-end: every listener of the local runtime is on 127.0.0.1, its DynamoDB Local sends
no telemetry, and every request it answers is logged with the request id its error bodies
quote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from tests.support.sockets import is_loopback, listening, process_tree

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def advertised_ports(endpoints: dict[str, Any]) -> set[int]:
    urls = [
        *endpoints["services"].values(),
        *endpoints["ingest_apis"].values(),
        endpoints["web"],
        endpoints["mailbox"],
        endpoints["aws_endpoint"],
        endpoints["dynamodb_endpoint"],
        endpoints["cognito"]["endpoint"],
    ]
    return {port for url in urls if (port := urlsplit(url).port) is not None}


def test_every_listening_socket_of_the_runtime_is_on_loopback(
    local_runtime: dict[str, Any],
) -> None:
    sockets = listening(local_runtime["pid"])

    assert advertised_ports(local_runtime) <= set(sockets), "the check sees every listener"
    exposed = {port: str(address) for port, address in sockets.items() if not is_loopback(address)}
    assert exposed == {}


def test_dynamodb_local_runs_with_its_telemetry_off(local_runtime: dict[str, Any]) -> None:
    """The local data is business data: the emulator must not report on it to anyone."""
    command_lines = [
        Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        for pid in process_tree(local_runtime["pid"])
        if Path(f"/proc/{pid}/cmdline").exists()
    ]
    emulators = [line for line in command_lines if b"-inMemory" in line]

    assert len(emulators) == 1
    assert b"-disableTelemetry" in emulators[0]


def test_a_function_error_quotes_the_request_id_of_its_request_log_line(
    local_runtime: dict[str, Any], admin_tokens: dict[str, Any]
) -> None:
    answer = requests.post(
        local_runtime["services"]["identity"] + "/v1/accounts",
        json={"unexpected": True},
        headers={"Authorization": f"Bearer {admin_tokens['AccessToken']}"},
        timeout=30,
    )

    assert 400 <= answer.status_code < 500
    request_id = answer.json()["request_id"]
    assert request_id == answer.headers["apigw-requestid"]
    lines = Path(local_runtime["request_log"]).read_text().splitlines()
    logged = [json.loads(line) for line in lines if request_id in line]
    assert [(r["api"], r["method"], r["path"], r["status"]) for r in logged] == [
        ("identity", "POST", "/v1/accounts", answer.status_code)
    ]
