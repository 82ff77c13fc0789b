"""The p-median without capacities, from a heuristic start to a stated MIP gap; and what makes a model infeasible.

:func:`infeasible` finds, before any solver, the demand points that ``k`` new sites cannot all
serve: points with no existing facility in reach whose candidate sites are pairwise disjoint
(more of them than ``k`` is a proof), else, when a greedy cover does not settle it, the points the
best ``k`` sites leave out (HiGHS on the covering programme, merged rows: fractions of a second).

:func:`solve_p_median` solves the uncapacitated p-median as the literature does for large instances:

1. a heuristic start — greedy (from a cover of the points only new sites reach) and best-swap
   interchange (Teitz–Bart, with the fast swap evaluation of Resende & Werneck 2007), then a
   few kicked restarts of the interchange;
2. a lower bound by Lagrangian relaxation of the assignment rows (subgradient, Beasley 1993);
   every candidate whose opening (or closing) provably costs more than the best solution known
   is closed (or opened) for good, and the relaxation's own choices restart the interchange;
3. if the bound proves the stated gap, the heuristic's solution stands; otherwise HiGHS solves the
   programme that is left (usually a few candidates), to the stated gap.

Only pairs within reach enter (``x_ij`` exists only where ``d_ij`` ≤ the distance), and a pair no
nearer than the nearest existing facility is left out (the existing one serves at no more cost).
Every step is deterministic (a seeded generator, counts not clocks), so a run gives the same sites.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

__all__ = ["Graph", "Outcome", "assignment", "graph", "infeasible", "solve_p_median"]

#: Kicked restarts of the interchange, and how many may pass without a better solution.
KICKS, KICK_PATIENCE, KICK_SIZE = 40, 12, 3
#: Subgradient iterations at most; the step halves after this many without a better bound.
LAGRANGE_ITERATIONS, LAGRANGE_PATIENCE = 1500, 30
#: Every this many subgradient iterations, the relaxation's sites restart the interchange.
LAGRANGE_RESTART = 50
#: A bound or an improvement counts only beyond this share of the objective (float noise).
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Graph:
    """Demand rows with something in reach, and their pairs to candidates, sorted by (row, cost, candidate).

    ``base`` is a row's cost at its nearest existing facility (inf: none in reach); a pair is kept
    only if it costs less. Costs are weight × distance.
    """

    rows: np.ndarray  # demand positions
    weight: np.ndarray
    base: np.ndarray
    base_facility: np.ndarray  # facility number of the nearest existing facility (-1: none)
    base_distance: np.ndarray
    r: np.ndarray  # per pair: row
    j: np.ndarray  # per pair: candidate (0-based among candidates)
    c: np.ndarray  # per pair: cost
    distance: np.ndarray
    n_existing: int
    n_candidates: int
    k: int

    @property
    def starts(self) -> np.ndarray:
        """Where each row's pairs start (``len(r)`` for a row with none), one more entry at the end."""
        return np.searchsorted(self.r, np.arange(len(self.rows) + 1))


def graph(
    weight: np.ndarray,
    pair_demand: np.ndarray,
    pair_facility: np.ndarray,
    pair_distance: np.ndarray,
    n_existing: int,
    n_candidates: int,
    k: int,
) -> Graph:
    """The rows and pairs of a p-median: demand with weight, existing facilities as each row's base."""
    live = weight[pair_demand] > 0
    d, f, dist = pair_demand[live], pair_facility[live], pair_distance[live]
    rows, r = np.unique(d, return_inverse=True)
    w = weight[rows]
    cost = w[r] * dist
    existing = f < n_existing
    base, base_f, base_d = np.full(len(rows), np.inf), np.full(len(rows), -1), np.full(len(rows), np.nan)
    if existing.any():
        # the nearest existing facility of each row (the lowest number among equals)
        e = np.flatnonzero(existing)
        e = e[np.lexsort((f[e], dist[e], r[e]))]
        first = e[np.r_[True, r[e][1:] != r[e][:-1]]]
        base[r[first]], base_f[r[first]], base_d[r[first]] = cost[first], f[first], dist[first]
    keep = ~existing & (cost < base[r])
    r, j, c, dist = r[keep], f[keep] - n_existing, cost[keep], dist[keep]
    order = np.lexsort((j, c, r))
    return Graph(rows, w, base, base_f, base_d, r[order], j[order], c[order], dist[order], n_existing,
                 n_candidates, k)  # fmt: skip


# --------------------------------------------------------------------------------------
# Infeasibility, before any solver


def infeasible(g: Graph, time_limit: float) -> tuple[np.ndarray, str, np.ndarray]:
    """The demand rows ``k`` new sites cannot all serve, why, and a cover of every row when there is one.

    Returns ``(rows, kind, cover)``: ``kind`` is ``""`` (feasible; ``cover`` holds at most ``k``
    candidates that reach every row no existing facility reaches), ``"disjoint"`` (``rows`` have
    pairwise disjoint candidates and outnumber ``k``: no choice of ``k`` sites serves them all) or
    ``"left_out"`` (``rows`` are those the best ``k`` sites leave out: the fewest that must be).
    """
    need = np.flatnonzero(np.isinf(g.base))
    nothing = np.zeros(0, dtype=np.int64)
    if not len(need):
        return nothing, "", nothing
    starts = g.starts
    packed = _packing(g, need, starts)
    if len(packed) > g.k:
        return packed, "disjoint", nothing
    cover = _greedy_cover(g, need)
    if len(cover) <= g.k:
        return nothing, "", cover
    return _exact_cover(g, time_limit)


def _packing(g: Graph, need: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Rows whose candidate sets are pairwise disjoint, the rarest-served first (greedy)."""
    degree = starts[need + 1] - starts[need]
    used = np.zeros(g.n_candidates, dtype=bool)
    chosen = []
    for row in need[np.argsort(degree, kind="stable")].tolist():
        sites = g.j[starts[row] : starts[row + 1]]
        if not used[sites].any():
            used[sites] = True
            chosen.append(row)
    return np.array(sorted(chosen), dtype=np.int64)


def _greedy_cover(g: Graph, need: np.ndarray) -> np.ndarray:
    """Candidates reaching every row in ``need``, the one reaching most still-unreached rows first."""
    open_ = np.zeros(len(g.rows), dtype=bool)
    open_[need] = True  # rows still to reach
    chosen: list[int] = []
    while open_.any() and len(chosen) <= g.k:
        m = open_[g.r]
        best = int(np.argmax(np.bincount(g.j[m], minlength=g.n_candidates)))
        chosen.append(best)
        open_[g.r[m & (g.j == best)]] = False
    return np.array(chosen, dtype=np.int64)


def _exact_cover(g: Graph, time_limit: float) -> tuple[np.ndarray, str, np.ndarray]:
    """The fewest sites reaching every row no existing facility reaches (HiGHS); if more than ``k``,
    the rows the best ``k`` leave out."""
    m = np.isinf(g.base)[g.r]
    r, j = g.r[m], g.j[m]
    rows, inv = np.unique(r, return_inverse=True)
    a = sparse.csr_array((np.ones(len(r)), (inv, j)), shape=(len(rows), g.n_candidates))
    nC = g.n_candidates
    opts = {"time_limit": float(time_limit), "disp": False}
    res = milp(np.ones(nC), constraints=[LinearConstraint(a, 1.0, np.inf)], integrality=np.ones(nC),
               bounds=Bounds(0, 1), options=opts)  # fmt: skip
    if res.status == 0 and res.x is not None and round(res.fun) <= g.k:
        return np.zeros(0, dtype=np.int64), "", np.flatnonzero(np.round(res.x) > 0.5)
    if res.status != 0 or res.x is None:
        return np.zeros(0, dtype=np.int64), "", np.zeros(0, dtype=np.int64)  # not settled: the solver will say
    # the most rows k sites reach: y (nC) then z (rows); z_r ≤ Σ y_j over its sites, Σ y = k
    n = nC + len(rows)
    link = sparse.hstack([-a, sparse.identity(len(rows), format="csr")], format="csr")
    k_row = sparse.csr_array((np.ones(nC), (np.zeros(nC, dtype=np.int64), np.arange(nC))), shape=(1, n))
    cons = [LinearConstraint(link, -np.inf, 0.0), LinearConstraint(k_row, g.k, g.k)]
    best = milp(np.r_[np.zeros(nC), -np.ones(len(rows))], constraints=cons,
                integrality=np.r_[np.ones(nC), np.zeros(len(rows))], bounds=Bounds(0, 1), options=opts)  # fmt: skip
    if best.x is None:
        return np.zeros(0, dtype=np.int64), "", np.zeros(0, dtype=np.int64)
    return rows[best.x[nC:] < 0.5], "left_out", np.zeros(0, dtype=np.int64)


# --------------------------------------------------------------------------------------
# The heuristic start


class _Search:
    """Greedy and interchange on a graph: each row served by its cheapest open option."""

    def __init__(self, g: Graph) -> None:
        self.g = g
        top = float(np.max(g.c)) if len(g.c) else 1.0
        # a row left unserved costs more than serving every row at its dearest pair
        self.base = np.where(np.isinf(g.base), top * (len(g.rows) + 1) + 1.0, g.base)

    def state(self, open_: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per row: the cheapest cost, its candidate (-1: the base) and the second cheapest (where a candidate is cheapest)."""
        g = self.g
        idx = np.flatnonzero(open_[g.j])
        r = g.r[idx]
        first = np.r_[True, r[1:] != r[:-1]] if len(r) else np.zeros(0, dtype=bool)
        b1, f1 = self.base.copy(), np.full(len(g.rows), -1)
        fi = idx[first]
        b1[g.r[fi]], f1[g.r[fi]] = g.c[fi], g.j[fi]  # every kept pair costs less than the base
        pos = np.flatnonzero(first)
        sec = pos + 1
        ok = sec < len(idx)
        ok[ok] = r[sec[ok]] == r[pos[ok]]
        c2 = np.full(len(g.rows), np.inf)
        c2[r[sec[ok]]] = g.c[idx[sec[ok]]]
        return b1, f1, np.where(f1 >= 0, np.minimum(self.base, c2), np.inf)

    def value(self, open_: np.ndarray) -> float:
        return float(self.state(open_)[0].sum())

    def greedy(self, start: np.ndarray) -> np.ndarray:
        """``start`` opened, then the candidate that saves most, until ``k`` are open."""
        g = self.g
        open_ = np.zeros(g.n_candidates, dtype=bool)
        open_[start] = True
        while open_.sum() < g.k:
            b1 = self.state(open_)[0]
            gain = np.bincount(g.j, weights=np.maximum(b1[g.r] - g.c, 0.0), minlength=g.n_candidates)
            gain[open_] = -1.0
            open_[int(np.argmax(gain))] = True
        return open_

    def descend(self, open_: np.ndarray) -> tuple[np.ndarray, float]:
        """Best-improvement swaps (one open candidate for one closed) until none saves anything."""
        g, nC = self.g, self.g.n_candidates
        while True:
            b1, f1, b2 = self.state(open_)
            total = float(b1.sum())
            # only pairs cheaper than a row's second-best option can change any swap's value
            rel = np.flatnonzero(g.c < np.where(f1 >= 0, b2, b1)[g.r])
            r, j, c = g.r[rel], g.j[rel], g.c[rel]
            gain = np.bincount(j, weights=np.maximum(b1[r] - c, 0.0), minlength=nC)
            served = f1 >= 0
            loss = np.bincount(f1[served], weights=(b2 - b1)[served], minlength=nC)
            opened = np.flatnonzero(open_)
            slot = np.full(nC, -1)
            slot[opened] = np.arange(len(opened))
            fo = f1[r]
            m = (fo >= 0) & ~open_[j]
            extra = np.bincount(slot[fo[m]] * nC + j[m], weights=b2[r[m]] - np.maximum(c[m], b1[r[m]]),
                                minlength=len(opened) * nC).reshape(len(opened), nC)  # fmt: skip
            profit = (gain[None, :] - loss[opened][:, None] + extra).astype(float)  # an empty bincount is integer
            profit[:, open_] = -np.inf
            if not profit.size:
                return open_, total
            out, into = np.unravel_index(int(np.argmax(profit)), profit.shape)
            if not profit[out, into] > TOLERANCE * max(total, 1.0):
                return open_, total
            open_ = open_.copy()
            open_[opened[out]], open_[into] = False, True

    def kicked(self, open_: np.ndarray, value: float) -> tuple[np.ndarray, float]:
        """Restarts of the interchange from the best solution with a few sites swapped at random (seeded)."""
        rng = np.random.default_rng(0)
        best, stall = (open_, value), 0
        for _ in range(KICKS):
            trial = best[0].copy()
            on, off = np.flatnonzero(trial), np.flatnonzero(~trial)
            q = min(KICK_SIZE, len(on), len(off))
            if not q:
                break
            trial[rng.choice(on, q, replace=False)] = False
            trial[rng.choice(off, q, replace=False)] = True
            found = self.descend(trial)
            stall = 0 if found[1] < best[1] * (1 - TOLERANCE) else stall + 1
            best = found if found[1] < best[1] * (1 - TOLERANCE) else best
            if stall >= KICK_PATIENCE:
                break
        return best


# --------------------------------------------------------------------------------------
# The lower bound


@dataclass
class _Bound:
    """The best Lagrangian bound, the candidates it closes or opens for good, and the best solution seen."""

    value: float
    closed: np.ndarray
    fixed: np.ndarray
    open_: np.ndarray
    upper: float


def _lagrange(search: _Search, open_: np.ndarray, upper: float, enough: float) -> _Bound:
    """Subgradient optimisation of the relaxation of ``Σ_j x_ij = 1`` (multipliers λ per row).

    For λ, a candidate is worth ``V_j = Σ_i min(0, c_ij − λ_i)`` and the bound is
    ``Σ λ_i + Σ_i min(0, base_i − λ_i) + (the k smallest V_j)``. Opening a candidate outside those k
    costs at least ``bound + V_j − V_(k)``, closing one inside at least ``bound − V_j + V_(k+1)``:
    above the best solution known, that candidate is closed (or opened) in every better solution.
    Stops when the bound is within ``enough`` (a share) of the best solution, or stalls.
    """
    g, nC, k = search.g, search.g.n_candidates, search.g.k
    lam = search.state(open_)[0].copy()
    has_base = np.isfinite(g.base)
    out = _Bound(-np.inf, np.zeros(nC, dtype=bool), np.zeros(nC, dtype=bool), open_, upper)
    step, stall, cap, pairs = 2.0, 0, np.zeros(0), (g.r, g.j, g.c)
    for it in range(LAGRANGE_ITERATIONS):
        if not len(cap) or (lam > cap).any():  # only pairs cheaper than λ count: keep those within reach of it
            cap = 1.5 * lam + 1.0
            keep = g.c < cap[g.r]
            pairs = (g.r[keep], g.j[keep], g.c[keep])
        r, j, c = pairs
        v = np.bincount(j, weights=np.minimum(0.0, c - lam[r]), minlength=nC)
        pick = np.argpartition(v, k - 1)[:k] if k < nC else np.arange(nC)
        s = np.zeros(nC, dtype=bool)
        s[pick] = True
        bound = float(lam.sum() + np.minimum(0.0, np.where(has_base, g.base, lam) - lam).sum() + v[s].sum())
        _fix(out, v, s, bound, k < nC)
        if bound > out.value:
            out.value, stall = bound, 0
        else:
            stall += 1
            step, stall = (step / 2, 0) if stall >= LAGRANGE_PATIENCE else (step, stall)
        if it % LAGRANGE_RESTART == LAGRANGE_RESTART - 1:
            _restart(search, out, s)
        slack = out.upper - bound
        if step < 1e-4 or out.upper - out.value <= max(enough, TOLERANCE) * abs(out.upper):
            break
        served = (has_base & (g.base < lam)).astype(float)
        sub = 1.0 - served - np.bincount(r, weights=(s[j] & (c < lam[r])).astype(float), minlength=len(g.rows))
        norm = float(sub @ sub)
        if norm == 0.0:
            break
        lam = lam + step * max(slack, TOLERANCE * abs(out.upper)) / norm * sub
    return out


def _fix(out: _Bound, v: np.ndarray, s: np.ndarray, bound: float, some_closed: bool) -> None:
    """Close (or open) for good the candidates whose opening (closing) costs more than the best solution known."""
    if not some_closed:
        return
    margin = out.upper + TOLERANCE * abs(out.upper) + 1e-6
    vk, vk1 = float(v[s].max()), float(v[~s].min())
    out.closed |= ~s & (bound + v - vk > margin)
    out.fixed |= s & (bound - v + vk1 > margin)


def _restart(search: _Search, out: _Bound, s: np.ndarray) -> None:
    """The relaxation's sites as a start for the interchange; a better solution is kept."""
    trial, value = search.descend(s.copy())
    if value < out.upper * (1 - TOLERANCE):
        out.open_, out.upper = trial, value


# --------------------------------------------------------------------------------------
# The solve


@dataclass(frozen=True)
class Outcome:
    """The sites a p-median opens and how it ended: ``gap`` is (objective − bound) ÷ objective."""

    open_: np.ndarray
    status: str
    message: str
    gap: float
    variables: int
    constraints: int
    method: str


def solve_p_median(g: Graph, cover: np.ndarray, time_limit: float, mip_rel_gap: float) -> Outcome:
    """The best ``k`` sites, to within ``mip_rel_gap`` of the optimum (0: proven optimal).

    ``cover``: candidates that reach every row no existing facility reaches (from :func:`infeasible`).
    """
    start = time.perf_counter()
    if g.k >= g.n_candidates:
        every = np.ones(g.n_candidates, dtype=bool)
        return Outcome(every, "optimal", "every admissible candidate opened", 0.0, 0, 0, _METHOD["all"])
    search = _Search(g)
    open_, upper = search.descend(search.greedy(cover))
    open_, upper = search.kicked(open_, upper)
    b = _lagrange(search, open_, upper, mip_rel_gap)
    gap = max(b.upper - b.value, 0.0) / b.upper if b.upper > 0 else 0.0
    if gap <= mip_rel_gap and (mip_rel_gap > 0 or b.upper == 0):
        return Outcome(b.open_, "optimal", "the bound proves the gap", gap, 0, 0, _METHOD["bound"])
    if not (~b.fixed & ~b.closed).any():
        return Outcome(b.open_, "optimal", "the bound settles every candidate", 0.0, 0, 0, _METHOD["settled"])
    left = max(time_limit - (time.perf_counter() - start), 1.0)
    return _finish(search, b, _reduced(g, b, left, mip_rel_gap), mip_rel_gap)


_METHOD = {
    "all": "候选不多于 k：全部选用 — no more admissible candidates than k: all opened",
    "bound": "贪心与交换启发式求解，拉格朗日下界证明所述间隙 — greedy and interchange heuristic; "
    "a Lagrangian bound proves the stated gap",
    "settled": "贪心与交换启发式求解，拉格朗日下界逐一排除其余候选：已证明最优 — greedy and interchange heuristic; "
    "a Lagrangian bound rules out every other candidate: proven optimal",
    "reduced": "贪心与交换启发式起步，拉格朗日下界排除候选，HiGHS 求解其余 {free} 处候选 — greedy and interchange "
    "start; a Lagrangian bound settles the other candidates; HiGHS on the {free} left",
}


def _reduced(g: Graph, b: _Bound, time_limit: float, gap: float) -> tuple[object, np.ndarray, float, tuple[int, int]]:
    """HiGHS on the candidates the bound left open, the others closed or opened for good.

    A row's base becomes its cheapest existing facility or candidate opened for good; only pairs
    cheaper than that stay. Returns HiGHS's result, the free candidates, the constant cost of the
    rows left without a choice, and the programme's size.
    """
    base = g.base.copy()
    opened = b.fixed[g.j]
    np.minimum.at(base, g.r[opened], g.c[opened])
    free = np.flatnonzero(~b.fixed & ~b.closed)
    col = np.full(g.n_candidates, -1)
    col[free] = np.arange(len(free))
    keep = (col[g.j] >= 0) & (g.c < base[g.r])
    r, j, c = g.r[keep], col[g.j[keep]], g.c[keep]
    rows, ri = np.unique(r, return_inverse=True)
    constant = float(np.where(np.isin(np.arange(len(g.rows)), rows), 0.0, base).sum())
    nF, nP, nR = len(free), len(r), len(rows)
    with_base = np.flatnonzero(np.isfinite(base[rows]))
    n = nF + nP + len(with_base)
    xcol, bcol = nF + np.arange(nP), nF + nP + np.arange(len(with_base))
    one = sparse.csr_array((np.ones(nP + len(with_base)), (np.r_[ri, with_base], np.r_[xcol, bcol])), shape=(nR, n))
    link = sparse.csr_array((np.r_[np.ones(nP), -np.ones(nP)], (np.r_[np.arange(nP), np.arange(nP)], np.r_[xcol, j])),
                            shape=(nP, n))  # fmt: skip
    k_left = float(g.k - int(b.fixed.sum()))
    k_row = sparse.csr_array((np.ones(nF), (np.zeros(nF, dtype=np.int64), np.arange(nF))), shape=(1, n))
    cost = np.r_[np.zeros(nF), c, base[rows][with_base]]
    if not nP or not 0 <= k_left <= nF:  # nothing left to choose between, or nothing cheaper to find
        x = np.r_[np.arange(nF) < k_left, np.zeros(n - nF)].astype(float)
        status = 0 if 0 <= k_left <= nF else 2
        return (
            OptimizeResult(x=x, status=status, message="nothing left to decide", mip_dual_bound=0.0),
            free,
            constant,
            (n, 0),
        )
    cons = [
        LinearConstraint(one, 1.0, 1.0),
        LinearConstraint(link, -np.inf, 0.0),
        LinearConstraint(k_row, k_left, k_left),
    ]
    res = milp(cost, constraints=cons, integrality=np.r_[np.ones(nF), np.zeros(n - nF)], bounds=Bounds(0, 1),
               options={"time_limit": float(time_limit), "mip_rel_gap": float(gap), "disp": False})  # fmt: skip
    return res, free, constant, (n, nR + nP + 1)


def _finish(
    search: _Search, b: _Bound, reduced: tuple[object, np.ndarray, float, tuple[int, int]], gap: float
) -> Outcome:
    """The better of HiGHS's sites and the heuristic's, with the gap both bounds prove."""
    res, free, constant, size = reduced
    best, value = b.open_, b.upper
    x = getattr(res, "x", None)
    if x is not None:
        trial = b.fixed.copy()
        trial[free[np.round(x[: len(free)]) > 0.5]] = True
        trial_value = search.value(trial)
        if trial_value < value:
            best, value = trial, trial_value
    dual = getattr(res, "mip_dual_bound", None)
    solved = int(getattr(res, "status", 4))
    highs_bound = constant + float(dual) if dual is not None and np.isfinite(dual) else -np.inf
    if solved == 2:  # nothing cheaper than the heuristic's solution exists
        highs_bound = value
    bound = max(b.value, min(highs_bound, value))
    reached = max(value - bound, 0.0) / value if value > 0 else 0.0
    status = "optimal" if solved == 0 or solved == 2 or reached <= gap else "limit_reached"
    method = _METHOD["reduced"].format(free=len(free))
    return Outcome(best, status, str(getattr(res, "message", "")), reached, *size, method)


def assignment(g: Graph, open_: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each row to its nearest open site (an existing facility where no open candidate is nearer),
    by facility then demand: demand positions, facility numbers (existing first), weights, distances."""
    idx = np.flatnonzero(open_[g.j])
    first = idx[np.r_[True, g.r[idx][1:] != g.r[idx][:-1]]] if len(idx) else idx
    facility = np.where(np.isfinite(g.base), g.base_facility, -1)
    distance = g.base_distance.copy()
    facility[g.r[first]] = g.n_existing + g.j[first]
    distance[g.r[first]] = g.distance[first]
    served = np.flatnonzero(facility >= 0)
    order = served[np.lexsort((g.rows[served], facility[served]))]
    return g.rows[order], facility[order], g.weight[order], distance[order]
