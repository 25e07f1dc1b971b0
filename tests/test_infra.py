"""infra/ and the code cannot drift apart: the packaged template lints clean, declares exactly
the models' tables, and the chat runs on tables CloudFormation made from it, and against any
AWS-compatible endpoint."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
import yaml

from devstack.client import Stack
from devstack.process import free_port, running_stack

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infra" / "refdesk.yaml"
ARTIFACTS = ROOT / "test-artifacts"


def _packager():
    spec = importlib.util.spec_from_file_location("infra_package", ROOT / "infra" / "package.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_packaged_template_lints_clean_and_carries_the_stages_settings(stage, tmp_path):
    packager = _packager()
    template_path = packager.package(stage, tmp_path / stage)
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    lint = subprocess.run([str(cfn_lint), str(template_path)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    template = yaml.safe_load(template_path.read_text())
    settings = packager.stage_settings(stage)
    assert template["Parameters"]["TablePrefix"]["Default"] == settings["REFDESK_TABLE_PREFIX"]
    assert template["Parameters"]["SenderAddress"]["Default"] == settings["REFDESK_SENDER"]
    (policy,) = template["Resources"]["DefaultRole"]["Properties"]["Policies"]
    statements = policy["PolicyDocument"]["Statement"]
    everywhere = [st["Sid"] for st in statements if st["Resource"] == "*"]
    assert everywhere == ["TracesWhenXRayIsOn"]  # X-Ray has no resource-level permissions
    actions = {action for st in statements for action in st["Action"]}
    assert not {a for a in actions if a.endswith("*") or a == "dynamodb:Scan"}
    secrets_in_repo = [key for key in settings if "SECRET" in key and not key.endswith("_PARAM")]
    assert secrets_in_repo == []


def _declared_tables() -> dict[str, dict]:
    resources = yaml.safe_load(TEMPLATE.read_text())["Resources"]
    tables = {}
    for resource in resources.values():
        if resource["Type"] == "AWS::DynamoDB::Table":
            name = resource["Properties"]["TableName"]["Fn::Sub"].removeprefix("${TablePrefix}-")
            tables[name] = resource["Properties"]
    return tables


def _keys(schema: list[dict]) -> list[tuple[str, str]]:
    """(name, HASH) then (name, RANGE), whatever order they were listed in."""
    return sorted(((key["AttributeName"], key["KeyType"]) for key in schema), key=lambda k: k[1] != "HASH")


TABLES = [
    "libraries",
    "library_texts",
    "staff",
    "throttles",
    "tickets",
    "connections",
    "monitors",
    "sessions",
    "messages",
    "refs",
    "questions",
    "report_days",
    "report_rows",
]


def test_the_template_declares_a_table_for_each_model_and_no_other():
    from chalicelib.data.models import ALL_MODELS  # imported late: settings come from the test env

    assert (
        sorted(TABLES)
        == sorted(_declared_tables())
        == sorted(m.Meta.table_name.split("-")[-1] for m in ALL_MODELS)
    )


@pytest.mark.parametrize("table", TABLES)
def test_every_model_table_is_declared_exactly_as_the_model_defines_it(table):
    from chalicelib.data.models import ALL_MODELS

    (model,) = [m for m in ALL_MODELS if m.Meta.table_name.endswith(f"-{table}")]
    declared = _declared_tables()[table]
    schema = model._get_schema()
    assert _keys(declared["KeySchema"]) == _keys(schema["key_schema"])
    assert {(a["AttributeName"], a["AttributeType"]) for a in declared["AttributeDefinitions"]} == {
        (a["AttributeName"], a["AttributeType"]) for a in schema["attribute_definitions"]
    }
    model_indexes = {
        index["index_name"]: (_keys(index["key_schema"]), index["projection"]["ProjectionType"])
        for index in schema.get("global_secondary_indexes", [])
    }
    declared_indexes = {
        index["IndexName"]: (_keys(index["KeySchema"]), index["Projection"]["ProjectionType"])
        for index in declared.get("GlobalSecondaryIndexes", [])
    }
    assert declared_indexes == model_indexes
    ttl = [name for name, attr in model.get_attributes().items() if type(attr).__name__ == "TTLAttribute"]
    assert declared.get("TimeToLiveSpecification", {}).get("AttributeName") == (ttl[0] if ttl else None)
    assert declared["BillingMode"] == "PAY_PER_REQUEST"
    assert declared["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def _a_whole_chat(stack: Stack) -> str:
    """Fixtures, a monitored queue, a chat with messages, its end and its mail; returns its id."""
    stack.fixtures(
        {
            "libraries": [{"id": "infra-lib", "name": "Infra Library"}],
            "staff": [{"email": "lib@infra.example", "name": "Lib", "library": "infra-lib"}],
        }
    )
    librarian = stack.librarian("lib@infra.example")
    patron = stack.patron()
    try:
        assert librarian.call("monitor")["type"] == "queue_snapshot"
        requested = patron.call(
            "request_chat", library="infra-lib", question="Tables?", email="t@example.org"
        )
        session_id = requested["session_id"]
        assert librarian.call("accept", session_id=session_id)["type"] == "accepted"
        assert patron.call("send_message", session_id=session_id, text="hello")["seq"] == 3
        assert librarian.call("set_codes", session_id=session_id, resolution="answered")["type"] == "ack"
        assert librarian.call("end_chat", session_id=session_id)["type"] == "ack"
        assert len(stack.mails_to("t@example.org")) == 1
        assert stack.run_job("expire_reconnects", "2030-01-01T00:00:00Z")["job"] == "expire_reconnects"
        return session_id
    finally:
        patron.close()
        librarian.close()


def test_the_chat_runs_on_tables_that_cloudformation_made_from_infra():
    with running_stack(
        ARTIFACTS / "devstack-cfn.log", demo=False, args=["--tables-from-template", str(TEMPLATE)]
    ) as stack:
        calls = stack.calls()
        assert calls["cloudformation.CreateStack"] == 1
        assert calls.get("dynamodb.CreateTable", 0) == 0  # none made from the models
        _a_whole_chat(stack)
    log = (ARTIFACTS / "devstack-cfn.log").read_text()
    assert "Traceback" not in log


def test_make_run_uses_the_aws_endpoint_in_aws_endpoint_url_and_creates_what_is_missing():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    env = {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "REFDESK_TABLE_PREFIX": "refdesk-endpoint",
    }
    try:
        with running_stack(ARTIFACTS / "devstack-endpoint.log", env=env, demo=False) as stack:
            session_id = _a_whole_chat(stack)
        dynamodb = boto3.client(
            "dynamodb",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        assert "refdesk-endpoint-sessions" in dynamodb.list_tables()["TableNames"]
        stored = dynamodb.get_item(
            TableName="refdesk-endpoint-sessions", Key={"session_id": {"S": session_id}}
        )
        assert stored["Item"]["status"]["S"] == "ended"
        # A second start finds everything in place and keeps it.
        with running_stack(ARTIFACTS / "devstack-endpoint.log", env=env, demo=False) as again:
            assert again.calls().get("dynamodb.CreateTable", 0) == 0
        assert dynamodb.get_item(
            TableName="refdesk-endpoint-sessions", Key={"session_id": {"S": session_id}}
        )["Item"]
    finally:
        server.stop()


def test_the_packaged_template_guards_the_public_web(tmp_path):
    """docs/abuse.md and docs/deploy.md: stage throttling on both APIs, AWS WAF where it can
    attach, the SES event destination, and the alarms on reputation and abuse."""
    template = yaml.safe_load(_packager().package("dev", tmp_path / "dev").read_text())
    resources = template["Resources"]

    def of_type(kind: str) -> dict[str, dict]:
        return {name: r for name, r in resources.items() if r["Type"] == kind}

    (setting,) = resources["RestAPI"]["Properties"]["MethodSettings"]
    assert setting["ResourcePath"] == "/*" and setting["HttpMethod"] == "*"
    assert 0 < setting["ThrottlingRateLimit"] <= setting["ThrottlingBurstLimit"]
    stage = resources["WebsocketAPIStage"]["Properties"]
    assert stage["StageName"] == "ws"  # where CloudFront's /ws and REFDESK_WEBSOCKET_ENDPOINT point
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] > 0
    assert stage["RouteSettings"]["$connect"]["ThrottlingBurstLimit"] > 0
    assert template["Outputs"]["WebsocketConnectEndpointURL"]["Value"]["Fn::Sub"].endswith("/ws/")

    acls = of_type("AWS::WAFv2::WebACL")
    assert {acl["Properties"]["Scope"] for acl in acls.values()} == {"REGIONAL", "CLOUDFRONT"}
    for acl in acls.values():
        (rule,) = acl["Properties"]["Rules"]
        assert rule["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"
        assert rule["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 429
    (association,) = of_type("AWS::WAFv2::WebACLAssociation").values()
    assert "/restapis/${RestAPI}/stages/" in association["Properties"]["ResourceArn"]["Fn::Sub"]
    (cloudfront_acl,) = [n for n, acl in acls.items() if acl["Properties"]["Scope"] == "CLOUDFRONT"]
    assert acls[cloudfront_acl]["Condition"] == "InUsEast1"  # a CloudFront web ACL lives in us-east-1
    distribution = resources["PagesDistribution"]["Properties"]["DistributionConfig"]
    assert distribution["WebACLId"]["Fn::If"][0] == "InUsEast1"

    (destination,) = of_type("AWS::SES::ConfigurationSetEventDestination").values()
    assert destination["Properties"]["ConfigurationSetName"] == {"Ref": "MailConfiguration"}
    assert {"bounce", "complaint"} <= set(destination["Properties"]["EventDestination"]["MatchingEventTypes"])
    alarms = {
        a["Properties"]["MetricName"]: a["Properties"] for a in of_type("AWS::CloudWatch::Alarm").values()
    }
    assert alarms["Reputation.BounceRate"]["Namespace"] == "AWS/SES"
    assert alarms["Reputation.BounceRate"]["Threshold"] == 0.05
    assert alarms["Reputation.ComplaintRate"]["Threshold"] == 0.001
    assert {"MailsCapped", "RateLimited"} <= set(alarms)
    assert all(a["AlarmActions"] == [{"Ref": "AlarmTopic"}] for a in alarms.values())
    assert template["Parameters"]["Stage"]["Default"] == "dev"


def test_cloudfront_keeps_the_monitor_out_of_frames_and_every_reply_unsniffed():
    """The headers the local gateway sends (tests/test_public_web.py checks them over HTTP),
    as CloudFront's response headers policies: the monitor never framed, the chat page
    frameable (the widget frames it), nosniff on every behaviour, and no access log that
    could keep a URL's query string."""
    resources = yaml.safe_load(TEMPLATE.read_text())["Resources"]
    distribution = resources["PagesDistribution"]["Properties"]["DistributionConfig"]
    behaviours = {b["PathPattern"]: b for b in distribution["CacheBehaviors"]}
    default = distribution["DefaultCacheBehavior"]

    def security(behaviour: dict) -> dict:
        policy = resources[behaviour["ResponseHeadersPolicyId"]["Ref"]]
        assert policy["Type"] == "AWS::CloudFront::ResponseHeadersPolicy"
        return policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]

    for pattern in ("/monitor*", "/widget/monitor/*"):
        headers = security(behaviours[pattern])
        assert "frame-ancestors 'none'" in headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]
        assert headers["FrameOptions"] == {"FrameOption": "DENY", "Override": True}
        assert behaviours[pattern]["TargetOriginId"] == "pages"
    assert behaviours["/monitor*"]["FunctionAssociations"] == default["FunctionAssociations"]
    pages = security(default)  # /chat/{library}, /widget/*, /demo/
    assert "frame-ancestors" not in pages["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert "FrameOptions" not in pages
    for behaviour in [default, *behaviours.values()]:
        assert security(behaviour)["ContentTypeOptions"] == {"Override": True}
    assert "Logging" not in distribution
    for resource in resources.values():
        assert "AccessLogSettings" not in resource.get("Properties", {})
