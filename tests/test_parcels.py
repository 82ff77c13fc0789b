"""size_parcels: areas in metres in any CRS, per-row geometry errors, estimates, files in and out."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod, Transformer

import facility_sizing as fs
from facility_sizing.cli import main
from facility_sizing.spatial.geometry import chinacrs
from facility_sizing.spatial.geometry.crs import gk_zone_epsg

ON = "2025-01-01"
GEOD = Geod(ellps="GRS80")

# A 200 m × 300 m parcel in Xihu, drawn in CGCS2000 / 3-degree Gauss-Kruger CM 120E (EPSG:4549).
X0, Y0 = 510_000.0, 3_350_000.0
KNOWN_4549 = shapely.box(X0, Y0, X0 + 200, Y0 + 300)


def _reproject(geom: shapely.Geometry, src: int, dst: int) -> shapely.Geometry:
    t = Transformer.from_crs(src, dst, always_xy=True)
    dense = shapely.segmentize(geom, 5)
    return shapely.transform(dense, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def _lonlat_known() -> shapely.Geometry:
    return _reproject(KNOWN_4549, 4549, 4490)


def _geodesic_area(lonlat: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(lonlat)[0])


def _frame(geoms: list, crs: object = 4490, **columns: object) -> gpd.GeoDataFrame:
    data = {"jurisdiction": ["西湖区"] * len(geoms), **columns}
    return gpd.GeoDataFrame(data, geometry=geoms, crs=crs)


# --- areas in every CRS ------------------------------------------------------------------


def _in_crs(kind: str) -> tuple[shapely.Geometry, dict]:
    lonlat = _lonlat_known()
    if kind == "4490":
        return lonlat, {"crs": 4490}
    if kind == "4549":
        return KNOWN_4549, {"crs": 4549}
    if kind == "4326":
        return _reproject(KNOWN_4549, 4549, 4326), {"crs": 4326}
    if kind == "3857":
        return _reproject(KNOWN_4549, 4549, 3857), {"crs": 3857}
    convert = chinacrs.wgs84_to_gcj02 if kind == "GCJ-02" else chinacrs.wgs84_to_bd09
    moved = shapely.transform(lonlat, lambda xy: np.column_stack(convert(xy[:, 0], xy[:, 1])))
    return moved, {"crs": None, "assume_crs": kind}


@pytest.mark.parametrize("kind", ["4490", "4549", "4326", "3857", "GCJ-02", "BD-09"])
def test_known_parcel_area_agrees_within_a_thousandth(kind: str) -> None:
    geom, how = _in_crs(kind)
    gdf = _frame([geom], crs=how["crs"])
    out = fs.size_parcels(gdf, households=1000, area_type="new_build", on=ON, assume_crs=how.get("assume_crs"))
    reference = _geodesic_area(_lonlat_known())  # ellipsoidal area, independent of any projection
    assert abs(out.parcel_area_m2.iloc[0] / reference - 1) < 0.001
    assert abs(out.parcel_area_m2.iloc[0] / 60_000 - 1) < 0.001
    assert out.area_epsg.iloc[0] == 4549


def test_gcj02_coordinates_taken_as_wgs84_would_be_hundreds_of_metres_off() -> None:
    geom, _ = _in_crs("GCJ-02")
    shift = GEOD.inv(
        *shapely.get_coordinates(shapely.centroid(geom))[0],
        *shapely.get_coordinates(shapely.centroid(_lonlat_known()))[0],
    )[2]
    assert 100 < shift < 1000


def test_zone_follows_each_parcel() -> None:
    assert gk_zone_epsg(np.array([75.0, 120.15, 121.49, 121.51, 135.0, 10.0])).tolist() == [
        4534,
        4549,
        4549,
        4550,
        4554,
        0,
    ]
    far_east = shapely.box(121.6, 29.9, 121.602, 29.902)
    gdf = _frame([_lonlat_known(), far_east])
    out = fs.size_parcels(gdf, households=1000, area_type="new_build", on=ON)
    assert out.area_epsg.tolist() == [4549, 4550]
    assert abs(out.parcel_area_m2.iloc[1] / _geodesic_area(far_east) - 1) < 0.001


# --- CRS errors --------------------------------------------------------------------------


def test_no_crs_with_degree_coordinates_is_an_error() -> None:
    gdf = _frame([_lonlat_known()], crs=None)
    with pytest.raises(fs.CRSError) as info:
        fs.size_parcels(gdf, households=1000, area_type="new_build", on=ON)
    assert "degrees" in str(info.value) and "set_crs(4490)" in str(info.value) and "GCJ-02" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_no_crs_with_projected_coordinates_says_how_to_set_it() -> None:
    gdf = _frame([KNOWN_4549], crs=None)
    with pytest.raises(fs.CRSError, match=r"set_crs\(4549\)"):
        fs.size_parcels(gdf, households=1000, area_type="new_build", on=ON)
    out = fs.size_parcels(gdf, households=1000, area_type="new_build", on=ON, assume_crs=4549)
    assert abs(out.parcel_area_m2.iloc[0] - 60_000) < 1


def test_crs_that_contradicts_the_coordinates_is_an_error() -> None:
    with pytest.raises(fs.CRSError, match="look like degrees"):
        fs.size_parcels(_frame([_lonlat_known()], crs=4549), households=1, area_type="new_build", on=ON)
    with pytest.raises(fs.CRSError, match="out of range for degrees"):
        fs.size_parcels(_frame([KNOWN_4549], crs=4490), households=1, area_type="new_build", on=ON)
    with pytest.raises(fs.CRSError, match="already has a CRS"):
        fs.size_parcels(_frame([_lonlat_known()]), households=1, area_type="new_build", on=ON, assume_crs="GCJ-02")
    with pytest.raises(fs.CRSError, match="unrecognised"):
        fs.size_parcels(
            _frame([_lonlat_known()], crs=None), households=1, area_type="new_build", on=ON, assume_crs="mars"
        )


# --- per-row errors, order, estimates -----------------------------------------------------


def _bowtie() -> shapely.Polygon:
    return shapely.Polygon([(120.10, 30.25), (120.102, 30.252), (120.102, 30.25), (120.10, 30.252)])


def test_one_invalid_one_empty_one_nan_household_row() -> None:
    good = _lonlat_known()
    gdf = _frame(
        [good, _bowtie(), shapely.Polygon(), good, good],
        households=[1200, 1200, 1200, np.nan, 2000],
    )
    gdf.index = ["a", "b", "c", "d", "e"]
    out = fs.size_parcels(gdf, area_type="new_build", on=ON)
    assert list(out.index) == ["a", "b", "c", "d", "e"]
    assert out.error.notna().tolist() == [False, True, True, True, False]
    assert (
        out.error["b"].startswith("[geometry]")
        and "Self-intersection" in out.error["b"]
        and "repair=True" in out.error["b"]
    )
    assert out.error["c"].startswith("[geometry]") and "empty" in out.error["c"]
    assert out.error["d"].startswith("[missing_input]")
    assert out.floor_area_m2.tolist()[0] == 200.0 and out.floor_area_m2["e"] == 300.0  # 二(三)1: 2,000 × 15/100
    assert out.floor_area_m2[["b", "c", "d"]].isna().all() and out.slots.isna().all()
    assert out.geometry.equals(gdf.geometry)


def test_repair_on_request() -> None:
    out = fs.size_parcels(_frame([_bowtie()], households=[100]), area_type="new_build", on=ON, repair=True)
    assert out.error.iloc[0] is None and out.geometry_repaired.iloc[0]
    assert out.geometry.iloc[0].is_valid and out.parcel_area_m2.iloc[0] > 0


def test_non_polygons_are_row_errors_unless_points_are_allowed() -> None:
    gdf = _frame(
        [shapely.Point(120.1, 30.2), shapely.LineString([(120.1, 30.2), (120.2, 30.3)]), None], households=[1200] * 3
    )
    out = fs.size_parcels(gdf, area_type="new_build", on=ON)
    assert out.error.str.startswith("[geometry]").all()
    assert "Point" in out.error.iloc[0] and "LineString" in out.error.iloc[1] and "missing" in out.error.iloc[2]
    points = fs.size_parcels(gdf.iloc[:1], area_type="new_build", on=ON, allow_points=True)
    assert (
        points.error.iloc[0] is None
        and points.floor_area_m2.iloc[0] == 200.0
        and np.isnan(points.parcel_area_m2.iloc[0])
    )


def test_households_estimated_from_far_share_and_unit_area() -> None:
    # 60,000 m² × FAR 2.0 × 0.9 residential ÷ 90 m² per unit = 1,200 households -> Xihu 200 m²
    gdf = _frame([KNOWN_4549, KNOWN_4549], crs=4549, households=[np.nan, 3000])
    out = fs.size_parcels(gdf, area_type="new_build", on=ON, far=2.0, residential_share=0.9, unit_area_m2=90)
    est = 60_000 * 2.0 * 0.9 / 90
    assert (
        out.households.iloc[0] == np.ceil(out.parcel_area_m2.iloc[0] * 2.0 * 0.9 / 90)
        and abs(out.households.iloc[0] - est) <= 1
    )
    assert out.households_estimated.tolist() == [True, False]
    assert out.households.iloc[1] == 3000 and out.floor_area_m2.iloc[1] == 450.0
    assert out.far.tolist() == [2.0, 2.0] and out.unit_area_m2.tolist() == [90.0, 90.0]


def test_bad_derivation_inputs() -> None:
    gdf = _frame([KNOWN_4549] * 3, crs=4549, far=[2.0, -1.0, "high"])
    out = fs.size_parcels(gdf, area_type="new_build", on=ON, residential_share=0.9, unit_area_m2=90)
    assert out.error.iloc[0] is None
    assert "far" in out.error.iloc[1] and "far" in out.error.iloc[2]
    with pytest.raises(fs.InputError, match="residential_share"):
        fs.size_parcels(gdf, area_type="new_build", on=ON, residential_share=1.5, unit_area_m2=90)


def test_sample_parcels_size_cleanly() -> None:
    out = fs.size_parcels(fs.sample_parcels(), on=ON)
    assert out.error.isna().all()
    assert out.households_estimated.sum() == (out.area_type == "new_build").sum()
    keqiao = out[out.jurisdiction == "柯桥区"]
    assert keqiao.slots.notna().all() and keqiao.outdoor_area_m2.isna().all()
    assert out[out.jurisdiction == "滨江区"].draft.all()


# --- files --------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_round_trip_keeps_dtypes(tmp_path: Path, suffix: str) -> None:
    gdf = fs.sample_parcels()
    gdf["int_id"] = np.arange(len(gdf), dtype=np.int64) * 10_000_000_000 // 10_000_000_000
    out = fs.size_parcels(gdf, on=ON)
    path = fs.write_result(out, tmp_path / f"result{suffix}")
    back = fs.read_parcels(path)
    assert list(back.columns) == list(out.columns)
    for column in out.columns:
        if column == out.geometry.name:
            continue
        a, b = back[column].dtype, out[column].dtype
        if isinstance(b, pd.CategoricalDtype):  # the categories are the values present, in any order
            assert isinstance(a, pd.CategoricalDtype) and set(a.categories) == set(b.categories), column
        else:
            assert a == b, (column, a, b)
    pd.testing.assert_frame_equal(
        pd.DataFrame(back.drop(columns="geometry")).astype(object).where(back.notna(), None),
        pd.DataFrame(out.drop(columns="geometry")).astype(object).where(out.notna(), None),
        check_categorical=False,
        check_dtype=False,
    )
    assert back.crs.to_epsg() == 4490


@pytest.mark.filterwarnings("ignore:Column names longer than 10", "ignore:Normalized/laundered field name")
def test_shapefile_in_but_not_out(tmp_path: Path) -> None:
    src = tmp_path / "in.shp"
    fs.sample_parcels().drop(columns=["residential_share"]).to_file(src)
    back = fs.read_parcels(src)
    assert len(back) == 38 and back.crs.to_epsg() == 4490
    with pytest.raises(fs.InputError, match="10 characters"):
        fs.write_result(fs.size_parcels(fs.sample_parcels(), on=ON), tmp_path / "out.shp")


def test_csv_with_wkt_and_with_lonlat(tmp_path: Path) -> None:
    out = fs.size_parcels(fs.sample_parcels(), on=ON)
    path = fs.write_result(out, tmp_path / "result.csv")
    back = fs.read_parcels(path, crs=4490)
    assert back.geometry.iloc[0].equals_exact(out.geometry.iloc[0], 1e-9)
    points = tmp_path / "points.csv"
    pd.DataFrame({"jurisdiction": ["西湖区"], "households": [1334], "lon": [120.1], "lat": [30.3]}).to_csv(
        points, index=False
    )
    gdf = fs.read_parcels(points, lon="lon", lat="lat", crs=4490)
    sized = fs.size_parcels(gdf, area_type="new_build", on=ON, allow_points=True)
    assert sized.floor_area_m2.iloc[0] == 200.1


def test_cli_batch_on_the_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", "--sample", "--on", ON]) == 0
    printed = capsys.readouterr().out
    assert "合计 Total: 38 行 rows，0 行有错误" in printed and "XH-三墩-01" in printed
    target = tmp_path / "out.gpkg"
    assert main(["batch", "--sample", "--on", ON, "-o", str(target), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["rows"] == 38 and target.exists()
    totals = fs.summary(fs.read_parcels(target))
    assert totals == payload["summary"]


def test_cli_batch_reports_row_errors_with_exit_5(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gdf = _frame([_lonlat_known(), _bowtie()], households=[1200, 1200])
    src = tmp_path / "in.geojson"
    gdf.to_file(src, driver="GeoJSON")
    assert main(["batch", str(src), "--area-type", "new_build", "--on", ON, "--chunk-size", "1"]) == 5
    captured = capsys.readouterr()
    assert (
        "geometry 1" in captured.out and "  1：[geometry] 地块几何无效" in captured.out
    )  # the bad row, below the table
    assert captured.err == ""  # no progress bar where stderr is not a terminal


# --- regressions from review ------------------------------------------------------------


def test_one_parcel_in_metres_is_a_row_error_not_a_frame_error() -> None:
    gdf = _frame([_lonlat_known(), KNOWN_4549, shapely.box(120.1, 30.2, np.inf, 30.3)], households=[1200] * 3)
    out = fs.size_parcels(gdf, area_type="new_build", on=ON)
    assert out.error.iloc[0] is None and out.floor_area_m2.iloc[0] == 200.0
    assert "out of range for degrees" in out.error.iloc[1]
    assert "non-finite" in out.error.iloc[2]


def test_input_csv_with_a_bad_households_cell(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    pd.DataFrame(
        {
            "jurisdiction": ["西湖区"] * 3,
            "households": ["1200", "unknown", "1334"],
            "geometry": [_lonlat_known().wkt, _lonlat_known().wkt, "POLYGON ((1 2, oops"],
        }
    ).to_csv(src, index=False)
    gdf = fs.read_parcels(src, crs=4490)
    out = fs.size_parcels(gdf, area_type="new_build", on=ON)
    assert out.error.iloc[0] is None
    assert "'unknown'" in out.error.iloc[1] and "must be a number" in out.error.iloc[1]
    assert "WKT could not be parsed" in out.error.iloc[2]


def test_size_parcels_series_and_scalars_are_checked() -> None:
    gdf = _frame([_lonlat_known()] * 3)
    with pytest.raises(fs.InputError, match="index labels"):
        fs.size_parcels(gdf, households=pd.Series([1, 2]), area_type="new_build", on=ON)
    with pytest.raises(fs.InputError, match="negative"):
        fs.size_parcels(gdf, households=-5, area_type="new_build", on=ON)


def test_cli_unwritable_output_and_one_line_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", "--sample", "--on", ON, "-o", "/nonexistent/dir/out.gpkg"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    code = main(
        [
            "size",
            "-j",
            "柯桥区",
            "-t",
            "new_build",
            "--households",
            "1000",
            "--population",
            "2800",
            "--on",
            "2028-01-01",
        ]
    )
    assert code == 0
    err = capsys.readouterr().err
    lines = err.splitlines()  # each warning one line, no traceback: the plan period, the status check
    assert lines and all(line.startswith("facility-sizing: warning: ") for line in lines)
    assert any("规划期" in line for line in lines)
    (tmp_path / "empty").mkdir()
    assert main(["rules", "西湖区", "--rules", str(tmp_path / "empty")]) == 4


@settings(max_examples=200, deadline=None)
@given(
    west=st.floats(min_value=70.0, max_value=140.0),
    width=st.floats(min_value=1e-7, max_value=4.0),
    lat=st.floats(min_value=18.0, max_value=50.0),
    tri=st.booleans(),
)
def test_zone_read_from_bounds_is_the_zone_of_the_centroid(west: float, width: float, lat: float, tri: bool) -> None:
    """parcel_areas reads a parcel's zone from its bounds when they lie in one zone: the centroid's zone.

    A triangle puts the centroid off the bounding box's centre; a parcel across a zone edge (or
    outside the zones) makes the function step aside (None), so the centroid decides as before.
    """
    from facility_sizing.spatial.geometry.crs import _zones_by_bounds

    geom = (
        shapely.Polygon([(west, lat), (west + width, lat), (west, lat + 0.01)])
        if tri
        else shapely.box(west, lat, west + width, lat + 0.01)
    )
    zones = _zones_by_bounds(np.array([geom], dtype=object))
    centroid_zone = gk_zone_epsg(np.array([shapely.centroid(geom).x]))[0]
    if zones is None:
        west_zone, east_zone = gk_zone_epsg(np.array([west - 1e-9, west + width + 1e-9]))  # as widened there
        assert west_zone != east_zone or west_zone == 0
    else:
        assert zones[0] == centroid_zone > 0


def test_parcels_no_rule_can_be_about_are_row_errors_not_figures() -> None:
    """A polygon across the antimeridian was sized at 2.14e8 m² and 913,881.45 m² of facility; a triangle
    at 0°, 0° labelled 西湖区 at 200 m². Each is now its own row's error; the good parcel is sized."""
    frame = gpd.GeoDataFrame(
        {"households": [100, 100, 100, 1200]},
        geometry=[
            shapely.Polygon([(179.9, 30), (-179.9, 30), (-179.9, 30.1), (179.9, 30.1)]),
            shapely.Polygon([(0, 0), (0.001, 0), (0, 0.001)]),
            shapely.box(120.0, 30.0, 120.2, 30.2),  # about 20 km × 22 km: 430 km²
            shapely.box(120.10, 30.25, 120.101, 30.251),
        ],
        crs=4326,
    )
    out = fs.size_parcels(frame, jurisdiction="西湖区", area_type="new_build", on="2025-01-01")
    assert out["error"].str.contains("跨越东西经180度线").iloc[0]
    assert out["error"].str.contains("不在中国境内").iloc[1]
    assert out["error"].str.contains("100平方公里").iloc[2]
    assert out["floor_area_m2"].iloc[:3].isna().all() and out["floor_area_m2"].iloc[3] == 200.0
