"""All documents of a period as one ZIP, built asynchronously and downloaded through the
same signed CDN path as a single document.

A bundle belongs to the person who asked: it holds the kinds they could read when asking
(`BundleRequested`), and downloading it checks again that they still may read each of
them. The ZIP holds each document's current downloadable version, named
`<kind>/<issued_on>_<file name>` (numbered when two share a name; the name flattened to one
path segment), with the issued date as entry time (kept within ZIP's 1980-2107), so the
same library gives the same bytes; a period without documents fails with that reason (no
empty ZIP). Bundles expire after a week (bucket lifecycle + item TTL; past `expires_at` a
bundle is not found even before the TTL deletes it). Withdrawing a document voids the
bundles that may hold it (`issuing`): a bundle never serves what may no longer be
downloaded alone.
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
import zipfile
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from common.access import UserPrincipal
from common.errors import Conflict, NotFound, invalid
from contracts.envelope import EventEnvelope
from contracts.events import documents as events
from services.documents.logic import kinds
from services.documents.logic.library import DownloadLink, guard
from services.documents.logic.ports import (
    FAILED,
    PENDING,
    READY,
    ApiPorts,
    Bundle,
    ListFilter,
    Ports,
)
from services.documents.models.domain import ZIP, DocumentKind, DocumentVersion, VersionStatus

BUNDLE_DAYS = 7
MAX_PERIOD_DAYS = 366
MAX_DOCUMENTS = 2000
MAX_BYTES = 200 * 1024 * 1024
PAGE = 200
ZIP_EARLIEST = date(1980, 1, 1)
"""The earliest entry time a ZIP can hold (an older issued date is written as this)."""
ZIP_LATEST = date(2107, 12, 31)
"""The latest entry time a ZIP can hold (a later issued date is written as this)."""


def request_bundle(
    ports: ApiPorts,
    principal: UserPrincipal,
    account_id: str,
    wanted: tuple[DocumentKind, ...] | None,
    issued_from: date,
    issued_to: date,
    correlation_id: str,
) -> Bundle:
    access = kinds.reader_access(guard(ports.core), principal, account_id)
    chosen = kinds.kinds_for(access, wanted)
    if issued_to < issued_from:
        raise invalid("body.issued_to", "must not be before issued_from")
    if (issued_to - issued_from).days >= MAX_PERIOD_DAYS:
        raise invalid("body.issued_to", f"a bundle covers at most {MAX_PERIOD_DAYS} days")
    now = ports.core.clock().replace(microsecond=0)  # as stored: the same answer every time
    bundle = Bundle(
        account_id=account_id,
        bundle_id=f"bnd-{uuid.uuid4().hex}",
        requested_by=principal.sub,
        kinds=chosen,
        issued_from=issued_from,
        issued_to=issued_to,
        status=PENDING,
        requested_at=now,
        expires_at=now + timedelta(days=BUNDLE_DAYS),
    )
    event = events.BUNDLE_REQUESTED.new(
        events.BundleRequested(
            account_id=account_id,
            bundle_id=bundle.bundle_id,
            requested_by=principal.sub,
            kinds=[k.value for k in chosen],
            issued_from=issued_from,
            issued_to=issued_to,
        ),
        account_id=account_id,
        correlation_id=correlation_id,
    )
    ports.core.documents.put_bundle(bundle, [event])
    return bundle


def get_bundle(
    ports: ApiPorts, principal: UserPrincipal, account_id: str, bundle_id: str
) -> Bundle:
    kinds.reader_access(guard(ports.core), principal, account_id)
    return _own_bundle(ports, principal, account_id, bundle_id)


def _own_bundle(
    ports: ApiPorts, principal: UserPrincipal, account_id: str, bundle_id: str
) -> Bundle:
    """The caller's bundle, until it expires (the table's TTL deletes it days later)."""
    bundle = ports.core.documents.bundle(account_id, bundle_id)
    if (
        bundle is None
        or bundle.requested_by != principal.sub
        or bundle.expires_at <= ports.core.clock()
    ):
        raise NotFound()
    return bundle


def bundle_link(
    ports: ApiPorts, principal: UserPrincipal, account_id: str, bundle_id: str
) -> tuple[DownloadLink, Bundle]:
    access = kinds.reader_access(guard(ports.core), principal, account_id)
    bundle = _own_bundle(ports, principal, account_id, bundle_id)
    kinds.kinds_for(access, bundle.kinds)
    if bundle.status != READY or bundle.object_key is None:
        raise Conflict(f"The bundle is {bundle.status}, not ready.", code="not_ready")
    expires_at = ports.core.clock() + timedelta(seconds=ports.core.url_seconds)
    url = ports.signer.sign(bundle.object_key, expires_at)
    return DownloadLink(url, expires_at), bundle


def build(ports: Ports, envelope: EventEnvelope[Any]) -> Bundle | None:
    data: events.BundleRequested = envelope.data
    store = ports.documents
    bundle = store.bundle(data.account_id, data.bundle_id)
    if bundle is None or bundle.status != PENDING:
        return None
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as sink:
        count, failure = _write_zip(ports, bundle, sink)
        if not failure and count == 0:
            failure = "no document of these kinds was issued in the period: nothing to bundle"
        if failure:
            store.finish_bundle(replace(bundle, status=FAILED, reason=failure))
            return None
        sink.seek(0)
        content = sink.read()
    digest = hashlib.sha256(content).hexdigest()
    name = f"documents-{bundle.issued_from}-{bundle.issued_to}.zip"
    key = f"bundles/{bundle.account_id}/{bundle.bundle_id}/{name}"
    ports.files.put(key, content, content_type=ZIP, file_name=name, sha256=digest)
    done = replace(
        bundle,
        status=READY,
        document_count=count,
        size_bytes=len(content),
        sha256=digest,
        object_key=key,
    )
    return done if store.finish_bundle(done) else None  # voided by a withdrawal meanwhile


def _flat_name(file_name: str) -> str:
    """The file name as one path segment: path separators and control characters become
    `_`, so an entry never reaches outside its kind's folder when the ZIP is unpacked (the
    event's contract does not constrain the name; provisioning's ingest does, today)."""
    return "".join("_" if char in "/\\" or ord(char) < 0x20 else char for char in file_name)


def _entry_name(kind: DocumentKind, head: DocumentVersion, taken: set[str]) -> str:
    """`<kind>/<issued_on>_<file name>`, with ` (2)`, ` (3)`... before the extension when
    another document of the bundle has that name (publishers choose their file names)."""
    file_name = _flat_name(head.file_name)
    stem, dot, extension = file_name.rpartition(".")
    if not dot:
        stem, extension = file_name, ""
    name, copy = f"{kind.value}/{head.issued_on}_{file_name}", 1
    while name in taken:
        copy += 1
        name = f"{kind.value}/{head.issued_on}_{stem} ({copy}){dot}{extension}"
    taken.add(name)
    return name


def _write_zip(ports: Ports, bundle: Bundle, sink: Any) -> tuple[int, str | None]:
    count, total = 0, 0
    taken: set[str] = set()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind in bundle.kinds:
            before: str | None = None
            while True:
                page = ports.documents.list_kind(
                    bundle.account_id,
                    kind,
                    ListFilter(
                        issued_from=bundle.issued_from, issued_to=bundle.issued_to, before=before
                    ),
                    PAGE,
                    PAGE * 5,
                )
                for head in page.matches:
                    if head.status is not VersionStatus.AVAILABLE:
                        continue
                    count += 1
                    total += head.size_bytes
                    if count > MAX_DOCUMENTS or total > MAX_BYTES:
                        return count, (
                            f"more than {MAX_DOCUMENTS} documents or {MAX_BYTES} bytes; "
                            "ask for a shorter period"
                        )
                    day = min(max(head.issued_on, ZIP_EARLIEST), ZIP_LATEST)
                    entry = zipfile.ZipInfo(
                        _entry_name(kind, head, taken),
                        date_time=(day.year, day.month, day.day, 0, 0, 0),
                    )
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(entry, ports.files.get(head.object_key))
                if page.horizon is None or not page.matches:
                    break
                before = f"{page.matches[-1].issued_on.isoformat()}#{page.matches[-1].document_id}"
    return count, None
