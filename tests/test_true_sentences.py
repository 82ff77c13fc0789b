"""Every sentence true: what the library says around its figures is true of the documents.

Statements generated from the rule book are checked over the whole rule book (every document of
every jurisdiction, the reported and national files included, with the opt-ins on), not example
by example. Seeds: shared/seeds/000 (Xihu 西政办函〔2021〕15号), 001 (Yuyao 余政办发〔2020〕70号),
002 (Binjiang draft, 「2020年*月*日」), 003 (Suzhou 苏府办〔2020〕233号), 004 (Keqiao 绍柯政办发〔2024〕13号).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

import facility_sizing as fs
from facility_sizing.ruledata import default_rulebook

BOOK = default_rulebook()
DOCUMENTS = [(code, doc) for code, docs in BOOK.documents.items() for doc in docs]


def _before(code: str, doc: fs.model.entities.Document) -> str | None:  # type: ignore[name-defined]
    """The error for the day before the earliest document of ``code`` applies, or None if another applies."""
    first = min((d for _, d in DOCUMENTS if _ == code), key=lambda d: d.effective_from)
    if first is not doc:
        return None
    day = doc.effective_from - dt.timedelta(days=1)
    try:
        fs.size(jurisdiction=code, area_type=next(iter(BOOK.area_types[code])), households=100,
                persons_per_household=2.7, on=day, include_drafts=True, include_reported=True)  # fmt: skip
    except fs.NotInForceError as exc:
        return str(exc)
    except fs.FacilitySizingError:
        return None  # a level above answers, or another error: no statement about this document
    return None


@pytest.mark.parametrize(("code", "doc"), DOCUMENTS, ids=[d.id for _, d in DOCUMENTS])
def test_an_effect_date_is_printed_only_where_the_document_states_one(code: str, doc: object) -> None:
    """Finding 1: 「日期早于滨江实施意见（征求意见稿）的施行日期 2020-01-01」 — the draft is dated
    「2020年*月*日」 and has none; Suzhou and Keqiao state none, only the date they bear."""
    message = _before(code, doc)  # type: ignore[arg-type]
    if message is None:
        return
    zh = message.split(" — ")[0]
    assert not re.search(r"施行日期 ?\d", zh), zh  # never 「施行日期 2020-01-01」 as if the document said it
    stated = re.search(r"自\d{4}年\d{1,2}月\d{1,2}日起施行", zh) is not None
    assert stated == (doc.effective_from_stated and not doc.is_draft), zh  # type: ignore[attr-defined]
    if doc.is_draft:  # type: ignore[attr-defined]
        assert "未生效，无施行日期" in zh and "可选用起始日" in zh
    if doc.is_reported:  # type: ignore[attr-defined]  # its text was not seen: nothing said of what it states
        assert "原文未见" in zh and "未载明" not in zh, zh


def test_the_property_reaches_the_documents() -> None:
    reached = [doc.id for code, doc in DOCUMENTS if _before(code, doc) is not None]
    assert {"xihu-2021-15", "yuyao-2020-70", "binjiang-2020-draft", "suzhou-2020-233", "keqiao-2024-13"} <= set(reached)
    assert len(reached) >= len(DOCUMENTS) - 1  # all but one, whose day before another level answers


def test_the_three_documents_the_issue_names() -> None:
    # 002 is dated 「2020年*月*日」: a draft, no 施行 date
    with pytest.raises(fs.NotInForceError) as info:
        fs.size(jurisdiction="滨江区", area_type="新建", population=1000, on="2019-12-31", include_drafts=True)
    assert "未生效，无施行日期" in str(info.value) and "施行日期 2020" not in str(info.value)
    # 003 and 004 state no date of effect: the library applies them from the date they bear, and says so
    for place, day, bears in (("苏州市", "2020-09-03", "2020年9月4日"), ("柯桥区", "2024-09-13", "2024年9月14日")):
        with pytest.raises(fs.NotInForceError) as info:
            fs.size(jurisdiction=place, area_type="新建", households=100, persons_per_household=2.7, on=day)
        assert f"文件未载明施行日期，按成文日期{bears}起适用" in str(info.value)


def test_a_draft_is_never_called_official() -> None:
    """Finding 8: the Binjiang draft (seed 002, 「征求意见稿」) read 「征求意见稿 | 官方文本」 in the letter's
    table and 「binjiang-2020-draft（官方文本）」 in its stamp; `jurisdictions` gave no status."""
    from facility_sizing.io.excel import _document_records
    from facility_sizing.render.annex import source_rows
    from facility_sizing.render.clause import stamp_line

    drafts = [doc for _, doc in DOCUMENTS if doc.is_draft]
    assert drafts, "the rule book has a draft to check"
    for doc in drafts:
        assert "官方文本" not in doc.grade_words()[0] and "official copy" not in doc.grade_words()[1]
    req = fs.size(jurisdiction="滨江区", area_type="新建", population=1000, on="2025-01-01", include_drafts=True)
    for lang in ("zh", "en"):
        line = stamp_line(req.stamp, lang)
        assert "官方文本" not in line and "official copy" not in line, line
        assert all("官方文本" not in cell and cell != "official copy" for row in source_rows(req, lang) for cell in row)
    out = fs.size_frame(__import__("pandas").DataFrame({"jurisdiction": ["滨江区"], "population": [1000]}),
                        area_type="新建", on="2025-01-01", include_drafts=True)  # fmt: skip
    assert all("官方文本" not in str(r["clause"]) for r in _document_records(out))
    listed = fs.jurisdictions().set_index("name")
    assert listed.loc["滨江区", "statuses"] == "draft" and listed.loc["西湖区", "statuses"] == "in_force"


SOFT = re.compile(r"力争|鼓励|原则上|一般")
HARD = re.compile(r"应|须|要求|必须|届满")


@pytest.mark.parametrize(
    "rule",
    [r for rules in BOOK.rules.values() for r in rules if r.deadline is not None],
    ids=lambda r: r.id,
)
def test_a_deadline_notice_speaks_in_the_rules_own_strength(rule: object) -> None:
    """Finding 7: Xihu 二(三)1 「力争在2025年之前配置到位」 was printed 「要求…该期限已于2024年12月31日届满」."""
    from facility_sizing.engine.notices import _deadline_notice

    notice = _deadline_notice(rule, rule.deadline + dt.timedelta(days=1))  # type: ignore[attr-defined]
    if notice is None:  # a government task's deadline says nothing of a project
        assert rule.addressee != "project"  # type: ignore[attr-defined]
        return
    zh = notice[0].replace(rule.text, "")  # type: ignore[attr-defined]  # the library's own words around the quote
    if rule.strength == "mandatory":  # type: ignore[attr-defined]
        assert "要求" in zh and "届满" in zh
    else:
        assert not HARD.search(zh), zh
        assert "不是强制期限" in zh and "not a binding deadline" in notice[1]


def test_no_soft_sentence_is_encoded_or_worded_as_a_requirement() -> None:
    """Over the whole rule book: a quote that says 力争/鼓励/原则上/一般 is never encoded as mandatory
    (so no output words it 应/须/要求), and no letter wording adds 应/须/要求 its own quote lacks."""
    quoted = [r for rules in BOOK.rules.values() for r in rules]
    soft = [r for r in quoted if SOFT.search(r.text)]
    assert len(soft) >= 3  # Xihu 二(三)1 (一般, 原则上) and others: the sentences there are to check
    assert [r.id for r in soft if r.strength == "mandatory"] == []
    worded = [r for r in quoted if r.letter_zh]
    assert len(worded) >= 10
    assert [
        r.id for r in worded if HARD.search(r.letter_zh or "") and not HARD.search(r.text) and r.strength != "mandatory"
    ] == []


def _dates(codes: list[str]) -> list[dt.date]:
    days: set[dt.date] = set()
    for code in codes:
        for doc in BOOK.documents.get(code, []):
            for day in (doc.issued, doc.effective_from, doc.plan_period_end):
                if day is not None:
                    days |= {day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)}
    return sorted(days)


def _absence_cases() -> list[tuple[str, str, dt.date, bool, bool]]:
    cases = []
    for code in [*BOOK.documents, "330105"]:  # 330105 拱墅区: no document of its own, inherits Hangzhou's
        chain = [d.code for d in BOOK.chain(BOOK.division(code).code)]
        areas = dict.fromkeys(a for c in chain for a in BOOK.area_types.get(c, {}))
        for area in areas:
            for day in _dates(chain):
                for drafts in (False, True):
                    for reported in (False, True):
                        cases.append((code, area, day, drafts, reported))
    return cases


def test_a_statement_of_absence_is_true_of_the_rule_book() -> None:
    """Finding 2: 「滨江区、杭州市、浙江省、中华人民共和国的规则均未规定该项数值」 beside the library's own Hangzhou
    2022 file (reported: 15 m²/100户, 200 m²), and levels named that the library holds nothing of. Every
    level a statement says sets none holds documents and no rule of that quantity and area type; every
    level said to be unknown holds no document; a figure held back is named with its reason."""
    from facility_sizing.engine.plan import resolve

    checked = 0
    for code, area, day, drafts, reported in _absence_cases():
        try:
            plan = resolve(BOOK, BOOK.division(code), area, day, drafts, reported)
        except fs.FacilitySizingError:
            continue
        names = {d.name: d for d in BOOK.chain(code)}
        for quantity, qp in plan.quantities.items():
            if qp.no_figure is None:
                continue
            zh = qp.no_figure.message().split(" — ")[0]
            checked += 1
            # any wording that names levels as setting none (「X、Y的规则均未规定」 before 0.4.0, 「库中X、Y的文件均未规定」 now)
            said_none = re.search(r"(?:：|；)(?:库中)?([^：；（]+?)的(?:文件|规则)均(?:未规定|无)", zh)
            for name in said_none.group(1).split("、") if said_none else []:
                level = names[name]
                assert BOOK.documents.get(level.code), (code, quantity, name, "named without documents")
                setting = [
                    r.id for r in BOOK.rules.get(level.code, ()) if r.quantity == quantity and area in r.area_types
                ]
                assert not setting, (code, area, day, quantity, name, setting)
            unknown = re.search(r"库中没有([^：；]+?)的配建规则文件", zh)
            for name in unknown.group(1).split("、") if unknown else []:
                assert not BOOK.documents.get(names[name].code), (code, name)
            for rule, reason in qp.no_figure.left_out:
                assert rule.document.label in zh and ("未采用" in zh)
                assert reason != "reported" or not reported
                assert reason != "draft" or not drafts
    assert checked >= 500


def test_the_binjiang_floor_area_statement_the_issue_quotes() -> None:
    req = fs.size(jurisdiction="滨江区", area_type="新建", population=3000, on="2025-01-01", include_drafts=True)
    zh = req.plan.quantities["floor_area"].no_figure.message()  # type: ignore[union-attr]
    assert "杭州市婴幼儿照护服务设施配建办法（2022，据报道）规定有该项数值" in zh and "未选用" in zh
    # the national level: no sizing rule held, and its standards' design provisions are reviewed apart (GB 50016)
    assert "国家层面库中没有配建计算规则，国家标准的设计规定（GB 50016、JGJ 39 等）在设计审查（fs.review）中适用" in zh
    assert "中华人民共和国的配建规则文件，其是否规定未知" not in zh
    assert "杭州市、" not in zh.split("均未规定")[0]  # Hangzhou is not said to set none
    floors = req.plan.quantities["max_floor"].no_figure.message()  # type: ignore[union-attr]
    # a level known by report only is never said to set none: what its text sets is unknown
    assert "杭州市、浙江省的文件库中仅见于报道，库中所录报道未含该项数值，原文是否规定未知" in floors
    yuyao = fs.size(jurisdiction="余姚市", area_type="新建", population=1000, on="2025-01-01")
    assert "库中没有宁波市的配建规则文件，其是否规定未知" in yuyao.plan.quantities["floor_area"].no_figure.message()  # type: ignore[union-attr]


def _every_letter_case() -> list[fs.Requirement]:
    """A project in every area type of each of the five jurisdictions (Binjiang's draft opted into)."""
    out = []
    for place in ("西湖区", "余姚市", "滨江区", "苏州市", "柯桥区"):
        table = fs.rules_in_force(place, on="2025-06-01", include_drafts=True)
        for area in dict.fromkeys(table["area_type"]):
            out.append(fs.size(jurisdiction=place, area_type=area, households=2000, population=5400,
                               on="2025-06-01", include_drafts=True))  # fmt: skip
    return out


def test_every_soft_obligation_in_a_print_says_what_it_is() -> None:
    """A 力争 / 鼓励 / 原则上 obligation is listed as an aim, an encouragement …, never as a bare requirement
    (Xihu's 「力争在2025年之前配置到位」 was listed among 定性要求 like a duty)."""
    from facility_sizing.model.vocabulary import STRENGTH_KINDS

    seen = 0
    for req in _every_letter_case():
        text = str(req)
        for use in (*req.duties, *req.government_tasks):
            rule = use.rule
            if rule is None or rule.strength == "mandatory":
                continue
            seen += 1
            assert f"［{STRENGTH_KINDS[rule.strength].zh} {STRENGTH_KINDS[rule.strength].en}］" in text, rule.id
    assert seen >= 5


def test_an_english_no_figure_sentence_quotes_what_the_chinese_quotes() -> None:
    """Finding 10: Suzhou's English letter paraphrased 五(三) (adding 'together with the housing') where the
    Chinese quotes it. The English is rendered from the same statement: the same quote, as written."""
    import json

    seen = 0
    for req in _every_letter_case():
        for item in json.loads(req.clause(fmt="json"))["sizing"]:
            for quote in re.findall(r"“([^”]+)”", item["zh"]):
                if item["value"] is None:
                    seen += 1
                    assert f"“{quote}”" in item["en"], (req.jurisdiction.name, req.area_type, item["en"])
    assert seen >= 3


def test_a_drafts_strength_is_never_shown_as_binding_in_the_annex() -> None:
    """Issue 23 finding 8: the Word letter's annex gave a draft rule's 效力 as 「应/不少于」 alone, as if it bound."""
    import io

    docx = pytest.importorskip("docx")
    req = fs.size(jurisdiction="滨江区", households=1334, persons_per_household=2.7, area_type="new_build",
                  on="2025-01-01", include_drafts=True)  # fmt: skip
    document = docx.Document(io.BytesIO(req.clause("zh", fmt="docx")))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "应/不少于" not in cells and "应/不少于（草案措辞，未生效）" in cells
