"""The documents service's dependencies, one `Provider` each: built on first use (once per
cold start), overridden in tests with `provider.override(fake)`."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from common.access import AccessSource
from common.access.dynamo import DynamoAccessSource
from common.settings import load_settings
from common.wiring import provider
from services.documents.adapters.cursors import SecretKeyCursors
from services.documents.adapters.documents_store import DynamoDocumentStore
from services.documents.adapters.dynamo import dynamodb_client
from services.documents.adapters.facts_store import DynamoFactStore
from services.documents.adapters.files import S3Files, S3SharedFiles, s3_client
from services.documents.adapters.runs import SqsRunQueue
from services.documents.logic.ports import (
    ApiPorts,
    Clock,
    Cursors,
    DocumentStore,
    FactStore,
    Files,
    Ports,
    Renderer,
    RunQueue,
    SharedFiles,
    UrlSigner,
)
from services.documents.settings import DocumentsSettings


@cache
def url_seconds() -> int:
    """How long a download link lives, as the topology declares it (and the CDK enforces).
    Read on first use: consumers that sign nothing never build the topology."""
    from services.documents.topology import TOPOLOGY

    return TOPOLOGY.signed_downloads[0].url_seconds


@provider
def settings() -> DocumentsSettings:
    return load_settings(DocumentsSettings)


@provider
def dynamodb() -> Any:
    return dynamodb_client()


@provider
def s3() -> Any:
    return s3_client()


@provider
def fact_store() -> FactStore:
    return DynamoFactStore(dynamodb(), settings().facts_table)


@provider
def document_store() -> DocumentStore:
    return DynamoDocumentStore(dynamodb(), settings().documents_table)


@provider
def files() -> Files:
    return S3Files(s3(), settings().files_bucket)


@provider
def shared_files() -> SharedFiles:
    return S3SharedFiles(s3(), settings().published_files_bucket)


@provider
def renderer() -> Renderer:
    # Imported here: only the functions that render load reportlab (the API never does).
    from services.documents.adapters.pdf import ReportlabRenderer

    return ReportlabRenderer()


@provider
def access_source() -> AccessSource:
    return DynamoAccessSource(settings().access_table)


@provider
def clock() -> Clock:
    return _utc_now


def _utc_now() -> datetime:
    return datetime.now(UTC)


@provider
def signer() -> UrlSigner:
    """Imported here: only the API signs download links."""
    from services.documents.adapters.cdn import ParametersUrlSigner

    current = settings()
    return ParametersUrlSigner(
        current.cdn_parameters,
        current.cdn_parameters_region,
        current.documents_signing_key_secret_id,
    )


@provider
def cursors() -> Cursors:
    return SecretKeyCursors(settings().documents_cursor_signing_key_secret_id)


@provider
def runs() -> RunQueue:
    return SqsRunQueue(settings().monthly_statements_queue)


def ports() -> Ports:
    return Ports(
        facts=fact_store(),
        documents=document_store(),
        files=files(),
        renderer=renderer(),
        access=access_source(),
        clock=clock(),
        url_seconds=url_seconds(),
    )


def api_ports() -> ApiPorts:
    return ApiPorts(core=ports(), signer=signer(), cursors=cursors(), runs=runs())
