"""Every public function that takes a date treats ``on`` alike: NaT, blank, a bad string or no day of the calendar is
one typed error naming ``on``, as :func:`facility_sizing.size` gives (issue 25).

``None`` is today where ``on`` may be left out (``size``, ``rules_in_force``, ``duties``, ``site``),
and a typed error where it is required (``gap_analysis``: its deadlines are by the date). Neither
``coverage`` nor ``scorecard`` takes a date (coverage's circles are national figures, a
scorecard's date is its ``year``): ``year`` is held to the same rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

import facility_sizing as fs

BAD = [pd.NaT, "", "   ", "not a date", "2025-13-45", "6/1/2025", float("nan"), True]
HOMES = gpd.GeoDataFrame({"households": [100], "jurisdiction": ["西湖区"]}, geometry=[Point(120.13, 30.26)], crs=4326)
PLACES = gpd.GeoDataFrame({"slots": [10]}, geometry=[Point(120.131, 30.261)], crs=4326)

CALLS: dict[str, Callable[[Any], Any]] = {
    "size": lambda on: fs.size(jurisdiction="西湖区", households=1200, area_type="new_build", on=on),
    "rules_in_force": lambda on: fs.rules_in_force("西湖区", on=on),
    "duties": lambda on: fs.duties("苏州市", "employer", eligible_children=18, on=on),
    "gap_analysis": lambda on: fs.gap_analysis(HOMES, PLACES, jurisdiction="西湖区", on=on, distance_m=500),
    "site": lambda on: fs.site(HOMES, PLACES, distance_m=500, k=1, weight="households", jurisdiction="西湖区", on=on),
}


@pytest.mark.parametrize("name", list(CALLS))
@pytest.mark.parametrize("on", BAD, ids=repr)
def test_a_bad_date_is_one_typed_error_naming_on(name: str, on: Any) -> None:
    with pytest.raises(fs.InputError) as info:
        CALLS[name](on)
    assert info.value.field == "on", (name, on)
    assert "Traceback" not in str(info.value)


@pytest.mark.parametrize("name", ["size", "rules_in_force", "duties"])
def test_none_is_today_where_on_may_be_left_out(name: str) -> None:
    CALLS[name](None)  # no error: today's rules (Xihu's and Suzhou's documents are in force today)


def test_none_is_a_typed_error_where_on_is_required() -> None:
    with pytest.raises(fs.InputError) as info:
        CALLS["gap_analysis"](None)
    assert info.value.field == "on"


@pytest.mark.parametrize("year", [pd.NaT, None, "", "2024", 2024.5, float("nan"), True, 1800])
def test_a_scorecard_s_year_is_held_to_the_same_rule(year: Any) -> None:
    with pytest.raises(fs.InputError) as info:
        fs.scorecard({"population": 1_000_000, "slots": 4_560}, "柯桥区", year)
    assert info.value.field == "year"


def test_coverage_takes_no_date() -> None:
    with pytest.raises(TypeError):
        fs.coverage(HOMES, PLACES, 500, on="2025-01-01")  # type: ignore[call-arg]


def test_a_frame_s_dates_are_row_errors_as_size_s_are_one() -> None:
    """In a frame, each row's bad date is that row's error, the others sized (no row dropped or moved)."""
    frame = pd.DataFrame({"households": [1200] * 4, "on": ["2025-01-01", pd.NaT, "", "not a date"]})
    out = fs.size_frame(frame, jurisdiction="西湖区", area_type="new_build")
    assert out["error"].isna().tolist() == [True, False, False, False]
    assert out["floor_area_m2"].iloc[0] == 200.0  # 西政办函〔2021〕15号 二(三)1
