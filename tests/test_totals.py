"""A batch total no row has a figure for is none, never 0 (unknown is not zero).

西政办函〔2021〕15号 sets no slot figure: a file of Xihu projects has no slot total, and the terminal,
the workbook's 合计 sheet and the notebook say so rather than 「托位 0」.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import facility_sizing as fs
from facility_sizing.cli import main
from facility_sizing.notebook.display import summary_html


def _xihu() -> pd.DataFrame:
    warnings.simplefilter("ignore", fs.StaleRuleWarning)
    df = pd.DataFrame({"jurisdiction": ["西湖区"] * 2, "households": [100, 1334], "area_type": "new_build"})
    return fs.size_frame(df, on="2025-06-01")


def test_a_total_no_row_has_a_figure_for_is_none() -> None:
    totals = fs.summary(_xihu())
    assert totals["slots"] is None
    assert (totals["floor_area_m2"], totals["outdoor_area_m2"]) == (400.1, 80.0)  # 200 + 200.1; 40 + 40
    assert "—（无数值指标 no figure）" in summary_html(totals)


def test_the_command_line_says_no_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "p.csv"
    src.write_text("区县,户数,类型\n西湖区,100,新建\n西湖区,1334,新建\n", encoding="utf-8")
    main(["batch", str(src), "-o", str(tmp_path / "out.csv"), "--on", "2025-06-01"])
    out = capsys.readouterr().out
    assert "托位 slots —（无数值指标 no figure）" in out and "建筑面积 floor area 400.10 m²" in out


def test_the_json_answer_carries_the_same_totals_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The QGIS provider prints the line the command line prints, from ``--json``, not a copy of its own."""
    src = tmp_path / "p.csv"
    src.write_text("区县,户数,类型\n西湖区,100,新建\n西湖区,1334,新建\n", encoding="utf-8")
    main(["batch", str(src), "-o", str(tmp_path / "out.csv"), "--on", "2025-06-01", "--json"])
    line = json.loads(capsys.readouterr().out)["summary_line"]
    assert "托位 slots —（无数值指标 no figure）" in line and "建筑面积 floor area 400.10 m²" in line
