"""What every documents route takes (path parameters, ports, the request id) and the
mapping of logic's results to response models (allow-lists, field by field)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.request import Request

from common.api_errors import request_id_of
from common.api_types import ID_PATTERN
from contracts.events.documents import DOCUMENT_ID_PATTERN
from services.documents import dependencies
from services.documents.logic.library import DownloadLink
from services.documents.logic.ports import ApiPorts, Bundle
from services.documents.models import api as m
from services.documents.models.domain import Document, DocumentVersion, VersionStatus

AccountId = Annotated[
    str, Path(pattern=ID_PATTERN, description="The account's id.", examples=["acc_0123abcd"])
]
DocumentId = Annotated[
    str,
    Path(
        pattern=DOCUMENT_ID_PATTERN,
        description="The document's id in the account.",
        examples=["confirmation-STX-T-0000042"],
    ),
]
BundleId = Annotated[str, Path(pattern=r"^bnd-[0-9a-f]{32}$", description="The bundle's id.")]
DocumentsPorts = Annotated[ApiPorts, Depends(dependencies.api_ports)]


def request_id(request: Request) -> str:
    return request_id_of(request.resolved_event.raw_event)


RequestId = Annotated[str, Depends(request_id)]


def _sha(version: DocumentVersion) -> str | None:
    return None if version.status is VersionStatus.REFUSED else version.sha256


def summary(head: DocumentVersion) -> m.DocumentSummary:
    return m.DocumentSummary(
        document_id=head.document_id,
        kind=head.kind,
        title=head.title,
        related_reference=head.related_reference,
        issued_on=head.issued_on,
        origin=head.origin,
        status=head.status,
        version=head.version,
        file_name=head.file_name,
        content_type=head.content_type,
        size_bytes=head.size_bytes,
        sha256=_sha(head),
    )


def version_view(version: DocumentVersion) -> m.VersionView:
    return m.VersionView(
        version=version.version,
        status=version.status,
        title=version.title,
        issued_on=version.issued_on,
        origin=version.origin,
        file_name=version.file_name,
        content_type=version.content_type,
        size_bytes=version.size_bytes,
        sha256=_sha(version),
        created_at=version.created_at,
        reason=version.reason,
        changed_at=version.changed_at,
    )


def detail(document: Document) -> m.DocumentDetail:
    return m.DocumentDetail(
        **summary(document.head).model_dump(),
        versions=[version_view(v) for v in document.versions],
    )


def link_view(link: DownloadLink) -> m.DownloadLinkView:
    version = link.version
    assert version is not None
    return m.DownloadLinkView(
        url=link.url,
        expires_at=link.expires_at,
        version=version.version,
        file_name=version.file_name,
        content_type=version.content_type,
        size_bytes=version.size_bytes,
        sha256=version.sha256,
    )


def bundle_view(bundle: Bundle) -> m.BundleView:
    return m.BundleView(
        bundle_id=bundle.bundle_id,
        status=bundle.status,
        kinds=list(bundle.kinds),
        issued_from=bundle.issued_from,
        issued_to=bundle.issued_to,
        requested_at=bundle.requested_at,
        expires_at=bundle.expires_at,
        document_count=bundle.document_count,
        size_bytes=bundle.size_bytes,
        sha256=bundle.sha256,
        reason=bundle.reason,
    )


def bundle_link_view(url: str, expires_at: datetime, bundle: Bundle) -> m.DownloadLinkView:
    name = (bundle.object_key or "bundle.zip").rsplit("/", 1)[-1]
    return m.DownloadLinkView(
        url=url,
        expires_at=expires_at,
        version=None,
        file_name=name,
        content_type="application/zip",
        size_bytes=bundle.size_bytes,
        sha256=bundle.sha256,
    )
