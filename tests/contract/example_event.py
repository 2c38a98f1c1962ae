"""A test-only event type, so the fixture machinery runs even when the catalog is empty."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from pydantic import AwareDatetime, Field

from contracts.catalog import Catalog
from contracts.envelope import EventData
from contracts.event_type import EventType

EXAMPLE_FIXTURES = Path(__file__).parent / "example_fixtures"


class MeterReadingRecordedData(EventData):
    meter_id: str = Field(min_length=1)
    period_start: date
    period_end: date
    consumption_mwh: Decimal = Field(ge=0, max_digits=14, decimal_places=3)
    recorded_at: AwareDatetime


METER_READING_RECORDED = EventType(
    detail_type="MeterReadingRecorded",
    version=1,
    service="example",
    data_model=MeterReadingRecordedData,
)
EXAMPLE_CATALOG = Catalog([METER_READING_RECORDED])
