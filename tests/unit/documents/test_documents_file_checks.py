"""What a published file must be before it reaches the malware scan."""

from __future__ import annotations

import hashlib
import zlib

import pytest

from services.documents.logic import file_checks
from services.documents.logic.file_checks import active_content, check_published

pytestmark = pytest.mark.unit

CLEAN = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF\n"


def check(content: bytes, **overrides: object) -> str | None:
    arguments: dict[str, object] = {
        "content_type": "application/pdf",
        "declared_size": len(content),
        "declared_sha256": hashlib.sha256(content).hexdigest(),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    arguments.update(overrides)
    refusal = check_published(content, **arguments)  # type: ignore[arg-type]
    return refusal.reason if refusal else None


def test_a_plain_pdf_passes() -> None:
    assert check(CLEAN) is None


@pytest.mark.parametrize(
    ("content", "overrides", "reason"),
    [
        (CLEAN, {"content_type": "text/html"}, "content type text/html"),
        (CLEAN, {"declared_size": 3}, "size differs"),
        (CLEAN, {"declared_sha256": "0" * 64}, "SHA-256 differs"),
        (b"<html><script>alert(1)</script></html>", {}, "not a PDF"),
        (CLEAN + b"<< /S /JavaScript /JS (app.alert(1)) >>", {}, "JS, JavaScript"),
        (CLEAN + b"<< /S /J#61vaScript >>", {}, "JavaScript"),
        (CLEAN + b"<< /S /Launch /F (cmd.exe) >>", {}, "Launch"),
        (CLEAN + b"<< /EmbeddedFiles 3 0 R >>", {}, "EmbeddedFiles"),
    ],
)
def test_refusals_name_their_reason(
    content: bytes, overrides: dict[str, object], reason: str
) -> None:
    found = check(content, **overrides)
    assert found is not None
    assert reason in found


def test_active_content_hidden_in_a_compressed_stream_is_found() -> None:
    hidden = zlib.compress(b"<< /Type /Action /S /JavaScript /JS (x) >>")
    pdf = CLEAN + b"4 0 obj << /Filter /FlateDecode >> stream\n" + hidden + b"\nendstream"
    assert active_content(pdf) == ["JS", "JavaScript"]


def test_a_stream_that_inflates_beyond_the_limit_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(file_checks, "MAX_INFLATED_BYTES", 1000)
    bomb = zlib.compress(b"\0" * 100_000)
    pdf = CLEAN + b"4 0 obj stream\n" + bomb + b"\nendstream"
    reason = check(pdf)
    assert reason is not None
    assert "cannot be checked" in reason


def test_too_large_a_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_checks, "MAX_FILE_BYTES", 10)
    reason = check(CLEAN)
    assert reason is not None
    assert "larger than" in reason
