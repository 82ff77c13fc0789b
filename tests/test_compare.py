"""fs.compare and fs.compare_frames: a red-lined comparison (修订对照) of one project on two dates or
under two rule books, and its rendering and command line (issue 12, item 5).

Most cases use REVISED, a test rule file (not a real document) written into a temporary folder:
测试〔2026〕1号 applies in 2026 and 测试〔2027〕1号 replaces it from 2027-01-01 (a date it does not
state). Figures are for 1,334 households and 3,500 residents; each expected value cites its clause.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import facility_sizing as fs
from facility_sizing.cli import main
from facility_sizing.model.vocabulary import CHANGES, SENTENCE_CHANGES, STRICTNESS
from facility_sizing.render import formats, redline, to_format

XIHU = Path(fs.__file__).parent / "data" / "rules" / "330106_xihu.toml"

REVISED = """# A TEST rule file, not a real document: a district whose 2026 rules a 2027 document replaces,
# so that a comparison sees a figure raised, one added, one removed, a limit loosened, the same
# figure from a new clause, and obligations changed, removed and added.
schema = 1

[jurisdiction]
code = "339903"
name = "修订示例区"
name_en = "Revision Example District (test data)"
level = "district"
parent = "330100"

[jurisdiction.area_types]
new_build = "新建居住区"

[[documents]]
id = "revised-2026"
number = "测试〔2026〕1号"
title = "测试用规则（2026年版，非真实文件）"
title_en = "Test rules, 2026 edition (not a real document)"
issuer = "facility_sizing tests"
status = "in_force"
issued = 2025-12-01
issued_basis = "test data"
effective_from = 2026-01-01
effective_from_basis = "test data: 「自2026年1月1日起施行」"
effective_from_stated = true
effective_until = 2026-12-31
source = "tests/test_compare.py"
grade = "official"
seen = "test data (not a real document)"

[[documents]]
id = "revised-2027"
number = "测试〔2027〕1号"
title = "测试用规则（2027年版，非真实文件）"
title_en = "Test rules, 2027 edition (not a real document)"
issuer = "facility_sizing tests"
status = "in_force"
issued = 2027-01-01
issued_basis = "test data"
effective_from = 2027-01-01
effective_from_basis = "test data: no date of effect stated; applied from the date of issue"
source = "tests/test_compare.py"
grade = "official"
seen = "test data (not a real document)"

[[rules]]
id = "rev26.floor_area.rate"
document = "revised-2026"
clause = "一(一)"
area_types = ["new_build"]
quantity = "floor_area"
basis = "per_100_households"
value = 15
unit = "m²/100户"
strength = "mandatory"
text = "按每百户不少于15平方米配建"
summary_en = "Floor area at least 15 m² per 100 households."

[[rules]]
id = "rev26.floor_area.minimum"
document = "revised-2026"
clause = "一(一)"
area_types = ["new_build"]
quantity = "floor_area"
basis = "minimum"
value = 200
unit = "m²"
strength = "mandatory"
text = "最小建筑面积不少于200平方米"
summary_en = "Floor area never below 200 m²."

[[rules]]
id = "rev26.outdoor_area.minimum"
document = "revised-2026"
clause = "一(二)"
area_types = ["new_build"]
quantity = "outdoor_area"
basis = "minimum"
value = 40
unit = "m²"
strength = "mandatory"
text = "户外活动场地不少于40平方米"
summary_en = "Outdoor area at least 40 m²."

[[rules]]
id = "rev26.max_floor"
document = "revised-2026"
clause = "一(三)"
area_types = ["new_build"]
quantity = "max_floor"
basis = "limit"
value = 2
unit = "层"
strength = "mandatory"
text = "不得设置在3层及以上"
summary_en = "Not on floor 3 or above."

[[rules]]
id = "rev26.service_radius"
document = "revised-2026"
clause = "一(四)"
area_types = ["new_build"]
quantity = "service_radius"
basis = "limit"
value = 500
unit = "米"
strength = "mandatory"
text = "服务半径不大于500米"
summary_en = "Service radius at most 500 m."

[[rules]]
id = "rev26.co_delivery"
document = "revised-2026"
clause = "三"
area_types = ["new_build"]
quantity = "obligation"
topic = "co_delivery"
strength = "mandatory"
text = "与住宅同步规划、同步建设、同步验收"
summary_en = "Planned, built and accepted with the housing."
letter_zh = "托育服务设施应与住宅同步规划、同步建设、同步验收。"
letter_en = "The facility shall be planned, built and accepted together with the housing."

[[rules]]
id = "rev26.free_handover"
document = "revised-2026"
clause = "四"
area_types = ["new_build"]
quantity = "obligation"
topic = "free_handover"
strength = "mandatory"
text = "建成后无偿移交街道办事处"
summary_en = "Handed over free of charge."
letter_zh = "托育服务设施建成后应无偿移交所在街道办事处。"
letter_en = "On completion the facility shall be handed over free of charge to the street office."

[[rules]]
id = "rev27.floor_area.rate"
document = "revised-2027"
clause = "二(一)"
area_types = ["new_build"]
quantity = "floor_area"
basis = "per_100_households"
value = 20
unit = "m²/100户"
strength = "mandatory"
text = "按每百户不少于20平方米配建"
summary_en = "Floor area at least 20 m² per 100 households."

[[rules]]
id = "rev27.floor_area.minimum"
document = "revised-2027"
clause = "二(一)"
area_types = ["new_build"]
quantity = "floor_area"
basis = "minimum"
value = 200
unit = "m²"
strength = "mandatory"
text = "最小建筑面积不少于200平方米"
summary_en = "Floor area never below 200 m²."

[[rules]]
id = "rev27.outdoor_area.minimum"
document = "revised-2027"
clause = "二(二)"
area_types = ["new_build"]
quantity = "outdoor_area"
basis = "minimum"
value = 40
unit = "m²"
strength = "mandatory"
text = "户外活动场地不少于40平方米"
summary_en = "Outdoor area at least 40 m²."

[[rules]]
id = "rev27.slots.rate"
document = "revised-2027"
clause = "二(三)"
area_types = ["new_build"]
quantity = "slots"
basis = "per_1000_population"
value = 10
unit = "托位/千人"
strength = "mandatory"
text = "每千人托位数不少于10个"
summary_en = "At least 10 slots per 1,000 people."

[[rules]]
id = "rev27.max_floor"
document = "revised-2027"
clause = "二(四)"
area_types = ["new_build"]
quantity = "max_floor"
basis = "limit"
value = 3
unit = "层"
strength = "mandatory"
text = "不得设置在4层及以上"
summary_en = "Not on floor 4 or above."

[[rules]]
id = "rev27.co_delivery"
document = "revised-2027"
clause = "三"
area_types = ["new_build"]
quantity = "obligation"
topic = "co_delivery"
strength = "mandatory"
text = "与住宅同步规划、同步建设、同步验收、同步交付使用"
summary_en = "Planned, built, accepted and put into use with the housing."
letter_zh = "托育服务设施应与住宅同步规划、同步建设、同步验收、同步交付使用。"
letter_en = "The facility shall be planned, built, accepted and put into use together with the housing."

[[rules]]
id = "rev27.operation"
document = "revised-2027"
clause = "五"
area_types = ["new_build"]
quantity = "obligation"
topic = "inclusive_operation"
strength = "mandatory"
text = "交付后按普惠性托育机构运营"
summary_en = "Run as an inclusive facility once handed over."
letter_zh = "托育服务设施交付后应按普惠性托育机构运营。"
letter_en = "Once handed over, the facility shall be run as an inclusive facility."
"""

PROJECT = {"jurisdiction": "修订示例区", "households": 1334, "population": 3500, "area_type": "new_build"}


@pytest.fixture
def book(tmp_path: Path) -> fs.RuleBook:
    path = tmp_path / "339903_revised.toml"
    path.write_text(REVISED, encoding="utf-8")
    return fs.load_rules(path)


@pytest.fixture
def revision(book: fs.RuleBook) -> fs.Comparison:
    old = fs.size(**PROJECT, on="2026-06-01", rulebook=book)
    new = fs.size(**PROJECT, on="2027-06-01", rulebook=book)
    return fs.compare(old, new)


# ---------------------------------------------------------------------------------------
# One project


def test_a_result_compared_with_itself_has_no_change() -> None:
    req = fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
    cmp = fs.compare(req, req)
    assert [q.change for q in cmp.quantities] == ["same"] * 4
    assert {s.status for s in cmp.sentences} == {"same"}
    assert not cmp.changed and cmp.differs == ()
    assert cmp.old_stamp == cmp.new_stamp == req.stamp
    assert [q.changed_on for q in cmp.quantities] == [None] * 4


def test_a_raised_figure_names_both_rules_and_the_date_of_change(revision: fs.Comparison) -> None:
    row = revision.quantity("floor_area")
    # 测试〔2026〕1号 一(一): 1,334 × 15 / 100 = 200.1 m²; 测试〔2027〕1号 二(一): 1,334 × 20 / 100 = 266.8 m²
    assert (row.old, row.new, row.change, row.stricter) == (200.1, 266.8, "raised", True)
    assert [(r.rule, r.document, r.clause, r.grade) for r in row.old_rules] == [
        ("rev26.floor_area.rate", "测试〔2026〕1号", "一(一)", "official")
    ]
    assert [(r.rule, r.document, r.clause, r.grade) for r in row.new_rules] == [
        ("rev27.floor_area.rate", "测试〔2027〕1号", "二(一)", "official")
    ]
    # the 2027 document applies from 2027-01-01, a date it does not state itself
    assert (row.changed_on, row.changed_on_stated, row.changed_by) == (dt.date(2027, 1, 1), False, "测试〔2027〕1号")
    assert revision.differs == ("on",)


def test_a_figure_added_removed_loosened_and_rebased(revision: fs.Comparison) -> None:
    slots = revision.quantity("slots")  # 测试〔2027〕1号 二(三): ⌈3,500 × 10 / 1,000⌉ = 35; none in 2026
    assert (slots.old, slots.new, slots.change, slots.old_rules) == (None, 35, "added", ())
    radius = revision.quantity("service_radius")  # 测试〔2026〕1号 一(四): ≤ 500 m, which 2027 drops
    assert (radius.old, radius.new, radius.change, radius.new_rules) == (500, None, "removed", ())
    # removed by the 2026 document's end (effective_until 2026-12-31): the day after, inferred
    assert (radius.changed_on, radius.changed_on_stated, radius.changed_by) == (
        dt.date(2027, 1, 1),
        False,
        "测试〔2026〕1号",
    )
    floor = revision.quantity("max_floor")  # 一(三) floor 2 or below → 二(四) floor 3 or below
    assert (floor.old, floor.new, floor.change, floor.stricter) == (2, 3, "raised", False)
    outdoor = revision.quantity("outdoor_area")  # 40 m² in 一(二) and in 二(二)
    assert (outdoor.old, outdoor.new, outdoor.change, outdoor.basis_changed) == (40.0, 40.0, "basis_changed", True)
    assert outdoor.changed_on == dt.date(2027, 1, 1)


def test_every_clause_sentence_is_matched_by_key(revision: fs.Comparison) -> None:
    status = {s.key: s.status for s in revision.sentences}
    assert status == {
        "title": "same",
        "sizing:floor_area": "changed",
        "sizing:outdoor_area": "changed",
        "sizing:slots": "changed",
        "sizing:max_floor": "changed",
        "sizing:service_radius": "removed",
        "obligations:co_delivery": "changed",
        "obligations:free_handover": "removed",
        "obligations:inclusive_operation": "added",
        "documents:测试〔2026〕1号": "removed",
        "documents:测试〔2027〕1号": "added",
        "inputs:户数": "same",
        "inputs:规划居住人口": "same",
        "inputs:规则适用日期": "changed",
    }
    assert list(status)[:2] == ["title", "sizing:floor_area"]  # in the clause's order, sections kept together
    co = next(s for s in revision.sentences if s.key == "obligations:co_delivery")
    assert co.old_zh == "托育服务设施应与住宅同步规划、同步建设、同步验收。依据：测试〔2026〕1号 三。"
    assert co.new_zh == "托育服务设施应与住宅同步规划、同步建设、同步验收、同步交付使用。依据：测试〔2027〕1号 三。"


def test_a_real_case_zhejiang_adds_slots_from_2022_08_13() -> None:
    # Xihu's own notice (西政办函〔2021〕15号) sets no slots; Zhejiang's opinions, known by report, add
    # 10 per 1,000 people: ⌈3,500 × 10 / 1,000⌉ = 35, applied from the report's date, 2022-08-13
    project = dict(
        jurisdiction="西湖区", households=1334, population=3500, area_type="new_build", include_reported=True
    )
    cmp = fs.compare(fs.size(**project, on="2021-10-01"), fs.size(**project, on="2022-08-20"))
    slots = cmp.quantity("slots")
    assert (slots.old, slots.new, slots.change) == (None, 35, "added")
    assert [(r.rule, r.grade) for r in slots.new_rules] == [("zhejiang.new_build.slots.rate", "reported")]
    assert (slots.changed_on, slots.changed_on_stated) == (dt.date(2022, 8, 13), False)
    assert cmp.quantity("floor_area").change == "same"  # 二(三)1: 1,334 × 15 / 100 = 200.1 m² both times


def test_a_revised_built_in_file_compares_with_the_built_in_rules(tmp_path: Path) -> None:
    revised = tmp_path / XIHU.name  # 二(三)1's rate corrected from 15 to 12 m² per 100 households
    revised.write_text(XIHU.read_text(encoding="utf-8").replace("value = 15\n", "value = 12\n", 1), encoding="utf-8")
    with pytest.raises(fs.RuleDataError, match="already loaded"):
        fs.load_rules(revised)
    book = fs.load_rules(revised, replace=True)
    assert book.stamp != fs.load_rules().stamp and "330603" in book.rules  # the other built-in files stay
    project = dict(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
    cmp = fs.compare(fs.size(**project), fs.size(**project, rulebook=book))
    row = cmp.quantity("floor_area")
    # 1,334 × 12 / 100 = 160.08 m², below the 200 m² minimum of the same clause, which now binds
    assert (row.old, row.new, row.change, row.stricter) == (200.1, 200.0, "lowered", False)
    assert [r.rule for r in row.old_rules] == ["xihu.new_build.floor_area.rate"]
    assert [r.rule for r in row.new_rules] == ["xihu.new_build.floor_area.minimum"]
    assert row.changed_on is None  # the same document on both sides: a correction of the data, not a date
    assert cmp.differs == ("rule_data",)


def test_two_different_projects_cannot_be_compared() -> None:
    a = fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
    b = fs.size(jurisdiction="西湖区", households=1500, area_type="new_build", on="2025-01-01")
    with pytest.raises(fs.InputError, match=r"households: 1334\.0 ≠ 1500\.0") as info:
        fs.compare(a, b)
    assert info.value.field == "households" and info.value.value == (1334.0, 1500.0)
    c = fs.size(
        jurisdiction="余姚市", households=1334, persons_per_household=2.8, area_type="new_build", on="2025-01-01"
    )
    with pytest.raises(fs.InputError, match="jurisdiction: '西湖区（330106）' ≠ '余姚市（330281）'") as info:
        fs.compare(a, c)
    assert "persons_per_household" in str(info.value)  # every field that differs is named
    with pytest.raises(fs.InputError, match="Requirement"):
        fs.compare(a, {"floor_area_m2": 200})  # not a result: the error says what it must be


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    where=st.sampled_from(
        [("西湖区", "new_build"), ("西湖区", "existing"), ("柯桥区", "new_build"), ("余姚市", "new_build")]
    ),
    households=st.integers(min_value=0, max_value=200_000),
    day=st.dates(min_value=dt.date(2024, 9, 14), max_value=dt.date(2026, 12, 31)),
)
def test_a_result_compared_with_itself_never_changes(where: tuple[str, str], households: int, day: dt.date) -> None:
    req = fs.size(jurisdiction=where[0], area_type=where[1], households=households, persons_per_household=2.8, on=day)
    cmp = fs.compare(req, req)
    assert not cmp.changed
    assert all(q.change == "same" and q.changed_on is None for q in cmp.quantities)
    assert all(s.status == "same" and s.old_zh == s.new_zh for s in cmp.sentences)


# ---------------------------------------------------------------------------------------
# Rendering


def test_the_redline_marks_deletions_and_insertions_in_each_format(revision: fs.Comparison) -> None:
    old, new = (
        "托育服务设施应与住宅同步规划、同步建设、同步验收。",
        "托育服务设施应与住宅同步规划、同步建设、同步验收、同步交付使用。",
    )
    assert redline(old, new) == (old, "托育服务设施应与住宅同步规划、同步建设、同步验收〔增：、同步交付使用〕。")
    assert redline("每百户不少于15平方米", "每百户不少于20平方米", "html") == (
        "每百户不少于<del>15</del>平方米",
        "每百户不少于<ins>20</ins>平方米",
    )
    text = str(revision)
    assert text.splitlines()[0] == "托育服务设施配建要求修订对照（修订示例区新建居住区）"
    assert "项目 | 原数值 | 新数值 | 变化 | 依据变化 | 变化日期" in text
    assert (
        "建筑面积 | 200.1 m² | 266.8 m² | 提高（更严） | 测试〔2026〕1号 一(一) → 测试〔2027〕1号 二(一) | "
        "2027年1月1日（文件未载明，按此日适用）"
    ) in text
    assert "楼层限制 | 2 层 | 3 层 | 提高（放宽） |" in text
    assert (
        "    新：托育服务设施应与住宅同步规划、同步建设、同步验收〔增：、同步交付使用〕。依据：〔增：测试〔2027〕1号〕 三。"
        in text
    )
    assert "删除：〔删：托育服务设施建成后应无偿移交所在街道办事处。依据：测试〔2026〕1号 四。〕" in text
    md = revision.to_markdown()
    assert "| 托位数 | 无指标 | 35 托位 | 新增数值（原无指标） | （无） → 测试〔2027〕1号 二(三) |" in md
    assert "不少于~~200.1~~平方米" in md and "不少于**266.8**平方米" in md  # areas as computed, whole tokens
    assert "<ins>、同步交付使用</ins>" in revision.to_html() and "<del>" in revision.to_html()
    en = revision.to_text("en")
    assert "floor-level limit | 2 storey | 3 storey | raised (looser) |" in en
    assert "built[inserted: , accepted and put into use] together" in en


def test_a_comparison_renders_through_the_one_formatter_interface(revision: fs.Comparison) -> None:
    assert formats(revision) == ["html", "json", "markdown", "text"]
    for fmt in formats(revision):
        assert to_format(revision, fmt, "zh") and to_format(revision, fmt, "en")
    data = json.loads(to_format(revision, "json"))
    assert data == json.loads(revision.to_json())
    assert data["quantities"][0]["changed_on"] == "2027-01-01"
    assert data["old_stamp"]["on"] == "2026-06-01" and data["new_stamp"]["on"] == "2027-06-01"
    assert revision._repr_html_() == revision.to_html()


def test_the_frames_of_a_comparison(revision: fs.Comparison) -> None:
    frame = revision.to_frame()
    assert frame["quantity"].tolist() == ["floor_area", "outdoor_area", "slots", "max_floor", "service_radius"]
    assert frame["old"].tolist() == [200.1, 40.0, None, 2, 500]
    assert frame["new"].tolist() == [266.8, 40.0, 35, 3, None]
    assert frame.loc[2, ["old_rule", "new_rule", "new_document", "new_clause", "new_grade"]].tolist() == [
        "",
        "rev27.slots.rate",
        "测试〔2027〕1号",
        "二(三)",
        "official",
    ]
    sentences = revision.to_frame("sentences")
    assert sentences.columns.tolist() == ["key", "section", "status", "old_zh", "new_zh", "old_en", "new_en"]
    assert len(sentences) == 14
    with pytest.raises(ValueError, match="quantities"):
        revision.to_frame("rows")


def test_every_change_word_is_emitted_and_reads_chinese_then_english(revision: fs.Comparison) -> None:
    backwards = fs.compare(revision.new, revision.old)  # 2027 against 2026: the same changes, undone
    row = backwards.quantity("floor_area")
    assert (row.old, row.new, row.change, row.stricter) == (266.8, 200.1, "lowered", False)
    assert row.changed_on == dt.date(2027, 1, 1)  # still the day the 2027 document took effect
    same = fs.compare(revision.old, revision.old)
    softer, conditional = _xihu_rate_revised("strength"), _xihu_rate_revised("condition")
    emitted = {q.change for c in (revision, backwards, same, softer, conditional) for q in c.quantities}
    assert emitted == set(CHANGES)
    assert {s.status for s in revision.sentences} == set(SENTENCE_CHANGES)
    assert {q.stricter for q in revision.quantities} == {True, False, None}
    for zh, en in [*CHANGES.values(), *SENTENCE_CHANGES.values(), *STRICTNESS.values()]:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh) and en[:1].isascii() and en[:1].isalpha(), (zh, en)


def _xihu_rate_revised(what: str) -> fs.Comparison:
    """Xihu's rate with only its strength (应 → 原则上) or only a condition changed, compared with the built-in."""
    import tempfile

    text = XIHU.read_text(encoding="utf-8")
    rule = text.index('id = "xihu.new_build.floor_area.rate"')
    head, tail = text[:rule], text[rule:]
    if what == "strength":
        tail = tail.replace('strength = "mandatory"', 'strength = "in_principle"', 1)
    else:
        tail = tail.replace(
            'strength = "mandatory"', 'strength = "mandatory"\ncondition = "示例条件"\ncondition_en = "an example"', 1
        )
    folder = Path(tempfile.mkdtemp())
    (folder / XIHU.name).write_text(head + tail, encoding="utf-8")
    book = fs.load_rules(folder / XIHU.name, replace=True)
    project = {"jurisdiction": "西湖区", "area_type": "new_build", "households": 2000, "on": "2025-01-01"}
    return fs.compare(fs.size(**project), fs.size(**project, rulebook=book))


@pytest.mark.parametrize(("what", "change"), [("strength", "strength_changed"), ("condition", "condition_changed")])
def test_a_figure_under_a_softer_or_conditional_rule_is_not_unchanged(what: str, change: str) -> None:
    """Issue 23 finding 9: only the strength of 西政办函〔2021〕15号 二(三)1's rate changed (mandatory → 原则上)
    and the figures table said 「建筑面积 … 未变」."""
    cmp = _xihu_rate_revised(what)
    row = cmp.quantity("floor_area")
    assert (row.old, row.new, row.change) == (300.0, 300.0, change)  # 2,000 × 15/100
    assert cmp.changed and CHANGES[change].zh in str(cmp)


# ---------------------------------------------------------------------------------------
# Many projects


def test_frames_compare_row_by_row_keeping_order_and_row_errors(book: fs.RuleBook) -> None:
    df = pd.DataFrame(
        {"jurisdiction": ["修订示例区", "nowhere", "修订示例区", "修订示例区"], "households": [1334, 10, -5, 2000]},
        index=[30, 10, 20, 5],  # not sorted: the output keeps the input's order
    )
    args = {"area_type": "new_build", "population": 3500, "rulebook": book}
    a = fs.size_frame(df, on="2026-06-01", **args)
    b = fs.size_frame(df, on="2027-06-01", **args)
    out = fs.compare(a, b)
    assert out.equals(fs.compare_frames(a, b))
    assert list(dict.fromkeys(out.index.get_level_values(0))) == [30, 10, 20, 5]
    assert out.index.names == ["row", "quantity"] and len(out) == 4 * 5
    # row 30: 测试〔2026〕1号 一(一) 200.1 m² → 测试〔2027〕1号 二(一) 266.8 m², from 2027-01-01
    assert out.loc[(30, "floor_area"), ["old", "new", "change"]].tolist() == [200.1, 266.8, "raised"]
    assert out.loc[(30, "floor_area"), "changed_on"] == dt.date(2027, 1, 1)
    assert out.loc[(30, "slots"), "change"] == "added" and out.loc[(30, "service_radius"), "change"] == "removed"
    assert out.loc[(30, "service_radius"), "changed_on"] == dt.date(2027, 1, 1)  # the day after 2026's end
    assert out.loc[(30, "outdoor_area"), "change"] == "basis_changed"
    # row 5: 2,000 × 15 / 100 = 300 m² → 2,000 × 20 / 100 = 400 m²
    assert out.loc[(5, "floor_area"), ["old", "new"]].tolist() == [300.0, 400.0]
    assert out.loc[5, "error"].isna().all()
    # the errors stay in their rows, with no change claimed
    assert out.loc[10, "error"].str.startswith("原 old: [unknown_jurisdiction]").all()
    assert out.loc[20, "error"].str.startswith("原 old: [input]").all()
    assert out.loc[[10, 20], "change"].isna().all()
    assert out.attrs["old_stamp"] == a.attrs["stamp"]


def test_frames_of_different_projects_flag_the_rows_that_differ(book: fs.RuleBook) -> None:
    a = fs.size_frame(pd.DataFrame({"households": [1334, 2000]}), jurisdiction="修订示例区", area_type="new_build",
                      population=3500, on="2026-06-01", rulebook=book)  # fmt: skip
    b = fs.size_frame(pd.DataFrame({"households": [1334, 2100]}), jurisdiction="修订示例区", area_type="new_build",
                      population=3500, on="2027-06-01", rulebook=book)  # fmt: skip
    out = fs.compare_frames(a, b)
    assert out.loc[0, "error"].isna().all()
    assert out.loc[1, "error"].str.startswith("[input] 两行不是同一项目").all()
    a.attrs, b.attrs = {}, {}  # read back from a file: no record of the documents, so no date of change
    assert fs.compare_frames(a, b).loc[(0, "floor_area"), ["change", "changed_on"]].tolist() == ["raised", None]
    with pytest.raises(fs.InputError, match="逐行对应"):
        fs.compare_frames(a, b.iloc[:1])
    with pytest.raises(fs.InputError, match=r"not a fs\.size_frame result"):
        fs.compare_frames(a, pd.DataFrame({"households": [1, 2]}))


# ---------------------------------------------------------------------------------------
# Command line


def test_clause_compare_on_prints_the_revision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "339903_revised.toml").write_text(REVISED, encoding="utf-8")
    base = ["clause", "-j", "修订示例区", "-t", "新建", "--households", "1334", "--population", "3500"]
    base += ["--rules", str(tmp_path / "339903_revised.toml"), "--on", "2026-06-01"]
    assert main([*base, "--compare-on", "2027-06-01"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "托育服务设施配建要求修订对照（修订示例区新建居住区）"
    assert "托位数 | 无指标 | 35 托位 | 新增数值（原无指标） | （无） → 测试〔2027〕1号 二(三) |" in out
    assert main([*base, "--compare-on", "2027-06-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [q["change"] for q in data["quantities"]] == ["raised", "basis_changed", "added", "raised", "removed"]
    assert main([*base, "--compare-on", "2027-06-01", "--lang", "en", "--format", "markdown"]) == 0
    assert "| floor area | 200.1 m² | 266.8 m² | raised (stricter) |" in capsys.readouterr().out
    assert main([*base, "--compare-on", "2025-06-01"]) == 3  # before 测试〔2026〕1号: no rule in force
    assert capsys.readouterr().err.startswith(
        "facility-sizing: error: --compare-on 2025-06-01：日期 2025-06-01 早于测试〔2026〕1号的适用起始日 2026-01-01（自2026年1月1日起施行）"
    )


def test_clause_compare_rules_replaces_the_built_in_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    revised = tmp_path / XIHU.name
    revised.write_text(XIHU.read_text(encoding="utf-8").replace("value = 15\n", "value = 12\n", 1), encoding="utf-8")
    base = ["clause", "-j", "西湖区", "-t", "新建", "--households", "1334", "--on", "2025-01-01"]
    assert main([*base, "--compare-rules", str(revised)]) == 0
    out = capsys.readouterr().out
    # 二(三)1: 1,334 × 15 / 100 = 200.1 m² before; at 12 per 100 the 200 m² minimum binds
    assert (
        "建筑面积 | 200.1 m² | 200 m² | 降低（放宽） | 西政办函〔2021〕15号 二(三)1 → 西政办函〔2021〕15号 二(三)1 | —"
        in out
    )
    assert "不少于〔删：200.1〕平方米" in out and "不少于〔增：200〕平方米" in out
    assert main([*base, "--rules", str(revised)]) == 4  # without --compare-rules, a second Xihu file is an error


def test_batch_compare_on_writes_a_revision_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["batch", "--sample", "-j", "西湖区", "-t", "new_build", "--include-reported", "--on", "2021-10-01"]
    out = tmp_path / "对照.csv"
    assert main([*base, "--compare-on", "2022-10-01", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    # 38 sample parcels × 6 quantities: Hangzhou's reported 配建办法 (from 2022-09-07) adds facilities and a
    # radius and a second floor-area basis to every row, Zhejiang's reported opinions slots (from 2022-08-13)
    assert "变化 changes: 未变 same 76, 数值未变，依据变化 basis_changed 38, 新增数值（原无指标） added 114" in printed
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert len(table) == 38 * 6 and table["parcel_id"].iloc[0] == "XH-三墩-01"
    assert table.loc[table["quantity"].eq("slots"), "changed_on"].unique().tolist() == ["2022-08-13"]
    assert main([*base, "--compare-on", "2022-10-01", "-o", str(tmp_path / "x.gpkg")]) == 2
    assert "只写 .csv 或 .xlsx" in capsys.readouterr().err
    assert main([*base, "--compare-on", "2022-10-01", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows[2] | {"old_basis": None, "new_basis": None} == {
        "row": 0,
        "quantity": "slots",
        "parcel_id": "XH-三墩-01",
        "old": None,
        "new": 32.0,
        "change": "added",
        "old_basis": None,
        "new_basis": None,
        "changed_on": "2022-08-13",
        "old_rule_set": "330106/new_build/2021-09-20+reported",
        "new_rule_set": "330106/new_build/2022-09-07+reported",
        "error": None,
    }
