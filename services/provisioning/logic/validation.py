"""Turning raw input (JSON objects, CSV rows) into records or field-level errors."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from services.provisioning.models.records import RECORD_MODELS, Record, RecordKind, list_fields

_FIELD_PREFIX = re.compile(r"^(?:Value error, )?([a-z_][a-z0-9_]*): (.+)$", re.DOTALL)


@dataclass(frozen=True)
class FieldError:
    """Why a record was refused: the field path (dotted, list indexes as numbers) and reason."""

    field: str
    reason: str


@dataclass(frozen=True)
class UnreadableRow:
    """A line of an uploaded file that is not a record at all (e.g. broken JSON)."""

    reason: str


class RecordInvalid(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.reason}" for e in errors))
        self.errors = errors


def field_errors(exc: ValidationError) -> list[FieldError]:
    """Pydantic errors as field paths; cross-field rules name their field as `field: reason`."""
    found = []
    for error in exc.errors(include_url=False):
        path = [str(part) for part in error["loc"]]
        reason = str(error["msg"])
        match = _FIELD_PREFIX.match(reason)
        if match:
            path.append(match.group(1))
            reason = match.group(2)
        elif reason.startswith("Value error, "):
            reason = reason.removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            reason = "unknown field"
        found.append(FieldError(field=".".join(path) or "(record)", reason=reason))
    return found


def validate_record(kind: RecordKind, raw: Any) -> Record:
    """The record, or RecordInvalid listing every field that breaks a rule."""
    if isinstance(raw, UnreadableRow):
        raise RecordInvalid([FieldError("(row)", raw.reason)])
    if not isinstance(raw, Mapping):
        raise RecordInvalid([FieldError("(record)", "a record must be a JSON object")])
    try:
        return RECORD_MODELS[kind].model_validate(raw)
    except ValidationError as exc:
        raise RecordInvalid(field_errors(exc)) from exc
    except ValueError as exc:  # raised outside pydantic's wrapping, e.g. by a property
        raise RecordInvalid([FieldError("(record)", str(exc))]) from exc


def csv_row_to_raw(kind: RecordKind, row: Mapping[str, str | None]) -> dict[str, Any]:
    """A CSV row as a raw record: empty cells are absent, list cells split on `;`."""
    lists = list_fields(kind)
    raw: dict[str, Any] = {}
    for name, value in row.items():
        if name is None:
            raw["(extra columns)"] = value
            continue
        if value is None or value.strip() == "":
            continue
        raw[name] = [p.strip() for p in value.split(";") if p.strip()] if name in lists else value
    return raw
