"""Design review as a report: Markdown and HTML, in Chinese or English."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ..model.vocabulary import GRADES

if TYPE_CHECKING:
    from ..results.review import Review

__all__ = ["review_html", "review_markdown"]


def _fmt(value: float | int | None, unit: str | None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    return f"{text} {unit}" if unit else text


def _verdict(review: Review, zh: bool, upper: bool) -> str:
    """不通过 when a check fails; 通过 only when every check could be made; else say how many could not."""
    open_checks = sum(f.status == "not_checkable" for f in review.findings)
    if not review.passed:
        verdict = "不通过" if zh else "failed"
    elif open_checks:
        verdict = (
            f"未发现不通过项，{open_checks} 项无法检查" if zh else f"no failure found, {open_checks} not checkable"
        )
    else:
        verdict = "通过" if zh else "passed"
    return verdict.upper() if upper and not zh and verdict in ("failed", "passed") else verdict


def review_markdown(review: Review, lang: str = "zh") -> str:
    """A Markdown report: verdict, then one table row per finding."""
    zh = lang == "zh"
    req = review.requirement
    verdict = _verdict(review, zh, upper=True)
    head = "托育设施设计审查" if zh else "Infant-care facility design review"
    lines = [f"## {head}：{verdict}" if zh else f"## {head}: {verdict}", ""]
    lines.append(
        f"{req.jurisdiction.name} {req.area_term}，{req.on.isoformat()}"
        if zh
        else f"{req.jurisdiction.name_en}, {req.area_type}, {req.on.isoformat()}"
    )
    lines.append("")
    cols = (
        ["检查", "结果", "要求", "设计", "差额", "依据"]
        if zh
        else ["Check", "Status", "Required", "Design", "Shortfall", "Source"]
    )
    lines.append("| " + " | ".join(cols) + " |")
    lines.append("|" + "---|" * len(cols))
    status_zh = {"pass": "通过", "fail": "不通过", "not_checkable": "无法检查"}
    for f in review.findings:
        source = f"{f.document} {f.clause}" if f.document else "—"
        if f.grade != "official":
            grade = GRADES[f.grade]
            source += f"（{grade.zh}）" if zh else f" ({grade.en})"
        cells = [
            f.message_zh if zh else f.message_en,
            status_zh[f.status] if zh else f.status,
            _fmt(f.required, f.unit),
            _fmt(f.provided, f.unit),
            _fmt(f.shortfall, f.unit) if f.status == "fail" else "—",
            source,
        ]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    if review.class_mix:
        lines.append("")
        lines.append(
            "班级数（按托位全部编为一种班型，据报道的国家标准）："
            if zh
            else "Classes needed if all slots were of one type (national standard known by report):"
        )
        for name, count in review.class_mix.items():
            lines.append(f"- {name}: {count}")
    return "\n".join(lines) + "\n"


def review_html(review: Review, lang: str = "zh") -> str:
    """A self-contained HTML table of the findings."""
    zh = lang == "zh"
    rows = []
    for f in review.findings:
        color = {"pass": "#e6f4ea", "fail": "#fce8e6", "not_checkable": "#f1f3f4"}[f.status]
        source = f"{f.document or '—'} {f.clause or ''}" + (
            "" if f.grade == "official" else (f" （{GRADES[f.grade].zh}）" if zh else f" ({GRADES[f.grade].en})")
        )
        rows.append(
            f'<tr style="background:{color}"><td>{html.escape(f.message_zh if zh else f.message_en)}</td>'
            f"<td>{f.status}</td><td>{_fmt(f.required, f.unit)}</td><td>{_fmt(f.provided, f.unit)}</td>"
            f"<td>{_fmt(f.shortfall, f.unit) if f.status == 'fail' else '—'}</td><td>{html.escape(source)}</td></tr>"
        )
    verdict = _verdict(review, zh, upper=False)
    return (
        f"<h3>{'设计审查' if zh else 'Design review'}: {verdict}</h3><table>"
        + "<tr><th>check</th><th>status</th><th>required</th><th>design</th><th>shortfall</th><th>source</th></tr>"
        + "".join(rows)
        + "</table>"
    )
