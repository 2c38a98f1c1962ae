"""Parsing untrusted JSON without letting it cost what it should not.

`json.loads` on its own answers a body nested thousands of levels deep with RecursionError
and a 4,300-digit integer with ValueError: both would be 500s; and `1e99999999` is short
but costs minutes once a model makes an integer of it. Here every such body is a
`json.JSONDecodeError` (Powertools turns that into a 400 `invalid_json`), numbers with a
fraction become `Decimal` (never binary floats: money keeps its cents), and the nesting depth
is bounded before any model sees the value.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

REPEATED_REASON = "given more than once: name each field once"

MAX_DEPTH = 32
MAX_NUMBER_CHARS = 40
MAX_EXPONENT = 64
"""`1e99999999` is 10 characters, but a model turning it into an `int` builds a number of a
hundred million digits (minutes of CPU): a number's magnitude is bounded too."""


def _number(text: str) -> Decimal:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError("number too long")
    value = Decimal(text)
    if value and abs(value.adjusted()) > MAX_EXPONENT:
        raise ValueError("number too large or too small")
    return value


def _integer(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError("number too long")
    return int(text)


def _depth_ok(value: Any) -> bool:
    """Iterative (no recursion): True when no container nests deeper than MAX_DEPTH."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > MAX_DEPTH:
            return False
        stack.extend((child, depth + 1) for child in children)
    return True


def safe_json_loads(
    text: str | bytes,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], dict[str, Any]] | None = None,
) -> Any:
    """`json.loads`, refusing too-deep nesting, too-long numbers and non-standard constants;
    `object_pairs_hook` builds each object (a `dict` subclass) from its members in order."""
    source = text.decode() if isinstance(text, bytes) else text

    def _constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        value = json.loads(
            source,
            parse_float=_number,
            parse_int=_integer,
            parse_constant=_constant,
            object_pairs_hook=object_pairs_hook,
        )
    except json.JSONDecodeError:
        raise
    except (RecursionError, ValueError, UnicodeDecodeError) as exc:
        raise json.JSONDecodeError(str(exc)[:100], source[:0], 0) from None
    if not _depth_ok(value):
        raise json.JSONDecodeError(f"nested deeper than {MAX_DEPTH} levels", source[:0], 0)
    return value


class JsonObject(dict[str, Any]):
    """A parsed JSON object that remembers the members its text named more than once."""

    repeated: tuple[str, ...] = ()


def _json_object(pairs: list[tuple[str, Any]]) -> JsonObject:
    parsed = JsonObject(pairs)
    if len(parsed) != len(pairs):
        seen: set[str] = set()
        repeated: dict[str, None] = {}
        for name, _ in pairs:
            if name in seen:
                repeated[name] = None
            seen.add(name)
        parsed.repeated = tuple(repeated)
    return parsed


def parse_json(text: str | bytes) -> Any:
    """`safe_json_loads` with each object a `JsonObject`: a member named twice means what
    the reader decides (most keep the last, some the first), so whoever reads the value
    can refuse it (`repeated_members`) rather than read it one way."""
    return safe_json_loads(text, object_pairs_hook=_json_object)


def repeated_members(raw: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The path of every member named twice in `raw` (parsed by `parse_json`), any depth."""
    found: list[tuple[str, ...]] = []
    if isinstance(raw, JsonObject):
        found.extend((*path, name) for name in raw.repeated)
        for name, value in raw.items():
            found.extend(repeated_members(value, (*path, name)))
    elif isinstance(raw, list):
        for index, item in enumerate(raw):
            found.extend(repeated_members(item, (*path, str(index))))
    return found
