"""Check the Word letters as an office suite lays them out: LibreOffice to PDF, then the PDF read back.

    venv/bin/python scripts/check_docx_libreoffice.py              # the letters, Chinese and English
    venv/bin/python scripts/check_docx_libreoffice.py --picture    # and remake docs/_static/letter-docx.png
    venv/bin/python scripts/check_docx_libreoffice.py --keep out   # keep the .docx, .pdf (and .png) in out/

Writes the letters of the five golden projects (tests/golden/clause_*.txt) in Chinese and English,
and one on a bureau's own letterhead (:func:`bureau_template`), converts them with one
``soffice --headless --convert-to pdf`` and checks each PDF as a clerk would read it:

- its text (``pdftotext``) has every figure, document number and requirement sentence of the
  clause, and the stamp; a template letter its letterhead, parcel id and project name;
- no number, document number or date of the clause is broken across two lines (〔2/021〕, 202/6年);
- the letter itself is at most two pages, and its annex 计算书 has no page of generation details alone;
- the fonts embedded are Chinese faces (``pdffonts``), the body a serif one (Noto Serif CJK for 仿宋);
- no internal rule id (``xihu.new_build.floor_area.rate``) appears: the letter names clauses.

Exits 1 naming each problem, 2 if LibreOffice or poppler is not installed. ``tests/test_docx.py``
runs the same checks (CI installs LibreOffice, fonts-noto-cjk and poppler-utils).

The letters name the fonts of an official document (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, Times
New Roman), which a Linux machine lacks. A fontconfig file written for the run maps them to open
fonts (Noto Serif CJK SC for 仿宋, 小标宋 and 楷体 — AR PL UKai where installed —, Noto Sans CJK SC
for 黑体), so the PDF looks like the letter on an office computer; the letter itself is unchanged.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import facility_sizing as fs
from facility_sizing.io.write import atomic_file
from facility_sizing.render import build_clause
from facility_sizing.render.letter import builtin_template_path

REPO = Path(__file__).resolve().parents[1]
PICTURE = REPO / "docs" / "_static" / "letter-docx.png"
ON = "2025-01-01"

#: The projects of the golden clauses (tests/test_clause.py).
PROJECTS: dict[str, dict[str, Any]] = {
    "xihu": {"jurisdiction": "西湖区", "households": 1334, "area_type": "new_build"},
    "yuyao": {"jurisdiction": "余姚市", "population": 5001, "area_type": "new_build"},
    "binjiang": {"jurisdiction": "滨江区", "population": 5001, "area_type": "new_build", "include_drafts": True},
    "suzhou": {"jurisdiction": "苏州市", "area_type": "new_build"},
    "keqiao": {"jurisdiction": "柯桥区", "households": 3000, "persons_per_household": 2.7, "area_type": "new_build"},
}

#: Each letter's parcel: the letter names it (地块编号, 项目名称), as a batch letter does.
PARCEL = {"地块编号": "XH-三墩-07", "项目名称": "西溪花园"}

#: The bureau of the template letter, and its letterhead (a made-up authority).
BUREAU = "示例市自然资源和规划局"
BUREAU_LETTER = {**PARCEL, "发文机关": BUREAU, "文号": "示自然资函〔2025〕12号", "主送": "示例市土地储备中心",
                 "日期": "2025年1月6日", "地址": "三墩镇"}  # fmt: skip

#: The official document's fonts, and the open fonts that stand in for them in the PDF, first choice first.
STAND_INS = {
    "仿宋_GB2312": ("Noto Serif CJK SC",),
    "仿宋": ("Noto Serif CJK SC",),
    "方正小标宋简体": ("Noto Serif CJK SC",),
    "华文中宋": ("Noto Serif CJK SC",),
    "宋体": ("Noto Serif CJK SC",),
    "黑体": ("Noto Sans CJK SC",),
    "楷体_GB2312": ("AR PL UKai CN", "Noto Serif CJK SC"),
    "楷体": ("AR PL UKai CN", "Noto Serif CJK SC"),
    "Times New Roman": ("Liberation Serif", "DejaVu Serif", "Noto Serif CJK SC"),
}

#: The faces a Chinese letter may be set in (pdffonts' names); the body's must be among the first.
SERIF_FACES = ("NotoSerifCJK", "UKai", "ARPLUKai")
CJK_FACES = (*SERIF_FACES, "NotoSansCJK")

_FOOTER = re.compile(r"—\d+—")
_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def fonts_conf(folder: Path) -> Path:
    """A fontconfig file: the system's configuration, and each official font's open stand-ins."""
    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family><prefer>'
        + "".join(f"<family>{s}</family>" for s in stand_ins)
        + "</prefer></alias>"
        for name, stand_ins in STAND_INS.items()
    )
    # 小标宋 is a heavy 宋体: its stand-in is the bold cut
    heavy = (
        '  <match target="pattern"><test name="family"><string>方正小标宋简体</string></test>'
        '<edit name="weight" mode="assign"><const>bold</const></edit></match>'
    )
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n{heavy}\n{aliases}\n</fontconfig>\n',
        encoding="utf-8",
    )
    return path


def flat(text: str) -> str:
    """Text compared as the PDF gives it: compatibility forms folded, no whitespace, no page numbers."""
    text = unicodedata.normalize("NFKC", text).replace("\u2010", "-").replace("\u2060", "")
    return _FOOTER.sub("", re.sub(r"\s+", "", text))


def expected(req: fs.Requirement, lang: str) -> list[str]:
    """What the letter must show: each figure, document number, requirement sentence, and the stamp."""
    clause = build_clause(req)
    text = req.clause(lang)
    wanted = [n.rstrip(",") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text) if len(n.rstrip(",")) > 1]
    wanted += [d.label for d in req.plan.documents] + [d.number for d in req.plan.documents if d.number]
    for item in clause.sizing:  # each requirement's own sentence: 托育服务设施建筑面积不少于200.1平方米。
        line = item.zh if lang == "zh" else item.en
        wanted.append(line.split("。")[0] if lang == "zh" else line.split(". ")[0])
    wanted.append(str(req.stamp.get("rule_data", "")))
    return list(dict.fromkeys(w for w in wanted if w))


def unbroken(req: fs.Requirement, lang: str) -> list[str]:
    """What must stand on one line: each number of the clause, document number and date."""
    # the rule-data digest (sha256:e22e1bf4…) is hex, not a number: its digit runs need not stand on one line
    text = re.sub(r"sha256:[0-9a-f]+", "", req.clause(lang))
    kept = [d.number for d in req.plan.documents if d.number] + _DATE.findall(text) + _NUMBER.findall(text)
    return list(dict.fromkeys(k for k in kept if len(k) > 1))


def missing(pdf_text: str, wanted: list[str]) -> list[str]:
    """The wanted fragments the PDF's text lacks."""
    have = flat(pdf_text)
    return [w for w in wanted if flat(w) not in have]


def broken(layout_text: str, kept: list[str]) -> list[str]:
    """The fragments some occurrence of which is split across two lines of the PDF's text (every one must
    stand on one line), or that no line holds at all."""
    lines = "\n".join(flat(line) for line in layout_text.splitlines())
    out = []
    for k in kept:
        spread = "\n?".join(re.escape(ch) for ch in flat(k))
        found = re.findall(spread, lines)
        if not found or any("\n" in f for f in found):
            out.append(k)
    return out


def rule_ids(req: fs.Requirement) -> list[str]:
    """Every internal rule id behind the letter: none may appear in it."""
    uses = [*req.rules, *req.obligations]
    return sorted({r.id for u in uses for r in (u.rule, *u.via) if r is not None})


def bureau_template() -> bytes:
    """A bureau's own letterhead, as a clerk makes one from the built-in template in Word (GB/T 9704's
    信函格式): the authority's name in red over a red rule in the first page's header, no page number
    on the first page, the document number below, the parcel on one line of the bureau's wording."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt, RGBColor

    from facility_sizing.render.letter import docx_bytes

    document = docx.Document(str(builtin_template_path("zh")))
    section = document.sections[0]
    section.different_first_page_header_footer = True
    head = section.first_page_header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run("{{发文机关}}")
    run.font.color.rgb, run.font.size, run.font.name = RGBColor(0xFF, 0, 0), Pt(26), "方正小标宋简体"
    rule = f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="18" w:space="4" w:color="FF0000"/></w:pBdr>'
    head._p.get_or_add_pPr().append(parse_xml(rule))
    parcel = next(p for p in document.paragraphs if p.text == "{{地块}}")
    parcel.text = "地块：{{地块编号}}（{{项目名称}}），坐落{{地址}}。"
    return docx_bytes(document, fs.size(on=ON, **PROJECTS["xihu"]).on)


@dataclass
class Letter:
    """One letter to check: its requirement, language and the fields it was written with."""

    name: str
    req: fs.Requirement
    lang: str
    fields: dict[str, str] = field(default_factory=dict)
    template: bytes | None = None

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.name}.docx"
        path.write_bytes(self.req.clause(self.lang, "docx", template=self.template, letter=self.fields))
        return path

    def wanted(self) -> list[str]:
        return expected(self.req, self.lang) + [v for k, v in self.fields.items() if self.lang == "zh"]


def letters() -> list[Letter]:
    """The five jurisdictions' letters in Chinese and English, and the Xihu letter on a bureau's letterhead."""
    out = []
    for name, project in PROJECTS.items():
        req = fs.size(on=ON, **project)
        out += [Letter(f"{name}-{lang}", req, lang, dict(PARCEL)) for lang in ("zh", "en")]
    out.append(Letter("bureau-zh", fs.size(on=ON, **PROJECTS["xihu"]), "zh", BUREAU_LETTER, bureau_template()))
    return out


def _tools() -> dict[str, str] | None:
    """soffice, pdftotext, pdftoppm and pdffonts, or None if one is missing."""
    found = {tool: shutil.which(tool) for tool in ("soffice", "pdftotext", "pdftoppm", "pdffonts")}
    return {tool: path for tool, path in found.items() if path} if all(found.values()) else None


def convert(paths: list[Path], folder: Path, soffice: str) -> None:
    """Each .docx to a .pdf beside it, in a LibreOffice profile of its own (a running office is untouched)."""
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf(folder))}
    profile = (folder / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir"]
    subprocess.run([*command, str(folder), *map(str, paths)], env=env, check=True, capture_output=True, timeout=300)


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _pages(pdf: Path, tools: dict[str, str]) -> list[str]:
    """The text of each page."""
    return _run(tools["pdftotext"], str(pdf), "-").split("\f")[:-1]


def _font_problems(pdf: Path, tools: dict[str, str]) -> list[str]:
    """A face that is no Chinese face (a CJK fallback) or no serif body face among the fonts embedded."""
    names = [line.split()[0].split("+")[-1] for line in _run(tools["pdffonts"], str(pdf)).splitlines()[2:] if line]
    problems = [
        f"a face that is not the letter's: {n}" for n in names if "CJK" in n.upper() and not n.startswith(CJK_FACES)
    ]
    if not any(n.startswith(SERIF_FACES) and "Regular" in n for n in names):
        problems.append(f"no serif Chinese body face among {names}")
    return problems


def _layout_problems(letter: Letter, pages: list[str]) -> list[str]:
    """More than two pages before the annex, or a last page with nothing of the annex's tables on it."""
    starts = [n for n, page in enumerate(pages, start=1) if re.search(r"^\s*(附件|Annex)\s*$", page, re.M)]
    problems = []
    if not starts or starts[0] > 3:
        problems.append(f"the letter runs to {(starts[0] - 1) if starts else len(pages)} pages (at most 2)")
    labels = [flat(d.label) for d in letter.req.plan.documents]
    stamp = flat(str(letter.req.stamp["rule_data"]))
    for n, page in enumerate(pages, start=1):
        if stamp in flat(page) and not any(label in flat(page) for label in labels):
            problems.append(f"page {n} holds the generation details without the annex's tables")
    return problems


def check_letter(letter: Letter, pdf: Path, tools: dict[str, str]) -> list[str]:
    """Every problem of one letter's PDF, one line each."""
    pages = _pages(pdf, tools)
    text = "\n".join(pages)
    problems = [f"not in the PDF: {w}" for w in missing(text, letter.wanted())]
    problems += [f"broken across lines: {k}" for k in broken(text, unbroken(letter.req, letter.lang))]
    problems += [f"an internal rule id: {r}" for r in rule_ids(letter.req) if r in text]
    problems += _layout_problems(letter, pages) + _font_problems(pdf, tools)
    return [f"{letter.name}: {p}" for p in problems]


def check(folder: Path, tools: dict[str, str], chosen: list[Letter] | None = None) -> list[str]:
    """Write, convert and read back every letter; the problems found, one line each."""
    chosen = letters() if chosen is None else chosen
    convert([letter.write(folder) for letter in chosen], folder, tools["soffice"])
    problems = []
    for letter in chosen:
        pdf = folder / f"{letter.name}.pdf"
        problems += check_letter(letter, pdf, tools) if pdf.exists() else [f"{letter.name}: LibreOffice wrote no PDF"]
    return problems


def picture(folder: Path, pdftoppm: str, target: Path, name: str = "xihu-zh") -> Path:
    """Page 1 of a letter (the Chinese Xihu letter), at 60 dpi, written atomically."""
    pdf, stem = folder / f"{name}.pdf", folder / "page"
    subprocess.run([pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                   check=True, capture_output=True)  # fmt: skip
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(target) as tmp:
        tmp.write_bytes(io.BytesIO((folder / "page.png").read_bytes()).getvalue())
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--picture", action="store_true", help=f"remake {PICTURE.relative_to(REPO)}")
    parser.add_argument("--keep", type=Path, help="write the letters, PDFs and picture to this folder and keep them")
    args = parser.parse_args(argv)
    tools = _tools()
    if tools is None:
        print("需要 LibreOffice 和 poppler — needs soffice, pdftotext, pdftoppm and pdffonts: apt-get install "
              "libreoffice-writer-nogui poppler-utils fonts-noto-cjk", file=sys.stderr)  # fmt: skip
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        problems = check(folder, tools)
        if args.picture and not problems:
            print(f"picture: {picture(folder, tools['pdftoppm'], PICTURE)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(letters())} letters checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
