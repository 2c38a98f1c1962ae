"""Each function's grants in a synthesized service template, next to what its topology
declares (`Function.access`).

`granted` reads the role's inline policies and keeps what `Access` governs: the service's
own tables, buckets and secrets, the queues it sends to, the bus, the user pool and mail.
The rest of a role's policy follows from the function's triggers and is left to the tests
of those (its log group, the service key, X-Ray, the queue it consumes, claim checks,
signed downloads' parameters, the usage plan). `declared` spells out, independently of
the CDK code's own constants, what each declaration must grant.
"""

from __future__ import annotations

import json
from typing import Any

from common.topology import Access, SecretKind, ServiceTopology
from infra.cdk.nag import logical_id
from infra.cdk.service import ServiceStack

Grant = tuple[str, str, str]
"""(kind, name, action): ("table", "records", "dynamodb:PutItem")."""

DYNAMODB_READ = {
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
}
DYNAMODB_WRITE = {
    "dynamodb:BatchWriteItem",
    "dynamodb:DeleteItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
}
S3_READ = {"s3:ListBucket", "s3:GetObject"}
S3_WRITE = {"s3:PutObject", "s3:DeleteObject"}
SECRET_READ = {"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}
QUEUE_SEND = {"sqs:SendMessage", "sqs:GetQueueUrl"}
USER_POOL_PREFIX = "cognito-idp:"


def declared(access: Access) -> set[Grant]:
    """What `access` allows, action by action."""
    grants: set[Grant] = set()
    for table in access.tables:
        actions = DYNAMODB_READ | (DYNAMODB_WRITE if table.mode == "read-write" else set())
        grants |= {("table", table.table, action) for action in actions}
    for bucket in access.buckets:
        actions = S3_READ | (S3_WRITE if bucket.mode == "read-write" else set())
        grants |= {("bucket", bucket.bucket, action) for action in actions}
    for secret in access.secrets:
        grants |= {("secret", secret, action) for action in SECRET_READ}
    for queue in access.sends_to:
        grants |= {("queue", queue, action) for action in QUEUE_SEND}
    if access.publishes:
        grants.add(("bus", "platform", "events:PutEvents"))
    if access.user_pool:
        grants.add(("user-pool", "platform", USER_POOL_PREFIX + "*"))
    if access.sends_mail:
        grants.add(("mail", "platform", "ses:SendEmail"))
    return grants


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _role_statements(template: dict[str, Any], role_id: str) -> list[dict[str, Any]]:
    return [
        statement
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::IAM::Policy"
        and {"Ref": role_id} in resource["Properties"].get("Roles", [])
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
    ]


def _consumed_queues(template: dict[str, Any], function_id: str) -> set[str]:
    """Logical ids of the queues the function's event source mappings read."""
    return {
        mapping["Properties"]["EventSourceArn"]["Fn::GetAtt"][0]
        for mapping in template["Resources"].values()
        if mapping["Type"] == "AWS::Lambda::EventSourceMapping"
        and mapping["Properties"].get("FunctionName") == {"Ref": function_id}
        and "Fn::GetAtt" in mapping["Properties"]["EventSourceArn"]
    }


def _named(stack: ServiceStack) -> dict[str, tuple[str, str]]:
    """Logical id (or a secret's name as its ARN spells it) -> (kind, declared name)."""
    stage = stack.stage_config.name
    named = {logical_id(table): ("table", name) for name, table in stack.resources.tables.items()}
    named |= {logical_id(bucket): ("bucket", name) for name, bucket in stack.buckets.items()}
    for secret in stack.topology.secrets:
        if secret.kind is SecretKind.RSA_PRIVATE_KEY:
            named[f":secret:{secret.secret_id(stage)}-"] = ("secret", secret.name)
        else:
            construct = stack.node.find_child(f"Secret-{secret.name}")
            named[logical_id(construct)] = ("secret", secret.name)
    queues = [q.name for q in stack.topology.work_queues]
    queues += [s.name for s in stack.topology.schedules]
    for queue in queues:
        named[logical_id(stack.node.find_child(f"Queue-{queue}"))] = ("queue", queue)
    return named


def _mentions(text: str, identifier: str) -> bool:
    """A logical id appears as a whole JSON string; a secret's ARN part inside one."""
    return identifier in text if identifier.startswith(":") else f'"{identifier}"' in text


def granted(template: dict[str, Any], stack: ServiceStack, function: str) -> set[Grant]:
    """What the function's role may do to what `Access` governs, as `declared` spells it."""
    created = stack.resources.functions[function]
    assert created.role is not None
    function_id = logical_id(created)
    consumed = _consumed_queues(template, function_id)
    named = _named(stack)
    grants: set[Grant] = set()
    for statement in _role_statements(template, logical_id(created.role)):
        assert statement["Effect"] == "Allow", statement
        for action in _listed(statement["Action"]):
            if action == "events:PutEvents":
                grants.add(("bus", "platform", action))
            elif action.startswith(USER_POOL_PREFIX):
                grants.add(("user-pool", "platform", USER_POOL_PREFIX + "*"))
            elif action == "ses:SendEmail":
                grants.add(("mail", "platform", action))
            for resource in _listed(statement["Resource"]):
                text = json.dumps(resource)
                for identifier, (kind, name) in named.items():
                    if not _mentions(text, identifier):
                        continue
                    if kind == "queue" and identifier in consumed:
                        continue  # its own trigger (the event source mapping's grant)
                    grants.add((kind, name, action))
    return grants


def difference(
    template: dict[str, Any], stack: ServiceStack, topology: ServiceTopology | None = None
) -> dict[str, dict[str, list[Grant]]]:
    """Per function of the topology (the stack's own unless given): what its role has and
    its access does not declare (`undeclared`), and what it declares and its role lacks
    (`missing`); empty when equal."""
    found = {}
    for function in (topology or stack.topology).functions:
        have = granted(template, stack, function.name)
        want = declared(function.access)
        if have != want:
            found[function.name] = {
                "undeclared": sorted(have - want),
                "missing": sorted(want - have),
            }
    return found
