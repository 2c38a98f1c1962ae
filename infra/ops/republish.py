"""Put outbox events on the bus again: by event id, by time range, or every unpublished one.

    python -m infra.ops.republish --local --service provisioning --unpublished
    python -m infra.ops.republish --stage prod --service identity --event-id ID [--event-id ID]
    python -m infra.ops.republish --stage prod --service provisioning \\
        --since 2026-03-02T10:00:00Z --until 2026-03-02T12:00:00Z [--unpublished] [--dry-run]

The outbox row is the durable copy of every fact (see `common.outbox`): a row the relay
could not publish is never marked `published_at` and never expires, whatever happened to
the stream or the relay's DLQ (which holds only batch metadata). This command sends the
selected rows with the relay's own code (same entries, PutEvents limits, retries, parking)
and marks them published. Sending a fact twice is safe: every consumer is idempotent on
the event id. Older than the outbox keeps (`OUTBOX_RETENTION`): the bus archive + replay,
see docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from common.outbox import OUTBOX_MARKER, PUBLISHED_AT, is_published, outbox_key
from common.outbox_relay import RelayEntry, entry_from_item, put_events_chunks
from common.relay_handler import mark_published, publish_entries
from infra.ops.target import Target, add_target_arguments, target_from
from infra.shape.resources import event_bus_name

BATCH_GET_MAX_KEYS = 100


@dataclass(frozen=True)
class Selection:
    event_ids: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    unpublished_only: bool = False

    def wants(self, item: dict[str, Any]) -> bool:
        if self.unpublished_only and is_published(item):
            return False
        at = occurred_at(item)
        return (self.since is None or at >= self.since) and (self.until is None or at < self.until)


@dataclass
class Report:
    found: int = 0
    sent: int = 0
    parked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unmarked: int = 0

    @property
    def ok(self) -> bool:
        return not (self.parked or self.failed or self.missing)


def occurred_at(item: dict[str, Any]) -> datetime:
    """When the fact happened: from the envelope (rows of any age carry it)."""
    return datetime.fromisoformat(json.loads(item["envelope"]["S"])["occurred_at"])


def outbox_rows(dynamodb: Any, table: str, selection: Selection) -> Iterator[dict[str, Any]]:
    """The selected outbox rows (low-level items)."""
    if selection.event_ids:
        ids = list(dict.fromkeys(selection.event_ids))
        for start in range(0, len(ids), BATCH_GET_MAX_KEYS):
            keys = [outbox_key(i) for i in ids[start : start + BATCH_GET_MAX_KEYS]]
            while keys:
                answer = dynamodb.batch_get_item(
                    RequestItems={table: {"Keys": keys, "ConsistentRead": True}}
                )
                yield from (i for i in answer["Responses"].get(table, []) if selection.wants(i))
                keys = answer.get("UnprocessedKeys", {}).get(table, {}).get("Keys", [])
        return
    condition = "attribute_exists(#outbox)"
    names = {"#outbox": OUTBOX_MARKER}
    if selection.unpublished_only:
        condition += " AND attribute_not_exists(#published)"
        names["#published"] = PUBLISHED_AT
    paginator = dynamodb.get_paginator("scan")
    for page in paginator.paginate(
        TableName=table,
        FilterExpression=condition,
        ExpressionAttributeNames=names,
        ConsistentRead=True,
    ):
        yield from (i for i in page["Items"] if selection.wants(i))


def republish(
    dynamodb: Any,
    events: Any,
    table: str,
    bus: str,
    selection: Selection,
    *,
    dry_run: bool = False,
    sleep: Callable[[float], None] = time.sleep,
    echo: Callable[[str], None] = print,
) -> Report:
    report = Report()
    rows = sorted(outbox_rows(dynamodb, table, selection), key=occurred_at)
    report.found = len(rows)
    found_ids = {i["pk"]["S"].removeprefix("OUTBOX#") for i in rows}
    report.missing = [i for i in selection.event_ids if i not in found_ids]
    entries = [
        RelayEntry(sequence_number=str(n), entry=entry_from_item(item, bus), image=item)
        for n, item in enumerate(rows)
    ]
    if dry_run:
        for entry in entries:
            published = entry.image.get(PUBLISHED_AT, {}).get("S", "never")
            echo(
                f"would send {entry.event_id} {entry.entry['DetailType']} "
                f"occurred {occurred_at(entry.image).isoformat()} published {published}"
            )
        return report
    for chunk in put_events_chunks(entries):
        outcome = publish_entries(chunk, events, sleep)
        report.sent += len(outcome.published)
        report.parked += [e.event_id for e in outcome.parked]
        report.failed += [e.event_id for e in outcome.failed]
        if outcome.published:
            report.unmarked += mark_published(dynamodb, table, outcome.published)
    return report


def outbox_tables(target: Target, service: str) -> list[str]:
    from services.topologies import TOPOLOGIES

    topology = next((t for t in TOPOLOGIES if t.service == service), None)
    if topology is None:
        raise SystemExit(f"no service {service!r}: {sorted(t.service for t in TOPOLOGIES)}")
    return [topology.resource_name(target.stage, t.name) for t in topology.tables if t.outbox]


def parse_time(value: str) -> datetime:
    at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if at.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2026-03-02T10:00:00Z")
    return at


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m infra.ops.republish", description=__doc__.split("\n")[0]
    )
    add_target_arguments(parser)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--service", help="every outbox table of this service")
    source.add_argument("--table", help="one outbox table, by its physical name")
    parser.add_argument("--bus", help="event bus name (default: the stage's bus)")
    parser.add_argument("--event-id", action="append", default=[], help="repeatable")
    parser.add_argument("--since", type=parse_time, help="occurred at or after (ISO 8601)")
    parser.add_argument("--until", type=parse_time, help="occurred before (ISO 8601)")
    parser.add_argument("--unpublished", action="store_true", help="only rows never published")
    parser.add_argument("--dry-run", action="store_true", help="list what would be sent")
    args = parser.parse_args(argv)
    if not (args.event_id or args.since or args.until or args.unpublished):
        parser.error("select rows: --event-id, --since/--until and/or --unpublished")
    target = target_from(args)
    tables = [args.table] if args.table else outbox_tables(target, args.service)
    bus = args.bus or event_bus_name(target.stage)
    selection = Selection(tuple(args.event_id), args.since, args.until, args.unpublished)
    dynamodb, events = target.client("dynamodb"), target.client("events")
    ok = True
    for table in tables:
        report = republish(dynamodb, events, table, bus, selection, dry_run=args.dry_run)
        verb = "would send" if args.dry_run else f"sent {report.sent} to {bus}"
        print(f"{table}: {report.found} outbox rows selected, {verb}")
        for label, ids in (
            ("parked (EventBridge refused them)", report.parked),
            ("failed (retry the command)", report.failed),
            ("not found", report.missing),
        ):
            if ids:
                print(f"  {label}: {' '.join(ids)}")
        if report.unmarked:
            print(f"  {report.unmarked} sent rows could not be marked published")
        ok = ok and report.ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
