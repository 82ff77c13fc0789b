"""The page and the type of a condition letter: GB/T 9704-2012's A4 page, styles and fonts, and the
built-in template they make.

The layout follows GB/T 9704-2012 《党政机关公文格式》: A4, margins 37 mm top, 35 mm bottom, 28 mm
left and 26 mm right; body text 仿宋 三号 (16 pt) on a fixed line pitch of 28.95 pt (22 lines a
page), each paragraph indented two characters; the title 方正小标宋简体 二号 (22 pt), centred;
headings numbered 一、（一）1.（1）, the first level 黑体 and the second 楷体; 发文字号 at the right,
主送机关 at the left margin, the signature (发文机关署名) centred over the date (成文日期), which stands
four characters in from the right; page numbers 「— 1 —」 in 宋体 四号 at the outer corner. An
English letter has the same structure in Times New Roman, set smaller (:data:`ENGLISH_SCALE`).

Fonts are named, never embedded: each role names its first choice and lists the others in the
document's font table (``w:altName``, with its family: a serif or a sans face), which Word uses
where the first is not installed. The text's East Asian language is Chinese (zh-CN), so a
computer without the fonts falls back to a Chinese face, not python-docx's Japanese one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import require
from .letter import docx_bytes

if TYPE_CHECKING:
    from docx.document import Document
    from docx.section import Section
    from docx.text.paragraph import Paragraph

__all__ = [
    "ENGLISH_SCALE",
    "FAMILIES",
    "FONTS",
    "PAGE",
    "STYLES",
    "PageLayout",
    "StyleSpec",
    "builtin_template",
    "ordinal",
    "prepare",
    "require_docx",
]


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

    @property
    def text_width_pt(self) -> float:
        """The width of the text block (版心), 156 mm."""
        return (self.width_mm - self.left_mm - self.right_mm) / 25.4 * 72


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

#: The family of each role's face in the font table: where none of its fonts is installed, a
#: serif (roman) or a sans (swiss) face stands in. 黑体 is the one sans face of an official document.
FAMILIES = {"body": "roman", "title": "roman", "heading": "swiss", "subheading": "roman", "page_number": "roman"}

#: 成文日期 is written four characters in from the right (GB/T 9704 7.3.5.1); a blank date is this wide.
DATE_CHARS = 11
#: The signature (发文机关署名) is centred over the date: the centre of a blank date, from the text's left edge.
SIGNATURE_CENTRE_PT = PAGE.text_width_pt - 4 * PAGE.body_pt - DATE_CHARS * PAGE.body_pt / 2


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
    right_indent_chars: int = 0
    centre_tab_pt: float | None = None


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
    "doc_number": StyleSpec("发文字号 Document number", "body", PAGE.body_pt, "right", False),
    "addressee": StyleSpec("主送机关 Addressee", "body", PAGE.body_pt, "left", False),
    "signature": StyleSpec(
        "发文机关署名 Signature",
        "body",
        PAGE.body_pt,
        "left",
        False,
        keep_with_next=True,
        centre_tab_pt=SIGNATURE_CENTRE_PT,
    ),
    "date": StyleSpec("成文日期 Date", "body", PAGE.body_pt, "right", False, right_indent_chars=4),
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
# The document: page, styles, fonts, language and page numbers


def require_docx() -> None:
    require("docx", "python-docx", "word", "purposes.word")


def _set_fonts(fonts: Any, east_asia: str, latin: str) -> None:
    """Name the fonts of a ``w:rFonts`` element (of a style, or of the defaults): East Asian and Latin."""
    from docx.oxml.ns import qn

    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the names below
    for attribute, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(attribute), name)


def _language(properties: Any, lang: str) -> None:
    """A ``w:rPr``'s languages: Chinese (or English) text, Chinese East Asian text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-GB")
    language.set(qn("w:eastAsia"), "zh-CN")


def _page(section: Section) -> None:
    """A4 with the margins of GB/T 9704."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE.width_mm), Mm(PAGE.height_mm)
    section.top_margin, section.bottom_margin = Mm(PAGE.top_mm), Mm(PAGE.bottom_mm)
    section.left_margin, section.right_margin = Mm(PAGE.left_mm), Mm(PAGE.right_mm)
    section.footer_distance = Mm(PAGE.footer_mm)


def _defaults(document: Document, lang: str) -> None:
    """The built-in template's default fonts and language, and no space between paragraphs."""
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _set_fonts(run.find(qn("w:rFonts")), FONTS["body"][0], FONTS["latin"][0])
    _language(run, lang)
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:
        spacing.set(qn("w:after"), "0")


#: python-docx's own styles the built-in template keeps (the table grid and what it rests on).
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


#: An English letter is set smaller: Times New Roman at 三号 runs a Chinese page's 22 lines to half as many words.
ENGLISH_SCALE = 0.75


def _add_style(document: Document, spec: StyleSpec, lang: str) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
    from docx.shared import Pt

    kind = WD_STYLE_TYPE.CHARACTER if spec.character else WD_STYLE_TYPE.PARAGRAPH
    style: Any = document.styles.add_style(spec.name, kind)
    style.quick_style = True
    properties = style.element.get_or_add_rPr()
    _set_fonts(properties.get_or_add_rFonts(), FONTS[spec.fonts][0], FONTS["latin"][0])
    _language(properties, lang)
    scale = ENGLISH_SCALE if lang == "en" else 1
    size = max(spec.size * scale, PAGE.table_pt * 0.85)
    style.font.size = Pt(size)
    style.font.bold = lang == "en" and spec.bold_en
    if spec.character:
        return
    if "Normal" in [s.name for s in document.styles]:
        style.base_style = document.styles["Normal"]
    fmt = style.paragraph_format
    fmt.alignment = getattr(WD_ALIGN_PARAGRAPH, {"justify": "JUSTIFY"}.get(spec.align, spec.align.upper()))
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(2 * size) if spec.indent else Pt(0)
    fmt.right_indent = Pt(spec.right_indent_chars * size)
    fmt.keep_with_next = spec.keep_with_next
    fmt.widow_control = True
    if spec.centre_tab_pt is not None:
        centre = PAGE.text_width_pt - (PAGE.text_width_pt - spec.centre_tab_pt) * scale
        fmt.tab_stops.add_tab_stop(Pt(centre), WD_TAB_ALIGNMENT.CENTER)
    if spec.line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing = Pt(spec.line * scale)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY


def _styles(document: Document, lang: str) -> None:
    """Each of the letter's styles the document lacks (a bureau's template may define its own)."""
    have = {style.name for style in document.styles}
    for spec in STYLES.values():
        if spec.name not in have:
            _add_style(document, spec, lang)


def _font_table(document: Document) -> None:
    """Each first-choice font in the font table, with the others of its role as alternates and its family."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from lxml import etree

    part: Any = document.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    table = parse_xml(part.blob)
    named = {font.get(qn("w:name")) for font in table.findall(qn("w:font"))}
    for role, names in FONTS.items():
        if role == "latin" or names[0] in named:
            continue
        entry = parse_xml(
            f'<w:font {nsdecls("w")} w:name="{names[0]}"><w:altName w:val="{",".join(names[1:])}"/>'
            f'<w:charset w:val="86"/><w:family w:val="{FAMILIES[role]}"/><w:pitch w:val="variable"/></w:font>'
        )
        table.append(entry)
    # a plain part of python-docx (bytes, not XML it keeps): its bytes are replaced
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _chinese_settings(document: Document) -> None:
    """The document's theme fonts read as Chinese (python-docx's own template says Japanese)."""
    from docx.oxml.ns import qn

    theme = document.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:eastAsia"), "zh-CN")


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


#: The built-in template's paragraphs: (style, text), a GB/T 9704 letter with blanks to fill in.
_TEMPLATE_BODY = {
    "zh": [
        ("doc_number", "{{文号}}"), ("title", "{{标题}}"), ("body", ""), ("addressee", "{{主送}}："),
        ("body", "{{地块}}"), ("body", "{{条款}}"), ("body", ""),
        ("signature", "\t{{落款}}"), ("date", "{{日期}}"), ("body", "{{附件}}"),
    ],
    "en": [
        ("doc_number", "{{number}}"), ("title", "{{title}}"), ("body", ""),
        ("addressee", "{{addressee}}:"), ("body", "{{parcel}}"), ("body", "{{clause}}"), ("body", ""),
        ("signature", "\t{{signature}}"), ("date", "{{date}}"), ("body", "{{annex}}"),
    ],
}  # fmt: skip

#: The date the built-in templates' own bytes bear.
TEMPLATE_DAY = dt.date(2025, 1, 1)


def builtin_template(lang: str = "zh") -> bytes:
    """The built-in template of a language, as its bytes (``data/templates/letter-zh.docx``).

    What ``scripts/make_letter_templates.py`` writes into the package; ``tests/test_docx.py`` checks
    that the file shipped is this.

    Examples
    --------
    >>> from facility_sizing.render.letter import builtin_template_path
    >>> builtin_template("zh") == builtin_template_path("zh").read_bytes()
    True
    """
    require_docx()
    import docx

    document = docx.Document()
    _page(document.sections[0])
    _lean_styles(document)
    _defaults(document, lang)
    _styles(document, lang)
    _font_table(document)
    _chinese_settings(document)
    _page_numbers(document)
    for empty in document.paragraphs:  # python-docx's template may start with an empty paragraph
        document.element.body.remove(empty._p)
    for role, text in _TEMPLATE_BODY[lang]:
        document.add_paragraph(text, style=STYLES[role].name)
    props = document.core_properties
    props.title = "托育服务设施条件书模板" if lang == "zh" else "Infant-care facility letter template"
    props.author = props.last_modified_by = "facility-sizing"
    props.language = "zh-CN" if lang == "zh" else "en-GB"
    props.comments = "占位符见 data/templates/fields.toml — placeholders: data/templates/fields.toml"
    return docx_bytes(document, TEMPLATE_DAY)


def prepare(document: Document, lang: str) -> None:
    """A template made ready for a letter: the letter's styles it lacks, its fonts in the font table,
    its East Asian text read as Chinese."""
    _styles(document, lang)
    _font_table(document)
    _chinese_settings(document)
