"""The rules reference, generated from the rule data so that it can never drift from it.

``python -m facility_sizing.render.reference > docs/rules-reference.md`` writes it; a test checks the
committed file equals what this module generates.
"""

from __future__ import annotations

from ..model.bases import BASES
from ..model.quantities import QUANTITIES
from ..model.vocabulary import AREA_TYPE_LABELS, COMPARATORS, NURSERY_CLASSES, STATUSES, STRENGTHS, SUBJECTS
from ..ruledata import RuleBook, default_rulebook

__all__ = ["rules_reference", "units_table"]


def _cell(text: str | None) -> str:
    return (text or "—").replace("|", "/").replace("\n", " ")


def units_table() -> str:
    """The Markdown table of every (quantity, basis) pair a rule may use, its unit and extra numbers.

    ``docs/rule-data.md`` carries it; a test checks the page against this function.
    """
    lines = [
        "| quantity | basis | unit | extra numbers | needs |",
        "| --- | --- | --- | --- | --- |",
    ]
    for q in QUANTITIES:
        for b in BASES.values():
            if q in b.units:
                extra = ", ".join(f"`{p}`" for p in b.params) or "—"
                lines.append(f"| {q} | {b.key} | {b.units[q]} | {extra} | {', '.join(b.needs) or '—'} |")
    return "\n".join(lines) + "\n"


def rules_reference(book: RuleBook | None = None) -> str:
    """Markdown listing every document, rule, target and duty of every jurisdiction, Chinese and English."""
    book = book or default_rulebook()
    out = [
        "# 规则参考 · Rules reference",
        "",
        "Generated from `src/facility_sizing/data/rules/*.toml` by `python -m facility_sizing.render.reference`;",
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
                f"Status 效力: {zh} {en}. Grade 可信程度: {doc.grade_words()[0]} {doc.grade}. {dates}. Basis 依据: {doc.effective_from_basis}",
                "",
                "| id | clause 条款 | area types | quantity 指标 | value | strength 效力 | 原文 | English |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |",
            ]
            for r in rules:
                if r.document.id != doc.id:
                    continue
                q = QUANTITIES[r.quantity].label if r.quantity in QUANTITIES else ("定性要求", "obligation")
                value = f"{r.value_text} {r.unit}" if r.is_figure else (r.topic or "")
                if r.trigger is not None:  # a build trigger: its point in the housing's progress (model/triggers.py)
                    value += f" {r.trigger} {r.value_text} {r.unit}"
                if r.params:
                    value += " (" + ", ".join(f"{k} {v}" for k, v in r.param_texts().items()) + ")"
                out.append(
                    f"| `{r.id}` | {r.clause} | {', '.join(r.area_types)} | {q[0]} {q[1]}"
                    f"{' (' + r.basis + ')' if r.basis else ''} | {_cell(value)} | {STRENGTHS[r.strength][0]} {r.strength} "
                    f"| {_cell(r.text)} | {_cell(r.summary_en)} |"
                )
            out.append("")
            out += _targets(book, code, doc.id)
            out += _duties(book, code, doc.id)
    return "\n".join(out).rstrip() + "\n"


def _targets(book: RuleBook, code: str, doc_id: str) -> list[str]:
    targets = [t for t in book.targets.get(code, []) if t.document.id == doc_id]
    if not targets:
        return []
    out = [
        "#### 目标 Targets (fs.scorecard)",
        "",
        "| id | clause 条款 | year 年份 | indicator 指标 | target 目标值 | strength 效力 | 原文 | English |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for t in targets:
        ind = book.indicators[t.indicator]
        word = COMPARATORS[t.comparator][0]
        value = word if t.value_text is None else f"{word} {t.value_text} {t.unit}"
        year = "every year 每年" if t.year is None else str(t.year)
        out.append(
            f"| `{t.id}` | {t.clause} | {year} | {ind.name} {ind.name_en} | {_cell(value)} "
            f"| {STRENGTHS[t.strength][0]} {t.strength} | {_cell(t.text)} | {_cell(t.summary_en)} |"
        )
    return [*out, ""]


def _duties(book: RuleBook, code: str, doc_id: str) -> list[str]:
    duties = [d for d in book.duties.get(code, []) if d.document.id == doc_id]
    if not duties:
        return []
    out = [
        "#### 用人单位、园区、幼儿园 Employers, parks and kindergartens (fs.duties)",
        "",
        "| id | clause 条款 | subject 对象 | threshold 门槛 | nursery classes 托班 | strength 效力 | 原文 | English |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for d in duties:
        subject = SUBJECTS[d.subject]
        limits = " or ".join(f"{m} ≥ {text}" for m, _, text in d.thresholds) or "—"
        kinds = [*d.projects, *([d.ownership] if d.ownership else [])]
        if kinds:
            limits = f"{limits}; {', '.join(kinds)}" if d.thresholds else ", ".join(kinds)
        classes = NURSERY_CLASSES[d.nursery_classes][0] if d.nursery_classes else "—"
        out.append(
            f"| `{d.id}` | {d.clause} | {subject[0]} {subject[1]} | {_cell(limits)} | {_cell(classes)} "
            f"| {STRENGTHS[d.strength][0]} {d.strength} | {_cell(d.text)} | {_cell(d.summary_en)} |"
        )
    return [*out, ""]


if __name__ == "__main__":  # pragma: no cover
    print(rules_reference(), end="")
