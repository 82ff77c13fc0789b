"""Read and validate the checked-in registry files (data only: nothing is computed from names here)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from facility_sizing.errors import RuleDataError
from facility_sizing.messages import Message

__all__ = ["COLUMNS", "EDITIONS", "Place", "data_dir", "read_places", "read_traditional"]

COLUMNS = (
    "code",
    "name",
    "short",
    "pinyin",
    "pinyin_full",
    "name_en",
    "level",
    "parent",
    "kind",
    "editions",
    "status",
    "replaced_by",
    "replaced_source",
)
EDITIONS = ("mca2020", "nbs2023")  # oldest first
LEVELS = ("province", "city", "county")
KINDS = ("administrative", "statistical")
_CODE = re.compile(r"[0-9]{6}")
_PINYIN = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Place:
    """One division of the registry.

    Attributes
    ----------
    code : str
        The 6-digit code (GB/T 2260, or the NBS statistical code for a functional zone).
    name, short : str
        The full name (西湖区) and the short name (西湖).
    pinyin, pinyin_full : str
        Toneless lowercase pinyin of the short and the full name (derived, see docs/divisions.md).
    name_en : str
        An English name derived from the pinyin and the level (not an official translation).
    level : str
        ``province``, ``city`` or ``county`` (county-level).
    parent : str or None
        The parent's code; ``None`` for a province.
    kind : str
        ``administrative`` or ``statistical`` (an NBS functional zone, not a division).
    editions : tuple of str
        The editions that list the code, oldest first.
    abolished : bool
        True for a county-level code of MCA 2020 that NBS 2023 no longer lists.
    replaced_by : tuple of str or None
        The codes that replaced an abolished one; ``None`` when unknown, ``()`` when not abolished.
    replaced_source : str
        Where ``replaced_by`` comes from.
    """

    code: str
    name: str
    short: str
    pinyin: str
    pinyin_full: str
    name_en: str
    level: str
    parent: str | None
    kind: str
    editions: tuple[str, ...]
    abolished: bool = False
    replaced_by: tuple[str, ...] | None = ()
    replaced_source: str = field(default="", repr=False)

    @property
    def last_edition(self) -> str:
        """The latest edition that lists the code."""
        return self.editions[-1]


def data_dir() -> Path:
    """The folder of the checked-in registry files."""
    return Path(str(resources.files("facility_sizing") / "data" / "registry"))


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) after the ``#`` comment header; check the column header."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleDataError(path, "file", Message("registry.unreadable", {"reason": str(exc)})) from exc
    lines = text.splitlines()
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        start += 1
    reader = csv.reader(lines[start:])
    header = next(reader, None)
    if header is None or tuple(header) != COLUMNS:
        problem = Message("registry.bad_header", {"expected": ",".join(COLUMNS), "value": header})
        raise RuleDataError(path, f"line {start + 1}", problem)
    yield from enumerate(reader, start=start + 2)


def _problem(record: dict[str, str]) -> tuple[str, Message] | None:
    """The first malformed field of one row as (column, problem), or None."""
    statuses = ("current", "abolished")
    checks: tuple[tuple[str, bool, str, dict[str, object]], ...] = (
        ("code", _CODE.fullmatch(record["code"]) is not None, "not_six_digits", {}),
        ("name", bool(record["name"]), "empty", {}),
        ("short", bool(record["short"]) and record["name"].startswith(record["short"]), "short_not_prefix", {}),
        ("pinyin", _PINYIN.fullmatch(record["pinyin"]) is not None, "not_lowercase", {}),
        ("pinyin_full", _PINYIN.fullmatch(record["pinyin_full"]) is not None, "not_lowercase", {}),
        ("name_en", bool(record["name_en"]), "empty", {}),
        ("level", record["level"] in LEVELS, "not_one_of", {"options": LEVELS}),
        ("parent", (record["level"] == "province") == (record["parent"] == ""), "parent_only_below_province", {}),
        ("kind", record["kind"] in KINDS, "not_one_of", {"options": KINDS}),
        (
            "editions",
            bool(record["editions"]) and set(record["editions"].split(";")) <= set(EDITIONS),
            "unknown_edition",
            {},
        ),
        ("status", record["status"] in statuses, "not_one_of", {"options": statuses}),
        (
            "replaced_by",
            (record["status"] == "abolished") == bool(record["replaced_by"]),
            "replaced_only_if_abolished",
            {},
        ),
    )
    for column, ok, name, params in checks:
        if not ok:
            return column, Message(f"registry.{name}", {**params, "value": record[column]})
    return None


def _place(record: dict[str, str]) -> Place:
    replaced = record["replaced_by"]
    return Place(
        code=record["code"],
        name=record["name"],
        short=record["short"],
        pinyin=record["pinyin"],
        pinyin_full=record["pinyin_full"],
        name_en=record["name_en"],
        level=record["level"],
        parent=record["parent"] or None,
        kind=record["kind"],
        editions=tuple(e for e in EDITIONS if e in record["editions"].split(";")),
        abolished=record["status"] == "abolished",
        replaced_by=None if replaced == "unknown" else tuple(c for c in replaced.split(";") if c),
        replaced_source=record["replaced_source"],
    )


def read_places(path: Path) -> dict[str, Place]:
    """Read ``divisions.csv`` into places keyed by code, validating every row and reference.

    Raises
    ------
    RuleDataError
        Naming the file, the line and column, and the problem.
    """
    places: dict[str, Place] = {}
    lines: dict[str, int] = {}
    for number, fields in _rows(path):
        if len(fields) != len(COLUMNS):
            problem = Message("registry.field_count", {"expected": len(COLUMNS), "count": len(fields)})
            raise RuleDataError(path, f"line {number}", problem)
        record = dict(zip(COLUMNS, fields, strict=True))
        malformed = _problem(record)
        if malformed is not None:
            raise RuleDataError(path, f"line {number}: {malformed[0]}", malformed[1])
        if record["code"] in places:
            raise RuleDataError(
                path, f"line {number}: code", Message("registry.duplicate_code", {"code": record["code"]})
            )
        places[record["code"]] = _place(record)
        lines[record["code"]] = number
    for code, place in places.items():
        refs = [("parent", place.parent)] if place.parent else []
        refs += [("replaced_by", c) for c in place.replaced_by or ()]
        for column, ref in refs:
            if ref not in places:
                raise RuleDataError(
                    path, f"line {lines[code]}: {column}", Message("registry.unknown_code", {"value": ref})
                )
    if not places:
        raise RuleDataError(path, "file", Message("registry.no_divisions"))
    return places


def read_traditional(path: Path) -> dict[str, str]:
    """Read the traditional→simplified character map (``traditional,simplified`` rows)."""
    table: dict[str, str] = {}
    for number, fields in _map_rows(path):
        if len(fields) != 2 or len(fields[0]) != 1 or len(fields[1]) != 1:
            raise RuleDataError(path, f"line {number}", Message("registry.not_two_characters", {"value": fields}))
        table[fields[0]] = fields[1]
    return table


def _map_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleDataError(path, "file", Message("registry.unreadable", {"reason": str(exc)})) from exc
    rows = [(n, line) for n, line in enumerate(lines, start=1) if line and not line.startswith("#")]
    if not rows or rows[0][1] != "traditional,simplified":
        raise RuleDataError(path, "header", Message("registry.map_header"))
    for number, line in rows[1:]:
        yield number, line.split(",")
