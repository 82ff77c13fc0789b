"""fs.site at scale (issue 26): the site checks as arrays, the p-median from a heuristic start, infeasibility first.

The oracles are the earlier ways: one ``fs.review`` per candidate for admissibility, HiGHS alone on
the whole p-median programme for the objective, every choice of sites for infeasibility.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.spatial import cKDTree

import facility_sizing as fs
from facility_sizing.spatial.siting import models, pmedian
from facility_sizing.spatial.siting.admissibility import SITE_CHECKS, _reason, admissibility, design_of

X0, Y0 = 500_000.0, 3_350_000.0  # EPSG:4549, near Hangzhou
ON = "2025-06-01"
JURISDICTIONS = ["西湖区", "柯桥区", "余姚市", "苏州市", "昆山市"]


# --------------------------------------------------------------------------------------
# Admissibility: arrays against one review per candidate


def _per_candidate(cand: gpd.GeoDataFrame, jurisdiction: Any, **opts: Any) -> tuple[list[str], list[Any], list[Any]]:
    """Admissibility as it was: one fs.review per candidate, its site findings as reasons."""
    table = pd.DataFrame(cand.drop(columns=cand.geometry.name))
    per_row = isinstance(jurisdiction, str) and jurisdiction in table.columns
    juris = table[jurisdiction].tolist() if per_row else [jurisdiction] * len(table)
    status, rejections, unchecked = [], [], []
    for pos, (index, row) in enumerate(zip(table.index, table.to_dict("records"), strict=True)):
        design = design_of(row, index)
        r = fs.review(  # the smallest residential project: 0 households is none, and no rule applies to it (issue 23)
            design, jurisdiction=juris[pos], households=1, population=1, area_type=opts["area_type"], on=ON,
            include_reported=opts["include_reported"], include_unverified=opts["include_unverified"],
        )  # fmt: skip
        found = []
        for f in r.findings:
            if f.check not in SITE_CHECKS:
                continue
            if f.check == "outdoor_per_slot" and design.slots is None and f.status != "not_checkable":
                f = dataclasses.replace(
                    f, status="not_checkable", required=None, shortfall=None,
                    message_zh=f.message_zh + "：候选未给出托位数", message_en=f.message_en + ": no slot count given",
                )  # fmt: skip
            found.append(f)
        fails = [_reason(f, f.status, f.provided) for f in found if f.status == "fail"]
        unknowns = [_reason(f, f.status, f.provided) for f in found if f.status == "not_checkable"]
        reject = opts["unknown"] == "reject"
        status.append("rejected" if fails or (unknowns and reject) else "unchecked" if unknowns else "admissible")
        rejections.append(fails + (unknowns if reject else []))
        unchecked.append(unknowns)
    return status, rejections, unchecked


_FLOORS = [None, -1, 1, 2, 3, 4]
_FLOOR_TEXT = [None, "1", "1,2", "-1;2", "2，3", "3"]
_AREAS = [None, 0.0, 150.0, 199.99, 200.0, 200.01, 350.5]
_OUTDOOR = [None, 0.0, 29.99, 30.0, 39.99, 40.0, 60.0, 90.0]


@st.composite
def _candidates(draw: st.DrawFn) -> tuple[gpd.GeoDataFrame, Any]:
    n = draw(st.integers(1, 10))

    def column(values: list[Any]) -> list[Any]:
        return [draw(st.sampled_from(values)) for _ in range(n)]

    cols: dict[str, Any] = {
        "floors": column(_FLOOR_TEXT if draw(st.booleans()) else _FLOORS),
        "fire_resistance_grade": column([None, 1, 2, 3, 4]),
        "floor_area_m2": column(_AREAS),
        "outdoor_area_m2": column(_OUTDOOR),
    }
    if draw(st.booleans()):
        cols["basement"] = column([None, True, False])
    if draw(st.booleans()):
        cols["single_site"] = column([None, True, False])
    if draw(st.booleans()):
        cols["slots"] = column([None, 0, 10, 20, 33])
    jurisdiction: Any = draw(st.sampled_from(JURISDICTIONS))
    if draw(st.booleans()):
        cols["区县"] = column(JURISDICTIONS)
        jurisdiction = "区县"
    if all(v is None or isinstance(v, int) for v in cols["floors"]):
        cols["floors"] = pd.array(cols["floors"], dtype="Int64")  # a numeric column, as a file gives it
    frame = pd.DataFrame(cols)
    points = shapely.points(np.c_[X0 + 10.0 * np.arange(n), np.full(n, Y0)])
    return gpd.GeoDataFrame(frame, geometry=points, crs=4549), jurisdiction


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=_candidates(),
    area_type=st.sampled_from(["existing", "new_build"]),
    unknown=st.sampled_from(["keep", "reject"]),
    include_reported=st.booleans(),
    include_unverified=st.booleans(),
)
def test_the_site_checks_as_arrays_are_the_per_candidate_review(
    case: tuple[gpd.GeoDataFrame, Any], area_type: str, unknown: str, include_reported: bool, include_unverified: bool
) -> None:
    cand, jurisdiction = case
    opts = dict(area_type=area_type, unknown=unknown, include_reported=include_reported,
                include_unverified=include_unverified)  # fmt: skip
    new = admissibility(cand, jurisdiction, ON, rulebook=None, **opts)  # type: ignore[arg-type]
    status, rejections, unchecked = _per_candidate(cand, jurisdiction, **opts)
    assert new.status.tolist() == status
    assert new.rejections == rejections
    assert new.unchecked == unchecked
    assert new.admissible.tolist() == [s != "rejected" for s in status]


def test_the_array_comparison_is_the_reviews_for_every_kind_of_figure() -> None:
    from facility_sizing.api.review import _excess
    from facility_sizing.model.quantities import DESIGN_QUANTITIES
    from facility_sizing.spatial.siting.admissibility import _fails

    storeys = [-2, -1, 0, 1, 2, 3]  # a limit of 0 is what review compares when no storey is set
    areas = [0.0, 39.99, 40.0, 40.01, 199.99, 200.0, 0.1 + 0.2, 0.3]
    for key, values in (("max_floor", storeys), ("lowest_floor", storeys), ("floor_area", areas),
                        ("service_radius", [0.0, 299.9, 300.0, 300.1])):  # fmt: skip
        spec = DESIGN_QUANTITIES[key]
        storey = spec.unit.en == "storey"
        for required, provided in itertools.product(values, [v for v in values if not storey or v != 0]):
            fails = bool(_fails(spec.direction, storey, float(required), np.array([float(provided)]))[0])
            assert fails == (_excess(spec, required, provided) > 0), (key, required, provided)


@pytest.mark.parametrize(
    ("column", "values", "key"),
    [
        ("floors", [1, "a,b"], "spatial.candidate_cell"),
        ("floors", [1, 0], "spatial.candidate_design"),
        ("fire_resistance_grade", [2, 5], "spatial.candidate_design"),
        ("fire_resistance_grade", [2, 2.5], "spatial.candidate_design"),
        ("floor_area_m2", [200.0, -1.0], "spatial.candidate_design"),
        ("floor_area_m2", [200.0, "多"], "spatial.candidate_cell"),
        ("single_site", [True, "yes"], "spatial.candidate_design"),
        ("slots", [10, 2.5], "spatial.candidate_design"),
    ],
)
def test_a_bad_cell_is_the_same_error_as_the_row_by_row_reading(column: str, values: list[Any], key: str) -> None:
    cand = gpd.GeoDataFrame({column: values}, geometry=shapely.points([(X0, Y0), (X0 + 10, Y0)]), index=["a", "b"],
                            crs=4549)  # fmt: skip
    with pytest.raises(fs.InputError) as row_by_row:
        design_of(pd.DataFrame(cand.drop(columns="geometry")).to_dict("records")[1], "b")
    with pytest.raises(fs.InputError) as arrays:
        admissibility(cand, "西湖区", ON, area_type="existing", unknown="keep", include_reported=False,
                      include_unverified=False, rulebook=None)  # fmt: skip
    assert arrays.value.message_key == row_by_row.value.message_key == key
    assert str(arrays.value) == str(row_by_row.value) and "'b'" in str(arrays.value)


# --------------------------------------------------------------------------------------
# The p-median from a heuristic start, against HiGHS alone on the whole programme


def _problem(seed: int, gap: float = 0.0) -> models.Problem:
    rng = np.random.default_rng(seed)
    nd, ne, nc = int(rng.integers(5, 150)), int(rng.integers(0, 4)), int(rng.integers(2, 25))
    dxy, fxy = rng.uniform(0, 1000, (nd, 2)), rng.uniform(0, 1000, (ne + nc, 2))
    if seed % 3 == 0:  # a grid: many ties
        dxy, fxy = np.round(dxy / 100) * 100, np.round(fxy / 100) * 100
    d = float(rng.choice([250.0, 400.0, 1500.0]))
    pairs = cKDTree(fxy).sparse_distance_matrix(cKDTree(dxy), d, output_type="ndarray")
    order = np.lexsort((pairs["j"], pairs["i"]))
    w = rng.integers(0, 20, nd).astype(float)
    f, dm, dist = pairs["i"][order].astype(np.int64), pairs["j"][order].astype(np.int64), pairs["v"][order]
    return models.Problem(w, ne, nc, None, dm, f, dist, "p_median", int(rng.integers(1, nc + 1)), 60.0, gap)


@pytest.mark.parametrize("weak_start", [False, True])
@pytest.mark.parametrize("seed", range(60))
def test_the_p_median_equals_highs_alone_on_the_whole_programme(
    seed: int, weak_start: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if weak_start:  # greedy alone, no interchange: the bound and HiGHS must find the optimum themselves
        monkeypatch.setattr(pmedian._Search, "descend", lambda self, o: (o, self.value(o)))
    p = _problem(seed)
    res, *_ = models._assigning(p)
    s = models.solve(p)
    if res.status == 2:
        assert s.status == "infeasible" and len(s.infeasible) and s.infeasible_kind in ("disjoint", "left_out")
        return
    assert res.status == 0 and s.status == "optimal"
    assert s.objective == pytest.approx(res.fun, rel=1e-9, abs=1e-6)
    assert s.mip_gap is not None and s.mip_gap <= 1e-9
    assert len(s.chosen) == p.k


def test_a_stated_gap_is_met_and_reported() -> None:
    rng = np.random.default_rng(7)
    demand = gpd.GeoDataFrame({"slots": rng.integers(1, 40, 400).astype(float)},
                              geometry=shapely.points(rng.uniform(0, 3000, (400, 2)) + np.array([X0, Y0])), crs=4549)  # fmt: skip
    cand = gpd.GeoDataFrame({"floors": np.ones(40, dtype=int)},
                            geometry=shapely.points(rng.uniform(0, 3000, (40, 2)) + np.array([X0, Y0])), crs=4549)  # fmt: skip
    exact = fs.site(demand, cand, distance_m=5000, model="p_median", k=5)
    near = fs.site(demand, cand, distance_m=5000, model="p_median", k=5, mip_rel_gap=0.02)
    assert exact.status == near.status == "optimal" and exact.summary["mip_gap"] <= 1e-9
    assert near.summary["mip_rel_gap"] == 0.02 and near.summary["mip_gap"] <= 0.02
    assert exact.objective <= near.objective * (1 + 1e-9) and near.objective <= exact.objective * 1.02 + 1e-6
    assert "要求 ≤ 2.00%" in repr(near)
    with pytest.raises(fs.InputError, match="mip_rel_gap"):
        fs.site(demand, cand, distance_m=5000, model="p_median", k=5, mip_rel_gap=1.5)
    with pytest.raises(fs.InputError, match="time_limit"):
        fs.site(demand, cand, distance_m=5000, model="p_median", k=5, time_limit=0)


# --------------------------------------------------------------------------------------
# Infeasibility before any solver, naming the points


def _no_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the solver was called")

    monkeypatch.setattr(models, "milp", refuse)
    monkeypatch.setattr(pmedian, "milp", refuse)


def test_points_no_k_sites_can_serve_are_named_before_any_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    # three points 1 km apart, each with its own candidate 100 m away; a fourth point 5 km away, out of reach
    demand = gpd.GeoDataFrame({"slots": [10.0, 20.0, 30.0, 5.0]},
                              geometry=shapely.points([(X0, Y0), (X0 + 1000, Y0), (X0 + 2000, Y0), (X0 + 5000, Y0)]),
                              index=["p", "q", "r", "far"], crs=4549)  # fmt: skip
    cand = gpd.GeoDataFrame({"floors": [1, 1, 1]}, geometry=shapely.points([(X0 + 100 + 1000 * i, Y0) for i in range(3)]),
                            crs=4549)  # fmt: skip
    _no_solver(monkeypatch)
    s = fs.site(demand, cand, distance_m=300, model="p_median", k=2)
    assert s.status == "infeasible" and math.isnan(s.objective)
    assert s.summary["infeasible_points"] == ["p", "q", "r"]
    assert any("3 demand points share no candidate site" in note for note in s.summary["notes"])
    assert s.unreachable.to_dict("records") == [{"demand": "far", "weight": 5.0}]
    assert s.summary["out_of_reach_points"] == 1 and "1 点 points" in repr(s)
    monkeypatch.undo()
    served = fs.site(demand, cand, distance_m=300, model="p_median", k=3)  # k = 3 serves the rest
    assert served.status == "optimal" and served.objective == pytest.approx(100 * (10 + 20 + 30))
    assert served.unreachable["demand"].tolist() == ["far"] and served.summary["infeasible_points"] == []


def test_when_no_two_points_are_apart_the_best_k_sites_name_the_point_left_out() -> None:
    # a pentagon: each candidate, at an edge's middle, reaches the edge's two corners (588 m) and no other
    # corner (1,468 m): no two corners are apart from each other's sites two by two, yet 2 sites serve only 4
    angles = np.radians(90 + 72 * np.arange(5))
    corners = np.c_[1000 * np.cos(angles), 1000 * np.sin(angles)]
    middles = (corners + np.roll(corners, -1, axis=0)) / 2
    demand = gpd.GeoDataFrame(
        {"slots": np.full(5, 10.0)}, geometry=shapely.points(corners + np.array([X0, Y0])), crs=4549
    )
    cand = gpd.GeoDataFrame(
        {"floors": np.ones(5, dtype=int)}, geometry=shapely.points(middles + np.array([X0, Y0])), crs=4549
    )
    s = fs.site(demand, cand, distance_m=600, model="p_median", k=2)
    assert s.status == "infeasible" and len(s.summary["infeasible_points"]) == 1
    assert any("still leave 1 demand points unserved" in note for note in s.summary["notes"])
    assert fs.site(demand, cand, distance_m=600, model="p_median", k=3).status == "optimal"
    # by every choice of 2 sites, as the note says: at least one corner is left out
    reach = np.hypot(*(corners[:, None, :] - middles[None, :, :]).transpose(2, 0, 1)) <= 600
    assert all(not reach[:, list(pair)].any(axis=1).all() for pair in itertools.combinations(range(5), 2))


# --------------------------------------------------------------------------------------
# The covering rows merged as before


def _merged_by_bytes(d: np.ndarray, j: np.ndarray, weight: np.ndarray) -> tuple[list[list[int]], list[float]]:
    """The rows of demand with the same candidates, by their first point (the earlier way)."""
    rows: dict[bytes, tuple[list[int], float]] = {}
    for point in sorted(set(d.tolist())):
        sites = sorted(j[d == point].tolist())
        key = np.array(sites).tobytes()
        cols, w = rows.get(key, (sites, 0.0))
        rows[key] = (cols, w + float(weight[point]))
    return [c for c, _ in rows.values()], [w for _, w in rows.values()]


@pytest.mark.parametrize("collide", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_demand_with_the_same_sites_in_reach_is_one_row(
    seed: int, collide: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(seed)
    pairs = np.unique(np.c_[rng.integers(0, 60, 200), rng.integers(0, 6, 200)], axis=0)
    d, j, w = pairs[:, 0], pairs[:, 1], rng.random(60)
    if collide:  # every fingerprint 1: {0, 3} and {1, 2} agree in it, and the lists are compared instead
        row_of = models._row_of
        monkeypatch.setattr(models, "_row_of", lambda j, s, n: row_of(j, s, n, np.ones(6, dtype=np.uint64)))
    (r, c), weights = models._merge_rows(d, j, w)
    rows = [c[r == i].tolist() for i in range(len(weights))]
    expected_rows, expected_weights = _merged_by_bytes(d, j, w)
    assert rows == expected_rows
    assert weights.tolist() == pytest.approx(expected_weights)
