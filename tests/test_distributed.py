"""The dask path on a local cluster of processes: every argument and error crosses a process boundary.

One cluster for the module (two worker processes, one thread each), closed after. Each result
must equal the in-memory one, per-row errors included.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import facility_sizing as fs

dask_geopandas = pytest.importorskip("dask_geopandas")
distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")

ON = "2025-06-01"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, silence_logs=40
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        pids = set(c.run(os.getpid).values())
        assert len(pids) == 2 and os.getpid() not in pids  # two worker processes, not threads of this one
        yield c


def _same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    # dask turns string columns into its own string dtype; the values must be equal
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_categorical=False)


@pytest.mark.usefixtures("client")
def test_size_parcels_on_processes() -> None:
    gdf = fs.sample_parcels()
    gdf.loc[gdf.index[1], "households"] = -5  # a per-row error must come back as one
    expected = fs.size_parcels(gdf, on=ON)
    assert expected["error"].notna().any()
    got = fs.size_parcels(dask_geopandas.from_geopandas(gdf, npartitions=3), on=ON).compute()
    _same(pd.DataFrame(got.drop(columns="geometry")), pd.DataFrame(expected.drop(columns="geometry")))
    for column in ("floor_area_m2", "slots", "max_floor", "parcel_area_m2", "households_estimated", "error"):
        assert got[column].dtype == expected[column].dtype, column  # the result columns keep their types
    assert got.geometry.equals(expected.geometry)


@pytest.mark.usefixtures("client")
def test_size_frame_on_processes() -> None:
    rng = np.random.default_rng(5)
    df = pd.DataFrame(
        {
            "jurisdiction": rng.choice(["西湖区", "柯桥区", "余姚市", "苏州市", "不存在区"], 400),
            "households": rng.integers(-2, 3000, 400),
            "area_type": rng.choice(["new_build", "existing"], 400),
        }
    )
    expected = fs.size_frame(df, persons_per_household=2.8, on=ON)
    assert expected["error"].notna().any() and expected["error"].isna().any()
    ddf = dd.from_pandas(df, npartitions=4)
    got = ddf.map_partitions(fs.size_frame, persons_per_household=2.8, on=ON, meta=expected.iloc[:0]).compute()
    _same(got, expected)


def _covered(part: gpd.GeoDataFrame, facs: gpd.GeoDataFrame) -> pd.DataFrame:
    cols = ["covered", "distance_m", "nearest_facility", "error"]
    return pd.DataFrame(fs.coverage(part, facs, distance_m=600).homes[cols])


@pytest.mark.usefixtures("client")
def test_coverage_by_partition_on_processes() -> None:
    rng = np.random.default_rng(9)
    x0, y0 = 500_000.0, 3_350_000.0
    hxy = rng.uniform(0, 3_000, (300, 2)) + np.array([x0, y0])
    fxy = rng.uniform(0, 3_000, (12, 2)) + np.array([x0, y0])
    homes = gpd.GeoDataFrame({"households": rng.integers(0, 300, 300)}, geometry=shapely.points(hxy), crs=4549)
    homes.loc[[4, 70], "households"] = -1  # per-row errors
    facs = gpd.GeoDataFrame({"slots": rng.integers(0, 150, 12)}, geometry=shapely.points(fxy), crs=4549)
    expected = _covered(homes, facs)
    # per home, coverage depends on that home and the facilities only, so partitions may be sized apart
    ddf = dask_geopandas.from_geopandas(homes, npartitions=3)
    got = ddf.map_partitions(_covered, facs, meta=expected.iloc[:0]).compute()
    assert expected["error"].notna().sum() == 2
    _same(got, expected)


def _made(i: int) -> gpd.GeoDataFrame:
    gdf = fs.sample_parcels()
    return gdf.iloc[i * 10 : (i + 1) * 10]


def test_a_partition_is_read_and_sized_in_one_task() -> None:
    """Issue 26: a partition's own steps (made or read, converted) and its sizing are one task, so a
    partition is never carried from one worker to another between being read and being sized."""
    ddf = dask_geopandas.from_dask_dataframe(dd.from_map(_made, range(3)))
    sized = fs.size_parcels(ddf, on=ON)
    assert len(dict(sized.__dask_graph__())) == 3 == sized.npartitions
    expected = fs.size_parcels(fs.sample_parcels().iloc[:30], on=ON)
    _same(
        pd.DataFrame(sized.compute(scheduler="sync").drop(columns="geometry")),
        pd.DataFrame(expected.drop(columns="geometry")),
    )
