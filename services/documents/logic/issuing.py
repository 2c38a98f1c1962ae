"""Making a document version exist, once: render, store the file, record the version and
tell others (`DocumentAvailable`) in one transaction with the state change.

Idempotent: a version that exists is never written again, and a file's key holds its
SHA-256, so a retried render (same facts, same bytes) writes the same object. A newer
version becomes the head and supersedes the previous one; an older one arriving late is
kept as superseded. Concurrent writers of one document meet on the head's condition: the
loser re-reads and tries again. Every version of a document has the document's kind (its
kind is part of its identity, and decides who reads it): a version of another kind is
never recorded (`KindChanged`; intake records it as refused).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from contracts.envelope import EventEnvelope
from contracts.events import documents as events
from services.documents.logic import kinds
from services.documents.logic.ports import PENDING, READY, Ports
from services.documents.models.domain import (
    Document,
    DocumentVersion,
    Draft,
    Origin,
    Rendered,
    VersionStatus,
)

MAX_ATTEMPTS = 8
SYSTEM = "system"


class IssueContention(RuntimeError):
    """The document kept changing under every attempt: the event is retried from its queue."""


class KindChanged(Exception):
    """The version's kind is not its document's (`head`, the document's first recorded
    version fixed it): recording it would let the readers of one kind see another's."""

    def __init__(self, head: DocumentVersion) -> None:
        super().__init__(f"{head.document_id} is {kinds.named(head.kind)}")
        self.head = head


def object_key(account_id: str, document_id: str, version: int, sha256: str, file_name: str) -> str:
    """Where a downloadable file lives: its key names its content (a retry rewrites the
    same bytes under the same key)."""
    return f"files/{account_id}/{document_id}/v{version}/{sha256[:16]}/{file_name}"


def available_event(version: DocumentVersion, correlation_id: str) -> EventEnvelope[Any]:
    data = events.DocumentAvailable(
        account_id=version.account_id,
        document_id=version.document_id,
        version=version.version,
        kind=version.kind.value,
        title=version.title,
        related_reference=version.related_reference,
        issued_on=version.issued_on,
        origin=version.origin.value,
        size_bytes=version.size_bytes,
        sha256=version.sha256,
    )
    return events.DOCUMENT_AVAILABLE.new(
        data, account_id=version.account_id, correlation_id=correlation_id
    )


def withdrawn_event(
    version: DocumentVersion, reason: str, by: str, correlation_id: str
) -> EventEnvelope[Any]:
    data = events.DocumentWithdrawn(
        account_id=version.account_id,
        document_id=version.document_id,
        version=version.version,
        kind=version.kind.value,
        title=version.title,
        related_reference=version.related_reference,
        reason=reason,
        withdrawn_by=by,
    )
    return events.DOCUMENT_WITHDRAWN.new(
        data, account_id=version.account_id, correlation_id=correlation_id
    )


def version_of(
    draft: Draft, rendered: Rendered, *, origin: Origin, key: str, now: datetime
) -> DocumentVersion:
    return DocumentVersion(
        account_id=draft.account_id,
        document_id=draft.document_id,
        version=draft.version,
        kind=draft.kind,
        title=draft.title,
        related_reference=draft.related_reference,
        issued_on=draft.issued_on,
        origin=origin,
        status=VersionStatus.AVAILABLE,
        file_name=draft.file_name,
        content_type=rendered.content_type,
        size_bytes=rendered.size_bytes,
        sha256=rendered.sha256,
        object_key=key,
        created_at=now,
    )


def record(
    ports: Ports,
    version: DocumentVersion,
    correlation_id: str,
    head: DocumentVersion | bool | None = False,
) -> bool:
    """Store a version whose file is in place; True if it was new. The head decides
    whether it is current (AVAILABLE, announced) or late (SUPERSEDED, kept quietly). The
    write's conditions guard against a concurrent writer: on a refusal the version is
    looked up (someone else stored it: done) or the head read again. `head`: the head the
    caller just read (None: there is none), to spare the first read. A head of another
    kind raises `KindChanged` (nothing written)."""
    for _ in range(MAX_ATTEMPTS):
        if head is False:
            head = ports.documents.current(version.account_id, version.document_id)
        assert head is None or isinstance(head, DocumentVersion)
        if head is not None and head.kind is not version.kind:
            raise KindChanged(head)
        newest = head is None or head.version < version.version
        stored = version if newest else _late(version, head)
        announced: Sequence[EventEnvelope[Any]] = (
            [available_event(stored, correlation_id)] if newest else []
        )
        if ports.documents.issue(
            stored, make_head=newest, previous=head if newest else None, events=announced
        ):
            return True
        if ports.documents.version(version.account_id, version.document_id, version.version):
            return False
        head = False
    raise IssueContention(f"{version.document_id} changed under {MAX_ATTEMPTS} attempts")


def issue_generated(ports: Ports, draft: Draft, correlation_id: str) -> bool:
    """Render the draft and record it: True if new (the caller looked it up first)."""
    rendered = ports.renderer.render(draft.layout)
    key = object_key(
        draft.account_id, draft.document_id, draft.version, rendered.sha256, draft.file_name
    )
    ports.files.put(
        key,
        rendered.content,
        content_type=rendered.content_type,
        file_name=draft.file_name,
        sha256=rendered.sha256,
    )
    version = version_of(draft, rendered, origin=Origin.GENERATED, key=key, now=ports.clock())
    return record(ports, version, correlation_id)


def issue_if_changed(
    ports: Ports, draft_for: Callable[[int], Draft], correlation_id: str
) -> DocumentVersion | None:
    """A document re-issued only when its content changes (the monthly statement): the
    draft is rendered; if the current version has the same SHA-256 nothing is written,
    else it becomes the next version. Returns the new version, if any."""
    current = ports.documents.current(*_ids(draft_for(1)))
    draft = draft_for((current.version + 1) if current else 1)
    rendered = ports.renderer.render(draft.layout)
    if current is not None and current.sha256 == rendered.sha256:
        return None
    key = object_key(
        draft.account_id, draft.document_id, draft.version, rendered.sha256, draft.file_name
    )
    ports.files.put(
        key,
        rendered.content,
        content_type=rendered.content_type,
        file_name=draft.file_name,
        sha256=rendered.sha256,
    )
    version = version_of(draft, rendered, origin=Origin.GENERATED, key=key, now=ports.clock())
    return version if record(ports, version, correlation_id, head=current) else None


def withdraw_document(
    ports: Ports, document: Document, *, reason: str, by: str, correlation_id: str
) -> list[DocumentVersion]:
    """Every downloadable version of the document becomes WITHDRAWN (the head follows);
    the record stays with who and why. Returns the versions withdrawn now."""
    withdrawn = []
    now = ports.clock()
    for version in document.versions:
        if not version.downloadable:
            continue
        is_head = version.version == document.head.version
        event = withdrawn_event(version, reason, by, correlation_id)
        if ports.documents.change_status(
            version,
            VersionStatus.WITHDRAWN,
            reason=reason,
            changed_by=by,
            at=now,
            events=[event],
            make_head=is_head,
        ):
            withdrawn.append(version)
    if withdrawn:
        void_bundles_holding(ports, document)
    else:
        finish_withdrawal(ports, document)
    return withdrawn


def finish_withdrawal(ports: Ports, document: Document) -> None:
    """A withdrawal interrupted after its versions changed but before its bundles were
    voided completes when it is retried: the bundles asked for until then may hold it."""
    withdrawn = [
        v.changed_at
        for v in document.versions
        if v.status is VersionStatus.WITHDRAWN and v.changed_at is not None
    ]
    if withdrawn:
        void_bundles_holding(ports, document, asked_by=max(withdrawn))


def void_bundles_holding(ports: Ports, document: Document, asked_by: datetime | None = None) -> int:
    """Bundles (pending or ready) whose kinds and period take in any version of the
    document fail: one built before the withdrawal would still serve it, one being built
    may have read it. `asked_by`: only bundles asked for until then (a retried withdrawal
    spares those asked for after it)."""
    head = document.head
    issued = {version.issued_on for version in document.versions}
    voided = 0
    for bundle in ports.documents.bundles(head.account_id):
        if (
            bundle.status in (PENDING, READY)
            and head.kind in bundle.kinds
            and any(bundle.issued_from <= day <= bundle.issued_to for day in issued)
            and (asked_by is None or bundle.requested_at <= asked_by)
        ):
            reason = f"{head.title} was withdrawn after this bundle was asked for; ask again"
            ports.documents.void_bundle(bundle, reason)
            voided += 1
    return voided


def _ids(draft: Draft) -> tuple[str, str]:
    return draft.account_id, draft.document_id


def _with_status(version: DocumentVersion, status: VersionStatus) -> DocumentVersion:
    return DocumentVersion(**{**version.__dict__, "status": status})


def _late(version: DocumentVersion, head: DocumentVersion | None) -> DocumentVersion:
    """A version older than the head, kept quietly: superseded, or withdrawn with the
    document when it was (a late version must not make a withdrawn document readable)."""
    if head is not None and head.status is VersionStatus.WITHDRAWN:
        return replace(
            version,
            status=VersionStatus.WITHDRAWN,
            reason=head.reason,
            changed_by=head.changed_by,
            changed_at=head.changed_at,
        )
    return _with_status(version, VersionStatus.SUPERSEDED)


def file_name_for(document_id: str, version: int) -> str:
    stem = document_id if version == 1 else f"{document_id}-v{version}"
    return f"{stem}.pdf"
