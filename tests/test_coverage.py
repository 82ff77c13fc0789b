"""Service-circle coverage, 2SFCA and gap analysis, checked against brute force on random data."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

import facility_sizing as fs

X0, Y0 = 500_000.0, 3_350_000.0  # metres in EPSG:4549 (CGCS2000 3° GK, CM 120°E), near Hangzhou


def _frames(rng: np.random.Generator, n: int, m: int, extent: float = 3_000.0) -> tuple[gpd.GeoDataFrame, ...]:
    hxy = rng.uniform(0, extent, (n, 2)) + np.array([X0, Y0])
    fxy = rng.uniform(0, extent, (m, 2)) + np.array([X0, Y0])
    homes = gpd.GeoDataFrame(
        {
            "households": rng.integers(0, 300, n),
            "population": rng.integers(0, 900, n).astype(float),
            "community": rng.choice(["A", "B", "C"], n),
        },
        geometry=shapely.points(hxy),
        crs=4549,
    )
    facs = gpd.GeoDataFrame({"slots": rng.integers(0, 150, m)}, geometry=shapely.points(fxy), crs=4549)
    return homes, facs


def _brute(homes: gpd.GeoDataFrame, facs: gpd.GeoDataFrame, d: float) -> dict[str, np.ndarray]:
    h = shapely.get_coordinates(homes.geometry.values)
    f = shapely.get_coordinates(facs.geometry.values)
    dist = np.hypot(h[:, None, 0] - f[None, :, 0], h[:, None, 1] - f[None, :, 1])  # all pairs, on purpose
    within = dist <= d
    pop = homes["population"].to_numpy(float)
    hh = homes["households"].to_numpy(float)
    slots = facs["slots"].to_numpy(float)
    c_pop = (within * pop[:, None]).sum(axis=0)
    c_hh = (within * hh[:, None]).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(c_pop > 0, slots / c_pop, np.nan)
    access = (within * np.nan_to_num(ratio)[None, :]).sum(axis=1) * 1000
    return {
        "nearest_d": dist.min(axis=1),
        "nearest": dist.argmin(axis=1),
        "covered": dist.min(axis=1) <= d,
        "c_pop": c_pop,
        "c_hh": c_hh,
        "per_1000": ratio * 1000,
        "access": access,
    }


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 300), m=st.integers(1, 40), d=st.floats(50, 2_500))
def test_coverage_equals_brute_force(seed: int, n: int, m: int, d: float) -> None:
    homes, facs = _frames(np.random.default_rng(seed), n, m)
    cov = fs.coverage(homes, facs, distance_m=d, population="population")
    b = _brute(homes, facs, d)
    np.testing.assert_array_equal(cov.homes["covered"].to_numpy(bool), b["covered"])
    np.testing.assert_allclose(cov.homes["distance_m"], b["nearest_d"], rtol=0, atol=1e-9)
    np.testing.assert_array_equal(cov.homes["nearest_facility"].to_numpy(int), b["nearest"])
    np.testing.assert_allclose(cov.facilities["catchment_population"], b["c_pop"])
    np.testing.assert_allclose(cov.facilities["catchment_households"], b["c_hh"])
    np.testing.assert_allclose(cov.facilities["slots_per_1000"], b["per_1000"])
    np.testing.assert_allclose(cov.homes["access_per_1000"], b["access"], rtol=1e-9, atol=1e-9)
    hh = homes["households"].to_numpy(float)
    assert cov.summary["households_covered"] == pytest.approx(hh[b["covered"]].sum())
    assert cov.summary["households_uncovered"] == pytest.approx(hh[~b["covered"]].sum())


def test_area_summary_and_2sfca_conservation() -> None:
    homes, facs = _frames(np.random.default_rng(7), 400, 25)
    cov = fs.coverage(homes, facs, distance_m=600, population="population", area="community")
    areas = cov.areas
    assert list(areas.index) == ["A", "B", "C"]
    for name, grp in homes.groupby("community"):
        covered = cov.homes.loc[grp.index, "covered"].to_numpy(bool)
        assert areas.loc[name, "households_covered"] == grp["households"].to_numpy()[covered].sum()
        assert areas.loc[name, "households"] == grp["households"].sum()
    # 2SFCA conserves supply: residents x access adds up to the slots of facilities that reach anyone
    reached = cov.facilities["catchment_population"].to_numpy() > 0
    total = (cov.homes["access_per_1000"] * homes["population"]).sum() / 1000
    assert total == pytest.approx(facs["slots"].to_numpy()[reached].sum())


def test_boundary_is_inclusive() -> None:
    homes = gpd.GeoDataFrame(
        {"households": [10, 10]}, geometry=[shapely.Point(X0, Y0), shapely.Point(X0 + 801, Y0)], crs=4549
    )
    facs = gpd.GeoDataFrame({"slots": [5]}, geometry=[shapely.Point(X0 + 800, Y0 + 0)], crs=4549)
    cov = fs.coverage(homes, facs, distance_m=800)
    assert cov.homes["covered"].tolist() == [True, True]  # exactly 800 m is within 800 m
    assert cov.homes["distance_m"].tolist() == [800.0, 1.0]


def test_without_population_per_resident_figures_are_unknown_not_zero() -> None:
    homes, facs = _frames(np.random.default_rng(1), 50, 5)
    cov = fs.coverage(homes.drop(columns="population"), facs, distance_m=500)
    assert cov.homes["access_per_1000"].isna().all() and cov.facilities["slots_per_1000"].isna().all()
    assert cov.summary["slots_per_1000"] is None and cov.summary["population_basis"] == "unknown"
    with_pph = fs.coverage(homes.drop(columns="population"), facs, distance_m=500, persons_per_household=2.7)
    assert with_pph.summary["population"] == pytest.approx(homes["households"].sum() * 2.7)


def test_degrees_are_projected_to_the_local_zone() -> None:
    # Two points 0.01° of latitude apart (about 1,109 m) near Hangzhou, in CGCS2000 degrees
    homes = gpd.GeoDataFrame({"households": [1]}, geometry=[shapely.Point(120.15, 30.25)], crs=4490)
    facs = gpd.GeoDataFrame({"slots": [1]}, geometry=[shapely.Point(120.15, 30.26)], crs=4490)
    cov = fs.coverage(homes, facs, distance_m=1_200)
    assert cov.summary["crs"] == "EPSG:4549"
    assert cov.homes.loc[0, "distance_m"] == pytest.approx(1_109, abs=2)


def test_polygons_count_at_their_centroid() -> None:
    square = shapely.box(X0, Y0, X0 + 100, Y0 + 100)
    homes = gpd.GeoDataFrame({"households": [5]}, geometry=[square], crs=4549)
    facs = gpd.GeoDataFrame({"slots": [1]}, geometry=[shapely.Point(X0 + 50, Y0 + 350)], crs=4549)
    assert fs.coverage(homes, facs, distance_m=1000).homes.loc[0, "distance_m"] == pytest.approx(300)


def test_bad_rows_stay_in_their_own_rows() -> None:
    homes = gpd.GeoDataFrame(
        {"households": [10, -3, 20, None]},
        geometry=[shapely.Point(X0, Y0), shapely.Point(X0, Y0), None, shapely.Point(X0 + 10, Y0)],
        crs=4549,
        index=[11, 12, 13, 14],
    )
    facs = gpd.GeoDataFrame({"slots": [5]}, geometry=[shapely.Point(X0 + 100, Y0)], crs=4549)
    cov = fs.coverage(homes, facs, distance_m=500)
    assert list(cov.homes.index) == [11, 12, 13, 14]
    assert cov.homes["covered"].tolist()[0] is True
    assert cov.homes["covered"].isna().tolist() == [False, True, True, True]
    errors = cov.homes["error"].tolist()
    assert errors[0] is None and "[input]" in errors[1] and "[geometry]" in errors[2] and "missing" in errors[3]
    assert cov.summary["households"] == 10 and cov.summary["errors"] == 3


def test_no_crs_is_an_error() -> None:
    homes = gpd.GeoDataFrame({"households": [1]}, geometry=[shapely.Point(120.1, 30.2)])
    facs = gpd.GeoDataFrame({"slots": [1]}, geometry=[shapely.Point(120.1, 30.2)], crs=4490)
    with pytest.raises(fs.CRSError, match="degrees"):
        fs.coverage(homes, facs, distance_m=500)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), math.inf, "800", True, 60_000])
def test_bad_distance(bad: object) -> None:
    homes, facs = _frames(np.random.default_rng(0), 3, 1)
    with pytest.raises(fs.InputError) as info:
        fs.coverage(homes, facs, distance_m=bad)  # type: ignore[arg-type]
    assert info.value.field == "distance_m"


def test_circle_needs_the_unverified_opt_in_and_uses_the_low_end() -> None:
    homes, facs = _frames(np.random.default_rng(0), 3, 1)
    with pytest.raises(fs.InputError, match="include_unverified=True"):
        fs.coverage(homes, facs, circle="15min")
    with pytest.raises(fs.InputError):
        fs.coverage(homes, facs)  # neither distance nor circle
    cov = fs.coverage(homes, facs, circle="15分钟", include_unverified=True)
    assert cov.summary["distance_m"] == 800.0 and cov.summary["verified"] is False
    assert "GB 50180-2018" in cov.summary["distance_source"] and "unverified" in cov.summary["distance_source"]


def test_missing_column_is_named() -> None:
    homes, facs = _frames(np.random.default_rng(0), 3, 1)
    with pytest.raises(fs.InputError) as info:
        fs.coverage(homes, facs.rename(columns={"slots": "beds"}), distance_m=500)
    assert info.value.field == "slots"


# --- network distance -----------------------------------------------------------------


def _grid_network(k: int, step: float) -> gpd.GeoDataFrame:
    lines = []
    for i in range(k):
        lines.append(shapely.LineString([(X0, Y0 + i * step), (X0 + (k - 1) * step, Y0 + i * step)]))
        lines.append(shapely.LineString([(X0 + i * step, Y0), (X0 + i * step, Y0 + (k - 1) * step)]))
    return gpd.GeoDataFrame(geometry=lines, crs=4549)


def test_network_distance_on_a_street_grid() -> None:
    # On a Manhattan grid with homes and facilities on intersections, walking distance is |dx| + |dy|
    rng = np.random.default_rng(3)
    step, k = 100.0, 12
    net = _grid_network(k, step)
    hij = rng.integers(0, k, (60, 2))
    fij = rng.integers(0, k, (4, 2))
    homes = gpd.GeoDataFrame({"households": np.ones(60)}, geometry=shapely.points(hij * step + (X0, Y0)), crs=4549)
    facs = gpd.GeoDataFrame({"slots": np.full(4, 10)}, geometry=shapely.points(fij * step + (X0, Y0)), crs=4549)
    d = 500.0
    cov = fs.coverage(homes, facs, distance_m=d, network=net, persons_per_household=1)
    manhattan = np.abs(hij[:, None, :] - fij[None, :, :]).sum(axis=2) * step
    near = manhattan.min(axis=1)
    np.testing.assert_array_equal(cov.homes["covered"].to_numpy(bool), near <= d)
    got = cov.homes["distance_m"].to_numpy()
    np.testing.assert_allclose(got[near <= d], near[near <= d])
    assert np.isinf(got[near > d]).all()  # beyond reach on a network: no distance is guessed
    within = manhattan <= d
    np.testing.assert_allclose(cov.facilities["catchment_households"], within.sum(axis=0))
    assert cov.summary["method"] == "network"


def test_network_must_be_lines() -> None:
    homes, facs = _frames(np.random.default_rng(0), 3, 1)
    net = gpd.GeoDataFrame(geometry=[shapely.Point(X0, Y0)], crs=4549)
    with pytest.raises(fs.InputError, match="LineString"):
        fs.coverage(homes, facs, distance_m=500, network=net)


# --- gap analysis of existing areas ---------------------------------------------------


def test_gap_analysis_xihu_existing_areas() -> None:
    # 西政办函〔2021〕15号 二(三)1: 已建成居住区 每百户不少于10平方米、最小150平方米、户外30平方米，力争在2025年之前配置到位
    areas = gpd.GeoDataFrame(
        {"households": [1000, 3000, 2000]},
        geometry=[shapely.Point(X0, Y0), shapely.Point(X0 + 400, Y0), shapely.Point(X0 + 5000, Y0)],
        crs=4549,
    )
    facs = gpd.GeoDataFrame(
        {"slots": [30], "floor_area_m2": [450.0], "outdoor_area_m2": [30.0]},
        geometry=[shapely.Point(X0 + 200, Y0)],
        crs=4549,
    )
    gap = fs.gap_analysis(areas, facs, jurisdiction="西湖区", on="2024-06-01", distance_m=500)
    assert gap["required_floor_area"].tolist() == [150.0, 300.0, 200.0]
    assert gap["required_outdoor_area"].tolist() == [30.0, 30.0, 30.0]
    # 450 m² shared 150:300 between the two areas in reach; the third has nothing nearby
    assert gap["provided_floor_area"].tolist() == [150.0, 300.0, 0.0]
    assert gap["shortfall_floor_area"].tolist() == [0.0, 0.0, 200.0]
    assert gap["shortfall_outdoor_area"].tolist() == [15.0, 15.0, 30.0]
    assert gap["required_slots"].isna().all()  # Xihu sets no slot figure: unknown, not 0
    assert gap["deadline"].astype(str).tolist() == ["2024-12-31"] * 3
    assert gap["deadline_citation"].iloc[0] == "西政办函〔2021〕15号 二(三)1"
    assert gap["overdue"].tolist() == [False, False, False]  # before the deadline
    late = fs.gap_analysis(areas, facs, jurisdiction="西湖区", on="2025-01-01", distance_m=500)
    assert late["overdue"].tolist() == [True, True, True]  # every area is short of outdoor area


def test_gap_analysis_never_counts_a_facility_twice() -> None:
    rng = np.random.default_rng(11)
    areas, facs = _frames(rng, 80, 6)
    facs["floor_area_m2"] = rng.uniform(0, 500, len(facs))
    gap = fs.gap_analysis(
        areas, facs, jurisdiction="柯桥区", on="2025-01-01", distance_m=800, persons_per_household=2.8
    )
    assert gap["provided_slots"].sum() <= facs["slots"].sum()
    assert gap["provided_floor_area"].sum() <= facs["floor_area_m2"].sum() + 1e-6
    ok = gap["error"].isna()
    # requirement = share of nearby supply + shortfall, never less
    req = gap.loc[ok, "required_slots"].astype(float)
    assert (gap.loc[ok, "provided_slots"] + gap.loc[ok, "shortfall_slots"].astype(float) >= req).all()
    assert gap["deadline"].isna().all()  # Keqiao sets no deadline for existing areas


def test_gap_analysis_unknown_capacity_is_not_zero() -> None:
    areas = gpd.GeoDataFrame({"households": [1000]}, geometry=[shapely.Point(X0, Y0)], crs=4549)
    facs = gpd.GeoDataFrame({"slots": [10]}, geometry=[shapely.Point(X0 + 10, Y0)], crs=4549)
    gap = fs.gap_analysis(areas, facs, jurisdiction="柯桥区", on="2025-01-01", distance_m=500, persons_per_household=3)
    assert pd.isna(gap.loc[0, "provided_floor_area"]) and pd.isna(gap.loc[0, "shortfall_floor_area"])
    assert gap.loc[0, "required_slots"] == 24 and gap.loc[0, "shortfall_slots"] == 14  # 3,000 × 8/1,000


def test_gap_analysis_binjiang_needs_drafts() -> None:
    areas = gpd.GeoDataFrame({"households": [1000]}, geometry=[shapely.Point(X0, Y0)], crs=4549)
    facs = gpd.GeoDataFrame({"slots": [10]}, geometry=[shapely.Point(X0 + 10, Y0)], crs=4549)
    gap = fs.gap_analysis(areas, facs, jurisdiction="滨江区", on="2025-01-01", distance_m=500, persons_per_household=3)
    assert "[draft_only]" in gap.loc[0, "error"]
    gap = fs.gap_analysis(
        areas,
        facs,
        jurisdiction="滨江区",
        on="2025-01-01",
        distance_m=500,
        persons_per_household=3,
        include_drafts=True,
    )
    # 二(二)2（征求意见稿）: 已建成居住区 不少于6托位/千人，在2025年之前配置完成
    assert gap.loc[0, "required_slots"] == 18 and gap.loc[0, "shortfall_slots"] == 8
    assert bool(gap.loc[0, "overdue"])


# --- found in review: unknowns stay unknown, odd inputs get answers or typed errors ------


def _pts(values: dict, points: list[tuple[float, float]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(values, geometry=[shapely.Point(X0 + a, Y0 + b) for a, b in points], crs=4549)


def test_a_home_with_unknown_households_makes_its_facilitys_catchment_unknown() -> None:
    homes = _pts({"households": [100, None, 50]}, [(0, 0), (10, 0), (5000, 0)])
    facs = _pts({"slots": [20, 20]}, [(5, 0), (5000, 10)])
    cov = fs.coverage(homes, facs, distance_m=500, persons_per_household=2)
    assert np.isnan(cov.facilities.loc[0, "slots_per_1000"]) and np.isnan(cov.facilities.loc[0, "catchment_households"])
    assert np.isnan(cov.homes.loc[0, "access_per_1000"])  # reaches the facility whose ratio is unknown
    assert cov.facilities.loc[1, "slots_per_1000"] == pytest.approx(200.0)  # 20 slots for 100 residents
    assert cov.summary["slots_per_1000"] is None and cov.summary["unknown_catchments"] == 1


def test_a_facility_with_unknown_slots_still_covers_but_its_ratio_is_unknown() -> None:
    homes = _pts({"households": [100]}, [(0, 0)])
    facs = _pts({"slots": [None]}, [(100, 0)])
    cov = fs.coverage(homes, facs, distance_m=500, persons_per_household=2)
    assert bool(cov.homes.loc[0, "covered"]) and np.isnan(cov.homes.loc[0, "access_per_1000"])
    assert "[input]" in cov.facilities.loc[0, "error"]


def test_no_facilities_at_all() -> None:
    homes = _pts({"households": [10]}, [(0, 0)])
    facs = gpd.GeoDataFrame({"slots": []}, geometry=[], crs=4549)
    cov = fs.coverage(homes, facs, distance_m=500)
    assert cov.homes["covered"].tolist() == [False] and np.isinf(cov.homes.loc[0, "distance_m"])
    assert cov.homes["nearest_facility"].isna().all() and cov.summary["households_uncovered"] == 10


def test_integer_facility_ids_stay_exact() -> None:
    homes = _pts({"households": [1, 1]}, [(0, 0), (50_000, 0)])
    facs = _pts({"slots": [1]}, [(10, 0)])
    facs.index = [9_007_199_254_740_993]  # above 2**53: a float would round it
    cov = fs.coverage(homes, facs, distance_m=500)
    assert cov.homes["nearest_facility"].tolist() == [9_007_199_254_740_993, 9_007_199_254_740_993]
    assert str(cov.homes["nearest_facility"].dtype) == "Int64"


def test_web_mercator_input_is_measured_in_true_metres() -> None:
    # EPSG:3857 stretches distances by 1/cos(latitude), about 15 % at Hangzhou
    homes = gpd.GeoDataFrame({"households": [1]}, geometry=[shapely.Point(120.15, 30.25)], crs=4326).to_crs(3857)
    facs = gpd.GeoDataFrame({"slots": [1]}, geometry=[shapely.Point(120.15, 30.2545)], crs=4326).to_crs(3857)
    d = fs.coverage(homes, facs, distance_m=1_000).homes.loc[0, "distance_m"]
    assert d == pytest.approx(499, abs=2)  # 0.0045° of latitude


def test_network_homes_join_long_straight_roads_near_where_they_are() -> None:
    road = gpd.GeoDataFrame(geometry=[shapely.LineString([(X0, Y0), (X0 + 2_000, Y0)])], crs=4549)
    homes = _pts({"households": [1]}, [(1_000, 10)])
    facs = _pts({"slots": [1]}, [(1_100, 10)])
    cov = fs.coverage(homes, facs, distance_m=500, network=road)
    assert bool(cov.homes.loc[0, "covered"]) and 100 <= cov.homes.loc[0, "distance_m"] <= 150


def test_network_coordinates_must_fit_its_crs() -> None:
    road = gpd.GeoDataFrame(geometry=[shapely.LineString([(X0, Y0), (X0 + 2_000, Y0)])], crs=4326)
    homes = _pts({"households": [1]}, [(0, 0)])
    with pytest.raises(fs.CRSError):
        fs.coverage(homes, _pts({"slots": [1]}, [(10, 0)]), distance_m=500, network=road)


def test_gap_an_area_with_unknown_households_leaves_its_neighbours_provision_unknown() -> None:
    areas = _pts({"households": [1000, None]}, [(10, 0), (-10, 0)])
    facs = _pts({"slots": [100], "floor_area_m2": [300.0], "outdoor_area_m2": [60.0]}, [(0, 0)])
    gap = fs.gap_analysis(areas, facs, jurisdiction="柯桥区", on="2025-06-01", distance_m=500, persons_per_household=3)
    # without the unknown neighbour the area would be credited all 300 m²; with it, nobody knows
    assert np.isnan(gap.loc[0, "provided_floor_area"]) and np.isnan(gap.loc[0, "shortfall_floor_area"])
    assert pd.isna(gap.loc[0, "shortfall_slots"]) and gap.loc[0, "required_slots"] == 24


def test_gap_unreadable_capacity_is_unknown_not_zero() -> None:
    areas = _pts({"households": [1000]}, [(0, 0)])
    facs = _pts({"slots": [10], "floor_area_m2": [None]}, [(10, 0)])
    gap = fs.gap_analysis(areas, facs, jurisdiction="西湖区", on="2025-06-01", distance_m=500)
    assert np.isnan(gap.loc[0, "provided_floor_area"]) and np.isnan(gap.loc[0, "shortfall_floor_area"])
    assert gap.attrs["facility_capacity_errors"] == {"floor_area_m2": [0]}
    # past Xihu's deadline, with the floor-area shortfall unknown and no outdoor column: unknown, not False
    assert pd.isna(gap.loc[0, "overdue"])


def test_gap_unlocated_area_warns() -> None:
    areas = gpd.GeoDataFrame({"households": [1000, 500]}, geometry=[shapely.Point(X0, Y0), None], crs=4549)
    facs = _pts({"slots": [10], "floor_area_m2": [100.0], "outdoor_area_m2": [10.0]}, [(10, 0)])
    with pytest.warns(fs.FacilitySizingWarning, match="no usable location"):
        gap = fs.gap_analysis(areas, facs, jurisdiction="西湖区", on="2024-06-01", distance_m=500)
    assert gap.attrs["unlocated_areas"] == 1 and "[geometry]" in gap.loc[1, "error"]


def test_a_circle_is_rule_data_a_rules_folder_replaces(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """GB 50180's circles are rule data in the rule book: a circles.toml given with --rules takes a circle's place."""
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "circles.toml").write_text(
        """schema = 1

[document]
number = "GB 50180-2018"
title = "城市居住区规划设计标准"
title_en = "Standard for urban residential area planning and design"
verified = true

[[circles]]
id = "5min"
name = "五分钟生活圈居住区"
name_en = "5-minute life circle"
distance_m = 250
clause = "3.0.4"
text = "步行距离 250m（测试）"
seen_in = "a bureau's own copy (test)"
""",
        encoding="utf-8",
    )
    book = fs.load_rules(folder)
    assert float(fs.service_circles().loc["5min", "distance_m"]) == 300.0
    replaced = fs.service_circles(book).loc["5min"]
    assert (float(replaced["distance_m"]), bool(replaced["verified"])) == (250.0, True)
    x, y = 500_000, 3_350_000
    homes = gpd.GeoDataFrame({"households": [100]}, geometry=[shapely.Point(x, y)], crs=4549)
    facs = gpd.GeoDataFrame({"slots": [50]}, geometry=[shapely.Point(x + 280, y)], crs=4549)
    assert fs.coverage(homes, facs, circle="5min", rulebook=book).homes["covered"].tolist() == [False]  # 280 m > 250 m
    with pytest.raises(fs.InputError):  # the built-in 5min circle is unverified: not without the opt-in
        fs.coverage(homes, facs, circle="5min")
    with pytest.raises(fs.RuleDataError) as info:
        (folder / "circles.toml").write_text(
            (folder / "circles.toml").read_text(encoding="utf-8").replace("250", "250000"), encoding="utf-8"
        )
        fs.load_rules(folder)
    assert info.value.key == "circles[0].distance_m"
