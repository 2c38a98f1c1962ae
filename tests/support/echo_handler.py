"""A function for function-host tests: answers with its process id (so a test can tell a
restarted host), sleeps when asked (so a test can kill it mid-invocation) and prints a line
in two writes with a pause between them when asked (as `print()` writes text, then newline)."""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if "say" in event:
        sys.stdout.write(json.dumps({"said": event["say"]}))
        time.sleep(float(event.get("pause", 0)))
        sys.stdout.write("\n")
    time.sleep(float(event.get("sleep", 0)))
    return {"pid": os.getpid(), "echo": event.get("echo")}
