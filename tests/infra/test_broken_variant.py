"""A deliberately broken service stack: the gates (cdk-nag and the template checks) fail.

Proves the gates are not vacuous: the same ServiceStack the app uses, with its queue's
redrive policy and its table's encryption removed on the L1 resources (cdk-nag reads
L1 properties, not raw overrides).
"""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_sqs as sqs

from common.topology import Function, ServiceTopology, Subscription, Table
from infra.cdk.config import deploy_config, read_cdk_json_context
from infra.cdk.lambda_code import LambdaCode, stage_source
from infra.cdk.nag import add_nag_plugins
from infra.cdk.service import PlatformRefs, ServiceStack
from tests.infra import gates

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]

TOPOLOGY = ServiceTopology(
    service="broken",
    functions=(Function(name="consumer", handler="services.broken.handlers.consumer.handler"),),
    tables=(Table(name="state"),),
    subscriptions=(
        Subscription(
            name="things",
            detail_types=("ThingHappened",),
            sources=("scts.other",),
            function="consumer",
        ),
    ),
)


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    root = tmp_path_factory.mktemp("broken")
    (root / "deps" / "python").mkdir(parents=True)
    stage = deploy_config(read_cdk_json_context()).stages[0]
    env = cdk.Environment(account=stage.account, region=stage.region)
    app = cdk.App(outdir=str(root / "cdk.out"))
    # Nested as in the real app (pipeline stack > stage > stacks): the gate reaches it there.
    deployment = cdk.Stage(cdk.Stack(app, "Pipeline", env=env), "Preprod", env=env)
    bus_stack = cdk.Stack(deployment, "Bus", env=env)
    bus = events.EventBus(bus_stack, "Bus", event_bus_name="scts-test-bus")
    service = ServiceStack(
        deployment,
        "Broken",
        topology=TOPOLOGY,
        stage=stage,
        platform=PlatformRefs(
            event_bus=bus,
            user_pool_id="pool",
            user_pool_arn="arn:aws:cognito-idp:eu-west-1:222222222222:userpool/pool",
            spa_client_id="client",
            mail_sender="no-reply@example.com",
            mail_identity_arn="arn:aws:ses:eu-west-1:222222222222:identity/no-reply@example.com",
        ),
        code=LambdaCode(stage_source(root / "src"), root / "deps"),
        version="0",
        git_commit="0",
        env=env,
    )
    queue = service.resources.subscriptions[0].queue.node.default_child
    assert isinstance(queue, sqs.CfnQueue)
    queue.redrive_policy = None
    table = service.resources.tables["state"].node.default_child
    assert isinstance(table, dynamodb.CfnGlobalTable)
    table.sse_specification = None
    add_nag_plugins(app)
    with pytest.raises(RuntimeError, match="ValidationFailed") as failure:
        app.synth()
    outdir = root / "cdk.out"
    template = json.loads((Path(deployment.outdir) / service.template_file).read_text())
    report = json.loads((outdir / "validation-report.json").read_text())
    return template, report, str(failure.value)


def test_cdk_nag_fails_synthesis_of_a_queue_without_dlq(broken):
    _, report, message = broken
    rules = {v["ruleName"] for p in report["pluginReports"] for v in p["violations"]}
    assert {"AwsSolutions-SQS3", "Serverless-SQSRedrivePolicy"} <= rules
    assert "Pipeline/Preprod/Broken/Queue-things/Resource" in message


def test_template_gates_catch_the_queue_without_dlq(broken):
    template, _, _ = broken
    problems = gates.queues_without_dlq(template)
    subscription_queue = [
        p for p in problems if p.startswith("queue Queuethings") and "dlq" not in p
    ]
    assert len(subscription_queue) == 1
    assert "has no dead-letter queue" in subscription_queue[0]


def test_template_gates_catch_the_unencrypted_table(broken):
    template, _, _ = broken
    problems = gates.unencrypted(template)
    assert len(problems) == 1
    assert problems[0].startswith("table ")
    assert "not KMS-encrypted" in problems[0]


def test_gates_pass_the_other_resources_of_the_broken_stack(broken):
    template, _, _ = broken
    assert gates.rule_targets_without_retry_or_dlq(template) == []
    assert gates.mappings_without_partial_failures(template) == []


def test_web_acl_gate_flags_a_missing_rule_group_and_rate_rule():
    acl = {
        "Properties": {
            "Rules": [
                {
                    "Statement": {
                        "ManagedRuleGroupStatement": {"Name": "AWSManagedRulesCommonRuleSet"}
                    }
                },
                {"Statement": {"RateBasedStatement": {"AggregateKeyType": "FORWARDED_IP"}}},
            ]
        }
    }
    problems = gates.web_acl_rules_missing(acl)
    assert len(problems) == 2
    assert "AWSManagedRulesKnownBadInputsRuleSet" in problems[0]
    assert problems[1] == "no per-IP rate rule"
