"""Resolution: which rules apply to a jurisdiction, area type and date.

A :class:`Plan` is the resolved rule set for one (jurisdiction, area type, date period,
drafts) case. The numeric core (:mod:`facility_sizing.engine.core`) evaluates a plan over arrays;
the batch API resolves each distinct case once and shares the plan among its rows.

Semantics (see ``docs/interpretation.md``):

* A document applies from ``effective_from`` to ``effective_until`` (inclusive). A date before
  every document of the jurisdiction and its ancestors is an error naming the earliest
  document and its date; a draft applies only when the caller opts in.
* For floor area, outdoor area and slots, the nearest level of the hierarchy that sets any
  figure for the quantity supplies all of that quantity's figures (a district's own standard
  replaces its city's); a quantity no level sets has *no figure* and the plan says so.
* Floor limits combine across levels: the strictest applies.
* Qualitative obligations accumulate across levels.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..errors import AreaTypeError, DraftOnlyError, NotInForceError, ReportedOnlyError, RuleConflictError, bilingual
from ..messages import Message
from ..model.bases import BASES
from ..model.entities import Division, Document, Rule
from ..model.quantities import QUANTITIES, evaluation_order
from ..model.vocabulary import Label
from ..ruledata import RuleBook, area_type_terms
from .figures import HeldBack, NoFigure, Term, held_back
from .notices import notice_days, notices, plan_period_notice

__all__ = [
    "NoFigure",
    "Plan",
    "QuantityPlan",
    "Term",
    "breakpoints",
    "documents_in_force",
    "period_start",
    "resolve",
]


@dataclass(frozen=True)
class QuantityPlan:
    """The figure rules that size one quantity, or why there are none."""

    quantity: str
    terms: tuple[Term, ...]
    no_figure: NoFigure | None

    @property
    def has_figure(self) -> bool:
        """True when some rule sets a figure for the quantity."""
        return bool(self.terms)

    @property
    def listed(self) -> bool:
        """Whether results list the quantity: a core one always, an optional one where a rule names it."""
        unmet = self.no_figure is not None and bool(self.no_figure.unmet)
        return self.has_figure or unmet or not QUANTITIES[self.quantity].optional


@dataclass(frozen=True)
class Plan:
    """The resolved rules for one jurisdiction, area type, date period and drafts choice."""

    division: Division
    area_type: str
    area_term: str
    start: dt.date
    end: dt.date | None
    include_drafts: bool
    quantities: dict[str, QuantityPlan]
    obligations: tuple[Term, ...]
    documents: tuple[Document, ...]
    warnings: tuple[str, ...]
    stale: bool
    include_reported: bool = False
    #: (Chinese, English) notices about time: a status checked long ago, targets and deadlines past
    notices: tuple[tuple[str, str], ...] = ()
    #: the first day of the rules' period, ignoring the days a notice starts (the rule set's key)
    rules_from: dt.date | None = None

    @cached_property
    def draft(self) -> bool:
        """True if any rule the plan uses comes from a consultation draft (worked out once per plan)."""
        return any(d.is_draft for d in self.documents)

    @cached_property
    def reported(self) -> bool:
        """True if any rule the plan uses comes from a document known by report only (worked out once per plan)."""
        return any(d.is_reported for d in self.documents)

    @cached_property
    def order(self) -> list[str]:
        """The quantities with a figure, each after the quantities its terms need (worked out once per plan)."""
        depends = {
            q: [d for t in qp.terms for d in BASES[t.rule.basis or ""].after_quantities(q)]
            for q, qp in self.quantities.items()
        }
        return [spec.key for spec in evaluation_order((q for q, qp in self.quantities.items() if qp.terms), depends)]

    def quantities_needing(self, name: str) -> set[str]:
        """The quantities that need the project input ``name``, directly or through another quantity."""
        needing = {
            q for q, qp in self.quantities.items() for t in qp.terms if name in BASES[t.rule.basis or ""].needs_inputs()
        }
        grew = True
        while grew:
            more = {
                q
                for q, qp in self.quantities.items()
                for t in qp.terms
                if q not in needing and set(BASES[t.rule.basis or ""].after_quantities(q)) & needing
            }
            needing |= more
            grew = bool(more)
        return needing

    def term_needing(self, name: str) -> Term | None:
        """The first term whose basis needs the project input ``name`` (``households``, ``population``)."""
        for qp in self.quantities.values():
            for t in qp.terms:
                if name in BASES[t.rule.basis or ""].needs_inputs():
                    return t
        return None

    @cached_property
    def key(self) -> str:
        """A short identifier of the rule set, e.g. ``330106/new_build/2021-09-20`` (made once per plan)."""
        tail = ("+drafts" if self.include_drafts else "") + ("+reported" if self.include_reported else "")
        return f"{self.division.code}/{self.area_type}/{(self.rules_from or self.start).isoformat()}{tail}"


@lru_cache(maxsize=4096)
def breakpoints(
    book: RuleBook, code: str, include_reported: bool = True, with_notices: bool = True
) -> tuple[dt.date, ...]:
    """Dates on which the applicable rules or their warnings can change, for a division's chain.

    Without ``include_reported``, the dates of documents known by report only are left out, so that
    a result that does not use them names its rule set exactly as before they were known.
    """
    days: set[dt.date] = set()
    for div in book.chain(code):
        for doc in book.documents.get(div.code, ()):
            if doc.is_reported and not include_reported:
                continue
            days.add(doc.effective_from)
            if doc.effective_until is not None:
                days.add(doc.effective_until + dt.timedelta(days=1))
            if doc.plan_period_end is not None:
                days.add(doc.plan_period_end + dt.timedelta(days=1))
            if with_notices:
                days |= notice_days(doc)
        if with_notices:
            deadlines = (r.deadline for r in book.rules.get(div.code, ()) if r.deadline is not None)
            days |= {d + dt.timedelta(days=1) for d in deadlines}
    return tuple(sorted(days))


def period_start(bps: tuple[dt.date, ...], on: dt.date) -> dt.date:
    """The first day of the period of ``on`` between breakpoints (every day in it resolves alike)."""
    before = [b for b in bps if b <= on]
    if before:
        return before[-1]
    return (bps[0] - dt.timedelta(days=1)) if bps else dt.date.min


def resolve(
    book: RuleBook,
    division: Division,
    area_type: str,
    on: dt.date,
    include_drafts: bool,
    include_reported: bool = False,
) -> Plan:
    """Resolve the rules for a case; raises a typed error if none can apply.

    Every date between two breakpoints resolves to the same plan, so the plan is computed
    (and cached) once per period, at the period's first day.
    """
    start = period_start(breakpoints(book, division.code, include_reported), on)
    try:
        return _resolve_cached(book, division.code, area_type, start, include_drafts, include_reported)
    except (NotInForceError, DraftOnlyError, ReportedOnlyError):
        # the period's first day may be earlier than a document left out of its breakpoints (one
        # known by report): say why nothing applies on the day asked, not on the period's first day
        documents_in_force(book, book.chain(division.code), on, include_drafts, include_reported)
        raise


def _applicable(doc: Document, include_drafts: bool, include_reported: bool) -> bool:
    return doc.grade_admitted(include_reported) and (include_drafts or not doc.is_draft)


def documents_in_force(
    book: RuleBook, chain: list[Division], on: dt.date, include_drafts: bool, include_reported: bool = False
) -> list[Document]:
    """The documents of a division and its ancestors that apply on ``on``.

    Drafts apply only if asked, documents known by report only if asked; a document that another
    one in force expressly replaces (its ``replaces``) is left out.

    Raises
    ------
    NotInForceError
        If the library has no document for the chain, or none applies on the date.
    ReportedOnlyError
        If only documents known by report apply and ``include_reported`` is False.
    DraftOnlyError
        If only a consultation draft applies and ``include_drafts`` is False.
    """
    division = chain[0]
    all_docs = [doc for div in chain for doc in book.documents.get(div.code, ())]
    if not all_docs:
        searched = [d for d in chain if d.code != "CN"]
        raise NotInForceError("plan.no_document", place=_place(division), searched=[_place(d, True) for d in searched])
    dated = [doc for doc in all_docs if doc.applies_on(on)]
    docs = [doc for doc in dated if _applicable(doc, include_drafts, include_reported)]
    replaced = {r for doc in docs for r in doc.replaces}
    docs = [doc for doc in docs if doc.id not in replaced]
    own_not_applying = docs and all(d.is_reported for d in docs) and any(not d.is_reported for d in all_docs)
    if not docs or own_not_applying:
        # a report never stands in for a document whose text was seen but that does not apply as
        # asked (a draft not opted in, or one not yet in force): that document is the answer
        _raise_none_applies(book, division, chain, all_docs, dated, on)
    return docs


def _raise_none_applies(
    book: RuleBook,
    division: Division,
    chain: list[Division],
    all_docs: list[Document],
    dated: list[Document],
    on: dt.date,
) -> None:
    """The error when documents exist but none applies as asked: only reported, only a draft, or not on the date.

    Documents whose text was seen come first: a district whose own document is a draft is told
    about the draft, and one whose document is not yet in force about its date, not about a
    reported document of its city; only where every document is known by report is that the answer.
    """
    seen = [d for d in all_docs if not d.is_reported]
    reported = [d for d in dated if d.is_reported]
    if reported and not seen:
        told = reported_message(book, division, chain, reported)
        raise ReportedOnlyError(told.key, **told.params)
    dated = [d for d in dated if not d.is_reported]
    all_docs = seen or all_docs
    weak = [d for d in dated if not d.grade_admitted()]  # e.g. unverified: never a source for sizing
    if weak and len(weak) == len(dated):
        raise NotInForceError("plan.unverified", place=_place(division), title=_title(weak[0]), grade=weak[0].grade)
    if dated:
        draft = next(d for d in dated if d.is_draft) if any(d.is_draft for d in dated) else dated[0]
        raise DraftOnlyError("plan.draft_only", place=_place(division), title=_title(draft))
    later = sorted((d for d in all_docs if d.effective_from > on), key=lambda d: d.effective_from)
    if later:
        first = later[0]
        # the date the library applies the document from, and what the document itself says of it:
        # a 施行日期 only where the document states one (a draft has none; Suzhou and Keqiao state none)
        raise NotInForceError(
            "plan.before_first_draft" if first.is_draft else "plan.before_first",
            on=on.isoformat(),
            label=first.label,
            start=first.effective_from.isoformat(),
            said=Label(*first.date_of_effect()),
            place=_place(division),
        )
    ended = max(all_docs, key=lambda d: d.effective_until or dt.date.min)
    raise NotInForceError("plan.ended", place=_place(division), label=ended.label, until=str(ended.effective_until))


def known_by_report(book: RuleBook, division: Division, area_type: str, on: dt.date) -> tuple[Document, ...]:
    """Documents known by report only that would set rules for this place and area type on ``on``."""
    return tuple(
        doc
        for div in book.chain(division.code)
        for doc in book.documents.get(div.code, ())
        if doc.is_reported
        and doc.applies_on(on)
        and any(r.document.id == doc.id and area_type in r.area_types for r in book.rules.get(div.code, ()))
    )


def reported_message(book: RuleBook, division: Division, chain: list[Division], reported: list[Document]) -> Message:
    """What the documents known by report would set, and how to opt in to them."""
    parts = []
    for doc in reported:
        figures = [r for r in book.rules.get(doc.jurisdiction, ()) if r.document.id == doc.id and r.is_figure]
        owner = book.division(doc.jurisdiction).name if doc.jurisdiction in book.divisions else doc.jurisdiction
        sets_zh = "；".join(dict.fromkeys(f"“{r.text}”" for r in figures)) or "无数值"
        sets_en = "; ".join(r.summary_en.rstrip(".") for r in figures) or "no figure"
        parts.append(
            Message(
                "plan.reported_part",
                {"owner": owner, "title": _title(doc), "seen": doc.seen or doc.source, "sets": Label(sets_zh, sets_en)},
            )
        )
    searched = [_place(d, True) for d in chain if d.code != "CN"]
    return Message("plan.reported_only", {"searched": searched, "place": _place(division), "parts": parts})


def _place(division: Division, with_code: bool = False) -> Label:
    """A division's name in both languages, with its code where a message lists the places searched."""
    if with_code:
        return Label(f"{division.name}（{division.code}）", f"{division.name_en} ({division.code})")
    return Label(division.name, division.name_en)


def _title(doc: Document) -> Label:
    """A document's title in both languages."""
    return Label(doc.title, doc.title_en)


@lru_cache(maxsize=4096)
def _resolve_cached(
    book: RuleBook, code: str, area_type: str, on: dt.date, include_drafts: bool, include_reported: bool
) -> Plan:
    chain = book.chain(code)
    division = chain[0]
    docs = documents_in_force(book, chain, on, include_drafts, include_reported)

    doc_ids = {doc.id for doc in docs}
    live_codes = [div.code for div in chain if any(d.jurisdiction == div.code for d in docs)]
    terms_by_area = area_type_terms(book, live_codes)
    if area_type not in terms_by_area:
        valid = [Label(f"{k}（{v}）", k) for k, v in terms_by_area.items()]
        raise AreaTypeError(
            "plan.area_type_not_distinguished", field="area_type", value=area_type, place=_place(division), valid=valid
        )

    def applicable(div: Division) -> list[Rule]:
        return [r for r in book.rules.get(div.code, ()) if r.document.id in doc_ids and area_type in r.area_types]

    per_level = [(div, applicable(div)) for div in chain]
    obligations = tuple(
        Term(r, div, i > 0) for i, (div, rules) in enumerate(per_level) for r in rules if not r.is_figure
    )
    held = held_back(book, chain, area_type, doc_ids, on, include_drafts, include_reported)
    quantities = _quantity_plans(per_level, obligations, tuple(chain), on, held)

    used_ids = {t.rule.document.id for q in quantities.values() for t in q.terms}
    used_ids |= {t.rule.document.id for t in obligations}
    used_docs = tuple(d for d in docs if d.id in used_ids)
    warnings, stale = _warnings(used_docs, on)
    told = notices(used_docs, (t.rule for t in obligations), on)
    warnings += tuple(bilingual(zh, en) for zh, en in told)
    bps = breakpoints(book, code, include_reported)
    start = on
    end_candidates = [b for b in bps if b > on]
    end = (min(end_candidates) - dt.timedelta(days=1)) if end_candidates else None
    return Plan(
        division=division,
        area_type=area_type,
        area_term=terms_by_area[area_type],
        start=start,
        end=end,
        include_drafts=include_drafts,
        quantities=quantities,
        obligations=obligations,
        documents=used_docs,
        warnings=warnings,
        stale=stale,
        include_reported=include_reported,
        notices=told,
        rules_from=period_start(breakpoints(book, code, include_reported, with_notices=False), on),
    )


def _warnings(used_docs: tuple[Document, ...], on: dt.date) -> tuple[tuple[str, ...], bool]:
    """What a result must say of its documents: drafts and reports; and whether a plan period is past."""
    warnings: list[str] = []
    stale = False
    for doc in used_docs:
        if doc.is_reported:
            warnings.append(
                bilingual(
                    f"取自《{doc.title}》的数值仅见于报道（{doc.seen or doc.source}），未见原文；用于正式文书前须核实原文",
                    f"figures from '{doc.title_en}' are known by report only ({doc.seen or doc.source}), the text "
                    "not seen; check the original before using them in a formal document",
                )
            )
        if doc.is_draft:
            warnings.append(
                bilingual(
                    f"取自征求意见稿《{doc.title}》的数值不是正式规则（草案）；用于正式文书前请核实是否已有正式文件",
                    f"figures from the consultation draft '{doc.title_en}' are not law (draft); before using them "
                    "in a formal document, check whether a final version was issued",
                )
            )
        # a plan period past is said among the notices (engine/notices.py); here it only marks the result stale
        stale = stale or plan_period_notice(doc, on) is not None
    return tuple(warnings), stale


def _level_terms(quantity: str, per_level: list[tuple[Division, list[Rule]]], on: dt.date) -> list[Term]:
    """The figure terms of one quantity, combined across levels as its declaration says."""
    spec = QUANTITIES[quantity]
    found: list[Term] = []
    for i, (div, rules) in enumerate(per_level):
        level_terms = [Term(r, div, i > 0) for r in rules if r.quantity == quantity]
        _check_conflicts(level_terms, on)
        found.extend(level_terms)
        if found and spec.levels == "nearest":
            break  # nearest level that sets the quantity supplies it entirely (no quantity reads so today)
    if spec.levels == "strictest" and found:
        found = _undominated(found, spec.direction == "at_most")
    if len(found) > 8:  # which terms bind is a bitmask of 8 bits per row (engine/core.py)
        raise RuleConflictError("plan.too_many_terms", quantity=QUANTITIES[quantity].label, count=len(found))
    return found


#: How binding a rule's wording is, for comparing limits: 不得 outranks 一般, which outranks 原则上.
_FORCE = {"mandatory": 3, "generally": 2, "in_principle": 1}


def _undominated(terms: list[Term], at_most: bool) -> list[Term]:
    """The limits that still say something once the others are known, nearest level first.

    A limit is dominated by another that is as strict and binds as firmly (a mandatory floor 2
    makes a "generally" floor 3 redundant), but not by a stricter one that binds less firmly (a
    "generally" floor 2 leaves a mandatory floor 3 standing: both are stated).
    """

    def as_strict(a: Term, b: Term) -> bool:
        va, vb = a.rule.value or 0, b.rule.value or 0
        return va <= vb if at_most else va >= vb

    kept: list[Term] = []
    for t in terms:
        force = _FORCE.get(t.rule.strength, 0)
        dominated = any(
            u is not t
            and as_strict(u, t)
            and _FORCE.get(u.rule.strength, 0) >= force
            and (
                u.rule.value != t.rule.value
                or _FORCE.get(u.rule.strength, 0) > force
                or terms.index(u) < terms.index(t)
            )
            for u in terms
        )
        if not dominated:
            kept.append(t)
    return kept


def _quantity_plans(
    per_level: list[tuple[Division, list[Rule]]],
    obligations: tuple[Term, ...],
    chain: tuple[Division, ...],
    on: dt.date,
    held: HeldBack | None = None,
) -> dict[str, QuantityPlan]:
    """Every declared quantity's terms, or why it has none (no rule, or a quantity it needs has none)."""
    found = {q: _level_terms(q, per_level, on) for q in QUANTITIES}
    depends = {
        q: [d for t in terms for d in BASES[t.rule.basis or ""].after_quantities(q)] for q, terms in found.items()
    }
    unmet: dict[str, tuple[Term, ...]] = {}
    known: dict[str, tuple[Term, ...]] = {}
    for spec in evaluation_order(found, depends):
        missing = [
            t for t in found[spec.key] if any(not found[d] for d in BASES[t.rule.basis or ""].needs_quantities())
        ]
        if missing:
            unmet[spec.key] = tuple(missing)
            known[spec.key] = tuple(t for t in found[spec.key] if BASES[t.rule.basis or ""].constant)
            found[spec.key] = []  # a term that cannot be computed leaves the quantity unknown, never smaller
    plans: dict[str, QuantityPlan] = {}
    for quantity, terms in found.items():
        no_figure = None
        if not terms:
            governing = tuple(t for t in obligations if quantity in t.rule.replaces_figure_for)
            left = held.left_out.get(quantity, ()) if held is not None else ()
            without = held.without_data if held is not None else ()
            reported = held.reported_only if held is not None else ()
            national = (held.national or {}).get(quantity, ()) if held is not None else ()
            no_figure = NoFigure(
                quantity,
                governing,
                chain,
                unmet.get(quantity, ()),
                known.get(quantity, ()),
                left,
                without,
                reported,
                national,
            )
        plans[quantity] = QuantityPlan(quantity, tuple(terms), no_figure)
    return plans


def _check_conflicts(terms: list[Term], on: dt.date) -> None:
    seen: dict[tuple[str, str | None], Term] = {}
    for term in terms:
        key = (term.rule.quantity, term.rule.basis)
        if key in seen:
            other = seen[key].rule
            raise RuleConflictError(
                "plan.conflict",
                place=_place(term.source),
                on=on.isoformat(),
                first=other.id,
                first_citation=other.citation(),
                second=term.rule.id,
                second_citation=term.rule.citation(),
            )
        seen[key] = term
