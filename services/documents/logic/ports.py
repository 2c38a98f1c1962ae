"""What the documents use cases need from the outside world (adapters implement these)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from common.access import AccessSource
from contracts.envelope import EventEnvelope
from services.documents.models.domain import (
    Document,
    DocumentKind,
    DocumentVersion,
    Layout,
    Rendered,
    VersionStatus,
)
from services.documents.models.facts import Fact, FactKind


class FactStore(Protocol):
    def add(self, fact: Fact) -> bool:
        """Store the fact unless it is known (same account, kind, reference, version);
        False when it was (a duplicate)."""
        ...

    def get(self, account_id: str, kind: FactKind, reference: str, version: int) -> Fact | None: ...

    def versions(self, account_id: str, kind: FactKind, reference: str) -> list[Fact]:
        """Every known version of one entity, oldest first."""
        ...

    def of_account(self, account_id: str, kinds: Iterable[FactKind]) -> list[Fact]:
        """Every fact of those kinds in the account (statements, a late counterparty)."""
        ...

    def accounts(self) -> list[str]:
        """Every account with at least one fact, sorted."""
        ...

    def published_about(self, account_id: str, related_reference: str) -> list[Fact]:
        """Published documents whose related reference is `related_reference`."""
        ...


@dataclass(frozen=True)
class KindPage:
    """What one kind's list yielded for a page: matches newest first, how far it looked
    (`horizon`: the oldest sort key examined; None when its list is exhausted)."""

    matches: list[DocumentVersion]
    horizon: str | None


@dataclass(frozen=True)
class ListFilter:
    issued_from: date | None = None
    issued_to: date | None = None
    related_reference: str | None = None
    text: str | None = None
    before: str | None = None
    """Only documents whose sort key (`<issued_on>#<document_id>`) is below this."""


PENDING, READY, FAILED = "pending", "ready", "failed"
"""A bundle's statuses."""


@dataclass(frozen=True)
class Bundle:
    """A ZIP of a period's documents for the person who asked (`logic.bundles`)."""

    account_id: str
    bundle_id: str
    requested_by: str
    kinds: tuple[DocumentKind, ...]
    issued_from: date
    issued_to: date
    status: str
    requested_at: datetime
    expires_at: datetime
    document_count: int = 0
    size_bytes: int = 0
    sha256: str | None = None
    object_key: str | None = None
    reason: str | None = None


class DocumentStore(Protocol):
    def version(
        self, account_id: str, document_id: str, version: int
    ) -> DocumentVersion | None: ...

    def current(self, account_id: str, document_id: str) -> DocumentVersion | None:
        """The document's listed head (its newest non-pending version)."""
        ...

    def document(self, account_id: str, document_id: str) -> Document | None:
        """Head and every version (pending ones excluded), newest first; one query."""
        ...

    def issue(
        self,
        version: DocumentVersion,
        *,
        make_head: bool,
        previous: DocumentVersion | None,
        events: Sequence[EventEnvelope[Any]],
    ) -> bool:
        """Store `version` (never overwriting one) with its events, in one transaction.
        With `make_head` it becomes the listed head, which must still be `previous` (the
        head read before; None: no head yet), and `previous`, if available, becomes
        superseded. False when that version exists or the head moved: re-read, retry."""
        ...

    def change_status(
        self,
        version: DocumentVersion,
        to: VersionStatus,
        *,
        reason: str | None,
        changed_by: str | None,
        at: datetime,
        events: Sequence[EventEnvelope[Any]],
        make_head: bool,
    ) -> bool:
        """Move one version from its current status to `to` (False if it changed since);
        with `make_head`, the head follows (a withdrawal or refusal of the current one)."""
        ...

    def pending(self, version: DocumentVersion) -> bool:
        """Record a published file in quarantine (False if that version is known)."""
        ...

    def pending_version(
        self, account_id: str, document_id: str, version: int
    ) -> DocumentVersion | None: ...

    def list_kind(
        self, account_id: str, kind: DocumentKind, where: ListFilter, limit: int, budget: int
    ) -> KindPage: ...

    def put_bundle(self, bundle: Bundle, events: Sequence[EventEnvelope[Any]]) -> None: ...

    def bundle(self, account_id: str, bundle_id: str) -> Bundle | None: ...

    def finish_bundle(self, bundle: Bundle) -> bool:
        """Store the built (or failed) bundle if it is still pending (False: a withdrawal
        voided it meanwhile)."""
        ...

    def bundles(self, account_id: str) -> list[Bundle]:
        """The account's bundles not yet expired by the table's TTL."""
        ...

    def void_bundle(self, bundle: Bundle, reason: str) -> None:
        """The bundle fails with `reason` unless it failed already."""
        ...


class Files(Protocol):
    """The service's own bucket."""

    def put(
        self, key: str, content: bytes, *, content_type: str, file_name: str, sha256: str
    ) -> None: ...

    def get(self, key: str) -> bytes: ...

    def copy(
        self, source_key: str, target_key: str, *, content_type: str, file_name: str
    ) -> None: ...

    def delete(self, key: str) -> None: ...


class SharedFiles(Protocol):
    """Another service's shared prefix, read through the claim check (read only)."""

    def read(self, key: str, max_bytes: int) -> bytes:
        """The object's bytes; raises `TooBig` past `max_bytes`, `Missing` if absent."""
        ...


class Renderer(Protocol):
    def render(self, layout: Layout) -> Rendered: ...


class UrlSigner(Protocol):
    def sign(self, object_key: str, expires_at: datetime) -> str:
        """A CDN URL for exactly this object, valid until `expires_at`."""
        ...


class Cursors(Protocol):
    def encode(
        self, position: dict[str, Any], *, account_id: str, subject: str, fingerprint: str
    ) -> str: ...

    def decode(
        self, cursor: str, *, account_id: str, subject: str, fingerprint: str
    ) -> dict[str, Any]: ...


class RunQueue(Protocol):
    def enqueue(self, message: dict[str, Any]) -> None:
        """Ask for a statements run (the schedule's own queue)."""
        ...


Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Ports:
    facts: FactStore
    documents: DocumentStore
    files: Files
    renderer: Renderer
    access: AccessSource
    clock: Clock
    url_seconds: int = 120


@dataclass(frozen=True)
class ApiPorts:
    """What the HTTP routes need on top of `Ports`."""

    core: Ports
    signer: UrlSigner
    cursors: Cursors
    runs: RunQueue
