"""Numbers, money, volumes, dates and times in a person's own style (identity's
preferences, carried by its PreferencesChanged events): their number format, date format,
time zone and currency. Amounts are never converted (the portal has no FX rates): an
amount in the person's own currency shows its symbol, any other its ISO code."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from common.api_types import minor_units
from services.notifications.logic.timing import zone
from services.notifications.models.domain import Contact

_SEPARATORS = {
    "1,234.56": (",", "."),
    "1.234,56": (".", ","),
    "1 234,56": ("\u00a0", ","),
    "1'234.56": ("'", "."),
}
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF", "SEK": "kr"}


def number(value: Decimal | str, places: int, style: str) -> str:
    try:
        amount = Decimal(value)
    except (InvalidOperation, ValueError):
        return str(value)
    group, decimal = _SEPARATORS.get(style, (",", "."))
    quantized = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    text = f"{quantized:,.{places}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def money(amount: str, currency: str, contact: Contact) -> str:
    shown = number(amount, minor_units(currency), contact.number_format)
    if currency == contact.default_currency and currency in _SYMBOLS:
        return f"{_SYMBOLS[currency]} {shown}"
    return f"{currency} {shown}"


def volume(mwh: str, contact: Contact) -> str:
    return f"{number(mwh, 3, contact.number_format)} MWh"


def day(value: str | date, contact: Contact) -> str:
    try:
        parsed = value if isinstance(value, date) else date.fromisoformat(value)
    except ValueError:
        return str(value)
    y, m, d = f"{parsed.year:04d}", f"{parsed.month:02d}", f"{parsed.day:02d}"
    return {
        "YYYY-MM-DD": f"{y}-{m}-{d}",
        "DD/MM/YYYY": f"{d}/{m}/{y}",
        "MM/DD/YYYY": f"{m}/{d}/{y}",
        "DD.MM.YYYY": f"{d}.{m}.{y}",
        "DD-MM-YYYY": f"{d}-{m}-{y}",
    }.get(contact.date_format, f"{y}-{m}-{d}")


def moment(value: datetime, contact: Contact) -> str:
    """Date and time on the person's clock, with the zone's abbreviation."""
    local = value.astimezone(zone(contact.timezone))
    return f"{day(local.date(), contact)} {local:%H:%M} {local.tzname()}"
