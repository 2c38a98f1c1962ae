"""Stages 2 and 3: render (words -> email and push jobs) and dispatch (one channel each).

Render reads nothing it is not given but the people (their current contact data and
style). Dispatch, before sending, checks again that the person may still hear of it (the
access projection now: a member removed since resolve gets nothing) and that their
address is not suppressed, then claims the deliveries (queued -> sending, with a lease) so
a duplicated job cannot send twice. The moment the provider takes a notice, dispatch writes
it "sent" (with the provider's message id), before anything else: a retry of the job, however
late (after the lease), finds it sent and does not send it again. Every outcome also goes to
the record stage (which writes "sent" itself when that write failed). A crash between the
provider's answer and that one write, or a failed write followed by a retry after the lease
and before the record stage, re-sends: that is the only way a person gets a notice twice.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from common.access import AccountRoster
from services.notifications.logic import render
from services.notifications.logic.choices import channel_on
from services.notifications.logic.ports import Outcome, Ports
from services.notifications.logic.unsubscribe import make_token
from services.notifications.models.domain import (
    KIND_RULES,
    AccountDefaults,
    Channel,
    Contact,
    DeliveryStatus,
    Kind,
    Notification,
    Occurrence,
    Person,
    PushSubscription,
)

LEASE_SECONDS = 90
"""How long a crashed dispatch keeps others from sending what it claimed (a dispatch that
fails knowingly releases its claims at once; what the provider took is written "sent" at
once, so the lease guards only the moment between sending and that write)."""
EMAILS_PER_JOB = 25
JOB_BYTES = 200_000
PUSHES_PER_JOB = 50

log = logging.getLogger(__name__)


def _people(ports: Ports, subjects: Iterable[str]) -> dict[str, Person]:
    wanted = sorted(set(subjects))
    found = ports.store.people(wanted)
    return {s: found.get(s) or Person(contact=Contact(subject=s)) for s in wanted}


def _email_job(
    ports: Ports, person: Person, notices: list[render.Notice], now: datetime
) -> dict[str, Any]:
    contact = person.contact
    categories = sorted({KIND_RULES[n.kind].category for n in notices})
    token = make_token(ports.unsubscribe, contact.subject, list(categories), now)
    rendered = render.render_email(notices, contact, ports.links, token)
    raw = render.mime(ports.links.mail_sender, contact.email or "", rendered, now)
    return {
        "subject": contact.subject,
        "to": contact.email,
        "notification_ids": [n.notification_id for n in notices],
        "raw": base64.b64encode(raw).decode(),
    }


def _push_job(
    person: Person, notice: render.Notice, account_id: str | None, ports: Ports
) -> dict[str, Any]:
    rule = KIND_RULES[notice.kind]
    payload = render.push_payload(notice, person.contact, ports.links)
    return {
        "subject": person.contact.subject,
        "notification_id": notice.notification_id,
        "account_id": account_id,
        "kind": notice.kind.value,
        "payload": base64.b64encode(payload).decode(),
        "ttl": rule.push_ttl_seconds,
        "urgency": rule.push_urgency,
        "topic": notice.notification_id[-20:],
    }


def render_occurrence(ports: Ports, message: dict[str, Any]) -> tuple[int, int]:
    """A render message from resolve: one occurrence, many people. (emails, pushes) made."""
    occurrence = Occurrence.model_validate(message["occurrence"])
    now = ports.clock()
    items = message["items"]
    people = _people(ports, (i["subject"] for i in items))
    emails, pushes = [], []
    for item in items:
        person = people[item["subject"]]
        notice = render.Notice(
            occurrence.kind,
            occurrence.facts,
            message.get("account_name"),
            occurrence.occurred_at,
            item["notification_id"],
            occurrence.account_id,
        )
        if Channel.EMAIL.value in item["channels"] and person.contact.email:
            emails.append(_email_job(ports, person, [notice], now))
        if Channel.PUSH.value in item["channels"]:
            pushes.append(_push_job(person, notice, occurrence.account_id, ports))
    _send_jobs(ports, emails, pushes, dict.fromkeys(_nids(items), occurrence.account_id))
    return len(emails), len(pushes)


def _nids(items: Iterable[dict[str, Any]]) -> list[str]:
    return [i["notification_id"] for i in items]


def render_held(ports: Ports, message: dict[str, Any]) -> tuple[int, int]:
    """Released (quiet hours over) or digest-time notifications, read from the store, each
    checked against the person's choices now: an unsubscribe, a switch-off or a mute since
    the notice was held stops it (recorded as not sent, with the reason)."""
    keys = [(k["subject"], k["notification_id"]) for k in message["notifications"]]
    channel = Channel(message["channel"])
    waiting = [n for n in ports.store.notifications(keys) if _waiting(n, channel)]
    if not waiting:
        return 0, 0
    now = ports.clock()
    people = _people(ports, (n.subject for n in waiting))
    accounts: dict[str, tuple[AccountDefaults, AccountRoster]] = {}
    found, dropped = [], []
    for n in waiting:
        on, why = _chosen_now(ports, accounts, people[n.subject], n, channel)
        if on:
            found.append(n)
        else:
            dropped.append(_outcome((n.subject, n.notification_id), channel, "not_sent", why))
    if dropped:
        ports.store.record(dropped, now)
    notices = _notices(ports, found)
    emails, pushes = [], []
    if channel is Channel.EMAIL:
        by_person: dict[str, list[Notification]] = {}
        for n in sorted(found, key=lambda n: n.notification_id, reverse=True):
            by_person.setdefault(n.subject, []).append(n)
        for subject, mine in by_person.items():
            if people[subject].contact.email:
                emails.append(
                    _email_job(
                        ports, people[subject], [notices[n.notification_id] for n in mine], now
                    )
                )
    else:
        pushes = [
            _push_job(people[n.subject], notices[n.notification_id], n.account_id, ports)
            for n in found
        ]
    _send_jobs(ports, emails, pushes, {n.notification_id: n.account_id for n in found})
    return len(emails), len(pushes)


def _chosen_now(
    ports: Ports,
    accounts: dict[str, tuple[AccountDefaults, AccountRoster]],
    person: Person,
    notification: Notification,
    channel: Channel,
) -> tuple[bool, str | None]:
    """`choices.channel_on` with the account's defaults and roster of now; an email also
    needs the person's address now (else it would wait, queued, for ever)."""
    if channel is Channel.EMAIL and not person.contact.email:
        return False, "no_address"
    rule = KIND_RULES[notification.kind]
    account_id = notification.account_id
    if account_id is None:
        return channel_on(person, rule.category, channel, None, None, cam=False)
    if account_id not in accounts:
        accounts[account_id] = (
            ports.store.account_defaults(account_id),
            ports.roster.roster(account_id),
        )
    defaults, roster = accounts[account_id]
    subject = person.contact.subject
    cam = subject not in roster.members_with(*rule.permissions) and (
        subject in roster.assigned_cams()
    )
    return channel_on(person, rule.category, channel, account_id, defaults, cam=cam)


def _notices(ports: Ports, stored: Sequence[Notification]) -> dict[str, render.Notice]:
    """What render needs of stored notifications, with their accounts' names now."""
    names = {a: ports.store.account_name(a) for a in {n.account_id for n in stored} if a}
    return {
        n.notification_id: render.Notice(
            n.kind,
            n.facts,
            names.get(n.account_id or ""),
            n.occurred_at,
            n.notification_id,
            n.account_id,
        )
        for n in stored
    }


def _waiting(notification: Notification, channel: Channel) -> bool:
    delivery = notification.deliveries.get(channel)
    return delivery is not None and delivery.status is DeliveryStatus.QUEUED


def _send_jobs(
    ports: Ports,
    emails: list[dict[str, Any]],
    pushes: list[dict[str, Any]],
    accounts: dict[str, str | None],
) -> None:
    for email in emails:
        email["accounts"] = {n: accounts.get(n) for n in email["notification_ids"]}
    ports.queues.email(_pack(emails, EMAILS_PER_JOB, "emails"))
    ports.queues.push(
        [{"pushes": pushes[i : i + PUSHES_PER_JOB]} for i in range(0, len(pushes), PUSHES_PER_JOB)]
    )


def _pack(jobs: list[dict[str, Any]], most: int, key: str) -> list[dict[str, Any]]:
    """Messages of up to `most` jobs and about `JOB_BYTES` (SQS takes 256 KB)."""
    messages: list[dict[str, Any]] = []
    current: list[dict[str, Any]] = []
    size = 0
    for job in jobs:
        job_size = len(job.get("raw", "")) + 1000
        if current and (len(current) >= most or size + job_size > JOB_BYTES):
            messages.append({key: current})
            current, size = [], 0
        current.append(job)
        size += job_size
    if current:
        messages.append({key: current})
    return messages


def may_hear(
    rosters: dict[str, AccountRoster],
    ports: Ports,
    subject: str,
    account_id: str | None,
    kind: Kind,
) -> bool:
    """Whether the person may still be told (the projection now, not at resolve time)."""
    rule = KIND_RULES[kind]
    if not rule.permissions or account_id is None:
        return True
    if account_id not in rosters:
        rosters[account_id] = ports.roster.roster(account_id)
    roster = rosters[account_id]
    return subject in roster.members_with(*rule.permissions) or subject in roster.assigned_cams()


def dispatch_emails(ports: Ports, message: dict[str, Any]) -> tuple[list[Outcome], bool]:
    """Send each email of the job once, each written "sent" as soon as the provider took
    it; the outcomes go to the record stage. An email of several notices (a digest) some of
    which may no longer be told, or are another attempt's, is rendered again from the rest:
    it never carries what its person may not read. An email the provider did not take is
    released for the message's retry (True); the others are sent already, so the retry
    (however late) sends only that one."""
    jobs: list[dict[str, Any]] = message["emails"]
    now = ports.clock()
    people = _people(ports, (j["subject"] for j in jobs))
    stored = {(n.subject, n.notification_id): n for n in _stored(ports, jobs)}
    kinds = {nid: n.kind for (_, nid), n in stored.items()}
    rosters: dict[str, AccountRoster] = {}
    outcomes: list[Outcome] = []
    sendable = []
    for job in jobs:
        person, keys = (
            people[job["subject"]],
            [(job["subject"], n) for n in job["notification_ids"]],
        )
        allowed = [
            k
            for k in keys
            if k[1] in kinds
            and may_hear(rosters, ports, k[0], job["accounts"].get(k[1]), kinds[k[1]])
        ]
        outcomes += [
            _outcome(k, Channel.EMAIL, "not_sent", "access_revoked")
            for k in keys
            if k not in allowed
        ]
        if person.suppression is not None:
            outcomes += [
                _outcome(k, Channel.EMAIL, "suppressed", person.suppression.reason.value)
                for k in allowed
            ]
        elif allowed:
            sendable.append((job, allowed))
    claimed = set(
        ports.store.claim([k for _, ks in sendable for k in ks], Channel.EMAIL, now, LEASE_SECONDS)
    )
    assert ports.mailer is not None
    retry: list[tuple[str, str]] = []
    sent_keys: set[tuple[str, str]] = set()
    with _given_back_on_failure(ports, Channel.EMAIL, claimed, sent_keys):
        for job, keys in sendable:
            mine = [k for k in keys if k in claimed]
            if not mine:
                continue  # a duplicate job: another attempt holds or finished these
            if len(mine) < len(job["notification_ids"]):
                person = people[job["subject"]]
                if not person.contact.email:
                    outcomes += [_outcome(k, Channel.EMAIL, "not_sent", "no_address") for k in mine]
                    continue
                told = _notices(ports, [stored[k] for k in mine])
                job = _email_job(ports, person, list(told.values()), now)
            try:
                sent = ports.mailer.send_raw(job["to"], base64.b64decode(job["raw"]))
            except Exception:  # whatever the provider said, this email waits for the retry
                retry += mine
                continue
            sent_keys.update(mine)
            mailed = [_outcome(k, Channel.EMAIL, "sent", provider_id=sent.message_id) for k in mine]
            _record_sent(ports, mailed)
            outcomes += mailed
    if retry:
        ports.store.release(retry, Channel.EMAIL)
    return outcomes, bool(retry)


@contextmanager
def _given_back_on_failure(
    ports: Ports,
    channel: Channel,
    claimed: Iterable[tuple[str, str]],
    sent: set[tuple[str, str]],
) -> Iterator[None]:
    """A dispatch that fails unexpectedly gives back what it claimed and did not send
    before it raises: the message's retry comes back within seconds (the stage's backoff),
    long before the lease ends, and would take them for another attempt's and drop them."""
    try:
        yield
    except Exception:
        ports.store.release([k for k in claimed if k not in sent], channel)
        raise


def _record_sent(ports: Ports, sent: list[Outcome]) -> None:
    """Writes "sent" (conditionally: only forward; with an email's message id, so SES's
    reports find it) as soon as the provider took the notice: the claim's lease ends, a late
    retry of the job must find it sent. If the write fails, the outcome the record stage
    gets writes it later, as before."""
    try:
        ports.store.record(sent, ports.clock())
    except Exception:  # the notice went out: never retry the job for this write
        log.warning("could not record a sent notice at once; the record stage will")


def _stored(ports: Ports, jobs: Sequence[dict[str, Any]]) -> list[Notification]:
    keys = [(j["subject"], n) for j in jobs for n in j["notification_ids"]]
    return ports.store.notifications(keys)


def _outcome(
    key: tuple[str, str],
    channel: Channel,
    status: str,
    reason: str | None = None,
    *,
    provider_id: str | None = None,
    detail: str | None = None,
) -> Outcome:
    return Outcome(key[0], key[1], channel, status, reason, provider_id, detail)


def _push_status(ports: Ports, subscription: PushSubscription, job: dict[str, Any]) -> int:
    """The push service's answer; a sender that failed counts as no answer (0): passing."""
    assert ports.push is not None
    try:
        answer = ports.push.send(
            subscription,
            base64.b64decode(job["payload"]),
            ttl=job["ttl"],
            urgency=job["urgency"],
            topic=job["topic"],
        )
    except Exception:  # whatever failed, this browser waits for the retry
        return 0
    return answer.status


def dispatch_pushes(ports: Ports, message: dict[str, Any]) -> tuple[list[Outcome], bool]:
    """Encrypt and send each push to every browser the person registered; a browser the
    push service says is gone (404/410) is forgotten. A push no browser accepted for a
    passing reason (429, 5xx, no answer) asks for a retry (bounded, then the DLQ); a push
    a browser accepted is written "sent" at once, so the retry (however late) sends only
    what was not."""
    jobs: list[dict[str, Any]] = message["pushes"]
    now = ports.clock()
    rosters: dict[str, AccountRoster] = {}
    outcomes: list[Outcome] = []
    allowed = []
    for job in jobs:
        key = (job["subject"], job["notification_id"])
        if may_hear(rosters, ports, key[0], job.get("account_id"), Kind(job["kind"])):
            allowed.append((job, key))
        else:
            outcomes.append(_outcome(key, Channel.PUSH, "not_sent", "access_revoked"))
    claimed = set(ports.store.claim([k for _, k in allowed], Channel.PUSH, now, LEASE_SECONDS))
    assert ports.push is not None
    retry: list[tuple[str, str]] = []
    sent_keys: set[tuple[str, str]] = set()
    with _given_back_on_failure(ports, Channel.PUSH, claimed, sent_keys):
        for job, key in allowed:
            if key not in claimed:
                continue
            accepted, passing = 0, 0
            for subscription in ports.store.push_subscriptions(key[0]):
                status = _push_status(ports, subscription, job)
                if status in (200, 201, 202):
                    accepted += 1
                    sent_keys.add(key)
                elif status in (404, 410):
                    ports.store.remove_push_subscription(key[0], subscription.subscription_id)
                else:
                    passing += 1
            if accepted:
                pushed = _outcome(key, Channel.PUSH, "sent", detail=f"{accepted} browser(s)")
                _record_sent(ports, [pushed])
                outcomes.append(pushed)
            elif passing:
                retry.append(key)
            else:
                outcomes.append(_outcome(key, Channel.PUSH, "not_sent", "no_subscription"))
    if retry:  # free the claims, so the job's next receive can take them again
        ports.store.release(retry, Channel.PUSH)
    return outcomes, bool(retry)
