"""In-memory ports for the notifications logic (same rules as the DynamoDB adapter: create
only if absent, claims with leases, outcomes only forward, an email's message id kept
whatever its status did)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from common.access import AccessFacts, AccountRoster, AccountStatus
from common.cursor import CursorSigner
from services.notifications.logic.ports import (
    DueEntry,
    InboxFilter,
    InboxPage,
    Links,
    MailedNotices,
    OccurrencePlan,
    OpenInvoice,
    Outcome,
    Ports,
    PushAnswer,
    SentMail,
    VersionMoved,
)
from services.notifications.models.domain import (
    STATUS_RANK,
    AccountDefaults,
    Channel,
    Contact,
    DeliveryStatus,
    Notification,
    Person,
    PersonPreferences,
    PushSubscription,
    Suppression,
)

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now


@dataclass
class MemoryAccess:
    """The access projection: account -> status, members -> permissions, CAMs."""

    accounts: dict[str, AccountStatus] = field(default_factory=dict)
    members: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    cams: dict[str, set[str]] = field(default_factory=dict)

    def grant(self, account: str, subject: str, *permissions: str) -> None:
        self.accounts.setdefault(account, AccountStatus.ACTIVE)
        self.members.setdefault(account, {})[subject] = frozenset(permissions)

    def revoke(self, account: str, subject: str) -> None:
        self.members.get(account, {}).pop(subject, None)

    def facts(self, account_id: str, subject: str) -> AccessFacts:
        member = self.members.get(account_id, {}).get(subject)
        return AccessFacts(
            account_status=self.accounts.get(account_id),
            member_permissions=member,
            cam_assigned=subject in self.cams.get(account_id, set()),
        )

    def roster(self, account_id: str) -> AccountRoster:
        return AccountRoster(
            self.accounts.get(account_id),
            dict(self.members.get(account_id, {})),
            frozenset(self.cams.get(account_id, set())),
        )


@dataclass
class MemoryQueues:
    sent: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def _add(self, stage: str, messages: Sequence[dict[str, Any]]) -> None:
        self.sent.setdefault(stage, []).extend(messages)

    def render(self, messages: Sequence[dict[str, Any]]) -> None:
        self._add("render", messages)

    def email(self, messages: Sequence[dict[str, Any]]) -> None:
        self._add("email", messages)

    def push(self, messages: Sequence[dict[str, Any]]) -> None:
        self._add("push", messages)

    def record(self, messages: Sequence[dict[str, Any]]) -> None:
        self._add("record", messages)

    def take(self, stage: str) -> list[dict[str, Any]]:
        return self.sent.pop(stage, [])


@dataclass
class Mailbox:
    sent: list[tuple[str, bytes]] = field(default_factory=list)

    def send_raw(self, to: str, raw: bytes) -> SentMail:
        self.sent.append((to, raw))
        return SentMail(f"msg-{len(self.sent)}")


@dataclass
class PushBox:
    answers: dict[str, int] = field(default_factory=dict)
    sent: list[tuple[str, bytes, int, str]] = field(default_factory=list)

    def send(
        self, subscription: PushSubscription, payload: bytes, *, ttl: int, urgency: str, topic: str
    ) -> PushAnswer:
        status = self.answers.get(subscription.endpoint, 201)
        if status == 201:
            self.sent.append((subscription.endpoint, payload, ttl, urgency))
        return PushAnswer(status)

    def public_key(self) -> str:
        return "BPUBLICKEY"


class Hmac:
    def sign(self, payload: bytes) -> bytes:
        return hmac.new(b"unit-test-unsubscribe-key", payload, hashlib.sha256).digest()


@dataclass
class MemoryStore:
    people_: dict[str, dict[str, Any]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, AccountDefaults] = field(default_factory=dict)
    plans: dict[str, OccurrencePlan] = field(default_factory=dict)
    items: dict[tuple[str, str], Notification] = field(default_factory=dict)
    leases: dict[tuple[str, str, Channel], datetime] = field(default_factory=dict)
    due_: dict[tuple[str, str, str, Channel], DueEntry] = field(default_factory=dict)
    messages: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, PushSubscription]] = field(default_factory=dict)
    invoices: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    credits: dict[tuple[str, str, str], tuple[int, Decimal]] = field(default_factory=dict)
    versions: dict[tuple[str, str, str], int] = field(default_factory=dict)
    first_versions: dict[tuple[str, str, str], int] = field(default_factory=dict)
    fail_create_after: int | None = None
    """Crash (raise) after creating this many notifications (tests of resumption)."""

    # people
    def person(self, subject: str) -> dict[str, Any]:
        return self.people_.setdefault(subject, {"contact": {"subject": subject}, "versions": {}})

    def people(self, subjects: Sequence[str]) -> dict[str, Person]:
        found = {}
        for s in subjects:
            if s in self.people_:
                raw = self.people_[s]
                found[s] = Person(
                    contact=Contact(**raw["contact"]),
                    preferences=raw.get("preferences", PersonPreferences()),
                    suppression=raw.get("suppression"),
                    push_subscriptions=len(self.subscriptions.get(s, {})),
                )
        return found

    def update_contact(
        self, subject: str, group: str, values: dict[str, str], version: int
    ) -> bool:
        raw = self.person(subject)
        if raw["versions"].get(group, -1) >= version:
            return False
        raw["versions"][group] = version
        raw["contact"].update(values)
        return True

    def save_preferences(self, subject: str, preferences: PersonPreferences) -> None:
        raw = self.person(subject)
        current = raw.get("preferences", PersonPreferences()).version
        if current != preferences.version - 1:
            raise VersionMoved
        raw["preferences"] = preferences

    def set_suppression(self, subject: str, suppression: Suppression | None) -> None:
        self.person(subject)["suppression"] = suppression

    # accounts
    def account_name(self, account_id: str) -> str | None:
        return self.names.get(account_id)

    def put_account_name(self, account_id: str, name: str) -> None:
        self.names[account_id] = name

    def account_defaults(self, account_id: str) -> AccountDefaults:
        return self.defaults.get(account_id, AccountDefaults(account_id=account_id))

    def save_account_defaults(self, defaults: AccountDefaults) -> None:
        if self.account_defaults(defaults.account_id).version != defaults.version - 1:
            raise VersionMoved
        self.defaults[defaults.account_id] = defaults

    # resolve
    def plan(self, occurrence_id: str) -> OccurrencePlan | None:
        return self.plans.get(occurrence_id)

    def put_plan(self, plan: OccurrencePlan) -> OccurrencePlan:
        return self.plans.setdefault(plan.occurrence.occurrence_id, plan)

    def create(self, notifications: Sequence[Notification], due: Sequence[DueEntry]) -> None:
        for n in notifications:
            if self.fail_create_after is not None and len(self.items) >= self.fail_create_after:
                self.fail_create_after = None
                raise RuntimeError("crash while creating")
            self.items.setdefault((n.subject, n.notification_id), n)
        for entry in due:
            self.due_.setdefault(
                (entry.kind, entry.subject, entry.notification_id, entry.channel), entry
            )

    def keep_newest_version(
        self, account_id: str, entity: str, reference: str, version: int
    ) -> int | None:
        key = (account_id, entity, reference)
        if self.versions.get(key, 0) > version:
            return None
        self.versions[key] = version
        return self.first_versions.setdefault(key, version)

    # notifications
    def notification(self, subject: str, notification_id: str) -> Notification | None:
        return self.items.get((subject, notification_id))

    def notifications(self, keys: Sequence[tuple[str, str]]) -> list[Notification]:
        return [self.items[k] for k in dict.fromkeys(keys) if k in self.items]

    def inbox(self, subject: str, where: InboxFilter, after: str | None, budget: int) -> InboxPage:
        mine = sorted(
            (
                n
                for (s, _), n in self.items.items()
                if s == subject and n.in_inbox and not n.archived
            ),
            key=lambda n: n.notification_id,
            reverse=True,
        )
        if after:
            mine = [n for n in mine if n.notification_id < after]
        window, rest = mine[:budget], mine[budget:]
        matches = [
            n
            for n in window
            if (where.account_id is None or n.account_id == where.account_id)
            and (where.category is None or n.category.value == where.category)
            and (where.unread is None or n.read != where.unread)
        ]
        return InboxPage(matches, window[-1].notification_id if rest else None)

    def unread(self, subject: str, limit: int) -> list[tuple[str | None, str]]:
        return [
            (n.account_id, n.kind.value)
            for (s, _), n in sorted(self.items.items())
            if s == subject and n.in_inbox and not n.read and not n.archived
        ][:limit]

    def set_read(self, subject: str, notification_id: str, read: bool) -> bool:
        n = self.items.get((subject, notification_id))
        if n is None or n.read == read or not n.in_inbox:
            return False
        self.items[(subject, notification_id)] = n.model_copy(update={"read": read})
        return True

    def archive(self, subject: str, notification_id: str) -> bool:
        n = self.items.get((subject, notification_id))
        if n is None:
            return False
        self.items[(subject, notification_id)] = n.model_copy(update={"archived": True})
        return True

    # delivery
    def _set(self, key: tuple[str, str], channel: Channel, **changes: Any) -> None:
        n = self.items[key]
        delivery = n.deliveries[channel].model_copy(update=changes)
        self.items[key] = n.model_copy(update={"deliveries": {**n.deliveries, channel: delivery}})

    def claim(
        self, keys: Sequence[tuple[str, str]], channel: Channel, now: datetime, lease_seconds: int
    ) -> list[tuple[str, str]]:
        claimed = []
        for key in keys:
            n = self.items.get(key)
            if n is None or channel not in n.deliveries:
                continue
            status = n.deliveries[channel].status
            lease = self.leases.get((*key, channel))
            if status is DeliveryStatus.QUEUED or (
                status is DeliveryStatus.SENDING and lease is not None and lease < now
            ):
                self._set(key, channel, status=DeliveryStatus.SENDING)
                self.leases[(*key, channel)] = now + timedelta(seconds=lease_seconds)
                claimed.append(key)
        return claimed

    def release(self, keys: Sequence[tuple[str, str]], channel: Channel) -> None:
        for key in keys:
            if self.items[key].deliveries[channel].status is DeliveryStatus.SENDING:
                self._set(key, channel, status=DeliveryStatus.QUEUED)
                self.leases.pop((*key, channel), None)

    def record(self, outcomes: Sequence[Outcome], now: datetime) -> int:
        applied = 0
        for o in outcomes:
            key = (o.subject, o.notification_id)
            if o.provider_id and o.channel is Channel.EMAIL:
                self.messages.setdefault(o.provider_id, set()).add(key)
            n = self.items.get(key)
            status = DeliveryStatus(o.status)
            if n is None or o.channel not in n.deliveries:
                continue
            if STATUS_RANK[n.deliveries[o.channel].status] >= STATUS_RANK[status]:
                continue
            self._set(
                key,
                o.channel,
                status=status,
                reason=o.reason,
                at=now,
                provider_id=o.provider_id,
                detail=o.detail,
            )
            applied += 1
        return applied

    def deliveries_of_message(self, provider_id: str) -> MailedNotices | None:
        told = sorted(self.messages.get(provider_id, ()))
        if not told:
            return None
        return MailedNotices(told[0][0], tuple(nid for _, nid in told))

    def due(self, kind: str, until: datetime, limit: int) -> list[DueEntry]:
        return sorted(
            (e for (k, *_), e in self.due_.items() if k == kind and e.due_at <= until),
            key=lambda e: e.due_at,
        )[:limit]

    def drop_due(self, entries: Sequence[DueEntry]) -> None:
        for e in entries:
            self.due_.pop((e.kind, e.subject, e.notification_id, e.channel), None)

    # push
    def push_subscriptions(self, subject: str) -> list[PushSubscription]:
        return list(self.subscriptions.get(subject, {}).values())

    def add_push_subscription(self, subscription: PushSubscription, limit: int) -> bool:
        mine = self.subscriptions.setdefault(subscription.subject, {})
        if subscription.subscription_id not in mine and len(mine) >= limit:
            return False
        mine[subscription.subscription_id] = subscription
        return True

    def remove_push_subscription(self, subject: str, subscription_id: str) -> bool:
        return self.subscriptions.get(subject, {}).pop(subscription_id, None) is not None

    # invoices
    def track_invoice(self, invoice: OpenInvoice, version: int, open_: bool) -> None:
        key = (invoice.account_id, invoice.reference)
        current = self.invoices.get(key, {"version": 0})
        if current["version"] >= version:
            return
        self.invoices[key] = {**current, "version": version, "invoice": invoice, "open": open_}

    def overdue_invoices(self, today: date, limit: int) -> list[OpenInvoice]:
        return [
            v["invoice"]
            for v in self.invoices.values()
            if v["open"]
            and v["invoice"].due_date < today
            and v.get("told") != v["invoice"].due_date
        ][:limit]

    def credit_invoice(
        self, account_id: str, invoice: str, credit_note: str, version: int, amount: Decimal
    ) -> None:
        key = (account_id, invoice, credit_note)
        if self.credits.get(key, (0, Decimal(0)))[0] < version:
            self.credits[key] = (version, amount)

    def invoice_credits(self, account_id: str, invoice: str) -> Decimal:
        return sum(
            (
                amount
                for (a, i, _), (_, amount) in self.credits.items()
                if (a, i) == (account_id, invoice)
            ),
            Decimal(0),
        )

    def invoice_told(self, invoice: OpenInvoice) -> None:
        self.invoices[(invoice.account_id, invoice.reference)]["told"] = invoice.due_date


@dataclass
class World:
    store: MemoryStore = field(default_factory=MemoryStore)
    access: MemoryAccess = field(default_factory=MemoryAccess)
    queues: MemoryQueues = field(default_factory=MemoryQueues)
    clock: Clock = field(default_factory=Clock)
    mailbox: Mailbox = field(default_factory=Mailbox)
    pushbox: PushBox = field(default_factory=PushBox)

    @property
    def ports(self) -> Ports:
        return Ports(
            store=self.store,
            access=self.access,
            roster=self.access,
            queues=self.queues,
            clock=self.clock,
            links=Links("https://portal.example", "https://api.example", "no-reply@scts.example"),
            cursors=CursorSigner(b"unit-test-cursor-key-of-32-bytes!"),
            unsubscribe=Hmac(),
            mailer=self.mailbox,
            push=self.pushbox,
        )

    def person(self, subject: str, email: str | None = None, **contact: str) -> None:
        raw = self.store.person(subject)
        raw["contact"].update({"email": email or f"{subject}@example.com", **contact})
