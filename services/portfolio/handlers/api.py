"""Lambda entry point for the portfolio HTTP API.

Every route authorizes the caller against the account in the path (verified token +
this service's access projection: 404 across accounts), then reads ONE partition whose
key starts with that account, so an object of another account cannot be reached.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from http import HTTPStatus
from typing import Annotated, Any, TypeVar

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel, ValidationError

from common.access import Access, AccessGuard, Action, Area, not_found
from common.access.dynamo import DynamoAccessSource
from common.api import ApiError, principal
from common.errors import DomainError
from common.lambda_api import http_handler, service_resolver
from common.observability import observability
from common.secrets import read_secret
from services.portfolio.adapters.dynamo import Filters, Page, PageQuery, ReadModelReader
from services.portfolio.adapters.usage import ConcurrentUpdate, UsageStore
from services.portfolio.logic import keys
from services.portfolio.logic.cursor import CursorSigner, InvalidCursor, query_fingerprint
from services.portfolio.logic.facts import StreamId
from services.portfolio.logic.views import (
    coverage_and_targets,
    currency_totals,
    group_holdings,
    invoice_view,
    lot_buckets,
    trade_detail,
    trades_by_year,
)
from services.portfolio.models.queries import (
    BatchQuery,
    ConsumptionQuery,
    ForwardDealQuery,
    HoldingsQuery,
    InvoiceQuery,
    ListQuery,
    OverviewQuery,
    RetirementQuery,
    TradeQuery,
)
from services.portfolio.models.settings import CursorSettings, PortfolioSettings
from services.portfolio.models.usage import Consumption, ConsumptionInput, Target, TargetInput
from services.portfolio.topology import TOPOLOGY

obs = observability(TOPOLOGY.service)
app = service_resolver(TOPOLOGY, PortfolioSettings)
ACCOUNT = "/v1/accounts/<account_id>"
AGG_PAGE = 1000
"""Aggregate items per account are few (lots, years, currencies, targets): one page."""
EXPORT_PAGE = 200
EXPORT_MAX_ROWS = 50_000
INTERNAL = frozenset(
    {
        "pk",
        "sk",
        "gsi1pk",
        "gsi1sk",
        "gsi2pk",
        "gsi2sk",
        "contribution",
        "revision",
        "held",
        "kind",
        "reference_lower",
    }
)
ModelT = TypeVar("ModelT", bound=BaseModel)


@cache
def settings() -> PortfolioSettings:
    return PortfolioSettings()


@cache
def reader() -> ReadModelReader:
    return ReadModelReader(settings().read_model_table)


@cache
def usage_store() -> UsageStore:
    return UsageStore(settings().usage_table, settings().read_model_table)


@cache
def guard() -> AccessGuard:
    return AccessGuard(DynamoAccessSource(settings().access_table))


@cache
def signer() -> CursorSigner:
    return CursorSigner(read_secret(CursorSettings().cursor_signing_key_secret_id).encode())


def today() -> date:
    return datetime.now(UTC).date()


def allow(account_id: str, area: Area, action: Action = Action.READ) -> Access:
    return guard().require(principal(app), account_id, area, action)


def _invalid(fields: list[dict[str, str]]) -> ApiError:
    return ApiError(
        HTTPStatus.UNPROCESSABLE_ENTITY,
        "validation_failed",
        "The request is not valid; see fields.",
        fields=fields,
    )


def _validation_error(
    exc: ValidationError, where: str, path_params: Collection[str] = ()
) -> ApiError:
    """422 naming each bad field by where it came from: `where` (query or body), or the
    path for fields in `path_params`; a rule across fields is reported on `where` itself."""
    fields = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        origin = "path" if loc and loc[0] in path_params else where
        fields.append({"path": ".".join([origin, *loc]), "reason": error["msg"]})
    return _invalid(fields)


def query(model: type[ModelT]) -> ModelT:
    try:
        return model.model_validate(app.current_event.query_string_parameters or {})
    except ValidationError as exc:
        raise _validation_error(exc, "query") from exc


def body(model: type[ModelT]) -> ModelT:
    try:
        raw = app.current_event.json_body
    except ValueError as exc:
        raise ApiError(HTTPStatus.BAD_REQUEST, "invalid_json", "The body is not JSON.") from exc
    if not isinstance(raw, dict):
        raise ApiError(HTTPStatus.BAD_REQUEST, "invalid_json", "The body must be a JSON object.")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise _validation_error(exc, "body") from exc


def clean_dict(value: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = clean(value)
    return cleaned


def clean(value: Any) -> Any:
    """JSON-ready: exact decimals as strings, whole numbers as ints, internal keys dropped."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if k not in INTERNAL}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, Decimal):
        return str(value.normalize()) if value != value.to_integral_value() else str(int(value))
    return value


# --- paging ---------------------------------------------------------------------------


def _start_key(list_name: str, account_id: str, params: ListQuery) -> dict[str, Any] | None:
    if not params.cursor:
        return None
    try:
        return signer().decode(
            params.cursor,
            account_id=account_id,
            subject=principal(app).sub,
            fingerprint=query_fingerprint(list_name, params.filters()),
        )
    except InvalidCursor as exc:
        raise ApiError(
            HTTPStatus.BAD_REQUEST,
            "invalid_cursor",
            "The cursor is not valid for this list, account or user.",
        ) from exc


def _next_cursor(
    list_name: str, account_id: str, params: ListQuery, last: dict[str, Any] | None
) -> str | None:
    if last is None:
        return None
    return signer().encode(
        last,
        account_id=account_id,
        subject=principal(app).sub,
        fingerprint=query_fingerprint(list_name, params.filters()),
    )


PageSource = Callable[[dict[str, Any] | None, int], Page]
"""Reads one page of a list (its filters fixed), resuming after a start key."""


def page_response(
    list_name: str,
    account_id: str,
    params: ListQuery,
    source: PageSource,
    shape: Callable[[dict[str, Any]], dict[str, Any]] = lambda item: item,
) -> dict[str, Any]:
    found = source(_start_key(list_name, account_id, params), params.limit)
    return {
        "items": [clean_dict(shape(item)) for item in found.items],
        "next_cursor": _next_cursor(list_name, account_id, params, found.last_key),
    }


def _export_rows(
    source: PageSource, shape: Callable[[dict[str, Any]], dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    start: dict[str, Any] | None = None
    produced = 0
    while True:
        found = source(start, EXPORT_PAGE)
        for item in found.items:
            produced += 1
            if produced > EXPORT_MAX_ROWS:
                raise ApiError(
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                    "export_too_large",
                    f"More than {EXPORT_MAX_ROWS} rows; narrow the filters.",
                )
            yield clean(shape(item))
        if found.last_key is None:
            return
        start = found.last_key


def csv_response(
    name: str,
    columns: list[str],
    source: PageSource,
    shape: Callable[[dict[str, Any]], dict[str, Any]] = lambda item: item,
) -> Response[str]:
    """Every page of the list (same filters) as CSV, written row by row with `csv`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in _export_rows(source, shape):
        writer.writerow(
            {k: "|".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()}
        )
    return Response(
        status_code=HTTPStatus.OK,
        content_type="text/csv; charset=utf-8",
        body=out.getvalue(),
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def read_model_pages(
    pk: str,
    filters: Filters,
    *,
    index: str | None = None,
    sk_between: tuple[str, str] | None = None,
    forward: bool = True,
) -> PageSource:
    """Pages of one read-model partition (table or index), filtered."""

    def read(start: dict[str, Any] | None, limit: int) -> Page:
        page = PageQuery(
            pk=pk,
            index=index,
            sk_between=sk_between,
            forward=forward,
            limit=limit,
            start_key=start,
        )
        return reader().page(filters.apply(page))

    return read


# --- trades ---------------------------------------------------------------------------

TRADE_COLUMNS = [
    "reference", "version", "status", "side", "trade_date", "scheme", "volume_mwh", "unit_price",
    "currency", "total", "technologies", "countries", "vintage_from", "vintage_to",
    "delivery_date", "registry_account", "payment_due_date", "delivered_mwh", "outstanding_mwh",
]  # fmt: skip


def trade_pages(account_id: str, params: TradeQuery) -> PageSource:
    by_volume = params.sort.endswith("volume")
    filters = (
        Filters()
        .equals("side", params.side)
        .equals("status", params.status)
        .equals("scheme", params.scheme)
        .contains("technologies", params.technology)
        .contains("countries", params.country)
        .compare("vintage_to", ">=", params.vintage_from)
        .compare("vintage_from", "<=", params.vintage_to)
        .contains("reference_lower", params.q.lower() if params.q else None)
    )
    date_from = params.trade_date_from.isoformat() if params.trade_date_from else "0000"
    date_to = params.trade_date_to.isoformat() if params.trade_date_to else "9999"
    if by_volume:
        filters.compare("trade_date", ">=", params.trade_date_from and date_from)
        filters.compare("trade_date", "<=", params.trade_date_to and date_to)

    return read_model_pages(
        keys.list_pk("trade", account_id),
        filters,
        index="byvolume" if by_volume else "bydate",
        sk_between=None if by_volume else (f"{date_from}#", f"{date_to}#\uffff"),
        forward=not params.sort.startswith("-"),
    )


@app.get(f"{ACCOUNT}/trades")
def list_trades(account_id: str, params: Annotated[TradeQuery, Query()]) -> dict[str, Any]:
    allow(account_id, Area.TRADES)
    return page_response("trades", account_id, params, trade_pages(account_id, params))


@app.get(f"{ACCOUNT}/trades/export")
def export_trades(account_id: str, params: Annotated[TradeQuery, Query()]) -> Response[str]:
    allow(account_id, Area.TRADES)
    return csv_response("trades", TRADE_COLUMNS, trade_pages(account_id, params))


@app.get(f"{ACCOUNT}/trades/<reference>")
def get_trade(account_id: str, reference: str) -> dict[str, Any]:
    allow(account_id, Area.TRADES)
    items = reader().page(PageQuery(pk=keys.trade_pk(account_id, reference), limit=AGG_PAGE)).items
    detail = trade_detail(items, account_id, today())
    if detail is None:
        raise not_found()
    return clean_dict(detail)


# --- holdings -------------------------------------------------------------------------

BATCH_COLUMNS = [
    "scheme", "registry_account", "technology", "country", "vintage", "expires_on", "movement",
    "source_reference", "trade_reference", "serial_start", "serial_end", "quantity",
    "device_code", "moved_on",
]  # fmt: skip


def _aggregates(account_id: str, prefix: str = "") -> list[dict[str, Any]]:
    page = PageQuery(pk=keys.agg_pk(account_id), sk_prefix=prefix or None, limit=AGG_PAGE)
    return reader().page(page).items


@app.get(f"{ACCOUNT}/holdings")
def holdings(account_id: str, params: Annotated[HoldingsQuery, Query()]) -> dict[str, Any]:
    allow(account_id, Area.PORTFOLIO)
    rows = lot_buckets(_aggregates(account_id, "HOLD#"), today())
    return clean_dict(group_holdings(rows, params.dimensions))


def batch_pages(account_id: str, params: BatchQuery) -> PageSource:
    filters = Filters()
    for name in ("scheme", "registry_account", "technology", "country", "vintage", "movement"):
        filters.equals(name, getattr(params, name))
    return read_model_pages(keys.collection_pk(account_id, "BATCHES"), filters)


@app.get(f"{ACCOUNT}/holdings/batches")
def holding_batches(account_id: str, params: Annotated[BatchQuery, Query()]) -> dict[str, Any]:
    allow(account_id, Area.PORTFOLIO)
    return page_response("batches", account_id, params, batch_pages(account_id, params))


@app.get(f"{ACCOUNT}/holdings/batches/export")
def export_holding_batches(
    account_id: str, params: Annotated[BatchQuery, Query()]
) -> Response[str]:
    allow(account_id, Area.PORTFOLIO)
    return csv_response("holdings-batches", BATCH_COLUMNS, batch_pages(account_id, params))


# --- forward deals --------------------------------------------------------------------

FORWARD_COLUMNS = [
    "reference", "side", "scheme", "contracted_mwh", "delivered_mwh", "outstanding_mwh",
    "next_delivery_date", "registry_account", "status",
]  # fmt: skip


def forward_pages(account_id: str, params: ForwardDealQuery) -> PageSource:
    filters = Filters().equals("side", params.side).equals("scheme", params.scheme)
    return read_model_pages(keys.collection_pk(account_id, "FWD"), filters)


@app.get(f"{ACCOUNT}/forward-deals")
def forward_deals(account_id: str, params: Annotated[ForwardDealQuery, Query()]) -> dict[str, Any]:
    allow(account_id, Area.PORTFOLIO)
    return page_response("forward", account_id, params, forward_pages(account_id, params))


@app.get(f"{ACCOUNT}/forward-deals/export")
def export_forward_deals(
    account_id: str, params: Annotated[ForwardDealQuery, Query()]
) -> Response[str]:
    allow(account_id, Area.PORTFOLIO)
    return csv_response("forward-deals", FORWARD_COLUMNS, forward_pages(account_id, params))


# --- retirements ----------------------------------------------------------------------

RETIREMENT_COLUMNS = [
    "reference", "status", "scheme", "volume_mwh", "retired_on", "beneficiary_name",
    "consumption_country", "consumption_period_start", "consumption_period_end",
    "reporting_year", "purpose", "registry_transaction_reference",
]  # fmt: skip


def retirement_pages(account_id: str, params: RetirementQuery) -> PageSource:
    filters = (
        Filters()
        .equals("reporting_year", params.reporting_year)
        .equals("consumption_country", params.consumption_country)
        .equals("scheme", params.scheme)
    )
    return read_model_pages(
        keys.list_pk("retirement", account_id), filters, index="bydate", forward=False
    )


@app.get(f"{ACCOUNT}/retirements")
def retirements(account_id: str, params: Annotated[RetirementQuery, Query()]) -> dict[str, Any]:
    allow(account_id, Area.PORTFOLIO)
    return page_response("retirements", account_id, params, retirement_pages(account_id, params))


@app.get(f"{ACCOUNT}/retirements/export")
def export_retirements(
    account_id: str, params: Annotated[RetirementQuery, Query()]
) -> Response[str]:
    allow(account_id, Area.PORTFOLIO)
    return csv_response("retirements", RETIREMENT_COLUMNS, retirement_pages(account_id, params))


def _current(kind: str, account_id: str, reference: str) -> dict[str, Any]:
    item = reader().get(keys.stream_pk(StreamId(kind, account_id, reference)), keys.CURRENT_SK)
    if item is None or item.get("held") or item.get("account_id") != account_id:
        raise not_found()
    return item


@app.get(f"{ACCOUNT}/retirements/<reference>")
def get_retirement(account_id: str, reference: str) -> dict[str, Any]:
    allow(account_id, Area.PORTFOLIO)
    return clean_dict(_current("retirement", account_id, reference))


# --- financials -----------------------------------------------------------------------

INVOICE_COLUMNS = [
    "reference", "document_type", "status", "issue_date", "due_date", "currency", "net_amount",
    "tax_amount", "gross_amount", "paid_amount", "outstanding_amount", "trade_references",
    "credited_invoice_reference",
]  # fmt: skip


def invoice_pages(account_id: str, params: InvoiceQuery) -> PageSource:
    filters = (
        Filters().equals("document_type", params.document_type).equals("currency", params.currency)
    )
    if params.state == "paid":
        filters.compare("outstanding_amount", "=", Decimal(0))
    elif params.state in ("open", "overdue"):
        filters.compare("outstanding_amount", ">", Decimal(0))
    if params.state == "overdue":
        filters.compare("due_date", "<", today().isoformat())
    return read_model_pages(
        keys.list_pk("invoice", account_id), filters, index="bydate", forward=False
    )


def _invoice_shape(item: dict[str, Any]) -> dict[str, Any]:
    return invoice_view(item, today())


@app.get(f"{ACCOUNT}/invoices")
def invoices(account_id: str, params: Annotated[InvoiceQuery, Query()]) -> dict[str, Any]:
    allow(account_id, Area.BILLING)
    return page_response(
        "invoices", account_id, params, invoice_pages(account_id, params), _invoice_shape
    )


@app.get(f"{ACCOUNT}/invoices/export")
def export_invoices(account_id: str, params: Annotated[InvoiceQuery, Query()]) -> Response[str]:
    allow(account_id, Area.BILLING)
    return csv_response(
        "invoices", INVOICE_COLUMNS, invoice_pages(account_id, params), _invoice_shape
    )


@app.get(f"{ACCOUNT}/invoices/<reference>")
def get_invoice(account_id: str, reference: str) -> dict[str, Any]:
    allow(account_id, Area.BILLING)
    return clean_dict(invoice_view(_current("invoice", account_id, reference), today()))


def _overdue_invoices(account_id: str) -> list[dict[str, Any]]:
    """Open invoices due before today (their sort key starts with the due date)."""
    page = PageQuery(
        pk=keys.collection_pk(account_id, "OPENINV"),
        sk_between=("0000", f"{today().isoformat()}#"),
        limit=AGG_PAGE,
    )
    return reader().page(page).items


@app.get(f"{ACCOUNT}/financials")
def financials(account_id: str) -> dict[str, Any]:
    allow(account_id, Area.BILLING)
    overdue = _overdue_invoices(account_id)
    return clean_dict(
        {
            "currencies": currency_totals(_aggregates(account_id, "CUR#"), overdue, today()),
            "overdue_invoices": overdue,
        }
    )


# --- usage and targets ----------------------------------------------------------------

CONSUMPTION_COLUMNS = [
    "site_id", "site_name", "country", "period_start", "period_end", "consumption_mwh", "source",
    "updated_by", "updated_at",
]  # fmt: skip


@app.get(f"{ACCOUNT}/usage")
def usage(account_id: str) -> dict[str, Any]:
    """Targets and coverage per year (one Query of the aggregates partition)."""
    allow(account_id, Area.USAGE_TARGETS)
    coverage, targets = coverage_and_targets(_aggregates(account_id))
    return clean_dict({"targets": targets, "coverage": coverage})


def consumption_pages(account_id: str) -> PageSource:
    return lambda start, limit: usage_store().consumption_page(account_id, limit, start)


@app.get(f"{ACCOUNT}/usage/consumption")
def list_consumption(
    account_id: str, params: Annotated[ConsumptionQuery, Query()]
) -> dict[str, Any]:
    """The account's consumption records, by site and period (one Query per page)."""
    allow(account_id, Area.USAGE_TARGETS)
    return page_response("consumption", account_id, params, consumption_pages(account_id))


@app.get(f"{ACCOUNT}/usage/consumption/export")
def export_consumption(
    account_id: str, params: Annotated[ConsumptionQuery, Query()]
) -> Response[str]:
    allow(account_id, Area.USAGE_TARGETS)
    return csv_response("consumption", CONSUMPTION_COLUMNS, consumption_pages(account_id))


@app.put(f"{ACCOUNT}/usage/consumption/<site_id>/<period_start>")
def put_consumption(account_id: str, site_id: str, period_start: str) -> dict[str, Any]:
    access = allow(account_id, Area.USAGE_TARGETS, Action.MANAGE)
    _valid_id(site_id, "site_id")
    record = body(ConsumptionInput)
    try:
        consumption = Consumption(**record.model_dump(), site_id=site_id, period_start=period_start)
    except ValidationError as exc:
        raise _validation_error(exc, "body", path_params={"site_id", "period_start"}) from exc
    try:
        usage_store().put_consumption(account_id, consumption, access.subject)
    except ConcurrentUpdate as exc:
        raise ApiError(HTTPStatus.CONFLICT, "conflict", "Changed concurrently; retry.") from exc
    return clean_dict(consumption.model_dump(mode="json"))


@app.delete(f"{ACCOUNT}/usage/consumption/<site_id>/<period_start>")
def delete_consumption(account_id: str, site_id: str, period_start: str) -> Response[str]:
    access = allow(account_id, Area.USAGE_TARGETS, Action.MANAGE)
    if not usage_store().delete_consumption(account_id, site_id, period_start, access.subject):
        raise not_found()
    return Response(status_code=HTTPStatus.NO_CONTENT, body="")


def _valid_id(value: str, name: str) -> None:
    if not (1 <= len(value) <= 64) or not all(c.isalnum() or c in "-_" for c in value):
        raise _invalid([{"path": f"path.{name}", "reason": "1-64 letters, digits, - or _"}])


@app.put(f"{ACCOUNT}/usage/targets/<target_id>")
def put_target(account_id: str, target_id: str) -> dict[str, Any]:
    access = allow(account_id, Area.USAGE_TARGETS, Action.MANAGE)
    _valid_id(target_id, "target_id")
    target = body(TargetInput)
    stored = Target(**target.model_dump(), target_id=target_id)
    usage_store().put_target(account_id, stored, access.subject)
    return clean_dict(stored.model_dump(mode="json"))


@app.delete(f"{ACCOUNT}/usage/targets/<target_id>")
def delete_target(account_id: str, target_id: str) -> Response[str]:
    allow(account_id, Area.USAGE_TARGETS, Action.MANAGE)
    if not usage_store().delete_target(account_id, target_id):
        raise not_found()
    return Response(status_code=HTTPStatus.NO_CONTENT, body="")


# --- summary and the CAM overview ----------------------------------------------------


def account_summary(account_id: str, next_deliveries: int = 5) -> dict[str, Any]:
    aggregates = _aggregates(account_id)
    now = today()
    rows = lot_buckets([i for i in aggregates if i["sk"].startswith("HOLD#")], now)
    coverage, targets = coverage_and_targets(aggregates)
    overdue = _overdue_invoices(account_id)
    upcoming = reader().page(
        PageQuery(pk=keys.collection_pk(account_id, "FWD"), limit=next_deliveries)
    )
    return {
        "account_id": account_id,
        "trades_by_year": trades_by_year(aggregates),
        "holdings": group_holdings(rows, [])["totals"],
        "coverage": coverage,
        "targets": targets,
        "currencies": currency_totals(
            [i for i in aggregates if i["sk"].startswith("CUR#")], overdue, now
        ),
        "overdue_invoices": overdue,
        "next_deliveries": upcoming.items,
    }


@app.get(f"{ACCOUNT}/summary")
def summary(account_id: str) -> dict[str, Any]:
    allow(account_id, Area.PORTFOLIO)
    return clean_dict(account_summary(account_id))


@app.get("/v1/cam/overview")
def cam_overview(params: Annotated[OverviewQuery, Query()]) -> dict[str, Any]:
    """Each requested account the caller may read, summarized; others are silently absent.

    The SPA passes the CAM's assigned accounts (from identity's /v1/me); every one is
    re-authorized here, so asking for an unassigned account reveals nothing.
    """
    rows = []
    for account_id in params.account_ids:
        try:
            allow(account_id, Area.PORTFOLIO)
        except DomainError:
            continue
        rows.append(account_summary(account_id, next_deliveries=3))
    return clean_dict({"accounts": rows})


handler = http_handler(app, obs)
