"""The condition-letter clause as a Word document (.docx), laid out as a Chinese official document.

The layout follows GB/T 9704-2012 《党政机关公文格式》: A4, margins 37 mm top, 35 mm bottom, 28 mm
left and 26 mm right; body text 仿宋 三号 (16 pt) on a fixed line pitch of 28.95 pt (22 lines a
page), each paragraph indented two characters; the title 方正小标宋简体 二号 (22 pt), centred;
headings numbered 一、（一）1.（1）, the first level 黑体 and the second 楷体; page numbers
「— 1 —」 in 宋体 四号 at the outer corner. The English version has the same structure in Times
New Roman.

Everything comes from the :class:`~facility_sizing.render.clause.Clause`: its title, flags,
preamble and the sections of :meth:`~facility_sizing.render.clause.Clause.sections`, so a
section added to the clause appears here with no change. Given the
:class:`~facility_sizing.Requirement` too, an annex 附件：计算书 follows: each rule behind each
figure with the value it gives, the value the letter states, its clause, strength and whether it
binds; the documents with the grade of their text; and the stamp that reproduces the figures.
Nothing is computed here: the figures are the requirement's and the clause's.

Fonts are named, never embedded: each role names its first choice and lists the others in the
document's font table (``w:altName``), which Word uses where the first is not installed. Writing
needs python-docx, the ``word`` extra: ``pip install "facility-sizing[word]"``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import MissingDependencyError
from .annex import ANNEX_HEADINGS, CALCULATION_HEADS, SOURCE_HEADS, calculation_rows, source_rows
from .clause import Clause, build_clause, stamp_line

if TYPE_CHECKING:
    from docx.document import Document
    from docx.section import Section
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from ..results.requirement import Requirement

__all__ = ["FONTS", "PAGE", "STYLES", "clause_docx", "ordinal", "requirement_docx"]


@dataclass(frozen=True)
class PageLayout:
    """The page of GB/T 9704-2012: A4, its margins, type sizes and line pitch (mm and pt)."""

    width_mm: float = 210
    height_mm: float = 297
    top_mm: float = 37
    bottom_mm: float = 35
    left_mm: float = 28
    right_mm: float = 26
    #: page numbers sit 7 mm below the text block: the footer's distance from the page's edge
    footer_mm: float = 22
    #: 22 lines on the 225 mm text block (29 pt would leave room for 21)
    line_pt: float = 28.95
    body_pt: float = 16  # 三号
    title_pt: float = 22  # 二号
    title_line_pt: float = 35  # a two-line title keeps its glyphs clear of each other
    page_number_pt: float = 14  # 四号
    table_pt: float = 10.5  # 五号


PAGE = PageLayout()

#: The fonts of each role, first choice first. The first is written into the text; the others are
#: its alternates in the font table (Windows, then macOS names), for a computer that lacks it.
FONTS: dict[str, tuple[str, ...]] = {
    "body": ("仿宋_GB2312", "仿宋", "华文仿宋"),
    "title": ("方正小标宋简体", "华文中宋", "宋体"),
    "heading": ("黑体", "华文黑体", "微软雅黑"),
    "subheading": ("楷体_GB2312", "楷体", "华文楷体"),
    "page_number": ("宋体", "华文宋体", "新宋体"),
    "latin": ("Times New Roman",),
}


@dataclass(frozen=True)
class StyleSpec:
    """One style of the letter: its name in Word, fonts, size and paragraph layout."""

    name: str
    fonts: str
    size: float
    align: str = "justify"
    indent: bool = True
    line: float | None = PAGE.line_pt
    bold_en: bool = False
    character: bool = False
    keep_with_next: bool = False


#: The letter's styles, by role. Word lists them under these names.
STYLES: dict[str, StyleSpec] = {
    "title": StyleSpec(
        "公文标题 Title", "title", PAGE.title_pt, "center", False, PAGE.title_line_pt, True, keep_with_next=True
    ),
    "body": StyleSpec("公文正文 Body", "body", PAGE.body_pt),
    "flag": StyleSpec("提示 Flag", "heading", PAGE.body_pt, bold_en=True),
    "heading": StyleSpec("一级标题 Heading", "heading", PAGE.body_pt, bold_en=True, keep_with_next=True),
    "number2": StyleSpec("二级序号 Number", "subheading", PAGE.body_pt, character=True),
    "annex": StyleSpec("附件标识 Annex", "heading", PAGE.body_pt, "left", False, bold_en=True, keep_with_next=True),
    "table": StyleSpec("表格文字 Table text", "body", PAGE.table_pt, "left", False, None),
    "table_head": StyleSpec("表头 Table head", "heading", PAGE.table_pt, "center", False, None, True),
    "record": StyleSpec("生成信息 Record", "body", PAGE.table_pt, "left", False, None),
    "page_number": StyleSpec("页码 Page number", "page_number", PAGE.page_number_pt, "right", False, None),
}

_ZH_DIGITS = "〇一二三四五六七八九"


def _zh_number(n: int) -> str:
    """一 … 九十九 (a letter has fewer than a hundred of anything)."""
    tens, units = divmod(n, 10)
    if tens == 0:
        return _ZH_DIGITS[units]
    return ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + (_ZH_DIGITS[units] if units else "")


def ordinal(level: int, n: int, lang: str = "zh") -> str:
    """The number of the ``n``-th heading at ``level`` (1–4), as GB/T 9704-2012 numbers them.

    Chinese: 一、 （一） 1. （1）; English: 1. (1) (a) (i) — the same four levels.

    Examples
    --------
    >>> [ordinal(level, 12) for level in (1, 2, 3, 4)]
    ['十二、', '（十二）', '12.', '（12）']
    >>> [ordinal(level, 3, "en") for level in (1, 2, 3, 4)]
    ['3.', '(3)', '(c)', '(iii)']
    """
    if level not in (1, 2, 3, 4) or not 1 <= n <= 99:
        raise ValueError(f"level must be 1 to 4 and n 1 to 99, got level={level!r}, n={n!r}")
    if lang == "zh":
        return (f"{_zh_number(n)}、", f"（{_zh_number(n)}）", f"{n}.", f"（{n}）")[level - 1]
    roman = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"]
    small = roman[n] if n < 10 else f"{n}"
    return (f"{n}.", f"({n})", f"({chr(96 + n) if n <= 26 else n})", f"({small})")[level - 1]


# ---------------------------------------------------------------------------------------
# The document: page, styles, fonts and page numbers


def _require_docx() -> None:
    try:
        import docx  # noqa: F401  (only whether it is installed)
    except ImportError:
        raise MissingDependencyError("python-docx", "word", "purposes.word") from None


def _set_fonts(fonts: Any, east_asia: str, latin: str) -> None:
    """Name the fonts of a ``w:rFonts`` element (of a style, or of the defaults): East Asian and Latin."""
    from docx.oxml.ns import qn

    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the names below
    for attribute, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(attribute), name)


def _page(section: Section, landscape: bool = False) -> None:
    """A4 with the margins of GB/T 9704; turned for a landscape table (横排表格), its head towards
    the binding edge: the portrait page's left margin is then the top one."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE.height_mm), Mm(PAGE.width_mm)
        section.top_margin, section.bottom_margin = Mm(PAGE.left_mm), Mm(PAGE.right_mm)
        section.left_margin, section.right_margin = Mm(PAGE.bottom_mm), Mm(PAGE.top_mm)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE.width_mm), Mm(PAGE.height_mm)
        section.top_margin, section.bottom_margin = Mm(PAGE.top_mm), Mm(PAGE.bottom_mm)
        section.left_margin, section.right_margin = Mm(PAGE.left_mm), Mm(PAGE.right_mm)
    section.footer_distance = Mm(PAGE.footer_mm)


def _defaults(document: Document, lang: str) -> None:
    """The document's default fonts and language, and no space between paragraphs."""
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(qn("w:rPrDefault"))
    _set_fonts(run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}"), FONTS["body"][0], FONTS["latin"][0])
    language = run.find(f"{qn('w:rPr')}/{qn('w:lang')}")
    if language is not None:
        language.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-GB")
        language.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:
        spacing.set(qn("w:after"), "0")


#: The template's own styles a letter keeps (the table grid and what it rests on); its other styles go.
_TEMPLATE_STYLES = ("Normal", "Default Paragraph Font", "Normal Table", "No List", "Table Grid")


def _lean_styles(document: Document) -> None:
    """Only the styles the letter uses: Word's style list shows the letter's own, and python-docx,
    which looks a style up by scanning them all, writes a letter in half the time."""
    from docx.oxml.ns import qn

    root = document.styles.element
    for style in root.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is None or name.get(qn("w:val")) not in _TEMPLATE_STYLES:
            root.remove(style)


def _styles(document: Document, lang: str) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    _lean_styles(document)
    _defaults(document, lang)
    aligns = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }
    latin = FONTS["latin"][0]
    for spec in STYLES.values():
        kind = WD_STYLE_TYPE.CHARACTER if spec.character else WD_STYLE_TYPE.PARAGRAPH
        style: Any = document.styles.add_style(spec.name, kind)
        style.quick_style = True
        _set_fonts(style.element.get_or_add_rPr().get_or_add_rFonts(), FONTS[spec.fonts][0], latin)
        style.font.size = Pt(spec.size)
        style.font.bold = lang == "en" and spec.bold_en
        if spec.character:
            continue
        style.base_style = document.styles["Normal"]
        fmt = style.paragraph_format
        fmt.alignment = aligns[spec.align]
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.first_line_indent = Pt(2 * spec.size) if spec.indent else Pt(0)
        fmt.keep_with_next = spec.keep_with_next
        if spec.line is None:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            fmt.line_spacing = Pt(spec.line)
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal: Any = document.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr().get_or_add_rFonts(), FONTS["body"][0], latin)
    normal.font.size = Pt(PAGE.body_pt)


def _font_table(document: Document) -> None:
    """Each first-choice font in the font table, with the others of its role as alternates."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from lxml import etree

    part: Any = document.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    table = parse_xml(part.blob)
    for role, names in FONTS.items():
        if role == "latin":
            continue
        entry = parse_xml(
            f'<w:font {nsdecls("w")} w:name="{names[0]}"><w:altName w:val="{",".join(names[1:])}"/>'
            '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        )
        table.append(entry)
    # a plain part of python-docx (bytes, not XML it keeps): its bytes are replaced
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (``PAGE``): begin, instruction, separator, the value shown until updated, end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run().element.append(char("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run().element.append(code)
    paragraph.add_run().element.append(char("separate"))
    paragraph.add_run(shown)
    paragraph.add_run().element.append(char("end"))


def _page_numbers(document: Document) -> None:
    """「— 1 —」: odd pages at the right, even pages at the left, one character in from the edge."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    em = Pt(PAGE.page_number_pt)
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles[STYLES["page_number"].name]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
        if odd:
            paragraph.paragraph_format.right_indent = em
        else:
            paragraph.paragraph_format.left_indent = em
        paragraph.add_run("— ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(" —")


def _new_document(lang: str) -> Document:
    import docx

    document = docx.Document()
    _page(document.sections[0])
    _styles(document, lang)
    _font_table(document)
    _page_numbers(document)
    return document


# ---------------------------------------------------------------------------------------
# The letter


def _paragraph(document: Document, text: str, role: str) -> Paragraph:
    return document.add_paragraph(text, style=STYLES[role].name)


def _numbered(level: int, n: int, text: str, lang: str) -> str:
    """一、配建规模 / 1. Size: a number and its text, a space between them in English."""
    return ordinal(level, n, lang) + ("" if lang == "zh" else " ") + text


def _title(document: Document, title: str) -> Paragraph:
    """The title, centred; a Chinese title too long for a line breaks before its （…）, not inside a word."""
    per_line = int((PAGE.width_mm - PAGE.left_mm - PAGE.right_mm) / 25.4 * 72 // PAGE.title_pt)  # 20 characters
    head, bracket, rest = title.partition("（")
    if len(title) <= per_line or not bracket or not head:
        return _paragraph(document, title, "title")
    paragraph = _paragraph(document, head, "title")
    paragraph.add_run().add_break()
    paragraph.add_run(bracket + rest)
    return paragraph


def _write_clause(document: Document, clause: Clause, lang: str) -> None:
    """Title, flags, preamble, then each section: its heading (一、) and its numbered lines (（一）)."""
    zh = lang == "zh"
    _title(document, clause.title_zh if zh else clause.title_en)
    _paragraph(document, "", "body")  # a blank line below the title
    for flag in clause.flags_zh if zh else clause.flags_en:
        _paragraph(document, f"【{flag}】" if zh else f"[{flag}]", "flag")
    preamble = clause.preamble_zh if zh else clause.preamble_en
    if preamble:
        _paragraph(document, preamble, "body")
    for number, (head, lines) in enumerate(clause.sections(lang), start=1):
        _paragraph(document, _numbered(1, number, head, lang), "heading")
        for n, text in enumerate(lines, start=1):
            line = _paragraph(document, "", "body")
            line.add_run(_numbered(2, n, "", lang), style=STYLES["number2"].name)  # （一） in 楷体
            line.add_run(text)


def _cell(cell: Any, text: str, style: str) -> None:
    from docx.enum.table import WD_ALIGN_VERTICAL

    paragraph = cell.paragraphs[0]
    paragraph.style = style
    paragraph.text = text
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER


def _table(
    document: Document,
    heads: list[str],
    widths_mm: tuple[float, ...],
    groups: list[tuple[str, list[list[str]]]],
    merged: tuple[int, ...] = (0,),
) -> Table:
    """A ruled table: a header row, then each group's rows, its label in the first column and the
    ``merged`` columns spanning the group's rows."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    table = document.add_table(rows=1 + sum(len(rows) for _, rows in groups), cols=len(heads), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        _cell(cell, head, STYLES["table_head"].name)
    top = 1
    for label, rows in groups:
        for i, values in enumerate(rows):
            cells = table.rows[top + i].cells
            for c, (cell, value) in enumerate(zip(cells, [label, *values[1:]], strict=True)):
                if i == 0 or c not in merged:  # a merged column is written once, in the group's first row
                    _cell(cell, value, STYLES["table"].name)
        for c in merged if len(rows) > 1 else ():
            table.cell(top, c).merge(table.cell(top + len(rows) - 1, c))
        top += len(rows)
    return table


#: The annex's columns (mm), filling the 225 mm of a landscape page's text block.
CALCULATION_WIDTHS_MM = (26, 22, 22, 59, 52, 28, 16)
SOURCE_WIDTHS_MM = (60, 105, 28, 32)


def _write_annex(document: Document, req: Requirement, clause: Clause, lang: str) -> None:
    """附件：计算书 — the rules behind each figure, the documents with their grades, and the stamp."""
    zh = lang == "zh"
    _paragraph(document, "", "body")
    _paragraph(document, "附件：计算书" if zh else "Annex: Calculation", "body")
    from docx.enum.section import WD_SECTION

    _page(document.add_section(WD_SECTION.NEW_PAGE), landscape=True)  # its tables are wide: 横排表格
    _paragraph(document, "附件" if zh else "Annex", "annex")
    _paragraph(document, "计算书" if zh else "Calculation", "title")
    heads = ANNEX_HEADINGS[lang]
    _paragraph(document, _numbered(1, 1, heads[0], lang), "heading")
    _table(document, CALCULATION_HEADS[lang], CALCULATION_WIDTHS_MM, calculation_rows(req, clause, lang), (0, 2))
    _paragraph(document, _numbered(1, 2, heads[1], lang), "heading")
    _table(document, SOURCE_HEADS[lang], SOURCE_WIDTHS_MM, [(row[0], [row]) for row in source_rows(req, lang)])
    _paragraph(document, _numbered(1, 3, heads[2], lang), "heading")
    _paragraph(document, stamp_line(clause.stamp or req.stamp, lang), "record")


def _properties(document: Document, clause: Clause, req: Requirement | None, lang: str) -> None:
    """The file's own record (File > Properties): title, subject, producer, and the stamp as a comment."""
    zh = lang == "zh"
    props = document.core_properties
    props.title = clause.title_zh if zh else clause.title_en
    props.subject = clause.title_zh.split("（")[0] if zh else clause.title_en.split(" (")[0]  # 配建 or 配置要求
    props.author = props.last_modified_by = "facility-sizing"
    props.language = "zh-CN" if zh else "en-GB"
    props.keywords = "; ".join(str(d.get("document", "")) for d in clause.documents)
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.revision = 1
    props.comments = json.dumps(req.stamp, ensure_ascii=False) if req is not None else ""


def clause_docx(clause: Clause, lang: str = "zh", requirement: Requirement | None = None) -> bytes:
    """The clause as a Word document (.docx), laid out as a Chinese official document (GB/T 9704-2012).

    Parameters
    ----------
    clause : Clause
        The clause (:func:`~facility_sizing.render.build_clause`); every line of the letter is its.
    lang : {"zh", "en"}
        Chinese (default) or English; the structure is the same.
    requirement : Requirement, optional
        The requirement the clause was built from: with it, the annex 附件：计算书 follows (the
        rules behind each figure, the documents with their grades, the stamp).

    Returns
    -------
    bytes
        The .docx file.

    Raises
    ------
    MissingDependencyError
        python-docx is not installed (the ``word`` extra).
    ValueError
        ``lang`` is neither ``zh`` nor ``en``.

    Examples
    --------
    >>> import io, docx, facility_sizing as fs
    >>> from facility_sizing.render import build_clause
    >>> req = fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
    >>> letter = docx.Document(io.BytesIO(clause_docx(build_clause(req), "zh", req)))
    >>> [p.text for p in letter.paragraphs[:4]]
    ['托育服务设施配建要求（西湖区新建居住区）', '', '一、配建规模', '（一）托育服务设施建筑面积不少于200.1平方米。按1,334户、每百户不少于15平方米计为200.1平方米，不低于最小建筑面积200平方米。依据：西政办函〔2021〕15号 二(三)1。']
    >>> round(letter.sections[0].top_margin.mm), round(letter.sections[0].left_margin.mm)
    (37, 28)
    """
    _require_docx()
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    document = _new_document(lang)
    _write_clause(document, clause, lang)
    if requirement is not None:
        _write_annex(document, requirement, clause, lang)
    elif clause.stamp:  # no annex: the clause's stamp closes the letter
        _paragraph(document, "", "body")
        _paragraph(document, stamp_line(clause.stamp, lang), "record")
    _properties(document, clause, requirement, lang)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def requirement_docx(req: Requirement, lang: str = "zh", round_area: str = "exact") -> bytes:
    """The condition-letter clause of a requirement as a Word document, with its annex 附件：计算书.

    What ``req.clause(fmt="docx")`` returns; see :func:`clause_docx`.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> req = fs.size(jurisdiction="柯桥区", households=3000, persons_per_household=2.7,
    ...               area_type="new_build", on="2025-01-01")
    >>> requirement_docx(req)[:2]  # a .docx is a zip file
    b'PK'
    """
    return clause_docx(build_clause(req, round_area), lang, req)
