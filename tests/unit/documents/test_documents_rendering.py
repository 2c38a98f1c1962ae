"""The PDF renderer: the same facts give byte-identical files (in another process too),
names in any script render (DejaVu embedded), no active content, figures readable by a
PDF reader."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date

import pytest
from pypdf import PdfReader

from services.documents.adapters.pdf import ReportlabRenderer
from services.documents.logic import layouts
from services.documents.logic.file_checks import active_content
from services.documents.models.facts import PartyFact, RetirementFact, TradeFact
from tests.unit.documents.documents_factories import party, retirement, trade

pytestmark = pytest.mark.unit

SCRIPT = """
import sys
from services.documents.adapters.pdf import ReportlabRenderer
from services.documents.logic import layouts
from tests.unit.documents.documents_factories import party, trade
print(ReportlabRenderer().render(layouts.confirmation(trade().parsed(), party().parsed())).sha256)
"""


def confirmation_pdf(**changes: object) -> bytes:
    data: TradeFact = trade(**changes).parsed()  # type: ignore[arg-type]
    holder: PartyFact = party().parsed()
    return ReportlabRenderer().render(layouts.confirmation(data, holder)).content


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_same_facts_same_bytes_in_this_process_and_another() -> None:
    first = confirmation_pdf()
    assert confirmation_pdf() == first
    import hashlib

    other = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True,
        env={"PYTHONHASHSEED": "123", "PATH": ""},
    )  # fmt: skip
    assert other.stdout.strip() == hashlib.sha256(first).hexdigest()


def test_different_facts_different_bytes() -> None:
    assert confirmation_pdf(price="2.36") != confirmation_pdf()


def test_a_pdf_reader_finds_the_figures_and_names_in_any_script() -> None:
    data: RetirementFact = retirement(beneficiary="Nhà máy Điện Mặt trời Bình Dương").parsed()
    vietnamese = PartyFact(
        account_id="acc-b", reference="STX-CP-0002", version=1,
        legal_name="Công ty Cổ phần Năng lượng Mặt trời Sài Gòn",
    )  # fmt: skip
    content = ReportlabRenderer().render(layouts.redemption(data, vietnamese)).content
    text = text_of(content)
    assert "Công ty Cổ phần Năng lượng Mặt trời Sài Gòn" in text
    assert "Beneficiary: Nhà máy Điện Mặt trời Bình Dương" in text
    assert "Volume: 100.000 MWh" in text
    assert b"DejaVuSans" in content
    confirmation = text_of(confirmation_pdf())
    for line in ("Volume: 1250.500 MWh", "Total: 2938.68 EUR", f"Trade date: {date(2026, 11, 2)}"):
        assert line in confirmation


def test_generated_files_carry_no_active_content() -> None:
    content = confirmation_pdf()
    assert content.startswith(b"%PDF-")
    assert active_content(content) == []


def test_a_long_table_continues_on_further_pages() -> None:
    from services.documents.models.domain import Layout, Section, Table

    rows = tuple((f"row {n}", str(n)) for n in range(200))
    layout = Layout(
        "Long", "many rows", (), (Section("Rows", table=Table(("Name", "N"), rows, (1,))),)
    )
    reader = PdfReader(io.BytesIO(ReportlabRenderer().render(layout).content))
    assert len(reader.pages) > 2
    assert "row 199" in reader.pages[-1].extract_text()
