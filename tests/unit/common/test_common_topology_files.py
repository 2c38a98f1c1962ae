"""Topology declarations of files: schedules, malware scans, claim checks over shared
prefixes, CDNs of signed downloads, bucket expiries; and the environment they give."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from common.topology import (
    Bucket,
    ClaimCheck,
    Expiry,
    Function,
    MalwareScan,
    Schedule,
    Secret,
    SecretKind,
    ServiceTopology,
    Share,
    SignedDownloads,
    check_shares,
)
from infra.shape.resources import (
    CdnValues,
    PlatformValues,
    cdn_parameters,
    function_environment,
    lifecycle_configuration,
    malware_scan_pattern,
)
from services.documents.topology import TOPOLOGY as DOCUMENTS
from services.topologies import TOPOLOGIES

pytestmark = pytest.mark.unit
F = (Function(name="worker", handler="x.y.handler"),)
KEY = Secret(name="signing", description="d", kind=SecretKind.RSA_PRIVATE_KEY)


def owner(*shares: Share) -> ServiceTopology:
    return ServiceTopology(
        service="owner", functions=F, buckets=(Bucket(name="files", shares=shares),)
    )


def reader(*claims: ClaimCheck) -> ServiceTopology:
    return ServiceTopology(service="reader", functions=F, claim_checks=claims)


CLAIM = ClaimCheck(
    name="their-files", service="owner", bucket="files", prefix="docs/", function="worker"
)


@pytest.mark.parametrize(
    ("cron", "fine"),
    [
        ("0 3 1 * ? *", True),
        ("15 6 ? * MON-FRI *", True),
        ("0 3 1 * MON *", False),  # both day fields given
        ("0 3 ? * ? *", False),  # neither
        ("0 3 1 *", False),  # five fields
    ],
)
def test_schedules_take_eventbridge_cron(cron: str, fine: bool) -> None:
    if fine:
        assert Schedule(
            name="s", expression=f"cron({cron})", function="worker", description="d"
        ).expression == (f"cron({cron})")
    else:
        with pytest.raises(ValidationError):
            Schedule(name="s", expression=f"cron({cron})", function="worker", description="d")


def test_declarations_must_name_what_exists() -> None:
    with pytest.raises(ValidationError, match="unknown function"):
        ServiceTopology(
            service="x",
            functions=F,
            schedules=(
                Schedule(
                    name="s", expression="cron(0 3 1 * ? *)", function="nope", description="d"
                ),
            ),
        )
    with pytest.raises(ValidationError, match="unknown bucket"):
        ServiceTopology(
            service="x",
            functions=F,
            malware_scans=(MalwareScan(name="m", bucket="nope", prefix="q/", function="worker"),),
        )
    with pytest.raises(ValidationError, match="rsa-private-key"):
        ServiceTopology(
            service="x",
            functions=F,
            buckets=(Bucket(name="files"),),
            secrets=(Secret(name="signing", description="d"),),
            signed_downloads=(
                SignedDownloads(
                    name="cdn",
                    bucket="files",
                    signing_key="signing",
                    signers=("worker",),
                    prefixes=("f/",),
                ),
            ),
        )
    with pytest.raises(ValidationError, match="reads its own bucket"):
        ServiceTopology(
            service="owner",
            functions=F,
            claim_checks=(CLAIM,),
        )
    with pytest.raises(ValidationError):
        SignedDownloads(
            name="cdn",
            bucket="files",
            signing_key="signing",
            signers=("worker",),
            prefixes=("f/",),
            url_seconds=301,
        )
    with pytest.raises(ValidationError):
        Expiry(prefix="no-trailing-slash", days=7)


def test_a_claim_needs_the_owners_share_and_a_share_needs_its_claim() -> None:
    check_shares([owner(Share(prefix="docs/", service="reader")), reader(CLAIM)])
    with pytest.raises(ValueError, match="does not share"):
        check_shares([owner(Share(prefix="other/", service="reader")), reader(CLAIM)])
    with pytest.raises(ValueError, match="does not share"):
        check_shares([owner(Share(prefix="docs/", service="somebody")), reader(CLAIM)])
    with pytest.raises(ValueError, match="nobody claims"):
        check_shares([owner(Share(prefix="docs/", service="reader")), reader()])
    check_shares(TOPOLOGIES)


def test_the_documents_functions_learn_their_buckets_queue_secrets_and_cdn() -> None:
    platform = PlatformValues("bus", "pool", "mail", "iss", "aud", "jwks")
    env = function_environment(
        DOCUMENTS, "prod", platform, version="1", git_commit="c", account_id="1"
    )
    assert env["SCTS_FILES_BUCKET"] == "scts-prod-documents-files-1"
    assert env["SCTS_PUBLISHED_FILES_BUCKET"] == "scts-prod-provisioning-files-1"
    assert env["SCTS_MONTHLY_STATEMENTS_QUEUE"] == "scts-prod-documents-monthly-statements"
    assert env["SCTS_DOCUMENTS_SIGNING_KEY_SECRET_ID"] == "/prod/scts/documents-signing-key"
    assert env["SCTS_CDN_PARAMETERS"] == "/prod/scts/documents-cdn"
    assert env["SCTS_CDN_PARAMETERS_REGION"] == "us-east-1"
    assert env["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
    parameters = cdn_parameters(DOCUMENTS, "prod", "cdn", CdnValues("https://d.example", "K1"))
    assert parameters == {
        "/prod/scts/documents-cdn/url": "https://d.example",
        "/prod/scts/documents-cdn/key-pair-id": "K1",
    }


def test_a_cdn_reads_only_declared_prefixes_never_the_quarantine() -> None:
    (downloads,) = DOCUMENTS.signed_downloads
    assert downloads.prefixes == ("files/", "bundles/")
    assert not any(p.startswith("quarantine") for p in downloads.prefixes)
    with pytest.raises(ValidationError, match="prefix"):
        ServiceTopology(
            service="x",
            functions=F,
            buckets=(Bucket(name="files"),),
            secrets=(KEY,),
            signed_downloads=(
                SignedDownloads(
                    name="cdn", bucket="files", signing_key="signing", signers=("worker",),
                    prefixes=("no-slash",),
                ),
            ),
        )  # fmt: skip


def test_the_verdict_rule_and_the_lifecycle_come_from_the_declarations() -> None:
    scan = DOCUMENTS.malware_scans[0]
    pattern = malware_scan_pattern(DOCUMENTS, "prod", scan, "1")
    assert pattern["source"] == ["aws.guardduty"]
    assert pattern["detail"]["s3ObjectDetails"] == {
        "bucketName": ["scts-prod-documents-files-1"],
        "objectKey": [{"prefix": "quarantine/"}],
    }
    rules = lifecycle_configuration(DOCUMENTS.buckets[0])["Rules"]
    assert {(r["Filter"]["Prefix"], r["Expiration"]["Days"]) for r in rules} == {
        ("bundles/", 7),
        ("quarantine/", 30),
    }
