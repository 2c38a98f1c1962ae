"""The access projection's storage: identity's events applied to a consuming service's own
table, and the `AccessSource` that reads it (and identity's own table, same shape).

Items (in the consumer's table): pk `ACCESS#<account>`, sk `ACCOUNT` | `MEMBER#<sub>` |
`CAM#<sub>`, each with `status`, `sequence` and for members `role` + `permissions`; and
`PERSON#<sub>` with the member's email. A write is applied only if its event's sequence is
newer than the item's, so duplicates and reordering change nothing; revocations stay as
tombstones to beat late grants. The email has its own item because AccessChanged carries
none: a change that overtakes its grant must not cost the person their email.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError

from common.access.guard import AccessFacts, AccountRoster, AccountStatus
from common.access.topology import (
    ACCOUNT_SK,
    CAM_ASSIGNED,
    CAM_UNASSIGNED,
    MEMBER_ACTIVE,
    MEMBER_REVOKED,
    PROJECTION_PK_PREFIX,
    cam_sk,
    member_sk,
    person_sk,
)
from contracts.envelope import EventEnvelope
from contracts.events import identity as events


class AccessProjection:
    """Applies identity's access events to the consumer's table, idempotently."""

    def __init__(self, table_name: str, dynamodb: Any | None = None) -> None:
        self._table = (dynamodb or boto3.resource("dynamodb")).Table(table_name)

    def apply(self, envelope: EventEnvelope[Any]) -> bool:
        """True if the event changed the projection; False if stale, duplicate or not ours."""
        data = envelope.data
        pk = f"{PROJECTION_PK_PREFIX}{getattr(data, 'account_id', '')}"
        item: dict[str, Any]
        match data:
            case events.AccountCreatedData():
                item = {"sk": ACCOUNT_SK, "status": AccountStatus.ACTIVE.value}
            case events.AccountReactivatedData():
                item = {"sk": ACCOUNT_SK, "status": AccountStatus.ACTIVE.value}
            case events.AccountSuspendedData():
                item = {"sk": ACCOUNT_SK, "status": AccountStatus.SUSPENDED.value}
            case events.AccessGrantedData() | events.AccessChangedData():
                item = {
                    "sk": member_sk(data.subject),
                    "status": MEMBER_ACTIVE,
                    "role": data.role,
                    "permissions": list(data.permissions),
                }
            case events.AccessRevokedData():
                item = {"sk": member_sk(data.subject), "status": MEMBER_REVOKED}
            case events.CamAssignedData():
                item = {"sk": cam_sk(data.subject), "status": CAM_ASSIGNED}
            case events.CamUnassignedData():
                item = {"sk": cam_sk(data.subject), "status": CAM_UNASSIGNED}
            case _:
                return False
        stamp = {"pk": pk, "sequence": data.sequence, "event_id": str(envelope.event_id)}
        named = False
        if isinstance(data, events.AccessGrantedData):
            named = self._put_newer({"sk": person_sk(data.subject), "email": data.email} | stamp)
        return self._put_newer(item | stamp) or named

    def _put_newer(self, item: dict[str, Any]) -> bool:
        """Writes `item` unless the table holds the same key at the same or a newer sequence."""
        try:
            self._table.put_item(
                Item=item,
                ConditionExpression="attribute_not_exists(pk) OR #seq < :seq",
                ExpressionAttributeNames={"#seq": "sequence"},
                ExpressionAttributeValues={":seq": item["sequence"]},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True


class DynamoAccessSource:
    """Reads access facts from a table in the projection's shape (any pk prefix): one
    person's facts (`facts`, one BatchGetItem) or an account's whole roster (`roster`, a
    Query of the account's partition: one request per MB, ~4000 members)."""

    def __init__(
        self,
        table_name: str,
        pk_prefix: str = PROJECTION_PK_PREFIX,
        dynamodb: Any | None = None,
    ) -> None:
        self._resource = dynamodb or boto3.resource("dynamodb")
        self._table_name = table_name
        self._pk_prefix = pk_prefix

    def facts(self, account_id: str, subject: str) -> AccessFacts:
        pk = f"{self._pk_prefix}{account_id}"
        sort_keys = (ACCOUNT_SK, member_sk(subject), cam_sk(subject), person_sk(subject))
        keys = [{"pk": pk, "sk": sk} for sk in sort_keys]
        found = self._resource.batch_get_item(
            RequestItems={self._table_name: {"Keys": keys, "ConsistentRead": True}}
        )
        items = {item["sk"]: item for item in found["Responses"].get(self._table_name, [])}
        account = items.get(ACCOUNT_SK)
        member = items.get(member_sk(subject))
        cam = items.get(cam_sk(subject))
        person = items.get(person_sk(subject))
        return AccessFacts(
            account_status=AccountStatus(account["status"]) if account else None,
            member_permissions=(
                frozenset(member.get("permissions", []))
                if member and member.get("status") == MEMBER_ACTIVE
                else None
            ),
            cam_assigned=bool(cam and cam.get("status") == CAM_ASSIGNED),
            member_email=str(person["email"]) if person else None,
        )

    def roster(self, account_id: str) -> AccountRoster:
        table = self._resource.Table(self._table_name)
        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": f"{self._pk_prefix}{account_id}"},
            "ConsistentRead": True,
        }
        status: AccountStatus | None = None
        members: dict[str, frozenset[str]] = {}
        cams: set[str] = set()
        while True:
            page = table.query(**query)
            for item in page.get("Items", []):
                sort_key = str(item["sk"])
                if sort_key == ACCOUNT_SK:
                    status = AccountStatus(item["status"])
                elif sort_key.startswith(member_sk("")) and item.get("status") == MEMBER_ACTIVE:
                    members[sort_key.removeprefix(member_sk(""))] = frozenset(
                        item.get("permissions", [])
                    )
                elif sort_key.startswith(cam_sk("")) and item.get("status") == CAM_ASSIGNED:
                    cams.add(sort_key.removeprefix(cam_sk("")))
            if "LastEvaluatedKey" not in page:
                break
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return AccountRoster(status, members, frozenset(cams))
