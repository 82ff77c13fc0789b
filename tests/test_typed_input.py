"""Input as clerks type it: in the library, the command line, files and the service alike.

Every accepted form gives the figure of the plain one, through ``size``, ``size_frame``, a GBK
CSV, an .xlsx and ``POST /size``; every refused form (what could mean two things) is one error,
Chinese first, naming the flag on the command line and the row and column in a file. Expected
figures: 西政办函〔2021〕15号 二(三)1, new-build: max(households × 15/100, 200) m² and 40 m² outdoors.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import facility_sizing as fs
from facility_sizing.cli import main
from facility_sizing.ruledata import default_rulebook
from facility_sizing.service import create_app

ON = "2025-06-01"
# 西政办函〔2021〕15号 二(三)1: 2,400 households × 15/100 = 360 m² (above the 200 m² minimum)
HOUSEHOLDS_2400 = 360.0

NUMBERS = ["2,400", "2，400", "２４００", "2400户", "2,400 户", "0.24万户", " 2400 "]
DATES = ["2025/6/1", "2025.6.1", "2025年6月1日", "20250601", "2025-6-1", "２０２５年６月１日"]
AMBIGUOUS_NUMBERS = {"1_200": "下划线", "1.200": "有歧义", "2,40": "千位分隔符位置不对", "2400人": "单位“人”"}
AMBIGUOUS_DATES = {"6/1/2025": "年份在后", "01.06.2025": "年份在后", "2025/2/30": "不是日历上的日期"}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


# --- accepted, everywhere -------------------------------------------------------------


@pytest.mark.parametrize("typed", NUMBERS)
def test_a_typed_number_in_size_and_size_frame(typed: str) -> None:
    assert fs.size(jurisdiction="西湖区", area_type="new_build", households=typed, on=ON).floor_area_m2 == 360.0
    frame = fs.size_frame(
        __import__("pandas").DataFrame({"jurisdiction": ["西湖区"] * 20, "households": [typed] * 19 + [1200]}),
        area_type="new_build",
        on=ON,
    )
    assert frame["error"].isna().all()
    assert frame["floor_area_m2"].tolist() == [HOUSEHOLDS_2400] * 19 + [200.0]


@pytest.mark.parametrize("typed", DATES)
def test_a_typed_date_in_size_and_size_frame(typed: str) -> None:
    assert fs.size(jurisdiction="西湖区", area_type="new_build", households=2400, on=typed).on.isoformat() == ON
    frame = fs.size_frame(
        __import__("pandas").DataFrame({"jurisdiction": ["西湖区"] * 3, "households": [2400] * 3, "on": [typed] * 3}),
        area_type="new_build",
    )
    assert frame["error"].isna().all() and frame["floor_area_m2"].tolist() == [HOUSEHOLDS_2400] * 3


def _gbk_csv(path: Path, households: list[str], dates: list[str]) -> Path:
    """A table as Excel on a Chinese Windows saves it: GBK, quoted cells where they hold a comma."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["地块编号", "区县", "类型", "户数", "日期"])
    for i, (h, d) in enumerate(zip(households, dates, strict=True)):
        writer.writerow([f"P-{i + 1}", "西湖区", "新建", h, d])
    path.write_bytes(buffer.getvalue().encode("gbk"))
    return path


def _xlsx(path: Path, households: list[object], dates: list[object]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["地块编号", "区县", "类型", "户数", "日期"])
    for i, (h, d) in enumerate(zip(households, dates, strict=True)):
        sheet.append([f"P-{i + 1}", "西湖区", "新建", h, d])
    book.save(path)
    return path


@pytest.mark.parametrize("kind", ["gbk.csv", "xlsx"])
def test_every_typed_form_in_a_file(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One cell 2,400 no longer fails the column: each cell is read as typed (all forms in one file)."""
    n = max(len(NUMBERS), len(DATES))
    numbers, dates = (NUMBERS * 2)[:n], (DATES * 2)[:n]
    make = _gbk_csv if kind == "gbk.csv" else _xlsx
    path = make(tmp_path / f"p.{kind.split('.')[-1]}", [*numbers, "1200"], [*dates, ON])  # type: ignore[arg-type]
    assert main(["batch", str(path), "--on", "日期", "--json"]) == 0
    import json

    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["floor_area_m2"] for r in rows] == [HOUSEHOLDS_2400] * n + [200.0]
    assert all(r["error"] is None for r in rows)


@pytest.mark.parametrize(("typed", "date"), list(zip(NUMBERS[:6], DATES, strict=True)))
def test_typed_forms_in_post_size(client: TestClient, typed: str, date: str) -> None:
    r = client.post("/size", json={"jurisdiction": "西湖区", "area_type": "新建", "households": typed, "on": date})
    assert r.status_code == 200, r.text
    assert r.json()["floor_area_m2"] == HOUSEHOLDS_2400 and r.json()["on"] == ON


@pytest.mark.parametrize(("typed", "date"), list(zip(NUMBERS[:6], DATES, strict=True)))
def test_typed_forms_on_the_command_line(typed: str, date: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["size", "-j", "西湖区", "-t", "新建", "--households", typed, "--on", date, "--json"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert '"floor_area_m2": 360.0' in out and f'"on": "{ON}"' in out


# --- refused, with one clear line -------------------------------------------------------


def _one_chinese_first_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("facility-sizing: error: "), err
    message = err.removeprefix("facility-sizing: error: ")
    assert re.match(r"[\u4e00-\u9fff]", message), message  # Chinese first
    assert " — " in message  # then English
    return message


@pytest.mark.parametrize(("typed", "why"), AMBIGUOUS_NUMBERS.items())
def test_an_ambiguous_number_is_refused_naming_the_flag(typed: str, why: str, capsys: pytest.CaptureFixture) -> None:  # type: ignore[type-arg]
    assert main(["size", "-j", "西湖区", "-t", "新建", "--households", typed, "--on", ON]) == 2
    message = _one_chinese_first_line(capsys.readouterr().err)
    assert message.startswith("参数 --households：") and why in message


@pytest.mark.parametrize(("typed", "why"), AMBIGUOUS_DATES.items())
def test_an_ambiguous_date_is_refused_naming_the_flag(typed: str, why: str, capsys: pytest.CaptureFixture) -> None:  # type: ignore[type-arg]
    assert main(["size", "-j", "西湖区", "-t", "新建", "--households", "1200", "--on", typed]) == 2
    message = _one_chinese_first_line(capsys.readouterr().err)
    assert message.startswith("参数 --on：") and why in message


@pytest.mark.parametrize(("typed", "why"), AMBIGUOUS_NUMBERS.items())
def test_an_ambiguous_number_is_refused_in_the_library_and_the_service(
    typed: str, why: str, client: TestClient
) -> None:
    with pytest.raises(fs.InputError) as info:
        fs.size(jurisdiction="西湖区", area_type="new_build", households=typed, on=ON)
    assert info.value.field == "households" and why in str(info.value)
    r = client.post("/size", json={"jurisdiction": "西湖区", "area_type": "新建", "households": typed, "on": ON})
    assert r.status_code == 422 and r.json()["error"]["field"] == "households"
    assert why in r.json()["error"]["message_zh"]


@pytest.mark.parametrize("kind", ["gbk.csv", "xlsx"])
def test_an_ambiguous_cell_names_its_line_and_column(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:  # type: ignore[type-arg]
    make = _gbk_csv if kind == "gbk.csv" else _xlsx
    path = make(tmp_path / f"p.{kind.split('.')[-1]}", ["1200", "1.200", "2400"], [ON, ON, "6/1/2025"])
    assert main(["batch", str(path), "--on", "日期"]) == 5
    out = capsys.readouterr().out
    errors = out.split("错误 errors:\n")[1].splitlines()
    # line 1 is the header; the message names the file's column, not the library's argument
    assert errors[0].startswith("  第 3 行（P-2）：[input] “户数”列有歧义：“1.200”可读作 1.2 或 1200")
    assert errors[0].endswith(
        "column '户数': ambiguous: '1.200' may mean 1.2 or 1200; write one of them (use a comma to separate thousands) (line 3)"
    )
    assert errors[1].startswith("  第 4 行（P-3）：[input] “日期”列有歧义")
    assert "P-1" not in "\n".join(errors)  # the good row is sized, not listed


def test_a_cell_problem_does_not_speak_in_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An .xlsx cell's message gives a value to type, not a command-line flag (例如 1200, not --households 1200)."""
    path = _xlsx(tmp_path / "p.xlsx", ["很多"], [ON])
    assert main(["batch", str(path), "--on", "日期"]) == 5
    out = capsys.readouterr().out
    assert "须为数字（如 1200户）" in out and "--households 1200" not in out


def test_1_200_with_an_underscore_is_no_longer_1200() -> None:
    with pytest.raises(fs.InputError, match="下划线"):
        fs.size(jurisdiction="西湖区", area_type="new_build", households="1_200", on=ON)


# --- argparse's own errors ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["size", "--district", "西湖区", "-t", "新建", "--households", "1200"], "是否要用 --jurisdiction/-j"),
        (["size", "-j", "西湖区", "-t", "新建", "--househlds", "1200"], "是否要用 --households"),
        (["size", "-j", "西湖区", "--households", "1200"], "缺少必填参数 --area-type/-t"),
        (["size", "-j", "西湖区", "-t", "新建", "--trust", "x"], "参数 --trust 的取值 'x' 无效"),
        (["size", "-j", "西湖区", "-t", "新建", "--households"], "参数 --households 后须跟一个值"),
        (["sizee"], "的取值 'sizee' 无效"),
    ],
)
def test_usage_errors_are_one_chinese_first_line_with_exit_2(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert expected in _one_chinese_first_line(captured.err) and "usage:" not in captured.err


# --- area-type words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "canonical"), [("新建小区", "new_build"), ("新建住宅小区", "new_build"), ("已建小区", "existing")]
)
def test_planners_area_words_that_the_documents_terms_allow(word: str, canonical: str) -> None:
    for place in ("西湖区", "柯桥区", "余姚市"):
        assert (
            fs.size(jurisdiction=place, area_type=word, households=1200, persons_per_household=2.7, on=ON).area_type
            == canonical
        )


def test_old_estate_is_existing_only_where_the_document_says_it() -> None:
    # 绍柯政办发〔2024〕13号 二(一)2: 「在已建城市居住区，要结合老旧小区改造……每百户托育服务设施面积不少于15平方米」
    keqiao = fs.size(jurisdiction="柯桥区", area_type="老旧小区", households=1200, persons_per_household=2.7, on=ON)
    assert keqiao.area_type == "existing" and keqiao.floor_area_m2 == 180.0  # 1,200 × 15/100
    # 西政办函〔2021〕15号 names 已建成居住区; its 「老旧居住小区综合改造」 sentence is a government task
    with pytest.raises(fs.AreaTypeError, match=r"未使用“老旧小区”一词.*已建成居住区"):
        fs.size(jurisdiction="西湖区", area_type="老旧小区", households=1200, on=ON)


def test_urban_village_is_refused_and_no_rule_file_uses_the_word() -> None:
    with pytest.raises(fs.AreaTypeError, match=r"城中村.*不是本库任何规则文件使用的区域类型"):
        fs.size(jurisdiction="西湖区", area_type="城中村", households=1200, on=ON)
    # the message's claim, checked over the whole rule book: no area term and no quoted clause says 城中村
    book = default_rulebook()
    assert not any("城中村" in term for terms in book.area_types.values() for term in terms.values())
    assert not any("城中村" in r.text for rules in book.rules.values() for r in rules)


# --- exit codes and extras -----------------------------------------------------------------


def test_a_missing_extra_has_its_own_exit_code_and_an_install_hint_that_works_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    assert main(["batch", "--sample", "--on", ON, "-o", str(tmp_path / "r.xlsx")]) == 7
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install" in err and "[excel]" in err
    assert fs.errors.install_command("excel") in err
    assert "7  缺少可选组件" in __import__("facility_sizing.cli.common", fromlist=["x"]).EXIT_CODES_HELP


# --- regressions from the hostile review -------------------------------------------------------


@pytest.mark.parametrize("typed", ["12.222", "12.502", "1.222", "2.702", "12.500", "3.240万", "1.222.222"])
def test_three_decimals_are_refused_whatever_the_last_digit(typed: str) -> None:
    """12.222 was read as 12.222 people (the unit list's m2 stripped trailing 2s): a 1000-fold understatement."""
    with pytest.raises(fs.InputError, match=r"有歧义|用句点分隔千位"):
        fs.size(jurisdiction="柯桥区", area_type="新建", population=typed, persons_per_household=2.7, on=ON)


def test_the_fix_offered_for_wan_keeps_the_wan() -> None:
    with pytest.raises(fs.InputError) as info:
        fs.size(jurisdiction="柯桥区", area_type="新建", population="12.500万人", persons_per_household=2.7, on=ON)
    assert "12.5万人 或 12500万人" in str(info.value)  # never 「12.5」 alone: 12.5 people


@pytest.mark.parametrize("typed", ["0,200", "0,500"])
def test_a_comma_after_a_leading_zero_is_not_a_thousands_separator(typed: str) -> None:
    with pytest.raises(fs.InputError, match="千位分隔符位置不对"):
        fs.size(jurisdiction="西湖区", area_type="新建", households=typed, on=ON)


def test_a_planners_own_header_with_an_english_word_keeps_its_name(tmp_path: Path) -> None:
    """「户数 Households」 was renamed to Households, so 户数 was not read and households were derived."""
    path = tmp_path / "hh.csv"
    path.write_text("地块编号,区县,类型,户数 Households,人口\nA1,柯桥区,新建,2400,6480\n", encoding="utf-8")
    assert list(fs.read_table(path).columns) == ["地块编号", "区县", "类型", "户数 Households", "人口"]


def test_our_own_result_sized_again_reads_the_files_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A result holds 采用户数 (households used, empty in a row with an error) beside the file's 户数."""
    import json

    src = tmp_path / "s.csv"
    src.write_text("地块编号,区县,类型,户数\nA1,柯桥区,新建,1200\nA2,柯桥区,新建,很多\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    flags = ["--on", ON, "--persons-per-household", "2.7"]
    assert main(["batch", str(src), *flags, "-o", str(out)]) == 5
    edited = out.read_text(encoding="utf-8-sig").replace("A1,柯桥区,新建,1200,", "A1,柯桥区,新建,2400,")
    out.write_text(edited, encoding="utf-8-sig")  # the planner corrects the file's own 户数 column
    capsys.readouterr()
    assert main(["batch", str(out), *flags, "--json"]) == 5
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows[0]["floor_area_m2"] == 600.0  # 绍柯政办发〔2024〕13号 二(一)2: 2,400 × 25/100, not the stale 1,200
    assert "很多" in rows[1]["error"]  # the bad cell is still the error, not a missing input


@pytest.mark.parametrize(
    ("cell", "kept"),
    [
        ("001", "001"),
        ("１２", "１２"),
        ("12\u00a0", "12\u00a0"),
        ("12345678901234567890123", "12345678901234567890123"),
    ],
)
def test_other_columns_keep_what_cannot_be_read_as_a_plain_number(cell: str, kept: str, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(f"编号,区县,类型,户数\n{cell},西湖区,新建,1200\n002,西湖区,新建,1300\n", encoding="utf-8")
    table = fs.read_table(path)  # no crash, no overflow, no lost zeros
    assert table["编号"].tolist() == [kept, "002"]


def test_truth_values_in_a_file_stay_truth_values(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("区县,类型,人口,include_drafts\n滨江区,新建,1000,TRUE\n滨江区,新建,1000,False\n", encoding="utf-8")
    out = fs.size_frame(fs.read_table(path), jurisdiction="区县", area_type="类型", population="人口", on=ON)
    assert out["slots"].tolist()[0] == 9 and "征求意见稿" in out["error"].iloc[1]  # 二(二)1 draft: opted in per row


def test_attached_short_option_values_and_ambiguous_prefixes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["size", "-j西湖区", "-tnew_build", "--households", "1200", "--on", ON]) == 0
    capsys.readouterr()
    assert main(["size", "-j", "西湖区", "-t", "新建", "--p", "3000"]) == 2
    assert "参数 --p 有歧义，可指 --population, --persons-per-household" in capsys.readouterr().err


def test_a_blank_value_is_not_given_not_nan() -> None:
    with pytest.raises(fs.FacilitySizingError) as info:
        fs.size(jurisdiction="柯桥区", area_type="新建", households=" ", on=ON)
    assert "NaN" not in str(info.value)
