"""The code base stays ruff-clean: checked by the same test command CI runs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("args", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_clean(args: list[str]) -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is a test dependency: install with pip install -e '.[test]'"
    # qgis/: the QGIS plugin (run by QGIS's own Python, so not type-checked: no QGIS stubs in the venv)
    paths = ["src", "tests", "qgis"]
    result = subprocess.run([ruff, *args, *paths], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
