"""The document library of an account: list, detail, download link."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from common.api import Caller
from common.openapi import errors
from services.documents.handlers.context import (
    AccountId,
    DocumentId,
    DocumentsPorts,
    detail,
    link_view,
    summary,
)
from services.documents.logic import library
from services.documents.models import api as m

router = Router()
TAGS = ["documents"]


@router.get(
    "/v1/accounts/<account_id>/documents",
    operation_id="listDocuments",
    summary="Documents of an account you may read, newest first",
    tags=TAGS,
    responses=errors(403, 404, 413),
)
def list_documents(
    account_id: AccountId,
    query: Annotated[m.DocumentQuery, Query()],
    caller: Caller,
    ports: DocumentsPorts,
) -> m.DocumentPage:
    page = library.list_documents(
        ports,
        caller,
        account_id,
        library.ListQuery(
            kinds=(query.kind,) if query.kind else None,
            issued_from=query.issued_from,
            issued_to=query.issued_to,
            related_reference=query.related_reference,
            text=query.q,
            limit=query.limit,
            cursor=query.cursor,
        ),
    )
    return m.DocumentPage(items=[summary(v) for v in page.items], next_cursor=page.next_cursor)


@router.get(
    "/v1/accounts/<account_id>/documents/<document_id>",
    operation_id="getDocument",
    summary="A document with its versions (size, SHA-256, status of each)",
    tags=TAGS,
    responses=errors(403, 404),
)
def get_document(
    account_id: AccountId, document_id: DocumentId, caller: Caller, ports: DocumentsPorts
) -> m.DocumentDetail:
    return detail(library.get_document(ports, caller, account_id, document_id))


@router.get(
    "/v1/accounts/<account_id>/documents/<document_id>/download",
    operation_id="getDocumentDownloadLink",
    summary="A short-lived signed CDN URL of one version's file (the current by default)",
    tags=TAGS,
    responses=errors(403, 404, (409, "That version is withdrawn or refused.")),
)
def download_link(
    account_id: AccountId,
    document_id: DocumentId,
    query: Annotated[m.DownloadQuery, Query()],
    caller: Caller,
    ports: DocumentsPorts,
) -> m.DownloadLinkView:
    link = library.download_link(ports, caller, account_id, document_id, query.version)
    return link_view(link)
