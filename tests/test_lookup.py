"""Finding a jurisdiction: the book's own divisions first, then the national registry (issue 11).

A place the library knows but has no rules for gets an error naming it and every level searched,
never a different city's district; a garbled code is an error, never a near match.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import facility_sizing as fs
from facility_sizing.registry import AbolishedJurisdictionError, AmbiguousJurisdictionError, MalformedCodeError

ON = "2025-01-01"


def size(jurisdiction: object, **kwargs: object) -> fs.Requirement:
    return fs.size(jurisdiction=jurisdiction, households=1334, area_type="new_build", on=ON, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "key", ["上城区", "330102", "杭州市上城区", "浙江杭州上城", "shangchengqu", "Shangcheng District"]
)
def test_a_place_with_only_reported_rules_names_each_level_and_the_report(key: str) -> None:
    with pytest.raises(fs.ReportedOnlyError) as info:
        size(key)
    message = str(info.value)
    assert "已查找上城区（330102）、杭州市（330100）、浙江省（330000）" in message
    assert "杭州市《杭州市婴幼儿照护服务设施配建办法》（据报道，未见原文" in message  # SOURCES.md: reported
    assert "include_reported=True" in message
    assert "相城区" not in message  # the old answer: a district of Suzhou, 150 km away


def test_with_the_opt_in_the_reported_rules_apply_and_say_so() -> None:
    # issue 11's bar: 杭州市 2022 配建办法 「不少于15平方米/百户且不少于200平方米」 (reported):
    # 1,334 × 15/100 = 200.1 m² > 200; 浙江省 2022 「每千人10个以上托位」: 1,334 × 2.7 = 3,601.8 → 37 slots
    req = size("上城区", include_reported=True, persons_per_household=2.7)
    assert (req.floor_area_m2, req.slots, req.reported) == (200.1, 37, True)
    assert req.rule_set.endswith("+reported")
    clause = req.clause()
    assert "【本条款部分数值仅见于报道，未见文件原文" in clause
    assert "依据：杭州市婴幼儿照护服务设施配建办法（2022，据报道） （条款号未见）新建（据报道，未见原文）。" in clause
    assert "仅见于报道（中新网 2022-09-07" in clause and "自2022年9月7日起施行" not in clause


@pytest.mark.parametrize("key", ["江宁区", "320115", "南京市江宁区", "jiangningqu", "Jiangning District"])
def test_a_known_place_without_any_document_names_itself_and_each_level_searched(key: str) -> None:
    with pytest.raises(fs.NotInForceError) as info:
        size(key)
    assert "江宁区（320115）、南京市（320100）、江苏省（320000）及全国层面" in str(info.value)


@pytest.mark.parametrize("key", ["-330106", "3301.06", "33-01-06", "330106.0", "3301060"])
def test_a_garbled_code_is_an_error_never_a_near_match(key: str) -> None:
    with pytest.raises(MalformedCodeError):
        size(key)


def test_punctuation_inside_a_name_is_not_ignored() -> None:
    with pytest.raises(fs.UnknownJurisdictionError) as info:
        size("xi.hu")
    assert not isinstance(info.value, MalformedCodeError)


@pytest.mark.parametrize("key", ["西湖區", "西湖区\u200b", "\ufeff西湖区", "西湖 区", "ＸＩＨＵ", 330106, 330106.0])
def test_traditional_full_width_and_invisible_characters_find_xihu(key: object) -> None:
    req = size(key)
    assert (req.jurisdiction.code, req.floor_area_m2) == ("330106", 200.1)  # 二(三)1: 1,334 × 15/100


def test_traditional_names_of_the_other_source_jurisdictions() -> None:
    assert fs.size(jurisdiction="柯橋區", households=1000, population=2800, area_type="新建", on=ON).slots == 28
    assert fs.size(jurisdiction="蘇州市", households=1000, area_type="new_build", on=ON).floor_area_m2 is None


def test_an_ambiguous_name_lists_every_candidate_with_its_parents() -> None:
    with pytest.raises(AmbiguousJurisdictionError) as info:
        size("鼓楼区")
    message = str(info.value)
    for candidate in (
        "鼓楼区（江苏省南京市，320106）",
        "鼓楼区（福建省福州市，350102）",
        "鼓楼区（河南省开封市，410204）",
    ):
        assert candidate in message
    with pytest.raises(fs.NotInForceError, match="福州市"):  # with its city it is one place
        size("福州市鼓楼区")


def test_an_abolished_code_names_what_replaced_it() -> None:
    with pytest.raises(AbolishedJurisdictionError) as info:
        size("330104")  # 江干区, abolished in Hangzhou's 2021 re-division
    assert "上城区（浙江省杭州市，330102）" in str(info.value) and "钱塘区（浙江省杭州市，330114）" in str(info.value)
    assert isinstance(info.value, fs.UnknownJurisdictionError)


def test_a_statistical_unit_of_the_registry_inherits_its_city() -> None:
    req = size("320576")  # NBS 2023 code of 苏州工业园区: inherits Suzhou, which sets no figure
    assert req.jurisdiction.parent == "320500" and req.floor_area_m2 is None
    assert req.rules[0].kind == "no_figure" and "苏州市" in (req.rules[0].message or "")


def test_a_batch_keeps_each_rows_own_answer_in_order() -> None:
    keys = ["西湖区", "上城区", "-330106", "鼓楼区", "330104", "杭州市西湖区"]
    out = fs.size_frame(pd.DataFrame({"jurisdiction": keys, "households": 1334}), area_type="new_build", on=ON)
    assert out["floor_area_m2"].tolist()[0] == 200.1 and out["floor_area_m2"].tolist()[5] == 200.1
    codes = [None if pd.isna(c) else c for c in out["error"].str.extract(r"^\[(\w+)\]")[0]]
    assert codes == [None, "reported_only", "malformed_code", "ambiguous_jurisdiction", "abolished_jurisdiction", None]


def test_listing_the_books_divisions_does_not_depend_on_lookups() -> None:
    before = fs.jurisdictions()
    with pytest.raises(fs.NotInForceError):
        size("江宁区")
    assert fs.jurisdictions().equals(before)


def test_a_rule_file_for_a_registry_place_needs_no_level_or_parent(tmp_path: Path) -> None:
    text = (Path(__file__).parent / "cases" / "rules" / "339901_kinds.toml").read_text(encoding="utf-8")
    text = text.replace('code = "339901"\nname = "示例新区"\nname_en = "Example New District (test data)"\n'
                        'level = "district"\nparent = "330100"', 'code = "330102"\nname = "上城区"')  # fmt: skip
    path = tmp_path / "330102_shangcheng.toml"
    path.write_text(text, encoding="utf-8")
    book = fs.load_rules(path)
    req = fs.size(jurisdiction="上城区", households=3000, population=8100, area_type="new_build", on="2026-06-01",
                  rulebook=book)  # fmt: skip
    assert (req.floor_area_m2, req.slots, req.jurisdiction.parent) == (600.0, 81, "330100")


def test_the_command_line_opts_in_with_include_reported(capsys: pytest.CaptureFixture[str]) -> None:
    from facility_sizing.cli import main

    argv = ["size", "-j", "上城区", "-t", "new_build", "--households", "1334", "--on", ON]
    assert main(argv) == 3  # a lookup error: only reported documents
    assert "--include-reported" in capsys.readouterr().err
    assert main([*argv, "--persons-per-household", "2.7", "--include-reported"]) == 0
    out = capsys.readouterr().out
    assert "建筑面积 200.1 m²" in out and "托位数 37 托位" in out and "据报道" in out


def test_jurisdictions_under_a_city_lists_every_district_with_its_rules() -> None:
    table = fs.jurisdictions(under="杭州市")
    assert len(table) == 16  # 杭州市, its 13 current districts and counties, and 下城区 and 江干区 (abolished 2021)
    rows = table.set_index("code")
    assert rows.loc["330106", "grades"] == "official" and bool(rows.loc["330106", "has_rules"])
    assert rows.loc["330100", "grades"] == "reported"
    assert rows.loc["330104", "kind"] == "abolished" and not rows.loc["330102", "has_rules"]
    with_rules = fs.jurisdictions(under="浙江省", with_rules=True)
    assert set(with_rules["code"]) == {"330000", "330100", "330106", "330108", "330281", "330603"}


def test_the_jurisdictions_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    from facility_sizing.cli import main

    assert main(["jurisdictions", "杭州市", "--without-rules"]) == 0
    out = capsys.readouterr().out
    assert "上城区" in out and "西湖区" not in out
