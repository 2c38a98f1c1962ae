"""A publisher's file upload and how far its processing got."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from services.provisioning.models.records import RecordKind

MAX_UPLOAD_BYTES = 100 * 1024 * 1024
UPLOAD_OBJECT_PREFIX = "uploads/"
"""Uploaded files live at `uploads/<publisher id>/<upload id>.<format>` in the files bucket;
objects created under it start processing (the topology's bucket notification)."""
UploadFormat = Literal["csv", "jsonl"]


def upload_object_key(publisher_id: str, upload_id: str, upload_format: str) -> str:
    return f"{UPLOAD_OBJECT_PREFIX}{publisher_id}/{upload_id}.{upload_format}"


class UploadStatus(StrEnum):
    AWAITING_FILE = "awaiting_file"
    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


FINISHED = frozenset({UploadStatus.COMPLETED, UploadStatus.FAILED})
"""Statuses processing never leaves: a delivery of a finished upload's event does nothing."""


class Counts(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0

    def plus(self, other: dict[str, int]) -> Counts:
        return Counts(
            accepted=self.accepted + other.get("accepted", 0),
            duplicate=self.duplicate + other.get("duplicate", 0),
            rejected=self.rejected + other.get("rejected", 0),
        )

    @property
    def rows(self) -> int:
        return self.accepted + self.duplicate + self.rejected


class RejectedRow(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    row: int = Field(description="Line number in the file (a CSV's header is line 1).")
    reference: str | None
    field: str
    reason: str


class Upload(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    upload_id: str
    publisher_id: str
    kind: RecordKind
    format: UploadFormat
    dry_run: bool = False
    status: UploadStatus
    object_key: str
    size_bytes: int = 0
    last_line: int = Field(
        default=0, description="Last file line fully processed: where a retry resumes."
    )
    rows_done: int = Field(
        default=0, description="Data rows processed (a CSV's header and blank lines not counted)."
    )
    counts: Counts = Counts()
    error: str | None = None
    created_at: AwareDatetime
    updated_at: AwareDatetime
    claimed_by: str | None = Field(
        default=None,
        exclude=True,
        description="The processing run this copy belongs to (set by the claim, never "
        "serialized): the store writes it only while that run still holds the upload.",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_line_numbers(cls, stored: Any) -> Any:
        """Uploads stored before `last_line` kept the file line in `rows_done` (so a
        1,000-row CSV read 1001): that line is where they resume, and their rows are the
        rows they counted."""
        if isinstance(stored, dict) and "last_line" not in stored and "rows_done" in stored:
            counts = Counts.model_validate(stored.get("counts") or {})
            return {**stored, "last_line": stored["rows_done"], "rows_done": counts.rows}
        return stored

    def progressed(self, last_line: int, totals: Counts) -> Upload:
        """Processing reached `last_line` with `totals`: every data row up to it is counted
        once (accepted, duplicate or rejected), so the rows done are the counted rows."""
        return self.model_copy(
            update={
                "last_line": last_line,
                "rows_done": totals.rows,
                "counts": totals,
                "status": UploadStatus.PROCESSING,
            }
        )
