"""Per-jurisdiction test cases as data: ``tests/cases/*.toml``, one case file per rule file.

Each case file has a ``[header]`` table and ``[[case]]`` entries::

    [header]
    rule_file = "330106_xihu.toml"        # a built-in rule file (the case file has the same stem)
    # rules = "rules/my_test_rules.toml"  # ... or a custom rule file, relative to the case file
    # builtin = false                     # with ``rules``: load it without the built-in rules
    document = "西政办函〔2021〕15号"       # the label every binding rule's document must carry
    source = "shared/seeds/000_93b863376bd73d81.txt"   # optional, for the reader

    [[case]]
    id = "new-1334"                       # unique in the file; test id is "<file stem>:<id>"
    clause = "二(三)1"                     # every binding rule's clause (or a table quantity -> clause)
    note = "1334 × 15/100 = 200.1 m² > 200"   # the hand-worked arithmetic
    inputs = { jurisdiction = "西湖区", area_type = "new_build", households = 1334, on = 2025-01-01 }
    [case.expect]
    floor_area_m2 = 200.1                 # a literal, or "none" where the rules set no figure
    outdoor_area_m2 = 40.0
    slots = "none"
    max_floor = 2
    obligations = ["centralised"]         # optional: rule ids or topics that must be among the project's duties
    government_tasks = []                 # optional: ... that must be among the government's tasks (never duties)
    draft = false                         # optional: whether the result is marked draft
    [case.expect.binding]                 # quantity -> the rule ids that bind it (as a set)
    floor_area = ["xihu.new_build.floor_area.rate"]
    outdoor_area = ["xihu.new_build.outdoor_area.minimum"]
    max_floor = ["xihu.max_floor"]

A case that must fail has ``expect = { error = "NotInForceError", message_contains = "2021-09-20" }``
(the exception's class name in ``facility_sizing``) instead of figures.

Expected values are worked by hand from the documents in ``shared/seeds``, never produced by the
library. Custom rule files named by ``rules`` must not sit directly in ``tests/cases/`` (every
``*.toml`` there is read as a case file): put them in ``tests/cases/rules/``.

Besides the public API (:func:`facility_sizing.size`, :func:`facility_sizing.load_rules`,
:meth:`RuleBook.all_rules` and ``Rule.document.path``), it reads the quantity registry
(:mod:`facility_sizing.model.quantities`) for the quantities a case can expect.


"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import facility_sizing as fs
from facility_sizing.model.quantities import QUANTITIES as SPECS

CASES = Path(__file__).resolve().parent / "cases"

# quantity name (as in Requirement.binding) -> Requirement attribute, from the quantity registry
QUANTITIES = {q: spec.column for q, spec in SPECS.items()}
# an optional quantity (facilities, service radius) left out of a case is expected to have no figure
OPTIONAL = {spec.column for spec in SPECS.values() if spec.optional}
NONE = "none"

HEADER_KEYS = {"rule_file": str, "rules": str, "builtin": bool, "document": str, "source": str}
CASE_KEYS = {"id": str, "clause": (str, dict), "note": str, "inputs": dict, "expect": dict}
INPUT_KEYS = {
    "jurisdiction": str,
    "area_type": str,
    "on": (dt.date, str),
    "households": (int, float),
    "population": (int, float),
    "persons_per_household": (int, float),
    "include_drafts": bool,
    "include_reported": bool,
}
REQUIRED_INPUTS = {"jurisdiction", "area_type", "on"}
FIGURE_EXPECT_KEYS = {*(QUANTITIES[q] for q in QUANTITIES), "binding", "obligations", "government_tasks", "draft"}
REQUIRED_FIGURE_EXPECT = {*(QUANTITIES[q] for q in QUANTITIES if QUANTITIES[q] not in OPTIONAL), "binding"}
ERROR_EXPECT_KEYS = {"error", "message_contains"}


class CaseFileError(ValueError):
    """A case file that does not follow the format; the message names the file, the case and the key."""

    def __init__(self, path: Path, where: str, problem: str) -> None:
        self.path = path
        self.where = where
        super().__init__(f"{path.name}: {where}: {problem}")


@dataclass(frozen=True)
class Case:
    id: str
    clause: str | dict[str, str]
    note: str
    inputs: dict[str, Any]
    expect: dict[str, Any]

    @property
    def error(self) -> str | None:
        return self.expect.get("error")

    def binding(self, quantity: str) -> set[str]:
        return set(self.expect.get("binding", {}).get(quantity, []))

    def clause_for(self, quantity: str) -> str:
        return self.clause if isinstance(self.clause, str) else self.clause[quantity]


@dataclass(frozen=True)
class CaseFile:
    path: Path
    rule_file: str | None  # a built-in rule file's name
    rules: Path | None  # a custom rule file
    builtin: bool
    document: str
    cases: tuple[Case, ...]

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def rule_file_name(self) -> str:
        return self.rules.name if self.rules is not None else str(self.rule_file)


# --- validation ---------------------------------------------------------------------------


def _is_type(value: object, kind: type | tuple[type, ...]) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        return False  # True is an int to Python, not a count to a case file
    return isinstance(value, kinds)


def _check_keys(
    path: Path,
    where: str,
    table: object,
    allowed: Iterable[str],
    required: Iterable[str],
    types: dict[str, Any] | None = None,
) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise CaseFileError(path, where, "must be a table")
    allowed = set(allowed)
    for key in table:
        if key not in allowed:
            raise CaseFileError(
                path, f"{where}.{key}" if where else key, f"unknown key (allowed: {', '.join(sorted(allowed))})"
            )
    for key in sorted(required):
        if key not in table:
            raise CaseFileError(path, f"{where}.{key}" if where else key, "missing required key")
    for key, kind in (types or {}).items():
        if key in table and not _is_type(table[key], kind):
            raise CaseFileError(path, f"{where}.{key}", f"has the wrong type ({type(table[key]).__name__})")
    return table


def _check_case(path: Path, raw: object, index: int) -> Case:
    label = (
        f"case {raw.get('id')!r}" if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"case #{index + 1}"
    )
    case = _check_keys(path, label, raw, CASE_KEYS, CASE_KEYS, CASE_KEYS)
    inputs = _check_keys(path, f"{label} inputs", case["inputs"], INPUT_KEYS, REQUIRED_INPUTS, INPUT_KEYS)
    if "households" not in inputs and "population" not in inputs and "persons_per_household" in inputs:
        raise CaseFileError(path, f"{label} inputs.persons_per_household", "needs households or population")
    expect = case["expect"]
    if not isinstance(expect, dict):
        raise CaseFileError(path, f"{label} expect", "must be a table")
    if "error" in expect:
        _check_keys(
            path, f"{label} expect", expect, ERROR_EXPECT_KEYS, {"error"}, dict.fromkeys(ERROR_EXPECT_KEYS, str)
        )
        error = getattr(fs, expect["error"], None) if expect["error"] in fs.__all__ else None
        if not (isinstance(error, type) and issubclass(error, Exception)):
            raise CaseFileError(
                path, f"{label} expect.error", f"{expect['error']!r} is not an exception of facility_sizing"
            )
        if isinstance(case["clause"], dict):
            raise CaseFileError(path, f"{label} clause", "a case that must fail has one clause, not a table")
    else:
        types: dict[str, Any] = {QUANTITIES[q]: (int, float, str) for q in QUANTITIES}
        types |= {"binding": dict, "obligations": list, "government_tasks": list, "draft": bool}
        _check_keys(path, f"{label} expect", expect, FIGURE_EXPECT_KEYS, REQUIRED_FIGURE_EXPECT, types)
        for attr in OPTIONAL:
            expect.setdefault(attr, NONE)
        binding = _check_keys(path, f"{label} expect.binding", expect["binding"], QUANTITIES, ())
        for q, attr in QUANTITIES.items():
            value = expect[attr]
            if isinstance(value, str) and value != NONE:
                raise CaseFileError(path, f"{label} expect.{attr}", f'is {value!r}: write a number or "{NONE}"')
            ids = binding.get(q, [])
            if not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
                raise CaseFileError(path, f"{label} expect.binding.{q}", "must be a list of rule ids")
            if value == NONE and ids:
                raise CaseFileError(
                    path, f"{label} expect.binding.{q}", f'lists rules for a quantity expected "{NONE}"'
                )
            inputs = case["inputs"]  # a project of no households is no residential project: no rule binds its 0
            vacant = inputs.get("households") == 0 or ("households" not in inputs and inputs.get("population") == 0)
            if value != NONE and not ids and not (value == 0 and vacant):
                raise CaseFileError(path, f"{label} expect.binding.{q}", f"missing: which rule binds {attr} = {value}?")
        for key in ("obligations", "government_tasks"):
            if not all(isinstance(o, str) for o in expect.get(key, [])):
                raise CaseFileError(path, f"{label} expect.{key}", "must be a list of rule ids or topics")
        if isinstance(case["clause"], dict):
            _check_keys(path, f"{label} clause", case["clause"], binding, binding, dict.fromkeys(binding, str))
    return Case(case["id"], case["clause"], case["note"], dict(inputs), dict(expect))


def load_case_file(path: Path) -> CaseFile:
    """Read and validate one case file (data only: ``tomllib``, nothing executed)."""
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise CaseFileError(path, "<toml>", str(exc)) from exc
    _check_keys(path, "", data, {"header", "case"}, {"header", "case"})
    header = _check_keys(path, "header", data["header"], HEADER_KEYS, {"document"}, HEADER_KEYS)
    if ("rule_file" in header) == ("rules" in header):
        raise CaseFileError(
            path, "header.rule_file", "give exactly one of rule_file (built-in) and rules (custom file)"
        )
    if "builtin" in header and "rules" not in header:
        raise CaseFileError(path, "header.builtin", "only applies with a custom rules file")
    rules = None
    if "rules" in header:
        rules = (path.parent / header["rules"]).resolve()
        if not rules.is_file():
            raise CaseFileError(path, "header.rules", f"no such rule file: {rules}")
    elif header["rule_file"] != f"{path.stem}.toml":
        raise CaseFileError(path, "header.rule_file", f"is {header['rule_file']!r}; the case file for it is its stem")
    if not isinstance(data["case"], list) or not data["case"]:
        raise CaseFileError(path, "case", "needs at least one [[case]]")
    cases = tuple(_check_case(path, raw, i) for i, raw in enumerate(data["case"]))
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise CaseFileError(path, f"case {case.id!r} id", "is used twice")
        seen.add(case.id)
    return CaseFile(path, header.get("rule_file"), rules, header.get("builtin", True), header["document"], cases)


def load_all(folder: Path = CASES) -> tuple[list[CaseFile], list[CaseFileError]]:
    files, errors = [], []
    for path in sorted(folder.glob("*.toml")):
        try:
            files.append(load_case_file(path))
        except CaseFileError as exc:
            errors.append(exc)
    return files, errors


CASE_FILES, CASE_FILE_ERRORS = load_all()


# --- running a case -------------------------------------------------------------------------


@cache
def rulebook_for(rules: Path | None, builtin: bool = True) -> fs.RuleBook:
    """The built-in rules, or a custom rule file loaded with ``fs.load_rules``."""
    return fs.load_rules() if rules is None else fs.load_rules(rules, builtin=builtin)


def size(case_file: CaseFile, case: Case) -> fs.Requirement:
    kwargs = dict(case.inputs)
    if case_file.rules is not None:
        kwargs["rulebook"] = rulebook_for(case_file.rules, case_file.builtin)
    return fs.size(**kwargs)


def check_case(case_file: CaseFile, case: Case) -> None:
    """Run one case; raise AssertionError naming the case and the quantity that differs."""
    where = f"{case_file.stem}:{case.id}"
    if case.error is not None:
        try:
            req = size(case_file, case)
        except fs.FacilitySizingError as exc:  # the exact class is checked, not a base class
            assert type(exc).__name__ == case.error, f"{where}: raised {type(exc).__name__}: {exc}"
            if "message_contains" in case.expect:
                assert case.expect["message_contains"] in str(exc), f"{where}: message {str(exc)!r}"
            return
        raise AssertionError(f"{where}: expected {case.error}, got a result: {req!r}")
    req = size(case_file, case)
    for q, attr in QUANTITIES.items():
        want, got = case.expect[attr], getattr(req, attr)
        if want == NONE:
            assert got is None, f"{where}: {attr} is {got!r}, expected none (no figure)"
        else:
            assert got is not None and got == want, f"{where}: {attr} is {got!r}, expected {want!r}"
        uses = req.binding(q)
        assert {u.rule.id for u in uses if u.rule is not None} == case.binding(q), f"{where}: rules binding {q}"
        for u in uses:
            assert u.rule is not None
            assert u.rule.clause == case.clause_for(q), f"{where}: {u.rule.id} is clause {u.rule.clause}"
            if Path(u.rule.document.path).name == case_file.rule_file_name:  # a rule of another level has its own
                assert u.rule.document.label == case_file.document, (
                    f"{where}: {u.rule.id} is from {u.rule.document.label}"
                )
    # a project's duties (what a letter may state) and the government's tasks (context only) are apart
    for key, uses in (("obligations", req.duties), ("government_tasks", req.government_tasks)):
        present = {name for u in uses if u.rule is not None for name in (u.rule.id, u.rule.topic)}
        missing = set(case.expect.get(key, [])) - present
        assert not missing, f"{where}: {key} {sorted(missing)} absent (present: {sorted(n for n in present if n)})"
    if "draft" in case.expect:
        assert req.draft == case.expect["draft"], f"{where}: draft is {req.draft}"


def test_case_files_are_valid() -> None:
    assert CASE_FILES, f"no case files in {CASES}"
    assert not CASE_FILE_ERRORS, "\n".join(map(str, CASE_FILE_ERRORS))


@pytest.mark.parametrize(
    ("case_file", "case"),
    [(f, c) for f in CASE_FILES for c in f.cases],
    ids=[f"{f.stem}:{c.id}" for f in CASE_FILES for c in f.cases],
)
def test_case(case_file: CaseFile, case: Case) -> None:
    check_case(case_file, case)


# --- coverage: every figure rule binds in a case; case files and rule files pair up ------------


def rule_files(book: fs.RuleBook) -> dict[Path, list[fs.Rule]]:
    """Each rule file of a book (``RuleBook.files``) and the rules it holds (``Rule.document.path``).

    Built-in files are named relative to the package; a custom file as it was given to ``load_rules``.
    """
    out: dict[Path, list[fs.Rule]] = {Path(p): [] for p in book.files}
    for rule in book.all_rules():
        out.setdefault(Path(rule.document.path), []).append(rule)
    return out


def target_rules(case_file: CaseFile) -> list[fs.Rule]:
    """The rules of the rule file a case file targets."""
    if case_file.rules is None:
        files = rule_files(rulebook_for(None))
        [path] = [p for p in files if p.name == case_file.rule_file] or [None]
        assert path is not None, f"{case_file.path.name}: no built-in rule file {case_file.rule_file}"
        return files[path]
    return rule_files(rulebook_for(case_file.rules, case_file.builtin)).get(case_file.rules, [])


def uncovered(case_file: CaseFile, rules: Iterable[fs.Rule]) -> list[str]:
    """Figure rules of the file that bind in none of its cases."""
    bound = {rid for case in case_file.cases for q in QUANTITIES for rid in case.binding(q)}
    return sorted(r.id for r in rules if r.is_figure and r.id not in bound)


def test_every_rule_file_has_a_case_file_and_back() -> None:
    builtin = {p.stem for p in rule_files(rulebook_for(None))}
    cases = {f.stem for f in CASE_FILES if f.rules is None}
    assert builtin, "the built-in rule book lists no rule files"
    assert not builtin - cases, f"rule files without a case file in {CASES}: {sorted(builtin - cases)}"
    assert not cases - builtin, f"case files whose rule file is not built in: {sorted(cases - builtin)}"


@pytest.mark.parametrize("case_file", CASE_FILES, ids=[f.stem for f in CASE_FILES])
def test_every_figure_rule_binds_in_a_case(case_file: CaseFile) -> None:
    rules = target_rules(case_file)
    assert rules or case_file.rules is None, f"{case_file.path.name}: {case_file.rules} holds no rules"
    missing = uncovered(case_file, rules)
    assert not missing, (
        f"{case_file.rule_file_name}: figure rules that bind in no case of {case_file.path.name}: {missing}"
    )
    # a case may name a binding rule of another level (Hangzhou's cases: 浙江省's slots); every id must exist
    book = rulebook_for(case_file.rules, case_file.builtin)
    known = {r.id for r in book.all_rules()}
    listed = {rid for case in case_file.cases for q in QUANTITIES for rid in case.binding(q)}
    assert listed <= known, f"{case_file.path.name}: binding ids in no rule file: {sorted(listed - known)}"


# --- the harness itself -------------------------------------------------------------------------

GOOD_CASE = """
[header]
rule_file = "330106_xihu.toml"
document = "西政办函〔2021〕15号"

[[case]]
id = "new-1334"
clause = "二(三)1"
note = "1334 × 15/100 = 200.1 m²"
inputs = { jurisdiction = "西湖区", area_type = "new_build", households = 1334, on = 2025-01-01 }
[case.expect]
floor_area_m2 = 200.1
outdoor_area_m2 = 40.0
slots = "none"
max_floor = 2
[case.expect.binding]
floor_area = ["xihu.new_build.floor_area.rate"]
outdoor_area = ["xihu.new_build.outdoor_area.minimum"]
max_floor = ["xihu.max_floor"]
"""

BREAKAGES = [
    # (old, new, what the message must name)
    ("households = 1334", "housholds = 1334", "case 'new-1334' inputs.housholds"),
    ('note = "1334 × 15/100 = 200.1 m²"\n', "", "case 'new-1334'.note"),
    ('slots = "none"\n', "", "case 'new-1334' expect.slots"),
    ('slots = "none"', "slots = 0", "case 'new-1334' expect.binding.slots"),
    ('slots = "none"', 'slots = "None"', "case 'new-1334' expect.slots"),
    ('max_floor = ["xihu.max_floor"]\n', "", "case 'new-1334' expect.binding.max_floor"),
    ("[case.expect]\n", "[case.expect]\nfloor_area = 200.1\n", "case 'new-1334' expect.floor_area"),
    ('clause = "二(三)1"', 'clause = "二(三)1"\nclauses = "x"', "case 'new-1334'.clauses"),
    ('rule_file = "330106_xihu.toml"', 'rule_file = "330603_keqiao.toml"', "header.rule_file"),
    ('document = "西政办函〔2021〕15号"', 'doc = "x"', "header.doc"),
    ('id = "new-1334"\n', "", "case #1.id"),
]


@pytest.mark.parametrize(("old", "new", "named"), BREAKAGES, ids=[b[2] for b in BREAKAGES])
def test_a_broken_case_file_is_rejected_with_file_and_key(tmp_path: Path, old: str, new: str, named: str) -> None:
    assert old in GOOD_CASE, "the breakage must apply to the good case"
    path = tmp_path / "330106_xihu.toml"
    path.write_text(GOOD_CASE.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CaseFileError) as info:
        load_case_file(path)
    message = str(info.value)
    assert message.startswith("330106_xihu.toml: "), message
    assert named in message, message


def test_the_good_case_loads_and_passes(tmp_path: Path) -> None:
    path = tmp_path / "330106_xihu.toml"
    path.write_text(GOOD_CASE, encoding="utf-8")
    case_file = load_case_file(path)
    check_case(case_file, case_file.cases[0])


def test_a_wrong_expectation_fails(tmp_path: Path) -> None:
    path = tmp_path / "330106_xihu.toml"
    path.write_text(GOOD_CASE.replace("floor_area_m2 = 200.1", "floor_area_m2 = 200.0", 1), encoding="utf-8")
    case_file = load_case_file(path)
    with pytest.raises(AssertionError, match="330106_xihu:new-1334: floor_area_m2"):
        check_case(case_file, case_file.cases[0])


def test_coverage_reports_a_rule_without_a_case() -> None:
    [xihu] = [f for f in CASE_FILES if f.stem == "330106_xihu"]
    rules = target_rules(xihu)
    assert uncovered(xihu, rules) == []
    tie_free = tuple(c for c in xihu.cases if "xihu.existing.floor_area.rate" not in c.binding("floor_area"))
    pruned = CaseFile(xihu.path, xihu.rule_file, xihu.rules, xihu.builtin, xihu.document, tie_free)
    assert uncovered(pruned, rules) == ["xihu.existing.floor_area.rate"]


CUSTOM_RULES = (Path(__file__).resolve().parent / "fixtures" / "330110_yuhang.toml").read_text(encoding="utf-8")

CUSTOM_CASE = """
[header]
rules = "rules/330110_yuhang.toml"
document = "测试〔2025〕1号"

[[case]]
id = "slots"
clause = "一"
note = "1000 × 4.5/1000 = 4.5 → 5"
inputs = { jurisdiction = "余杭区", area_type = "new_build", population = 1000, on = 2025-02-01 }
[case.expect]
floor_area_m2 = "none"
outdoor_area_m2 = "none"
slots = 5
max_floor = "none"
binding = { slots = ["yuhang.new_build.slots"] }

[[case]]
id = "before"
clause = "一"
note = "effective_from 2025-02-01"
inputs = { jurisdiction = "余杭区", area_type = "new_build", population = 1000, on = 2025-01-31 }
expect = { error = "NotInForceError", message_contains = "2025-02-01" }
"""


def test_a_case_file_can_target_a_custom_rule_file(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "330110_yuhang.toml").write_text(CUSTOM_RULES, encoding="utf-8")
    (tmp_path / "custom.toml").write_text(CUSTOM_CASE, encoding="utf-8")
    files, errors = load_all(tmp_path)  # the rule file in rules/ is not read as a case file
    assert errors == []
    [case_file] = files
    assert case_file.rules == (tmp_path / "rules" / "330110_yuhang.toml").resolve()
    for case in case_file.cases:
        check_case(case_file, case)
    rules = target_rules(case_file)
    assert [r.id for r in rules] == ["yuhang.new_build.slots"]
    assert uncovered(case_file, rules) == []
    dropped = CaseFile(case_file.path, None, case_file.rules, True, case_file.document, case_file.cases[1:])
    assert uncovered(dropped, rules) == ["yuhang.new_build.slots"]
