"""A service's CloudFormation stack (`stack.ServiceStack`), one module per section."""

from infra.cdk.service.base import (
    QUEUE_SENDER_KEY_ACTIONS,
    PlatformRefs,
    ServiceResources,
    SubscriptionResources,
    allow_aws_service,
    role_path,
)
from infra.cdk.service.stack import ServiceStack

__all__ = [
    "QUEUE_SENDER_KEY_ACTIONS",
    "PlatformRefs",
    "ServiceResources",
    "ServiceStack",
    "SubscriptionResources",
    "allow_aws_service",
    "role_path",
]
