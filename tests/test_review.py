"""Design review: shortfalls, floor limits with their clauses, unverified national rules off by default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import facility_sizing as fs
from facility_sizing.cli import main

XIHU = {"jurisdiction": "西湖区", "households": 1200, "area_type": "new_build", "on": "2025-01-01"}


def finding(review: fs.Review, check: str) -> fs.Finding:
    [f] = [f for f in review.findings if f.check == check]
    return f


def test_one_square_metre_short_fails_by_one() -> None:
    r = fs.review({"floor_area_m2": 199, "outdoor_area_m2": 40}, **XIHU)
    f = finding(r, "floor_area")
    assert not r.passed and f.status == "fail" and f.shortfall == 1.0 and f.required == 200.0
    assert (f.document, f.clause) == ("西政办函〔2021〕15号", "二(三)1")
    assert finding(r, "outdoor_area").status == "pass" and finding(r, "outdoor_area").shortfall == 0


def test_exact_decimal_shortfall() -> None:
    # 1,334 households need 200.1 m² (二(三)1); 200.09 is short by 0.01, 200.1 passes
    r = fs.review({"floor_area_m2": 200.09}, **{**XIHU, "households": 1334})
    assert finding(r, "floor_area").shortfall == 0.01
    assert finding(fs.review({"floor_area_m2": 200.1}, **{**XIHU, "households": 1334}), "floor_area").status == "pass"


def test_floor_three_in_xihu_fails_with_the_xihu_clause() -> None:
    f = finding(fs.review(fs.Design(floors=(2, 3)), **XIHU), "max_floor")
    assert f.status == "fail" and f.shortfall == 1 and f.strength == "generally"
    assert (f.document, f.clause, f.rule_id) == ("西政办函〔2021〕15号", "二(三)1", "xihu.max_floor")
    assert finding(fs.review(fs.Design(floors=(1, 2)), **XIHU), "max_floor").status == "pass"


def test_missing_fields_are_not_checkable() -> None:
    r = fs.review({}, **XIHU)
    assert not r.checked and not r.complete
    assert not r.passed  # nothing checked is not a pass: one definition, for the CLI and the service alike
    assert {f.status for f in r.findings} == {"not_checkable"}
    with pytest.raises(fs.InputError) as info:
        r.require_checked("design.json")
    assert info.value.field == "design" and "不是“通过”" in str(info.value) and "design.json" in str(info.value)


def test_slots_and_single_site() -> None:
    keqiao = {
        "jurisdiction": "柯桥区",
        "households": 3000,
        "persons_per_household": 2.7,
        "area_type": "new_build",
        "on": "2025-01-01",
    }
    f = finding(fs.review({"slots": 80}, **keqiao), "slots")
    assert f.status == "fail" and f.shortfall == 1 and f.clause == "二(一)2"  # 81 required
    assert finding(fs.review({"single_site": False}, **XIHU), "single_site").status == "fail"  # 相对集中配建


def test_a_basement_fails_by_default_under_the_text_copies_of_gb50016_and_jgj39() -> None:
    # GB 50016-2014 (2018) 5.4.4 「不应设置在地下或半地下」 and JGJ 39 4.1.3 「不应设置在地下室或半地下室」:
    # the full clauses were read in two agreeing copies (grade text_copy): applied by default
    design = fs.Design(floors=(-1, 1), fire_resistance_grade=3)
    r = fs.review(design, **XIHU)
    basement = [f for f in r.findings if f.check == "no_basement"]
    assert basement and all(f.status == "fail" and f.verified and f.grade == "text_copy" for f in basement)
    assert {f.document for f in basement} == {"GB 50016-2014（2018年版）", "JGJ 39-2016（2019年版）"}
    assert not r.passed
    # WS/T 821-2023 says the same, known by report: only with the opt-in
    reported = fs.review(design, include_reported=True, persons_per_household=2.7, **XIHU)
    assert {f.document for f in reported.findings if f.check == "no_basement"} >= {
        "WS/T 821-2023（编号据报道，未见原文）"
    }


def test_grade_three_above_floor_two_fails_by_default_with_the_fire_code_clause() -> None:
    # GB 50016 5.4.4 「采用三级耐火等级的建筑时，不应超过2层」
    r = fs.review(fs.Design(floors=(3,), fire_resistance_grade=3), **XIHU)
    [f] = [f for f in r.findings if f.check == "max_floor_by_fire_grade"]
    assert f.status == "fail" and f.required == 2 and f.clause == "5.4.4" and f.grade == "text_copy"
    assert "转载全文" in r.to_markdown() and "third-party" in r.to_markdown("en")
    grade_2 = fs.review(fs.Design(floors=(3,), fire_resistance_grade=2), **XIHU)
    [g] = [f for f in grade_2.findings if f.check == "max_floor_by_fire_grade"]
    assert (g.status, g.required) == ("pass", 3)  # 一、二级 「不应超过3层」


def test_class_mix_and_outdoor_per_child_show_which_limit_binds() -> None:
    r = fs.review({"slots": 46, "outdoor_area_m2": 100}, include_reported=True, persons_per_household=2.7, **XIHU)
    assert list(r.class_mix.values()) == [5, 4, 3]  # ceil(46/10), ceil(46/15), ceil(46/20): 58号, reported
    mixed = fs.review(
        {"slots": 46, "outdoor_area_m2": 100}, include_reported=True, include_unverified=True, persons_per_household=2.7,
        **XIHU,
    )  # fmt: skip
    assert list(mixed.class_mix.values()) == [5, 4, 3, 3]  # and the mixed class of 18 (paraphrase only)
    f = finding(r, "outdoor_per_slot")
    assert f.required == 138 and f.status == "fail" and f.shortfall == 38.0  # 46 × 3 m² > Xihu's 40 m²


@pytest.mark.parametrize(
    "bad",
    [
        {"floors": [0]},
        {"floors": []},
        {"floor_area_m2": -1},
        {"fire_resistance_grade": 5},
        {"slots": 2.5},
        {"colour": "red"},
    ],
)
def test_bad_designs_are_typed_errors(bad: dict) -> None:
    with pytest.raises(fs.InputError):
        fs.review(bad, **XIHU)


def test_reports_and_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r = fs.review({"floor_area_m2": 199}, **XIHU)
    assert "不通过" in r.to_markdown() and "<table>" in r.to_html() and r._repr_html_() == r.to_html()
    assert json.loads(json.dumps(r.to_dict()))["passed"] is False
    design = tmp_path / "design.toml"
    design.write_text(
        "floor_area_m2 = 250\noutdoor_area_m2 = 50\nfloors = [1, 2]\nsingle_site = true\n", encoding="utf-8"
    )
    assert (
        main(["review", str(design), "-j", "西湖区", "-t", "新建", "--households", "1200", "--on", "2025-01-01"]) == 0
    )
    assert "通过" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text('{"floor_area_m2": 100}', encoding="utf-8")
    assert (
        main(["review", str(bad), "-j", "西湖区", "-t", "新建", "--households", "1200", "--on", "2025-01-01", "--json"])
        == 6
    )
    assert json.loads(capsys.readouterr().out)["findings"][0]["shortfall"] == 100.0


def test_a_review_with_open_checks_is_not_headlined_passed() -> None:
    r = fs.review({"floor_area_m2": 300, "outdoor_area_m2": 40}, **XIHU)  # floors, single site unknown
    assert r.passed and not r.complete
    assert r.to_markdown().splitlines()[0].startswith("## 托育设施设计审查：未发现不通过项，")
    assert "not checkable" in r.to_markdown("en").splitlines()[0]


def _design_rules_file(folder: Path, value: int) -> Path:
    """A design.toml that gives GB 50016 5.4.4's grade-3 limit another figure (a bureau's own reading)."""
    folder.mkdir(exist_ok=True)
    path = folder / "design.toml"
    path.write_text(
        f"""schema = 1

[[documents]]
id = "gb50016-2014-2018"
number = "GB 50016-2014（2018年版）"
title = "建筑设计防火规范"
title_en = "Code for fire protection design of buildings"

[[rules]]
id = "cn.gb50016.floors_grade_3"
document = "gb50016-2014-2018"
clause = "5.4.4"
check = "max_floor_by_fire_grade"
quantity = "max_floor"
when = {{ fire_resistance_grade = [3] }}
value = {value}
strength = "mandatory"
text = "采用三级耐火等级的建筑时，不应超过{value}层"
summary_en = "In a building of fire-resistance grade 3: no higher than floor {value}."
grade = "official"
seen_in = "a bureau's own copy (test)"
""",
        encoding="utf-8",
    )
    return path


def test_the_national_design_rules_are_rule_data_a_rules_folder_overrides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """GB 50016's figure is data in the rule book: a design.toml given with --rules takes its place."""
    design = fs.Design(floors=(3,), fire_resistance_grade=3)
    built_in = fs.review(design, **XIHU)
    [f] = [f for f in built_in.findings if f.check == "max_floor_by_fire_grade"]
    assert (f.status, f.required, f.grade) == ("fail", 2, "text_copy")
    book = fs.load_rules(_design_rules_file(tmp_path / "rules", 3).parent)
    [g] = [f for f in fs.review(design, rulebook=book, **XIHU).findings if f.check == "max_floor_by_fire_grade"]
    assert (g.status, g.required, g.grade) == ("pass", 3, "official")
    assert book.stamp != fs.load_rules().stamp  # the result says the rule data differs
    # the command line: the same file through --rules
    (tmp_path / "d.json").write_text('{"floors": [3], "fire_resistance_grade": 3}', encoding="utf-8")
    argv = ["review", str(tmp_path / "d.json"), "-j", "西湖区", "-t", "new_build", "--households", "1200",
            "--on", "2025-01-01", "--json"]  # fmt: skip

    def fire_code(extra: list[str]) -> tuple[str, int]:
        main([*argv, *extra])
        [found] = [
            f for f in json.loads(capsys.readouterr().out)["findings"] if f["check"] == "max_floor_by_fire_grade"
        ]
        return found["status"], found["required"]

    assert fire_code([]) == ("fail", 2)
    assert fire_code(["--rules", str(tmp_path / "rules")]) == ("pass", 3)


def test_an_implausible_national_figure_is_refused_naming_file_and_key(tmp_path: Path) -> None:
    path = _design_rules_file(tmp_path / "rules", 300)
    with pytest.raises(fs.RuleDataError) as info:
        fs.load_rules(path.parent)
    assert info.value.path.endswith("design.toml") and info.value.key == "rules[0].value"


def test_a_project_of_no_households_is_not_failed_against_a_limit_of_zero() -> None:
    """No households is no residential project (shared/RULES.md): 西政办函〔2021〕15号 二(三)1 raises no
    requirement for it, so the review checks none — it said 「楼层不高于 0 层」 and failed a floor-2 design."""
    r = fs.review({"floors": (2,)}, jurisdiction="西湖区", households=0, area_type="new_build", on="2025-06-01")
    local = {f.check: f for f in r.findings if f.check in ("floor_area", "outdoor_area", "max_floor")}
    assert {f.status for f in local.values()} == {"not_checkable"}
    assert all("本项目没有住户" in f.message_zh and f.required is None for f in local.values())
