"""fs.site: the literal cases of issue 16, and the objective against spopt and brute force."""

from __future__ import annotations

import itertools
import json

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

import facility_sizing as fs
from facility_sizing.cli import main

X0, Y0 = 500_000.0, 3_350_000.0  # EPSG:4549, near Hangzhou
ON = "2025-06-01"


def _points(xs: list[float], **cols: list[object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(cols, geometry=[shapely.Point(X0 + x, Y0) for x in xs], crs=4549)


# --------------------------------------------------------------------------------------
# The literal tests


def test_a_candidate_on_floor_3_in_xihu_is_rejected_citing_the_notice() -> None:
    demand = _points([0.0], slots=[20])
    cand = _points([50.0, 60.0], floors=[3, 1])
    s = fs.site(demand, cand, distance_m=300, model="lscp", jurisdiction="西湖区", area_type="new_build", on=ON)
    rej = s.rejected[s.rejected["candidate"] == 0]
    row = rej[rej["rule_id"] == "xihu.max_floor"].iloc[0]
    assert (row["document"], row["clause"]) == ("西政办函〔2021〕15号", "二(三)1")
    assert "一般" in row["reason"] and "generally" in row["reason"]
    assert s.chosen.index.tolist() == [1]
    # the limit is the new-build sentence's (issue 23 finding 4): an existing area's floor 3 is not refused by it
    existing = fs.site(demand, cand, distance_m=300, model="lscp", jurisdiction="西湖区", area_type="existing", on=ON)
    assert "xihu.max_floor" not in set(existing.rejected["rule_id"])


def test_a_basement_candidate_is_rejected_citing_gb_50016_5_4_4() -> None:
    demand = _points([0.0], slots=[20])
    cand = _points([50.0, 60.0, 70.0], floors=[1, -1, 1], basement=[True, False, False])
    s = fs.site(demand, cand, distance_m=300, model="mclp", k=1, jurisdiction="西湖区", on=ON)
    gb = s.rejected[s.rejected["rule_id"] == "cn.gb50016.no_basement"]
    assert sorted(gb["candidate"]) == [0, 1]
    assert set(gb["document"]) == {"GB 50016-2014（2018年版）"} and set(gb["clause"]) == {"5.4.4"}
    assert s.chosen.index.tolist() == [2]


def test_existing_capacity_is_used_before_any_new_site_is_opened() -> None:
    demand = _points([0.0, 50.0], slots=[80, 70])
    existing = _points([10.0], slots=[100])
    cand = _points([20.0, 30.0], floors=[1, 1], slots=[200, 200])
    s = fs.site(demand, cand, existing, distance_m=300, model="lscp", capacitated=True, jurisdiction="西湖区", on=ON)
    assert s.objective == 1 and s.status == "optimal"
    used = s.assignment.groupby("kind")["weight"].sum()
    assert used["existing"] == pytest.approx(100) and used["new"] == pytest.approx(50)
    assert s.summary["covered_before"] == pytest.approx(100) and s.summary["covered_after"] == pytest.approx(150)
    # enough existing capacity: no new site at all
    small = _points([0.0, 50.0], slots=[60, 40])
    s = fs.site(small, cand, existing, distance_m=300, model="lscp", capacitated=True, jurisdiction="西湖区", on=ON)
    assert s.objective == 0 and s.chosen.empty and set(s.assignment["kind"]) == {"existing"}


def test_unknown_facts_are_flagged_not_passed_and_reject_on_request() -> None:
    demand = _points([0.0], slots=[20])
    cand = _points([50.0], floors=[1])  # no fire-resistance grade, no areas
    kept = fs.site(demand, cand, distance_m=300, model="lscp", jurisdiction="西湖区", on=ON)
    assert kept.chosen["site_status"].tolist() == ["unchecked"]
    assert "耐火等级" in kept.chosen["site_flags"].iloc[0]
    rejected = fs.site(demand, cand, distance_m=300, model="lscp", jurisdiction="西湖区", on=ON, unknown="reject")
    assert rejected.chosen.empty and "max_floor_by_fire_grade" in set(rejected.rejected["check"])
    assert rejected.summary["shortfall_after"] == 20


def test_the_chosen_site_says_what_it_must_provide_under_the_rules() -> None:
    demand = _points([0.0, 100.0], households=[1000, 500])
    cand = _points([50.0], floors=[1], fire_resistance_grade=[2], floor_area_m2=[300.0], outdoor_area_m2=[60.0])
    s = fs.site(
        demand, cand, distance_m=300, model="lscp", weight="households", unit="households",
        jurisdiction="西湖区", on=ON,
    )  # fmt: skip
    row = s.chosen.iloc[0]
    assert row["site_status"] == "admissible"
    assert row["floor_area_m2"] == 150.0  # 1,500 households × 10 m²/100户 (existing areas)
    assert "西政办函〔2021〕15号" in row["provide_basis"]
    by_slots = fs.site(_points([0.0], slots=[12]), cand, distance_m=300, model="lscp", jurisdiction="西湖区", on=ON)
    assert by_slots.chosen["slots_required"].tolist() == [12]
    assert by_slots.chosen["floor_area_m2"].isna().all()


def test_results_read_in_both_languages_and_bad_arguments_name_the_fix() -> None:
    demand = _points([0.0, 1000.0], slots=[20, 30])
    cand = _points([50.0, 3000.0], floors=[1, 1])
    s = fs.site(demand, cand, distance_m=300, model="mclp", k=1, jurisdiction="西湖区", on=ON)
    md = s.to_markdown()
    assert "选定地块 Chosen sites" in md and "剩余缺口 remaining shortfall" in md
    assert s.summary["out_of_reach"] == 30 and s.summary["shortfall_after"] == 30
    assert "MIP gap" in repr(s) and "<table>" in s._repr_html_()
    with pytest.raises(fs.InputError, match="k"):
        fs.site(demand, cand, distance_m=300, model="mclp")
    with pytest.raises(fs.InputError, match="model"):
        fs.site(demand, cand, distance_m=300, model="p-centre", k=1)
    with pytest.raises(fs.InputError, match="distance_m"):
        fs.site(demand, cand, distance_m=-1, model="lscp")


def test_a_degree_based_crs_is_projected_not_measured_in_degrees() -> None:
    demand = _points([0.0], slots=[20]).to_crs(4490)
    cand = _points([200.0], floors=[1]).to_crs(4490)
    s = fs.site(demand, cand, distance_m=250, model="lscp")
    assert s.summary["crs"] != "EPSG:4490" and s.assignment["distance_m"].iloc[0] == pytest.approx(200, abs=0.5)
    assert fs.site(demand, cand, distance_m=150, model="lscp").chosen.empty


def test_the_command_line_writes_the_chosen_sites(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    _points([0.0, 600.0], slots=[20, 30]).to_file(tmp_path / "d.gpkg")
    _points([50.0, 650.0, 700.0], floors=[1, 1, 3]).to_file(tmp_path / "c.gpkg")
    argv = ["site", str(tmp_path / "d.gpkg"), str(tmp_path / "c.gpkg"), "--distance", "300", "--model", "mclp"]
    out = tmp_path / "chosen.gpkg"
    assert main([*argv, "--k", "2", "-j", "西湖区", "-t", "new_build", "--on", ON, "-o", str(out), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["new_sites"] == 2 and payload["rejected"][0]["clause"] == "二(三)1"
    assert len(gpd.read_file(out)) == 2


# --------------------------------------------------------------------------------------
# The objective against brute force (every subset) and spopt


def _instance(seed: int, nd: int, nc: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    dxy, cxy = rng.uniform(0, 1000, (nd, 2)), rng.uniform(0, 1000, (nc, 2))
    dist = np.hypot(dxy[:, None, 0] - cxy[None, :, 0], dxy[:, None, 1] - cxy[None, :, 1])
    return dxy, cxy, dist


def _site(
    dxy: np.ndarray, cxy: np.ndarray, w: np.ndarray, d: float, model: str, k: int | None, **kw: object
) -> fs.Siting:
    demand = gpd.GeoDataFrame({"slots": w}, geometry=shapely.points(dxy + np.array([X0, Y0])), crs=4549)
    cand = gpd.GeoDataFrame(
        {"slots": kw.pop("cap", np.zeros(len(cxy)))}, geometry=shapely.points(cxy + np.array([X0, Y0])), crs=4549
    )
    return fs.site(demand, cand, distance_m=d, model=model, k=k, **kw)  # type: ignore[arg-type]


def _brute(
    dist: np.ndarray, w: np.ndarray, d: float, model: str, k: int, cap: np.ndarray | None = None
) -> float | None:
    """The optimum by trying every subset of candidates (and, capacitated, an LP for the assignment)."""
    nc = dist.shape[1]
    need = (w > 0) & (dist <= d).any(axis=1)
    best: float | None = None
    for size in range(nc + 1) if model == "lscp" else [k]:
        for subset in itertools.combinations(range(nc), size):
            value = _value(dist[:, list(subset)], w, d, model, need, None if cap is None else cap[list(subset)])
            if value is None:
                continue
            if model == "lscp":
                return float(size)
            better = best is None or (value > best if model == "mclp" else value < best)
            best = value if better else best
    return best


def _value(
    dist: np.ndarray, w: np.ndarray, d: float, model: str, need: np.ndarray, cap: np.ndarray | None
) -> float | None:
    reach = dist <= d
    if cap is not None:
        return _lp_value(dist, w, reach, model, need, cap)
    covered = reach.any(axis=1)
    if model == "lscp":
        return 0.0 if covered[need].all() else None
    if model == "mclp":
        return float(w[covered].sum())
    if not covered[need].all():
        return None
    nearest = np.where(reach, dist, np.inf).min(axis=1, initial=np.inf)
    return float((w * np.where(need, nearest, 0.0)).sum())


def _lp_value(
    dist: np.ndarray, w: np.ndarray, reach: np.ndarray, model: str, need: np.ndarray, cap: np.ndarray
) -> float | None:
    nd, nc = reach.shape
    pairs = [(i, j) for i in range(nd) for j in range(nc) if reach[i, j] and w[i] > 0]
    if not pairs:
        return 0.0 if model == "mclp" or not need.any() else None
    a_one = np.zeros((nd, len(pairs)))
    a_cap = np.zeros((nc, len(pairs)))
    for p, (i, j) in enumerate(pairs):
        a_one[i, p], a_cap[j, p] = 1, w[i]
    cost = {
        "mclp": [-w[i] for i, _ in pairs],
        "lscp": [0.0] * len(pairs),
        "p_median": [w[i] * dist[i, j] for i, j in pairs],
    }
    eq = model != "mclp"
    res = linprog(
        cost[model], A_ub=np.vstack([a_cap] + ([] if eq else [a_one])), b_ub=np.r_[cap, [] if eq else np.ones(nd)],
        A_eq=a_one[need] if eq else None, b_eq=np.ones(need.sum()) if eq else None, bounds=(0, 1),
    )  # fmt: skip
    if res.status != 0:
        return None
    return float(-res.fun) if model == "mclp" else float(res.fun)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    nd=st.integers(1, 8),
    nc=st.integers(1, 5),
    model=st.sampled_from(["lscp", "mclp", "p_median"]),
    capacitated=st.booleans(),
)
def test_the_objective_equals_the_brute_force_optimum(
    seed: int, nd: int, nc: int, model: str, capacitated: bool
) -> None:
    dxy, cxy, dist = _instance(seed, nd, nc)
    rng = np.random.default_rng(seed + 1)
    w = rng.integers(0, 10, nd).astype(float)
    cap = rng.integers(5, 30, nc).astype(float) if capacitated else None
    k = int(rng.integers(1, nc + 1))
    d = 400.0
    s = _site(
        dxy,
        cxy,
        w,
        d,
        model,
        None if model == "lscp" else k,
        capacitated=capacitated,
        cap=cap if capacitated else np.zeros(nc),
    )
    expected = _brute(dist, w, d, model, k, cap)
    if expected is None:
        assert s.status == "infeasible"
    else:
        assert s.status == "optimal"
        assert s.objective == pytest.approx(expected, rel=1e-7, abs=1e-6)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("seed", range(4))
def test_the_objective_equals_spopts(seed: int) -> None:
    pulp = pytest.importorskip("pulp")
    locate = pytest.importorskip("spopt.locate")
    dxy, cxy, dist = _instance(seed, 30, 8)
    w = np.random.default_rng(seed).integers(1, 20, 30).astype(float)
    solver = pulp.PULP_CBC_CMD(msg=False)
    far = 2000.0  # beyond the instance's diameter: every demand reaches every site (p-median has no radius)
    lscp = locate.LSCP.from_cost_matrix(dist, service_radius=far / 4).solve(solver)
    mclp = locate.MCLP.from_cost_matrix(dist, w, service_radius=250.0, p_facilities=3).solve(solver)
    pmed = locate.PMedian.from_cost_matrix(dist, w, p_facilities=3).solve(solver)
    if lscp.problem.status == 1:
        assert _site(dxy, cxy, w, far / 4, "lscp", None).objective == pytest.approx(lscp.problem.objective.value())
    assert _site(dxy, cxy, w, 250.0, "mclp", 3).objective == pytest.approx(mclp.problem.objective.value())
    assert _site(dxy, cxy, w, far, "p_median", 3).objective == pytest.approx(pmed.problem.objective.value(), rel=1e-6)


def test_the_siting_map_draws_every_kind_of_site_and_the_assignment() -> None:
    # issue 16: "a map" — demand, existing facilities, chosen sites, excluded candidates, who serves whom
    import matplotlib

    matplotlib.use("Agg")
    import geopandas as gpd
    import shapely

    def at(*xs: float) -> object:  # metres along a line in Hangzhou's CGCS2000 zone
        return shapely.points([(500_000 + x, 3_300_000) for x in xs])

    demand = gpd.GeoDataFrame({"slots": [30, 20, 40]}, geometry=at(0, 250, 1000), crs=4549)
    cand = gpd.GeoDataFrame({"floors": [1, 3, 1]}, geometry=at(100, 600, 900), index=["a", "b", "c"], crs=4549)
    existing = gpd.GeoDataFrame({"slots": [10]}, geometry=at(50), index=["old"], crs=4549)
    s = fs.site(demand, cand, existing=existing, distance_m=300, model="lscp", jurisdiction="西湖区",
                area_type="new_build", on="2025-01-01")  # fmt: skip
    assert "b" in set(s.rejected["candidate"])  # floor 3 in a Xihu new-build area: 西政办函〔2021〕15号 二(三)1
    ax = fs.plot_siting(s, demand, cand, existing, weight="slots")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    for kind in ("demand", "existing facility", "chosen new site", "candidate excluded by a rule", "demand served by"):
        assert any(kind in label for label in labels), kind
    [lines] = [c for c in ax.collections if type(c).__name__ == "LineCollection"]
    assert len(lines.get_segments()) == len(s.assignment)


def test_the_sites_chosen_do_not_depend_on_the_order_pairs_are_found_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """Among equally good choices (ties are common on a grid), the pick follows the model's stated column
    order (facility, then demand point), not the order the spatial index happened to find the pairs in."""
    from facility_sizing.spatial.siting import site as siting

    origin = np.array([500_000.0, 3_350_000.0])
    rng = np.random.default_rng(0)
    dxy = rng.integers(0, 10, (40, 2)) * 100.0
    cxy = rng.integers(0, 10, (12, 2)) * 100.0
    demand = gpd.GeoDataFrame({"slots": np.full(40, 10)}, geometry=shapely.points(dxy + origin), crs=4549)
    cand = gpd.GeoDataFrame({"slots": np.full(12, 60)}, geometry=shapely.points(cxy + origin), crs=4549)
    exy = rng.integers(0, 10, (2, 2)) * 100.0 + origin
    existing = gpd.GeoDataFrame({"slots": [50, 50]}, geometry=shapely.points(exy), crs=4549)

    def run() -> tuple[list[object], float]:
        s = fs.site(demand, cand, existing, distance_m=300, model="mclp", k=3, capacitated=True)
        return s.chosen.index.tolist(), s.objective

    as_found = run()
    found = siting.pairs_within
    for seed in range(4):
        perm = np.random.default_rng(seed)

        def shuffled(
            *args: object, perm: np.random.Generator = perm, **kwargs: object
        ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
            chunks = list(found(*args, **kwargs))  # type: ignore[arg-type]
            pd_, pf, dist = (np.concatenate([c[i] for c in chunks]) for i in range(3))
            order = perm.permutation(len(pd_))
            return [(pd_[order], pf[order], dist[order])]

        monkeypatch.setattr(siting, "pairs_within", shuffled)
        assert run() == as_found
