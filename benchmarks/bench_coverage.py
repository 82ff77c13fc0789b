"""Coverage benchmark, side by side with geopandas.sjoin_nearest (not part of the test suite).

    venv/bin/python benchmarks/bench_coverage.py            # 200,000 homes, 2,000 facilities
    venv/bin/python benchmarks/bench_coverage.py --quick    # a tenth of the sizes

Measures, on this machine, on the same random homes and facilities spread over a 30 km ×
30 km district (EPSG:4549):

* ``fs.coverage`` with an 800 m service distance: nearest facility and distance for every
  home, covered or not, every facility's catchment and the 2SFCA ratio of every home;
* ``geopandas.sjoin_nearest`` (nearest facility and distance only), and with
  ``max_distance=800`` (nearest within reach);
* ``fs.coverage`` along a street network (a 60 × 60 grid of 100 m blocks), for scale;

checks that ``fs.coverage`` and ``sjoin_nearest`` agree on every distance, and prints whether
the target (200,000 × 2,000 in well under a second) is met. The figures from a run are
recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import platform
import sys

import geopandas as gpd
import numpy as np
import shapely
from bench import best_of  # the same timing helper as the main benchmark (benchmarks/ is on the path)

import facility_sizing as fs

X0, Y0 = 500_000.0, 3_340_000.0


def data(n: int, m: int, rng: np.random.Generator) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    hxy = rng.uniform(0, 30_000, (n, 2)) + np.array([X0, Y0])
    fxy = rng.uniform(0, 30_000, (m, 2)) + np.array([X0, Y0])
    homes = gpd.GeoDataFrame({"households": rng.integers(1, 300, n)}, geometry=shapely.points(hxy), crs=4549)
    facs = gpd.GeoDataFrame({"slots": rng.integers(10, 200, m)}, geometry=shapely.points(fxy), crs=4549)
    return homes, facs


def grid(k: int, step: float) -> gpd.GeoDataFrame:
    lines = []
    for i in range(k):
        lines.append(shapely.LineString([(X0, Y0 + i * step), (X0 + (k - 1) * step, Y0 + i * step)]))
        lines.append(shapely.LineString([(X0 + i * step, Y0), (X0 + i * step, Y0 + (k - 1) * step)]))
    return gpd.GeoDataFrame(geometry=lines, crs=4549)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    n, m, d = 200_000 // scale, 2_000 // scale, 800.0
    rng = np.random.default_rng(42)
    homes, facs = data(n, m, rng)

    cov = fs.coverage(homes, facs, distance_m=d, persons_per_household=2.7)
    joined = gpd.sjoin_nearest(homes, facs, distance_col="d")
    joined = joined[~joined.index.duplicated()]  # ties give several rows per home
    agree = np.allclose(cov.homes["distance_m"].to_numpy(), joined["d"].to_numpy(), rtol=0, atol=1e-6)

    t_cov = best_of(lambda: fs.coverage(homes, facs, distance_m=d, persons_per_household=2.7), 5)
    t_sj = best_of(lambda: gpd.sjoin_nearest(homes, facs, distance_col="d"), 5)
    t_sj_max = best_of(lambda: gpd.sjoin_nearest(homes, facs, distance_col="d", max_distance=d), 5)

    k = 60 if not args.quick else 20
    net = grid(k, 100.0)
    nh, nf = 20_000 // scale, 200 // scale
    gh = rng.uniform(0, (k - 1) * 100, (nh, 2)) + np.array([X0, Y0])
    gf = rng.uniform(0, (k - 1) * 100, (nf, 2)) + np.array([X0, Y0])
    nhomes = gpd.GeoDataFrame({"households": np.ones(nh)}, geometry=shapely.points(gh), crs=4549)
    nfacs = gpd.GeoDataFrame({"slots": np.full(nf, 50)}, geometry=shapely.points(gf), crs=4549)
    t_net = best_of(lambda: fs.coverage(nhomes, nfacs, distance_m=d, network=net), 2)

    print(
        f"facility_sizing {fs.__version__} · Python {platform.python_version()} · numpy {np.__version__} · "
        f"geopandas {gpd.__version__} · shapely {shapely.__version__}"
    )
    print(f"{'measure':<62}{'seconds':>10}")
    print(f"{f'fs.coverage, {n:,} homes × {m:,} facilities, {d:.0f} m (everything)':<62}{t_cov:>10.3f}")
    print(f"{'geopandas.sjoin_nearest, same data (nearest only)':<62}{t_sj:>10.3f}")
    print(f"{f'geopandas.sjoin_nearest, max_distance={d:.0f}':<62}{t_sj_max:>10.3f}")
    print(f"{f'fs.coverage on a {k}×{k} street grid, {nh:,} homes × {nf} facilities':<62}{t_net:>10.3f}")
    print()
    print(f"nearest distances agree with sjoin_nearest on every home: {agree}")
    print(f"covered share: {cov.summary['covered_share']:.4f}; catchment pairs found via the grid index")
    ok = t_cov < 1.0 and agree
    print(f"[{'met' if ok else 'MISSED'}] {n:,} homes × {m:,} facilities in < 1 s: {t_cov:.3f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
