"""The result of sizing one project: figures, the rules behind them, and what bound."""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from typing import Any

from ..engine.plan import AREA_TYPE_LABELS, QUANTITY_LABELS, Plan
from ..ruledata.book import STATUSES, STRENGTHS, Division, Rule

__all__ = ["Requirement", "RuleUse"]

_UNIT_OUT = {"floor_area": "m²", "outdoor_area": "m²", "slots": "托位", "max_floor": "层"}


def _fmt(value: float | int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}"


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
    """

    quantity: str
    kind: str
    rule: Rule | None
    source: str
    inherited: bool
    computed: float | int | None = None
    binding: bool = False
    message: str | None = None

    @property
    def draft(self) -> bool:
        """True when the rule comes from a consultation draft."""
        return self.rule is not None and self.rule.document.is_draft

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form."""
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
        out["rule"] = None if self.rule is None else self.rule.to_dict()
        return out


@dataclass(frozen=True)
class Requirement:
    """The infant-care facility a residential project must provide.

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
    floor_area_m2: float | None
    outdoor_area_m2: float | None
    slots: int | None
    max_floor: int | None
    households: float | None
    population: float | None
    persons_per_household: float | None
    households_derived: bool
    population_derived: bool
    rules: tuple[RuleUse, ...]
    warnings: tuple[str, ...]
    plan: Plan

    # -- convenience --------------------------------------------------------------------

    @property
    def draft(self) -> bool:
        """True when any figure or obligation comes from a consultation draft."""
        return self.plan.draft

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
    def assumptions(self) -> dict[str, Any]:
        """The inputs the figures rest on, and which of them were derived."""
        return {
            "households": self.households,
            "households_derived": self.households_derived,
            "population": self.population,
            "population_derived": self.population_derived,
            "persons_per_household": self.persons_per_household,
        }

    def binding(self, quantity: str) -> tuple[RuleUse, ...]:
        """The rule uses that bound ``quantity`` (several when figures tie)."""
        return tuple(u for u in self.rules if u.quantity == quantity and u.binding)

    def value(self, quantity: str) -> float | int | None:
        """The requirement for ``quantity`` by name."""
        return {
            "floor_area": self.floor_area_m2,
            "outdoor_area": self.outdoor_area_m2,
            "slots": self.slots,
            "max_floor": self.max_floor,
        }[quantity]

    # -- explanation --------------------------------------------------------------------

    def explain_quantity(self, quantity: str) -> str:
        """One line: the requirement, how it was reached and on which clause, Chinese then English."""
        zh_q, en_q = QUANTITY_LABELS[quantity]
        uses = [u for u in self.rules if u.quantity == quantity]
        if not uses or uses[0].kind == "no_figure":
            message = uses[0].message if uses else ""
            return f"{zh_q} {en_q}: — ({message})"
        value = self.value(quantity)
        unit = _UNIT_OUT[quantity]
        parts_zh, parts_en = [], []
        for u in uses:
            rule = u.rule
            if rule is None:  # pragma: no cover - figure uses always carry a rule
                continue
            cite = rule.citation()
            tag = "（草案）" if u.draft else ""
            if rule.basis == "per_100_households":
                parts_zh.append(
                    f"按户数 {_fmt(self.households)} 户 × {rule.value_text} {rule.unit} = {_fmt(u.computed)} {unit}（{cite}）{tag}"
                )
                parts_en.append(f"{_fmt(u.computed)} {unit} by households at {rule.value_text} m² per 100 ({cite})")
            elif rule.basis == "per_1000_population":
                parts_zh.append(
                    f"按人口 {_fmt(self.population)} 人 × {rule.value_text} {rule.unit}，向上取整 = {_fmt(u.computed)} {unit}（{cite}）{tag}"
                )
                parts_en.append(
                    f"{_fmt(u.computed)} slots for {_fmt(self.population)} people at {rule.value_text} per 1,000, rounded up ({cite})"
                )
            elif rule.basis == "minimum":
                parts_zh.append(f"最小 {rule.value_text} {unit}（{cite}）{tag}")
                parts_en.append(f"minimum {rule.value_text} {unit} ({cite})")
            else:
                strength_zh, strength_en = STRENGTHS[rule.strength]
                parts_zh.append(f"{strength_zh}不高于第 {rule.value_text} 层（{cite}）{tag}")
                parts_en.append(f"{strength_en}: no higher than floor {rule.value_text} ({cite})")
        binding = [u for u in uses if u.binding]
        if len(uses) > 1 and binding:
            b = binding[0].rule
            if len(binding) > 1:
                how_zh, how_en = "两者相等", "the figures tie"
            elif b is not None and b.basis == "minimum":
                how_zh, how_en = "计算值低于最小面积，取最小值", "raised to the minimum"
            else:
                how_zh, how_en = "计算值高于最小值，按计算值", "above the minimum"
            tail_zh, tail_en = f"；{how_zh}", f"; {how_en}"
        else:
            tail_zh = tail_en = ""
        return (
            f"{zh_q} {_fmt(value)} {unit}："
            + "，".join(parts_zh)
            + tail_zh
            + f" — {en_q} {_fmt(value)}: "
            + ", ".join(parts_en)
            + tail_en
        )

    def explain(self) -> str:
        """A readable account of the requirement, Chinese first with English beside it."""
        _, en_at = AREA_TYPE_LABELS[self.area_type]
        lines = [
            f"{self.jurisdiction.name}（{self.jurisdiction.code}）{self.area_term}，{self.on.isoformat()} — "
            f"{self.jurisdiction.name_en}, {en_at}, on {self.on.isoformat()}",
        ]
        for q in QUANTITY_LABELS:
            lines.append("  " + self.explain_quantity(q))
        a = self.assumptions
        assumed = []
        if a["households"] is not None:
            assumed.append(
                f"户数 households {_fmt(a['households'])}" + ("（推算 derived）" if a["households_derived"] else "")
            )
        if a["population"] is not None:
            assumed.append(
                f"人口 population {_fmt(a['population'])}" + ("（推算 derived）" if a["population_derived"] else "")
            )
        if a["persons_per_household"] is not None:
            assumed.append(f"户均人口 persons per household {_fmt(a['persons_per_household'])}")
        if assumed:
            lines.append("  依据 Inputs: " + "；".join(assumed))
        obligations = self.obligations
        if obligations:
            lines.append("  定性要求 Obligations:")
            for u in obligations:
                if u.rule is not None:
                    when = f"［{u.rule.condition}］" if u.rule.condition else ""
                    lines.append(f"    - {when}{u.rule.text}（{u.rule.citation()}） — {u.rule.summary_en}")
        notes = {
            u.rule.id: u.rule.interpretation
            for u in self.rules
            if u.kind == "figure" and u.rule and u.rule.interpretation
        }
        for note in notes.values():
            lines.append(f"  解读 Interpretation: {note}")
        for w in self.warnings:
            lines.append(f"  ⚠ {w}")
        docs = {u.rule.document.id: u.rule.document for u in self.rules if u.rule is not None}
        for doc in docs.values():
            zh_s, en_s = STATUSES[doc.status]
            lines.append(
                f"  来源 Source: {doc.label}《{doc.title}》，{zh_s} {en_s}，自 {doc.effective_from.isoformat()} 起适用"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.explain()

    def _repr_html_(self) -> str:
        """A table for Jupyter: each requirement, how it was reached, its clause; inputs; warnings."""
        esc = html.escape
        head = (
            f"<b>{esc(self.jurisdiction.name)}（{esc(self.jurisdiction.code)}）{esc(self.area_term)}</b> · "
            f"{esc(self.jurisdiction.name_en)} · {self.on.isoformat()}"
        )
        rows = []
        for q, (zh, en) in QUANTITY_LABELS.items():
            value = self.value(q)
            uses = [u for u in self.rules if u.quantity == q]
            cites = "<br>".join(
                esc(f"{u.rule.citation()}（{STRENGTHS[u.rule.strength][0]}）" + (" 草案 draft" if u.draft else ""))
                for u in uses
                if u.rule is not None and u.binding
            )
            how = esc(self.explain_quantity(q).split("：", 1)[-1])
            shown = "—" if value is None else f"{_fmt(value)} {_UNIT_OUT[q]}"
            rows.append(
                f"<tr><td>{zh}<br><small>{en}</small></td><td><b>{shown}</b></td><td>{how}</td><td>{cites or '—'}</td></tr>"
            )
        a = self.assumptions
        inputs = "；".join(
            f"{k} {_fmt(v)}" + ("（推算 derived）" if a.get(f"{k}_derived") else "")
            for k, v in a.items()
            if not k.endswith("_derived") and v is not None
        )
        warn = "".join(f'<div style="color:#b3261e">⚠ {esc(w)}</div>' for w in self.warnings)
        return (
            f"<div>{head}{warn}<table><tr><th>项目 quantity</th><th>要求 requirement</th><th>依据 how</th>"
            f"<th>条款 clause</th></tr>{''.join(rows)}</table><small>依据 Inputs: {esc(inputs) or '—'}</small></div>"
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form of the whole result.

        Examples
        --------
        >>> import json, facility_sizing as fs
        >>> d = fs.size(jurisdiction="330603", households=1000, population=2800,
        ...             area_type="新建", on="2025-01-01").to_dict()
        >>> d["floor_area_m2"], d["slots"]
        (250.0, 28)
        >>> _ = json.dumps(d, ensure_ascii=False)
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
            "floor_area_m2": self.floor_area_m2,
            "outdoor_area_m2": self.outdoor_area_m2,
            "slots": self.slots,
            "max_floor": self.max_floor,
            "assumptions": self.assumptions,
            "draft": self.draft,
            "stale": self.stale,
            "rule_set": self.rule_set,
            "warnings": list(self.warnings),
            "explanation": {q: self.explain_quantity(q) for q in QUANTITY_LABELS},
            "rules": [u.to_dict() for u in self.rules],
            "documents": [d.to_dict() for d in self.plan.documents],
        }

    def clause(self, lang: str = "zh", fmt: str = "text") -> str:
        """The clause a land-transfer (allocation) condition letter carries for this requirement.

        Parameters
        ----------
        lang : {"zh", "en"}
            Chinese (default) or English.
        fmt : {"text", "markdown", "json"}
            Plain text, Markdown, or JSON (both languages).

        Examples
        --------
        >>> import facility_sizing as fs
        >>> req = fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
        >>> print(req.clause().splitlines()[3])
        （1）托育服务设施建筑面积不少于201平方米。按1,334户、每百户不少于15平方米计为200.1平方米，不低于最小建筑面积200平方米，向上取整为201平方米。依据：西政办函〔2021〕15号 二(三)1。
        """
        from ..render.clause import build_clause

        return build_clause(self).render(lang, fmt)

    def to_json(self, **kwargs: Any) -> str:
        """The :meth:`to_dict` form as JSON (Chinese kept readable)."""
        kwargs.setdefault("ensure_ascii", False)
        kwargs.setdefault("indent", 2)
        return json.dumps(self.to_dict(), **kwargs)
