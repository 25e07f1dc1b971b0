"""The service's one secret (the key that signs librarians' tokens) and what is keyed by it."""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from ..config import settings


@cache
def secret() -> bytes:
    """The signing key: from the environment locally, from SSM Parameter Store when deployed."""
    conf = settings()
    if conf.token_secret:
        return conf.token_secret.encode()
    if not conf.token_secret_param:
        raise RuntimeError("Set REFDESK_TOKEN_SECRET or REFDESK_TOKEN_SECRET_PARAM.")
    import boto3

    ssm = boto3.client("ssm")
    value = ssm.get_parameter(Name=conf.token_secret_param, WithDecryption=True)
    return str(value["Parameter"]["Value"]).encode()


def pseudonym(purpose: str, text: str) -> str:
    """A stable name for `text` that does not reveal it (HMAC-SHA256 under the secret, 24 hex
    characters): how a network or an e-mail address is named in keys that must not hold it.
    Rotating the secret renames everything, which only forgets what was being counted."""
    return hmac.new(secret(), f"{purpose}:{text}".encode(), hashlib.sha256).hexdigest()[:24]
