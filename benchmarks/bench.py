"""Benchmarks, side by side in one run (not part of the test suite).

    venv/bin/python benchmarks/bench.py            # full sizes
    venv/bin/python benchmarks/bench.py --quick    # a tenth of the sizes

Measures, on this machine:

* ``size_frame`` on 1,000,000 rows (mixed jurisdictions and area types), and on 1,000,000 rows
  that all fail (one shared error per distinct bad value, not one per row);
* the scalar ``size`` called in a Python loop over 10,000 rows;
* the numeric core alone (arrays in, arrays out) for Xihu new-build against the bare numpy
  expression that computes the same figure, ``np.maximum((h * 15 + 99) // 100, 200)``;
* ``size_parcels`` on 100,000 polygons, including the CRS transformation;
* peak traced memory of ``size_frame`` on 1,000,000 rows;
* the ``batch`` command on a typed table of 300,000 projects written to ``.xlsx`` against the
  same job written to ``.csv`` (the whole command, reading and sizing included);
* the start of ``facility-sizing size`` against ``python -c "import facility_sizing"``;

and prints ns per row for each, the ratios and whether each target is met. The figures from
a run are recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import platform
import sys
import time
import tracemalloc
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import facility_sizing as fs
from facility_sizing.engine.core import evaluate
from facility_sizing.engine.plan import resolve
from facility_sizing.ruledata import default_rulebook

ON = "2025-01-01"


def best_of(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def frame(n: int, rng: np.random.Generator) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "jurisdiction": rng.choice(["西湖区", "柯桥区", "余姚市", "苏州市", "昆山市"], n),
            "households": rng.integers(0, 6000, n),
            "area_type": rng.choice(["new_build", "existing"], n),
        }
    )


def parcels(n: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    lon = rng.uniform(119.9, 120.6, n)
    lat = rng.uniform(29.9, 30.4, n)
    w = rng.uniform(0.001, 0.003, n)
    h = rng.uniform(0.001, 0.003, n)
    geoms = shapely.box(lon, lat, lon + w, lat + h)
    return gpd.GeoDataFrame(
        {
            "jurisdiction": rng.choice(["西湖区", "柯桥区"], n),
            "far": 2.5,
            "residential_share": 0.9,
            "unit_area_m2": 95.0,
            # Keqiao sizes by population: without persons per household its rows would all be errors
            "persons_per_household": 2.8,
        },
        geometry=geoms,
        crs=4490,
    )


def _peak_rss_mib(n: int) -> float:
    """Peak resident memory of a fresh process that builds the frame and sizes it."""
    import subprocess

    code = (
        "import resource, warnings, numpy as np, facility_sizing as fs, sys\n"
        "sys.path.insert(0, 'benchmarks')\n"
        "from bench import frame\n"
        "warnings.simplefilter('ignore')\n"
        f"df = frame({n}, np.random.default_rng(0))\n"
        "fs.size_frame(df, persons_per_household=2.8, on='2025-01-01')\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024  # Linux reports KiB


def _command_seconds(argv: list[str], repeat: int, cwd: str) -> float:
    """The best wall time of a command (a fresh process each time)."""
    import subprocess

    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return min(times)


def command_line_targets(scale: int) -> list[tuple[str, bool]]:
    """The batch job to .xlsx against .csv (target <= 2x), and the command line's start over the import."""
    import tempfile
    from pathlib import Path

    exe = str(Path(sys.executable).with_name("facility-sizing"))
    n = 300_000 // scale
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as folder:
        pd.DataFrame(
            {
                "地块编号": [f"P-{i}" for i in range(n)],
                "区县": rng.choice(["西湖区", "柯桥区", "余姚市"], n),
                "类型": rng.choice(["新建", "已建成"], n),
                "户数": rng.integers(100, 5000, n),
            }
        ).to_csv(Path(folder) / "projects.csv", index=False)
        job = [exe, "batch", "projects.csv", "--persons-per-household", "2.7", "--on", ON, "--quiet", "-o"]
        t_csv = _command_seconds([*job, "out.csv"], 1, folder)
        t_xlsx = _command_seconds([*job, "out.xlsx"], 1, folder)
        t_import = _command_seconds([sys.executable, "-c", "import facility_sizing"], 5, folder)
        size = [exe, "size", "-j", "西湖区", "-t", "new_build", "--households", "1200", "--on", ON]
        t_size = _command_seconds(size, 5, folder)
    print(f"batch of {n:,} typed rows: to .csv {t_csv:.1f} s, to .xlsx {t_xlsx:.1f} s")
    print(f"python -c 'import facility_sizing' {t_import:.2f} s; facility-sizing size {t_size:.2f} s")
    return [
        (
            f"batch of {n:,} rows to .xlsx: {t_xlsx / t_csv:.1f}x the same job to .csv (target <= 2x)",
            t_xlsx <= 2 * t_csv,
        ),
        (
            f"facility-sizing size starts {t_size - t_import:.2f} s after the import (target <= 0.15 s)",
            t_size - t_import <= 0.15,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    n_frame, n_scalar, n_parcels = 1_000_000 // scale, 10_000 // scale, 100_000 // scale
    rng = np.random.default_rng(0)
    warnings.simplefilter("ignore", fs.StaleRuleWarning)

    df = frame(n_frame, rng)
    fs.size_frame(df.head(1000), persons_per_household=2.8, on=ON)  # warm caches (rule loading)
    t_frame = best_of(lambda: fs.size_frame(df, persons_per_household=2.8, on=ON), 3)

    failing = df.assign(households=-df["households"] - 1)  # every row fails: negative households
    t_failing = best_of(lambda: fs.size_frame(failing, persons_per_household=2.8, on=ON), 3)

    rows = df.head(n_scalar).to_dict("records")

    def size_row(r: dict) -> None:  # type: ignore[type-arg]
        fs.size(
            jurisdiction=r["jurisdiction"],
            households=r["households"],
            persons_per_household=2.8,
            area_type=r["area_type"],
            on=ON,
        )

    def scalar_loop() -> None:
        for r in rows:
            with contextlib.suppress(fs.FacilitySizingError):
                size_row(r)

    t_scalar = best_of(scalar_loop, 1)
    e_frame = int(fs.size_frame(df, persons_per_household=2.8, on=ON)["error"].notna().sum())
    e_failing = int(fs.size_frame(failing, persons_per_household=2.8, on=ON)["error"].notna().sum())
    e_scalar = 0
    for r in rows:
        try:
            size_row(r)
        except fs.FacilitySizingError:
            e_scalar += 1

    book = default_rulebook()
    plan = resolve(book, book.division("西湖区"), "new_build", dt.date(2025, 1, 1), False)
    h = rng.integers(0, 6000, n_frame).astype(np.int64)
    zeros = np.zeros(n_frame, dtype=np.int64)
    core_out = evaluate(plan, (h, 1), (zeros, 1), n_frame)["floor_area"]
    bare_out = np.maximum((h * 15 + 99) // 100, 200)
    # the same figure: the core is in centi-m² and exact, the bare expression rounds up to whole m²
    assert core_out is not None and np.array_equal(-(-core_out.value // 100), bare_out)
    t_core = best_of(lambda: evaluate(plan, (h, 1), (zeros, 1), n_frame), 5)
    t_bare = best_of(lambda: np.maximum((h * 15 + 99) // 100, 200), 5)

    gdf = parcels(n_parcels, rng)
    fs.size_parcels(gdf.head(100), area_type="new_build", on=ON)
    t_parcels = best_of(lambda: fs.size_parcels(gdf, area_type="new_build", on=ON), 2)
    e_parcels = int(fs.size_parcels(gdf, area_type="new_build", on=ON)["error"].notna().sum())

    gc.collect()
    tracemalloc.start()
    fs.size_frame(df, persons_per_household=2.8, on=ON)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    rss = _peak_rss_mib(n_frame)

    ns = lambda t, n: t / n * 1e9  # noqa: E731
    print(
        f"facility_sizing {fs.__version__} · Python {platform.python_version()} · numpy {np.__version__} · "
        f"pandas {pd.__version__} · {platform.machine()} · {dt.date.today()}"
    )
    print(f"{'measure':<48}{'rows':>11}{'errors':>10}{'seconds':>10}{'ns/row':>11}")
    lines = [
        ("size_frame", n_frame, e_frame, t_frame),
        ("size_frame, every row failing", n_frame, e_failing, t_failing),
        ("size() in a Python loop", n_scalar, e_scalar, t_scalar),
        ("numeric core (Xihu new-build, arrays in/out)", n_frame, 0, t_core),
        ("bare numpy np.maximum((h*15+99)//100, 200)", n_frame, 0, t_bare),
        ("size_parcels incl. CRS transformation", n_parcels, e_parcels, t_parcels),
    ]
    for name, n, errs, t in lines:
        print(f"{name:<48}{n:>11,}{errs:>10,}{t:>10.3f}{ns(t, n):>11,.0f}")
    speedup = ns(t_scalar, n_scalar) / ns(t_frame, n_frame)
    core_ratio = t_core / t_bare
    print()
    targets = [
        (
            f"errored rows: {e_frame + e_scalar + e_parcels:,} outside the failing row (target 0); "
            f"failing row: {e_failing:,} of {n_frame:,} (target all)",
            e_frame + e_scalar + e_parcels == 0 and e_failing == n_frame,
        ),
        (f"size_frame per row is {speedup:,.0f}x faster than the scalar loop (target >= 100x)", speedup >= 100),
        (f"size_frame on {n_frame:,} rows: {t_frame:.2f} s (target < 1 s for 1,000,000)", t_frame * scale < 1),
        (f"numeric core / bare numpy: {core_ratio:.1f}x (target <= 5x)", core_ratio <= 5),
        (
            f"size_frame with every row failing: {t_failing / t_frame:.1f}x the time of good rows (target <= 2x)",
            t_failing <= 2 * t_frame,
        ),
        (
            f"size_parcels on {n_parcels:,} polygons: {t_parcels:.2f} s (target < 5 s for 100,000)",
            t_parcels * scale < 5,
        ),
        (
            f"peak traced memory of size_frame on {n_frame:,} rows: {peak / 2**20:,.0f} MiB (target < 1 GiB)",
            peak * scale < 2**30,
        ),
        (
            f"peak RSS of a fresh process sizing {n_frame:,} rows (imports included): {rss:,.0f} MiB (target < 1 GiB)",
            rss < 1024,
        ),
    ]
    targets += command_line_targets(scale)
    for text, ok in targets:
        print(("met     " if ok else "MISSED  ") + text)
    return 0 if all(ok for _, ok in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
