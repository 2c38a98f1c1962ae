"""CPU time per process of a running local runtime, from /proc (Linux): the runtime's own
process (moto, the pollers, the gateways), DynamoDB Local, and each function host.

A bench snapshots it before and after its workload and prints the difference per event:
on a machine with two shared cores, where an event's time goes is a question of CPU
seconds, not of which stage waits.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")
_SERVICE = re.compile(r"services\.([a-z]+)\.handlers")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may hold spaces
    return text[text.rindex(")") + 2 :].split()


def descendants(root: int) -> list[int]:
    """`root` and every process below it."""
    parents: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (fields := _stat_fields(int(entry.name))):
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(parents.get(pid, []))
    return found


def label(pid: int, root: int) -> str:
    if pid == root:
        return "runtime (moto, pollers, gateways)"
    try:
        command = (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "gone"
    if "java" in command.split(" ", 1)[0]:
        return "DynamoDB Local (java)"
    services = sorted(set(_SERVICE.findall(command)))
    if "relay_handler" in command and not services:
        return "outbox relay host"
    return f"{'/'.join(services) or 'other'} host"


def cpu_seconds(root: int) -> dict[str, float]:
    """User + system CPU seconds so far of each process under the runtime, by label."""
    totals: dict[str, float] = {}
    for pid in descendants(root):
        fields = _stat_fields(pid)
        if fields is not None:
            name = label(pid, root)
            totals[name] = totals.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / TICKS
    return totals


def runtime_pid(state_dir: Path) -> int | None:
    try:
        return int((state_dir / "runtime.pid").read_text().strip())
    except (OSError, ValueError):
        return None


def report(
    before: dict[str, float], after: dict[str, float], events: int, wall_seconds: float
) -> None:
    used = {name: after[name] - before.get(name, 0.0) for name in after}
    total = sum(used.values())
    print(
        f"CPU meanwhile: {total:,.1f} s in {wall_seconds:,.1f} s"
        f" ({total / max(wall_seconds, 1e-9):.2f} cores busy), {total * 1000 / events:,.1f} ms"
        " per event:"
    )
    for name, seconds in sorted(used.items(), key=lambda item: -item[1]):
        print(
            f"  {name:36} {seconds:8.1f} s  {seconds * 1000 / events:7.1f} ms/event"
            f"  {seconds / max(total, 1e-9):4.0%}"
        )
