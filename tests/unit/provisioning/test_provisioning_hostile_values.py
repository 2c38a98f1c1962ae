"""Values a careless or hostile publisher sends: digits of other scripts, control and
bidirectional characters, invisible text, dates that are not YYYY-MM-DD. Each is a
rejection naming its field, never a record stored with it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from infra.local.demo import records as testdata
from services.provisioning.logic.validation import RecordInvalid, validate_record
from services.provisioning.models.records import RecordKind, TradeRecord

pytestmark = pytest.mark.unit


def _rejected_on(kind: RecordKind, record: dict[str, Any], field: str) -> str:
    with pytest.raises(RecordInvalid) as caught:
        validate_record(kind, record)
    reasons = [e.reason for e in caught.value.errors if e.field == field]
    assert reasons, f"no error on {field}: {caught.value.errors}"
    return reasons[0]


ARABIC_INDIC_2025 = "\u0662\u0660\u0662\u0665"
FULLWIDTH_DIGITS = "\uff10\uff12\uff10\uff10\uff10\uff11"


@pytest.mark.parametrize(
    ("kind", "change", "field"),
    [
        pytest.param(
            RecordKind.TRADES,
            lambda r: r.update(vintage_from=f"{ARABIC_INDIC_2025}-01"),
            "vintage_from",
            id="trade vintage in Arabic-Indic digits",
        ),
        pytest.param(
            RecordKind.TRADES,
            lambda r: r.update(technologies=[f"T{FULLWIDTH_DIGITS}"]),
            "technologies.0",
            id="technology code in full-width digits",
        ),
        pytest.param(
            RecordKind.DELIVERIES,
            lambda r: r["batches"][0].update(vintage=f"{ARABIC_INDIC_2025}-06"),
            "batches.0.vintage",
            id="batch vintage in Arabic-Indic digits",
        ),
    ],
)
def test_codes_take_ascii_digits_only(
    kind: RecordKind, change: Callable[[dict[str, Any]], None], field: str
) -> None:
    """`\\d` matches any script's digits: a vintage of Arabic-Indic digits was stored and
    sorted after every ASCII vintage, and made a lot of its own."""
    record = testdata.trade() if kind is RecordKind.TRADES else testdata.delivery()
    change(record)
    assert "e.g." in _rejected_on(kind, record, field)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param("NL-CERTIQ\x00-88412", "control character", id="NUL"),
        pytest.param("NL-CERTIQ\x1b[2J-88412", "control character", id="escape"),
        pytest.param("NL-CERTIQ\x85-88412", "control character", id="C1 next line"),
        pytest.param("NL-CERTIQ-\u202e21488", "bidirectional", id="right-to-left override"),
        pytest.param("NL-CERTIQ-\u2067884\u2069", "bidirectional", id="isolate"),
        pytest.param("\u200b", "visible", id="zero-width space only"),
        pytest.param("\u200d\u2060", "visible", id="joiners only"),
    ],
)
def test_text_refuses_control_bidi_and_invisible_characters(text: str, words: str) -> None:
    """A NUL, a terminal escape or a right-to-left override in a registry account or a
    name was stored and shown as sent (a spoofed account number); a text of nothing
    visible passed the 1-character minimum."""
    record = testdata.trade()
    record["registry_account"] = text
    assert words in _rejected_on(RecordKind.TRADES, record, "registry_account")


MIXED_SCRIPTS = (
    "\u00c9nergie\tVerte\r\n\u0627\u0644\u0637\u0627\u0642\u0629 "
    "\u65e5\u672c \U0001f469\u200d\U0001f4bb"
)
"""Latin with an accent, a tab and a line break, Arabic, Japanese, an emoji joined by ZWJ."""


def test_text_keeps_line_breaks_tabs_and_scripts() -> None:
    record = testdata.counterparty("STX-CP-0001", "acc-1", MIXED_SCRIPTS)
    parsed = validate_record(RecordKind.COUNTERPARTIES, record)
    assert parsed.model_dump()["legal_name"] == MIXED_SCRIPTS


def test_text_is_compared_in_one_normal_form() -> None:
    """The same name decomposed (as macOS writes it) and composed is one name: one lot,
    one registry account, one duplicate."""
    composed = testdata.trade()
    composed["registry_account"] = "CertiQ-Énergie-1"
    decomposed = testdata.trade()
    decomposed["registry_account"] = "CertiQ-E\u0301nergie-1"
    first = validate_record(RecordKind.TRADES, composed)
    again = validate_record(RecordKind.TRADES, decomposed)
    assert again.model_dump()["registry_account"] == "CertiQ-Énergie-1"
    assert again.content_hash() == first.content_hash()


def test_nested_text_is_checked_too() -> None:
    record = testdata.delivery()
    record["batches"][1]["device_code"] = "NL-WIND-\u202eEEMSHAVEN"
    assert "bidirectional" in _rejected_on(RecordKind.DELIVERIES, record, "batches.1.device_code")


@pytest.mark.parametrize(
    "sent",
    [
        pytest.param("0", id="zero in a CSV cell (1970-01-01)"),
        pytest.param(1767225600, id="a unix timestamp at midnight"),
        pytest.param("1767225600", id="a unix timestamp as text"),
        pytest.param("2026-01-01T00:00:00", id="a datetime at midnight"),
        pytest.param("2026-01-01T00:00:00Z", id="a datetime in UTC"),
        pytest.param("2026-03-02T23:00:00-05:00", id="a datetime in another zone"),
    ],
)
def test_a_date_is_yyyy_mm_dd_and_nothing_else(sent: Any) -> None:
    """Dates were read leniently: a 0 became 1970-01-01, a timestamp or a midnight
    datetime the day it falls on in UTC, whatever day the sender meant."""
    record = testdata.trade()
    record["trade_date"] = sent
    assert "YYYY-MM-DD" in _rejected_on(RecordKind.TRADES, record, "trade_date")


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        (RecordKind.DELIVERIES, "delivery_date"),
        (RecordKind.RETIREMENTS, "consumption_period_start"),
        (RecordKind.INVOICES, "issue_date"),
        (RecordKind.DOCUMENTS, "issued_on"),
    ],
)
def test_every_kind_reads_dates_strictly(kind: RecordKind, field: str) -> None:
    builders: dict[RecordKind, Callable[[], dict[str, Any]]] = {
        RecordKind.DELIVERIES: testdata.delivery,
        RecordKind.RETIREMENTS: testdata.retirement,
        RecordKind.INVOICES: testdata.invoice,
        RecordKind.DOCUMENTS: testdata.document,
    }
    record = builders[kind]()
    record[field] = "0"
    assert "YYYY-MM-DD" in _rejected_on(kind, record, field)


def test_a_leap_day_is_a_date_and_a_missing_one_is_not() -> None:
    record = testdata.trade()
    record.update(trade_date="2024-02-29", delivery_date="2024-03-01")
    trade = validate_record(RecordKind.TRADES, record)
    assert isinstance(trade, TradeRecord)
    assert trade.trade_date.isoformat() == "2024-02-29"
    record["trade_date"] = "2025-02-29"
    assert "YYYY-MM-DD" in _rejected_on(RecordKind.TRADES, record, "trade_date")


@pytest.mark.parametrize(
    ("field", "sent"),
    [
        pytest.param("volume_mwh", "\u0661\u0662\u0665\u0660.\u0665", id="volume in Arabic-Indic"),
        pytest.param("volume_mwh", "\uff11\uff12\uff15\uff10.\uff15", id="volume full-width"),
        pytest.param("volume_mwh", "1_250.5", id="volume with an underscore"),
        pytest.param("unit_price", "2.3_5", id="price with an underscore"),
        pytest.param("total", "2_938.68", id="total with an underscore"),
        pytest.param("total", "\u0662\u0669\u0663\u0668.\u0666\u0668", id="total in Arabic-Indic"),
    ],
)
def test_decimal_text_is_ascii_digits(field: str, sent: str) -> None:
    """Python's Decimal reads `1_250.5` and any script's digits; the sender's other
    readers (and the docs: a decimal string such as "2938.68") do not."""
    record = testdata.trade()
    record[field] = sent
    assert "decimal" in _rejected_on(RecordKind.TRADES, record, field)


def test_decimal_text_keeps_signs_exponents_and_spaces_around() -> None:
    record = testdata.trade()
    record.update(volume_mwh=" 1.2505E3 ", unit_price="+2.35", total="2938.68")
    trade = validate_record(RecordKind.TRADES, record)
    assert isinstance(trade, TradeRecord)
    assert trade.volume_mwh == Decimal("1250.5")


def _delivery_from_serial(serial_start: int) -> dict[str, Any]:
    record = testdata.delivery()
    first = record["batches"][0]
    first.update(serial_start=serial_start, serial_end=serial_start + first["quantity"] - 1)
    return record


def test_a_serial_number_is_what_a_dynamodb_number_holds() -> None:
    """A 39-digit serial (the JSON reader takes 40) was accepted, and every consumer that
    keeps batches as DynamoDB numbers (38 digits; portfolio's holdings drill-down) then
    failed on the event for good."""
    top = 10**38 - 1
    assert validate_record(RecordKind.DELIVERIES, _delivery_from_serial(top - 999))
    reason = _rejected_on(
        RecordKind.DELIVERIES, _delivery_from_serial(top - 998), "batches.0.serial_end"
    )
    assert "less than or equal to" in reason


@pytest.mark.parametrize(
    ("kind", "date_field"),
    [(RecordKind.DELIVERIES, "delivery_date"), (RecordKind.RETIREMENTS, "retired_on")],
)
def test_certificates_are_not_of_a_vintage_after_they_moved(
    kind: RecordKind, date_field: str
) -> None:
    """A vintage is the month production ended; certificates are issued after it, so none
    can be delivered or retired before its vintage (a typo'd 2052-06 for 2025-06)."""
    record = testdata.delivery() if kind is RecordKind.DELIVERIES else testdata.retirement()
    record[date_field] = "2026-04-30"
    record["batches"][0]["vintage"] = "2026-04"
    assert validate_record(kind, record)
    record["batches"][0]["vintage"] = "2052-06"
    reason = _rejected_on(kind, record, "batches")
    assert "2052-06" in reason
    assert date_field in reason
