"""What `scts-publish` remembers between runs so an interrupted publication continues.

A state file per publication (`<state dir>/<key>.json`, key = SHA-256 of the ingest URL,
kind, format, dry-run flag and the file's SHA-256) holds the upload id once the portal
created the upload. Running the same command again on the same file finds it and goes on
from the step the upload reached: a file the portal never received is uploaded again
(to a new upload: nothing of the old one was applied), a received one is only followed.
The state file is removed once the upload finished and its result was reported; it never
holds the publisher key or a presigned URL.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STATE_DIR_ENV = "SCTS_PUBLISH_STATE_DIR"


def default_state_dir() -> Path:
    """$SCTS_PUBLISH_STATE_DIR, else $XDG_CACHE_HOME/scts-publish (~/.cache/scts-publish)."""
    if os.environ.get(STATE_DIR_ENV):
        return Path(os.environ[STATE_DIR_ENV])
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "scts-publish"


def _lines(path: Path) -> Iterator[str]:
    """The file's lines as the portal reads them (UTF-8, a byte order mark ignored)."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as source:
        for line in source:
            yield line.rstrip("\r\n")


def count_rows(path: Path, upload_format: str) -> int:
    """Data rows as the portal counts them: CSV records after the header (blank lines
    skipped), JSON Lines non-blank lines."""
    if upload_format == "csv":
        return sum(1 for _ in csv.DictReader(_lines(path)))
    return sum(1 for line in _lines(path) if line.strip())


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Publication:
    """One file to publish somewhere, as given on the command line."""

    url: str
    kind: str
    upload_format: str
    dry_run: bool
    path: Path
    size: int
    digest: str
    rows: int

    @classmethod
    def of(cls, url: str, kind: str, upload_format: str, dry_run: bool, path: Path) -> Publication:
        return cls(
            url=url.rstrip("/"),
            kind=kind,
            upload_format=upload_format,
            dry_run=dry_run,
            path=path,
            size=path.stat().st_size,
            digest=file_digest(path),
            rows=count_rows(path, upload_format),
        )

    @property
    def key(self) -> str:
        fields = [self.url, self.kind, self.upload_format, self.dry_run, self.digest]
        return hashlib.sha256(json.dumps(fields).encode()).hexdigest()[:32]


class StateFile:
    """The remembered upload of one publication."""

    def __init__(self, directory: Path, publication: Publication) -> None:
        self.path = directory / f"{publication.key}.json"
        self._publication = publication

    def upload_id(self) -> str | None:
        try:
            state: dict[str, Any] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return None
        found = state.get("upload_id")
        return found if isinstance(found, str) else None

    def remember(self, upload_id: str) -> None:
        """Written before the file is sent, atomically, readable by its owner only."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as sink:
            json.dump(
                {
                    "upload_id": upload_id,
                    "file": str(self._publication.path.resolve()),
                    "kind": self._publication.kind,
                    "url": self._publication.url,
                    "dry_run": self._publication.dry_run,
                },
                sink,
            )
        partial.replace(self.path)

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)
