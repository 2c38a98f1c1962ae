"""The document library on DynamoDB: heads, versions, quarantined files, bundles, and the
outbox events written in the same transaction as each change (`keys.py` for the layout)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from botocore.exceptions import ClientError

from common.outbox import outbox_put
from contracts.envelope import EventEnvelope
from services.documents.adapters import keys
from services.documents.adapters.dynamo import (
    from_item,
    query_items,
    to_item,
    transaction_cancelled,
)
from services.documents.logic.ports import FAILED, PENDING, Bundle, KindPage, ListFilter
from services.documents.models.domain import (
    Document,
    DocumentKind,
    DocumentVersion,
    Origin,
    VersionStatus,
)

QUERY_PAGE = 200


def version_values(version: DocumentVersion) -> dict[str, Any]:
    return {
        "account_id": version.account_id,
        "document_id": version.document_id,
        "version": version.version,
        "kind": version.kind.value,
        "title": version.title,
        "related_reference": version.related_reference,
        "issued_on": version.issued_on.isoformat(),
        "origin": version.origin.value,
        "status": version.status.value,
        "file_name": version.file_name,
        "content_type": version.content_type,
        "size_bytes": version.size_bytes,
        "sha256": version.sha256,
        "object_key": version.object_key,
        "created_at": version.created_at.isoformat(),
        "reason": version.reason,
        "changed_by": version.changed_by,
        "changed_at": version.changed_at.isoformat() if version.changed_at else None,
    }


def version_from(values: dict[str, Any]) -> DocumentVersion:
    changed_at = values.get("changed_at")
    return DocumentVersion(
        account_id=values["account_id"],
        document_id=values["document_id"],
        version=int(values["version"]),
        kind=DocumentKind(values["kind"]),
        title=values["title"],
        related_reference=values.get("related_reference"),
        issued_on=date.fromisoformat(values["issued_on"]),
        origin=Origin(values["origin"]),
        status=VersionStatus(values["status"]),
        file_name=values["file_name"],
        content_type=values["content_type"],
        size_bytes=int(values["size_bytes"]),
        sha256=values["sha256"],
        object_key=values["object_key"],
        created_at=datetime.fromisoformat(values["created_at"]),
        reason=values.get("reason"),
        changed_by=values.get("changed_by"),
        changed_at=datetime.fromisoformat(changed_at) if changed_at else None,
    )


def head_values(version: DocumentVersion) -> dict[str, Any]:
    return {
        **version_values(version),
        "pk": keys.account_pk(version.account_id),
        "sk": keys.head_sk(version.document_id),
        "gsi1pk": keys.kind_pk(version.account_id, version.kind),
        "gsi1sk": keys.list_sk(version.issued_on.isoformat(), version.document_id),
        "title_lower": version.title.lower(),
    }


class DynamoDocumentStore:
    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        found = self._db.get_item(
            TableName=self._table, Key=to_item({"pk": pk, "sk": sk}), ConsistentRead=True
        ).get("Item")
        return from_item(found) if found else None

    def version(self, account_id: str, document_id: str, version: int) -> DocumentVersion | None:
        item = self._get(keys.account_pk(account_id), keys.version_sk(document_id, version))
        return version_from(item) if item else None

    def current(self, account_id: str, document_id: str) -> DocumentVersion | None:
        item = self._get(keys.account_pk(account_id), keys.head_sk(document_id))
        return version_from(item) if item else None

    def pending_version(
        self, account_id: str, document_id: str, version: int
    ) -> DocumentVersion | None:
        item = self._get(keys.account_pk(account_id), keys.pending_sk(document_id, version))
        return version_from(item) if item else None

    def document(self, account_id: str, document_id: str) -> Document | None:
        items = list(
            query_items(
                self._db,
                TableName=self._table,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues=to_item(
                    {
                        ":pk": keys.account_pk(account_id),
                        ":prefix": keys.document_prefix(document_id),
                    }
                ),
                ConsistentRead=True,
            )
        )
        head = next((i for i in items if i["sk"] == keys.head_sk(document_id)), None)
        if head is None:
            return None
        versions = sorted(
            (version_from(i) for i in items if i["sk"] != head["sk"]),
            key=lambda v: v.version,
            reverse=True,
        )
        return Document(head=version_from(head), versions=tuple(versions))

    def _write(self, items: list[dict[str, Any]]) -> bool:
        try:
            self._db.transact_write_items(TransactItems=items)
        except ClientError as error:
            if transaction_cancelled(error):
                return False
            raise
        return True

    def _outbox(self, events: Sequence[EventEnvelope[Any]]) -> list[dict[str, Any]]:
        return [outbox_put(self._table, event) for event in events]

    def issue(
        self,
        version: DocumentVersion,
        *,
        make_head: bool,
        previous: DocumentVersion | None,
        events: Sequence[EventEnvelope[Any]],
    ) -> bool:
        pk = keys.account_pk(version.account_id)
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(
                        {
                            **version_values(version),
                            "pk": pk,
                            "sk": keys.version_sk(version.document_id, version.version),
                        }
                    ),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
        ]
        if make_head:
            head: dict[str, Any] = {
                "TableName": self._table,
                "Item": to_item(head_values(version)),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
            if previous is not None:
                head["ConditionExpression"] = "#v = :v AND #s = :s"
                head["ExpressionAttributeNames"] = {"#v": "version", "#s": "status"}
                head["ExpressionAttributeValues"] = to_item(
                    {":v": previous.version, ":s": previous.status.value}
                )
            items.append({"Put": head})
            if previous is not None and previous.status is VersionStatus.AVAILABLE:
                items.append(
                    self._status_update(previous, VersionStatus.SUPERSEDED, VersionStatus.AVAILABLE)
                )
        return self._write(items + self._outbox(events))

    def _status_update(
        self,
        version: DocumentVersion,
        to: VersionStatus,
        expected: VersionStatus,
        extra: dict[str, Any] | None = None,
        sk: str | None = None,
    ) -> dict[str, Any]:
        values = {"status": to.value, **(extra or {})}
        sets = ", ".join(f"#{name} = :{name}" for name in values)
        return {
            "Update": {
                "TableName": self._table,
                "Key": to_item(
                    {
                        "pk": keys.account_pk(version.account_id),
                        "sk": sk or keys.version_sk(version.document_id, version.version),
                    }
                ),
                "UpdateExpression": f"SET {sets}",
                "ConditionExpression": "#status = :expected AND #version = :version",
                "ExpressionAttributeNames": {
                    **{f"#{name}": name for name in values},
                    "#version": "version",
                },
                "ExpressionAttributeValues": to_item(
                    {
                        **{f":{name}": value for name, value in values.items()},
                        ":expected": expected.value,
                        ":version": version.version,
                    }
                ),
            }
        }

    def change_status(
        self,
        version: DocumentVersion,
        to: VersionStatus,
        *,
        reason: str | None,
        changed_by: str | None,
        at: datetime,
        events: Sequence[EventEnvelope[Any]],
        make_head: bool,
    ) -> bool:
        extra = {"reason": reason, "changed_by": changed_by, "changed_at": at.isoformat()}
        extra = {k: v for k, v in extra.items() if v is not None}
        items = [self._status_update(version, to, version.status, extra)]
        if make_head:
            items.append(
                self._status_update(
                    version, to, version.status, extra, keys.head_sk(version.document_id)
                )
            )
        return self._write(items + self._outbox(events))

    def pending(self, version: DocumentVersion) -> bool:
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item(
                    {
                        **version_values(version),
                        "pk": keys.account_pk(version.account_id),
                        "sk": keys.pending_sk(version.document_id, version.version),
                    }
                ),
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as error:
            if transaction_cancelled(error):
                return False
            raise
        return True

    def list_kind(
        self, account_id: str, kind: DocumentKind, where: ListFilter, limit: int, budget: int
    ) -> KindPage:
        lower = f"{where.issued_from.isoformat()}#" if where.issued_from else "0"
        upper = f"{where.issued_to.isoformat()}#{keys.HIGHEST}" if where.issued_to else keys.HIGHEST
        if where.before is not None and where.before <= upper:
            upper = where.before
        if upper < lower:
            return KindPage(matches=[], horizon=None)
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "bykind",
            "KeyConditionExpression": "gsi1pk = :pk AND gsi1sk BETWEEN :lower AND :upper",
            "ScanIndexForward": False,
        }
        values: dict[str, Any] = {
            ":pk": keys.kind_pk(account_id, kind),
            ":lower": lower,
            ":upper": upper,
        }
        filters = []
        if where.related_reference is not None:
            filters.append("related_reference = :ref")
            values[":ref"] = where.related_reference
        if where.text is not None:
            filters.append("contains(title_lower, :text)")
            values[":text"] = where.text
        if filters:
            request["FilterExpression"] = " AND ".join(filters)
        request["ExpressionAttributeValues"] = to_item(values)
        return self._read_matches(request, where.before, limit, budget)

    def _read_matches(
        self, request: dict[str, Any], before: str | None, limit: int, budget: int
    ) -> KindPage:
        matches: list[DocumentVersion] = []
        while budget > 0:
            request["Limit"] = min(budget, QUERY_PAGE)
            response = self._db.query(**request)
            budget -= int(response.get("ScannedCount", 0)) or request["Limit"]
            for raw in response.get("Items", []):
                item = from_item(raw)
                if before is not None and item["gsi1sk"] >= before:
                    continue
                matches.append(version_from(item))
                if len(matches) == limit:
                    return KindPage(matches, horizon=item["gsi1sk"])
            last = response.get("LastEvaluatedKey")
            if not last:
                return KindPage(matches, horizon=None)
            request["ExclusiveStartKey"] = last
        return KindPage(matches, horizon=from_item(last)["gsi1sk"])

    def put_bundle(self, bundle: Bundle, events: Sequence[EventEnvelope[Any]]) -> None:
        put = {
            "Put": {
                "TableName": self._table,
                "Item": to_item(_bundle_values(bundle)),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        if not self._write([put, *self._outbox(events)]):
            raise RuntimeError(f"bundle {bundle.bundle_id} exists")

    def bundle(self, account_id: str, bundle_id: str) -> Bundle | None:
        item = self._get(keys.account_pk(account_id), keys.bundle_sk(bundle_id))
        return _bundle_from(item) if item else None

    def finish_bundle(self, bundle: Bundle) -> bool:
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item(_bundle_values(bundle)),
                ConditionExpression="#status = :pending",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_item({":pending": PENDING}),
            )
        except ClientError as error:
            if transaction_cancelled(error):
                return False
            raise
        return True

    def bundles(self, account_id: str) -> list[Bundle]:
        found = query_items(
            self._db,
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :bundle)",
            ExpressionAttributeValues=to_item(
                {":pk": keys.account_pk(account_id), ":bundle": keys.bundle_sk("")}
            ),
            ConsistentRead=True,
        )
        return [_bundle_from(item) for item in found]

    def void_bundle(self, bundle: Bundle, reason: str) -> None:
        key = {"pk": keys.account_pk(bundle.account_id), "sk": keys.bundle_sk(bundle.bundle_id)}
        try:
            self._db.update_item(
                TableName=self._table,
                Key=to_item(key),
                UpdateExpression="SET #status = :failed, reason = :reason",
                ConditionExpression="attribute_exists(pk) AND #status <> :failed",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_item({":failed": FAILED, ":reason": reason}),
            )
        except ClientError as error:
            if not transaction_cancelled(error):
                raise


def _bundle_values(bundle: Bundle) -> dict[str, Any]:
    return {
        "pk": keys.account_pk(bundle.account_id),
        "sk": keys.bundle_sk(bundle.bundle_id),
        "account_id": bundle.account_id,
        "bundle_id": bundle.bundle_id,
        "requested_by": bundle.requested_by,
        "kinds": [k.value for k in bundle.kinds],
        "issued_from": bundle.issued_from.isoformat(),
        "issued_to": bundle.issued_to.isoformat(),
        "status": bundle.status,
        "requested_at": bundle.requested_at.isoformat(),
        "expires_at": int(bundle.expires_at.timestamp()),
        "document_count": bundle.document_count,
        "size_bytes": bundle.size_bytes,
        "sha256": bundle.sha256,
        "object_key": bundle.object_key,
        "reason": bundle.reason,
    }


def _bundle_from(item: dict[str, Any]) -> Bundle:
    return Bundle(
        account_id=item["account_id"],
        bundle_id=item["bundle_id"],
        requested_by=item["requested_by"],
        kinds=tuple(DocumentKind(k) for k in item["kinds"]),
        issued_from=date.fromisoformat(item["issued_from"]),
        issued_to=date.fromisoformat(item["issued_to"]),
        status=item["status"],
        requested_at=datetime.fromisoformat(item["requested_at"]),
        expires_at=datetime.fromtimestamp(int(item["expires_at"]), UTC),
        document_count=int(item.get("document_count", 0)),
        size_bytes=int(item.get("size_bytes", 0)),
        sha256=item.get("sha256"),
        object_key=item.get("object_key"),
        reason=item.get("reason"),
    )
