"""Numbers and dates as people type them: 1,200 · 1，200 · １２００ · 1200户 · 1.2万 · 2025/6/1 · 2025年6月1日.

A clerk copies figures out of a document, a spreadsheet or a chat window: thousands separators,
full-width digits, a unit after the figure, dates in the Chinese way. What can be read only one
way is read; what could mean two things (``1.200``: 1.2 or 1,200?  ``6/1/2025``: June or
January?) is refused with the reason and the fix, never guessed. The reading is exact: a number
is a :class:`~decimal.Decimal` of the digits typed, so ``1.2万`` is 12000, not 11999.999….

The functions raise :class:`Unreadable`, a ``ValueError`` carrying the problem as a catalogue
message (``data/messages/typed.toml``); the caller names the field, row or flag (it knows which).

Examples
--------
>>> read_number("1,200户", "households"), read_number("１２００", "households"), read_number("1.2万人", "population")
(Decimal('1200'), Decimal('1200'), Decimal('12000'))
>>> read_date("2025年6月1日"), read_date("2025/6/1"), read_date("20250601")
(datetime.date(2025, 6, 1), datetime.date(2025, 6, 1), datetime.date(2025, 6, 1))
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from ..messages import Message

__all__ = ["DOTTED_THOUSANDS", "UNITS", "Unreadable", "plain_number", "read_date", "read_number"]

#: The unit a figure may be written with, per input: 1200户, 5000人, 2.7人/户.
UNITS: dict[str, tuple[str, ...]] = {
    "households": ("户",),
    "population": ("人",),
    "persons_per_household": ("人/户", "人每户"),
}
_NUMBER = re.compile(
    r"(?P<sign>[+-])?(?P<whole>[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?\s*(?P<wan>万)?\s*"
    r"(?P<unit>[^\d\s,.+\-]*)",
)
#: 1.200 or 12.500: three decimals, or a European thousands separator — read two ways, so refused
#: (0.250 can only be a decimal). The one rule: model/typed.py and the file reader both use it.
DOTTED_THOUSANDS = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:\.[0-9]{3})+")

# 1.200.000 (and 1.200.000户): full stops that can only be thousands separators
_DOTTED = re.compile(r"(?P<digits>[+-]?[1-9][0-9]{0,2}(?:\.[0-9]{3}){2,})\s*(?P<rest>万?\s*[^\d\s,.+\-]*)")
_SPACE = re.compile(r"[\s\u3000\u00a0\u202f]+")


class Unreadable(ValueError):
    """Text that is not a number (or a date) the library can read without guessing.

    Attributes
    ----------
    problem : Message
        The problem and its fix, without the field's name (the caller adds it).
    """

    def __init__(self, key: str, **params: object) -> None:
        self.problem = Message(f"typed.{key}", params)
        super().__init__(str(self.problem))


def _plain(text: str) -> str:
    """Full-width forms to ASCII (１２００ → 1200, ，→ ,), surrounding spaces removed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def read_number(text: str, field: str) -> Decimal:
    """The number a person typed for ``field``: separators, full-width digits, 万 and its unit allowed.

    Parameters
    ----------
    text : str
        What was typed, e.g. ``"1,200"``, ``"1，200户"``, ``"１２００"``, ``"0.8万人"``, ``"2.7人/户"``.
    field : str
        The input it is for (``households``, ``population``, ``persons_per_household``, …): decides
        which unit may follow the figure (:data:`UNITS`).

    Raises
    ------
    Unreadable
        Not a number; an ambiguous form (``1_200``, ``1.200``, ``1 200``, ``1,20``); or a unit that
        is not this input's (``5000人`` for households).

    Examples
    --------
    >>> read_number("2.7人/户", "persons_per_household"), read_number("+1200", "households")
    (Decimal('2.7'), Decimal('1200'))
    >>> read_number("1.200", "population")
    Traceback (most recent call last):
    ...
    facility_sizing.model.typed.Unreadable: 有歧义：“1.200”可读作 1.2 或 1200；请写作 1.2 或 1200（千位分隔用逗号） — ...
    """
    plain = _plain(text)
    if "_" in plain:
        raise Unreadable("underscore", text=text, digits=plain.replace("_", ""))
    found = _NUMBER.fullmatch(plain)
    if found is None:
        dotted = _DOTTED.fullmatch(plain)
        if dotted:
            digits, rest = dotted["digits"].replace(".", ""), dotted["rest"].replace(" ", "")
            raise Unreadable("dotted_thousands", text=text, commas=f"{int(digits):,}{rest}", plain=f"{digits}{rest}")
        raise _not_a_number(text, field)
    # 1.200 · 12.500万: three decimals, or a European thousands separator? (0.250 can only be a decimal)
    if found["frac"] and DOTTED_THOUSANDS.fullmatch(f"{found['whole']}.{found['frac']}"):
        raise _dot_groups(text, found["whole"], found["frac"], (found["wan"] or "") + found["unit"])
    unit = found["unit"]
    allowed = UNITS.get(field, ())
    if unit and unit not in allowed:
        raise _wrong_unit(text, unit, allowed)
    value = Decimal(found["whole"].replace(",", "") + ("." + found["frac"] if found["frac"] else ""))
    if found["wan"]:
        value *= 10_000
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))  # 1.2万 is 12000, not 12000.0
    return -value if found["sign"] == "-" else value


def plain_number(number: Decimal) -> int | float:
    """A read number as Python gives it to the library: an int where it is whole, else a float.

    Examples
    --------
    >>> plain_number(Decimal("1200")), plain_number(Decimal("2.7"))
    (1200, 2.7)
    """
    return int(number) if number == number.to_integral_value() else float(number)


def _dot_groups(text: str, whole: str, frac: str, suffix: str) -> Unreadable:
    """``1.200``: 1.2 with three decimals, or 1200 with a European separator (万 and unit kept: 12.5万 or 12500万)."""
    decimal = whole + ("." + frac.rstrip("0") if frac.rstrip("0") else "") + suffix
    thousands = whole + frac + suffix
    return Unreadable("dot_groups", text=text, decimal=decimal, thousands=thousands)


def _not_a_number(text: str, field: str) -> Unreadable:
    units = UNITS.get(field, ())
    example = "1200" + (units[0] if units else "")
    if re.search(r"\d[ ]\d", _plain(text)):
        return Unreadable("space_inside", text=text)
    if re.fullmatch(r"[+-]?\d{1,3}(,\d+)+(\.\d+)?\S*", _plain(text)):
        return Unreadable("misplaced_comma", text=text)
    return Unreadable("not_a_number", text=text, example=example)


def _wrong_unit(text: str, unit: str, allowed: tuple[str, ...]) -> Unreadable:
    if allowed:
        return Unreadable("wrong_unit", text=text, unit=unit, allowed=allowed[0])
    return Unreadable("unit_not_wanted", text=text, unit=unit)


_DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)
_DAY_OR_MONTH_FIRST = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")


def read_date(text: str) -> dt.date:
    """The date a person typed: ``2025-06-01``, ``2025/6/1``, ``2025.6.1``, ``2025年6月1日``, ``20250601``.

    An ISO date-time (``2025-06-01T09:30``) gives its calendar day. A year last (``6/1/2025``,
    ``01.06.2025``) is refused: month-first and day-first readings differ.

    Raises
    ------
    Unreadable
        Not a date in one of those forms, or not a day of the calendar (``2025/2/30``).

    Examples
    --------
    >>> read_date(" ２０２５年６月１日 "), read_date("2025.6.1"), read_date("2025-06-01T09:30")
    (datetime.date(2025, 6, 1), datetime.date(2025, 6, 1), datetime.date(2025, 6, 1))
    """
    plain = _plain(text)
    for form in _DATE_FORMS:
        found = form.fullmatch(plain)
        if found:
            try:
                return dt.date(int(found["y"]), int(found["m"]), int(found["d"]))
            except ValueError:
                raise Unreadable("calendar", text=text) from None
    try:
        return dt.datetime.fromisoformat(plain).date()
    except ValueError:
        pass
    if _DAY_OR_MONTH_FIRST.fullmatch(plain):
        raise Unreadable("year_last", text=text)
    raise Unreadable("not_a_date", text=text)
