"""`python -m devstack`: the whole service on one machine, with no AWS account."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .gateway import Gateway


def _configure_environment(port: int, *, real_aws: bool) -> None:
    """Settings the deployed stage gets from .chalice/config.json, pointed at this machine.
    With AWS_ENDPOINT_URL set, the credentials are the developer's own (or the endpoint's)."""
    defaults = {
        "AWS_DEFAULT_REGION": "us-east-1",
        **({} if real_aws else {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}),
        "REFDESK_STAGE": "local",
        "REFDESK_TABLE_PREFIX": "refdesk-local",
        "REFDESK_SENDER": "ask@refdesk.example",
        "REFDESK_TOKEN_SECRET_PARAM": "/refdesk/local/token-secret",
        "POWERTOOLS_SERVICE_NAME": "refdesk",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "POWERTOOLS_METRICS_NAMESPACE": "Refdesk",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    os.environ["AWS_REGION"] = os.environ["AWS_DEFAULT_REGION"]
    os.environ["REFDESK_WEBSOCKET_ENDPOINT"] = f"http://127.0.0.1:{port}"
    os.environ["REFDESK_PUBLIC_URL"] = f"http://127.0.0.1:{port}"  # invitation links


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--no-demo", action="store_true", help="start with empty tables")
    parser.add_argument(
        "--metrics-log",
        type=Path,
        default=Path(aws_root()) / ".devstack" / "metrics.log",
        metavar="PATH",
        help="where the handlers' CloudWatch EMF metric lines go instead of the terminal",
    )
    parser.add_argument(
        "--moto-in-process",
        action="store_true",
        help="moto inside the stack's own process, not in a process of its own "
        "(devstack/moto_process.py): one process to debug, but one core for everything",
    )
    parser.add_argument(
        "--tables-from-template",
        type=Path,
        metavar="YAML",
        help="create missing tables through CloudFormation from this template (infra/refdesk.yaml)",
    )
    args = parser.parse_args(argv)
    from .metrics_log import divert

    divert(args.metrics_log)  # before anything prints: the terminal stays readable

    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if args.moto_in_process and endpoint:
        parser.error("--moto-in-process is moto; AWS_ENDPOINT_URL is another endpoint: one or the other")
    _configure_environment(args.port, real_aws=bool(endpoint))
    from . import aws  # before any AWS client exists: installs the moto and counting hooks

    if endpoint == "aws":  # the real AWS endpoints of the configured account and region
        del os.environ["AWS_ENDPOINT_URL"]
        print("Using your AWS account's DynamoDB, SES and SSM, not moto", flush=True)
    elif endpoint:
        print(f"Using the AWS services at {endpoint} (AWS_ENDPOINT_URL), not moto", flush=True)
    elif args.moto_in_process:
        aws.start_moto()
    else:  # the stack's handlers and moto each get a core (devstack/moto_process.py)
        from . import moto_process

        os.environ["AWS_ENDPOINT_URL"], _moto = moto_process.start()
        print(f"Using moto in a process of its own at {os.environ['AWS_ENDPOINT_URL']}", flush=True)
    from chalicelib.config import settings

    conf = settings()
    aws.create_resources(conf.sender, conf.token_secret_param, tables_from=args.tables_from_template)
    if not args.no_demo:
        from . import demo

        demo.load()

    sys.path.insert(0, str(aws_root()))
    import app as app_module

    from .gateway import Gateway

    gateway = Gateway(app_module, host=args.host, port=args.port)
    asyncio.run(_serve(gateway, args))


def aws_root() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent)


async def _serve(gateway: Gateway, args: argparse.Namespace) -> None:
    from aiohttp import web

    runner = web.AppRunner(gateway.web_app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, args.host, args.port)
    await site.start()
    base = f"http://{args.host}:{args.port}"
    lines = [
        f"Refdesk local stack on {base}",
        f"  demo library page  {base}/demo/",
        f"  hosted chat        {base}/chat/demo-public",
        f"  chat monitor       {base}/monitor/",
        f"  WebSocket          ws://{args.host}:{args.port}/ws",
        f"  REST               {base}/api/",
        f"  e-mail outbox      {base}/dev/outbox",
        f"  metrics (EMF)      {args.metrics_log}",
    ]
    if not args.no_demo:
        from .demo import LIBRARIANS, PASSWORD

        lines.append(f"  demo librarians (password {PASSWORD}):")
        lines += [f"    {email}{' (admin)' if admin else ''}" for email, _, _, admin in LIBRARIANS]
        lines.append(f"Chat is closed until a librarian signs in: open {base}/monitor/ and sign in.")
    print("\n".join(lines), flush=True)
    await gateway.run_schedules()
    await asyncio.Event().wait()


if __name__ == "__main__":
    main()
