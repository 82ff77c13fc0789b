"""Every basis, declared once: how a figure is written, what it needs and how it is computed.

A **basis** is how a rule writes a figure: per 100 households, per 1,000 people, per child, a
minimum, a limit, one facility per so many households, a total per management unit. Its
:class:`BasisSpec` gives the units a figure may be written in (for which quantities), the
inputs or other quantities it needs, any extra numbers a rule carries, its exact integer term
function and its phrase templates (the ``*_basis`` column, the explanation, the clause).

Adding a basis is one :class:`BasisSpec` row in :data:`BASES` and one term function; the
walk-through is ``docs/howto/add-a-basis.md``.

Exactness. A term function returns the requirement of one rule over the rows of a group, in
the quantity's internal integer unit (``scale`` units per output unit: centi-m² for areas), as
an exact ceiling (for an *at least* quantity) of an exact fraction. Inputs arrive as exact
fractions ``(numerator, denominator)`` of int64 arrays (see :mod:`facility_sizing.engine.core`).

Examples
--------
>>> BASES["per_100_households"].units["floor_area"], BASES["per_100_households"].needs
('m²/100户', ('households',))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from math import ceil, floor

import numpy as np

from .entities import Rule
from .quantities import INPUTS, QUANTITIES, QuantitySpec
from .vocabulary import POPULATION_WORDS, Label

__all__ = ["BASES", "BasisSpec", "TermInputs", "ceil_div", "phrase"]

Num = np.ndarray | int
Exact = tuple[Num, Num]


def ceil_div(num: Num, den: Num) -> np.ndarray:
    """Exact ceiling of ``num / den`` for int64 numerators and positive denominators.

    Examples
    --------
    >>> ceil_div(np.array([0, 1, 200, 201]), 100).tolist()
    [0, 1, 2, 3]
    """
    if isinstance(den, int) and den == 1:
        return np.asarray(num)
    return np.asarray(-(np.negative(num) // den))


@dataclass(frozen=True)
class TermInputs:
    """What a term function reads, for the rows of one group.

    ``households`` and ``population`` are exact fractions of int64 arrays (or ints);
    ``quantities`` holds the quantities evaluated before this one, in their internal units;
    ``given`` any other input a basis needs (a project input declared with ``basis=``).
    """

    households: Exact
    population: Exact
    quantities: Mapping[str, np.ndarray]
    #: every other input a basis may need (``needs=``), by name, as an exact fraction
    given: Mapping[str, Exact] = field(default_factory=dict)


TermFn = Callable[[Fraction, Mapping[str, Fraction], QuantitySpec, TermInputs], np.ndarray]


@dataclass(frozen=True)
class BasisSpec:
    """How a figure of one kind is written, what it needs and how it is computed.

    Attributes
    ----------
    key : str
        The code in rule files (``per_100_households``).
    label : Label
        What the basis means, for the rules reference.
    units : dict
        Quantity → the one unit a figure on this basis must be written in; a basis applies to
        these quantities only.
    needs : tuple of str
        Inputs (``households``, ``population``) or other quantities (``slots``) the term needs.
    term : callable
        ``term(value, params, quantity, inputs)`` → the exact requirement in internal units.
    params : tuple of str
        Extra exact numbers a rule on this basis carries (e.g. ``band_low``), each required.
    ordered : tuple of (str, str)
        Pairs of extra numbers where the first must not exceed the second (a band).
    constant : bool
        A figure that does not depend on the project (a minimum or a limit).
    per_facility : bool
        A figure that holds for each facility (a minimum: Xihu 二(三)1 「最小建筑面积不少于200平方米、
        户外活动场地不少于40平方米」 is a facility's): where the plan counts facilities, ``k`` of them need
        ``k`` times it (``docs/interpretation.md``, "A band of households per facility").
    column_label : Label
        The ``*_basis`` column's text for a binding rule (``{v}``: the figure as written).
    explain : Label
        The explanation's phrase for this rule's own requirement.
    letter : Label or None
        The condition letter's calculation phrase (None for a constant, which the letter
        states through ``letter_bound``).
    letter_bound : tuple of Label
        For a constant: the phrase when it binds, and when a computed figure is above it.
    explain_bound : tuple of Label
        For a constant: how the explanation says that it bound, or that a computed figure did.
    """

    key: str
    label: Label
    units: Mapping[str, str]
    needs: tuple[str, ...]
    term: TermFn
    column_label: Label
    explain: Label
    params: tuple[str, ...] = ()
    ordered: tuple[tuple[str, str], ...] = ()
    constant: bool = False
    per_facility: bool = False
    letter: Label | None = None
    letter_bound: tuple[Label, Label] | None = None
    explain_bound: tuple[Label, Label] | None = None

    def __post_init__(self) -> None:
        if not self.constant and self.letter is None:
            raise ValueError(f"basis {self.key!r}: a figure computed from the project needs letter wording")

    @property
    def letter_phrase(self) -> Label:
        """The letter's calculation phrase (every basis that is not a constant has one)."""
        if self.letter is None:
            raise ValueError(f"basis {self.key!r} is a constant: the letter states it through letter_bound")
        return self.letter

    def needs_inputs(self) -> tuple[str, ...]:
        """The project inputs (not quantities) this basis needs."""
        return tuple(n for n in self.needs if n in INPUTS)

    def needs_quantities(self) -> tuple[str, ...]:
        """The quantities this basis needs evaluated first."""
        return tuple(n for n in self.needs if n not in INPUTS)

    def after_quantities(self, quantity: str) -> tuple[str, ...]:
        """The quantities a term of ``quantity`` on this basis is evaluated after: those it needs, and
        the facilities count a per-facility figure is multiplied by where the plan has one."""
        counted = ("facilities",) if self.per_facility and quantity != "facilities" else ()
        return (*self.needs_quantities(), *counted)


# --------------------------------------------------------------------------------------
# Term functions: exact integer arithmetic, one per basis.


def _scaled(value: Fraction, q: QuantitySpec, per: int) -> Fraction:
    """The figure in internal units per one input unit (``per``: the rate's denominator)."""
    return _rate(value, q.scale, per)


@lru_cache(maxsize=4096)
def _rate(value: Fraction, scale: int, per: int) -> Fraction:
    """``value × scale / per``, exact; made once per rule figure, not once per project."""
    return value * scale / per


def _per_100_households(value: Fraction, _params: Mapping[str, Fraction], q: QuantitySpec, x: TermInputs) -> np.ndarray:
    c = _scaled(value, q, 100)
    num, den = x.households
    return ceil_div(num * c.numerator, den * c.denominator)


def _per_1000_population(
    value: Fraction, _params: Mapping[str, Fraction], q: QuantitySpec, x: TermInputs
) -> np.ndarray:
    c = _scaled(value, q, 1000)
    num, den = x.population
    return ceil_div(num * c.numerator, den * c.denominator)


def _per_slot(value: Fraction, _params: Mapping[str, Fraction], q: QuantitySpec, x: TermInputs) -> np.ndarray:
    c = _scaled(value, q, QUANTITIES["slots"].scale)
    return ceil_div(x.quantities["slots"] * c.numerator, c.denominator)


def _constant(value: Fraction, _params: Mapping[str, Fraction], q: QuantitySpec, _x: TermInputs) -> np.ndarray:
    # a constant, exact; broadcast against the rows rather than materialised
    return _whole(value, q.scale, q.direction == "at_least")


def _per_facility(value: Fraction, params: Mapping[str, Fraction], q: QuantitySpec, x: TermInputs) -> np.ndarray:
    """A facility's figure (a minimum), once for each facility the plan counts (once where it counts none).

    Xihu 二(三)1 sets a facility's 「最小建筑面积不少于200平方米、户外活动场地不少于40平方米」; where a band
    asks for two facilities (「3000—4000户配置一处，每增加3000户增配一处」), each is a facility of its own,
    so the area needs 2 × 40 m² of outdoor area, not 40 m² once.
    """
    one = _constant(value, params, q, x)
    count = x.quantities.get("facilities") if q.key != "facilities" else None
    return one if count is None else one * (np.asarray(count) // QUANTITIES["facilities"].scale)


@lru_cache(maxsize=4096)
def _whole(value: Fraction, scale: int, up: bool) -> np.ndarray:
    """``value × scale`` in whole internal units, rounded away from understating; read-only (shared)."""
    scaled = value * scale
    out = np.asarray(np.int64(ceil(scaled) if up else floor(scaled)))
    out.flags.writeable = False
    return out


def _facilities_by_households(
    value: Fraction, params: Mapping[str, Fraction], q: QuantitySpec, x: TermInputs
) -> np.ndarray:
    """One facility for up to ``band_high`` households (the text's own band), one more per further ``value``.

    「3000—4000户配置一处，每增加3000户增配一处」: 4,000 households need 1 facility, 4,001 need 2,
    7,001 need 3; no households need none. ``band_low`` is the band's other end, stated, not used:
    reading it as the first facility's reach would ask 2 facilities of 3,500 households, which
    the text gives one.
    """
    low = params["band_high"]
    num, den = x.households
    excess = np.maximum(np.asarray(num * low.denominator - low.numerator * den), 0)
    more = ceil_div(excess * value.denominator, np.asarray(den) * low.denominator * value.numerator)
    return np.where(np.asarray(num) > 0, (1 + more) * q.scale, 0).astype(np.int64)


def _per_unit_population(value: Fraction, params: Mapping[str, Fraction], q: QuantitySpec, x: TermInputs) -> np.ndarray:
    """A total per management unit: every started unit of ``unit_population`` people counts whole."""
    size = params["unit_population"]
    num, den = x.population
    units = ceil_div(num * size.denominator, den * size.numerator)
    c = value * q.scale
    return ceil_div(units * c.numerator, c.denominator)


_MINIMUM_BOUND = (
    Label(
        "，低于最小{label}{v}{letter_unit}，按{v}{letter_unit}执行",
        ", below the minimum of {v} {letter_unit_en}, so the minimum applies",
    ),
    Label("，不低于最小{label}{v}{letter_unit}", ", not below the minimum of {v} {letter_unit_en}"),
)

BASES: dict[str, BasisSpec] = {
    b.key: b
    for b in (
        BasisSpec(
            key="per_100_households",
            label=Label("每百户", "per 100 households"),
            units={"floor_area": "m²/100户", "outdoor_area": "m²/100户"},
            needs=("households",),
            term=_per_100_households,
            column_label=Label("每百户{v}m²", "{v} m²/100 households"),
            explain=Label(
                "按户数 {households} 户 × {v} {data_unit} = {computed} {unit}",
                "{computed} {unit_en} by households at {v} {unit_en} per 100",
            ),
            letter=Label(
                "按{households}户、每百户不少于{v}{letter_unit}计为{computed}{letter_unit}",
                "{households} households at {v} {letter_unit_en} per 100 households give {computed} {letter_unit_en}",
            ),
        ),
        BasisSpec(
            key="per_1000_population",
            label=Label("每千人", "per 1,000 population"),
            units={"slots": "托位/千人"},
            needs=("population",),
            term=_per_1000_population,
            column_label=Label("每千人{v}托位", "{v} per 1,000 people"),
            explain=Label(
                "按人口 {population} 人 × {v} {data_unit}，向上取整 = {computed} {unit}",
                "{computed} {unit_en} for {population} people at {v} per 1,000, rounded up",
            ),
            letter=Label(
                "按{population_word}{population}人、每千人不少于{v}{letter_unit}计算并向上取整",
                "{population} residents at {v} {letter_unit_en} per 1,000, rounded up",
            ),
        ),
        BasisSpec(
            key="per_slot",
            label=Label("每托位（每名婴幼儿）", "per slot (per child)"),
            units={"outdoor_area": "m²/托位", "floor_area": "m²/托位"},
            needs=("slots",),
            term=_per_slot,
            column_label=Label("每托位{v}m²", "{v} m² per slot"),
            explain=Label(
                "按托位 {slots} 个 × {v} {data_unit} = {computed} {unit}",
                "{computed} {unit_en} for {slots} slots at {v} {unit_en} per child",
            ),
            letter=Label(
                "按{slots}个托位、每托位不少于{v}{letter_unit}计为{computed}{letter_unit}",
                "{slots} slots at {v} {letter_unit_en} per child give {computed} {letter_unit_en}",
            ),
        ),
        BasisSpec(
            key="households_per_facility",
            label=Label("按户数配置处数", "facilities by households"),
            units={"facilities": "户/处"},
            needs=("households",),
            term=_facilities_by_households,
            params=("band_low", "band_high"),
            ordered=(("band_low", "band_high"),),
            column_label=Label(
                "{band_low}—{band_high}户一处，每增{v}户增一处",
                "one per {band_low}–{band_high} households, one more per {v}",
            ),
            explain=Label(
                "按户数 {households} 户：{band_low}—{band_high}户配置一处（{band_high}户以内一处），"
                "每增加{v}户增配一处 = {computed} {unit}",
                "{computed} {unit_en} for {households} households: one for {band_low}–{band_high} households "
                "(up to {band_high}) and one more for each further {v}",
            ),
            letter=Label(
                "按{households}户、{band_low}—{band_high}户配置一处（{band_high}户以内一处）、每增加{v}户增配一处计为{computed}处",
                "{households} households at one facility per {band_low}–{band_high} households (up to {band_high}) "
                "and one more per further {v} give {computed}",
            ),
        ),
        BasisSpec(
            key="per_unit_population",
            label=Label("每管理单元（按人口）", "per management unit (by population)"),
            units={"floor_area": "m²/单元"},
            needs=("population",),
            term=_per_unit_population,
            params=("unit_population",),
            column_label=Label("每{unit_population}人单元{v}m²", "{v} m² per {unit_population}-person unit"),
            explain=Label(
                "按人口 {population} 人，每{unit_population}人为一个单元（不足一个单元按一个计）× {v} {data_unit} = {computed} {unit}",
                "{computed} {unit_en} for {population} people at {v} {unit_en} per unit of {unit_population} "
                "(a started unit counts whole)",
            ),
            letter=Label(
                "按{population_word}{population}人、每{unit_population}人单元不少于{v}{letter_unit}（不足一个单元按一个计）计为{computed}{letter_unit}",
                "{population} residents at {v} {letter_unit_en} per {unit_population}-person unit (a started unit "
                "counts whole) give {computed} {letter_unit_en}",
            ),
        ),
        BasisSpec(
            key="minimum",
            label=Label("最小值", "minimum"),
            units={"floor_area": "m²", "outdoor_area": "m²", "slots": "托位", "facilities": "处"},
            needs=(),
            term=_per_facility,
            constant=True,
            per_facility=True,
            column_label=Label("最小{v}{unit}", "minimum"),
            explain=Label("最小 {v} {unit}{per_facility}", "minimum {v} {unit_en}{per_facility_en}"),
            letter_bound=_MINIMUM_BOUND,
            explain_bound=(
                Label("计算值低于最小{minimum_word}，取最小值", "raised to the minimum"),
                Label("计算值高于最小值，按计算值", "above the minimum"),
            ),
        ),
        BasisSpec(
            key="limit",
            label=Label("上限", "limit"),
            units={"max_floor": "层", "service_radius": "米"},
            needs=(),
            term=_constant,
            constant=True,
            column_label=Label("{bound_short}", "{bound_short_en}"),
            explain=Label("{qualifier}{bound}", "{qualifier_en}{bound_en}"),
        ),
    )
}


def phrase(template: str, rule: Rule, **extra: object) -> str:
    """Fill a phrase template of the registry for one rule.

    The fields every template may use: ``{v}`` (the figure as written), ``{data_unit}`` (its
    unit in the data), ``{unit}`` / ``{unit_en}`` (the result unit), ``{letter_unit}`` /
    ``{letter_unit_en}``, ``{label}`` / ``{label_en}``, ``{minimum_word}``, ``{bound}`` / ``{bound_en}`` and
    ``{bound_short}`` / ``{bound_short_en}`` for a limit, each extra number of the basis by its
    name (``{band_low}``), and whatever the caller passes (``{computed}``, ``{households}``…).

    Examples
    --------
    >>> from facility_sizing.ruledata import default_rulebook
    >>> rule = next(r for r in default_rulebook().all_rules() if r.id == "xihu.max_floor")
    >>> phrase(BASES["limit"].column_label.zh, rule), phrase(BASES["limit"].column_label.en, rule)
    ('不高于第2层', 'floor ≤ 2')
    """
    spec = QUANTITIES[rule.quantity]
    v = rule.value_text or ""
    fields: dict[str, object] = {
        "v": v,
        "data_unit": rule.unit or "",
        "unit": spec.unit.zh,
        "unit_en": spec.unit.en,
        "letter_unit": spec.letter_unit.zh,
        "letter_unit_en": spec.letter_unit.en,
        "label": spec.label.zh,
        "label_en": spec.label.en,
        "minimum_word": spec.minimum_word or spec.label.zh,
        "population_word": POPULATION_WORDS["existing"],  # a letter says the area type's (POPULATION_WORDS)
    }
    for name in ("bound", "bound_short"):
        pair = getattr(spec, name)
        if pair is not None:
            fields[name], fields[f"{name}_en"] = pair.zh.format(v=v), pair.en.format(v=v)
    fields.update(rule.param_texts())
    fields.update(extra)
    return template.format_map(fields)
