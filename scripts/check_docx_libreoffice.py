"""Check the Word letters as an office suite lays them out: LibreOffice to PDF, then the PDF's text.

    venv/bin/python scripts/check_docx_libreoffice.py              # the five letters, Chinese and English
    venv/bin/python scripts/check_docx_libreoffice.py --picture    # and remake docs/_static/letter-docx.png
    venv/bin/python scripts/check_docx_libreoffice.py --keep out   # keep the .docx, .pdf (and .png) in out/

Writes the letters of the five golden projects (tests/golden/clause_*.txt), converts each with
``soffice --headless --convert-to pdf`` and checks that the PDF's text (``pdftotext``) has every
figure, document number and requirement sentence of the clause, and the stamp. Exits 1 naming
what is missing, 2 if LibreOffice or poppler is not installed. Not run in CI (it needs an office
suite); run it after changing the layout of the letter (docs/howto/condition-clause.md).

Needs, on Debian or Ubuntu::

    apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai fonts-liberation

The letters name the fonts of an official document (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, Times
New Roman), which a Linux machine lacks. A fontconfig file written for the run maps them to the
open fonts above (Noto Serif CJK for 仿宋 and 小标宋, Noto Sans CJK for 黑体, AR PL UKai for 楷体),
so the PDF looks like the letter on an office computer; the letter itself is unchanged.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import facility_sizing as fs
from facility_sizing.io.write import atomic_file
from facility_sizing.render import build_clause

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

#: The official document's fonts, and the open fonts that stand in for them in the PDF.
STAND_INS = {
    "仿宋_GB2312": "Noto Serif CJK SC",
    "仿宋": "Noto Serif CJK SC",
    "方正小标宋简体": "Noto Serif CJK SC",
    "华文中宋": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
    "楷体_GB2312": "AR PL UKai CN",
    "楷体": "AR PL UKai CN",
    "Times New Roman": "Liberation Serif",
}

_FOOTER = re.compile(r"—\d+—")


def fonts_conf(folder: Path) -> Path:
    """A fontconfig file: the system's configuration, and each official font's open stand-in."""
    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family><prefer><family>{stand_in}</family></prefer></alias>'
        for name, stand_in in STAND_INS.items()
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
    return _FOOTER.sub("", re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))


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


def missing(pdf_text: str, wanted: list[str]) -> list[str]:
    """The wanted fragments the PDF's text lacks."""
    have = flat(pdf_text)
    return [w for w in wanted if flat(w) not in have]


def _tools() -> tuple[str, str, str] | None:
    """soffice, pdftotext and pdftoppm, or None if one is missing."""
    soffice, pdftotext, pdftoppm = (shutil.which(t) for t in ("soffice", "pdftotext", "pdftoppm"))
    if soffice and pdftotext and pdftoppm:
        return soffice, pdftotext, pdftoppm
    return None


def convert(letters: list[Path], folder: Path, soffice: str) -> None:
    """Each .docx to a .pdf beside it, in a LibreOffice profile of its own (a running office is untouched)."""
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf(folder))}
    profile = (folder / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir"]
    subprocess.run([*command, str(folder), *map(str, letters)], env=env, check=True, capture_output=True, timeout=300)


def check(folder: Path, tools: tuple[str, str, str]) -> list[str]:
    """Write, convert and read back every letter; the problems found, one line each."""
    soffice, pdftotext, _ = tools
    letters, wants = [], {}
    for name, project in PROJECTS.items():
        req = fs.size(on=ON, **project)
        for lang in ("zh", "en"):
            path = folder / f"{name}-{lang}.docx"
            path.write_bytes(req.clause(lang, fmt="docx"))
            letters.append(path)
            wants[path.stem] = expected(req, lang)
    convert(letters, folder, soffice)
    problems = []
    for stem, wanted in wants.items():
        pdf = folder / f"{stem}.pdf"
        if not pdf.exists():
            problems.append(f"{stem}: LibreOffice wrote no PDF")
            continue
        text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        problems += [f"{stem}: not in the PDF: {w}" for w in missing(text, wanted)]
    return problems


def picture(folder: Path, pdftoppm: str, target: Path) -> Path:
    """Page 1 of the Chinese Xihu letter, at 60 dpi, written atomically."""
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(folder / "xihu-zh.pdf"),
            str(folder / "page"),
        ],
        check=True,
        capture_output=True,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(target) as tmp:
        tmp.write_bytes((folder / "page.png").read_bytes())
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--picture", action="store_true", help=f"remake {PICTURE.relative_to(REPO)}")
    parser.add_argument("--keep", type=Path, help="write the letters, PDFs and picture to this folder and keep them")
    args = parser.parse_args(argv)
    tools = _tools()
    if tools is None:
        print("需要 LibreOffice 和 poppler — needs soffice, pdftotext and pdftoppm: apt-get install "
              "libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai fonts-liberation", file=sys.stderr)  # fmt: skip
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        problems = check(folder, tools)
        if args.picture and not problems:
            print(f"picture: {picture(folder, tools[2], PICTURE)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(PROJECTS) * 2} letters checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
