"""What the provisioning use cases need from the outside world, as Protocols.

The adapters (`adapters/`) implement them on DynamoDB, S3 and API Gateway; the unit tests
implement them in memory (`tests/support/provisioning_fakes.py`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, Protocol

from contracts.envelope import EventEnvelope
from services.provisioning.logic.lifecycle import StoredState
from services.provisioning.logic.lots import LotKey
from services.provisioning.logic.planning import PlannedWrite
from services.provisioning.models.publishers import ApiKey, Publisher, UsageKey
from services.provisioning.models.records import RecordKind
from services.provisioning.models.uploads import Counts, RejectedRow, Upload


class KnownAccounts(Protocol):
    def known_accounts(self, account_ids: Collection[str]) -> set[str]:
        """The ids among `account_ids` that identity announced."""
        ...


class StateReader(Protocol):
    def counterparty_accounts(self, references: Collection[str]) -> dict[str, str]:
        """Account id per linked STX counterparty reference (unknown ones are absent)."""
        ...

    def current_states(
        self, kind: RecordKind, references: Collection[str]
    ) -> dict[str, StoredState]: ...

    def lot_balances(self, lots: Collection[LotKey]) -> dict[LotKey, int]:
        """Certificates held per lot (read consistently; a lot never written holds 0)."""
        ...


class RecordStore(KnownAccounts, StateReader, Protocol):
    def apply(self, writes: Sequence[PlannedWrite]) -> dict[int, StoredState | None]:
        """Write each state + event (+ trade charge, + lot changes) atomically; return, by
        position, the writes whose condition failed with the state found (None: nothing
        stored). A lot a write lowers must still hold enough when it is written."""
        ...


class PublisherLookup(Protocol):
    def get(self, publisher_id: str) -> Publisher | None: ...


class PublisherStore(PublisherLookup, Protocol):
    def create(self, publisher: Publisher, key: ApiKey, event: EventEnvelope[Any]) -> None:
        """Store the publisher, its first key and `event` (outbox) in one transaction."""
        ...

    def all_publishers(self) -> list[Publisher]: ...

    def keys(self, publisher_id: str) -> list[ApiKey]: ...

    def key(self, prefix: str) -> ApiKey | None:
        """The key with this prefix, read consistently (revocation is immediate)."""
        ...

    def rotate(
        self, new_key: ApiKey, expire: Collection[str], at: datetime, event: EventEnvelope[Any]
    ) -> None:
        """Store `new_key` and let the keys `expire` (prefixes) stop working at `at`, with
        `event` (outbox), in one transaction."""
        ...

    def revoke(
        self, publisher_id: str, prefix: str, at: datetime, by: str, event: EventEnvelope[Any]
    ) -> bool:
        """Revoke the key with `event` (outbox) in one transaction; a key already revoked
        keeps its first revocation's time and admin and writes no event. False if it is not
        this publisher's."""
        ...

    def touch(self, prefix: str, at: datetime) -> None: ...

    def take_request(self, publisher_id: str, window: str, limit: int) -> bool:
        """Count one request in the publisher's window; False once `limit` is reached."""
        ...


class KeyStore(PublisherLookup, Protocol):
    """What authenticating a presented key reads and writes."""

    def key(self, prefix: str) -> ApiKey | None: ...

    def touch(self, prefix: str, at: datetime) -> None: ...


class UsageKeys(Protocol):
    """The publishers' API keys in the ingest API's usage plan (their gateway throttle)."""

    def create(self, publisher_id: str) -> UsageKey:
        """A new enabled API key named `publisher_id`, already added to the usage plan."""
        ...

    def delete(self, key_id: str) -> None: ...


class UploadLookup(Protocol):
    def get(self, upload_id: str) -> Upload | None: ...


class ProgressStore(Protocol):
    def save_progress(
        self, upload: Upload, last_line: int, totals: Counts, rejected: list[RejectedRow]
    ) -> None:
        """Record progress (`Upload.progressed`) and the chunk's rejected rows in one atomic
        write."""
        ...


class UploadClaims(UploadLookup, Protocol):
    def claim(self, upload_id: str, owner: str, now: datetime, lease_seconds: int) -> Upload | None:
        """Give `owner` the processing claim of an unfinished upload whose claim is free or
        expired: the upload as stored, with `claimed_by`; None if it is missing, finished
        or held by another run."""
        ...

    def release(self, upload: Upload) -> None:
        """Give the claim back (if `upload.claimed_by` still holds it)."""
        ...


class UploadRunStore(UploadClaims, ProgressStore, Protocol):
    """Writes (`save`, `save_progress`) of an upload with `claimed_by` happen only while that
    run holds the claim (else ClaimLost); a finished upload's write ends the claim."""

    def save(self, upload: Upload) -> None: ...

    def lines(self, key: str) -> Iterable[str]:
        """The uploaded file's lines, read lazily."""
        ...

    def write_rejections_csv(self, upload: Upload) -> str:
        """Every rejected row of the upload as a CSV object; its key."""
        ...


class ReceiptStore(UploadLookup, Protocol):
    def object_size(self, key: str) -> int | None:
        """Bytes of the object at `key`, None if there is none."""
        ...

    def queue(self, upload: Upload, event: EventEnvelope[Any]) -> bool:
        """AWAITING_FILE -> `upload` + the event, atomically; False if it had moved on."""
        ...

    def fail(self, upload: Upload) -> bool:
        """AWAITING_FILE -> `upload` (FAILED); False if it had moved on."""
        ...


class UploadDesk(ReceiptStore, Protocol):
    """What a publisher's upload requests use: new uploads, their files and rejections."""

    def create(self, upload: Upload) -> None: ...

    def upload_url(self, key: str, content_type: str, expires_in: int) -> str:
        """A presigned PUT of the upload's file."""
        ...

    def rejected_rows(self, upload_id: str) -> Iterator[RejectedRow]:
        """Every rejected row, in file order."""
        ...

    def rejections_url(self, upload: Upload, expires_in: int) -> str:
        """A presigned GET of the upload's rejected rows as CSV."""
        ...
