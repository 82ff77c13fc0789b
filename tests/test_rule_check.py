"""The rule check (fs.check_rules, rules check): the built-in files against the five documents as .txt,
.docx and .pdf, each kind of error a bureau makes caught with its rule id and key, and the reading
of copies (normalisation, outline, page breaks, HTML, Word, PDF)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import tomllib
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest

import facility_sizing as fs
from facility_sizing.io.documents import read_document, read_document_bytes
from facility_sizing.model.bases import BASES
from facility_sizing.model.vocabulary import STRENGTHS
from facility_sizing.ruledata.check import check_rule_file, words
from facility_sizing.ruledata.skeleton import Header, skeleton
from facility_sizing.ruledata.source_text import SourceText, bare_number, normalise

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
RULES = resources.files("facility_sizing") / "data" / "rules"
NEEDS_SHARED = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/ (the source documents) is not beside the clone")
#: each built-in file of the five documents, and the document it quotes
PAIRS = {
    "330106_xihu": "000_93b863376bd73d81",
    "330281_yuyao": "001_22eab0049e2ece77",
    "330108_binjiang": "002_3b5efcbd30f8d441",
    "320500_suzhou": "003_bbde135a9fcb85f9",
    "330603_keqiao": "004_945443bd6c676b5d",
}
#: as the seed is; as Word (python-docx) and PDF (LibreOffice) make it; and with its header block moved to
#: the end, as a converted copy may place a header (the number, issuer and title are read from the words
#: around them, not from where they stand: review finding 1)
FORMATS = ("txt", "docx", "pdf", "moved")
#: Each document's numbers of other documents it cites (「…》（国办发〔2019〕15号）」, 「按照…号文件」), a title and
#: an issuer it cites, and a date of its body that is not its date of issue (the effect date) — as a file
#: might mistake them for the document's own
CITED = {
    "330106_xihu": (["国办发〔2019〕15号", "浙政办发〔2019〕64号", "杭政办函〔2021〕2号"],
                    "国务院办公厅关于促进3岁以下婴幼儿照护服务发展的指导意见", "浙江省人民政府办公厅", "2021-09-20"),
    "330281_yuyao": (["浙政办发〔2019〕64号", "甬政办发〔2020〕42号"],
                     "宁波市人民政府办公厅关于促进3岁以下婴幼儿照护服务发展的实施意见", "宁波市人民政府办公厅", "2020-11-13"),
    "330108_binjiang": (["国办发〔2019〕15号", "浙政办发〔2019〕64号", "杭政办〔2020〕14号"],
                        "杭州市人民政府办公厅关于推进产业园区嵌入式幼儿园（含托育）发展的实施意见", "杭州市人民政府办公厅", None),
    "320500_suzhou": (["国办发〔2019〕15号", "苏政办发〔2020〕1号"],
                      "省政府办公厅关于促进3岁以下婴幼儿照护服务发展的实施意见", "国务院办公厅", None),
    "330603_keqiao": (["浙发改价格〔2023〕115号"],
                      "绍兴市3岁以下婴幼儿照护服务设施专项规划导则（2023—2035年）", "区卫生健康局", None),
}  # fmt: skip


def make_docx(txt: Path, out: Path) -> None:
    """The document as Word: a paragraph a line, a Markdown table as a real table, CJK fonts named."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Noto Serif CJK SC"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    lines = txt.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].lstrip().startswith("|"):
            document.add_paragraph(lines[i])
            i += 1
            continue
        rows = []
        while i < len(lines) and lines[i].lstrip().startswith("|"):
            cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
            if not all(re.fullmatch(r"-*", c) for c in cells):  # not the Markdown rule under the header
                rows.append(cells)
            i += 1
        table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
    document.save(out)


def header_moved(text: str) -> str:
    """The text with its header block (its first six lines with words, none past 「一、」) moved to its end."""
    lines = text.splitlines()
    worded = [i for i, line in enumerate(lines) if line.strip()]
    cut = min(worded[5] + 1, next(i for i, line in enumerate(lines) if line.lstrip().startswith("一、")))
    return "\n".join(lines[cut:] + lines[:cut])


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """The five documents as .txt (as they are), .docx (python-docx) and .pdf (LibreOffice from the .docx)."""
    folder = tmp_path_factory.mktemp("copies")
    out: dict[str, dict[str, Path]] = {"txt": {}, "docx": {}, "pdf": {}, "moved": {}}
    for seed in PAIRS.values():
        out["txt"][seed] = SEEDS / f"{seed}.txt"
        out["docx"][seed] = folder / f"{seed}.docx"
        make_docx(out["txt"][seed], out["docx"][seed])
        out["moved"][seed] = folder / f"{seed}.moved.txt"
        out["moved"][seed].write_text(header_moved(out["txt"][seed].read_text(encoding="utf-8")), encoding="utf-8")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is not None:
        command = [
            soffice,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, out["docx"].values()),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=300)
        out["pdf"] = {seed: folder / f"{seed}.pdf" for seed in PAIRS.values()}
    return out


def copy_of(copies: dict[str, dict[str, Path]], fmt: str, seed: str) -> Path:
    if fmt == "pdf" and not copies["pdf"]:
        pytest.skip("LibreOffice (soffice) is not installed here: no PDF copies (CI installs it)")
    return copies[fmt][seed]


@NEEDS_SHARED
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("rules", PAIRS)
def test_each_built_in_file_checks_clean_against_its_document(copies, rules: str, fmt: str) -> None:  # type: ignore[no-untyped-def]
    report = fs.check_rules(RULES / f"{rules}.toml", copy_of(copies, fmt, PAIRS[rules]))
    assert report.failures == (), "\n".join(f.text("en") for f in report.failures)
    assert report.passed
    assert {f.check for f in report.findings} >= {"document", "quote", "clause", "strength"}
    assert "matches the supplied copies" in report.text("en")


def _edit(text: str, entry_id: str, key: str, line: str) -> str:
    """The TOML text with the ``key`` line of the entry whose id is ``entry_id`` replaced by ``line``."""
    start = text.index(f'id = "{entry_id}"')
    found = re.compile(rf"^{re.escape(key)} = .*$", re.M).search(text, start)
    assert found is not None and "[[" not in text[start : found.start()], (entry_id, key)
    return text[: found.start()] + line + text[found.end() :]


def mutations(rules: str) -> dict[str, tuple[str, str, str]]:
    """For one built-in file: each kind of mistake → (the mutated text, the id and the key the check must name)."""
    text = (RULES / f"{rules}.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    doc = data["documents"][0]
    figure = next((r for r in data["rules"] if "value" in r), None) or next(t for t in data["targets"] if "value" in t)
    first = data["rules"][0]
    out = {}
    # one character of a quote: the third CJK character of the first rule's text
    quote = first["text"]
    at = [m.start() for m in re.finditer(r"[\u4e00-\u9fff]", quote)][2]
    changed = quote[:at] + ("某" if quote[at] != "某" else "甲") + quote[at + 1 :]
    out["quote"] = (_edit(text, first["id"], "text", f'text = "{changed}"'), first["id"], "text")
    out["figure"] = (_edit(text, figure["id"], "value", f"value = {figure['value'] + 1}"), figure["id"], "value")
    out["clause"] = (_edit(text, first["id"], "clause", 'clause = "一"'), first["id"], "clause")  # every one has 一、
    later = doc["effective_from"] + dt.timedelta(days=10)
    invented = _edit(text, doc["id"], "effective_from", f"effective_from = {later.isoformat()}")
    invented = invented.replace("effective_from_stated = true\n", "").replace(
        f"effective_from = {later.isoformat()}", f"effective_from = {later.isoformat()}\neffective_from_stated = true"
    )
    out["effect"] = (invented, doc["id"], "effective_from")
    hedged = next(e for e in data["rules"] + data.get("duties", [])
                  if e["strength"] != "mandatory" and any(w in e["text"] for w in words()["strengths"][e["strength"]]))  # fmt: skip
    out["strength"] = (_edit(text, hedged["id"], "strength", 'strength = "mandatory"'), hedged["id"], "strength")
    # another document's number, title, issuer or date, each in the copy where it is cited (review finding 1)
    numbers, title, issuer, body_date = CITED[rules]
    for number in numbers:
        line = f'number = "{number}"'
        cited = _edit(text, doc["id"], "number", line) if "number" in doc else _add(text, doc["id"], line)
        out[f"number {number}"] = (cited, doc["id"], "number")
    out["title"] = (_edit(text, doc["id"], "title", f'title = "{title}"'), doc["id"], "title")
    out["issuer"] = (_edit(text, doc["id"], "issuer", f'issuer = "{issuer}"'), doc["id"], "issuer")
    if body_date is not None:
        out["issued"] = (_edit(text, doc["id"], "issued", f"issued = {body_date}"), doc["id"], "issued")
    return out


def _add(text: str, entry_id: str, line: str) -> str:
    """The TOML text with ``line`` added after the ``id`` line of the entry whose id is ``entry_id``."""
    at = text.index(f'id = "{entry_id}"\n') + len(f'id = "{entry_id}"\n')
    return text[:at] + line + "\n" + text[at:]


@NEEDS_SHARED
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("rules", PAIRS)
def test_each_kind_of_mistake_fails_naming_the_rule_and_the_key(copies, rules: str, fmt: str) -> None:  # type: ignore[no-untyped-def]
    path = copy_of(copies, fmt, PAIRS[rules])
    copy = SourceText(*read_document(path)[:1], path.name)
    for kind, (text, entry_id, key) in mutations(rules).items():
        report = check_rule_file(f"{rules}.toml", [copy], text)
        named = {(f.id, f.key) for f in report.failures}
        assert (entry_id, key) in named, f"{kind}: {named}"
        assert not report.passed
        if key in ("number", "title", "issuer", "issued"):  # found in the copy, but as another document's
            said = {f.message.key for f in report.failures if (f.id, f.key) == (entry_id, key)}
            assert said == {f"authoring.{key}_not_own"}, f"{kind}: {said}"


@NEEDS_SHARED
def test_a_government_task_put_on_the_project_fails_on_its_subject() -> None:
    # Yuyao 附件第7项 「市自然资源和规划局：负责……在新建住宅小区中按要求配套建设婴幼儿照护服务用房」
    text = (RULES / "330281_yuyao.toml").read_text(encoding="utf-8")
    on_project = _edit(text, "yuyao.new_build.facility_rooms", "addressee", "")
    copy = SourceText((SEEDS / "001_22eab0049e2ece77.txt").read_text(encoding="utf-8"), "yuyao.txt")
    [failure] = check_rule_file("330281_yuyao.toml", [copy], on_project).failures
    assert (failure.id, failure.key, failure.check) == ("yuyao.new_build.facility_rooms", "addressee", "subject")
    assert "市自然资源和规划局:" in failure.message.text("zh")


@NEEDS_SHARED
def test_a_changed_quote_shows_the_nearest_passage_and_the_characters_that_differ() -> None:
    text = (
        (RULES / "330106_xihu.toml")
        .read_text(encoding="utf-8")
        .replace("每百户不少于15平方米、最小", "每百户不少于16平方米、最小", 1)
    )
    copy = SourceText((SEEDS / "000_93b863376bd73d81.txt").read_text(encoding="utf-8"), "xihu.txt")
    report = check_rule_file("330106_xihu.toml", [copy], text)
    quote = next(f for f in report.failures if f.key == "text")
    assert quote.id == "xihu.new_build.floor_area.rate"
    assert quote.diff == (("replace", "6", "5", 28),)
    assert quote.passage is not None and "每百户不少于15平方米" in quote.passage
    assert "第 29 字起：引文作「6」，文件作「5」" in report.text("zh")


# --- reading copies -------------------------------------------------------------------------


def test_normalising_folds_what_extraction_breaks() -> None:
    assert normalise("每百户不少于 15 平方米，\n最小（一）") == "每百户不少于15平方米,最小(一)"
    # a PDF moves the brackets of a document number: the numbers compare without them
    assert bare_number("苏府办„2020 233‟ 号") == bare_number("苏府办〔2020〕233号") == "苏府办2020233号"
    assert bare_number("西政办函[2021]15号") == bare_number("西政办函【2021】15号")


def test_the_outline_names_every_clause_and_an_annex_s_items() -> None:
    text = "一、总则\n（一）范围\n1.甲。\n2.乙。\n（二）其他\n二、任务\n2.不是标题\n附件1\n| 1 | 指标甲 | 4.56 |\n| 2 | 指标乙 | 5 |\n"
    doc = SourceText(text)
    assert doc.clause_at(doc.norm.index("乙")) == "一(一)2"
    assert doc.clause_at(doc.norm.index("不是标题")) == "二"  # 「2.」 out of sequence is no heading
    assert doc.clause_at(doc.norm.index("指标乙")) == "附件1 第2项"
    span = doc.span("附件1第1项")
    assert span is not None and doc.norm[span.start : span.end] == "1指标甲4.56"
    assert doc.span("一(三)") is None and doc.span("三") is None


def test_dates_of_issue_and_of_effect_are_read_in_digits_and_in_chinese() -> None:
    doc = SourceText("本办法自2020年11月13日起施行。\n二〇二〇年九月四日")
    assert [d for d, _, _ in doc.dates()] == [dt.date(2020, 11, 13), dt.date(2020, 9, 4)]


def test_html_word_and_unknown_copies(tmp_path: Path) -> None:
    html = "<html><script>x</script><p>一、总则</p><table><tr><td>1</td><td>甲</td></tr></table></html>"
    assert read_document_bytes(html.encode(), "a.html")[0].splitlines() == ["一、总则", "| 1 | 甲 |"]
    make_docx_path = tmp_path / "a.txt"
    make_docx_path.write_text("一、总则\n| 1 | 甲 |\n", encoding="utf-8")
    make_docx(make_docx_path, tmp_path / "a.docx")
    assert read_document(tmp_path / "a.docx")[0].splitlines() == ["一、总则", "| 1 | 甲 |"]
    with pytest.raises(fs.InputError, match=r"'a\.doc'"):
        read_document_bytes(b"x", "a.doc")


def test_a_pdf_without_its_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pypdf", None)  # as if not installed: importing it raises ImportError
    with pytest.raises(fs.MissingDependencyError) as info:
        read_document_bytes(b"%PDF-1.4", "a.pdf")
    assert info.value.extra == "pdf" and "[pdf]" in str(info.value)


def test_a_table_row_split_over_two_pages_is_found_and_said() -> None:
    doc = SourceText("附件2\n10 积极争取各类省级示范。全 区卫生健康局\f力建设省级示范托育机构 4\n家以上")
    assert doc.occurrences("全力建设") == []
    assert doc.across_pages(normalise("全力建设省级示范托育机构4家以上")) == (16, "区卫生健康局")


# --- the words the check reads by, and the skeleton ----------------------------------------------


def test_every_unit_and_strength_of_the_registry_has_its_words() -> None:
    units = {unit for basis in BASES.values() for unit in basis.units.values()}
    assert units <= set(words()["units"]), units - set(words()["units"])
    assert set(words()["strengths"]) == set(STRENGTHS)


def test_the_skeleton_has_one_rule_of_every_kind_and_a_new_basis_appears_in_it(monkeypatch: pytest.MonkeyPatch) -> None:
    text = skeleton(Header(code="330110"))
    kinds = re.findall(r"^# quantity = \"(\w+)\"\n# basis = \"(\w+)\"", text, re.M)
    assert sorted(kinds) == sorted((q, b) for b, spec in BASES.items() for q in spec.units)
    assert '# quantity = "obligation"' in text
    tomllib.loads(text)  # valid TOML as written
    monkeypatch.setitem(BASES, "per_classroom", replace(BASES["minimum"], key="per_classroom", units={"slots": "托位"}))
    assert '# basis = "per_classroom"' in skeleton(Header(code="330110"))


@NEEDS_SHARED
@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (("value = 15\n", "value = 200\n"), "value"),  # 200 is the minimum's figure, not the rate's
        (("value = 15\n", "value = 40\n"), "value"),  # 40 is the outdoor area's
        (("value = 2\n", "value = 3\n"), "value"),  # 「不得…3楼及以上」 is at most floor 2, not 3
    ],
)
def test_a_figure_from_elsewhere_in_the_sentence_is_not_the_rules(
    edit: tuple[str, str], key: str, tmp_path: Path
) -> None:
    """The unit's words and the figure may not be joined across 、 or another figure: a review found a rate of
    200 m²/100户 passing on 「每百户不少于15平方米，且最小建筑面积不少于200平方米」, and a floor limit of 3 on 「3楼」."""
    seed = SEEDS / "000_93b863376bd73d81.txt"
    rules = (RULES / "330106_xihu.toml").read_text(encoding="utf-8")
    path = tmp_path / "330106_xihu.toml"
    path.write_text(rules.replace(*edit, 1), encoding="utf-8")
    report = fs.check_rules(path, seed)
    failing = {f.key for f in report.findings if f.status == "fail"}
    assert not report.passed and failing & {key, "unit"}  # the figure is not the quote's, or not with its unit


def test_a_damaged_or_unusual_copy_is_one_typed_error_or_read() -> None:
    """An empty or corrupt .docx was a BadZipFile (a 500 from the service); Notepad's UTF-16 text was refused."""
    from facility_sizing.io.documents import read_document_bytes

    for name, data in (("empty.docx", b""), ("bad.docx", b"not a zip"), ("bad.pdf", b"%PDF-garbage")):
        with pytest.raises(fs.InputError) as info:
            read_document_bytes(data, name)
        assert info.value.field == "source" and "已损坏" in str(info.value)
    text, _ = read_document_bytes("西政办函〔2021〕15号".encode("utf-16"), "copy.txt")
    assert text == "西政办函〔2021〕15号"


@NEEDS_SHARED
def test_an_interpretation_explains_a_hedge_only_where_it_names_it(tmp_path: Path) -> None:
    """A review found any interpretation (「见原文」) letting a mandatory rule stand beside 原则上 in its clause."""
    seed = SEEDS / "000_93b863376bd73d81.txt"
    rules = (RULES / "330106_xihu.toml").read_text(encoding="utf-8")
    start = rules.index('id = "xihu.existing.acquisition"')
    head, tail = rules[:start], rules[start:]
    line = next(x for x in tail.splitlines() if x.startswith("interpretation = "))
    path = tmp_path / "330106_xihu.toml"
    path.write_text(head + tail.replace(line, 'interpretation = "见原文。"', 1), encoding="utf-8")
    report = fs.check_rules(path, seed)
    assert ("xihu.existing.acquisition", "strength") in {(f.id, f.key) for f in report.findings if f.status == "fail"}
    assert fs.check_rules(RULES / "330106_xihu.toml", seed).passed  # its own interpretation names 原则上


# --- against the how-to's invented document: a document's own words, strength, elided quotes --------------

HOWTO = REPO / "docs" / "howto" / "add-a-city.md"
DEMO = REPO / "docs" / "howto" / "余杭示例文件.txt"


def demo(
    rules: tuple[str, str] | None = None,
    copy: tuple[str, str] | None = None,
    document: dict[str, str | None] | None = None,
    **lines: str,
) -> fs.RuleCheck:
    """The how-to's rule file checked against its demo document, each with one replacement made; ``document``:
    keys of its ``[[documents]]`` entry set to a TOML value (None: taken out); ``lines``: keys of the co-delivery
    rule, 二(二), set to a TOML value."""
    [text] = re.findall(r"```toml\n(schema = 1.*?)```", HOWTO.read_text(encoding="utf-8"), re.S)
    words = DEMO.read_text(encoding="utf-8")
    if rules is not None:
        assert rules[0] in text, rules
        text = text.replace(*rules)
    if copy is not None:
        assert copy[0] in words, copy
        words = words.replace(*copy)
    for key, value in (document or {}).items():
        text = _set(text, "yuhang-example", key, value)
    for key, value in lines.items():
        text = _set(text, "yuhang.new_build.co_delivery", key, value)
    return check_rule_file("330110_yuhang.toml", [SourceText(words, DEMO.name)], text)


def _set(text: str, entry_id: str, key: str, value: str | None) -> str:
    """The TOML text with ``key`` of the entry ``entry_id`` set to ``value``, added, or taken out (None)."""
    block = text[text.index(f'id = "{entry_id}"') :].split("[[", 1)[0]
    if re.search(rf"^{re.escape(key)} = ", block, re.M) is None:
        return text if value is None else _add(text, entry_id, f"{key} = {value}")
    return _edit(text, entry_id, key, "" if value is None else f"{key} = {value}")


def failing(report: fs.RuleCheck) -> set[tuple[str, str, str]]:
    return {(f.id, f.key, f.message.key.removeprefix("authoring.")) for f in report.failures}


def test_the_demo_checks_clean() -> None:
    assert demo().passed


def test_a_number_short_of_its_first_characters_or_not_the_first_of_its_own_fails() -> None:
    """「示例〔2025〕1号」 for 「余示例〔2025〕1号」: the number is in the copy, but short of a character."""
    assert failing(demo(('number = "余示例〔2025〕1号"', 'number = "示例〔2025〕1号"'))) == {
        ("yuhang-example", "number", "number_short")
    }
    # an annex reprints another notice's header: its number is no citation, but the document's own comes first
    annex = ("本意见自2025年4月1日起施行。", "本意见自2025年4月1日起施行。\n\n附件\n\n余示例〔2024〕9号\n")
    assert demo(copy=annex).passed
    assert failing(demo(('number = "余示例〔2025〕1号"', 'number = "余示例〔2024〕9号"'), annex)) == {
        ("yuhang-example", "number", "number_not_first")
    }


def test_a_document_with_a_number_of_its_own_needs_it_in_the_file() -> None:
    """Loading needs a number only of an official copy; a full text copied elsewhere (text_copy) may leave it out."""
    report = demo(document={"number": None, "grade": '"text_copy"', "short_name": '"余杭示例意见"'})
    assert failing(report) == {("yuhang-example", "number", "number_unrecorded")}
    assert "余示例[2025]1号" in report.text("zh")


def test_a_title_and_an_issuer_cited_in_the_body_are_not_the_documents() -> None:
    cites = (
        "为促进3岁以下",
        "根据《浙江省人民政府办公厅关于加快推进3岁以下婴幼儿照护服务发展的实施意见》，为促进3岁以下",
    )
    title = ('title = "（示例）关于促进3岁以下婴幼儿照护服务发展的实施意见"',
             'title = "浙江省人民政府办公厅关于加快推进3岁以下婴幼儿照护服务发展的实施意见"')  # fmt: skip
    report = demo(title, cites)
    assert failing(report) == {("yuhang-example", "title", "title_not_own")}
    assert "在所引文件的书名号内" in report.text("zh")
    issuer = ('issuer = "示例：杭州市余杭区人民政府办公室"', 'issuer = "浙江省人民政府办公厅"')
    assert failing(demo(issuer, cites)) == {("yuhang-example", "issuer", "issuer_not_own")}


def test_a_date_of_effect_stated_of_another_document_is_not_this_ones() -> None:
    """「《余杭区托育机构管理办法》自2025年5月1日起施行」 states another document's date of effect."""
    other = (
        "本意见自2025年4月1日起施行。",
        "《余杭区托育机构管理办法》自2025年5月1日起施行。本意见自2025年4月1日起施行。",
    )
    assert demo(copy=other).passed
    report = demo(("effective_from = 2025-04-01", "effective_from = 2025-05-01"), other)
    assert ("yuhang-example", "effective_from", "effect_not_stated") in failing(report)


STRENGTH_OF = {"原则上": "in_principle", "一般": "generally", "力争": "target", "鼓励": "encouraged"}


@pytest.mark.parametrize("strength", STRENGTHS)
@pytest.mark.parametrize("word", STRENGTH_OF)
@pytest.mark.parametrize("quoted", [True, False], ids=["in the quote", "before the quote"])
def test_a_hedge_word_decides_the_strength_whatever_the_interpretation_says(
    word: str, strength: str, quoted: bool
) -> None:
    """Review finding 2: 「二、（二）托育服务设施{word}与住宅同步…」 is only ever {word}'s strength; an
    interpretation naming the word does not make it another — in the quote, or opening its clause before it."""
    sentence = "托育服务设施与住宅同步规划、同步建设、同步验收、同步交付"
    hedged = f"托育服务设施{word}与住宅同步规划、同步建设、同步验收、同步交付"
    text = hedged if quoted else "与住宅同步规划、同步建设、同步验收、同步交付"
    report = demo(copy=(sentence, hedged), text=f'"{text}"', strength=f'"{strength}"',
                  interpretation=f'"“{word}”：作者认为此处可读作 {strength}。"')  # fmt: skip
    strength_findings = [f for f in report.findings if (f.id, f.key) == ("yuhang.new_build.co_delivery", "strength")]
    assert [f.status for f in strength_findings] == ["pass" if strength == STRENGTH_OF[word] else "fail"]
    if strength != STRENGTH_OF[word]:
        assert strength_findings[0].message.params["words"] == [word]


def test_a_quote_s_obligation_is_not_recorded_as_less() -> None:
    """「应」 recorded as encouraged would state the duty as less than it is (never understate)."""
    obliging = ("托育服务设施与住宅同步规划", "托育服务设施应与住宅同步规划")
    text = '"托育服务设施应与住宅同步规划、同步建设、同步验收、同步交付"'
    assert failing(demo(copy=obliging, text=text, strength='"encouraged"')) == {
        ("yuhang.new_build.co_delivery", "strength", "strength_weaker")
    }
    assert demo(copy=obliging, text=text).passed


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("托育服务设施与住宅同步规划……同步交付", None),
        ("同步建设……同步交付", None),
        ("同步交付……同步规划", "quote_out_of_order"),  # both parts are there, the other way round
        ("同步验收……同步建设", "quote_out_of_order"),
        ("同步……同步规划", "quote_out_of_order"),  # 「同步规划」 has no 「同步」 before it
    ],
)
def test_the_parts_of_an_elided_quote_stand_in_its_order(quote: str, expected: str | None) -> None:
    """Review finding 3: each part of 「A……B」 was found anywhere; now B must follow A in the document."""
    report = demo(text=f'"{quote}"')
    if expected is None:
        assert report.passed, report.text("en")
    else:
        assert failing(report) == {("yuhang.new_build.co_delivery", "text", expected)}
        assert "次序" in report.text("zh")


def test_the_parts_of_an_elided_quote_stand_in_one_sentence_of_the_cited_clause() -> None:
    """Leaving words out may not join two sentences into one duty, nor reach into another clause."""
    two = ("同步规划、同步建设、同步验收、同步交付。", "同步规划、同步建设。同步验收、同步交付。")
    report = demo(copy=two, text='"托育服务设施与住宅同步规划……同步交付"')
    assert failing(report) == {("yuhang.new_build.co_delivery", "text", "quote_across_sentences")}
    assert demo(copy=two, text='"托育服务设施与住宅同步规划、同步建设"').passed
    other = demo(text='"每千人口不少于4.5个托位……与住宅同步规划"')  # 二(一) then 二(二)
    assert ("yuhang.new_build.co_delivery", "clause", "quote_outside_clause") in failing(other)


def test_a_title_short_of_its_line_fails_showing_the_whole_line() -> None:
    """A bureau typing the title without its opening 「（示例）」 (or an issuer) quotes part of the title line."""
    report = demo(('title = "（示例）关于促进', 'title = "关于促进'))
    assert failing(report) == {("yuhang-example", "title", "title_partial")}
    assert "文件中的标题为「(示例)关于促进3岁以下婴幼儿照护服务发展的实施意见」" in report.text("zh")


@NEEDS_SHARED
def test_a_floor_limit_given_as_the_first_floor_barred_is_told_the_one_below() -> None:
    """Xihu 二(三)1 「一般不得安排在3楼及以上」: the limit is floor 2; a file giving 3 is told to write 2."""
    text = _edit((RULES / "330106_xihu.toml").read_text(encoding="utf-8"), "xihu.max_floor", "value", "value = 3")
    copy = SourceText((SEEDS / "000_93b863376bd73d81.txt").read_text(encoding="utf-8"), "xihu.txt")
    [failure] = check_rule_file("330106_xihu.toml", [copy], text).failures
    assert (failure.id, failure.key, failure.message.key) == (
        "xihu.max_floor",
        "value",
        "authoring.figure_first_barred",
    )
    assert failure.message.text("zh") == "引文不允许的是 3层及以上，即最高为 2层：value 应写 2"


def test_each_finding_names_the_line_of_its_key_in_the_rule_file() -> None:
    report = demo(("value = 20\n", "value = 25\n"))
    [failure] = report.failures
    [text] = re.findall(r"```toml\n(schema = 1.*?)```", HOWTO.read_text(encoding="utf-8"), re.S)
    assert text.splitlines()[failure.line - 1] == "value = 20"  # type: ignore[operator]
    assert failure.text("zh").startswith(f"rules[0] yuhang.new_build.floor_area.rate value（第 {failure.line} 行）：")
    assert failure.to_dict()["line"] == failure.line
