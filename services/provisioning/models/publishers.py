"""Publishers (STX systems that push data) and their API keys, as stored."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class UsageKey(BaseModel):
    """The publisher's API Gateway API key in the ingest API's usage plan.

    Not a credential: the API key source is the authorizer, which answers `value` as the
    `usageIdentifierKey`; publishers never see or send it. It names their throttle bucket.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    key_id: str
    value: str


class Publisher(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    publisher_id: str
    name: str
    account_ids: frozenset[str] | None = Field(
        description="Accounts it may feed; None means every account."
    )
    created_at: AwareDatetime
    created_by: str
    usage_key: UsageKey | None = Field(
        default=None, description="None for publishers registered before usage plans."
    )

    def may_feed(self, account_id: str) -> bool:
        return self.account_ids is None or account_id in self.account_ids


class ApiKey(BaseModel):
    """A key as stored: its public prefix and a salted hash, never the key itself."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    prefix: str
    publisher_id: str
    salt: str
    key_hash: str
    created_at: AwareDatetime
    expires_at: AwareDatetime | None = None
    revoked_at: AwareDatetime | None = None
    last_used_at: AwareDatetime | None = None
    created_by: str | None = None
    """Cognito sub of the SCTS admin who registered or rotated (None: keys from before)."""
    revoked_by: str | None = None

    def usable_at(self, now: datetime) -> bool:
        if self.revoked_at is not None and self.revoked_at <= now:
            return False
        return self.expires_at is None or now < self.expires_at
