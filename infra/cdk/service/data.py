"""The service's own data: DynamoDB tables, S3 buckets and secrets, all under its key."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager

from common.topology import Secret, SecretKind, Table
from infra.cdk.nag import acknowledge
from infra.cdk.service import files
from infra.shape.resources import bucket_name

if TYPE_CHECKING:
    from infra.cdk.service.stack import ServiceStack


def table(stack: ServiceStack, declared: Table) -> dynamodb.TableV2:
    def attribute(name: str) -> dynamodb.Attribute:
        return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)

    return dynamodb.TableV2(
        stack,
        f"Table-{declared.name}",
        table_name=stack.topology.resource_name(stack.stage_config.name, declared.name),
        partition_key=attribute(declared.partition_key),
        sort_key=attribute(declared.sort_key) if declared.sort_key else None,
        billing=dynamodb.Billing.on_demand(),
        encryption=dynamodb.TableEncryptionV2.customer_managed_key(stack.key),
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True
        ),
        deletion_protection=stack.stage_config.production,
        dynamo_stream=dynamodb.StreamViewType.NEW_IMAGE if declared.stream else None,
        time_to_live_attribute=declared.ttl_attribute,
        global_secondary_indexes=[
            dynamodb.GlobalSecondaryIndexPropsV2(
                index_name=index.name,
                partition_key=attribute(index.partition_key),
                sort_key=attribute(index.sort_key) if index.sort_key else None,
            )
            for index in declared.indexes
        ],
        removal_policy=stack.removal_policy,
    )


def physical_bucket_name(stack: ServiceStack, logical: str) -> str:
    declared = next(b for b in stack.topology.buckets if b.name == logical)
    return bucket_name(stack.topology, stack.stage_config.name, declared, stack.account)


def bucket(stack: ServiceStack, logical: str) -> s3.Bucket:
    declared = next(b for b in stack.topology.buckets if b.name == logical)
    created = s3.Bucket(
        stack,
        f"Bucket-{logical}",
        bucket_name=physical_bucket_name(stack, logical),
        encryption=s3.BucketEncryption.KMS,
        encryption_key=stack.key,
        bucket_key_enabled=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        versioned=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        lifecycle_rules=files.lifecycle_rules(declared) or None,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    acknowledge(
        created,
        "AwsSolutions-S1",
        "Data-plane access is recorded by CloudTrail data events in the organisation "
        "trail; per-bucket server access logs would duplicate them.",
    )
    return created


def secret(stack: ServiceStack, declared: Secret) -> secretsmanager.ISecret:
    """A generated secret under /<stage>/scts/<name>, encrypted with the service key;
    an RSA key made by an operator is referenced by name instead."""
    if declared.kind is SecretKind.RSA_PRIVATE_KEY:
        return files.operator_secret(stack, declared)
    created = secretsmanager.Secret(
        stack,
        f"Secret-{declared.name}",
        secret_name=declared.secret_id(stack.stage_config.name),
        description=declared.description,
        encryption_key=stack.key,
        generate_secret_string=secretsmanager.SecretStringGenerator(
            password_length=64, exclude_punctuation=True
        ),
        removal_policy=stack.removal_policy,
    )
    acknowledge(
        created,
        "AwsSolutions-SMG4",
        "A generated HMAC key read at cold start; rotating it is an operator action "
        "(it invalidates outstanding signed values), so no rotation Lambda is attached.",
    )
    return created
