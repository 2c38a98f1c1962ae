"""Lambda entry point for the provisioning HTTP API: parse, call one use case, map the result.

Admin routes (publishers and their keys): a verified access token of a member of the SCTS
admin group; plus `/v1/version`. Publisher routes are the ingest API's (`handlers/ingest.py`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response, content_types

from common.api import ApiError, principal
from common.lambda_api import http_handler, service_resolver
from common.observability import observability
from services.provisioning.handlers.dependencies import (
    publisher_store,
    record_store,
    settings,
    usage_keys,
)
from services.provisioning.logic import publishers as publisher_admin
from services.provisioning.models import api as m
from services.provisioning.models.publishers import Publisher
from services.provisioning.settings import ProvisioningSettings
from services.provisioning.topology import API, TOPOLOGY

obs = observability(TOPOLOGY.service)


def now() -> datetime:
    return datetime.now(UTC)


app = service_resolver(TOPOLOGY, ProvisioningSettings, function=API)


def require_admin() -> str:
    """The verified caller's sub, if the access token puts them in the SCTS admin group."""
    caller = principal(app)
    groups = caller.claims.get("cognito:groups") or []
    if settings().admin_group not in groups:
        raise ApiError(HTTPStatus.FORBIDDEN, "forbidden", "Only SCTS administrators may do this.")
    return caller.sub


def publisher_view(publisher: Publisher) -> m.PublisherView:
    return m.PublisherView.of(publisher, publisher_store().keys(publisher.publisher_id))


@app.post("/v1/publishers", summary="Register a publisher; its API key is shown this once")
def register_publisher(body: m.RegisterPublisher) -> Response[m.IssuedKeyView]:
    admin = require_admin()
    try:
        registered = publisher_admin.register(
            publisher_store(),
            usage_keys(),
            record_store(),
            body.name,
            None if body.all_accounts else body.account_ids,
            admin,
            now(),
        )
    except publisher_admin.UnknownAccounts as exc:
        raise ApiError(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "validation_failed",
            "Publishers may only feed accounts the portal knows.",
            fields=[{"path": "account_ids", "reason": str(exc)}],
        ) from exc
    obs.logger.info(
        "publisher registered", extra={"new_publisher": registered.publisher.publisher_id}
    )
    view = m.IssuedKeyView(
        publisher=publisher_view(registered.publisher),
        api_key=registered.api_key,
        key_prefix=registered.key_prefix,
    )
    return Response(HTTPStatus.CREATED, content_types.APPLICATION_JSON, view)


@app.get("/v1/publishers", summary="Publishers and their keys (prefixes, never keys)")
def list_publishers() -> m.PublisherList:
    require_admin()
    return m.PublisherList(
        publishers=[publisher_view(p) for p in publisher_store().all_publishers()]
    )


def _publisher_or_404(publisher_id: str) -> Publisher:
    found = publisher_store().get(publisher_id)
    if found is None:
        raise ApiError(HTTPStatus.NOT_FOUND, "not_found", "No such publisher.")
    return found


@app.get("/v1/publishers/<publisher_id>", summary="One publisher and its keys")
def get_publisher(publisher_id: str) -> m.PublisherView:
    require_admin()
    return publisher_view(_publisher_or_404(publisher_id))


@app.post(
    "/v1/publishers/<publisher_id>/keys",
    summary="Rotate: a new key; the old ones keep working for the overlap (default 24 h)",
)
def rotate_key(publisher_id: str, body: m.RotateKey) -> Response[m.IssuedKeyView]:
    require_admin()
    publisher = _publisher_or_404(publisher_id)
    hours = settings().key_overlap_hours if body.overlap_hours is None else body.overlap_hours
    issued = publisher_admin.rotate(publisher_store(), publisher_id, timedelta(hours=hours), now())
    view = m.IssuedKeyView(
        publisher=publisher_view(publisher),
        api_key=issued.plaintext,
        key_prefix=issued.record.prefix,
    )
    return Response(HTTPStatus.CREATED, content_types.APPLICATION_JSON, view)


@app.delete("/v1/publishers/<publisher_id>/keys/<prefix>", summary="Revoke a key, at once")
def revoke_key(publisher_id: str, prefix: str) -> Response[None]:
    require_admin()
    try:
        publisher_admin.revoke(publisher_store(), publisher_id, prefix, now())
    except publisher_admin.NotFound as exc:
        raise ApiError(HTTPStatus.NOT_FOUND, "not_found", "No such key.") from exc
    return Response(HTTPStatus.NO_CONTENT, None, None)


handler = http_handler(app, obs)
