"""`make package STAGE=dev`: the deployable template, with infra/refdesk.yaml merged in.

Runs `chalice package --merge-template infra/refdesk.yaml` and then fills the template's
parameter defaults from the stage's settings in .chalice/config.json, so the tables the
template creates are the tables the functions use, with no override to remember at deploy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from refdesk_cli.stages import stage_settings  # shared with `refdesk`, which reads the same stages

ROOT = Path(__file__).resolve().parent.parent
MERGE_TEMPLATE = ROOT / "infra" / "refdesk.yaml"
PARAMETERS = {
    "TablePrefix": "REFDESK_TABLE_PREFIX",
    "SenderAddress": "REFDESK_SENDER",
    "TokenSecretParameter": "REFDESK_TOKEN_SECRET_PARAM",
    "Stage": "REFDESK_STAGE",
}


def package(stage: str, out: Path) -> Path:
    if out.exists():
        shutil.rmtree(out)
    chalice = Path(sys.executable).with_name("chalice")
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1")}
    subprocess.run(
        [str(chalice), "package", "--stage", stage, "--merge-template", str(MERGE_TEMPLATE), str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    template_path = out / "sam.yaml"
    template = yaml.safe_load(template_path.read_text())
    settings = stage_settings(stage)
    for parameter, variable in PARAMETERS.items():
        template["Parameters"][parameter]["Default"] = settings[variable]
    template_path.write_text(yaml.safe_dump(template, sort_keys=False, width=120))
    return template_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    path = package(args.stage, args.out or ROOT / "build" / args.stage)
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
