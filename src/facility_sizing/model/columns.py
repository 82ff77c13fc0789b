"""The one result-column schema: the columns of ``fs.size_frame`` (and of every batch result
built on it), in order, with their dtypes.

Quantity columns and their ``*_basis`` columns come from the quantity registry, so a new
quantity is a new column everywhere at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .quantities import QUANTITIES

__all__ = [
    "BASIS_COLUMNS",
    "CORE_QUANTITY_COLUMNS",
    "FLAG_COLUMNS",
    "INPUT_COLUMNS",
    "OPTIONAL_QUANTITY_COLUMNS",
    "QUANTITY_COLUMNS",
    "RESULT_COLUMNS",
    "RESULT_DTYPES",
    "basis_column",
    "shown_quantity_columns",
]

#: One column per quantity: m² (float) for areas, whole numbers (nullable Int64) otherwise.
QUANTITY_COLUMNS: tuple[str, ...] = tuple(q.column for q in QUANTITIES.values())
#: The columns of the quantities every result answers (optional ones are shown only where set).
CORE_QUANTITY_COLUMNS: tuple[str, ...] = tuple(q.column for q in QUANTITIES.values() if not q.optional)
OPTIONAL_QUANTITY_COLUMNS: tuple[str, ...] = tuple(q.column for q in QUANTITIES.values() if q.optional)

#: The inputs as used (derived ones flagged).
INPUT_COLUMNS: tuple[str, ...] = (
    "population",
    "households",
    "persons_per_household",
    "households_derived",
    "population_derived",
)


def shown_quantity_columns(columns: Iterable[str], has_values: Callable[[str], bool]) -> list[str]:
    """The quantity columns a table shows: the core ones present, and an optional one that has values."""
    present = set(columns)
    optional = [c for c in OPTIONAL_QUANTITY_COLUMNS if c in present and has_values(c)]
    return [c for c in CORE_QUANTITY_COLUMNS if c in present] + optional


def basis_column(quantity: str) -> str:
    """The column saying which rule bound ``quantity`` (or that there is no figure)."""
    return f"{quantity}_basis"


#: Which rule bound each quantity.
BASIS_COLUMNS: tuple[str, ...] = tuple(basis_column(q) for q in QUANTITIES)

#: Draft and stale flags, the rule set, and the row's error.
FLAG_COLUMNS: tuple[str, ...] = ("draft", "reported", "stale", "rule_set", "error")

#: Result columns of :func:`facility_sizing.size_frame`, in order.
RESULT_COLUMNS: tuple[str, ...] = QUANTITY_COLUMNS + INPUT_COLUMNS + BASIS_COLUMNS + FLAG_COLUMNS

#: The dtype each result column is restored to when a file format loses it (e.g. GeoJSON).
RESULT_DTYPES: dict[str, str] = {
    **{q.column: q.dtype for q in QUANTITIES.values()},
    "population": "float64",
    "households": "float64",
    "persons_per_household": "float64",
    "households_derived": "bool",
    "population_derived": "bool",
    **dict.fromkeys(BASIS_COLUMNS, "category"),
    "draft": "bool",
    "reported": "bool",
    "stale": "bool",
    "rule_set": "category",
    "error": "object",
}
