"""One area, one answer: the households of a residential area get the same figures whether they are one
parcel or several (issue 29). The area is sized as one row through the core (what ``fs.size`` gives one
parcel of its households); several hosts split that figure equally.

Figures: Xihu 西政办函〔2021〕15号 二(三)1 「按照每百户不少于15平方米、最小建筑面积不少于200平方米、户外活动场地
不少于40平方米」 (a facility's minimums), the reported Hangzhou 2022 band 「常住人口3000—4000户配置一处，每增加3000户
增配一处」 and the reported 「每千人不少于10个托位」 (浙江省优化生育政策实施意见), opted in with include_reported=True.
"""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import facility_sizing as fs

ON = "2025-06-01"
RULES = {"jurisdiction": "西湖区", "area_type": "new_build", "on": ON, "include_reported": True,
         "persons_per_household": 2.8}  # fmt: skip


def _by_area(households: list[int], hosts: int) -> pd.DataFrame:
    """The parcels of one area, the first ``hosts`` of them marked as hosts where there are several."""
    marks = [i < hosts for i in range(len(households))] if hosts > 1 else [None] * len(households)
    df = pd.DataFrame({"地块编号": [f"P{i + 1}" for i in range(len(households))], "居住区": "A",
                       "households": households, "承建": marks})  # fmt: skip
    return fs.size_frame(df, area="居住区", host="承建", **RULES)


def _same(got: object, want: object) -> bool:
    if want is None or (isinstance(want, float) and math.isnan(want)):
        return got is None or (isinstance(got, float) and math.isnan(got))
    return got == want


@settings(max_examples=30, deadline=None)
@given(households=st.integers(0, 10_000), cuts=st.lists(st.floats(0, 1), min_size=2, max_size=2))
def test_an_area_gets_what_one_parcel_of_its_households_gets_however_it_is_split(
    households: int, cuts: list[float]
) -> None:
    one = fs.size(households=households, **RULES)
    a, b = sorted(round(c * households) for c in cuts)
    splits = [[households], [a, households - a], [a, b - a, households - b]]
    for parts in splits:
        if one.facilities is not None and one.facilities > len(parts) > 1:
            continue  # more facilities than parcels to host them: the area's own error (test_areas_hosts.py)
        out = _by_area(parts, int(one.facilities or 1))
        assert out["error"].isna().all(), out["error"].tolist()
        row = out.iloc[0]
        assert _same(row["area_floor_area_m2"], one.floor_area_m2), (parts, row["area_floor_area_m2"])
        assert _same(row["area_outdoor_area_m2"], one.outdoor_area_m2), (parts, row["area_outdoor_area_m2"])
        assert _same(row["area_slots"], one.slots), (parts, row["area_slots"])
        hosted = out[out["area_host"]]
        assert hosted["hosted_slots"].sum() == one.slots  # the hosts' equal parts add up to the area's figure
        assert round(hosted["hosted_floor_area_m2"].sum() * 100) == round(one.floor_area_m2 * 100)


def test_7000_households_in_two_parcels_are_one_area_of_two_equal_facilities() -> None:
    # 7,000 × 15/100 = 1,050 m² (西政办函〔2021〕15号 二(三)1); 7,000 × 2.8 = 19,600 people × 10/1,000 = 196 slots;
    # 7,000 households → 2 facilities (the reported band: 4,001–7,000); each host an equal half.
    out = _by_area([3500, 3500], 2)
    assert out["area_floor_area_m2"].tolist() == [1050.0, 1050.0]
    assert out["area_slots"].tolist() == [196, 196]
    assert out["hosted_floor_area_m2"].tolist() == [525.0, 525.0]
    assert out["hosted_slots"].tolist() == [98, 98]
    one = fs.size(households=7000, **RULES)
    assert (one.floor_area_m2, one.slots) == (1050.0, 196)


def test_7000_households_in_two_parcels_need_the_outdoor_minimum_of_each_facility() -> None:
    # 「户外活动场地不少于40平方米」 is a facility's (西政办函〔2021〕15号 二(三)1): two facilities, 2 × 40 = 80 m²
    out = _by_area([3500, 3500], 2)
    assert out["area_outdoor_area_m2"].tolist() == [80.0, 80.0]
    assert out["hosted_outdoor_area_m2"].tolist() == [40.0, 40.0]
    assert fs.size(households=7000, **RULES).outdoor_area_m2 == 80.0


@settings(max_examples=200, deadline=None)
@given(areas=st.lists(st.tuples(st.integers(0, 10**6), st.lists(st.integers(0, 5_000), min_size=1, max_size=5)),
                      min_size=1, max_size=6))  # fmt: skip
def test_every_area_at_once_shares_as_each_area_alone(areas: list[tuple[int, list[int]]]) -> None:
    """The column-at-a-time largest remainder (api/area_pool.remainders) gives each area's shares exactly as
    largest_remainder does area by area: ties to the larger weight, then the smaller id."""
    import numpy as np

    from facility_sizing.api.area_pool import largest_remainder, remainders

    codes = np.repeat(np.arange(len(areas)), [len(w) for _, w in areas])
    weights = np.array([x for _, w in areas for x in w], dtype=np.int64)
    keys = np.arange(len(codes))[::-1].copy()  # ids ranked in reverse row order
    got = remainders(np.array([t for t, _ in areas], dtype=np.int64), codes, weights, keys)
    assert got is not None
    for k, (total, w) in enumerate(areas):
        rows = np.flatnonzero(codes == k)
        assert got[rows].tolist() == largest_remainder(total, w, list(range(len(w)))[::-1])
