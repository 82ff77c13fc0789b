"""Semantics: dates and status, unknowns, derivation, inheritance, explanations."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import pandas as pd
import pytest

import facility_sizing as fs


def test_issue_example() -> None:
    req = fs.size(jurisdiction="西湖区", households=1200, area_type="new_build", on="2025-01-01")
    assert (req.floor_area_m2, req.outdoor_area_m2, req.slots, req.max_floor) == (200.0, 40.0, None, 2)
    d = req.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["rules"][0]["rule"]["document"] == "西政办函〔2021〕15号"
    assert "raised to the minimum" in req.explain_quantity("floor_area")
    assert "计算值低于最小面积" in req.explain_quantity("floor_area")


@pytest.mark.parametrize(
    "name",
    ["西湖区", "杭州市西湖区", "杭州西湖区", "浙江省杭州市西湖区", "西湖", "xihu", "Xihu District", "330106", 330106],
)
def test_jurisdiction_spellings(name: object) -> None:
    req = fs.size(jurisdiction=name, households=1200, area_type="new_build", on="2025-01-01")  # type: ignore[arg-type]
    assert req.jurisdiction.code == "330106"


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("新建", "new_build"),
        ("已建成", "existing"),
        ("existing", "existing"),
        ("农村", "rural"),
        ("New_Build", "new_build"),
    ],
)
def test_area_type_spellings(spelling: str, canonical: str) -> None:
    assert fs.size(jurisdiction="西湖区", households=10, area_type=spelling, on="2025-01-01").area_type == canonical


# --- dates and status ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jurisdiction", "first_day", "number"),
    [
        ("西湖区", dt.date(2021, 9, 20), "西政办函〔2021〕15号"),  # 本通知自2021年9月20日起施行
        ("余姚市", dt.date(2020, 11, 13), "余政办发〔2020〕70号"),  # 本实施办法自2020年11月13日起施行
        ("柯桥区", dt.date(2024, 9, 14), "绍柯政办发〔2024〕13号"),  # no date of effect: date of issue
        ("苏州市", dt.date(2020, 9, 4), "苏府办〔2020〕233号"),  # no date of effect: date of issue
    ],
)
def test_date_before_document_is_an_error(jurisdiction: str, first_day: dt.date, number: str) -> None:
    kwargs = {"jurisdiction": jurisdiction, "households": 1000, "population": 2800, "area_type": "new_build"}
    fs.size(on=first_day, **kwargs)  # the first day answers
    with pytest.raises(fs.NotInForceError) as info:
        fs.size(on=first_day - dt.timedelta(days=1), **kwargs)
    assert number in str(info.value)
    assert first_day.isoformat() in str(info.value)
    assert isinstance(info.value, LookupError)


def test_binjiang_draft_dates() -> None:
    kwargs = {"jurisdiction": "滨江区", "population": 1000, "area_type": "new_build", "include_drafts": True}
    assert fs.size(on="2020-01-01", **kwargs).slots == 9
    with pytest.raises(fs.NotInForceError):
        fs.size(on="2019-12-31", **kwargs)


def test_stale_rule_warns_but_answers() -> None:
    kwargs = {"jurisdiction": "柯桥区", "households": 1000, "population": 2800, "area_type": "new_build"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not fs.size(on="2027-12-31", **kwargs).stale  # last day of the 2024–2027 plan period
    with pytest.warns(fs.StaleRuleWarning) as record:  # with the notices that come with the date
        req = fs.size(on="2028-01-01", **kwargs)
    assert any("2027-12-31" in str(w.message) for w in record)
    assert req.stale and req.floor_area_m2 == 250.0
    assert any("规划期" in w for w in req.warnings)


def test_default_date_is_today() -> None:
    req = fs.size(jurisdiction="西湖区", households=1200, area_type="new_build")
    assert req.on == dt.date.today()


def test_datetime_and_date_inputs() -> None:
    a = fs.size(jurisdiction="西湖区", households=1200, area_type="new_build", on=dt.datetime(2025, 1, 1, 12))
    b = fs.size(jurisdiction="西湖区", households=1200, area_type="new_build", on=dt.date(2025, 1, 1))
    assert a.on == b.on == dt.date(2025, 1, 1)


# --- unknowns, derivation ---------------------------------------------------------------


def test_population_rule_without_population_names_the_arguments() -> None:
    with pytest.raises(fs.MissingInputError) as info:
        fs.size(jurisdiction="余姚市", households=1000, area_type="new_build", on="2025-01-01")
    message = str(info.value)
    assert "population" in message and "persons_per_household" in message
    assert "余政办发〔2020〕70号 三(一)3" in message
    assert isinstance(info.value, ValueError)


def test_household_rule_without_households_names_the_arguments() -> None:
    with pytest.raises(fs.MissingInputError, match="households"):
        fs.size(jurisdiction="西湖区", population=3000, area_type="new_build", on="2025-01-01")


def test_households_derived_from_population() -> None:
    # 2,700 people at 2.7 per household = 1,000 households exactly -> Keqiao 250 m²
    req = fs.size(
        jurisdiction="柯桥区", population=2700, persons_per_household=2.7, area_type="new_build", on="2025-01-01"
    )
    assert req.households == 1000.0 and req.households_derived and not req.population_derived
    assert req.floor_area_m2 == 250.0
    assert req.assumptions["persons_per_household"] == 2.7


def test_derived_households_round_up_to_whole_households() -> None:
    # 1,000 people / 3 per household = 333.33… -> 334 households × 25/100 = 83.5 m² (绍柯政办发〔2024〕13号 二(一)2)
    req = fs.size(
        jurisdiction="柯桥区", population=1000, persons_per_household=3, area_type="new_build", on="2025-01-01"
    )
    assert req.households == 334 and req.floor_area_m2 == 83.5


def test_derived_values_respect_the_bounds() -> None:
    with pytest.raises(fs.InputError, match="derived households"):
        fs.size(jurisdiction="柯桥区", population=1e8, persons_per_household=1, area_type="new_build", on="2025-01-01")
    with pytest.raises(fs.InputError, match="derived population"):
        fs.size(
            jurisdiction="柯桥区",
            households=10_000_000,
            persons_per_household=20,
            area_type="new_build",
            on="2025-01-01",
        )


def test_persons_per_household_below_one_is_refused() -> None:
    # 0.27 typed for 2.7 would size Keqiao's slots (二(一)2: 每千人不少于10个) for a tenth of the people
    with pytest.raises(fs.InputError, match="must be at least 1") as info:
        fs.size(
            jurisdiction="柯桥区", households=1000, persons_per_household=0.27, area_type="new_build", on="2025-01-01"
        )
    assert info.value.field == "persons_per_household"
    out = fs.size_frame(pd.DataFrame({"households": [1000, 1000]}), jurisdiction="柯桥区", area_type="新建",
                        persons_per_household=pd.Series([0.27, 2.7]), on="2025-01-01")  # fmt: skip
    assert out.loc[0, "error"].startswith("[input]") and out.loc[1, "slots"] == 27


def test_population_beyond_six_decimals_rounds_up_and_pph_is_refused() -> None:
    req = fs.size(
        jurisdiction="柯桥区", households=1000, population=3000.0000004, area_type="new_build", on="2025-01-01"
    )
    assert req.slots == 31  # 3,000.000001 × 10/1,000 = 30.00000001 -> 31: never understated
    with pytest.raises(fs.InputError, match="6 decimal places"):
        fs.size(
            jurisdiction="柯桥区",
            households=1000,
            persons_per_household=3.0000004,
            area_type="new_build",
            on="2025-01-01",
        )


def test_given_inputs_win_over_derivation_when_the_caller_trusts_both() -> None:
    req = fs.size(
        jurisdiction="柯桥区",
        households=1000,
        population=2000,
        persons_per_household=3.5,
        area_type="new_build",
        on="2025-01-01",
        trust="both",
    )
    assert req.population == 2000.0 and not req.population_derived and req.slots == 20
    assert req.assumptions["trust"] == "both"


def test_population_float_noise_is_not_a_slot() -> None:
    # 3000 * 2.7 computed in floating point by a caller is 8100.000000000001
    req = fs.size(jurisdiction="柯桥区", households=3000, population=3000 * 2.7, area_type="new_build", on="2025-01-01")
    assert req.slots == 81


def test_unknown_is_never_zero_in_results() -> None:
    req = fs.size(jurisdiction="余姚市", population=5000, area_type="new_build", on="2025-01-01")
    d = req.to_dict()
    assert d["floor_area_m2"] is None and d["outdoor_area_m2"] is None and d["max_floor"] is None
    kinds = {r["quantity"]: r["kind"] for r in d["rules"] if r["quantity"] != "obligation"}
    assert kinds == {
        "floor_area": "no_figure",
        "outdoor_area": "no_figure",
        "slots": "figure",
        "max_floor": "no_figure",
    }


# --- inheritance, rules_in_force ----------------------------------------------------------


def test_suzhou_district_inherits_and_says_so() -> None:
    req = fs.size(jurisdiction="昆山市", area_type="new_build", on="2025-01-01")
    assert req.jurisdiction.name == "昆山市"
    assert all(u.inherited and u.source == "苏州市" for u in req.obligations)


def test_rules_in_force_lists_own_and_inherited() -> None:
    table = fs.rules_in_force("吴江区", on="2025-01-01")
    assert set(table.area_type) == {"new_build", "existing"}
    assert table.loc[table.kind == "obligation", "inherited"].all()
    assert (table.loc[table.kind == "obligation", "source"] == "苏州市").all()
    assert (table.loc[table.kind == "no_figure", "quantity"].value_counts() == 2).all()


def test_rules_in_force_xihu() -> None:
    table = fs.rules_in_force("西湖区", on="2025-01-01")
    figures = table[table.kind == "figure"]
    got = sorted(zip(figures.area_type, figures.quantity, figures.basis, figures.value, strict=True))
    assert got == sorted(
        [
            ("new_build", "floor_area", "per_100_households", "15"),
            ("new_build", "floor_area", "minimum", "200"),
            ("new_build", "outdoor_area", "minimum", "40"),
            ("new_build", "max_floor", "limit", "2"),
            ("existing", "floor_area", "per_100_households", "10"),
            ("existing", "floor_area", "minimum", "150"),
            ("existing", "outdoor_area", "minimum", "30"),
            # 「婴幼儿照护服务设施一般不得安排在3楼及以上」 closes the 新建居住区 sentence: new-build only
        ]
    )
    assert (figures.document == "西政办函〔2021〕15号").all()


def test_rules_in_force_refuses_the_wrong_date() -> None:
    with pytest.raises(fs.NotInForceError, match="2021-09-20"):
        fs.rules_in_force("西湖区", on="2021-01-01")
    with pytest.raises(fs.DraftOnlyError):
        fs.rules_in_force("滨江区", on="2025-01-01")
    assert len(fs.rules_in_force("滨江区", on="2025-01-01", include_drafts=True)) > 0


def test_division_without_rules_is_an_error_not_an_empty_answer() -> None:
    with pytest.raises(fs.NotInForceError, match=r"fs\.load_rules"):
        fs.size(jurisdiction="江苏省", households=1000, area_type="new_build", on="2025-01-01")
    # a city whose only document is known by report says so, and how to opt in (SOURCES.md)
    with pytest.raises(fs.ReportedOnlyError, match="include_reported=True"):
        fs.size(jurisdiction="杭州市", households=1000, area_type="new_build", on="2025-01-01")


def test_jurisdictions_table() -> None:
    table = fs.jurisdictions()
    official = {"330106", "330281", "330108", "320500", "330603"}  # the five source documents
    reported = {"330100", "330000", "350200", "340000", "430000", "140800", "440100"}  # SOURCES.md, grade reported
    assert set(table.loc[table.has_rules, "code"]) == official | reported


@pytest.mark.parametrize(("name", "code"), [("苏州工业园区", "320571"), ("苏州高新区", "320505"), ("SIP", "320571")])
def test_suzhou_zones_addressed_by_the_document_resolve(name: str, code: str) -> None:
    # 苏府办〔2020〕233号 is addressed to 苏州工业园区、苏州高新区管委会 too
    req = fs.size(jurisdiction=name, area_type="new_build", on="2025-01-01")
    assert req.jurisdiction.code == code
    assert req.floor_area_m2 is None and all(u.source == "苏州市" for u in req.obligations)


def test_binjiang_draft_is_cited_without_an_invented_number() -> None:
    req = fs.size(jurisdiction="滨江区", population=1000, area_type="new_build", on="2025-01-01", include_drafts=True)
    [slots] = req.binding("slots")
    assert slots.rule is not None
    assert slots.rule.document.number is None
    assert slots.rule.citation() == "滨江实施意见（征求意见稿，无文号） 二(二)1"
    assert any("正式文件" in w and "final version" in w for w in req.warnings)


def test_conditional_obligations_show_their_condition() -> None:
    req = fs.size(jurisdiction="西湖区", households=1200, area_type="new_build", on="2025-01-01")
    [future] = [u for u in req.obligations if u.rule and u.rule.topic == "future_community"]
    assert future.rule is not None and future.rule.strength == "target"
    assert "未来社区项目" in str(req)


def test_xihu_floor_limit_is_the_new_build_sentences_own() -> None:
    # 西政办函〔2021〕15号 二(三)1: 「新建居住区应……进行相对集中配建，婴幼儿照护服务设施一般不得安排在3楼及以上。」
    # The limit is within the new-build sentence; the existing-area sentence that follows sets none.
    new = fs.size(jurisdiction="西湖区", households=1200, area_type="new_build", on="2025-01-01")
    [use] = [u for u in new.rules if u.quantity == "max_floor"]
    assert new.max_floor == 2 and use.rule is not None and use.rule.strength == "generally"
    for area in ("existing", "rural"):
        req = fs.size(jurisdiction="西湖区", households=1200, area_type=area, on="2025-01-01")
        assert req.max_floor is None and "3层" not in req.clause()


def test_keqiao_results_carry_the_floor_area_reading() -> None:
    req = fs.size(jurisdiction="柯桥区", households=1000, population=2800, area_type="new_build", on="2025-01-01")
    assert "托育服务设施面积" in str(req) and "Interpretation" in str(req)


def test_rules_in_force_for_a_division_without_rules_is_an_error() -> None:
    with pytest.raises(fs.NotInForceError):
        fs.rules_in_force("江苏省", on="2025-01-01")
    with pytest.raises(fs.ReportedOnlyError):
        fs.rules_in_force("杭州市", on="2025-01-01")
    assert set(fs.rules_in_force("杭州市", on="2025-01-01", include_reported=True)["grade"].dropna()) == {"reported"}
    with pytest.raises(fs.InputError, match="include_drafts"):
        fs.rules_in_force("滨江区", on="2025-01-01", include_drafts="no")  # type: ignore[arg-type]


def test_jupyter_table_shows_figures_reasons_clauses_and_warnings() -> None:
    page = fs.size(jurisdiction="西湖区", households=1200, area_type="new_build", on="2025-01-01")._repr_html_()
    assert "<table>" in page and "200 m²" in page and "raised to the minimum" in page
    assert "西政办函〔2021〕15号 二(三)1" in page and "一般" in page and "households 1,200" in page
    draft = fs.size(jurisdiction="滨江区", population=100, area_type="new_build", on="2025-01-01", include_drafts=True)
    assert "⚠" in draft._repr_html_() and "草案 draft" in draft._repr_html_()


def test_to_dict_gives_a_fresh_dict_each_time() -> None:
    """Rule and document dicts are built once per object and copied out: editing one answer's dict
    (a service adding a field, say) never changes the next answer."""
    req = fs.size(jurisdiction="西湖区", households=1200, area_type="new_build", on="2025-01-01")
    first = req.to_dict()
    rule = first["rules"][0]["rule"]
    rule["params"]["band_low"] = 1
    rule["area_types"].append("rural")
    rule["clause"] = "edited"
    first["documents"][0]["id"] = "edited"
    again = req.to_dict()
    assert again["rules"][0]["rule"]["params"] == {}
    assert again["rules"][0]["rule"]["area_types"] == ["new_build"]
    assert again["rules"][0]["rule"]["clause"] != "edited"
    assert again["documents"][0]["id"] == "xihu-2021-15"
