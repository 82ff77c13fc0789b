"""Inputs of the access analyses, checked: the service distance and the numeric columns.

Everything :func:`~facility_sizing.coverage`, :func:`~facility_sizing.gap_analysis` and
:func:`~facility_sizing.site` read from their callers besides locations is checked here, once:
the service distance (a number of metres, a life circle from ``data/national/circles.toml``, or
the radius the rules set) and the numeric columns. A bad row is recorded against that row
(:class:`RowErrors`), never dropped and never taken as 0.

Where each row is — the frames, their CRS, their locations in metres — is
:mod:`facility_sizing.spatial.geometry.locate`'s.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...engine.inputs import RowErrors, to_float
from ...errors import InputError, bilingual
from ...messages import Message
from ...ruledata import RuleBook, rulebook_or_default

__all__ = [
    "MAX_DISTANCE_M",
    "circles",
    "distance_source_text",
    "numbers",
    "row_error_texts",
    "rule_distance",
    "service_distance",
]

#: Longest straight-line distance accepted, in metres: a service circle, not a region.
MAX_DISTANCE_M = 50_000.0


# --------------------------------------------------------------------------------------
# The service distance: metres, or a life circle


def circles(book: RuleBook | None = None) -> dict[str, dict[str, Any]]:
    """The service circles of the rule book (``data/national/circles.toml``, or a ``circles.toml``
    given with ``--rules``) by id, with their document and clause."""
    out: dict[str, dict[str, Any]] = {}
    for key, c in rulebook_or_default(book).circles.items():
        out[key] = {
            "name": c.name,
            "name_en": c.name_en,
            "distance_m": float(c.distance_m),
            "max_m": float(c.max_m),
            "document": c.standard.number,
            "clause": c.clause,
            "text": c.text,
            "verified": c.standard.verified,
            "seen_in": c.seen_in,
            "interpretation": c.interpretation,
        }
    return out


def service_distance(
    distance_m: object, circle: object, include_unverified: bool, book: RuleBook | None = None
) -> tuple[float, dict[str, Any]]:
    """The service distance in metres and where it comes from (the caller, or a life circle)."""
    if (distance_m is None) == (circle is None):
        raise InputError(
            "spatial.distance_or_circle",
            field="distance_m",
            value=distance_m,
            circle="circle",
            option="include_unverified",
        )
    if circle is not None:
        return _circle_distance(circle, include_unverified, book)
    d = _distance_value(distance_m)
    return d, {"circle": None, "distance_m": d, "document": None, "verified": True}


def _circle_distance(circle: object, include_unverified: bool, book: RuleBook | None) -> tuple[float, dict[str, Any]]:
    known = circles(book)
    key = str(circle).strip().lower().replace("分钟", "min").replace(" ", "")
    if key not in known:
        raise InputError("spatial.unknown_circle", field="circle", value=circle, known=list(known))
    info = known[key]
    if not info["verified"] and not include_unverified:
        raise InputError(
            "spatial.circle_unverified",
            field="circle",
            value=circle,
            document=info["document"],
            option="include_unverified",
            distance="distance_m",
        )
    return info["distance_m"], {"circle": key, **info}


def _real(value: object) -> float | None:
    """A finite real number (not a boolean) as a float; None for anything else."""
    if not isinstance(value, int | float | np.integer | np.floating) or isinstance(value, bool | np.bool_):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _distance_value(value: object) -> float:
    number = _real(value)
    if number is None or not 0 < number <= MAX_DISTANCE_M:
        raise InputError("spatial.distance_out_of_range", field="distance_m", value=value, maximum=MAX_DISTANCE_M)
    return number


def rule_distance(sized: Any) -> tuple[float, dict[str, Any]]:
    """The service radius the rules set for sized areas: the strictest of their rows.

    Raises
    ------
    InputError
        If a row that could be sized has no service radius in its rules: a distance is never
        assumed.
    """
    ok = sized["error"].isna().to_numpy()
    radius = sized["service_radius_m"]
    missing = ok & radius.isna().to_numpy()
    if not ok.any():
        first = sized["error"].dropna().iloc[0] if len(sized) else Message("spatial.no_areas")
        raise InputError("spatial.no_area_sized", field="distance_m", value=None, first=first)
    if missing.any():
        raise InputError(
            "spatial.no_rule_radius", field="distance_m", value=None, count=int(missing.sum()), circle="circle"
        )
    values = radius.to_numpy(dtype=float, na_value=np.inf)
    values[~ok] = np.inf
    row = int(np.argmin(values))
    d = float(values[row])
    rule = str(sized["service_radius_basis"].iloc[row])
    return d, {"circle": None, "distance_m": d, "rule": rule, "verified": True}


def distance_source_text(source: dict[str, Any]) -> str:
    """Where the service distance comes from, in words (the caller, a rule, or a document and clause)."""
    if source.get("rule"):
        return bilingual(f"规则规定的服务半径：{source['rule']}", f"the service radius the rules set: {source['rule']}")
    if source.get("circle") is None:
        return bilingual("调用方给定的服务半径", "service distance given by the caller")
    tag = "" if source["verified"] else "（未核实 unverified）"
    return f"{source['document']} {source['clause']}：{source['name']} {source['name_en']}{tag}"


# --------------------------------------------------------------------------------------
# Numeric columns


def numbers(name: str, gdf: Any, column: object, errors: RowErrors) -> np.ndarray:
    """A non-negative numeric column (or scalar), with bad cells recorded in their own row."""
    n = len(gdf)
    if isinstance(column, str):
        if column not in gdf.columns:
            raise InputError("spatial.not_a_column", field=name, value=column, columns=[str(c) for c in gdf.columns])
        values, bad = to_float(gdf[column])
    else:
        v = _positive_or_zero(name, column)
        values, bad = np.full(n, v), np.zeros(n, dtype=bool)
    bad = bad | (np.isfinite(values) & (values < 0)) | np.isinf(values)
    missing = np.isnan(values) & ~bad
    cells = gdf[column].to_numpy(dtype=object) if isinstance(column, str) else np.full(n, column, dtype=object)
    errors.record(
        bad,
        lambda i: InputError("spatial.not_at_least_zero", field=name, value=cells[i]),
    )
    errors.record(
        missing,
        lambda _i: InputError("spatial.number_missing", field=name, value=None),
    )
    return np.where(errors.mask, np.nan, values)


def _positive_or_zero(name: str, value: object) -> float:
    number = _real(value)
    if number is None or number < 0:
        raise InputError("spatial.not_at_least_zero", field=name, value=value)
    return number


def row_error_texts(errors: RowErrors) -> np.ndarray:
    """Each row's error as ``[code] message`` (None for a good row)."""
    out = np.full(len(errors.mask), None, dtype=object)
    for i in np.flatnonzero(errors.mask):
        exc = errors.error_of(int(i))
        out[i] = f"[{getattr(exc, 'code', 'error')}] {exc}"
    return out
