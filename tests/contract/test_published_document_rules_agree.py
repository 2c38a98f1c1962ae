"""Documents refuses a `DocumentPublished` whose values break its rules (a poison event goes
to the DLQ); provisioning must refuse the same values at ingest, or a document STX published
would be accepted there and lost here."""

from __future__ import annotations

from typing import Any

import pytest

from services.documents.models import facts
from services.provisioning.models import financial_records as ingest
from services.provisioning.models.fields import PdfFileName, Reference

pytestmark = pytest.mark.contract


def _pattern(annotated: Any) -> str:
    found = [m.pattern for m in annotated.__metadata__ if getattr(m, "pattern", None)]
    found += [
        m.metadata[0].pattern
        for m in annotated.__metadata__
        if getattr(m, "metadata", None) and getattr(m.metadata[0], "pattern", None)
    ]
    assert len(found) == 1, annotated
    return str(found[0])


def test_references_and_file_names_follow_the_same_patterns() -> None:
    assert _pattern(Reference) == facts.PUBLISHED_REFERENCE
    assert _pattern(PdfFileName) == facts.PUBLISHED_FILE_NAME


def test_issued_days_have_the_same_bounds() -> None:
    assert (facts.FIRST_ISSUED, facts.LAST_ISSUED) == (ingest.FIRST_ISSUED, ingest.LAST_ISSUED)
