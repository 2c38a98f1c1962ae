"""What a published file must be before it may reach the malware scan and then a person:
the declared type is one we serve, the bytes are that type, the size is bounded, and a PDF
carries no active content (scripts, launch actions, embedded files, forms that run code).

The active-content check reads the PDF's names (`/JavaScript`...) in the file and inside
its compressed streams (object streams hide them), decoding `#xx` escapes in names
(`/J#61vaScript`). It is a refusal list, not a PDF parser: defence in depth in front of
the malware scan (GuardDuty) and behind the download headers (attachment, no sniffing).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from services.documents.models.domain import PDF

MAX_FILE_BYTES = 10 * 1024 * 1024
ALLOWED_CONTENT_TYPES = frozenset({PDF})
PDF_MAGIC = b"%PDF-"
ACTIVE_NAMES = frozenset(
    {
        "JavaScript",
        "JS",
        "Launch",
        "EmbeddedFile",
        "EmbeddedFiles",
        "RichMedia",
        "XFA",
        "SubmitForm",
        "ImportData",
        "GoToE",
    }
)
MAX_STREAMS = 2000
MAX_INFLATED_BYTES = 50 * 1024 * 1024

_NAME = re.compile(rb"/([A-Za-z0-9#_.-]+)")
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


@dataclass(frozen=True)
class Refusal:
    reason: str


def _decoded(name: bytes) -> str:
    return _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name).decode("latin-1")


def _names(data: bytes) -> set[str]:
    return {_decoded(m.group(1)) for m in _NAME.finditer(data)}


def _inflated(data: bytes) -> list[bytes]:
    """The content of compressed streams (bounded: a zip bomb is refused, not inflated)."""
    found = []
    budget = MAX_INFLATED_BYTES
    for index, match in enumerate(_STREAM.finditer(data)):
        if index >= MAX_STREAMS:
            raise ValueError("too many streams")
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(match.group(1), budget + 1)
        except zlib.error:
            continue  # not Flate-encoded (images...): its names are not PDF syntax
        budget -= len(chunk)
        if budget < 0:
            raise ValueError("streams inflate beyond the limit")
        found.append(chunk)
    return found


def active_content(data: bytes) -> list[str]:
    """Names of active content found in a PDF (empty when none)."""
    names = _names(data)
    for chunk in _inflated(data):
        names |= _names(chunk)
    return sorted(names & ACTIVE_NAMES)


def check_published(
    content: bytes, *, content_type: str, declared_size: int, declared_sha256: str, sha256: str
) -> Refusal | None:
    """Why the file may not be published (None when it may go to the malware scan)."""
    if content_type not in ALLOWED_CONTENT_TYPES:
        return Refusal(f"content type {content_type} is not one the portal serves")
    if len(content) > MAX_FILE_BYTES:
        return Refusal(f"the file is larger than {MAX_FILE_BYTES} bytes")
    if len(content) != declared_size:
        return Refusal("the file's size differs from the size published")
    if sha256 != declared_sha256:
        return Refusal("the file's SHA-256 differs from the checksum published")
    if not content.startswith(PDF_MAGIC):
        return Refusal("the file is not a PDF (it does not start with %PDF-)")
    try:
        active = active_content(content)
    except ValueError as exc:
        return Refusal(f"the PDF cannot be checked: {exc}")
    if active:
        return Refusal(f"the PDF carries active content ({', '.join(active)})")
    return None
