"""A condition letter's template: its fields, its placeholders filled, and its bytes made reproducible.

A template is a Word document (.docx) or Word template (.dotx): the bureau's own letterhead with
placeholders where the letter's parts go. A placeholder is a field's name in double braces,
Chinese or English (``{{文号}}`` or ``{{number}}``), typed anywhere in the text, the tables, the
headers or the footers; Word may split it into several runs as it is typed, and it is found all
the same, and written in the formatting of its first character. Three placeholders are blocks
(``{{地块}}``, ``{{条款}}``, ``{{附件}}``): each stands alone in a paragraph of the body, which its
paragraphs replace. The fields are listed in ``data/templates/fields.toml``:

==========  ================  =====================================================
field       placeholder       what fills it
==========  ================  =====================================================
number      文号 / number       the letter's document number, given; else a blank
addressee   主送 / addressee    to whom it is sent, given; else a blank
issuer      发文机关 / issuer    the issuing authority, given; else a blank
signature   落款 / signature    the signature, given (else the issuer); else a blank with 盖章
date        日期 / date         the date it is signed, given; else a blank
parcel_id   地块编号             the parcel's id, given; else a blank
project...  项目名称             the project's name, given; else a blank
address     地址 / address      the parcel's address, given; else a blank
jurisdic... 行政区               the clause's jurisdiction
title       标题 / title        the clause's title
parcel      地块 / parcel       block: the parcel's id, name (and address, when given)
clause      条款 / clause       block: the clause (and its title, where the template has no {{标题}})
annex       附件 / annex        block: the annex 计算书 on landscape pages (at the end, where absent)
==========  ================  =====================================================

Nothing in a letter depends on the clock: its zip entries and its core properties are dated by
the date its rules apply (``on``), so the same inputs give the same bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import tomllib
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..model.typed import Unreadable, read_date

if TYPE_CHECKING:
    from docx.document import Document

__all__ = [
    "FIELDS",
    "Field",
    "builtin_template_path",
    "docx_bytes",
    "fill",
    "letter_values",
    "open_template",
]

Template = str | PathLike[str] | bytes


@dataclass(frozen=True)
class Field:
    """One field of a letter: its placeholders (Chinese and English), how it is filled, its blank and label."""

    key: str
    zh: str
    en: str
    kind: str
    blank_zh: str = ""
    blank_en: str = ""
    label_zh: str = ""
    label_en: str = ""

    def blank(self, lang: str) -> str:
        """What the letter writes where the field is not given: a line to fill in by hand."""
        return self.blank_zh if lang == "zh" else self.blank_en

    def label(self, lang: str) -> str:
        """How the parcel's lines name the field (地块编号, Parcel)."""
        return self.label_zh if lang == "zh" else self.label_en


@cache
def _fields() -> dict[str, Field]:
    text = (resources.files("facility_sizing") / "data" / "templates" / "fields.toml").read_text(encoding="utf-8")
    return {key: Field(key, **row) for key, row in tomllib.loads(text).items()}


#: Every field of a letter, by its key (``data/templates/fields.toml``).
FIELDS: dict[str, Field] = _fields()

#: Each placeholder's name, Chinese and English, to its field's key.
_BY_NAME = {name: key for key, f in FIELDS.items() for name in (f.zh, f.en)}

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _given_keys() -> list[str]:
    return [f.zh for f in FIELDS.values() if f.kind == "given"]


def letter_values(letter: Mapping[str, object] | None, lang: str = "zh") -> dict[str, str]:
    """The given fields of a letter, by key, as the letter writes them; a field not given is absent.

    ``letter`` names each field by its placeholder, Chinese or English (``{"文号": …}`` or
    ``{"number": …}``); the date may be a :class:`datetime.date` or a date as people type it, and
    is written 2025年6月1日 (Chinese) or 2025-06-01. An empty value counts as not given.

    Raises
    ------
    InputError
        A name that is not a field a caller fills, or a date that cannot be read.

    Examples
    --------
    >>> letter_values({"文号": "西自然资函〔2025〕12号", "date": "2025/6/1", "地址": ""})
    {'number': '西自然资函〔2025〕12号', 'date': '2025年6月1日'}
    """
    out: dict[str, str] = {}
    for name, value in (letter or {}).items():
        key = _BY_NAME.get(str(name))
        if key is None or FIELDS[key].kind != "given":
            raise InputError("letters.unknown_field", field="letter", value=name, known=_given_keys())
        if value is None or str(value).strip() == "" or value != value:  # None, "", NaN
            continue
        out[key] = _date_text(value, lang) if key == "date" else " ".join(str(value).split())
    return out


def _date_text(value: object, lang: str) -> str:
    try:
        day = value if isinstance(value, dt.date) else read_date(str(value))
    except Unreadable as unreadable:
        raise InputError("letters.bad_date", field="letter", value=str(value), problem=unreadable.problem) from None
    if isinstance(day, dt.datetime):
        day = day.date()
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()


# ---------------------------------------------------------------------------------------
# The template


def builtin_template_path(lang: str = "zh") -> Path:
    """The built-in template of a language: a GB/T 9704 letter with blanks for the bureau to fill in.

    Copy it and edit it in Word into a bureau's own (its letterhead, its wording around the
    placeholders); the letter then comes from ``template=PATH`` (``--template PATH``).

    Examples
    --------
    >>> builtin_template_path("zh").name, builtin_template_path("en").name
    ('letter-zh.docx', 'letter-en.docx')
    """
    return Path(str(resources.files("facility_sizing") / "data" / "templates" / f"letter-{lang}.docx"))


_DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_TEMPLATE_TYPES = (
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


def _as_document(data: bytes) -> bytes:
    """A Word template (.dotx) read as the document it makes: only its main part's content type differs."""
    source = zipfile.ZipFile(io.BytesIO(data))
    types = source.read("[Content_Types].xml")
    if not any(t in types for t in _TEMPLATE_TYPES):
        return data
    for kind in _TEMPLATE_TYPES:
        types = types.replace(kind, _DOCUMENT_TYPE)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = types if info.filename == "[Content_Types].xml" else source.read(info.filename)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=info.date_time), data)
    return out.getvalue()


def open_template(template: Template | None, lang: str = "zh") -> tuple[Document, str]:
    """The template as a python-docx document, and how errors name it.

    ``template`` is a path (.docx or .dotx), the bytes of one, or None for the built-in template.

    Raises
    ------
    InputError
        No such file, or not a Word document or template.
    """
    import docx

    if template is None:
        return docx.Document(str(builtin_template_path(lang))), builtin_template_path(lang).name
    name = "(bytes)" if isinstance(template, bytes) else str(template)
    if isinstance(template, bytes):
        data = template
    else:
        path = Path(template)
        if not path.is_file():
            raise InputError("letters.template_not_found", field="template", value=name)
        data = path.read_bytes()
    try:
        return docx.Document(io.BytesIO(_as_document(data))), name
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError("letters.template_unreadable", field="template", value=name, error=str(exc)) from None


# ---------------------------------------------------------------------------------------
# Filling the placeholders


def _own_texts(paragraph: Any) -> list[Any]:
    """The ``w:t`` of a paragraph's own runs (not of a text box's paragraphs inside it), in order."""
    return [t for t in paragraph.iter(f"{_W}t") if next(t.iterancestors(f"{_W}p")) is paragraph]


def _paragraphs(document: Document) -> list[tuple[Any, bool]]:
    """Every paragraph of the body, the tables, the text boxes, the headers and footers, and whether it
    is a paragraph of the body itself (where a block may stand)."""
    body = document.element.body
    found = [(p, p.getparent() is body) for p in body.iter(f"{_W}p")]
    seen = set()
    for section in document.sections:
        for part in (section.header, section.footer, section.even_page_header, section.even_page_footer,
                     section.first_page_header, section.first_page_footer):  # fmt: skip
            if part.is_linked_to_previous or id(part.part) in seen:
                continue
            seen.add(id(part.part))
            found += [(p, False) for p in part.part.element.iter(f"{_W}p")]
    return found


def _set_text(t: Any, text: str) -> None:
    """A ``w:t``'s text, its spaces kept; a line break (``\\n``) written as ``w:br``."""
    first, *rest = text.split("\n")
    t.text = first
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    anchor = t
    for line in rest:
        br = t.makeelement(f"{_W}br", {})
        anchor.addnext(br)
        after = copy.deepcopy(t)
        after.text = line
        br.addnext(after)
        anchor = after


def _replace(paragraph: Any, values: Mapping[str, str], where: str) -> None:
    """Each placeholder of the paragraph replaced by its value, in its first character's run."""
    texts = _own_texts(paragraph)
    whole = "".join(t.text or "" for t in texts)
    matches = list(_PLACEHOLDER.finditer(whole))
    for match in reversed(matches):
        value = values[_key(match.group(1), where)]
        starts, offset = [], 0
        for t in texts:
            starts.append(offset)
            offset += len(t.text or "")
        first = next(i for i, t in enumerate(texts) if starts[i] <= match.start() < starts[i] + len(t.text or ""))
        last = next(i for i, t in enumerate(texts) if starts[i] < match.end() <= starts[i] + len(t.text or ""))
        head = (texts[first].text or "")[: match.start() - starts[first]]
        tail = (texts[last].text or "")[match.end() - starts[last] :]
        for i in range(first + 1, last + 1):
            texts[i].text = tail if i == last else ""
        _set_text(texts[first], head + value + (tail if first == last else ""))
        texts = _own_texts(paragraph)  # a value with a line break adds texts


def _key(name: str, where: str) -> str:
    key = _BY_NAME.get(name)
    if key is None:
        raise InputError("letters.unknown_placeholder", field="template", value=where, name=name,
                         known=[f.zh for f in FIELDS.values()])  # fmt: skip
    return key


def _blocks(document: Document, where: str) -> dict[str, Any]:
    """The paragraph of each block placeholder (``{{条款}}``…), which must stand alone in the body."""
    found: dict[str, Any] = {}
    for paragraph, in_body in _paragraphs(document):
        text = "".join(t.text or "" for t in _own_texts(paragraph))
        for match in _PLACEHOLDER.finditer(text):
            key = _key(match.group(1), where)
            if FIELDS[key].kind != "block":
                continue
            if not in_body or text.strip() != match.group(0) or key in found:
                raise InputError("letters.block_not_alone", field="template", value=where, name=match.group(1))
            found[key] = paragraph
    return found


def fill(
    document: Document,
    values: Mapping[str, str],
    blocks: Mapping[str, Callable[[Document], None]],
    where: str,
) -> None:
    """Fill every placeholder of ``document``: each inline field with its value, each block with the
    paragraphs its writer adds.

    A block's writer adds its paragraphs (and tables) at the end of the body with python-docx; they
    are then moved to the block's placeholder. The clause must have a place (``{{条款}}``); an
    annex whose template has no ``{{附件}}`` goes at the end.

    Raises
    ------
    InputError
        An unknown placeholder, a block not alone in its paragraph, or no ``{{条款}}``.
    """
    places = _blocks(document, where)
    if "clause" not in places:
        raise InputError("letters.no_clause", field="template", value=where)
    for paragraph, _ in _paragraphs(document):
        if paragraph not in places.values():
            _replace(paragraph, values, where)
    body = document.element.body
    for key, write in blocks.items():
        place = places.get(key)
        if place is None and key != "annex":  # a template without the parcel's lines leaves them out
            continue
        if place is None:  # an annex always goes with its letter: at the end
            place = document.add_paragraph()._p
        count = len(body)
        write(document)
        added = list(body)[count - 1 : len(body) - 1]  # before the body's own section properties
        for element in added:
            place.addprevious(element)
        _remove(place, added)
    for key, place in places.items():
        if key not in blocks:  # a block with nothing to write (no parcel lines): its paragraph goes
            _remove(place, [])


def _remove(place: Any, added: list[Any]) -> None:
    """Remove a placeholder's paragraph; section properties it carried pass to the block's last paragraph."""
    properties = place.find(f"{_W}pPr/{_W}sectPr")
    if properties is not None:
        target = added[-1] if added and added[-1].tag == f"{_W}p" else None
        if target is None:
            return  # the paragraph ends a section: it stays, emptied
        _paragraph_properties(target).append(properties)
    place.getparent().remove(place)


def _paragraph_properties(paragraph: Any) -> Any:
    properties = paragraph.find(f"{_W}pPr")
    if properties is None:
        properties = paragraph.makeelement(f"{_W}pPr", {})
        paragraph.insert(0, properties)
    return properties


# ---------------------------------------------------------------------------------------
# Sections: the annex on landscape pages


def landscape_section(document: Document, first: Any, last: Any) -> None:
    """Put the elements from ``first`` to ``last`` (a paragraph) on landscape pages of their own.

    The section they were in is turned: its page size swapped and its margins rotated (the
    portrait page's left margin becomes the top one, as GB/T 9704 turns a table page, its head
    towards the binding edge). The letter before them ends its section on their first page's
    eve, with the template's own properties (headers, footers, a first page of its own).
    """
    governing = _governing(first, document)
    before = first.getprevious()
    if before is None or before.tag != f"{_W}p" or before.find(f"{_W}pPr/{_W}sectPr") is not None:
        before = first.makeelement(f"{_W}p", {})
        first.addprevious(before)
    _paragraph_properties(before).append(copy.deepcopy(governing))
    turned = governing if _ends_section(last, governing) else copy.deepcopy(governing)
    _turn(turned)
    if turned is not governing:
        _paragraph_properties(last).append(turned)
        for later in (f"{_W}titlePg", f"{_W}pgNumType"):  # the pages after the annex go on as the letter's
            for element in governing.findall(later):
                governing.remove(element)


def _governing(element: Any, document: Document) -> Any:
    """The section properties of the section an element is in: the next paragraph's that end one, or the body's."""
    for following in element.itersiblings():
        properties = following.find(f"{_W}pPr/{_W}sectPr")
        if properties is not None:
            return properties
    return document.element.body.sectPr


def _ends_section(last: Any, governing: Any) -> bool:
    """Whether nothing follows ``last`` in the section ``governing`` closes."""
    return last.find(f"{_W}pPr/{_W}sectPr") is governing or last.getnext() is governing


def _turn(properties: Any) -> None:
    """Section properties turned to landscape, on a new page, with no first page of their own."""
    size, margins = properties.find(f"{_W}pgSz"), properties.find(f"{_W}pgMar")
    if size is not None:
        width, height = size.get(f"{_W}w"), size.get(f"{_W}h")
        if width and height and int(width) < int(height):
            size.set(f"{_W}w", height)
            size.set(f"{_W}h", width)
        size.set(f"{_W}orient", "landscape")
    if margins is not None:
        top, right, bottom, left = (margins.get(f"{_W}{side}") for side in ("top", "right", "bottom", "left"))
        for side, value in (("top", left), ("right", top), ("bottom", right), ("left", bottom)):
            if value is not None:
                margins.set(f"{_W}{side}", value)
    for element in properties.findall(f"{_W}titlePg") + properties.findall(f"{_W}pgNumType"):
        properties.remove(element)
    kind = properties.find(f"{_W}type")
    if kind is not None:
        kind.set(f"{_W}val", "nextPage")


# ---------------------------------------------------------------------------------------
# Reproducible bytes


def _zip_day(on: dt.date) -> tuple[int, int, int, int, int, int]:
    return (max(on.year, 1980), on.month, on.day, 0, 0, 0)


def docx_bytes(document: Document, on: dt.date) -> bytes:
    """The document's bytes, the same for the same document whenever it is written.

    Its core properties are dated ``on`` (created and modified, revision 1); each zip entry is
    dated ``on`` at midnight and written the same way on every system.
    """
    props = document.core_properties
    props.created = props.modified = dt.datetime(on.year, on.month, on.day)
    props.revision = 1
    saved = io.BytesIO()
    document.save(saved)
    return stable_zip(saved.getvalue(), on)


def stable_zip(data: bytes, on: dt.date) -> bytes:
    """A zip's entries rewritten in their order, each dated ``on``, with the same attributes everywhere.

    Examples
    --------
    >>> one = io.BytesIO()
    >>> with zipfile.ZipFile(one, "w") as z:
    ...     z.writestr("a.xml", "<a/>")
    >>> stable_zip(one.getvalue(), dt.date(2025, 1, 1)) == stable_zip(one.getvalue(), dt.date(2025, 1, 1))
    True
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_zip_day(on))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, source.read(info.filename), compresslevel=6)
    return out.getvalue()
