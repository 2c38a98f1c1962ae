"""In-memory fakes of provisioning's ports (the contract of the DynamoDB and API Gateway
adapters), for unit tests and benchmarks. Never part of the Lambda asset."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Any

from contracts.envelope import EventEnvelope
from services.provisioning.logic.deliveries import TradeCharge
from services.provisioning.logic.lifecycle import StoredState, write_allowed
from services.provisioning.logic.lots import LotKey
from services.provisioning.logic.planning import PlannedWrite
from services.provisioning.models.publishers import UsageKey
from services.provisioning.models.records import RecordKind


class InMemoryRecordStore:
    def __init__(self, accounts: Collection[str] = (), links: dict[str, str] | None = None) -> None:
        self.accounts = set(accounts)
        self.links = dict(links or {})
        self.states: dict[tuple[RecordKind, str], StoredState] = {}
        self.outbox: list[EventEnvelope[Any]] = []
        self.files: dict[str, bytes] = {}
        self.lots: dict[LotKey, int] = {}
        self.apply_calls = 0

    def counterparty_accounts(self, references: Collection[str]) -> dict[str, str]:
        return {r: self.links[r] for r in references if r in self.links}

    def known_accounts(self, account_ids: Collection[str]) -> set[str]:
        return {a for a in account_ids if a in self.accounts}

    def current_states(
        self, kind: RecordKind, references: Collection[str]
    ) -> dict[str, StoredState]:
        return {r: self.states[(kind, r)] for r in references if (kind, r) in self.states}

    def lot_balances(self, lots: Collection[LotKey]) -> dict[LotKey, int]:
        return {lot: self.lots.get(lot, 0) for lot in lots}

    def apply(self, writes: Sequence[PlannedWrite]) -> dict[int, StoredState | None]:
        """Each write alone, in order: stricter than the DynamoDB adapter's per-transaction
        sums only where a batch lowers a lot before raising it, which judging refuses."""
        self.apply_calls += 1
        failed: dict[int, StoredState | None] = {}
        for position, write in enumerate(writes):
            key = (write.kind, write.record.reference)
            stored = self.states.get(key)
            allowed = write_allowed(
                write.existence, write.state, stored, write.prior_version, write.kind
            )
            lots_hold = all(self.lots.get(lot, 0) + change >= 0 for lot, change in write.lot_delta)
            if (
                not allowed
                or not lots_hold
                or (write.charge and not self._charge_allowed(write.charge))
            ):
                failed[position] = stored
                continue
            for lot, change in write.lot_delta:
                self.lots[lot] = self.lots.get(lot, 0) + change
            if write.charge:
                self._charge(write.charge)
            new = write.state
            if stored is not None:
                new = replace(new, delivered_mwh=stored.delivered_mwh)
            self.states[key] = new
            self.outbox.append(write.envelope)
            if write.attachment:
                self.files[write.attachment[0]] = write.attachment[1]
            if write.kind is RecordKind.COUNTERPARTIES:
                self.links[write.record.reference] = write.account_id
        return failed

    def _charge_allowed(self, charge: TradeCharge) -> bool:
        """The DynamoDB adapter's condition on the trade item."""
        trade = self.states.get((RecordKind.TRADES, charge.trade_reference))
        return (
            trade is not None
            and trade.version == charge.trade_version
            and trade.publisher_id == charge.publisher_id
            and trade.is_open
            and trade.delivered_mwh <= charge.room_mwh
        )

    def _charge(self, charge: TradeCharge) -> None:
        key = (RecordKind.TRADES, charge.trade_reference)
        trade = self.states[key]
        self.states[key] = replace(trade, delivered_mwh=trade.delivered_mwh + charge.delta_mwh)


class InMemoryUsageKeys:
    """Usage-plan keys kept in a dict: the contract of `ApiGatewayUsageKeys`, for benchmarks
    and tests that do not exercise the gateway's throttle."""

    def __init__(self) -> None:
        self.keys: dict[str, UsageKey] = {}

    def create(self, publisher_id: str) -> UsageKey:
        key = UsageKey(key_id=f"key-{len(self.keys) + 1}", value=secrets.token_urlsafe(30))
        self.keys[key.key_id] = key
        return key

    def delete(self, key_id: str) -> None:
        self.keys.pop(key_id, None)
