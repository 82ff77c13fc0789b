"""Which candidate sites are admissible, under the rules in force for their jurisdiction and date.

Each candidate row becomes an :class:`~facility_sizing.Design` from the columns named as its
fields (``floors``, ``fire_resistance_grade``, ``floor_area_m2``, ``outdoor_area_m2``,
``single_site``, ``slots``; ``basement=True`` adds storey -1) and is put through
:func:`~facility_sizing.review` — so the figures are the rule data's (the local floor limit,
GB 50016 5.4.4 by fire-resistance grade and its basement ban, JGJ 39, the outdoor area per child
where its grade lets it apply), never re-encoded here. Only the checks of the *site* count
(:data:`SITE_CHECKS`); those of the demand (slots, facilities, radius) are for the chosen sites.

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
from ...results.review import Design, Finding

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


def _reason(f: Finding) -> dict[str, Any]:
    provided = "—" if f.provided is None else f.provided
    return {
        "check": f.check,
        "status": f.status,
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
    r = review(
        design, jurisdiction=jurisdiction, households=0, population=0, area_type=options["area_type"],
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
    table = pd.DataFrame(candidates.drop(columns=candidates.geometry.name))
    per_row = isinstance(jurisdiction, str) and jurisdiction in table.columns
    juris = table[jurisdiction].tolist() if per_row else [jurisdiction] * len(table)
    options = dict(
        area_type=area_type, on=on, include_reported=include_reported,
        include_unverified=include_unverified, rulebook=rulebook,
    )  # fmt: skip
    cache: dict[tuple[object, Design], list[Finding]] = {}
    n = len(table)
    status = np.full(n, "admissible", dtype=object)
    rejections: list[list[dict[str, Any]]] = []
    unchecked: list[list[dict[str, Any]]] = []
    for pos, (index, row) in enumerate(zip(table.index, table.to_dict("records"), strict=True)):
        design = design_of(row, index)
        key = (juris[pos], design)
        if key not in cache:
            cache[key] = _site_findings(design, juris[pos], options)
        found = cache[key]
        fails = [_reason(f) for f in found if f.status == "fail"]
        unknowns = [_reason(f) for f in found if f.status == "not_checkable"]
        if fails or (unknowns and unknown == "reject"):
            status[pos] = "rejected"
        elif unknowns:
            status[pos] = "unchecked"
        rejections.append(fails + (unknowns if unknown == "reject" else []))
        unchecked.append(unknowns)
    return Admissibility(status != "rejected", status, rejections, unchecked)
