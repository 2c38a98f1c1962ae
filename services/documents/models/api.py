"""Request and response models of the documents HTTP API (docs/api-conventions.md)."""

from __future__ import annotations

from datetime import date

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from common.api_types import Day, Page, PageQuery
from services.documents.models.domain import DocumentKind, Origin, VersionStatus

MAX_VERSION = 9_999_999_999
"""The highest version a document may have (ten digits: the keys' width); a higher one
asked for is refused before it reaches a table as a key."""

REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._/:-]{0,63}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class DocumentQuery(PageQuery):
    kind: DocumentKind | None = Field(default=None, description="Only documents of this kind.")
    issued_from: Day | None = Field(default=None, description="Issued on or after this day.")
    issued_to: Day | None = Field(default=None, description="Issued on or before this day.")
    related_reference: str | None = Field(
        default=None,
        pattern=REFERENCE_PATTERN,
        description="The trade, invoice, retirement or month (YYYY-MM) a document is about.",
    )
    q: str | None = Field(
        default=None, min_length=2, max_length=64, description="Text the title contains."
    )

    @field_validator("issued_to")
    @classmethod
    def _period_in_order(cls, value: date | None, info: ValidationInfo) -> date | None:
        """Refused on `issued_to` itself, so the error names the field."""
        start = info.data.get("issued_from")
        if value is not None and start is not None and start > value:
            raise ValueError("is before issued_from")
        return value


class DownloadQuery(_Model):
    version: int | None = Field(
        default=None,
        ge=1,
        le=MAX_VERSION,
        description="A version to download; the current one by default.",
    )


class VersionView(_Model):
    version: int
    status: VersionStatus
    title: str
    issued_on: date
    origin: Origin
    file_name: str
    content_type: str
    size_bytes: int = Field(description="Bytes of the file.")
    sha256: str | None = Field(description="SHA-256 of the file (null when refused).")
    created_at: AwareDatetime
    reason: str | None = Field(description="Why it was withdrawn or refused.")
    changed_at: AwareDatetime | None


class DocumentSummary(_Model):
    document_id: str
    kind: DocumentKind
    title: str
    related_reference: str | None
    issued_on: date
    origin: Origin
    status: VersionStatus = Field(description="available, withdrawn or refused.")
    version: int = Field(description="The current version.")
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str | None


class DocumentDetail(DocumentSummary):
    versions: list[VersionView] = Field(description="Every version, newest first.")


class DocumentPage(Page[DocumentSummary]):
    pass


class DownloadLinkView(_Model):
    url: str = Field(description="Signed CDN URL of exactly this file; valid until expires_at.")
    expires_at: AwareDatetime
    version: int | None = Field(description="The version this link downloads (null: a bundle).")
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str | None


class WithdrawalRequest(_Model):
    reason: str = Field(min_length=3, max_length=500, description="Shown to the account.")


class BundleRequest(_Model):
    issued_from: Day
    issued_to: Day
    kinds: list[DocumentKind] | None = Field(
        default=None, min_length=1, description="Kinds to include; all you may read by default."
    )


class BundleView(_Model):
    bundle_id: str
    status: str = Field(description="pending, ready or failed.")
    kinds: list[DocumentKind]
    issued_from: date
    issued_to: date
    requested_at: AwareDatetime
    expires_at: AwareDatetime
    document_count: int
    size_bytes: int
    sha256: str | None
    reason: str | None


class StatementRunRequest(_Model):
    month: str = Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", examples=["2026-11"])


class StatementRunView(_Model):
    month: str
    status: str = Field(description="accepted: the run is queued.")
