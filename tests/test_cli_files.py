"""The command line with planners' own files, in its own terms (issue 13, command line and notebooks)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import facility_sizing as fs
from facility_sizing.cli import main

ON = "2025-01-01"
FIVE_PROJECTS = (
    "地块编号,项目名称,区县,类型,户数,容积率\n"
    "XH-1,三墩一期,西湖区,新建,1200,2.5\n"
    "XH-2,留下单元,西湖区,已建成,800,1.8\n"
    "KQ-1,柯桥新城,柯桥区,新建,3000,2.0\n"
    "YY-1,余姚城东,余姚市,新建,2000,2.2\n"
    "BJ-1,滨江江南,滨江区,新建,1500,2.8\n"
)


@pytest.fixture
def projects(tmp_path: Path) -> Path:
    path = tmp_path / "项目清单.csv"
    path.write_bytes(FIVE_PROJECTS.encode("gbk"))  # as Excel on Chinese Windows saves it
    return path


def _no_raw_values(text: str) -> None:
    for word in ("NaN", "<NA>", "None", "np.float64", "nan"):
        assert word not in text, word


@pytest.mark.parametrize(
    "flags",
    [["-j", "区县", "-t", "类型", "--households", "户数"], []],  # the headers are recognised without flags too
)
def test_five_gbk_projects_size_in_one_command(
    projects: Path, flags: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    argv = ["batch", str(projects), *flags, "--persons-per-household", "2.7", "--include-drafts", "--on", ON]
    assert main(argv) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[0].split()
    assert " ".join(header) == "地块编号 行 项目名称 区县 类型 建筑面积m² 户外活动场地m² 托位 楼层限制 采用户数 状态"
    rows = {line.split()[0]: dict(zip(header, line.split(), strict=True)) for line in out.splitlines()[1:6]}
    assert set(rows) == {"XH-1", "XH-2", "KQ-1", "YY-1", "BJ-1"}
    assert rows["XH-1"]["行"] == "2" and rows["BJ-1"]["行"] == "6"  # the line of the file (the header is line 1)
    assert (rows["XH-1"]["建筑面积m²"], rows["XH-1"]["户外活动场地m²"]) == ("200.00", "40.00")
    assert rows["KQ-1"]["建筑面积m²"] == "750.00"  # 绍柯政办发〔2024〕13号 二(一)2: 3000 × 25/100
    assert rows["XH-1"]["采用户数"] == "1200" and "1200.0" not in out
    assert rows["BJ-1"]["状态"] == "草案"  # the draft flag, per row
    assert max(len(line) for line in out.splitlines()[:6]) <= 100  # fits a terminal
    _no_raw_values(out)
    assert main([*argv, "--wide"]) == 0
    wide = capsys.readouterr().out.splitlines()
    assert "西政办函〔2021〕15号" in next(line for line in wide if line.split()[:1] == ["XH-1"])  # the basis, per row
    target = tmp_path / "结果.xlsx"
    assert main([*argv, "-o", str(target)]) == 0
    sheet = openpyxl.load_workbook(target).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["地块编号", "项目名称", "区县", "类型", "户数"]
    assert "托育设施建筑面积 (m²) floor_area_m2" in headers and "托位 slots" in headers
    assert "采用户数 households" in headers  # the households used, not a second 户数


def test_a_plain_table_needs_no_geometry_and_says_which_flags_need_one(
    projects: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["batch", str(projects), "--far", "2.5", "--on", ON]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--far" in err and "--households" in err


def test_with_output_the_rows_with_errors_are_still_printed(
    projects: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["batch", str(projects), "--on", ON, "-o", str(tmp_path / "r.csv")]) == 5
    out = capsys.readouterr().out
    assert "BJ-1" in out and "draft_only" in out and "--include-drafts" in out  # the reason, in flags
    assert "XH-1" not in out  # good rows are in the file only
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_id_column_and_no_python_in_row_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.csv"
    path.write_text("编号,名称,jurisdiction,households\nA,甲,西湖区,-1\nB,乙,西湖区,1200\n", encoding="utf-8")
    assert main(["batch", str(path), "-t", "new_build", "--id", "编号", "--id", "名称", "--on", ON]) == 5
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:2] == ["编号", "名称"]
    _no_raw_values(out)
    assert main(["batch", str(path), "-t", "new_build", "--id", "nope", "--on", ON]) == 2
    assert "--id nope" in capsys.readouterr().err


def test_encoding_flag_reads_and_writes(projects: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "r.csv"
    argv = ["batch", str(projects), "--encoding", "gbk", "--include-drafts", "--persons-per-household", "2.7"]
    assert main([*argv, "--on", ON, "-o", str(target)]) == 0
    assert "三墩一期" in target.read_bytes().decode("gbk")
    assert main(["batch", str(projects), "--encoding", "utf-8", "--on", ON]) == 2
    err = capsys.readouterr().err
    assert "项目清单.csv" in err and "codec" not in err


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04broken"])
def test_an_unreadable_file_is_exit_2_naming_it(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / ("empty.csv" if not content else "broken.xlsx")
    path.write_bytes(content)
    assert main(["batch", str(path), "--on", ON]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and path.name in err


def test_no_crs_error_names_the_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.csv"
    path.write_text("jurisdiction,households,lng,lat\n西湖区,1200,120.1,30.2\n", encoding="utf-8")
    assert main(["batch", str(path), "--lon", "lng", "--lat", "lat", "-t", "new_build", "--on", ON]) == 2
    err = capsys.readouterr().err
    assert "--assume-crs 4490" in err and "set_crs" not in err and "assume_crs=" not in err


def test_a_closed_pipe_ends_silently() -> None:
    exe = shutil.which("facility-sizing", path=str(Path(sys.executable).parent))
    assert exe is not None
    proc = subprocess.run(
        f"'{exe}' batch --sample --on {ON} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
        executable="/bin/bash",
    )
    assert proc.stderr == "" and len(proc.stdout.splitlines()) == 1
    status = subprocess.run(
        f"set -o pipefail; '{exe}' batch --sample --on {ON} | head -1 >/dev/null",
        shell=True,
        executable="/bin/bash",
        check=False,
    )
    assert status.returncode == 0


def test_coverage_takes_csv_facilities_with_lon_lat(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    homes = tmp_path / "homes.csv"
    homes.write_text("id,households,lng,lat\nA,1200,120.1,30.2\nB,800,120.2,30.3\n", encoding="utf-8")
    facilities = tmp_path / "托育机构.csv"
    facilities.write_bytes("名称,slots,lng,lat\n甲,100,120.1,30.201\n".encode("gbk"))
    argv = ["coverage", str(homes), str(facilities), "--lon", "lng", "--lat", "lat", "--assume-crs", "4490"]
    assert main([*argv, "--distance", "800", "--persons-per-household", "2.7", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["facilities"] == 1 and summary["households_covered"] == 1200


def test_an_empty_design_is_not_a_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    design = tmp_path / "design.json"
    design.write_text("{}", encoding="utf-8")
    argv = ["review", str(design), "-j", "西湖区", "-t", "新建", "--households", "1200", "--on", ON]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "PASSED" not in captured.out and "通过" not in captured.out
    assert "nothing was checked" in captured.err
    design.write_text('{"floor_area_m2": 250}', encoding="utf-8")
    assert main(argv) == 0


def test_errors_are_worded_in_the_command_lines_terms() -> None:
    """The catalogue words an error for the command line: flags, not Python spellings; numbers plain."""
    import numpy as np

    from facility_sizing.cli.terms import cell_text, said_here
    from facility_sizing.engine.inputs import _bad
    from facility_sizing.errors import MissingInputError
    from facility_sizing.messages import Message

    text = said_here(_bad("persons_per_household", np.float64(-1.0), "negative"))
    assert text == (
        "--persons-per-household（户均人口）不能为负数，收到 -1.0；例如 --persons-per-household 2.7 — "
        "--persons-per-household must not be negative, got -1.0; pass e.g. --persons-per-household 2.7"
    )
    hint = said_here(
        MissingInputError("inputs.unreadable", field="population", problem=Message("inputs.hint_population"))
    )
    assert "--persons-per-household" in hint and "persons_per_household" not in hint.replace(
        "--persons-per-household", ""
    )
    # a batch row's error names the cell's column, not the flag
    row = said_here(_bad("households", "x", "must_be_number"), {"households": "户数"})
    assert row.startswith("“户数”列须为数字，收到 'x'；例如 1200 — column '户数' must be a number")
    assert [cell_text(v, c) for v, c in [(1135.0, "households"), (200.1, "floor_area_m2"), (None, "x")]] == [
        "1135",
        "200.10",
        "—",
    ]


# --------------------------------------------------------------------------------------
# Notebooks and docs, offline


def test_plot_map_leaves_interactive_mode_as_the_backend_set_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Jupyter's inline backend turns interactive mode on when the first figure starts it."""
    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.use("Agg")
    real = plt.subplots

    def starting_the_backend(*args: object, **kwargs: object) -> object:
        matplotlib.interactive(True)  # what the inline backend does on the first figure
        return real(*args, **kwargs)

    monkeypatch.setattr(plt, "subplots", starting_the_backend)
    was = matplotlib.is_interactive()
    try:
        matplotlib.interactive(False)
        fs.plot_map(fs.size_parcels(fs.sample_parcels().iloc[:3], on=ON))
        assert matplotlib.is_interactive()  # rc_context did not undo it
    finally:
        matplotlib.interactive(was)
        plt.close("all")


def test_the_font_check_finds_a_font_installed_after_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    from facility_sizing.spatial.maps import cartography

    dejavu = font_manager.findfont("DejaVu Sans")
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])  # the cache knows no CJK font
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda: [dejavu])  # one installed since
    monkeypatch.setattr(cartography, "CJK_FONTS", ("DejaVu Sans",))
    monkeypatch.setattr(cartography, "CJK_FILE_HINTS", ("dejavusans",))
    assert cartography.cjk_font() == "DejaVu Sans"


def test_the_interactive_map_loads_nothing_from_elsewhere() -> None:
    m = fs.explore_map(fs.size_parcels(fs.sample_parcels().iloc[:3], on=ON), tiles=None)
    assert "needs the internet" not in m.html and "Leaflet 1.9.4" in m.html
    assert not re.search(r"""src=["']?(https?:)?//""", m.html) and "<link" not in m.html  # a link is not a load


def test_docs_code_blocks_wrap_with_a_local_stylesheet() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs"
    conf = (docs / "conf.py").read_text(encoding="utf-8")
    css = (docs / "_static" / "wrap.css").read_text(encoding="utf-8")
    assert 'html_css_files = ["wrap.css"]' in conf and "pre-wrap" in css and "http" not in css


def test_the_notebook_table_keeps_the_ids_and_shows_no_raw_missing_values(projects: Path) -> None:
    out = fs.size_frame(fs.read_table(projects), jurisdiction="区县", area_type="类型", households="户数", on=ON)
    html = out.sizing._repr_html_()
    assert "XH-1" in html and "三墩一期" in html and "200.00" in html
    _no_raw_values(html)


def test_a_codec_that_is_not_a_text_encoding_and_an_unknown_crs_are_typed_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "p.csv"
    table.write_text("households,lon,lat\n1200,120.1,30.2\n", encoding="utf-8")
    base = ["batch", str(table), "-j", "西湖区", "-t", "new_build", "--on", "2025-01-01"]
    assert main([*base, "--encoding", "rot13"]) == 2  # a bad input, not a crash (was exit 1, HTTP 500)
    assert "'rot13' is not a text encoding" in capsys.readouterr().err
    assert main([*base, "--lon", "lon", "--lat", "lat", "--crs", "EPSG:999999"]) == 2
    assert "unrecognised --crs 'EPSG:999999'" in capsys.readouterr().err


def test_a_third_party_libraries_warning_never_reaches_the_command_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library's own warning is one line; another library's (pyogrio's RuntimeWarning on a corrupt
    GeoPackage) is for --debug only."""
    import warnings

    from facility_sizing.cli import app

    def noisy(_args: object) -> int:
        warnings.warn("GDAL said something", RuntimeWarning, stacklevel=1)
        return 0

    monkeypatch.setattr(app, "_dispatch", noisy)
    assert main(["rules", "西湖区", "--on", "2025-01-01"]) == 0
    assert "GDAL said something" not in capsys.readouterr().err
