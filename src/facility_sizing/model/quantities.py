"""Every quantity and every basis, declared once.

A **quantity** is something a rule sets a figure for: floor area, outdoor area, slots, the
highest floor, the number of facilities, a service radius. A **basis** is how a figure is
written in the rules: per 100 households, per 1,000 people, per child, a minimum, a limit, one
facility per so many households, a total per management unit.

Everything the library does with a quantity or a basis reads these declarations: the rule-file
validator (which units a figure may be written in, which extra numbers it carries), the
resolver (how levels of the hierarchy combine), the numeric core (the exact term function, the
direction in which terms combine, the order in which quantities are evaluated), the
missing-input errors (which inputs a basis needs), the result columns and their dtypes, the
explanation and the clause sentences (the phrase templates), design review (which design field
a quantity is checked against, and in which direction) and the generated rules reference.

Adding a basis is one :class:`BasisSpec` row in :data:`BASES` and one term function; the
walk-through is ``docs/howto/add-a-basis.md``.

Exactness. A term function returns the requirement of one rule over the rows of a group, in
the quantity's internal integer unit (``scale`` units per output unit: centi-m² for areas), as
an exact ceiling (for an *at least* quantity) of an exact fraction. Inputs arrive as exact
fractions ``(numerator, denominator)`` of int64 arrays (see :mod:`facility_sizing.engine.core`).

Examples
--------
>>> QUANTITIES["floor_area"].column, QUANTITIES["floor_area"].direction
('floor_area_m2', 'at_least')
>>> BASES["per_100_households"].units["floor_area"], BASES["per_100_households"].needs
('m²/100户', ('households',))
>>> [q.key for q in evaluation_order(("outdoor_area", "slots"), {"outdoor_area": ("slots",)})]
['slots', 'outdoor_area']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from math import ceil, floor
from typing import Literal

import numpy as np

from .entities import Rule
from .vocabulary import Label

__all__ = [
    "BASES",
    "INPUTS",
    "QUANTITIES",
    "BasisSpec",
    "InputSpec",
    "QuantitySpec",
    "TermInputs",
    "ceil_div",
    "evaluation_order",
    "phrase",
    "quantity",
]

Num = np.ndarray | int
Exact = tuple[Num, Num]


@dataclass(frozen=True)
class InputSpec:
    """A project input a basis can need: its label, and how a caller supplies it when missing."""

    key: str
    label: Label
    hint: Label


#: The project inputs a basis can need.
INPUTS: dict[str, InputSpec] = {
    i.key: i
    for i in (
        InputSpec(
            "households",
            Label("户数", "households"),
            Label(
                "请传入 households，或同时传入 population 与 persons_per_household 以推算户数",
                "pass households, or population together with persons_per_household",
            ),
        ),
        InputSpec(
            "population",
            Label("常住人口", "population"),
            Label(
                "请传入 population，或传入 persons_per_household 由户数推算人口（库不内置默认户均人口）",
                "pass population, or persons_per_household to derive it from households (the library ships no default)",
            ),
        ),
    )
}


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
class QuantitySpec:
    """What one quantity is, and how every part of the library treats it.

    Attributes
    ----------
    key : str
        The code in rule files and results (``floor_area``).
    column : str
        Its result column (``floor_area_m2``) and :class:`~facility_sizing.Requirement` field.
    label : Label
        Its name, e.g. 建筑面积 / floor area.
    unit : Label
        The unit of a result value (m², 托位 / slots, 层 / floor).
    scale : int
        Internal integer units per result unit (100 for areas, computed in centi-m²).
    direction : {"at_least", "at_most"}
        A requirement of at least the figure (terms combine by their maximum) or a limit of at
        most it (terms combine by their minimum).
    levels : {"nearest", "strictest"}
        How levels of the division hierarchy combine: the nearest level that sets any figure
        supplies all of them, or the strictest figure of every level applies.
    optional : bool
        Listed in results only where a rule in force sets it (the original four quantities are
        always listed, with "no figure" where none is set).
    letter_label, letter_unit : Label
        How a condition letter names the quantity and writes its unit.
    letter_headline : Label
        The letter's sentence for the requirement, with ``{value}`` (and ``{next}``, the value
        plus one, ``{qualifier}`` / ``{qualifier_note}`` for a rule that is not mandatory).
    bound, bound_short : Label
        How one limit of an *at most* quantity reads (``不高于第 {v} 层``), at length and in a
        table cell.
    states_no_figure : bool
        Whether a letter states that no figure is set (a floor limit nobody sets is left out).
    design_field : str or None
        The :class:`~facility_sizing.Design` attribute that design review compares with the
        requirement (None: not reviewed).
    generally_note : Label or None
        What a letter adds when the rule is 一般 (generally): the original wording.
    review_label, review_bound : Label
        How design review names the quantity, and states a limit (``楼层不高于 {v} 层``).
    """

    key: str
    column: str
    label: Label
    unit: Label
    scale: int
    direction: Literal["at_least", "at_most"]
    levels: Literal["nearest", "strictest"]
    letter_label: Label
    letter_unit: Label
    letter_headline: Label
    optional: bool = False
    bound: Label | None = None
    bound_short: Label | None = None
    states_no_figure: bool = True
    design_field: str | None = None
    generally_note: Label | None = None
    review_label: Label | None = None
    review_bound: Label | None = None

    @property
    def is_area(self) -> bool:
        """True for quantities measured in m² (a float result, exact to 0.01 m²)."""
        return self.scale != 1

    @property
    def dtype(self) -> str:
        """The result column's dtype: ``float64`` for areas, nullable ``Int64`` otherwise."""
        return "float64" if self.is_area else "Int64"

    def output(self, raw: int) -> float | int | None:
        """A result value from its internal integer (negative: no figure)."""
        if raw < 0:
            return None
        return raw / self.scale if self.is_area else int(raw)

    def letter_value(self, value: float | int) -> int:
        """The whole number a letter states: rounded up for a requirement, down for a limit."""
        # exact values are multiples of 1/scale; the 1e-9 absorbs float noise only
        return ceil(value - 1e-9) if self.direction == "at_least" else floor(value + 1e-9)

    def says_no_figure(self, named: bool) -> bool:
        """Whether a letter or a review states that no figure is set for this quantity.

        ``named``: whether the result names the quantity at all (an optional quantity no rule
        mentions is left out, not reported missing).
        """
        return self.states_no_figure and (named or not self.optional)

    def combine(self, values: list[np.ndarray]) -> np.ndarray:
        """Combine the terms of one level: the largest requirement, or the strictest limit."""
        pick = np.maximum if self.direction == "at_least" else np.minimum
        result = values[0]
        for v in values[1:]:
            result = pick(result, v)
        return np.asarray(result)


TermFn = Callable[[Fraction, Mapping[str, Fraction], QuantitySpec, "TermInputs"], np.ndarray]


@dataclass(frozen=True)
class TermInputs:
    """What a term function reads, for the rows of one group.

    ``households`` and ``population`` are exact fractions of int64 arrays (or ints);
    ``quantities`` holds the quantities evaluated before this one, in their internal units.
    """

    households: Exact
    population: Exact
    quantities: Mapping[str, np.ndarray]


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
    constant : bool
        A figure that does not depend on the project (a minimum or a limit).
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
    constant: bool = False
    letter: Label | None = None
    letter_bound: tuple[Label, Label] | None = None
    explain_bound: tuple[Label, Label] | None = None

    def needs_inputs(self) -> tuple[str, ...]:
        """The project inputs (not quantities) this basis needs."""
        return tuple(n for n in self.needs if n in INPUTS)

    def needs_quantities(self) -> tuple[str, ...]:
        """The quantities this basis needs evaluated first."""
        return tuple(n for n in self.needs if n not in INPUTS)


# --------------------------------------------------------------------------------------
# Term functions: exact integer arithmetic, one per basis.


def _scaled(value: Fraction, q: QuantitySpec, per: int) -> Fraction:
    """The figure in internal units per one input unit (``per``: the rate's denominator)."""
    return value * q.scale / per


def _per_100_households(value: Fraction, params: Mapping[str, Fraction], q: QuantitySpec, x: TermInputs) -> np.ndarray:
    c = _scaled(value, q, 100)
    num, den = x.households
    return ceil_div(num * c.numerator, den * c.denominator)


def _per_1000_population(value: Fraction, params: Mapping[str, Fraction], q: QuantitySpec, x: TermInputs) -> np.ndarray:
    c = _scaled(value, q, 1000)
    num, den = x.population
    return ceil_div(num * c.numerator, den * c.denominator)


def _per_slot(value: Fraction, params: Mapping[str, Fraction], q: QuantitySpec, x: TermInputs) -> np.ndarray:
    c = _scaled(value, q, QUANTITIES["slots"].scale)
    return ceil_div(x.quantities["slots"] * c.numerator, c.denominator)


def _constant(value: Fraction, params: Mapping[str, Fraction], q: QuantitySpec, x: TermInputs) -> np.ndarray:
    # a constant, exact; broadcast against the rows rather than materialised
    scaled = value * q.scale
    return np.asarray(np.int64(ceil(scaled) if q.direction == "at_least" else floor(scaled)))


def _facilities_by_households(
    value: Fraction, params: Mapping[str, Fraction], q: QuantitySpec, x: TermInputs
) -> np.ndarray:
    """One facility for the first ``band_low`` households (the strict end of the band), one more per ``value``."""
    low = params["band_low"]
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


# --------------------------------------------------------------------------------------
# The registry. Order matters: results list quantities in this order.

_AREA_M2 = Label("m²", "m²")
_SQM = Label("平方米", "m²")

QUANTITIES: dict[str, QuantitySpec] = {
    q.key: q
    for q in (
        QuantitySpec(
            key="floor_area",
            column="floor_area_m2",
            label=Label("建筑面积", "floor area"),
            unit=_AREA_M2,
            scale=100,
            direction="at_least",
            levels="nearest",
            letter_label=Label("托育服务设施建筑面积", "Floor area of the facility"),
            letter_unit=_SQM,
            letter_headline=Label(
                "托育服务设施建筑面积不少于{value}平方米。", "Floor area of the facility: at least {value} m²."
            ),
            design_field="floor_area_m2",
            review_label=Label("建筑面积", "Floor area"),
        ),
        QuantitySpec(
            key="outdoor_area",
            column="outdoor_area_m2",
            label=Label("户外活动场地", "outdoor activity area"),
            unit=_AREA_M2,
            scale=100,
            direction="at_least",
            levels="nearest",
            letter_label=Label("户外活动场地面积", "Outdoor activity area"),
            letter_unit=_SQM,
            letter_headline=Label(
                "户外活动场地面积不少于{value}平方米。", "Outdoor activity area: at least {value} m²."
            ),
            design_field="outdoor_area_m2",
            review_label=Label("户外活动场地", "Outdoor area"),
        ),
        QuantitySpec(
            key="slots",
            column="slots",
            label=Label("托位数", "childcare slots"),
            unit=Label("托位", "slots"),
            scale=1,
            direction="at_least",
            levels="nearest",
            letter_label=Label("托位", "Childcare slots"),
            letter_unit=Label("个托位", "slots"),
            letter_headline=Label("托位不少于{value}个。", "Childcare slots: at least {value}."),
            design_field="slots",
            review_label=Label("托位", "Slots"),
        ),
        QuantitySpec(
            key="max_floor",
            column="max_floor",
            label=Label("楼层限制", "floor-level limit"),
            unit=Label("层", "storey"),
            scale=1,
            direction="at_most",
            levels="strictest",
            letter_label=Label("楼层", "Floor level"),
            letter_unit=Label("层", "floor"),
            letter_headline=Label(
                "托育服务设施{qualifier}不得设置在{next}层及以上，即设于{value}层及以下{qualifier_note}。",
                "The facility {qualifier}may not be placed on floor {next} or above, i.e. on floor {value} or "
                "below{qualifier_note}.",
            ),
            bound=Label("不高于第 {v} 层", "no higher than floor {v}"),
            bound_short=Label("不高于第{v}层", "floor ≤ {v}"),
            generally_note=Label("（原文为“一般不得”）", " (the text says generally)"),
            states_no_figure=False,
            design_field="top_floor",
            review_label=Label("楼层", "Floor"),
            review_bound=Label("楼层不高于 {v} 层", "Floor {v} or below"),
        ),
        QuantitySpec(
            key="facilities",
            column="facilities",
            label=Label("设施数量", "number of facilities"),
            unit=Label("处", "facilities"),
            scale=1,
            direction="at_least",
            levels="nearest",
            letter_label=Label("托育服务设施数量", "Number of facilities"),
            letter_unit=Label("处", "facilities"),
            letter_headline=Label("托育服务设施不少于{value}处。", "Infant-care facilities: at least {value}."),
            optional=True,
            design_field="facilities",
            review_label=Label("设施数量", "Facilities"),
        ),
        QuantitySpec(
            key="service_radius",
            column="service_radius_m",
            label=Label("服务半径", "service radius"),
            unit=Label("米", "m"),
            scale=1,
            direction="at_most",
            levels="strictest",
            letter_label=Label("服务半径", "Service radius"),
            letter_unit=Label("米", "m"),
            letter_headline=Label(
                "托育服务设施服务半径{qualifier}不大于{value}米{qualifier_note}。",
                "The facility's service radius {qualifier}no more than {value} m{qualifier_note}.",
            ),
            bound=Label("服务半径不大于 {v} 米", "service radius no more than {v} m"),
            bound_short=Label("服务半径不大于{v}米", "radius ≤ {v} m"),
            generally_note=Label("（原文为“不宜”）", " (the text says should not)"),
            optional=True,
            design_field="service_radius_m",
            review_label=Label("服务半径", "Service radius"),
            review_bound=Label("服务半径不大于 {v} 米", "Service radius {v} m or less"),
        ),
    )
}


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
                "按常住人口{population}人、每千人不少于{v}{letter_unit}计算并向上取整",
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
            column_label=Label(
                "{band_low}—{band_high}户一处，每增{v}户增一处",
                "one per {band_low}–{band_high} households, one more per {v}",
            ),
            explain=Label(
                "按户数 {households} 户：{band_low}—{band_high}户配置一处（按{band_low}户从严计），每增加{v}户增配一处 = {computed} {unit}",
                "{computed} {unit_en} for {households} households: one for {band_low}–{band_high} households "
                "(the strict end, {band_low}, applied) and one more for each further {v}",
            ),
            letter=Label(
                "按{households}户、{band_low}—{band_high}户配置一处（按{band_low}户计）、每增加{v}户增配一处计为{computed}处",
                "{households} households at one facility per {band_low}–{band_high} households ({band_low} applied) "
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
                "按常住人口{population}人、每{unit_population}人单元不少于{v}{letter_unit}（不足一个单元按一个计）计为{computed}{letter_unit}",
                "{population} residents at {v} {letter_unit_en} per {unit_population}-person unit (a started unit "
                "counts whole) give {computed} {letter_unit_en}",
            ),
        ),
        BasisSpec(
            key="minimum",
            label=Label("最小值", "minimum"),
            units={"floor_area": "m²", "outdoor_area": "m²", "slots": "托位", "facilities": "处"},
            needs=(),
            term=_constant,
            constant=True,
            column_label=Label("最小{v}{unit}", "minimum"),
            explain=Label("最小 {v} {unit}", "minimum {v} {unit_en}"),
            letter_bound=_MINIMUM_BOUND,
            explain_bound=(
                Label("计算值低于最小面积，取最小值", "raised to the minimum"),
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
            explain=Label("{strength}{bound}", "{strength_en}: {bound_en}"),
        ),
    )
}


def quantity(key: str) -> QuantitySpec:
    """The declaration of a quantity by its code."""
    return QUANTITIES[key]


def evaluation_order(keys: Iterable[str], depends: Mapping[str, Iterable[str]]) -> list[QuantitySpec]:
    """Quantities in an order where each comes after those it depends on (registry order otherwise).

    Raises
    ------
    ValueError
        If the dependencies form a cycle.
    """
    wanted = list(keys)
    done: list[str] = []
    visiting: set[str] = set()

    def visit(key: str) -> None:
        if key in done:
            return
        if key in visiting:
            raise ValueError(f"quantities depend on each other in a cycle through {key!r}")
        visiting.add(key)
        for dep in depends.get(key, ()):
            if dep in wanted:
                visit(dep)
        visiting.discard(key)
        done.append(key)

    for key in sorted(wanted, key=list(QUANTITIES).index):
        visit(key)
    return [QUANTITIES[k] for k in done]


def phrase(template: str, rule: Rule, **extra: object) -> str:
    """Fill a phrase template of the registry for one rule.

    The fields every template may use: ``{v}`` (the figure as written), ``{data_unit}`` (its
    unit in the data), ``{unit}`` / ``{unit_en}`` (the result unit), ``{letter_unit}`` /
    ``{letter_unit_en}``, ``{label}`` / ``{label_en}``, ``{bound}`` / ``{bound_en}`` and
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
    }
    for name in ("bound", "bound_short"):
        pair = getattr(spec, name)
        if pair is not None:
            fields[name], fields[f"{name}_en"] = pair.zh.format(v=v), pair.en.format(v=v)
    fields.update(rule.param_texts())
    fields.update(extra)
    return template.format_map(fields)
