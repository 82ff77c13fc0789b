"""WGS 84 / GCJ-02 / BD-09 conversion: published reference values, exact round trips, edge cases.

Every literal below was computed by someone else; the comment beside it names the repository and
file it was copied from. Tolerances follow the precision the source prints and the inverse the
source uses (several libraries use the one-step approximate inverse, which is off by up to a few
metres; ours is exact).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facility_sizing.spatial.geometry import chinacrs
from facility_sizing.spatial.geometry.chinacrs import (
    ConvergenceError,
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

ALL = [wgs84_to_gcj02, gcj02_to_wgs84, gcj02_to_bd09, bd09_to_gcj02, wgs84_to_bd09, bd09_to_wgs84]
M_PER_DEG = 111_320.0  # metres per degree of latitude (and of longitude at the equator), approx.

COORDTRANSFORM = "wandergis/coordtransform test/app.js"
COORDTRANSFORM_RS = "athxx/coordtransform-rs src/lib.rs"
EVILTRANSFORM = "googollee/eviltransform python/test.py"
GCOORD = "hujiulong/gcoord test/unit/crs/{WGS84,GCJ02,BD09}.spec.ts"
ASESGEO = "madlogos/asesgeo tests/testthat/test_tranform_coord.R"
ASESGEO_CONV = "madlogos/asesgeo tests/testthat/test_conv_coord.R"

# (function, input (lon, lat), expected (lon, lat), tolerance in degrees, source)
REFERENCE = [
    # wandergis/coordtransform test/app.js: wgs84togcj02 / gcj02tobd09 of (116.404, 39.915), full precision
    (wgs84_to_gcj02, (116.404, 39.915), (116.41024449916938, 39.91640428150164), 1e-12, COORDTRANSFORM),
    (gcj02_to_bd09, (116.404, 39.915), (116.41036949371029, 39.92133699351021), 1e-12, COORDTRANSFORM),
    # athxx/coordtransform-rs src/lib.rs, test_wgs84_to_bd09, full precision
    (wgs84_to_bd09, (116.404, 39.915), (116.41662724378733, 39.922699552216216), 1e-12, COORDTRANSFORM_RS),
    # googollee/eviltransform python/test.py TESTS (wgsLat, wgsLng, gcjLat, gcjLng), shanghai/shenzhen/beijing;
    # the same values are in go/transform_test.go and javascript/test.js
    (wgs84_to_gcj02, (121.5272106, 31.1774276), (121.531541859215, 31.17530398364597), 1e-12, EVILTRANSFORM),
    (wgs84_to_gcj02, (113.912316, 22.543847), (113.9171764808363, 22.540796131694766), 1e-12, EVILTRANSFORM),
    (wgs84_to_gcj02, (116.377817, 39.911954), (116.38404722455657, 39.91334545536069), 1e-12, EVILTRANSFORM),
    # ... and back: the pairs are forward results, so an exact inverse returns the WGS 84 values
    (gcj02_to_wgs84, (121.531541859215, 31.17530398364597), (121.5272106, 31.1774276), 1e-9, EVILTRANSFORM),
    (gcj02_to_wgs84, (113.9171764808363, 22.540796131694766), (113.912316, 22.543847), 1e-9, EVILTRANSFORM),
    (gcj02_to_wgs84, (116.38404722455657, 39.91334545536069), (116.377817, 39.911954), 1e-9, EVILTRANSFORM),
    # hujiulong/gcoord test/unit/crs/WGS84.spec.ts and GCJ02.spec.ts, point [123, 45], 8 decimals (7 for BD09)
    (wgs84_to_gcj02, (123.0, 45.0), (123.00607541, 45.00197815), 1e-8, GCOORD),
    (gcj02_to_bd09, (123.0, 45.0), (123.00636499, 45.00636899), 1e-8, GCOORD),
    (wgs84_to_bd09, (123.0, 45.0), (123.0124491, 45.0083293), 1e-7, GCOORD),
    # gcoord's inverses stop at 1e-6 (GCJ02ToWGS84) or are the one-step formula (BD09ToGCJ02): 1e-6
    (gcj02_to_wgs84, (123.0, 45.0), (122.99395597, 44.99804071), 1e-6, GCOORD),
    (bd09_to_gcj02, (123.0, 45.0), (122.99363304, 44.99365430), 1e-6, GCOORD),
    (bd09_to_wgs84, (123.0, 45.0), (122.98762210, 44.99171540), 1e-6, GCOORD),
    # madlogos/asesgeo tests/testthat/test_tranform_coord.R, Tiananmen, 8 decimals
    (wgs84_to_gcj02, (116.39089, 39.90734), (116.39713094, 39.90874107), 1e-8, ASESGEO),
    (gcj02_to_bd09, (116.397131, 39.908746), (116.40350426, 39.91508839), 1e-8, ASESGEO),
    # asesgeo's gcj_to_wgs does at most two fixed-point steps; its bd_to_gcj is the one-step formula
    (gcj02_to_wgs84, (116.397131, 39.908746), (116.39089006, 39.90734493), 1e-7, ASESGEO),
    (bd09_to_gcj02, (116.40350, 39.91509), (116.39712692, 39.90874808), 1e-6, ASESGEO),
    # madlogos/asesgeo tests/testthat/test_conv_coord.R, "convCoord without api", 8-10 decimals
    (wgs84_to_gcj02, (116.42079784, 39.90105589), (116.42702991, 39.90245219), 1e-8, ASESGEO_CONV),
    (wgs84_to_bd09, (116.42079784, 39.90105589), (116.43350894, 39.90850546), 1e-8, ASESGEO_CONV),
    (gcj02_to_wgs84, (116.42702991, 39.90245219), (116.4207978498, 39.9010558944), 1e-7, ASESGEO_CONV),
]


@pytest.mark.parametrize(
    ("func", "given_", "expected", "tol", "source"),
    REFERENCE,
    ids=[f"{r[0].__name__}-{r[4].split()[0]}-{r[1][0]}" for r in REFERENCE],
)
def test_published_reference_values(func, given_, expected, tol, source) -> None:
    lon, lat = func(*given_)
    assert abs(lon - expected[0]) <= tol, source
    assert abs(lat - expected[1]) <= tol, source


def test_published_one_step_inverses_are_our_first_guess_and_our_results_invert_exactly() -> None:
    # wandergis/coordtransform test/app.js: gcj02towgs84 and bd09togcj02 of (116.404, 39.915). Both are the
    # one-step approximate inverses; ours start from exactly these values and then iterate.
    p = (np.array([116.404]), np.array([39.915]))
    lon, lat = chinacrs._gcj02_to_wgs84_one_step(*p)
    assert lon[0] == pytest.approx(116.39775550083061, abs=1e-12)
    assert lat[0] == pytest.approx(39.91359571849836, abs=1e-12)
    lon, lat = chinacrs._bd09_to_gcj02_one_step(*p)
    assert lon[0] == pytest.approx(116.39762729119315, abs=1e-12)
    assert lat[0] == pytest.approx(39.90865673957631, abs=1e-12)

    # the exact inverses differ from the one-step values by a few tenths of a millionth of a degree ...
    w = gcj02_to_wgs84(116.404, 39.915)
    assert 1e-7 < max(abs(w[0] - 116.39775550083061), abs(w[1] - 39.91359571849836)) < 1e-6
    g = bd09_to_gcj02(116.404, 39.915)
    assert 1e-7 < max(abs(g[0] - 116.39762729119315), abs(g[1] - 39.90865673957631)) < 1e-6
    # ... and, unlike them, map back onto the input
    for fwd, inv in [(wgs84_to_gcj02, w), (gcj02_to_bd09, g)]:
        back = fwd(*inv)
        assert abs(back[0] - 116.404) < 1e-10
        assert abs(back[1] - 39.915) < 1e-10


# Values returned by web services, which do not run exactly the published algorithm: within 1e-5 degrees (~1 m).
SERVICES = [
    # madlogos/asesgeo tests/testthat/test_tranform_coord.R, out1_ "# api": Tiananmen WGS 84 -> GCJ-02
    ((116.39089, 39.90734), (116.39713623, 39.90874539)),
    # madlogos/asesgeo tests/testthat/test_conv_coord.R, "convCoord with baidu api" (api.map.baidu.com/geoconv/v1)
    ((116.42079, 39.90105), (116.42702745, 39.90245063)),
    # madlogos/asesgeo tests/testthat/test_conv_coord.R, "convCoord with gaode api" (restapi.amap.com)
    ((116.42079, 39.90105), (116.427020941841, 39.902445203994)),
]

# hujiulong/gcoord test/fixtures/china-cities.json: (WGS84, GCJ02, BD09), 7 decimals. Its WGS84-GCJ02 pairs are
# ~5e-6 degrees off the algorithm (like the Baidu API above); its GCJ02-BD09 pairs agree to the rounding.
CITIES = {
    "那曲": ((92.0499619, 31.4784436), (92.0512438, 31.4762063), (92.0576832, 31.4824421)),
    "酒泉市": ((98.4937175, 39.7319946), (98.4943595, 39.7328234), (98.5008441, 39.7388949)),
    "钦州市": ((108.6503952, 21.9828281), (108.6541485, 21.9799392), (108.6607283, 21.9856319)),
    "郑州市": ((113.6192856, 34.7478004), (113.6253334, 34.7466173), (113.6317519, 34.7528605)),
    "锡林郭勒盟": ((116.0414035, 43.9312805), (116.0482308, 43.9334573), (116.0546232, 43.9397782)),
    "金华市": ((119.6427465, 29.0820414), (119.6474509, 29.0790641), (119.6538875, 29.0854003)),
    "沈阳市": ((123.4253306, 41.8032629), (123.4314787, 41.8057023), (123.438095, 41.8114013)),
}


@pytest.mark.parametrize(("wgs", "gcj"), SERVICES + [(w, g) for w, g, _ in CITIES.values()])
def test_agrees_with_web_services_to_a_metre(wgs, gcj) -> None:
    lon, lat = wgs84_to_gcj02(*wgs)
    assert abs(lon - gcj[0]) < 1e-5
    assert abs(lat - gcj[1]) < 1e-5
    lon, lat = gcj02_to_wgs84(*gcj)
    assert abs(lon - wgs[0]) < 1e-5
    assert abs(lat - wgs[1]) < 1e-5


@pytest.mark.parametrize("city", list(CITIES))
def test_gcoord_city_fixture_gcj02_bd09_pairs(city: str) -> None:
    _, gcj, bd = CITIES[city]
    # both coordinates of the pair are rounded to 7 decimals (5e-8 each), hence 2e-7
    for func, a, b in [(gcj02_to_bd09, gcj, bd), (bd09_to_gcj02, bd, gcj)]:
        lon, lat = func(*a)
        assert abs(lon - b[0]) < 2e-7
        assert abs(lat - b[1]) < 2e-7


# --- round trips -----------------------------------------------------------------------------

GRID_LON, GRID_LAT = (a.ravel() for a in np.meshgrid(np.arange(73.0, 135.01, 0.25), np.arange(18.0, 53.01, 0.25)))


@pytest.mark.parametrize(("forward", "inverse"), [(wgs84_to_gcj02, gcj02_to_wgs84), (wgs84_to_bd09, bd09_to_wgs84)])
def test_round_trip_over_china_grid(forward, inverse) -> None:
    moved = forward(GRID_LON, GRID_LAT)
    assert np.min(np.abs(moved[0] - GRID_LON) + np.abs(moved[1] - GRID_LAT)) > 1e-5  # everything moved
    lon, lat = inverse(*moved)
    assert np.max(np.abs(lon - GRID_LON)) < 1e-9
    assert np.max(np.abs(lat - GRID_LAT)) < 1e-9


def test_round_trip_gcj02_bd09_over_china_grid() -> None:
    lon, lat = bd09_to_gcj02(*gcj02_to_bd09(GRID_LON, GRID_LAT))
    assert np.max(np.abs(lon - GRID_LON)) < 1e-9
    assert np.max(np.abs(lat - GRID_LAT)) < 1e-9


def test_the_one_step_inverse_would_fail_the_round_trip() -> None:
    # so the round-trip tests above can tell an exact inverse from the usual approximation
    moved = wgs84_to_gcj02(GRID_LON, GRID_LAT)
    lon, lat = chinacrs._gcj02_to_wgs84_one_step(*moved)
    assert max(np.max(np.abs(lon - GRID_LON)), np.max(np.abs(lat - GRID_LAT))) > 1e-5
    moved = gcj02_to_bd09(GRID_LON, GRID_LAT)
    lon, lat = chinacrs._bd09_to_gcj02_one_step(*moved)
    assert max(np.max(np.abs(lon - GRID_LON)), np.max(np.abs(lat - GRID_LAT))) > 1e-6


china_points = st.lists(
    st.tuples(
        st.floats(73.0, 135.0, allow_nan=False, allow_infinity=False),
        st.floats(18.0, 53.0, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=150, deadline=None)
@given(points=china_points)
def test_round_trips_random_points_in_china(points: list[tuple[float, float]]) -> None:
    lon = np.array([p[0] for p in points])
    lat = np.array([p[1] for p in points])
    for forward, inverse in [(wgs84_to_gcj02, gcj02_to_wgs84), (wgs84_to_bd09, bd09_to_wgs84)]:
        back_lon, back_lat = inverse(*forward(lon, lat))
        assert np.max(np.abs(back_lon - lon)) < 1e-9
        assert np.max(np.abs(back_lat - lat)) < 1e-9
        # and the other way round: the inverse of a map coordinate maps back onto it
        fwd_lon, fwd_lat = forward(*inverse(lon, lat))
        assert np.max(np.abs(fwd_lon - lon)) < 1e-9
        assert np.max(np.abs(fwd_lat - lat)) < 1e-9


# --- magnitude -------------------------------------------------------------------------------


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    dx = (b[0] - a[0]) * M_PER_DEG * math.cos(math.radians(a[1]))
    dy = (b[1] - a[1]) * M_PER_DEG
    return math.hypot(dx, dy)


def test_gcj02_offset_in_hangzhou_is_hundreds_of_metres() -> None:
    hangzhou = (120.15, 30.28)
    gcj = wgs84_to_gcj02(*hangzhou)
    assert 100 < _metres(hangzhou, gcj) < 1000
    assert 100 < _metres(gcj, gcj02_to_bd09(*gcj)) < 1000  # BD-09 adds a further offset of the same order
    assert 100 < _metres(hangzhou, gcj02_to_wgs84(*hangzhou)) < 1000


# --- outside China, NaN, shapes --------------------------------------------------------------

OUTSIDE = [
    (2.35, 48.86),  # Paris
    (-74.0, 40.7),  # New York
    (151.2, -33.9),  # Sydney
    (0.0, 0.0),
    (72.0039, 30.0),  # just west of the box
    (137.8348, 30.0),  # just east
    (110.0, 0.8292),  # just south
    (110.0, 55.8272),  # just north
]


@pytest.mark.parametrize("func", ALL)
def test_points_outside_china_are_unchanged(func) -> None:
    lon = np.array([p[0] for p in OUTSIDE])
    lat = np.array([p[1] for p in OUTSIDE])
    out_lon, out_lat = func(lon, lat)
    np.testing.assert_array_equal(out_lon, lon)
    np.testing.assert_array_equal(out_lat, lat)
    assert func(2.35, 48.86) == (2.35, 48.86)
    # the box edges themselves are inside
    moved = func(np.array([72.004, 137.8347]), np.array([0.8293, 55.8271]))
    assert np.all(moved[0] != [72.004, 137.8347])


@pytest.mark.parametrize("func", ALL)
def test_nan_in_nan_out_without_warnings(func) -> None:
    lon = np.array([120.15, np.nan, 120.15, np.nan, np.inf, 120.15])
    lat = np.array([30.28, 30.28, np.nan, np.nan, 30.28, -np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out_lon, out_lat = func(lon, lat)
        scalar = func(float("nan"), 30.0)
    assert np.isfinite(out_lon[0]) and np.isfinite(out_lat[0])
    assert np.all(np.isnan(out_lon[1:])) and np.all(np.isnan(out_lat[1:]))
    assert math.isnan(scalar[0]) and math.isnan(scalar[1])


@pytest.mark.parametrize("func", ALL)
def test_scalars_give_floats_and_arrays_keep_their_shape(func) -> None:
    lon, lat = func(120.15, 30.28)
    assert type(lon) is float and type(lat) is float
    lon0, lat0 = func(np.float64(120.15), np.array(30.28))
    assert (type(lon0), type(lat0)) == (float, float)
    assert (lon0, lat0) == (lon, lat)

    grid_lon = np.array([[120.15, 121.47, 116.40], [113.26, 104.07, 87.62]])
    grid_lat = np.array([[30.28, 31.23, 39.90], [23.13, 30.67, 43.83]])
    out_lon, out_lat = func(grid_lon, grid_lat)
    assert out_lon.shape == out_lat.shape == (2, 3)
    assert out_lon.dtype == out_lat.dtype == np.float64
    # vectorised == one by one (the iteration stops point by point, so batch-mates do not matter)
    assert out_lon[0, 0] == pytest.approx(lon, abs=1e-12) and out_lat[0, 0] == pytest.approx(lat, abs=1e-12)

    from_list = func([120.15, 121.47], [30.28, 31.23])
    assert isinstance(from_list[0], np.ndarray) and from_list[0].shape == (2,)
    broadcast = func(np.array([120.15, 120.15]), 30.28)
    assert broadcast[0].tolist() == pytest.approx([lon, lon], abs=1e-12)
    assert broadcast[1].tolist() == pytest.approx([lat, lat], abs=1e-12)
    from_ints = func(np.array([120]), np.array([30]))
    assert from_ints[0].dtype == np.float64
    empty = func(np.zeros(0), np.zeros(0))
    assert empty[0].shape == empty[1].shape == (0,)


def test_inputs_are_not_modified_and_read_only_arrays_are_accepted() -> None:
    lon = np.array([120.15, 121.47])
    lat = np.array([30.28, 31.23])
    lon.flags.writeable = False
    lat.flags.writeable = False
    for func in ALL:
        out_lon, _ = func(lon, lat)
        assert out_lon is not lon
    assert lon.tolist() == [120.15, 121.47] and lat.tolist() == [30.28, 31.23]


def test_non_convergence_raises_a_value_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chinacrs, "_MAX_ITERATIONS", 1)
    with pytest.raises(ConvergenceError, match="did not converge") as info:
        gcj02_to_wgs84([120.15, 121.47], [30.28, 31.23])
    assert isinstance(info.value, ValueError)
    assert "2 point(s)" in str(info.value)
    with pytest.raises(ValueError, match="bd09_to_gcj02"):
        bd09_to_gcj02(120.15, 30.28)
    # points outside the box never iterate
    assert gcj02_to_wgs84(2.35, 48.86) == (2.35, 48.86)
