"""size_frame on coded columns (categorical, Arrow dictionary) and with ``output="categorical"``:
the answers of the plain text columns, row for row (issue 26, item 3)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import facility_sizing as fs
from facility_sizing.engine.inputs import factorize

ON = "2025-01-01"
PLACES = ["西湖区", "余姚市", "滨江区", "柯桥区", "苏州市", "昆山市", "xihu", "nowhere", None]
KINDS = ["new_build", "existing", "新建", "已建成", "老城区", "bogus", None]
DICTIONARY = pd.ArrowDtype(pa.dictionary(pa.int8(), pa.string()))

row = st.fixed_dictionaries(
    {
        "jurisdiction": st.sampled_from(PLACES),
        "area_type": st.sampled_from(KINDS),
        "households": st.one_of(st.integers(0, 20_000), st.just(np.nan)),
        "population": st.one_of(st.just(np.nan), st.integers(0, 60_000)),
        "include_drafts": st.booleans(),
    }
)


def _sized(df: pd.DataFrame, **kwargs: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fs.StaleRuleWarning)
        return fs.size_frame(df, persons_per_household=2.8, on=ON, **kwargs)  # type: ignore[arg-type]


def _results(out: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """The result columns, a categorical's as its values (the order of its categories follows the input's coding)."""
    out = out[[c for c in out.columns if c not in df.columns]].copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out


def _plain_error(out: pd.DataFrame) -> pd.DataFrame:
    """A categorical result's error column as the default gives it: text, None where no error."""
    out = out.copy()
    out["error"] = out["error"].astype(object).where(out["error"].notna(), None)
    return out


# more than 16 rows: a shorter column is coded in Python, not by its codes
@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(rows=st.lists(row, min_size=17, max_size=50))
def test_coded_columns_and_categorical_output_give_the_answers_of_text(rows: list[dict[str, object]]) -> None:
    df = pd.DataFrame(rows)
    df = df.astype({"jurisdiction": object, "area_type": object})
    plain = _results(_sized(df), df)
    for dtype in ("category", DICTIONARY):
        coded = df.astype({"jurisdiction": dtype, "area_type": dtype})
        pd.testing.assert_frame_equal(plain, _results(_sized(coded), df), check_exact=True)
        out = _sized(coded, output="categorical")
        assert isinstance(out["error"].dtype, pd.CategoricalDtype)
        pd.testing.assert_frame_equal(plain, _results(out, df), check_exact=True)


def test_categorical_output_holds_each_error_text_once() -> None:
    df = pd.DataFrame({"jurisdiction": ["西湖区", "nowhere", "nowhere", "余姚市", None] * 5, "households": 1200})
    out = _sized(df, area_type="new_build", output="categorical")
    errors = out["error"]
    assert errors.cat.categories.tolist() == [
        "[unknown_jurisdiction] 未知的行政区 'nowhere'；可用名称见：fs.jurisdictions() — "
        "unknown jurisdiction 'nowhere'; see fs.jurisdictions() for the known names",
        "[unknown_jurisdiction] 未知的行政区 None；可用名称见：fs.jurisdictions() — "
        "unknown jurisdiction None; see fs.jurisdictions() for the known names",
    ]
    assert errors.cat.codes.tolist()[:5] == [-1, 0, 0, -1, 1]
    assert set(out.attrs["errors"]) == set(errors.cat.categories)  # each text's error, as by default
    # no row in error: a categorical of no categories, every row NaN
    clean = _sized(df.iloc[[0, 3] * 10], area_type="new_build", output="categorical")["error"]
    assert clean.cat.categories.tolist() == [] and clean.isna().all()


def test_categorical_output_with_residential_areas() -> None:
    df = pd.DataFrame({"jurisdiction": ["西湖区", "nowhere"], "households": [1200, 5], "area": ["A", "B"]})
    out = _sized(df, area_type="new_build", area="area", output="categorical")
    default = _sized(df, area_type="new_build", area="area")
    assert out["error"].dtype == "category"
    pd.testing.assert_frame_equal(_plain_error(out), default)


@pytest.mark.parametrize("output", ["arrow", "Categorical", None, 1])
def test_an_unknown_output_is_an_input_error_naming_it(output: object) -> None:
    df = pd.DataFrame({"jurisdiction": ["西湖区"], "households": [1200]})
    with pytest.raises(fs.InputError) as caught:
        _sized(df, area_type="new_build", output=output)
    assert caught.value.field == "output" and caught.value.value == output
    said = str(caught.value)
    assert "'default'、'categorical'" in said and "must be one of 'default', 'categorical'" in said


def test_an_arrow_dictionary_column_is_read_by_its_indices() -> None:
    # two chunks with dictionaries of their own, a null index and a null in a dictionary
    first = pa.DictionaryArray.from_arrays(
        pa.array([0, 1, None, 2] * 5, pa.int8()), pa.array(["西湖区", None, "余姚市"])
    )
    second = pa.DictionaryArray.from_arrays(
        pa.array([0, 1, 2] * 5, pa.int8()), pa.array(["余姚市", "nowhere", "西湖区"])
    )
    column = pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array([first, second])))
    codes, uniques = factorize(column)
    assert [None if c < 0 else uniques[c] for c in codes] == [None if v is pd.NA else v for v in column.tolist()]
    df = pd.DataFrame({"jurisdiction": column, "households": 1200})
    text = df.assign(jurisdiction=[None if v is pd.NA else v for v in column.tolist()]).astype({"jurisdiction": object})
    pd.testing.assert_frame_equal(
        _results(_sized(df, area_type="new_build"), df), _results(_sized(text, area_type="new_build"), df)
    )
