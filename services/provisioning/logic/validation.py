"""Turning raw input (JSON objects, CSV rows) into records or field-level errors.

Every problem of a record is reported at once: the field rules and the record-level rules
(`CROSS_RULES`) of every field that is valid, and the same inside nested items (batches,
invoice lines, payments). Reasons are words with the allowed values or an example, never
the regular expression that checks a field (`models.fields.RULE_WORDS`).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, get_args, get_origin

from annotated_types import MaxLen
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from common.json_safety import REPEATED_REASON, repeated_members
from services.provisioning.models.fields import RULE_WORDS, broken
from services.provisioning.models.record_base import MAX_RECORD_BYTES, RuleChecked
from services.provisioning.models.records import RECORD_MODELS, Record, RecordKind, list_fields

_FIELD_PREFIX = re.compile(r"^(?:Value error, )?([a-z_][a-z0-9_]*): (.+)$", re.DOTALL)
_DATE_ERRORS = frozenset({"date_parsing", "date_from_datetime_parsing", "date_type"})
_FIELD_CONFIG = ConfigDict(str_strip_whitespace=True, defer_build=True)


@dataclass(frozen=True)
class FieldError:
    """Why a record was refused: the field path (dotted, list indexes as numbers) and reason."""

    field: str
    reason: str


@dataclass(frozen=True)
class UnreadableRow:
    """A line of an uploaded file that is not a record at all (e.g. broken JSON, or a CSV
    row with more or fewer cells than the header names)."""

    reason: str


class RecordInvalid(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.reason}" for e in errors))
        self.errors = errors


def _unknown_field(name: str, model: type[BaseModel] | None) -> str:
    if model is None:
        return "unknown field"
    close = difflib.get_close_matches(name, list(model.model_fields), n=1, cutoff=0.75)
    return f"unknown field; did you mean {close[0]}?" if close else "unknown field"


def _reason(error: ErrorDetails, model: type[BaseModel] | None) -> str:
    """Pydantic's message in words a publisher can act on."""
    kind, context = error["type"], error.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_field(str(error["loc"][-1]), model)
    if kind == "missing":
        return "required"
    if kind == "string_pattern_mismatch":
        return RULE_WORDS.get(str(context.get("pattern")), "does not have the expected form")
    if kind == "literal_error":
        return f"must be {context.get('expected')}"
    if kind in _DATE_ERRORS:
        return "must be a date as YYYY-MM-DD, e.g. 2026-03-02"
    if kind == "decimal_parsing":
        return "must be a decimal number, e.g. 1250.5"
    if kind == "int_parsing" or kind == "int_from_float":
        return "must be a whole number"
    return str(error["msg"]).removeprefix("Value error, ")


def field_errors(
    exc: ValidationError, prefix: tuple[str, ...] = (), model: type[BaseModel] | None = None
) -> list[FieldError]:
    """Pydantic errors as field paths; cross-field rules name their field as `field: reason`."""
    found = []
    for error in exc.errors(include_url=False):
        path = [*prefix, *(str(part) for part in error["loc"])]
        reason = _reason(error, model)
        match = _FIELD_PREFIX.match(reason)
        if match:
            path.append(match.group(1))
            reason = match.group(2)
        found.append(FieldError(field=".".join(path) or "(record)", reason=reason))
    return found


@lru_cache(maxsize=256)
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    """A validator of one field alone (its type and constraints, without the model)."""
    info: FieldInfo = model.model_fields[name]
    return TypeAdapter(info.rebuild_annotation(), config=_FIELD_CONFIG)


def _nested_model(info: FieldInfo) -> type[RuleChecked] | None:
    """The model of a list-of-models field (batches, lines, payments), if it is one."""
    if get_origin(info.annotation) is not list:
        return None
    (item,) = get_args(info.annotation)
    return item if isinstance(item, type) and issubclass(item, RuleChecked) else None


def _max_items(info: FieldInfo) -> int | None:
    """The most items a list field may hold (None: no limit)."""
    return next((m.max_length for m in info.metadata if isinstance(m, MaxLen)), None)


def _collect(
    model: type[RuleChecked], raw: Mapping[str, Any], path: tuple[str, ...], today: date | None
) -> list[FieldError]:
    """Every problem of `raw` as a `model`: each field alone, then each record-level rule
    whose fields are valid."""
    errors: list[FieldError] = []
    valid: dict[str, Any] = {}
    context = {"today": today}
    for name in raw:
        if name not in model.model_fields:
            errors.append(FieldError(".".join((*path, str(name))), _unknown_field(name, model)))
    for name, info in model.model_fields.items():
        where = (*path, name)
        if name not in raw:
            if info.is_required():
                errors.append(FieldError(".".join(where), "required"))
            else:
                valid[name] = info.get_default(call_default_factory=True)
            continue
        try:
            valid[name] = _adapter(model, name).validate_python(raw[name], context=context)
        except ValidationError as exc:
            errors.extend(field_errors(exc, where))
            nested = _nested_model(info)
            if nested is not None and isinstance(raw[name], list):
                # a list past its limit is refused as too long: its items are judged up to
                # the limit only, so the problems stay bounded by what a record may hold
                for index, item in enumerate(raw[name][: _max_items(info)]):
                    if isinstance(item, Mapping):
                        errors.extend(_collect(nested, item, (*where, str(index)), today))
    for field, reason in broken(model.CROSS_RULES, valid, today):
        errors.append(FieldError(".".join((*path, field)), reason))
    return list(dict.fromkeys(errors))


def repeated_member_errors(raw: Any) -> list[FieldError]:
    """Every member named twice in `raw` (parsed by `parse_json`), at any depth, by path."""
    return [FieldError(".".join(path), REPEATED_REASON) for path in repeated_members(raw)]


def validate_record(kind: RecordKind, raw: Any, today: date | None = None) -> Record:
    """The record, or RecordInvalid listing every problem it has (fields and rules).

    `today` (UTC) refuses dates of what has happened (payments, deliveries, retirements,
    trades, invoices) that lie in the future; without it those rules are skipped."""
    if isinstance(raw, UnreadableRow):
        raise RecordInvalid([FieldError("(row)", raw.reason)])
    if not isinstance(raw, Mapping):
        raise RecordInvalid([FieldError("(record)", "a record must be a JSON object")])
    repeated = repeated_member_errors(raw)
    if repeated:
        raise RecordInvalid(repeated)
    model = RECORD_MODELS[kind]
    try:
        record = model.model_validate(raw, context={"today": today})
    except ValidationError as exc:
        errors = _collect(model, raw, (), today) or field_errors(exc, model=model)
        raise RecordInvalid(errors) from exc
    too_large = _too_large_to_store(record)
    if too_large is not None:
        raise RecordInvalid([too_large])
    return record


def _too_large_to_store(record: Record) -> FieldError | None:
    """A record over MAX_RECORD_BYTES as stored, named by its largest field."""
    size = len(record.stored_json().encode())
    if size <= MAX_RECORD_BYTES:
        return None
    fields = record.model_dump(mode="json", exclude={"content_base64"})
    largest = max(fields, key=lambda name: len(json.dumps(fields[name], ensure_ascii=False)))
    return FieldError(
        largest,
        f"the record is {size} bytes as stored, at most {MAX_RECORD_BYTES}: shorten {largest}, "
        "or split it over several records",
    )


SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def csv_header_problem(kind: RecordKind, header: list[str] | None) -> str | None:
    """What makes a CSV file's header unusable for `kind` (None: it is usable): said once
    for the file, before any row, instead of once per field of every row."""
    model = RECORD_MODELS[kind]
    if not header:
        return "the file is empty: the first line names the columns"
    if len(header) == 1:
        for separator, name in SEPARATORS.items():
            if separator in header[0]:
                return (
                    f"the columns are separated by {name} ({separator!r}): separate them with "
                    'commas, and put a value holding a comma in double quotes ("a, b")'
                )
    names = [name.strip() for name in header]
    unknown = [name for name in names if name not in model.model_fields]
    missing = [
        name
        for name, info in model.model_fields.items()
        if info.is_required() and name not in names
    ]
    problems = []
    if unknown:
        hints = [f"{name} ({_unknown_field(name, model)})" for name in unknown]
        problems.append(f"the header names unknown columns: {', '.join(hints)}")
    if missing:
        problems.append(f"the header lacks required columns: {', '.join(missing)}")
    if len(set(names)) != len(names):
        problems.append("the header names a column twice")
    return "; ".join(problems) or None


def csv_row_to_raw(
    kind: RecordKind, row: Mapping[str | None, Any]
) -> dict[str, Any] | UnreadableRow:
    """A CSV row as a raw record: empty cells are absent, list cells split on `;`. A row
    with more cells than the header names is not a record (one problem, not one per
    field); `csv.DictReader` gives the surplus under the key None, a short row None values."""
    surplus = row.get(None)
    named = len(row) - (None in row)
    if surplus:
        return UnreadableRow(
            f"has {named + len(surplus)} cells, the header names {named}: a value holding a "
            'comma must be quoted ("a, b")'
        )
    missing = sum(1 for name, value in row.items() if name is not None and value is None)
    if missing:
        return UnreadableRow(
            f"has {named - missing} cells, the header names {named}: every row has a cell "
            "per column (leave optional ones empty)"
        )
    lists = list_fields(kind)
    raw: dict[str, Any] = {}
    for name, value in row.items():
        if name is None or value is None or value.strip() == "":
            continue
        raw[name] = [p.strip() for p in value.split(";") if p.strip()] if name in lists else value
    return raw
