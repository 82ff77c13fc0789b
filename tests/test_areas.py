"""Residential areas (issue 29): the parcels of one 居住区 pooled, sized once, hosted and shared out.

Every expected value is computed by hand from the clause cited beside it.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import facility_sizing as fs
from facility_sizing.api.area_pool import largest_remainder
from facility_sizing.errors import RuleDataError
from facility_sizing.ruledata import RuleBook

ON = "2025-06-01"


def _xihu() -> pd.DataFrame:
    return pd.DataFrame({"地块编号": ["XH-1", "XH-2", "XH-3"], "居住区": "XQ-01", "households": [500, 500, 500]})


def _keqiao() -> pd.DataFrame:
    return pd.DataFrame({"地块编号": ["KQ-1", "KQ-2", "KQ-3"], "居住区": "KQ-01", "households": [1000, 1500, 2500]})


def test_three_xihu_parcels_of_500_households_are_one_area_of_225_m2() -> None:
    # 西政办函〔2021〕15号 二(三)1: 「新建居住区…按照每百户不少于15平方米、最小建筑面积不少于200平方米…进行相对集中配建」
    # One area of 1,500 households: max(1,500 × 15/100, 200) = 225 m², not 3 × 200 = 600 m².
    out = fs.size_frame(_xihu(), area="居住区", jurisdiction="西湖区", area_type="new_build", on=ON)
    [area] = fs.area_table(out).to_dict("records")
    assert (area["area_id"], area["households"], area["floor_area_m2"], area["hosts"]) == (
        "XQ-01",
        1500.0,
        225.0,
        "XH-1",
    )
    assert out["floor_area_m2"].tolist() == [75.0, 75.0, 75.0]  # 225 × 500/1,500 each
    assert out["area_floor_area_m2"].tolist() == [225.0] * 3
    # 「户外活动场地不少于40平方米」 once for the area: 40 m² = 4,000 centi-m² by largest remainder, ties by id
    assert out["outdoor_area_m2"].tolist() == [13.34, 13.33, 13.33]
    assert out["area_host"].tolist() == [True, False, False] and out["area_host_id"].tolist() == ["XH-1"] * 3
    assert out["max_floor"].tolist() == [2, 2, 2]  # 「一般不得安排在3楼及以上」: the facility's limit, not shared
    assert fs.summary(out)["floor_area_m2"] == 225.0  # totals over parcels are the area's


def test_keqiao_area_of_5000_households_at_2_7() -> None:
    # 绍柯政办发〔2024〕13号 二(一)2: 「每百户托育服务设施面积不少于25平方米，每千人托位数不少于10个」
    # 5,000 households × 25/100 = 1,250 m²; 5,000 × 2.7 = 13,500 people × 10/1,000 = 135 slots.
    out = fs.size_frame(_keqiao(), area="居住区", jurisdiction="柯桥区", area_type="new_build",
                        persons_per_household=2.7, on=ON)  # fmt: skip
    [area] = fs.area_table(out).to_dict("records")
    assert (area["floor_area_m2"], area["slots"], area["population"]) == (1250.0, 135, 13500.0)
    assert out["floor_area_m2"].tolist() == [250.0, 375.0, 625.0]  # exact: 1,250 × 1,000/5,000 …
    # 135 × (1,000, 1,500, 2,500)/5,000 = 27, 40.5, 67.5: the one slot left goes to the equal remainder
    # of the parcel with more households (KQ-3), so 27 / 40 / 68
    assert out["slots"].tolist() == [27, 40, 68]
    assert out["area_host_id"].tolist() == ["KQ-3"] * 3  # the most households
    assert out["population"].tolist() == [2700.0, 4050.0, 6750.0]  # each parcel's own, as used


def test_the_host_column_names_the_host() -> None:
    df = _keqiao().assign(承建=[None, True, None])
    out = fs.size_frame(df, area="居住区", host="承建", jurisdiction="柯桥区", area_type="new_build",
                        persons_per_household=2.7, on=ON)  # fmt: skip
    assert out["area_host"].tolist() == [False, True, False] and fs.area_table(out)["hosts"].tolist() == ["KQ-2"]


def test_two_hosts_for_one_facility_is_the_areas_error() -> None:
    df = _keqiao().assign(承建=[True, True, False])
    out = fs.size_frame(df, area="居住区", host="承建", jurisdiction="柯桥区", area_type="new_build",
                        persons_per_household=2.7, on=ON)  # fmt: skip
    assert out["error"].str.contains("标明了 2 个承建地块").all() and out["floor_area_m2"].isna().all()


@pytest.mark.parametrize(
    ("column", "values", "said"),
    [
        ("jurisdiction", ["西湖区", "西湖区", "柯桥区"], "行政区"),
        ("area_type", ["new_build", "existing", "new_build"], "居住区类型"),
        ("on", ["2025-06-01", "2025-06-01", "2025-07-01"], "日期"),
    ],
)
def test_an_area_mixing_places_types_or_dates_is_one_typed_error_naming_the_parcels(
    column: str, values: list[str], said: str
) -> None:
    inputs = {"jurisdiction": "西湖区", "area_type": "new_build", "on": ON, "persons_per_household": 2.7}
    df = _xihu().assign(**{column: values})
    del inputs[column]
    out = fs.size_frame(df, area="居住区", **inputs)
    [text] = out["error"].unique()
    assert text.startswith("[input] 居住区 'XQ-01' 的地块 XH-1、XH-2、XH-3 的") and said in text
    assert out["floor_area_m2"].isna().all() and fs.area_table(out)["error"].tolist() == [text]
    assert isinstance(out.attrs["errors"][text], fs.InputError)


def test_a_bad_parcel_keeps_its_error_and_its_area_says_why_it_is_not_sized() -> None:
    df = _xihu().assign(households=[500, -1, 500])
    out = fs.size_frame(df, area="居住区", jurisdiction="西湖区", area_type="new_build", on=ON)
    assert "不能为负数" in out["error"][1]
    assert out["error"][0] == out["error"][2] and "地块 XH-2 本身有误" in out["error"][0]


def test_a_parcel_without_an_area_id_is_sized_as_today() -> None:
    df = pd.DataFrame({"居住区": [None, "A", "A"], "households": [1334, 500, 500]})
    out = fs.size_frame(df, area="居住区", jurisdiction="西湖区", area_type="new_build", on=ON)
    alone = fs.size_frame(df.iloc[:1].drop(columns="居住区"), jurisdiction="西湖区", area_type="new_build", on=ON)
    assert out["floor_area_m2"][0] == alone["floor_area_m2"][0] == 200.1  # 1,334 × 15/100, 西政办函〔2021〕15号 二(三)1
    assert out["floor_area_m2"][1:].tolist() == [100.0, 100.0]  # the 200 m² minimum once for A, shared
    assert bool(out["area_host"][0]) and pd.isna(out["area_id"][0])


def test_without_area_every_answer_is_unchanged() -> None:
    parcels = fs.sample_parcels()
    before = fs.size_parcels(parcels, on=ON)
    assert not set(before.columns) & {"area_id", "area_host"} and "areas" not in before.attrs
    frame = pd.DataFrame(parcels.drop(columns=parcels.geometry.name))
    plain = fs.size_frame(frame, on=ON, households=frame["households"].fillna(0))
    assert "area_id" not in plain.columns


def test_the_build_conditions_are_quoted_on_the_result() -> None:
    out = fs.size_frame(_keqiao(), area="居住区", jurisdiction="柯桥区", area_type="new_build",
                        persons_per_household=2.7, on=ON)  # fmt: skip
    assert out["build_condition"][0] == (
        "“在新建城市居住区，要同步规划、建设、验收、交付托育服务设施”（绍柯政办发〔2024〕13号 二(一)2）"
    )
    xihu = fs.size_frame(_xihu(), area="居住区", jurisdiction="西湖区", area_type="new_build", on=ON)
    assert (
        "“根据土地出让合同规定，婴幼儿照护服务设施要与住宅同步规划、同步建设、同步验收”（西政办函〔2021〕15号 二(三)1）"
        in (xihu["build_condition"][0])
    )
    assert xihu["build_trigger"].isna().all()  # neither document sets a share of the housing


def test_guangzhous_build_trigger_applies_only_when_opted_in_and_is_marked() -> None:
    # shared/SOURCES.md: 广州市 2025 指引, 「应在住宅总规模完成50%之前同步建设完成」 (stand-alone), seen in part
    df = pd.DataFrame({"居住区": "GZ", "households": [800, 1200]})
    with_report = fs.size_frame(df, area="居住区", jurisdiction="天河区", area_type="new_build", on="2026-01-01",
                                include_reported=True)  # fmt: skip
    assert with_report["build_trigger"][0] == (
        "独立设置的配建托育服务设施：住宅总规模完成50%之前建成（广州市托育服务设施配套建设及管理工作指引（2025，据报道） （条款号未见）（据报道））"
    )
    assert with_report["reported"].all() and with_report["floor_area_m2"].isna().all()  # no figure seen: none
    without = fs.size_frame(df, area="居住区", jurisdiction="天河区", area_type="new_build", on="2026-01-01")
    assert without["error"].str.startswith("[reported_only] ").all()  # each parcel its own error: no default answer


def test_a_build_trigger_is_one_rule_row(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rule = """
[[rules]]
id = "x.trigger"
document = "d"
clause = "三"
area_types = ["new_build"]
quantity = "obligation"
topic = "build_trigger"
trigger = "housing_completed_share"
value = {value}
unit = "%"
strength = "mandatory"
text = "应在住宅完成{value}%之前建成"
summary_en = "Complete before {value} % of the housing."
"""
    head = """schema = 1
[jurisdiction]
code = "330106"
name = "西湖区"
[jurisdiction.area_types]
new_build = "新建居住区"
[[documents]]
id = "d"
number = "测〔2025〕1号"
title = "测试"
title_en = "test"
issuer = "测试"
status = "in_force"
issued = 2025-01-01
issued_basis = "x"
effective_from = 2025-01-01
effective_from_basis = "x"
source = "x"
grade = "official"
seen = "x"
"""
    path = tmp_path / "330106_x.toml"
    path.write_text(head + rule.replace("{value}", "60"), encoding="utf-8")
    book = fs.load_rules(path, builtin=False)
    [found] = [r for r in book.all_rules() if r.id == "x.trigger"]
    assert (found.trigger, found.value, found.unit, found.is_figure) == (
        "housing_completed_share",
        Fraction(60),
        "%",
        False,
    )
    path.write_text(head + rule.replace("{value}", "120"), encoding="utf-8")
    with pytest.raises(RuleDataError, match="120"):
        fs.load_rules(path, builtin=False)
    assert isinstance(book, RuleBook)


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=12).filter(lambda w: sum(w) > 0),
)
def test_shares_add_up_exactly_and_none_is_negative(total: int, weights: list[int]) -> None:
    parts = largest_remainder(total, weights, list(range(len(weights))))
    assert sum(parts) == total and min(parts) >= 0
    for part, weight in zip(parts, weights, strict=True):  # each within one unit of its exact quota
        assert abs(Fraction(part) - Fraction(total * weight, sum(weights))) < 1


@settings(max_examples=40, deadline=None)
@given(households=st.lists(st.integers(min_value=0, max_value=20_000), min_size=1, max_size=6))
def test_parcel_shares_add_up_to_the_areas_figures(households: list[int]) -> None:
    df = pd.DataFrame({"居住区": "A", "households": households})
    out = fs.size_frame(df, area="居住区", jurisdiction="柯桥区", area_type="new_build",
                        persons_per_household=2.7, on=ON)  # fmt: skip
    [area] = fs.area_table(out).to_dict("records")
    assert round(out["floor_area_m2"].sum() * 100) == round(area["floor_area_m2"] * 100)
    assert int(out["slots"].sum()) == area["slots"] and (out["slots"] >= 0).all() and (out["floor_area_m2"] >= 0).all()


# ---------------------------------------------------------------------------------------
# Letters: the host's and a contributor's, golden files read line by line against the clauses

LETTERS = Path(__file__).parent / "golden" / "area_letters"
CASES = {
    "xihu_host": ("xihu", "XH-1"),
    "xihu_contributor": ("xihu", "XH-2"),
    "keqiao_host": ("keqiao", "KQ-3"),
    "keqiao_contributor": ("keqiao", "KQ-1"),
}


def _sized(place: str) -> pd.DataFrame:
    if place == "xihu":
        return fs.size_frame(_xihu(), area="居住区", jurisdiction="西湖区", area_type="new_build", on=ON)
    return fs.size_frame(_keqiao(), area="居住区", jurisdiction="柯桥区", area_type="new_build",
                         persons_per_household=2.7, on=ON)  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_golden_area_letters(name: str) -> None:
    place, parcel = CASES[name]
    text = fs.area_letter(_sized(place), parcel)
    body, stamp = text.rstrip("\n").rsplit("\n\n", 1)
    assert stamp.startswith("（生成信息：facility-sizing ")
    path = LETTERS / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        LETTERS.mkdir(exist_ok=True)
        path.write_text(body + "\n", encoding="utf-8")
    assert body + "\n" == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", CASES)
def test_every_line_of_a_letters_body_cites_its_clause(name: str) -> None:
    place, parcel = CASES[name]
    body = fs.area_letter(_sized(place), parcel).split("附件：")[0]
    numbered = [line for line in body.splitlines() if line.startswith("（")]
    cited = {"xihu": "西政办函〔2021〕15号", "keqiao": "绍柯政办发〔2024〕13号"}[place]
    assert numbered and all(cited in line for line in numbered), [ln for ln in numbered if cited not in ln]


def test_the_host_letter_states_the_whole_area_and_the_contributor_its_share_in_the_host() -> None:
    out = _sized("keqiao")
    host, contributor = fs.area_letter(out, "KQ-3"), fs.area_letter(out, "KQ-1")
    # 绍柯政办发〔2024〕13号 二(一)2: the area's 1,250 m² and 135 slots, at the host
    assert "托育服务设施建筑面积不少于1,250平方米" in host and "托位不少于135个" in host
    assert "KQ-1（1,000户）、KQ-2（1,500户）、KQ-3（2,500户），合计5,000户" in host
    assert "设于承建地块KQ-3" in contributor and "托育服务设施建筑面积250平方米、托位27个" in contributor
    assert "托育服务设施应同步规划、建设、验收、交付。依据：绍柯政办发〔2024〕13号 二(一)2。" in contributor
    assert "不少于1,250平方米" not in contributor.split("附件：")[0]  # the area's figure only in the annex
    en = fs.area_letter(out, "KQ-1", "en")
    assert "provided within host parcel KQ-3" in en


def test_a_letter_rests_on_the_same_core_as_the_area_table() -> None:
    from facility_sizing.render.areas import area_requirement

    out = _sized("keqiao")
    req = area_requirement(out, "KQ-2")
    [area] = fs.area_table(out).to_dict("records")
    assert (req.floor_area_m2, req.slots, req.households) == (area["floor_area_m2"], area["slots"], 5000.0)


# ---- findings of the legal office's review (each sentence true of the documents) ----------------


def _area(jurisdiction: str, area_type: str, households: list[int], **extra: object) -> pd.DataFrame:
    df = pd.DataFrame({"地块编号": [f"P{i + 1}" for i in range(len(households))], "居住区编号": "A",
                       "households": households, **extra})  # fmt: skip
    return fs.size_frame(df, jurisdiction=jurisdiction, area_type=area_type, persons_per_household=2.7,
                         on="2025-06-01", area="居住区编号", parcel="地块编号")  # fmt: skip


def test_a_letter_says_the_host_and_the_shares_are_the_librarys_arrangement_not_the_documents() -> None:
    """西政办函〔2021〕15号 二(三)1 sets the area's figures; it says nothing of host parcels or shares."""
    out = _area("西湖区", "new_build", [500, 500, 500])
    host, share = fs.area_letter(out, "P1"), fs.area_letter(out, "P2")
    assert "不是文件的规定" in host and "不是文件的规定" in share
    assert "依据：西政办函〔2021〕15号 二(三)1（“新建居住区" not in share  # the arrangement is not cited to it


def test_two_hosts_read_the_area_figure_as_their_total_not_each_ones() -> None:
    df = pd.DataFrame({"地块编号": ["P1", "P2", "P3"], "居住区编号": "A", "households": [1000, 1500, 2500],
                       "host": [True, False, True]})  # fmt: skip
    out = fs.size_frame(df, jurisdiction="西湖区", area_type="new_build", persons_per_household=2.7, on="2025-06-01",
                        include_reported=True, area="居住区编号", host="host", parcel="地块编号")  # fmt: skip
    letter = fs.area_letter(out, "P1")  # Hangzhou's reported band (opt-in): two facilities for 5,000 households
    assert "托育服务设施建筑面积不少于750平方米" in letter  # the area's: 5,000 × 15/100 (西政办函〔2021〕15号 二(三)1)
    # P1 hosts one of two: half the area's 750 m²; 5,000 × 2.7 = 13,500 people × 10/1,000 = 135 slots, 67 + 68,
    # the odd slot to the host with more households (P3, 2,500 > 1,000)
    assert "下列数值是整个居住区的数值；本地块承建其中一处，为居住区数值的均分：托育服务设施建筑面积375平方米" in letter
    assert "托位67个" in letter and "P3：托育服务设施建筑面积375平方米" in letter
    # P2 contributes to both: its letters name the two hosts, each language with its own separator
    assert "设于承建地块P1、P3" in fs.area_letter(out, "P2")
    en = fs.area_letter(out, "P2", "en")
    assert "host parcel P1, P3" in en and "P1、P3" not in en


def test_an_area_with_no_figure_to_share_does_not_say_households_are_unknown() -> None:
    """Suzhou 苏府办〔2020〕233号 sets no floor-area or slot figure: nothing to share, households known."""
    out = _area("苏州市", "new_build", [1000, 1500, 2500])
    letter = fs.area_letter(out, "P2")
    assert "户数与人口均未知" not in letter and "本居住区没有可分担的数值" in letter


def test_existing_areas_get_no_host_letter_they_transfer_no_land() -> None:
    """西政办函〔2021〕15号 二(三)1: existing areas are provided 「通过购置、置换、租赁等方式」 by the
    街道/镇 (责任单位), not built by a parcel."""
    out = _area("西湖区", "existing", [500, 500])
    with pytest.raises(fs.InputError, match="只用于新建居住区"):
        fs.area_letter(out, "P1")


def test_an_area_of_no_households_has_no_requirement() -> None:
    """shared/RULES.md: zero households is no residential project — never Xihu's 200 m² minimum."""
    out = _area("西湖区", "new_build", [0, 0])
    assert out["area_floor_area_m2"].tolist() == [0.0, 0.0]


def test_ids_and_host_marks_as_a_spreadsheet_gives_them() -> None:
    """An area id read from a column with blanks is a float (1.0): it is the 1 typed; a host mark typed
    as the text 1/0 is read as the error message says it is."""
    df = pd.DataFrame({"地块编号": ["P1", "P2", "P3"], "居住区编号": [1.0, 1.0, np.nan], "households": [500, 500, 300],
                       "host": ["1", "0", None]})  # fmt: skip
    out = fs.size_frame(df, jurisdiction="西湖区", area_type="new_build", on="2025-06-01", area="居住区编号",
                        host="host", parcel="地块编号")  # fmt: skip
    assert out["error"].isna().all(), out["error"].tolist()
    assert out["area_id"].tolist()[:2] == ["1", "1"] and out["area_host"].tolist()[:2] == [True, False]


def test_an_area_of_no_households_gets_no_area_letter() -> None:
    """0 households is no residential project (shared/RULES.md): no host, no share, no letter — said once."""
    df = pd.DataFrame({"地块编号": ["P1", "P2"], "居住区编号": "A", "households": [0, 0]})
    out = fs.size_frame(df, jurisdiction="西湖区", area_type="new_build", on="2025-06-01", area="居住区编号",
                        parcel="地块编号")  # fmt: skip
    with pytest.raises(fs.InputError, match="居住区 'A' 的户数为0，没有住户，不是居住项目"):
        fs.area_letter(out, "P2")
