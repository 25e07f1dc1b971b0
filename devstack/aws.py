"""AWS on the laptop: moto in-process for DynamoDB, SES and SSM, plus what the dev routes read.

Import this module before anything creates a boto3 or PynamoDB client: the hooks below are
added to botocore's built-in handlers, so every client made afterwards carries them.
"""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from typing import Any

from botocore.handlers import BUILTIN_HANDLERS
from moto import mock_aws
from moto.core.botocore_stubber import BotocoreStubber

from chalicelib import clock

# DynamoDB applies each request atomically; moto's backends are plain Python objects, so
# requests from the gateway's worker threads are applied one at a time, as DynamoDB would.
_moto_lock = threading.RLock()
_process_request = BotocoreStubber.process_request


def _one_at_a_time(self: BotocoreStubber, request: Any) -> Any:
    with _moto_lock:
        return _process_request(self, request)


BotocoreStubber.process_request = _one_at_a_time  # type: ignore[method-assign]


# --- what the dev routes report ----------------------------------------------------------------

calls: Counter[str] = Counter()  # "dynamodb.GetItem" -> count, "apigatewaymanagementapi...."
outbox: list[dict[str, Any]] = []
_calls_lock = threading.Lock()


def _count_call(event_name: str, **_: Any) -> None:
    _, service, operation = event_name.split(".", 2)
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
        outbox.append(
            {
                "to": to,
                "from": params["Source"],
                "subject": params["Message"]["Subject"]["Data"],
                "text": body.get("Text", {}).get("Data", ""),
                "html": body.get("Html", {}).get("Data", ""),
                "sent_at": clock.iso(clock.now()),
            }
        )


BUILTIN_HANDLERS.extend(
    [
        ("before-call", _count_call),
        ("provide-client-params.ses.SendEmail", _remember_mail),
        ("after-call.ses.SendEmail", _file_mail),
    ]
)


def start_moto() -> Any:
    mock = mock_aws()
    mock.start()
    return mock


def create_resources(sender: str, token_secret_param: str | None) -> None:
    """Tables from the PynamoDB models, the SES sender identity, the token-signing secret."""
    import boto3

    from chalicelib.data.models import ALL_MODELS

    for model in ALL_MODELS:
        if not model.exists():
            model.create_table(wait=True)
        _enable_ttl(model)
    boto3.client("ses").verify_email_identity(EmailAddress=sender)
    if token_secret_param:
        boto3.client("ssm").put_parameter(
            Name=token_secret_param,
            Value=secrets.token_urlsafe(32),
            Type="SecureString",
            Overwrite=True,
        )


def _enable_ttl(model: Any) -> None:
    ttl = [name for name, attr in model.get_attributes().items() if type(attr).__name__ == "TTLAttribute"]
    if ttl:
        import boto3

        boto3.client("dynamodb").update_time_to_live(
            TableName=model.Meta.table_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl[0]},
        )
