"""The file and schedule declarations in AWS: the statements schedule, the malware scan on
the quarantine prefix, bucket expiries, the CDN's access to the served prefixes only, the
signing key (an operator's secret, read by the signers only) and the parameters the edge
writes for the service; the documents layer from its own requirements."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.cdk.lambda_code import LambdaCode, service_requirements
from infra.shape.resources import bucket_name, malware_scan_pattern, rule_name
from services.documents.topology import MONTHLY_STATEMENTS, SIGNING_KEY, TOPOLOGY
from tests.infra import gates

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]


def documents_template(synthesized, stage):
    services = synthesized.service_templates(stage)
    service = next(s for s in services if s.topology.service == "documents")
    return services[service]


def test_the_statements_schedule_sends_its_run_to_its_queue_with_retries_and_a_dlq(synthesized):
    for stage in synthesized.stages:
        template = documents_template(synthesized, stage)
        name = stage.stage_config.name
        queues = gates.by_name(template, "AWS::SQS::Queue", "QueueName")
        queue_id, _ = queues[TOPOLOGY.queue_name(name, MONTHLY_STATEMENTS)]
        dlq_id, _ = queues[TOPOLOGY.dlq_name(name, MONTHLY_STATEMENTS)]
        (schedule,) = gates.resources(template, "AWS::Scheduler::Schedule").values()
        p = gates.props(schedule)
        assert p["ScheduleExpression"] == "cron(0 3 1 * ? *)"
        assert p["ScheduleExpressionTimezone"] == "UTC"
        target = p["Target"]
        assert gates.refers_to(target["Arn"], queue_id)
        assert gates.refers_to(target["DeadLetterConfig"]["Arn"], dlq_id)
        assert target["RetryPolicy"]["MaximumRetryAttempts"] > 0
        assert json.loads(target["Input"]) == {
            "schedule": "monthly-statements",
            "scheduled_time": "<aws.scheduler.scheduled-time>",
        }


def test_guardduty_scans_the_quarantine_and_its_verdicts_reach_the_verdicts_queue(synthesized):
    for stage in synthesized.stages:
        template = documents_template(synthesized, stage)
        config = stage.stage_config
        scan = TOPOLOGY.malware_scans[0]
        (plan,) = gates.resources(template, "AWS::GuardDuty::MalwareProtectionPlan").values()
        bucket = gates.props(plan)["ProtectedResource"]["S3Bucket"]
        assert bucket["ObjectPrefixes"] == ["quarantine/"]
        rules = gates.by_name(template, "AWS::Events::Rule", "Name")
        _, rule = rules[rule_name(TOPOLOGY, config.name, scan)]
        p = gates.props(rule)
        assert "EventBusName" not in p  # the default bus, where GuardDuty publishes
        assert p["EventPattern"] == malware_scan_pattern(
            TOPOLOGY, config.name, scan, config.account
        )
        queues = gates.by_name(template, "AWS::SQS::Queue", "QueueName")
        queue_id, _ = queues[TOPOLOGY.queue_name(config.name, scan)]
        assert gates.refers_to(p["Targets"][0]["Arn"], queue_id)


def test_the_bucket_expires_bundles_and_quarantine_and_the_cdn_reads_only_what_is_served(
    synthesized,
):
    for stage in synthesized.stages:
        template = documents_template(synthesized, stage)
        buckets = gates.by_name(template, "AWS::S3::Bucket", "BucketName")
        files = TOPOLOGY.buckets[0]
        bucket_id, bucket = buckets[
            bucket_name(TOPOLOGY, stage.stage_config.name, files, stage.stage_config.account)
        ]
        rules = gates.props(bucket)["LifecycleConfiguration"]["Rules"]
        assert {(r["Prefix"], r["ExpirationInDays"]) for r in rules} == {
            ("bundles/", 7),
            ("quarantine/", 30),
        }
        (policy,) = [
            p for p in gates.resources(template, "AWS::S3::BucketPolicy").values()
            if gates.refers_to(gates.props(p)["Bucket"], bucket_id)
        ]  # fmt: skip
        statements = gates.props(policy)["PolicyDocument"]["Statement"]
        (cdn,) = [
            s for s in statements if s.get("Principal") == {"Service": "cloudfront.amazonaws.com"}
        ]
        served = json.dumps(cdn["Resource"])
        assert "files/*" in served
        assert "bundles/*" in served
        assert "quarantine" not in served
        assert cdn["Condition"]["StringEquals"]["aws:SourceAccount"] == stage.stage_config.account


def test_the_signing_key_is_an_operators_secret_read_only_by_the_signers(synthesized):
    for stage in synthesized.stages:
        template = documents_template(synthesized, stage)
        secret_id = SIGNING_KEY.secret_id(stage.stage_config.name)
        created = [
            s for s in gates.resources(template, "AWS::SecretsManager::Secret").values()
            if gates.props(s).get("Name") == secret_id
        ]  # fmt: skip
        assert created == [], "CloudFormation must never generate or hold the signing key"
        readers = sorted(
            logical_id
            for logical_id, policy in gates.resources(template, "AWS::IAM::Policy").items()
            if f"secret:{secret_id}" in json.dumps(gates.props(policy))
        )
        assert len(readers) == 1
        assert readers[0].startswith("RoleapiDefaultPolicy")
        parameters = [
            logical_id
            for logical_id, policy in gates.resources(template, "AWS::IAM::Policy").items()
            if "ssm:GetParameter" in json.dumps(gates.props(policy))
        ]
        assert parameters == readers


def test_the_edge_writes_what_the_service_reads_and_serves_the_services_bucket(synthesized):
    for stage in synthesized.stages:
        edge = synthesized.template(stage.edge)
        config = stage.stage_config
        path = TOPOLOGY.signed_downloads[0].parameter_path(config.name, "documents")
        names = {
            gates.props(p)["Name"] for p in gates.resources(edge, "AWS::SSM::Parameter").values()
        }
        assert names == {f"{path}/url", f"{path}/key-pair-id"}
        origin = bucket_name(TOPOLOGY, config.name, TOPOLOGY.buckets[0], config.account)
        assert f"{origin}.s3.{config.region}" in json.dumps(edge["Resources"])
        (public_key,) = gates.resources(edge, "AWS::CloudFront::PublicKey").values()
        assert (
            gates.props(public_key)["PublicKeyConfig"]["EncodedKey"]
            == config.documents_public_key_pem
        )


def test_a_service_with_its_own_requirements_gets_its_own_layer(tmp_path: Path) -> None:
    assert service_requirements("documents") is not None
    assert service_requirements("identity") is None
    code = LambdaCode(tmp_path / "src", tmp_path / "common", {"documents": tmp_path / "documents"})
    assert code.service_dependencies == {"documents": tmp_path / "documents"}
    text = service_requirements("documents").read_text()  # type: ignore[union-attr]
    assert "-r lambda.txt" in text
    assert "reportlab==" in text
