"""The siting models as sparse mixed-integer programmes, solved by HiGHS (``scipy.optimize.milp``).

Facilities are numbered existing first (``0 .. n_existing-1``, always open), then the admissible
candidates. Demand ``i`` may be served by facility ``f`` only through a pair within reach
(:func:`~facility_sizing.spatial.access.reach.pairs_within`), so every matrix is as sparse as the pairs.

* **LSCP** — the fewest new sites so that every demand with a site in reach is covered:
  ``min Σ y_j`` s.t. ``Σ_{j∈N(i)} y_j ≥ 1`` for each demand no existing facility covers.
* **MCLP** — the most demand covered with ``k`` new sites: ``max Σ w_i z_i`` s.t.
  ``z_i ≤ Σ_{j∈N(i)} y_j``, ``Σ y_j = k`` (demand an existing facility covers counts as covered).
* **p-median** — the least demand-weighted distance with ``k`` new sites: ``min Σ w_i d_if x_if``
  s.t. ``Σ_f x_if = 1``, ``x_ij ≤ y_j``, ``Σ y_j = k``. Before any solver, :func:`.pmedian.infeasible`
  finds the points ``k`` sites cannot all serve (the model is then infeasible, and says which);
  uncapacitated, :func:`.pmedian.solve_p_median` solves it from a heuristic start to the stated gap.

Capacitated, each model assigns shares ``x_if`` of each demand with ``Σ_i w_i x_if ≤ c_f y_f``
(``c_f`` the facility's slots; existing facilities always open). After the optimum is found, a
second, linear programme with the chosen sites fixed keeps the optimum and assigns as much demand
as possible to the existing facilities, so their capacity is used before any new site's.
Uncapacitated, demand goes to the nearest existing facility in reach, else the nearest chosen site.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

from . import pmedian

__all__ = ["MODELS", "Problem", "Solution", "solve"]

#: The models :func:`solve` knows.
MODELS: tuple[str, ...] = ("lscp", "mclp", "p_median")

#: scipy's milp status codes, as the result reports them.
_STATUS = {0: "optimal", 1: "limit_reached", 2: "infeasible", 3: "unbounded", 4: "other"}


@dataclass(frozen=True)
class Problem:
    """One siting problem: demand weights, facility capacities and the pairs within reach."""

    weight: np.ndarray  # per demand, >= 0 (NaN rows are left out by the caller)
    n_existing: int
    n_candidates: int
    capacity: np.ndarray | None  # per facility (existing then candidates); None when uncapacitated
    pair_demand: np.ndarray
    pair_facility: np.ndarray
    pair_distance: np.ndarray
    model: str
    k: int | None
    time_limit: float
    mip_rel_gap: float


@dataclass(frozen=True)
class Solution:
    """What the solver found: the chosen candidates, the assignment, the objective and how it ended."""

    chosen: np.ndarray  # candidate positions (0-based among candidates)
    assign_demand: np.ndarray
    assign_facility: np.ndarray  # facility numbers (existing first)
    assign_weight: np.ndarray
    assign_distance: np.ndarray
    objective: float
    status: str
    message: str
    mip_gap: float | None
    seconds: float
    unreachable: np.ndarray  # demand positions with weight but no facility in reach
    variables: int
    constraints: int
    infeasible: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # demand positions
    infeasible_kind: str = ""  # "disjoint" | "left_out" (see pmedian.infeasible)
    method: str = ""  # how the optimum was reached, when not by HiGHS alone


def solve(p: Problem) -> Solution:
    """Solve ``p`` with HiGHS and return the chosen sites and the assignment."""
    start = time.perf_counter()
    reach = np.zeros(len(p.weight), dtype=bool)
    reach[p.pair_demand] = True
    unreachable = np.flatnonzero(~reach & (p.weight > 0))
    if p.model == "p_median":
        g = pmedian.graph(p.weight, p.pair_demand, p.pair_facility, p.pair_distance, p.n_existing, p.n_candidates,
                          int(p.k or 0))  # fmt: skip
        witness, kind, cover = pmedian.infeasible(g, p.time_limit)
        if kind:
            return _infeasible(g, witness, kind, start, unreachable)
        if p.capacity is None:
            return _p_median(p, g, cover, start, unreachable)
    if p.capacity is None and p.model in ("lscp", "mclp"):
        res, chosen, size = _covering(p)
        assign = _nearest_assignment(p, chosen)
    else:
        res, chosen, size, x = _assigning(p)
        if p.capacity is not None and p.model != "p_median" and res.status == 0:
            x = _existing_first(p, chosen, res, x)
        assign = _x_assignment(p, x)
    objective = _objective(p, res, chosen, assign)
    gap = getattr(res, "mip_gap", None)
    return Solution(
        chosen,
        *assign,
        objective,
        _STATUS.get(int(res.status), "other"),
        str(res.message),
        None if gap is None else float(gap),
        time.perf_counter() - start,
        unreachable,
        *size,
    )


def _infeasible(g: pmedian.Graph, witness: np.ndarray, kind: str, start: float, unreachable: np.ndarray) -> Solution:
    """No choice of ``k`` sites serves every point in reach: said before any solver, with the points."""
    none = np.zeros(0, dtype=np.int64)
    message = {"disjoint": "points with no candidate in common outnumber k",
               "left_out": "the best k sites leave points out"}[kind]  # fmt: skip
    return Solution(none, none, none, np.zeros(0), np.zeros(0), float("nan"), "infeasible", message, None,
                    time.perf_counter() - start, unreachable, 0, 0, g.rows[witness], kind)  # fmt: skip


def _p_median(p: Problem, g: pmedian.Graph, cover: np.ndarray, start: float, unreachable: np.ndarray) -> Solution:
    """The uncapacitated p-median from a heuristic start (:func:`.pmedian.solve_p_median`)."""
    out = pmedian.solve_p_median(g, cover, p.time_limit, p.mip_rel_gap)
    assign = pmedian.assignment(g, out.open_)
    objective = float((assign[2] * assign[3]).sum())
    return Solution(np.flatnonzero(out.open_), *assign, objective, out.status, out.message, out.gap,
                    time.perf_counter() - start, unreachable, out.variables, out.constraints, method=out.method)  # fmt: skip


def _options(p: Problem) -> dict[str, float | bool]:
    return {"time_limit": float(p.time_limit), "mip_rel_gap": float(p.mip_rel_gap), "disp": False}


def _milp(
    c: np.ndarray, cons: list[LinearConstraint], integrality: np.ndarray | None, options: dict[str, float | bool]
) -> OptimizeResult:
    """HiGHS on the programme; a programme with no variable (nothing left to decide) is solved as it stands."""
    if not len(c):
        return OptimizeResult(x=np.zeros(0), fun=0.0, status=0, message="nothing to decide", mip_gap=0.0, success=True)
    return milp(c, constraints=cons, integrality=integrality, bounds=Bounds(0, 1), options=options)


def _chosen(res: OptimizeResult, n: int) -> np.ndarray:
    if res.x is None:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.round(res.x[:n]) > 0.5)


def _k_row(p: Problem, n_cols: int) -> LinearConstraint:
    """``Σ y_j = k`` over the candidate columns (the first ``n_candidates``)."""
    row = sparse.csr_array((np.ones(p.n_candidates), (np.zeros(p.n_candidates, int), np.arange(p.n_candidates))),
                           shape=(1, n_cols))  # fmt: skip
    k = float(p.k or 0)
    return LinearConstraint(row, k, k)


def _covering(p: Problem) -> tuple[OptimizeResult, np.ndarray, tuple[int, int]]:
    """Uncapacitated LSCP and MCLP over demand no existing facility covers, identical rows merged."""
    nE, nC = p.n_existing, p.n_candidates
    covered_by_existing = np.zeros(len(p.weight), dtype=bool)
    covered_by_existing[p.pair_demand[p.pair_facility < nE]] = True
    keep = (p.pair_facility >= nE) & ~covered_by_existing[p.pair_demand] & (p.weight[p.pair_demand] > 0)
    d, j = p.pair_demand[keep], p.pair_facility[keep] - nE
    rows, weights = _merge_rows(d, j, p.weight)
    nR = len(weights)
    r_idx, c_idx = rows
    if p.model == "lscp":
        a = sparse.csr_array((np.ones(len(r_idx)), (r_idx, c_idx)), shape=(nR, nC))
        cons = [LinearConstraint(a, 1.0, np.inf)] if nR else []
        res = _milp(np.ones(nC), cons, np.ones(nC), _options(p))
        return res, _chosen(res, nC), (nC, nR)
    # MCLP: columns y (nC) then z (nR); z_r - Σ y_j ≤ 0
    n = nC + nR
    a = sparse.csr_array(
        (np.concatenate([-np.ones(len(r_idx)), np.ones(nR)]),
         (np.concatenate([r_idx, np.arange(nR)]), np.concatenate([c_idx, nC + np.arange(nR)]))),
        shape=(nR, n),
    )  # fmt: skip
    c = np.concatenate([np.zeros(nC), -weights])
    integrality = np.concatenate([np.ones(nC), np.zeros(nR)])
    cons = [_k_row(p, n)] + ([LinearConstraint(a, -np.inf, 0.0)] if nR else [])
    res = _milp(c, cons, integrality, _options(p))
    return res, _chosen(res, nC), (n, nR + 1)


def _merge_rows(d: np.ndarray, j: np.ndarray, weight: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """Demand with the same candidates in reach becomes one row with the sum of their weights.

    Rows are numbered in the order of their first demand point. Demand points are grouped by a
    64-bit fingerprint of their candidate lists, then every point's list is compared with its
    row's, element by element: a collision (never seen) falls back to grouping by the lists' bytes.
    """
    if not len(d):
        return (np.zeros(0, np.int64), np.zeros(0, np.int64)), np.zeros(0)
    width = int(j.max()) + 1
    key = np.sort(d.astype(np.int64) * width + j)  # by demand point, then candidate: one key, no gather
    d, j = key // width, key % width
    starts = np.flatnonzero(np.r_[True, d[1:] != d[:-1]])
    lengths = np.diff(np.r_[starts, len(d)])
    row_of = _row_of(j, starts, lengths)
    n_rows = int(row_of.max()) + 1
    weights = np.bincount(row_of, weights=weight[d[starts]], minlength=n_rows)
    first = np.zeros(n_rows, dtype=np.int64)
    first[row_of[::-1]] = np.arange(len(row_of))[::-1]  # the first demand of each row
    r_idx = np.repeat(np.arange(n_rows), lengths[first])
    return (r_idx, j[_slices(starts[first], lengths[first])]), weights


def _slices(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions ``starts[i] .. starts[i] + lengths[i] - 1``, one slice after another."""
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))


def _row_of(j: np.ndarray, starts: np.ndarray, lengths: np.ndarray, mult: np.ndarray | None = None) -> np.ndarray:
    """The row of each demand point: equal candidate lists share a row, numbered by first appearance.

    ``mult``: a random 64-bit multiplier per candidate for the fingerprint (seeded by default).
    """
    if mult is None:
        mult = np.random.default_rng(0).integers(1, 2**63, size=int(j.max()) + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        print_ = np.add.reduceat(mult[j], starts) ^ lengths.astype(np.uint64)
    order = np.argsort(print_, kind="stable")  # stable: each group's first is its first point
    new = np.r_[True, np.diff(print_[order]) != 0]
    group = np.empty(len(order), dtype=np.int64)
    group[order] = np.cumsum(new) - 1
    first = order[new]  # the first point of each group
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    rep = first[group]  # each point's group's first point: the same list, unless two fingerprints collide
    if np.array_equal(lengths, lengths[rep]) and np.array_equal(
        j[_slices(starts, lengths)], j[_slices(starts[rep], lengths)]
    ):
        return rank[group]
    keyed: dict[bytes, int] = {}
    ends = starts + lengths
    return np.array([keyed.setdefault(j[a:b].tobytes(), len(keyed)) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)],
                    dtype=np.int64)  # fmt: skip


def _assigning(p: Problem) -> tuple[OptimizeResult, np.ndarray, tuple[int, int], np.ndarray]:
    """p-median, and every capacitated model: columns y (candidates) then x (one per pair)."""
    nE, nC = p.n_existing, p.n_candidates
    live = p.weight[p.pair_demand] > 0
    pd_, pf, dist = p.pair_demand[live], p.pair_facility[live], p.pair_distance[live]
    nP = len(pd_)
    n = nC + nP
    xcols = nC + np.arange(nP)
    demands, drow = np.unique(pd_, return_inverse=True)
    cons: list[LinearConstraint] = []
    one = sparse.csr_array((np.ones(nP), (drow, xcols)), shape=(len(demands), n))
    lower = 0.0 if p.model == "mclp" else 1.0
    cons.append(LinearConstraint(one, lower, 1.0))  # each demand served once (MCLP: at most once)
    cand = pf >= nE
    link = sparse.csr_array(
        (np.r_[np.ones(cand.sum()), -np.ones(cand.sum())],
         (np.r_[np.arange(cand.sum()), np.arange(cand.sum())], np.r_[xcols[cand], pf[cand] - nE])),
        shape=(int(cand.sum()), n),
    )  # fmt: skip
    cons.append(LinearConstraint(link, -np.inf, 0.0))  # x_ij ≤ y_j
    if p.capacity is not None:
        cons.append(_capacity_rows(p, pd_, pf, xcols, n))
    if p.model != "lscp":
        cons.append(_k_row(p, n))
    w = p.weight[pd_]
    cost = {"lscp": np.zeros(nP), "mclp": -w, "p_median": w * dist}[p.model]
    c = np.concatenate([np.ones(nC) if p.model == "lscp" else np.zeros(nC), cost])
    integrality = np.concatenate([np.ones(nC), np.zeros(nP)])
    res = _milp(c, cons, integrality, _options(p))
    x = np.zeros(nP) if res.x is None else res.x[nC:]
    full = np.zeros(len(p.pair_demand))
    full[np.flatnonzero(live)] = x
    return res, _chosen(res, nC), (n, sum(con.A.shape[0] for con in cons)), full


def _capacity_rows(p: Problem, pd_: np.ndarray, pf: np.ndarray, xcols: np.ndarray, n: int) -> LinearConstraint:
    """``Σ_i w_i x_if − c_f y_f ≤ 0`` for candidates, ``Σ_i w_i x_if ≤ c_f`` for existing facilities."""
    nE, nC = p.n_existing, p.n_candidates
    cap = np.asarray(p.capacity, dtype=float)
    nF = nE + nC
    rows = np.r_[pf, nE + np.arange(nC)]
    cols = np.r_[xcols, np.arange(nC)]
    vals = np.r_[p.weight[pd_], -cap[nE:]]
    a = sparse.csr_array((vals, (rows, cols)), shape=(nF, n))
    upper = np.r_[cap[:nE], np.zeros(nC)]
    return LinearConstraint(a, -np.inf, upper)


def _existing_first(p: Problem, chosen: np.ndarray, res: OptimizeResult, x: np.ndarray) -> np.ndarray:
    """With the chosen sites fixed and the optimum kept, as much demand as possible to existing facilities."""
    nE = p.n_existing
    open_ = np.ones(p.n_existing + p.n_candidates, dtype=bool)
    open_[nE:] = False
    open_[nE + chosen] = True
    live = (p.weight[p.pair_demand] > 0) & open_[p.pair_facility]
    pd_, pf = p.pair_demand[live], p.pair_facility[live]
    nP = len(pd_)
    w = p.weight[pd_]
    demands, drow = np.unique(pd_, return_inverse=True)
    cons = [LinearConstraint(sparse.csr_array((np.ones(nP), (drow, np.arange(nP))), shape=(len(demands), nP)),
                             0.0 if p.model == "mclp" else 1.0, 1.0)]  # fmt: skip
    cap = np.asarray(p.capacity, dtype=float)
    cons.append(LinearConstraint(sparse.csr_array((w, (pf, np.arange(nP))), shape=(len(cap), nP)), -np.inf, cap))
    if p.model == "mclp":  # keep the demand covered at its optimum
        covered = float(-res.fun)
        cons.append(LinearConstraint(w[None, :], covered * (1 - 1e-9) - 1e-9, np.inf))
    c = -np.where(pf < nE, w, 0.0)
    lp = _milp(c, cons, None, {"disp": False})
    if lp.status != 0 or lp.x is None:
        return x  # the solver's own assignment stands
    full = np.zeros(len(p.pair_demand))
    full[np.flatnonzero(live)] = lp.x
    return full


def _x_assignment(p: Problem, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    used = x > 1e-9
    return (
        p.pair_demand[used],
        p.pair_facility[used],
        p.weight[p.pair_demand[used]] * x[used],
        p.pair_distance[used],
    )


def _nearest_assignment(p: Problem, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each demand to its nearest existing facility in reach, else its nearest chosen site in reach."""
    nE = p.n_existing
    open_ = np.zeros(nE + p.n_candidates, dtype=bool)
    open_[:nE] = True
    open_[nE + chosen] = True
    ok = open_[p.pair_facility] & (p.weight[p.pair_demand] > 0)
    d, f, dist = p.pair_demand[ok], p.pair_facility[ok], p.pair_distance[ok]
    order = np.lexsort((f, dist, f >= nE, d))  # by demand: existing first, then nearest, then lowest number
    d, f, dist = d[order], f[order], dist[order]
    first = np.r_[True, d[1:] != d[:-1]] if len(d) else np.zeros(0, dtype=bool)
    d, f, dist = d[first], f[first], dist[first]
    return d, f, p.weight[d], dist


def _objective(p: Problem, res: OptimizeResult, chosen: np.ndarray, assign: tuple[np.ndarray, ...]) -> float:
    """Sites for LSCP, demand covered (existing and new) for MCLP, weighted distance for p-median."""
    if res.x is None:
        return float("nan")
    if p.model == "lscp":
        return float(len(chosen))
    if p.model == "mclp":
        # capacitated: the optimum itself (the second, existing-first pass keeps it within 1e-9)
        return float(-res.fun) if p.capacity is not None else float(assign[2].sum())
    return float((assign[2] * assign[3]).sum())
