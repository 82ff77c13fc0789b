"""The result of design review: the design, each finding, and the verdict (plain data).

Reports are rendered by :mod:`facility_sizing.render.review`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from ..errors import InputError
from ..model.quantities import QUANTITIES
from .hooks import render
from .requirement import Requirement

__all__ = ["Design", "Finding", "Review"]


@dataclass(frozen=True)
class Design:
    """A proposed infant-care facility. Every field is optional; a missing one makes the findings
    that need it "not checkable".

    Parameters
    ----------
    floor_area_m2, outdoor_area_m2 : float, optional
        Floor (building) area and outdoor activity area, m².
    slots : int, optional
        Planned childcare slots (托位).
    floors : tuple of int, optional
        The storeys the facility occupies: 1 is the ground floor, -1 the first basement (B1).
    fire_resistance_grade : int, optional
        The building's fire-resistance grade (耐火等级), 1–4.
    single_site : bool, optional
        True if the facility is on one site (not split over several).
    facilities : int, optional
        The number of facilities planned (where the rules set one per so many households).
    service_radius_m : float, optional
        The farthest walk, in metres, from a home served to its facility.
    """

    floor_area_m2: float | None = None
    outdoor_area_m2: float | None = None
    slots: int | None = None
    floors: tuple[int, ...] | None = None
    fire_resistance_grade: int | None = None
    single_site: bool | None = None
    facilities: int | None = None
    service_radius_m: float | None = None

    @property
    def top_floor(self) -> int | None:
        """The highest storey the facility occupies (None when the floors are not given)."""
        return max(self.floors) if self.floors else None

    def __post_init__(self) -> None:
        for name in ("floor_area_m2", "outdoor_area_m2", "service_radius_m"):
            v = getattr(self, name)
            if v is not None and (
                isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0
            ):
                raise invalid(name, v, "须为非负有限数值", "must be a non-negative finite number")
        for name in ("slots", "facilities"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
                raise invalid(name, v, "须为非负整数", "must be a non-negative whole number")
        if self.floors is not None:
            floors = tuple(self.floors) if isinstance(self.floors, list | tuple) else None
            if not floors or any(isinstance(f, bool) or not isinstance(f, int) or f == 0 for f in floors):
                raise invalid(
                    "floors",
                    self.floors,
                    "须为楼层号列表，首层为 1，地下一层为 -1（没有 0 层）",
                    "must be a list of storeys: 1 is the ground floor, -1 the first basement (there is no floor 0)",
                )
            object.__setattr__(self, "floors", floors)
        if self.fire_resistance_grade is not None and self.fire_resistance_grade not in (1, 2, 3, 4):
            raise invalid("fire_resistance_grade", self.fire_resistance_grade, "须为 1–4", "must be 1, 2, 3 or 4")
        if self.single_site is not None and not isinstance(self.single_site, bool):
            raise invalid("single_site", self.single_site, "须为 True 或 False", "must be True or False")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Design:
        """A design from a dict (e.g. read from JSON or TOML); unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise invalid(
                "design",
                unknown[0],
                f"未知的设计字段；可用：{', '.join(sorted(known))}",
                f"unknown design field; use {', '.join(sorted(known))}",
            )
        values = dict(data)
        if isinstance(values.get("floors"), list):
            values["floors"] = tuple(values["floors"])
        return cls(**values)


def invalid(field_name: str, value: object, zh: str, en: str) -> InputError:
    """The error for a bad design field, naming the field and the value."""
    return InputError(field_name, value, f"{field_name}：{zh}，收到 {value!r}", f"{field_name} {en}, got {value!r}")


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
    """The outcome of :func:`review`: ``passed`` is True when no finding failed."""

    requirement: Requirement
    design: Design
    findings: tuple[Finding, ...]
    class_mix: dict[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not any(f.status == "fail" for f in self.findings)

    @property
    def complete(self) -> bool:
        """True when every finding could be checked."""
        return all(f.status != "not_checkable" for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form."""
        return {
            "passed": self.passed,
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
