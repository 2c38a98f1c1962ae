"""Identity's single table: state items, audit chains and the outbox, written in one
transaction per change (see logic.ports.Commit).

Keys: `ACCOUNT#<id>` / `ACCOUNT` | `MEMBER#<sub>` | `CAM#<sub>` (the access-projection
shape common.access reads); `CAM#<sub>` / `CAM`; `USER#<sub>` / `PREFERENCES`;
`AUDIT#<chain>` / `HEAD` | `ENTRY#<seq>`; `EVENT#<id>` / `RECORDED` (another service's
event already recorded); `PUBLISHER#<id>` / `PUBLISHER` (a publisher's name);
`REQUEST#<sub>` / `ACCOUNT.CREATE#<key>` (the first answer to a creation sent with an
Idempotency-Key; `expires_at` in epoch seconds, the table's TTL). Index
`byuser` finds a person's memberships and CAM assignments; index `bykind` lists accounts,
CAMs and staff audit entries.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from common.outbox import outbox_put
from services.identity.logic import audit
from services.identity.logic.audit import StoredEntry
from services.identity.logic.ports import (
    ChainMoved,
    Change,
    ChangeRejected,
    ClaimMembership,
    ClaimStaff,
    Commit,
    DeleteCamAssignment,
    DeleteMembership,
    PutAccount,
    PutCam,
    PutCamAssignment,
    PutCreationReceipt,
    PutMembership,
    PutPreferences,
    PutPublisherName,
    RecordEvent,
    ReleaseMembership,
)
from services.identity.models.domain import (
    Account,
    AuditEntry,
    Cam,
    CamAssignment,
    ChainHead,
    CreationReceipt,
    Membership,
    Preferences,
    PreferenceValues,
)

ACCOUNT_PREFIX = "ACCOUNT#"
HEAD_SK = "HEAD"
ENTRY_PREFIX = "ENTRY#"
BY_USER = "byuser"
BY_KIND = "bykind"
INDEX_KEYS = ("kind_pk", "kind_sk")
STANDING_SK = "STANDING"
"""The person's standing item (`USER#<sub>`): staff, or the accounts they are a member of."""
STAFF = "staff"
MEMBER_OF = "member_of"
STAFF_AUDIT_KIND = "STAFFAUDIT"
"""`bykind` partition of staff audit entries (`kind_sk` = `audit.staff_position`)."""

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _to_ddb(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in item.items() if v is not None}


def _from_ddb(item: dict[str, Any]) -> dict[str, Any]:
    plain = {k: _deserializer.deserialize(v) for k, v in item.items()}
    return {k: int(v) if isinstance(v, Decimal) else v for k, v in plain.items()}


def _account_key(account_id: str) -> str:
    return f"{ACCOUNT_PREFIX}{account_id}"


def _entry_sk(seq: int) -> str:
    return f"{ENTRY_PREFIX}{seq:012d}"


def _user_key(subject: str) -> str:
    return f"USER#{subject}"


def _audit_pk(chain: str) -> str:
    return f"AUDIT#{chain}"


def _receipt_key(caller: str, idempotency_key: str) -> tuple[str, str]:
    return f"REQUEST#{caller}", f"ACCOUNT.CREATE#{idempotency_key}"


def _epoch(at: datetime) -> int:
    return int(at.timestamp())


class DynamoIdentityRepository:
    def __init__(self, table_name: str, client: Any | None = None) -> None:
        self._table = table_name
        self._client = client or boto3.client("dynamodb")

    # ---- writes

    def commit(self, commit: Commit) -> None:
        items = [self._head_update(commit), self._entry_put(commit.entry)]
        items += [self._change(change) for change in commit.changes]
        items += [outbox_put(self._table, envelope) for envelope in commit.events]
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = exc.response.get("CancellationReasons") or []
            codes = [r.get("Code", "None") for r in reasons]
            if not codes or codes[0] != "None" or "TransactionConflict" in codes:
                raise ChainMoved from exc
            raise ChangeRejected(str(codes)) from exc

    def _head_update(self, commit: Commit) -> dict[str, Any]:
        update: dict[str, Any] = {
            "TableName": self._table,
            "Key": _to_ddb({"pk": _audit_pk(commit.chain), "sk": HEAD_SK}),
            "UpdateExpression": "SET #seq = :seq, #hash = :hash",
            "ExpressionAttributeNames": {"#seq": "seq", "#hash": "hash"},
            "ExpressionAttributeValues": _to_ddb(
                {":seq": commit.entry.seq, ":hash": commit.entry.hash}
            ),
        }
        if commit.expected_head is None:
            update["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            update["ConditionExpression"] = "#seq = :expected"
            update["ExpressionAttributeValues"][":expected"] = {"N": str(commit.expected_head.seq)}
        return {"Update": update}

    def _entry_put(self, entry: AuditEntry) -> dict[str, Any]:
        item = {"pk": _audit_pk(entry.chain), "sk": _entry_sk(entry.seq)}
        item |= audit.stored_fields(entry)
        if audit.is_staff_action(entry.action):
            item |= {INDEX_KEYS[0]: STAFF_AUDIT_KIND, INDEX_KEYS[1]: audit.staff_position(entry)}
        return {
            "Put": {
                "TableName": self._table,
                "Item": {**_to_ddb(item), "account_id": _serializer.serialize(entry.account_id)},
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    def _put(
        self, item: dict[str, Any], condition: str, values: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        put: dict[str, Any] = {
            "TableName": self._table,
            "Item": _to_ddb(item),
            "ConditionExpression": condition,
        }
        if values:
            put["ExpressionAttributeValues"] = _to_ddb(values)
        return {"Put": put}

    def _delete(self, pk: str, sk: str) -> dict[str, Any]:
        return {
            "Delete": {
                "TableName": self._table,
                "Key": _to_ddb({"pk": pk, "sk": sk}),
                "ConditionExpression": "attribute_exists(pk)",
            }
        }

    def _standing(
        self,
        subject: str,
        update: str,
        values: dict[str, Any],
        condition: str | None = None,
    ) -> dict[str, Any]:
        """An update of the person's standing item (`USER#<sub>` / `STANDING`): `staff`
        (true once a CAM) and `member_of` (the accounts they are an active member of),
        named `#staff` and `#member_of` in `update` and `condition`."""
        expressions = update + (condition or "")
        names = {f"#{name}": name for name in (STAFF, MEMBER_OF) if f"#{name}" in expressions}
        change: dict[str, Any] = {
            "TableName": self._table,
            "Key": _to_ddb({"pk": _user_key(subject), "sk": STANDING_SK}),
            "UpdateExpression": update,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": _to_ddb(values),
        }
        if condition is not None:
            change["ConditionExpression"] = condition
        return {"Update": change}

    def _change(self, change: Change) -> dict[str, Any]:
        exists = "attribute_exists(pk)"
        absent = "attribute_not_exists(pk)"
        match change:
            case PutAccount(account=account, new=new):
                item = {
                    "pk": _account_key(account.account_id),
                    "sk": "ACCOUNT",
                    "kind_pk": "ACCOUNT",
                    "kind_sk": account.account_id,
                    **account.model_dump(mode="json"),
                }
                return self._put(item, absent if new else exists)
            case PutMembership(membership=m, new=new):
                item = {
                    "pk": _account_key(m.account_id),
                    "sk": f"MEMBER#{m.subject}",
                    "byuser_pk": f"USER#{m.subject}",
                    "byuser_sk": f"MEMBER#{m.account_id}",
                    "permissions": m.permissions,
                    **m.model_dump(mode="json"),
                }
                return self._put(item, absent if new else exists)
            case DeleteMembership(account_id=account_id, subject=subject):
                return self._delete(_account_key(account_id), f"MEMBER#{subject}")
            case PutCamAssignment(assignment=a):
                item = {
                    "pk": _account_key(a.account_id),
                    "sk": f"CAM#{a.subject}",
                    "status": "assigned",
                    "byuser_pk": f"USER#{a.subject}",
                    "byuser_sk": f"CAM#{a.account_id}",
                    **a.model_dump(mode="json"),
                }
                return self._put(item, absent)
            case DeleteCamAssignment(account_id=account_id, subject=subject):
                return self._delete(_account_key(account_id), f"CAM#{subject}")
            case PutCam(cam=cam):
                item = {
                    "pk": f"CAM#{cam.subject}",
                    "sk": "CAM",
                    "kind_pk": "CAM",
                    "kind_sk": cam.subject,
                    **cam.model_dump(mode="json"),
                }
                return self._put(item, absent)
            case PutPreferences(preferences=p):
                item = {
                    "pk": _user_key(p.subject),
                    "sk": "PREFERENCES",
                    "subject": p.subject,
                    "version": p.version,
                    **p.values.model_dump(mode="json"),
                }
                if p.version == 1:
                    return self._put(item, absent)
                return self._put(item, "version = :previous", {":previous": p.version - 1})
            case ClaimMembership(subject=subject, account_id=account_id):
                return self._standing(
                    subject,
                    "ADD #member_of :account",
                    {":account": {account_id}},
                    condition="attribute_not_exists(#staff)",
                )
            case ReleaseMembership(subject=subject, account_id=account_id):
                return self._standing(
                    subject, "DELETE #member_of :account", {":account": {account_id}}
                )
            case ClaimStaff(subject=subject):
                return self._standing(
                    subject,
                    "SET #staff = :staff",
                    {":staff": True},
                    condition="attribute_not_exists(#member_of)",
                )
            case RecordEvent(event_id=event_id):
                return self._put({"pk": f"EVENT#{event_id}", "sk": "RECORDED"}, absent)
            case PutCreationReceipt(receipt=r):
                pk, sk = _receipt_key(r.caller, r.idempotency_key)
                item = {
                    "pk": pk,
                    "sk": sk,
                    "fingerprint": r.fingerprint,
                    "account": r.account.model_dump(mode="json"),
                    "answered_at": r.answered_at.isoformat(),
                    "expires_at": _epoch(r.expires_at),
                }
                return self._put(
                    item,
                    "attribute_not_exists(pk) OR expires_at <= :now",
                    {":now": _epoch(r.answered_at)},
                )
            case PutPublisherName(publisher_id=publisher_id, name=name):
                item = {"pk": f"PUBLISHER#{publisher_id}", "sk": "PUBLISHER", "name": name}
                return {"Put": {"TableName": self._table, "Item": _to_ddb(item)}}
        raise TypeError(f"unknown change {change!r}")

    # ---- reads

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        found = self._client.get_item(
            TableName=self._table, Key=_to_ddb({"pk": pk, "sk": sk}), ConsistentRead=True
        )
        return _from_ddb(found["Item"]) if "Item" in found else None

    def _query(self, **kwargs: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        paginator = self._client.get_paginator("query")
        for page in paginator.paginate(TableName=self._table, **kwargs):
            items += [_from_ddb(item) for item in page["Items"]]
        return items

    def _partition(self, pk: str, sk_prefix: str) -> list[dict[str, Any]]:
        return self._query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=_to_ddb({":pk": pk, ":prefix": sk_prefix}),
            ConsistentRead=True,
        )

    def _index(self, index: str, prefix: str, value: str, sk_prefix: str = "") -> list[Any]:
        condition = f"{prefix}_pk = :pk"
        values = {":pk": value}
        if sk_prefix:
            condition += f" AND begins_with({prefix}_sk, :prefix)"
            values[":prefix"] = sk_prefix
        return self._query(
            IndexName=index,
            KeyConditionExpression=condition,
            ExpressionAttributeValues=_to_ddb(values),
        )

    def chain_head(self, chain: str) -> ChainHead | None:
        item = self._get(_audit_pk(chain), HEAD_SK)
        return ChainHead(seq=item["seq"], hash=item["hash"]) if item else None

    def event_recorded(self, event_id: str) -> bool:
        return self._get(f"EVENT#{event_id}", "RECORDED") is not None

    def publisher_name(self, publisher_id: str) -> str | None:
        item = self._get(f"PUBLISHER#{publisher_id}", "PUBLISHER")
        return str(item["name"]) if item else None

    def creation_receipt(self, caller: str, idempotency_key: str) -> CreationReceipt | None:
        item = self._get(*_receipt_key(caller, idempotency_key))
        if item is None:
            return None
        return CreationReceipt(
            caller=caller,
            idempotency_key=idempotency_key,
            fingerprint=item["fingerprint"],
            account=_model(Account, item["account"]),
            answered_at=item["answered_at"],
            expires_at=datetime.fromtimestamp(item["expires_at"], UTC),
        )

    def get_account(self, account_id: str) -> Account | None:
        item = self._get(_account_key(account_id), "ACCOUNT")
        return _model(Account, item) if item else None

    def list_accounts(self) -> list[Account]:
        return [_model(Account, item) for item in self._index(BY_KIND, "kind", "ACCOUNT")]

    def get_membership(self, account_id: str, subject: str) -> Membership | None:
        item = self._get(_account_key(account_id), f"MEMBER#{subject}")
        return _model(Membership, item) if item else None

    def list_memberships(self, account_id: str) -> list[Membership]:
        return [
            _model(Membership, item)
            for item in self._partition(_account_key(account_id), "MEMBER#")
        ]

    def memberships_of(self, subject: str) -> list[Membership]:
        items = self._index(BY_USER, "byuser", f"USER#{subject}", "MEMBER#")
        return [_model(Membership, item) for item in items]

    def get_cam(self, subject: str) -> Cam | None:
        item = self._get(f"CAM#{subject}", "CAM")
        return _model(Cam, item) if item else None

    def list_cams(self) -> list[Cam]:
        return [_model(Cam, item) for item in self._index(BY_KIND, "kind", "CAM")]

    def get_cam_assignment(self, account_id: str, subject: str) -> CamAssignment | None:
        item = self._get(_account_key(account_id), f"CAM#{subject}")
        return _model(CamAssignment, item) if item else None

    def cam_assignments_of_account(self, account_id: str) -> list[CamAssignment]:
        return [
            _model(CamAssignment, item)
            for item in self._partition(_account_key(account_id), "CAM#")
        ]

    def cam_assignments_of(self, subject: str) -> list[CamAssignment]:
        items = self._index(BY_USER, "byuser", f"USER#{subject}", "CAM#")
        return [_model(CamAssignment, item) for item in items]

    def get_preferences(self, subject: str) -> Preferences | None:
        item = self._get(_user_key(subject), "PREFERENCES")
        if item is None:
            return None
        values = {k: item[k] for k in PreferenceValues.model_fields}
        return Preferences(
            subject=subject, values=PreferenceValues(**values), version=item["version"]
        )

    def audit_page(self, chain: str, limit: int, before_seq: int | None) -> list[AuditEntry]:
        upper = _entry_sk(before_seq - 1) if before_seq is not None else f"{ENTRY_PREFIX}~"
        found = self._client.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND sk BETWEEN :low AND :high",
            ExpressionAttributeValues=_to_ddb(
                {":pk": _audit_pk(chain), ":low": f"{ENTRY_PREFIX}0", ":high": upper}
            ),
            ScanIndexForward=False,
            Limit=limit,
            ConsistentRead=True,
        )
        return [_model(AuditEntry, _from_ddb(item)) for item in found["Items"]]

    def staff_audit_page(self, limit: int, before: str | None) -> list[AuditEntry]:
        values = {":pk": STAFF_AUDIT_KIND}
        condition = "kind_pk = :pk"
        if before is not None:
            condition += " AND kind_sk < :before"
            values[":before"] = before
        found = self._client.query(
            TableName=self._table,
            IndexName=BY_KIND,
            KeyConditionExpression=condition,
            ExpressionAttributeValues=_to_ddb(values),
            ScanIndexForward=False,
            Limit=limit,
        )
        return [_model(AuditEntry, _from_ddb(item)) for item in found["Items"]]

    def audit_entries(self, chain: str) -> list[StoredEntry]:
        stored = []
        for item in self._partition(_audit_pk(chain), ENTRY_PREFIX):
            position = int(item.pop("sk").removeprefix(ENTRY_PREFIX))
            item.pop("pk")
            kind, listed_at = (item.pop(key, None) for key in INDEX_KEYS)  # not hashed
            listed = str(listed_at) if kind == STAFF_AUDIT_KIND and listed_at else None
            stored.append(StoredEntry(position=position, fields=item, staff_listed_at=listed))
        return stored


def _model(model: Any, item: dict[str, Any]) -> Any:
    fields = model.model_fields
    return model.model_validate({k: v for k, v in item.items() if k in fields})
