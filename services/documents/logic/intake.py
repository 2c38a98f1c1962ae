"""Files STX publishes: from provisioning's shared prefix into this service's quarantine,
then, on a clean malware verdict, into the library.

0. An event whose values are unsafe anywhere they go (keys, headers, lists) is refused
   before anything is kept (`Unprocessable`: the consumer's DLQ).
1. `DocumentPublished` carries the claim check: the object's key in provisioning's bucket
   (read-only access to its `documents/` prefix, nothing else). The key must be under the
   event's own account (`documents/<account>/`), so an event can never pull another
   account's file into this one.
2. The bytes are checked (`file_checks`: type, size, SHA-256 against the event, PDF magic,
   no active content); a failure records a REFUSED version with the reason (listed, never
   downloadable) and nothing reaches the bucket.
3. A file that passes is copied into `quarantine/` of this service's bucket and recorded
   as PENDING (not listed). GuardDuty scans it and publishes a verdict.
4. The verdict: NO_THREATS_FOUND moves it to `files/` and it becomes a version like any
   other (`DocumentAvailable`); THREATS_FOUND, or a scan that could not finish, refuses
   it (fail closed). A published invoice replaces the invoice PDF the portal generated.

A document's kind is part of its identity and decides who reads it: the first version
recorded fixes it. A version published as another kind is refused (before its file is
read, or at its verdict when the other kind's version was recorded while it waited) and
shows the document's kind, title and reference, so the readers of one kind never learn
of another kind's document; the fact stays as received. STX publishes another kind under
a new reference.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from enum import StrEnum

from services.documents.logic import generation, issuing, kinds
from services.documents.logic.file_checks import MAX_FILE_BYTES, Refusal, check_published
from services.documents.logic.ports import Ports, SharedFiles
from services.documents.models.domain import (
    DocumentKind,
    DocumentVersion,
    Origin,
    VersionStatus,
)
from services.documents.models.facts import Fact, PublishedFact

QUARANTINE = "quarantine"
SHARED_PREFIX = "documents/"
CLEAN = "NO_THREATS_FOUND"
INFECTED = "THREATS_FOUND"


class IntakeOutcome(StrEnum):
    QUARANTINED = "quarantined"
    REFUSED = "refused"
    UNCHANGED = "unchanged"
    PUBLISHED = "published"


class TooBig(Exception):
    """The shared object is larger than the limit (it is not read further)."""


class Missing(Exception):
    """The shared object does not exist (or is not readable through the claim check)."""


@dataclass(frozen=True)
class QuarantineKey:
    account_id: str
    document_id: str
    version: int

    def __str__(self) -> str:
        return f"{QUARANTINE}/{self.account_id}/{self.document_id}/v{self.version}"

    @classmethod
    def parse(cls, key: str) -> QuarantineKey | None:
        parts = key.split("/")
        if len(parts) != 4 or parts[0] != QUARANTINE or not parts[3].startswith("v"):
            return None
        try:
            version = int(parts[3][1:])
        except ValueError:
            return None
        return cls(parts[1], parts[2], version)


def _version(
    data: PublishedFact, status: VersionStatus, key: str, sha256: str, size: int, ports: Ports
) -> DocumentVersion:
    return DocumentVersion(
        account_id=data.account_id,
        document_id=kinds.published_id(data.reference),
        version=data.version,
        kind=kinds.PUBLISHED_KIND[data.document_type],
        title=data.title,
        related_reference=data.related_reference,
        issued_on=data.issued_on,
        origin=Origin.PUBLISHED,
        status=status,
        file_name=data.file_name,
        content_type=data.content_type,
        size_bytes=size,
        sha256=sha256,
        object_key=key,
        created_at=ports.clock(),
    )


class Unprocessable(ValueError):
    """The event breaks a rule of `PublishedFact` (a file name with a path, a day in year
    9999): it can never be taken in, so it fails like an unparsable event (retried, then
    the subscription's DLQ) and nothing of it is kept."""


def take_in(ports: Ports, shared: SharedFiles, fact: Fact, correlation_id: str) -> IntakeOutcome:
    try:
        data: PublishedFact = fact.parsed()
    except ValueError as invalid:
        raise Unprocessable(f"DocumentPublished {fact.event_id}: {invalid}") from invalid
    ports.facts.add(fact)
    doc_id = kinds.published_id(data.reference)
    if ports.documents.version(data.account_id, doc_id, data.version):
        return IntakeOutcome.UNCHANGED
    head = ports.documents.current(data.account_id, doc_id)
    refusal, content = _kind_refusal(head, kinds.PUBLISHED_KIND[data.document_type]), None
    if refusal is None:
        refusal, content = _read_checked(shared, data)
    if refusal is not None or content is None:
        reason = refusal.reason if refusal else "the file could not be read"
        refused = _version(data, VersionStatus.REFUSED, "", data.sha256, data.size_bytes, ports)
        _refuse(ports, refused, reason)
        return IntakeOutcome.REFUSED
    key = str(QuarantineKey(data.account_id, doc_id, data.version))
    ports.files.put(
        key, content, content_type=data.content_type, file_name=data.file_name, sha256=data.sha256
    )
    pending = _version(data, VersionStatus.PENDING, key, data.sha256, len(content), ports)
    ports.documents.pending(pending)
    return IntakeOutcome.QUARANTINED


def _read_checked(shared: SharedFiles, data: PublishedFact) -> tuple[Refusal | None, bytes | None]:
    if not data.object_key.startswith(f"{SHARED_PREFIX}{data.account_id}/"):
        return Refusal("the file is not stored under the document's account"), None
    try:
        content = shared.read(data.object_key, MAX_FILE_BYTES)
    except TooBig:
        return Refusal(f"the file is larger than {MAX_FILE_BYTES} bytes"), None
    except Missing:
        return Refusal("the published file does not exist"), None
    refusal = check_published(
        content,
        content_type=data.content_type,
        declared_size=data.size_bytes,
        declared_sha256=data.sha256,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    return refusal, content


def _kind_change(document: DocumentKind, published: DocumentKind) -> Refusal:
    return Refusal(
        f"published as {kinds.named(published)}, but this document is {kinds.named(document)}: "
        "a document's kind never changes (another kind is published under a new reference)"
    )


def _kind_refusal(head: DocumentVersion | None, kind: DocumentKind) -> Refusal | None:
    return None if head is None or head.kind is kind else _kind_change(head.kind, kind)


def _verdict_refusal(verdict: str, threats: list[str]) -> Refusal | None:
    if verdict == CLEAN:
        return None
    if verdict == INFECTED:
        return Refusal(f"malware found ({', '.join(threats) or 'unnamed threat'})")
    return Refusal(f"the malware scan could not complete ({verdict})")


def _as_document(version: DocumentVersion, head: DocumentVersion | None) -> DocumentVersion:
    """A refused version of another kind shows its document's kind, title and reference."""
    if head is None or head.kind is version.kind:
        return version
    return replace(
        version,
        kind=head.kind,
        title=head.title,
        related_reference=head.related_reference,
        file_name=issuing.file_name_for(version.document_id, version.version),
    )


def _refuse(ports: Ports, version: DocumentVersion, reason: str) -> None:
    head = ports.documents.current(version.account_id, version.document_id)
    refused = replace(
        _as_document(version, head),
        status=VersionStatus.REFUSED,
        reason=reason,
        changed_by=issuing.SYSTEM,
        changed_at=ports.clock(),
    )
    ports.documents.issue(refused, make_head=head is None, previous=None, events=[])


def _refused(ports: Ports, pending: DocumentVersion, refusal: Refusal, *keys: str) -> IntakeOutcome:
    _refuse(ports, pending, refusal.reason)
    for key in keys:
        ports.files.delete(key)
    return IntakeOutcome.REFUSED


def on_verdict(
    ports: Ports, key: str, verdict: str, threats: list[str], correlation_id: str
) -> IntakeOutcome:
    """A malware verdict for a quarantined object (repeats change nothing)."""
    where = QuarantineKey.parse(key)
    if where is None:
        return IntakeOutcome.UNCHANGED
    pending = ports.documents.pending_version(where.account_id, where.document_id, where.version)
    if pending is None:
        return IntakeOutcome.UNCHANGED
    if ports.documents.version(where.account_id, where.document_id, where.version):
        _replace_generated(ports, pending, correlation_id)  # a retry completes it after a crash
        return IntakeOutcome.UNCHANGED
    head = ports.documents.current(where.account_id, where.document_id)
    refusal = _kind_refusal(head, pending.kind) or _verdict_refusal(verdict, threats)
    if refusal is not None:
        return _refused(ports, pending, refusal, key)
    target = issuing.object_key(
        pending.account_id, pending.document_id, pending.version, pending.sha256, pending.file_name
    )
    ports.files.copy(key, target, content_type=pending.content_type, file_name=pending.file_name)
    available = replace(pending, status=VersionStatus.AVAILABLE, object_key=target)
    try:
        issuing.record(ports, available, correlation_id, head=head)
    except issuing.KindChanged as changed:  # another kind's version was recorded meanwhile
        refusal = _kind_change(changed.head.kind, pending.kind)
        return _refused(ports, pending, refusal, target, key)
    ports.files.delete(key)
    _replace_generated(ports, available, correlation_id)
    return IntakeOutcome.PUBLISHED


def _replace_generated(ports: Ports, published: DocumentVersion, correlation_id: str) -> None:
    """A published invoice replaces the portal's rendering of it (`generation`: only once
    the published version is available; repeats change nothing)."""
    if published.kind is DocumentKind.INVOICE and published.related_reference:
        generation.replaced_by_published(
            ports, published.account_id, published.related_reference, correlation_id
        )
