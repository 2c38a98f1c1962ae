"""Faults injected while trades flow: lost / duplicated / wrong against what was sent.

    .venv/bin/python -m bench.faults [--trades 1000] [--fault-seconds 5] [--only relay,...]

Starts the local runtime (demo data on) with DynamoDB Local behind a gate
(`bench/tcp_gate.py`), then runs one phase per fault, one fault at a time. In each phase a
publisher pushes `--trades` new trades through the ingest API in batches, then amends a
third of them (version 2, new volume), retrying a batch on 5xx/429/connection errors as
any publisher does; a third of the way in, the fault hits for `--fault-seconds`:
- relay: the outbox relay's function host is killed (kill -9), and killed again whenever
  the runtime brings it back, until the window ends;
- consumer: the same for the portfolio's function host (projector, access, API);
- dynamodb: DynamoDB is unreachable (the gate refuses connections and resets open ones).
Nothing is repaired by hand: no redrive, no republish. The phase ends when the portfolio
shows everything sent (or after `--deadline` seconds); then it prints lost / duplicated /
wrong (see `tests/support/trade_flow.py` for the exact rules), the messages left in any DLQ,
and evidence that the fault hit (kills, restarts seen, refused requests). A consumer killed
mid-batch gives that batch back only after its queue's visibility timeout (180 s, as in
AWS), so that phase takes a few minutes. Exit status 0 when every phase is 0 / 0 / 0.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import requests

from bench.tcp_gate import TcpGate
from infra.local.aws import LOOPBACK, start_dynamodb_local, stop_process
from infra.local.control import start_runtime
from infra.local.runtime import REPO
from tests.support.trade_flow import Tally, TradeFlow, dead_letter_depths, host_port

FAULTS = ("relay", "consumer", "dynamodb")
HOSTS = {"relay": "platform", "consumer": "portfolio"}
BATCH = 50
AMENDED_FRACTION = 3


@dataclass
class Phase:
    fault: str
    sent_trades: int
    sent_records: int
    tally: Tally
    converged_seconds: float
    dead_letters: dict[str, int]
    evidence: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def running_pid(endpoints: dict[str, Any], host: str) -> int | None:
    try:
        url = f"http://127.0.0.1:{host_port(endpoints, host)}/health"
        return int(requests.get(url, timeout=0.5).json()["pid"])
    except (requests.RequestException, ValueError, KeyError):
        return None


def kill_for(endpoints: dict[str, Any], host: str, seconds: float) -> str:
    """kill -9 the host, and again each time it is back, for `seconds`."""
    killed: list[int] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pid = running_pid(endpoints, host)
        if pid is not None and pid not in killed:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        time.sleep(0.1)
    back = time.monotonic()
    while running_pid(endpoints, host) in (None, *killed):
        time.sleep(0.2)
    return (
        f"{host} host killed {len(killed)} times in {seconds:.0f} s (pids {killed}); "
        f"running again {time.monotonic() - back:.1f} s after the window"
    )


def run_phase(
    endpoints: dict[str, Any],
    fault: str,
    number: int,
    trades: int,
    fault_seconds: float,
    deadline: float,
    inject: Callable[[], str],
) -> Phase:
    rng = random.Random(number)
    flow = TradeFlow(endpoints, date(2014 + number, 1 + number, 15), uuid.uuid4().hex[:6].upper())
    book = flow.new_trades(trades, rng)
    batches = [book[i : i + BATCH] for i in range(0, trades, BATCH)]
    amendments = flow.amendments(book[: trades // AMENDED_FRACTION], rng)
    batches += [amendments[i : i + BATCH] for i in range(0, len(amendments), BATCH)]
    fault_at = len(batches) // 3
    evidence: list[str] = []
    started = time.monotonic()
    for index, batch in enumerate(batches):
        if index == fault_at:
            injector = threading.Thread(target=lambda: evidence.append(inject()))
            injector.start()
        flow.push(batch)
    injector.join()
    pushed = time.monotonic()
    found = flow.wait_until_clean(deadline)
    converged = time.monotonic() - pushed
    retries = ", ".join(f"{status} x{n}" for status, n in flow.sent.refusals.items()) or "none"
    evidence.append(f"publisher retries: {retries}")
    evidence.append(f"pushed in {pushed - started:.1f} s")
    return Phase(
        fault=fault,
        sent_trades=len(flow.sent.trades),
        sent_records=len(book) + len(amendments),
        tally=found,
        converged_seconds=converged,
        dead_letters={k: v for k, v in dead_letter_depths(endpoints).items() if v},
        evidence="; ".join(evidence),
    )


def print_phase(phase: Phase, fault_seconds: float) -> None:
    state = "converged" if phase.tally.clean else "NOT converged"
    print(
        f"\n[{phase.fault}] {phase.sent_records} records ({phase.sent_trades} trades) sent, "
        f"fault for {fault_seconds:.0f} s; {state} {phase.converged_seconds:.1f} s after the "
        "last batch"
    )
    print(f"[{phase.fault}] {phase.tally}; messages in DLQs: {sum(phase.dead_letters.values())}")
    print(f"[{phase.fault}] {phase.evidence}")
    for example in phase.tally.examples[:5]:
        print(f"[{phase.fault}]   e.g. {example}")
    for name, depth in phase.dead_letters.items():
        print(f"[{phase.fault}]   DLQ {name}: {depth}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trades", type=int, default=1000, help="new trades per phase")
    parser.add_argument("--fault-seconds", type=float, default=5)
    parser.add_argument("--deadline", type=float, default=600, help="seconds to converge")
    parser.add_argument("--only", default=",".join(FAULTS), help="comma-separated faults")
    args = parser.parse_args(argv)
    faults = [f for f in args.only.split(",") if f]
    unknown = set(faults) - set(FAULTS)
    if unknown:
        parser.error(f"unknown faults {sorted(unknown)}; choose from {FAULTS}")

    with tempfile.TemporaryDirectory(prefix="scts-faults-") as state:
        ddb_port = free_port()
        with (Path(state) / "dynamodb-local.log").open("ab") as ddb_log:
            dynamodb = start_dynamodb_local(REPO, ddb_port, ddb_log)
        gate = TcpGate(ddb_port)
        gate.start()
        runtime = start_runtime(
            Path(state) / "runtime",
            {"SCTS_LOCAL_DYNAMODB_ENDPOINT": gate.url},
        )
        phases: list[Phase] = []
        try:
            endpoints = runtime.wait_ready()
            print(f"runtime ready in {endpoints['ready_seconds']} s (DynamoDB behind {gate.url})")
            for number, fault in enumerate(faults):

                def inject(fault: str = fault) -> str:
                    if fault == "dynamodb":
                        before = gate.resets
                        gate.refuse(args.fault_seconds)
                        return (
                            f"DynamoDB refused connections for {args.fault_seconds:.0f} s, "
                            f"{gate.resets - before} open connections reset"
                        )
                    return kill_for(endpoints, HOSTS[fault], args.fault_seconds)

                phase = run_phase(
                    endpoints,
                    fault,
                    number,
                    args.trades,
                    args.fault_seconds,
                    args.deadline,
                    inject,
                )
                print_phase(phase, args.fault_seconds)
                phases.append(phase)
            restarts = [
                line.strip()
                for line in runtime.output.read_text().splitlines()
                if "function host" in line and ("exited" in line or "is back" in line)
            ]
            print(f"\nruntime log: {len(restarts)} host exit/restart lines, e.g.")
            for line in restarts[:2]:
                print(f"  {line}")
        finally:
            runtime.interrupt()
            stop_process(dynamodb)
    print("\nfault      records  lost  duplicated  wrong  DLQ msgs  converged after")
    for phase in phases:
        print(
            f"{phase.fault:<10} {phase.sent_records:>7}  {phase.tally.lost:>4}  "
            f"{phase.tally.duplicated:>10}  {phase.tally.wrong:>5}  "
            f"{sum(phase.dead_letters.values()):>8}  {phase.converged_seconds:>8.1f} s"
        )
    clean = all(p.tally.clean and not p.dead_letters for p in phases)
    return 0 if clean and len(phases) == len(faults) else 1


if __name__ == "__main__":
    raise SystemExit(main())
