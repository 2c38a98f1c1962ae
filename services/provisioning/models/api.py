"""Request and response bodies of provisioning's two APIs (`docs/api-conventions.md`).

Every response model forbids undeclared fields and is built field by field from what
logic returns (an allow-list: a stored attribute never leaks into a response).
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from common.api_types import Page
from services.provisioning.logic.lifecycle import Outcome
from services.provisioning.models.publishers import ApiKey, Publisher
from services.provisioning.models.records import RecordKind
from services.provisioning.models.uploads import (
    MAX_UPLOAD_BYTES,
    Counts,
    RejectedRow,
    Upload,
    UploadFormat,
    UploadStatus,
)

MAX_BATCH_RECORDS = 500
MAX_BATCH_BYTES = 1024 * 1024

_STRICT = ConfigDict(extra="forbid", defer_build=True)


class RegisterPublisher(BaseModel):
    model_config = _STRICT

    name: str = Field(min_length=1, max_length=100)
    account_ids: list[str] | None = Field(default=None, max_length=1000)
    all_accounts: bool = False

    @model_validator(mode="after")
    def _one_scope(self) -> RegisterPublisher:
        if self.all_accounts == bool(self.account_ids):
            raise ValueError("give account_ids, or all_accounts: true (exactly one)")
        return self


class RotateKey(BaseModel):
    model_config = _STRICT

    overlap_hours: int | None = Field(
        default=None, ge=0, le=168, description="How long the old keys keep working (24 h)."
    )


class KeyView(BaseModel):
    """What anyone may see of a key: never the key, never its hash."""

    model_config = _STRICT

    prefix: str
    created_at: AwareDatetime
    last_used_at: AwareDatetime | None = Field(
        description="Last accepted request, refreshed at most once a minute per key."
    )
    expires_at: AwareDatetime | None = Field(
        description="When a rotated-away key stops working (the overlap's end)."
    )
    revoked_at: AwareDatetime | None
    created_by: str | None = Field(
        description="Cognito sub of the SCTS admin who registered or rotated; null for keys "
        "issued before this was kept."
    )
    revoked_by: str | None = Field(description="Cognito sub of the SCTS admin who revoked.")

    @classmethod
    def of(cls, key: ApiKey) -> KeyView:
        return cls(
            prefix=key.prefix,
            created_at=key.created_at,
            last_used_at=key.last_used_at,
            expires_at=key.expires_at,
            revoked_at=key.revoked_at,
            created_by=key.created_by,
            revoked_by=key.revoked_by,
        )


class PublisherView(BaseModel):
    model_config = _STRICT

    publisher_id: str
    name: str
    all_accounts: bool
    account_ids: list[str]
    created_at: AwareDatetime
    created_by: str = Field(description="Cognito sub of the SCTS admin who registered it.")
    keys: list[KeyView]

    @classmethod
    def of(cls, publisher: Publisher, keys: list[ApiKey]) -> PublisherView:
        return cls(
            publisher_id=publisher.publisher_id,
            name=publisher.name,
            all_accounts=publisher.account_ids is None,
            account_ids=sorted(publisher.account_ids or ()),
            created_at=publisher.created_at,
            created_by=publisher.created_by,
            keys=[KeyView.of(k) for k in keys],
        )


class PublisherPage(Page[PublisherView]):
    """Every publisher (they are few: one per STX system), on one page."""


class IssuedKeyView(BaseModel):
    """Shown once: the key cannot be read back later."""

    model_config = _STRICT

    publisher: PublisherView
    api_key: str
    key_prefix: str


class BatchQuery(BaseModel):
    model_config = _STRICT

    dry_run: bool = Field(
        default=False, description="Validate and judge every record; write nothing."
    )


class CountsView(BaseModel):
    model_config = _STRICT

    accepted: int
    duplicate: int
    rejected: int

    @classmethod
    def of(cls, counts: Counts) -> CountsView:
        return cls(accepted=counts.accepted, duplicate=counts.duplicate, rejected=counts.rejected)


class FieldErrorView(BaseModel):
    model_config = _STRICT

    field: str = Field(description="Dotted path in the record; `(record)` for the whole.")
    reason: str


class RecordResultView(BaseModel):
    model_config = _STRICT

    index: int = Field(description="Position of the record in the batch, from 0.")
    reference: str | None
    status: Outcome
    errors: list[FieldErrorView]
    reason: str | None = Field(description="Why a duplicate changed nothing.")
    warnings: list[str]


class BatchResultView(BaseModel):
    model_config = _STRICT

    kind: RecordKind
    dry_run: bool
    counts: CountsView
    results: list[RecordResultView]


class CreateUpload(BaseModel):
    model_config = _STRICT

    kind: RecordKind
    format: UploadFormat
    size_bytes: int = Field(ge=1, description=f"At most {MAX_UPLOAD_BYTES} bytes.")
    dry_run: bool = False


class UploadHeaders(BaseModel):
    """The headers the PUT of the file must carry (the URL is signed with them)."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, serialize_by_alias=True, defer_build=True
    )

    content_type: str = Field(alias="Content-Type")


class UploadTicket(BaseModel):
    model_config = _STRICT

    upload_id: str
    upload_url: str = Field(description="Presigned S3 URL: PUT the file there.")
    method: Literal["PUT"]
    headers: UploadHeaders
    expires_in: int = Field(description="Seconds the URL stays valid.")


class RejectedRowView(BaseModel):
    model_config = _STRICT

    row: int = Field(description="Line number in the file (a CSV's header is line 1).")
    reference: str | None
    field: str
    reason: str

    @classmethod
    def of(cls, row: RejectedRow) -> RejectedRowView:
        return cls(row=row.row, reference=row.reference, field=row.field, reason=row.reason)


class UploadView(BaseModel):
    model_config = _STRICT

    upload_id: str
    kind: RecordKind
    format: UploadFormat
    dry_run: bool
    status: UploadStatus
    size_bytes: int
    rows_done: int = Field(
        description="Data rows processed so far (a CSV's header and blank lines not counted)."
    )
    counts: CountsView
    error: str | None
    created_at: AwareDatetime
    updated_at: AwareDatetime
    rejected_rows: list[RejectedRowView] = Field(
        description="The first rejected rows; all of them as CSV."
    )
    rejections_csv: str | None = Field(
        description="Path of the CSV of every rejected row, once the upload is completed."
    )

    @classmethod
    def of(cls, upload: Upload, rejected: list[RejectedRow]) -> UploadView:
        finished = upload.status is UploadStatus.COMPLETED
        return cls(
            upload_id=upload.upload_id,
            kind=upload.kind,
            format=upload.format,
            dry_run=upload.dry_run,
            status=upload.status,
            size_bytes=upload.size_bytes,
            rows_done=upload.rows_done,
            counts=CountsView.of(upload.counts),
            error=upload.error,
            created_at=upload.created_at,
            updated_at=upload.updated_at,
            rejected_rows=[RejectedRowView.of(r) for r in rejected],
            rejections_csv=f"/v1/uploads/{upload.upload_id}/rejections" if finished else None,
        )
