"""Cold start as Lambda pays it, from the package `make package` builds.

The deployment zip is unpacked into a temporary directory made read-only (/var/task is
read-only on Lambda), and `app` is imported in fresh interpreters that may not write bytecode
(PYTHONDONTWRITEBYTECODE=1), whose sys.path is that directory, then a stand-in for the Lambda
runtime's own packages, then the standard library: nothing from .venv. The runtime ships boto3,
which the package leaves out (requirements.txt), so the stand-in holds boto3 and what it needs,
copied from .venv and compiled as the runtime's are; the functions import boto3 only when they
first make an SES, SSM or management-API call, so `import app` does not reach it.

Prints the package's contents before and after `infra/package.py` slimmed it; `import app`
(median of fresh interpreters); the goal's ratio, timed within each of fresh interpreters: the
libraries alone, imported the same way, then `import app`; what a first patron message then
costs (the wire's models are built on first use); and `import app` from the zip as Chalice
wrote it (no bytecode). `python -m bench.cold_start`.

"The libraries alone" is every import statement app.py and chalicelib run at module level of
code that is not Refdesk's (`from pydantic import BaseModel`, `from pynamodb.models import
Model`, `import csv`, ...), read from the sources, so the floor follows the code: what `import
app` costs beyond it is Refdesk's own modules being executed (their models, dataclasses,
constants). The narrower floor the goal was first measured against (a handful of packages,
without pydantic's model machinery, which `import pydantic` alone does not load) is printed too.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import os
import py_compile
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any, cast

from refdesk_cli.stages import stage_settings

ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 1.15
# The floor the goal was first set against: the stack's packages, without the names the code
# takes from them (`import pydantic` leaves BaseModel and its machinery unloaded).
STACK_PACKAGES = (
    "import pynamodb.models, pynamodb.transactions, pydantic, chalice, aws_lambda_powertools.logging"
)
# What the Lambda Python runtime provides (boto3 and its requirements); the package's own
# copies of botocore, jmespath, dateutil, urllib3 and six come first on sys.path, as on Lambda.
RUNTIME_PACKAGES = ("boto3", "botocore", "jmespath", "s3transfer", "dateutil", "urllib3", "six")
PROBE = """
import sys, time, json
sys.path[0:1] = [{task!r}, {runtime!r}]  # for '' (the working directory, the package as on Lambda)
compiled = []
if {audit}:
    sys.addaudithook(lambda event, args: event == "compile" and str(args[1]).endswith(".py") and compiled.append(args[1]))
started = time.perf_counter()
{libraries}
libraries_ms = (time.perf_counter() - started) * 1000
started = time.perf_counter()
{statements}
ms = (time.perf_counter() - started) * 1000
started = time.perf_counter()
{first_use}
first_use_ms = (time.perf_counter() - started) * 1000
loaded = [m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)]
print(json.dumps({{
    "libraries_ms": libraries_ms,
    "ms": ms,
    "first_use_ms": first_use_ms,
    "compiled": compiled,
    "from_package": sum(f.startswith({task!r}) for f in loaded),
    "elsewhere": [f for f in loaded if not f.startswith(({task!r}, {runtime!r}, sys.base_prefix))],
    "dont_write_bytecode": sys.flags.dont_write_bytecode,
}}))
"""


# A patron's message as the `$default` function first meets one: the frame validated, the event
# written. The wire's models are built on first use (chalicelib/wire/shape.py), so this is what
# a cold start pays for them beyond `import app`.
FIRST_MESSAGE = """
from chalicelib.wire.actions import INBOUND
from chalicelib.wire.events import Ack, MessageEvent, Sender
INBOUND["send_message"].model_validate({"action": "send_message", "session_id": "s-1", "text": "Hello?"})
Ack(ref="r-1", seq=1).frame()
MessageEvent(session_id="s-1", seq=1, kind="chat", sender=Sender(role="patron"), text="Hello?", sent_at="2026-12-03T12:00:00Z").frame()
"""


def library_imports() -> str:
    """Every module-level import in app.py and chalicelib of what is not Refdesk's own, as
    statements: the libraries alone, imported as the code imports them."""
    statements: set[str] = set()
    for path in [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]:
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Import):
                statements.update(f"import {a.name}" for a in node.names if not _own(a.name))
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and not _own(node.module or ""):
                statements.update(f"from {node.module} import {a.name}" for a in node.names)
    return "; ".join(sorted(statements))


def _own(module: str) -> bool:
    return module.split(".")[0] in ("chalicelib", "__future__")


def _packager() -> Any:
    spec = importlib.util.spec_from_file_location("infra_package", ROOT / "infra" / "package.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read_only(tree: Path, writable: bool = False) -> None:
    for path in [tree, *tree.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode | 0o200 if writable else mode & ~0o222)


def _runtime(into: Path) -> None:
    """boto3 and its requirements from .venv, compiled, as the Lambda runtime has them."""
    into.mkdir()
    for name in RUNTIME_PACKAGES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, name
        origin = Path(spec.origin)
        if origin.name == "__init__.py":
            shutil.copytree(origin.parent, into / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(origin, into / origin.name)
    for source in into.rglob("*.py"):
        py_compile.compile(
            str(source),
            cfile=importlib.util.cache_from_source(str(source), optimization=""),
            optimize=0,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )


def _import(
    task: Path,
    runtime: Path,
    statements: str,
    env: dict[str, str],
    audit: bool = False,
    libraries: str = "",
    first_use: str = "",
) -> dict[str, Any]:
    """Run `libraries`, then `statements`, then `first_use` in a fresh interpreter, each timed."""
    probe = PROBE.format(
        task=str(task),
        runtime=str(runtime),
        libraries=libraries,
        statements=statements,
        audit=audit,
        first_use=first_use,
    )
    run = subprocess.run(
        [sys.executable, "-S", "-s", "-c", probe],  # -S: no site, so no .venv site-packages
        cwd=task,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return cast(dict[str, Any], json.loads(run.stdout))


def measure(stage: str, runs: int) -> list[str]:
    packager = _packager()
    env = {
        **stage_settings(stage),  # what Chalice gives the stage's functions
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    with tempfile.TemporaryDirectory(prefix="refdesk-cold-start-") as tmp:
        work = Path(tmp)
        original = work / "chalice-deployment.zip"
        _, slimmed = packager.build(stage, work / "package", unslimmed=original)
        task, bare, runtime = work / "task", work / "bare", work / "runtime"
        for zip_path, tree in ((work / "package" / "deployment.zip", task), (original, bare)):
            with zipfile.ZipFile(zip_path) as z:
                z.extractall(tree)
        _runtime(runtime)
        for tree in (task, bare, runtime):
            _read_only(tree)
        try:
            env["LAMBDA_TASK_ROOT"] = str(task)
            check = _import(task, runtime, "import app", env, audit=True)
            libraries = library_imports()
            app_ms, own_ms, first_use_ms, libraries_ms, packages_ms = [], [], [], [], []
            for _ in range(runs):  # interleaved, so that load from elsewhere falls on all alike
                app_ms.append(_import(task, runtime, "import app", env)["ms"])
                split = _import(
                    task, runtime, "import app", env, libraries=libraries, first_use=FIRST_MESSAGE
                )
                libraries_ms.append(split["libraries_ms"])
                own_ms.append(split["ms"])
                first_use_ms.append(split["first_use_ms"])
                packages_ms.append(_import(task, runtime, STACK_PACKAGES, env)["ms"])
            env["LAMBDA_TASK_ROOT"] = str(bare)
            bare_ms = [_import(bare, runtime, "import app", env)["ms"] for _ in range(runs)]
        finally:
            for tree in (task, bare, runtime):
                _read_only(tree, writable=True)  # so the temporary directory can be removed
    if check["elsewhere"] or not check["dont_write_bytecode"]:
        raise SystemExit(f"the probe imported from outside the package: {check['elsewhere']}")
    app, own, first_use, libraries, packages, bare_app = (
        statistics.median(ms) for ms in (app_ms, own_ms, first_use_ms, libraries_ms, packages_ms, bare_ms)
    )
    # The goal's ratio is measured within one interpreter: the libraries imported, then `import
    # app`, which then runs only Refdesk's own modules. `import app` alone does the same work in
    # one go; timing the two halves of one interpreter's import, rather than two interpreters
    # against each other, keeps the other processes' load on this machine out of the difference.
    ratios = [(lib + mine) / lib for lib, mine in zip(libraries_ms, own_ms, strict=True)]
    with_first = [
        (lib + mine + f) / lib for lib, mine, f in zip(libraries_ms, own_ms, first_use_ms, strict=True)
    ]
    ratio, with_first_use = statistics.median(ratios), statistics.median(with_first)
    return [
        f"package (`make package`, {stage}): before {slimmed.before}; after {slimmed.after}",
        "cold start from the packaged zip (read-only, no bytecode writes): "
        f"the libraries alone, as the code imports them, {libraries:.0f} ms, then Refdesk's own modules "
        f"{own:.0f} ms (medians of {runs} fresh interpreters): ratio {ratio:.3f} "
        f"(goal <= {GOAL_RATIO}: {'met' if ratio <= GOAL_RATIO else 'MISSED'}; "
        f"runs {min(ratios):.3f}-{max(ratios):.3f})",
        f"  import app alone, as Lambda pays it: median {app:.0f} ms",
        f"  then a first patron message (its frame's model and two events', built on first use): "
        f"{first_use:.1f} ms; import and that message together, to the libraries: {with_first_use:.3f}",
        f"  against the stack's packages without pydantic's model machinery ({packages:.0f} ms): "
        f"ratio {app / packages:.2f}",
        f"  fastest of {runs}: import app {min(app_ms):.0f} ms, the libraries {min(libraries_ms):.0f} ms, "
        f"Refdesk's own {min(own_ms):.0f} ms; "
        f"{check['from_package']} modules loaded from the package, {len(check['compiled'])} compiled at import",
        f"  the zip as chalice package writes it (no bytecode): import app median {bare_app:.0f} ms",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print("\n".join(measure(args.stage, args.runs)))


if __name__ == "__main__":
    main()
