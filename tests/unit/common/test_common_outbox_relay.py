"""The relay's pure parts: which records become entries, PutEvents' limits, what is retried
and what is parked, the published mark, the backoff."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from typing import Any

import pytest

from common import relay_handler
from common.outbox import EXPIRES_AT, OUTBOX_RETENTION, PUBLISHED_AT, outbox_put, published_item
from common.outbox_relay import (
    PUT_EVENTS_MAX_BYTES,
    RELAY_MAPPING,
    backoff_seconds,
    parse_stream,
    put_events_chunks,
    table_name_from_stream_arn,
)
from infra.local.stream_poller import matches_filter
from tests.support.things import thing_happened

pytestmark = pytest.mark.unit

STREAM_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/scts-x-widgets-things/stream/2026"


def record(sequence: int, image: dict[str, Any], name: str = "INSERT") -> dict[str, Any]:
    return {
        "eventName": name,
        "eventSourceARN": STREAM_ARN,
        "dynamodb": {
            "SequenceNumber": str(sequence),
            "NewImage": image,
            "ApproximateCreationDateTime": 1_790_000_000,
        },
    }


def outbox_image(thing: str = "a", padding: int = 0) -> dict[str, Any]:
    envelope = thing_happened(thing + "x" * padding)
    item: dict[str, Any] = outbox_put("t", envelope)["Put"]["Item"]
    return item


class Events:
    """PutEvents that answers each entry from `answers` (None: accepted)."""

    def __init__(self, *answers: str | None) -> None:
        self.answers = list(answers)
        self.sent: list[list[dict[str, Any]]] = []

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        self.sent.append(Entries)
        codes = [self.answers.pop(0) if self.answers else None for _ in Entries]
        return {
            "FailedEntryCount": sum(c is not None for c in codes),
            "Entries": [{"ErrorCode": c} if c else {"EventId": "e"} for c in codes],
        }


class Marks:
    def __init__(self) -> None:
        self.written: list[dict[str, Any]] = []

    def batch_write_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        for requests in RequestItems.values():
            self.written += [r["PutRequest"]["Item"] for r in requests]
        return {"UnprocessedItems": {}}


def test_only_outbox_inserts_become_entries_and_unreadable_rows_are_set_aside() -> None:
    state = {"pk": {"S": "THING#a"}, "sk": {"S": "STATE"}}
    broken = {**outbox_image(), "envelope": {"S": "{not json"}}
    parsed = parse_stream(
        [
            record(1, state),
            record(2, outbox_image("a")),
            record(3, outbox_image("b"), name="MODIFY"),
            record(4, broken),
        ],
        "bus",
    )
    assert [e.sequence_number for e in parsed.entries] == ["2"]
    assert parsed.entries[0].entry["EventBusName"] == "bus"
    assert parsed.malformed == ["4"]


def test_chunks_respect_ten_entries_and_256_kb() -> None:
    small = parse_stream([record(n, outbox_image(str(n))) for n in range(25)], "bus").entries
    assert [len(c) for c in put_events_chunks(small)] == [10, 10, 5]
    big = parse_stream(
        [record(n, outbox_image(str(n), padding=60_000)) for n in range(6)], "bus"
    ).entries
    chunks = list(put_events_chunks(big))
    assert all(sum(e.size for e in c) <= PUT_EVENTS_MAX_BYTES for c in chunks)
    assert [e for c in chunks for e in c] == big


def test_a_transient_refusal_is_retried_a_poison_one_parked(monkeypatch: Any) -> None:
    monkeypatch.setattr(relay_handler, "ENTRY_RETRY_BASE_SECONDS", 0.0)
    records = [record(n, outbox_image(str(n))) for n in range(3)]
    events = Events(None, "ThrottlingException", "MalformedDetail", None)
    marks = Marks()
    assert relay_handler.relay(records, "bus", events, marks, sleep=lambda _: None) == []
    assert [len(call) for call in events.sent] == [3, 1]  # only the throttled entry again
    marked = sorted(json.loads(i["envelope"]["S"])["data"]["thing"] for i in marks.written)
    assert marked == ["0", "1"]  # the parked "2" stays unpublished


def test_failures_beyond_the_retries_are_reported_from_the_first_onwards() -> None:
    records = [record(n, outbox_image(str(n))) for n in range(4)]
    events = Events(None, "InternalFailure", None, None, *["InternalFailure"] * 10)
    failed = relay_handler.relay(records, "bus", events, Marks(), sleep=lambda _: None)
    assert failed == ["1", "2", "3"]


def test_an_entry_over_256_kb_is_parked_without_a_call() -> None:
    huge = record(1, outbox_image("h", padding=PUT_EVENTS_MAX_BYTES))
    events = Events()
    assert relay_handler.relay([huge], "bus", events, Marks(), sleep=lambda _: None) == []
    assert events.sent == []


def test_the_published_mark_starts_the_retention() -> None:
    at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    marked = published_item(outbox_image(), at)
    assert marked[PUBLISHED_AT] == {"S": at.isoformat()}
    assert marked[EXPIRES_AT] == {"N": str(int((at + OUTBOX_RETENTION).timestamp()))}


def test_the_mapping_filter_passes_outbox_inserts_only() -> None:
    (pattern,) = RELAY_MAPPING.filters
    assert matches_filter(pattern, record(1, outbox_image()))
    assert not matches_filter(pattern, record(1, outbox_image(), name="MODIFY"))
    assert not matches_filter(pattern, record(1, {"pk": {"S": "THING#a"}}))


def test_backoff_grows_to_its_cap_with_jitter() -> None:
    rng = random.Random(3)
    delays = [backoff_seconds(n, base=0.2, cap=5.0, rng=rng) for n in range(1, 10)]
    assert all(0.1 <= d <= 0.2 for d in delays[:1])
    assert all(2.5 <= d <= 5.0 for d in delays[6:])
    assert len(set(delays)) == len(delays)


def test_the_table_is_read_from_the_stream_arn() -> None:
    assert table_name_from_stream_arn(STREAM_ARN) == "scts-x-widgets-things"
