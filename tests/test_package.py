"""The deployment package `make package` writes: compiled for the runtime, so a cold start on a
read-only /var/task compiles nothing, and slimmed without losing what the functions load."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bench import cold_start

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def lambda_tree(tmp_path_factory) -> Iterator[tuple[Path, Path, Path]]:
    """The dev stage's zip, unpacked read-only as /var/task is, and the runtime's boto3 beside it."""
    work = tmp_path_factory.mktemp("package")
    cold_start._packager().package("dev", work / "dev")
    zip_path = work / "dev" / "deployment.zip"
    task, runtime = work / "task", work / "runtime"
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(task)
    cold_start._runtime(runtime)
    cold_start._read_only(task)
    cold_start._read_only(runtime)
    yield zip_path, task, runtime
    cold_start._read_only(task, writable=True)
    cold_start._read_only(runtime, writable=True)


def _run(task: Path, runtime: Path, code: str) -> str:
    """`code` as the Lambda runtime would run it: the package first, no .venv, no bytecode writes."""
    prelude = f"import sys; sys.path[0:1] = [{str(task)!r}, {str(runtime)!r}]\n"
    env = {"PYTHONDONTWRITEBYTECODE": "1", "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}
    env |= {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    run = subprocess.run(
        [sys.executable, "-S", "-s", "-c", prelude + code], cwd=task, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_every_module_is_shipped_as_bytecode_that_needs_no_source_check(lambda_tree):
    zip_path, _, _ = lambda_tree
    template = yaml.safe_load((zip_path.parent / "sam.yaml").read_text())
    runtimes = {
        r["Properties"]["Runtime"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Serverless::Function"
    }
    assert runtimes == {f"python{sys.version_info.major}.{sys.version_info.minor}"}  # the bytecode's Python
    with zipfile.ZipFile(zip_path) as z:
        names = set(z.namelist())
        sources = [n for n in names if n.endswith(".py")]
        missing = [s for s in sources if importlib.util.cache_from_source(s, optimization="") not in names]
        assert len(sources) > 500 and missing == []
        # For this Python, which Chalice named the functions' runtime after (python3.11)
        assert not [n for n in names if n.endswith(".pyc") and f".{sys.implementation.cache_tag}." not in n]
        header = z.read(importlib.util.cache_from_source("chalicelib/limits.py", optimization=""))[:8]
    assert header[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(header[4:8], "little") == 0b01  # hash-based, source never checked (PEP 552)


def test_app_imports_from_the_read_only_package_without_compiling_anything(lambda_tree):
    _, task, runtime = lambda_tree
    report = json.loads(
        _run(
            task,
            runtime,
            "compiled = []\n"
            "sys.addaudithook(lambda e, a: e == 'compile' and str(a[1]).endswith('.py') and compiled.append(a[1]))\n"
            "import app, json\n"
            "files = [m.__file__ for m in list(sys.modules.values()) if getattr(m, '__file__', None)]\n"
            "print(json.dumps({'compiled': compiled, 'app': app.__file__, 'pydantic': sys.modules['pydantic'].__file__,\n"
            "                  'venv': [f for f in files if '.venv' in f]}))",
        )
    )
    assert report["compiled"] == []
    assert report["app"].startswith(str(task)) and report["pydantic"].startswith(str(task))
    assert report["venv"] == []


def test_the_package_keeps_the_model_of_every_aws_service_the_functions_call(lambda_tree):
    _, task, runtime = lambda_tree
    called = set(re.findall(r"""client\(\s*["']([a-z0-9-]+)["']""", _sources()))
    assert {"ses", "ssm", "apigatewaymanagementapi"} <= called  # and DynamoDB, through PynamoDB
    assert called | {"dynamodb"} <= cold_start._packager().BOTOCORE_SERVICES  # add a new one there
    out = _run(
        task,
        runtime,
        "import boto3, botocore, pynamodb.connection\n"
        "from botocore.stub import Stubber\n"
        "assert botocore.__file__.startswith(sys.path[0]), botocore.__file__  # the package's, as on Lambda\n"
        "calls = {\n"
        "  'dynamodb': ('get_item', {'TableName': 't', 'Key': {'pk': {'S': 'x'}}}, {}),\n"
        "  'ses': ('send_email', {'Source': 'a@example.org', 'Destination': {'ToAddresses': ['b@example.org']},\n"
        "          'Message': {'Subject': {'Data': 's'}, 'Body': {'Text': {'Data': 't'}}}}, {'MessageId': 'm'}),\n"
        "  'ssm': ('get_parameter', {'Name': '/p', 'WithDecryption': True}, {'Parameter': {'Value': 'v'}}),\n"
        "  'apigatewaymanagementapi': ('post_to_connection', {'ConnectionId': 'c', 'Data': b'{}'}, {}),\n"
        "  'sts': ('get_caller_identity', {}, {'Account': '123456789012'}),\n"
        "}\n"
        "for service, (operation, params, reply) in calls.items():\n"
        "    extra = {'endpoint_url': 'https://abc.execute-api.us-east-1.amazonaws.com/ws'} if 'management' in service else {}\n"
        "    client = boto3.client(service, **extra)\n"
        "    with Stubber(client) as stub:\n"
        "        stub.add_response(operation, reply, params)\n"
        "        getattr(client, operation)(**params)\n"
        "    print(service, client.meta.endpoint_url)\n"
        "pynamodb.connection.Connection(region='us-east-1').client\n",
    )
    assert len(out.splitlines()) == 5, out


def _sources() -> str:
    return "\n".join(path.read_text() for path in (ROOT / "chalicelib").rglob("*.py"))
