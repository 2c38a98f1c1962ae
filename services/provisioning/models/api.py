"""Request and response bodies of the provisioning HTTP API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

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


class RegisterPublisher(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    account_ids: list[str] | None = Field(default=None, max_length=1000)
    all_accounts: bool = False

    @model_validator(mode="after")
    def _one_scope(self) -> RegisterPublisher:
        if self.all_accounts == bool(self.account_ids):
            raise ValueError("give account_ids, or all_accounts: true (exactly one)")
        return self


class RotateKey(BaseModel):
    model_config = ConfigDict(extra="forbid")

    overlap_hours: int | None = Field(default=None, ge=0, le=168)


class KeyView(BaseModel):
    """What anyone may see of a key: never the key, never its hash."""

    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, key: ApiKey) -> KeyView:
        return cls(
            prefix=key.prefix,
            created_at=key.created_at,
            last_used_at=key.last_used_at,
            expires_at=key.expires_at,
            revoked_at=key.revoked_at,
        )


class PublisherView(BaseModel):
    publisher_id: str
    name: str
    all_accounts: bool
    account_ids: list[str]
    created_at: datetime
    keys: list[KeyView]

    @classmethod
    def of(cls, publisher: Publisher, keys: list[ApiKey]) -> PublisherView:
        return cls(
            publisher_id=publisher.publisher_id,
            name=publisher.name,
            all_accounts=publisher.account_ids is None,
            account_ids=sorted(publisher.account_ids or ()),
            created_at=publisher.created_at,
            keys=[KeyView.of(k) for k in keys],
        )


class PublisherList(BaseModel):
    publishers: list[PublisherView]


class IssuedKeyView(BaseModel):
    """Shown once: the key cannot be read back later."""

    publisher: PublisherView
    api_key: str
    key_prefix: str


class FieldErrorView(BaseModel):
    field: str
    reason: str


class RecordResultView(BaseModel):
    index: int
    reference: str | None
    status: str
    errors: list[FieldErrorView] = []
    reason: str | None = None
    warnings: list[str] = []


class BatchResultView(BaseModel):
    kind: RecordKind
    dry_run: bool
    counts: Counts
    results: list[RecordResultView]


class CreateUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: RecordKind
    format: UploadFormat
    size_bytes: int = Field(ge=1, description=f"At most {MAX_UPLOAD_BYTES} bytes.")
    dry_run: bool = False


class UploadTicket(BaseModel):
    upload_id: str
    upload_url: str
    method: str = "PUT"
    headers: dict[str, str]
    expires_in: int


class UploadView(BaseModel):
    upload_id: str
    kind: RecordKind
    format: UploadFormat
    dry_run: bool
    status: UploadStatus
    size_bytes: int
    rows_done: int
    counts: Counts
    error: str | None
    created_at: datetime
    updated_at: datetime
    rejected_rows: list[RejectedRow] = Field(
        default_factory=list, description="The first rejected rows; all of them as CSV."
    )
    rejections_csv: str | None = Field(default=None, description="Path of the CSV download.")

    @classmethod
    def of(cls, upload: Upload, rejected: list[RejectedRow]) -> UploadView:
        finished = upload.status is UploadStatus.COMPLETED
        return cls(
            **upload.model_dump(
                include={
                    "upload_id",
                    "kind",
                    "format",
                    "dry_run",
                    "status",
                    "size_bytes",
                    "rows_done",
                    "counts",
                    "error",
                    "created_at",
                    "updated_at",
                }
            ),
            rejected_rows=rejected,
            rejections_csv=f"/v1/uploads/{upload.upload_id}/rejections" if finished else None,
        )
