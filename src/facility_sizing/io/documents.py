"""Reading a bureau's copy of a policy document as text: .txt, .md, .html, .docx and .pdf.

Plain text is read as UTF-8 (with or without a BOM), else GB18030; HTML with the standard
library's parser, a block or a table row to a line; Word with python-docx (the ``word`` extra),
paragraphs and table rows in the document's order, a row as 「| 1 | … |」; PDF with pypdf (the
``pdf`` extra), page by page. What extraction breaks (lines and pages ending inside sentences,
spaces between characters, full- and half-width forms) is left for
:func:`~facility_sizing.ruledata.source_text.normalise`: the text here is as extracted.

Examples
--------
>>> text, digest = read_document_bytes("<p>一、总则</p><p>（一）新建居住区</p>".encode(), "notice.html")
>>> text.split()
['一、总则', '（一）新建居住区']
>>> len(digest)
64
"""

from __future__ import annotations

import codecs
import hashlib
import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from ..errors import InputError, require

__all__ = ["DOCUMENT_TYPES", "read_document", "read_document_bytes"]

#: The kinds of copy the check reads, by file suffix.
DOCUMENT_TYPES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")


def read_document(path: str | Path) -> tuple[str, str]:
    """A copy of a document as (its text, the SHA-256 of its bytes).

    Raises
    ------
    InputError
        The file is of a kind not read (a .doc, say), or cannot be read.
    MissingDependencyError
        A .docx without python-docx (``word`` extra), or a .pdf without pypdf (``pdf`` extra).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError("authoring.document_unreadable", field="source", value=str(path), reason=str(exc)) from None
    return read_document_bytes(data, path.name)


def read_document_bytes(data: bytes, name: str) -> tuple[str, str]:
    """A copy given as bytes (an upload) and its file name: (its text, the SHA-256 of the bytes)."""
    suffix = Path(name).suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise InputError("authoring.document_type", field="source", value=name, supported=DOCUMENT_TYPES)
    digest = hashlib.sha256(data).hexdigest()
    try:
        if suffix == ".docx":
            return _docx(data), digest
        if suffix == ".pdf":
            return _pdf(data), digest
        text = _plain(data)
    except UnicodeDecodeError:  # neither UTF-8 nor GB18030 (nor UTF-16 with its mark)
        raise InputError("authoring.document_encoding", field="source", value=name) from None
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as exc:  # a zip, XML or PDF that does not parse
        raise InputError("authoring.document_damaged", field="source", value=name, kind=type(exc).__name__) from None
    return (_html(text) if suffix in (".html", ".htm") else text), digest


def _plain(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's "Unicode"
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _docx(data: bytes) -> str:
    docx = require("docx", "python-docx", "word", "authoring.purpose_docx")
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                lines.append("| " + " | ".join(cell.text.replace("\n", " ") for cell in row.cells) + " |")
    return "\n".join(lines)


def _pdf(data: bytes) -> str:
    pypdf = require("pypdf", "pypdf", "pdf", "authoring.purpose_pdf")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        return "\f".join(page.extract_text() or "" for page in reader.pages)  # pages apart, as a PDF has them
    except pypdf.errors.PdfReadError as exc:
        raise ValueError(str(exc)) from None


class _Text(HTMLParser):
    """The text of an HTML page: a block (or a table row) to a line, scripts and styles left out."""

    BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.hidden = 0

    def handle_starttag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.lines.append("")
        elif tag in ("td", "th"):
            self.lines[-1] += "| "

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in ("td", "th"):
            self.lines[-1] += " "
        elif tag == "tr":
            self.lines[-1] += "|"
        if tag in self.BLOCKS:
            self.lines.append("")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.lines[-1] += data


def _html(text: str) -> str:
    parser = _Text()
    parser.feed(text)
    parser.close()
    return "\n".join(line for line in parser.lines if line.strip())
