"""A result with an error row, or sized by area, is written by ``to_parquet`` and read back with what its
callers read: each error text's typed error (``attrs["errors"]``) and the table of areas (``fs.area_table``)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import facility_sizing as fs
from facility_sizing.api.result_attrs import ErrorTable, result_errors

ON = "2025-06-01"


def _cells(column: pd.Series) -> list[object]:
    return [None if pd.isna(v) else v for v in column.astype(object).tolist()]


def _sized() -> pd.DataFrame:
    # X: 3,500 + 3,000 households of one Xihu area; C alone; D's households are not a number (its own error);
    # Y mixes jurisdictions (one typed error naming its parcels)
    df = pd.DataFrame({"地块编号": ["A", "B", "C", "D", "E", "F"], "居住区": ["X", "X", None, "Z", "Y", "Y"],
                       "households": [3500, 3000, 500, "many", 800, 900],
                       "jurisdiction": ["西湖区", "西湖区", "西湖区", "西湖区", "西湖区", "柯桥区"]})  # fmt: skip
    return fs.size_frame(df, area="居住区", jurisdiction="jurisdiction", area_type="new_build",
                         persons_per_household=2.8, on=ON)  # fmt: skip


def test_a_result_with_error_rows_and_areas_round_trips_through_parquet(tmp_path: Path) -> None:
    out = _sized()
    assert out["error"].notna().tolist() == [False, False, False, True, True, True]
    path = tmp_path / "result.parquet"
    out.to_parquet(path)  # TypeError before: attrs held exceptions and a wrapped frame (pandas json.dumps(attrs))
    back = pd.read_parquet(path)
    pd.testing.assert_frame_equal(fs.area_table(back), fs.area_table(out))
    for column in out.columns:  # every cell as it was (parquet reads a text column as strings, a blank as NaN)
        assert _cells(back[column]) == _cells(out[column]), column
    for text in out["error"].dropna().unique():
        was, now = out.attrs["errors"][text], result_errors(back)[text]
        assert type(now) is type(was) and isinstance(now, fs.InputError)
        assert (now.code, now.field, str(now), now.text("en")) == (was.code, was.field, str(was), was.text("en"))
    # the letters read the rows' errors back: a parcel whose row has one says it, typed
    with pytest.raises(fs.InputError, match="households"):
        fs.area_letter(back, "D")
    assert fs.area_letter(back, "B") == fs.area_letter(out, "B")


def test_the_errors_a_result_carries_are_json_records_and_typed_errors() -> None:
    out = _sized()
    held = out.attrs["errors"]
    assert isinstance(held, ErrorTable)
    records = json.loads(json.dumps(out.attrs))["errors"]
    assert {r["class"] for r in records.values()} == {"InputError"}
    text = out["error"].iloc[3]
    assert records[text]["field"] == "households" and records[text]["value"] == "many"
    assert isinstance(held.get(text), fs.InputError) and held.get("no such text") is None
    sliced = out.iloc[:2]  # pandas copies attrs into a slice: the table of areas is shared, not deep-copied
    assert sliced.attrs["areas"] is out.attrs["areas"]
    assert isinstance(sliced.attrs["errors"][text], fs.InputError)


def test_a_result_of_parcels_with_a_bad_geometry_round_trips_through_parquet(tmp_path: Path) -> None:
    gpd = pytest.importorskip("geopandas")
    shapely = pytest.importorskip("shapely")
    x, y = 500_000, 3_350_000
    gdf = gpd.GeoDataFrame({"地块编号": ["P1", "P2", "P3"], "居住区": "A", "households": [1000, 500, 200]},
                           geometry=[shapely.box(x + 100 * i, y, x + 100 * i + 80, y + 80) for i in range(3)],
                           crs=4549)  # fmt: skip
    gdf.loc[2, "geometry"] = None
    out = fs.size_parcels(gdf, area="居住区", jurisdiction="西湖区", area_type="new_build", on=ON)
    out.to_parquet(tmp_path / "p.parquet")
    back = gpd.read_parquet(tmp_path / "p.parquet")
    text = out["error"].iloc[2]
    assert result_errors(back)[text].code == out.attrs["errors"][text].code == "geometry"
    pd.testing.assert_frame_equal(fs.area_table(back), fs.area_table(out))
