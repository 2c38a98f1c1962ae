"""Nobody is both staff and a member, even when the two changes race: making a person a CAM
(platform chain) and that person accepting an invitation (the account's chain) commit on
different chains, so only an item of the person's own, written in both transactions, can
order them. Against DynamoDB Local (AWS's own engine: moto in-process is not thread-safe)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import boto3
import pytest

from common.access import AccountStatus
from common.access.dynamo import DynamoAccessSource
from common.cursor import CursorSigner
from common.errors import DomainError
from infra.local.aws import DUMMY_KEY, client
from infra.local.invoke import REGION
from services.identity.adapters.dynamo import ACCOUNT_PREFIX, DynamoIdentityRepository
from services.identity.logic import cams, invitations, members
from services.identity.logic.commits import Planned, commit
from services.identity.logic.ports import Commit, DirectoryUser, Ports, PutAccount, PutMembership
from services.identity.logic.roles import RoleName
from services.identity.models.domain import Account, Membership, MembershipStatus
from services.identity.topology import TOPOLOGY
from tests.support.dynamodb_local import dynamodb_local_url
from tests.support.tables import create_table
from tests.unit.identity.identity_fakes import NOW, Mailbox, MemoryDirectory, actor

pytestmark = pytest.mark.integration

ROOT = actor("root", scts_admin=True)
PERSON = DirectoryUser("person", "person", "person@a.example", must_change_password=False)
ROUNDS = 5


@dataclass(frozen=True)
class LocalDynamo:
    client: Any
    resource: Any


@pytest.fixture(scope="module")
def dynamodb_local() -> Iterator[LocalDynamo]:
    with dynamodb_local_url() as url:
        resource = boto3.resource(
            "dynamodb",
            endpoint_url=url,
            region_name=REGION,
            aws_access_key_id=DUMMY_KEY,
            aws_secret_access_key=DUMMY_KEY,
        )
        yield LocalDynamo(client("dynamodb", url), resource)


class RacingRepository(DynamoIdentityRepository):
    """Holds each thread's first commit at a barrier: both changes have made every check
    before either commits (the widest window two real requests can hit)."""

    def __init__(self, table: str, dynamodb: Any) -> None:
        super().__init__(table, dynamodb)
        self.barrier: threading.Barrier | None = None
        self.waited: set[int] = set()

    def commit(self, commit: Commit) -> None:
        me = threading.get_ident()
        if self.barrier is not None and me not in self.waited:
            self.waited.add(me)
            self.barrier.wait(timeout=10)
        super().commit(commit)


def ports_on(dynamo: LocalDynamo, table: str) -> Ports:
    create_table(dynamo.client, table, TOPOLOGY.tables[0])
    directory = MemoryDirectory()
    directory.mfa.add(ROOT.username)
    directory.users[PERSON.email] = PERSON
    return Ports(
        repository=RacingRepository(table, dynamo.client),
        access=DynamoAccessSource(table, pk_prefix=ACCOUNT_PREFIX, dynamodb=dynamo.resource),
        directory=directory,
        mailer=Mailbox(),
        clock=lambda: NOW,
        cursors=CursorSigner(b"integration-test-cursor-key-32by"),
    )


def seed_invitation(ports: Ports, account_id: str) -> None:
    """An account with a pending admin invitation of PERSON."""
    account = Account(
        account_id=account_id,
        name="A",
        status=AccountStatus.ACTIVE,
        created_at=NOW,
        created_by="root",
    )
    invited = Membership(
        account_id=account_id,
        subject=PERSON.subject,
        email=PERSON.email,
        role=RoleName.ADMIN,
        status=MembershipStatus.INVITED,
        invited_by="root",
        invited_at=NOW,
        expires_at=NOW + timedelta(days=7),
    )

    def plan(_seq: int, _now: object) -> Planned[None]:
        return Planned(None, [PutAccount(account, new=True), PutMembership(invited, new=True)])

    commit(ports, ROOT, account_id, "account.create", f"account:{account_id}", plan)


def race(ports: Ports, *changes: Callable[[], object]) -> list[BaseException]:
    """Run the changes at once; what each raised (a refusal is a fine outcome)."""
    repository = ports.repository
    assert isinstance(repository, RacingRepository)
    repository.barrier = threading.Barrier(len(changes))
    repository.waited = set()
    refused: list[BaseException] = []

    def run(change: Callable[[], object]) -> None:
        try:
            change()
        except DomainError as exc:
            refused.append(exc)

    threads = [threading.Thread(target=run, args=(change,)) for change in changes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    repository.barrier = None
    return refused


def staff_and_member(ports: Ports, account_id: str) -> tuple[bool, bool]:
    member = ports.repository.get_membership(account_id, PERSON.subject)
    active = member is not None and member.status is MembershipStatus.ACTIVE
    return ports.repository.get_cam(PERSON.subject) is not None, active


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_becoming_a_cam_while_accepting_an_invitation_leaves_one_of_the_two(
    dynamodb_local: LocalDynamo, round_: int
) -> None:
    ports = ports_on(dynamodb_local, f"identity-race-{round_}")
    seed_invitation(ports, "acc_a")

    refused = race(
        ports,
        lambda: cams.create_cam(ports, ROOT, PERSON.email, "Person"),
        lambda: invitations.accept_invitation(ports, actor(PERSON.subject), "acc_a"),
    )

    is_staff, is_member = staff_and_member(ports, "acc_a")
    assert (is_staff, is_member) in ((True, False), (False, True)), refused
    assert len(refused) == 1, refused


def test_a_member_removed_from_every_account_may_become_a_cam(
    dynamodb_local: LocalDynamo,
) -> None:
    """What guards the race releases: a former member is not kept out of staff forever."""
    ports = ports_on(dynamodb_local, "identity-race-released")
    seed_invitation(ports, "acc_a")
    assert isinstance(ports.directory, MemoryDirectory)
    invitations.accept_invitation(ports, actor(PERSON.subject), "acc_a")
    other_admin = Membership(
        account_id="acc_a",
        subject="admin-2",
        email="admin-2@a.example",
        role=RoleName.ADMIN,
        status=MembershipStatus.ACTIVE,
        invited_by="root",
        invited_at=NOW,
    )
    commit(
        ports,
        ROOT,
        "acc_a",
        "seed",
        "member:admin-2",
        lambda _s, _n: Planned(None, [PutMembership(other_admin, new=True)]),
    )
    ports.directory.mfa.add("admin-2")
    members.remove_member(ports, actor("admin-2"), "acc_a", PERSON.subject)

    cams.create_cam(ports, ROOT, PERSON.email, "Person")

    assert staff_and_member(ports, "acc_a") == (True, False)
