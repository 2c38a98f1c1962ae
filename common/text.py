"""Text people read: what a name or a published field may hold, wherever it comes from."""

from __future__ import annotations

import unicodedata

from pydantic_core import PydanticCustomError

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Marks and overrides that reorder what is shown: `ACC-` U+202E `21488` reads as another
account number than it is."""


def readable_text(value: str, allowed_controls: frozenset[str] = frozenset()) -> str:
    """`value` as the portal shows and compares it: one normal form (NFC: a name decomposed
    as macOS writes it equals the composed one), no bidirectional controls, no control
    characters but `allowed_controls`, and something visible (not only spaces or U+200B)."""
    for char in value:
        if char in BIDI_CONTROLS:
            raise PydanticCustomError(
                "text_bidi_control",
                "holds a bidirectional control character (U+{code}): send the text as it reads",
                {"code": f"{ord(char):04X}"},
            )
        if unicodedata.category(char) == "Cc" and char not in allowed_controls:
            raise PydanticCustomError(
                "text_control",
                "holds a control character (U+{code}): send printable text",
                {"code": f"{ord(char):04X}"},
            )
    if not any(unicodedata.category(char)[0] not in "CZ" for char in value):
        raise PydanticCustomError("text_invisible", "must hold a visible character")
    return unicodedata.normalize("NFC", value)
