"""One vocabulary: every code the library emits has a label, and every label is used.

The labels live in ``model/vocabulary.py`` (terms) and in the quantity and basis registry
(``model/quantities.py``, ``model/bases.py``). A label for a code nothing emits is dead text
that can drift; a code without a label prints raw to a planner.
"""

from __future__ import annotations

import ast
from pathlib import Path

import facility_sizing as fs
from facility_sizing.model import vocabulary as v
from facility_sizing.model.bases import BASES
from facility_sizing.model.columns import QUANTITY_COLUMNS, RESULT_COLUMNS, RESULT_DTYPES
from facility_sizing.model.quantities import QUANTITIES
from facility_sizing.spatial import parcels
from facility_sizing.spatial.geometry import chinacrs
from facility_sizing.spatial.maps import static

SRC = Path(__file__).resolve().parents[1] / "src" / "facility_sizing"
TESTS = Path(__file__).resolve().parent


def _book_codes() -> dict[str, set[str]]:
    book = fs.load_rules(TESTS / "cases" / "rules" / "339901_kinds.toml")
    rules, targets, duties = book.all_rules(), [t for ts in book.targets.values() for t in ts], []
    duties = [d for ds in book.duties.values() for d in ds]
    docs = [d for ds in book.documents.values() for d in ds]
    return {
        "strength": {r.strength for r in rules} | {t.strength for t in targets} | {d.strength for d in duties},
        "status": {d.status for d in docs},
        "area_type": {a for r in rules for a in r.area_types},
        "comparator": {t.comparator for t in targets},
        "subject": {d.subject for d in duties},
        "project": {p for d in duties for p in d.projects},
        "ownership": {d.ownership for d in duties if d.ownership},
        "nursery": {d.nursery_classes for d in duties if d.nursery_classes},
        "quantity": {r.quantity for r in rules if r.is_figure},
        "basis": {r.basis for r in rules if r.basis},
    }


def _subclasses(cls: type) -> list[type]:
    return [cls, *(s for c in cls.__subclasses__() for s in _subclasses(c))]


def test_every_code_in_the_rule_data_has_a_label_and_every_label_is_used() -> None:
    codes = _book_codes()
    tables = {
        "strength": v.STRENGTHS,
        "status": v.STATUSES,
        "area_type": v.AREA_TYPE_LABELS,
        "comparator": v.COMPARATORS,
        "subject": v.SUBJECTS,
        "project": v.KINDERGARTEN_PROJECTS,
        "ownership": v.OWNERSHIP,
        "nursery": v.NURSERY_CLASSES,
        "quantity": QUANTITIES,
        "basis": BASES,
    }
    for name, table in tables.items():
        assert codes[name] <= set(table), f"{name}: codes without a label: {codes[name] - set(table)}"
        assert set(table) <= codes[name], f"{name}: labels no built-in or test rule uses: {set(table) - codes[name]}"


def test_every_error_code_has_a_label_and_every_label_is_an_error_code() -> None:
    assert chinacrs and static and parcels  # imported so that their error classes are registered
    codes = {c.code for c in _subclasses(fs.FacilitySizingError)}
    assert codes == set(v.ERROR_KINDS), codes ^ set(v.ERROR_KINDS)


def test_every_label_pair_is_chinese_then_english() -> None:
    labels = (
        [
            label
            for table in (
                v.STRENGTHS,
                v.STATUSES,
                v.AREA_TYPE_LABELS,
                v.COMPARATORS,
                v.KINDERGARTEN_PROJECTS,
                v.OWNERSHIP,
                v.NURSERY_CLASSES,
                v.ERROR_KINDS,
                v.SCORE_STATUSES,
                v.MEASURES,
                v.COLUMN_LABELS,
                v.LEGEND_LABELS,
            )
            for label in table.values()
        ]
        + [q.label for q in QUANTITIES.values()]
        + [b.label for b in BASES.values()]
    )
    for zh, en in labels:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), zh
        assert en[:1].isascii() and en[:1].isalpha(), f"the English of {zh!r} is {en!r}"


def test_score_statuses_measures_and_columns_are_all_emitted() -> None:
    card = fs.scorecard({"population": 1_000_000}, "柯桥区", 2024)
    emitted = set(card["status"])
    assert emitted <= set(v.SCORE_STATUSES)
    source = "\n".join(p.read_text(encoding="utf-8") for p in (SRC / "district").glob("*.py"))
    for status in v.SCORE_STATUSES:  # each status is set somewhere in the scorecard code
        assert f'"{status}"' in source, status
    assert set(v.MEASURES) == {m for _, _, measures in v.SUBJECTS.values() for m in measures}
    assert set(QUANTITY_COLUMNS) <= set(v.COLUMN_LABELS)
    assert set(v.COLUMN_LABELS) - set(QUANTITY_COLUMNS) <= {"households", "population", "parcel_area_m2"}
    assert set(RESULT_COLUMNS) == set(RESULT_DTYPES)


def test_no_module_outside_the_model_keeps_a_label_table() -> None:
    """A dict of (中文, English) pairs outside model/ is a second vocabulary."""
    for path in SRC.rglob("*.py"):
        if "model" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Dict) or len(node.values) < 2:
                continue
            pairs = [
                val
                for val in node.values
                if isinstance(val, ast.Tuple)
                and len(val.elts) == 2
                and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in val.elts)
                and any("\u4e00" <= ch <= "\u9fff" for ch in val.elts[0].value)  # type: ignore[attr-defined]
            ]
            assert len(pairs) < 2, f"{path.relative_to(SRC)}:{node.lineno} keeps its own label table"
