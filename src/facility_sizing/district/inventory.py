"""A district's inventory: the figures a scorecard reads, exact and never guessed.

An *inventory* is one district's figures by field (population, slots, public slots,
communities served, …), given as a dict, a one-row DataFrame or a Series. The fields and
their names are rule data (``data/indicators.toml``); :func:`read_inventory` checks every
figure (a non-negative number, a percentage at most 100, a part no larger than its whole)
and keeps it as an exact fraction, so that 4.56 slots per 1,000 meets a 4.56 target.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
import pandas as pd

from ..errors import InputError
from ..messages import Message
from ..ruledata import RuleBook, rulebook_or_default

__all__ = ["MAX_INVENTORY_VALUE", "exact", "inventory_fields", "read_inventory"]


def exact(field: str, value: object, *, argument: bool = False) -> Fraction | None:
    """A non-negative exact number from an inventory cell; None for a blank (no data).

    ``argument``: ``field`` is an argument (a duty's measure, ``staff``), named as its audience names
    it; else a key of the inventory, written as it is.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        raise _bad_value(field, value, argument)
    if isinstance(value, np.integer):
        value = int(value)
    elif isinstance(value, np.floating):
        # np.float32(4.56) is 4.56 as written, at its own precision; nan and inf go on as floats
        value = Decimal(str(value)) if np.isfinite(value) else float(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if not math.isfinite(value):
            raise _bad_value(field, value, argument)
        value = Decimal(repr(value))  # the number as written (4.56), not its binary neighbour
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _bad_value(field, value, argument)
        value = Fraction(value)
    if not isinstance(value, int | Fraction):
        if isinstance(value, str):
            try:
                return exact(field, Decimal(value.strip()), argument=argument)
            except InvalidOperation:
                pass
        raise _bad_value(field, value, argument)
    if value < 0 or value > MAX_INVENTORY_VALUE:
        raise _bad_value(field, value, argument)
    return Fraction(value)


#: Largest figure an inventory may hold: beyond any district's population, and far inside float range.
MAX_INVENTORY_VALUE = 10**15


def _bad_value(field: str, value: object, argument: bool) -> InputError:
    shown = value if len(repr(value)) < 40 else f"{repr(value)[:37]}..."
    key = "district.measure_value" if argument else "district.inventory_value"
    return InputError(key, field=field, value=shown)


def read_inventory(book: RuleBook, inventory: object) -> dict[str, Fraction | None]:
    """The inventory's figures by field, exact; None for a field given as blank (no data)."""
    if isinstance(inventory, pd.DataFrame):
        if len(inventory) != 1:
            raise InputError(
                "district.inventory_rows",
                field="inventory",
                value=f"<DataFrame of {len(inventory)} rows>",
                rows=len(inventory),
            )
        inventory = inventory.iloc[0].to_dict()
    elif isinstance(inventory, pd.Series):
        inventory = inventory.to_dict()
    if not isinstance(inventory, Mapping):
        raise InputError(
            "district.inventory_type", field="inventory", value=type(inventory).__name__, see="inventory_fields"
        )
    out: dict[str, Fraction | None] = {}
    for key, value in inventory.items():
        if key not in book.fields:
            close = difflib.get_close_matches(str(key), list(book.fields), n=3)
            hint = (
                Message("district.did_you_mean", {"close": close})
                if close
                else Message("district.see_fields", {"see": "inventory_fields"})
            )
            raise InputError("district.unknown_field", field=str(key), value=value, hint=hint)
        out[key] = exact(key, value)
    _check_consistent(book, out)
    return out


def _check_consistent(book: RuleBook, inv: Mapping[str, Fraction | None]) -> None:
    """Figures that cannot be true together are an error, not a target met (150 % public slots)."""
    for field, limit in book.field_limits.items():
        value = inv.get(field)
        if value is not None and value > limit:
            raise InputError("district.over_limit", field=field, value=float(value), limit=limit)
    for ind in book.indicators.values():
        # only a ratio (numerator / denominator) can be "at most"; a field indicator has neither
        if not ind.at_most or ind.numerator is None or ind.denominator is None:
            continue
        num, den = inv.get(ind.numerator), inv.get(ind.denominator)
        if num is not None and den is not None and num > den:
            raise InputError(
                "district.part_over_whole",
                field=ind.numerator,
                value=float(num),
                whole=ind.denominator,
                whole_value=float(den),
            )


def inventory_fields(rulebook: RuleBook | None = None) -> pd.DataFrame:
    """The fields a scorecard inventory may hold, with their Chinese and English names.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> fs.inventory_fields().loc["slots", "name"]
    '托位数'
    """
    book = rulebook_or_default(rulebook)
    return pd.DataFrame([{"field": k, "name": zh, "name_en": en} for k, (zh, en) in book.fields.items()]).set_index(
        "field"
    )
