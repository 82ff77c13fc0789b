"""Documents known by report only (grade ``reported``, shared/SOURCES.md) never change a default
answer, never stand in for a place's own document, and are marked wherever they are used.

Regression tests for a hostile review of the graded-sources change.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import facility_sizing as fs
from facility_sizing.cli import main

XIHU = {"jurisdiction": "西湖区", "area_type": "new_build", "households": 1334, "persons_per_household": 2.8}


def test_review_marks_local_figures_from_reports() -> None:
    r = fs.review(
        {"slots": 30, "facilities": 1, "service_radius_m": 500}, on="2025-01-01", include_reported=True, **XIHU
    )
    by = {f.check: f for f in r.findings}
    for check in ("slots", "facilities", "service_radius"):  # 浙江省 and 杭州市 2022, known by report
        assert by[check].grade == "reported" and not by[check].verified and "（据报道）" in by[check].message_zh
    assert by["slots"].status == "fail" and by["slots"].required == 38  # 3,735.2 people × 10/1000 → 38
    assert by["floor_area"].grade == "official"


def test_include_unverified_does_not_bring_in_reported_rules() -> None:
    r = fs.review(
        {"floors": (4,), "slots": 30, "outdoor_area_m2": 40}, on="2025-01-01", include_unverified=True, **XIHU
    )
    assert not [f for f in r.findings if f.grade == "reported"]


def test_a_national_rule_is_not_applied_before_its_date() -> None:
    # WS/T 821-2023: reported in force 2024-04-01; JGJ 39's 2019 revision from 2019-10-01
    design = {"floors": (4,), "fire_resistance_grade": 2}
    kw = {"jurisdiction": "余姚市", "area_type": "new_build", "population": 1000, "include_reported": True}
    before = fs.review(design, on="2020-12-01", **kw)
    after = fs.review(design, on="2024-04-01", **kw)
    assert not any(f.check == "max_floor_national" for f in before.findings)
    [wst] = [f for f in after.findings if f.check == "max_floor_national"]
    assert (wst.status, wst.required, wst.grade) == ("fail", 3, "reported")


def test_a_report_never_stands_in_for_a_places_own_document() -> None:
    # 柯桥区's own document applies from 2024-09-14: before it, Zhejiang's reported figure is not offered instead
    with pytest.raises(fs.NotInForceError, match="绍柯政办发〔2024〕13号"):
        fs.size(jurisdiction="柯桥区", area_type="new_build", households=1334, persons_per_household=2.8,
                on="2023-06-01", include_reported=True)  # fmt: skip
    # 滨江区's own document is a draft: without drafts, that is the answer, reported opt-in or not
    with pytest.raises(fs.DraftOnlyError):
        fs.size(jurisdiction="滨江区", area_type="new_build", households=1334, persons_per_household=2.8,
                on="2025-01-01", include_reported=True)  # fmt: skip


def test_the_command_line_opts_in_to_reports_with_the_flag_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "x.csv"
    table.write_text(
        "jurisdiction,area_type,households,persons_per_household,on,include_reported\n"
        "上城区,new_build,1334,2.8,2025-01-01,True\n",
        encoding="utf-8",
    )
    assert main(["batch", str(table)]) == 5  # the column does not opt in: only reported documents, an error
    assert "reported_only" in capsys.readouterr().out
    assert main(["batch", str(table), "--include-reported"]) == 0
    out = capsys.readouterr().out
    assert "据报道 reported" in out and "据报道 reported rows 1" in out


def test_summary_and_duties_know_reported_rows() -> None:
    out = fs.size_frame(pd.DataFrame({"jurisdiction": ["上城区", "西湖区"], "households": [1334, 1334]}),
                        area_type="new_build", persons_per_household=2.8, on="2025-01-01", include_reported=True)  # fmt: skip
    assert out["reported"].tolist() == [True, True] and fs.summary(out)["reported_rows"] == 2
    with pytest.raises(fs.ReportedOnlyError):
        fs.duties("上城区", "industrial_park", employees=12_000, on="2025-01-01")
    park = fs.duties("上城区", "industrial_park", employees=12_000, on="2025-01-01", include_reported=True)
    assert park["duty_id"].tolist() == ["hangzhou.duty.park"] and bool(park["applies"].iloc[0])


def _keqiao_graded(folder: Path, grade: str = "reported") -> fs.RuleBook:
    """柯桥区's rule file with its document graded ``grade``, as if its text had not been seen."""
    text = (Path(fs.__file__).parent / "data" / "rules" / "330603_keqiao.toml").read_text(encoding="utf-8")
    marked = text.replace('grade = "official"\n', f'grade = "{grade}"\n', 1)
    assert marked != text
    (folder / "330603_keqiao.toml").write_text(marked, encoding="utf-8")
    return fs.load_rules(folder, builtin=False)


def test_a_scorecard_never_scores_reported_targets_by_default(tmp_path: Path) -> None:
    book = _keqiao_graded(tmp_path)
    inventory = {"population": 1_000_000, "slots": 4_560}
    with pytest.raises(fs.ReportedOnlyError, match="include_reported=True"):
        fs.scorecard(inventory, "柯桥区", 2024, rulebook=book)
    card = fs.scorecard(inventory, "柯桥区", 2024, include_reported=True, rulebook=book)
    assert set(card["grade"]) == {"reported"} and card.attrs["reported"]
    assert card.attrs["stamp"] == {"library": fs.__version__, "rule_data": book.stamp}
    official = fs.scorecard(inventory, "柯桥区", 2024)  # the built-in document is official
    assert set(official["grade"]) == {"official"} and not official.attrs["reported"]


def test_the_scorecard_command_takes_the_reported_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "inv.json").write_text('{"population": 1000000, "slots": 4560}', encoding="utf-8")
    args = ["scorecard", str(tmp_path / "inv.json"), "-j", "柯桥区", "--year", "2024", "--json"]
    assert main([*args, "--include-reported"]) == 0
    assert '"reported": false' in capsys.readouterr().out  # 柯桥区's own document is official


def test_a_scorecard_never_scores_unverified_targets(tmp_path: Path) -> None:
    book = _keqiao_graded(tmp_path, "unverified")
    for reported in (False, True):
        with pytest.raises(fs.NotInForceError, match="unverified"):
            fs.scorecard({"population": 1_000_000, "slots": 4_560}, "柯桥区", 2024, include_reported=reported,
                         rulebook=book)  # fmt: skip


def test_sizing_on_an_unverified_document_alone_says_so_not_draft(tmp_path: Path) -> None:
    book = _keqiao_graded(tmp_path, "unverified")
    with pytest.raises(fs.NotInForceError, match="unverified") as caught:
        fs.size(jurisdiction="柯桥区", area_type="new_build", households=1000, population=2800, on="2025-01-01",
                rulebook=book)  # fmt: skip
    assert not isinstance(caught.value, fs.DraftOnlyError) and "征求意见稿" not in str(caught.value)
