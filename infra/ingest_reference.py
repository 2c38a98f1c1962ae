"""The ingest reference page, generated from the record models: `python -m infra.ingest_reference
[--check]` writes `docs/ingest.md` (every kind, every field with its rule in words and an
example, and every rule over several fields), so an integrator can build a file without
reading code. `--check` writes nothing and exits 1 when the page differs from the models
(`make contracts` regenerates it; `tests/contract/test_ingest_reference.py` checks it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from services.provisioning.models.fields import RULE_WORDS
from services.provisioning.models.record_base import RuleChecked
from services.provisioning.models.records import CSV_KINDS, RECORD_MODELS, RecordKind

PAGE = Path(__file__).resolve().parents[1] / "docs" / "ingest.md"
INTRO = """# Ingest reference: what a publisher sends

Generated from `services/provisioning/models/` by `python -m infra.ingest_reference` (run
`make contracts` after changing a model); do not edit by hand.

Records go to the ingest API as `POST /v1/<kind>` with `{"records": [...]}` (at most 500
records, 1 MB), or as an upload (`POST /v1/uploads`): CSV for counterparties and trades,
JSON Lines for every kind. A CSV file's first line names the columns, separated by commas;
a list cell separates its values with `;`; an empty cell is an absent value; a cell in
double quotes may hold commas and line breaks (RFC 4180). Every record names its
`reference` (the source system's, never changing) and its `version` (1, then higher for
each change); sending a stored version again with the same values (numbers compared by
value: `100` and `100.000` are one) is a duplicate. Every problem of a record is reported
at once, each naming its field; a row that cannot be read at all (a CSV cell longer than
128 KB, a JSON line nested too deep) is that row's rejection; a problem of the whole file
(its separator, its header) is reported once, before any row. A later version never moves
a record to another counterparty's account, and never changes an invoice's or a document's
`document_type` (another type is published under a new reference).

Money (totals, amounts, prices) is a decimal string such as `"2938.68"`, never a JSON
number. Amounts are to the cent, and in whole units in a currency without a minor unit
(JPY, KRW, VND...: ISO 4217), as the portal shows them. Dates are `YYYY-MM-DD`; a date of
something that has happened (a trade, a completed delivery, a retirement, an invoice, a
payment) may be at most one day after today (UTC).
Certificates reconcile per lot (scheme, registry account, technology, country, vintage): a
buy's deliveries go into the trade's registry account, a sell's come out of it, and a
retirement comes out of the account it names; a record that would take a lot below zero is
rejected on `batches`.
"""


def _type_of(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in prop:
        kinds = [_type_of(p) for p in prop["anyOf"] if p.get("type") != "null"]
        return " or ".join(kinds)
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    kind = str(prop.get("type", "any"))
    if kind == "array":
        bounds = []
        if "minItems" in prop:
            bounds.append(f"at least {prop['minItems']}")
        if "maxItems" in prop:
            bounds.append(f"at most {prop['maxItems']}")
        limits = f" ({', '.join(bounds)})" if bounds else ""
        items = prop.get("items", {})
        each = _pattern_words(items)
        return f"list of {_type_of(items)}{limits}" + (f", each {each}" if each else "")
    if prop.get("format") == "date":
        return "date (YYYY-MM-DD)"
    bounds = []
    for key, words in (
        ("minimum", "at least"),
        ("exclusiveMinimum", "more than"),
        ("maximum", "at most"),
    ):
        if key in prop:
            bounds.append(f"{words} {prop[key]}")
    if kind == "string" and "maxLength" in prop and "description" not in prop:
        bounds.append(f"{prop.get('minLength', 0)} to {prop['maxLength']} characters")
    return kind + (f" ({', '.join(bounds)})" if bounds else "")


def _pattern_words(prop: dict[str, Any]) -> str:
    """What a pattern-checked string asks for, in the words a rejection uses."""
    pattern = prop.get("pattern")
    return RULE_WORDS.get(pattern, "").removeprefix("must be ") if pattern else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _fields(model: type[BaseModel]) -> list[str]:
    schema = model.model_json_schema(mode="validation")
    required = set(schema.get("required", []))
    lines = ["| field | required | value | example |", "|---|---|---|---|"]
    for name, prop in schema["properties"].items():
        inner = next((p for p in prop.get("anyOf", []) if p.get("type") != "null"), prop)
        words = prop.get("description") or inner.get("description", "")
        rule = _pattern_words(inner)
        if rule and rule.split(", e.g.")[0] not in words:
            words = f"{words} Must be {rule}." if words else f"{rule}."
        value = _type_of(prop) + (f": {words}" if words else "")
        examples = prop.get("examples") or inner.get("examples") or []
        example = f"`{examples[0]}`" if examples else ""
        lines.append(
            f"| `{name}` | {'yes' if name in required else 'no'} | {_cell(value)} | {example} |"
        )
    return lines


def _rules(model: type[RuleChecked]) -> list[str]:
    if not model.CROSS_RULES:
        return []
    lines = ["", "Rules over several fields (the rejection names the first field listed):", ""]
    lines += [f"- `{rule.field}`: {rule.words}" for rule in model.CROSS_RULES]
    return lines


def _nested(model: type[BaseModel]) -> list[type[RuleChecked]]:
    found: list[type[RuleChecked]] = []
    for info in model.model_fields.values():
        for arg in getattr(info.annotation, "__args__", ()):
            if isinstance(arg, type) and issubclass(arg, RuleChecked) and arg not in found:
                found.append(arg)
    return found


def render() -> str:
    sections = [INTRO]
    nested: list[type[RuleChecked]] = []
    for kind in RecordKind:
        model = RECORD_MODELS[kind]
        formats = "CSV or JSON Lines" if kind in CSV_KINDS else "JSON Lines (nested fields)"
        doc = (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else ""
        sections.append(f"## {kind} (`POST /v1/{kind}`; uploads: {formats})\n")
        if doc and not doc.startswith("Fields every record"):
            sections.append(doc + "\n")
        sections.append("\n".join(_fields(model) + _rules(model)) + "\n")
        nested += [n for n in _nested(model) if n not in nested]
    for item in nested:
        sections.append(f"## {item.__name__}\n")
        if item.__doc__:
            sections.append(item.__doc__.strip().splitlines()[0] + "\n")
        sections.append("\n".join(_fields(item) + _rules(item)) + "\n")
    return "\n".join(sections)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 on drift")
    args = parser.parse_args(argv)
    page = render()
    current = PAGE.read_text() if PAGE.exists() else None
    if current == page:
        return 0
    if args.check:
        print(f"{PAGE.relative_to(PAGE.parents[1])}: differs from the models", file=sys.stderr)
        return 1
    PAGE.write_text(page)
    print(f"updated {PAGE.relative_to(PAGE.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
