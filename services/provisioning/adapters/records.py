"""The record store on DynamoDB (+ S3 for document files): the only code that writes it.

Each accepted record is two items in one TransactWriteItems call: its state (guarded by
a condition encoding the lifecycle rules) and its outbox event. 50 records fill a
transaction (100 items); a failed condition cancels the whole transaction, so the
failed records are taken out (with the stored state DynamoDB hands back) and the rest
is sent again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from botocore.exceptions import ClientError

from common.outbox import outbox_put
from services.provisioning.logic.ingest import PlannedWrite
from services.provisioning.logic.lifecycle import Existence, StoredState
from services.provisioning.models.records import RecordKind

TRANSACT_MAX_ITEMS = 100
BATCH_GET_MAX_KEYS = 100
RECORDS_PER_TRANSACTION = TRANSACT_MAX_ITEMS // 2
MAX_CONFLICT_RETRIES = 5

_OPEN_AND_OLDER = "#version < :version AND publisher_id = :publisher AND is_open = :open"
_CONDITIONS = {
    Existence.ABSENT: "attribute_not_exists(pk)",
    Existence.PRESENT: f"attribute_exists(pk) AND {_OPEN_AND_OLDER}",
    Existence.EITHER: f"attribute_not_exists(pk) OR ({_OPEN_AND_OLDER})",
}


def state_key(kind: RecordKind | str, reference: str) -> dict[str, Any]:
    return {"pk": {"S": f"{kind}#{reference}"}, "sk": {"S": "STATE"}}


def account_key(account_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"ACCOUNT#{account_id}"}, "sk": {"S": "ACCOUNT"}}


def state_from_item(item: dict[str, Any]) -> StoredState:
    return StoredState(
        version=int(item["version"]["N"]),
        content_hash=item["content_hash"]["S"],
        publisher_id=item["publisher_id"]["S"],
        status=item["status"]["S"],
        is_open=bool(item["is_open"]["BOOL"]),
    )


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class DynamoRecordStore:
    """RecordStore on the service's `records` table and `files` bucket."""

    def __init__(self, dynamodb: Any, s3: Any, table: str, bucket: str) -> None:
        self._db = dynamodb
        self._s3 = s3
        self._table = table
        self._bucket = bucket

    def _batch_get(self, keys: list[dict[str, Any]], projection: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for chunk in _chunks(keys, BATCH_GET_MAX_KEYS):
            request: dict[str, Any] = {
                self._table: {
                    "Keys": list(chunk),
                    "ConsistentRead": True,
                    "ProjectionExpression": projection,
                }
            }
            names = {n: n[1:] for n in ("#version", "#status") if n in projection}
            if names:
                request[self._table]["ExpressionAttributeNames"] = names
            while request:
                response = self._db.batch_get_item(RequestItems=request)
                found.extend(response["Responses"].get(self._table, []))
                request = response.get("UnprocessedKeys") or {}
        return found

    def counterparty_accounts(self, references: Collection[str]) -> dict[str, str]:
        keys = [state_key(RecordKind.COUNTERPARTIES, r) for r in sorted(references)]
        items = self._batch_get(keys, "pk, account_id")
        prefix = f"{RecordKind.COUNTERPARTIES}#"
        return {i["pk"]["S"].removeprefix(prefix): i["account_id"]["S"] for i in items}

    def known_accounts(self, account_ids: Collection[str]) -> set[str]:
        items = self._batch_get([account_key(a) for a in sorted(account_ids)], "pk")
        return {i["pk"]["S"].removeprefix("ACCOUNT#") for i in items}

    def current_states(
        self, kind: RecordKind, references: Collection[str]
    ) -> dict[str, StoredState]:
        keys = [state_key(kind, r) for r in sorted(references)]
        items = self._batch_get(keys, "pk, #version, content_hash, publisher_id, #status, is_open")
        return {i["pk"]["S"].removeprefix(f"{kind}#"): state_from_item(i) for i in items}

    def _state_put(self, write: PlannedWrite) -> dict[str, Any]:
        record = write.record.model_dump(mode="json", exclude={"content_base64"})
        item = {
            **state_key(write.kind, write.record.reference),
            "kind": {"S": str(write.kind)},
            "version": {"N": str(write.state.version)},
            "content_hash": {"S": write.state.content_hash},
            "publisher_id": {"S": write.state.publisher_id},
            "status": {"S": write.state.status},
            "is_open": {"BOOL": write.state.is_open},
            "account_id": {"S": write.account_id},
            "event_id": {"S": str(write.envelope.event_id)},
            "updated_at": {"S": write.envelope.occurred_at.isoformat()},
            "record": {"S": json.dumps(record, separators=(",", ":"))},
        }
        put: dict[str, Any] = {
            "TableName": self._table,
            "Item": item,
            "ConditionExpression": _CONDITIONS[write.existence],
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if write.existence is not Existence.ABSENT:
            put["ExpressionAttributeNames"] = {"#version": "version"}
            put["ExpressionAttributeValues"] = {
                ":version": {"N": str(write.state.version)},
                ":publisher": {"S": write.state.publisher_id},
                ":open": {"BOOL": True},
            }
        return {"Put": put}

    def apply(self, writes: Sequence[PlannedWrite]) -> dict[int, StoredState | None]:
        failed: dict[int, StoredState | None] = {}
        for offset in range(0, len(writes), RECORDS_PER_TRANSACTION):
            chunk = writes[offset : offset + RECORDS_PER_TRANSACTION]
            for position, found in self._apply_chunk(chunk).items():
                failed[offset + position] = found
        return failed

    def _apply_chunk(self, chunk: Sequence[PlannedWrite]) -> dict[int, StoredState | None]:
        for write in chunk:
            if write.attachment:
                key, content = write.attachment
                self._s3.put_object(
                    Bucket=self._bucket, Key=key, Body=content, ContentType="application/pdf"
                )
        failed: dict[int, StoredState | None] = {}
        remaining = list(range(len(chunk)))
        conflicts = 0
        while remaining:
            items = []
            for position in remaining:
                items.append(self._state_put(chunk[position]))
                items.append(outbox_put(self._table, chunk[position].envelope))
            try:
                self._db.transact_write_items(TransactItems=items)
                return failed
            except ClientError as error:
                if error.response["Error"]["Code"] != "TransactionCanceledException":
                    raise
                reasons = error.response.get("CancellationReasons", [])
                refused = self._refused(chunk, remaining, reasons)
                if not refused:
                    conflicts += 1
                    if conflicts > MAX_CONFLICT_RETRIES:
                        raise
                    time.sleep(0.05 * 2**conflicts)
                    continue
                failed.update(refused)
                remaining = [p for p in remaining if p not in refused]
        return failed

    def _refused(
        self,
        chunk: Sequence[PlannedWrite],
        remaining: list[int],
        reasons: list[dict[str, Any]],
    ) -> dict[int, StoredState | None]:
        """Writes whose state condition failed, with the stored state (read if not returned)."""
        refused: dict[int, StoredState | None] = {}
        unread: list[int] = []
        for slot, position in enumerate(remaining):
            reason = reasons[2 * slot] if 2 * slot < len(reasons) else {}
            if reason.get("Code") != "ConditionalCheckFailed":
                continue
            if "Item" in reason:
                refused[position] = state_from_item(reason["Item"])
            else:
                unread.append(position)
        if unread:
            kind = chunk[unread[0]].kind
            states = self.current_states(kind, {chunk[p].record.reference for p in unread})
            for position in unread:
                refused[position] = states.get(chunk[position].record.reference)
        return refused

    def record_account(self, account_id: str, name: str, sequence: int) -> None:
        """Projection of identity's AccountCreated: accounts this service may link."""
        try:
            self._db.put_item(
                TableName=self._table,
                Item={
                    **account_key(account_id),
                    "name": {"S": name},
                    "sequence": {"N": str(sequence)},
                },
                ConditionExpression="attribute_not_exists(pk) OR #sequence < :sequence",
                ExpressionAttributeNames={"#sequence": "sequence"},
                ExpressionAttributeValues={":sequence": {"N": str(sequence)}},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
