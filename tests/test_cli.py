"""`refdesk`, the command line for a deployed stage: against a moto server standing in for the
stage's AWS account, with the local stack (the same handlers) serving the pages and the APIs
on the same tables, as CloudFront and API Gateway would."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import boto3
import pytest

from devstack.client import Client, Stack, http
from devstack.process import free_port, running_stack

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
REFDESK = Path(sys.executable).with_name("refdesk")  # the console script pyproject.toml installs
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def aws_env() -> Iterator[dict[str, str]]:
    """A moto server in its own process, as a deployed stage's AWS would be, and the
    environment that points boto3 and PynamoDB at it."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "moto-cli.log").open("w") as log:
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(endpoint, server)
            env = {name: value for name, value in os.environ.items() if not name.startswith("REFDESK_")}
            yield {
                **env,
                "AWS_ENDPOINT_URL": endpoint,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1",
                "REFDESK_TABLE_PREFIX": "refdesk-cli",  # over the dev stage's refdesk-dev
            }
        finally:
            server.terminate()
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def site(aws_env: dict[str, str]) -> Iterator[Stack]:
    """The pages and APIs on the moto server's tables; it creates them there at start, as it
    creates whatever is missing at any AWS_ENDPOINT_URL."""
    with running_stack(ARTIFACTS / "devstack-cli.log", env=aws_env, demo=False) as stack:
        yield stack


def refdesk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REFDESK), *args, "--stage", "dev"], env=env, capture_output=True, text=True, timeout=60
    )


def refused(result: subprocess.CompletedProcess[str], message: str) -> None:
    """Exit status 1, nothing on stdout, and one line on stderr saying what was wrong."""
    assert result.returncode == 1, result
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("refdesk: error: "), result.stderr
    assert message in result.stderr


def invite(env: dict[str, str], site: Stack, email: str, library: str, *flags: str) -> str:
    """`refdesk add-librarian ... --no-mail`: the invitation link it prints, last."""
    added = refdesk(
        env, "add-librarian", email, "--library", library, "--no-mail", "--public-url", site.base, *flags
    )
    assert added.returncode == 0, added.stderr
    link = added.stdout.splitlines()[-1]
    assert link.startswith(f"{site.base}/monitor/?invite="), added.stdout
    return link


def set_password(site: Stack, link: str) -> str:
    """What the monitor's set-password view does with the link: the first sign-in's token."""
    (token,) = parse_qs(urlparse(link).query)["invite"]
    status, body = http(
        "POST", f"{site.base}/api/password", {"invite_token": token, "new_password": PASSWORD}
    )
    assert status == 200, body
    return str(body["token"])


def test_an_admin_made_with_refdesk_signs_in_runs_the_staff_and_is_deactivated(aws_env, site):
    created = refdesk(
        aws_env, "create-library", "cli-public", "--name", "CLI Public Library", "--cooperative", "cli-coop"
    )
    assert created.returncode == 0, created.stderr
    assert "cli-public" in created.stdout and "refdesk-cli-libraries" in created.stdout
    refused(
        refdesk(aws_env, "create-library", "cli-public", "--name", "Another Library"),
        "There is already a library 'cli-public' (CLI Public Library); nothing was changed.",
    )

    link = invite(aws_env, site, "Ada@CLI.example", "cli-public", "--name", "Ada Admin", "--admin")
    assert site.mails_to("ada@cli.example", timeout=0) == []  # --no-mail
    set_password(site, link)
    status, signed_in = http(
        "POST", f"{site.base}/api/login", {"email": "ada@cli.example", "password": PASSWORD}
    )
    assert status == 200, signed_in
    assert signed_in["librarian"] == {
        "email": "ada@cli.example",
        "name": "Ada Admin",
        "library": "cli-public",
        "is_admin": True,
    }
    token = signed_in["token"]
    status, staff = http("GET", f"{site.base}/api/libraries/cli-public/staff", token=token)  # admins only
    assert status == 200, staff
    assert [member["email"] for member in staff] == ["ada@cli.example"]

    listed = refdesk(aws_env, "list-staff", "--library", "cli-public")
    assert listed.returncode == 0, listed.stderr
    header, row = listed.stdout.splitlines()
    assert header.split() == ["E-MAIL", "NAME", "ROLE", "STATE"]
    assert row.split() == ["ada@cli.example", "Ada", "Admin", "admin", "active"]

    window = Client(site.ws_url, token)
    try:
        # The stack's WebsocketConnectEndpointURL form (wss://.../ws/), here the local gateway's.
        off = refdesk(aws_env, "deactivate", "ada@cli.example", "--websocket-endpoint", f"{site.ws_url}/")
        assert off.returncode == 0, off.stderr
        assert off.stderr == ""
        assert window.wait_type("signed_out", reason="deactivated")
        window.wait_closed()
    finally:
        window.close()
    assert http("GET", f"{site.base}/api/me", token=token)[0] == 401
    assert (
        http("POST", f"{site.base}/api/login", {"email": "ada@cli.example", "password": PASSWORD})[0] == 401
    )
    assert (
        refdesk(aws_env, "list-staff", "--library", "cli-public").stdout.splitlines()[1].split()[-1]
        == "deactivated"
    )


def test_deactivating_without_the_websocket_api_still_ends_every_sign_in(aws_env, site):
    assert refdesk(aws_env, "create-library", "cli-branch", "--name", "CLI Branch").returncode == 0
    token = set_password(site, invite(aws_env, site, "bo@cli.example", "cli-branch"))
    assert http("GET", f"{site.base}/api/me", token=token)[0] == 200
    window = Client(site.ws_url, token)
    try:
        off = refdesk(aws_env, "deactivate", "bo@cli.example")  # no REFDESK_WEBSOCKET_ENDPOINT either
        assert off.returncode == 0, off.stderr
        assert "Deactivated bo@cli.example (cli-branch)" in off.stdout
        assert off.stderr.startswith("refdesk: warning: ") and "1 open window " in off.stderr
        assert http("GET", f"{site.base}/api/me", token=token)[0] == 401
        assert not window.of_type("signed_out")  # nobody could tell it
    finally:
        window.close()
    on = refdesk(aws_env, "reactivate", "bo@cli.example")
    assert on.returncode == 0, on.stderr
    assert http("POST", f"{site.base}/api/login", {"email": "bo@cli.example", "password": PASSWORD})[0] == 200


def test_refdesk_refuses_clearly_and_changes_nothing(aws_env, site):
    refused(
        refdesk(
            aws_env,
            "add-librarian",
            "x@cli.example",
            "--library",
            "nowhere",
            "--no-mail",
            "--public-url",
            site.base,
        ),
        "There is no library 'nowhere'.",
    )
    refused(
        refdesk(aws_env, "add-librarian", "x@cli.example", "--library", "cli-public", "--no-mail"),
        "give --public-url URL, or set REFDESK_PUBLIC_URL",  # the dev stage sets none
    )
    refused(
        refdesk(aws_env, "create-library", "Main_Branch", "--name", "Main"),
        "'Main_Branch' is not a valid library id",
    )
    refused(refdesk(aws_env, "deactivate", "nobody@cli.example"), "There is no librarian nobody@cli.example.")
    refused(
        refdesk({**aws_env, "REFDESK_TABLE_PREFIX": "refdesk-none"}, "list-staff", "--library", "x"),
        "not there",
    )
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=aws_env["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    staff = dynamodb.get_item(TableName="refdesk-cli-staff", Key={"email": {"S": "x@cli.example"}})
    assert "Item" not in staff  # neither refusal left an invitation behind


def _wait_for(endpoint: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("moto_server did not start; see test-artifacts/moto-cli.log") from None
            time.sleep(0.1)
