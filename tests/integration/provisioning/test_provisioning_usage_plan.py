"""Registering a publisher gives it an API key in the ingest API's usage plan (its gateway
throttle), stored on the publisher; the authorizer answers it as `usageIdentifierKey`; a
failed registration leaves neither a publisher nor an API key behind."""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from common.topology import USAGE_PLAN_ENV
from services.provisioning import dependencies
from services.provisioning.adapters.publishers import ApiGatewayUsageKeys
from tests.integration.provisioning.conftest import REGION, Cloud
from tests.support.intercept import intercepted

pytestmark = pytest.mark.integration


NEW = {"name": "STX trading", "all_accounts": True}


def apigateway() -> Any:
    return boto3.client("apigateway", region_name=REGION)


def plan_key_ids() -> set[str]:
    items = apigateway().get_usage_plan_keys(usagePlanId=os.environ[USAGE_PLAN_ENV])["items"]
    return {item["id"] for item in items}


def api_keys() -> list[dict[str, Any]]:
    return list(apigateway().get_api_keys(includeValues=True)["items"])


def publisher_items(cloud: Cloud) -> list[dict[str, Any]]:
    table = dependencies.settings().publishers_table
    return list(cloud.dynamodb.scan(TableName=table)["Items"])


def test_registration_creates_an_enabled_key_in_the_plan_named_after_the_publisher(
    cloud: Cloud,
) -> None:
    publisher_id, key = cloud.register()
    (created,) = api_keys()
    assert created["name"] == publisher_id
    assert created["enabled"] is True
    assert plan_key_ids() == {created["id"]}
    stored = dependencies.publisher_store().get(publisher_id)
    assert stored is not None
    assert stored.usage_key is not None
    assert (stored.usage_key.key_id, stored.usage_key.value) == (created["id"], created["value"])
    answer = cloud.authorize({"x-api-key": key})
    assert answer["usageIdentifierKey"] == created["value"]
    assert answer["policyDocument"]["Statement"][0]["Effect"] == "Allow"


def test_a_failed_publisher_write_deletes_the_new_api_key(cloud: Cloud) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ClientError({"Error": {"Code": "InternalServerError", "Message": "x"}}, "Transact")

    refusing = intercepted(dependencies.publisher_store(), create=refuse)
    with dependencies.publisher_store.override(refusing):
        reply = cloud.call("POST", "/v1/publishers", token=cloud.admin_token(), body=NEW)
    assert reply.status == 500
    assert api_keys() == []
    assert plan_key_ids() == set()
    assert publisher_items(cloud) == []


def test_a_failed_plan_enrolment_deletes_the_new_api_key(cloud: Cloud) -> None:
    def refuse(**kwargs: Any) -> None:
        raise ClientError({"Error": {"Code": "LimitExceededException", "Message": "x"}}, "Key")

    client = intercepted(apigateway(), create_usage_plan_key=refuse)
    refusing = ApiGatewayUsageKeys(client, os.environ[USAGE_PLAN_ENV])
    with dependencies.usage_keys.override(refusing):
        reply = cloud.call("POST", "/v1/publishers", token=cloud.admin_token(), body=NEW)
    assert reply.status == 500
    assert api_keys() == []
    assert publisher_items(cloud) == []
