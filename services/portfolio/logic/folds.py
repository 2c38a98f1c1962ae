"""Folding an entity's set of facts into its projection: current view, counters, markers.

`fold(stream, facts)` depends only on the SET of facts (versions are sorted, duplicates
are one fact), so any delivery order with any duplicates gives the same result:

- trades: the highest version's snapshot wins; a cancellation is terminal (versions after
  it are ignored); an amendment that arrives before its trade carries the whole trade
  snapshot, so it is applied as is and the earlier version fills the history later.
  Deliveries that arrive before their trade are kept and counted once it arrives.
- deliveries: the highest version per delivery reference wins; completed ones count
  toward the trade's delivered volume (capped at the traded volume).
- retirements and invoices: the highest version wins.

Counters are summed per account by the store (only the change between the previous
and the new projection is applied); markers are the entity's entries in the account's
other collections (forward deals, holdings batches, open invoices, trade -> invoice
links, the trade reference search). Where and how the store keeps them is the adapters'
business (`adapters/keys.py`): logic names them.
"""

from __future__ import annotations

from collections.abc import Iterable

from services.portfolio.logic.facts import Fact, StreamId
from services.portfolio.logic.projection import Projection
from services.portfolio.logic.record_folds import fold_invoice, fold_retirement
from services.portfolio.logic.trade_folds import fold_trade


def fold(stream: StreamId, facts: Iterable[Fact]) -> Projection:
    facts = list(facts)
    if stream.kind == "trade":
        return fold_trade(stream, facts)
    if stream.kind == "retirement":
        return fold_retirement(stream, facts)
    return fold_invoice(stream, facts)
