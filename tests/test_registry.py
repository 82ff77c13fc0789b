"""The division registry: exact lookup, hierarchy, abolished codes, and agreement with its sources."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facility_sizing.errors import RuleDataError, UnknownJurisdictionError
from facility_sizing.registry import (
    AmbiguousJurisdictionError,
    MalformedCodeError,
    Registry,
    chain,
    children,
    counts,
    default_registry,
    lookup,
    under,
)

REPO = Path(__file__).resolve().parents[1]
# the NBS 2023 and MCA 2020 lists the registry is built from, copied from shared/divisions
SOURCES = REPO / "tests" / "fixtures" / "divisions"
DATA = REPO / "src" / "facility_sizing" / "data" / "registry"
REG = default_registry()


@pytest.mark.parametrize(
    "key",
    ["330102", "杭州市上城区", "浙江省杭州市上城区", "浙江杭州上城", "杭州上城区", "shangchengqu", "ShangChengQu",
     "Shangcheng District", "shangcheng district", "hangzhoushangcheng", "３３０１０２", 330102],
)  # fmt: skip
def test_every_form_of_shangcheng_finds_330102_under_hangzhou_under_zhejiang(key: object) -> None:
    place = lookup(key)
    assert (place.code, place.name, place.short) == ("330102", "上城区", "上城")
    assert [(p.code, p.name) for p in chain(place.code)] == [
        ("330102", "上城区"),
        ("330100", "杭州市"),
        ("330000", "浙江省"),
    ]


def test_bare_shangcheng_pinyin_is_ambiguous_with_shangcheng_county_henan() -> None:
    # 上城区 (Hangzhou) and 商城县 (Xinyang, Henan) share the toneless pinyin "shangcheng".
    with pytest.raises(AmbiguousJurisdictionError) as info:
        lookup("shangcheng")
    assert "上城区（浙江省杭州市，330102）" in str(info.value)
    assert "商城县（河南省信阳市，411524）" in str(info.value)


@pytest.mark.parametrize("key", ["-330106", "3301.06", "33-01-06", "330106.0", "+330106", "3301060", "33010", 330106.0])
def test_digits_with_punctuation_or_the_wrong_length_are_errors_never_near_matches(key: object) -> None:
    with pytest.raises(MalformedCodeError) as info:
        lookup(key)
    assert isinstance(info.value, UnknownJurisdictionError)
    assert "6 位数字" in str(info.value) and "6 digits" in str(info.value)


@pytest.mark.parametrize("key", ["xi.hu", "xi-hu", "西.湖区", "shang_cheng"])
def test_punctuation_inside_a_name_is_not_ignored(key: str) -> None:
    with pytest.raises(UnknownJurisdictionError) as info:
        lookup(key)
    assert not isinstance(info.value, AmbiguousJurisdictionError)


def test_traditional_characters_are_simplified() -> None:
    assert lookup("杭州市西湖區").code == "330106"
    assert lookup("柯橋區").name == "柯桥区"
    assert lookup("蘇州市").code == "320500"
    with pytest.raises(AmbiguousJurisdictionError) as info:
        lookup("西湖區")  # 西湖区 is in Hangzhou and in Nanchang
    assert "西湖区（浙江省杭州市，330106）" in str(info.value)
    assert "西湖区（江西省南昌市，360103）" in str(info.value)


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u2060", "\u00ad", "\u3000", " ", "\t"])
def test_pasted_invisible_characters_and_spaces_are_ignored(invisible: str) -> None:
    assert lookup(f"{invisible}杭州市{invisible}上城区{invisible}").code == "330102"
    assert lookup(f"330{invisible}102").code == "330102"


def test_gulou_is_ambiguous_listing_every_candidate_with_its_parents() -> None:
    with pytest.raises(AmbiguousJurisdictionError) as info:
        lookup("鼓楼区")
    message = str(info.value)
    for label in ("鼓楼区（江苏省南京市，320106）", "鼓楼区（江苏省徐州市，320302）", "鼓楼区（福建省福州市，350102）",
                  "鼓楼区（河南省开封市，410204）"):  # fmt: skip
        assert label in message
    assert "代码" in message and "code" in message
    assert message.index(" — ") > message.index("鼓楼区")  # Chinese first, English beside it
    assert lookup("福州市鼓楼区").code == "350102"
    assert lookup("福州鼓楼").code == "350102"


@pytest.mark.parametrize("key", ["朝阳", "朝阳区", "新城区"])
def test_other_shared_names_are_ambiguous(key: str) -> None:
    with pytest.raises(AmbiguousJurisdictionError) as info:
        lookup(key)
    assert len(info.value.suggestions) >= 2


def test_suzhou_industrial_park_is_a_statistical_unit_under_suzhou() -> None:
    park = lookup("苏州工业园区")
    assert (park.code, park.kind, park.parent, park.editions) == ("320576", "statistical", "320500", ("nbs2023",))
    assert lookup("320576") is park
    # The library's divisions.toml uses 320571, an older NBS code; neither source list has it.
    with pytest.raises(UnknownJurisdictionError) as info:
        lookup("320571")
    assert info.value.suggestions[0] == "苏州工业园区（江苏省苏州市，320576）"


def test_abolished_code_says_when_it_was_last_listed_and_what_replaced_it() -> None:
    xiacheng = lookup("330103")
    assert (xiacheng.name, xiacheng.abolished, xiacheng.last_edition) == ("下城区", True, "mca2020")
    assert xiacheng.replaced_by == ("330105",)
    assert lookup("330104").replaced_by == ("330102", "330114")
    assert lookup("江干区").code == "330104"
    text = REG.describe("330103")
    assert "已撤销" in text and "mca2020" in text and "拱墅区" in text and "abolished" in text
    assert lookup("330113").name == "临平区" and lookup("330114").name == "钱塘区"
    assert lookup("沙县").code == "350405"  # a current division wins over the abolished 沙县 350427


def test_municipality_districts_hang_directly_under_the_municipality() -> None:
    assert lookup("北京市朝阳区").parent == "110000"
    assert lookup("北京").code == "110000"
    assert lookup("仙桃市").parent == "420000"  # 省直辖县级行政区划: directly under the province
    assert [p.code for p in chain("500229")] == ["500229", "500000"]
    with pytest.raises(UnknownJurisdictionError):
        lookup("110100")  # the NBS 市辖区 placeholder is not a division


def test_short_names() -> None:
    expected = {"西湖区": "西湖", "杭州市": "杭州", "浙江省": "浙江", "广西壮族自治区": "广西", "恩施土家族苗族自治州": "恩施",
                "内蒙古自治区": "内蒙古", "新疆维吾尔自治区": "新疆", "西藏自治区": "西藏", "伊犁哈萨克自治州": "伊犁",
                "东乡族自治县": "东乡", "鄂温克族自治旗": "鄂温克", "万柏林区": "万柏林", "神农架林区": "神农架",
                "清新区": "清新", "浦东新区": "浦东", "和县": "和县", "城区": "城区", "芒市": "芒市", "沙县区": "沙县",
                "大兴安岭地区": "大兴安岭", "锡林郭勒盟": "锡林郭勒", "香港特别行政区": "香港"}  # fmt: skip
    places = {p.name: p for p in REG.places.values() if p.name in expected}
    assert {name: p.short for name, p in places.items()} == expected
    assert (lookup("330106").pinyin, lookup("330106").pinyin_full, lookup("330106").name_en) == (
        "xihu",
        "xihuqu",
        "Xihu District",
    )
    assert lookup("330100").name_en == "Hangzhou City" and lookup("330000").name_en == "Zhejiang Province"


def test_hierarchy_helpers() -> None:
    assert {p.name for p in children("330100")} >= {"上城区", "西湖区", "临平区", "钱塘区"}
    assert all(p.level == "county" for p in under("杭州市"))
    assert {p.code for p in under("浙江省")} >= {"330100", "330102", "330603"}
    assert sum(counts().values()) == sum(1 for p in REG.places.values() if p.level == "county")


def test_unknown_key_suggests_inside_the_named_city_and_never_another_citys_exact_name() -> None:
    with pytest.raises(UnknownJurisdictionError) as info:
        lookup("杭州市越城区")  # 越城区 exists, but in Shaoxing
    assert info.value.suggestions
    assert all("杭州市" in s for s in info.value.suggestions)
    assert not any(s.startswith("越城区") for s in info.value.suggestions)
    assert REG.suggest("杭州市西湖")[0] == "西湖区（浙江省杭州市，330106）"


def test_at_least_2800_current_county_level_divisions() -> None:
    county = [p for p in REG.places.values() if p.level == "county"]
    administrative = [p for p in county if p.kind == "administrative" and not p.abolished]
    assert len(administrative) >= 2800
    assert sum(p.kind == "statistical" for p in county) >= 100
    assert sum(p.abolished for p in county) == 20


def _source_counts() -> Counter[str]:
    """County-level units per province, from the source CSVs directly.

    The union of both area tables, minus NBS's repeat of a city without county-level units (a row
    whose code is a city's code or whose name is its city's name: 东莞市, 中山市, 儋州市, 嘉峪关市).
    """

    def rows(name: str) -> list[dict[str, str]]:
        with (SOURCES / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    city_names = {r["code"] + "00": r["name"] for r in rows("nbs2023_cities.csv")}
    codes = {r["code"] for r in rows("mca2020_areas.csv")}
    codes |= {
        r["code"]
        for r in rows("nbs2023_areas.csv")
        if r["code"] not in city_names and city_names.get(r["cityCode"] + "00") != r["name"]
    }
    return Counter(code[:2] + "0000" for code in codes)


def test_county_counts_per_province_match_the_source_lists() -> None:
    assert counts() == dict(sorted(_source_counts().items()))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(REG.places)))
def test_every_record_finds_itself_by_code_full_name_and_ancestors(code: str) -> None:
    place = REG.places[code]
    assert REG.lookup(code) is place
    prefixed = "".join(p.name for p in reversed(REG.chain(code)))
    targets = [prefixed]
    same_name = [p for p in REG.places.values() if p.name == place.name and p.abolished == place.abolished]
    if len(same_name) == 1:
        targets.append(place.name)
    for key in targets:
        found = REG.lookup(key)
        if place.abolished and found is not place:
            # a current division wins over the abolished one it replaced (350403 三元区 → 350404 三元区,
            # 350427 沙县 → 350405 沙县区); the abolished one is still found by its code
            assert not found.abolished and found.parent == place.parent, key
            assert found.name == place.name or found.code in place.replaced_by, key
        else:
            assert found is place, key


def test_a_malformed_data_file_names_the_file_line_and_column(tmp_path: Path) -> None:
    text = (DATA / "divisions.csv").read_text(encoding="utf-8")
    (tmp_path / "traditional.csv").write_text((DATA / "traditional.csv").read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "divisions.csv"
    broken.write_text(text.replace("\n330102,上城区,", "\n33O102,上城区,", 1), encoding="utf-8")
    with pytest.raises(RuleDataError) as info:
        Registry(broken)
    assert info.value.path == str(broken)
    assert re.fullmatch(r"line \d+: code", info.value.key)
    broken.write_text(text.replace(",330100,administrative,", ",339900,administrative,", 1), encoding="utf-8")
    with pytest.raises(RuleDataError, match="parent"):
        Registry(broken)


def _header_digest(text: str) -> tuple[str, str]:
    recorded = re.search(r"^# sha256 of the rows below \(from the column header on\): ([0-9a-f]{64})$", text, re.M)
    assert recorded, "the data header records the hash of its rows"
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))
    return recorded.group(1), hashlib.sha256(body.encode("utf-8")).hexdigest()


def test_checked_in_data_is_what_the_build_script_produces(tmp_path: Path) -> None:
    text = (DATA / "divisions.csv").read_text(encoding="utf-8")
    recorded, actual = _header_digest(text)
    assert recorded == actual, "divisions.csv was edited by hand: rebuild it with scripts/build_divisions.py"
    if importlib.util.find_spec("pypinyin") is None or importlib.util.find_spec("opencc") is None:
        return  # the build tools are not installed: the recorded hash is the check
    script = REPO / "scripts" / "build_divisions.py"
    command = [sys.executable, str(script), "--source", str(SOURCES), "--out", str(tmp_path)]
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    for name in ("divisions.csv", "traditional.csv"):
        rebuilt = (tmp_path / name).read_text(encoding="utf-8")
        assert rebuilt.replace(str(SOURCES), "") == (DATA / name).read_text(encoding="utf-8"), name
