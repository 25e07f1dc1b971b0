"""A deployed stage's settings, from .chalice/config.json: `make package` fills the template's
parameters from them, and `refdesk` reads them to find the stage's tables."""

from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHALICE_CONFIG = Path(".chalice") / "config.json"

# The functions' log level, not the command line's: its output is its answers, so Powertools
# logs warnings only unless POWERTOOLS_LOG_LEVEL is set.
LAMBDA_ONLY = {"POWERTOOLS_LOG_LEVEL"}


def chalice_config() -> Path:
    """.chalice/config.json of the clone `refdesk` was installed from, else of the current
    directory."""
    for root in (ROOT, Path.cwd()):
        if (root / CHALICE_CONFIG).is_file():
            return root / CHALICE_CONFIG
    raise SystemExit(f"no {CHALICE_CONFIG} here or in {ROOT}: run this in a clone of Refdesk")


def stage_settings(stage: str, config: Path | None = None) -> dict[str, str]:
    """The environment variables Chalice gives the stage's functions: the app's, then the stage's."""
    settings = json.loads((config or chalice_config()).read_text())
    if stage not in settings["stages"]:
        raise SystemExit(f"no stage '{stage}' in .chalice/config.json")
    variables: dict[str, str] = {
        **settings.get("environment_variables", {}),
        **settings["stages"][stage]["environment_variables"],
    }
    return variables


def configure(stage: str, *, public_url: str | None = None, websocket_endpoint: str | None = None) -> None:
    """Put the stage's settings into this process's environment before anything reads them
    (chalicelib's settings are read once). A variable already set and not empty wins over
    .chalice/config.json; the options win over both. AWS_ENDPOINT_URL=aws means AWS itself,
    as for `make run`."""
    for key, value in stage_settings(stage).items():
        if key not in LAMBDA_ONLY and not os.environ.get(key):
            os.environ[key] = value
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    if public_url is not None:
        os.environ["REFDESK_PUBLIC_URL"] = public_url
    endpoint = websocket_endpoint or os.environ.get("REFDESK_WEBSOCKET_ENDPOINT")
    if endpoint:
        os.environ["REFDESK_WEBSOCKET_ENDPOINT"] = management_endpoint(endpoint)
    else:
        os.environ.pop("REFDESK_WEBSOCKET_ENDPOINT", None)
    if os.environ.get("AWS_ENDPOINT_URL") == "aws":
        del os.environ["AWS_ENDPOINT_URL"]


def management_endpoint(url: str) -> str:
    """The WebSocket API's management endpoint, from its connect URL (the stack's
    `WebsocketConnectEndpointURL` output, wss://ID.execute-api.REGION.amazonaws.com/ws/) or
    from the management endpoint itself (https://...)."""
    url = url.strip().rstrip("/")
    for socket_scheme, http_scheme in (("wss://", "https://"), ("ws://", "http://")):
        if url.startswith(socket_scheme):
            return http_scheme + url.removeprefix(socket_scheme)
    return url
