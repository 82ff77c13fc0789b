"""A bureau encodes its own city's rules as docs/howto/add-a-city.md says: rules init → fill → rules check →
rules test → size --rules, on the command line, against the invented demo document shipped with the docs."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

import facility_sizing as fs
from facility_sizing import cli
from facility_sizing.io.cases import run_cases

REPO = Path(__file__).resolve().parents[1]
HOWTO = REPO / "docs" / "howto" / "add-a-city.md"
DEMO = REPO / "docs" / "howto" / "余杭示例文件.txt"
CASES = REPO / "tests" / "cases"


def howto_toml() -> tuple[str, str]:
    """The how-to's filled rule file and its case file, as the page shows them."""
    rule_file, cases = re.findall(r"```toml\n(.*?)```", HOWTO.read_text(encoding="utf-8"), re.S)
    return rule_file, cases


def howto_init_command() -> list[str]:
    [line] = re.findall(r"^\$ facility-sizing (rules init .*)$", HOWTO.read_text(encoding="utf-8"), re.M)
    return line.split()


def _toml(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str | list) else str(value)


def fill(skeleton: str, filled: dict[str, Any]) -> str:
    """Fill a skeleton as the how-to says: each placeholder from the document, the kinds it sets uncommented, the rest deleted."""
    head, *kinds = skeleton.split("\n# ---- ")
    document, area_types = filled["documents"][0], filled["jurisdiction"]["area_types"]
    lines = []
    for line in head.splitlines():
        key = line.split(" = ", 1)[0].strip()
        if "〔填写" in line and not line.startswith("#"):
            value = area_types.get(key) if key in area_types else document[key]
            line = f"{key} = {_toml(value)}"
        lines.append(line)
    for rule in filled["rules"]:
        kind = f"{rule['quantity']} / {rule['basis']}：" if "basis" in rule else "obligation："
        [block] = [k for k in kinds if k.startswith(kind)]
        for line in block.splitlines()[1:]:
            line = line.removeprefix("# ")
            key = line.split(" = ", 1)[0]
            if key in rule:
                line = f"{key} = {_toml(rule[key])}"
            elif "〔填写" in line:
                continue
            lines.append(line)
    return "\n".join(lines) + "\n"


def test_init_fill_check_test_and_size_end_to_end(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(cli.RULES_ENV, raising=False)
    (tmp_path / DEMO.name).write_bytes(DEMO.read_bytes())
    rule_text, cases_text = howto_toml()
    filled = tomllib.loads(rule_text)

    # 1. rules init, with the how-to's flags
    assert cli.main(howto_init_command()) == 0
    target = tmp_path / "my_rules" / "330110_yuhang.toml"
    assert "已写出 my_rules/330110_yuhang.toml" in capsys.readouterr().out
    written = target.read_text(encoding="utf-8")
    with pytest.raises(fs.RuleDataError, match=r"title_en|effective_from_basis|rules"):
        fs.load_rules(target)  # placeholders are never read as a document's words
    assert cli.main(["rules", "init", "--code", "330110", "-o", str(target)]) == 2  # never over a file
    assert "已存在" in capsys.readouterr().err

    # 2. fill it in: it loads, and holds the how-to's rules
    target.write_text(fill(written, filled), encoding="utf-8")
    mine = {
        r.id: (r.clause, r.value, r.unit, r.strength, r.text) for r in fs.load_rules(target, builtin=False).all_rules()
    }
    shown = {r.id: (r.clause, r.value, r.unit, r.strength, r.text)
             for r in fs.load_rules(_saved(tmp_path, rule_text), builtin=False).all_rules()}  # fmt: skip
    assert mine == shown and len(mine) == 4

    # 3. rules check against the demo document: clean
    assert cli.main(["rules", "check", str(target), "--source", DEMO.name, "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "结论：规则文件与所提供的副本（余杭示例文件.txt）一致" in out
    assert "✓ rules[0] yuhang.new_build.floor_area.rate：引文、条款、数值、语气、义务主体" in out

    # 4. rules test with the how-to's cases
    (tmp_path / "cases.toml").write_text(cases_text, encoding="utf-8")
    assert cli.main(["rules", "test", "cases.toml", "--lang", "zh"]) == 0
    assert "通过 3 例，未通过 0 例" in capsys.readouterr().out

    # 5. size with the file
    code = cli.main(["size", "--rules", "my_rules/", "-j", "余杭区", "-t", "新建", "--households", "1800",
                     "--persons-per-household", "2.8", "--on", "2025-06-01"])  # fmt: skip
    assert code == 0 and "建筑面积 360 m²" in capsys.readouterr().out


def _saved(folder: Path, text: str) -> Path:
    path = folder / "shown" / "330110_yuhang.toml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def test_a_disagreeing_file_exits_4_and_a_failing_case_exits_5(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    rule_text, cases_text = howto_toml()
    (tmp_path / "my_rules").mkdir()
    (tmp_path / "my_rules" / "330110_yuhang.toml").write_text(
        rule_text.replace("value = 20", "value = 25"), encoding="utf-8"
    )
    (tmp_path / DEMO.name).write_bytes(DEMO.read_bytes())
    assert cli.main(["rules", "check", "my_rules/330110_yuhang.toml", "--source", DEMO.name, "--json"]) == 4
    report = json.loads(capsys.readouterr().out)
    assert not report["passed"]
    assert [(f["id"], f["key"]) for f in report["findings"] if f["status"] == "fail"] == [
        ("yuhang.new_build.floor_area.rate", "value")
    ]
    (tmp_path / "cases.toml").write_text(cases_text, encoding="utf-8")
    assert cli.main(["rules", "test", "cases.toml", "--lang", "en"]) == 5
    out = capsys.readouterr().out
    assert "floor_area_m2 is 450.0, expected 360.0" in out and "2 passed, 1 failed" in out


def test_a_broken_case_file_is_one_line_naming_the_case_and_the_key(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _, cases_text = howto_toml()
    path = tmp_path / "cases.toml"
    path.write_text(cases_text.replace("households = 1800", "housholds = 1800", 1), encoding="utf-8")
    assert cli.main(["rules", "test", str(path)]) == 2
    err = capsys.readouterr().err
    assert "case 'new-1800' inputs.housholds" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("path", sorted(CASES.glob("*.toml")), ids=lambda p: p.stem)
def test_the_project_s_own_case_files_run_as_a_bureau_s_do(path: Path) -> None:
    """One format: every case file of tests/cases passes through the runner ``rules test`` uses."""
    report = run_cases(path)
    assert report.passed, report.text("en")
    assert len(report.results) == len(tomllib.loads(path.read_text(encoding="utf-8"))["case"])


def test_listing_the_rules_of_a_place_still_works(capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["rules", "西湖区", "--on", "2025-01-01"]) == 0
    assert capsys.readouterr().out.startswith("[new_build] 330106/new_build/2021-09-20")


@pytest.mark.parametrize(
    ("mistake", "said"),
    [
        # the misspelling is named, with the key it stands for; a key left out is still missing
        (("strength = ", "strenght = "), "rules[0].strenght: 未知字段 'strenght'：是否应为 'strength'？"),
        (("strength = ", "# strength = "), "rules[0].strength: 缺少必填字段"),
        (("issued = 2025-03-01", 'issued = "2025-03-01"'), "documents[0].issued: 须为 TOML 日期（不加引号）"),
        (
            ('unit = "m²/100户"', 'unit = "m2/100户"'),
            "rules[0].unit: 用于 floor_area/per_100_households 时须为 'm²/100户'",
        ),
        (("GBK", "GBK"), "规则文件 '330110_yuhang.toml' 须为 UTF-8 文本：请在编辑器中另存为 UTF-8 编码"),
    ],
    ids=["misspelt key", "missing key", "quoted date", "unit typed m2", "saved as GBK"],
)
def test_a_bureau_s_typing_mistake_is_one_line_chinese_first_naming_the_file_and_key(
    tmp_path: Path, monkeypatch, capsys, mistake: tuple[str, str], said: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    rule_text, _ = howto_toml()
    path = Path("330110_yuhang.toml")
    if mistake[0] == "GBK":  # saved by an editor in the system's code page
        path.write_bytes(rule_text.encode("gb18030"))
    else:
        assert mistake[0] in rule_text
        path.write_text(rule_text.replace(*mistake, 1), encoding="utf-8")
    assert cli.main(["rules", "check", str(path), "--source", str(DEMO)]) == 4
    [line] = capsys.readouterr().err.strip().splitlines()
    zh, en = line.removeprefix("facility-sizing: error: ").split(" — ", 1)  # Chinese first, then English
    assert zh.startswith("330110_yuhang.toml: ") and said in zh
    assert en.startswith("330110_yuhang.toml: ") and not re.search("须为|未知|缺少", en)


def test_a_case_file_is_told_what_to_write(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """A figure left out of a case is told to be written, or "none"; a clause differing by quantity is told how."""
    monkeypatch.chdir(tmp_path)
    rule_text, cases_text = howto_toml()
    (tmp_path / "my_rules").mkdir()
    (tmp_path / "my_rules" / "330110_yuhang.toml").write_text(rule_text, encoding="utf-8")
    (tmp_path / "cases.toml").write_text(cases_text.replace('outdoor_area_m2 = "none"\n', "", 1), encoding="utf-8")
    assert cli.main(["rules", "test", "cases.toml"]) == 2
    assert (
        'expect.outdoor_area_m2：缺少期望值：每项数值都要写出，文件没有此项指标的写 "none"' in capsys.readouterr().err
    )
    (tmp_path / "cases.toml").write_text(
        cases_text.replace('clause = "二(一)"', 'clause = "二(二)"', 1), encoding="utf-8"
    )
    assert cli.main(["rules", "test", "cases.toml", "--lang", "zh"]) == 5
    assert 'clause 按数量写成表，如 clause = { floor_area = "二(一)", … }' in capsys.readouterr().out


def test_init_dates_its_example_case_on_the_date_of_effect_and_never_writes_over_a_file(
    tmp_path: Path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    init = ["rules", "init", "--code", "330110", "--effective-from", "2025-04-01"]
    assert cli.main([*init, "-o", "r/a.toml", "--cases", "c.toml"]) == 0
    assert "on = 2025-04-01 }" in (tmp_path / "c.toml").read_text(encoding="utf-8")
    capsys.readouterr()
    before = (tmp_path / "r" / "a.toml").read_bytes()
    assert cli.main(["rules", "init", "--code", "330111", "-o", "r/a.toml"]) == 2
    assert "已存在，未写入；如确要覆盖，加 --force" in capsys.readouterr().err
    assert (tmp_path / "r" / "a.toml").read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["a.toml"]  # no temporary file left behind
