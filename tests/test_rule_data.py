"""Rule data: traceable to the source text, validated at load, free of overlaps on any date."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

import facility_sizing as fs
from facility_sizing.engine.plan import resolve
from facility_sizing.model.quantities import QUANTITIES
from facility_sizing.ruledata import default_rulebook

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = REPO.parent / "shared"
XIHU = resources.files("facility_sizing") / "data" / "rules" / "330106_xihu.toml"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- traceability -----------------------------------------------------------------------


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/ (the source documents) is not beside the clone")
@pytest.mark.parametrize("rule", default_rulebook().all_rules(), ids=lambda r: r.id)
def test_every_rule_quotes_its_source_verbatim(rule: fs.Rule) -> None:
    source = _norm((REPO.parent / rule.document.source).read_text(encoding="utf-8"))
    for part in rule.text.split("……"):
        assert _norm(part) in source, f"{rule.id}: {part!r} is not in {rule.document.source}"
    if rule.document.number is not None:
        number = _norm(rule.document.number).replace("〔", "").replace("〕", "")
        flat = source.replace("〔", "").replace("〕", "").replace("„", "").replace("‟", "")
        assert number in flat, f"{rule.document.number} not found in its source"
    else:
        assert rule.document.is_draft or rule.document.is_reported, "only a draft or a report may lack a number"


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/ (the source documents) is not beside the clone")
@pytest.mark.parametrize(
    "doc",
    [d for docs in default_rulebook().documents.values() for d in docs if not d.is_reported],
    ids=lambda d: d.id,
)
def test_a_date_of_effect_is_marked_stated_exactly_when_the_text_states_it(doc: fs.Document) -> None:
    # 西政办函〔2021〕15号 and 余政办发〔2020〕70号 say 「自…起施行」; 绍柯政办发〔2024〕13号 and 苏府办〔2020〕233号 do not
    day = doc.effective_from
    sentence = f"自{day.year}年{day.month}月{day.day}日起施行"
    assert (sentence in _norm((REPO.parent / doc.source).read_text(encoding="utf-8"))) is doc.effective_from_stated


@pytest.mark.parametrize(
    "rule", [r for r in default_rulebook().all_rules() if r.is_figure and r.quantity != "max_floor"], ids=lambda r: r.id
)
def test_every_figure_appears_in_its_quote(rule: fs.Rule) -> None:
    assert rule.value_text is not None and rule.value_text in rule.text


def test_every_rule_names_document_clause_dates_status() -> None:
    for rule in default_rulebook().all_rules():
        doc = rule.document
        assert doc.label and rule.clause and doc.effective_from and doc.status in ("in_force", "draft")
        # a report may not give the number or the date of issue: it says so in issued_basis
        assert doc.status == "draft" or doc.is_reported or (doc.issued is not None and doc.number is not None)
        assert doc.grade in ("official", "text_copy", "reported") and doc.seen


def test_the_five_sources_are_all_present() -> None:
    numbers = {d.label for docs in default_rulebook().documents.values() for d in docs}
    assert {"西政办函〔2021〕15号", "余政办发〔2020〕70号", "苏府办〔2020〕233号", "绍柯政办发〔2024〕13号"} <= numbers
    assert any("征求意见稿" in n for n in numbers)


# --- no overlaps on any date ------------------------------------------------------------

DAYS = pd.date_range("2019-01-01", "2030-12-31", freq="D").date


def test_no_two_rules_of_a_kind_apply_on_the_same_day() -> None:
    """Brute force over every day, straight from the data, independent of the resolver."""
    book = default_rulebook()
    for code, rules in book.rules.items():
        figures = [r for r in rules if r.is_figure]
        for day in DAYS:
            live = Counter(
                (r.quantity, r.basis, at) for r in figures if r.document.applies_on(day) for at in r.area_types
            )
            clash = [k for k, n in live.items() if n > 1]
            assert not clash, f"{code} on {day}: {clash}"


@pytest.mark.filterwarnings("ignore::facility_sizing.StaleRuleWarning")
def test_every_day_resolves_or_refuses_with_a_typed_error() -> None:
    """Every day of 2019–2030, every division with rules (at every level), area type and opt-in."""
    book = default_rulebook()
    codes = [c for c in book.divisions if any(d.code in book.rules for d in book.chain(c))]
    frame = pd.DataFrame({"on": DAYS})
    for code in codes:
        for at in ("new_build", "existing", "rural"):
            for drafts, reported in ((False, False), (True, False), (True, True)):
                out = fs.size_frame(
                    frame,
                    jurisdiction=code,
                    area_type=at,
                    households=1000,
                    population=2800,
                    include_drafts=drafts,
                    include_reported=reported,
                )
                codes_seen = set(out["error"].dropna().str.extract(r"^\[(\w+)\]")[0])
                assert codes_seen <= {"not_in_force", "draft_only", "reported_only", "area_type"}, (
                    code,
                    at,
                    drafts,
                    codes_seen,
                )
                for key in out["rule_set"].dropna().unique():
                    plan_day = dt.date.fromisoformat(key.split("/")[2].split("+")[0])
                    plan = resolve(book, book.divisions[code], at, plan_day, drafts, reported)
                    assert plan.key == key and plan.reported <= reported  # reported rules only when asked
                    for q in QUANTITIES:
                        kinds = Counter((t.rule.basis, t.source.code) for t in plan.quantities[q].terms)
                        assert max(kinds.values(), default=1) == 1  # one figure of a kind per level


def test_overlapping_documents_fail_to_load(tmp_path: Path) -> None:
    text = XIHU.read_text(encoding="utf-8")
    second = text[text.index("[[documents]]") : text.index("# ---- 新建居住区")].replace(
        'id = "xihu-2021-15"', 'id = "xihu-later"'
    )
    second = second.replace("effective_from = 2021-09-20", "effective_from = 2023-01-01")
    extra_rule = text[text.index("[[rules]]") : text.index("[[rules]]", text.index("[[rules]]") + 1)]
    extra_rule = extra_rule.replace('document = "xihu-2021-15"', 'document = "xihu-later"').replace(
        'id = "xihu.new_build.floor_area.rate"', 'id = "xihu.new_build.floor_area.rate.2023"'
    )
    broken = text.replace("# ---- 新建居住区", second + "\n" + extra_rule + "\n# ---- 新建居住区", 1)
    path = tmp_path / "330106_xihu.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(fs.RuleDataError, match="overlaps"):
        fs.load_rules(path, builtin=False)
    # ending the older document the day before makes it valid, and the date picks the rule
    fixed = broken.replace(
        "effective_from = 2021-09-20\n", "effective_from = 2021-09-20\neffective_until = 2022-12-31\n", 1
    )
    path.write_text(fixed, encoding="utf-8")
    book = fs.load_rules(path, builtin=False)
    early = fs.size(jurisdiction="西湖区", households=2000, area_type="new_build", on="2022-12-31", rulebook=book)
    late = fs.size(jurisdiction="西湖区", households=2000, area_type="new_build", on="2023-01-01", rulebook=book)
    assert early.binding("floor_area")[0].rule.document.id == "xihu-2021-15"  # type: ignore[union-attr]
    assert late.binding("floor_area")[0].rule.document.id == "xihu-later"  # type: ignore[union-attr]


def test_resolver_refuses_a_conflict_that_slipped_past_loading() -> None:
    book = fs.load_rules(XIHU, builtin=False)  # type: ignore[arg-type]
    rules = book.rules["330106"]
    rules.append(replace(rules[0], id="xihu.duplicate"))
    with pytest.raises(fs.RuleConflictError, match=r"xihu\.duplicate"):
        resolve(book, book.divisions["330106"], "new_build", dt.date(2025, 1, 1), False)


# --- validation of broken copies --------------------------------------------------------

BREAKAGES = [
    (
        'clause = "二(三)1"\narea_types = ["new_build"]\nquantity = "floor_area"\nbasis = "per_100_households"',
        'area_types = ["new_build"]\nquantity = "floor_area"\nbasis = "per_100_households"',
        "rules[0].clause",
        "missing",
    ),
    ("value = 15\n", 'value = "15"\n', "rules[0].value", "must be a number"),
    ("value = 15\n", "value = -15\n", "rules[0].value", "greater than 0"),
    ("value = 15\n", "value = 15.123456789\n", "rules[0].value", "too large or too finely divided"),
    ('unit = "m²/100户"\n', 'unit = "m2 per 100 households"\n', "rules[0].unit", "must be 'm²/100户'"),
    ("effective_from = 2021-09-20", 'effective_from = "2021-09-20"', "documents[0].effective_from", "TOML date"),
    ('status = "in_force"', 'status = "active"', "documents[0].status", "must be one of"),
    ('clause = "二(三)1"', 'clasue = "二(三)1"', "rules[0]", ""),
    (
        'area_types = ["new_build"]\nquantity = "floor_area"',
        'area_types = ["suburban"]\nquantity = "floor_area"',
        "rules[0].area_types",
        "not declared",
    ),
    ('basis = "per_100_households"', 'basis = "per_household"', "rules[0].basis", "must be one of"),
    ('quantity = "floor_area"', 'quantity = "floorspace"', "rules[0].quantity", "must be one of"),
    ('document = "xihu-2021-15"', 'document = "xihu-2099"', "rules[0].document", "no [[documents]]"),
    ("schema = 1", "schema = 2", "schema", "must be 1"),
    ('name = "西湖区"', 'name = "东湖区"', "jurisdiction.name", "330106"),
    ('[jurisdiction]\ncode = "330106"', '[jurisdiction]\ncode = "33010"', "jurisdiction.code", "6-digit"),
    ("issued = 2021-08-19\n", "", "documents[0].issued", "missing"),
    ('value = 2\nunit = "层"', 'value = 2.5\nunit = "层"', "rules[3].value", "whole storey"),
    ("[[rules]]", "[[rules]\n", "<file>", "not valid TOML"),
    (
        "effective_from_stated = true",
        'effective_from_stated = "yes"',
        "documents[0].effective_from_stated",
        "true or false",
    ),
]


@pytest.mark.parametrize(("old", "new", "key", "problem"), BREAKAGES, ids=[b[2] + ":" + b[3] for b in BREAKAGES])
def test_broken_copy_names_file_and_key(broken_copy, old: str, new: str, key: str, problem: str) -> None:  # type: ignore[no-untyped-def]
    error = broken_copy(XIHU, old, new)
    assert error.key.startswith(key), error.key
    assert problem in str(error)
    assert isinstance(error, ValueError)


def test_unmodified_copy_loads(tmp_path: Path) -> None:
    path = tmp_path / "330106_xihu.toml"
    path.write_text(XIHU.read_text(encoding="utf-8"), encoding="utf-8")
    book = fs.load_rules(path, builtin=False)
    assert (
        fs.size(
            jurisdiction="西湖区", households=1200, area_type="new_build", on="2025-01-01", rulebook=book
        ).floor_area_m2
        == 200.0
    )


def test_rule_files_are_never_executed(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text('schema = 1\n__import__ = "os"\n', encoding="utf-8")
    with pytest.raises(fs.RuleDataError):
        fs.load_rules(path, builtin=False)


def test_a_new_city_from_a_users_own_file(tmp_path: Path) -> None:
    path = tmp_path / "330110_yuhang.toml"
    path.write_text((FIXTURES / "330110_yuhang.toml").read_text(encoding="utf-8"), encoding="utf-8")
    book = fs.load_rules(path)
    req = fs.size(jurisdiction="yuhang", population=1000, area_type="new_build", on="2025-02-01", rulebook=book)
    assert req.slots == 5  # 4.5 -> 5, with 4.5 read exactly as a decimal
    assert (
        fs.size(
            jurisdiction="xihu", households=1200, area_type="new_build", on="2025-02-01", rulebook=book
        ).floor_area_m2
        == 200.0
    )
    with pytest.raises(fs.NotInForceError, match="2025-02-01"):
        fs.size(jurisdiction="余杭区", population=1000, area_type="new_build", on="2025-01-31", rulebook=book)


def test_rules_reference_is_generated_from_the_data() -> None:
    from facility_sizing.render.reference import rules_reference

    committed = (REPO / "docs" / "rules-reference.md").read_text(encoding="utf-8")
    assert committed == rules_reference(), (
        "regenerate: python -m facility_sizing.render.reference > docs/rules-reference.md"
    )
    for rule in default_rulebook().all_rules():
        assert f"`{rule.id}`" in committed


def test_the_units_table_of_the_rule_data_page_is_the_registry() -> None:
    from facility_sizing.render.reference import units_table

    page = (REPO / "docs" / "rule-data.md").read_text(encoding="utf-8")
    assert units_table() in page, "regenerate the table in docs/rule-data.md from render.reference.units_table()"


def test_an_implausible_constant_figure_is_refused_naming_file_and_key(tmp_path: Path) -> None:
    """A floor limit of 500 (a typing slip for 5) loads no more: the figure is out of the quantity's range."""
    text = (REPO / "src" / "facility_sizing" / "data" / "rules" / "330106_xihu.toml").read_text(encoding="utf-8")
    rule = text.index('id = "xihu.max_floor"')
    head, tail = text[:rule], text[rule:]
    tail = tail.replace("value = 2", "value = 500", 1)
    (tmp_path / "330106_xihu.toml").write_text(head + tail, encoding="utf-8")
    with pytest.raises(fs.RuleDataError) as info:
        fs.load_rules(tmp_path / "330106_xihu.toml", replace=True)
    assert info.value.key.endswith(".value") and "500" in str(info.value)
