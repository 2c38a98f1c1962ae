"""Standard output that writes whole lines only, for a process that runs several functions.

Lambda runs one invocation per process. A function host runs one per function at a time,
in threads, and `print()` (what Powertools Metrics uses for its EMF blobs) writes the text
and its newline in two calls: two functions flushing metrics together produced
`{...}{...}` on one line and an empty line after it, which is not JSON. Each thread's text
is kept until its newline, then the whole lines are written under one lock.
"""

from __future__ import annotations

import io
import threading
from typing import TextIO


class WholeLineWriter(io.TextIOBase):
    """A text stream over `stream` where no thread's line is interleaved with another's."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream
        self._lock = threading.Lock()
        self._pending = threading.local()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        buffered = getattr(self._pending, "text", "") + text
        lines, newline, rest = buffered.rpartition("\n")
        self._pending.text = rest
        if newline:
            self._emit(lines + newline)
        return len(text)

    def flush(self) -> None:
        """Writes this thread's unfinished line too: `print(..., flush=True)` means now."""
        rest = getattr(self._pending, "text", "")
        self._pending.text = ""
        self._emit(rest)

    def _emit(self, text: str) -> None:
        with self._lock:
            if text:
                self._stream.write(text)
            self._stream.flush()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding

    def fileno(self) -> int:
        return self._stream.fileno()

    def isatty(self) -> bool:
        return self._stream.isatty()
