"""Responses of the retirements section."""

from __future__ import annotations

from datetime import date
from typing import Literal

from common.api_types import Page, Volume, mwh
from services.portfolio.models.api.base import ApiModel
from services.portfolio.models.api.trades import CertificateBatchItem
from services.portfolio.models.domain import Retirement


class RetirementItem(ApiModel):
    reference: str
    account_id: str
    version: int
    status: Literal["completed"]
    scheme: str
    volume_mwh: Volume
    retired_on: date
    beneficiary_name: str
    consumption_country: str
    consumption_period_start: date
    consumption_period_end: date
    reporting_year: int
    purpose: str
    registry_transaction_reference: str
    batches: list[CertificateBatchItem]
    warnings: list[str]

    @classmethod
    def of(cls, retirement: Retirement) -> RetirementItem:
        return cls(
            reference=retirement.reference,
            account_id=retirement.account_id,
            version=retirement.version,
            status=retirement.status,
            scheme=retirement.scheme,
            volume_mwh=mwh(retirement.volume_mwh),
            retired_on=retirement.retired_on,
            beneficiary_name=retirement.beneficiary_name,
            consumption_country=retirement.consumption_country,
            consumption_period_start=retirement.consumption_period_start,
            consumption_period_end=retirement.consumption_period_end,
            reporting_year=retirement.reporting_year,
            purpose=retirement.purpose,
            registry_transaction_reference=retirement.registry_transaction_reference,
            batches=[CertificateBatchItem.of(b) for b in retirement.batches],
            warnings=list(retirement.warnings),
        )


class RetirementPage(Page[RetirementItem]):
    pass
