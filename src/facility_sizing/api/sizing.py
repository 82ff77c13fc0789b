"""The public sizing API: :func:`size`, :func:`size_frame`, :func:`rules_in_force`.

:func:`size` is a thin wrapper: it runs the batch machinery (:func:`facility_sizing.engine.batch.run`) on one row and
turns that row into a :class:`~facility_sizing.results.Requirement`.
"""

from __future__ import annotations

import datetime as dt
import warnings
from functools import lru_cache
from typing import Any, TypeAlias, Unpack

import pandas as pd

from ..engine.batch import One, run, run_one
from ..engine.consistency import TRUST, trust_code
from ..engine.figures import NoFigure
from ..engine.inputs import to_float
from ..engine.one_row import Read, read_one
from ..engine.plan import Plan, Term, known_by_report
from ..engine.projects import frame_projects, one_project
from ..engine.rows import one
from ..errors import InputError, NotInForceError, ResultReplacedWarning, StaleRuleWarning
from ..model.bases import BASES
from ..model.columns import RESULT_COLUMNS
from ..model.entities import Document, Rule
from ..model.memo import ByIdentity
from ..model.project import ProjectInputs, project_signature
from ..model.quantities import QUANTITIES
from ..results.requirement import Requirement, RuleUse, assembled
from ..ruledata import RuleBook, rulebook_or_default
from .result_frame import checked_input, result_frame

__all__ = ["OUTPUTS", "RESULT_COLUMNS", "size", "size_frame"]

#: What :func:`size_frame` can give: the default columns, or its ``error`` column categorical too.
OUTPUTS: tuple[str, ...] = ("default", "categorical")


@project_signature()
def size(*, rulebook: RuleBook | None = None, **project: Unpack[ProjectInputs]) -> Requirement:
    """Size the infant-care facility one residential project must provide.

    Parameters
    ----------
    jurisdiction : str or int
        Chinese name with or without its city (``"西湖区"``, ``"杭州市西湖区"``), pinyin
        (``"xihu"``), English (``"Xihu District"``) or 6-digit GB/T 2260 code (``"330106"``).
    area_type : str
        ``"new_build"`` (新建), ``"existing"`` (已建成) or ``"rural"`` (农村) where the
        jurisdiction distinguishes it. There is no default: the rules differ.
    households : int, optional
        Number of households (户). Whole and non-negative.
    population : float, optional
        Permanent population (常住人口).
    persons_per_household : float, optional
        Persons per household (户均人口), used to derive whichever of households and
        population is missing, and to check the two when both are given. The library ships no
        default.
    on : date or ISO string, optional
        The date whose rules apply; default today. A date before the jurisdiction's rules took
        effect raises :class:`~facility_sizing.NotInForceError`.
    include_drafts : bool, default False
        Use consultation drafts (征求意见稿) too; their figures are marked draft.
    include_reported : bool, default False
        Use documents known by report only (their text not seen; ``shared/SOURCES.md`` grades
        them ``reported``) too; their figures are marked reported.
    trust : {"households", "population", "both"}, optional
        Which input to trust when households and population contradict each other (fewer people
        than households, or a population far from households × persons per household). Left
        out, a contradiction raises :class:`~facility_sizing.InconsistentInputError`: sizing
        from either figure could understate the requirement. ``"households"`` sets the given
        population aside (derived from persons per household where given), ``"population"``
        the households; ``"both"`` keeps both unchecked.
    rulebook : RuleBook, optional
        Rules to use instead of the built-in ones (see :func:`facility_sizing.load_rules`).

    Returns
    -------
    Requirement
        ``floor_area_m2``, ``outdoor_area_m2``, ``slots``, ``max_floor`` (None where no rule
        sets a figure), ``rules`` (each rule used, which bound, and why a quantity has no
        figure), ``warnings`` and the assumptions.

    Raises
    ------
    InputError
        A bad argument (also a ValueError); :class:`MissingInputError` when a rule needs
        households or population that cannot be derived; :class:`InconsistentInputError` when
        they contradict each other and ``trust`` does not say which to use.
    UnknownJurisdictionError
        Unknown jurisdiction (also a LookupError), with the closest names.
    NotInForceError, DraftOnlyError
        No rule applies on the date, or only a draft does and drafts were not included.

    Notes
    -----
    Per-100-household rates are proportional (1,334 households × 15 m²/100 = 200.1 m²).
    Areas are exact and rounded up to 0.01 m²; slots are rounded up to whole slots with exact
    arithmetic (3,000 households × 2.7 persons at 10 per 1,000 is 81, not 82). Where both an
    area and a slot rule exist, both apply. A date after a plan period still answers, with a
    :class:`StaleRuleWarning`.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> req = fs.size(jurisdiction="西湖区", households=1200, area_type="new_build", on="2025-01-01")
    >>> req.floor_area_m2, req.outdoor_area_m2, req.slots, req.max_floor
    (200.0, 40.0, None, 2)
    >>> fs.size(jurisdiction="keqiao", households=3000, persons_per_household=2.7,
    ...         area_type="新建", on="2025-01-01").slots
    81
    """
    book = rulebook_or_default(rulebook)
    # plain values take the one-project path (the same readers and term functions, on scalars);
    # anything it would have to refuse or explain goes through the batch's checks, which say it
    read = read_one(book, project) or _through_batch(book, project)
    result, day, plan = read.one, read.day, read.one.plan
    # say what a report would add, without applying it; and what produced the figures
    reports = () if read.include_reported else _known_by_report(book, plan.division.code, plan.area_type, day)
    said = {
        "include_drafts": read.include_drafts,
        "include_reported": read.include_reported,
        "known_by_report": reports,
        "produced_by": tuple(book.produced_by.items()),
    }
    req = _requirement(result, day, **said, **_trusted(project))
    if plan.stale:
        for w in plan.warnings:
            warnings.warn(StaleRuleWarning(w), stacklevel=2)
    return req


@lru_cache(maxsize=4096)
def _known_by_report(book: RuleBook, code: str, area_type: str, day: dt.date) -> tuple[Document, ...]:
    """:func:`~facility_sizing.engine.plan.known_by_report`, worked out once per rule book, place, area type and day."""
    return known_by_report(book, book.divisions[code], area_type, day)


def _through_batch(book: RuleBook, project: ProjectInputs) -> Read:
    """One project through the batch machinery (:func:`~facility_sizing.engine.batch.run_one`): its checks say what is wrong."""
    projects = one_project(project)
    day = projects["on"][0]
    try:
        result = run_one(book, projects)
    except NotInForceError as error:
        raise NotInForceError("api.on_date", field="on", on="on", day=day.isoformat(), problem=error.message) from None
    return Read(result, day, bool(projects["include_drafts"][0]), bool(projects["include_reported"][0]))


def _trusted(project: ProjectInputs) -> dict[str, Any]:
    """Which input the caller trusted, and the given value it set aside (read as people type it)."""
    if project.get("trust") is None:
        return {}
    said = TRUST[trust_code(project.get("trust")) - 1]
    aside = {"households": "population", "population": "households"}.get(said)
    both = project.get("households") is not None and project.get("population") is not None
    value = project.get(aside) if aside is not None and both else None
    set_aside = None if value is None or aside is None else (aside, float(to_float(one(value), aside)[0][0]))
    return {"trust": said, "set_aside": set_aside}


def _binding_rules(one: One, quantities: tuple[str, ...]) -> tuple[Rule, ...]:
    """The rules that bound the given quantities (what a dependent figure rests on)."""
    rules: list[Rule] = []
    for q in quantities:
        figure = one.evaluated.get(q)
        bits = 0 if figure is None else figure.binding
        rules += [t.rule for i, t in enumerate(one.plan.quantities[q].terms) if bits >> i & 1]
    return tuple(rules)


#: Why a quantity has no figure, worded once per plan (a plan is resolved once and reused).
_NO_FIGURE_WORDS = ByIdentity(NoFigure.words)


def _no_figure_use(plan: Plan, quantity: str, nf: NoFigure) -> RuleUse:
    """Why a quantity has no figure, as a rule use."""
    said = _NO_FIGURE_WORDS(nf)  # worded once per plan, for both the message and its languages
    unmet, known = tuple(t.rule for t in nf.unmet), tuple(t.rule for t in nf.known)
    return RuleUse(quantity, "no_figure", None, plan.division.name, False, message=f"{said.zh} — {said.en}",
                   unmet=unmet, known=known, words=said)  # fmt: skip


#: A term of a plan whose figure is the project's: (quantity, its position, the term, the quantities its basis reads).
_FigureTerm: TypeAlias = tuple[str, int, Term, tuple[str, ...]]


def _layout(plan: Plan) -> tuple[RuleUse | _FigureTerm, ...]:
    """The rule uses of a plan in order, made once per plan: those the same for every project (an
    obligation, why a quantity has no figure) as they are, and each term whose figure is the project's."""
    out: list[RuleUse | _FigureTerm] = []
    for q, qp in plan.quantities.items():
        if not qp.terms:  # no figure: evaluate gives one exactly where the plan has terms
            if qp.no_figure is not None and qp.listed:
                out.append(_no_figure_use(plan, q, qp.no_figure))
            continue
        out += [(q, i, term, BASES[term.rule.basis or ""].needs_quantities()) for i, term in enumerate(qp.terms)]
    out += [RuleUse("obligation", "obligation", t.rule, t.source.name, t.inherited) for t in plan.obligations]
    return tuple(out)


_LAYOUT = ByIdentity(_layout)


def _uses(one: One) -> list[RuleUse]:
    """Each rule the plan used for the project: its own figure and whether it bound, or why there is no figure."""
    uses = []
    for entry in _LAYOUT(one.plan):
        if isinstance(entry, RuleUse):
            uses.append(entry)
            continue
        q, i, term, needs = entry
        figure = one.evaluated[q]
        if figure is None:  # pragma: no cover - a plan's term always has a figure
            continue
        computed = QUANTITIES[q].output(figure.terms[i])
        via = _binding_rules(one, needs) if needs else ()
        bound = bool(figure.binding >> i & 1)
        uses.append(assembled(RuleUse, quantity=q, kind="figure", rule=term.rule, source=term.source.name,
                              inherited=term.inherited, computed=computed, binding=bound, via=via))  # fmt: skip
    return uses


def _requirement(one: One, day: dt.date, **said: Any) -> Requirement:
    """The requirement of one evaluated project (``said``: the opt-ins, trust and what else the result says)."""
    plan = one.plan
    values: dict[str, Any] = {}
    for q, spec in QUANTITIES.items():
        figure = one.evaluated.get(q)
        values[spec.column] = spec.output(-1 if figure is None else figure.value)
    return assembled(
        Requirement,
        jurisdiction=plan.division,
        area_type=plan.area_type,
        area_term=plan.area_term,
        on=day,
        households=one.households,
        population=one.population,
        persons_per_household=one.persons_per_household,
        households_derived=one.households_derived,
        population_derived=one.population_derived,
        given=tuple(one.given.items()),
        rules=tuple(_uses(one)),
        warnings=plan.warnings,
        plan=plan,
        **values,
        **said,
    )


# ---------------------------------------------------------------------------------------
# Batch


@project_signature(annotation="Any")
def size_frame(
    df: pd.DataFrame,
    *,
    rulebook: RuleBook | None = None,
    area: Any = None,
    host: Any = None,
    parcel: Any = None,
    suffix: str | None = None,
    output: str = "default",
    **columns: Any,
) -> pd.DataFrame:
    """Size every row of a DataFrame, through the same core as :func:`size`.

    Each argument is a column name, a Series aligned with ``df``, or a scalar applied to every
    row. Left out, an argument reads the column of its own name if there is one
    (``jurisdiction``, ``area_type``, ``households``, ``population``,
    ``persons_per_household``, ``on``, ``include_drafts``, ``include_reported``, ``trust``); ``on`` then
    defaults to today, the opt-ins to False and ``trust`` to unsaid (see :func:`size`: a row whose
    households and population contradict each other gets an ``inconsistent_input`` error). A bad
    scalar argument raises; a bad value in a row gives that row an error and leaves the others untouched.

    ``area`` (a column of residential-area ids, 居住区编号) sizes the parcels of each area together,
    with ``host`` (a column marking the host parcel) and ``parcel`` (the parcels' ids): see
    :func:`facility_sizing.api.areas.size_areas` and :func:`area_table`. Without ``area`` every row
    is sized on its own, as always.

    The caller's columns are never overwritten: a frame this library sized before (it has
    ``rule_set`` and ``error``) is sized again, its result columns replaced with a
    :class:`ResultReplacedWarning`; any other column named like a result column is an
    :class:`InputError` naming it, or, with ``suffix`` (``"_own"``), kept as ``slots_own`` while
    the result takes the plain name (:mod:`facility_sizing.api.columns`: the same rule for
    :func:`size_parcels`, :func:`coverage` and the files).

    ``output="categorical"`` gives the ``error`` column as a categorical too (its categories the
    distinct error texts, NaN where the row succeeded), like the ``*_basis`` and ``rule_set``
    columns: a million rows then hold small integer codes, not a million text references. Every
    other column is as by default. Categorical ``jurisdiction`` and ``area_type`` columns (pandas
    categoricals, or Arrow dictionaries: ``pd.ArrowDtype(pa.dictionary(...))``) are read by their
    codes, each distinct value checked once.

    The ``*_basis`` and ``rule_set`` categories are the labels the rows use, in the order they first
    appear (as :func:`pandas.factorize` orders them). A large frame whose figures follow each row's
    place, area type and households alone is worked out once per (rule set, households) cell and
    each row reads its cell; its result columns are made side by side on up to two cores
    (``FACILITY_SIZING_THREADS=1`` in the environment makes them one after another). Either way the
    frame is the same.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` (same index and order, every row) with the result columns
        ``floor_area_m2``, ``outdoor_area_m2`` (float, NaN where no figure or error),
        ``slots``, ``max_floor`` (nullable Int64), ``population``, ``households`` (as used;
        derived ones flagged in ``households_derived`` / ``population_derived``),
        ``persons_per_household``, ``*_basis`` (which rule bound, or why there is no figure),
        ``draft``, ``stale``, ``rule_set`` (see :func:`rules_in_force`) and ``error`` (None
        where the row succeeded, else ``"[code] message"``).

    Examples
    --------
    >>> import pandas as pd, facility_sizing as fs
    >>> df = pd.DataFrame({"jurisdiction": ["西湖区", "余姚市", "nowhere"],
    ...                    "households": [1200, 2000, 10]})
    >>> out = fs.size_frame(df, area_type="new_build", persons_per_household=2.8, on="2025-01-01")
    >>> out[["floor_area_m2", "slots"]].to_string()
    '   floor_area_m2  slots\\n0          200.0   <NA>\\n1            NaN     51\\n2            NaN   <NA>'
    >>> out["error"].notna().tolist()
    [False, False, True]
    >>> coded = df.astype({"jurisdiction": "category"})
    >>> cat = fs.size_frame(coded, area_type="new_build", persons_per_household=2.8, on="2025-01-01", output="categorical")
    >>> cat["error"].dtype.name, cat["error"].cat.codes.tolist(), cat["slots"].equals(out["slots"])
    ('category', [-1, -1, 0], True)
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError("api.not_a_frame", field="df", value=type(df).__name__)
    if output not in OUTPUTS:
        raise InputError("frame_output.unknown", field="output", value=output, accepted=[repr(o) for o in OUTPUTS])
    book = rulebook_or_default(rulebook)
    df = checked_input(df, suffix)
    if area is not None or host is not None:  # residential areas: the parcels of one area pooled (api/areas.py)
        from .areas import size_areas

        with warnings.catch_warnings():  # the notice of an earlier result was given once, above
            warnings.simplefilter("ignore", ResultReplacedWarning)
            out = size_areas(df, area=area, host=host, parcel=parcel, rulebook=book, **columns)
        if output == "categorical":
            out["error"] = out["error"].astype("category")
        out.attrs["stamp"] = book.produced_by
        return out
    batch = run(book, frame_projects(df, columns), nan_is_error=False)
    out = result_frame(df, batch, categorical=output == "categorical")
    out.attrs["stamp"] = book.produced_by  # what produced these figures
    return out
