"""Field-level authorization, decided once (issue 11 #1): a response field marked with the
permission covering it is null for a caller whose access does not hold that permission."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from common.access import AccessFacts, AccessGuard, AccountStatus, Action, Area, GrantKind
from common.access.fields import areas_of, covered_by, field_permissions, visible_to
from common.access.guard import CAM_PERMISSIONS, Access
from common.errors import Forbidden
from common.principal import UserPrincipal

pytestmark = pytest.mark.unit


class Dashboard(BaseModel):
    account_id: str
    trades: list[str] | None = Field(None, json_schema_extra=covered_by(Area.TRADES))
    money: list[str] | None = Field(None, json_schema_extra=covered_by(Area.BILLING))


class Source:
    def __init__(self, facts: AccessFacts) -> None:
        self.value = facts

    def facts(self, account_id: str, subject: str) -> AccessFacts:
        return self.value


WHOLE = Dashboard(account_id="a", trades=["t"], money=["m"])
CALLER = UserPrincipal(sub="s1", username="s1", claims={})


def test_uncovered_fields_are_blanked() -> None:
    trader = Access("a", "s1", GrantKind.MEMBER, frozenset({"trades:read"}))
    assert visible_to(WHOLE, trader) == Dashboard(account_id="a", trades=["t"])
    finance = Access("a", "s1", GrantKind.MEMBER, frozenset({"billing:read"}))
    assert visible_to(WHOLE, finance) == Dashboard(account_id="a", money=["m"])
    assert visible_to(WHOLE, Access("a", "s1", GrantKind.CAM, CAM_PERMISSIONS)) == WHOLE


def test_a_marked_field_must_be_able_to_be_withheld() -> None:
    class Leaky(BaseModel):
        money: list[str] = Field(json_schema_extra=covered_by(Area.BILLING))

    with pytest.raises(TypeError, match=r"Leaky\.money"):
        field_permissions(Leaky)


def test_a_view_admits_anyone_who_may_read_one_of_its_sections() -> None:
    sections = areas_of(Dashboard)
    assert sections == {Area.TRADES, Area.BILLING}
    finance = AccessFacts(AccountStatus.ACTIVE, frozenset({"billing:read"}), False)
    access = AccessGuard(Source(finance)).require_any(CALLER, "a", sections, Action.READ)
    assert access.covers(Area.BILLING)
    assert not access.covers(Area.TRADES)
    documents_only = AccessFacts(AccountStatus.ACTIVE, frozenset({"documents:read"}), False)
    with pytest.raises(Forbidden):
        AccessGuard(Source(documents_only)).require_any(CALLER, "a", sections, Action.READ)


def test_a_cam_holds_every_read_and_no_write() -> None:
    cam = AccessGuard(Source(AccessFacts(AccountStatus.ACTIVE, None, True)))
    access = cam.require(CALLER, "a", Area.PORTFOLIO, Action.READ)
    assert access.permissions == CAM_PERMISSIONS
    assert all(p.endswith(":read") for p in access.permissions)
