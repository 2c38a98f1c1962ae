"""Delivery records in the notifications table: claims, outcomes (only forward, by rank),
SES message ids, waiting channels and the schedules' due index."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from boto3.dynamodb.conditions import Key

from services.notifications.adapters import items, keys
from services.notifications.adapters.table import Table
from services.notifications.adapters.transactions import transact
from services.notifications.logic.ports import (
    DueEntry,
    MailedNotices,
    Outcome,
)
from services.notifications.models.domain import (
    STATUS_RANK,
    Channel,
    DeliveryStatus,
)

MESSAGE_DAYS = 30
_CONDITION_NAMES = {"#st": "status", "#rank": "rank", "#lease": "lease_until"}


class DeliveryRecords(Table):
    def _delivery_update(
        self,
        key: tuple[str, str],
        channel: Channel,
        values: dict[str, Any],
        condition: str,
        condition_values: dict[str, Any],
    ) -> dict[str, Any]:
        """An Update of one channel's delivery record (`#d.#c`) under `condition`."""
        names = {"#d": "deliveries", "#c": channel.value}
        names |= {f"#v{i}": name for i, name in enumerate(values)}
        names |= {k: v for k, v in _CONDITION_NAMES.items() if k in condition}
        sets = ", ".join(f"#d.#c.#v{i} = :v{i}" for i in range(len(values)))
        assigned = {f":v{i}": value for i, value in enumerate(values.values())}
        return {
            "Update": {
                "TableName": self._name,
                "Key": {"pk": keys.person_pk(key[0]), "sk": keys.notification_sk(key[1])},
                "UpdateExpression": f"SET {sets}",
                "ConditionExpression": condition,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": {**assigned, **condition_values},
            }
        }

    def claim(
        self, wanted: Sequence[tuple[str, str]], channel: Channel, now: datetime, lease_seconds: int
    ) -> list[tuple[str, str]]:
        until = keys.instant(now + timedelta(seconds=lease_seconds))
        condition = (
            "attribute_exists(pk) AND (#d.#c.#st = :queued OR "
            "(#d.#c.#st = :sending AND #d.#c.#lease < :now))"
        )
        actions = [
            self._delivery_update(
                (s, n),
                channel,
                {
                    "status": DeliveryStatus.SENDING.value,
                    "rank": STATUS_RANK[DeliveryStatus.SENDING],
                    "lease_until": until,
                },
                condition,
                {
                    ":queued": DeliveryStatus.QUEUED.value,
                    ":sending": DeliveryStatus.SENDING.value,
                    ":now": keys.instant(now),
                },
            )
            for s, n in wanted
        ]
        return [wanted[i] for i in transact(self._client, actions)]

    def release(self, wanted: Sequence[tuple[str, str]], channel: Channel) -> None:
        """Gives claims back (queued again), for a retry that must find them free."""
        condition = "attribute_exists(pk) AND #d.#c.#st = :sending"
        actions = [
            self._delivery_update(
                key,
                channel,
                {"status": DeliveryStatus.QUEUED.value, "rank": STATUS_RANK[DeliveryStatus.QUEUED]},
                condition,
                {":sending": DeliveryStatus.SENDING.value},
            )
            for key in wanted
        ]
        transact(self._client, actions)

    def record(self, outcomes: Sequence[Outcome], now: datetime) -> int:
        """Moves deliveries forward (by rank) and keeps each email's SES message id ->
        its notices, in the same transaction and ahead of the statuses: a delivery is never
        "sent" without its message id known, so SES's reports on it always find it."""
        mailed: dict[str, list[Outcome]] = {}
        for o in outcomes:
            if o.provider_id and o.channel is Channel.EMAIL:
                mailed.setdefault(o.provider_id, []).append(o)
        messages = [  # one action per email: a transaction may not touch an item twice
            {
                "Update": {
                    "TableName": self._name,
                    "Key": {"pk": keys.message_pk(provider_id), "sk": "SES"},
                    "UpdateExpression": "SET #s = :s, expires_at = :e ADD nids :n",
                    "ExpressionAttributeNames": {"#s": "subject"},
                    "ExpressionAttributeValues": {
                        ":s": told[0].subject,
                        ":e": keys.expires(now, MESSAGE_DAYS),
                        ":n": {o.notification_id for o in told},
                    },
                }
            }
            for provider_id, told in mailed.items()
        ]
        statuses = []
        for outcome in outcomes:
            status = DeliveryStatus(outcome.status)
            values = {
                "status": status.value,
                "rank": STATUS_RANK[status],
                "at": keys.instant(now),
                "reason": outcome.reason,
                "provider_id": outcome.provider_id,
                "detail": outcome.detail,
            }
            values = {k: v for k, v in values.items() if v is not None}
            statuses.append(
                self._delivery_update(
                    (outcome.subject, outcome.notification_id),
                    outcome.channel,
                    values,
                    "attribute_exists(pk) AND attribute_exists(#d.#c) AND #d.#c.#rank < :rank",
                    {":rank": STATUS_RANK[status]},
                )
            )
        written = transact(self._client, [*messages, *statuses])
        return sum(1 for i in written if i >= len(messages))

    def deliveries_of_message(self, provider_id: str) -> MailedNotices | None:
        found = self._table.get_item(Key={"pk": keys.message_pk(provider_id), "sk": "SES"}).get(
            "Item"
        )
        if not found:
            return None
        return MailedNotices(str(found["subject"]), tuple(sorted(str(n) for n in found["nids"])))

    def due(self, kind: str, until: datetime, limit: int) -> list[DueEntry]:
        found: list[DueEntry] = []
        for shard in range(keys.DUE_SHARDS):
            for item in self._query_all(
                IndexName="due",
                KeyConditionExpression=Key("due_pk").eq(f"{kind.upper()}#{shard}")
                & Key("due_sk").lte(f"{keys.instant(until)}~"),
            ):
                found.append(items.due_of(item))
                if len(found) >= limit:
                    return found
        return found

    def drop_due(self, entries: Sequence[DueEntry]) -> None:
        with self._table.batch_writer() as batch:
            for entry in entries:
                batch.delete_item(
                    Key={
                        "pk": keys.person_pk(entry.subject),
                        "sk": keys.due_sk(entry.kind, entry.notification_id, entry.channel.value),
                    }
                )
