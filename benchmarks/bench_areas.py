"""Sizing by residential area (``size_frame(..., area=...)``): the pooling beside plain ``size_frame``.

    .venv/bin/python benchmarks/bench_areas.py            # 20,000 rows in 5,000 areas, and 100,000 in 25,000
    .venv/bin/python benchmarks/bench_areas.py --quick    # the first size only

Each size is timed three times (after one warm-up call); the median is reported. Target (issue 29):
20,000 rows in 5,000 areas of 4 parcels (Xihu new build) sized by area in under 1 s. Exits 1 when the
target is missed. Not a test: run it on a quiet machine and record the figures in the closing notes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np
import pandas as pd

import facility_sizing as fs

TARGET_S = 1.0  # 20,000 rows / 5,000 areas
KW = {"jurisdiction": "西湖区", "area_type": "new_build", "on": "2025-01-01"}


def _frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"pid": np.arange(n), "area": (np.arange(n) // 4).astype(str),
                         "households": rng.integers(0, 3000, n)})  # fmt: skip


def _median(call: object, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    sizes = (20_000,) if parser.parse_args().quick else (20_000, 100_000)
    fs.size_frame(_frame(8), area="area", parcel="pid", **KW)  # warm-up: rule data read, plans made
    met = True
    for n in sizes:
        df = _frame(n)
        plain = _median(lambda df=df: fs.size_frame(df, **KW))
        by_area = _median(lambda df=df: fs.size_frame(df, area="area", parcel="pid", **KW))
        line = f"{n:,} rows in {n // 4:,} areas of 4: size_frame {plain:.3f} s, by area {by_area:.3f} s"
        if n == 20_000:
            ok = by_area < TARGET_S
            met &= ok
            line += f" (target < {TARGET_S:.1f} s: {'met' if ok else 'MISSED'})"
        print(line)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
