"""In-memory ports of the documents service, with the DynamoDB adapters' semantics
(conditional writes, heads guarded by their previous version, lists by kind newest first)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from common.access import AccessFacts, AccountStatus
from contracts.envelope import EventEnvelope
from services.documents.logic.intake import Missing, TooBig
from services.documents.logic.ports import FAILED, PENDING, Bundle, KindPage, ListFilter, Ports
from services.documents.models.domain import (
    Document,
    DocumentKind,
    DocumentVersion,
    Layout,
    Rendered,
    VersionStatus,
)
from services.documents.models.facts import Fact, FactKind

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


class MemoryFacts:
    def __init__(self) -> None:
        self.facts: dict[tuple[str, FactKind, str, int], Fact] = {}

    def add(self, fact: Fact) -> bool:
        key = (fact.account_id, fact.kind, fact.reference, fact.version)
        if key in self.facts:
            return False
        self.facts[key] = fact
        return True

    def get(self, account_id: str, kind: FactKind, reference: str, version: int) -> Fact | None:
        return self.facts.get((account_id, kind, reference, version))

    def versions(self, account_id: str, kind: FactKind, reference: str) -> list[Fact]:
        found = [
            f
            for (a, k, r, _), f in self.facts.items()
            if (a, k, r) == (account_id, kind, reference)
        ]
        return sorted(found, key=lambda f: f.version)

    def of_account(self, account_id: str, kinds: Iterable[FactKind]) -> list[Fact]:
        wanted = set(kinds)
        return [
            f for (a, k, _, _), f in sorted(self.facts.items()) if a == account_id and k in wanted
        ]

    def accounts(self) -> list[str]:
        return sorted({a for (a, _, _, _) in self.facts})

    def published_about(self, account_id: str, related_reference: str) -> list[Fact]:
        return [
            f
            for (a, k, _, _), f in self.facts.items()
            if a == account_id
            and k is FactKind.PUBLISHED
            and f.data.get("related_reference") == related_reference
        ]


def sort_key(version: DocumentVersion) -> str:
    return f"{version.issued_on.isoformat()}#{version.document_id}"


@dataclass
class MemoryDocuments:
    versions: dict[tuple[str, str, int], DocumentVersion] = field(default_factory=dict)
    heads: dict[tuple[str, str], DocumentVersion] = field(default_factory=dict)
    pendings: dict[tuple[str, str, int], DocumentVersion] = field(default_factory=dict)
    stored_bundles: dict[tuple[str, str], Bundle] = field(default_factory=dict)
    outbox: list[EventEnvelope[Any]] = field(default_factory=list)
    reads: int = 0
    fail_next_issue: int = 0
    """Make the next N issue() calls lose their condition (a concurrent writer)."""

    def version(self, account_id: str, document_id: str, version: int) -> DocumentVersion | None:
        self.reads += 1
        return self.versions.get((account_id, document_id, version))

    def current(self, account_id: str, document_id: str) -> DocumentVersion | None:
        self.reads += 1
        return self.heads.get((account_id, document_id))

    def pending_version(
        self, account_id: str, document_id: str, version: int
    ) -> DocumentVersion | None:
        return self.pendings.get((account_id, document_id, version))

    def document(self, account_id: str, document_id: str) -> Document | None:
        head = self.heads.get((account_id, document_id))
        if head is None:
            return None
        versions = sorted(
            (v for (a, d, _), v in self.versions.items() if (a, d) == (account_id, document_id)),
            key=lambda v: v.version,
            reverse=True,
        )
        return Document(head=head, versions=tuple(versions))

    def issue(
        self,
        version: DocumentVersion,
        *,
        make_head: bool,
        previous: DocumentVersion | None,
        events: Sequence[EventEnvelope[Any]],
    ) -> bool:
        if self.fail_next_issue:
            self.fail_next_issue -= 1
            return False
        key = (version.account_id, version.document_id, version.version)
        if key in self.versions:
            return False
        head_key = (version.account_id, version.document_id)
        if make_head:
            head = self.heads.get(head_key)
            if previous is None and head is not None:
                return False
            if previous is not None and (
                head is None or (head.version, head.status) != (previous.version, previous.status)
            ):
                return False
            if previous is not None and previous.status is VersionStatus.AVAILABLE:
                old = (previous.account_id, previous.document_id, previous.version)
                self.versions[old] = replace(self.versions[old], status=VersionStatus.SUPERSEDED)
            self.heads[head_key] = version
        self.versions[key] = version
        self.outbox.extend(events)
        return True

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
        key = (version.account_id, version.document_id, version.version)
        stored = self.versions.get(key)
        if stored is None or stored.status is not version.status:
            return False
        changed = replace(stored, status=to, reason=reason, changed_by=changed_by, changed_at=at)
        self.versions[key] = changed
        if make_head:
            self.heads[(version.account_id, version.document_id)] = changed
        self.outbox.extend(events)
        return True

    def pending(self, version: DocumentVersion) -> bool:
        key = (version.account_id, version.document_id, version.version)
        if key in self.pendings:
            return False
        self.pendings[key] = version
        return True

    def list_kind(
        self, account_id: str, kind: DocumentKind, where: ListFilter, limit: int, budget: int
    ) -> KindPage:
        candidates = sorted(
            (h for (a, _), h in self.heads.items() if a == account_id and h.kind is kind),
            key=sort_key,
            reverse=True,
        )
        matches: list[DocumentVersion] = []
        for index, head in enumerate(candidates):
            key = sort_key(head)
            if where.before is not None and key >= where.before:
                continue
            if where.issued_from and head.issued_on < where.issued_from:
                continue
            if where.issued_to and head.issued_on > where.issued_to:
                continue
            budget -= 1
            ok = (where.related_reference in (None, head.related_reference)) and (
                where.text is None or where.text in head.title.lower()
            )
            if ok:
                matches.append(head)
                if len(matches) == limit:
                    return KindPage(matches, key)
            if budget <= 0 and index < len(candidates) - 1:
                return KindPage(matches, key)
        return KindPage(matches, None)

    def put_bundle(self, bundle: Bundle, events: Sequence[EventEnvelope[Any]]) -> None:
        self.stored_bundles[(bundle.account_id, bundle.bundle_id)] = bundle
        self.outbox.extend(events)

    def bundle(self, account_id: str, bundle_id: str) -> Bundle | None:
        return self.stored_bundles.get((account_id, bundle_id))

    def finish_bundle(self, bundle: Bundle) -> bool:
        key = (bundle.account_id, bundle.bundle_id)
        if self.stored_bundles[key].status != PENDING:
            return False
        self.stored_bundles[key] = bundle
        return True

    def bundles(self, account_id: str) -> list[Bundle]:
        return [b for (a, _), b in sorted(self.stored_bundles.items()) if a == account_id]

    def void_bundle(self, bundle: Bundle, reason: str) -> None:
        stored = self.stored_bundles[(bundle.account_id, bundle.bundle_id)]
        if stored.status != FAILED:
            self.put_bundle(replace(stored, status=FAILED, reason=reason), [])

    def observable(self) -> dict[str, Any]:
        """What a reader can see: every version (status, bytes) and every head."""
        return {
            "versions": {
                f"{a}/{d}/{v}": (x.status.value, x.sha256, x.title, x.issued_on.isoformat())
                for (a, d, v), x in sorted(self.versions.items())
            },
            "heads": {
                f"{a}/{d}": (h.version, h.status.value) for (a, d), h in sorted(self.heads.items())
            },
        }


class MemoryFiles:
    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str, str]] = {}

    def put(
        self, key: str, content: bytes, *, content_type: str, file_name: str, sha256: str
    ) -> None:
        self.objects[key] = (content, content_type, file_name)

    def get(self, key: str) -> bytes:
        return self.objects[key][0]

    def copy(self, source_key: str, target_key: str, *, content_type: str, file_name: str) -> None:
        self.objects[target_key] = (self.objects[source_key][0], content_type, file_name)

    def delete(self, key: str) -> None:
        self.objects.pop(key, None)


class MemorySharedFiles:
    def __init__(self, objects: dict[str, bytes] | None = None) -> None:
        self.objects = dict(objects or {})

    def read(self, key: str, max_bytes: int) -> bytes:
        if key not in self.objects:
            raise Missing(key)
        if len(self.objects[key]) > max_bytes:
            raise TooBig(key)
        return self.objects[key]


class HashRenderer:
    """Deterministic, fast: the bytes are a PDF-looking dump of the layout."""

    def __init__(self) -> None:
        self.rendered = 0

    def render(self, layout: Layout) -> Rendered:
        self.rendered += 1
        content = b"%PDF-1.4\n" + repr(layout).encode()
        return Rendered(content=content, sha256=hashlib.sha256(content).hexdigest())


class MemoryAccess:
    """Access facts per (account, subject); unknown pairs know nothing."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], AccessFacts] = {}
        self.reads = 0

    def member(self, account_id: str, subject: str, permissions: Iterable[str]) -> None:
        self.known[(account_id, subject)] = AccessFacts(
            account_status=AccountStatus.ACTIVE, member_permissions=frozenset(permissions)
        )

    def cam(self, account_id: str, subject: str) -> None:
        self.known[(account_id, subject)] = AccessFacts(
            account_status=AccountStatus.ACTIVE, cam_assigned=True
        )

    def account(self, account_id: str, subject: str) -> None:
        self.known[(account_id, subject)] = AccessFacts(account_status=AccountStatus.ACTIVE)

    def facts(self, account_id: str, subject: str) -> AccessFacts:
        self.reads += 1
        return self.known.get((account_id, subject), AccessFacts())


class FixedSigner:
    def __init__(self) -> None:
        self.signed: list[tuple[str, datetime]] = []

    def sign(self, object_key: str, expires_at: datetime) -> str:
        self.signed.append((object_key, expires_at))
        return f"https://cdn.test/{object_key}?Expires={int(expires_at.timestamp())}&Signature=x"


class PlainCursors:
    """Cursors bound like the real ones (account, subject, fingerprint), unsigned."""

    def encode(
        self, position: dict[str, Any], *, account_id: str, subject: str, fingerprint: str
    ) -> str:
        import json

        return json.dumps({"p": position, "a": account_id, "s": subject, "q": fingerprint})

    def decode(
        self, cursor: str, *, account_id: str, subject: str, fingerprint: str
    ) -> dict[str, Any]:
        import json

        from common.cursor import InvalidCursor

        try:
            body = json.loads(cursor)
        except ValueError as exc:
            raise InvalidCursor("malformed") from exc
        if (body.get("a"), body.get("s"), body.get("q")) != (account_id, subject, fingerprint):
            raise InvalidCursor("foreign")
        return dict(body["p"])


class MemoryRuns:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    def enqueue(self, message: dict[str, Any]) -> None:
        self.messages.append(message)


def memory_ports(renderer: Any = None, clock: datetime = NOW) -> Ports:
    return Ports(
        facts=MemoryFacts(),
        documents=MemoryDocuments(),
        files=MemoryFiles(),
        renderer=renderer or HashRenderer(),
        access=MemoryAccess(),
        clock=lambda: clock,
    )
