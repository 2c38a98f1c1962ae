"""moto's slow paths on the local event flow (pinned 5.2.5), fixed in the runtime's process.

Profiled on a 10,000-row upload (see infra/local/README.md, "Where the time went"): every
cost below grew with the depth of the queue, so a backlog made each call slower and the
backlog longer. Each fix keeps moto's behaviour (same messages, same order, same receive
counts, same redrive to the DLQ); only the work per call changes.

- EventBridge -> SQS delivery re-built a jsonpath parser (PLY grammar) for every target of
  every event (~15 ms each): `jsonpath_ng.ext.parse` is memoized; parsed paths are
  immutable and only used for `find`.
- SendMessage computed *all* queue attributes (three passes over every message, each
  reading the clock twice per message) to read ContentBasedDeduplication, which only FIFO
  queues have: the send reads that one attribute.
- ReceiveMessage checked each returned message's retention by computing all queue
  attributes: the check reads the one attribute it needs.
- The visible / in-flight / delayed views of a queue read the clock per message: they
  read it once per call.
- Each receive drew a receipt handle with 185 separate `random.choice` calls: one
  `random.choices` call draws the same kind of handle (185 lowercase letters, moto's own
  random source).
- DeleteMessage scanned every message twice and rebuilt the list: it stops at the message
  that had the receipt handle (received messages are near the head of the queue).
- The server found the backend of every request by matching its inferred host (e.g.
  `sqs.eu-west-1.amazonaws.com`) against ~200 URL patterns, under the one lock every
  request takes (~1 ms per request, each delivery makes several): the answer depends on
  the host only, so it is remembered per host.

Guarded by tests/integration/local/test_moto_speedups.py: moto's version, a fingerprint of
each replaced function's source (a changed moto fails the test, so the copy is re-checked),
and the same observable behaviour with and without the fixes.
"""

from __future__ import annotations

import functools
import hashlib
import string
import threading
from collections.abc import Callable
from typing import Any

import jsonpath_ng.ext as jsonpath_ext
from moto.core.utils import unix_time, unix_time_millis
from moto.moto_api._internal import mock_random as random
from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.sqs import models as sqs_models
from moto.sqs.exceptions import InvalidParameterValue, ReceiptHandleIsInvalid
from moto.sqs.models import MAXIMUM_MESSAGE_DELAY, Message, Queue, SQSBackend

_lock = threading.Lock()
_originals: dict[tuple[Any, str], Any] = {}

REPLACED_SOURCES = {
    "SQSBackend.send_message": "bf161af09a9e",
    "SQSBackend.is_message_valid_based_on_retention_period": "cca23b94a5f3",
    "Queue.messages": "03a531dbcbcf",
    "Queue.approximate_number_of_messages_not_visible": "5dbecc4dda17",
    "Queue.approximate_number_of_messages_delayed": "c3c1dadb0c42",
    "Queue.delete_message": "fa6fd5b9bd2c",
    "generate_receipt_handle": "10853f98152c",
    "DomainDispatcherApplication.get_backend_for_host": "1f41972c1e4e",
}
"""sha256 (first 12 hex digits) of moto 5.2.5's source of each function replaced here."""


def source_fingerprint(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()[:12]


def _retention_check(backend: SQSBackend, queue_name: str, message: Message) -> bool:
    queue: Any = backend.get_queue(queue_name)
    sent_at_ms: Any = message.sent_timestamp
    retain_until = int(queue.message_retention_period) + sent_at_ms / 1000
    return bool(retain_until > unix_time())


def _content_based_deduplication(queue: Any) -> bool:
    """What moto read through `queue.attributes`: only FIFO queues report the attribute."""
    return bool(queue.fifo_queue) and str(queue.content_based_deduplication).lower() == "true"


def _send_message(
    self: SQSBackend,
    queue_name: str,
    message_body: str,
    message_attributes: dict[str, Any] | None = None,
    delay_seconds: int | None = None,
    deduplication_id: str | None = None,
    group_id: str | None = None,
    system_attributes: dict[str, Any] | None = None,
    validate_group_id: bool = True,
) -> Message:
    """moto 5.2.5's SQSBackend.send_message, except the ContentBasedDeduplication read."""
    queue: Any = self.get_queue(queue_name)
    self._validate_message(
        queue,
        message_body=message_body,
        delay_seconds=int(delay_seconds or 0),
        deduplication_id=deduplication_id,
        group_id=group_id,
        validate_group_id=validate_group_id,
    )
    delay = int(delay_seconds) if delay_seconds is not None else queue.delay_seconds
    message = Message(str(random.uuid4()), message_body, system_attributes)
    if _content_based_deduplication(queue):
        message.deduplication_id = hashlib.sha256(message_body.encode("utf-8")).hexdigest()
    if deduplication_id is not None:
        message.deduplication_id = deduplication_id
        message.sequence_number = "".join(random.choice("0123456789") for _ in range(20))
    if group_id is not None:
        message.group_id = group_id
    if message_attributes:
        message.message_attributes = message_attributes
    if delay > MAXIMUM_MESSAGE_DELAY:
        raise InvalidParameterValue(
            f"Value {delay} for parameter DelaySeconds is invalid. "
            "Reason: DelaySeconds must be >= 0 and <= 900."
        )
    message.mark_sent(delay_seconds=delay)
    queue.add_message(message)
    return message


RECEIPT_HANDLE_LENGTH = 185


def _receipt_handle() -> str:
    return "".join(random.choices(string.ascii_lowercase, k=RECEIPT_HANDLE_LENGTH))


def _visible_messages(self: Queue) -> list[Message]:
    """Visible and not delayed (moto's `Message.visible and not Message.delayed`)."""
    now = unix_time_millis()
    return [m for m in self._messages if now > m.visible_at and not now < m.delayed_until]


def _not_visible_count(self: Queue) -> int:
    now = unix_time_millis()
    return sum(1 for m in self._messages if not now > m.visible_at)


def _delayed_count(self: Queue) -> int:
    now = unix_time_millis()
    return sum(1 for m in self._messages if now < m.delayed_until)


def _had_receipt_handle(message: Any, receipt_handle: str) -> bool:
    return bool(
        message.receipt_handle == receipt_handle or receipt_handle in message._old_receipt_handles
    )


def _delete_message(self: Queue, receipt_handle: str) -> None:
    """moto's Queue.delete_message, stopping at the (only) message with the handle."""
    if receipt_handle in self.deleted_messages:
        return
    messages: list[Any] = self._messages
    index = next(
        (i for i, m in enumerate(messages) if _had_receipt_handle(m, receipt_handle)), None
    )
    if index is None:
        raise ReceiptHandleIsInvalid()
    message = messages[index]
    self.pending_messages.discard(message)
    self.deleted_messages.update(message.all_receipt_handles)
    self._messages = messages[:index] + messages[index + 1 :]


def _backend_for_host(self: DomainDispatcherApplication, host: str | None) -> Any:
    """moto's lookup, remembered per host (the patterns never change in a running server);
    called under the dispatcher's lock, like the original."""
    if host is None:
        return None
    known: dict[str, Any] = self.__dict__.setdefault("_backend_by_host", {})
    if host not in known:
        known[host] = _originals[(DomainDispatcherApplication, "get_backend_for_host")](self, host)
    return known[host]


def _patches() -> list[tuple[Any, str, Any]]:
    """(owner, attribute, replacement) for every fix."""
    memoized: Callable[..., Any] = functools.lru_cache(maxsize=512)(_originals_or(jsonpath_ext))
    return [
        (jsonpath_ext, "parse", memoized),
        (SQSBackend, "is_message_valid_based_on_retention_period", _retention_check),
        (SQSBackend, "send_message", _send_message),
        (Queue, "messages", property(_visible_messages)),
        (Queue, "approximate_number_of_messages_not_visible", property(_not_visible_count)),
        (Queue, "approximate_number_of_messages_delayed", property(_delayed_count)),
        (Queue, "delete_message", _delete_message),
        (sqs_models, "generate_receipt_handle", _receipt_handle),
        (DomainDispatcherApplication, "get_backend_for_host", _backend_for_host),
    ]


def _originals_or(module: Any) -> Callable[..., Any]:
    parse: Callable[..., Any] = _originals.get((module, "parse"), module.parse)
    return parse


def install() -> None:
    """Apply every fix process-wide (idempotent)."""
    with _lock:
        if _originals:
            return
        for owner, attribute, replacement in _patches():
            _originals[(owner, attribute)] = owner.__dict__[attribute]
            setattr(owner, attribute, replacement)


def uninstall() -> None:
    with _lock:
        for (owner, attribute), original in _originals.items():
            setattr(owner, attribute, original)
        _originals.clear()
