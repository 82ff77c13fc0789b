"""A comparison as a red-lined revision (修订对照): text, Markdown and HTML, Chinese or English.

A table of the figures first (原数值 / 新数值 / 变化 / 依据变化 / 变化日期), then each sentence of the
condition clause that changed: the old text with what was deleted marked, the new text with what
was inserted marked — 〔删：…〕 and 〔增：…〕 in text, ``~~…~~`` and ``**…**`` in Markdown,
``<del>`` and ``<ins>`` in HTML. The marks come from a character diff (:mod:`difflib`).
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..model.vocabulary import AREA_TYPE_PHRASES_EN, GRADE_TAGS, LETTER_KINDS, STRICTNESS
from .text import fmt_number

if TYPE_CHECKING:
    from ..results.comparison import Comparison, QuantityChange, RuleRef, SentenceChange

__all__ = ["comparison_html", "comparison_markdown", "comparison_text", "redline"]

#: (deleted, inserted) marks of each format and language: functions of the marked text.
_Mark = Callable[[str], str]


def _marks(fmt: str, zh: bool) -> tuple[_Mark, _Mark]:
    if fmt == "markdown":
        return (lambda s: f"~~{s}~~"), (lambda s: f"**{s}**")
    if fmt == "html":
        return (lambda s: f"<del>{s}</del>"), (lambda s: f"<ins>{s}</ins>")
    if zh:
        return (lambda s: f"〔删：{s}〕"), (lambda s: f"〔增：{s}〕")
    return (lambda s: f"[deleted: {s}]"), (lambda s: f"[inserted: {s}]")


_Op = tuple[str, int, int, int, int]


def _coalesce(ops: list[_Op]) -> list[_Op]:
    """Adjacent changes as one replacement."""
    out: list[_Op] = []
    for tag, i1, i2, j1, j2 in ops:
        if out and tag != "equal" and out[-1][0] != "equal":
            _, p1, _, q1, _ = out.pop()
            tag, i1, j1 = "replace", p1, q1
        out.append((tag, i1, i2, j1, j2))
    return out


#: What the diff compares: a Chinese character or a punctuation mark alone, a number (1,334 or
#: 200.1) or a Latin word whole, so that 30 → 35 reads as one number changed, not as 0 → 5.
# Whole tokens: a document number (西政办函〔2021〕15号) and a date (2021年10月1日, 2021-10-01) change as one
# (「〔删：2021年〕10〔删：月1〕日」 said nothing a reader could use), then 〔2021〕, numbers and Latin words.
_TOKEN = re.compile(
    r"[\u4e00-\u9fff]{0,8}〔[0-9]{4}〕[0-9]+号|[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日|[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|〔[0-9]+〕|[A-Za-z0-9]+(?:[.,][0-9]+)*|.",
    re.S,
)

#: Brackets a marked change must not leave open: 「一(三」 takes its 「)」 along.
_PAIRS = {"(": ")", "（": "）", "〔": "〕", "《": "》", "“": "”"}


def _offsets(tokens: list[str]) -> list[int]:
    out = [0]
    for token in tokens:
        out.append(out[-1] + len(token))
    return out


def _opcodes(old: str, new: str) -> list[_Op]:
    """The character diff (numbers and Latin words whole), in character offsets, cleaned up to read:
    an unchanged run at most half as long as the changes on both sides of it (「202」 between two
    rewritten citations) is taken into the change, in the manner of diff-match-patch's semantic
    cleanup, so that a rewritten sentence reads as one replacement."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    at, bt = _offsets(a), _offsets(b)
    tokens = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    ops = _coalesce([(tag, at[i1], at[i2], bt[j1], bt[j2]) for tag, i1, i2, j1, j2 in tokens])
    changed = True
    while changed:
        changed = False
        for k in range(1, len(ops) - 1):
            tag, i1, i2, j1, j2 = ops[k]
            if tag != "equal":
                continue
            before, after = ops[k - 1], ops[k + 1]
            around = min(max(op[2] - op[1], op[4] - op[3]) for op in (before, after))
            if 2 * (i2 - i1) <= around:
                ops[k] = ("replace", i1, i2, j1, j2)
                ops = _coalesce(ops)
                changed = True
                break
    return _close_brackets(ops, old, new)


def _open_bracket(text: str) -> str | None:
    """The closing bracket ``text`` leaves owed, if any."""
    for opening, closing in _PAIRS.items():
        if text.count(opening) > text.count(closing):
            return closing
    return None


def _close_brackets(ops: list[_Op], old: str, new: str) -> list[_Op]:
    """A change that opens a bracket takes its closing bracket from the unchanged text after it."""
    for k in range(len(ops) - 1):
        tag, i1, i2, j1, j2 = ops[k]
        after = ops[k + 1]
        if tag == "equal" or after[0] != "equal":
            continue
        closing = _open_bracket(old[i1:i2]) or _open_bracket(new[j1:j2])
        if closing is not None and old[i2 : i2 + 1] == closing:
            ops[k] = (tag, i1, i2 + 1, j1, j2 + 1)
            ops[k + 1] = ("equal", after[1] + 1, after[2], after[3] + 1, after[4])
    return _coalesce([op for op in ops if op[0] != "equal" or op[2] > op[1]])


def redline(old: str, new: str, fmt: str = "text", lang: str = "zh") -> tuple[str, str]:
    """The old text with its deletions marked, and the new text with its insertions marked.

    Examples
    --------
    >>> redline("托位不少于30个。", "托位不少于35个。")
    ('托位不少于〔删：30〕个。', '托位不少于〔增：35〕个。')
    >>> redline("每百户不少于15平方米", "每百户不少于20平方米", "markdown")
    ('每百户不少于~~15~~平方米', '每百户不少于**20**平方米')
    >>> redline("规则适用日期：2021年10月1日。", "规则适用日期：2022年9月10日。")
    ('规则适用日期：〔删：2021年10月1日〕。', '规则适用日期：〔增：2022年9月10日〕。')
    """
    zh = lang == "zh"
    deleted, inserted = _marks(fmt, zh)
    esc = html.escape if fmt == "html" else str
    before, after = [], []
    for tag, i1, i2, j1, j2 in _opcodes(old, new):
        if tag == "equal":
            before.append(esc(old[i1:i2]))
            after.append(esc(new[j1:j2]))
            continue
        if i2 > i1:
            before.append(deleted(esc(old[i1:i2])))
        if j2 > j1:
            after.append(inserted(esc(new[j1:j2])))
    return "".join(before), "".join(after)


# ---------------------------------------------------------------------------------------
# The parts of the report


def _day(cmp: Comparison, which: str, zh: bool) -> str:
    req = cmp.old if which == "old" else cmp.new
    stamp = req.stamp
    if zh:
        day = f"{req.on.year}年{req.on.month}月{req.on.day}日"
        return f"{'原' if which == 'old' else '新'}：{day}，规则数据 {stamp.get('rule_data', '—')}，库 {stamp.get('library', '—')}"
    return (
        f"{'Old' if which == 'old' else 'New'}: {req.on.isoformat()}, rule data {stamp.get('rule_data', '—')}, "
        f"library {stamp.get('library', '—')}"
    )


def _title(cmp: Comparison, zh: bool) -> str:
    div = cmp.new.jurisdiction
    kind = LETTER_KINDS[cmp.new.area_type].title  # a configuration requirement where no land is transferred
    if zh:
        return f"{kind.zh}修订对照（{div.name}{cmp.new.area_term}）"
    return f"{kind.en}: revision comparison ({div.name_en}, {AREA_TYPE_PHRASES_EN[cmp.new.area_type]})"


def _figure(row: QuantityChange, value: float | int | None, zh: bool) -> str:
    if value is None:
        return "无指标" if zh else "no figure"
    return f"{fmt_number(value)} {row.unit.zh if zh else row.unit.en}"


def _cites(rules: tuple[RuleRef, ...], zh: bool) -> str:
    if not rules:
        return "（无）" if zh else "(none)"
    sep = "；" if zh else "; "
    return sep.join(
        dict.fromkeys(r.citation + (GRADE_TAGS[r.grade].zh if zh else GRADE_TAGS[r.grade].en) for r in rules)
    )


def _change(row: QuantityChange, zh: bool) -> str:
    """How the figure changed, and for a raised or lowered one whether that asks more or less."""
    text = row.change_label.zh if zh else row.change_label.en
    if row.change in ("raised", "lowered"):
        strictness = STRICTNESS["stricter" if row.stricter else "looser"]
        text += f"（{strictness.zh}）" if zh else f" ({strictness.en})"
    return text


def _basis(row: QuantityChange, zh: bool) -> str:
    if not row.basis_changed:
        return "未变" if zh else "unchanged"
    return f"{_cites(row.old_rules, zh)} → {_cites(row.new_rules, zh)}"


def _when(row: QuantityChange, zh: bool) -> str:
    day = row.changed_on
    if day is None:
        return "—"
    # a document known by report only: its date of effect was not seen, which is not "the document states none"
    reported = any(r.grade == "reported" for r in (*row.new_rules, *row.old_rules))
    if zh:
        text = f"{day.year}年{day.month}月{day.day}日"
        if row.changed_on_stated:
            return text
        return text + ("（据报道日期，施行日期未见原文）" if reported else "（文件未载明，按此日适用）")
    if row.changed_on_stated:
        return day.isoformat()
    tail = (
        " (the report's date; the date of effect not seen)"
        if reported
        else " (applied from; not stated by the document)"
    )
    return day.isoformat() + tail


def _table_rows(cmp: Comparison, zh: bool) -> tuple[list[str], list[list[str]]]:
    head = (
        ["项目", "原数值", "新数值", "变化", "依据变化", "变化日期"]
        if zh
        else ["Quantity", "Old", "New", "Change", "Basis", "Date of change"]
    )
    rows = [
        [
            row.label.zh if zh else row.label.en,
            _figure(row, row.old, zh),
            _figure(row, row.new, zh),
            _change(row, zh),
            _basis(row, zh),
            _when(row, zh),
        ]
        for row in cmp.quantities
    ]
    return head, rows


def _heads(zh: bool) -> tuple[str, str]:
    return ("一、数值对照", "二、条款对照") if zh else ("1. Figures", "2. Clause")


def _changed(cmp: Comparison) -> list[SentenceChange]:
    return [s for s in cmp.sentences if s.status != "same"]


def _sentence_lines(s: SentenceChange, fmt: str, zh: bool) -> list[str]:
    """The old and the new text of one sentence, marked."""
    old = s.old_zh if zh else s.old_en
    new = s.new_zh if zh else s.new_en
    label = s.status_label.zh if zh else s.status_label.en
    deleted, inserted = _marks(fmt, zh)
    esc = html.escape if fmt == "html" else str
    old_tag, new_tag = ("原：", "新：") if zh else ("Old: ", "New: ")
    if s.status == "added":
        return [f"{label}{'：' if zh else ': '}{inserted(esc(new or ''))}"]
    if s.status == "removed":
        return [f"{label}{'：' if zh else ': '}{deleted(esc(old or ''))}"]
    before, after = redline(old or "", new or "", fmt, "zh" if zh else "en")
    return [old_tag + before, new_tag + after]


def _unchanged(cmp: Comparison, zh: bool) -> str:
    same = sum(s.status == "same" for s in cmp.sentences)
    return f"其余 {same} 句未变。" if zh else f"{same} other sentences unchanged."


# ---------------------------------------------------------------------------------------
# The formats


def comparison_text(cmp: Comparison, lang: str = "zh") -> str:
    """The 修订对照 as plain text: deletions 〔删：…〕, insertions 〔增：…〕 (English: [deleted: …], [inserted: …]).

    Examples
    --------
    >>> import facility_sizing as fs
    >>> req = fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
    >>> comparison_text(fs.compare(req, req)).splitlines()[-1]
    '其余 12 句未变。'
    """
    zh = lang == "zh"
    lines = [_title(cmp, zh), _day(cmp, "old", zh), _day(cmp, "new", zh), ""]
    figures, clause = _heads(zh)
    head, rows = _table_rows(cmp, zh)
    lines.append(figures)
    lines += [" | ".join(head)] + [" | ".join(r) for r in rows]
    lines += ["", clause]
    for n, s in enumerate(_changed(cmp), start=1):
        first, *rest = _sentence_lines(s, "text", zh)
        lines.append(f"（{n}）{first}" if zh else f"({n}) {first}")
        lines += [("    " + line) for line in rest]
    lines.append(_unchanged(cmp, zh))
    return "\n".join(lines) + "\n"


def comparison_markdown(cmp: Comparison, lang: str = "zh") -> str:
    """The 修订对照 as Markdown: a table of the figures, then deletions ``~~…~~`` and insertions ``**…**``."""
    zh = lang == "zh"
    lines = [f"## {_title(cmp, zh)}", "", f"- {_day(cmp, 'old', zh)}", f"- {_day(cmp, 'new', zh)}", ""]
    figures, clause = _heads(zh)
    head, rows = _table_rows(cmp, zh)
    lines += [f"### {figures}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in r) + " |" for r in rows]
    lines += ["", f"### {clause}", ""]
    for n, s in enumerate(_changed(cmp), start=1):
        first, *rest = _sentence_lines(s, "markdown", zh)
        lines.append(f"{n}. {first}")
        lines += [f"   {line}" for line in rest]
    lines += ["", _unchanged(cmp, zh)]
    return "\n".join(lines) + "\n"


def comparison_html(cmp: Comparison, lang: str = "zh") -> str:
    """The 修订对照 as an HTML fragment: a table of the figures, then ``<del>`` and ``<ins>``."""
    zh = lang == "zh"
    esc = html.escape
    figures, clause = _heads(zh)
    head, rows = _table_rows(cmp, zh)
    table = "<tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr>"
    table += "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
    items = "".join("<li>" + "<br>".join(_sentence_lines(s, "html", zh)) + "</li>" for s in _changed(cmp))
    return (
        f"<div><h3>{esc(_title(cmp, zh))}</h3><p>{esc(_day(cmp, 'old', zh))}<br>{esc(_day(cmp, 'new', zh))}</p>"
        f"<h4>{esc(figures)}</h4><table>{table}</table><h4>{esc(clause)}</h4><ol>{items}</ol>"
        f"<p>{esc(_unchanged(cmp, zh))}</p></div>"
    )
