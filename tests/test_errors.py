"""Bad input gets a typed error naming the argument, the value and the fix."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import facility_sizing as fs

BASE = {"jurisdiction": "西湖区", "area_type": "new_build", "on": "2025-01-01"}


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (-1, "must not be negative"),
        (math.nan, "must not be NaN"),
        (math.inf, "must be finite"),
        (-math.inf, "must be finite"),
        ("1_200", "underscore"),  # ambiguous: refused, not read as 1200
        ("1.200", "ambiguous"),  # 1.2 or 1,200?
        ("5000人", "the unit '人'"),  # people, in the households field
        ("abc", "must be a number"),
        (True, "must be a number"),
        (1200.5, "whole number"),
        (10**12, "supported range"),
        ([1, 2], "single value"),
    ],
)
def test_bad_households(value: object, fragment: str) -> None:
    with pytest.raises(fs.InputError) as info:
        fs.size(households=value, **BASE)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError) and isinstance(info.value, fs.FacilitySizingError)
    assert info.value.field == "households"
    assert fragment in str(info.value)
    assert "households" in str(info.value) and "户数" in str(info.value)


@pytest.mark.parametrize("value", [1200, 1200.0, np.int64(1200), np.float32(1200), Decimal("1200")])
def test_numeric_households_of_any_type(value: object) -> None:
    assert fs.size(households=value, **BASE).floor_area_m2 == 200.0  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("population", -5, "must not be negative"),
        ("population", math.nan, "NaN"),
        ("persons_per_household", 0, "greater than 0"),
        ("persons_per_household", -2.7, "greater than 0"),
        ("persons_per_household", 50, "supported range"),
        ("persons_per_household", 1e-9, "too small"),
    ],
)
def test_bad_population_inputs(field: str, value: object, fragment: str) -> None:
    with pytest.raises(fs.InputError) as info:
        fs.size(jurisdiction="余姚市", area_type="new_build", on="2025-01-01", households=100, **{field: value})  # type: ignore[arg-type]
    assert info.value.field == field
    assert fragment in str(info.value)


@pytest.mark.parametrize("value", ["2025-13-01", "tomorrow", "2025/01/01x", "6/1/2025", 45809, None.__class__])
def test_malformed_date(value: object) -> None:
    with pytest.raises(fs.InputError) as info:
        fs.size(jurisdiction="西湖区", area_type="new_build", households=1, on=value)  # type: ignore[arg-type]
    assert info.value.field == "on"
    assert repr(value) in str(info.value)


@pytest.mark.parametrize("value", ["commercial", "", "新", 3])
def test_unknown_area_type(value: object) -> None:
    with pytest.raises(fs.AreaTypeError) as info:
        fs.size(jurisdiction="西湖区", households=1, area_type=value, on="2025-01-01")  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)
    assert "new_build" in str(info.value) and "新建" in str(info.value)


def test_area_type_the_jurisdiction_does_not_distinguish() -> None:
    with pytest.raises(fs.AreaTypeError) as info:
        fs.size(jurisdiction="余姚市", population=100, area_type="rural", on="2025-01-01")
    assert "new_build" in str(info.value) and "existing" in str(info.value)
    assert "余姚" in str(info.value)


@pytest.mark.parametrize(
    ("name", "closest"), [("西湖去", "西湖区"), ("keqio", "柯桥区"), ("yuyo", "余姚市"), ("Suzhou City", "苏州市")]
)
def test_unknown_jurisdiction_suggests(name: str, closest: str) -> None:
    with pytest.raises(fs.UnknownJurisdictionError) as info:
        fs.size(jurisdiction=name, households=1, area_type="new_build", on="2025-01-01")
    assert isinstance(info.value, LookupError)
    # suggestions come from the national registry, each with its parents and code
    assert info.value.suggestions[0].startswith(closest + "（"), info.value.suggestions
    assert closest in str(info.value)


@pytest.mark.parametrize("value", [None, 3.5, ["西湖区"]])
def test_jurisdiction_of_the_wrong_type(value: object) -> None:
    with pytest.raises(fs.UnknownJurisdictionError):
        fs.size(jurisdiction=value, households=1, area_type="new_build", on="2025-01-01")  # type: ignore[arg-type]


def test_include_drafts_must_be_bool() -> None:
    with pytest.raises(fs.InputError, match="include_drafts"):
        fs.size(jurisdiction="滨江区", population=1, area_type="new_build", on="2025-01-01", include_drafts="yes")  # type: ignore[arg-type]


def test_future_date_is_fine() -> None:
    assert fs.size(households=1, **{**BASE, "on": dt.date(2026, 1, 1)}).floor_area_m2 == 200.0


def test_a_missing_date_is_one_typed_error_everywhere() -> None:
    """pd.NaT is a datetime by type but no day: every function that takes a date refuses it by name."""
    import pandas as pd

    calls = [
        lambda: fs.size(jurisdiction="西湖区", area_type="new_build", households=1, on=pd.NaT),
        lambda: fs.rules_in_force("西湖区", on=pd.NaT),
        lambda: fs.duties("苏州市", "employer", on=pd.NaT, eligible_children=20),
    ]
    for call in calls:
        with pytest.raises(fs.InputError) as info:
            call()
        assert info.value.field == "on" and "须为日期" in str(info.value)


def test_an_error_raised_from_a_batch_keeps_nothing_alive() -> None:
    """A row error raised to the caller held its traceback's frames, and through them the batch; the
    batch held the error in a numpy object array the collector cannot see into, so nothing was ever
    freed (a service's memory grew 68 MB per 5,000 failing requests). Now nothing outlives the call."""
    import gc

    from facility_sizing.engine.batch import Batch

    gc.collect()
    before = sum(isinstance(o, Batch) for o in gc.get_objects())
    for i in range(20):
        with pytest.raises(fs.DraftOnlyError):
            fs.size(jurisdiction="滨江区", households=1000 + i, area_type="new_build", on="2025-01-01")
        with pytest.raises(fs.InputError):
            fs.size_frame(pd.DataFrame({"households": [1]}), jurisdiction="西湖区", area_type="villa")
    gc.collect()
    assert sum(isinstance(o, Batch) for o in gc.get_objects()) == before
