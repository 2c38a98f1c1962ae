"""API keys: `scts_pub_<prefix>_<secret>`. The prefix finds the stored record; only a
salted SHA-256 of the whole key is kept, compared in constant time.

A fast hash is enough here: the secret has 256 bits of entropy, so there is nothing to
brute-force, and the authorizer runs on every uncached request.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from services.provisioning.models.publishers import ApiKey

KEY_PATTERN = re.compile(r"^scts_pub_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$")
PREFIX_BYTES = 5
SECRET_BYTES = 32


@dataclass(frozen=True)
class IssuedKey:
    plaintext: str
    record: ApiKey


def key_hash(salt: str, plaintext: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + plaintext.encode()).hexdigest()


def issue_key(publisher_id: str, now: datetime, created_by: str | None = None) -> IssuedKey:
    prefix = secrets.token_hex(PREFIX_BYTES)
    plaintext = f"scts_pub_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    salt = secrets.token_hex(16)
    record = ApiKey(
        prefix=prefix,
        publisher_id=publisher_id,
        salt=salt,
        key_hash=key_hash(salt, plaintext),
        created_at=now,
        created_by=created_by,
    )
    return IssuedKey(plaintext=plaintext, record=record)


def prefix_of(plaintext: str) -> str | None:
    """The public prefix of a well-formed key, else None."""
    match = KEY_PATTERN.match(plaintext)
    return match.group(1) if match else None


def key_matches(plaintext: str, stored: ApiKey, now: datetime) -> bool:
    """True if the key hashes to the stored hash (constant time) and is usable now."""
    expected = key_hash(stored.salt, plaintext)
    same = hmac.compare_digest(expected, stored.key_hash)
    return same and stored.usable_at(now)
