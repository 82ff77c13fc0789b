"""Every notebook in ``examples/`` runs top to bottom, offline, on the shipped sample data.

The notebooks are stored without outputs; here each one is executed in a fresh kernel (with
matplotlib's Agg backend) and fails the suite on any error, and a few things each one is there
to show are checked in its outputs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "examples").glob("*.ipynb"))

# What each notebook must show once run: a figure or message it exists to demonstrate.
SHOWS = {
    "01_one_project_per_jurisdiction": ["DraftOnlyError", "滨江区（草案 draft）", "绍柯政办发〔2024〕13号 二(一)2"],
    "02_district_batch_and_map": [
        "配建计算汇总 · Sizing summary",
        "unknown_jurisdiction",
        "ParcelMap(38 parcels, tiles=None)",
    ],
    "03_condition_clause": ["托育服务设施建筑面积不少于200.1平方米", "征求意见稿", "StaleRuleWarning"],
    "04_district_planning": [
        "托育服务圈覆盖 Service-circle coverage",
        "include_unverified=True",
        "附件1 第1项",
        "keqiao.duty.kindergarten.new",
        "西政办函〔2021〕15号 二(三)1",
    ],
}


def test_the_examples_are_the_ones_the_docs_list() -> None:
    assert [p.stem for p in NOTEBOOKS] == sorted(SHOWS)
    index = (REPO / "docs" / "index.md").read_text(encoding="utf-8")
    for p in NOTEBOOKS:
        assert p.name in index, f"{p.name} is not listed in docs/index.md"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "clear the outputs before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPLBACKEND", "Agg")  # inherited by the kernel: no display needed
    # A kernel of this very interpreter, whatever kernels the machine has registered as "python3".
    spec = tmp_path / "jupyter" / "kernels" / "facility-sizing-test"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "test", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=120, kernel_name="facility-sizing-test", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", output
            if output.output_type == "stream":
                texts.append(output.text)
            elif "data" in output:
                texts.extend(str(v) for k, v in output.data.items() if k.startswith("text/"))
    shown = "\n".join(texts)
    for want in SHOWS[path.stem]:
        assert want in shown, f"{path.name} no longer shows {want!r}"
