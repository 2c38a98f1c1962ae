"""The field types of ingest records, each with its rule in words, and the record-level
("cross-field") rules, declared so that they can be checked one by one and documented.

A rule a publisher can break is explained in words with an example, never with the
regular expression that checks it: `RULE_WORDS` maps each pattern to its words (a test
fails when a pattern has none), and `docs/ingest.md` is generated from the same
declarations (`python -m infra.ingest_reference`, run by `make contracts`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any

import pycountry
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from common.api_types import ID_PATTERN
from common.api_types import Day as Day
from common.text import readable_text

RULE_WORDS: dict[str, str] = {}
"""Pattern -> what it asks for, in words with an example (what a rejection says). Patterns
spell digits `[0-9]`: the validator's `\\d` matches the digits of every script."""

FUTURE_SLACK_DAYS = 1
"""A date that has happened may be today + 1 (UTC): a publisher east of UTC is a day ahead."""


def worded(pattern: str, words: str, example: str) -> Any:
    """A `Field` checking `pattern`, described (and explained when broken) in words."""
    RULE_WORDS[pattern] = f"must be {words}, e.g. {example}"
    return Field(pattern=pattern, description=f"{words}.", examples=[example])


@lru_cache(maxsize=4096)
def _country(code: str) -> str:
    """ISO 3166-1 alpha-2 (`NL`) or an ISO 3166-2 subdivision (`US-TX`)."""
    found = (
        pycountry.subdivisions.get(code=code)
        if "-" in code
        else pycountry.countries.get(alpha_2=code)
    )
    if found is None:
        raise ValueError(f"'{code}' is not an ISO 3166 country or subdivision code")
    return code


NON_MONETARY_CODES = frozenset(
    {"XAG", "XAU", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XUA", "XTS", "XXX"}
)
"""ISO 4217 codes that are not money one can be invoiced in: precious metals, bond-market and
SDR-like units, the testing code and "no currency" (XAF, XCD, XOF, XPF are real currencies)."""


@lru_cache(maxsize=512)
def _currency(code: str) -> str:
    if pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"'{code}' is not an ISO 4217 currency code")
    if code in NON_MONETARY_CODES:
        raise ValueError(f"'{code}' is an ISO 4217 code but not a currency (metal, unit or test)")
    return code


_DECIMAL_TEXT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _decimal_text(value: Any) -> Any:
    """A number written as text is ASCII digits: Python's Decimal would also read `1_250.5`
    and the digits of every script, which the sender's other readers do not."""
    if isinstance(value, str) and not _DECIMAL_TEXT.fullmatch(value.strip()):
        raise PydanticCustomError(
            "decimal_parsing", "must be a decimal number in ASCII digits, e.g. 1250.5"
        )
    return value


def _money_text(value: Any) -> Any:
    """Money travels as a decimal string: a JSON number would be a binary float to most
    senders (the ingest API reads fractions exactly, but the sender's figure may not be)."""
    if isinstance(value, str):
        return _decimal_text(value)
    raise PydanticCustomError(
        "money_as_text",
        'write money as a decimal string, e.g. "2938.68" (JSON numbers are refused for money)',
    )


def _money(places: int, digits: int, *, minimum: int | None = None, example: str) -> Any:
    words = f"a decimal string with at most {places} decimals"
    schema = {"type": "string", "description": f"{words}.", "examples": [example]}
    bounds: dict[str, Any] = {"decimal_places": places, "max_digits": digits}
    if minimum is not None:
        bounds["ge" if minimum == 0 else "gt"] = 0
    return Annotated[Decimal, BeforeValidator(_money_text), Field(**bounds), WithJsonSchema(schema)]


Reference = Annotated[
    str,
    worded(
        r"^[A-Za-z0-9][A-Za-z0-9._/:-]{0,63}$",
        "1 to 64 characters: letters, digits and . _ / : -, starting with a letter or digit",
        "STX-T-000001",
    ),
]


def _not_boolean(value: Any) -> Any:
    """JSON's true and false are no numbers, though Python would count them as 1 and 0."""
    if isinstance(value, bool):
        raise PydanticCustomError("whole_number", "must be a whole number, not true or false")
    return value


WholeNumber = Annotated[int, BeforeValidator(_not_boolean)]

# Not Annotated[WholeNumber, Field(...)]: pydantic then writes ge/le into the JSON Schema
# as raw keys instead of minimum/maximum.
Version = Annotated[
    int,
    Field(ge=1, le=1_000_000, description="1 for the first version."),
    BeforeValidator(_not_boolean),
]
Country = Annotated[
    str,
    worded(
        r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$",
        "an ISO 3166 code in capitals: a country (NL) or a subdivision (US-TX)",
        "NL",
    ),
    AfterValidator(_country),
]
Currency = Annotated[
    str,
    worded(r"^[A-Z]{3}$", "an ISO 4217 currency code in capitals", "EUR"),
    AfterValidator(_currency),
]
Vintage = Annotated[
    str,
    worded(
        r"^[0-9]{4}-(0[1-9]|1[0-2])$",
        "a month as YYYY-MM (the month the production period ends)",
        "2025-06",
    ),
]
Volume = Annotated[
    Decimal,
    BeforeValidator(_decimal_text),
    Field(
        gt=0,
        decimal_places=3,
        max_digits=15,
        description="MWh, more than 0, at most 3 decimals (a decimal string or a number).",
        examples=["1250.5"],
    ),
]
UnitPrice = _money(6, 18, minimum=0, example="2.35")
Amount = _money(2, 15, example="2938.68")
PositiveAmount = _money(2, 15, minimum=1, example="3555.80")
LINE_CONTROLS = frozenset("\t\n\r")
"""The control characters a text may hold: a quoted CSV cell may break lines."""


def _clean_text(value: str) -> str:
    """`common.text.readable_text`; a quoted CSV cell may break lines."""
    return readable_text(value, LINE_CONTROLS)


Text = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="1 to 200 characters, something visible among them; no control "
        "characters but tabs and line breaks, no bidirectional controls.",
    ),
    AfterValidator(_clean_text),
]
TechnologyCode = Annotated[
    str,
    worded(
        r"^(T[0-9]{6}|F[0-9]{8}|ES[0-9]{3}|[A-Z][A-Za-z0-9-]{1,19})$",
        "an EECS technology code (T and 6 digits), an EECS energy source (F and 8 digits), "
        "an I-REC fuel code (ES and 3 digits) or a name of 2 to 20 letters, digits or - "
        "starting with a capital",
        "T020001",
    ),
]
AccountId = Annotated[
    str,
    worded(
        ID_PATTERN,
        "the portal account id: 1 to 64 letters, digits, _ or -",
        "acc-7f3c2a91",
    ),
]
PdfFileName = Annotated[
    str,
    worded(
        r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,120}\.pdf$",
        "a file name of letters, digits, spaces, . _ or - ending in .pdf (125 characters at most)",
        "Confirmation 2026-03.pdf",
    ),
]
Sha256 = Annotated[
    str,
    worded(r"^[0-9a-f]{64}$", "the SHA-256 of the file as 64 lower-case hex digits", "9f86d0…"),
]


RuleCheck = Callable[[Mapping[str, Any], date | None], str | None]


@dataclass(frozen=True)
class CrossRule:
    """A rule over several fields of one record: `check(values, today)` returns why the
    record breaks it (None: it holds). It runs only when every field it `needs` is valid,
    so a record's field problems and cross-field problems are reported together."""

    field: str
    """The field a rejection names."""
    needs: tuple[str, ...]
    words: str
    """The rule in words (docs/ingest.md)."""
    check: RuleCheck

    def applies(self, valid: Mapping[str, Any]) -> bool:
        return all(name in valid for name in self.needs)


def in_future(day: date, today: date | None) -> bool:
    return today is not None and day > today + timedelta(days=FUTURE_SLACK_DAYS)


def future_reason(name: str, day: date, today: date) -> str:
    return (
        f"{name} {day.isoformat()} is in the future (today is {today.isoformat()} UTC); "
        "send what has happened"
    )


def not_in_future(name: str, what: str, *, when: str | None = None) -> CrossRule:
    """`name` (a date) is not after today (+ a day's slack); with `when`, only for records
    whose `status` is `when`."""

    def check(values: Mapping[str, Any], today: date | None) -> str | None:
        if when is not None and values.get("status") != when:
            return None
        day = values[name]
        return future_reason(name, day, today) if today and in_future(day, today) else None

    needs = (name, "status") if when else (name,)
    words = f"{what} is not in the future (today + 1 day at most, UTC)"
    return CrossRule(name, needs, words, check)


def first_broken(
    rules: tuple[CrossRule, ...], values: Mapping[str, Any], today: date | None
) -> None:
    """Raise the first broken rule as `field: reason` (the models' own guard)."""
    for rule in rules:
        reason = rule.check(values, today)
        if reason is not None:
            raise ValueError(f"{rule.field}: {reason}")


def broken(
    rules: tuple[CrossRule, ...], valid: Mapping[str, Any], today: date | None
) -> list[tuple[str, str]]:
    """(field, reason) of every rule that applies to the valid fields and is broken."""
    found = []
    for rule in rules:
        if rule.applies(valid):
            reason = rule.check(valid, today)
            if reason is not None:
                found.append((rule.field, reason))
    return found
