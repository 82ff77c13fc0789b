"""The rules reference, generated from the rule data so that it can never drift from it.

``python -m facility_sizing.reference > docs/rules-reference.md`` writes it; a test checks the
committed file equals what this module generates.
"""

from __future__ import annotations

from .plan import AREA_TYPE_LABELS, QUANTITY_LABELS
from .rules import STATUSES, STRENGTHS, RuleBook, default_rulebook

__all__ = ["rules_reference"]


def _cell(text: str | None) -> str:
    return (text or "—").replace("|", "/").replace("\n", " ")


def rules_reference(book: RuleBook | None = None) -> str:
    """Markdown listing every document and rule of every jurisdiction, Chinese and English."""
    book = book or default_rulebook()
    out = [
        "# 规则参考 · Rules reference",
        "",
        "Generated from `src/facility_sizing/data/rules/*.toml` by `python -m facility_sizing.reference`;",
        "do not edit by hand (a test fails when this file and the data differ).",
        "",
    ]
    for code, rules in book.rules.items():
        div = book.divisions[code]
        out += [f"## {div.name} {div.name_en} ({code})", ""]
        terms = "；".join(f"{AREA_TYPE_LABELS[k][0]} {k}：{v}" for k, v in book.area_types[code].items())
        out += [f"Area types 居住区类型: {terms}", ""]
        for doc in book.documents[code]:
            zh, en = STATUSES[doc.status]
            start = "opt-in from 可选用自" if doc.is_draft else "applies from 起适用"
            dates = f"issued 印发 {doc.issued or '—'}; {start} {doc.effective_from}"
            if doc.plan_period_end:
                dates += f"; plan period to 规划期至 {doc.plan_period_end}"
            out += [
                f"### {doc.label}",
                "",
                f"《{doc.title}》 — {doc.title_en}",
                "",
                f"Status 效力: {zh} {en}. {dates}. Basis 依据: {doc.effective_from_basis}",
                "",
                "| id | clause 条款 | area types | quantity 指标 | value | strength 效力 | 原文 | English |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |",
            ]
            for r in rules:
                if r.document.id != doc.id:
                    continue
                q = QUANTITY_LABELS.get(r.quantity, ("定性要求", "obligation"))
                value = f"{r.value_text} {r.unit}" if r.is_figure else (r.topic or "")
                out.append(
                    f"| `{r.id}` | {r.clause} | {', '.join(r.area_types)} | {q[0]} {q[1]}"
                    f"{' (' + r.basis + ')' if r.basis else ''} | {_cell(value)} | {STRENGTHS[r.strength][0]} {r.strength} "
                    f"| {_cell(r.text)} | {_cell(r.summary_en)} |"
                )
            out.append("")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(rules_reference(), end="")
