"""The fast paths give the answers of the general ones: one project (run_one) and coded columns."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import facility_sizing as fs
from facility_sizing.engine.inputs import factorize


def _frame(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    places = np.array(["西湖区", "柯桥区", "余姚市", "苏州市", "nowhere", None], dtype=object)
    return pd.DataFrame(
        {
            "jurisdiction": places[rng.integers(0, len(places), n)],
            "households": rng.integers(0, 6000, n),
            "area_type": np.array(["new_build", "existing", "新建", "bogus"], dtype=object)[rng.integers(0, 4, n)],
        }
    )


def test_a_categorical_column_is_read_by_its_codes_with_the_answers_of_its_strings() -> None:
    df = _frame(2_000)
    coded = df.astype({"jurisdiction": "category", "area_type": "category"})
    coded["jurisdiction"] = coded["jurisdiction"].cat.add_categories(["unused-bad-name"])  # never in a row
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fs.StaleRuleWarning)
        plain = fs.size_frame(df, persons_per_household=2.8, on="2025-01-01")
        fast = fs.size_frame(coded, persons_per_household=2.8, on="2025-01-01")
    result = [c for c in plain.columns if c not in df.columns]
    pd.testing.assert_frame_equal(plain[result], fast[result])
    assert plain["error"].notna().any() and plain["error"].isna().any()  # both kinds of row were tried


def test_factorize_takes_a_categorical_columns_codes_as_they_are() -> None:
    values = pd.Series(["b", None, "a", "b"] * 10, dtype="category")  # longer than the short path's 16
    codes, uniques = factorize(values)
    assert codes is not values.cat.codes and codes.tolist() == values.cat.codes.tolist()
    assert uniques == ["a", "b"] and codes.tolist()[:4] == [1, -1, 0, 1]


@pytest.mark.parametrize(
    "project",
    [
        {"jurisdiction": "西湖区", "households": 1334, "area_type": "new_build", "on": "2025-01-01"},
        {
            "jurisdiction": "柯桥区",
            "households": 0,
            "persons_per_household": 2.7,
            "area_type": "新建",
            "on": "2025-01-01",
        },
        {"jurisdiction": "余姚市", "population": "8,000人", "area_type": "new_build", "on": "2025/6/1"},
        {
            "jurisdiction": "滨江区",
            "households": 589,
            "persons_per_household": 2.8,
            "area_type": "new_build",
            "on": "2025-01-01",
            "include_drafts": True,
        },
    ],
)
def test_one_project_gives_the_row_of_a_batch(project: dict[str, object]) -> None:
    """fs.size (run_one) and fs.size_frame (run) agree on every figure and input used."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fs.StaleRuleWarning)
        req = fs.size(**project)  # type: ignore[arg-type]
        row = fs.size_frame(pd.DataFrame([project])).iloc[0]
    assert row["error"] is None
    for column in ("floor_area_m2", "outdoor_area_m2", "slots", "max_floor", "households", "population"):
        value = getattr(req, column)
        assert (pd.isna(row[column]) and value is None) or row[column] == value, column
    assert row["rule_set"] == req.rule_set and row["draft"] == req.draft
