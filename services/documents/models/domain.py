"""The documents domain: kinds, versions and their states, and what a document shows.

A *document* (`document_id`, unique in its account) has *versions*: a new trade version
gives its confirmation a new version, which supersedes the previous one; every version
stays readable. What a version shows is a `Layout` (title, facts, tables), which the PDF
renderer (an adapter) turns into bytes; the same layout always gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class DocumentKind(StrEnum):
    TRADE_CONFIRMATION = "trade_confirmation"
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    REDEMPTION_STATEMENT = "redemption_statement"
    MONTHLY_STATEMENT = "monthly_statement"


class Origin(StrEnum):
    GENERATED = "generated"
    """Rendered by the portal from the facts it received."""
    PUBLISHED = "published"
    """A file STX published through the ingest API (checked before it is downloadable)."""


class VersionStatus(StrEnum):
    PENDING = "pending"
    """A published file in quarantine, waiting for its malware verdict (not listed)."""
    AVAILABLE = "available"
    """The current version: downloadable."""
    SUPERSEDED = "superseded"
    """An earlier version: still downloadable, a newer one exists."""
    WITHDRAWN = "withdrawn"
    """No longer downloadable; the record stays, with who withdrew it and why."""
    REFUSED = "refused"
    """A published file that failed its checks (never downloadable)."""


DOWNLOADABLE = frozenset({VersionStatus.AVAILABLE, VersionStatus.SUPERSEDED})

PDF = "application/pdf"
ZIP = "application/zip"


@dataclass(frozen=True)
class DocumentVersion:
    account_id: str
    document_id: str
    version: int
    kind: DocumentKind
    title: str
    related_reference: str | None
    issued_on: date
    origin: Origin
    status: VersionStatus
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    object_key: str
    created_at: datetime
    reason: str | None = None
    """Why it was withdrawn or refused."""
    changed_by: str | None = None
    """Who withdrew it (a person's sub or `system`)."""
    changed_at: datetime | None = None

    @property
    def downloadable(self) -> bool:
        return self.status in DOWNLOADABLE


@dataclass(frozen=True)
class Document:
    """A document: its listed head (the newest version that is not pending; what lists
    show) and every version, newest first."""

    head: DocumentVersion
    versions: tuple[DocumentVersion, ...]

    @property
    def account_id(self) -> str:
        return self.head.account_id

    @property
    def kind(self) -> DocumentKind:
        return self.head.kind


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()
    """Indexes of right-aligned (figure) columns."""


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[str, ...] = ()
    table: Table | None = None


@dataclass(frozen=True)
class Layout:
    """What a document shows, independent of the file format."""

    title: str
    subtitle: str
    facts: tuple[tuple[str, str], ...]
    """Label/value pairs under the title (each printed as `Label: value`)."""
    sections: tuple[Section, ...] = ()
    footnote: str = ""


@dataclass(frozen=True)
class Rendered:
    """A generated file: its bytes and what identifies them."""

    content: bytes
    sha256: str
    content_type: str = PDF

    @property
    def size_bytes(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class Draft:
    """A document version logic wants to exist: what it is and what it shows."""

    account_id: str
    document_id: str
    version: int
    kind: DocumentKind
    title: str
    related_reference: str | None
    issued_on: date
    file_name: str
    layout: Layout
    supersedes_published: frozenset[str] = field(default_factory=frozenset)
