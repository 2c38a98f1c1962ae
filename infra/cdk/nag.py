"""cdk-nag 3.x (a validation plugin, not an Aspect) and one-finding acknowledgements."""

from __future__ import annotations

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks, ServerlessChecks
from constructs import IConstruct


def add_nag_plugins(scope: cdk.App | cdk.Stage) -> None:
    """Run the AwsSolutions and Serverless packs on every stack under `scope` at synth;
    any unacknowledged finding fails synthesis (see cdk.out/validation-report.json)."""
    cdk.Validations.of(scope).add_plugins(
        AwsSolutionsChecks(scope, verbose=True), ServerlessChecks(scope, verbose=True)
    )


def acknowledge(scope: IConstruct, finding: str, reason: str) -> None:
    """Acknowledge exactly one finding (e.g. `AwsSolutions-IAM5[Resource::*]`) on `scope`
    and its children, with the reason it is acceptable."""
    if not reason.strip():
        raise ValueError(f"acknowledging {finding} needs a reason")
    cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=finding, reason=reason))


def logical_id(construct: IConstruct) -> str:
    """The CloudFormation logical id of `construct` (or of its default child), as findings
    name it (e.g. `AwsSolutions-IAM5[Resource::<TableX.Arn>/*]`)."""
    element = construct if isinstance(construct, cdk.CfnElement) else construct.node.default_child
    assert isinstance(element, cdk.CfnElement)
    stack = cdk.Stack.of(element)
    return str(stack.resolve(stack.get_logical_id(element)))
