"""Rebuild the documents service's facts and library by replaying provisioning's events
into EMPTY tables (a lost table, a new rendering rule, a recovery after a bad deploy).

    python -m services.documents.rebuild --documents-table NEW --facts-table NEW \\
        (--outbox-table PROVISIONING_RECORDS | --jsonl FILE)

Sources: provisioning's outbox (its records table holds the exact envelopes published) or
a JSON Lines file of envelopes (a replay of the bus archive). Every event goes through the
same use cases as the live consumers: generated documents come out byte-identical (same
SHA-256, same object keys, so the files in the bucket are rewritten with the same bytes);
published files are read again through the claim check, checked, and quarantined for a
fresh malware verdict. The environment is the `facts`/`intake` functions' (SCTS_*). Prints
a JSON summary of outcomes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from contracts.catalog import CATALOG
from contracts.envelope import EventEnvelope
from services.documents import dependencies
from services.documents.adapters.documents_store import DynamoDocumentStore
from services.documents.adapters.dynamo import dynamodb_client, from_item
from services.documents.adapters.facts_store import DynamoFactStore
from services.documents.handlers.facts import fact_of
from services.documents.logic.generation import apply_fact
from services.documents.logic.intake import Unprocessable, take_in
from services.documents.logic.ports import Ports, SharedFiles
from services.documents.models.facts import KIND_OF_DETAIL_TYPE

PUBLISHED = "DocumentPublished"
REBUILD_CORRELATION = "documents-rebuild"


class TargetNotEmpty(RuntimeError):
    pass


def envelopes_from_outbox(client: Any, table: str) -> Iterator[EventEnvelope[Any]]:
    request: dict[str, Any] = {"TableName": table, "FilterExpression": "attribute_exists(outbox)"}
    while True:
        page = client.scan(**request)
        for item in page.get("Items", []):
            yield CATALOG.parse(from_item(item)["envelope"])
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def envelopes_from_jsonl(path: Path) -> Iterator[EventEnvelope[Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield CATALOG.parse(line)


def ensure_empty(client: Any, *tables: str) -> None:
    for table in tables:
        if client.scan(TableName=table, Limit=1, Select="COUNT")["Count"]:
            raise TargetNotEmpty(f"{table} is not empty; rebuild only into new tables")


def replay(
    ports: Ports, shared: SharedFiles, envelopes: Iterable[EventEnvelope[Any]]
) -> Counter[str]:
    """Facts first, in the order given (any order gives the same library), then published
    files (their generated rivals must exist for a published invoice to replace them)."""
    outcomes: Counter[str] = Counter()
    published = []
    for envelope in envelopes:
        if envelope.detail_type == PUBLISHED:
            published.append(envelope)
        elif envelope.detail_type in KIND_OF_DETAIL_TYPE:
            outcomes[apply_fact(ports, fact_of(envelope), REBUILD_CORRELATION).value] += 1
        else:
            outcomes["not_used"] += 1
    for envelope in published:
        try:
            outcome = take_in(ports, shared, fact_of(envelope), REBUILD_CORRELATION).value
        except Unprocessable:
            outcome = "unprocessable"  # live, it went to the DLQ: nothing of it was kept
        outcomes[outcome] += 1
    return outcomes


def rebuild(
    documents_table: str, facts_table: str, envelopes: Iterable[EventEnvelope[Any]]
) -> Counter[str]:
    client = dynamodb_client()
    ensure_empty(client, documents_table, facts_table)
    with (
        dependencies.document_store.override(DynamoDocumentStore(client, documents_table)),
        dependencies.fact_store.override(DynamoFactStore(client, facts_table)),
    ):
        return replay(dependencies.ports(), dependencies.shared_files(), envelopes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents-table", required=True)
    parser.add_argument("--facts-table", required=True)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--outbox-table")
    source.add_argument("--jsonl", type=Path)
    args = parser.parse_args(argv)
    envelopes = (
        envelopes_from_jsonl(args.jsonl)
        if args.jsonl
        else envelopes_from_outbox(dynamodb_client(), args.outbox_table)
    )
    outcomes = rebuild(args.documents_table, args.facts_table, envelopes)
    json.dump({"events": dict(outcomes)}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
