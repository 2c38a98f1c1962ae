"""The notifications table (`keys.py` has its layout, `ACCESS_PATTERNS.md` every read):
people, accounts, plans and the inbox here; delivery records and subscriptions beside."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from services.notifications.adapters import items, keys
from services.notifications.adapters.deliveries import DeliveryRecords
from services.notifications.adapters.subscriptions import SubscriptionsAndInvoices
from services.notifications.adapters.table import failed_condition
from services.notifications.adapters.transactions import transact
from services.notifications.logic.ports import (
    DueEntry,
    InboxFilter,
    InboxPage,
    OccurrencePlan,
    VersionMoved,
)
from services.notifications.logic.resolve import RETENTION_DAYS
from services.notifications.models.domain import (
    AccountDefaults,
    Notification,
    Person,
    PersonPreferences,
    Suppression,
)

VERSION_DAYS = RETENTION_DAYS + 10
"""An entity's newest told version is kept this long after it was told: any older version
arriving later happened longer ago than resolve tells at all."""


class DynamoStore(DeliveryRecords, SubscriptionsAndInvoices):
    # -- people -------------------------------------------------------------------------

    def people(self, subjects: Sequence[str]) -> dict[str, Person]:
        wanted = [{"pk": keys.person_pk(s), "sk": "PROFILE"} for s in dict.fromkeys(subjects)]
        found = {item["pk"][2:]: item for item in self._batch_get(wanted)}
        return {s: items.person_of(s, found.get(s)) for s in subjects if s in found}

    def update_contact(
        self, subject: str, group: str, values: dict[str, str], version: int
    ) -> bool:
        names = {f"#f{i}": name for i, name in enumerate(values)}
        names["#v"] = f"{group}_version"
        assigned = {f":f{i}": value for i, value in enumerate(values.values())}
        try:
            self._table.update_item(
                Key={"pk": keys.person_pk(subject), "sk": "PROFILE"},
                UpdateExpression="SET "
                + ", ".join([f"#f{i} = :f{i}" for i in range(len(values))] + ["#v = :v"]),
                ConditionExpression="attribute_not_exists(#v) OR #v < :v",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={**assigned, ":v": version},
            )
        except ClientError as exc:
            if failed_condition(exc):
                return False
            raise
        return True

    def _save_versioned(self, key: dict[str, str], field: str, body: str, version: int) -> None:
        condition = "prefs_version = :prev"
        if version == 1:
            condition = "attribute_not_exists(prefs_version) OR prefs_version = :prev"
        try:
            self._table.update_item(
                Key=key,
                UpdateExpression=f"SET {field} = :body, prefs_version = :v",
                ConditionExpression=condition,
                ExpressionAttributeValues={":body": body, ":v": version, ":prev": version - 1},
            )
        except ClientError as exc:
            if failed_condition(exc):
                raise VersionMoved from exc
            raise

    def save_preferences(self, subject: str, preferences: PersonPreferences) -> None:
        key = {"pk": keys.person_pk(subject), "sk": "PROFILE"}
        self._save_versioned(key, "preferences", preferences.model_dump_json(), preferences.version)

    def set_suppression(self, subject: str, suppression: Suppression | None) -> None:
        key = {"pk": keys.person_pk(subject), "sk": "PROFILE"}
        if suppression is None:
            self._table.update_item(Key=key, UpdateExpression="REMOVE suppression")
            return
        self._table.update_item(
            Key=key,
            UpdateExpression="SET suppression = :s",
            ExpressionAttributeValues={":s": suppression.model_dump(mode="json")},
        )

    # -- accounts -----------------------------------------------------------------------

    def account_name(self, account_id: str) -> str | None:
        item = self._table.get_item(Key={"pk": keys.account_pk(account_id), "sk": "ACCOUNT"})
        found = item.get("Item")
        return str(found["name"]) if found else None

    def put_account_name(self, account_id: str, name: str) -> None:
        self._table.put_item(
            Item={"pk": keys.account_pk(account_id), "sk": "ACCOUNT", "name": name}
        )

    def account_defaults(self, account_id: str) -> AccountDefaults:
        item = self._table.get_item(Key={"pk": keys.account_pk(account_id), "sk": "DEFAULTS"})
        found = item.get("Item")
        if not found:
            return AccountDefaults(account_id=account_id)
        return AccountDefaults.model_validate_json(found["defaults"])

    def save_account_defaults(self, defaults: AccountDefaults) -> None:
        key = {"pk": keys.account_pk(defaults.account_id), "sk": "DEFAULTS"}
        self._save_versioned(key, "defaults", defaults.model_dump_json(), defaults.version)

    # -- resolve ------------------------------------------------------------------------

    def plan(self, occurrence_id: str) -> OccurrencePlan | None:
        found = self._table.get_item(
            Key={"pk": keys.plan_pk(occurrence_id), "sk": "PLAN"}, ConsistentRead=True
        ).get("Item")
        return items.plan_of(found) if found else None

    def put_plan(self, plan: OccurrencePlan) -> OccurrencePlan:
        try:
            self._table.put_item(
                Item=items.plan_item(plan), ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as exc:
            if not failed_condition(exc):
                raise
            existing = self.plan(plan.occurrence.occurrence_id)
            assert existing is not None
            return existing
        return plan

    def create(self, notifications: Sequence[Notification], due: Sequence[DueEntry]) -> None:
        actions = [self._put_if_absent(items.notification_item(n)) for n in notifications]
        actions += [self._put_if_absent(items.due_item(entry)) for entry in due]
        transact(self._client, actions)

    def keep_newest_version(
        self, account_id: str, entity: str, reference: str, version: int
    ) -> int | None:
        try:
            kept = self._table.update_item(
                Key={"pk": keys.account_pk(account_id), "sk": keys.version_sk(entity, reference)},
                UpdateExpression="SET #v = :v, expires_at = :e, #f = if_not_exists(#f, :v)",
                ConditionExpression="attribute_not_exists(#v) OR #v <= :v",
                ExpressionAttributeNames={"#v": "version", "#f": "first_version"},
                ExpressionAttributeValues={
                    ":v": version,
                    ":e": keys.expires(datetime.now(UTC), VERSION_DAYS),
                },
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if failed_condition(exc):
                return None
            raise
        return int(kept["Attributes"].get("first_version", version))

    # -- notifications ------------------------------------------------------------------

    def notification(self, subject: str, notification_id: str) -> Notification | None:
        key = {"pk": keys.person_pk(subject), "sk": keys.notification_sk(notification_id)}
        found = self._table.get_item(Key=key).get("Item")
        return items.notification_of(found) if found else None

    def notifications(self, wanted: Sequence[tuple[str, str]]) -> list[Notification]:
        request = [
            {"pk": keys.person_pk(s), "sk": keys.notification_sk(n)}
            for s, n in dict.fromkeys(wanted)
        ]
        return [items.notification_of(item) for item in self._batch_get(request)]

    def inbox(self, subject: str, where: InboxFilter, after: str | None, budget: int) -> InboxPage:
        pk = keys.person_pk(subject)
        if where.account_id:
            index, index_pk, value = (
                "byaccount",
                "acct_pk",
                keys.account_inbox_pk(subject, where.account_id),
            )
        elif where.unread:
            index, index_pk, value = "unread", "unread_pk", pk
        else:
            index, index_pk, value = "inbox", "inbox_pk", pk
        query: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": Key(index_pk).eq(value),
            "ScanIndexForward": False,
            "Limit": budget,
        }
        conditions = []
        if where.category:
            conditions.append(Attr("category").eq(where.category))
        if where.unread is not None and index != "unread":
            conditions.append(Attr("read").eq(not where.unread))
        if conditions:
            combined = conditions[0]
            for more in conditions[1:]:
                combined = combined & more
            query["FilterExpression"] = combined
        if after:
            sort_key = keys.notification_sk(after)
            query["ExclusiveStartKey"] = {
                "pk": pk,
                "sk": sort_key,
                index_pk: value,
                "nsk": sort_key,
            }
        page = self._table.query(**query)
        last = page.get("LastEvaluatedKey")
        return InboxPage(
            [items.notification_of(item) for item in page.get("Items", [])],
            str(last["sk"])[2:] if last else None,
        )

    def unread(self, subject: str, limit: int) -> list[tuple[str | None, str]]:
        found = []
        for item in self._query_all(
            IndexName="unread",
            KeyConditionExpression=Key("unread_pk").eq(keys.person_pk(subject)),
            ProjectionExpression="account_id, kind",
        ):
            found.append((item.get("account_id"), str(item["kind"])))
            if len(found) >= limit:
                break
        return found

    def set_read(self, subject: str, notification_id: str, read: bool) -> bool:
        key = {"pk": keys.person_pk(subject), "sk": keys.notification_sk(notification_id)}
        expression = "SET #read = :r REMOVE unread_pk" if read else "SET #read = :r, unread_pk = :p"
        values: dict[str, Any] = {":r": read}
        if not read:
            values[":p"] = keys.person_pk(subject)
        try:
            self._table.update_item(
                Key=key,
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(inbox_pk) AND #read <> :r",
                ExpressionAttributeNames={"#read": "read"},
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if failed_condition(exc):
                return False
            raise
        return True

    def archive(self, subject: str, notification_id: str) -> bool:
        key = {"pk": keys.person_pk(subject), "sk": keys.notification_sk(notification_id)}
        try:
            self._table.update_item(
                Key=key,
                UpdateExpression="SET archived = :t REMOVE inbox_pk, unread_pk, acct_pk",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":t": True},
            )
        except ClientError as exc:
            if failed_condition(exc):
                return False
            raise
        return True
