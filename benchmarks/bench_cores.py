"""What two processes get of this machine, without dask: the ceiling of the dask row (not a test).

    venv/bin/python benchmarks/bench_cores.py              # 20 pairs of each, under a minute on 2 cores
    venv/bin/python benchmarks/bench_cores.py --pairs 40

The dask row of ``bench_peers.py`` asks two worker processes to do the work of one in ≤ 1 / 1.2 of
its time in every trial. This script measures what the machine itself gives two processes, in two
plain ``multiprocessing`` processes and nothing else:

* **pure Python work** (a counting loop, about 0.3 s): no memory, no library, no dask;
* **``size_parcels`` alone**: four partitions of 50,000 parcels each, made before the clock starts,
  as in the dask row.

Each pair times one process alone, then both at once on the same amount of work each; the figure
is how much more work two did than one in the same time (2.0 on two free cores). The script
prints each kind's range and exits non-zero when any pair of pure work fell below 1.2×: on such a
machine no library can promise the dask row's "none below 1.2×".
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import time
import warnings
from typing import Any

_PARTS: list[Any] = []  # one process's partitions, made once by the pool's initializer


def _make_parts() -> None:
    import numpy as np
    from bench import parcels  # benchmarks/ is on the path

    warnings.simplefilter("ignore")
    _PARTS.extend(parcels(50_000, np.random.default_rng(k)) for k in range(4))
    _size(0)  # imports and the rule book, outside the clock


def _size(_: int) -> float:
    from bench import ON

    import facility_sizing as fs

    t0 = time.perf_counter()
    for part in _PARTS:
        fs.size_parcels(part, area_type="new_build", on=ON)
    return time.perf_counter() - t0


def _spin(_: int) -> float:
    t0 = time.perf_counter()
    total = 0
    for i in range(8_000_000):
        total += i
    return time.perf_counter() - t0


def pairs(n: int) -> dict[str, list[float]]:
    """``n`` pairs of each kind of work: how much more two processes did than one, sorted."""
    out: dict[str, list[float]] = {"pure Python work": [], "size_parcels alone": []}
    with mp.get_context("spawn").Pool(2, initializer=_make_parts) as pool:
        for _ in range(n):
            for name, work in zip(out, (_spin, _size), strict=True):
                t0 = time.perf_counter()
                pool.apply(work, (0,))
                one = time.perf_counter() - t0
                t0 = time.perf_counter()
                pool.map(work, [0, 1], chunksize=1)
                out[name].append(2 * one / (time.perf_counter() - t0))
    return {name: sorted(v) for name, v in out.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=20)
    args = parser.parse_args()
    found = pairs(args.pairs)
    for name, v in found.items():
        low = sum(x < 1.2 for x in v)
        print(
            f"{name:<18} two processes did {v[0]:.2f}–{v[-1]:.2f}× one (median {statistics.median(v):.2f}), {low} of {len(v)} below 1.2×"
        )
    return 1 if found["pure Python work"][0] < 1.2 else 0


if __name__ == "__main__":
    sys.exit(main())
