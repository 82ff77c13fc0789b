"""Siting the shortfall: where new facilities should go, among the candidate sites the rules admit.

:func:`site` reads the demand (points with a weight: slots, households or population, e.g. the
``shortfall_slots`` of :func:`~facility_sizing.gap_analysis`), the existing facilities (fixed,
with their slots) and the candidate sites; checks every candidate against the rules in force
(:mod:`.admissibility`, through :func:`~facility_sizing.review`); finds the pairs within reach
(:func:`~facility_sizing.spatial.access.reach.pairs_within`, in the CRS
:mod:`~facility_sizing.spatial.geometry.crs` chooses); solves the model with HiGHS
(:mod:`.models`); and says what each chosen site must provide under the rules
(:func:`~facility_sizing.size`). The result is a :class:`~.result.Siting`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from ...api.sizing import size
from ...engine.inputs import RowErrors
from ...errors import FacilitySizingError, FacilitySizingWarning, InputError, bilingual
from ...messages import Message
from ..access.inputs import numbers, service_distance
from ..access.reach import pairs_within
from ..geometry.locate import check_frame, locate
from .admissibility import Admissibility, admissibility
from .models import MODELS, Problem, Solution, solve
from .result import Siting

__all__ = ["Siting", "site"]

#: The units a demand weight may be in.
UNITS: tuple[str, ...] = ("slots", "households", "population")

_MEANING = {
    "lscp": "新设施数 number of new sites",
    "mclp": "覆盖需求（含已有设施）demand covered, existing facilities included",
    "p_median": "需求加权距离（米）demand-weighted distance (m)",
}


def site(
    demand: Any,
    candidates: Any,
    existing: Any = None,
    *,
    distance_m: float,
    model: str = "mclp",
    k: int | None = None,
    weight: str = "slots",
    unit: str = "slots",
    capacitated: bool = False,
    slots: str = "slots",
    jurisdiction: Any = None,
    on: Any = None,
    area_type: str = "existing",
    unknown: str = "keep",
    include_reported: bool = False,
    include_unverified: bool = False,
    persons_per_household: float | None = None,
    time_limit: float = 600.0,
    mip_rel_gap: float = 0.0,
    assume_crs: object = None,
    rulebook: Any = None,
) -> Siting:
    """Where new facilities should go: the fewest, the best k, or the nearest, among admissible sites.

    Parameters
    ----------
    demand : geopandas.GeoDataFrame
        Demand points (polygons count at their centroid) with a ``weight`` column.
    candidates : geopandas.GeoDataFrame
        Candidate sites, with what is known of them in columns named as :class:`Design`'s fields
        (``floors``: a storey, a list or "1,2"; ``fire_resistance_grade``; ``floor_area_m2``;
        ``outdoor_area_m2``; ``single_site``; ``slots``: the site's capacity) and ``basement``.
    existing : geopandas.GeoDataFrame, optional
        Existing facilities: always open, with their ``slots`` (needed when capacitated).
    distance_m : float
        The service distance in metres (straight-line, in the CGCS2000 Gauss-Krüger zone of the
        demand's centre; a degree-based CRS is projected, never measured in degrees).
    model : {"lscp", "mclp", "p_median"}, default "mclp"
        Fewest new sites covering all demand in reach; most demand covered by ``k`` new sites;
        least demand-weighted distance with ``k`` new sites (demand is assigned within reach only).
    k : int, optional
        New sites to open (MCLP, p-median). If fewer candidates are admissible, all of them.
    weight : str, default "slots"
        Demand column; ``unit`` says what it counts (``slots``, ``households``, ``population``).
    capacitated : bool, default False
        No facility is assigned more demand than its ``slots``; existing capacity is used first.
    jurisdiction : str, int or column of ``candidates``, optional
        Whose rules decide admissibility and what a chosen site must provide. Without it no
        rule is checked and every candidate is flagged as unchecked.
    on : date or str, optional
        The date whose rules apply (default today).
    area_type : str, default "existing"
        The area type whose rules apply (new facilities for existing areas' shortfall).
    unknown : {"keep", "reject"}, default "keep"
        A candidate whose facts do not let a rule be checked is kept and flagged, or rejected.
    include_reported, include_unverified : bool, default False
        As in :func:`review`: apply rules known by report only (JGJ 39 3.2.3, 3 m² of outdoor area
        per child) or by paraphrase.
    persons_per_household : float, optional
        Passed to :func:`size` when the chosen sites' requirement is worked out from households.
    time_limit, mip_rel_gap : float
        The solver's limits: seconds, and the relative MIP gap at which to stop (the default 0
        asks for a proven optimum; 0.005 stops within 0.5 % of it). The gap reached is
        ``summary["mip_gap"]``. An uncapacitated p-median starts from a heuristic (greedy and
        interchange) and a Lagrangian bound, and HiGHS solves what they leave open.
    assume_crs, rulebook
        As in :func:`coverage` and :func:`size`.

    Returns
    -------
    Siting
        ``chosen``, ``rejected``, ``assignment``, ``objective``, ``status``, ``summary`` and
        ``unreachable`` (demand points no site reaches: left out, and the model serves the rest).
        A p-median that ``k`` sites cannot serve is ``"infeasible"`` before any solver runs, and
        ``summary["infeasible_points"]`` names the points that show it.

    Raises
    ------
    InputError
        A bad model, k, unit, distance, column, time limit or gap; an existing facility without
        slots when capacitated.

    Examples
    --------
    >>> import geopandas as gpd, shapely, facility_sizing as fs
    >>> x, y = 500_000, 3_350_000
    >>> pts = lambda *xs: [shapely.Point(x + dx, y) for dx in xs]
    >>> demand = gpd.GeoDataFrame({"slots": [30, 20, 40]}, geometry=pts(0, 250, 1000), crs=4549)
    >>> cand = gpd.GeoDataFrame({"floors": [1, 3, 1]}, geometry=pts(100, 1000, 900), crs=4549)
    >>> s = fs.site(demand, cand, distance_m=300, model="lscp", jurisdiction="西湖区", area_type="new_build",
    ...             on="2025-06-01")
    >>> s.status, s.objective, s.chosen.index.tolist()
    ('optimal', 2.0, [0, 2])
    >>> s.rejected[["candidate", "document", "clause"]].values.tolist()
    [[1, '西政办函〔2021〕15号', '二(三)1']]
    """
    model, k = _check_model(model, k)
    limits = _check_limits(time_limit, mip_rel_gap)
    if unit not in UNITS:
        raise InputError("spatial.one_of", field="unit", value=unit, choices=list(UNITS))
    d, _ = service_distance(distance_m, None, False)
    check_frame("demand", demand)
    check_frame("candidates", candidates)
    if existing is not None:
        check_frame("existing", existing)
    opts = dict(area_type=area_type, include_reported=bool(include_reported), rulebook=rulebook)
    adm = _admissibility(candidates, jurisdiction, on, unknown, bool(include_unverified), opts)
    places = _locate(demand, candidates, existing, weight, slots, capacitated, assume_crs, adm)
    chosen_pos = np.flatnonzero(places.admissible)
    k_used = None if k is None else min(k, len(chosen_pos))
    problem = _problem(places, d, model, k_used, capacitated, chosen_pos, limits, assume_crs)
    sol = solve(problem)
    before = solve(_before(problem))
    chosen = _chosen_table(candidates, chosen_pos[sol.chosen], sol, places.n_existing, adm)
    _provide(chosen, unit, jurisdiction, on, persons_per_household, opts)
    e_index = pd.Index([]) if existing is None else existing.index[places.e_rows]
    assignment = _assignment(sol, demand.index, e_index, candidates.index, chosen_pos, places.n_existing)
    summary = _summary(places, problem, sol, before, (model, unit, d, k, k_used), adm, jurisdiction)
    summary["infeasible_points"] = _labels(demand.index, sol.infeasible)
    if sol.infeasible_kind:
        summary["notes"].append(_infeasible_note(sol, k_used))
    unreachable = pd.DataFrame(
        {"demand": _labels(demand.index, sol.unreachable), "weight": places.weight[sol.unreachable]}
    )
    return Siting(chosen, _rejected(candidates.index, adm), assignment, sol.objective, sol.status, summary, unreachable)


def _infeasible_note(sol: Solution, k: int | None) -> str:
    """Why no choice of k sites serves every point in reach, naming how many points show it."""
    n = len(sol.infeasible)
    if sol.infeasible_kind == "disjoint":
        return bilingual(
            f"{n} 个需求点两两之间没有共同的可及候选地块，k={k} 处新设施无法全部服务（见 summary 的 infeasible_points）",
            f"{n} demand points share no candidate site in reach, two by two: k={k} new sites cannot serve them "
            "all (see infeasible_points in the summary)",
        )
    return bilingual(
        f"k={k} 处新设施最多也有 {n} 个需求点无法服务（见 summary 的 infeasible_points）",
        f"the best k={k} new sites still leave {n} demand points unserved (see infeasible_points in the summary)",
    )


def _check_limits(time_limit: object, gap: object) -> tuple[float, float]:
    """The solver's time limit (seconds, > 0) and the MIP gap asked for (a share, 0 ≤ gap < 1)."""
    numeric = (int, float, np.integer, np.floating)
    if isinstance(time_limit, bool) or not isinstance(time_limit, numeric) or not float(time_limit) > 0:
        raise InputError("spatial.not_positive", field="time_limit", value=time_limit)
    if isinstance(gap, bool) or not isinstance(gap, numeric) or not 0 <= float(gap) < 1:
        raise InputError("siting.gap_out_of_range", field="mip_rel_gap", value=gap)
    return float(time_limit), float(gap)


def _check_model(model: object, k: object) -> tuple[str, int | None]:
    key = str(model).lower().replace("-", "_")
    if key not in MODELS:
        raise InputError("spatial.one_of", field="model", value=model, choices=list(MODELS))
    if key == "lscp":
        return key, None
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise InputError("spatial.k_needed", field="k", value=k, model=key)
    return key, int(k)


def _admissibility(
    candidates: Any, jurisdiction: Any, on: Any, unknown: str, unverified: bool, opts: dict[str, Any]
) -> Admissibility:
    if jurisdiction is None:
        if unknown not in ("keep", "reject"):
            raise InputError("spatial.one_of", field="unknown", value=unknown, choices=["keep", "reject"])
        note = {
            "check": "jurisdiction", "status": "not_checkable", "rule_id": None, "document": None, "clause": None,
            "strength": None, "required": None, "provided": None,
            "reason": bilingual("未给出辖区，未按任何规则核对", "no jurisdiction given: not checked against any rule"),
        }  # fmt: skip
        n = len(candidates)
        status = np.full(n, "unchecked" if unknown == "keep" else "rejected", dtype=object)
        rej = [[note] if unknown == "reject" else [] for _ in range(n)]
        return Admissibility(status != "rejected", status, rej, [[note] for _ in range(n)])
    return admissibility(candidates, jurisdiction, on, unknown=unknown, include_unverified=unverified, **opts)


class _Places:
    """Demand, existing facilities and candidates located in metres, with weights and capacities."""

    def __init__(self, **kw: Any) -> None:
        self.dxy: np.ndarray = kw["dxy"]
        self.exy: np.ndarray = kw["exy"]
        self.cxy: np.ndarray = kw["cxy"]
        self.weight: np.ndarray = kw["weight"]
        self.demand_errors: int = kw["demand_errors"]
        self.ecap: np.ndarray = kw["ecap"]
        self.ccap: np.ndarray | None = kw["ccap"]
        self.admissible: np.ndarray = kw["admissible"]
        self.target: Any = kw["target"]
        self.e_rows: np.ndarray = kw["e_rows"]

    @property
    def n_existing(self) -> int:
        return len(self.exy)


def _locate(
    demand: Any,
    candidates: Any,
    existing: Any,
    weight: str,
    slots: str,
    capacitated: bool,
    assume_crs: object,
    adm: Admissibility,
) -> _Places:
    """Everything in metres; unlocated candidates and candidates of unknown capacity are rejected."""
    dp, cp, target = locate("demand", demand, candidates, assume_crs)
    w = numbers("weight", demand, weight, dp.errors)
    bad_d = dp.errors.mask
    w = np.where(bad_d, 0.0, w)
    c_ok = ~cp.errors.mask
    for i in np.flatnonzero(~c_ok).tolist():
        _reject(
            adm,
            i,
            "geometry",
            f"候选地块无可用位置：{cp.errors.error_of(int(i))}",
            f"the candidate has no usable location: {cp.errors.error_of(int(i))}",
        )
    ccap = None
    if capacitated:
        errs = RowErrors(len(candidates))
        ccap = (
            numbers(slots, candidates, slots, errs) if slots in candidates.columns else np.full(len(candidates), np.nan)
        )
        for i in np.flatnonzero(np.isnan(ccap) & c_ok).tolist():
            _reject(
                adm,
                i,
                "capacity",
                f"容量（{slots}）未知，无法按容量选址",
                f"capacity ({slots}) unknown: cannot site with capacities",
            )
    exy, ecap, e_rows = np.zeros((0, 2)), np.zeros(0), np.zeros(0, np.int64)
    if existing is not None:
        _, ep, _ = locate("demand", demand, existing, assume_crs)
        e_ok = ~ep.errors.mask
        exy, e_rows = ep.xy[e_ok], np.flatnonzero(e_ok)
        if capacitated:
            ecap = _existing_capacity(existing, slots, e_ok)
        if (~e_ok).any():
            warnings.warn(
                bilingual(f"{int((~e_ok).sum())} 处已有设施没有可用的位置，未计入", f"{int((~e_ok).sum())} existing facilities have no usable location and are left out"),
                FacilitySizingWarning,
                stacklevel=3,
            )  # fmt: skip
    return _Places(
        dxy=np.where(bad_d[:, None], np.nan, dp.xy), exy=exy, cxy=cp.xy, weight=w, demand_errors=int(bad_d.sum()),
        ecap=ecap, ccap=ccap, admissible=adm.admissible & c_ok, target=target, e_rows=e_rows,
    )  # fmt: skip


def _existing_capacity(existing: Any, slots: str, located: np.ndarray) -> np.ndarray:
    errs = RowErrors(len(existing))
    if slots not in existing.columns:
        raise InputError("spatial.no_capacity_column", field=slots, value=slots, frame="existing")
    cap = numbers(slots, existing, slots, errs)
    bad = np.flatnonzero(errs.mask & located)
    if len(bad):
        raise InputError(
            "spatial.existing_capacity_unreadable",
            field=slots,
            value=existing.index[bad[0]],
            problem=_problem_of(errs.error_of(int(bad[0])) or errs.first()),
        )
    return cap[located]


def _problem_of(exc: Exception) -> Message | str:
    """The message of an error another check found, not yet worded (or its text, for a foreign error)."""
    return exc.message if isinstance(exc, FacilitySizingError) else str(exc)


def _reject(adm: Admissibility, i: int, check: str, zh: str, en: str) -> None:
    adm.status[i] = "rejected"
    adm.admissible[i] = False
    adm.rejections[i].append(
        {"check": check, "status": "fail", "rule_id": None, "document": None, "clause": None, "strength": None,
         "required": None, "provided": None, "reason": bilingual(zh, en)}
    )  # fmt: skip


def _problem(
    places: _Places,
    d: float,
    model: str,
    k: int | None,
    capacitated: bool,
    chosen_pos: np.ndarray,
    limits: tuple[float, float],
    assume_crs: object,
) -> Problem:
    fxy = np.vstack([places.exy, places.cxy[chosen_pos]])
    chunks = list(pairs_within(places.dxy, fxy, d, None, places.target, assume_crs))
    pd_, pf, dist = np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    if chunks:
        pd_, pf, dist = (np.concatenate([c[i] for c in chunks]) for i in range(3))
        if capacitated:
            # the model's columns in a stated order (by facility, then demand point), whatever order the
            # pairs were found in: among equally good choices the solver's pick then depends on the data
            # only (uncapacitated, each model orders the pairs itself: merged rows, the p-median's graph)
            order = np.lexsort((pd_, pf))
            pd_, pf, dist = pd_[order], pf[order], dist[order]
    cap = None
    if capacitated:
        ccap = places.ccap if places.ccap is not None else np.zeros(len(places.cxy))
        cap = np.r_[places.ecap, ccap[chosen_pos]]
    return Problem(
        places.weight, places.n_existing, len(chosen_pos), cap, pd_.astype(np.int64), pf.astype(np.int64), dist,
        model, k, float(limits[0]), float(limits[1]),
    )  # fmt: skip


def _before(p: Problem) -> Problem:
    """The same demand and existing facilities with no new site: what is covered today."""
    keep = p.pair_facility < p.n_existing
    cap = None if p.capacity is None else p.capacity[: p.n_existing]
    return Problem(
        p.weight, p.n_existing, 0, cap, p.pair_demand[keep], p.pair_facility[keep], p.pair_distance[keep],
        "mclp", 0, p.time_limit, p.mip_rel_gap,
    )  # fmt: skip


def _chosen_table(candidates: Any, rows: np.ndarray, sol: Solution, n_existing: int, adm: Admissibility) -> Any:
    out = candidates.iloc[rows].copy()
    fac = sol.assign_facility - n_existing
    served = np.zeros(len(rows))
    points = np.zeros(len(rows), dtype=np.int64)
    new = fac >= 0
    slot = np.searchsorted(sol.chosen, fac[new])
    np.add.at(served, slot, sol.assign_weight[new])
    np.add.at(points, slot, 1)
    out["assigned_demand"] = served
    out["assigned_points"] = points
    out["site_status"] = adm.status[rows]
    out["site_flags"] = ["；".join(r["reason"] for r in adm.unchecked[i]) or None for i in rows.tolist()]
    return out


def _provide(chosen: Any, unit: str, jurisdiction: Any, on: Any, pph: float | None, opts: dict[str, Any]) -> None:
    """What each chosen site must provide: its slots and, by the rules in force, the areas."""
    per_row = isinstance(jurisdiction, str) and jurisdiction in chosen.columns
    rows = [
        _requirement(float(amount), unit, chosen[jurisdiction].iloc[pos] if per_row else jurisdiction, on, pph, opts)
        for pos, amount in enumerate(chosen["assigned_demand"].tolist())
    ]
    slots, floor, outdoor, basis = zip(*rows, strict=True) if rows else ((), (), (), ())
    chosen["slots_required"] = pd.array(list(slots), dtype="Int64")
    chosen["floor_area_m2"] = pd.array(list(floor), dtype="Float64")
    chosen["outdoor_area_m2"] = pd.array(list(outdoor), dtype="Float64")
    chosen["provide_basis"] = list(basis)


def _requirement(
    amount: float, unit: str, juris: Any, on: Any, pph: float | None, opts: dict[str, Any]
) -> tuple[int | None, float | None, float | None, str]:
    """Slots, floor area, outdoor area and their basis for the demand a site serves (None: no figure)."""
    whole = math.ceil(round(amount, 6))
    if unit == "slots":
        why = bilingual(
            "需求以托位计：规则不按托位给出面积，无面积数值",
            "demand is in slots: the rules give no area per slot, so no area figure",
        )
        return whole, None, None, why
    if juris is None:
        return None, None, None, bilingual("未给出辖区：无规则数值", "no jurisdiction given: no figure from the rules")
    try:
        req = size(
            jurisdiction=juris, on=on, persons_per_household=pph,
            households=whole if unit == "households" else None,
            population=amount if unit == "population" else None,
            area_type=opts["area_type"], include_reported=opts["include_reported"], rulebook=opts["rulebook"],
        )  # fmt: skip
    except FacilitySizingError as exc:
        return None, None, None, f"无数值 no figure: {exc}"
    cites = "；".join(u.rule.citation() for u in req.rules if u.binding and u.rule is not None) or "—"
    return req.slots, req.floor_area_m2, req.outdoor_area_m2, cites


def _labels(index: pd.Index, pos: np.ndarray) -> list[Any]:
    """Index labels at positions, as plain Python values (numbers as ``int`` / ``float``, not numpy's)."""
    values = index.to_numpy()[pos]
    if values.dtype != object:
        return values.tolist()
    return [v.item() if isinstance(v, np.generic) else v for v in values]


def _assignment(
    sol: Solution, d_index: pd.Index, e_index: pd.Index, c_index: pd.Index, chosen_pos: np.ndarray, n_existing: int
) -> pd.DataFrame:
    f = sol.assign_facility
    is_new = f >= n_existing
    fac = np.empty(len(f), dtype=object)
    fac[~is_new] = _labels(e_index, f[~is_new])
    fac[is_new] = _labels(c_index, chosen_pos[f[is_new] - n_existing])
    return pd.DataFrame(
        {
            "demand": _labels(d_index, sol.assign_demand),
            "facility": fac,
            "kind": np.where(is_new, "new", "existing"),
            "weight": sol.assign_weight,
            "distance_m": sol.assign_distance,
        }
    )


def _rejected(index: pd.Index, adm: Admissibility) -> pd.DataFrame:
    cols = ["candidate", "check", "rule_id", "document", "clause", "strength", "reason"]
    out = np.flatnonzero(adm.status == "rejected")
    rows = [
        (label, r["check"], r["rule_id"], r["document"], r["clause"], r["strength"], r["reason"])
        for label, i in zip(_labels(index, out), out.tolist(), strict=True)
        for r in adm.rejections[i]
    ]
    return pd.DataFrame(rows, columns=cols) if rows else pd.DataFrame(columns=cols)


def _summary(
    places: _Places,
    p: Problem,
    sol: Solution,
    before: Solution,
    what: tuple[str, str, float, int | None, int | None],
    adm: Admissibility,
    jurisdiction: Any,
) -> dict[str, Any]:
    model, unit, d, k, k_used = what
    total = float(places.weight.sum())
    after = float(sol.assign_weight.sum())
    before_w = float(before.assign_weight.sum())
    out_of_reach = float(places.weight[sol.unreachable].sum())
    notes = []
    if k is not None and k_used is not None and k_used < k:
        notes.append(
            bilingual(
                f"仅 {k_used} 处候选地块符合规则，少于 k={k}",
                f"only {k_used} candidates are admissible, fewer than k={k}",
            )
        )
    rules_note = (
        bilingual("未给出辖区，未按规则核对", "no jurisdiction: not checked against the rules")
        if jurisdiction is None
        else bilingual(f"按 {jurisdiction} 当日施行的规则及国家设计规范核对", f"checked against the rules in force for {jurisdiction} and the national design codes")
    )  # fmt: skip
    return {
        "model": model, "unit": unit, "distance_m": d, "k": k, "k_used": k_used, "capacitated": p.capacity is not None,
        "crs": places.target.to_string(), "status": sol.status, "solver_message": sol.message, "mip_gap": sol.mip_gap,
        "seconds": sol.seconds, "variables": sol.variables, "constraints": sol.constraints,
        "objective_meaning": _MEANING[model], "new_sites": len(sol.chosen),
        "candidates": len(adm.status), "admissible": int((adm.status == "admissible").sum()),
        "unchecked": int((adm.status == "unchecked").sum()), "rejected": int((adm.status == "rejected").sum()),
        "demand_points": len(places.weight), "demand_errors": places.demand_errors, "demand_total": total,
        "out_of_reach_points": len(sol.unreachable), "mip_rel_gap": p.mip_rel_gap, "method": sol.method,
        "covered_before": before_w, "covered_after": after,
        "covered_share_before": before_w / total if total else 1.0, "covered_share_after": after / total if total else 1.0,
        "shortfall_before": total - before_w, "shortfall_after": total - after, "out_of_reach": out_of_reach,
        "existing_assigned": float(sol.assign_weight[sol.assign_facility < p.n_existing].sum()),
        "notes": notes, "rules_note": rules_note,
    }  # fmt: skip
