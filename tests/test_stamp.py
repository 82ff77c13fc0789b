"""A result records what produced it: the library version and a stamp of the rule data.

The stamp is a digest of the text of every rule file the book was built from, so the same files
give the same stamp wherever they are installed, and any changed figure, clause or date changes it.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from importlib import resources
from pathlib import Path

import pandas as pd

import facility_sizing as fs

REPO = Path(__file__).resolve().parents[1]
RULES = resources.files("facility_sizing") / "data" / "rules"
XIHU = "330106_xihu.toml"


def test_the_library_has_one_version() -> None:
    with open(REPO / "pyproject.toml", "rb") as f:
        assert tomllib.load(f)["project"]["version"] == fs.__version__


def test_the_same_files_anywhere_give_the_same_stamp(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        folder.mkdir()
        shutil.copy(str(RULES / XIHU), folder / XIHU)
    assert fs.load_rules(a, builtin=False).stamp == fs.load_rules(b, builtin=False).stamp


def test_a_changed_figure_changes_the_stamp(tmp_path: Path) -> None:
    text = (RULES / XIHU).read_text(encoding="utf-8")
    (tmp_path / XIHU).write_text(text, encoding="utf-8")
    before = fs.load_rules(tmp_path, builtin=False).stamp
    assert "= 15" in text  # 西政办函〔2021〕15号 二(三)1: 15 m² per 100 households
    (tmp_path / XIHU).write_text(text.replace("= 15", "= 16", 1), encoding="utf-8")
    assert fs.load_rules(tmp_path, builtin=False).stamp != before
    assert fs.load_rules(tmp_path, builtin=False).stamp != fs.load_rules().stamp


def test_a_batch_result_carries_the_stamp() -> None:
    df = pd.DataFrame({"jurisdiction": ["330106"], "households": [1334]})
    out = fs.size_frame(df, area_type="new_build", persons_per_household=2.8, on="2025-01-01")
    assert out.attrs["stamp"] == {"library": fs.__version__, "rule_data": fs.load_rules().stamp}


def test_a_single_result_carries_the_stamp_in_its_dict_and_json() -> None:
    # 绍柯政办发〔2024〕13号 (keqiao-2024-13, seen in the official copy) is the one document behind it
    req = fs.size(jurisdiction="330603", households=1000, population=2800, area_type="新建", on="2025-01-01")
    expected = {
        "library": fs.__version__,
        "rule_data": fs.load_rules().stamp,
        "on": "2025-01-01",
        "documents": {"keqiao-2024-13": "official"},
    }
    assert req.stamp == expected and req.to_dict()["stamp"] == expected
    assert json.loads(json.dumps(req.to_dict(), ensure_ascii=False))["stamp"] == expected


def test_a_result_from_other_rule_data_has_another_stamp(tmp_path: Path) -> None:
    text = (RULES / XIHU).read_text(encoding="utf-8")
    (tmp_path / XIHU).write_text(text.replace("= 15", "= 16", 1), encoding="utf-8")
    kw = {"jurisdiction": "330106", "households": 1334, "persons_per_household": 2.8, "area_type": "new_build"}
    mine = fs.size(**kw, on="2025-01-01", rulebook=fs.load_rules(tmp_path, builtin=False))
    builtin = fs.size(**kw, on="2025-01-01")
    assert mine.stamp["rule_data"] != builtin.stamp["rule_data"]
    assert mine.floor_area_m2 != builtin.floor_area_m2  # the changed figure is what the stamp tells apart
