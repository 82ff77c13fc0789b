"""The rule book: divisions, documents, rules, targets and duties, with name lookup.

Rule figures live in TOML files, one per jurisdiction (``data/rules/*.toml``), read as data
only and validated when loaded (:mod:`facility_sizing.ruledata.parse`); a problem raises
:class:`~facility_sizing.errors.RuleDataError` naming the file and the key. The file format is
documented in ``docs/rule-data.md``.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable, Mapping
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import RuleDataError, UnknownJurisdictionError
from ..messages import Message
from ..model.entities import Circle, DesignRule, Division, Document, Duty, Indicator, Rule, Standard, Target
from ..model.version import VERSION
from ..registry import AbolishedJurisdictionError, MalformedCodeError, default_registry, is_code_like, normalise
from .district import parse_indicators
from .national import parse_circles, parse_design
from .parse import DIVISION_KEYS, parse_division, parse_rule_file
from .table import Table, check_schema, read_text, read_toml

__all__ = [
    "RuleBook",
    "area_type_terms",
    "base_rulebook",
    "default_rulebook",
    "load_rules",
    "rulebook_or_default",
]


def _normalise(name: str) -> str:
    """The key a name is compared by: the registry's normalisation (NFKC, no whitespace or invisible
    characters, traditional → simplified, case-folded). Punctuation is kept: ``xi.hu`` is not ``xihu``."""
    return normalise(name, default_registry().traditional)


#: Registry levels as the rule book names them.
_LEVELS = {"province": "province", "city": "city", "county": "district"}


_SUFFIXES = ("省", "市", "区", "县")


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > 2:
            return name[: -len(suffix)]
    return name


class RuleBook:
    """The divisions, documents and rules the library knows, with name lookup.

    Most callers use the built-in book through the module functions; build one with
    :func:`load_rules` to add a jurisdiction's rules from your own files.
    """

    def __init__(self) -> None:
        self.divisions: dict[str, Division] = {}
        self.area_types: dict[str, dict[str, str]] = {}
        self.documents: dict[str, list[Document]] = {}
        self.rules: dict[str, list[Rule]] = {}
        self.targets: dict[str, list[Target]] = {}
        self.duties: dict[str, list[Duty]] = {}
        self.fields: dict[str, tuple[str, str]] = {}
        self.field_limits: dict[str, Fraction] = {}
        self.indicators: dict[str, Indicator] = {}
        #: national design rules by id (design review), with their standards; service circles by id
        self.design_rules: dict[str, DesignRule] = {}
        self.standards: dict[str, Standard] = {}
        self.circles: dict[str, Circle] = {}
        self.files: list[str] = []
        # (file name, sha256 of its text) of every file the book was built from: its stamp
        self._contents: list[tuple[str, str]] = []
        self._stamp: str | None = None
        self._aliases: dict[str, str] | None = None
        # divisions found in the national registry (not in the book's own list), kept apart so that
        # listing the book's divisions does not depend on which names were looked up
        self._from_registry: dict[str, Division] = {}

    # -- building ---------------------------------------------------------------------

    def add_divisions(self, path: Path | str, text: str | None = None) -> None:
        """Add the divisions listed in a ``divisions.toml`` file."""
        spath, text = str(path), read_text(path, text)
        root = Table(spath, "", read_toml(path, text), ("schema", "divisions"))
        check_schema(root)
        for table in root.array("divisions", DIVISION_KEYS):
            division = parse_division(table)
            table.finish()
            self._add_division(spath, table.key, division)
        root.finish()
        self._remember(spath, text)
        self._aliases = None

    def _remember(self, path: str, text: str) -> None:
        self._contents.append((Path(path).name, hashlib.sha256(text.encode("utf-8")).hexdigest()))
        self._stamp = None

    @property
    def produced_by(self) -> dict[str, str]:
        """What produces a result from this book: the library version and the rule-data :attr:`stamp`."""
        return {"library": VERSION, "rule_data": self.stamp}

    @property
    def stamp(self) -> str:
        """The rule data's stamp: a digest of the text of every file the book was built from.

        Two books built from the same files (wherever they are installed) have the same stamp; a
        changed figure, clause or date in any file changes it. Results carry it beside the
        library version, so a figure in a contract can be traced to the rule data that produced it.

        Examples
        --------
        >>> from facility_sizing.ruledata import default_rulebook
        >>> default_rulebook().stamp.startswith("sha256:")
        True
        """
        if self._stamp is None:
            lines = "".join(f"{name}\0{sha}\n" for name, sha in sorted(self._contents))
            self._stamp = f"sha256:{hashlib.sha256(lines.encode('utf-8')).hexdigest()[:16]}"
        return self._stamp

    def _add_division(self, path: str, key: str, division: Division) -> None:
        if division.code in self.divisions:
            raise RuleDataError(path, f"{key}.code", Message("ruledata.division_twice", {"code": division.code}))
        if division.parent is not None and division.parent not in self.divisions:
            raise RuleDataError(path, f"{key}.parent", Message("ruledata.unknown_parent", {"value": division.parent}))
        self.divisions[division.code] = division

    def add_file(self, path: Path | str, text: str | None = None) -> None:
        """Validate and add one jurisdiction's rule file.

        Raises
        ------
        RuleDataError
            If a field is missing or malformed; the error names the file and the key.
        """
        spath, text = str(path), read_text(path, text)
        parsed = parse_rule_file(spath, read_toml(path, text), self.indicators)
        if parsed.division is not None and parsed.code not in self.divisions:
            self._add_division(spath, "jurisdiction", parsed.division)
        if parsed.code not in self.divisions:
            self._adopt_from_registry(parsed.code)
        if parsed.code not in self.divisions:
            raise RuleDataError(spath, "jurisdiction.code", Message("ruledata.unknown_division", {"code": parsed.code}))
        known = self.divisions[parsed.code]
        if known.name != parsed.name:
            problem = Message(
                "ruledata.name_mismatch", {"code": parsed.code, "known": known.name, "value": parsed.name}
            )
            raise RuleDataError(spath, "jurisdiction.name", problem)
        if parsed.code in self.rules:
            problem = Message("ruledata.already_loaded", {"code": parsed.code, "name": parsed.name})
            raise RuleDataError(spath, "jurisdiction.code", problem)
        self.area_types[parsed.code] = parsed.area_types
        self.documents[parsed.code] = parsed.documents
        self.rules[parsed.code] = parsed.rules
        self.targets[parsed.code] = parsed.targets
        self.duties[parsed.code] = parsed.duties
        self.files.append(spath)
        self._remember(spath, text)
        self._aliases = None

    def add_indicators(self, path: Path | str, text: str | None = None) -> None:
        """Add the inventory fields and target indicators of an ``indicators.toml`` file."""
        text = read_text(path, text)
        fields, limits, indicators = parse_indicators(str(path), read_toml(path, text), self.fields)
        for key in fields.keys() & self.fields.keys():
            raise RuleDataError(path, f"fields[id={key}]", Message("ruledata.already_defined"))
        for key in indicators.keys() & self.indicators.keys():
            raise RuleDataError(path, f"indicators[id={key}]", Message("ruledata.already_defined"))
        self.fields.update(fields)
        self.field_limits.update(limits)
        self.indicators.update(indicators)
        self._remember(str(path), text)

    def add_design(self, path: Path | str, text: str | None = None) -> None:
        """Add the national design rules of a ``design.toml`` file; a rule with a known id takes its place.

        A bureau's reading of a clause, or a standard's new edition, replaces the built-in rule of
        the same id; new ids are added.
        """
        text = read_text(path, text)
        standards, rules = parse_design(str(path), read_toml(path, text))
        self.standards.update(standards)
        for rule in rules:
            self.design_rules[rule.id] = rule
        self._remember(str(path), text)

    def add_circles(self, path: Path | str, text: str | None = None) -> None:
        """Add the service circles of a ``circles.toml`` file; a circle with a known id takes its place."""
        text = read_text(path, text)
        for circle in parse_circles(str(path), read_toml(path, text)):
            self.circles[circle.id] = circle
        self._remember(str(path), text)

    # -- lookup -----------------------------------------------------------------------

    def _alias_map(self) -> dict[str, str]:
        if self._aliases is not None:
            return self._aliases
        names: dict[str, set[str]] = {}

        def add(alias: str, code: str) -> None:
            names.setdefault(_normalise(alias), set()).add(code)

        for code, div in self.divisions.items():
            own = {div.name, _short(div.name), div.name_en, *div.aliases}
            if code != "CN":
                add(code, code)
            for alias in own:
                add(alias, code)
            prefixes = [""]
            parent = div.parent
            while parent is not None and parent != "CN":
                pdiv = self.divisions[parent]
                prefixes = [p2 + p for p in prefixes for p2 in ("", pdiv.name, _short(pdiv.name))]
                parent = pdiv.parent
            for prefix in prefixes:
                if prefix:
                    add(prefix + div.name, code)
                    add(prefix + _short(div.name), code)
        # An alias shared by two divisions is ambiguous: keep it out so it cannot pick one silently.
        self._aliases = {alias: next(iter(codes)) for alias, codes in names.items() if len(codes) == 1}
        return self._aliases

    def division(self, jurisdiction: object) -> Division:
        """Find a division by Chinese name (with or without its city), pinyin, English or code.

        Raises
        ------
        UnknownJurisdictionError
            Listing the closest known names.
        """
        if isinstance(jurisdiction, Division):
            return jurisdiction
        if (
            isinstance(jurisdiction, float | np.floating)
            and np.isfinite(jurisdiction)
            and float(jurisdiction).is_integer()
        ):
            jurisdiction = int(jurisdiction)  # a code read from a column with blanks arrives as a float
        if isinstance(jurisdiction, np.integer):
            jurisdiction = int(jurisdiction)
        if isinstance(jurisdiction, bool) or not isinstance(jurisdiction, str | int):
            raise UnknownJurisdictionError(jurisdiction, self.suggest(str(jurisdiction)))
        key = _normalise(str(jurisdiction))
        if is_code_like(key) and not (len(key) == 6 and key.isascii() and key.isdigit()):
            raise MalformedCodeError(jurisdiction)  # -330106, 3301.06: an error, never a near match
        code = self._alias_map().get(key)
        if code is not None:
            return self.divisions[code]
        return self._registry_division(jurisdiction)

    def _adopt_from_registry(self, code: str) -> None:
        """Make a registry division (and its ancestors) the book's own, for a rule file that names it."""
        try:
            self._registry_division(code)
        except UnknownJurisdictionError:
            return  # the caller says the division is unknown, naming the file and key
        current: str | None = code
        while current is not None and current in self._from_registry:
            division = self._from_registry.pop(current)
            self.divisions[current] = division
            current = division.parent
        self._aliases = None

    def _registry_division(self, jurisdiction: str | int) -> Division:
        """A division the book does not list, found in the national registry, with its ancestors."""
        registry = default_registry()
        place = registry.lookup(jurisdiction)  # unknown, ambiguous or malformed: raises, with suggestions
        if place.abolished:
            raise AbolishedJurisdictionError(jurisdiction, registry.status(place.code), place.replaced_by or ())
        for p in reversed(registry.chain(place.code)):
            if p.code not in self.divisions and p.code not in self._from_registry:
                note = "统计用区划（功能区） statistical unit" if p.kind == "statistical" else None
                level = _LEVELS[p.level]
                self._from_registry[p.code] = Division(p.code, p.name, p.name_en, level, p.parent or "CN", (), note)
        return self.divisions.get(place.code) or self._from_registry[place.code]

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """The known jurisdiction names closest to ``name``."""
        key = _normalise(name)
        display = {}
        for div in self.divisions.values():
            display[_normalise(div.name)] = div.name
            display[_normalise(div.name_en)] = div.name
            for alias in div.aliases:
                display[_normalise(alias)] = div.name
        close = difflib.get_close_matches(key, list(display), n=n * 2, cutoff=0.4)
        contained = [k for k in display if key and (key in k or k in key)]
        out: list[str] = []
        for k in contained + close:
            if display[k] not in out:
                out.append(display[k])
        return out[:n]

    def chain(self, code: str) -> list[Division]:
        """The division and its ancestors, nearest first."""
        out = []
        current: str | None = code
        while current is not None:
            div = self.divisions.get(current) or self._from_registry[current]
            out.append(div)
            current = div.parent
        return out

    def all_rules(self) -> list[Rule]:
        """Every rule of every jurisdiction, in file order."""
        return [rule for rules in self.rules.values() for rule in rules]


def _data_dir() -> Any:
    return resources.files("facility_sizing") / "data"


def base_rulebook() -> RuleBook:
    """A new book of what every rule file may name: the built-in divisions, indicators and national rules, no local rules.

    Examples
    --------
    >>> base_rulebook().rules
    {}
    """
    return _builtin_book(with_rules=False)


def _builtin_book(with_rules: bool = True) -> RuleBook:
    book = RuleBook()
    data = _data_dir()
    divisions = data / "divisions.toml"
    book.add_divisions("facility_sizing/data/divisions.toml", divisions.read_text(encoding="utf-8"))
    indicators = data / "indicators.toml"
    book.add_indicators("facility_sizing/data/indicators.toml", indicators.read_text(encoding="utf-8"))
    national = data / "national"
    book.add_design("facility_sizing/data/national/design.toml", (national / "design.toml").read_text(encoding="utf-8"))
    book.add_circles(
        "facility_sizing/data/national/circles.toml", (national / "circles.toml").read_text(encoding="utf-8")
    )
    if not with_rules:
        return book
    for name, text in _builtin_rule_files():
        book.add_file(name, text)
    return book


def _builtin_rule_files() -> list[tuple[str, str]]:
    """The built-in rule files: (the name results cite, the text), in name order."""
    rule_dir = _data_dir() / "rules"
    entries = sorted((e for e in rule_dir.iterdir() if e.name.endswith(".toml")), key=lambda e: e.name)
    return [(f"facility_sizing/data/rules/{e.name}", e.read_text(encoding="utf-8")) for e in entries]


_DEFAULT: RuleBook | None = None


def default_rulebook() -> RuleBook:
    """The built-in rule book (loaded and validated once, on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = _builtin_book()
    return _DEFAULT


def load_rules(*paths: Path | str, builtin: bool = True, replace: bool = False) -> RuleBook:
    """Load rule files (or folders of ``*.toml`` files) into a new rule book.

    Parameters
    ----------
    *paths : path-like
        Rule files, or folders whose ``*.toml`` files are rule files. A file named
        ``divisions.toml`` adds divisions, one named ``indicators.toml`` target indicators,
        ``design.toml`` national design rules and ``circles.toml`` service circles (a rule or
        circle with a built-in id takes the built-in one's place), instead of rules.
    builtin : bool, default True
        Start from the built-in rules. The built-in divisions (the GB/T 2260 tree the
        library knows) are loaded either way, so your files can name their parents.
    replace : bool, default False
        A file of a jurisdiction the built-in rules already cover takes the place of the
        built-in file (a revised rule file, to compare with :func:`facility_sizing.compare`).
        Without it, such a file is an error: two rule files for one jurisdiction.

    Returns
    -------
    RuleBook
        Pass it as ``rulebook=`` to :func:`facility_sizing.size` and friends.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> book = fs.load_rules()           # the built-in rules only
    >>> sorted(book.rules)[:3]
    ['140800', '320500', '330000']
    """
    book = _builtin_book(with_rules=builtin and not replace)
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(p.glob("*.toml"))
            if not found:
                raise RuleDataError(p, "<folder>", Message("ruledata.empty_folder"))
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            raise RuleDataError(p, "<file>", Message("ruledata.no_such_file"))
    special = {
        "divisions.toml": book.add_divisions,
        "indicators.toml": book.add_indicators,
        "design.toml": book.add_design,
        "circles.toml": book.add_circles,
    }
    for f in sorted(files, key=lambda f: f.name not in special):
        special.get(f.name, book.add_file)(f)
    if builtin and replace:  # the built-in files of the jurisdictions the given files do not cover
        for name, text in _builtin_rule_files():
            if parse_rule_file(name, read_toml(name, text), book.indicators).code not in book.rules:
                book.add_file(name, text)
    return book


def rulebook_or_default(book: RuleBook | None) -> RuleBook:
    """``book`` itself, or the built-in book when it is None."""
    return default_rulebook() if book is None else book


def area_type_terms(book: RuleBook, codes: Iterable[str]) -> Mapping[str, str]:
    """The area types declared along a chain of divisions, with the nearest 原文 term."""
    out: dict[str, str] = {}
    for code in codes:
        for key, term in book.area_types.get(code, {}).items():
            out.setdefault(key, term)
    return out
