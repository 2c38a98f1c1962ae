"""A function for function-host tests: answers with its process id (so a test can tell a
restarted host) and sleeps when asked (so a test can kill it mid-invocation)."""

from __future__ import annotations

import os
import time
from typing import Any


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    time.sleep(float(event.get("sleep", 0)))
    return {"pid": os.getpid(), "echo": event.get("echo")}
