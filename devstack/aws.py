"""AWS on the laptop: moto for DynamoDB, SES and SSM as the local stack runs it (`start_moto`, in
moto's own process, `moto_process.py`, or in the stack's), plus what the dev routes read.

Import this module before anything creates a boto3 or PynamoDB client: the hooks below are
added to botocore's built-in handlers, so every client made afterwards carries them.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.handlers import BUILTIN_HANDLERS
from moto import mock_aws
from moto.core.botocore_stubber import BotocoreStubber

from chalicelib import clock

from . import moto_memory, moto_transactions

# DynamoDB applies each request atomically; moto's backends are plain Python objects, so
# requests from the gateway's worker threads are applied one at a time, as DynamoDB would.
_moto_lock = threading.RLock()
_process_request = BotocoreStubber.process_request


def _one_at_a_time(self: BotocoreStubber, request: Any) -> Any:
    with _moto_lock:
        return _process_request(self, request)


BotocoreStubber.process_request = _one_at_a_time


# --- what the dev routes report ----------------------------------------------------------------

calls: Counter[str] = Counter()  # "dynamodb.GetItem" -> count, "apigatewaymanagementapi...."
outbox: list[dict[str, Any]] = []  # the newest OUTBOX_KEPT e-mails, oldest first
OUTBOX_KEPT = 1000  # a long-running stack keeps the mail a person or a test can look at, not all
_calls_lock = threading.Lock()
_outbox_lock = threading.Lock()


def _count_call(event_name: str, **_: Any) -> None:
    _when, service, operation = event_name.split(".", 2)
    with _calls_lock:
        calls[f"{service}.{operation}"] += 1


def _remember_mail(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    context["refdesk_mail"] = params


def _file_mail(context: dict[str, Any], http_response: Any, **_: Any) -> None:
    params = context.get("refdesk_mail")
    if params is None or http_response.status_code >= 300:
        return
    body = params["Message"]["Body"]
    for to in params["Destination"].get("ToAddresses", []):
        mail = {
            "to": to,
            "from": params["Source"],
            "subject": params["Message"]["Subject"]["Data"],
            "text": body.get("Text", {}).get("Data", ""),
            "html": body.get("Html", {}).get("Data", ""),
            "sent_at": clock.iso(clock.now()),
        }
        with _outbox_lock:
            outbox.append(mail)
            del outbox[:-OUTBOX_KEPT]


# The handlers' PostToConnection calls, handed to the local gateway's event loop once it serves
# (devstack/gateway.py sets this) instead of over HTTP to this same process.
post_in_process: Callable[[AWSPreparedRequest], AWSResponse | None] | None = None


def _post(request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
    return post_in_process(request) if post_in_process is not None else None


BUILTIN_HANDLERS.extend(
    [
        ("before-call", _count_call),
        ("before-send.apigatewaymanagementapi.PostToConnection", _post),
        ("provide-client-params.ses.SendEmail", _remember_mail),
        ("after-call.ses.SendEmail", _file_mail),
    ]
)


def start_moto() -> Any:
    """In-process moto, as the local stack runs it: transactions undone item by item rather than
    by copying whole tables (moto_transactions.py), and moto's objects freed once moto is done
    with them (moto_memory.py), so that neither time nor memory grows with every request."""
    moto_transactions.install()
    moto_memory.install()
    mock = mock_aws()
    mock.start()
    return mock


def create_resources(sender: str, token_secret_param: str | None, tables_from: Path | None = None) -> None:
    """What the service needs, made only where missing (so an AWS_ENDPOINT_URL pointing at a
    real account keeps its data and its secret): the tables (from the PynamoDB models, or
    from the CloudFormation template's table resources), the SES sender, the token secret."""
    import boto3

    from chalicelib.data.models import ALL_MODELS

    missing = [model for model in ALL_MODELS if not model.exists()]
    if missing and tables_from is not None:
        create_tables_from_template(tables_from)
    else:
        for model in missing:
            model.create_table(wait=True)
            _enable_ttl(model)
    ses = boto3.client("ses")
    known = ses.get_identity_verification_attributes(Identities=[sender])["VerificationAttributes"]
    if sender not in known:
        ses.verify_email_identity(EmailAddress=sender)
    if token_secret_param:
        ssm = boto3.client("ssm")
        try:
            ssm.get_parameter(Name=token_secret_param)
        except ssm.exceptions.ParameterNotFound:
            ssm.put_parameter(Name=token_secret_param, Value=secrets.token_urlsafe(32), Type="SecureString")


def create_tables_from_template(template_path: Path) -> None:
    """Create the tables exactly as infra/ declares them, through CloudFormation: a stack of
    the template's DynamoDB resources, with this stack's table prefix."""
    import boto3
    import yaml

    from chalicelib.config import settings

    template = yaml.safe_load(template_path.read_text())
    tables = {name: r for name, r in template["Resources"].items() if r["Type"] == "AWS::DynamoDB::Table"}
    stack = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"TablePrefix": {"Type": "String"}},
        "Resources": tables,
    }
    cloudformation = boto3.client("cloudformation")
    name = f"{settings().table_prefix}-tables"
    cloudformation.create_stack(
        StackName=name,
        TemplateBody=json.dumps(stack),
        Parameters=[{"ParameterKey": "TablePrefix", "ParameterValue": settings().table_prefix}],
    )
    cloudformation.get_waiter("stack_create_complete").wait(StackName=name, WaiterConfig={"Delay": 1})


def _enable_ttl(model: Any) -> None:
    ttl = [name for name, attr in model.get_attributes().items() if type(attr).__name__ == "TTLAttribute"]
    if ttl:
        import boto3

        boto3.client("dynamodb").update_time_to_live(
            TableName=model.Meta.table_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl[0]},
        )
