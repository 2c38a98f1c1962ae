"""What every ingest record shares: its kind, the base models and how their record-level
rules are checked (see `models.records` for the kinds)."""

from __future__ import annotations

import hashlib
import json
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from common.api_types import minor_units
from services.provisioning.models.fields import CrossRule, Reference, Version, first_broken

CENT = Decimal("0.01")
MAX_DOCUMENT_BYTES = 700 * 1024
"""A document travels base64-encoded inside a batch that must stay under 1 MB."""

MAX_RECORD_BYTES = 200_000
"""A record as stored (UTF-8 JSON, without a document's file) is at most this: its event
must fit one EventBridge entry (256 KB) with its envelope, and its state one DynamoDB item
(400 KB). A batch of 1 MB could otherwise carry a record that cannot be written (a 500)."""

CERTIFICATE_SCHEMES = frozenset({"GO", "I-REC", "REC", "REGO"})
"""Schemes whose certificates are whole MWh units."""

WH_PER_MWH = 1_000_000
Scheme = Literal["GO", "I-REC", "REC", "REGO", "HOURLY"]


class RecordKind(StrEnum):
    COUNTERPARTIES = "counterparties"
    TRADES = "trades"
    DELIVERIES = "deliveries"
    RETIREMENTS = "retirements"
    INVOICES = "invoices"
    DOCUMENTS = "documents"


def to_cent(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def amount_decimals(currency: str) -> int:
    """Decimals of an amount in `currency`: to the cent (docs/domain), but whole in a
    currency without a minor unit (JPY, KRW, VND...), which the APIs show without decimals:
    a fraction of a yen accepted here would be shown rounded there."""
    return min(2, minor_units(currency))


def to_minor_unit(value: Decimal, currency: str) -> Decimal:
    """`value` rounded half up to what an amount in `currency` may hold."""
    return value.quantize(Decimal(1).scaleb(-amount_decimals(currency)), rounding=ROUND_HALF_UP)


def has_more_decimals(amount: Decimal, currency: str) -> bool:
    return amount != to_minor_unit(amount, currency)


WHOLE_UNITS_WORDS = "in whole units for a currency without a minor unit, such as JPY"


class RuleChecked(BaseModel):
    """A model whose `CROSS_RULES` it checks itself (the first broken one raises);
    `logic.validation` checks them all, one by one, to report every problem at once.
    Rules about today (no future payments) read `today` from the validation context."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )
    CROSS_RULES: ClassVar[tuple[CrossRule, ...]] = ()

    @model_validator(mode="after")
    def _cross_rules(self, info: ValidationInfo) -> Any:
        today = (info.context or {}).get("today") if info is not None else None
        first_broken(type(self).CROSS_RULES, dict(self), today)
        return self


class Record(RuleChecked):
    """Fields every record has: the source system's reference and its version."""

    reference: Reference = Field(description="The source system's reference; never changes.")
    version: Version

    def stored_json(self) -> str:
        """The record as the store keeps it: compact UTF-8 JSON (text is not \\u-escaped,
        which would triple a record in another script), without a document's file."""
        fields = self.model_dump(mode="json", exclude={"content_base64"})
        return json.dumps(fields, separators=(",", ":"), ensure_ascii=False)

    def content_hash(self) -> str:
        """Stable digest of the record, to tell a true duplicate from a conflicting one:
        numbers by value (`100`, `100.0` and `1E+2` are one volume)."""
        canonical = json.dumps(
            _by_value(self.model_dump(mode="python")), sort_keys=True, default=str
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


class OwnedRecord(Record):
    """A record that belongs to one counterparty, named by its STX reference."""

    counterparty_reference: Reference = Field(
        description="The STX counterparty, linked to a portal account by a counterparties "
        "record first."
    )


def _by_value(value: Any) -> Any:
    """The value with every decimal written one way (no exponent, no trailing zeros)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict):
        return {key: _by_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_by_value(item) for item in value]
    return value


def rule(field: str, needs: tuple[str, ...], words: str, check: Any) -> CrossRule:
    return CrossRule(field, needs, words, check)
