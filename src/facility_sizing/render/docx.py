"""The condition letter as a Word document (.docx), laid out as a Chinese official document.

The layout follows GB/T 9704-2012 《党政机关公文格式》: A4, margins 37 mm top, 35 mm bottom, 28 mm
left and 26 mm right; body text 仿宋 三号 (16 pt) on a fixed line pitch of 28.95 pt (22 lines a
page), each paragraph indented two characters; the title 方正小标宋简体 二号 (22 pt), centred;
headings numbered 一、（一）1.（1）, the first level 黑体 and the second 楷体; page numbers
「— 1 —」 in 宋体 四号 at the outer corner. The English version has the same structure in Times
New Roman.

A letter is its template filled (:mod:`facility_sizing.render.letter`): the built-in one, a GB/T
9704 letter with blanks (＿＿＿＿) for the bureau's number, addressee, signature, seal and date,
or a bureau's own letterhead with the same placeholders. Everything the letter states comes from
the :class:`~facility_sizing.render.clause.Clause`: its title, flags, preamble and the sections of
:meth:`~facility_sizing.render.clause.Clause.sections`, so a section added to the clause appears
here with no change. Given the :class:`~facility_sizing.Requirement` too, an annex 附件：计算书
follows on landscape pages: what each rule behind each figure sets and the value it gives, the
value the letter states, its clause, strength and whether it binds; the documents with the grade
of their text; and the stamp that reproduces the figures. Nothing is computed here.

Fonts are named, never embedded: each role names its first choice and lists the others in the
document's font table (``w:altName``, with its family: a serif or a sans face), which Word uses
where the first is not installed. The text's East Asian language is Chinese (zh-CN), so a
computer without the fonts falls back to a Chinese face. Writing needs python-docx, the ``word``
extra: ``pip install "facility-sizing[word]"``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from .annex import ANNEX_HEADINGS, CALCULATION_HEADS, SOURCE_HEADS, calculation_rows, source_rows
from .clause import Clause, build_clause, stamp_line
from .docstyle import FONTS, PAGE, STYLES, TEMPLATE_DAY, builtin_template, ordinal, prepare, require_docx
from .letter import FIELDS, Template, docx_bytes, fill, landscape_section, letter_values, open_template

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from ..results.requirement import Requirement

__all__ = [
    "FONTS",
    "PAGE",
    "STYLES",
    "WORD_JOINER",
    "builtin_template",
    "clause_docx",
    "ordinal",
    "requirement_docx",
    "title_text",
]


# ---------------------------------------------------------------------------------------
# The letter's blocks: each writes its paragraphs at the end of the body


#: Dates (2021年9月20日, 2021-09-20) and numbers with their separators (1,334 · 200.1 · 2021).
_UNBROKEN = re.compile(
    r"(?P<docnum>[\u4e00-\u9fff]{1,10}〔\d{4}〕\d+号)|(?P<date>\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2})|\d+(?:[.,]\d+)*"
)

#: The word joiner (U+2060): no line break on either side of it, and no width.
WORD_JOINER = "\u2060"


def _latin_run(paragraph: Paragraph, text: str, style: str | None) -> Any:
    """A run marked as not East Asian text: LibreOffice breaks its lines by the Unicode rules, as Word does."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run(text, style=style)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "en-US")
    run._r.get_or_add_rPr().append(language)
    return run


def _iso_date(paragraph: Paragraph, text: str, style: str | None) -> None:
    """2021-09-20 with non-breaking hyphens (``w:noBreakHyphen``, which Word and python-docx read as -)."""
    from docx.oxml import OxmlElement

    run = paragraph.add_run(style=style)
    for n, part in enumerate(text.split("-")):
        if n:
            run._r.append(OxmlElement("w:noBreakHyphen"))
        run._r.add_t(part)


def _text(paragraph: Paragraph, text: str, lang: str, style: str | None = None) -> None:
    """``text`` added to the paragraph, no number or date broken across two lines (1,3/34, 〔2/021〕,
    202/6年). Word keeps a number whole, LibreOffice only where it is not read as Chinese: each number
    is a run of its own marked as not East Asian text; a Chinese date is such a run with word joiners
    (U+2060) between its numbers and 年月日, an ISO date has non-breaking hyphens. What it says is unchanged."""
    at = 0
    for match in _UNBROKEN.finditer(text):
        if match.start() > at:
            paragraph.add_run(text[at : match.start()], style=style)
        piece = match.group(0)
        if match.group("docnum"):  # 西政办函〔2021〕15号: joined at every character, one line
            _latin_run(paragraph, WORD_JOINER.join(piece), style)
        elif match.group("date") and "-" in piece:
            _iso_date(paragraph, piece, style)
        elif lang == "zh" and match.group("date"):
            _latin_run(paragraph, re.sub(r"(?<=\d)(?=\D)|(?<=\D)(?=\d)", WORD_JOINER, piece), style)
        elif lang == "zh":
            _latin_run(paragraph, piece, style)
        else:
            paragraph.add_run(piece, style=style)
        at = match.end()
    if at < len(text):
        paragraph.add_run(text[at:], style=style)


def _paragraph(document: Document, text: str, role: str, lang: str) -> Paragraph:
    paragraph = document.add_paragraph(style=STYLES[role].name)
    _text(paragraph, text, lang)
    return paragraph


def _numbered(level: int, n: int, text: str, lang: str) -> str:
    """一、配建规模 / 1. Size: a number and its text, a space between them in English."""
    return ordinal(level, n, lang) + ("" if lang == "zh" else " ") + text


def title_text(title: str) -> str:
    """The title as the letter writes it: a Chinese title too long for a line breaks before its （…）.

    Examples
    --------
    >>> title_text("托育服务设施配建要求（柯桥区新建城市居住区）")
    '托育服务设施配建要求\\n（柯桥区新建城市居住区）'
    """
    per_line = int(PAGE.text_width_pt // PAGE.title_pt)  # 20 characters
    head, bracket, rest = title.partition("（")
    if len(title) <= per_line or not bracket or not head:
        return title
    return f"{head}\n{bracket}{rest}"


def _write_parcel(document: Document, values: Mapping[str, str], lang: str) -> None:
    """One line naming the parcel: 地块编号 and 项目名称 (blanks where not given), and 地块坐落 where given."""
    parts = []
    for key in ("parcel_id", "project_name", "address"):
        field = FIELDS[key]
        if key == "address" and values.get(key, field.blank(lang)) == field.blank(lang):
            continue
        parts.append(field.label(lang) + ("：" if lang == "zh" else ": ") + values.get(key, field.blank(lang)))
    _paragraph(document, ("\u3000\u3000" if lang == "zh" else "; ").join(parts), "body", lang)


def _write_clause(document: Document, clause: Clause, lang: str, title: bool, annexed: bool) -> None:
    """(The title, where the template has no place for it,) flags, preamble, then each section: its
    heading (一、) and its numbered lines (（一）); then the annex's note (附件：计算书)."""
    zh = lang == "zh"
    if title:
        paragraph = document.add_paragraph(style=STYLES["title"].name)
        paragraph.add_run(title_text(clause.title_zh if zh else clause.title_en))
        _paragraph(document, "", "body", lang)
    for flag in clause.flags_zh if zh else clause.flags_en:
        _paragraph(document, f"【{flag}】" if zh else f"[{flag}]", "flag", lang)
    preamble = clause.preamble_zh if zh else clause.preamble_en
    if preamble:
        _paragraph(document, preamble, "body", lang)
    for number, (head, lines) in enumerate(clause.sections(lang), start=1):
        _paragraph(document, _numbered(1, number, head, lang), "heading", lang)
        for n, text in enumerate(lines, start=1):
            line = document.add_paragraph(style=STYLES["body"].name)
            line.add_run(_numbered(2, n, "", lang), style=STYLES["number2"].name)  # （一） in 楷体
            _text(line, text, lang)
    if annexed:  # 附件说明: below the text, a line between, two characters in
        _paragraph(document, "", "body", lang)
        _paragraph(document, "附件：计算书" if zh else "Annex: Calculation", "body", lang)


def _cell(cell: Any, text: str, style: str, lang: str) -> None:
    from docx.enum.table import WD_ALIGN_VERTICAL

    paragraph = cell.paragraphs[0]
    paragraph.style = style
    _text(paragraph, text, lang)
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER


def _table(
    document: Document,
    heads: list[str],
    widths_mm: tuple[float, ...],
    groups: list[tuple[str, list[list[str]]]],
    lang: str,
    merged: tuple[int, ...] = (0,),
) -> Table:
    """A ruled table: a header row (repeated on each page), then each group's rows, its label in the
    first column and the ``merged`` columns spanning the group's rows; no row split across pages."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.shared import Mm

    table = document.add_table(rows=1 + sum(len(rows) for _, rows in groups), cols=len(heads), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    for n, row in enumerate(table.rows):
        row_properties = row._tr.get_or_add_trPr()
        row_properties.append(OxmlElement("w:cantSplit"))
        if n == 0:
            row_properties.append(OxmlElement("w:tblHeader"))
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        _cell(cell, head, STYLES["table_head"].name, lang)
    top = 1
    for label, rows in groups:
        for i, values in enumerate(rows):
            cells = table.rows[top + i].cells
            for c, (cell, value) in enumerate(zip(cells, [label, *values[1:]], strict=True)):
                if i == 0 or c not in merged:  # a merged column is written once, in the group's first row
                    _cell(cell, value, STYLES["table"].name, lang)
        for c in merged if len(rows) > 1 else ():
            table.cell(top, c).merge(table.cell(top + len(rows) - 1, c))
        top += len(rows)
    return table


#: The annex's columns (mm), filling the 225 mm of a landscape page's text block.
CALCULATION_WIDTHS_MM = (22, 42, 24, 24, 61, 28, 24)
SOURCE_WIDTHS_MM = (52, 95, 46, 32)


def _write_annex(document: Document, req: Requirement, clause: Clause, lang: str) -> None:
    """附件 计算书 — what each rule behind each figure sets, the documents with their grades, and the stamp."""
    zh = lang == "zh"
    _paragraph(document, "附件" if zh else "Annex", "annex", lang)
    title = document.add_paragraph(style=STYLES["title"].name)
    title.add_run("计算书" if zh else "Calculation")
    heads = ANNEX_HEADINGS[lang]
    _paragraph(document, _numbered(1, 1, heads[0], lang), "heading", lang)
    rows = calculation_rows(req, clause, lang)
    _table(document, CALCULATION_HEADS[lang], CALCULATION_WIDTHS_MM, rows, lang, (0, 3))
    _paragraph(document, _numbered(1, 2, heads[1], lang), "heading", lang)
    sources = [(row[0], [row]) for row in source_rows(req, lang)]
    _table(document, SOURCE_HEADS[lang], SOURCE_WIDTHS_MM, sources, lang)
    _paragraph(document, _numbered(1, 3, heads[2], lang), "heading", lang)
    _paragraph(document, stamp_line(clause.stamp or req.stamp, lang), "record", lang)


def _write_note(document: Document, clause: Clause, lang: str) -> None:
    """A clause alone has no annex: its stamp closes the letter as a note (附注), in brackets."""
    record = stamp_line(clause.stamp, lang)
    _paragraph(document, f"（{record}）" if lang == "zh" else f"({record})", "record", lang)


# ---------------------------------------------------------------------------------------
# The letter


def _values(clause: Clause, req: Requirement | None, letter: Mapping[str, object] | None, lang: str) -> dict[str, str]:
    """Every inline field's text: the given ones, the clause's, and a blank for the rest."""
    given = letter_values(letter, lang)
    if "issuer" in given:
        given.setdefault("signature", given["issuer"])
    if req is not None:
        given["jurisdiction"] = req.jurisdiction.name if lang == "zh" else req.jurisdiction.name_en
    given["title"] = title_text(clause.title_zh if lang == "zh" else clause.title_en)
    return {key: given.get(key, field.blank(lang)) for key, field in FIELDS.items() if field.kind != "block"}


def _properties(document: Document, clause: Clause, req: Requirement | None, lang: str) -> None:
    """The file's own record (File > Properties): title, subject, producer, and the stamp as a comment."""
    zh = lang == "zh"
    props = document.core_properties
    props.title = clause.title_zh if zh else clause.title_en
    props.subject = clause.title_zh.split("（")[0] if zh else clause.title_en.split(" (")[0]  # 配建 or 配置要求
    props.author = props.last_modified_by = "facility-sizing"
    props.language = "zh-CN" if zh else "en-GB"
    props.keywords = "; ".join(str(d.get("document", "")) for d in clause.documents)
    props.comments = json.dumps(req.stamp if req is not None else clause.stamp, ensure_ascii=False)


def _letter_day(clause: Clause, req: Requirement | None) -> dt.date:
    """The date a letter's bytes bear: the date its rules apply, never the clock."""
    if req is not None:
        return req.on
    return dt.date.fromisoformat(str(clause.stamp.get("on", TEMPLATE_DAY.isoformat())))


def clause_docx(
    clause: Clause,
    lang: str = "zh",
    requirement: Requirement | None = None,
    *,
    template: Template | None = None,
    letter: Mapping[str, object] | None = None,
) -> bytes:
    """The clause as a Word letter (.docx), laid out as a Chinese official document (GB/T 9704-2012).

    Parameters
    ----------
    clause : Clause
        The clause (:func:`~facility_sizing.render.build_clause`); every line of the letter is its.
    lang : {"zh", "en"}
        Chinese (default) or English; the structure is the same.
    requirement : Requirement, optional
        The requirement the clause was built from: with it, the annex 附件：计算书 follows (what
        each rule behind each figure sets, the documents with their grades, the stamp).
    template : path or bytes, optional
        A bureau's letterhead (.docx or .dotx) with the placeholders of
        :mod:`facility_sizing.render.letter`; by default the built-in GB/T 9704 letter.
    letter : mapping, optional
        The letter's fields by placeholder name: 文号, 主送, 发文机关, 落款, 日期, 地块编号, 项目名称,
        地址 (or number, addressee, issuer, signature, date, parcel_id, project_name, address). A
        field not given is a blank (＿＿＿＿) to fill in by hand.

    Returns
    -------
    bytes
        The .docx file: the same bytes for the same inputs and rule data.

    Raises
    ------
    MissingDependencyError
        python-docx is not installed (the ``word`` extra).
    InputError
        A template that cannot be read or has an unknown placeholder, or an unknown field.
    ValueError
        ``lang`` is neither ``zh`` nor ``en``.

    Examples
    --------
    >>> import io, docx, facility_sizing as fs
    >>> from facility_sizing.render import build_clause
    >>> req = fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
    >>> data = clause_docx(build_clause(req), "zh", req, letter={"地块编号": "XH-01", "项目名称": "西溪花园"})
    >>> [p.text for p in docx.Document(io.BytesIO(data)).paragraphs[:6]]  # doctest: +NORMALIZE_WHITESPACE
    ['＿＿〔＿＿＿＿〕＿＿号', '托育服务设施配建要求（西湖区新建居住区）', '', '＿＿＿＿＿＿＿＿＿＿：',
     '地块编号：XH-01\u3000\u3000项目名称：西溪花园', '一、配建规模']
    >>> data == clause_docx(build_clause(req), "zh", req, letter={"地块编号": "XH-01", "项目名称": "西溪花园"})
    True
    """
    require_docx()
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    document, where = open_template(template, lang)
    prepare(document, lang)
    values = _values(clause, requirement, letter, lang)
    has_title = any(name in "".join(p.text for p in document.paragraphs) for name in ("{{标题}}", "{{title}}"))
    annex: list[Any] = []
    blocks: dict[str, Callable[[Document], None]] = {
        "parcel": lambda d: _write_parcel(d, values, lang),
        "clause": lambda d: _write_clause(d, clause, lang, not has_title, requirement is not None),
        "annex": lambda d: _record(d, annex, lambda: _annex_or_note(d, clause, requirement, lang)),
    }
    fill(document, values, blocks, where)
    _check_given(document, letter_values(letter, lang), where)
    if requirement is not None and annex:
        landscape_section(document, annex[0], annex[-1])
    _properties(document, clause, requirement, lang)
    return docx_bytes(document, _letter_day(clause, requirement))


def _check_given(document: Document, given: Mapping[str, str], where: str) -> None:
    """Every field the caller gave is in the letter: a template without a place for one is refused, not obeyed silently.

    Raises
    ------
    InputError
        Naming the fields the template has no placeholder (or block) for.
    """
    text = "".join(p.text for p in document.paragraphs) + "".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    for section in document.sections:
        text += "".join(p.text for p in section.header.paragraphs) + "".join(p.text for p in section.footer.paragraphs)
    text = "".join(text.split()).replace("\u2060", "")
    missing = [FIELDS[key].zh for key, value in given.items() if "".join(value.split()) not in text]
    if missing:
        raise InputError("letters.given_without_place", field="template", value=where, fields=missing)


def _annex_or_note(document: Document, clause: Clause, req: Requirement | None, lang: str) -> None:
    if req is not None:
        _write_annex(document, req, clause, lang)
    elif clause.stamp:
        _write_note(document, clause, lang)


def _record(document: Document, added: list[Any], write: Callable[[], None]) -> None:
    """Run a block's writer and keep the body elements it added (the annex's first and last)."""
    body = document.element.body
    count = len(body)
    write()
    added.extend(list(body)[count - 1 : len(body) - 1])


def requirement_docx(
    req: Requirement,
    lang: str = "zh",
    round_area: str = "exact",
    *,
    template: Template | None = None,
    letter: Mapping[str, object] | None = None,
) -> bytes:
    """The condition letter of a requirement as a Word document, with its annex 附件：计算书.

    What ``req.clause(fmt="docx")`` returns; see :func:`clause_docx`.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> req = fs.size(jurisdiction="柯桥区", households=3000, persons_per_household=2.7,
    ...               area_type="new_build", on="2025-01-01")
    >>> requirement_docx(req)[:2]  # a .docx is a zip file
    b'PK'
    """
    return clause_docx(build_clause(req, round_area), lang, req, template=template, letter=letter)
