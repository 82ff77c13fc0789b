"""A red-lined comparison (修订对照) of two results of one project (plain data).

Built by :func:`facility_sizing.compare`: per quantity, the old and the new figure, how it
changed, the rules and documents behind each and the date of the change; per sentence of the
condition clause, the old and the new text and whether it changed; both results' stamps.
Reports are rendered by :mod:`facility_sizing.render.compare`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

import pandas as pd

from ..model.entities import Rule
from ..model.quantities import QUANTITIES
from ..model.vocabulary import CHANGES, SENTENCE_CHANGES, Label
from .hooks import render
from .requirement import Requirement

__all__ = ["Comparison", "DatedDocument", "QuantityChange", "RuleRef", "SentenceChange", "date_of_change"]


class DatedDocument(NamedTuple):
    """A document as a date of change names it: its label and its dates."""

    label: str
    effective_from: dt.date
    effective_from_stated: bool
    effective_until: dt.date | None


@dataclass(frozen=True)
class RuleRef:
    """A rule behind a figure, as a comparison cites it: the rule, its document, clause and grade."""

    rule: str
    document: str
    document_id: str
    clause: str
    grade: str
    effective_from: dt.date
    effective_from_stated: bool
    effective_until: dt.date | None = None
    #: how binding the rule is (mandatory, in_principle, generally …) and its condition, if any:
    #: a figure unchanged under a softer or conditional rule is not 「未变」
    strength: str | None = None
    condition: str | None = None

    @classmethod
    def of(cls, rule: Rule) -> RuleRef:
        """The reference to ``rule``."""
        doc = rule.document
        return cls(
            rule.id,
            doc.label,
            doc.id,
            rule.clause,
            doc.grade,
            doc.effective_from,
            doc.effective_from_stated,
            doc.effective_until,
            rule.strength,
            rule.condition,
        )

    @property
    def citation(self) -> str:
        """Document number and clause, e.g. ``西政办函〔2021〕15号 二(三)1``."""
        return f"{self.document} {self.clause}"

    @property
    def dated(self) -> DatedDocument:
        """The rule's document with its dates."""
        return DatedDocument(self.document, self.effective_from, self.effective_from_stated, self.effective_until)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form."""
        return {
            "rule": self.rule,
            "document": self.document,
            "document_id": self.document_id,
            "clause": self.clause,
            "grade": self.grade,
            "effective_from": self.effective_from.isoformat(),
            "effective_from_stated": self.effective_from_stated,
            "effective_until": None if self.effective_until is None else self.effective_until.isoformat(),
        }


def date_of_change(
    earlier: Sequence[DatedDocument], later: Sequence[DatedDocument]
) -> tuple[dt.date | None, bool, str | None]:
    """When a figure changed: ``(date, stated, document label)``, or ``(None, False, None)``.

    ``earlier`` are the documents behind the figure on the earlier date, ``later`` those on the
    later date. A document behind the later figure only changed it on its ``effective_from``
    (``stated`` says whether the document itself gives that date); failing that, a document behind
    the earlier figure only changed it by ceasing to apply, the day after its ``effective_until``
    (a date the library infers, so never ``stated``). Documents on both sides changed nothing.

    Examples
    --------
    >>> old = DatedDocument("甲〔2026〕1号", dt.date(2026, 1, 1), True, dt.date(2026, 12, 31))
    >>> new = DatedDocument("甲〔2027〕1号", dt.date(2027, 1, 1), False, None)
    >>> date_of_change([old], [new])
    (datetime.date(2027, 1, 1), False, '甲〔2027〕1号')
    >>> date_of_change([old], [])
    (datetime.date(2027, 1, 1), False, '甲〔2026〕1号')
    >>> date_of_change([old], [old])
    (None, False, None)
    """
    before = {d.label for d in earlier}
    after = {d.label for d in later}
    came = [d for d in later if d.label not in before]
    if came:
        doc = max(came, key=lambda d: d.effective_from)
        return doc.effective_from, doc.effective_from_stated, doc.label
    went = [d for d in earlier if d.label not in after and d.effective_until is not None]
    if went:
        doc = max(went, key=lambda d: d.effective_until or dt.date.min)
        return (doc.effective_until or dt.date.min) + dt.timedelta(days=1), False, doc.label
    return None, False, None


@dataclass(frozen=True)
class QuantityChange:
    """How one quantity's figure changed.

    ``change`` is one of :data:`~facility_sizing.model.vocabulary.CHANGES`: ``same``,
    ``basis_changed`` (the same figure from other rules), ``raised``, ``lowered``, ``added`` (no
    figure before) or ``removed`` (no figure now). ``changed_on`` is the date of the change (see
    :func:`date_of_change`), ``changed_by`` the document whose date it is.
    """

    quantity: str
    old: float | int | None
    new: float | int | None
    change: str
    old_rules: tuple[RuleRef, ...]
    new_rules: tuple[RuleRef, ...]
    changed_on: dt.date | None = None
    changed_on_stated: bool = False
    changed_by: str | None = None

    @property
    def label(self) -> Label:
        """The quantity's name, e.g. 建筑面积 / floor area."""
        return QUANTITIES[self.quantity].label

    @property
    def unit(self) -> Label:
        """The unit of the figures (m², 托位 / slots, 层 / storey)."""
        return QUANTITIES[self.quantity].unit

    @property
    def change_label(self) -> Label:
        """How the figure changed, in words."""
        return CHANGES[self.change]

    @property
    def basis_changed(self) -> bool:
        """True when other rules, documents, clauses or grades stand behind the new figure."""
        return self.old_rules != self.new_rules

    @property
    def stricter(self) -> bool | None:
        """True when the change asks more of the project (a higher requirement, a lower limit, a
        new figure), False when less, None when the figure did not change."""
        if self.change in ("same", "basis_changed"):
            return None
        if self.change in ("added", "removed"):
            return self.change == "added"
        at_least = QUANTITIES[self.quantity].direction == "at_least"
        return (self.change == "raised") == at_least

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form."""
        return {
            "quantity": self.quantity,
            "label": {"zh": self.label.zh, "en": self.label.en},
            "unit": {"zh": self.unit.zh, "en": self.unit.en},
            "old": self.old,
            "new": self.new,
            "change": self.change,
            "stricter": self.stricter,
            "basis_changed": self.basis_changed,
            "old_rules": [r.to_dict() for r in self.old_rules],
            "new_rules": [r.to_dict() for r in self.new_rules],
            "changed_on": None if self.changed_on is None else self.changed_on.isoformat(),
            "changed_on_stated": self.changed_on_stated,
            "changed_by": self.changed_by,
        }


@dataclass(frozen=True)
class SentenceChange:
    """One sentence of the condition clause, before and after.

    ``key`` names the sentence across the two clauses (``sizing:floor_area``,
    ``obligations:co_delivery``, ``documents:西政办函〔2021〕15号``…); ``status`` is one of
    :data:`~facility_sizing.model.vocabulary.SENTENCE_CHANGES`.
    """

    key: str
    section: str
    old_zh: str | None
    new_zh: str | None
    old_en: str | None
    new_en: str | None
    status: str

    @property
    def status_label(self) -> Label:
        """The status in words."""
        return SENTENCE_CHANGES[self.status]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form."""
        return {
            "key": self.key,
            "section": self.section,
            "status": self.status,
            "old": {"zh": self.old_zh, "en": self.old_en},
            "new": {"zh": self.new_zh, "en": self.new_en},
        }


@dataclass(frozen=True)
class Comparison:
    """Two results of one project compared: the old (``a``) and the new (``b``).

    ``differs`` says what tells the two apart: ``on`` (the date), ``rule_data`` (the rule book)
    and ``library`` (the version), any of them, or none.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> project = dict(jurisdiction="西湖区", households=1334, population=3500, area_type="new_build",
    ...                include_reported=True)
    >>> cmp = fs.compare(fs.size(**project, on="2021-10-01"), fs.size(**project, on="2022-08-20"))
    >>> cmp.differs, cmp.changed
    (('on',), True)
    >>> cmp.to_frame()[["quantity", "old", "new", "change"]].values.tolist()
    [['floor_area', 200.1, 200.1, 'same'], ['outdoor_area', 40.0, 40.0, 'same'], ['slots', None, 35, 'added'], ['max_floor', 2, 2, 'same']]
    >>> [s.key for s in cmp.sentences if s.status != "same"]
    ['flags', 'sizing:slots', 'documents:浙江省优化生育政策实施意见（2022，据报道）', 'inputs:规则适用日期']
    >>> print(cmp.to_markdown().splitlines()[11])
    | 托位数 | 无指标 | 35 托位 | 新增数值（原无指标） | （无） → 浙江省优化生育政策实施意见（2022，据报道） （条款号未见）（据报道） | 2022年8月13日（据报道日期，施行日期未见原文） |
    """

    old: Requirement
    new: Requirement
    quantities: tuple[QuantityChange, ...]
    sentences: tuple[SentenceChange, ...]
    differs: tuple[str, ...] = ()

    @property
    def old_stamp(self) -> dict[str, Any]:
        """What reproduces the old result (:attr:`Requirement.stamp`)."""
        return self.old.stamp

    @property
    def new_stamp(self) -> dict[str, Any]:
        """What reproduces the new result."""
        return self.new.stamp

    @property
    def changed(self) -> bool:
        """True when any figure, rule or clause sentence changed."""
        return any(q.change != "same" for q in self.quantities) or any(s.status != "same" for s in self.sentences)

    def quantity(self, key: str) -> QuantityChange:
        """The row of one quantity by its code (``floor_area``)."""
        for row in self.quantities:
            if row.quantity == key:
                return row
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form."""
        return {
            "jurisdiction": {"code": self.new.jurisdiction.code, "name": self.new.jurisdiction.name},
            "area_type": self.new.area_type,
            "differs": list(self.differs),
            "changed": self.changed,
            "old_stamp": self.old_stamp,
            "new_stamp": self.new_stamp,
            "quantities": [q.to_dict() for q in self.quantities],
            "sentences": [s.to_dict() for s in self.sentences],
        }

    def to_json(self, **kwargs: Any) -> str:
        """The :meth:`to_dict` form as JSON (Chinese kept readable)."""
        kwargs.setdefault("ensure_ascii", False)
        kwargs.setdefault("indent", 2)
        return json.dumps(self.to_dict(), **kwargs)

    def to_frame(self, part: str = "quantities") -> pd.DataFrame:
        """One row per quantity (``part="quantities"``) or per clause sentence (``"sentences"``).

        Several rules behind one figure (a tie) are joined with ``"; "``.
        """
        if part == "sentences":
            return pd.DataFrame(
                [asdict(s) for s in self.sentences],
                columns=["key", "section", "status", "old_zh", "new_zh", "old_en", "new_en"],
            )
        if part != "quantities":
            raise ValueError(f"part must be 'quantities' or 'sentences', got {part!r}")
        rows = [_quantity_row(q) for q in self.quantities]
        columns = ["quantity", "old", "new", "change", "stricter"]
        columns += [f"{side}_{field}" for side in ("old", "new") for field in _REF_FIELDS]
        frame = pd.DataFrame(rows, columns=[*columns, "changed_on", "changed_on_stated", "changed_by"])
        for side in ("old", "new"):  # each row in its own unit: slots stay whole, no figure stays None
            frame[side] = pd.Series([getattr(q, side) for q in self.quantities], dtype=object)
        return frame

    # -- rendering (by the renderers of facility_sizing.render) --------------------------

    def to_text(self, lang: str = "zh") -> str:
        """The 修订对照 as plain text: deletions 〔删：…〕, insertions 〔增：…〕."""
        return str(render("comparison.text", self, lang))

    def to_markdown(self, lang: str = "zh") -> str:
        """The 修订对照 as Markdown: deletions ``~~…~~``, insertions ``**…**``."""
        return str(render("comparison.markdown", self, lang))

    def to_html(self, lang: str = "zh") -> str:
        """The 修订对照 as an HTML fragment: ``<del>`` and ``<ins>``."""
        return str(render("comparison.html", self, lang))

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return self.to_html()


#: The fields of a rule reference that a comparison's table gives for each side.
_REF_FIELDS = ("rule", "document", "clause", "grade")


def _quantity_row(q: QuantityChange) -> dict[str, Any]:
    row: dict[str, Any] = {"quantity": q.quantity, "old": q.old, "new": q.new, "change": q.change}
    row["stricter"] = q.stricter
    for side, rules in (("old", q.old_rules), ("new", q.new_rules)):
        for field in _REF_FIELDS:
            row[f"{side}_{field}"] = "; ".join(getattr(r, field) for r in rules)
    row.update(changed_on=q.changed_on, changed_on_stated=q.changed_on_stated, changed_by=q.changed_by)
    return row
