"""The access projection's storage: identity's events applied to a consuming service's own
table, and the `AccessSource` that reads it (and identity's own table, same shape).

Items (in the consumer's table): pk `ACCESS#<account>`, sk `ACCOUNT` | `MEMBER#<sub>` |
`CAM#<sub>`, each with `status`, `sequence` and for members `role` + `permissions`
(the account item also its `name`; an assigned CAM item the keys of the sparse `bycam`
index, which lists a CAM's accounts: `assigned_accounts`); and `PERSON#<sub>` with the
member's email. A write is applied only if its event's sequence is newer than the item's,
so duplicates and reordering change nothing; revocations stay as tombstones to beat late
grants. The email has its own item because AccessChanged carries none: a change that
overtakes its grant must not cost the person their email.
"""

from __future__ import annotations

import random
import time
from typing import Any

import boto3
from botocore.exceptions import ClientError

from common.access.guard import (
    AccessFacts,
    AccountRoster,
    AccountStatus,
    AssignedAccount,
    AssignedAccounts,
)
from common.access.keys import (
    ACCOUNT_SK,
    CAM_ACCOUNTS_INDEX,
    CAM_ASSIGNED,
    CAM_INDEX_PK,
    CAM_INDEX_SK,
    CAM_UNASSIGNED,
    MEMBER_ACTIVE,
    MEMBER_REVOKED,
    PROJECTION_PK_PREFIX,
    cam_sk,
    member_sk,
    person_sk,
)
from common.errors import Unavailable
from contracts.envelope import EventEnvelope
from contracts.events import identity as events

BATCH_GET_ATTEMPTS = 5


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
                return self._account(pk, data, AccountStatus.ACTIVE, envelope, name=data.name)
            case events.AccountReactivatedData():
                return self._account(pk, data, AccountStatus.ACTIVE, envelope)
            case events.AccountSuspendedData():
                return self._account(pk, data, AccountStatus.SUSPENDED, envelope)
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
                item = {
                    "sk": cam_sk(data.subject),
                    "status": CAM_ASSIGNED,
                    CAM_INDEX_PK: data.subject,
                    CAM_INDEX_SK: data.account_id,
                }
            case events.CamUnassignedData():
                # A whole-item put: the index keys go with the assignment.
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

    def _account(
        self,
        pk: str,
        data: events.AccountEventData,
        status: AccountStatus,
        envelope: EventEnvelope[Any],
        name: str | None = None,
    ) -> bool:
        """The account item: its status follows the newest sequence; its name (only
        `AccountCreated` carries it, and it never changes) is kept whatever the order, so
        a status change that overtook the creation does not lose it."""
        names = {"#seq": "sequence", "#status": "status"}
        values: dict[str, Any] = {
            ":seq": data.sequence,
            ":status": status.value,
            ":event": str(envelope.event_id),
        }
        assignments = "SET #status = :status, #seq = :seq, event_id = :event"
        if name is not None:
            names["#name"] = "name"
            values[":name"] = name
            assignments += ", #name = :name"
        key = {"pk": pk, "sk": ACCOUNT_SK}
        try:
            self._table.update_item(
                Key=key,
                UpdateExpression=assignments,
                ConditionExpression="attribute_not_exists(pk) OR #seq < :seq",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
            return True
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        if name is None:
            return False
        try:
            self._table.update_item(
                Key=key,
                UpdateExpression="SET #name = :name",
                ConditionExpression="attribute_exists(pk) AND attribute_not_exists(#name)",
                ExpressionAttributeNames={"#name": "name"},
                ExpressionAttributeValues={":name": name},
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
        found = self._batch_get({self._table_name: {"Keys": keys, "ConsistentRead": True}})
        items = {item["sk"]: item for item in found}
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

    def assigned_accounts(
        self, subject: str, limit: int, after: str | None = None
    ) -> AssignedAccounts:
        """The accounts `subject` is assigned to as CAM, in account id order, after the
        account id `after`: one Query of the sparse `bycam` index (eventually consistent:
        callers re-check each account with `facts`) + one BatchGetItem of their names.
        The table must declare the index (`access_table(cam_accounts=True)`)."""
        table = self._resource.Table(self._table_name)
        condition = f"{CAM_INDEX_PK} = :subject"
        values: dict[str, Any] = {":subject": subject}
        if after is not None:
            condition += f" AND {CAM_INDEX_SK} > :after"
            values[":after"] = after
        query: dict[str, Any] = {
            "IndexName": CAM_ACCOUNTS_INDEX,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "Limit": limit + 1,
        }
        found: list[str] = []
        while len(found) <= limit:
            page = table.query(**query)
            found += [str(item[CAM_INDEX_SK]) for item in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                break
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        more = len(found) > limit
        accounts = found[:limit]
        names = self.account_names(accounts)
        return AssignedAccounts([AssignedAccount(a, names.get(a)) for a in accounts], more)

    def account_names(self, accounts: list[str]) -> dict[str, str]:
        """Account id -> name, for those of `accounts` whose creation reached the
        projection: one BatchGetItem per 100 accounts (+ retries of unprocessed keys)."""
        names: dict[str, str] = {}
        for start in range(0, len(accounts), 100):
            keys: list[dict[str, str]] = [
                {"pk": f"{self._pk_prefix}{a}", "sk": ACCOUNT_SK}
                for a in accounts[start : start + 100]
            ]
            request: dict[str, Any] = {
                self._table_name: {
                    "Keys": keys,
                    "ProjectionExpression": "pk, #name",
                    "ExpressionAttributeNames": {"#name": "name"},
                }
            }
            for item in self._batch_get(request):
                if item.get("name"):
                    names[str(item["pk"]).removeprefix(self._pk_prefix)] = str(item["name"])
        return names

    def _batch_get(self, request: dict[str, Any]) -> list[dict[str, Any]]:
        """Every item of a BatchGetItem, its unprocessed keys (throttling) asked again with
        backoff: a fact left unread would read as absent (an account's status as unknown,
        so a suspension unseen); when they stay unread the caller is told to retry."""
        items: list[dict[str, Any]] = []
        for attempt in range(BATCH_GET_ATTEMPTS):
            found = self._resource.batch_get_item(RequestItems=request)
            items += found["Responses"].get(self._table_name, [])
            request = found.get("UnprocessedKeys") or {}
            if not request:
                return items
            time.sleep(random.uniform(0, 0.05 * 2**attempt))  # noqa: S311 - jitter, not a secret
        raise Unavailable("The access store is busy; retry.", retry_after_seconds=1)
