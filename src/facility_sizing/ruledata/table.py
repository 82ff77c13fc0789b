"""Validating TOML data: a table that remembers its file and key, so every error names both.

Rule data is read with :mod:`tomllib` as data only (numbers with a decimal point as
:class:`decimal.Decimal`, so 4.56 stays 4.56); nothing in a rule file is ever executed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import stat
import tomllib
from collections.abc import Collection, Iterable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import RuleDataError, UnknownKeyError
from ..messages import Message

__all__ = ["SCHEMA_VERSION", "Table", "check_schema", "read_text", "read_toml"]

#: The version of the rule-data format this library reads (see ``docs/rule-data.md``).
SCHEMA_VERSION = 1


class Table:
    """A TOML table being validated; remembers the file and the key path for errors.

    Required fields have typed getters that never return None (``text``, ``date``,
    ``choice``); optional ones have ``opt_`` getters. ``known`` is every key a table of its kind
    may hold: a key outside it is an :class:`~facility_sizing.errors.UnknownKeyError` naming the
    closest known key, and a required key that is absent because it was misspelt is reported as
    that misspelling, not as missing.

    Examples
    --------
    >>> t = Table("x.toml", "rules[0]", {"id": "a", "n": 2})
    >>> t.text("id"), t.number("n")
    ('a', (Fraction(2, 1), '2'))
    >>> t.text("clause")
    Traceback (most recent call last):
    ...
    facility_sizing.errors.RuleDataError: x.toml: rules[0].clause: 缺少必填字段 — x.toml: rules[0].clause: required field is missing
    >>> Table("x.toml", "rules[0]", {"id": "a", "strenght": "应"}, known={"id", "strength"}).text("strength")
    Traceback (most recent call last):
    ...
    facility_sizing.errors.UnknownKeyError: x.toml: rules[0].strenght: 未知字段 'strenght'：是否应为 'strength'？ — x.toml: rules[0].strenght: unknown key 'strenght'; did you mean 'strength'?
    """

    def __init__(self, path: str, key: str, data: object, known: Collection[str] | None = None) -> None:
        if not isinstance(data, dict):
            raise RuleDataError(path, key or "<file>", Message("ruledata.not_a_table", {"kind": type(data).__name__}))
        self.path = path
        self.key = key
        self.data: dict[str, Any] = data
        self.used: set[str] = set()
        self.known = None if known is None else frozenset(known)

    def _k(self, name: str) -> str:
        return f"{self.key}.{name}" if self.key else name

    def error(self, name: str, key: str, /, **params: Any) -> RuleDataError:
        """The error for field ``name`` of this table: the problem is catalogue message ``key`` with ``params``.

        Examples
        --------
        >>> Table("x.toml", "rules[0]", {}).error("value", "ruledata.not_a_number", value="x").text("en")
        "x.toml: rules[0].value: must be a number, got 'x'"
        """
        return RuleDataError(self.path, self._k(name), Message(key, params))

    def raw(self, name: str, required: bool) -> Any:
        """The field as read (None when absent and not required)."""
        self.used.add(name)
        if name not in self.data:
            if required:
                raise self._misspelt(name) or self.error(name, "ruledata.missing")
            return None
        return self.data[name]

    def _string(self, name: str, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(name, "ruledata.not_text", value=value)
        return value.strip()

    def opt_text(self, name: str, required: bool = False) -> str | None:
        """A non-empty string, stripped; None when absent and not required."""
        value = self.raw(name, required)
        return None if value is None else self._string(name, value)

    def text(self, name: str) -> str:
        """A required non-empty string."""
        return self._string(name, self.raw(name, True))

    def flag(self, name: str, default: bool = False) -> bool:
        """A true/false field; ``default`` when absent."""
        value = self.raw(name, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(name, "ruledata.not_true_or_false", value=value)
        return value

    def _date(self, name: str, value: object) -> dt.date:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise self.error(name, "ruledata.not_a_date", value=value)
        return value

    def opt_date(self, name: str, required: bool = False) -> dt.date | None:
        """A TOML date; None when absent and not required."""
        value = self.raw(name, required)
        return None if value is None else self._date(name, value)

    def date(self, name: str) -> dt.date:
        """A required TOML date."""
        return self._date(name, self.raw(name, True))

    def str_list(self, name: str, required: bool = True) -> tuple[str, ...]:
        """A list of non-empty strings (empty when absent and not required)."""
        value = self.raw(name, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(name, "ruledata.not_a_string_list", value=value)
        return tuple(value)

    def table(self, name: str, known: Collection[str] | None = None) -> Table:
        """A required sub-table (whose keys, when ``known`` is given, must be among ``known``)."""
        return Table(self.path, self._k(name), self.raw(name, True), known)

    def array(self, name: str, known: Collection[str] | None = None) -> list[Table]:
        """A required, non-empty array of tables (whose keys, when ``known`` is given, must be among ``known``)."""
        value = self.raw(name, True)
        if not isinstance(value, list) or not value:
            raise self.error(name, "ruledata.not_an_array", name=name)
        return [Table(self.path, f"{self._k(name)}[{i}]", v, known) for i, v in enumerate(value)]

    def opt_array(self, name: str, known: Collection[str] | None = None) -> list[Table]:
        """An array of tables, empty when absent."""
        return self.array(name, known) if name in self.data else []

    def _choice(self, name: str, value: str, options: Iterable[str]) -> str:
        options = tuple(options)
        if value not in options:
            raise self.error(name, "ruledata.not_one_of", options=options, value=value)
        return value

    def opt_choice(self, name: str, options: Iterable[str], required: bool = False) -> str | None:
        """One of ``options``; None when absent and not required."""
        value = self.opt_text(name, required)
        return None if value is None else self._choice(name, value, options)

    def choice(self, name: str, options: Iterable[str]) -> str:
        """A required field that must be one of ``options``."""
        return self._choice(name, self.text(name), options)

    def number(self, name: str, allow_zero: bool = False) -> tuple[Fraction, str]:
        """A required exact number (int or decimal) greater than 0 (or ≥ 0), with its text as written."""
        raw = self.raw(name, True)
        if isinstance(raw, bool) or not isinstance(raw, int | Decimal):
            raise self.error(name, "ruledata.not_a_number", value=raw)
        if isinstance(raw, Decimal) and not raw.is_finite():
            raise self.error(name, "ruledata.not_finite", value=raw)
        value = Fraction(raw)
        if value < 0 or (value == 0 and not allow_zero):
            raise self.error(name, "ruledata.negative" if allow_zero else "ruledata.not_positive", value=raw)
        text = str(raw.normalize()) if isinstance(raw, Decimal) else str(raw)
        if "E" in text:
            text = format(raw, "f")
        return value, text

    def _closest(self, name: str) -> str | None:
        """The known key closest to ``name`` (the declared keys, else those the getters asked for).

        Keys the table does not hold come first: ``issude`` beside ``issuer`` stands for ``issued``.
        """
        keys = (self.known if self.known is not None else self.used) - {name}
        for pool in (keys - self.data.keys(), keys):
            close = difflib.get_close_matches(name, sorted(pool), n=1, cutoff=0.6)
            if close:
                return close[0]
        return None

    def _misspelt(self, name: str) -> UnknownKeyError | None:
        """For a required key that is absent: the error for an unknown key written in its place, if any."""
        if self.known is None:
            return None
        for key in sorted(k for k in self.data if k not in self.known):
            if self._closest(key) == name:
                return UnknownKeyError(self.path, self.key, key, name)
        return None

    def finish(self) -> None:
        """Raise for the first field no getter asked for (a misspelt key), naming the closest known key."""
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise UnknownKeyError(self.path, self.key, unknown[0], self._closest(unknown[0]))


def read_text(path: Path | str, text: str | None = None) -> str:
    """A rule file's text (``text`` itself when given); a file that cannot be read is a :class:`RuleDataError`."""
    if text is not None:
        return text
    try:
        p = Path(path)
        if p.exists() and not stat.S_ISREG(p.stat().st_mode):
            raise RuleDataError(path, "<file>", Message("ruledata.not_regular_file"))
        return p.read_text(encoding="utf-8")
    except UnicodeDecodeError:  # saved as GBK, say: the editor can save it again as UTF-8
        raise RuleDataError(path, "<file>", Message("authoring.rules_not_unicode", {"value": p.name})) from None
    except OSError as exc:
        raise RuleDataError(path, "<file>", Message("ruledata.unreadable", {"reason": str(exc)})) from None


def read_toml(path: Path | str, text: str | None = None) -> dict[str, Any]:
    """Parse a TOML file (or its ``text``) as data; any problem is a :class:`RuleDataError` naming the file."""
    text = read_text(path, text)
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise RuleDataError(path, "<file>", Message("ruledata.not_toml", {"reason": str(exc)})) from None


def check_schema(table: Table) -> None:
    """The file's ``schema`` must be the version this library reads."""
    version = table.raw("schema", True)
    if version != SCHEMA_VERSION:
        raise table.error("schema", "ruledata.wrong_schema", expected=SCHEMA_VERSION, value=version)
