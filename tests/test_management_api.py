"""The local gateway answers API Gateway's management API in AWS's wire format."""

from __future__ import annotations

import boto3
import pytest

from devstack.management_api import Answer


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


@pytest.mark.parametrize(
    ("answer", "raised"),
    [
        (Answer(410, "Connection x is gone", "GoneException"), "GoneException"),
        (Answer(413, "Message too long", "PayloadTooLargeException"), "PayloadTooLargeException"),
        (Answer(200), None),
    ],
)
def test_a_post_answered_in_process_is_what_boto3_makes_of_the_http_answer(answer, raised):
    """The stack's handlers post without HTTP (`Gateway._post_in_process`): boto3 must make of
    that answer what it makes of the HTTP route's, or a gone socket would not be forgotten."""
    client = boto3.client(
        "apigatewaymanagementapi",
        endpoint_url="http://127.0.0.1:9",  # nothing listens: only the answer below can reply
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.meta.events.register(
        "before-send.apigatewaymanagementapi.PostToConnection",
        lambda request, **_: answer.botocore(request.url),
    )
    if raised is None:
        client.post_to_connection(ConnectionId="c29ja2V0", Data=b"{}")
        return
    with pytest.raises(getattr(client.exceptions, raised)) as error:
        client.post_to_connection(ConnectionId="c29ja2V0", Data=b"{}")
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == answer.status
    assert error.value.response["Error"]["Message"] == answer.message
