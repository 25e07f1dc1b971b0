"""`make package STAGE=dev`: the deployable template, with infra/refdesk.yaml merged in, and a
deployment package that a Lambda cold start does not have to compile.

1. `chalice package --merge-template infra/refdesk.yaml` writes build/STAGE/sam.yaml and
   deployment.zip. Chalice's dependency builder gets requirements.txt's packages with
   `pip download`; they are given to it from this virtualenv's installed distributions
   (rebuilt as wheels, `--no-index`), so packaging needs no network and ships the versions
   the tests ran against. Where that cannot be done (not Linux x86_64, a requirement not
   installed or not satisfied here) pip asks the package index, as Chalice does by default.
2. The template's parameter defaults are filled from the stage's settings in
   .chalice/config.json, so the tables the template creates are the tables the functions use,
   with no override to remember at deploy.
3. deployment.zip is rewritten (`slim`): what the functions never load is left out, and every
   module is shipped compiled for the runtime's Python, since /var/task is read-only on Lambda
   and a cold start would otherwise compile every module it imports, every time.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import importlib.metadata
import importlib.util
import os
import platform
import py_compile
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import yaml
from chalice.constants import MISSING_DEPENDENCIES_TEMPLATE
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from refdesk_cli.stages import stage_settings  # shared with `refdesk`, which reads the same stages

ROOT = Path(__file__).resolve().parent.parent
MERGE_TEMPLATE = ROOT / "infra" / "refdesk.yaml"
REQUIREMENTS = ROOT / "requirements.txt"
PARAMETERS = {
    "TablePrefix": "REFDESK_TABLE_PREFIX",
    "SenderAddress": "REFDESK_SENDER",
    "TokenSecretParameter": "REFDESK_TOKEN_SECRET_PARAM",
    "Stage": "REFDESK_STAGE",
}

# botocore/data holds a JSON model for every AWS service (some 440 of them, 27 MB). The functions
# call five: DynamoDB (PynamoDB), SES (domain/mail.py), SSM (domain/signing.py), the WebSocket
# management API (delivery.py) and STS (botocore's credential providers, for a role assumed from
# the environment). boto3 comes from the Lambda runtime, but it imports the botocore found first
# on sys.path, which is this package's (/var/task comes first), so these models must be here.
# tests/test_package.py checks that every boto3.client() in chalicelib names one of them.
BOTOCORE_SERVICES = frozenset({"dynamodb", "ses", "ssm", "apigatewaymanagementapi", "sts"})
# Of a distribution's metadata, what importlib.metadata.version() and the licences need. Nothing
# the functions import asks for metadata at import time (pydantic, Powertools, Chalice, PynamoDB
# and botocore carry their versions in code); pydantic looks for plugins through entry points
# when it first builds a validator, so entry_points.txt is kept where a distribution has one.
DIST_INFO_KEPT = re.compile(
    r"(METADATA|entry_points\.txt|(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*|licenses/.+)"
)
# Rebuilt wheels carry one time, so that the same .venv always makes the same package.
WHEEL_TIME = (1980, 1, 1, 0, 0, 0)


class Contents(NamedTuple):
    files: int
    unpacked: int  # bytes
    zipped: int  # bytes, the zip file itself

    def __str__(self) -> str:
        return (
            f"{self.files:,} files, {self.unpacked / 1e6:.1f} MB unpacked, {self.zipped / 1e6:.1f} MB zipped"
        )


class Slimmed(NamedTuple):
    before: Contents
    after: Contents
    compiled: int  # modules shipped as bytecode
    not_compiled: tuple[str, ...]  # sources that are not Python 3.11 (never imported)

    def __str__(self) -> str:
        return (
            f"deployment.zip: before {self.before}; after {self.after} ({self.compiled:,} modules compiled)"
        )


def package(stage: str, out: Path) -> Path:
    """Writes out/sam.yaml and out/deployment.zip; returns the template's path."""
    return build(stage, out)[0]


def build(stage: str, out: Path, unslimmed: Path | None = None) -> tuple[Path, Slimmed]:
    """`package`, and what `slim` did; `unslimmed` keeps a copy of the zip as Chalice wrote it.
    Chalice's own output goes to stderr."""
    if out.exists():
        shutil.rmtree(out)
    chalice = Path(sys.executable).with_name("chalice")
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1")}
    with tempfile.TemporaryDirectory(prefix="refdesk-wheels-") as wheelhouse:
        reason = local_wheels(REQUIREMENTS, Path(wheelhouse))
        if reason is None:
            env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=wheelhouse)
        else:
            print(f"packaging with wheels from the package index: {reason}", file=sys.stderr)
        run = subprocess.run(
            [str(chalice), "package", "--stage", stage, "--merge-template", str(MERGE_TEMPLATE), str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
    print(run.stdout + run.stderr, end="", file=sys.stderr)
    # Chalice only warns when it could not get a dependency, and writes the package without it.
    if run.returncode != 0 or MISSING_DEPENDENCIES_TEMPLATE.split("%s")[0].strip() in run.stdout + run.stderr:
        raise SystemExit(f"chalice package failed (exit status {run.returncode})")
    template_path = out / "sam.yaml"
    template = yaml.safe_load(template_path.read_text())
    settings = stage_settings(stage)
    for parameter, variable in PARAMETERS.items():
        template["Parameters"][parameter]["Default"] = settings[variable]
    template_path.write_text(yaml.safe_dump(template, sort_keys=False, width=120))
    if unslimmed is not None:
        shutil.copyfile(out / "deployment.zip", unslimmed)
    return template_path, slim(out / "deployment.zip")


# --- the dependencies, from this virtualenv ---------------------------------------------------


def local_wheels(requirements: Path, wheelhouse: Path) -> str | None:
    """Wheels of requirements.txt's packages and everything they need, rebuilt from the
    distributions installed here, into `wheelhouse`; or why that cannot be done (then pip must
    ask the index). Chalice still checks each wheel's tags against the Lambda runtime."""
    if sys.platform != "linux" or platform.machine() != "x86_64":
        return f"this machine is {sys.platform} {platform.machine()}, Lambda linux x86_64"
    lines = [line.split("#")[0].strip() for line in requirements.read_text().splitlines()]
    if any(line.startswith("-") for line in lines):
        return f"{requirements.name} holds pip options"
    wanted = [Requirement(line) for line in lines if line]
    wanted = [r for r in wanted if r.marker is None or r.marker.evaluate({"extra": ""})]
    followed: set[tuple[str, frozenset[str]]] = set()
    built: set[str] = set()
    while wanted:
        requirement = wanted.pop()
        extras = {"", *requirement.extras}
        try:
            dist = importlib.metadata.distribution(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            return f"{requirement.name} is not installed here"
        if not requirement.specifier.contains(dist.version, prereleases=True):
            return f"{requirement} is not satisfied by {dist.version}, installed here"
        name = canonicalize_name(dist.metadata["Name"])
        if (name, frozenset(extras)) in followed:
            continue
        followed.add((name, frozenset(extras)))
        if name not in built:
            built.add(name)
            problem = _rebuild_wheel(dist, wheelhouse)
            if problem:
                return problem
        for needed in map(Requirement, dist.requires or []):
            if needed.marker is None or any(needed.marker.evaluate({"extra": e}) for e in extras):
                wanted.append(needed)  # its marker (an extra of this distribution's) is met
    return None


def _rebuild_wheel(dist: importlib.metadata.Distribution, wheelhouse: Path) -> str | None:
    """An installed distribution as the wheel it was installed from (its files, its metadata)."""
    if dist.files is None:
        return f"{dist.metadata['Name']} was installed without a RECORD"
    info = next((f for f in dist.files if f.parent.name.endswith(".dist-info")), None)
    if info is None:
        return f"{dist.metadata['Name']} has no .dist-info"
    info_dir = info.parent.name
    wheel_meta = Path(str(dist.locate_file(f"{info_dir}/WHEEL"))).read_text()
    tags = [
        line.split(":", 1)[1].strip().split("-")
        for line in wheel_meta.splitlines()
        if line.startswith("Tag:")
    ]
    tag = "-".join(".".join(sorted({t[i] for t in tags})) for i in range(3))  # PEP 425's compressed tag set
    name = info_dir.removesuffix(".dist-info")
    installed_only = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}
    record: list[str] = []
    with zipfile.ZipFile(wheelhouse / f"{name}-{tag}.whl", "w", zipfile.ZIP_STORED) as wheel:
        for file in dist.files:
            parts = PurePosixPath(file.as_posix()).parts
            if parts[0] == ".." or "__pycache__" in parts:
                continue  # scripts and bytecode pip made at install, not part of the wheel
            if parts[0] == info_dir and parts[-1] in installed_only and len(parts) == 2:
                continue
            path = Path(str(dist.locate_file(file)))
            data = path.read_bytes()
            entry = zipfile.ZipInfo(file.as_posix(), date_time=WHEEL_TIME)
            entry.external_attr = (path.stat().st_mode & 0o777) << 16
            wheel.writestr(entry, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{file.as_posix()},sha256={digest},{len(data)}")
        record.append(f"{info_dir}/RECORD,,")
        wheel.writestr(f"{info_dir}/RECORD", "\n".join(record) + "\n")
    return None


# --- the package as Lambda loads it ---------------------------------------------------------


def _dropped(path: PurePosixPath) -> bool:
    """What no function imports or reads."""
    parts = path.parts
    top = parts[0]
    if top in ("app.py", "chalicelib", "chalice"):
        return "__pycache__" in parts  # ours: bytecode is made below, from these sources
    if top.endswith(".dist-info"):
        return not DIST_INFO_KEPT.fullmatch("/".join(parts[1:]))
    if top.endswith((".data", "-stubs")):
        return True  # console scripts (jmespath's jp.py); type stubs
    if top == "botocore" and len(parts) > 3 and parts[1] == "data":
        return parts[2] not in BOTOCORE_SERVICES or parts[-1].startswith("examples-")  # docs' examples
    if "__pycache__" in parts or path.suffix in (".pyi", ".c", ".h", ".pyx") or path.name == "py.typed":
        return True
    if "tests" in parts[1:-1]:
        return True
    # Powertools' event handler serves Swagger UI (1.7 MB of JavaScript and CSS); Chalice routes here.
    return parts[:4] == ("aws_lambda_powertools", "event_handler", "openapi", "swagger_ui")


def _contents(zip_path: Path) -> Contents:
    with zipfile.ZipFile(zip_path) as z:
        files = [info for info in z.infolist() if not info.is_dir()]
        return Contents(len(files), sum(info.file_size for info in files), zip_path.stat().st_size)


def slim(zip_path: Path) -> Slimmed:
    """Rewrites the package: leaves out what `_dropped` says, and adds bytecode for every module.

    The bytecode is compiled by this interpreter, which is the Python Chalice packaged for (it
    names the functions' runtime after the Python it runs on: python3.11 here), so the magic
    number matches the runtime's. It goes where the import system looks without writing
    anything, __pycache__/NAME.cpython-311.pyc beside each source, and is *unchecked-hash*
    bytecode (PEP 552): the import system uses it without looking at the source. Timestamp
    bytecode (compileall's default) would be checked against each source's modification time
    and size, and a zip carries times at two-second resolution, in local time, that an
    extractor may or may not restore (Python's zipfile does not), so on Lambda it could be
    found stale and every module compiled in memory again at each cold start, silently. A
    checked hash would cost reading and hashing every source at every cold start. Unchecked is
    safe because the package never changes once built: a new deployment is a new zip, and this
    step compiles from the very sources it ships. The sources stay, for tracebacks.
    """
    before = _contents(zip_path)
    with tempfile.TemporaryDirectory(prefix="refdesk-package-") as tmp:
        tree = Path(tmp) / "task"
        with zipfile.ZipFile(zip_path) as z:
            kept = [
                info
                for info in z.infolist()
                if not info.is_dir() and not _dropped(PurePosixPath(info.filename))
            ]
            for info in kept:
                z.extract(info, tree)
        not_compiled = []
        compiled = 0
        for info in kept:
            if info.filename.endswith(".py"):
                source = tree / info.filename
                try:
                    py_compile.compile(
                        str(source),
                        cfile=importlib.util.cache_from_source(str(source), optimization=""),
                        dfile=f"/var/task/{info.filename}",  # the import system puts the real path back
                        doraise=True,
                        optimize=0,  # Lambda runs Python without -O
                        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
                    )
                    compiled += 1
                except py_compile.PyCompileError:
                    not_compiled.append(info.filename)  # a template or Python 2 file; import would fail too
        rewritten = zip_path.with_suffix(".tmp")
        with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as out:
            for info in sorted(kept, key=lambda i: i.filename):
                out.writestr(info, (tree / info.filename).read_bytes())
                if info.filename.endswith(".py") and info.filename not in not_compiled:
                    pyc = importlib.util.cache_from_source(info.filename, optimization="")
                    entry = zipfile.ZipInfo(pyc, date_time=info.date_time)
                    entry.external_attr = 0o644 << 16
                    out.writestr(entry, (tree / pyc).read_bytes(), zipfile.ZIP_DEFLATED)
        rewritten.replace(zip_path)
    return Slimmed(before, _contents(zip_path), compiled, tuple(not_compiled))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    path, slimmed = build(args.stage, args.out or ROOT / "build" / args.stage)
    print(slimmed)
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
