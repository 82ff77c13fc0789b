"""Property tests: monotonicity, minimums, exactness against a Fraction oracle, and
size_frame == size row by row."""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import facility_sizing as fs

ON = "2025-01-01"

# (jurisdiction, area type, include_drafts) with at least one figure
CASES = [
    ("西湖区", "new_build", False),
    ("西湖区", "existing", False),
    ("余姚市", "new_build", False),
    ("余姚市", "existing", False),
    ("滨江区", "new_build", True),
    ("滨江区", "existing", True),
    ("柯桥区", "new_build", False),
    ("柯桥区", "existing", False),
]

# Figures copied by hand from the documents (not read from the library):
# (per-100-household m², minimum m², slots per 1,000 people)
ORACLE = {
    ("西湖区", "new_build"): (Fraction(15), Fraction(200), None),  # 西政办函〔2021〕15号 二(三)1
    ("西湖区", "existing"): (Fraction(10), Fraction(150), None),  # 西政办函〔2021〕15号 二(三)1
    ("余姚市", "new_build"): (None, None, Fraction(9)),  # 余政办发〔2020〕70号 三(一)3
    ("余姚市", "existing"): (None, None, Fraction(6)),  # 余政办发〔2020〕70号 三(一)3
    ("滨江区", "new_build"): (None, None, Fraction(9)),  # 征求意见稿 二(二)1
    ("滨江区", "existing"): (None, None, Fraction(6)),  # 征求意见稿 二(二)2
    ("柯桥区", "new_build"): (Fraction(25), None, Fraction(10)),  # 绍柯政办发〔2024〕13号 二(一)2
    ("柯桥区", "existing"): (Fraction(15), None, Fraction(8)),  # 绍柯政办发〔2024〕13号 二(一)2
}

households = st.integers(min_value=0, max_value=2_000_000)
pph = st.decimals(min_value="1", max_value="6", places=2).map(float)


def run(case: tuple[str, str, bool], h: int, k: float) -> fs.Requirement:
    j, at, drafts = case
    return fs.size(jurisdiction=j, households=h, persons_per_household=k, area_type=at, on=ON, include_drafts=drafts)


def ceil_centi(x: Fraction) -> float:
    return math.ceil(x * 100) / 100


@given(case=st.sampled_from(CASES), h=households, k=pph)
def test_matches_fraction_oracle(case: tuple[str, str, bool], h: int, k: float) -> None:
    rate, minimum, slots_rate = ORACLE[case[:2]]
    req = run(case, h, k)
    population = Fraction(h) * Fraction(repr(k))
    if rate is None:
        assert req.floor_area_m2 is None
    else:
        exact = Fraction(h) * rate / 100
        if minimum is not None and h > 0:  # 0 households: no residential project, no minimum (shared/RULES.md)
            exact = max(exact, minimum)
        assert req.floor_area_m2 == ceil_centi(exact)
        # never understated: the float's decimal meaning (its repr) is at least the exact value
        assert Fraction(repr(req.floor_area_m2)) >= exact
    if slots_rate is None:
        assert req.slots is None
    else:
        assert req.slots == math.ceil(population * slots_rate / 1000)


@given(
    case=st.sampled_from(CASES),
    h1=households,
    h2=households,
    k=pph,
    dk=st.decimals(min_value="0", max_value="2", places=2),
)
def test_monotonic_in_households_and_population(
    case: tuple[str, str, bool], h1: int, h2: int, k: float, dk: object
) -> None:
    lo, hi = sorted((max(h1, 1), max(h2, 1)))  # 0 households is no residential project: tested apart
    a = run(case, lo, k)
    b = run(case, hi, float(Fraction(repr(k)) + Fraction(str(dk))))
    for q in ("floor_area", "outdoor_area", "slots", "max_floor"):
        va, vb = a.value(q), b.value(q)
        assert (va is None) == (vb is None)
        if va is not None and q != "max_floor":
            assert vb >= va  # type: ignore[operator]
        if q == "max_floor":
            assert va == vb


@given(h=st.integers(min_value=1, max_value=2_000_000))  # 0 households: no residential project (test_true_sentences)
def test_never_below_the_minimum(h: int) -> None:
    assert fs.size(jurisdiction="西湖区", households=h, area_type="new_build", on=ON).floor_area_m2 >= 200  # type: ignore[operator]
    assert fs.size(jurisdiction="西湖区", households=h, area_type="existing", on=ON).floor_area_m2 >= 150  # type: ignore[operator]


row = st.fixed_dictionaries(
    {
        "jurisdiction": st.sampled_from(
            ["西湖区", "余姚市", "滨江区", "柯桥区", "苏州市", "昆山市", "xihu", "nowhere"]
        ),
        "households": st.one_of(st.none(), st.integers(-10, 50_000), st.floats(-5, 50_000), st.just(math.nan)),
        "population": st.one_of(st.none(), st.floats(0, 150_000), st.integers(-3, 150_000)),
        "persons_per_household": st.one_of(st.none(), pph, st.just(0.0)),
        "area_type": st.sampled_from(["new_build", "existing", "rural", "新建", "已建成", "bogus"]),
        "on": st.sampled_from(["2019-06-01", "2020-10-01", "2021-09-20", "2024-09-13", "2025-01-01", "2028-06-01"]),
        "include_drafts": st.booleans(),
        "include_reported": st.booleans(),
        "trust": st.sampled_from([None, "households", "population", "both"]),
    }
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(rows=st.lists(row, min_size=1, max_size=25))
def test_size_frame_equals_size_row_by_row(rows: list[dict[str, object]]) -> None:
    df = pd.DataFrame(rows, dtype=object)
    df["households"] = pd.to_numeric(df["households"])
    df["population"] = pd.to_numeric(df["population"])
    df["persons_per_household"] = pd.to_numeric(df["persons_per_household"])
    df.index = pd.RangeIndex(100, 100 + len(df))[::-1] if len(df) > 1 else df.index
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fs.StaleRuleWarning)
        out = fs.size_frame(df)
    assert list(out.index) == list(df.index)
    for i, r in zip(out.index, rows, strict=True):
        kwargs = dict(r)
        for key in ("households", "population", "persons_per_household"):
            v = kwargs[key]
            if isinstance(v, float) and math.isnan(v):
                kwargs[key] = None  # a NaN cell in a frame is an empty cell
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", fs.StaleRuleWarning)
                req = fs.size(**kwargs)  # type: ignore[arg-type]
        except fs.FacilitySizingError as exc:
            assert out.loc[i, "error"] is not None, (kwargs, exc)
            assert out.loc[i, "error"].startswith(f"[{exc.code}]")
            continue
        assert out.loc[i, "error"] is None, (kwargs, out.loc[i, "error"])
        for q, col in (
            ("floor_area", "floor_area_m2"),
            ("outdoor_area", "outdoor_area_m2"),
            ("slots", "slots"),
            ("max_floor", "max_floor"),
        ):
            v = req.value(q)
            cell = out.loc[i, col]
            if v is None:
                assert pd.isna(cell)
            else:
                assert cell == v
        for col in ("households", "population"):  # as used: given, derived or set aside alike
            used = getattr(req, col)
            assert (pd.isna(out.loc[i, col]) and used is None) or out.loc[i, col] == used, (kwargs, col)
        assert out.loc[i, "rule_set"] == req.rule_set
        assert out.loc[i, "draft"] == req.draft and out.loc[i, "stale"] == req.stale


def test_int64_bounds_do_not_overflow() -> None:
    # the largest inputs accepted, against exact Python integers
    from facility_sizing.engine.core import MAX_HOUSEHOLDS, MAX_POPULATION

    req = fs.size(
        jurisdiction="柯桥区", households=MAX_HOUSEHOLDS, population=MAX_POPULATION, area_type="new_build", on=ON
    )
    assert req.slots == MAX_POPULATION * 10 // 1000
    assert req.floor_area_m2 == MAX_HOUSEHOLDS * 25 / 100
    req = fs.size(
        jurisdiction="柯桥区", population=MAX_POPULATION, persons_per_household=10, area_type="existing", on=ON
    )
    assert req.households == MAX_POPULATION // 10
    with pytest.raises(fs.InputError):
        fs.size(jurisdiction="柯桥区", households=MAX_HOUSEHOLDS + 1, population=1, area_type="new_build", on=ON)
    assert np.iinfo(np.int64).max > MAX_POPULATION * 1_000_000 * 10_000


# The one-project path of fs.size (engine/one_row.py) against the batch's run_one on the same project.
PLACES = ["西湖区", "西湖区", "柯桥区", "柯桥区", "余姚市", "滨江区", "苏州市", "厦门市", "广州市", "运城市"]
PLACES += ["杭州市", "湖南省", "xihu", 330106, "330603", "nowhere"]  # type: ignore[list-item]  # a code as a number
AREA_TYPES = ["new_build", "new_build", "existing", "新建", "已建成", "rural", "老城区", "bogus"]
ODD_HOUSEHOLDS = [-1, 0.5, 10_000_000, 10_000_001, True, "3,000户", math.nan]
plain_project = st.fixed_dictionaries(
    {
        "jurisdiction": st.sampled_from(PLACES),
        "area_type": st.sampled_from(AREA_TYPES),
        "on": st.sampled_from(["2025-01-01", "2025-01-01", "2024-09-13", "2028-06-01", "2019-06-01", None]),
        "include_drafts": st.booleans(),
        "include_reported": st.booleans(),
        "trust": st.sampled_from([None, None, None, None, "households"]),
        "households": st.one_of(
            st.integers(0, 60_000),
            st.integers(0, 60_000),
            st.integers(0, 3),
            st.integers(0, 60_000).map(float),
            st.none(),
            st.sampled_from(ODD_HOUSEHOLDS),
        ),
        "population": st.one_of(
            st.none(), st.none(), st.none(), st.integers(0, 200_000), st.floats(0, 200_000), st.just(math.nan)
        ),
        "persons_per_household": st.one_of(st.none(), pph, pph, st.floats(0, 25), st.just(0.5), st.just(2.7)),
    },
)


@settings(max_examples=500, deadline=None)
@given(project=plain_project)
def test_one_project_path_gives_run_ones_answer(project: dict[str, object]) -> None:
    """Where the one-project path answers, its plan, figures, binding terms and inputs are run_one's; a
    project run_one refuses, it never answers (the batch path then gives the error)."""
    from facility_sizing.engine.batch import run_one
    from facility_sizing.engine.one_row import read_one
    from facility_sizing.engine.projects import one_project
    from facility_sizing.ruledata import default_rulebook

    book = default_rulebook()
    read = read_one(book, project)
    try:
        projects = one_project(project)
        batch = run_one(book, projects)
    except fs.FacilitySizingError:
        assert read is None, project
        return
    if read is not None:
        assert read.one == batch, project
        assert read.day == projects["on"][0]
        assert (read.include_drafts, read.include_reported) == (project["include_drafts"], project["include_reported"])


def test_one_project_path_answers_plain_projects() -> None:
    """The service's usual bodies take the one-project path (and give the figures of the documents)."""
    from facility_sizing.engine.one_row import read_one
    from facility_sizing.ruledata import default_rulebook

    book = default_rulebook()
    xihu = read_one(book, {"jurisdiction": "西湖区", "households": 1334, "area_type": "new_build", "on": ON})
    assert xihu is not None and xihu.one.evaluated["floor_area"].value == 20010  # type: ignore[union-attr]  # 200.1 m², 西政办函〔2021〕15号 二(三)1
    keqiao = {"jurisdiction": "柯桥区", "households": 3000, "persons_per_household": 2.7, "area_type": "新建", "on": ON}
    read = read_one(book, keqiao)
    assert read is not None and read.one.evaluated["slots"].value == 81  # type: ignore[union-attr]  # 8,100 × 10 / 1,000, 绍柯政办发〔2024〕13号 二(一)2
    assert read_one(book, {**keqiao, "households": "3,000户"}) is not None  # typed text: the batch's own reader
    assert read_one(book, {**keqiao, "trust": "households"}) is None  # a trust to apply: the batch path
