"""End-to-end: function hosts killed (kill -9) while trades flow are restarted by the
runtime, as Lambda starts a new environment, and nothing is lost, doubled or wrong: every
trade reaches the portfolio at its last version and no message waits in a DLQ.

The consumer host dies mid-batch: that batch returns after its queue's visibility timeout
(6 x the projector's 30 s, as in AWS), so this test takes a few minutes.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
import uuid
from datetime import date
from typing import Any

import pytest

from tests.support.trade_flow import TradeFlow, dead_letter_depths, host_pid

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

TRADES = 240
BATCH = 40
AMENDED = 60
CONVERGENCE_SECONDS = 420
"""The failed batch's visibility timeout (180 s) plus the backlog, with room to spare."""


def test_hosts_killed_mid_flow_are_restarted_and_nothing_is_lost(
    local_runtime: dict[str, Any],
) -> None:
    rng = random.Random(18)
    run = uuid.uuid4().hex[:6].upper()
    flow = TradeFlow(local_runtime, date(2011, 6, rng.randint(1, 28)), run)
    before = {host: host_pid(local_runtime, host) for host in ("portfolio", "platform")}
    assert flow.tally().clean  # nothing of this run's date yet
    trades = flow.new_trades(TRADES, rng)

    def push_all() -> None:
        for start in range(0, TRADES, BATCH):
            flow.push(trades[start : start + BATCH])
        flow.push(flow.amendments(trades[:AMENDED], rng))

    pushing = threading.Thread(target=push_all)
    pushing.start()
    deadline = time.monotonic() + 120
    while len(flow.sent.trades) < BATCH and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(before["portfolio"], signal.SIGKILL)  # the consumer, mid-flow
    os.kill(before["platform"], signal.SIGKILL)  # the outbox relay, mid-flow
    pushing.join(300)
    assert not pushing.is_alive()

    after = {host: host_pid(local_runtime, host) for host in before}
    assert all(after[h] != before[h] for h in before), "the killed hosts were not restarted"
    found = flow.wait_until_clean(CONVERGENCE_SECONDS)
    assert found.clean, (str(found), found.examples[:5])
    assert len(flow.sent.trades) == TRADES
    depths = dead_letter_depths(local_runtime)
    assert depths
    assert not any(depths.values()), depths
