"""size_frame: one row out per row in, same index and order; a bad row gets its own error."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest

import facility_sizing as fs


def mixed_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "jurisdiction": ["西湖区", "余姚市", "nowhere", "柯桥区", "西湖区", "苏州市", "滨江区", "西湖区", None],
            "households": [1200, np.nan, 100, 3000, -5, 100, np.nan, 1334, 10],
            "population": [np.nan, 5001, 100, np.nan, np.nan, np.nan, 5000, np.nan, np.nan],
            "area_type": [
                "new_build",
                "existing",
                "new_build",
                "新建",
                "new_build",
                "existing",
                "new_build",
                "bogus",
                "new_build",
            ],
        },
        index=[90, 80, 70, 60, 50, 40, 30, 20, 10],
    )


def test_rows_kept_in_order_with_errors_in_place() -> None:
    df = mixed_frame()
    out = fs.size_frame(df, persons_per_household=2.7, on="2025-01-01")
    assert list(out.index) == list(df.index)
    assert list(out.columns[: len(df.columns)]) == list(df.columns)
    errors = out["error"]
    assert errors.loc[90] is None and errors.loc[80] is None and errors.loc[60] is None and errors.loc[40] is None
    assert errors.loc[70].startswith("[unknown_jurisdiction]")
    assert errors.loc[50].startswith("[input]") and "households" in errors.loc[50]
    assert errors.loc[30].startswith("[draft_only]")
    assert errors.loc[20].startswith("[area_type]")
    assert errors.loc[10].startswith("[unknown_jurisdiction]")
    assert out.loc[90, "floor_area_m2"] == 200.0
    assert out.loc[80, "slots"] == 31  # 余姚 existing: 5,001 × 6/1,000 = 30.006 -> 31
    assert out.loc[60, "floor_area_m2"] == 750.0 and out.loc[60, "slots"] == 81
    assert np.isnan(out.loc[40, "floor_area_m2"]) and pd.isna(out.loc[40, "slots"])
    assert out.loc[40, "floor_area_basis"] == "无指标 no figure"
    for i in (70, 50, 30, 20, 10):
        assert np.isnan(out.loc[i, "floor_area_m2"]) and pd.isna(out.loc[i, "slots"])
        assert pd.isna(out.loc[i, "rule_set"])


def test_derived_columns_are_flagged() -> None:
    out = fs.size_frame(mixed_frame(), persons_per_household=2.7, on="2025-01-01")
    assert out.loc[60, "population"] == 8100.0 and out.loc[60, "population_derived"]
    # 5,001 / 2.7 = 1,852.2… households, rounded up to a whole household
    assert out.loc[80, "households"] == 1853 and out.loc[80, "households_derived"]


def test_arguments_as_columns_series_or_scalars() -> None:
    df = pd.DataFrame({"j": ["西湖区", "柯桥区"], "hh": [1200, 1000], "pop": [3000, 2800], "kind": ["新建", "已建成"]})
    a = fs.size_frame(df, jurisdiction="j", households="hh", population="pop", area_type="kind", on="2025-01-01")
    b = fs.size_frame(
        df,
        jurisdiction=df["j"],
        households=df["hh"],
        population=df["pop"],
        area_type=df["kind"],
        on=dt.date(2025, 1, 1),
    )
    pd.testing.assert_frame_equal(a, b)
    assert a["floor_area_m2"].tolist() == [200.0, 150.0]
    c = fs.size_frame(
        df, jurisdiction="柯桥区", households=1000, population="pop", area_type="existing", on="2025-01-01"
    )
    assert c["slots"].tolist() == [24, 23]  # 3,000 × 8/1,000 = 24; 2,800 × 8/1,000 = 22.4 -> 23


def test_on_column_of_dates() -> None:
    df = pd.DataFrame(
        {
            "jurisdiction": ["西湖区"] * 3,
            "households": [1200] * 3,
            "area_type": ["new_build"] * 3,
            "on": pd.to_datetime(["2021-09-19", "2021-09-20", None]),
        }
    )
    out = fs.size_frame(df)
    assert out["error"].iloc[0].startswith("[not_in_force]") and "2021-09-20" in out["error"].iloc[0]
    assert out["floor_area_m2"].iloc[1] == 200.0
    assert out["error"].iloc[2].startswith("[input]")


def test_string_dates_and_bad_dates_per_row() -> None:
    df = pd.DataFrame(
        {"jurisdiction": "西湖区", "households": 10, "area_type": "new_build", "on": ["2025-01-01", "not a date"]}
    )
    out = fs.size_frame(df)
    assert out["error"].iloc[0] is None and "not a date" in out["error"].iloc[1]


def test_missing_population_is_a_row_error() -> None:
    df = pd.DataFrame({"jurisdiction": ["余姚市", "余姚市"], "households": [1000, 1000], "population": [np.nan, 2500]})
    out = fs.size_frame(df, area_type="new_build", on="2025-01-01")
    assert out["error"].iloc[0].startswith("[missing_input]")
    assert out["slots"].iloc[1] == 23  # 2,500 × 9/1,000 = 22.5 -> 23


def test_bad_scalar_argument_raises_before_any_work() -> None:
    df = pd.DataFrame({"jurisdiction": ["西湖区"], "households": [10]})
    with pytest.raises(fs.AreaTypeError):
        fs.size_frame(df, area_type="bogus")
    with pytest.raises(fs.InputError, match="neither a column"):
        fs.size_frame(df, area_type="new_build", population="pop")
    with pytest.raises(fs.InputError, match="'area_type'"):
        fs.size_frame(df)  # no area_type column and no argument
    with pytest.raises(fs.InputError, match="on"):
        fs.size_frame(df, area_type="new_build", on="someday")


def test_nonnumeric_cells_are_row_errors() -> None:
    df = pd.DataFrame({"jurisdiction": ["西湖区"] * 4, "households": [1200, "1.200", True, 12.5]})
    out = fs.size_frame(df, area_type="new_build", on="2025-01-01")
    assert out["error"].iloc[0] is None
    assert "'1.200'" in out["error"].iloc[1] and "ambiguous" in out["error"].iloc[1]
    assert "must be a number" in out["error"].iloc[2]
    assert "whole number" in out["error"].iloc[3]


def test_empty_frame() -> None:
    df = pd.DataFrame({"jurisdiction": pd.Series([], dtype=object), "households": pd.Series([], dtype=float)})
    out = fs.size_frame(df, area_type="new_build", on="2025-01-01")
    assert len(out) == 0 and "floor_area_m2" in out.columns


def test_drafts_column_and_flag() -> None:
    df = pd.DataFrame(
        {"jurisdiction": ["滨江区", "滨江区"], "population": [5000, 5000], "include_drafts": [True, False]}
    )
    out = fs.size_frame(df, area_type="new_build", on="2025-01-01")
    assert out["slots"].iloc[0] == 45 and out["draft"].iloc[0]
    assert out["error"].iloc[1].startswith("[draft_only]") and not out["draft"].iloc[1]


def test_stale_rows_warn_once() -> None:
    df = pd.DataFrame(
        {
            "jurisdiction": ["柯桥区"] * 2,
            "households": [1000] * 2,
            "population": [2800] * 2,
            "on": ["2027-12-31", "2028-01-01"],
        }
    )
    with pytest.warns(fs.StaleRuleWarning, match="1 rows"):
        out = fs.size_frame(df, area_type="new_build")
    assert out["stale"].tolist() == [False, True]


def test_basis_columns_name_the_binding_rule() -> None:
    df = pd.DataFrame({"jurisdiction": ["西湖区"] * 3, "households": [1200, 1334, 0]})
    out = fs.size_frame(df, area_type="new_build", on="2025-01-01")
    assert out["floor_area_basis"].tolist()[0].startswith("最小200m²")
    assert out["floor_area_basis"].tolist()[1].startswith("每百户15m²")
    assert "西政办函〔2021〕15号 二(三)1" in out["floor_area_basis"].iloc[0]
    assert out["slots_basis"].iloc[0] == "无指标 no figure"
    assert out["rule_set"].iloc[0] == "330106/new_build/2021-09-20"


# --- regressions from review ------------------------------------------------------------


def test_series_arguments_align_by_label_not_position() -> None:
    df = pd.DataFrame({"jurisdiction": ["西湖区"] * 3}, index=[10, 20, 30])
    hh = pd.Series({30: 3000, 10: 100, 20: 2000})
    out = fs.size_frame(df, households=hh, area_type="new_build", on="2025-01-01")
    assert out.floor_area_m2.tolist() == [200.0, 300.0, 450.0]  # 二(三)1: 2,000 and 3,000 × 15/100
    with pytest.raises(fs.InputError, match="index labels"):
        fs.size_frame(
            df, households=pd.Series([1, 2, 3], index=["a", "b", "c"]), area_type="new_build", on="2025-01-01"
        )


def test_timezone_aware_dates_keep_their_calendar_day() -> None:
    on = pd.Series(pd.to_datetime(["2024-09-14 00:30"]).tz_localize("Asia/Shanghai"))
    df = pd.DataFrame({"jurisdiction": ["柯桥区"], "households": [1000], "population": [2800], "on": on})
    out = fs.size_frame(df, area_type="new_build")
    assert out.error.iloc[0] is None and out.floor_area_m2.iloc[0] == 250.0  # in force from 2024-09-14


def test_dates_beyond_2262_are_not_wrapped() -> None:
    df = pd.DataFrame({"jurisdiction": ["柯桥区"], "households": [1000], "population": [2800]})
    df["on"] = np.array(["2610-06-01"], dtype="datetime64[s]")
    with pytest.warns(fs.StaleRuleWarning):
        out = fs.size_frame(df, area_type="new_build")
    assert out.stale.iloc[0]


@pytest.mark.parametrize(
    "codes", [pd.array([330106] * 20, dtype="Int64"), np.array([330106.0] * 20), np.array([330106] * 3)]
)
def test_numeric_jurisdiction_codes(codes: object) -> None:
    df = pd.DataFrame({"jurisdiction": codes, "households": 1200})
    out = fs.size_frame(df, area_type="new_build", on="2025-01-01")
    assert out.error.isna().all() and (out.floor_area_m2 == 200.0).all()
    assert (
        fs.size(jurisdiction=np.int64(330106), households=1, area_type="new_build", on="2025-01-01").floor_area_m2
        == 200.0
    )


def test_odd_inputs_give_typed_errors() -> None:
    df = pd.DataFrame({"jurisdiction": ["滨江区"] * 2, "population": [100, 100]})
    df["include_drafts"] = pd.array([True, None], dtype="boolean")
    out = fs.size_frame(df, area_type="new_build", on="2025-01-01")
    assert out.slots.iloc[0] == 1 and out.error.iloc[1].startswith("[input]")
    out = fs.size_frame(pd.DataFrame({"households": [1]}), jurisdiction=np.nan, area_type="new_build", on="2025-01-01")
    assert out.error.iloc[0].startswith("[unknown_jurisdiction]")
    twice = pd.DataFrame([["西湖区", 1, 2]], columns=["jurisdiction", "households", "households"])
    with pytest.raises(fs.InputError, match="2 columns named 'households'"):
        fs.size_frame(twice, area_type="new_build", on="2025-01-01")
    from decimal import Decimal

    for bad in (Decimal("sNaN"), 10**400):
        with pytest.raises(fs.InputError):
            fs.size(jurisdiction="西湖区", households=bad, area_type="new_build", on="2025-01-01")


def test_a_row_keeps_every_figure_it_can_compute() -> None:
    # issue 13: a Keqiao row without persons per household lost its 750 m² (绍柯政办发〔2024〕13号 二(一)2:
    # 3,000 households × 25 m²/100 = 750 m², which needs only households); its slots need population
    df = pd.DataFrame({"jurisdiction": ["柯桥区", "余姚市"], "households": [3000, 2000]})
    out = fs.size_frame(df, area_type="new_build", on="2025-01-01")
    assert out.loc[0, "floor_area_m2"] == 750.0 and out.loc[0, "slots"] is pd.NA
    assert out.loc[0, "slots_basis"] == "缺少输入 missing input"
    assert out.loc[0, "error"].startswith("[missing_input]") and "population" in out.loc[0, "error"]
    assert out.loc[0, "rule_set"] == "330603/new_build/2024-09-14"
    assert pd.isna(out.loc[1, "floor_area_m2"]) and out.loc[1, "error"].startswith("[missing_input]")
    with pytest.raises(fs.MissingInputError):  # one project: the missing input is still an error
        fs.size(jurisdiction="柯桥区", households=3000, area_type="new_build", on="2025-01-01")


@pytest.mark.parametrize("on", [pd.NaT, None])
def test_a_missing_date_is_an_error_in_each_row_not_a_crash(on: object) -> None:
    df = pd.DataFrame({"jurisdiction": ["西湖区", "柯桥区"], "households": [1200, 3000], "on": [on, on]})
    out = fs.size_frame(df, area_type="new_build")
    assert out["error"].str.startswith("[input] on").all()
    with pytest.raises(fs.InputError) as info:  # one value for every row: refused at once, as any bad scalar
        fs.size_frame(df.drop(columns="on"), area_type="new_build", on=pd.NaT)
    assert info.value.field == "on"


def test_basis_columns_keep_the_documents_softness() -> None:
    # 西政办函〔2021〕15号 二(三)1: 已建成居住区「原则上按照每百户不少于10平方米」; 「一般不得安排在3楼及以上」
    df = pd.DataFrame(
        {"jurisdiction": ["西湖区", "西湖区"], "households": [1334, 1600], "area_type": ["新建", "已建成"]}
    )
    out = fs.size_frame(df, on="2025-01-01")
    assert "原则上 in principle" not in out.loc[0, "floor_area_basis"]
    assert out.loc[1, "floor_area_basis"].endswith("（西政办函〔2021〕15号 二(三)1）（原则上 in principle）")
    assert out.loc[0, "max_floor_basis"].endswith("（一般 generally）")


def test_an_earlier_result_is_sized_again_its_columns_replaced_where_they_stand() -> None:
    """A frame the library sized before (it has rule_set and error) gets its result columns replaced in place, with a notice."""
    df = mixed_frame()
    expected = fs.size_frame(df, persons_per_household=2.7, on="2025-01-01")
    earlier = expected.assign(stale=True, floor_area_m2=-1.0, error="old")
    with pytest.warns(fs.ResultReplacedWarning, match="floor_area_m2"):
        out = fs.size_frame(earlier, persons_per_household=2.7, on="2025-01-01")
    assert list(out.columns) == list(earlier.columns)
    assert not (out["error"] == "old").any() and not (out["floor_area_m2"] == -1.0).any()
    # an earlier result holds the inputs as used (derived ones too): rows that gave households size alike
    given = df["households"].notna().to_numpy()
    assert out.loc[given, "floor_area_m2"].equals(expected.loc[given, "floor_area_m2"])
    with pytest.warns(fs.StaleRuleWarning, match="1 rows"):  # Keqiao after its plan period, counted once
        late = fs.size_frame(earlier.loc[[60]], persons_per_household=2.7, on="2028-01-01")
    assert late["stale"].tolist() == [True]


def test_a_callers_own_column_of_a_results_name_is_never_overwritten() -> None:
    """A frame with columns error, floor_area_m2, slots of its own came back with them replaced; now it is refused."""
    df = mixed_frame().assign(slots=7, error="my note")
    with pytest.raises(fs.InputError) as info:
        fs.size_frame(df, persons_per_household=2.7, on="2025-01-01")
    assert info.value.field == "slots" and "slots、error" in str(info.value)


def test_a_scalar_argument_and_the_same_value_in_a_column_agree() -> None:
    """A scalar is checked once and stands for every row: the table equals the one from a column of it."""
    df = mixed_frame()
    columns = df.assign(persons_per_household=2.7, on="2025-01-01", include_drafts=False, trust=None)
    scalar = fs.size_frame(df, persons_per_household=2.7, on="2025-01-01", include_drafts=False)
    column = fs.size_frame(columns).drop(columns=["on", "include_drafts", "trust"])
    pd.testing.assert_frame_equal(scalar, column[scalar.columns])


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", "string[python]", object])
def test_string_columns_of_every_storage_give_the_same_table(dtype: object) -> None:
    """Arrow-backed strings are coded by Arrow's dictionary encoding; every storage gives one answer."""
    df = mixed_frame()
    typed = df.astype({"jurisdiction": dtype, "area_type": dtype})
    expected = fs.size_frame(
        df.astype({"jurisdiction": object, "area_type": object}), persons_per_household=2.7, on="2025-01-01"
    )
    out = fs.size_frame(typed, persons_per_household=2.7, on="2025-01-01")
    pd.testing.assert_frame_equal(
        out.drop(columns=["jurisdiction", "area_type"]), expected.drop(columns=["jurisdiction", "area_type"])
    )


def test_writing_into_the_result_never_changes_the_input() -> None:
    """The result is a copy: its input columns may share memory until written (copy on write), never after."""
    df = mixed_frame()
    before = df.copy()
    out = fs.size_frame(df, persons_per_household=2.7, on="2025-01-01")
    out.loc[90, "jurisdiction"] = "余姚市"
    out.loc[:, "area_type"] = "existing"
    out.iloc[0, out.columns.get_loc("slots")] = 7
    pd.testing.assert_frame_equal(df, before)


def test_a_large_frame_equals_the_same_rows_sized_a_few_at_a_time() -> None:
    """Rows are grouped by plan, and figures the same in a whole group are kept once: whatever the
    grouping (2,000 rows at once, or seven at a time), every cell is the same."""
    rng = np.random.default_rng(11)
    n = 2_000
    df = pd.DataFrame(
        {
            "jurisdiction": rng.choice(["西湖区", "柯桥区", "余姚市", "苏州市", "昆山市", "滨江区", "nowhere"], n),
            "households": rng.integers(-2, 9_000, n).astype(float),
            "population": np.where(rng.random(n) < 0.3, rng.integers(0, 20_000, n), np.nan),
            "persons_per_household": np.where(rng.random(n) < 0.5, 2.8, np.nan),
            "area_type": rng.choice(["new_build", "existing", "rural", "老城区"], n),
            "on": rng.choice(["2021-09-20", "2025-01-01", "2028-06-01"], n),
        }
    )
    df.loc[rng.random(n) < 0.1, "households"] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fs.StaleRuleWarning)
        whole = fs.size_frame(df, trust="both")
        pieces = pd.concat([fs.size_frame(df.iloc[i : i + 7], trust="both") for i in range(0, n, 7)])
    assert whole["error"].notna().any() and whole["floor_area_m2"].notna().any()
    assert (whole["error"].notna() & whole["floor_area_m2"].notna()).any()  # a row keeps the figures it can compute
    categorical = [c for c in whole.columns if isinstance(whole[c].dtype, pd.CategoricalDtype)]
    pd.testing.assert_frame_equal(
        whole.astype({c: object for c in categorical}), pieces.astype({c: object for c in categorical})
    )


def test_arrow_dates_with_a_missing_one_give_that_row_an_error() -> None:
    """A date column held by Arrow (read from Parquet, say) with a null: that row's error, the others sized."""
    pa = pytest.importorskip("pyarrow")
    df = pd.DataFrame({"jurisdiction": ["西湖区", "西湖区"], "households": [1200, 1334]})
    df["on"] = pd.Series([dt.date(2025, 1, 1), None], dtype=pd.ArrowDtype(pa.date32()))
    out = fs.size_frame(df, area_type="new_build")
    assert out["floor_area_m2"].tolist()[0] == 200.0
    assert out["error"].iloc[0] is None and out["error"].iloc[1].startswith("[input]")


def test_the_name_of_the_columns_axis_is_kept() -> None:
    df = pd.DataFrame({"jurisdiction": ["西湖区"], "households": [1200]})
    df.columns.name = "field"
    assert fs.size_frame(df, area_type="new_build", on="2025-01-01").columns.name == "field"
