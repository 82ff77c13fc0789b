"""``facility-sizing rules test``: a bureau's own expected cases run against its rule file.

The format is the project's own (``tests/cases/*.toml``, documented in ``docs/howto/add-a-city.md``):
a ``[header]`` naming the rule file (``rules``, relative to the case file, with ``builtin = false``
to load it without the built-in rules; or ``rule_file``, a built-in file's name) and the document
every binding rule must come from; then ``[[case]]`` entries, each with its inputs, the clause, a
note of the arithmetic worked by hand, and what to expect: every figure (a number, or ``"none"``
where the rules set none) with the rule ids that bind it, or an ``error`` (the class name) that the
inputs must raise. Data only: the file is read with :mod:`tomllib`, nothing in it is executed.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> cases = Path(tempfile.mkdtemp()) / "cases.toml"
>>> _ = cases.write_text('''
... [header]
... rule_file = "330106_xihu.toml"
... document = "西政办函〔2021〕15号"
... [[case]]
... id = "new-1334"
... clause = "二(三)1"
... note = "1334 × 15/100 = 200.1 m² > 200"
... inputs = { jurisdiction = "西湖区", area_type = "new_build", households = 1334, on = 2025-01-01 }
... [case.expect]
... floor_area_m2 = 200.1
... outdoor_area_m2 = 40.0
... slots = "none"
... max_floor = 2
... [case.expect.binding]
... floor_area = ["xihu.new_build.floor_area.rate"]
... outdoor_area = ["xihu.new_build.outdoor_area.minimum"]
... max_floor = ["xihu.max_floor"]
... ''', encoding="utf-8")
>>> print(run_cases(cases).text("en"))
test cases cases.toml, rule file 330106_xihu.toml
✓ new-1334 (二(三)1): 1334 × 15/100 = 200.1 m² > 200
1 passed, 0 failed
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import errors
from ..api.sizing import size
from ..errors import FacilitySizingError, InputError
from ..messages import Audience, Language, Message
from ..model.quantities import QUANTITIES
from ..results.requirement import Requirement
from ..ruledata import RuleBook, load_rules, rulebook_or_default

__all__ = ["CaseReport", "CaseResult", "run_cases"]

_COLUMNS = {q: spec.column for q, spec in QUANTITIES.items()}
_OPTIONAL = {spec.column for spec in QUANTITIES.values() if spec.optional}
NONE = "none"
_HEADER = {"rule_file": str, "rules": str, "builtin": bool, "document": str, "source": str}
_CASE = {"id": str, "clause": (str, dict), "note": str, "inputs": dict, "expect": dict}
_INPUTS = {"jurisdiction": str, "area_type": str, "on": (dt.date, str), "households": (int, float),
           "population": (int, float), "persons_per_household": (int, float), "include_drafts": bool,
           "include_reported": bool}  # fmt: skip
_EXPECT = {**dict.fromkeys(_COLUMNS.values(), (int, float, str)), "binding": dict, "obligations": list,
           "government_tasks": list, "draft": bool}  # fmt: skip


@dataclass(frozen=True)
class CaseResult:
    """One case: its id, clause and note, and what differs from the expectation (nothing: it passes)."""

    id: str
    clause: str
    note: str
    problems: tuple[Message, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class CaseReport:
    """Every case of a case file, run against its rule file."""

    path: str
    rules: str
    results: tuple[CaseResult, ...]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    def lines(self, language: Language = "zh", audience: Audience = "python") -> list[str]:
        """One line a case (its problems below it), then the count."""
        out = [Message("authoring.cases_head", {"path": Path(self.path).name, "rules": self.rules}).text(language)]
        for r in self.results:
            key = "authoring.case_passed" if r.passed else "authoring.case_failed"
            out.append(Message(key, {"id": r.id, "clause": r.clause, "note": r.note}).text(language, audience))
            out += ["    " + p.text(language, audience) for p in r.problems]
        failed = sum(not r.passed for r in self.results)
        result = {"passed": len(self.results) - failed, "failed": failed}
        out.append(Message("authoring.cases_result", result).text(language, audience))
        return out

    def text(self, language: Language = "zh", audience: Audience = "python") -> str:
        return "\n".join(self.lines(language, audience))

    def to_dict(self, language: Language = "zh", audience: Audience = "python") -> dict[str, Any]:
        """JSON-ready: the files, ``passed``, and each case with its problems."""
        cases = [{"id": r.id, "clause": r.clause, "note": r.note, "passed": r.passed,
                  "problems": [p.text(language, audience) for p in r.problems]} for r in self.results]  # fmt: skip
        return {"file": Path(self.path).name, "rules": self.rules, "passed": self.passed, "cases": cases}


def _bad(path: Path, where: str, problem: str, **params: Any) -> InputError:
    return InputError("authoring.case_file", field="cases", value=path.name, where=where,
                      problem=Message(problem, params))  # fmt: skip


def _keys(path: Path, where: str, table: object, allowed: Mapping[str, Any], required: set[str]) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise _bad(path, where, "authoring.case_not_table")
    for key, value in table.items():
        if key not in allowed:
            raise _bad(path, f"{where}.{key}".lstrip("."), "authoring.case_unknown_key", allowed=sorted(allowed))
        kinds = allowed[key] if isinstance(allowed[key], tuple) else (allowed[key],)
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            raise _bad(path, f"{where}.{key}".lstrip("."), "authoring.case_wrong_type", kind=type(value).__name__)
    for key in sorted(required - set(table)):
        figure = where.endswith(" expect") and key in _COLUMNS.values()  # a figure: write it, or "none"
        problem = "authoring.case_missing_figure" if figure else "authoring.case_missing_key"
        raise _bad(path, f"{where}.{key}".lstrip("."), problem)
    return table


def _expect(path: Path, label: str, expect: dict[str, Any], vacant: bool = False) -> None:
    if "error" in expect:
        _keys(path, f"{label} expect", expect, {"error": str, "message_contains": str}, {"error"})
        cls = getattr(errors, expect["error"], None)
        if not (isinstance(cls, type) and issubclass(cls, FacilitySizingError)):
            raise _bad(path, f"{label} expect.error", "authoring.case_not_error", value=expect["error"])
        return
    required = {c for c in _COLUMNS.values() if c not in _OPTIONAL} | {"binding"}
    _keys(path, f"{label} expect", expect, _EXPECT, required)
    binding = _keys(path, f"{label} expect.binding", expect["binding"], dict.fromkeys(_COLUMNS, list), set())
    for q, column in _COLUMNS.items():
        value = expect.setdefault(column, NONE)
        if isinstance(value, str) and value != NONE:
            raise _bad(path, f"{label} expect.{column}", "authoring.case_none_word", value=value)
        if value == 0 and vacant and not binding.get(q):  # no residential project: 0, and no rule binds (issue 23)
            continue
        if (value == NONE) == bool(binding.get(q)):
            key = "authoring.case_binding_none" if value == NONE else "authoring.case_binding_missing"
            raise _bad(path, f"{label} expect.binding.{q}", key, column=column, value=value)


def _no_residents(inputs: dict[str, Any]) -> bool:
    """Whether a case's project has no households (or, none given, no people): no residential project."""
    return inputs.get("households") == 0 or ("households" not in inputs and inputs.get("population") == 0)


def _load(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _bad(path, "<file>", "authoring.case_unreadable", reason=str(exc)) from None
    _keys(path, "", data, {"header": dict, "case": list}, {"header", "case"})
    header = _keys(path, "header", data["header"], _HEADER, {"document"})
    if ("rule_file" in header) == ("rules" in header):
        raise _bad(path, "header.rules", "authoring.case_one_rule_file")
    cases, seen = data["case"], set()
    for i, raw in enumerate(cases):
        label = f"case {raw.get('id')!r}" if isinstance(raw, dict) and "id" in raw else f"case #{i + 1}"
        case = _keys(path, label, raw, _CASE, set(_CASE))
        _keys(path, f"{label} inputs", case["inputs"], _INPUTS, {"jurisdiction", "area_type", "on"})
        _expect(path, label, case["expect"], _no_residents(case["inputs"]))
        if case["id"] in seen:
            raise _bad(path, f"{label} id", "authoring.case_duplicate")
        seen.add(case["id"])
    return header, cases


def _book(path: Path, header: dict[str, Any], book: RuleBook | None) -> tuple[RuleBook, str]:
    """The rules to run against, and the name of the rule file whose documents the header names."""
    if "rule_file" in header:
        return rulebook_or_default(book), header["rule_file"]
    rules = (path.parent / header["rules"]).resolve()
    if not rules.is_file():
        raise _bad(path, "header.rules", "authoring.case_no_rule_file", value=str(rules))
    return load_rules(rules, builtin=header.get("builtin", True)), rules.name


def run_cases(path: str | Path, rulebook: RuleBook | None = None) -> CaseReport:
    """Run every case of a case file against the rule file its header names.

    Parameters
    ----------
    path : path-like
        The case file (TOML), in the format of the project's ``tests/cases/*.toml``.
    rulebook : RuleBook, optional
        For a header naming a built-in ``rule_file``: the rules to run against (built-in by default).

    Returns
    -------
    CaseReport
        ``passed``, each case's result, ``text()`` and ``to_dict()``.

    Raises
    ------
    InputError
        The case file does not follow the format (the message names the case and the key).
    RuleDataError
        The rule file it names does not load.
    """
    path = Path(path)
    header, cases = _load(path)
    book, rules = _book(path, header, rulebook)
    results = tuple(_run(book, rules, header["document"], case) for case in cases)
    return CaseReport(str(path), header.get("rules") or header["rule_file"], results)


def _run(book: RuleBook, rules: str, document: str, case: dict[str, Any]) -> CaseResult:
    clause = case["clause"] if isinstance(case["clause"], str) else "、".join(sorted(set(case["clause"].values())))
    expect = case["expect"]
    try:
        req = size(**case["inputs"], rulebook=book)
    except FacilitySizingError as exc:
        problems = _error_problems(expect, exc)
    else:
        if "error" in expect:
            problems = [Message("authoring.case_no_error", {"expected": expect["error"]})]
        else:
            problems = _figure_problems(req, case, rules, document)
    return CaseResult(case["id"], clause, case["note"], tuple(problems))


def _error_problems(expect: dict[str, Any], exc: FacilitySizingError) -> list[Message]:
    if "error" not in expect:
        return [Message("authoring.case_raised", {"got": type(exc).__name__, "message": str(exc)})]
    if type(exc).__name__ != expect["error"]:
        return [Message("authoring.case_error_class", {"expected": expect["error"], "got": type(exc).__name__})]
    words = expect.get("message_contains")
    return [Message("authoring.case_error_message", {"expected": words})] if words and words not in str(exc) else []


def _figure_problems(req: Requirement, case: dict[str, Any], rules: str, document: str) -> list[Message]:
    expect, out = case["expect"], []
    for q, column in _COLUMNS.items():
        want, got = expect[column], getattr(req, column)
        if (want == NONE and got is not None) or (want != NONE and got != want):
            out.append(Message("authoring.case_value", {"column": column, "expected": want, "got": _shown(got)}))
        used = [u.rule for u in req.binding(q) if u.rule is not None]
        ids = sorted(r.id for r in used)
        if set(ids) != set(expect["binding"].get(q, [])):
            out.append(Message("authoring.case_binding", {"quantity": q, "expected": expect["binding"].get(q) or ["—"],
                                                          "got": ids or ["—"]}))  # fmt: skip
        clause = case["clause"] if isinstance(case["clause"], str) else case["clause"].get(q)
        for rule in used:
            if rule.clause != clause:
                said = {"rule": rule.id, "expected": clause, "got": rule.clause, "quantity": q}
                out.append(Message("authoring.case_clause", said))
            mine = Path(rule.document.path).name == rules  # a rule of another level cites its own document
            if mine and rule.document.label != document:
                out.append(Message("authoring.case_document", {"rule": rule.id, "expected": document,
                                                               "got": rule.document.label}))  # fmt: skip
    for key, listed in (("obligations", req.duties), ("government_tasks", req.government_tasks)):
        present = {name for u in listed if u.rule is not None for name in (u.rule.id, u.rule.topic) if name}
        missing = sorted(set(expect.get(key, [])) - present)
        if missing:
            out.append(Message("authoring.case_missing", {"key": key, "missing": missing}))
    if "draft" in expect and req.draft != expect["draft"]:
        out.append(Message("authoring.case_draft", {"expected": expect["draft"], "got": req.draft}))
    return out


def _shown(value: object) -> object:
    return NONE if value is None else value
