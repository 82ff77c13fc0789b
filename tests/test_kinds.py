"""The kinds of figure the five source documents do not use, through every output.

The rule file ``tests/cases/rules/339901_kinds.toml`` holds one rule of each: outdoor area per
child (slot), facilities by households with a band, a service radius and a total per
management unit. Its figures are checked case by case in ``tests/cases/339901_kinds.toml``;
this file checks that each kind appears correctly in ``size_frame``, ``print(req)``, the clause,
design review and the rules reference, with no per-basis code in those renderers.
"""

from __future__ import annotations

from fractions import Fraction
from math import ceil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import facility_sizing as fs
from facility_sizing.model.bases import BASES
from facility_sizing.model.quantities import QUANTITIES
from facility_sizing.render.reference import rules_reference

RULES = Path(__file__).resolve().parent / "cases" / "rules" / "339901_kinds.toml"
ON = "2026-06-01"


@pytest.fixture(scope="module")
def book() -> fs.RuleBook:
    return fs.load_rules(RULES)


def new_build(book: fs.RuleBook, households: int, population: int) -> fs.Requirement:
    return fs.size(
        jurisdiction="339901", area_type="new_build", households=households, population=population, on=ON, rulebook=book
    )


def test_size_frame_matches_size_row_by_row(book: fs.RuleBook) -> None:
    df = pd.DataFrame(
        {
            "households": [0, 3000, 3001, 6001, None],
            "population": [0, 8100, 8103, 16203, 25000],
            "area_type": ["new_build"] * 4 + ["existing"],
        }
    )
    out = fs.size_frame(df, jurisdiction="339901", on=ON, rulebook=book)
    assert out["facilities"].tolist() == [0, 1, 1, 2, pd.NA]  # up to 4,000 households: one
    # 0 households: no residential project, no requirement, not even the 40 m² minimum (shared/RULES.md; issue 23)
    assert out["service_radius_m"].tolist()[1:4] == [300] * 3 and out["service_radius_m"].isna()[0]
    assert out["outdoor_area_m2"].tolist()[:4] == [0.0, 243.0, 246.0, 489.0]
    assert out.loc[4, "floor_area_m2"] == 2700.0  # 3 started units × 900 m²
    assert str(out["facilities"].dtype) == "Int64" and str(out["service_radius_m"].dtype) == "Int64"
    assert out.loc[1, "outdoor_area_basis"].startswith("每托位3m² 3 m² per slot")
    assert out.loc[0, "outdoor_area_basis"].startswith("无住户，不产生要求")
    assert out.loc[2, "facilities_basis"].startswith("3000—4000户一处，每增3000户增一处")
    assert out.loc[2, "service_radius_basis"].startswith("服务半径不大于300米 radius ≤ 300 m")
    assert out.loc[4, "floor_area_basis"].startswith("每10000人单元900m²")
    assert new_build(book, 0, 0).service_radius_m is None and new_build(book, 0, 0).outdoor_area_m2 == 0.0
    for i in range(1, 4):
        req = new_build(book, int(df.households[i]), int(df.population[i]))
        assert (req.facilities, req.service_radius_m, req.outdoor_area_m2) == (
            out.loc[i, "facilities"],
            out.loc[i, "service_radius_m"],
            out.loc[i, "outdoor_area_m2"],
        )


def test_print_names_each_kind_with_its_arithmetic(book: fs.RuleBook) -> None:
    text = str(new_build(book, 3001, 8103))
    assert "户外活动场地 246 m²：按托位 82 个 × 3 m²/托位 = 246 m²" in text
    assert "计算值高于最小值，按计算值" in text
    assert "设施数量 1 处：按户数 3,001 户：3000—4000户配置一处（4000户以内一处）" in text
    assert "服务半径 300 米：一般服务半径不大于 300 米（测试〔2026〕1号 一(四)）" in text
    existing = fs.size(jurisdiction="339901", area_type="existing", population=25_000, on=ON, rulebook=book)
    assert "每10000人为一个单元（不足一个单元按一个计）× 900 m²/单元 = 2,700 m²" in str(existing)
    # an optional quantity no rule sets is not listed at all
    assert "设施数量" not in str(existing) and "facilities" not in existing.to_dict()["explanation"]


def test_clause_states_each_kind(book: fs.RuleBook) -> None:
    text = new_build(book, 3001, 8103).clause()
    assert (
        "户外活动场地面积不少于246平方米。按82个托位、每托位不少于3平方米计为246平方米，不低于最小户外活动场地40平方米。"
        in text
    )
    assert (
        "托育服务设施不少于1处。按3,001户、3000—4000户配置一处（4000户以内一处）、每增加3000户增配一处计为1处。" in text
    )
    assert "托育服务设施服务半径一般不大于300米（原文为“不宜”）。依据：测试〔2026〕1号 一(四)。" in text
    english = new_build(book, 3001, 8103).clause(lang="en")
    assert "Infant-care facilities: at least 1." in english
    assert "82 slots at 3 m² per child give 246 m²" in english


def test_review_checks_each_kind_in_its_direction(book: fs.RuleBook) -> None:
    design = {"outdoor_area_m2": 245.99, "facilities": 1, "service_radius_m": 320, "slots": 82}
    r = fs.review(
        design, jurisdiction="339901", area_type="new_build", households=3001, population=8103, on=ON, rulebook=book
    )
    by = {f.check: f for f in r.findings}
    assert (by["outdoor_area"].status, by["outdoor_area"].shortfall) == ("fail", 0.01)  # 246 required
    assert (by["facilities"].status, by["facilities"].required) == ("pass", 1)
    assert (by["service_radius"].status, by["service_radius"].shortfall) == ("fail", 20)  # at most 300 m
    assert by["service_radius"].message_zh == "服务半径不大于 300 米（一般）"
    assert not r.passed


def test_rules_reference_lists_each_kind_with_its_extra_numbers(book: fs.RuleBook) -> None:
    page = rules_reference(book)
    assert (
        "| `kinds.new_build.facilities.band` | 一(三) | new_build | 设施数量 number of facilities (households_per_facility) | 3000 户/处 (band_low 3000, band_high 4000) |"
        in page
    )
    assert "| 900 m²/单元 (unit_population 10000) |" in page
    assert "(per_slot) | 3 m²/托位 |" in page
    assert "服务半径 service radius (limit) | 300 米 |" in page


def test_a_per_slot_rule_without_a_slot_figure_is_unknown_not_zero(tmp_path: Path) -> None:
    text = RULES.read_text(encoding="utf-8").replace(
        'id = "kinds.new_build.slots.rate"', 'id = "kinds.new_build.slots.rate"\ncondition = "x"'
    )
    # drop the slot rule: the outdoor area per slot then has nothing to multiply
    start = text.index('[[rules]]\nid = "kinds.new_build.slots.rate"')
    end = text.index("[[rules]]", start + 1)
    path = tmp_path / RULES.name
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    req = fs.size(
        jurisdiction="339901",
        area_type="new_build",
        households=3000,
        population=8100,
        on=ON,
        rulebook=fs.load_rules(path),
    )
    assert req.outdoor_area_m2 is None and req.slots is None  # never the 40 m² minimum alone
    [use] = [u for u in req.rules if u.quantity == "outdoor_area"]
    assert use.kind == "no_figure"
    assert use.message is not None and "kinds.new_build.outdoor_area.per_slot" not in use.message
    assert "测试〔2026〕1号 一(二)按托位数计算" in use.message and "cannot be computed" in use.message


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ("band_low = 3000", "band_low = 5000", "band_low", "must not be greater than band_high"),
        ("band_high = 4000\n", "", "band_high", "required field is missing"),
        ("unit_population = 10000\n", "", "unit_population", "required field is missing"),
        ('unit = "m²/托位"', 'unit = "m²"', "unit", "must be 'm²/托位'"),
        ('basis = "per_slot"', 'basis = "per_child"', "basis", "must be one of"),
        ("value = 300\n", "value = 300.5\n", "value", "must be a whole number (service radius is counted in whole m)"),
        ("band_high = 4000\n", "band_high = 1e400\n", "band_high", "10000000000000000000… is too large"),
        (
            "unit_population = 10000\n",
            "unit_population = 100000001\n",
            "unit_population",
            "must not exceed 100,000,000",
        ),
    ],
)
def test_broken_new_kinds_name_file_and_key(tmp_path: Path, old: str, new: str, key: str, problem: str) -> None:
    text = RULES.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / RULES.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(fs.RuleDataError) as info:
        fs.load_rules(path)
    assert info.value.key.endswith(key) and problem in str(info.value), str(info.value)
    assert str(path) in str(info.value)


@given(
    households=st.integers(0, 10_000_000),
    low=st.integers(1, 10**8 // 2),
    extra=st.integers(0, 10**8 // 2),
    step=st.integers(1, 9999),
)
def test_facility_count_equals_the_fraction_oracle(households: int, low: int, extra: int, step: int) -> None:
    spec, basis = QUANTITIES["facilities"], BASES["households_per_facility"]
    params = {"band_low": Fraction(low), "band_high": Fraction(low + extra)}
    from facility_sizing.model.bases import TermInputs

    got = basis.term(Fraction(step), params, spec, TermInputs((households, 1), (0, 1), {}))
    want = 0 if households == 0 else 1 + ceil(Fraction(max(households - (low + extra), 0), step))
    assert int(got) == want


@given(population=st.integers(0, 10**8), unit=st.integers(1, 10**8), value=st.integers(1, 9999))
def test_per_unit_total_equals_the_fraction_oracle(population: int, unit: int, value: int) -> None:
    from facility_sizing.model.bases import TermInputs

    got = BASES["per_unit_population"].term(
        Fraction(value),
        {"unit_population": Fraction(unit)},
        QUANTITIES["floor_area"],
        TermInputs((0, 1), (population * 10**6, 10**6), {}),
    )
    assert int(got) == ceil(Fraction(population, unit)) * value * 100  # centi-m²


def test_gap_analysis_reads_the_service_radius_from_the_rules(tmp_path: Path) -> None:
    import geopandas as gpd
    import shapely

    text = RULES.read_text(encoding="utf-8")
    radius = text.index('id = "kinds.new_build.service_radius.limit"')
    text = text[:radius] + text[radius:].replace(
        'area_types = ["new_build"]', 'area_types = ["new_build", "existing"]', 1
    )
    path = tmp_path / RULES.name
    path.write_text(text, encoding="utf-8")
    book = fs.load_rules(path)
    x, y = 500_000, 3_350_000
    areas = gpd.GeoDataFrame(
        {"households": [4000, 4000], "population": [10_000, 10_000]},
        geometry=[shapely.Point(x, y), shapely.Point(x + 650, y)],
        crs=4549,
    )
    facs = gpd.GeoDataFrame({"floor_area_m2": [900.0], "slots": [0]}, geometry=[shapely.Point(x + 300, y)], crs=4549)
    gap = fs.gap_analysis(areas, facs, jurisdiction="339901", on=ON, rulebook=book, population="population")
    assert gap.attrs["distance_m"] == 300.0
    assert "服务半径不大于300米" in gap.attrs["distance_source"]
    # the facility is 300 m from the first area (within the radius, boundary included) and 350 m from the second
    assert gap["provided_floor_area"].tolist() == [900.0, 0.0]
    assert gap["shortfall_floor_area"].tolist() == [0.0, 900.0]
    with pytest.raises(fs.InputError, match="distance_m"):  # Xihu's rules set no radius: none is assumed
        fs.gap_analysis(areas.assign(households=3000), facs, jurisdiction="西湖区", on="2025-06-01")


def test_a_count_minimum_must_be_whole_and_large_extra_numbers_load(tmp_path: Path) -> None:
    text = RULES.read_text(encoding="utf-8")
    slots_min = text.replace(
        'basis = "per_1000_population"\nvalue = 10\nunit = "托位/千人"', 'basis = "minimum"\nvalue = 2.5\nunit = "托位"'
    )
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / RULES.name).write_text(slots_min, encoding="utf-8")
    with pytest.raises(fs.RuleDataError, match="childcare slots is counted in whole slots"):
        fs.load_rules(tmp_path / "a" / RULES.name)
    # a 15,000-person unit and a band end of 3,000.25 households are realistic and load
    big = text.replace("unit_population = 10000", "unit_population = 15000").replace(
        "band_low = 3000", "band_low = 3000.25"
    )
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / RULES.name).write_text(big, encoding="utf-8")
    book = fs.load_rules(tmp_path / "b" / RULES.name)
    req = fs.size(jurisdiction="339901", area_type="existing", population=15_001, on=ON, rulebook=book)
    assert req.floor_area_m2 == 1800.0  # 15,001 people start a second 15,000-person unit


CITY_TEMPLATE = """schema = 1

[jurisdiction]
code = "330100"
name = "杭州市"

[jurisdiction.area_types]
new_build = "新建居住区"

[[documents]]
id = "city-test"
number = "市测试〔2026〕1号"
title = "测试用市级规则（非真实文件）"
title_en = "Test city rules"
issuer = "tests"
status = "{status}"
{issued}
issued_basis = "test"
effective_from = 2026-01-01
effective_from_basis = "test"
source = "tests"
grade = "official"
seen = "test data (not a real document)"

[[rules]]
id = "city.{rule_id}"
document = "city-test"
clause = "一"
area_types = ["new_build"]
quantity = "{quantity}"
basis = "{basis}"
value = {value}
unit = "{unit}"
strength = "{strength}"
text = "{text}"
summary_en = "test"
"""


def test_a_mandatory_limit_above_keeps_its_force_beside_a_stricter_general_one(tmp_path: Path) -> None:
    city = CITY_TEMPLATE.format(
        status="in_force", issued="issued = 2026-01-01", rule_id="max_floor", quantity="max_floor", basis="limit",
        value=3, unit="层", strength="mandatory", text="不得设置在4层及以上",
    )  # fmt: skip
    district = RULES.read_text(encoding="utf-8") + (
        '\n[[rules]]\nid = "kinds.max_floor"\ndocument = "kinds-test"\nclause = "一(五)"\narea_types = ["new_build"]\n'
        'quantity = "max_floor"\nbasis = "limit"\nvalue = 2\nunit = "层"\nstrength = "generally"\n'
        'text = "一般不得设置在3层及以上"\nsummary_en = "test"\n'
    )
    (tmp_path / "330100_city.toml").write_text(city, encoding="utf-8")
    (tmp_path / RULES.name).write_text(district, encoding="utf-8")
    book = fs.load_rules(tmp_path, builtin=False)  # the test city file stands in for Hangzhou's own
    req = new_build(book, 3000, 8100)
    assert req.max_floor == 2
    assert {u.rule.id for u in req.rules if u.quantity == "max_floor" and u.rule} == {
        "kinds.max_floor",
        "city.max_floor",
    }
    text = req.clause()
    assert (
        "托育服务设施一般不得设置在3层及以上，即设于2层及以下（原文为“一般不得”）。依据：测试〔2026〕1号 一(五)。"
        in text
    )
    assert "托育服务设施不得设置在4层及以上，即设于3层及以下。依据：市测试〔2026〕1号 一。" in text
    r = fs.review({"floors": (3,)}, jurisdiction="339901", area_type="new_build", households=3000, population=8100,
                  on=ON, rulebook=book)  # fmt: skip
    floor = [(f.status, f.strength, f.required) for f in r.findings if f.check == "max_floor"]
    assert floor == [("fail", "generally", 2), ("pass", "mandatory", 3)]


def test_a_figure_resting_on_draft_slots_is_marked_draft(tmp_path: Path) -> None:
    city = CITY_TEMPLATE.format(
        status="draft", issued="", rule_id="slots", quantity="slots", basis="per_1000_population", value=10,
        unit="托位/千人", strength="mandatory", text="每千人托位数不少于10个",
    ).replace('number = "市测试〔2026〕1号"', 'short_name = "市测试草案"')  # fmt: skip
    district = RULES.read_text(encoding="utf-8")
    start = district.index('[[rules]]\nid = "kinds.new_build.slots.rate"')
    district = district[:start] + district[district.index("[[rules]]", start + 1) :]
    (tmp_path / "330100_city.toml").write_text(city, encoding="utf-8")
    (tmp_path / RULES.name).write_text(district, encoding="utf-8")
    book = fs.load_rules(tmp_path, builtin=False)  # the test city file stands in for Hangzhou's own
    req = fs.size(jurisdiction="339901", area_type="new_build", households=3000, population=8100, on=ON,
                  include_drafts=True, rulebook=book)  # fmt: skip
    [outdoor] = [u for u in req.rules if u.quantity == "outdoor_area" and u.binding]
    assert outdoor.rule is not None and outdoor.rule.id == "kinds.new_build.outdoor_area.per_slot"
    assert outdoor.draft and [r.id for r in outdoor.via] == ["city.slots"]
    line = next(x for x in req.clause().splitlines() if x.startswith("（2）"))
    assert "依据：测试〔2026〕1号 一(二)；市测试草案 一（征求意见稿，未生效）。" in line
    out = fs.size_frame(pd.DataFrame({"households": [3000], "population": [8100]}), jurisdiction="339901",
                        area_type="new_build", on=ON, include_drafts=True, rulebook=book)  # fmt: skip
    assert "草案 draft" in out.loc[0, "outdoor_area_basis"]
