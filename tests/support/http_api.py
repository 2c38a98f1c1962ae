"""API Gateway events for calling a service's handler in-process: HTTP API (payload 2.0)
and REST API (payload 1.0, the ingest API)."""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlencode

ACCOUNT_ID = "123456789012"


def _with_json_content_type(headers: dict[str, str] | None, body: Any) -> dict[str, str]:
    """What a real client sends with a JSON body (unless the test names its own type)."""
    sent = dict(headers or {})
    json_body = body is not None and not isinstance(body, str | bytes)
    if json_body and not any(name.lower() == "content-type" for name in sent):
        sent["content-type"] = "application/json"
    return sent


def _raw_body(body: Any) -> str | None:
    """str or bytes as sent; any other JSON-able value serialized."""
    if isinstance(body, bytes):
        return body.decode()
    if body is None or isinstance(body, str):
        return body
    return json.dumps(body)


def http_api_event(
    method: str,
    template: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: Any = None,
    query: dict[str, str] | None = None,
    path_parameters: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The event API Gateway sends for `method path`, matched to route `template`.

    `body` may be a str or bytes (sent as is) or any JSON-able value (serialized).
    """
    raw_body = _raw_body(body)
    headers = _with_json_content_type(headers, body)
    route_key = f"{method} {template}"
    return {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": urlencode(query or {}),
        "queryStringParameters": query or None,
        "pathParameters": path_parameters or None,
        "headers": headers or {},
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": "local",
            "domainName": "localhost",
            "domainPrefix": "localhost",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "pytest",
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": route_key,
            "stage": "$default",
            "time": "22/Nov/2026:10:00:00 +0000",
            "timeEpoch": 0,
        },
        "body": raw_body,
        "isBase64Encoded": False,
    }


def rest_api_event(
    method: str,
    template: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: Any = None,
    query: dict[str, str] | None = None,
    path_parameters: dict[str, str] | None = None,
    authorizer: dict[str, Any] | None = None,
    stage: str = "v1",
) -> dict[str, Any]:
    """The event an API Gateway REST API (proxy integration, payload 1.0) sends for
    `method path`, matched to resource `template`; `authorizer` is what the Lambda
    authorizer answered (principalId + context, flat), as API Gateway passes it on.

    `body` may be a str or bytes (sent as is) or any JSON-able value (serialized).
    """
    raw_body = _raw_body(body)
    sent = _with_json_content_type(headers, body)
    return {
        "resource": template,
        "path": path,
        "httpMethod": method,
        "headers": sent or None,
        "multiValueHeaders": {k: [v] for k, v in sent.items()} or None,
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": "local",
            "resourceId": "abc123",
            "resourcePath": template,
            "httpMethod": method,
            "path": f"/{stage}{path}",
            "protocol": "HTTP/1.1",
            "stage": stage,
            "domainName": "localhost",
            "requestId": str(uuid.uuid4()),
            "requestTime": "22/Nov/2026:10:00:00 +0000",
            "requestTimeEpoch": 0,
            "identity": {"sourceIp": "127.0.0.1", "userAgent": "pytest"},
            "authorizer": authorizer,
        },
        "body": raw_body,
        "isBase64Encoded": False,
    }
