"""Each function is granted exactly what its topology declares (`Function.access`): the
service's own tables (read or read-write), buckets, secrets, the queues it sends to, the
bus, the user pool and mail; no more, no less."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_events as events

from common.topology import (
    Access,
    Function,
    ServiceTopology,
    Table,
    WorkQueue,
    read_only,
    read_write,
)
from infra.cdk.config import deploy_config, read_cdk_json_context
from infra.cdk.lambda_code import LambdaCode, stage_source
from infra.cdk.service import PlatformRefs, ServiceStack
from services.topologies import TOPOLOGIES
from tests.infra.grants import declared, difference, granted

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]


def test_every_function_is_granted_exactly_its_declared_access(synthesized):
    checked = 0
    for stage in synthesized.stages:
        for stack, template in synthesized.service_templates(stage).items():
            assert difference(template, stack) == {}, stack.topology.service
            checked += len(stack.topology.functions)
    # every function of every service, in every stage
    assert checked == len(synthesized.stages) * sum(len(t.functions) for t in TOPOLOGIES)


def test_the_access_function_touches_only_its_projection(synthesized):
    stage = synthesized.stages[0]
    for stack, template in synthesized.service_templates(stage).items():
        if "access" in {f.name for f in stack.topology.functions}:
            assert {name for _, name, _ in granted(template, stack, "access")} == {"access"}


TABLES = (Table(name="orders"), Table(name="audit"))
TOPOLOGY = ServiceTopology(
    service="grants",
    functions=(
        Function(
            name="writer",
            handler="services.grants.handlers.writer.handler",
            access=Access(tables=(*read_write("orders"), *read_only("audit")), sends_to=("work",)),
        ),
        Function(
            name="worker",
            handler="services.grants.handlers.worker.handler",
            access=Access(tables=read_only("orders")),
        ),
    ),
    tables=TABLES,
    work_queues=(WorkQueue(name="work", function="worker"),),
)


def _stack(tmp_path_factory, name: str) -> tuple[cdk.App, ServiceStack]:
    root = tmp_path_factory.mktemp(name)
    (root / "deps" / "python").mkdir(parents=True)
    stage = deploy_config(read_cdk_json_context()).stages[0]
    env = cdk.Environment(account=stage.account, region=stage.region)
    app = cdk.App(outdir=str(root / "cdk.out"))
    bus = events.EventBus(cdk.Stack(app, "Bus", env=env), "Bus", event_bus_name="scts-test-bus")
    stack = ServiceStack(
        app,
        "Grants",
        topology=TOPOLOGY,
        stage=stage,
        platform=PlatformRefs(
            event_bus=bus,
            user_pool_id="pool",
            user_pool_arn="arn:aws:cognito-idp:eu-west-1:111111111111:userpool/pool",
            spa_client_id="client",
            mail_sender="no-reply@example.com",
            mail_identity_arn="arn:aws:ses:eu-west-1:111111111111:identity/example.com",
        ),
        code=LambdaCode(stage_source(root / "src"), root / "deps"),
        version="test",
        git_commit="test",
        env=env,
    )
    return app, stack


def _template(app: cdk.App, stack: ServiceStack) -> dict[str, Any]:
    template: dict[str, Any] = app.synth().get_stack_by_name(stack.stack_name).template
    return template


def test_a_small_stack_grants_reads_writes_and_sends_as_declared(tmp_path_factory):
    app, stack = _stack(tmp_path_factory, "declared")
    template = _template(app, stack)
    assert difference(template, stack) == {}
    writer = granted(template, stack, "writer")
    assert ("table", "orders", "dynamodb:PutItem") in writer
    assert ("table", "audit", "dynamodb:PutItem") not in writer
    assert ("table", "audit", "dynamodb:Query") in writer
    assert ("queue", "work", "sqs:SendMessage") in writer
    worker = granted(template, stack, "worker")
    assert worker == declared(TOPOLOGY.function("worker").access)
    assert not any(kind == "queue" for kind, _, _ in worker)  # it consumes "work", sends nothing


def test_a_declared_grant_the_role_lacks_is_found(tmp_path_factory):
    """Declaring more than the stack grants is reported too (no less)."""
    app, stack = _stack(tmp_path_factory, "missing")
    worker = TOPOLOGY.function("worker")
    wider = TOPOLOGY.model_copy(
        update={
            "functions": (
                TOPOLOGY.function("writer"),
                worker.model_copy(update={"access": Access(tables=read_write("orders"))}),
            )
        }
    )
    found = difference(_template(app, stack), stack, wider)
    assert set(found) == {"worker"}
    assert ("table", "orders", "dynamodb:PutItem") in found["worker"]["missing"]
    assert found["worker"]["undeclared"] == []


def test_an_undeclared_grant_is_found(tmp_path_factory):
    """The check is not vacuous: a grant the topology does not declare (CDK's own
    grant_read_write_data, as a hand-written line in the stack would add) is reported."""
    app, stack = _stack(tmp_path_factory, "undeclared")
    stack.resources.tables["audit"].grant_read_write_data(stack.resources.functions["worker"])
    found = difference(_template(app, stack), stack)
    assert set(found) == {"worker"}
    assert ("table", "audit", "dynamodb:PutItem") in found["worker"]["undeclared"]
    assert found["worker"]["missing"] == []
