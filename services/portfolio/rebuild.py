"""Rebuild the portfolio read model by replaying events into an EMPTY table.

    python -m services.portfolio.rebuild --target-table NAME --jsonl FILE [--usage-table NAME]
    python -m services.portfolio.rebuild --target-table NAME --outbox-table NAME [...]

Sources: a JSON Lines file of envelopes (e.g. exported from the bus archive through a
replay to a capture queue), or the provisioning outbox table (its items hold the exact
envelopes published). Events go through the same `apply_event_fact` as the live consumer, so
the result is the live state whatever the order or duplicates of the source. With
`--usage-table`, the aggregate mirror of the counterparty's usage data (consumption
counters, targets) is re-derived from that table, its source of truth.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from contracts.catalog import CATALOG
from contracts.envelope import EventEnvelope
from services.portfolio.adapters.dynamo import DynamoProjectionStore
from services.portfolio.adapters.serde import dynamodb_client, scan_items, to_dynamo
from services.portfolio.adapters.usage import (
    CONSUMPTION_PREFIX,
    TARGET_PREFIX,
    DynamoUsageStore,
    consumption_counter,
    target_copy,
)
from services.portfolio.logic.facts import Fact, is_projected
from services.portfolio.logic.projector import LatestActivity, apply_event_fact


def envelopes_from_jsonl(path: Path) -> Iterator[EventEnvelope[Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield CATALOG.parse(line)


def envelopes_from_outbox(client: Any, table: str) -> Iterator[EventEnvelope[Any]]:
    for item in scan_items(client, table, FilterExpression="attribute_exists(outbox)"):
        yield CATALOG.parse(item["envelope"])


class TargetNotEmpty(RuntimeError):
    pass


def ensure_empty(client: Any, table: str) -> None:
    if client.scan(TableName=table, Limit=1, Select="COUNT")["Count"]:
        raise TargetNotEmpty(f"{table} is not empty; rebuild only into a new table")


def replay(store: DynamoProjectionStore, envelopes: Iterable[EventEnvelope[Any]]) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    activity = LatestActivity()
    for envelope in envelopes:
        if is_projected(envelope.detail_type):
            fact = Fact.from_envelope(envelope)
            activity.see(fact)
            outcomes[apply_event_fact(store, fact).value] += 1
        else:
            outcomes["not_projected"] += 1
    activity.keep(store)
    return outcomes


def mirror_usage(client: Any, usage: DynamoUsageStore, target_table: str) -> int:
    """Re-derive consumption counters and target copies from the usage table."""
    consumption: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    written = 0
    for item in usage.scan_all():
        account_id = item["pk"].removeprefix("A#")
        if item["sk"].startswith(CONSUMPTION_PREFIX):
            consumption[(account_id, int(item["year"]))] += Decimal(item["consumption_mwh"])
        elif item["sk"].startswith(TARGET_PREFIX):
            copy = target_copy(account_id, item)
            client.put_item(TableName=target_table, Item=to_dynamo(copy))
            written += 1
    for (account_id, year), total in sorted(consumption.items()):
        counter = consumption_counter(account_id, year, total)
        client.put_item(TableName=target_table, Item=to_dynamo(counter))
        written += 1
    return written


def dump_table(client: Any, table: str) -> list[dict[str, Any]]:
    """Every item (for comparing a rebuild with the live table)."""
    return sorted(scan_items(client, table), key=lambda i: (i["pk"], i["sk"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target-table", required=True)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--jsonl", type=Path)
    source.add_argument("--outbox-table")
    parser.add_argument("--usage-table")
    args = parser.parse_args(argv)
    client = dynamodb_client()
    ensure_empty(client, args.target_table)
    envelopes = (
        envelopes_from_jsonl(args.jsonl)
        if args.jsonl
        else envelopes_from_outbox(client, args.outbox_table)
    )
    outcomes = replay(DynamoProjectionStore(args.target_table, client), envelopes)
    mirrored = 0
    if args.usage_table:
        mirrored = mirror_usage(
            client, DynamoUsageStore(args.usage_table, args.target_table, client), args.target_table
        )
    json.dump({"events": dict(outcomes), "usage_items": mirrored}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
