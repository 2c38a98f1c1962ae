"""The record store on DynamoDB (+ S3 for document files): the only code that writes it.

Each accepted record is two items in one TransactWriteItems call: its state (guarded by
a condition encoding the lifecycle rules) and its outbox event; a delivery adds a third,
its trade's running total (`delivered_mwh` on the trade's item, changed with ADD under a
condition that the trade is unchanged and has room). Deliveries and retirements also
change the lots they move (`LOT#...` items, `held` changed with ADD; the writes of one
transaction that touch a lot are summed into one update, conditional on the lot holding
enough when the sum lowers it). 50 trades fill a transaction (100 items), 33 deliveries
(fewer when they touch many lots); a failed condition cancels the whole transaction, so
the failed records are taken out (with the stored state DynamoDB hands back) and the rest
is sent again. Trade amendments are updates, not puts, so they keep `delivered_mwh`, and
their condition refuses a volume below it, and a change of side, scheme or registry
account once something was delivered. An invoice's or a document's condition refuses a
change of its `document_type` (an item stored before the type was kept has none).
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection, Iterator, Sequence
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from common.outbox import outbox_put
from services.provisioning.adapters.lot_items import lot_key, lot_update, lots_attribute, lots_from
from services.provisioning.logic.deliveries import TradeCharge
from services.provisioning.logic.lifecycle import Existence, StoredState
from services.provisioning.logic.lots import LotKey
from services.provisioning.logic.planning import PlannedWrite
from services.provisioning.models.records import RecordKind

TRANSACT_MAX_ITEMS = 100
TRANSACT_MAX_BYTES = 3_500_000
"""DynamoDB refuses a transaction whose items add up to more than 4 MB: an upload chunk
(4 MB of rows) written as states and events is twice that, so writes are grouped by size
too, with room left for the lots and what `bytes_per_write` estimates."""
WRITE_OVERHEAD_BYTES = 4_000
BATCH_GET_MAX_KEYS = 100
MAX_CONFLICT_RETRIES = 5
STATE_PROJECTION = (
    "pk, #version, content_hash, publisher_id, #status, is_open, account_id, volume_mwh, "
    "delivered_mwh, trade_reference, side, scheme, registry_account, lots, document_type, "
    "written_by"
)

_OPEN_AND_OLDER = "#version < :version AND publisher_id = :publisher AND is_open = :open"
_SAME_ACCOUNT = " AND account_id = :account"
"""Added for every kind but counterparties: a record never moves to another account."""
_SAME_DOCUMENT_TYPE = " AND (attribute_not_exists(document_type) OR document_type = :document_type)"
"""Added for invoices and documents: a later version never changes the document type."""
_CONDITIONS = {
    Existence.ABSENT: "attribute_not_exists(pk)",
    Existence.PRESENT: f"attribute_exists(pk) AND {_OPEN_AND_OLDER}",
    Existence.EITHER: f"attribute_not_exists(pk) OR ({_OPEN_AND_OLDER})",
    Existence.EXACT: "#version = :prior AND publisher_id = :publisher AND is_open = :open",
}
_NOT_DELIVERED_BEYOND = "(attribute_not_exists(delivered_mwh) OR delivered_mwh {op} :volume_mwh)"
_KEEPS_DELIVERY_TERMS = (
    "(attribute_not_exists(delivered_mwh) OR delivered_mwh <= :zero OR attribute_not_exists(side)"
    " OR (side = :side AND scheme = :scheme AND registry_account = :registry_account))"
)
_TRADE_CHARGE_CONDITION = (
    "#version = :trade_version AND publisher_id = :publisher AND is_open = :open "
    "AND (attribute_not_exists(delivered_mwh) OR delivered_mwh <= :room)"
)


def state_key(kind: RecordKind | str, reference: str) -> dict[str, Any]:
    return {"pk": {"S": f"{kind}#{reference}"}, "sk": {"S": "STATE"}}


def _text(item: dict[str, Any], name: str) -> str | None:
    return item[name]["S"] if name in item else None


def account_key(account_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"ACCOUNT#{account_id}"}, "sk": {"S": "ACCOUNT"}}


def _number(item: dict[str, Any], name: str) -> Decimal | None:
    return Decimal(item[name]["N"]) if name in item else None


def state_from_item(item: dict[str, Any]) -> StoredState:
    return StoredState(
        version=int(item["version"]["N"]),
        content_hash=item["content_hash"]["S"],
        publisher_id=item["publisher_id"]["S"],
        status=item["status"]["S"],
        is_open=bool(item["is_open"]["BOOL"]),
        account_id=item["account_id"]["S"] if "account_id" in item else None,
        volume_mwh=_number(item, "volume_mwh"),
        delivered_mwh=_number(item, "delivered_mwh") or Decimal(0),
        trade_reference=_text(item, "trade_reference"),
        side=_text(item, "side"),
        scheme=_text(item, "scheme"),
        registry_account=_text(item, "registry_account"),
        lots=lots_from(item),
        document_type=_text(item, "document_type"),
        written_by=_text(item, "written_by"),
    )


def _keeps_account(write: PlannedWrite) -> bool:
    return write.existence is not Existence.ABSENT and write.kind is not RecordKind.COUNTERPARTIES


def _keeps_document_type(write: PlannedWrite) -> bool:
    return _keeps_account(write) and write.state.document_type is not None


def _condition(write: PlannedWrite) -> str:
    """The lifecycle guard (`lifecycle.write_allowed`), atomically with the write."""
    condition = _CONDITIONS[write.existence]
    if not _keeps_account(write):
        return condition
    kept = _SAME_ACCOUNT + (_SAME_DOCUMENT_TYPE if _keeps_document_type(write) else "")
    if write.existence is Existence.EITHER:
        return f"attribute_not_exists(pk) OR ({_OPEN_AND_OLDER}{kept})"
    return condition + kept


def _kept_values(write: PlannedWrite) -> dict[str, Any]:
    """The values `_condition` compares the stored account and document type with."""
    values = {":account": {"S": write.account_id}} if _keeps_account(write) else {}
    if _keeps_document_type(write):
        values[":document_type"] = {"S": str(write.state.document_type)}
    return values


def bytes_per_write(write: PlannedWrite) -> int:
    """About what a write adds to its transaction: the record in its state item and in its
    event, and room for their other attributes (keys, conditions, the trade's total)."""
    return 2 * len(write.record.stored_json().encode()) + WRITE_OVERHEAD_BYTES


def items_per_write(write: PlannedWrite) -> int:
    """State + outbox event, + the trade's running total for a delivery (its lots are
    counted per transaction: writes share them)."""
    return 3 if write.charge else 2


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
        """Each key's item, read once: BatchGetItem refuses a request naming a key twice."""
        unique = list({json.dumps(key, sort_keys=True): key for key in keys}.values())
        found: list[dict[str, Any]] = []
        for chunk in _chunks(unique, BATCH_GET_MAX_KEYS):
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
        items = self._batch_get(keys, STATE_PROJECTION)
        return {i["pk"]["S"].removeprefix(f"{kind}#"): state_from_item(i) for i in items}

    def lot_balances(self, lots: Collection[LotKey]) -> dict[LotKey, int]:
        ordered = sorted(lots)
        keys = {lot_key(lot)["pk"]["S"]: lot for lot in ordered}
        items = self._batch_get([lot_key(lot) for lot in ordered], "pk, held")
        found = dict.fromkeys(ordered, 0)
        for item in items:
            found[keys[item["pk"]["S"]]] = int(item["held"]["N"]) if "held" in item else 0
        return found

    def _state_put(self, write: PlannedWrite) -> dict[str, Any]:
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
            "record": {"S": write.record.stored_json()},
        }
        if write.state.volume_mwh is not None:
            item["volume_mwh"] = {"N": str(write.state.volume_mwh)}
        if write.state.trade_reference is not None:
            item["trade_reference"] = {"S": write.state.trade_reference}
        for name in ("side", "scheme", "registry_account", "document_type", "written_by"):
            value = getattr(write.state, name)
            if value is not None:
                item[name] = {"S": value}
        if write.kind in (RecordKind.DELIVERIES, RecordKind.RETIREMENTS):
            item["lots"] = lots_attribute(write.state.lots)
        if write.kind is RecordKind.TRADES:
            if write.existence is Existence.ABSENT:
                item["delivered_mwh"] = {"N": "0"}
            else:
                return self._trade_update(write, item)
        put: dict[str, Any] = {
            "TableName": self._table,
            "Item": item,
            "ConditionExpression": _condition(write),
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if write.existence is not Existence.ABSENT:
            put["ExpressionAttributeNames"] = {"#version": "version"}
            put["ExpressionAttributeValues"] = {
                ":publisher": {"S": write.state.publisher_id},
                ":open": {"BOOL": True},
                **_kept_values(write),
            }
            if write.existence is Existence.EXACT:
                put["ExpressionAttributeValues"][":prior"] = {"N": str(write.prior_version)}
            else:
                put["ExpressionAttributeValues"][":version"] = {"N": str(write.state.version)}
        return {"Put": put}

    def _trade_update(self, write: PlannedWrite, item: dict[str, Any]) -> dict[str, Any]:
        """An amendment or cancellation: every attribute but the running total is replaced,
        and the condition refuses a volume below it (a cancellation: at or below it)."""
        fields = {name: value for name, value in item.items() if name not in ("pk", "sk")}
        operator = "<" if write.state.status == "cancelled" else "<="
        return {
            "Update": {
                "TableName": self._table,
                "Key": state_key(write.kind, write.record.reference),
                "UpdateExpression": "SET " + ", ".join(f"#{n} = :{n}" for n in fields),
                "ConditionExpression": f"{_condition(write)} AND "
                + _NOT_DELIVERED_BEYOND.format(op=operator)
                + f" AND {_KEEPS_DELIVERY_TERMS}",
                "ExpressionAttributeNames": {f"#{n}": n for n in fields},
                "ExpressionAttributeValues": {
                    **{f":{n}": value for n, value in fields.items()},
                    ":publisher": {"S": write.state.publisher_id},
                    ":open": {"BOOL": True},
                    ":zero": {"N": "0"},
                    **_kept_values(write),
                },
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }

    def _charge_item(self, charge: TradeCharge) -> dict[str, Any]:
        """The trade's running total: unchanged trade, room for the delta, in one item."""
        operation: dict[str, Any] = {
            "TableName": self._table,
            "Key": state_key(RecordKind.TRADES, charge.trade_reference),
            "ConditionExpression": _TRADE_CHARGE_CONDITION,
            "ExpressionAttributeNames": {"#version": "version"},
            "ExpressionAttributeValues": {
                ":trade_version": {"N": str(charge.trade_version)},
                ":publisher": {"S": charge.publisher_id},
                ":open": {"BOOL": True},
                ":room": {"N": str(charge.room_mwh)},
            },
        }
        if charge.delta_mwh == 0:
            return {"ConditionCheck": operation}
        operation["UpdateExpression"] = "ADD delivered_mwh :delta"
        operation["ExpressionAttributeValues"][":delta"] = {"N": str(charge.delta_mwh)}
        return {"Update": operation}

    def apply(self, writes: Sequence[PlannedWrite]) -> dict[int, StoredState | None]:
        failed: dict[int, StoredState | None] = {}
        offset = 0
        while offset < len(writes):
            end, items, size, lots = offset, 0, 0, set[LotKey]()
            while end < len(writes):
                more = {lot for lot, _ in writes[end].lot_delta} - lots
                count = items_per_write(writes[end]) + len(more)
                weight = bytes_per_write(writes[end])
                full = (
                    items + len(lots) + count > TRANSACT_MAX_ITEMS
                    or size + weight > TRANSACT_MAX_BYTES
                )
                if end > offset and full:
                    break
                items += items_per_write(writes[end])
                size += weight
                lots |= more
                end += 1
            for position, found in self._apply_chunk(writes[offset:end]).items():
                failed[offset + position] = found
            offset = end
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
            items: list[dict[str, Any]] = []
            owners: list[tuple[tuple[int, ...], bool]] = []  # per item: (its writes, is state)
            lot_changes: dict[LotKey, int] = {}
            lowering: dict[LotKey, list[int]] = {}
            for position in remaining:
                write = chunk[position]
                items.append(self._state_put(write))
                items.append(outbox_put(self._table, write.envelope))
                owners += [((position,), True), ((position,), False)]
                if write.charge:
                    items.append(self._charge_item(write.charge))
                    owners.append(((position,), False))
                for lot, change in write.lot_delta:
                    lot_changes[lot] = lot_changes.get(lot, 0) + change
                    if change < 0:
                        lowering.setdefault(lot, []).append(position)
            for lot in sorted(lot_changes):
                if lot_changes[lot] != 0:
                    items.append(lot_update(self._table, lot, lot_changes[lot]))
                    owners.append((tuple(lowering.get(lot, ())), False))
            try:
                self._db.transact_write_items(TransactItems=items)
                return failed
            except ClientError as error:
                if error.response["Error"]["Code"] != "TransactionCanceledException":
                    raise
                reasons = error.response.get("CancellationReasons", [])
                refused = self._refused(chunk, owners, reasons)
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
        owners: list[tuple[tuple[int, ...], bool]],
        reasons: list[dict[str, Any]],
    ) -> dict[int, StoredState | None]:
        """Writes with a failed condition (on their state, their trade's running total, or a
        lot they lower: all of them), with the record's stored state (read if not returned)."""
        refused: dict[int, StoredState | None] = {}
        unread: list[int] = []
        for (positions, own_state), reason in zip(owners, reasons, strict=False):
            if reason.get("Code") != "ConditionalCheckFailed":
                continue
            for position in positions:
                if position in refused:
                    continue
                if own_state and "Item" in reason:
                    refused[position] = state_from_item(reason["Item"])
                elif position not in unread:
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
