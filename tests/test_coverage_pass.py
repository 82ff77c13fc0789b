"""Straight-line coverage reads its pairs once (issue 26): the same figures, to the last bit, as two passes.

Each chunk of straight-line pairs holds every pair of its facilities, so a facility's catchment is
complete when its chunk has been read, and its homes' 2SFCA ratios can be added at once. Here the
one pass is compared with the two passes it replaced (still the network's), over many small chunks,
with homes and facilities whose figures are unknown.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from facility_sizing.spatial.access import coverage as cov_module
from facility_sizing.spatial.access import reach

X0, Y0 = 500_000.0, 3_350_000.0


def _inputs(seed: int, population: bool) -> tuple[object, gpd.GeoDataFrame]:
    rng = np.random.default_rng(seed)
    n, m = 3_000, 60
    homes = gpd.GeoDataFrame(
        {"households": rng.integers(0, 300, n).astype(float)},
        geometry=shapely.points(rng.uniform(0, 4_000, (n, 2)) + np.array([X0, Y0])),
        crs=4549,
    )
    homes.loc[[5, 77, 1_000], "households"] = [-1.0, np.nan, 3.0]  # two homes whose figures are unknown
    homes.loc[12, "geometry"] = None  # and one with no location
    facs = gpd.GeoDataFrame(
        {"slots": rng.integers(0, 150, m).astype(float)},
        geometry=shapely.points(rng.uniform(0, 4_000, (m, 2)) + np.array([X0, Y0])),
        crs=4549,
    )
    facs.loc[3, "slots"] = np.nan  # a facility whose ratio is unknown
    inputs = cov_module._read_inputs(
        homes, facs, (600.0, {}), "households", None, 2.7 if population else None, "slots", None, None
    )
    return inputs, facs


@pytest.mark.parametrize("population", [True, False])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_pass_gives_the_two_passes_figures(seed: int, population: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reach, "CHUNK_CANDIDATES", 2_000)  # many chunks of a few facilities each
    inputs, facs = _inputs(seed, population)
    pairs = reach.pairs_within(inputs.hxy, inputs.fxy, inputs.d, None, inputs.target, None)
    assert sum(1 for _ in pairs.once()) > 5
    known = cov_module._straight_nearest(inputs)
    step1, nearest, access = cov_module._one_pass(inputs, pairs, len(facs), known)
    old1 = cov_module._catchments(inputs, pairs, len(facs), known[1])
    old_nearest, old_access = cov_module._nearest_and_access(inputs, pairs, old1, known[0])
    for name in ("dist", "households", "population", "ratio", "unknown_catchment"):
        np.testing.assert_array_equal(getattr(step1, name), getattr(old1, name), err_msg=name)
    np.testing.assert_array_equal(nearest, old_nearest)
    np.testing.assert_array_equal(access, old_access)
    assert np.isnan(access[[5, 77, 12]]).all() and step1.unknown_catchment.any()
    assert np.isfinite(access).any() == population
