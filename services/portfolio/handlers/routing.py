"""What the portfolio's routers share: path parameters, the dependencies routes take, and
the one CSV download every export goes through."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Depends, Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import BaseModel

from common.api_types import ID_PATTERN
from common.csv_export import SafeCsvWriter
from common.openapi import errors
from services.portfolio import dependencies
from services.portfolio.logic.queries.context import Reads
from services.portfolio.logic.usage import UsageWrites

ACCOUNT = "/v1/accounts/<account_id>"
LIST_ERRORS = (400, 403, 404, 413)
"""A list: a cursor of another list/account/user (400), permissions (403), another
account (404), a filter that finds nothing within the page's reading budget (413)."""

AccountId = Annotated[str, Path(pattern=ID_PATTERN, description="The account's id.")]
Reference = Annotated[
    str, Path(min_length=1, max_length=128, description="The source system's reference.")
]
ReadsDep = Annotated[Reads, Depends(dependencies.reads)]
WritesDep = Annotated[UsageWrites, Depends(dependencies.usage_writes)]


def csv_responses(*error_statuses: int) -> dict[int, Any]:
    return {
        200: {
            "description": "The whole filtered list as CSV, one row per item, same columns as "
            "the JSON items (lists joined with `|`, null as an empty cell).",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        **errors(*error_statuses, success=None),
    }


def columns(model: type[BaseModel], names: Sequence[str]) -> list[str]:
    """An export's columns: fields of the list's item model (checked at import)."""
    unknown = [name for name in names if name not in model.model_fields]
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {unknown}")
    return list(names)


def csv_download(name: str, header: Sequence[str], rows: Iterable[BaseModel]) -> Response[str]:
    """Rows (response models, so the JSON style and allow-list hold) as a CSV attachment,
    written by `common.csv_export` (quoting, RFC 4180 line ends, formulas neutralised)."""
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(header)
    for row in rows:
        data = row.model_dump(mode="json")
        writer.writerow([data[column] for column in header])
    return Response(
        status_code=HTTPStatus.OK,
        content_type="text/csv; charset=utf-8",
        body=out.getvalue(),
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
