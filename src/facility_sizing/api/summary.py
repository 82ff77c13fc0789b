"""Totals of a batch result (``fs.summary``), for the terminal, Jupyter and reports."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..model.quantities import QUANTITIES

__all__ = ["TOTALLED", "summary"]

#: The quantities a batch total adds up: the core requirements (a floor limit is not summed).
TOTALLED = tuple(spec for spec in QUANTITIES.values() if spec.direction == "at_least" and not spec.optional)


def summary(result: Any) -> dict[str, Any]:
    """Totals of a batch result: rows, errors by kind, and required floor area, outdoor area and slots.

    Returns
    -------
    dict
        ``rows``; ``errors`` (rows with an error, including those that lack an input for one
        quantity) and ``errors_by_kind`` (their count by error code, e.g.
        ``{"unknown_jurisdiction": 1}``); ``floor_area_m2``, ``outdoor_area_m2`` and ``slots``
        summed over the figures rows have (a figure a row could not compute, or no rule sets,
        adds nothing: a total is not a requirement of the rows without one; a row lacking
        population still adds its floor area), or None where no row has a figure (never 0); ``draft_rows``, ``reported_rows`` and ``stale_rows``. In Jupyter, ``result.sizing`` shows these
        above the rows (see :class:`SizingAccessor`).

    Examples
    --------
    >>> import facility_sizing as fs
    >>> s = fs.summary(fs.size_parcels(fs.sample_parcels(), on="2025-01-01"))
    >>> s["rows"], s["errors"]
    (38, 0)
    """
    errors = result["error"].dropna()
    kinds = errors.str.extract(r"^\[(\w+)\]")[0].value_counts().to_dict() if len(errors) else {}
    totals: dict[str, Any] = {
        "rows": len(result),
        "errors": len(errors),
        "errors_by_kind": {str(k): int(v) for k, v in kinds.items()},
    }
    for spec in TOTALLED:
        column = result[spec.column]
        if not column.notna().any():  # no row has a figure (no rule sets one): no total, never 0
            totals[spec.column] = None
            continue
        totals[spec.column] = (
            float(np.nansum(column.to_numpy(dtype=float))) if spec.is_area else int(column.sum(skipna=True))
        )
    totals["draft_rows"] = int(result["draft"].sum())
    if "reported" in result.columns:  # rows whose figures rest on documents known by report only
        totals["reported_rows"] = int(result["reported"].sum())
    totals["stale_rows"] = int(result["stale"].sum())
    return totals
