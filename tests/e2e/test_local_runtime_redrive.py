"""End-to-end: events that ended in the portfolio's DLQ reach the read model once the
operator runs `python -m infra.ops.redrive` (the README's operations section)."""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from contracts.envelope import EventEnvelope
from contracts.events import provisioning as events
from infra.local.aws import client
from infra.local.runtime import STAGE
from infra.ops import redrive
from services.portfolio.topology import TOPOLOGY as PORTFOLIO
from tests.support.trade_flow import Expected, TradeFlow, dead_letter_depths

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

TRADES = 30


def eventbridge_body(envelope: EventEnvelope[Any]) -> str:
    """What the bus delivers to a subscription queue (and the queue moves to its DLQ)."""
    return json.dumps(
        {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": envelope.detail_type,
            "source": envelope.source,
            "account": "123456789012",
            "time": envelope.occurred_at.isoformat(),
            "region": "eu-west-1",
            "resources": [],
            "detail": json.loads(envelope.model_dump_json()),
        }
    )


def test_dead_lettered_events_reach_the_read_model_after_a_redrive(
    local_runtime: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(1812)
    flow = TradeFlow(local_runtime, date(2012, 3, rng.randint(1, 28)), uuid.uuid4().hex[:6].upper())
    subscription = next(s for s in PORTFOLIO.subscriptions if s.name == "provisioning-events")
    dlq_name = PORTFOLIO.dlq_name(STAGE, subscription)
    sqs = client("sqs", local_runtime["aws_endpoint"])
    dlq = sqs.get_queue_url(QueueName=dlq_name)["QueueUrl"]
    for record in flow.new_trades(TRADES, rng):
        data = events.Trade(**record, account_id=flow.account_id, publisher_id="pub-redrive")
        envelope = events.TRADE_EXECUTED.new(
            data, flow.account_id, "redrive-e2e", occurred_at=datetime.now(UTC)
        )
        sqs.send_message(QueueUrl=dlq, MessageBody=eventbridge_body(envelope))
        flow.sent.trades[record["reference"]] = Expected(
            1, Decimal(record["volume_mwh"]), "executed"
        )
    assert flow.shown() == []  # waiting in the DLQ, not in the read model
    assert dead_letter_depths(local_runtime)[dlq_name] == TRADES

    endpoints = tmp_path / "endpoints.json"
    endpoints.write_text(json.dumps(local_runtime))
    assert redrive.main(["--local", str(endpoints), dlq_name]) == 0
    assert f"moved {TRADES} messages" in capsys.readouterr().out

    found = flow.wait_until_clean(120)
    assert found.clean, (str(found), found.examples[:5])
    assert len(flow.shown()) == TRADES
    assert dead_letter_depths(local_runtime)[dlq_name] == 0
