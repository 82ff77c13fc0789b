"""Every quantity, declared once: what it is and how every part of the library treats it.

A **quantity** is something a rule sets a figure for: floor area, outdoor area, slots, the
highest floor, the number of facilities, a service radius. Its :class:`QuantitySpec` gives the
result column and dtype, the internal integer scale, the direction (at least / at most), how
levels of the hierarchy combine, its labels and units, its letter and review wording and the
design field it is checked against. How a figure is *written* (per 100 households, per child,
a minimum…) is a basis: :mod:`facility_sizing.model.bases`.

Everything reads these declarations: the resolver (levels), the numeric core (direction,
order), the result columns (:mod:`facility_sizing.model.columns`), the explanation, the clause,
design review and the rules reference. The walk-through for adding a basis or a quantity is
``docs/howto/add-a-basis.md``.

Examples
--------
>>> QUANTITIES["floor_area"].column, QUANTITIES["floor_area"].direction
('floor_area_m2', 'at_least')
>>> [q.key for q in evaluation_order(("outdoor_area", "slots"), {"outdoor_area": ("slots",)})]
['slots', 'outdoor_area']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from math import ceil, floor
from typing import Literal

import numpy as np

from .project import PROJECT_INPUTS
from .vocabulary import Label

__all__ = ["DESIGN_QUANTITIES", "INPUTS", "QUANTITIES", "InputSpec", "QuantitySpec", "evaluation_order", "quantity"]


@dataclass(frozen=True)
class InputSpec:
    """A project input a basis can need: its label, and how a caller supplies it when missing.

    ``hint`` is the catalogue key of that advice (``data/messages/inputs.toml``).
    """

    key: str
    label: Label
    hint: str


#: The project inputs a basis can need: those of the project's registry marked ``basis=``
#: (:data:`~facility_sizing.model.project.PROJECT_INPUTS`), so that a new one is one row there.
INPUTS: dict[str, InputSpec] = {
    name: InputSpec(name, spec.basis.label, spec.basis.hint)
    for name, spec in PROJECT_INPUTS.items()
    if spec.basis is not None
}


#: What a review finding adds when the design leaves the quantity's field out.
NOT_GIVEN = Label("：设计未给出", ": not given in the design")


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
    levels : {"all", "nearest", "strictest"}
        How levels of the division hierarchy combine: every level's figures apply (a district's,
        its city's and its province's minimums are all met: the largest binds), the nearest level
        that sets any figure supplies all of them, or the strictest limits of every level apply.
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
    design_given : bool
        Whether a design states ``design_field`` itself (a field of :class:`~facility_sizing.Design`,
        made from this row), or it follows from what the design states (the top floor, from its floors).
    design_whole : bool
        Whether the design's figure is a whole count (slots, facilities) rather than a measure.
    generally_note : Label or None
        What a letter adds when the rule is 一般 (generally): the original wording, ``{word}``
        being the qualifier as the rule's text writes it (一般不得, 不宜…).
    review_label, review_bound : Label
        How design review names the quantity, and states a limit (``楼层不高于 {v} 层``).
    review_missing : Label
        What a finding adds when the design leaves the field out.
    minimum_word : str or None
        How an explanation names the quantity's minimum (最小面积); default its label.
    plausible : int or None
        The largest figure a rule may set as a constant (a minimum or a limit), in the result's
        unit: a rule file saying more is refused at load (a floor limit of 500 is a typing slip).
    """

    key: str
    column: str
    label: Label
    unit: Label
    scale: int
    direction: Literal["at_least", "at_most"]
    levels: Literal["all", "nearest", "strictest"]
    letter_label: Label
    letter_unit: Label
    letter_headline: Label
    optional: bool = False
    bound: Label | None = None
    bound_short: Label | None = None
    states_no_figure: bool = True
    design_field: str | None = None
    design_given: bool = True
    design_whole: bool = False
    generally_note: Label | None = None
    review_label: Label | None = None
    review_bound: Label | None = None
    review_missing: Label = NOT_GIVEN
    minimum_word: str | None = None
    plausible: int | None = None

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

    def letter_value(self, value: float | int, round_area: str = "exact") -> float | int:
        """The figure a letter states.

        An area is stated as computed, to at most two decimals and rounded up only past the second
        (the documents require 200.1 m², and a developer providing 200.5 m² meets them); with
        ``round_area="up"`` (a bureau that states whole m²) it is rounded up to a whole m², and the
        letter gives the exact figure beside it. Slots and limits are whole: rounded up for a
        requirement, down for a limit.

        Examples
        --------
        >>> from facility_sizing.model.quantities import QUANTITIES
        >>> area = QUANTITIES["floor_area"]
        >>> area.letter_value(200.1), area.letter_value(200.1, "up"), area.letter_value(0.25)
        (200.1, 201, 0.25)
        """
        # exact values are multiples of 1/scale; the 1e-9 absorbs float noise only
        if self.is_area and round_area == "exact":
            return ceil(value * 100 - 1e-7) / 100
        return ceil(value - 1e-9) if self.direction == "at_least" else floor(value + 1e-9)

    def says_no_figure(self, named: bool) -> bool:
        """Whether a letter or a review states that no figure is set for this quantity.

        ``named``: whether the result names the quantity at all (an optional quantity no rule
        mentions is left out, not reported missing).
        """
        return self.states_no_figure and (named or not self.optional)

    def combine(self, values: list[np.ndarray]) -> np.ndarray:
        """Combine the terms of one level: the largest requirement, or the strictest limit.

        Arrays (a batch's rows) element by element; Python ints (one project's terms) as ints, the
        same pick without numpy's cost per call.

        Examples
        --------
        >>> area = QUANTITIES["floor_area"]
        >>> area.combine([np.array([18000, 30000]), np.array([20000, 20000])]).tolist(), area.combine([18000, 20000])
        ([20000, 30000], 20000)
        >>> QUANTITIES["max_floor"].combine([3, 2])
        2
        """
        if all(type(v) is int for v in values):
            return max(values) if self.direction == "at_least" else min(values)
        pick = np.maximum if self.direction == "at_least" else np.minimum
        result = values[0]
        for v in values[1:]:
            result = pick(result, v)
        return np.asarray(result)


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
            levels="all",
            letter_label=Label("托育服务设施建筑面积", "Floor area of the facility"),
            letter_unit=_SQM,
            letter_headline=Label(
                "托育服务设施建筑面积不少于{value}平方米。", "Floor area of the facility: at least {value} m²."
            ),
            design_field="floor_area_m2",
            plausible=100_000,
            review_label=Label("建筑面积", "Floor area"),
            minimum_word="面积",
        ),
        QuantitySpec(
            key="outdoor_area",
            column="outdoor_area_m2",
            label=Label("户外活动场地", "outdoor activity area"),
            unit=_AREA_M2,
            scale=100,
            direction="at_least",
            levels="all",
            letter_label=Label("户外活动场地面积", "Outdoor activity area"),
            letter_unit=_SQM,
            letter_headline=Label(
                "户外活动场地面积不少于{value}平方米。", "Outdoor activity area: at least {value} m²."
            ),
            design_field="outdoor_area_m2",
            plausible=100_000,
            review_label=Label("户外活动场地", "Outdoor area"),
            minimum_word="面积",
        ),
        QuantitySpec(
            key="slots",
            column="slots",
            label=Label("托位数", "childcare slots"),
            unit=Label("托位", "slots"),
            scale=1,
            direction="at_least",
            levels="all",
            letter_label=Label("托位", "Childcare slots"),
            letter_unit=Label("个托位", "slots"),
            letter_headline=Label("托位不少于{value}个。", "Childcare slots: at least {value}."),
            design_field="slots",
            plausible=10_000,
            design_whole=True,
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
            generally_note=Label("（原文为“{word}”）", " (the text says “{word}”, generally)"),
            states_no_figure=False,
            design_field="top_floor",
            design_given=False,
            plausible=100,
            review_label=Label("楼层", "Floor"),
            review_bound=Label("楼层不高于 {v} 层", "Floor {v} or below"),
            review_missing=Label("：设计未给出楼层", ": floors not given"),
        ),
        QuantitySpec(
            key="facilities",
            column="facilities",
            label=Label("设施数量", "number of facilities"),
            unit=Label("处", "facilities"),
            scale=1,
            direction="at_least",
            levels="all",
            letter_label=Label("托育服务设施数量", "Number of facilities"),
            letter_unit=Label("处", "facilities"),
            letter_headline=Label("托育服务设施不少于{value}处。", "Infant-care facilities: at least {value}."),
            optional=True,
            design_field="facilities",
            design_whole=True,
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
            generally_note=Label("（原文为“{word}”）", " (the text says “{word}”, should not)"),
            optional=True,
            design_field="service_radius_m",
            plausible=50_000,
            review_label=Label("服务半径", "Service radius"),
            review_bound=Label("服务半径不大于 {v} 米", "Service radius {v} m or less"),
        ),
    )
}


#: What only a design has, and national design rules limit: the lowest storey (a basement ban is
#: "lowest floor at least 1") and the size of a class (checked as the class mix, not pass/fail: no
#: design field). Not sizing quantities, so no result column.
_DESIGN_ONLY = (
    QuantitySpec(
        key="lowest_floor",
        column="lowest_floor",
        label=Label("最低楼层", "lowest floor"),
        unit=Label("层", "storey"),
        scale=1,
        direction="at_least",
        levels="strictest",
        letter_label=Label("楼层", "Floor level"),
        letter_unit=Label("层", "floor"),
        letter_headline=Label("托育服务设施不得设于地下或半地下。", "The facility may not be underground."),
        design_field="bottom_floor",
        design_given=False,
        review_label=Label("楼层", "Floor"),
        review_bound=Label("不得设于地下或半地下", "Not underground"),
        review_missing=Label("：设计未给出楼层", ": floors not given"),
    ),
    QuantitySpec(
        key="class_size",
        column="class_size",
        label=Label("班级人数", "class size"),
        unit=Label("人", "children"),
        scale=1,
        direction="at_most",
        levels="strictest",
        letter_label=Label("班级人数", "Class size"),
        letter_unit=Label("人", "children"),
        letter_headline=Label("每班不超过{value}人。", "At most {value} children a class."),
    ),
)

#: The quantities design review checks: the sizing quantities, and those only a design has.
DESIGN_QUANTITIES: dict[str, QuantitySpec] = {**QUANTITIES, **{q.key: q for q in _DESIGN_ONLY}}


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
