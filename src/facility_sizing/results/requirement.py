"""The result of sizing one project: figures, the rules behind them, and what bound."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, make_dataclass
from functools import cached_property
from os import PathLike
from typing import Any, Literal, TypeAlias, TypeVar, overload

from ..engine.plan import Plan
from ..engine.statements import no_residents_words
from ..errors import InputError
from ..messages import Audience, Message
from ..model.entities import Division, Document, Rule
from ..model.memo import ByIdentity
from ..model.quantities import QUANTITIES
from ..model.vocabulary import Label
from .hooks import render

__all__ = ["Requirement", "RuleUse", "assembled"]

T = TypeVar("T")

#: A dataclass's fields in order, each with its default (``_REQUIRED`` where it has none), and the required ones.
_Fields: TypeAlias = tuple[dict[str, Any], frozenset[str]] | None
_REQUIRED = object()
_FIELDS: dict[type, _Fields] = {}


def _fields_of(cls: type) -> _Fields:
    """The fields :func:`assembled` sets, or None where the class's own ``__init__`` must run (it does more)."""
    if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__") or hasattr(cls, "__slots__"):
        return None
    fields = dataclasses.fields(cls)
    if any(f.default_factory is not dataclasses.MISSING or not f.init for f in fields):
        return None
    template = {f.name: _REQUIRED if f.default is dataclasses.MISSING else f.default for f in fields}
    return template, frozenset(name for name, value in template.items() if value is _REQUIRED)


def assembled(cls: type[T], /, **given: Any) -> T:
    """``cls(**given)`` for a frozen dataclass, made without its ``__init__``'s ``object.__setattr__`` per field.

    A :class:`Requirement` has some thirty fields, and a frozen dataclass's ``__init__`` sets each
    through ``object.__setattr__``: a few microseconds of every ``fs.size``. The object made is the
    same (every field set, those not given to their defaults; equal, hashed and pickled alike). A
    class whose ``__init__`` does more (``__post_init__``, default factories, slots), or a call that
    misses or misnames a field, goes through ``cls(**given)`` itself.

    Examples
    --------
    >>> use = assembled(RuleUse, quantity="slots", kind="no_figure", rule=None, source="西湖区", inherited=False)
    >>> use == RuleUse("slots", "no_figure", None, "西湖区", False), use.via
    (True, ())
    """
    if cls not in _FIELDS:
        _FIELDS[cls] = _fields_of(cls)
    fields = _FIELDS[cls]
    if fields is None:
        return cls(**given)
    template, required = fields
    state = {**template, **given}  # in the fields' order, as __init__ sets them
    if len(state) != len(template) or not required <= given.keys():
        return cls(**given)  # its own TypeError
    made: T = object.__new__(cls)
    vars(made).update(state)
    return made


@dataclass(frozen=True)
class RuleUse:
    """How one rule entered a result.

    Attributes
    ----------
    quantity : str
        ``floor_area``, ``outdoor_area``, ``slots``, ``max_floor`` or ``obligation``.
    kind : str
        ``figure`` (a rule with a number), ``no_figure`` (no level sets the quantity) or
        ``obligation`` (a qualitative duty).
    rule : Rule or None
        The rule (None for ``no_figure``).
    source : str
        The division whose rule file holds the rule.
    inherited : bool
        True when the rule comes from a division above the one asked for.
    computed : float, int or None
        What this rule alone requires of the project (m², slots or storey).
    binding : bool
        True when this rule's figure is the requirement (ties mark every tied rule).
    message : str or None
        For ``no_figure``: why there is no number and what governs the quantity instead.
    via : tuple of Rule
        For a figure on a basis that needs another quantity (outdoor area per slot): the rules
        that set that quantity, which the figure also rests on.
    unmet : tuple of Rule
        For ``no_figure``: rules that set the quantity on a basis whose input quantity has no
        figure, so that nothing could be computed.
    known : tuple of Rule
        For ``no_figure`` with ``unmet``: the constant rules (a minimum) that are known all the same.
    """

    quantity: str
    kind: str
    rule: Rule | None
    source: str
    inherited: bool
    computed: float | int | None = None
    binding: bool = False
    message: str | None = None
    via: tuple[Rule, ...] = ()
    unmet: tuple[Rule, ...] = ()
    known: tuple[Rule, ...] = ()
    #: For ``no_figure``: :attr:`message` in each language (``words.zh``, ``words.en``).
    words: Label | None = None

    @property
    def draft(self) -> bool:
        """True when the rule, or a rule its figure rests on, comes from a consultation draft."""
        if self.rule is None:
            return False
        return self.rule.document.is_draft or any(r.document.is_draft for r in self.via)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form."""
        return self.payload(_own_dict)

    def payload(self, part: Callable[[Any], Any]) -> dict[str, Any]:
        """The :meth:`to_dict` form with ``part(rule)`` for the rule (see :meth:`Requirement.payload`)."""
        out: dict[str, Any] = {
            "quantity": self.quantity,
            "kind": self.kind,
            "source": self.source,
            "inherited": self.inherited,
            "computed": self.computed,
            "binding": self.binding,
            "draft": self.draft,
            "message": self.message,
        }
        out["rule"] = None if self.rule is None else part(self.rule)
        if self.via or self.unmet or self.known:  # only for the kinds of figure that have them
            out["via"] = [r.id for r in self.via]
            out["unmet"] = [r.id for r in self.unmet]
            out["known"] = [r.id for r in self.known]
        return out


def _own_dict(part: Any) -> Any:
    """A part of a result in its own plain form."""
    return part.to_dict()


#: One field per quantity of the registry (``floor_area_m2``, ``slots``…), None where no rule sets
#: a figure: a new quantity is a new field of every result at once.
_Figures = make_dataclass(
    "_Figures",
    [
        (q.column, float | None if q.is_area else int | None, field(default=None, kw_only=True))
        for q in QUANTITIES.values()
    ],
    frozen=True,
)


#: What a stamp says of a plan's documents: each one's grade, and the drafts (made once per plan).
_STAMPED = ByIdentity(
    lambda plan: ({d.id: d.grade for d in plan.documents}, tuple(d.id for d in plan.documents if d.is_draft))
)


@dataclass(frozen=True)
class Requirement(_Figures):  # type: ignore[misc,valid-type]  # its figure fields come from the registry
    """The infant-care facility a residential project must provide.

    Its figure fields, one per quantity of :data:`~facility_sizing.model.quantities.QUANTITIES`,
    are the registry's columns (keyword-only).

    A quantity the rules set no figure for is ``None`` — never 0 — and :attr:`rules` holds a
    ``no_figure`` entry saying why. Areas are exact, rounded up only to 0.01 m²; slots are
    whole and rounded up.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> req = fs.size(jurisdiction="西湖区", households=1200, area_type="new_build", on="2025-01-01")
    >>> req.floor_area_m2, req.outdoor_area_m2, req.slots, req.max_floor
    (200.0, 40.0, None, 2)
    >>> [u.rule.id for u in req.rules if u.binding]
    ['xihu.new_build.floor_area.minimum', 'xihu.new_build.outdoor_area.minimum', 'xihu.max_floor']
    """

    jurisdiction: Division
    area_type: str
    area_term: str
    on: dt.date
    include_drafts: bool
    households: float | None
    population: float | None
    persons_per_household: float | None
    households_derived: bool
    population_derived: bool
    rules: tuple[RuleUse, ...]
    warnings: tuple[str, ...]
    plan: Plan
    include_reported: bool = False
    known_by_report: tuple[Document, ...] = ()
    #: what produced the figures: library version and rule-data digest (see :attr:`stamp`)
    produced_by: tuple[tuple[str, str], ...] = ()
    #: which input the caller said to trust when households and population contradict each other
    trust: str | None = None
    #: the given value ``trust`` set aside, as (input name, value): shown wherever the result is
    set_aside: tuple[str, float] | None = None
    #: every other basis input the project gave (a registry row with ``basis=``), as (name, value)
    given: tuple[tuple[str, float], ...] = ()

    # -- convenience --------------------------------------------------------------------

    @property
    def draft(self) -> bool:
        """True when any figure or obligation comes from a consultation draft."""
        return self.plan.draft

    @property
    def reported(self) -> bool:
        """True when any figure or obligation comes from a document known by report only."""
        return self.plan.reported

    @property
    def stale(self) -> bool:
        """True when the date is after a used document's plan period."""
        return self.plan.stale

    @property
    def rule_set(self) -> str:
        """Identifier of the resolved rule set, as in ``size_frame``'s ``rule_set`` column."""
        return self.plan.key

    @property
    def obligations(self) -> tuple[RuleUse, ...]:
        """The qualitative obligations (no figure) that come with the requirement."""
        return tuple(u for u in self.rules if u.kind == "obligation")

    @property
    def duties(self) -> tuple[RuleUse, ...]:
        """The obligations of whoever provides the facility (not the government's tasks)."""
        return tuple(u for u in self.obligations if u.rule is not None and u.rule.addressee == "project")

    @property
    def government_tasks(self) -> tuple[RuleUse, ...]:
        """Obligations addressed to the government (a layout plan, a service circle): context, not duties."""
        return tuple(u for u in self.obligations if u.rule is not None and u.rule.addressee == "government")

    @property
    def assumptions(self) -> dict[str, Any]:
        """The inputs the figures rest on, and which of them were derived."""
        return {
            "households": self.households,
            "households_derived": self.households_derived,
            "population": self.population,
            "population_derived": self.population_derived,
            "persons_per_household": self.persons_per_household,
            "trust": self.trust,
            "set_aside": None if self.set_aside is None else {self.set_aside[0]: self.set_aside[1]},
            **dict(self.given),
        }

    @cached_property
    def no_residents(self) -> bool:
        """Whether the project is no residential project: no requirement arises from it.

        A project of 0 households (or, its households unknown, of 0 people) has no one living in
        it: it is no 居住区 of the documents, and no requirement arises, never a minimum such as
        Xihu's 200 m² (``shared/RULES.md``). True only where the figures say so too (every
        requirement 0, no limit), so that the words never contradict a figure.

        Examples
        --------
        >>> import facility_sizing as fs
        >>> fs.size(jurisdiction="柯桥区", households=0, persons_per_household=2.7, area_type="新建",
        ...         on="2025-01-01").no_residents
        True
        """
        empty = self.households == 0 if self.households is not None else self.population == 0
        if not empty:
            return False
        for q, spec in QUANTITIES.items():
            value = self.value(q)
            if value is not None and (spec.direction == "at_most" or value != 0):
                return False
        return True

    def no_residents_statement(self) -> Message | None:
        """What a result of no residential project says (:func:`~facility_sizing.engine.statements.no_residents_words`),
        or None for a residential project."""
        if not self.no_residents:
            return None
        return no_residents_words(self.plan, "households" if self.households is not None else "population")

    def binding(self, quantity: str) -> tuple[RuleUse, ...]:
        """The rule uses that bound ``quantity`` (several when figures tie)."""
        return tuple(u for u in self.rules if u.quantity == quantity and u.binding)

    def value(self, quantity: str) -> float | int | None:
        """The requirement for ``quantity`` by name (its result column is the attribute)."""
        value: float | int | None = getattr(self, QUANTITIES[quantity].column)
        return value

    def quantities_shown(self) -> list[str]:
        """The quantities a result lists: every core quantity, and an optional one where a rule sets it."""
        used = {u.quantity for u in self.rules}
        return [q for q, spec in QUANTITIES.items() if not spec.optional or q in used]

    # -- rendering (by the renderers of facility_sizing.render) --------------------------

    def explain_quantity(self, quantity: str, audience: Audience = "python") -> str:
        """One line: the requirement, how it was reached and on which clause, Chinese then English.

        ``audience`` names a switch or a call for its reader (``include_reported=True`` in Python,
        ``--include-reported`` on the command line: :mod:`facility_sizing.messages`).
        """
        return str(render("requirement.explain_quantity", self, quantity, audience))

    def explain(self, audience: Audience = "python") -> str:
        """A readable account of the requirement, Chinese first with English beside it (``audience``:
        see :meth:`explain_quantity`)."""
        return str(render("requirement.text", self, audience))

    def __str__(self) -> str:
        return self.explain()

    def _repr_html_(self) -> str:
        """A table for Jupyter: each requirement, how it was reached, its clause; inputs; warnings."""
        return str(render("requirement.html", self))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form of the whole result (see also :meth:`payload`).

        Examples
        --------
        >>> import json, facility_sizing as fs
        >>> d = fs.size(jurisdiction="330603", households=1000, population=2800,
        ...             area_type="新建", on="2025-01-01").to_dict()
        >>> d["floor_area_m2"], d["slots"]
        (250.0, 28)
        >>> _ = json.dumps(d, ensure_ascii=False)
        """
        return self.payload(_own_dict)

    def payload(self, part: Callable[[Any], Any]) -> dict[str, Any]:
        """The :meth:`to_dict` form, with ``part(x)`` for each part that is the same for every project.

        Those parts are each rule, each document, and each use of a rule that has no figure of the
        project's (an obligation, why a quantity has no figure): ``x.to_dict()`` in :meth:`to_dict`.
        A JSON writer may give each its serialised form, made once (the service: ``orjson.Fragment``),
        rather than build dicts it only serialises.

        Examples
        --------
        >>> import facility_sizing as fs
        >>> req = fs.size(jurisdiction="西湖区", households=1200, area_type="new_build", on="2025-01-01")
        >>> req.payload(lambda x: x.to_dict()) == req.to_dict()
        True
        """
        return {
            "jurisdiction": {
                "code": self.jurisdiction.code,
                "name": self.jurisdiction.name,
                "name_en": self.jurisdiction.name_en,
            },
            "area_type": self.area_type,
            "area_term": self.area_term,
            "on": self.on.isoformat(),
            "include_drafts": self.include_drafts,
            **{spec.column: getattr(self, spec.column) for spec in QUANTITIES.values()},
            "assumptions": self.assumptions,
            "draft": self.draft,
            "reported": self.reported,
            "include_reported": self.include_reported,
            "stale": self.stale,
            "rule_set": self.rule_set,
            "warnings": list(self.warnings),
            "explanation": dict(render("requirement.explanations", self)),  # explain_quantity of each shown
            "rules": [u.payload(part) if u.kind == "figure" else part(u) for u in self.rules],
            "documents": [part(d) for d in self.plan.documents],
            "known_by_report": [part(d) for d in self.known_by_report],
            "stamp": self.stamp,
        }

    @property
    def stamp(self) -> dict[str, Any]:
        """What reproduces this result: the library version, the rule-data digest, the query date,
        and the id and grade of each document the rule set rests on.

        The same stamp and the same inputs give the same figures.

        Examples
        --------
        >>> import facility_sizing as fs
        >>> s = fs.size(jurisdiction="330603", households=1000, population=2800,
        ...             area_type="新建", on="2025-01-01").stamp
        >>> s["on"], s["documents"], s["rule_data"].startswith("sha256:")
        ('2025-01-01', {'keqiao-2024-13': 'official'}, True)
        """
        documents, drafts = _STAMPED(self.plan)
        stamp: dict[str, Any] = {**dict(self.produced_by), "on": self.on.isoformat(), "documents": dict(documents)}
        if drafts:  # a draft's grade is of its copy: the stamp says it is a draft
            stamp["drafts"] = list(drafts)
        return stamp

    @overload
    def clause(
        self, lang: str = "zh", fmt: Literal["text", "markdown", "json"] = "text", *, round_area: str = "exact"
    ) -> str: ...
    @overload
    def clause(
        self,
        lang: str,
        fmt: Literal["docx"],
        *,
        round_area: str = "exact",
        template: str | PathLike[str] | bytes | None = None,
        letter: Mapping[str, object] | None = None,
    ) -> bytes: ...
    @overload
    def clause(
        self,
        lang: str = "zh",
        *,
        fmt: Literal["docx"],
        round_area: str = "exact",
        template: str | PathLike[str] | bytes | None = None,
        letter: Mapping[str, object] | None = None,
    ) -> bytes: ...
    @overload
    def clause(
        self,
        lang: str = "zh",
        fmt: str = "text",
        *,
        round_area: str = "exact",
        template: str | PathLike[str] | bytes | None = None,
        letter: Mapping[str, object] | None = None,
    ) -> str | bytes: ...
    def clause(
        self,
        lang: str = "zh",
        fmt: str = "text",
        *,
        round_area: str = "exact",
        template: str | PathLike[str] | bytes | None = None,
        letter: Mapping[str, object] | None = None,
    ) -> str | bytes:
        """The clause a land-transfer (allocation) condition letter carries for this requirement.

        Parameters
        ----------
        lang : {"zh", "en"}
            Chinese (default) or English.
        fmt : {"text", "markdown", "json", "docx"}
            Plain text, Markdown, JSON (both languages), or a Word letter laid out as an
            official document (GB/T 9704-2012) with the annex 附件：计算书, as the bytes of the
            .docx file (needs python-docx: the ``word`` extra).
        round_area : {"exact", "up"}
            Areas as computed, to 0.01 m² (the documents' requirement: 200.1 m² is met by 200.5 m²),
            or rounded up to whole m² for a bureau that states whole m², the computed figure beside.
        template : path or bytes, optional
            Word letters only: the bureau's letterhead (.docx or .dotx) with placeholders
            (``{{文号}}``, ``{{主送}}``, ``{{条款}}``…; :mod:`facility_sizing.render.letter`);
            by default the built-in GB/T 9704 letter.
        letter : mapping, optional
            Word letters only: the letter's fields by placeholder (文号, 主送, 发文机关, 落款, 日期,
            地块编号, 项目名称, 地址); each one not given is a blank (＿＿＿＿) to fill in by hand.

        Examples
        --------
        >>> import facility_sizing as fs
        >>> req = fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
        >>> print(req.clause().splitlines()[3])
        （1）托育服务设施建筑面积不少于200.1平方米。按1,334户、每百户不少于15平方米计为200.1平方米，不低于最小建筑面积200平方米。依据：西政办函〔2021〕15号 二(三)1。
        >>> req.clause(fmt="docx", letter={"地块编号": "XH-01"})[:2]  # the bytes of a .docx file, a zip file
        b'PK'
        """
        if fmt == "docx" or (template is None and letter is None):
            text = render("requirement.clause", self, lang, fmt, round_area, template, letter)
            return text if isinstance(text, bytes) else str(text)
        raise InputError("letters.needs_docx", field="template" if template is not None else "letter", fmt=fmt)

    def to_json(self, **kwargs: Any) -> str:
        """The :meth:`to_dict` form as JSON (Chinese kept readable)."""
        kwargs.setdefault("ensure_ascii", False)
        kwargs.setdefault("indent", 2)
        return json.dumps(self.to_dict(), **kwargs)
