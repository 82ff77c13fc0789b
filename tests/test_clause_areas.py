"""The clause for every jurisdiction and area type its documents distinguish (issue 12's bar).

Each golden file tests/golden/areas/clause_<place>_<area type>.txt was read line by line against
the document: no date, status or obligation the document does not state; every figure with its
strength where it is not plain 不少于 (原则上, 一般). Regenerate only on purpose (UPDATE_GOLDEN=1) and
read the diff. The stamp line (library version and rule-data digest) is checked, not kept.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import facility_sizing as fs

GOLDEN = Path(__file__).parent / "golden" / "areas"
ON = "2025-06-01"
# 2,000 households at 2.7 persons each: 5,400 people (consistent, so no trust= is needed)
PROJECT = {"households": 2000, "population": 5400, "on": ON}
PLACES = {"xihu": "西湖区", "yuyao": "余姚市", "binjiang": "滨江区", "suzhou": "苏州市", "keqiao": "柯桥区"}


def _cases() -> list[tuple[str, str]]:
    cases = []
    for name, place in PLACES.items():
        table = fs.rules_in_force(place, on=ON, include_drafts=True)
        cases += [(name, area) for area in dict.fromkeys(table["area_type"])]
    return cases


CASES = _cases()


def _clause(name: str, area: str) -> fs.Requirement:
    return fs.size(jurisdiction=PLACES[name], area_type=area, include_drafts=name == "binjiang", **PROJECT)


@pytest.mark.parametrize(("name", "area"), CASES)
def test_golden_clause_for_every_area_type(name: str, area: str) -> None:
    req = _clause(name, area)
    body, stamp = req.clause().rstrip("\n").rsplit("\n\n", 1)
    assert stamp.startswith("（生成信息：facility-sizing ") and req.stamp["rule_data"] in stamp
    path = GOLDEN / f"clause_{name}_{area}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(body + "\n", encoding="utf-8")
    assert body + "\n" == path.read_text(encoding="utf-8")


def test_every_area_type_of_the_five_documents_has_a_golden_file() -> None:
    assert len(CASES) >= 11  # Xihu 3, Keqiao 3, Yuyao 2, Suzhou 2, Binjiang at least 1
    assert {p.name for p in GOLDEN.glob("*.txt")} == {f"clause_{n}_{a}.txt" for n, a in CASES}


@pytest.mark.parametrize(("name", "area"), CASES)
def test_every_figure_says_its_strength_and_no_bare_in_force(name: str, area: str) -> None:
    req = _clause(name, area)
    text = req.clause()
    assert "现行有效，" not in text  # the status is as checked, with its date
    for use in req.rules:
        rule = use.rule
        if use.kind != "figure" or rule is None:
            continue
        if rule.strength == "in_principle":
            assert "原则上" in text, rule.id
        if rule.strength == "generally":
            assert re.search(r"一般", text), rule.id
    if area != "new_build":
        assert "出让（划拨）条件书" not in text and "不作为土地出让条件" in text
