"""The command line, and the README's promises about it."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from pyproj import Geod

import facility_sizing as fs
from facility_sizing.cli import main

REPO = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text)


def test_readme_test_command_is_what_ci_runs() -> None:
    test_command = readme_commands()[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci
    assert "pytest" in test_command


def test_ci_runs_the_readme_main_job_on_the_plain_install() -> None:
    """.ci/run runs the README's first command, as written (pip install . with no extras), in a fresh clone."""
    main_job = readme_commands()[0]
    assert main_job.split("&&")[1].strip().endswith("pip install .")  # the plain install: no extras
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    plain = ci[ci.index('git clone -q . "$plain"') :]
    assert f"    {main_job}\n" in plain, ".ci/run runs the README's main job verbatim in its own clone"
    assert main_job != readme_commands()[1] and "[test]" not in main_job


@pytest.mark.parametrize("parcel_id", ["XH-三墩-01", "XH-三墩-03"])
def test_readme_main_command_prints_a_correct_requirement(parcel_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    command = readme_commands()[0]
    argv = shlex.split(command.split("&&")[-1].strip())
    assert argv[0].endswith("facility-sizing") and "--sample" in argv
    assert main(argv[1:]) == 0
    out = capsys.readouterr().out
    # Work the parcel out independently: its ellipsoidal area, the sample's FAR, share and unit
    # size, and Xihu's figures (西政办函〔2021〕15号 二(三)1: 15 m² per 100 households, ≥ 200 m²).
    parcel = fs.sample_parcels().set_index("parcel_id").loc[parcel_id]
    area = abs(Geod(ellps="GRS80").geometry_area_perimeter(parcel.geometry)[0])
    households = area * parcel.far * parcel.residential_share / parcel.unit_area_m2
    row = next(line for line in out.splitlines() if line.strip().startswith(parcel_id))
    cells = row.split()  # id, name, 行政区, 类型, 建筑面积m², 户外活动场地m², 托位, 楼层限制, 采用户数, 状态
    header = " ".join(out.splitlines()[0].split()[2:])
    assert header == "行政区 类型 建筑面积m² 户外活动场地m² 托位 楼层限制 采用户数 状态"
    assert cells[1] == parcel["name"] and cells[2:4] == ["西湖区", "new_build"]
    assert abs(float(cells[8]) - households) <= 2  # the projected and ellipsoidal areas agree to < 0.1 %
    assert float(cells[4]) == max(float(cells[8]) * 15 / 100, 200)
    assert cells[5:8] == ["40.00", "—", "2"]  # outdoor 40 m² (two decimals), no slot figure, floors 1–2
    assert max(len(line) for line in out.splitlines()[:39]) <= 100  # the table fits a terminal
    assert "合计 Total: 38 行 rows，0 行有错误" in out


def test_size_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "size",
            "-j",
            "柯桥区",
            "-t",
            "新建",
            "--households",
            "3000",
            "--persons-per-household",
            "2.7",
            "--on",
            "2025-01-01",
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["floor_area_m2"] == 750.0 and data["slots"] == 81


def test_rules_listing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "余姚市", "--on", "2025-01-01"]) == 0
    out = capsys.readouterr().out
    assert "余政办发〔2020〕70号 三(一)3" in out and "per_1000_population 9" in out
    assert main(["rules", "余姚市", "--on", "2025-01-01", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["value"] for r in rows if r["kind"] == "figure"} == {"9", "6"}


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        (["size", "-j", "西湖区", "-t", "new_build", "--households", "-3"], 2, "must not be negative"),
        (["size", "-j", "西湖区", "-t", "new_build", "--households", "1.5"], 2, "whole number"),
        (["size", "-j", "西湖区", "-t", "office", "--households", "3"], 2, "unknown --area-type"),
        (["size", "-j", "余姚市", "-t", "new_build", "--households", "3"], 2, "--persons-per-household"),
        (["size", "-j", "nowhere", "-t", "new_build", "--households", "3"], 3, "unknown jurisdiction"),
        (["size", "-j", "西湖区", "-t", "new_build", "--households", "3", "--on", "2021-01-01"], 3, "2021-09-20"),
        (["size", "-j", "西湖区", "-t", "new_build", "--households", "3", "--on", "someday"], 2, "参数 --on：须为日期"),
        (["rules", "滨江区", "--on", "2025-01-01"], 3, "--include-drafts"),
        (["rules", "西湖区", "--rules", "/no/such/folder"], 4, "no such file"),
    ],
)
def test_errors_are_one_line_with_stable_exit_codes(
    argv: list[str], code: int, fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("facility-sizing: error: ")
    assert fragment in err


def test_debug_prints_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["size", "-j", "nowhere", "-t", "new_build", "--households", "3", "--debug"]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_rules_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.toml").write_text("schema = 1\n", encoding="utf-8")
    monkeypatch.setenv("FACILITY_SIZING_RULES", str(tmp_path))
    assert main(["rules", "西湖区"]) == 4
    assert "bad.toml" in capsys.readouterr().err
