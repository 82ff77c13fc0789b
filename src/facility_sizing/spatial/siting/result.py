"""The result of :func:`~facility_sizing.site`: plain data, with a bilingual summary and table."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...model.vocabulary import SITE_STATUSES, SITING_MODELS, SOLVER_STATUSES

__all__ = ["Siting"]


def _asked(s: dict[str, Any]) -> str:
    """The gap asked for, where it is not 0 (a proven optimum)."""
    asked = s.get("mip_rel_gap") or 0.0
    return f"（要求 ≤ {asked:.2%} asked）" if asked else ""


def _num(v: object, digits: int = 0) -> str:
    if not isinstance(v, int | float) or v != v:
        return "—"
    return f"{float(v):,.{digits}f}"


@dataclass(repr=False)
class Siting:
    """Where new facilities should go: the chosen sites, the rejected ones and the assignment.

    Attributes
    ----------
    chosen : geopandas.GeoDataFrame
        The chosen candidates with ``assigned_demand`` (in the demand's unit),
        ``assigned_points``, ``slots_required``, ``floor_area_m2`` and ``outdoor_area_m2`` (what
        the rules in force ask of a facility serving that demand, NA where they set no figure),
        ``provide_basis`` (where the figures come from, or why there is none) and
        ``site_status`` / ``site_flags`` (rules that could not be checked).
    rejected : pandas.DataFrame
        One row per excluded candidate and rule: ``candidate``, ``check``, ``rule_id``,
        ``document``, ``clause``, ``strength`` and ``reason`` (bilingual).
    assignment : pandas.DataFrame
        ``demand`` → ``facility`` (index labels), ``kind`` (existing / new), ``weight`` and
        ``distance_m``; a demand split between facilities (capacitated) has one row per share.
    objective : float
        New sites (LSCP), demand covered by existing and new facilities (MCLP), or the
        demand-weighted distance in metres (p-median).
    status : str
        The solver's status: ``optimal``, ``limit_reached``, ``infeasible``, ``unbounded``, ``other``.
    summary : dict
        The model, solver, MIP gap (``mip_gap``, and the gap asked for, ``mip_rel_gap``) and time,
        coverage before and after, the remaining shortfall; ``infeasible_points``: the demand points
        (index labels) that no choice of ``k`` sites can all serve, when the model is infeasible.
    unreachable : pandas.DataFrame
        The demand points with weight that no site (existing or admissible candidate) reaches:
        ``demand`` (index label) and ``weight``. They are left out of the model, which serves the rest.
    """

    chosen: Any
    rejected: pd.DataFrame
    assignment: pd.DataFrame
    objective: float
    status: str
    summary: dict[str, Any]
    unreachable: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"demand": [], "weight": []}))

    def rows(self) -> list[tuple[str, str]]:
        """The summary as (label, value) pairs, Chinese first with English beside it."""
        s = self.summary
        model = SITING_MODELS[s["model"]]
        status = SOLVER_STATUSES[self.status]
        gap = "—" if s["mip_gap"] is None else f"{s['mip_gap']:.2%}"
        unit = s["unit"]
        cap = "有容量约束 capacitated" if s["capacitated"] else "无容量约束 uncapacitated"
        return [
            ("模型 model", f"{model.zh} {model.en}；{cap}"),
            ("服务半径 distance", f"{_num(s['distance_m'])} m（直线距离 straight-line，{s['crs']}）"),
            ("求解 solver", f"HiGHS（scipy.optimize.milp）：{status.zh} {status.en}；MIP gap {gap}{_asked(s)}；{s['seconds']:.2f} s"),
            *([("求解方法 method", s["method"])] if s.get("method") else []),
            ("目标值 objective", f"{_num(self.objective, 2)}（{s['objective_meaning']}）"),
            ("新设施 new sites", f"{s['new_sites']:,}"),
            (
                "候选地块 candidates",
                f"{s['candidates']:,}：{SITE_STATUSES['admissible'].zh} {s['admissible']:,}，"
                f"{SITE_STATUSES['unchecked'].zh} {s['unchecked']:,}，{SITE_STATUSES['rejected'].zh} {s['rejected']:,}",
            ),
            ("需求 demand", f"{_num(s['demand_total'], 1)} {unit}（点 points {s['demand_points']:,}，错误 errors {s['demand_errors']:,}）"),
            ("覆盖（前）covered before", f"{_num(s['covered_before'], 1)} {unit}（{s['covered_share_before']:.1%}）"),
            ("覆盖（后）covered after", f"{_num(s['covered_after'], 1)} {unit}（{s['covered_share_after']:.1%}）"),
            ("剩余缺口 remaining shortfall", f"{_num(s['shortfall_after'], 1)} {unit}（其中无候选可及 out of reach of every site: {_num(s['out_of_reach'], 1)}，{s.get('out_of_reach_points', 0):,} 点 points）"),
            *[("说明 note", note) for note in s.get("notes", [])],
            ("规则 rules", s["rules_note"]),
        ]  # fmt: skip

    def __repr__(self) -> str:
        lines = [f"  {k}: {v}" for k, v in self.rows()]
        return "\n".join(["托育设施选址 Facility siting", *lines, "  (.chosen, .rejected, .assignment, .summary)"])

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in self.rows()
        )
        return f"<div><strong>托育设施选址 Facility siting</strong><table>{body}</table></div>"

    def table(self) -> pd.DataFrame:
        """The chosen sites as a bilingual table: one row per site, columns 中文 English."""
        c = self.chosen
        return pd.DataFrame(
            {
                "候选地块 candidate": c.index.astype(str),
                "分配需求 demand assigned": c["assigned_demand"].round(2),
                "需求点 points": c["assigned_points"],
                "托位 slots": c["slots_required"],
                "建筑面积 floor area (m²)": c["floor_area_m2"],
                "户外场地 outdoor area (m²)": c["outdoor_area_m2"],
                "依据 basis": c["provide_basis"],
                "规则核对 rules": [SITE_STATUSES[v].zh + " " + SITE_STATUSES[v].en for v in c["site_status"]],
            }
        )

    def to_markdown(self) -> str:
        """The summary, the chosen sites and the rejected candidates as Markdown, bilingual."""
        lines = ["## 托育设施选址 Facility siting", "", "| 项目 item | 结果 result |", "| --- | --- |"]
        lines += [f"| {k} | {v} |" for k, v in self.rows()]
        lines += ["", "### 选定地块 Chosen sites", ""]
        lines += _markdown_table(self.table())
        lines += ["", "### 排除的候选地块 Rejected candidates", ""]
        rej = self.rejected[["candidate", "rule_id", "document", "clause", "reason"]].rename(
            columns={
                "candidate": "候选地块 candidate",
                "rule_id": "规则 rule",
                "document": "文件 document",
                "clause": "条款 clause",
                "reason": "理由 reason",
            }
        )
        lines += _markdown_table(rej)
        return "\n".join(lines) + "\n"


def _markdown_table(frame: pd.DataFrame) -> list[str]:
    if frame.empty:
        return ["（无 none）"]
    cells = frame.astype(object).where(frame.notna(), "—")
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    body = ["| " + " | ".join(str(v).replace("|", "/") for v in row) + " |" for row in cells.itertuples(index=False)]
    return [head, rule, *body]
