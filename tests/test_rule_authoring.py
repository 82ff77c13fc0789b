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
