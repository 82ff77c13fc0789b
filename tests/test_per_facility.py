"""A facility's minimum holds for each facility the plan counts (docs/interpretation.md, band per facility).

Xihu 西政办函〔2021〕15号 二(三)1: 「按照每百户不少于15平方米、最小建筑面积不少于200平方米、户外活动场地不少于
40平方米的标准进行相对集中配建」 — the minimums are a facility's. The Hangzhou 2022 measures (reported, opt-in)
count facilities by households: 「3000—4000户配置一处，每增加3000户增配一处」. Where that count is 2, each of
the two facilities needs its 40 m² of outdoor area: 80 m², not 40 m² once.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import facility_sizing as fs
from facility_sizing.render.clause import build_clause

ON = "2025-06-01"


@pytest.fixture(autouse=True)
def _quiet() -> None:
    warnings.simplefilter("ignore", fs.StaleRuleWarning)


def _xihu(households: int, reported: bool = True) -> fs.Requirement:
    return fs.size(
        jurisdiction="西湖区",
        households=households,
        area_type="new_build",
        on=ON,
        include_reported=reported,
        persons_per_household=2.8,
    )


@pytest.mark.parametrize(
    ("households", "facilities", "outdoor"),
    [(4000, 1, 40), (4001, 2, 80), (7000, 2, 80), (7001, 3, 120)],  # the band: 4,000 one; each further 3,000 one
)
def test_the_outdoor_minimum_is_each_facilitys(households: int, facilities: int, outdoor: float) -> None:
    req = _xihu(households)
    assert (req.facilities, req.outdoor_area_m2) == (facilities, outdoor)


def test_without_the_reported_band_one_facility_and_the_minimum_once() -> None:
    req = _xihu(7000, reported=False)
    assert (req.outdoor_area_m2, req.floor_area_m2) == (40, 1050)


def test_the_explanation_says_the_count_it_multiplies_by() -> None:
    line = next(x for x in _xihu(7000).explain().splitlines() if "户外活动场地" in x)
    # the count rests on the Hangzhou band, known by report only: cited and marked beside the minimum's clause
    count = "杭州市婴幼儿照护服务设施配建办法（2022，据报道） （条款号未见）配置数量"
    zh = f"户外活动场地 80 m²：最小 40 m² × 2 处（处数：{count}（据报道）；最小值按每处计）= 80 m²（西政办函〔2021〕15号 二(三)1）"
    en = f"minimum 40 m² for each of 2 facilities (the count: {count} (reported); a minimum read as each facility's) = 80 m²"
    assert zh in line and en in line
    one = next(x for x in _xihu(3000).explain().splitlines() if "户外活动场地" in x)
    assert "户外活动场地 40 m²：最小 40 m²（西政办函〔2021〕15号 二(三)1）" in one and "×" not in one


def test_the_letter_says_how_it_adds_up_and_cites_the_count() -> None:
    text = build_clause(_xihu(7000)).render("zh")
    line = next(x for x in text.splitlines() if "户外活动场地" in x)
    reading = "（文件的最小值按每处设施计，是本库的读法）"  # the per-facility reading is the library's, and says so
    assert line.startswith(
        f"（2）户外活动场地面积不少于80平方米。按每处不少于40平方米、共2处计为80平方米{reading}。依据：西政办函〔2021〕15号 二(三)1；"
    )
    assert "配置数量（据报道，未见原文）" in line
    floor = next(x for x in text.splitlines() if "建筑面积不少于" in x)
    assert f"不低于最小建筑面积（每处不少于200平方米、共2处计为400平方米{reading}）" in floor


def test_a_project_of_no_households_still_has_no_requirement() -> None:
    df = pd.DataFrame({"jurisdiction": ["西湖区"] * 2, "households": [0, 7000], "area_type": ["new_build"] * 2})
    out = fs.size_frame(df, on=ON, include_reported=True, persons_per_household=2.8)
    assert out["outdoor_area_m2"].tolist() == [0.0, 80.0]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 20_000), min_size=1, max_size=8))
def test_one_project_and_a_frame_agree(households: list[int]) -> None:
    df = pd.DataFrame({"jurisdiction": "西湖区", "households": households, "area_type": "new_build"})
    out = fs.size_frame(df, on=ON, include_reported=True, persons_per_household=2.8)
    for h, outdoor, floor, count in zip(
        households, out["outdoor_area_m2"], out["floor_area_m2"], out["facilities"], strict=True
    ):
        req = _xihu(h)
        assert (req.outdoor_area_m2, req.floor_area_m2, req.facilities) == (outdoor, floor, count)
        assert outdoor == 40 * count  # Xihu sets no outdoor rate: its 40 m² minimum, once per facility
        assert floor >= 200 * count


def test_a_count_that_is_unknown_leaves_the_minimum_unknown_never_zero() -> None:
    """Households unknown: the band's count is unknown, so a facility's minimum times it is too (not 0 × 40)."""
    df = pd.DataFrame({"jurisdiction": ["西湖区"] * 2, "households": [None, 7000], "area_type": "new_build"})
    out = fs.size_frame(df, on=ON, include_reported=True, persons_per_household=2.8)
    assert pd.isna(out["outdoor_area_m2"][0]) and out["error"][0] is not None
    assert out["outdoor_area_m2"][1] == 80
    # without the band, nothing counts facilities: the 40 m² minimum is known whatever the households
    plain = fs.size_frame(df, on=ON, persons_per_household=2.8)
    assert plain["outdoor_area_m2"].tolist() == [40.0, 40.0]


def test_an_area_whose_households_are_unknown_has_no_host_and_no_figure() -> None:
    df = pd.DataFrame({"id": ["P1", "P2"], "area": "D", "households": [5000, None], "host": [True, True]})
    out = fs.size_frame(df, jurisdiction="西湖区", area_type="new_build", on=ON, include_reported=True,
                        persons_per_household=2.8, area="area", host="host", parcel="id")  # fmt: skip
    assert out["area_outdoor_area_m2"].isna().all() and out["outdoor_area_m2"].isna().all()
    # the cause, not a count of hosts made from it: P2's own blank, and P1 names P2 as what stopped the area
    assert out["error"][1].startswith("[missing_input] ")
    assert out["error"][0].startswith("[input] 居住区 'D' 的地块 P2 本身有误（西湖区新建居住区的建筑面积指标按每百户计")


def test_an_area_needing_more_facilities_than_it_has_parcels_says_so() -> None:
    """10,001 households: the band asks 4 facilities (4,000 one, each further 3,000 one more); two parcels
    cannot host four. The error says that cause, not a missing location or a count of marks."""
    df = pd.DataFrame({"id": ["P1", "P2"], "area": "D", "households": [6916, 3085], "host": [True, True]})
    out = fs.size_frame(df, jurisdiction="西湖区", area_type="new_build", on=ON, include_reported=True,
                        persons_per_household=2.8, area="area", host="host", parcel="id")  # fmt: skip
    assert all(
        e.startswith("[input] 居住区 'D' 按户数须配置 4 处设施，但只有 2 个地块（P1、P2）") for e in out["error"]
    )


def test_a_reading_of_a_reported_document_is_marked_in_the_print() -> None:
    """The Hangzhou 2022 measures are known by report only: a reading of their words (「在有条件情况下」)
    says so, as their figures do; Xihu's own reading (“一般”) is not marked."""
    notes = [line for line in str(_xihu(7000)).splitlines() if "解读 Interpretation" in line]
    assert any("（据报道 reported）已建成居住区「在有条件情况下」" in n for n in notes)
    assert any("“一般”" in n and "据报道" not in n for n in notes)
