"""Stage settings, read from the environment that .chalice/config.json (or the dev stack) sets."""

from __future__ import annotations

import os
from functools import cache
from typing import NamedTuple


class Settings(NamedTuple):
    stage: str
    table_prefix: str
    sender: str
    websocket_endpoint: str | None
    patron_grace_seconds: int
    librarian_grace_seconds: int
    token_ttl_seconds: int
    token_secret: str | None
    token_secret_param: str | None
    public_url: str  # where the pages are served: invitation links point there

    def table(self, name: str) -> str:
        return f"{self.table_prefix}-{name}"


@cache
def settings() -> Settings:
    env = os.environ
    return Settings(
        stage=env.get("REFDESK_STAGE", "dev"),
        table_prefix=env.get("REFDESK_TABLE_PREFIX", "refdesk-dev"),
        sender=env.get("REFDESK_SENDER", "ask@refdesk.example"),
        websocket_endpoint=env.get("REFDESK_WEBSOCKET_ENDPOINT"),
        patron_grace_seconds=int(env.get("REFDESK_PATRON_GRACE_SECONDS", "60")),
        librarian_grace_seconds=int(env.get("REFDESK_LIBRARIAN_GRACE_SECONDS", "120")),
        token_ttl_seconds=int(env.get("REFDESK_TOKEN_TTL_SECONDS", str(12 * 3600))),
        token_secret=env.get("REFDESK_TOKEN_SECRET"),
        token_secret_param=env.get("REFDESK_TOKEN_SECRET_PARAM"),
        public_url=env.get("REFDESK_PUBLIC_URL", ""),
    )
