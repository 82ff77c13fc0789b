"""The rule check: a rule file read against the author's own copy of its document, finding by finding.

Loading a rule file validates its types and keys; this checks what loading cannot: that every
``text`` is the document's wording (after :func:`~facility_sizing.ruledata.source_text.normalise`),
that it stands in the clause the rule cites, that every figure is in its own quote with its unit,
that the words of strength agree with ``strength`` (原则上, 一般, 力争, 鼓励 are never 应) and that
a quote whose subject is a body of government is not put on the project; and, per document, that
its number, title, issuer and dates are the document's, an effect date claimed as stated being
stated by a sentence of it. The grade (``official``, ``text_copy`` …) stays what the author
declares — a check never raises it — and ``official`` needs ``seen``: where the official copy was read.

Every sentence of a report is a catalogue message (``data/messages/authoring.toml``) and every
word it reads a document by is data (``data/authoring.toml``).

Examples
--------
>>> f = Finding("rules[0]", "x.rate", "value", "figure", "fail", Message("authoring.figure_missing", {"value": "16", "numbers": ["15"]}))
>>> f.text("en")
'rules[0] x.rate value: the figure 16 is not in the quote (it has 15)'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..messages import Audience, Language, Message
from ..model.entities import Document
from ..model.vocabulary import GRADES
from .book import base_rulebook
from .check_entries import PLACEHOLDER, check_duty, check_rule, check_target
from .check_findings import CHECKS, Finding, words
from .check_meta import check_document
from .source_text import SourceText
from .table import read_text

__all__ = ["CHECKS", "Copy", "Finding", "RuleCheck", "check_rule_file", "words"]


@dataclass(frozen=True)
class Copy:
    """A document of the rule file and the copy it was checked against (None where none was supplied)."""

    document: str
    label: str
    recorded_source: str
    grade: str
    seen: str | None
    copy: str | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class RuleCheck:
    """The report of :func:`facility_sizing.check_rules`: the rule file, the copies, every finding.

    ``passed`` is true when every document had a copy and no finding failed; the report then
    states that the file matches the supplied copies (their hashes), never that they are official.
    """

    path: str
    sha256: str
    copies: tuple[Copy, ...]
    findings: tuple[Finding, ...] = field(default=())

    @property
    def failures(self) -> tuple[Finding, ...]:
        """The findings that failed, in file order."""
        return tuple(f for f in self.findings if f.status == "fail")

    @property
    def passed(self) -> bool:
        """Every document checked against a copy, and nothing failed."""
        return not self.failures and all(c.copy is not None for c in self.copies)

    def lines(self, language: Language = "zh", audience: Audience = "python") -> list[str]:
        """The report, one line a statement, in one language."""
        out = [Message("authoring.report_file", {"path": Path(self.path).name, "sha256": self.sha256[:16]})]
        for c in self.copies:
            if c.copy is not None:
                out.append(Message("authoring.report_copy", {"document": c.label, "copy": c.copy,
                                                             "sha256": (c.sha256 or "")[:16],
                                                             "source": c.recorded_source}))  # fmt: skip
            grade = GRADES.get(c.grade)
            out.append(Message("authoring.report_grade", {"document": c.label, "grade": c.grade,
                                                          "label": grade or c.grade, "seen": c.seen or "—"}))  # fmt: skip
        text = [m.text(language, audience) for m in out]
        for entry, checks in self._passed_by_entry().items():
            names = [Message(CHECKS[c]) for c in checks]
            text.append(Message("authoring.entry_passed", {"entry": entry, "checks": names}).text(language, audience))
        for f in self.findings:
            if f.status != "pass":
                text.append(("✗ " if f.status == "fail" else "· ") + f.text(language, audience))
                text.extend(_diff_lines(f, language, audience))
        verdict = (
            Message("authoring.report_passed", {"copies": [c.copy for c in self.copies]})
            if self.passed
            else Message("authoring.report_failed", {"failures": len(self.failures)})
        )
        text.append(verdict.text(language, audience))
        return text

    def _passed_by_entry(self) -> dict[str, list[str]]:
        failed = {(f.entry, f.check) for f in self.findings if f.status == "fail"}
        out: dict[str, list[str]] = {}
        for f in self.findings:
            label = f"{f.entry} {f.id}"
            if f.status == "pass" and (f.entry, f.check) not in failed and f.check not in out.get(label, []):
                out.setdefault(label, []).append(f.check)
        return out

    def text(self, language: Language = "zh", audience: Audience = "python") -> str:
        """The report in one language."""
        return "\n".join(self.lines(language, audience))

    def __str__(self) -> str:
        return self.text("zh") + "\n\n" + self.text("en")

    def to_dict(self, language: Language = "zh", audience: Audience = "python") -> dict[str, Any]:
        """JSON-ready: the file and its hash, the copies, ``passed``, every finding, and the report's lines."""
        return {
            "file": Path(self.path).name,
            "sha256": self.sha256,
            "passed": self.passed,
            "copies": [vars(c) for c in self.copies],
            "findings": [f.to_dict(language, audience) for f in self.findings],
            "report": self.lines(language, audience),
        }


def _diff_lines(f: Finding, language: Language, audience: Audience) -> list[str]:
    out = []
    if f.passage is not None:
        out.append("    " + Message("authoring.nearest", {"passage": f.passage}).text(language, audience))
    keys = {"replace": "authoring.diff_replace", "delete": "authoring.diff_delete", "insert": "authoring.diff_insert"}
    for op, quote, document, at in f.diff[:6]:
        message = Message(keys[op], {"at": at + 1, "quote": quote, "document": document})
        out.append("    " + message.text(language, audience))
    return out


def check_rule_file(
    path: str | Path, copies: Mapping[str, SourceText] | Sequence[SourceText], text: str | None = None
) -> RuleCheck:
    """Check one rule file against copies of its documents: document id → copy, or copies to match.

    A list of copies is matched to the documents by file name (the document's ``source``) or by
    id (the copy's stem); one copy of a file with one document is that document's. The file is loaded first (a malformed one raises :class:`~facility_sizing.errors.RuleDataError`);
    a document without a copy is reported, its entries unchecked.

    Examples
    --------
    >>> from importlib import resources
    >>> xihu = resources.files("facility_sizing") / "data" / "rules" / "330106_xihu.toml"
    >>> report = check_rule_file("330106_xihu.toml", {}, xihu.read_text(encoding="utf-8"))
    >>> report.passed, report.failures[0].key
    (False, 'source')
    """
    text = read_text(path, text)
    book = base_rulebook()  # the built-in divisions and indicators: what a file may name
    book.add_file(str(path), text)
    [code] = book.rules
    documents = book.documents[code]
    copies = _pair(documents, copies)
    findings: list[Finding] = []
    summary = []
    for index, doc in enumerate(documents):
        copy = copies.get(doc.id)
        summary.append(_copy(doc, copy))
        findings.extend(check_document(f"documents[{index}]", doc, copy))
    entries: Sequence[tuple[str, Any, Any]] = (
        [(f"rules[{i}]", r, check_rule) for i, r in enumerate(book.rules[code])]
        + [(f"targets[{i}]", t, check_target) for i, t in enumerate(book.targets[code])]
        + [(f"duties[{i}]", d, check_duty) for i, d in enumerate(book.duties[code])]
    )
    for entry, item, check in entries:
        copy = copies.get(item.document.id)
        if copy is not None:
            findings.extend(check(entry, item, copy))
    lines = text.splitlines()
    ids = {m.group(1): i for i, line in enumerate(lines) if (m := _ID.fullmatch(line))}
    findings = [replace(f, line=_line_of(lines, ids, f.id, f.key)) for f in findings]
    findings.extend(_unfilled(str(path), text))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return RuleCheck(str(path), digest, tuple(summary), tuple(findings))


#: An entry's ``id`` line in a rule file.
_ID = re.compile(r'\s*id\s*=\s*"([^"]*)"\s*(#.*)?')


def _line_of(lines: Sequence[str], ids: Mapping[str, int], item_id: str, key: str) -> int | None:
    """The line (from 1) of ``key`` in the table whose ``id`` is ``item_id`` (at line ``ids[item_id]``, from 0);
    of its ``id`` where the key is not written.

    Examples
    --------
    >>> lines = ['[[rules]]', 'id = "a"', 'value = 1', '[[rules]]', 'id = "b"', 'text = "x"', 'value = 2']
    >>> _line_of(lines, {"a": 1, "b": 4}, "b", "value")
    7
    """
    at = ids.get(item_id)
    if at is None:
        return None
    head = next((i for i in range(at, -1, -1) if lines[i].lstrip().startswith("[")), 0)
    end = next((i for i in range(at + 1, len(lines)) if lines[i].lstrip().startswith("[[")), len(lines))
    written = re.compile(rf"\s*{re.escape(key.rsplit('.', 1)[-1])}\s*=")  # 「thresholds.x」 is 「x = …」 in its table
    return next((i for i in range(head, end) if written.match(lines[i])), at) + 1


def _unfilled(path: str, text: str) -> list[Finding]:
    """Every field still holding ``rules init``'s placeholder, by line (commented lines are not fields)."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if PLACEHOLDER in line and not line.lstrip().startswith("#"):
            key = line.split("=", 1)[0].strip()
            message = Message("authoring.unfilled_line", {"line": number})
            out.append(Finding("file", Path(path).name, key, "document", "fail", message))
    return out


def _copy(doc: Document, copy: SourceText | None) -> Copy:
    return Copy(doc.id, doc.label, doc.source, doc.grade, doc.seen,
                copy.name if copy is not None else None, copy.sha256 if copy is not None else None)  # fmt: skip


def _pair(
    documents: Sequence[Document], copies: Mapping[str, SourceText] | Sequence[SourceText]
) -> dict[str, SourceText]:
    """Each document's copy: as given by id, or matched by file name or stem."""
    known = [d.id for d in documents]
    if isinstance(copies, Mapping):
        for doc_id in copies:
            if doc_id not in known:
                raise InputError("authoring.unknown_document", field="source", value=doc_id, documents=known)
        return dict(copies)
    if len(documents) == 1 and len(copies) == 1:
        return {documents[0].id: copies[0]}
    paired: dict[str, SourceText] = {}
    for copy in copies:
        match = [d.id for d in documents if copy.name == Path(d.source).name or Path(copy.name).stem == d.id]
        if not match:
            raise InputError("authoring.copy_unmatched", field="source", value=copy.name, documents=known)
        paired[match[0]] = copy
    return paired
