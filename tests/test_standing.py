"""`facility-sizing jurisdictions` says how each place's rules apply, from its documents' grade and status.

It listed 杭州市, whose only document is known by report, with 「in_force」 beside it, as if its rules
applied. The ``standing`` column is generated from the place's own documents (ruledata/standing.py)
and checked here for every jurisdiction of the rule book, against the engine's own choice.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

import facility_sizing as fs
from facility_sizing.cli import main
from facility_sizing.errors import FacilitySizingError
from facility_sizing.ruledata import default_rulebook
from facility_sizing.ruledata.standing import standing

BOOK = default_rulebook()
IN_FORCE = "现行有效（官方文本），默认采用"
REPORTED = "只有据报道的规定（原文未见），需选择纳入才采用（--include-reported）"
DRAFT = "只有征求意见稿（未生效），需选择纳入才采用（--include-drafts）"

#: The built-in rule book, place by place: the grade and status each file's documents declare.
EXPECTED = {
    "140800": REPORTED,  # 运城市: yuncheng-2020, reported
    "320500": IN_FORCE,  # 苏州市: 苏府办〔2020〕233号
    "330000": REPORTED,  # 浙江省: reported
    "330100": REPORTED,  # 杭州市: the 2022 配建办法, reported
    "330106": IN_FORCE,  # 西湖区: 西政办函〔2021〕15号
    "330108": DRAFT,  # 滨江区: the 2020 consultation draft
    "330281": IN_FORCE,  # 余姚市: 余政办发〔2020〕70号
    "330603": IN_FORCE,  # 柯桥区: 绍柯政办发〔2024〕13号
    "340000": REPORTED,  # 安徽省
    "350200": REPORTED,  # 厦门市
    "430000": REPORTED,  # 湖南省
    "440100": REPORTED,  # 广州市
}


def _listed(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, dict[str, object]]:
    assert main(["jurisdictions", *args, "--json"]) == 0
    return {row["code"]: row for row in json.loads(capsys.readouterr().out)["rows"]}


def test_every_place_with_rules_is_listed_with_its_standing(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _listed(capsys)
    assert set(rows) == set(BOOK.rules) == set(EXPECTED)
    assert {code: row["standing"] for code, row in rows.items()} == EXPECTED
    assert rows["330100"]["standing_en"] == (
        "only reported rules (the text not seen), applied only when opted into (--include-reported)"
    )


@pytest.mark.parametrize("code", sorted(BOOK.rules))
def test_a_place_s_standing_says_what_the_engine_applies(code: str) -> None:
    """Said 「默认采用」 exactly when the engine, with no opt-in, applies one of the place's own rules;
    an opt-in named exactly when the engine applies its own rules once that opt-in is given."""
    docs = BOOK.documents[code]
    said = standing(docs).text("zh", "cli")
    on = max(d.effective_from for d in docs)
    for opts, word in (({}, "默认采用"), ({"include_reported": True}, "--include-reported"),
                       ({"include_drafts": True}, "--include-drafts")):  # fmt: skip
        try:
            table = fs.rules_in_force(code, on=on, **opts)
            own = bool((table["rule_id"].notna() & ~table["inherited"].astype(bool)).any())
        except FacilitySizingError:
            own = False
        if not opts:
            assert own is (word in said), (code, said)
        elif word in said:
            assert own, (code, opts, said)
    assert ("现行有效" in said) is any(d.grade in ("official", "text_copy") and not d.is_draft for d in docs)
    assert said.startswith("只有") is ("默认采用" not in said)


def test_a_place_without_a_rule_file_is_said_to_have_none(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _listed(capsys, "杭州市")
    assert rows["330102"]["standing"] == "本级无规则文件" and rows["330100"]["standing"] == REPORTED


def test_the_text_listing_shows_the_standing_whole(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["jurisdictions"]) == 0
    out = capsys.readouterr().out
    [hangzhou] = [line for line in out.splitlines() if line.lstrip().startswith("330100")]
    assert REPORTED in hangzhou and "in_force" not in hangzhou and "applied only when opted into" in hangzhou


def test_every_kind_of_document_is_said_as_it_applies() -> None:
    [xihu] = BOOK.documents["330106"]
    copy = replace(xihu, grade="text_copy")
    reported = replace(xihu, grade="reported")
    draft = replace(xihu, status="draft")
    reported_draft = replace(xihu, status="draft", grade="reported")
    unverified = replace(xihu, grade="unverified")
    said = standing([xihu, copy, reported, reported, draft]).text("zh", "cli")
    assert said == (
        "现行有效（官方文本），默认采用；现行有效（转载全文），默认采用；"
        "据报道的规定（原文未见），需选择纳入才采用（--include-reported）；"
        "征求意见稿（未生效），需选择纳入才采用（--include-drafts）"
    )
    assert standing([reported_draft]).text("zh", "cli") == (
        "只有据报道的征求意见稿（未生效，原文未见），需同时选择纳入才采用（--include-drafts、--include-reported）"
    )
    assert standing([unverified]).text("zh") == "只有未核实的文件，不予采用"
    assert standing([reported]).text("zh") == "只有据报道的规定（原文未见），需选择纳入才采用（include_reported=True）"
    assert standing([unverified]).text("en") == "only documents whose copy is unverified, never applied"


def test_the_library_and_the_service_list_the_same_standing_in_their_own_words() -> None:
    """``fs.jurisdictions()`` (and the service's ``GET /jurisdictions``, which returns it) carries the same
    standing as the command line, the opt-in named as Python names it."""
    table = fs.jurisdictions().set_index("code")
    said = {code: table.loc[code, "standing"] for code in EXPECTED}
    python_words = {
        code: text.replace("--include-reported", "include_reported=True") for code, text in EXPECTED.items()
    }
    python_words = {code: t.replace("--include-drafts", "include_drafts=True") for code, t in python_words.items()}
    assert said == python_words
    assert table.loc["330100", "statuses"] == "in_force"  # the raw status stays, beside what it makes of the place
