"""The local gateway answers API Gateway's management API in AWS's wire format."""

from __future__ import annotations

import boto3
import pytest


@pytest.fixture
def management_api(stack):
    return boto3.client(
        "apigatewaymanagementapi",
        endpoint_url=stack.base,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.mark.parametrize("call", ["post_to_connection", "get_connection", "delete_connection"])
def test_an_unknown_connection_is_gone_as_boto3_understands_it(management_api, call):
    kwargs = {"ConnectionId": "bm9zdWNoc29ja2V0"}
    if call == "post_to_connection":
        kwargs["Data"] = b"{}"
    with pytest.raises(management_api.exceptions.GoneException):
        getattr(management_api, call)(**kwargs)
