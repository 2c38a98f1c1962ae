"""Events the documents service publishes (source `scts.documents`).

`DocumentAvailable` and `DocumentWithdrawn` tell other services (notifications) that a
document of an account can now be downloaded, or no longer; both name the document, its
version and kind, never its content or a download link. `BundleRequested` is internal to
the service: a person asked for all documents of a period as one ZIP, built asynchronously.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from contracts.envelope import EventData
from contracts.event_type import EventType

SERVICE = "documents"

DocumentKindName = Literal[
    "trade_confirmation",
    "invoice",
    "credit_note",
    "redemption_statement",
    "monthly_statement",
]
DOCUMENT_ID_PATTERN = r"^[a-z]+-[A-Za-z0-9._-]{1,100}$"


class DocumentFact(EventData):
    account_id: str = Field(description="The account the document belongs to.")
    document_id: str = Field(pattern=DOCUMENT_ID_PATTERN, examples=["confirmation-STX-T-1"])
    version: int = Field(ge=1, description="The document's version (a new one supersedes).")
    kind: DocumentKindName
    title: str = Field(min_length=1, max_length=300)
    related_reference: str | None = Field(
        default=None, description="The trade, invoice or retirement the document is about."
    )


class DocumentAvailable(DocumentFact):
    """A document version passed its checks and can be downloaded by those allowed."""

    issued_on: date
    origin: Literal["generated", "published"] = Field(
        description="Rendered by the portal from its facts, or published by STX."
    )
    size_bytes: int = Field(ge=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class DocumentWithdrawn(DocumentFact):
    """A document version can no longer be downloaded; its record stays (audit trail)."""

    reason: str = Field(min_length=1, max_length=500)
    withdrawn_by: str = Field(description="Who withdrew it: a person's sub, or `system`.")


class BundleRequested(EventData):
    """Someone asked for the documents of a period as one ZIP (built asynchronously)."""

    account_id: str
    bundle_id: str = Field(pattern=r"^bnd-[0-9a-f]{32}$")
    requested_by: str = Field(description="Cognito sub of the person who asked.")
    kinds: list[DocumentKindName] = Field(
        min_length=1, description="The kinds the person could read when asking."
    )
    issued_from: date
    issued_to: date


def _event(detail_type: str, model: type[EventData]) -> EventType:
    return EventType(detail_type=detail_type, version=1, service=SERVICE, data_model=model)


DOCUMENT_AVAILABLE = _event("DocumentAvailable", DocumentAvailable)
DOCUMENT_WITHDRAWN = _event("DocumentWithdrawn", DocumentWithdrawn)
BUNDLE_REQUESTED = _event("BundleRequested", BundleRequested)

EVENT_TYPES: tuple[EventType, ...] = (DOCUMENT_AVAILABLE, DOCUMENT_WITHDRAWN, BUNDLE_REQUESTED)
