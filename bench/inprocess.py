"""The environment of a benchmark run against in-process moto, set on import: import this
module before anything imports chalicelib (its settings are read at import)."""

from __future__ import annotations

import os

os.environ.update(
    {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "REFDESK_TABLE_PREFIX": "refdesk-bench",
        "REFDESK_TOKEN_SECRET": "bench-secret",
    }
)
# moto intercepts requests to AWS's own addresses only: with `AWS_ENDPOINT_URL=... make bench`
# (the relay against another endpoint, docs/deploy.md) these runs still use in-process moto.
os.environ.pop("AWS_ENDPOINT_URL", None)
