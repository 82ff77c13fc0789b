"""A batch read by cell (group × households) gives the frame a batch read by group gives, to the last category.

:mod:`facility_sizing.engine.tables`: where a row's figures depend on its group and households alone,
the term functions run once per cell and each row reads its cell. The group-by-group path is the
one the literal tests (``test_source_rules.py``, the golden files) pin to the documents; these
tests hold the cell path to it over random frames — bad cells, unknown places, no households,
dates and opt-ins per row — and check that a usual large frame does take it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import facility_sizing as fs
from facility_sizing.api.result_frame import result_frame
from facility_sizing.engine import threads as threads_module
from facility_sizing.engine.batch import run
from facility_sizing.engine.projects import frame_projects
from facility_sizing.engine.tables import CELL_MIN_ROWS, first_appearance
from facility_sizing.ruledata import default_rulebook

BOOK = default_rulebook()
PLACES = ["西湖区", "余姚市", "滨江区", "苏州市", "柯桥区", "昆山市", "杭州市", "nowhere", None]
AREA_TYPES = ["new_build", "existing", "新建", "已建成", "老城区", "bogus", None]
DATES = [dt.date(2020, 1, 1), dt.date(2022, 6, 1), dt.date(2025, 1, 1), dt.date(2026, 6, 1)]
HOUSEHOLDS = st.one_of(st.integers(0, 9000), st.integers(0, 3), st.sampled_from([None, -5, 2.5, "1,200", 10**9]))


def _both(
    df: pd.DataFrame, columns: dict[str, object], categorical: bool = False
) -> tuple[pd.DataFrame, bool, pd.DataFrame]:
    """The frame by group and by cell (wherever cells fit), and whether the cells did fit."""
    frames, by_cell = [], False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a stale rule's notice: the same either way
        for cells in (False, True):
            batch = run(BOOK, frame_projects(df, columns), nan_is_error=False, cells=cells)
            by_cell = by_cell or batch.cells is not None
            assert cells or batch.cells is None
            frames.append(result_frame(df, batch, categorical=categorical))
    return frames[0], by_cell, frames[1]


@st.composite
def frames(draw: st.DrawFn) -> tuple[pd.DataFrame, dict[str, object]]:
    n = draw(st.integers(1, 40))
    df = pd.DataFrame(
        {
            "jurisdiction": draw(st.lists(st.sampled_from(PLACES), min_size=n, max_size=n)),
            "area_type": draw(st.lists(st.sampled_from(AREA_TYPES), min_size=n, max_size=n)),
            "households": pd.Series(draw(st.lists(HOUSEHOLDS, min_size=n, max_size=n)), dtype=object),
        }
    )
    columns: dict[str, object] = {"persons_per_household": draw(st.sampled_from([2.8, 3, None]))}
    if draw(st.booleans()):
        columns["on"] = draw(st.sampled_from(DATES))
    else:
        df["on"] = draw(st.lists(st.sampled_from(DATES), min_size=n, max_size=n))
    for flag in ("include_reported", "include_drafts"):
        if draw(st.booleans()):
            columns[flag] = draw(st.booleans())
        else:
            df[flag] = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    if draw(st.integers(0, 4)) == 0:  # a population column: the rows' figures no longer follow households alone
        df["population"] = draw(st.lists(st.one_of(st.none(), st.integers(0, 30000)), min_size=n, max_size=n))
    return df, columns


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames(), st.booleans())
def test_a_frame_read_by_cell_is_the_frame_read_by_group(
    case: tuple[pd.DataFrame, dict[str, object]], cat: bool
) -> None:
    df, columns = case
    by_group, _, by_cell = _both(df, columns, categorical=cat)
    pd.testing.assert_frame_equal(by_group, by_cell, check_exact=True)
    assert by_group.attrs["documents"] == by_cell.attrs["documents"]


def test_a_usual_large_frame_is_read_by_cell_and_its_figures_are_the_documents() -> None:
    """60,000 rows of five places: read by cell, equal to the group path, and Xihu's own figures.

    Xihu 二(三)1 (西政办函〔2021〕15号): 「新建居住区应按每百户不少于15平方米……最小建筑面积不少于200平方米」:
    1,200 households need 200 m² (the minimum), 1,334 need 200.1 m²; no households, no requirement.
    """
    rng = np.random.default_rng(7)
    n = max(CELL_MIN_ROWS, 60_000)  # ten groups of households 0 … 1,399: 14,000 cells, below a quarter of the rows
    df = pd.DataFrame(
        {
            "jurisdiction": rng.choice(["西湖区", "柯桥区", "余姚市", "苏州市", "昆山市"], n),
            "households": rng.integers(0, 1400, n),
            "area_type": rng.choice(["new_build", "existing"], n),
        }
    )
    df.loc[:2, ["jurisdiction", "area_type"]] = "西湖区", "new_build"
    df.loc[:2, "households"] = [1200, 1334, 0]
    columns = {"persons_per_household": 2.8, "on": "2025-01-01"}
    batch = run(BOOK, frame_projects(df, columns), nan_is_error=False)
    assert batch.cells is not None  # the usual frame takes the cell path
    by_group, by_cell_fit, by_cell = _both(df, columns)
    assert by_cell_fit
    pd.testing.assert_frame_equal(by_group, by_cell, check_exact=True)
    auto = fs.size_frame(df, **columns)
    pd.testing.assert_frame_equal(auto, by_cell, check_exact=True)
    assert auto["floor_area_m2"].iloc[:3].tolist() == [200.0, 200.1, 0.0]
    assert auto["floor_area_basis"].iloc[2] == "无住户，不产生要求 no households: no requirement arises"
    # the categories are the labels the rows use, in the order they first appear
    labels = auto["floor_area_basis"].astype(object)
    assert list(auto["floor_area_basis"].cat.categories) == list(dict.fromkeys(labels))


def test_rows_whose_population_is_their_own_are_read_by_group() -> None:
    """A population column: a row's figures no longer follow its group and households alone."""
    n = CELL_MIN_ROWS
    df = pd.DataFrame({"jurisdiction": ["柯桥区"] * n, "households": [100] * n, "population": range(n)})
    batch = run(
        BOOK, frame_projects(df, {"area_type": "new_build", "on": "2025-01-01", "trust": "both"}), nan_is_error=False
    )
    assert batch.cells is None


@pytest.mark.parametrize(
    ("codes", "wanted", "first"),
    [
        ([3, 3, 1, 3, -1, 0, 1], {0, 1, 3}, {3: 0, 1: 2, 0: 5}),
        ([5, 5, 5], {1}, {}),  # a wanted code that never appears is left out
        ([-1, 2, 9, 2], {2}, {2: 1}),  # codes beyond the wanted ones are passed over
    ],
)
def test_first_appearance(codes: list[int], wanted: set[int], first: dict[int, int]) -> None:
    arr = np.array(codes)
    found = first_appearance(lambda lo, hi: arr[lo:hi], len(arr), wanted)
    assert found == first and list(found) == list(first)


def test_first_appearance_reads_past_the_first_chunks() -> None:
    """A code first met deep in a million rows is found there (the chunks grow fourfold)."""
    codes = np.zeros(1_000_000, dtype=np.int8)
    codes[987_654] = 4
    assert first_appearance(lambda lo, hi: codes[lo:hi], len(codes), {0, 4}) == {0: 0, 4: 987_654}


@pytest.mark.parametrize(
    ("place", "columns"),
    [("西湖区", {}), ("杭州市", {"include_reported": True, "persons_per_household": 2.8})],
)
def test_a_frame_of_no_households_says_so_for_a_limit_read_by_cell(place: str, columns: dict[str, object]) -> None:
    """Every row of no households: a limit (Xihu's 二(三)1 floor limit, Hangzhou's reported radius) binds
    no row, and its label says why — 「无住户，不产生要求」 — not that the rules set no figure, however long the frame."""
    n = CELL_MIN_ROWS + 904
    df = pd.DataFrame({"jurisdiction": [place] * n, "area_type": "new_build", "households": 0})
    cols = {"on": "2025-01-01", **columns}
    big, small = fs.size_frame(df, **cols), fs.size_frame(df.iloc[:10], **cols)
    quantity = "max_floor_basis" if place == "西湖区" else "service_radius_basis"
    assert big[quantity].iloc[0] == small[quantity].iloc[0] == "无住户，不产生要求 no households: no requirement arises"
    by_group, by_cell_fit, by_cell = _both(df, cols)
    assert by_cell_fit
    pd.testing.assert_frame_equal(by_group, by_cell, check_exact=True)


def test_an_empty_frame_is_the_same_either_way() -> None:
    df = pd.DataFrame({"jurisdiction": pd.Series([], dtype=object), "households": pd.Series([], dtype="int64")})
    by_group, _, by_cell = _both(df, {"area_type": "new_build", "on": "2025-01-01"})
    pd.testing.assert_frame_equal(by_group, by_cell, check_exact=True)


def _threaded(monkeypatch: pytest.MonkeyPatch, threads: str) -> None:
    monkeypatch.setattr(threads_module, "PARALLEL_ROWS", 16)  # the pool for a small frame, as for a million rows
    monkeypatch.setenv("FACILITY_SIZING_THREADS", threads)


def test_columns_made_side_by_side_are_the_columns_made_one_after_another(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    n = 5000
    df = pd.DataFrame(
        {
            "jurisdiction": rng.choice(["西湖区", "柯桥区", "余姚市", "nowhere"], n),
            "households": rng.integers(0, 900, n),
            "area_type": rng.choice(["new_build", "existing", "bogus"], n),
        }
    )
    frames = []
    for threads in ("1", "2"):
        _threaded(monkeypatch, threads)
        frames.append(fs.size_frame(df, persons_per_household=2.8, on="2025-01-01", output="categorical"))
    assert threads_module.threads() == 2
    pd.testing.assert_frame_equal(frames[0], frames[1], check_exact=True)


def _buffers(column: pd.Series) -> list[np.ndarray]:
    """The arrays a column's values live in: a categorical's codes, a nullable integer's data and mask."""
    values = column.array
    if isinstance(values, pd.Categorical):
        return [values.codes]
    if isinstance(values, pd.arrays.IntegerArray):
        return [values._data, values._mask]
    return [np.asarray(values)]


@pytest.mark.parametrize("output", ["default", "categorical"])
@pytest.mark.parametrize("n", [3, 5000])
def test_each_result_column_is_its_own_memory(n: int, output: str) -> None:
    """The new columns are rows of two blocks (``result_frame._Memory``): no two columns, and no column
    and the caller's frame, share a byte (a write to one would change the other)."""
    rng = np.random.default_rng(5)
    df = pd.DataFrame(
        {
            "jurisdiction": rng.choice(["西湖区", "柯桥区", "nowhere"], n),
            "households": rng.integers(0, 900, n),
            "area_type": rng.choice(["new_build", "existing"], n),
        }
    )
    out = fs.size_frame(df, persons_per_household=2.8, on="2025-01-01", output=output)
    buffers = [(name, b) for name in out.columns for b in _buffers(out[name]) if b.dtype != object]
    buffers += [(f"input {name}", b) for name in df.columns for b in _buffers(df[name]) if b.dtype != object]
    assert len(buffers) >= 20  # every numeric, flag and code column, and the input's
    shared = [(a, b) for (a, x), (b, y) in itertools.combinations(buffers, 2) if np.shares_memory(x, y)]
    assert shared == []


def _size_in_child(df: pd.DataFrame) -> list[float]:
    return fs.size_frame(df, persons_per_household=2.8, on="2025-01-01")["floor_area_m2"].tolist()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is a POSIX start method")
def test_a_forked_child_makes_its_own_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process forked after the pool was used (multiprocessing's default on Linux) would wait forever
    on the parent's threads, which it does not have: it makes a pool of its own."""
    import multiprocessing

    _threaded(monkeypatch, "2")
    df = pd.DataFrame({"jurisdiction": ["西湖区"] * 64, "area_type": "new_build", "households": [1334] * 64})
    parent = _size_in_child(df)  # the parent's pool now exists
    with multiprocessing.get_context("fork").Pool(1) as pool:
        child = pool.apply_async(_size_in_child, (df,)).get(timeout=60)
    assert child == parent == [200.1] * 64  # Xihu 二(三)1: 1,334 households × 15 m² per 100


@pytest.mark.parametrize("said", ["0", "two", "-1", "1.5"])
def test_a_bad_threads_setting_is_one_clear_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, said: str
) -> None:
    """Read where a batch is large enough for threads (a frame of 16 rows here, of 200,000 by default)."""
    _threaded(monkeypatch, said)
    df = pd.DataFrame({"jurisdiction": ["西湖区"] * 16, "households": [1200] * 16})
    with pytest.raises(fs.InputError) as caught:
        fs.size_frame(df, area_type="new_build", on="2025-01-01")
    text = str(caught.value)
    assert "FACILITY_SIZING_THREADS" in text and repr(said) in text and text.startswith("环境变量")


@pytest.mark.parametrize(("said", "threads"), [("", 2), ("1", 1), ("2", 2), ("8", 2), (" 1 ", 1)])
def test_the_threads_setting(monkeypatch: pytest.MonkeyPatch, said: str, threads: int) -> None:
    monkeypatch.setenv("FACILITY_SIZING_THREADS", said)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert threads_module.threads() == threads
