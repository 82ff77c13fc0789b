"""The result of design review: the design, each finding, and the verdict (plain data).

Reports are rendered by :mod:`facility_sizing.render.review`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, make_dataclass
from typing import Any

from ..errors import InputError
from ..messages import Message
from ..model.quantities import QUANTITIES
from .hooks import render
from .requirement import Requirement

__all__ = ["Design", "Finding", "Review"]


#: One field per quantity a design states (``floor_area_m2``, ``slots``…): a quantity with a
#: ``design_field`` in the registry is a field of every design at once.
_DesignFigures = make_dataclass(
    "_DesignFigures",
    [
        (q.design_field, int | None if q.design_whole else float | None, field(default=None, kw_only=True))
        for q in QUANTITIES.values()
        if q.design_field and q.design_given
    ],
    frozen=True,
)


@dataclass(frozen=True)
class Design(_DesignFigures):  # type: ignore[misc,valid-type]  # its figure fields come from the registry
    """A proposed infant-care facility. Every field is optional; a missing one makes the findings
    that need it "not checkable".

    Parameters
    ----------
    floor_area_m2, outdoor_area_m2 : float, optional
        Floor (building) area and outdoor activity area, m².
    slots : int, optional
        Planned childcare slots (托位).
    facilities : int, optional
        The number of facilities planned (where the rules set one per so many households).
    service_radius_m : float, optional
        The farthest walk, in metres, from a home served to its facility.
    floors : tuple of int, optional
        The storeys the facility occupies: 1 is the ground floor, -1 the first basement (B1).
    fire_resistance_grade : int, optional
        The building's fire-resistance grade (耐火等级), 1–4.
    single_site : bool, optional
        True if the facility is on one site (not split over several).

    The figure fields (the first five) come from the quantity registry (``design_field``), and
    are keyword-only.
    """

    floors: tuple[int, ...] | None = None
    fire_resistance_grade: int | None = None
    single_site: bool | None = None

    @property
    def top_floor(self) -> int | None:
        """The highest storey the facility occupies (None when the floors are not given)."""
        return max(self.floors) if self.floors else None

    @property
    def bottom_floor(self) -> int | None:
        """The lowest storey the facility occupies: -1 is the first basement (None when the floors are not given)."""
        return min(self.floors) if self.floors else None

    def __post_init__(self) -> None:
        for q in QUANTITIES.values():
            if not (q.design_field and q.design_given):
                continue
            v = getattr(self, q.design_field)
            if v is None:
                continue
            if q.design_whole and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
                raise invalid(q.design_field, v, "non_negative_whole")
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0:
                raise invalid(q.design_field, v, "non_negative")
        if self.floors is not None:
            floors = tuple(self.floors) if isinstance(self.floors, list | tuple) else None
            if not floors or any(isinstance(f, bool) or not isinstance(f, int) or f == 0 for f in floors):
                raise invalid("floors", self.floors, "floors")
            object.__setattr__(self, "floors", floors)
        if self.fire_resistance_grade is not None and self.fire_resistance_grade not in (1, 2, 3, 4):
            raise invalid("fire_resistance_grade", self.fire_resistance_grade, "fire_resistance_grade")
        if self.single_site is not None and not isinstance(self.single_site, bool):
            raise invalid("single_site", self.single_site, "true_or_false")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Design:
        """A design from a dict (e.g. read from JSON or TOML); unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError("review.unknown_field", field="design", value=unknown[0], known=sorted(known))
        values = dict(data)
        if isinstance(values.get("floors"), list):
            values["floors"] = tuple(values["floors"])
        return cls(**values)


def invalid(field_name: str, value: object, problem: str) -> InputError:
    """The error for a bad design field, naming the field and the value; ``problem`` is ``review.<problem>``."""
    return InputError("review.invalid", field=field_name, value=value, problem=Message(f"review.{problem}"))


@dataclass(frozen=True)
class Finding:
    """The check of one rule against the design.

    ``grade`` says how the rule's text was seen (``official``, ``text_copy``, ``reported``,
    ``unverified``; shared/SOURCES.md); ``verified`` is True for the grades applied by default.
    """

    check: str
    status: str  # "pass" | "fail" | "not_checkable"
    required: float | int | None
    provided: float | int | None
    shortfall: float | int | None
    unit: str | None
    rule_id: str | None
    document: str | None
    clause: str | None
    strength: str | None
    verified: bool
    message_zh: str
    message_en: str
    grade: str = "official"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form."""
        return asdict(self)


@dataclass(frozen=True)
class Review:
    """The outcome of :func:`review`.

    ``passed`` is True when something was checked and nothing failed: a design of which nothing
    could be checked has not passed (``checked`` is False), whatever the command line or the
    service do with it.
    """

    requirement: Requirement
    design: Design
    findings: tuple[Finding, ...]
    class_mix: dict[str, int] = field(default_factory=dict)

    @property
    def checked(self) -> bool:
        """True when at least one rule could be checked against the design."""
        return any(f.status in ("pass", "fail") for f in self.findings)

    @property
    def passed(self) -> bool:
        """True when something was checked and no check failed (nothing checked is not a pass)."""
        return self.checked and not any(f.status == "fail" for f in self.findings)

    def require_checked(self, source: str = "") -> Review:
        """This review, or the error that nothing in the design could be checked (``source``: the design's file).

        Raises
        ------
        InputError
            Not one rule could be checked against the design.
        """
        if not self.checked:
            raise InputError("review.nothing_checked", field="design", value=source or None, source=source)
        return self

    @property
    def complete(self) -> bool:
        """True when every finding could be checked."""
        return all(f.status != "not_checkable" for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form."""
        return {
            "passed": self.passed,
            "checked": self.checked,
            "complete": self.complete,
            "design": asdict(self.design),
            "requirement": {
                **{spec.column: self.requirement.value(q) for q, spec in QUANTITIES.items()},
                "rule_set": self.requirement.rule_set,
            },
            "findings": [f.to_dict() for f in self.findings],
            "class_mix": self.class_mix,
        }

    # -- rendering (by the renderers of facility_sizing.render) --------------------------

    def to_markdown(self, lang: str = "zh") -> str:
        """A Markdown report: verdict, then one table row per finding."""
        return str(render("review.markdown", self, lang))

    def to_html(self, lang: str = "zh") -> str:
        """A self-contained HTML table of the findings."""
        return str(render("review.html", self, lang))

    def _repr_html_(self) -> str:
        return self.to_html()
