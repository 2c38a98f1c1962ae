"""What the portfolio's routers share: path parameters, the dependencies routes take, and
the one CSV download every export goes through."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Depends, Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import BaseModel

from common.api_types import ID_PATTERN
from common.csv_export import SafeCsvWriter
from common.errors import TooLarge
from common.openapi import errors
from services.portfolio import dependencies
from services.portfolio.logic.queries.context import Reads
from services.portfolio.logic.usage import UsageWrites

ACCOUNT = "/v1/accounts/<account_id>"
LIST_ERRORS = (403, 404, 413)
"""A list: permissions (403), another account (404), a filter that finds nothing within the
page's reading budget (413); a cursor of another list/account/user is a 422 on
`query.cursor`, as every invalid value."""

AccountId = Annotated[str, Path(pattern=ID_PATTERN, description="The account's id.")]
Reference = Annotated[
    str, Path(min_length=1, max_length=128, description="The source system's reference.")
]
ReadsDep = Annotated[Reads, Depends(dependencies.reads)]
WritesDep = Annotated[UsageWrites, Depends(dependencies.usage_writes)]

EXPORT_MAX_ANSWER_BYTES = 5 * 1024 * 1024
"""What an export's body may take in the function's answer, JSON-escaped as Lambda carries
it: Lambda fails an answer over 6 MB (the caller would get the gateway's bare 500), and
the headers and the answer's envelope need the rest. Rows count too (EXPORT_MAX_ROWS), but
rows of long values reach this first."""


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


class _MeasuredText(io.StringIO):
    """Text that counts the bytes it takes once JSON-escaped (the csv writer writes it a
    row at a time)."""

    escaped_bytes = 0

    def write(self, text: str, /) -> int:
        self.escaped_bytes += len(json.dumps(text)) - 2
        return super().write(text)


def csv_download(name: str, header: Sequence[str], rows: Iterable[BaseModel]) -> Response[str]:
    """Rows (response models, so the JSON style and allow-list hold) as a CSV attachment,
    written by `common.csv_export` (quoting, RFC 4180 line ends, formulas neutralised);
    413 when it would not fit in one answer (EXPORT_MAX_ANSWER_BYTES)."""
    out = _MeasuredText()
    writer = SafeCsvWriter(out)
    writer.writerow(header)
    for row in rows:
        data = row.model_dump(mode="json")
        writer.writerow([data[column] for column in header])
        if out.escaped_bytes > EXPORT_MAX_ANSWER_BYTES:
            raise TooLarge(
                f"The export is larger than {EXPORT_MAX_ANSWER_BYTES // (1024 * 1024)} MB; "
                "narrow the filters (for example with a date range) and export in parts."
            )
    return Response(
        status_code=HTTPStatus.OK,
        content_type="text/csv; charset=utf-8",
        body=out.getvalue(),
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
