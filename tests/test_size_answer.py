"""``POST /size`` answers byte for byte what the library's own result says (issue 26's fast writer).

The service writes ``fs.size(...)`` with the parts that are the same for every project serialised
once (``handlers.requirement_response``); these requests hold it to the JSON of
``fs.size(...).to_dict()`` as the service's plain writer (``errors.dumps``) gives it, byte for byte,
and each error to the error the library raises for the same arguments. In process (the
application object, no server): the whole file takes about a second.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

import facility_sizing as fs
from facility_sizing.engine.core import no_residents, no_residents_one
from facility_sizing.engine.inputs import (
    NUMBER_READS,
    plain_input,
    validate_households,
    validate_population,
    validate_pph,
)
from facility_sizing.errors import FacilitySizingError
from facility_sizing.service import create_app
from facility_sizing.service.errors import dumps, error_body

ON = "2025-01-01"

#: Projects of each kind of answer: one term or several, a figure rounded, no figure, derived inputs,
#: no residents, a draft or a report opted into, a trust to apply, a number as typed.
PROJECTS: list[dict[str, Any]] = [
    {"jurisdiction": "西湖区", "households": 1200, "area_type": "new_build", "on": ON},
    {"jurisdiction": "西湖区", "households": 1334, "area_type": "new_build", "on": ON},
    {"jurisdiction": "西湖区", "households": 0, "area_type": "new_build", "on": ON},
    {"jurisdiction": "330106", "households": 5000, "area_type": "existing", "on": ON},
    {"jurisdiction": "余姚市", "population": 8000, "area_type": "new_build", "on": ON},
    {"jurisdiction": "余姚市", "population": 8000.5, "area_type": "new_build", "on": ON},
    {"jurisdiction": "柯桥区", "households": 2000, "persons_per_household": 2.7, "area_type": "new_build", "on": ON},
    {"jurisdiction": "柯桥区", "households": 1000, "population": 2800, "area_type": "新建", "on": ON},
    {
        "jurisdiction": "柯桥区",
        "households": 1000,
        "population": 100,
        "persons_per_household": 2.7,
        "area_type": "新建",
        "on": ON,
        "trust": "households",
    },
    {"jurisdiction": "苏州市", "households": 3000, "area_type": "new_build", "on": ON},
    {"jurisdiction": "滨江区", "population": 9000, "area_type": "new_build", "on": ON, "include_drafts": True},
    {
        "jurisdiction": "杭州市",
        "households": 3000,
        "persons_per_household": 2.7,
        "area_type": "new_build",
        "on": ON,
        "include_reported": True,
    },
    {
        "jurisdiction": "西湖区",
        "households": 1200,
        "persons_per_household": 2.8,
        "area_type": "new_build",
        "on": ON,
        "include_reported": True,
    },
    {"jurisdiction": "西湖区", "households": "3,000户", "area_type": "new_build", "on": ON},
    {"jurisdiction": "西湖区", "households": 1200, "area_type": "new_build"},  # today
]

#: Requests the library refuses: a bad value, an unknown place, a draft only, a date before any rule.
REFUSED: list[dict[str, Any]] = [
    {"jurisdiction": "西湖区", "households": -1, "area_type": "new_build", "on": ON},
    {"jurisdiction": "nowhere", "households": 1200, "area_type": "new_build", "on": ON},
    {"jurisdiction": "滨江区", "households": 1200, "area_type": "new_build", "on": ON},
    {"jurisdiction": "西湖区", "households": 1200, "area_type": "new_build", "on": "2019-01-01"},
    {"jurisdiction": "余姚市", "households": 1200, "area_type": "new_build", "on": ON},
]


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def _post(client: TestClient, body: dict[str, Any]) -> Any:
    return client.post("/size", content=json.dumps(body, ensure_ascii=False).encode("utf-8"))


@pytest.mark.parametrize("body", PROJECTS, ids=[f"{i}-{b['jurisdiction']}" for i, b in enumerate(PROJECTS)])
def test_an_answer_is_the_to_dict_of_fs_size_byte_for_byte(client: TestClient, body: dict[str, Any]) -> None:
    answer = _post(client, body)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a stale plan's warning: the answer carries it as data
        expected = dumps(fs.size(**body).to_dict())
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.content == expected


@pytest.mark.parametrize("body", REFUSED, ids=[f"{i}-{b['jurisdiction']}" for i, b in enumerate(REFUSED)])
def test_a_refusal_is_the_error_fs_size_raises(client: TestClient, body: dict[str, Any]) -> None:
    with pytest.raises(FacilitySizingError) as raised:
        fs.size(**body)
    status, payload = error_body(raised.value)
    answer = _post(client, body)
    assert (answer.status_code, answer.content) == (status, dumps(payload))


def test_an_explanation_line_as_the_documents_word_it(client: TestClient) -> None:
    """The figures filled into a line's words: Xihu 二(三)1, 1,334 households × 15 m²/100 = 200.1 m² over the 200 m² minimum."""
    answer = _post(client, PROJECTS[1]).json()
    assert answer["floor_area_m2"] == 200.1
    assert answer["explanation"]["floor_area"] == (
        "建筑面积 200.1 m²：按户数 1,334 户 × 15 m²/100户 = 200.1 m²（西政办函〔2021〕15号 二(三)1），"
        "最小 200 m²（西政办函〔2021〕15号 二(三)1）；计算值高于最小值，按计算值 — floor area 200.1: 200.1 m² by "
        "households at 15 m² per 100 (西政办函〔2021〕15号 二(三)1), minimum 200 m² (西政办函〔2021〕15号 二(三)1); "
        "above the minimum"
    )


def test_a_result_assembled_is_the_result_its_init_makes() -> None:
    """``assembled`` (fs.size's constructor of its frozen results) makes what ``__init__`` makes, or calls it."""
    import dataclasses
    import pickle

    from facility_sizing.results.requirement import Requirement, assembled

    req = fs.size(**PROJECTS[1])
    fields = {f.name: getattr(req, f.name) for f in dataclasses.fields(req)}
    made, built = assembled(Requirement, **fields), Requirement(**fields)
    assert made == built and hash(made.rules) == hash(built.rules) and repr(made) == repr(built)
    assert list(vars(made)) == list(vars(built))  # the fields in their order: pickled alike
    assert pickle.dumps(made) == pickle.dumps(built) and pickle.loads(pickle.dumps(made)) == built
    with pytest.raises(TypeError, match="jurisdiction"):  # a field missing: __init__'s own error
        assembled(Requirement, **{k: v for k, v in fields.items() if k != "jurisdiction"})

    @dataclasses.dataclass(frozen=True)
    class Checked:
        n: int

        def __post_init__(self) -> None:
            if self.n < 0:
                raise ValueError("negative")

    with pytest.raises(ValueError, match="negative"):  # an __init__ that does more runs
        assembled(Checked, n=-1)


@pytest.mark.parametrize("households", [0, 5])
@pytest.mark.parametrize("population", [0, 9])
@pytest.mark.parametrize("known_households", [False, True])
@pytest.mark.parametrize("known_population", [False, True])
def test_no_residents_of_one_project_is_the_batch_predicate(
    households: int, population: int, known_households: bool, known_population: bool
) -> None:
    """The one-project form of 「无住户，不产生要求」 answers as the array form does, in every case."""
    batch = no_residents(
        np.array([households]), np.array([known_households]), np.array([population]), np.array([known_population])
    )
    assert no_residents_one(households, known_households, population, known_population) is bool(batch[0])


_VALIDATORS = {
    "households": validate_households,
    "population": validate_population,
    "persons_per_household": validate_pph,
}


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(NUMBER_READS)),
    st.one_of(
        st.integers(-5, 10**9),
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(0, 30),
        st.decimals(0, 10, places=7).map(float),
    ),
)
def test_a_plain_number_of_one_project_is_read_as_its_validator_reads_it(name: str, value: float) -> None:
    """The one-project reader takes the validator's own settings: where it reads a value, the validator
    reads the same exact integer; where the validator refuses one, it reads nothing."""
    # two cells, so that the validator reads them as arrays (one cell alone goes through plain_number itself)
    scaled, present, errors = _VALIDATORS[name](np.array([value, None], dtype=object), True)
    plain = plain_input(name, value)
    if present[0] and not errors.mask[0]:
        assert plain is None or plain == int(scaled[0])
    else:
        assert plain is None
