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
from ..ruledata import RuleBook, rulebook_or_default

__all__ = ["MAX_INVENTORY_VALUE", "exact", "inventory_fields", "read_inventory"]


def exact(field: str, value: object) -> Fraction | None:
    """A non-negative exact number from an inventory cell; None for a blank (no data)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        raise _bad_value(field, value)
    if isinstance(value, np.integer):
        value = int(value)
    elif isinstance(value, np.floating):
        # np.float32(4.56) is 4.56 as written, at its own precision; nan and inf go on as floats
        value = Decimal(str(value)) if np.isfinite(value) else float(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if not math.isfinite(value):
            raise _bad_value(field, value)
        value = Decimal(repr(value))  # the number as written (4.56), not its binary neighbour
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _bad_value(field, value)
        value = Fraction(value)
    if not isinstance(value, int | Fraction):
        if isinstance(value, str):
            try:
                return exact(field, Decimal(value.strip()))
            except InvalidOperation:
                pass
        raise _bad_value(field, value)
    if value < 0 or value > MAX_INVENTORY_VALUE:
        raise _bad_value(field, value)
    return Fraction(value)


#: Largest figure an inventory may hold: beyond any district's population, and far inside float range.
MAX_INVENTORY_VALUE = 10**15


def _bad_value(field: str, value: object) -> InputError:
    shown = value if len(repr(value)) < 40 else f"{repr(value)[:37]}..."
    return InputError(
        field,
        shown,
        f"{field} 须为 0 到 10^15 之间的数字（无数据请留空或 None），收到 {shown!r}",
        f"{field} must be a number from 0 to 10^15 (leave it out or None when there is no data), got {shown!r}",
    )


def read_inventory(book: RuleBook, inventory: object) -> dict[str, Fraction | None]:
    """The inventory's figures by field, exact; None for a field given as blank (no data)."""
    if isinstance(inventory, pd.DataFrame):
        if len(inventory) != 1:
            raise InputError(
                "inventory",
                f"<DataFrame of {len(inventory)} rows>",
                f"inventory 须为一个区的数据：dict 或单行 DataFrame，收到 {len(inventory)} 行",
                f"inventory must be one district's figures: a dict or a one-row DataFrame, got {len(inventory)} rows",
            )
        inventory = inventory.iloc[0].to_dict()
    elif isinstance(inventory, pd.Series):
        inventory = inventory.to_dict()
    if not isinstance(inventory, Mapping):
        raise InputError(
            "inventory",
            type(inventory).__name__,
            "inventory 须为 dict 或单行 DataFrame（字段见 fs.inventory_fields()）",
            "inventory must be a dict or a one-row DataFrame (fields: fs.inventory_fields())",
        )
    out: dict[str, Fraction | None] = {}
    for key, value in inventory.items():
        if key not in book.fields:
            close = difflib.get_close_matches(str(key), list(book.fields), n=3)
            hint_zh = f"；是否指 {'、'.join(close)}？" if close else "；可用字段见 fs.inventory_fields()"
            hint_en = f"; did you mean {', '.join(close)}?" if close else "; see fs.inventory_fields()"
            raise InputError(
                str(key), value, f"未知的统计字段 {key!r}{hint_zh}", f"unknown inventory field {key!r}{hint_en}"
            )
        out[key] = exact(key, value)
    _check_consistent(book, out)
    return out


def _check_consistent(book: RuleBook, inv: Mapping[str, Fraction | None]) -> None:
    """Figures that cannot be true together are an error, not a target met (150 % public slots)."""
    for field, limit in book.field_limits.items():
        value = inv.get(field)
        if value is not None and value > limit:
            raise InputError(
                field,
                float(value),
                f"{field} 不能超过 {limit}（百分比），收到 {float(value):g}",
                f"{field} cannot exceed {limit} (it is a percentage), got {float(value):g}",
            )
    for ind in book.indicators.values():
        # only a ratio (numerator / denominator) can be "at most"; a field indicator has neither
        if not ind.at_most or ind.numerator is None or ind.denominator is None:
            continue
        num, den = inv.get(ind.numerator), inv.get(ind.denominator)
        if num is not None and den is not None and num > den:
            raise InputError(
                ind.numerator,
                float(num),
                f"{ind.numerator}（{float(num):g}）不能多于 {ind.denominator}（{float(den):g}）：它是其中的一部分",
                f"{ind.numerator} ({float(num):g}) cannot exceed {ind.denominator} ({float(den):g}), of which it is a part",
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
