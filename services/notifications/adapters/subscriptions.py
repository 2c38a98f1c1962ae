"""Push subscriptions and the open invoices the overdue scan reads."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from services.notifications.adapters import items, keys
from services.notifications.adapters.table import Table, failed_condition
from services.notifications.logic.ports import (
    OpenInvoice,
)
from services.notifications.models.domain import (
    PushSubscription,
)


class SubscriptionsAndInvoices(Table):
    def push_subscriptions(self, subject: str) -> list[PushSubscription]:
        return [
            items.subscription_of(item)
            for item in self._query_all(
                KeyConditionExpression=Key("pk").eq(keys.person_pk(subject))
                & Key("sk").begins_with("PUSH#"),
                ConsistentRead=True,
            )
        ]

    def _count_subscriptions(self, subject: str) -> None:
        count = len(self.push_subscriptions(subject))
        self._table.update_item(
            Key={"pk": keys.person_pk(subject), "sk": "PROFILE"},
            UpdateExpression="SET push_subscriptions = :n",
            ExpressionAttributeValues={":n": count},
        )

    def add_push_subscription(self, subscription: PushSubscription, limit: int) -> bool:
        existing = {s.subscription_id for s in self.push_subscriptions(subscription.subject)}
        if subscription.subscription_id not in existing and len(existing) >= limit:
            return False
        self._table.put_item(Item=items.subscription_item(subscription))
        self._count_subscriptions(subscription.subject)
        return True

    def remove_push_subscription(self, subject: str, subscription_id: str) -> bool:
        try:
            self._table.delete_item(
                Key={"pk": keys.person_pk(subject), "sk": f"PUSH#{subscription_id}"},
                ConditionExpression="attribute_exists(pk)",
            )
        except ClientError as exc:
            if failed_condition(exc):
                return False
            raise
        self._count_subscriptions(subject)
        return True

    # -- invoices -----------------------------------------------------------------------

    def track_invoice(self, invoice: OpenInvoice, version: int, open_: bool) -> None:
        key = {"pk": keys.account_pk(invoice.account_id), "sk": f"INV#{invoice.reference}"}
        current = self._table.get_item(Key=key, ConsistentRead=True).get("Item") or {}
        if int(current.get("version", 0)) >= version:
            return
        item = {
            **key,
            "account_id": invoice.account_id,
            "reference": invoice.reference,
            "due_date": invoice.due_date.isoformat(),
            "facts": json.dumps(invoice.facts),
            "version": version,
            "open": open_,
        }
        if invoice.owed is not None:
            item["owed"] = invoice.owed
        if current.get("told_due"):
            item["told_due"] = current["told_due"]
        if open_ and item.get("told_due") != item["due_date"]:
            item["due_pk"] = keys.INVOICE_DUE
            item["due_sk"] = f"{item['due_date']}#{invoice.account_id}#{invoice.reference}"
        condition = "attribute_not_exists(pk) OR version < :v"
        try:
            self._table.put_item(
                Item=item, ConditionExpression=condition, ExpressionAttributeValues={":v": version}
            )
        except ClientError as exc:
            if not failed_condition(exc):
                raise

    def overdue_invoices(self, today: date, limit: int) -> list[OpenInvoice]:
        found = []
        for item in self._query_all(
            IndexName="due",
            KeyConditionExpression=Key("due_pk").eq(keys.INVOICE_DUE)
            & Key("due_sk").lt(today.isoformat()),
        ):
            found.append(items.invoice_of(item))
            if len(found) >= limit:
                break
        return found

    def credit_invoice(
        self, account_id: str, invoice: str, credit_note: str, version: int, amount: Decimal
    ) -> None:
        """One item per credit note, beside the invoice's (`INVCREDIT#<invoice>#<note>`),
        so neither write can lose the other's."""
        try:
            self._table.put_item(
                Item={
                    "pk": keys.account_pk(account_id),
                    "sk": f"INVCREDIT#{invoice}#{credit_note}",
                    "version": version,
                    "amount": amount,
                },
                ConditionExpression="attribute_not_exists(pk) OR version < :v",
                ExpressionAttributeValues={":v": version},
            )
        except ClientError as exc:
            if not failed_condition(exc):
                raise

    def invoice_credits(self, account_id: str, invoice: str) -> Decimal:
        found = self._query_all(
            KeyConditionExpression=Key("pk").eq(keys.account_pk(account_id))
            & Key("sk").begins_with(f"INVCREDIT#{invoice}#"),
            ConsistentRead=True,
        )
        return sum((Decimal(str(item["amount"])) for item in found), Decimal(0))

    def invoice_told(self, invoice: OpenInvoice) -> None:
        self._table.update_item(
            Key={"pk": keys.account_pk(invoice.account_id), "sk": f"INV#{invoice.reference}"},
            UpdateExpression="SET told_due = :d REMOVE due_pk, due_sk",
            ExpressionAttributeValues={":d": invoice.due_date.isoformat()},
        )
