"""The ingest reference page (docs/ingest.md) is generated from the record models and
committed; every pattern a field is checked with has words, so no rejection (and no line of
the page) shows a regular expression."""

from __future__ import annotations

from typing import Any

import pytest

from infra import ingest_reference
from infra.local.demo import records as testdata
from services.provisioning.logic.validation import RecordInvalid, validate_record
from services.provisioning.models.fields import RULE_WORDS
from services.provisioning.models.records import RECORD_MODELS, RecordKind

pytestmark = pytest.mark.contract


def _patterns(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        found = {schema["pattern"]} if isinstance(schema.get("pattern"), str) else set()
        return found.union(*(_patterns(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_patterns(v) for v in schema))
    return set()


def test_the_committed_page_matches_the_models() -> None:
    assert ingest_reference.main(["--check"]) == 0, "run `make contracts`"


def test_every_pattern_of_every_record_has_words() -> None:
    patterns = set().union(*(_patterns(m.model_json_schema()) for m in RECORD_MODELS.values()))
    assert patterns
    assert patterns - RULE_WORDS.keys() == set()
    page = ingest_reference.PAGE.read_text()
    assert not [p for p in patterns if p in page]


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        (RecordKind.TRADES, "reference", "bad reference!"),
        (RecordKind.TRADES, "currency", "eur"),
        (RecordKind.TRADES, "vintage_from", "2025-13"),
        (RecordKind.TRADES, "countries", ["nl"]),
        (RecordKind.TRADES, "technologies", ["t-1"]),
        (RecordKind.COUNTERPARTIES, "account_id", "acc 1"),
    ],
)
def test_a_rejection_says_what_is_asked_with_an_example(
    kind: RecordKind, field: str, value: Any
) -> None:
    record = (
        testdata.trade()
        if kind is RecordKind.TRADES
        else testdata.counterparty("STX-CP-1", "acc-1", "Acme")
    )
    record[field] = value
    with pytest.raises(RecordInvalid) as refused:
        validate_record(kind, record)
    (error,) = refused.value.errors
    assert error.field.split(".")[0] == field
    assert error.reason.startswith("must be ")
    assert ", e.g. " in error.reason
    assert not any(mark in error.reason for mark in ("^", "$", "\\d", "[A-Z"))
