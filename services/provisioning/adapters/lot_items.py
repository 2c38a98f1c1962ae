"""How certificate lots are stored on the records table: one `LOT#<account>#<lot>` item per
lot holding `held` (changed with ADD in the writing record's transaction), and each
delivery's or retirement's own contribution (`lots`, on its state item)."""

from __future__ import annotations

import json
from typing import Any

from services.provisioning.logic.lots import LotAmounts, LotKey


def lot_key(lot: LotKey) -> dict[str, Any]:
    """One lot of one account: its dimensions as JSON (a registry account may hold any
    character), so two lots never share a key."""
    dims = [lot.scheme, lot.registry_account, lot.technology, lot.country, lot.vintage]
    name = json.dumps(dims, separators=(",", ":"), ensure_ascii=False)
    return {"pk": {"S": f"LOT#{lot.account_id}#{name}"}, "sk": {"S": "LOT"}}


def lots_attribute(lots: LotAmounts) -> dict[str, Any]:
    return {
        "L": [
            {
                "M": {
                    "scheme": {"S": lot.scheme},
                    "registry_account": {"S": lot.registry_account},
                    "technology": {"S": lot.technology},
                    "country": {"S": lot.country},
                    "vintage": {"S": lot.vintage},
                    "units": {"N": str(units)},
                }
            }
            for lot, units in lots
        ]
    }


def lots_from(item: dict[str, Any]) -> LotAmounts:
    if "lots" not in item:
        return ()
    account = item["account_id"]["S"]
    found = []
    for entry in item["lots"]["L"]:
        dims = {name: value.get("S") for name, value in entry["M"].items()}
        lot = LotKey(
            account,
            str(dims["scheme"]),
            str(dims["registry_account"]),
            str(dims["technology"]),
            str(dims["country"]),
            str(dims["vintage"]),
        )
        found.append((lot, int(entry["M"]["units"]["N"])))
    return tuple(found)


def lot_update(table: str, lot: LotKey, change: int) -> dict[str, Any]:
    """ADD the summed change of one transaction's writes to a lot; a lowering sum needs
    the lot to hold at least as much."""
    update: dict[str, Any] = {
        "TableName": table,
        "Key": lot_key(lot),
        "UpdateExpression": "ADD held :change",
        "ExpressionAttributeValues": {":change": {"N": str(change)}},
    }
    if change < 0:
        update["ConditionExpression"] = "held >= :need"
        update["ExpressionAttributeValues"][":need"] = {"N": str(-change)}
    return {"Update": update}
