"""All documents of a period as one ZIP: ask, follow, download."""

from __future__ import annotations

from http import HTTPStatus

from aws_lambda_powertools.event_handler.api_gateway import Router

from common.api import Caller
from common.openapi import errors
from services.documents.handlers.context import (
    AccountId,
    BundleId,
    DocumentsPorts,
    RequestId,
    bundle_link_view,
    bundle_view,
)
from services.documents.logic import bundles
from services.documents.models import api as m

router = Router()
TAGS = ["bundles"]


@router.post(
    "/v1/accounts/<account_id>/bundles",
    operation_id="requestBundle",
    summary="Ask for the documents of a period as one ZIP (built asynchronously)",
    tags=TAGS,
    status_code=HTTPStatus.ACCEPTED,
    responses=errors(403, 404, success=HTTPStatus.ACCEPTED),
)
def request_bundle(
    account_id: AccountId,
    body: m.BundleRequest,
    caller: Caller,
    ports: DocumentsPorts,
    request_id: RequestId,
) -> m.BundleView:
    bundle = bundles.request_bundle(
        ports,
        caller,
        account_id,
        tuple(body.kinds) if body.kinds else None,
        body.issued_from,
        body.issued_to,
        request_id,
    )
    return bundle_view(bundle)


@router.get(
    "/v1/accounts/<account_id>/bundles/<bundle_id>",
    operation_id="getBundle",
    summary="A bundle you asked for: pending, ready or failed",
    tags=TAGS,
    responses=errors(403, 404),
)
def get_bundle(
    account_id: AccountId, bundle_id: BundleId, caller: Caller, ports: DocumentsPorts
) -> m.BundleView:
    return bundle_view(bundles.get_bundle(ports, caller, account_id, bundle_id))


@router.get(
    "/v1/accounts/<account_id>/bundles/<bundle_id>/download",
    operation_id="getBundleDownloadLink",
    summary="A short-lived signed CDN URL of a ready bundle",
    tags=TAGS,
    responses=errors(403, 404, (409, "The bundle is not ready.")),
)
def bundle_download(
    account_id: AccountId, bundle_id: BundleId, caller: Caller, ports: DocumentsPorts
) -> m.DownloadLinkView:
    link, bundle = bundles.bundle_link(ports, caller, account_id, bundle_id)
    return bundle_link_view(link.url, link.expires_at, bundle)
