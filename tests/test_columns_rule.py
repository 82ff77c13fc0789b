"""One rule for the caller's columns, for size_frame, size_parcels, coverage and the files (issue 25).

A library result sized again: its result columns replaced, with a notice. Any other column of a
result's name: an error naming it, or, with ``suffix=``, kept as ``name + suffix`` while the
result takes the plain name.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

import facility_sizing as fs

XIHU = {"jurisdiction": "西湖区", "area_type": "new_build", "on": "2025-01-01"}


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"households": [1200, 2400], "slots": ["own a", "own b"], "note": ["x", "y"]})


def test_size_frame_refuses_a_caller_s_column_or_keeps_it_suffixed() -> None:
    with pytest.raises(fs.InputError) as info:
        fs.size_frame(_frame(), **XIHU)
    assert info.value.field == "slots" and "suffix" in str(info.value)
    out = fs.size_frame(_frame(), suffix="_own", **XIHU)
    assert out["slots_own"].tolist() == ["own a", "own b"] and out["note"].tolist() == ["x", "y"]
    # 西政办函〔2021〕15号 二(三)1: 15 m² per 100 households, at least 200 m² → 200, 360
    assert out["floor_area_m2"].tolist() == [200.0, 360.0]
    assert out["slots"].isna().all()  # the result's slots: Xihu sets no slot figure
    assert list(out.columns).index("slots_own") == 1  # where the caller's column stood


def test_a_suffix_that_collides_or_is_blank_is_refused() -> None:
    frame = _frame().assign(slots_own=1)
    with pytest.raises(fs.InputError) as info:
        fs.size_frame(frame, suffix="_own", **XIHU)
    assert info.value.field == "suffix" and "slots_own" in str(info.value)
    for bad in ("", "  ", 3):
        with pytest.raises(fs.InputError) as info:
            fs.size_frame(_frame(), suffix=bad, **XIHU)  # type: ignore[arg-type]
        assert info.value.field == "suffix"
    with pytest.raises(fs.InputError) as info:  # a suffix that makes another result column's name
        fs.size_frame(_frame(), suffix="_basis", **XIHU)
    assert "slots_basis" in str(info.value)


def test_an_earlier_result_is_sized_again_with_a_notice() -> None:
    first = fs.size_frame(pd.DataFrame({"households": [1200]}), **XIHU)
    with pytest.warns(fs.ResultReplacedWarning, match="floor_area_m2"):
        again = fs.size_frame(first.assign(households=2400), **XIHU)
    assert again["floor_area_m2"].tolist() == [360.0] and list(again.columns) == list(first.columns)


def _parcels() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"households": [1200], "parcel_area_m2": ["surveyed 5,000"]},
        geometry=[box(120.10, 30.25, 120.102, 30.252)],
        crs=4326,
    )


def test_size_parcels_keeps_the_rule_for_its_own_columns_too() -> None:
    with pytest.raises(fs.InputError) as info:
        fs.size_parcels(_parcels(), **XIHU)
    assert info.value.field == "parcel_area_m2"
    out = fs.size_parcels(_parcels(), suffix="_survey", **XIHU)
    assert out["parcel_area_m2_survey"].tolist() == ["surveyed 5,000"]
    assert out["parcel_area_m2"].iloc[0] > 40_000 and out["floor_area_m2"].iloc[0] == 200.0


def _homes() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"households": [100], "covered": ["mine"]}, geometry=[Point(120.13, 30.26)], crs=4326)


def test_coverage_keeps_the_rule() -> None:
    facilities = gpd.GeoDataFrame({"slots": [10]}, geometry=[Point(120.131, 30.261)], crs=4326)
    with pytest.raises(fs.InputError) as info:
        fs.coverage(_homes(), facilities, 500)
    assert info.value.field == "covered"
    cov = fs.coverage(_homes(), facilities, 500, suffix="_own")
    assert cov.homes["covered_own"].tolist() == ["mine"] and cov.homes["covered"].tolist() == [True]
    # an earlier coverage's homes, and sized parcels (their error column is the library's): notices
    with pytest.warns(fs.ResultReplacedWarning):
        fs.coverage(cov.homes.drop(columns="covered_own"), facilities, 500)
    sized = fs.size_parcels(_parcels().drop(columns="parcel_area_m2"), **XIHU)
    with pytest.warns(fs.ResultReplacedWarning, match="error"):
        fs.coverage(sized, facilities, 500)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fs.coverage(_homes().drop(columns="covered"), facilities, 500)  # nothing of a result: no notice


def test_the_files_keep_the_rule(tmp_path: Path) -> None:
    """A CSV with a column of its own named slots is one error line; a result file sized again, a notice."""
    source = tmp_path / "projects.csv"
    _frame().assign(**XIHU).to_csv(source, index=False)
    command = [sys.executable, "-c", "import sys; from facility_sizing.cli import main; sys.exit(main())", "batch"]
    refused = subprocess.run([*command, str(source), "-o", str(tmp_path / "r.csv")], capture_output=True, text=True)
    assert refused.returncode == 2 and "slots" in refused.stderr and "Traceback" not in refused.stderr
    first = tmp_path / "first.csv"
    fs.write_result(fs.size_frame(pd.DataFrame({"households": [1200]}).assign(**XIHU)), first)
    again = subprocess.run([*command, str(first), "-o", str(tmp_path / "again.csv")], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert "earlier result" in again.stderr and "Traceback" not in again.stderr
