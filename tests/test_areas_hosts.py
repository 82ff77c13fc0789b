"""Residential areas that need several facilities (issue 29): hosts named, or chosen by fs.site's p-median
over the area's located parcels; the area sized as one and its figure split equally among the hosts.

The band is Hangzhou's reported one (opt-in): 「常住人口3000—4000户配置一处，每增加3000户增配一处」
(杭州市婴幼儿照护服务设施配建办法（2022，据报道） 配置数量): 4,001–7,000 households → 2 facilities.
The figures per facility are Xihu's, 西政办函〔2021〕15号 二(三)1: 「按照每百户不少于15平方米、最小建筑面积不少于
200平方米、户外活动场地不少于40平方米」, and the reported 「每千人不少于10个托位」 (浙江省优化生育政策实施意见).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import facility_sizing as fs

ON = "2025-06-01"
X, Y = 500_000, 3_350_000  # CGCS2000 / 3-degree Gauss-Kruger CM 120E (EPSG:4549), metres


def _parcels(households: list[int], xs: list[float], **extra: object) -> gpd.GeoDataFrame:
    ids = [f"P{i + 1}" for i in range(len(households))]
    boxes = [shapely.box(X + x, Y, X + x + 80, Y + 80) for x in xs]
    return gpd.GeoDataFrame({"地块编号": ids, "居住区": "A", "households": households, **extra},
                            geometry=boxes, crs=4549)  # fmt: skip


def _size(gdf: gpd.GeoDataFrame, **kw: object) -> gpd.GeoDataFrame:
    return fs.size_parcels(gdf, area="居住区", jurisdiction="西湖区", area_type="new_build", on=ON,
                           include_reported=True, persons_per_household=2.7, **kw)  # fmt: skip


def test_fs_site_chooses_the_two_hosts_of_a_located_area_by_p_median() -> None:
    # Two clusters 2 km apart: P1 (1,000) and P2 (1,500) 100 m apart; P3 (2,500) and P4 (1,000) 100 m apart.
    # 6,000 households → 2 facilities. p-median: in each cluster the parcel with more households hosts
    # (1,000 × 100 m < 1,500 × 100 m; 1,000 × 100 m < 2,500 × 100 m), so P2 and P3.
    out = _size(_parcels([1000, 1500, 2500, 1000], [0, 100, 2000, 2100]))
    assert out["error"].isna().all(), out["error"].tolist()
    assert out["area_host"].tolist() == [False, True, True, False]
    assert out["area_host_rule"].tolist() == ["fs.site p-median"] * 4
    assert out["area_served_by"].tolist() == ["P2", "P2", "P3", "P3"]
    # the area as one: 6,000 × 15/100 = 900 m² (≥ 2 × 200), 2 × 40 = 80 m² outdoor (a facility's minimum,
    # twice), 6,000 × 2.7 = 16,200 people × 10/1,000 = 162 slots; each host an equal half of them
    assert out["hosted_floor_area_m2"].tolist()[1:3] == [450.0, 450.0]
    assert out["hosted_outdoor_area_m2"].tolist()[1:3] == [40.0, 40.0]
    assert out["hosted_slots"].tolist()[1:3] == [81, 81]
    assert out["hosted_households"].tolist()[1:3] == [3000.0, 3000.0]
    assert out["hosted_floor_area_m2"].isna().tolist() == [True, False, False, True]
    # the area's figure, the halves' sum: 900 m², 80 m², 162 slots
    [area] = fs.area_table(out).to_dict("records")
    assert (area["hosts"], area["host_rule"], area["floor_area_m2"], area["outdoor_area_m2"], area["slots"]) == (
        "P2、P3", "fs.site p-median", 900.0, 80.0, 162,
    )  # fmt: skip
    # shares by households (1,000 : 1,500 : 2,500 : 1,000 of 6,000), largest remainder:
    # 900 → 150 / 225 / 375 / 150; 80 m² = 8,000 centi-m² → 1,333.33 / 2,000 / 3,333.33 / 1,333.33, the one
    # left to the equal remainder of the most households (P3); 162 → 27 / 40.5 / 67.5 / 27, the one left to P3
    assert out["floor_area_m2"].tolist() == [150.0, 225.0, 375.0, 150.0]
    assert out["outdoor_area_m2"].tolist() == [13.33, 20.0, 33.34, 13.33]
    assert out["slots"].tolist() == [27, 40, 68, 27]


def test_named_hosts_win_over_fs_site_and_split_the_area_equally() -> None:
    gdf = _parcels([1000, 1500, 2500, 1000], [0, 100, 2000, 2100], 承建=[True, False, False, True])
    out = _size(gdf, host="承建")
    assert out["area_host"].tolist() == [True, False, False, True]
    assert out["area_host_rule"].tolist() == ["named"] * 4
    assert out["area_served_by"].isna().all()  # several named hosts: which serves whom is not said
    assert out["hosted_floor_area_m2"].tolist()[::3] == [450.0, 450.0]


def test_the_odd_unit_of_an_equal_split_goes_to_the_host_with_more_households() -> None:
    # 5,001 households → 2 facilities; the area as one: 5,001 × 15/100 = 750.15 m² (西政办函〔2021〕15号 二(三)1),
    # 5,001 × 2.7 = 13,502.7 people × 10/1,000 = 135.027 → 136 slots. Halves: 75,015 centi-m² = 37,507 + 37,508,
    # the odd 0.01 m² to P3 (2,500 households > P1's 1,000); 136 = 68 + 68; households 5,001 = 2,500 + 2,501.
    out = _size(_parcels([1000, 1501, 2500], [0, 100, 2000], 承建=[True, False, True]), host="承建")
    assert out["hosted_households"].tolist()[::2] == [2500.0, 2501.0]
    assert out["hosted_floor_area_m2"].tolist()[::2] == [375.07, 375.08]
    assert out["hosted_slots"].tolist()[::2] == [68, 68]
    assert fs.area_table(out)["floor_area_m2"].tolist() == [750.15]
    assert out["floor_area_m2"].sum() == pytest.approx(750.15, abs=1e-9)


def test_one_facility_is_hosted_by_the_most_households_and_says_so() -> None:
    out = _size(_parcels([1000, 1500], [0, 100]))
    assert out["area_host_rule"].tolist() == ["most households"] * 2
    assert out["area_served_by"].tolist() == ["P2", "P2"]
    assert out["hosted_floor_area_m2"].tolist()[1] == 375.0  # 2,500 × 15/100, the area's own figure


def test_without_locations_the_error_names_both_ways() -> None:
    frame = pd.DataFrame({"地块编号": ["P1", "P2"], "居住区": "A", "households": [2500, 2500]})
    out = fs.size_frame(frame, area="居住区", jurisdiction="西湖区", area_type="new_build", on=ON,
                        include_reported=True, persons_per_household=2.7)  # fmt: skip
    [text] = out["error"].unique()
    assert "须配置 2 处设施" in text and "标明 2 个承建地块" in text and "fs.size_parcels" in text
    assert "fs.site" in text and "mark 2 host parcels" in text


def test_a_parcel_without_a_location_stops_fs_site_with_a_typed_error() -> None:
    gdf = _parcels([2500, 2500], [0, 100])
    gdf.loc[1, "geometry"] = None
    out = _size(gdf)
    assert "fs.site 无法选定承建地块" in out["error"][0] and "P2" in out["error"][0]


def test_a_contributor_letter_names_the_host_that_serves_it() -> None:
    out = _size(_parcels([1000, 1500, 2500, 1000], [0, 100, 2000, 2100]))
    letter = fs.area_letter(out, "P4")
    assert "该份额在承建地块P3内提供" in letter
    assert "由各承建地块均分" in letter
    assert "P2：托育服务设施建筑面积450平方米、户外活动场地面积40平方米、托位81个" in letter
    host = fs.area_letter(out, "P2")
    assert "由 fs.site 在本居住区各地块中按户数加权距离之和最小（p-median）选定" in host
    assert "托育服务设施建筑面积不少于900平方米" in host  # the area's, as one (6,000 × 15/100)
    assert "为居住区数值的均分：托育服务设施建筑面积450平方米" in host


def test_size_parcels_by_area_on_dask_equals_pandas_when_an_area_spans_partitions() -> None:
    dask_geopandas = pytest.importorskip("dask_geopandas")
    households = [1000, 1500, 2500, 1000, 600, 400, 700, 800, 300]
    areas = ["A", "A", "A", "A", None, "B", "B", "C", "B"]
    gdf = gpd.GeoDataFrame({"地块编号": [f"P{i}" for i in range(9)], "居住区": areas, "households": households},
                           geometry=[shapely.box(X + 150 * i, Y, X + 150 * i + 80, Y + 80) for i in range(9)],
                           crs=4549, index=range(10, 19))  # fmt: skip
    ddf = dask_geopandas.from_geopandas(gdf, npartitions=3)
    assert ddf.divisions == (10, 13, 16, 18)  # area A: rows 10-12 in the first partition, 13 in the second
    kw = {"area": "居住区", "jurisdiction": "西湖区", "area_type": "new_build", "on": ON, "include_reported": True,
          "persons_per_household": 2.7}  # fmt: skip
    got = fs.size_parcels(ddf, **kw)
    assert got.npartitions == 3
    got = got.compute()
    want = fs.size_parcels(ddf.compute(), **kw)
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(want))
    # A: 6,000 households → 2 facilities (P1, P2 | P3 … 150 m apart in a row): the figures of the test above
    assert got["area_floor_area_m2"].tolist()[:4] == [900.0] * 4
    assert got["area_id"].tolist()[4] is None and got["area_host_rule"].tolist()[4] == "sole parcel"


def test_a_dask_frame_sized_by_a_series_of_area_ids_is_a_typed_error() -> None:
    dask_geopandas = pytest.importorskip("dask_geopandas")
    ddf = dask_geopandas.from_geopandas(_parcels([100, 200], [0, 100]), npartitions=1)
    with pytest.raises(fs.InputError, match="须为数据表的列名"):
        fs.size_parcels(ddf, area=pd.Series(["A", "A"]), jurisdiction="西湖区", area_type="new_build", on=ON)
