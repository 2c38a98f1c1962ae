"""Two slow paths of moto (pinned 5.2.5) that make the local event flow crawl, fixed in
the runtime's process only (see ../shared/local-aws.md, "moto slow paths").

- EventBridge -> SQS delivery re-builds a jsonpath parser (PLY grammar) for every target of
  every event (~15 ms each): `jsonpath_ng.ext.parse` is memoized; parsed paths are
  immutable and only used for `find`.
- SQS ReceiveMessage checks each returned message's retention by computing *all* queue
  attributes (which counts every message): the check reads the one attribute it needs.

Both keep moto's behaviour (same events delivered, expired messages still withheld).
Guarded by tests/integration/local/test_moto_speedups.py, which fails when moto changes
under them.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

import jsonpath_ng.ext as jsonpath_ext
from moto.core.utils import unix_time
from moto.sqs.models import Message, SQSBackend

_lock = threading.Lock()
_originals: dict[str, Any] = {}


def _retention_check(backend: SQSBackend, queue_name: str, message: Message) -> bool:
    queue: Any = backend.get_queue(queue_name)
    sent_at_ms: Any = message.sent_timestamp
    retain_until = int(queue.message_retention_period) + sent_at_ms / 1000
    return bool(retain_until > unix_time())


def install() -> None:
    """Apply both fixes process-wide (idempotent)."""
    with _lock:
        if _originals:
            return
        _originals["parse"] = getattr(jsonpath_ext, "parse")  # noqa: B009
        _originals["retention"] = SQSBackend.is_message_valid_based_on_retention_period
        cached: Callable[..., Any] = functools.lru_cache(maxsize=512)(_originals["parse"])
        setattr(jsonpath_ext, "parse", cached)  # noqa: B010 - the module attribute moto reads
        setattr(SQSBackend, "is_message_valid_based_on_retention_period", _retention_check)  # noqa: B010


def uninstall() -> None:
    with _lock:
        if not _originals:
            return
        setattr(jsonpath_ext, "parse", _originals.pop("parse"))  # noqa: B010
        setattr(  # noqa: B010
            SQSBackend, "is_message_valid_based_on_retention_period", _originals.pop("retention")
        )
