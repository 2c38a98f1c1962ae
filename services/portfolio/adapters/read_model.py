"""`ReadModel` over DynamoDB: which partition, index and key range answers each read of
the query layer (ACCESS_PATTERNS.md lists them with their cost)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from common.errors import TooLarge
from services.portfolio.adapters import keys
from services.portfolio.adapters.serde import dynamodb_client, from_dynamo, to_dynamo
from services.portfolio.adapters.usage import usage_pk
from services.portfolio.logic.billing import DUE_COUNTER_PREFIX
from services.portfolio.logic.collections import Collection
from services.portfolio.logic.facts import Fact, StreamId
from services.portfolio.logic.ports import (
    AggregateKind,
    Chunk,
    Listing,
    ListRead,
    Order,
    Position,
    RowT,
    TradeHistory,
)
from services.portfolio.models.domain import (
    Aggregates,
    CurrencyCounter,
    DueBucket,
    ForwardCounter,
    ForwardDeal,
    Invoice,
    InvoiceSummary,
    Lot,
    Retirement,
    Target,
    Trade,
    TradeHit,
    YearStatusCount,
)

AGGREGATE_PREFIX = {
    AggregateKind.LOTS: "HOLD#",
    AggregateKind.YEARS: "YEAR#",
    AggregateKind.CURRENCIES: "CUR#",
    AggregateKind.RETIRED: "RETYR#",
    AggregateKind.CONSUMPTION: "CONS#",
    AggregateKind.TARGETS: "TARGET#",
    AggregateKind.FORWARD: "FWD#",
    AggregateKind.ACTIVITY: keys.ACTIVITY_SK_PREFIX,
}
LIST_KIND = {
    Listing.TRADES: "trade",
    Listing.RETIREMENTS: "retirement",
    Listing.INVOICES: "invoice",
}
COLLECTION_OF = {
    Listing.BATCHES: Collection.BATCHES,
    Listing.FORWARD_DEALS: Collection.FORWARD_DEALS,
}
BATCH_GET_LIMIT = 100
MAX_BATCH_GET_ATTEMPTS = 5
MAX_PARTITION_PAGES = 20
"""A partition read whole (aggregates, a trade, the overdue invoices) stays one page in
practice; beyond this many pages the read is refused (413) rather than truncated, so a
total is never computed from part of its items."""


class DynamoReadModel:
    """The API's reads of the read-model table (and the usage table's consumption list)."""

    def __init__(self, read_model_table: str, usage_table: str, client: Any | None = None) -> None:
        self._table = read_model_table
        self._usage = usage_table
        self._client = client or dynamodb_client()

    # --- lists ----------------------------------------------------------------------

    def chunk(self, read: ListRead[RowT], start: Position | None, max_rows: int) -> Chunk[RowT]:
        request, index = self._list_query(read)
        request["Limit"] = max_rows
        request["ScanIndexForward"] = not read.descending
        if start:
            request["ExclusiveStartKey"] = to_dynamo(start)
        found = self._client.query(**request)
        key_names = {"pk", "sk", *keys.INDEX_KEYS[index]}
        rows = []
        for raw in found["Items"]:
            item = from_dynamo(raw)
            position = {name: item[name] for name in key_names}
            rows.append((position, read.row_type.model_validate(item)))
        last = found.get("LastEvaluatedKey")
        return Chunk(rows=rows, resume=from_dynamo(last) if last else None)

    def _list_query(self, read: ListRead[Any]) -> tuple[dict[str, Any], str | None]:
        if read.listing is Listing.CONSUMPTION:
            return self._query(self._usage, None, usage_pk(read.account_id), prefix="CONS#"), None
        if read.listing in COLLECTION_OF:
            pk = keys.collection_pk(read.account_id, COLLECTION_OF[read.listing])
            return self._query(self._table, None, pk), None
        if read.listing is Listing.TRADE_FILTER:
            pk = keys.collection_pk(read.account_id, Collection.TRADE_FILTER)
            if read.order is Order.VOLUME:
                return self._query(self._table, keys.BY_VOLUME, pk), keys.BY_VOLUME
            return self._query(self._table, None, pk, between=_date_range(read)), None
        kind = LIST_KIND[read.listing]
        if read.order is Order.VOLUME:
            if read.facet is not None or read.dates is not None or kind != "trade":
                raise ValueError("the volume order has no facet and no date range")
            return self._query(self._table, keys.BY_VOLUME, keys.list_pk(kind, read.account_id)), (
                keys.BY_VOLUME
            )
        index = keys.BY_DATE if read.facet is None else keys.BY_FACET
        pk = (
            keys.list_pk(kind, read.account_id)
            if read.facet is None
            else keys.facet_pk(kind, read.account_id, read.facet)
        )
        return self._query(self._table, index, pk, between=_date_range(read)), index

    @staticmethod
    def _query(
        table: str,
        index: str | None,
        pk: str,
        *,
        prefix: str | None = None,
        between: tuple[str, str] | None = None,
        before: str | None = None,
    ) -> dict[str, Any]:
        pk_name, sk_name = keys.INDEX_KEYS[index]
        names = {"#pk": pk_name}
        values: dict[str, Any] = {":pk": pk}
        condition = "#pk = :pk"
        if prefix is not None:
            names["#sk"], values[":prefix"] = sk_name, prefix
            condition += " AND begins_with(#sk, :prefix)"
        elif between is not None:
            names["#sk"] = sk_name
            values[":low"], values[":high"] = between
            condition += " AND #sk BETWEEN :low AND :high"
        elif before is not None:
            names["#sk"], values[":before"] = sk_name, before
            condition += " AND #sk < :before"
        request: dict[str, Any] = {
            "TableName": table,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_dynamo(values),
        }
        if index is not None:
            request["IndexName"] = index
        return request

    def _pages(self, request: dict[str, Any], max_pages: int) -> Iterator[list[dict[str, Any]]]:
        """Page after page of one Query (each one request), at most `max_pages`."""
        request = dict(request)
        for _ in range(max_pages):
            found = self._client.query(**request)
            yield [from_dynamo(item) for item in found["Items"]]
            last = found.get("LastEvaluatedKey")
            if not last:
                return
            request["ExclusiveStartKey"] = last
        raise TooLarge("Too much to read in one request; narrow the request.")

    def _whole(self, request: dict[str, Any]) -> list[dict[str, Any]]:
        return [item for page in self._pages(request, MAX_PARTITION_PAGES) for item in page]

    # --- trade search -----------------------------------------------------------------

    def search_trades(self, account_id: str, text: str, max_requests: int) -> list[TradeHit] | None:
        pk = keys.collection_pk(account_id, Collection.TRADE_SEARCH)
        request = self._query(self._table, None, pk, prefix=text)
        hits: dict[str, TradeHit] = {}
        try:
            for page in self._pages(request, max_requests):
                for item in page:
                    hits.setdefault(item["reference"], TradeHit.model_validate(item))
        except TooLarge:
            return None
        return list(hits.values())

    def trades(self, account_id: str, references: Sequence[str]) -> list[Trade]:
        found: list[Trade] = []
        unique = list(dict.fromkeys(references))
        for start in range(0, len(unique), BATCH_GET_LIMIT):
            wanted = [
                to_dynamo({"pk": keys.trade_pk(account_id, ref), "sk": keys.CURRENT_SK})
                for ref in unique[start : start + BATCH_GET_LIMIT]
            ]
            for item in self._batch_get(wanted):
                if not item.get("held") and item.get("account_id") == account_id:
                    found.append(Trade.model_validate(item))
        return found

    def _batch_get(self, wanted: list[dict[str, Any]]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        pending: dict[str, Any] = {self._table: {"Keys": wanted}}
        for _ in range(MAX_BATCH_GET_ATTEMPTS):
            found = self._client.batch_get_item(RequestItems=pending)
            items.extend(from_dynamo(item) for item in found["Responses"].get(self._table, []))
            pending = found.get("UnprocessedKeys") or {}
            if not pending:
                return items
        raise RuntimeError("BatchGetItem kept leaving keys unprocessed")

    # --- single entities ------------------------------------------------------------

    def trade_history(self, account_id: str, reference: str) -> TradeHistory | None:
        pk = keys.trade_pk(account_id, reference)
        items = self._whole(self._query(self._table, None, pk))
        current = next((i for i in items if i["sk"] == keys.CURRENT_SK), None)
        if current is None or current.get("held"):
            return None
        return TradeHistory(
            current=Trade.model_validate(current),
            facts=[
                Fact.from_record(i["fact"])
                for i in items
                if i["sk"].startswith(keys.FACT_SK_PREFIX)
            ],
            invoices=[
                InvoiceSummary.model_validate(i)
                for i in items
                if i["sk"].startswith(keys.LINK_SK_PREFIX)
            ],
        )

    def _current(self, kind: str, account_id: str, reference: str) -> dict[str, Any] | None:
        key = {"pk": keys.stream_pk(StreamId(kind, account_id, reference)), "sk": keys.CURRENT_SK}
        found = self._client.get_item(TableName=self._table, Key=to_dynamo(key)).get("Item")
        item = from_dynamo(found) if found else None
        return None if item is None or item.get("held") else item

    def retirement(self, account_id: str, reference: str) -> Retirement | None:
        item = self._current("retirement", account_id, reference)
        return None if item is None else Retirement.model_validate(item)

    def invoice(self, account_id: str, reference: str) -> Invoice | None:
        item = self._current("invoice", account_id, reference)
        return None if item is None else Invoice.model_validate(item)

    # --- aggregates and collections ---------------------------------------------------

    def aggregates(self, account_id: str, kinds: frozenset[AggregateKind]) -> Aggregates:
        prefix = AGGREGATE_PREFIX[next(iter(kinds))] if len(kinds) == 1 else None
        items = self._whole(self._query(self._table, None, keys.agg_pk(account_id), prefix=prefix))
        return _aggregates(items, kinds)

    def open_invoices(self, account_id: str, due_before: date, limit: int) -> list[InvoiceSummary]:
        pk = keys.collection_pk(account_id, Collection.OPEN_INVOICES)
        request = self._query(self._table, None, pk, before=f"{due_before.isoformat()}#")
        found = self._client.query(**request, Limit=limit)
        return [InvoiceSummary.model_validate(from_dynamo(i)) for i in found["Items"]]

    def due_buckets(self, account_id: str, due_before: date) -> list[DueBucket]:
        before = f"{DUE_COUNTER_PREFIX}{due_before.isoformat()}"
        request = self._query(self._table, None, keys.due_pk(account_id), before=before)
        return [DueBucket.model_validate(i) for i in self._whole(request)]

    def next_forward_deals(self, account_id: str, count: int) -> list[ForwardDeal]:
        pk = keys.collection_pk(account_id, Collection.FORWARD_DEALS)
        found = self._client.query(**self._query(self._table, None, pk), Limit=count)
        return [ForwardDeal.model_validate(from_dynamo(i)) for i in found["Items"]]


def _date_range(read: ListRead[Any]) -> tuple[str, str] | None:
    """Sort keys `<date>#<reference>` of the read's date range (inclusive)."""
    if read.dates is None:
        return None
    first = read.dates.first.isoformat() if read.dates.first else "0000"
    last = read.dates.last.isoformat() if read.dates.last else "9999"
    return f"{first}#", f"{last}#\uffff"


def _amount(item: dict[str, Any], name: str) -> Decimal:
    return Decimal(item.get(name, 0))


def _aggregates(items: list[dict[str, Any]], kinds: frozenset[AggregateKind]) -> Aggregates:
    def of(kind: AggregateKind) -> list[dict[str, Any]]:
        if kind not in kinds:
            return []
        return [i for i in items if i["sk"].startswith(AGGREGATE_PREFIX[kind])]

    return Aggregates(
        lots=[Lot.model_validate(i) for i in of(AggregateKind.LOTS)],
        years=[
            YearStatusCount.model_validate(
                {**i, "trades": int(_amount(i, "trades")), "year": int(i["year"])}
            )
            for i in of(AggregateKind.YEARS)
        ],
        currencies=[CurrencyCounter.model_validate(i) for i in of(AggregateKind.CURRENCIES)],
        retired_by_year={
            int(i["year"]): _amount(i, "retired_mwh") for i in of(AggregateKind.RETIRED)
        },
        consumption_by_year={
            int(i["year"]): _amount(i, "consumption_mwh") for i in of(AggregateKind.CONSUMPTION)
        },
        targets=[Target.model_validate(i) for i in of(AggregateKind.TARGETS)],
        forward=[
            ForwardCounter.model_validate({**i, "deals": int(_amount(i, "deals"))})
            for i in of(AggregateKind.FORWARD)
        ],
        last_activity={
            i["sk"].removeprefix(keys.ACTIVITY_SK_PREFIX): i["at"]
            for i in of(AggregateKind.ACTIVITY)
        },
    )
