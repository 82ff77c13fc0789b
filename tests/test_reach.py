"""The pairs within reach and the nearest facility beyond it, against a brute-force numpy computation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facility_sizing.spatial.access import reach


def _brute_pairs(h: np.ndarray, f: np.ndarray, d: float) -> dict[tuple[int, int], float]:
    dist = np.hypot(h[:, None, 0] - f[None, :, 0], h[:, None, 1] - f[None, :, 1])  # all pairs, on purpose
    within = np.isfinite(dist) & (dist <= d)
    hi, fi = np.nonzero(within)
    return dict(zip(zip(hi.tolist(), fi.tolist(), strict=True), dist[hi, fi].tolist(), strict=True))


def _points(rng: np.random.Generator, n: int, grid: bool, holes: bool) -> np.ndarray:
    # on a coarse integer grid, exact ties and pairs exactly d apart are common
    xy = rng.integers(0, 20, (n, 2)) * 50.0 if grid else rng.uniform(0, 1_000, (n, 2))
    xy = xy + np.array([500_000.0, 3_350_000.0])
    if holes and n:
        xy[rng.random(n) < 0.2] = np.nan  # rows with no usable location
    return xy


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 120),
    m=st.integers(0, 25),
    d=st.sampled_from([0.0, 50.0, 100.0, 137.5, 250.0, 2_000.0]),
    grid=st.booleans(),
    holes=st.booleans(),
    chunk=st.sampled_from([1, 7, 4_000_000]),
    keep=st.sampled_from([0, 5, 16_000_000]),
)
def test_pairs_and_nearest_equal_brute_force(
    seed: int, n: int, m: int, d: float, grid: bool, holes: bool, chunk: int, keep: int
) -> None:
    rng = np.random.default_rng(seed)
    h, f = _points(rng, n, grid, holes), _points(rng, m, grid, holes)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reach, "CHUNK_CANDIDATES", chunk)
        mp.setattr(reach, "KEEP_PAIRS", keep)
        source = reach.PairSource(lambda: reach.euclidean_chunks(h, f, d))
        passes = [
            [((int(a), int(b)), float(c)) for ph, pf, pd_ in source for a, b, c in zip(ph, pf, pd_, strict=True)]
            for _ in range(2)
        ]
    expected = _brute_pairs(h, f, d)
    for got in passes:  # every pair once, on every pass, whether kept or computed afresh
        assert len(got) == len(dict(got)) == len(expected)
        assert dict(got).keys() == expected.keys()  # membership decided exactly as np.hypot <= d
        for key, value in got:  # the tree's distance: np.hypot's to the last bits
            assert value == pytest.approx(expected[key], rel=1e-12, abs=1e-9)

    # the nearest facility of every home with nothing in reach: the exact distance, ties to the lowest
    idx = np.full(n, -1, dtype=np.int64)
    dist = np.full(n, np.inf)
    within = {a for a, _ in expected}
    beyond = np.array([i for i in range(n) if i not in within], dtype=np.int64)
    idx[sorted(within)] = 0  # homes in reach are left alone
    reach.nearest_beyond(h, f, idx, dist)
    all_d = np.hypot(h[:, None, 0] - f[None, :, 0], h[:, None, 1] - f[None, :, 1])
    ok_f = np.isfinite(f).all(axis=1)
    assert (idx[sorted(within)] == 0).all() and np.isinf(dist[sorted(within)]).all()
    for i in beyond.tolist():
        if not np.isfinite(h[i]).all() or not ok_f.any():
            assert idx[i] == -1 and np.isinf(dist[i])
            continue
        row = np.where(ok_f, all_d[i], np.inf)
        assert dist[i] == row.min()
        assert idx[i] == int(np.flatnonzero(row == row.min())[0])


def test_a_crowd_of_tied_nearest_facilities_goes_to_the_lowest() -> None:
    # twelve facilities exactly 100 m from the home (3-4-5 triangles), more than the tree is asked for
    ring = [(a * s, b * t) for a, b in ((100, 0), (0, 100), (60, 80), (80, 60)) for s in (1, -1) for t in (1, -1)]
    offsets = np.array(sorted(set(ring)), dtype=float)[::-1]
    f = np.vstack([[[5_000.0, 5_000.0]], offsets]) + 500_000.0  # position 0 is far away
    h = np.array([[500_000.0, 500_000.0]])
    idx, dist = np.array([-1]), np.array([np.inf])
    reach.nearest_beyond(h, f, idx, dist)
    assert len(offsets) > reach.NEAREST_TIES
    assert dist[0] == 100.0 and idx[0] == 1


@settings(max_examples=100, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 200),
    m=st.integers(1, 30),
    d=st.sampled_from([0.0, 1e-6, 50.0, 137.5, 2_000.0]),
    spread=st.sampled_from([0.0, 1.0, 1_000.0, 5_000_000.0]),
)
def test_the_grid_bound_is_never_below_the_homes_in_reach(seed: int, n: int, m: int, d: float, spread: float) -> None:
    """The grid's count bounds each facility's homes in reach, so a chunk never holds more pairs than it
    was sized for: tight districts, one point for all, and a province-wide spread with a tiny reach."""
    rng = np.random.default_rng(seed)
    h = rng.uniform(0, spread, (n, 2)) + np.array([500_000.0, 3_350_000.0])
    f = rng.uniform(0, spread, (m, 2)) + np.array([500_000.0, 3_350_000.0])
    reach_m = reach._search_radius(h, f, d)
    truth = (np.hypot(h[:, None, 0] - f[None, :, 0], h[:, None, 1] - f[None, :, 1]) <= reach_m).sum(axis=0)
    bound = reach._candidate_bound(h, f, reach_m)
    assert (bound >= truth).all()
    assert (bound <= n).all()
