"""Which candidate sites are admissible, under the rules in force for their jurisdiction and date.

Each candidate row is read as an :class:`~facility_sizing.Design` from the columns named as its
fields (``floors``, ``fire_resistance_grade``, ``floor_area_m2``, ``outdoor_area_m2``,
``single_site``, ``slots``; ``basement=True`` adds storey -1), and the checks are made over all
candidates at once, as arrays. The findings — which rules apply, what they require, their words —
are :func:`~facility_sizing.review`'s own: review is called once for each kind of candidate (its
jurisdiction, its fire-resistance grade, which facts it gives and, where a per-child rule applies,
its slots), never once a candidate, and each candidate's figures are then compared with what
those findings require (:func:`_fails`, the comparison review makes). So the figures are the rule
data's (the local floor limit, GB 50016 5.4.4 by fire-resistance grade and its basement ban,
JGJ 39, the outdoor area per child where its grade lets it apply), never re-encoded here. Only
the checks of the *site* count (:data:`SITE_CHECKS`); those of the demand (slots, facilities,
radius) are for the chosen sites.

A check that fails rejects the candidate, naming the rule, document and clause (a "generally"
rule too, its reason saying 一般 / generally). A check that cannot be made for want of a fact is
never a pass: the candidate is kept and flagged (``unknown="keep"``) or rejected
(``unknown="reject"``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from ...api.review import review
from ...errors import FacilitySizingError, InputError, bilingual
from ...model.quantities import DESIGN_QUANTITIES, QUANTITIES
from ...results.review import Design, Finding
from ...ruledata import rulebook_or_default

__all__ = ["SITE_CHECKS", "Admissibility", "admissibility", "design_of"]

#: The review checks that concern the site itself: the local floor limit, the national floor and
#: basement rules, the minimum floor and outdoor areas, the outdoor area per child, one site.
SITE_CHECKS: tuple[str, ...] = (
    "max_floor",
    "max_floor_national",
    "max_floor_by_fire_grade",
    "no_basement",
    "outdoor_per_slot",
    "floor_area",
    "outdoor_area",
    "single_site",
)

_FIELDS = tuple(f.name for f in fields(Design))


@dataclass(frozen=True)
class Admissibility:
    """Per candidate: admissible or not, and why (lists of findings as plain dicts)."""

    admissible: np.ndarray
    status: np.ndarray  # "admissible" | "unchecked" | "rejected"
    rejections: list[list[dict[str, Any]]]
    unchecked: list[list[dict[str, Any]]]


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _as_float(value: object) -> float:
    """A number from a cell (a number or its text); anything else is a TypeError the caller names."""
    if isinstance(value, int | float | str | np.number):
        return float(value)
    raise TypeError(value)


def _floors(value: object) -> tuple[int, ...] | None:
    """Storeys from a cell: an int (3), a list, or text such as "1,2" or "-1;1"."""
    if _missing(value):
        return None
    if isinstance(value, list | tuple | np.ndarray):
        return tuple(int(v) for v in value)
    if isinstance(value, str):
        parts = [s for s in value.replace("；", ";").replace("，", ",").replace(";", ",").split(",") if s.strip()]
        return tuple(int(float(s)) for s in parts) or None
    number = _as_float(value)
    if not number.is_integer():
        raise ValueError(value)
    return (int(number),)


def _cell(field: str, value: object) -> object:
    if _missing(value):
        return None
    if field == "floors":
        return _floors(value)
    if field in ("slots", "facilities", "fire_resistance_grade"):
        number = _as_float(value)
        return int(number) if number.is_integer() else number
    if field == "single_site":
        return bool(value) if isinstance(value, bool | np.bool_) else value
    return _as_float(value)


def design_of(row: dict[str, Any], index: object) -> Design:
    """The design a candidate row describes; a bad cell is an InputError naming the row and column."""
    values: dict[str, Any] = {}
    for name in _FIELDS:
        if name in row:
            try:
                values[name] = _cell(name, row[name])
            except (TypeError, ValueError) as exc:
                raise InputError("spatial.candidate_cell", field=name, value=row[name], index=index) from exc
    basement = row.get("basement")
    if not _missing(basement) and bool(basement):
        values["floors"] = tuple(sorted({-1, *(values.get("floors") or ())}))
    try:
        return Design(**{k: v for k, v in values.items() if v is not None})
    except FacilitySizingError as exc:
        raise InputError(
            "spatial.candidate_design",
            field=getattr(exc, "field", "candidates"),
            value=getattr(exc, "value", None),
            index=index,
            problem=exc.message,
        ) from exc


def _reason(f: Finding, status: str, provided: object) -> dict[str, Any]:
    """A finding about one candidate as a plain dict: its rule, document and clause, and why."""
    provided = "—" if provided is None else provided
    return {
        "check": f.check,
        "status": status,
        "rule_id": f.rule_id,
        "document": f.document,
        "clause": f.clause,
        "strength": f.strength,
        "required": f.required,
        "provided": provided,
        "reason": bilingual(
            f"{f.message_zh}（候选：{provided}；{f.document} {f.clause}）",
            f"{f.message_en} (candidate: {provided}; {f.document} {f.clause})",
        ),
    }


def _site_findings(design: Design, jurisdiction: Any, options: dict[str, Any]) -> list[Finding]:
    """The review's findings about the site; the outdoor area per child is unknown without a slot count."""
    # the smallest residential project (one household, one person): its fixed figures are the site's
    # rules; a project of no households is none, and no requirement arises from it (issue 23)
    r = review(
        design, jurisdiction=jurisdiction, households=1, population=1, area_type=options["area_type"],
        on=options["on"], include_reported=options["include_reported"],
        include_unverified=options["include_unverified"], rulebook=options["rulebook"],
    )  # fmt: skip
    out = []
    for f in r.findings:
        if f.check not in SITE_CHECKS:
            continue
        if f.check == "outdoor_per_slot" and design.slots is None and f.status != "not_checkable":
            f = Finding(
                f.check, "not_checkable", None, f.provided, None, f.unit, f.rule_id, f.document, f.clause,
                f.strength, f.verified, f.message_zh + "：候选未给出托位数", f.message_en + ": no slot count given",
                f.grade,
            )  # fmt: skip
        out.append(f)
    return out


#: The facts of a candidate the checks read, as arrays (NaN: not given), by the Design attribute
#: a finding compares: the storeys from ``floors`` (and ``basement``), the figures as given.
_FACTS = ("top_floor", "bottom_floor", "floor_area_m2", "outdoor_area_m2", "single_site", "slots")
#: Facts whose being given or not changes which findings a review makes, and their words.
_GIVEN = ("floors", "floor_area_m2", "outdoor_area_m2", "single_site", "slots")
#: Numeric Design fields that are whole counts.
_WHOLE = ("slots", "facilities")


def admissibility(
    candidates: Any,
    jurisdiction: Any,
    on: Any,
    *,
    area_type: str,
    unknown: str,
    include_reported: bool,
    include_unverified: bool,
    rulebook: Any,
) -> Admissibility:
    """Check every candidate against the site rules in force for its jurisdiction on ``on``."""
    if unknown not in ("keep", "reject"):
        raise InputError("spatial.one_of", field="unknown", value=unknown, choices=["keep", "reject"])
    per_row = isinstance(jurisdiction, str) and jurisdiction in candidates.columns
    n = len(candidates)
    juris = candidates[jurisdiction].to_numpy(dtype=object) if per_row else np.full(n, jurisdiction, dtype=object)
    read = [c for c in (*_FIELDS, "basement") if c in candidates.columns and c != candidates.geometry.name]
    table = pd.DataFrame({c: candidates[c] for c in read}, index=candidates.index)
    facts = _facts(table)
    options = dict(
        area_type=area_type, on=on, include_reported=include_reported,
        include_unverified=include_unverified, rulebook=rulebook,
    )  # fmt: skip
    book = rulebook_or_default(rulebook)
    status = np.full(n, "admissible", dtype=object)
    rejections: list[list[dict[str, Any]]] = [[] for _ in range(n)]
    unchecked: list[list[dict[str, Any]]] = [[] for _ in range(n)]
    for members in _kinds(table, juris, facts, options):
        found = _site_findings(
            design_of(_record(table, members[0]), table.index[members[0]]), juris[members[0]], options
        )
        for pos, fails, unknowns in _verdicts(found, members, facts, book):
            if fails or (unknowns and unknown == "reject"):
                status[pos] = "rejected"
            elif unknowns:
                status[pos] = "unchecked"
            rejections[pos] = fails + (unknowns if unknown == "reject" else [])
            unchecked[pos] = unknowns
    return Admissibility(status != "rejected", status, rejections, unchecked)


def _record(table: pd.DataFrame, pos: int) -> dict[str, Any]:
    """One candidate's row as the per-row reading sees it (cells as Python values, as ``to_dict`` gives them)."""
    return {c: table[c].iloc[pos : pos + 1].tolist()[0] for c in table.columns}


def _facts(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """The candidates' facts as float arrays (NaN: not given), read and checked as :func:`design_of` would.

    Numbers are taken as arrays; other cells are read by the same rule as one row's (:func:`_cell`),
    once for each distinct value. A row whose cells could be wrong (unreadable, negative, a grade
    outside 1–4, a storey 0, a truth value that is not one) is read again as one row by
    :func:`design_of`, whose error names the row, the column and the value.
    """
    n = len(table)
    values: dict[str, np.ndarray] = {}
    doubt = np.zeros(n, dtype=bool)
    for name in ("floor_area_m2", "outdoor_area_m2", "service_radius_m", *_WHOLE, "fire_resistance_grade"):
        values[name], bad = _numbers(table, name)
        doubt |= bad
    values["single_site"], bad = _truths(table)
    doubt |= bad
    values["top_floor"], values["bottom_floor"], bad = _storeys(table)
    doubt |= bad
    for pos in np.flatnonzero(doubt).tolist():
        design_of(_record(table, pos), table.index[pos])  # raises the row's own error, if it has one
    return values


def _cells(field: str, column: pd.Series) -> tuple[list[object], np.ndarray]:
    """Each cell read as one row's is (:func:`_cell`), once per distinct value; unreadable cells flagged."""
    seen: dict[object, object] = {}
    out: list[object] = []
    bad = np.zeros(len(column), dtype=bool)
    for i, v in enumerate(column.tolist()):
        try:
            key: object = ("v", type(v), v)
            hash(key)
        except TypeError:
            key = ("id", i)
        if key not in seen:
            try:
                seen[key] = _cell(field, v)
            except (TypeError, ValueError):
                seen[key] = _UNREADABLE
        out.append(seen[key])
        bad[i] = seen[key] is _UNREADABLE
    return out, bad


_UNREADABLE = object()


def _numbers(table: pd.DataFrame, field: str) -> tuple[np.ndarray, np.ndarray]:
    """A numeric Design field as floats (NaN: not given) and the rows that may not make a Design."""
    n = len(table)
    if field not in table.columns:
        return np.full(n, np.nan), np.zeros(n, dtype=bool)
    column = table[field]
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        x = column.to_numpy(dtype=float, na_value=np.nan)
        bad = np.zeros(n, dtype=bool)
    else:
        cells, bad = _cells(field, column)
        x = np.array([np.nan if c is None or c is _UNREADABLE else c for c in cells], dtype=float)
    given = ~np.isnan(x)
    finite = np.isfinite(x)
    bad |= given & ~(finite & (x >= 0))
    if field in _WHOLE or field == "fire_resistance_grade":
        bad |= finite & (np.mod(np.where(finite, x, 0.0), 1) != 0)
    if field == "fire_resistance_grade":
        bad |= given & ~np.isin(x, (1, 2, 3, 4))
    return x, bad


def _truths(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``single_site`` as 1.0 / 0.0 (NaN: not given); anything but a truth value flagged."""
    n = len(table)
    if "single_site" not in table.columns:
        return np.full(n, np.nan), np.zeros(n, dtype=bool)
    cells, bad = _cells("single_site", table["single_site"])
    x = np.array([float(c) if isinstance(c, bool) else np.nan for c in cells], dtype=float)
    bad |= np.array([c is not None and not isinstance(c, bool) for c in cells], dtype=bool)
    return x, bad


def _storeys(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The top and bottom storeys from ``floors`` and ``basement`` (storey -1), as :func:`design_of` reads them."""
    n = len(table)
    top, bottom, bad = np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, dtype=bool)
    if "floors" in table.columns:
        column = table["floors"]
        if pd.api.types.is_integer_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
            top = column.to_numpy(dtype=float, na_value=np.nan)
            bottom = top.copy()
            bad |= top == 0
        else:
            cells, bad = _cells("floors", column)
            for i, c in enumerate(cells):
                if isinstance(c, tuple) and c:
                    top[i], bottom[i] = max(c), min(c)
                    bad[i] |= 0 in c
                bad[i] |= c is not None and not (isinstance(c, tuple) and c)
    if "basement" in table.columns:
        below = np.array([not _missing(v) and bool(v) for v in table["basement"].tolist()], dtype=bool)
        top = np.where(below, np.fmax(top, -1.0), top)
        bottom = np.where(below, -1.0, bottom)
    return top, bottom, bad


def _kinds(
    table: pd.DataFrame, juris: np.ndarray, facts: dict[str, np.ndarray], options: dict[str, Any]
) -> list[np.ndarray]:
    """The candidates in groups that a review finds the same of: the same jurisdiction, fire-resistance
    grade and facts given (and the same slots, where a rule per child applies to that jurisdiction)."""
    if not len(table):
        return []
    j_code, j_values = pd.factorize(pd.Series(juris, dtype=object), use_na_sentinel=False)
    given = {
        "floors": ~np.isnan(facts["top_floor"]),
        "floor_area_m2": ~np.isnan(facts["floor_area_m2"]),
        "outdoor_area_m2": ~np.isnan(facts["outdoor_area_m2"]),
        "single_site": ~np.isnan(facts["single_site"]),
        "slots": ~np.isnan(facts["slots"]),
    }
    any_slots = bool(given["slots"].any())  # without slots, a rule per child finds the same of every candidate
    per_child = np.array([any_slots and _per_child(j, options) for j in j_values], dtype=bool)[j_code]
    slots = np.where(per_child, np.nan_to_num(facts["slots"], nan=-1.0), 0.0)
    columns = [j_code, facts["fire_resistance_grade"], slots, *(given[g] for g in _GIVEN)]
    codes = [pd.factorize(c, use_na_sentinel=False)[0] for c in columns]
    key = np.ravel_multi_index(codes, [int(c.max()) + 1 for c in codes])
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(inverse[order])) + 1)
    return [groups[g] for g in np.argsort(first, kind="stable")]


def _per_child(juris: object, options: dict[str, Any]) -> bool:
    """Whether a rule per child (per slot) applies in ``juris``: then a candidate's slots change its findings."""
    probe = _site_findings(Design(slots=1), juris, options)
    book = rulebook_or_default(options["rulebook"])
    return any(f.rule_id in book.design_rules and book.design_rules[f.rule_id].basis == "per_slot" for f in probe)


def _spec(f: Finding, book: Any) -> tuple[str, str, bool]:
    """The Design attribute a finding compares, its direction, and whether it counts storeys."""
    if f.check == "single_site":
        return "single_site", "at_least", False
    national = f.rule_id is not None and f.rule_id in book.design_rules and f.check not in QUANTITIES
    spec = DESIGN_QUANTITIES[book.design_rules[f.rule_id].quantity] if national else QUANTITIES[f.check]
    return str(spec.design_field), spec.direction, spec.unit.en == "storey"


def _fails(direction: str, storeys: bool, required: float, provided: np.ndarray) -> np.ndarray:
    """Where a figure falls short of a requirement or exceeds a limit: the review's comparison, as arrays.

    Storeys have no floor 0: from B1 (-1) up to floor 1 is one storey, so a storey on the other
    side of floor 0 from the requirement moves one towards it before they are compared (as review
    does; it decides the verdict when a limit is 0, i.e. no storey is set). Areas compare as the
    review's decimals do (two floats compare as their shortest decimal forms).
    """
    p = provided
    if storeys:
        p = np.where((p < 1) & (required >= 1), p + 1, np.where((required < 1) & (p >= 1), p - 1, p))
    return p > required if direction == "at_most" else p < required


def _verdicts(
    found: list[Finding], members: np.ndarray, facts: dict[str, np.ndarray], book: Any
) -> list[tuple[int, list[dict[str, Any]], list[dict[str, Any]]]]:
    """For each candidate of a group: the findings that fail it and those that cannot be made, as reasons.

    Only candidates with such a finding are listed; the others pass every check.
    """
    codes = np.zeros((len(members), len(found)), dtype=np.int8)  # 0 pass, 1 fail, 2 cannot be made
    provided: list[list[Any] | None] = []
    for col, f in enumerate(found):
        name, direction, storeys = _spec(f, book)
        value = facts[name][members] if f.provided is not None else None
        if f.status == "not_checkable":
            codes[:, col] = 2
        elif value is not None and f.required is not None:
            codes[:, col] = _fails(direction, storeys, float(f.required), value)
        else:  # a verdict without a figure to compare (none is made today): the same for every candidate
            codes[:, col] = 1 if f.status == "fail" else 0
        whole = isinstance(f.provided, int) and not isinstance(f.provided, bool)
        provided.append(None if value is None else (value.astype(np.int64) if whole else value).tolist())
    out: dict[int, tuple[int, list[dict[str, Any]], list[dict[str, Any]]]] = {}
    rows, cols = np.nonzero(codes)  # by candidate, then in the review's order
    for i, col, code in zip(rows.tolist(), cols.tolist(), codes[rows, cols].tolist(), strict=True):
        given = provided[col]
        _, fails, unknowns = out.setdefault(i, (int(members[i]), [], []))
        (fails if code == 1 else unknowns).append(_reason(found[col], _CODE[code], None if given is None else given[i]))
    return list(out.values())


_CODE = {1: "fail", 2: "not_checkable"}
