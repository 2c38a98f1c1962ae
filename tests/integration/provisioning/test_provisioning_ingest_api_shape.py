"""The ingest function on REST API events (payload 1.0) as API Gateway really sends them:
header names in the client's casing, multi-value headers and query, the authorizer's
principal and context flat in `requestContext.authorizer`, answers in `multiValueHeaders`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.local.demo import records as testdata
from services.provisioning.handlers import ingest
from tests.support.http_api import rest_api_event

from .conftest import Cloud, FakeContext

pytestmark = pytest.mark.integration


def send(
    key: str,
    records: list[Any],
    *,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    authorizer: dict[str, Any] | None = None,
) -> tuple[int, Any, dict[str, list[str]]]:
    event = rest_api_event(
        "POST",
        "/v1/trades",
        "/v1/trades",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Api-Key": key,
            **(headers or {}),
        },
        body={"records": records},
        query=query,
        authorizer=authorizer,
    )
    result = ingest.handler(event, FakeContext())  # type: ignore[arg-type]
    return result["statusCode"], json.loads(result["body"]), result.get("multiValueHeaders") or {}


def test_client_casing_of_headers_is_understood(cloud: Cloud) -> None:
    publisher_id, key = cloud.register()
    cloud.link(key, "STX-CP-0001", "acc-7f3c2a91")
    authorizer = {"principalId": publisher_id, "publisher_id": publisher_id}
    idempotent = {"Idempotency-Key": "batch-rest-1"}
    first = send(key, [testdata.trade()], headers=idempotent, authorizer=authorizer)
    again = send(key, [testdata.trade()], headers=idempotent, authorizer=authorizer)
    assert first[0] == again[0] == 200
    assert first[1] == again[1]  # replayed, not judged again (else: duplicate)
    assert first[1]["results"][0]["status"] == "accepted"
    assert first[2]["Content-Type"] == ["application/json"]


def test_dry_run_comes_from_the_query_string(cloud: Cloud) -> None:
    _, key = cloud.register()
    cloud.link(key, "STX-CP-0001", "acc-7f3c2a91")
    status, body, _ = send(key, [testdata.trade()], query={"dry_run": "true"})
    assert (status, body["dry_run"], body["counts"]["accepted"]) == (200, True, 1)
    status, body, _ = send(key, [testdata.trade()])
    assert (status, body["dry_run"], body["results"][0]["status"]) == (200, False, "accepted")


def test_the_authorizer_context_must_name_the_keys_publisher(cloud: Cloud) -> None:
    _, key = cloud.register("one")
    other_id, _ = cloud.register("two")
    status, body, _ = send(key, [], authorizer={"principalId": other_id, "publisher_id": other_id})
    assert (status, body["error"], body["message"]) == (401, "unauthorized", "Unauthorized")


def test_a_wrong_content_type_is_415_and_a_bearer_token_401(cloud: Cloud) -> None:
    _, key = cloud.register()
    status, body, _ = send(key, [], headers={"Content-Type": "text/csv"})
    assert (status, body["error"]) == (415, "unsupported_media_type")
    status, body, _ = send(key, [], headers={"Authorization": "Bearer abc.def.ghi"})
    assert (status, body["error"]) == (401, "unauthorized")
