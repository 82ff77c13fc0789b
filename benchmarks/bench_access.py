"""Issue 26's access and parcel rows, each beside its peer in one run (not part of the test suite).

    venv/bin/python benchmarks/bench_access.py            # the sizes below, about two minutes on 2 cores
    venv/bin/python benchmarks/bench_access.py --quick    # a tenth of the sizes (no targets checked)

``bench_peers.py`` prints these rows with the others (it calls :func:`peer_rows` and
:func:`solo_rows`); this file runs them alone. The rows:

* ``coverage`` 1,000,000 homes × 10,000 facilities over 30 km × 30 km at 1,500 m (about 78 M pairs)
  against scipy's cKDTree nearest + ``sparse_distance_matrix`` + 2SFCA by ``bincount``
  (target ≤ 1.2×); both answers are checked equal first;
* ``size_parcels`` on 1,000,000 polygons (every row sizeable) against geopandas ``to_crs`` +
  ``.area`` (target ≤ 1.3×);
* network coverage at city scale: a 300 × 300 street grid (628,200 nodes after densifying),
  500,000 homes × 2,000 facilities, 800 m along the streets, the graph built in the call
  (targets: the whole call ≤ 3 s, building the graph ≤ 1 s, measured alone);
* ``size_parcels`` on a local dask cluster of processes, two workers against one, 400,000
  parcels made on the workers in 8 partitions: three trials, each timing one worker and then two
  back to back (the same moment's machine for both); target: the median speed-up ≥ 1.5×, none
  below 1.2×. ``bench_cores.py`` measures what the machine gives two processes without dask.

Every row states how many rows errored (zero for all of them). The script exits non-zero when a
target is missed. Fast rows take the best of 5 runs each side, the large ones of 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import shapely
from bench import ON, best_of, parcels  # benchmarks/ is on the path
from bench_coverage import data, grid
from pyproj import CRS
from scipy.spatial import cKDTree

import facility_sizing as fs
from facility_sizing.spatial.access import network

#: (name, rows, errors, ours s, peer s, target ratio)
PeerRow = tuple[str, int, int, float, float, float]
#: (name, rows, errors, seconds, target text, met)
SoloRow = tuple[str, int, int, float, str, bool]


def peer_coverage(hxy: np.ndarray, fxy: np.ndarray, pop: np.ndarray, slots: np.ndarray, d: float) -> np.ndarray:
    """The peer: nearest distance by cKDTree, the pairs by ``sparse_distance_matrix``, 2SFCA by ``bincount``."""
    near_d, _ = cKDTree(fxy).query(hxy)
    pairs = cKDTree(fxy).sparse_distance_matrix(cKDTree(hxy), d, output_type="ndarray")
    fi, hi = pairs["i"], pairs["j"]
    c_pop = np.bincount(fi, weights=pop[hi], minlength=len(fxy))
    ratio = np.where(c_pop > 0, slots / np.where(c_pop > 0, c_pop, 1), 0.0)
    access = np.bincount(hi, weights=ratio[fi], minlength=len(hxy))
    return np.column_stack([near_d, access])


def interleaved(ours: Callable[[], object], peer: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The best of ``repeat`` runs of each, ours and the peer's taking turns (a busy spell hits both)."""
    t_ours, t_peer = [], []
    for _ in range(repeat):
        t_ours.append(best_of(ours, 1))
        t_peer.append(best_of(peer, 1))
    return min(t_ours), min(t_peer)


def coverage_row(quick: bool, rng: np.random.Generator) -> PeerRow:
    n, m, d = (1_000_000, 10_000, 1_500.0) if not quick else (100_000, 1_000, 1_500.0)
    homes, facs = data(n, m, rng)
    hxy, fxy = shapely.get_coordinates(homes.geometry.values), shapely.get_coordinates(facs.geometry.values)
    pop, slots = homes["households"].to_numpy(float) * 2.7, facs["slots"].to_numpy(float)
    cov = fs.coverage(homes, facs, distance_m=d, persons_per_household=2.7)
    peer = peer_coverage(hxy, fxy, pop, slots, d)
    assert np.allclose(cov.homes["distance_m"], peer[:, 0], rtol=0, atol=1e-6)
    assert np.allclose(cov.homes["access_per_1000"], peer[:, 1] * 1000, rtol=1e-9)
    errors = int(cov.summary["errors"])
    del cov, peer  # 78 M pairs' worth of memory before the timed runs
    t_ours, t_peer = interleaved(
        lambda: fs.coverage(homes, facs, distance_m=d, persons_per_household=2.7),
        lambda: peer_coverage(hxy, fxy, pop, slots, d),
        3,
    )
    return f"coverage {n:,}×{m:,}, {d:,.0f} m", n, errors, t_ours, t_peer, 1.2


def parcels_row(quick: bool, rng: np.random.Generator) -> PeerRow:
    gdf = parcels(1_000_000 if not quick else 100_000, rng)
    out = fs.size_parcels(gdf, area_type="new_build", on=ON)
    errors = int(out["error"].notna().sum())
    del out
    t_ours, t_peer = interleaved(
        lambda: fs.size_parcels(gdf, area_type="new_build", on=ON), lambda: gdf.to_crs(4549).area, 3
    )
    return "size_parcels", len(gdf), errors, t_ours, t_peer, 1.3


def peer_rows(quick: bool, rng: np.random.Generator) -> list[PeerRow]:
    """The rows with a peer: coverage, then size_parcels."""
    return [coverage_row(quick, rng), parcels_row(quick, rng)]


def city_rows(quick: bool, rng: np.random.Generator) -> list[SoloRow]:
    """Coverage along a city's streets (628k nodes, 500k homes × 2k facilities, 800 m), and its graph alone."""
    import geopandas as gpd

    k, nh, nf = (300, 500_000, 2_000) if not quick else (60, 20_000, 100)
    origin = np.array([500_000.0, 3_340_000.0])
    gh, gf = rng.uniform(0, (k - 1) * 100.0, (nh, 2)) + origin, rng.uniform(0, (k - 1) * 100.0, (nf, 2)) + origin
    homes = gpd.GeoDataFrame({"households": rng.integers(1, 300, nh)}, geometry=shapely.points(gh), crs=4549)
    facs = gpd.GeoDataFrame({"slots": rng.integers(10, 200, nf)}, geometry=shapely.points(gf), crs=4549)
    streets = grid(k, 100.0)
    cov = fs.coverage(homes, facs, distance_m=800, persons_per_household=2.7, network=streets)
    errors = int(cov.summary["errors"])
    del cov
    t = best_of(lambda: fs.coverage(homes, facs, distance_m=800, persons_per_household=2.7, network=streets), 2)
    t_graph = best_of(lambda: network.build_network(streets, CRS.from_epsg(4549), None, 800.0), 3)
    nodes = len(network.build_network(streets, CRS.from_epsg(4549), None, 800.0).nodes)
    name = f"network coverage, {k}×{k} grid, {nh:,}×{nf:,}, 800 m"
    return [
        (name, nh, errors, t, "≤ 3 s", t <= 3.0),
        (f"  its graph alone ({nodes:,} nodes)", nodes, 0, t_graph, "≤ 1 s", t_graph <= 1.0),
    ]


def _partition(seed: int, n: int) -> object:
    return parcels(n, np.random.default_rng(seed))


def _summary(part: pd.DataFrame) -> pd.DataFrame:
    """A sized partition's totals: all that leaves the worker."""
    return pd.DataFrame({"floor_area_m2": [part["floor_area_m2"].sum()], "errors": [int(part["error"].count())]})


def _sized_totals(parts: int, per: int, columns: object) -> object:
    """The job: each partition made, sized and totalled where it is, in one task (read → size → totals).

    ``columns`` is a partition of no rows: the column types a file-based read (``read_parquet``)
    takes from the file's metadata. Without it dask would make a whole partition on the client, in
    the timed region, to learn them.
    """
    import dask.dataframe as dd
    import dask_geopandas

    ddf = dask_geopandas.from_dask_dataframe(dd.from_map(_partition, range(parts), [per] * parts, meta=columns))
    sized = fs.size_parcels(ddf, area_type="new_build", on=ON)
    meta = pd.DataFrame({"floor_area_m2": [0.0], "errors": [0]}).iloc[:0]
    return sized.map_partitions(_summary, meta=meta).optimize()


def _spin(n: int) -> float:
    """A fixed piece of pure-Python work; its own duration (a probe of the CPU a worker gets)."""
    t0 = time.perf_counter()
    total = 0
    for i in range(n):
        total += i
    return time.perf_counter() - t0


def _spare_cores(clients: dict[int, Any]) -> float:
    """How much more work two worker processes did than one, right now: ~2 on two idle cores."""
    one = clients[1].submit(_spin, 5_000_000, pure=False).result()
    workers = list(clients[2].scheduler_info()["workers"])
    two = [clients[2].submit(_spin, 5_000_000, pure=False, workers=[w]) for w in workers]
    return 2 * one / max(f.result() for f in two)


def dask_rows(quick: bool) -> list[SoloRow]:
    """size_parcels on a local cluster of processes: one worker against two, three trials back to back."""
    import distributed

    parts, per = 8, (50_000 if not quick else 5_000)
    clusters = {
        w: distributed.LocalCluster(
            n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
        )
        for w in (1, 2)
    }
    clients = {w: distributed.Client(c, set_as_default=False) for w, c in clusters.items()}
    columns = _partition(0, 2).iloc[:0]
    try:
        totals = [clients[w].compute(_sized_totals(parts, per, columns)).result() for w in (1, 2)]  # imports, caches
        errors = int(totals[1]["errors"].sum())  # counts the rows with an error
        trials, spare = [], []
        for _ in range(3):
            t = {}
            spare.append(_spare_cores(clients))
            for w in (1, 2):
                t0 = time.perf_counter()
                clients[w].compute(_sized_totals(parts, per, columns)).result()
                t[w] = time.perf_counter() - t0
            trials.append((t[1], t[2]))
    finally:
        for w in (1, 2):
            clients[w].close()
            clusters[w].close()
    speedups = [a / b for a, b in trials]
    median, low = float(np.median(speedups)), min(speedups)
    one, two = float(np.median([a for a, _ in trials])), float(np.median([b for _, b in trials]))
    text = (
        f"speed-ups {', '.join(f'{s:.2f}' for s in speedups)}x: median ≥ 1.5x, none < 1.2x"
        f" (two processes of pure work ran {', '.join(f'{s:.2f}' for s in spare)}x one)"
    )
    name = f"size_parcels on dask processes, 2 workers vs 1 ({one:.2f} s)"
    return [(name, parts * per, errors, two, text, median >= 1.5 and low >= 1.2)]


def solo_rows(quick: bool, rng: np.random.Generator) -> list[SoloRow]:
    """The rows with a target of their own: city-scale network coverage and its graph, the dask speed-up."""
    return [*city_rows(quick, rng), *dask_rows(quick)]


def report(peer: list[PeerRow], solo: list[SoloRow], quick: bool) -> bool:
    """Print the rows; True when every target is met (always in ``--quick``)."""
    ok = True
    print(f"{'work':<52}{'rows':>10}{'errors':>8}{'ours s':>9}{'peer s':>9}{'ratio':>7}  target")
    for name, rows_n, errs, t_o, t_p, target in peer:
        ratio = t_o / t_p
        met = ratio <= target or quick
        ok &= met
        print(
            f"{name:<52}{rows_n:>10,}{errs:>8,}{t_o:>9.3f}{t_p:>9.3f}{ratio:>6.2f}x  ≤{target:g}x {'met' if met else 'MISSED'}"
        )
    print(f"{'work':<52}{'rows':>10}{'errors':>8}{'seconds':>9}{'':>16}  target")
    for name, rows_n, errs, value, text, met in solo:
        ok &= met or quick
        print(f"{name:<52}{rows_n:>10,}{errs:>8,}{value:>9.2f}{'':>16}  {text} {'met' if met else 'MISSED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore", fs.StaleRuleWarning)
    rng = np.random.default_rng(0)
    peer = peer_rows(args.quick, rng)
    solo = solo_rows(args.quick, rng)
    print(f"facility_sizing {fs.__version__} · numpy {np.__version__} · load average {os.getloadavg()[0]:.1f}")
    return 0 if report(peer, solo, args.quick) else 1


if __name__ == "__main__":
    sys.exit(main())
