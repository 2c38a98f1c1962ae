"""Uploads on the `records` table (progress + rejected rows) and the `files` bucket."""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from common.csv_export import SafeCsvWriter
from common.outbox import outbox_put
from common.sortable_time import sortable_instant
from contracts.envelope import EventEnvelope
from services.provisioning.logic.upload_claims import ClaimLost
from services.provisioning.logic.uploads import UnusableFile
from services.provisioning.models.uploads import (
    FINISHED,
    Counts,
    RejectedRow,
    Upload,
    UploadStatus,
)

REJECTIONS_HEADER = ("row", "reference", "field", "reason")


def _upload_key(upload_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"UPLOAD#{upload_id}"}, "sk": {"S": "UPLOAD"}}


def rejections_object_key(publisher_id: str, upload_id: str) -> str:
    return f"rejections/{publisher_id}/{upload_id}.csv"


class DynamoUploadStore:
    def __init__(self, dynamodb: Any, s3: Any, table: str, bucket: str) -> None:
        self._db = dynamodb
        self._s3 = s3
        self._table = table
        self._bucket = bucket

    def create(self, upload: Upload) -> None:
        self._db.put_item(
            TableName=self._table,
            Item={
                **_upload_key(upload.upload_id),
                "upload": {"S": upload.model_dump_json()},
                "status": {"S": upload.status.value},
            },
            ConditionExpression="attribute_not_exists(pk)",
        )

    def get(self, upload_id: str) -> Upload | None:
        item = self._db.get_item(
            TableName=self._table, Key=_upload_key(upload_id), ConsistentRead=True
        ).get("Item")
        return Upload.model_validate_json(item["upload"]["S"]) if item else None

    def _update(self, upload: Upload, expected: UploadStatus | None = None) -> dict[str, Any]:
        """The upload and its `status` attribute, set together; with `expected`, only if the
        stored status is still that one; for a claimed copy, only while its run holds the
        claim. A finished upload's write ends the claim."""
        conditions: list[str] = []
        values: dict[str, Any] = {
            ":upload": {"S": upload.model_dump_json()},
            ":status": {"S": upload.status.value},
        }
        if expected is not None:
            conditions.append("#status = :expected")
            values[":expected"] = {"S": expected.value}
        if upload.claimed_by is not None:
            conditions.append("claimed_by = :owner")
            values[":owner"] = {"S": upload.claimed_by}
        expression = "SET upload = :upload, #status = :status"
        if upload.status in FINISHED:
            expression += " REMOVE claimed_by, lease_until"
        update: dict[str, Any] = {
            "TableName": self._table,
            "Key": _upload_key(upload.upload_id),
            "UpdateExpression": expression,
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": values,
        }
        if conditions:
            update["ConditionExpression"] = " AND ".join(conditions)
        return update

    def claim(self, upload_id: str, owner: str, now: datetime, lease_seconds: int) -> Upload | None:
        """`claimed_by` + `lease_until` on an unfinished upload whose claim is free or
        expired; the upload as stored then (the previous run's last progress included)."""
        finished = {f":finished{n}": {"S": s.value} for n, s in enumerate(sorted(FINISHED))}
        try:
            item = self._db.update_item(
                TableName=self._table,
                Key=_upload_key(upload_id),
                UpdateExpression="SET claimed_by = :owner, lease_until = :until",
                ConditionExpression=(
                    f"attribute_exists(pk) AND NOT (#status IN ({', '.join(finished)})) AND "
                    "(attribute_not_exists(claimed_by) OR lease_until < :now)"
                ),
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":owner": {"S": owner},
                    ":until": {"S": sortable_instant(now + timedelta(seconds=lease_seconds))},
                    ":now": {"S": sortable_instant(now)},
                    **finished,
                },
                ReturnValues="ALL_NEW",
            )["Attributes"]
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            raise
        upload = Upload.model_validate_json(item["upload"]["S"])
        return upload.model_copy(update={"claimed_by": owner})

    def release(self, upload: Upload) -> None:
        """Remove the claim if `upload.claimed_by` still holds it."""
        try:
            self._db.update_item(
                TableName=self._table,
                Key=_upload_key(upload.upload_id),
                UpdateExpression="REMOVE claimed_by, lease_until",
                ConditionExpression="claimed_by = :owner",
                ExpressionAttributeValues={":owner": {"S": upload.claimed_by or ""}},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def queue(self, upload: Upload, event: EventEnvelope[Any]) -> bool:
        """Mark the upload queued and emit its event, once (False if already queued)."""
        try:
            self._db.transact_write_items(
                TransactItems=[
                    {"Update": self._update(upload, UploadStatus.AWAITING_FILE)},
                    outbox_put(self._table, event),
                ]
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "TransactionCanceledException":
                return False
            raise
        return True

    def fail(self, upload: Upload) -> bool:
        """Mark an upload still awaiting its file FAILED (False if it had moved on)."""
        try:
            self._db.update_item(**self._update(upload, UploadStatus.AWAITING_FILE))
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def save(self, upload: Upload) -> None:
        try:
            self._db.update_item(**self._update(upload))
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise ClaimLost(f"{upload.upload_id} is no longer {upload.claimed_by}'s") from error
            raise

    def save_progress(
        self, upload: Upload, last_line: int, totals: Counts, rejected: list[RejectedRow]
    ) -> None:
        progressed = upload.progressed(last_line, totals).model_copy(
            update={"updated_at": datetime.now(UTC)}
        )
        items: list[dict[str, Any]] = [{"Update": self._update(progressed)}]
        if rejected:
            items.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": {
                            "pk": {"S": f"UPLOAD#{upload.upload_id}"},
                            "sk": {"S": f"REJECTED#{last_line:012d}"},
                            "rows": {"S": json.dumps([r.model_dump() for r in rejected])},
                        },
                    }
                }
            )
        try:
            self._db.transact_write_items(TransactItems=items)
        except ClientError as error:
            reasons = error.response.get("CancellationReasons") or [{}]
            if reasons[0].get("Code") == "ConditionalCheckFailed":
                raise ClaimLost(f"{upload.upload_id} is no longer {upload.claimed_by}'s") from error
            raise

    def rejected_rows(self, upload_id: str) -> Iterator[RejectedRow]:
        """Every rejected row, in file order, page by page."""
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :rejected)",
            "ExpressionAttributeValues": {
                ":pk": {"S": f"UPLOAD#{upload_id}"},
                ":rejected": {"S": "REJECTED#"},
            },
            "ConsistentRead": True,
        }
        while True:
            page = self._db.query(**kwargs)
            for item in page.get("Items", []):
                for row in json.loads(item["rows"]["S"]):
                    yield RejectedRow.model_validate(row)
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def write_rejections_csv(self, upload: Upload) -> str:
        """The rejected rows as a CSV object (spooled through /tmp: memory stays flat)."""
        key = rejections_object_key(upload.publisher_id, upload.upload_id)
        with tempfile.TemporaryFile("w+b") as spool:
            # a rejected value may hold what UTF-8 cannot (a lone surrogate from JSON)
            text = io.TextIOWrapper(spool, encoding="utf-8", errors="backslashreplace", newline="")
            writer = SafeCsvWriter(text)
            writer.writerow(REJECTIONS_HEADER)
            for row in self.rejected_rows(upload.upload_id):
                writer.writerow([row.row, row.reference, row.field, row.reason])
            text.flush()
            text.detach()
            spool.seek(0)
            self._s3.upload_fileobj(spool, self._bucket, key, ExtraArgs={"ContentType": "text/csv"})
        return key

    def object_size(self, key: str) -> int | None:
        try:
            head = self._s3.head_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return int(head["ContentLength"])

    def lines(self, key: str) -> Iterator[str]:
        body = self._s3.get_object(Bucket=self._bucket, Key=key)["Body"]
        lines = body.iter_lines(chunk_size=1 << 16, keepends=True)  # for quoted line breaks
        for number, line in enumerate(lines, start=1):
            try:
                yield line.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise UnusableFile(
                    f"line {number} is not UTF-8 text (byte {exc.start + 1} of the line): "
                    "save the file as UTF-8"
                ) from exc

    def upload_url(self, key: str, content_type: str, expires_in: int) -> str:
        url: str = self._s3.generate_presigned_url(
            "put_object",
            Params={"Bucket": self._bucket, "Key": key, "ContentType": content_type},
            ExpiresIn=expires_in,
        )
        return url

    def rejections_url(self, upload: Upload, expires_in: int) -> str:
        """A presigned GET of the CSV `write_rejections_csv` wrote."""
        key = rejections_object_key(upload.publisher_id, upload.upload_id)
        url: str = self._s3.generate_presigned_url(
            "get_object", Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=expires_in
        )
        return url
