"""The condition letter as a Word document: read back with python-docx, every figure and document there.

The projects are those of the golden clauses (tests/test_clause.py, tests/golden/clause_*.txt); the
expected figures are worked by hand from the clauses cited beside them.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import docx
import pytest
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

import facility_sizing as fs
from facility_sizing.cli import main
from facility_sizing.render import build_clause, formats, to_format
from facility_sizing.render.clause import Clause
from facility_sizing.render.docx import FONTS, STYLES, WORD_JOINER, ordinal

ON = "2025-01-01"
REPO = Path(__file__).resolve().parents[1]

PROJECTS = {
    "xihu": {"jurisdiction": "西湖区", "households": 1334, "area_type": "new_build"},
    "yuyao": {"jurisdiction": "余姚市", "population": 5001, "area_type": "new_build"},
    "binjiang": {"jurisdiction": "滨江区", "population": 5001, "area_type": "new_build", "include_drafts": True},
    "suzhou": {"jurisdiction": "苏州市", "area_type": "new_build"},
    "keqiao": {"jurisdiction": "柯桥区", "households": 3000, "persons_per_household": 2.7, "area_type": "new_build"},
}

# Literal figures and document numbers each letter must carry.
EXPECTED = {
    # 西政办函〔2021〕15号 二(三)1: 15 m² per 100 households, at least 200 m²: 1,334 × 0.15 = 200.1 m² (stated as computed);
    # outdoor at least 40 m²; generally not on floor 3 or above
    "xihu": ["不少于200.1平方米", "200.1平方米", "不少于40平方米", "不得设置在3层及以上", "西政办函〔2021〕15号"],
    # 余政办发〔2020〕70号 三(一)3: 9 slots per 1,000 residents: 5,001 × 9 / 1,000 = 45.009 → 46
    "yuyao": ["托位不少于46个", "5,001人", "每千人不少于9个托位", "余政办发〔2020〕70号"],
    # 滨江实施意见（征求意见稿） 二(二)1: 9 slots per 1,000, a draft: 46 slots, flagged as not in force
    "binjiang": ["托位不少于46个", "征求意见稿", "未生效", "滨江实施意见（征求意见稿，无文号）"],
    # 苏府办〔2020〕233号 五(三): facilities commensurate with the population, no figure
    "suzhou": ["苏府办〔2020〕233号 五(三)", "未规定数值指标", "本条件书不设数值"],
    # 绍柯政办发〔2024〕13号 二(一)2: 25 m² per 100 households (3,000 → 750 m²) and 10 slots per 1,000
    # residents (3,000 × 2.7 = 8,100 → 81)
    "keqiao": ["不少于750平方米", "托位不少于81个", "8,100人", "户均2.7人", "绍柯政办发〔2024〕13号"],
}


def requirement(name: str) -> fs.Requirement:
    return fs.size(on=ON, **PROJECTS[name])  # type: ignore[arg-type]


def read(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def said(text: str) -> str:
    """Text as a reader sees it: without the word joiners that keep a date on one line."""
    return text.replace(WORD_JOINER, "")


def texts(document: Document) -> list[str]:
    """Each paragraph of the body as it reads."""
    return [said(p.text) for p in document.paragraphs]


def all_text(document: Document) -> str:
    """Every paragraph and every table cell of the body."""
    parts = texts(document)
    parts += [said(cell.text) for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def table_rows(document: Document, index: int) -> list[list[str]]:
    return [[said(cell.text) for cell in row.cells] for row in document.tables[index].rows]


def clause_part(paragraphs: list[str]) -> list[str]:
    """The clause's paragraphs of a letter: after the parcel's line, up to the annex's note."""
    start = next(n for n, p in enumerate(paragraphs) if p.startswith(("地块编号：", "Parcel: "))) + 1
    end = next((n for n, p in enumerate(paragraphs) if p in ("附件：计算书", "Annex: Calculation")), len(paragraphs))
    return paragraphs[start:end]


@pytest.mark.parametrize("name", PROJECTS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_line_figure_and_document_of_the_clause_is_in_the_letter(name: str, lang: str) -> None:
    req = requirement(name)
    letter = read(req.clause(lang, fmt="docx"))
    paragraphs = texts(letter)
    text = all_text(letter)
    clause = build_clause(req)
    for number, (head, lines) in enumerate(clause.sections(lang), start=1):
        assert ordinal(1, number, lang) + ("" if lang == "zh" else " ") + head in paragraphs
        for n, line in enumerate(lines, start=1):
            assert ordinal(2, n, lang) + ("" if lang == "zh" else " ") + line in paragraphs, line
    for figure in re.findall(r"\d[\d,]*(?:\.\d+)?", req.clause(lang)):
        assert figure in text, figure
    for document in req.plan.documents:
        assert document.label in text
        if document.number:
            assert document.number in text
    if lang == "zh":
        for fragment in EXPECTED[name]:
            assert fragment in text, fragment


AREA_CASES = [
    (place, area)
    for place in ("西湖区", "余姚市", "滨江区", "苏州市", "柯桥区")
    for area in dict.fromkeys(fs.rules_in_force(place, on="2025-06-01", include_drafts=True)["area_type"])
]


@pytest.mark.parametrize(("place", "area"), AREA_CASES)
def test_every_area_type_letter_has_its_clause_title_flags_preamble_and_sections(place: str, area: str) -> None:
    """The letters of tests/golden/areas: a configuration requirement (配置要求) as much as a transfer condition."""
    req = fs.size(jurisdiction=place, area_type=area, households=2000, population=5400, on="2025-06-01",
                  include_drafts=place == "滨江区")  # fmt: skip
    clause = build_clause(req)
    letter = [p.replace("\n", "") for p in texts(read(req.clause(fmt="docx")))]
    assert letter[1] == clause.title_zh  # below the document number's line
    paragraphs = clause_part(letter)  # the clause, without the letter around it and its annex
    lead = [f"【{flag}】" for flag in clause.flags_zh] + ([clause.preamble_zh] if clause.preamble_zh else [])
    assert paragraphs[: len(lead)] == lead
    shown = [ordinal(1, n, "zh") + head for n, (head, _) in enumerate(clause.sections("zh"), start=1)]
    assert [p for p in paragraphs if p in shown] == shown
    for _, lines in clause.sections("zh"):
        assert all(any(p.endswith(line) for p in paragraphs) for line in lines)


def test_the_chinese_letter_numbers_its_lines_as_gb_t_9704() -> None:
    paragraphs = texts(read(requirement("xihu").clause(fmt="docx")))
    assert paragraphs[1] == "托育服务设施配建要求（西湖区新建居住区）"  # 20 characters: one line
    assert clause_part(paragraphs)[:2] == [
        "一、配建规模",
        "（一）托育服务设施建筑面积不少于200.1平方米。按1,334户、每百户不少于15平方米计为200.1平方米，不低于最小"
        "建筑面积200平方米。依据：西政办函〔2021〕15号 二(三)1。",
    ]
    assert "四、计算依据" in paragraphs and "附件：计算书" in paragraphs
    assert [ordinal(level, 2) for level in (1, 2, 3, 4)] == ["二、", "（二）", "2.", "（2）"]


def test_a_long_title_breaks_before_its_bracket() -> None:
    title = read(requirement("keqiao").clause(fmt="docx")).paragraphs[1]
    assert title.text == "托育服务设施配建要求\n（柯桥区新建城市居住区）"  # 22 characters: two lines


def test_the_draft_flag_comes_first() -> None:
    paragraphs = clause_part(texts(read(requirement("binjiang").clause(fmt="docx"))))
    assert paragraphs[0].startswith("【本条款部分内容取自征求意见稿") and paragraphs[1] == "一、配建规模"


def test_page_is_a4_with_the_margins_of_gb_t_9704() -> None:
    letter = read(requirement("xihu").clause(fmt="docx"))
    page, annex = letter.sections
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
    assert page.orientation == WD_ORIENT.PORTRAIT
    margins = [page.top_margin, page.bottom_margin, page.left_margin, page.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    # the annex's wide table is turned (横排表格), its head towards the binding edge
    assert annex.orientation == WD_ORIENT.LANDSCAPE
    assert (round(annex.page_width.mm), round(annex.page_height.mm)) == (297, 210)
    assert [round(m.mm) for m in (annex.top_margin, annex.left_margin)] == [28, 35]
    footer = letter.sections[0].footer.paragraphs[0]
    assert footer.text == "— 1 —" and "PAGE" in footer.part.blob.decode()  # a page-number field
    assert letter.settings.odd_and_even_pages_header_footer


def east_asian_font(style: object) -> str | None:
    fonts = style.element.rPr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    return fonts.get(qn("w:eastAsia"))


def test_fonts_sizes_and_line_pitch() -> None:
    letter = read(requirement("xihu").clause(fmt="docx"))
    styles = letter.styles
    body, title = styles[STYLES["body"].name], styles[STYLES["title"].name]
    heading, number = styles[STYLES["heading"].name], styles[STYLES["number2"].name]
    assert (east_asian_font(body), body.font.size) == ("仿宋_GB2312", Pt(16))  # 仿宋 三号
    assert (east_asian_font(title), title.font.size) == ("方正小标宋简体", Pt(22))  # 小标宋 二号
    assert east_asian_font(heading) == "黑体" and east_asian_font(number) == "楷体_GB2312"
    assert body.font.name == "Times New Roman"
    assert body.paragraph_format.line_spacing == Pt(28.95)  # 22 lines on the 225 mm text block
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters
    # the paragraphs use them: a numbered line's number is in 楷体, its text in the body's 仿宋
    line = next(p for p in letter.paragraphs if p.text.startswith("（一）托育"))
    assert line.style.name == STYLES["body"].name and line.runs[0].style.name == STYLES["number2"].name
    # no theme font left in the defaults to override the names
    defaults = etree.tostring(letter.styles.element.find(qn("w:docDefaults")), encoding="unicode")
    assert "Theme" not in defaults and 'w:eastAsia="仿宋_GB2312"' in defaults and 'w:eastAsia="zh-CN"' in defaults
    # each first choice has its alternates in the font table, for a computer that lacks it
    blob = next(p for p in letter.part.package.iter_parts() if p.partname == "/word/fontTable.xml").blob.decode()
    for names in FONTS.values():
        if len(names) > 1:
            assert f'w:name="{names[0]}"' in blob and f'w:val="{",".join(names[1:])}"' in blob


def test_the_english_letter_has_the_same_structure_in_times_new_roman() -> None:
    req = requirement("keqiao")
    zh, en = read(req.clause(fmt="docx")), read(req.clause("en", fmt="docx"))
    assert [p.style.name for p in zh.paragraphs] == [p.style.name for p in en.paragraphs]
    assert len(zh.tables) == len(en.tables) == 2
    assert en.paragraphs[1].text == "Infant-care facility requirements (Keqiao District, new-build residential area)"
    assert "1. Size" in texts(en)
    assert en.styles[STYLES["body"].name].font.name == "Times New Roman"
    assert en.styles[STYLES["heading"].name].font.bold


def test_the_calculation_annex_of_xihu() -> None:
    req = requirement("xihu")
    rows = table_rows(read(req.clause(fmt="docx")), 0)
    assert rows[0] == ["指标", "计算规则", "计算值", "条件书取值", "文件及条款", "效力", "起控制作用"]
    # 西政办函〔2021〕15号 二(三)1: 1,334 × 15 / 100 = 200.1 m² binds over the 200 m² minimum; the letter
    # states 200.1 (no rounding); each rule is named by what it sets, never by its id in the rule book
    assert rows[1:] == [
        ["建筑面积", "每百户15m²", "200.1 m²", "200.1 m²", "西政办函〔2021〕15号 二(三)1", "应/不少于", "是"],
        ["建筑面积", "最小200m²", "200 m²", "200.1 m²", "西政办函〔2021〕15号 二(三)1", "应/不少于", "否"],
        ["户外活动场地", "最小40m²", "40 m²", "40 m²", "西政办函〔2021〕15号 二(三)1", "应/不少于", "是"],
        ["托位数", "未规定数值指标", "—", "不设数值", "—", "—", "—"],
        # the floor limit is 一般 (generally): not on floor 3 or above
        ["楼层限制", "不高于第2层", "2 层", "2 层", "西政办函〔2021〕15号 二(三)1", "一般", "是"],
    ]  # fmt: skip
    assert req.floor_area_m2 == 200.1  # the exact figure, rounded up only in the letter


def test_the_calculation_annex_of_keqiao() -> None:
    rows = table_rows(read(requirement("keqiao").clause(fmt="docx")), 0)
    # 绍柯政办发〔2024〕13号 二(一)2: 3,000 × 25 / 100 = 750 m²; 8,100 × 10 / 1,000 = 81 slots
    assert rows[1][:4] == ["建筑面积", "每百户25m²", "750 m²", "750 m²"]
    assert rows[3][:4] == ["托位数", "每千人10托位", "81 托位", "81 托位"]
    assert rows[1][4:] == ["绍柯政办发〔2024〕13号 二(一)2", "应/不少于", "是"]


@pytest.mark.parametrize("name", PROJECTS)
def test_no_internal_rule_id_is_in_the_letter(name: str) -> None:
    """A letter names clauses (西政办函〔2021〕15号 二(三)1), never the rule book's ids (xihu.max_floor)."""
    req = requirement(name)
    ids = {u.rule.id for u in [*req.rules, *req.obligations] if u.rule is not None}
    for lang in ("zh", "en"):
        letter = read(req.clause(lang, fmt="docx"))
        text = all_text(letter) + letter.core_properties.keywords
        assert ids and not [rule for rule in ids if rule in text]


def test_the_sources_annex_gives_each_document_and_its_grade() -> None:
    rows = table_rows(read(requirement("binjiang").clause(fmt="docx")), 1)
    assert rows[0] == ["文件", "标题", "效力状态", "文本来源等级"]
    assert rows[1] == [
        "滨江实施意见（征求意见稿，无文号）",
        "《高新区（滨江）关于促进3岁以下婴幼儿照护服务发展实施意见（征求意见稿）》",
        "征求意见稿",
        "征求意见稿原文，未生效",  # issue 23 finding 8: the issued text of a draft, never 「官方文本」 alone
    ]
    en = table_rows(read(requirement("xihu").clause("en", fmt="docx")), 1)
    assert en[1][0] == "西政办函〔2021〕15号"  # the status as checked, with its date: never a bare "in force"
    assert en[1][2:] == ["searched on 2026-12-01: no public notice of repeal or amendment seen", "official copy"]
    zh = table_rows(read(requirement("xihu").clause(fmt="docx")), 1)
    assert zh[1][2] == "2026年12月1日检索，未见废止或修订的公开信息"  # a search, as the rule data records it


def test_the_stamp_is_in_the_annex_and_the_file_properties() -> None:
    req = requirement("xihu")
    letter = read(req.clause(fmt="docx"))
    record = letter.paragraphs[-1].text
    assert record.startswith(f"生成信息：facility-sizing {fs.__version__}，规则数据 {req.stamp['rule_data']}")
    assert "规则适用日期 2025-01-01" in record and "xihu-2021-15（官方文本）" in record
    assert json.loads(letter.core_properties.comments) == req.stamp
    assert letter.core_properties.title == "托育服务设施配建要求（西湖区新建居住区）"
    assert letter.core_properties.author == "facility-sizing"


def test_a_clause_alone_has_no_annex_and_every_section_it_has() -> None:
    class Longer(Clause):
        """A clause with a section this library does not have yet: the letter shows it unchanged."""

        def sections(self, lang: str = "zh") -> list[tuple[str, list[str]]]:
            return [*super().sections(lang), ("附加要求", ["一行新的要求。"])]

    req = requirement("xihu")
    clause = build_clause(req)
    plain = read(to_format(clause, "docx"))
    assert not plain.tables and "附件：计算书" not in all_text(plain) and len(plain.sections) == 1
    # without the annex, the clause's own stamp closes the letter, as a note (附注) below the date
    assert texts(plain)[-1].startswith(f"（生成信息：facility-sizing {fs.__version__}")
    assert texts(plain)[-2] == "＿＿＿＿年＿＿月＿＿日"
    assert req.stamp["rule_data"] in plain.paragraphs[-1].text
    longer = texts(read(to_format(Longer(**vars(clause)), "docx")))
    assert longer[longer.index("五、附加要求") + 1] == "（一）一行新的要求。"


def test_the_formats_say_which_are_bytes() -> None:
    req = requirement("xihu")
    assert "clause.docx" in formats(req) and "docx" in formats(build_clause(req))
    assert to_format(req, "clause.docx")[:2] == b"PK" and isinstance(to_format(req, "clause"), str)
    with pytest.raises(fs.InputError, match="fmt") as info:
        req.clause(fmt="pdf")
    assert info.value.field == "fmt" and "docx" in str(info.value)


def test_without_python_docx_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    req = requirement("xihu")
    monkeypatch.setitem(sys.modules, "docx", None)  # import docx now fails
    # the command that installs the extra where this copy came from (a clone's folder, or the index)
    with pytest.raises(fs.MissingDependencyError, match=re.escape(fs.errors.install_command("word"))) as info:
        req.clause(fmt="docx")
    assert (info.value.package, info.value.extra) == ("python-docx", "word")
    assert isinstance(info.value, ImportError)
    assert req.clause().startswith("托育服务设施配建要求")  # the text clause needs nothing


# ---------------------------------------------------------------------------------------
# Command line

PROJECT = ["-j", "西湖区", "-t", "新建", "--households", "1334", "--on", ON]


def test_clause_writes_a_word_letter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "条件书.docx"
    assert main(["clause", *PROJECT, "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"已写入 Written: {out}"
    assert "不少于200.1平方米" in all_text(read(out.read_bytes()))  # 西政办函〔2021〕15号 二(三)1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["条件书.docx"]  # no temporary file left
    assert main(["clause", *PROJECT, "--lang", "en", "-o", str(tmp_path / "letter.md")]) == 0
    assert (tmp_path / "letter.md").read_text(encoding="utf-8").startswith("## Infant-care facility requirements")
    assert main(["clause", *PROJECT, "--format", "docx", "-o", str(tmp_path / "letter")]) == 0
    assert (tmp_path / "letter").read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--format", "docx"], "请加 -o"),
        (["-o", "letter.pdf"], "无法从后缀 .pdf 判断条款格式"),
        (["-o", "letter.txt", "--json"], "与 --json 不一致"),
        (["-o", "letter.docx", "--format", "markdown"], "与 --format markdown 不一致"),
        (["-o", "no/such/folder/letter.docx"], "输出目录不存在"),
        (["--compare-on", "2024-01-01", "-o", "letter.docx"], "修订对照没有 Word 格式"),
    ],
)
def test_clause_output_mistakes_are_input_errors(
    flags: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["clause", *PROJECT, *flags]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def write_projects(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(["地块编号,区县,类型,户数", *rows]) + "\n", encoding="utf-8")
    return path


def test_batch_writes_one_letter_per_parcel_and_lists_those_without(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = write_projects(
        tmp_path / "projects.csv", ["A-1,西湖区,新建,1334", "A-2,无此地,新建,100", "A/3,柯桥区,新建,3000"]
    )
    letters = tmp_path / "letters"
    assert main(["batch", str(table), "--on", ON, "--letters", str(letters)]) == 5  # rows with errors
    out = capsys.readouterr().out
    assert f"已生成条件书 Letters: 1 份 written to {letters}" in out
    assert "A-2: [unknown_jurisdiction]" in out and "A/3: [missing_input]" in out
    assert sorted(p.name for p in letters.iterdir()) == ["A-1.docx", "未生成.txt", "条件书索引.xlsx"]
    assert "不少于200.1平方米" in all_text(read((letters / "A-1.docx").read_bytes()))  # 西政办函〔2021〕15号 二(三)1
    skipped = (letters / "未生成.txt").read_text(encoding="utf-8").splitlines()
    assert skipped[2].startswith("A-2\t[unknown_jurisdiction]")
    # Keqiao's slots are per 1,000 residents: 3,000 households and no persons per household cannot give them
    assert skipped[3].startswith("A/3\t[missing_input]") and "--persons-per-household" in skipped[3]

    # the same folder, every row sized: the old list is replaced, not left standing
    write_projects(table, ["A-1,西湖区,新建,1334", "A/3,柯桥区,新建,3000"])
    code = main(
        ["batch", str(table), "--on", ON, "--persons-per-household", "2.7", "--letters", str(letters), "--json"]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)["letters"]
    assert report == {"folder": str(letters), "written": ["A-1.docx", "A_3.docx"], "skipped": [],
                      "index": "条件书索引.xlsx"}  # fmt: skip
    assert (letters / "未生成.txt").read_text(encoding="utf-8").startswith("全部 2 个地块均已生成条件书")
    # 绍柯政办发〔2024〕13号 二(一)2: 750 m², and 3,000 × 2.7 = 8,100 residents → 81 slots
    assert "托位不少于81个" in all_text(read((letters / "A_3.docx").read_bytes()))


def test_batch_letters_of_the_sample_are_named_by_parcel_and_match_its_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letters = tmp_path / "letters"
    assert main(["batch", "--sample", "--on", ON, "--letters", str(letters), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)["letters"]
    sample = fs.sample_parcels()
    assert report["written"] == [f"{pid}.docx" for pid in sample["parcel_id"]] and report["skipped"] == []
    assert not (letters / "未生成.txt").exists()  # nothing skipped, and no list from before
    sized = fs.size_parcels(sample, on=ON).set_index("parcel_id")
    # the estimated households of a parcel with no households of its own: the letter has the batch's figure
    row = sized.loc["XH-三墩-01"]
    assert bool(row.households_estimated)
    text = all_text(read((letters / "XH-三墩-01.docx").read_bytes()))
    assert f"{int(row.households):,}户" in text
    assert f"不少于{-int(-row.floor_area_m2 // 1)}平方米" in text  # rounded up to whole m²


def test_batch_letters_refuse_repeated_ids_before_writing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = write_projects(tmp_path / "projects.csv", ["A-1,西湖区,新建,1334", "A-1,西湖区,新建,2000"])
    assert main(["batch", str(table), "--on", ON, "--letters", str(tmp_path / "letters")]) == 2
    assert "编号列 地块编号 有重复值（A-1）" in capsys.readouterr().err
    assert not (tmp_path / "letters").exists()


def test_batch_letters_are_not_a_revision_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    letters = tmp_path / "letters"
    assert main(["batch", "--sample", "--on", ON, "--compare-on", "2025-06-01", "--letters", str(letters)]) == 2
    assert "--letters 与 --compare-on 不能同用" in capsys.readouterr().err
    assert not letters.exists()


def test_a_letter_write_that_fails_leaves_the_old_letter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from facility_sizing.cli import letters as module

    out = tmp_path / "letter.docx"
    out.write_bytes(b"the old letter")

    def disk_full(self: Path, data: bytes) -> int:
        raise OSError(f"disk full writing {len(data)} bytes to {self.name}")

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    with pytest.raises(OSError, match="disk full"):
        module.write_file(out, b"new")
    monkeypatch.undo()
    assert out.read_bytes() == b"the old letter" and sorted(p.name for p in tmp_path.iterdir()) == ["letter.docx"]


@pytest.fixture(scope="module")
def check() -> ModuleType:
    """scripts/check_docx_libreoffice.py, the LibreOffice check, as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("check_docx", REPO / "scripts" / "check_docx_libreoffice.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_libreoffice_check_looks_for_each_requirement_and_the_picture_is_on_its_page(check: ModuleType) -> None:
    assert check.PROJECTS == PROJECTS
    req = requirement("xihu")
    wanted = check.expected(req, "zh")
    assert "托育服务设施建筑面积不少于200.1平方米" in wanted and "西政办函〔2021〕15号" in wanted
    text = all_text(read(req.clause(fmt="docx")))
    assert check.missing(text, wanted) == []
    # as pdftotext gives it: spaces between scripts, lines broken anywhere, page numbers in between
    assert (
        check.missing("托育服务设施建筑面积不少于 200.1\n— 2 —\n平方米", ["托育服务设施建筑面积不少于200.1平方米"])
        == []
    )
    assert check.missing(text.replace("不少于200.1平方米", "不少于200平方米"), wanted) == [
        "托育服务设施建筑面积不少于200.1平方米"
    ]
    # a document number or date broken across two lines is found
    kept = check.unbroken(req, "zh")
    assert {"西政办函〔2021〕15号", "2021年9月20日", "1,334"} <= set(kept)
    assert check.broken("依据：西政办函〔2021〕15号\n截至2026年12\n月1日核对", [*kept[:1], "2026年12月1日"]) == [
        "2026年12月1日"
    ]
    assert "xihu.max_floor" in check.rule_ids(req)
    page = (REPO / "docs" / "howto" / "condition-clause.md").read_text(encoding="utf-8")
    assert "../_static/letter-docx.png" in page and "scripts/check_docx_libreoffice.py" in page
    assert (REPO / "docs" / "_static" / "letter-docx.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_letters_render_with_libreoffice(check: ModuleType, tmp_path: Path) -> None:
    """The five jurisdictions' letters (zh and en) and one on a bureau's letterhead, to PDF with
    LibreOffice, read back as a clerk reads them (scripts/check_docx_libreoffice.py): every figure,
    number and requirement there, no number, document number or date broken across lines, the
    letter on at most two pages and no page of generation details alone, Chinese serif faces, no rule id."""
    tools = check._tools()
    if tools is None:
        pytest.skip("needs LibreOffice and poppler (soffice, pdftotext, pdffonts): CI installs them")
    assert check.check(tmp_path, tools) == []


# ---------------------------------------------------------------------------------------
# The letter around the clause: its template, its fields, its bytes


def test_two_runs_give_the_same_bytes_dated_by_the_rules_not_the_clock() -> None:
    import zipfile

    req = requirement("keqiao")
    first = req.clause(fmt="docx", letter={"地块编号": "KQ-01"})
    assert first == requirement("keqiao").clause(fmt="docx", letter={"地块编号": "KQ-01"})
    entries = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert {e.date_time for e in entries} == {(2025, 1, 1, 0, 0, 0)}  # the date the rules apply
    assert read(first).core_properties.created.date().isoformat() == ON


def test_the_built_in_templates_are_what_the_library_builds() -> None:
    """scripts/make_letter_templates.py writes them; a change of style or layout is a change of them."""
    from facility_sizing.render.docx import builtin_template
    from facility_sizing.render.letter import builtin_template_path

    for lang in ("zh", "en"):
        assert builtin_template_path(lang).read_bytes() == builtin_template(lang), (
            "run scripts/make_letter_templates.py"
        )
    template = read(builtin_template_path("zh").read_bytes())
    assert [p.text for p in template.paragraphs] == [
        "{{文号}}", "{{标题}}", "", "{{主送}}：", "{{地块}}", "{{条款}}", "", "\t{{落款}}", "{{日期}}", "{{附件}}",
    ]  # fmt: skip
    assert 'w:eastAsia="zh-CN"' in template.settings.element.xml  # not python-docx's ja-JP


def test_a_letter_names_its_parcel_and_leaves_blanks_for_the_bureau() -> None:
    req = requirement("xihu")
    blank = texts(read(req.clause(fmt="docx")))
    assert blank[0] == "＿＿〔＿＿＿＿〕＿＿号" and blank[3] == "＿＿＿＿＿＿＿＿＿＿："  # 文号, 主送
    assert blank[4] == "地块编号：＿＿＿＿＿＿＿＿\u3000\u3000项目名称：＿＿＿＿＿＿＿＿＿＿"
    assert blank[-len(blank) + blank.index("＿＿＿＿年＿＿月＿＿日") - 1] == "\t＿＿＿＿＿＿＿＿（盖章）"
    fields = {"文号": "西自然资函〔2025〕12号", "主送": "杭州市西湖区土地储备中心", "issuer": "杭州市规划和自然资源局西湖分局",
              "日期": "2025/1/6", "地块编号": "XH-01", "项目名称": "西溪花园", "地址": "三墩镇"}  # fmt: skip
    filled = texts(read(req.clause(fmt="docx", letter=fields)))
    assert filled[:5] == [
        "西自然资函〔2025〕12号", "托育服务设施配建要求（西湖区新建居住区）", "", "杭州市西湖区土地储备中心：",
        "地块编号：XH-01\u3000\u3000项目名称：西溪花园\u3000\u3000地块坐落：三墩镇",
    ]  # fmt: skip
    assert "\t杭州市规划和自然资源局西湖分局" in filled and "2025年1月6日" in filled  # the issuer signs
    en = texts(read(req.clause("en", fmt="docx", letter=fields)))
    assert en[4] == "Parcel: XH-01; Project: 西溪花园; Address: 三墩镇" and "2025-01-06" in en
    with pytest.raises(fs.InputError, match="文号、主送") as info:
        req.clause(fmt="docx", letter={"文件号": "x"})
    assert info.value.field == "letter"
    with pytest.raises(fs.InputError, match="只用于 Word 条件书"):
        req.clause(fmt="text", letter={"文号": "x"})


def bureau(paragraphs: list[str]) -> bytes:
    """A bureau's template: its own letterhead and wording, the placeholders where the letter's parts go."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_bureau_template_is_filled_where_its_placeholders_are(tmp_path: Path) -> None:
    data = bureau(["示例市自然资源和规划局", "{{ number }}", "关于{{项目名称}}（{{地块编号}}）托育设施的函", "{{条款}}",
                   "{{落款}}", "{{日期}}"])  # fmt: skip
    document = docx.Document(io.BytesIO(data))
    run = document.paragraphs[2].runs[0]  # Word splits a placeholder into runs as it is typed
    run.text = "关于{{项目"
    run.add_text("")
    run._r.addnext(docx.oxml.parse_xml(  # type: ignore[attr-defined]
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:rPr><w:b/></w:rPr>'
        "<w:t>名称}}（{{地块编号}}）托育设施的函</w:t></w:r>"))  # fmt: skip
    path = tmp_path / "本局模板.docx"
    document.save(str(path))
    req = requirement("xihu")
    letter = read(req.clause(fmt="docx", template=path, letter={"地块编号": "XH-01", "项目名称": "西溪花园"}))
    paragraphs = texts(letter)
    assert paragraphs[:3] == ["示例市自然资源和规划局", "＿＿〔＿＿＿＿〕＿＿号", "关于西溪花园（XH-01）托育设施的函"]
    assert paragraphs[3] == "托育服务设施配建要求（西湖区新建居住区）"  # no {{标题}}: the title heads the clause
    assert "一、配建规模" in paragraphs and paragraphs[-1].startswith("生成信息：")  # the annex at the end
    assert [s.orientation for s in letter.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    # a Word template (.dotx) is read as the document it makes
    dotx = tmp_path / "本局模板.dotx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(dotx, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                body = body.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(item.filename, body)
    assert "关于西溪花园（XH-01）托育设施的函" in texts(read(req.clause(fmt="docx", template=dotx,
                                                                     letter={"地块编号": "XH-01", "项目名称": "西溪花园"})))  # fmt: skip


@pytest.mark.parametrize(
    ("paragraphs", "message"),
    [
        (["{{文件号}}", "{{条款}}"], "占位符「{{文件号}}」未知"),
        (["{{文号}}"], "没有「{{条款}}」占位符"),
        (["见{{条款}}", "{{附件}}"], "「{{条款}}」须单独成段"),
    ],
)
def test_a_template_that_cannot_hold_the_letter_is_an_input_error(paragraphs: list[str], message: str) -> None:
    with pytest.raises(fs.InputError, match=re.escape(message)) as info:
        requirement("xihu").clause(fmt="docx", template=bureau(paragraphs))
    assert info.value.field == "template"
    with pytest.raises(fs.InputError, match="不是 Word 文档或模板"):
        requirement("xihu").clause(fmt="docx", template=b"not a zip")
    with pytest.raises(fs.InputError, match="文件不存在"):
        requirement("xihu").clause(fmt="docx", template="no/such/模板.docx")


def test_batch_letters_name_their_parcel_and_project_and_are_indexed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    table = tmp_path / "projects.csv"
    table.write_text("地块编号,项目名称,地址,区县,类型,户数\nXH-01,西溪花园,三墩镇,西湖区,新建,1334\n"
                     "XH/02,湖畔家园,,西湖区,新建,1500\nxh_02,错号,,无此地,新建,10\n", encoding="utf-8")  # fmt: skip
    letters = tmp_path / "letters"
    template = tmp_path / "本局模板.docx"
    template.write_bytes(bureau(["{{发文机关}}", "{{主送}}：", "{{地块}}", "{{条款}}", "{{落款}}", "{{附件}}"]))
    flags = ["--letters", str(letters), "--template", str(template), "--issuer", "示例市自然资源和规划局"]
    assert main(["batch", str(table), "--on", ON, *flags, "--addressee", "项目名称"]) == 5
    capsys.readouterr()
    assert sorted(p.name for p in letters.iterdir()) == ["XH-01.docx", "XH_02.docx", "未生成.txt", "条件书索引.xlsx"]
    first = texts(read((letters / "XH-01.docx").read_bytes()))
    assert first[:3] == [
        "示例市自然资源和规划局",
        "西溪花园：",
        "地块编号：XH-01\u3000\u3000项目名称：西溪花园\u3000\u3000地块坐落：三墩镇",
    ]
    assert "湖畔家园" in texts(read((letters / "XH_02.docx").read_bytes()))[2]  # --addressee named a column
    rows = list(openpyxl.load_workbook(letters / "条件书索引.xlsx").active.iter_rows(values_only=True))
    assert rows[1][:6] == ("XH-01", "西溪花园", "三墩镇", "西湖区", "XH-01.docx", 200.1)
    assert rows[1][-2] == hashlib.sha256((letters / "XH-01.docx").read_bytes()).hexdigest()
    assert rows[3][0] == "xh_02" and rows[3][4] is None and "[unknown_jurisdiction]" in rows[3][-1]


def test_letter_file_names_are_safe_and_never_collide() -> None:
    import pandas as pd

    from facility_sizing.cli.letters import letter_names

    frame = pd.DataFrame({"id": ["A/3", "A_3", "a_3", "con", " x. ", None, "长" * 150]})
    names = [name for _, name in letter_names(frame, "id")]
    assert names[:6] == ["A_3", "A_3（2）", "a_3（3）", "con_", "x", "第6行"] and len(names[6]) == 100


def test_a_template_without_a_place_for_what_was_given_is_refused(tmp_path: Path) -> None:
    """A bureau letterhead without {{地块编号}} or {{项目名称}} dropped the parcel from the letter without a word."""
    import docx

    template = docx.Document()
    for text in ("{{文号}}", "{{主送}}：", "{{条款}}", "特此函告。", "{{日期}}"):
        template.add_paragraph(text)
    path = tmp_path / "本局模板.docx"
    template.save(str(path))
    req = fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
    with pytest.raises(fs.InputError) as info:
        req.clause("zh", fmt="docx", template=path, letter={"地块编号": "XH-01", "项目名称": "西溪花园"})
    assert info.value.field == "template" and "地块编号、项目名称" in str(info.value)
    assert req.clause("zh", fmt="docx", template=path, letter={"文号": "西自然资函〔2025〕12号"})  # it has that place
