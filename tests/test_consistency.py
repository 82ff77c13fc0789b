"""Households, population and persons per household that contradict each other (issue 12).

Keqiao sizes slots per population (绍柯政办发〔2024〕13号 二(一)2: 每千人不少于10个托位) and area per
households (每百户不少于25平方米): a population that contradicts the households would understate one.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import facility_sizing as fs
from facility_sizing.cli import main

KEQIAO = {"jurisdiction": "柯桥区", "area_type": "新建", "on": "2025-01-01"}


def test_the_issue_case_is_an_error_naming_the_three_values_and_the_difference() -> None:
    # 1,000 households, population 100, 2.7 per household: sized from the 100, 1 slot with no word
    with pytest.raises(fs.InconsistentInputError) as info:
        fs.size(households=1000, population=100, persons_per_household=2.7, **KEQIAO)
    msg = str(info.value)
    assert "户数1,000户×户均人口2.7人/户=2,700人，与所给常住人口100人相差2,600人" in msg
    assert "1,000 households × 2.7 persons per household = 2,700, but the population given is 100" in msg
    assert "trust='households'" in msg and info.value.code == "inconsistent_input"
    assert isinstance(info.value, fs.InputError)


def test_fewer_people_than_households_is_an_error_without_persons_per_household() -> None:
    with pytest.raises(fs.InconsistentInputError, match="常住人口100人少于户数1,000户"):
        fs.size(households=1000, population=100, **KEQIAO)
    with pytest.raises(fs.InconsistentInputError, match="超过户数10户的20倍"):
        fs.size(households=10, population=201, **KEQIAO)


@pytest.mark.parametrize(
    ("population", "ok"),
    [
        (2700, True),  # exactly 1,000 × 2.7
        (2712, True),  # 2.712 per household: 2.7 to the one decimal it was given in
        (2749, True),
        (2750, True),  # 2.75: the edge of 2.7's precision, still within
        (2751, False),
        (2650, True),
        (2649, False),
        (2800, False),  # 2.8 per household is not 2.7
    ],
)
def test_consistent_to_the_precision_persons_per_household_was_given_in(population: int, ok: bool) -> None:
    if ok:
        assert (
            fs.size(households=1000, population=population, persons_per_household=2.7, **KEQIAO).population
            == population
        )
    else:
        with pytest.raises(fs.InconsistentInputError):
            fs.size(households=1000, population=population, persons_per_household=2.7, **KEQIAO)


def test_a_small_project_within_one_household_is_consistent() -> None:
    # 3 households × 2.7 = 8.1 people; 8 is within one household of it
    assert fs.size(households=3, population=8, persons_per_household=2.7, **KEQIAO).population == 8


def test_trust_says_which_figure_to_use() -> None:
    # trusting the households: population re-derived, 1,000 × 2.7 = 2,700 → 27 slots (10 per 1,000, up)
    req = fs.size(households=1000, population=100, persons_per_household=2.7, trust="households", **KEQIAO)
    assert (req.population, req.population_derived, req.slots) == (2700.0, True, 27)
    assert req.to_dict()["assumptions"]["trust"] == "households"
    # trusting the population: 100 people ÷ 2.7 = 37.04 → 38 households (up) → 25 m² per 100 households
    # (二(一)2) → 9.5 m²; 100 people at 10 slots per 1,000 → 1 slot
    req = fs.size(households=1000, population=100, persons_per_household=2.7, trust="population", **KEQIAO)
    assert (req.households, req.households_derived, req.slots, req.floor_area_m2) == (38.0, True, 1, 9.5)
    # both as given: the caller's word; persons per household unused
    req = fs.size(households=1000, population=100, persons_per_household=2.7, trust="两者", **KEQIAO)
    assert (req.households, req.population, req.slots) == (1000.0, 100.0, 1)


def test_a_bad_trust_value_names_the_accepted_ones() -> None:
    with pytest.raises(fs.InputError, match="trust must be one of 'households', 'population', 'both'"):
        fs.size(households=1000, population=2700, trust="whichever", **KEQIAO)


def test_a_batch_row_gets_its_own_error_and_keeps_its_place() -> None:
    df = pd.DataFrame(
        {"households": [1000, 1000, 1000], "population": [2700, 100, 100], "trust": [None, None, "households"]},
        index=[7, 8, 9],
    )
    out = fs.size_frame(df, persons_per_household=2.7, **KEQIAO)
    assert list(out.index) == [7, 8, 9]
    assert out.loc[7, "error"] is None and out.loc[7, "slots"] == 27
    assert out.loc[8, "error"].startswith("[inconsistent_input]") and pd.isna(out.loc[8, "slots"])
    assert out.loc[9, "error"] is None and out.loc[9, "slots"] == 27
    with pytest.raises(fs.InputError, match="trust"):
        fs.size_frame(df.drop(columns="trust"), persons_per_household=2.7, trust="bogus", **KEQIAO)


def test_cli_error_and_trust(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["size", "-j", "柯桥区", "-t", "新建", "--households", "1000", "--population", "100"]
    args += ["--persons-per-household", "2.7", "--on", "2025-01-01"]
    assert main(args) != 0
    assert "互相矛盾" in capsys.readouterr().err
    assert main([*args, "--trust", "households", "--json"]) == 0
    assert '"slots": 27' in capsys.readouterr().out


@settings(max_examples=200, deadline=None)
@given(
    households=st.integers(min_value=1, max_value=200_000),
    tenths=st.integers(min_value=10, max_value=60),
)
def test_population_equal_to_households_times_persons_is_never_an_error(households: int, tenths: int) -> None:
    k = tenths / 10
    population = households * tenths // 10  # whole people, within one household of households × k
    req = fs.size(households=households, population=population, persons_per_household=k, **KEQIAO)
    assert req.population == population


def test_the_figure_set_aside_is_shown_to_whoever_signs() -> None:
    # trusting the population of 1,000 sizes Keqiao's area from 371 households (二(一)2: 25 m² per 100):
    # the 1,000 households given, which would ask 250 m², must be visible beside the lower figure
    req = fs.size(households=1000, population=1000, persons_per_household=2.7, trust="population", **KEQIAO)
    assert req.set_aside == ("households", 1000.0) and req.floor_area_m2 == 92.75
    assert "（所给户数1,000户未采用）" in req.clause()
    assert "未采用所给户数 households 1,000" in str(req)
    assert req.to_dict()["assumptions"]["set_aside"] == {"households": 1000.0}


def test_a_set_aside_value_typed_as_text_is_read_as_typed() -> None:
    """The value ``trust`` sets aside is shown as a number, read as people type it (it raised a
    ValueError for 「2,800」 before 0.6.0). Keqiao 二(一)2: 1,000 households × 2.8 = 2,800 persons,
    10 per 1,000 → 28 slots."""
    req = fs.size(
        jurisdiction="柯桥区",
        households="1,000户",
        population="2,800",
        persons_per_household=2.8,
        area_type="new_build",
        on="2025-01-01",
        trust="households",
    )
    assert (req.trust, req.set_aside, req.slots) == ("households", ("population", 2800.0), 28)
