"""The QGIS plugin (``qgis/facility_sizing_provider``) as a planner uses it, and its runner.

Every ``qgis_process`` command of ``docs/howto/qgis.md`` runs here, offscreen, with the plugin
enabled from the project's folder in a profile of its own; the layers it writes must hold the
library's own figures (``fs.size_parcels``, ``fs.coverage``, ``fs.site`` on the same files). A bad
field choice, a bad rule file and a missing command line must each end in the library's (or the
plugin's) Chinese-first words, never a traceback. The commands run side by side, in two rounds
(coverage and siting read what sizing wrote), so the whole file takes seconds, not minutes.

Without ``qgis_process`` the QGIS tests are skipped, unless the environment variable ``CI`` is set:
then they fail (``.ci/run`` installs qgis, python3-qgis and qgis-providers). The runner's tests need
no QGIS: the runner is plain Python.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from xml.etree import ElementTree

import geopandas as gpd
import pandas as pd
import pytest

import facility_sizing as fs

REPO = Path(__file__).resolve().parents[1]
PLUGINS = REPO / "qgis"
DOC = REPO / "docs" / "howto" / "qgis.md"
CLI = Path(sys.executable).with_name("facility-sizing")
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)
ON = "2025-01-01"
#: What ``facility-sizing batch`` reads from the sample's columns (its size_options): the same call of the library.
SAMPLE_INPUTS = {
    "jurisdiction": "jurisdiction",
    "area_type": "area_type",
    "households": "households",
    "persons_per_household": "persons_per_household",
    "far": "far",
    "residential_share": "residential_share",
    "unit_area_m2": "unit_area_m2",
    "on": ON,
}
#: The dates a planner types into the date parameter, and the file each run writes (6/1/2025: none).
TYPED_DATES = {"2025年6月1日": "六月一日", "2025/6/1": "六月一日斜线", "6/1/2025": "年份在后"}
FIGURES = ["floor_area_m2", "outdoor_area_m2", "slots", "max_floor", "facilities", "service_radius_m"]
INPUTS_USED = ["households", "population", "draft", "reported", "rule_set"]


# --------------------------------------------------------------------------------------
# The runner, without QGIS


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(PLUGINS))
    from facility_sizing_provider import runner

    return runner


class Feedback:
    """What an algorithm's QgsProcessingFeedback is asked, recorded."""

    def __init__(self, cancel_after: float | None = None) -> None:
        self.start = time.monotonic()
        self.cancel_after = cancel_after
        self.progress: list[float] = []
        self.said: list[tuple[str, str]] = []

    def isCanceled(self) -> bool:  # QGIS's name
        return self.cancel_after is not None and time.monotonic() - self.start > self.cancel_after

    def setProgress(self, value: float) -> None:
        self.progress.append(value)

    def __getattr__(self, name: str) -> Any:  # pushInfo, pushWarning, reportError, pushCommandInfo, …
        return lambda text, *_: self.said.append((name, text))


def test_runner_relays_warnings_progress_and_errors(runner: ModuleType) -> None:
    code = (
        "import sys; print('{\"ok\": 1}'); "
        "sys.stderr.write('facility-sizing: warning: 规则已过期 — stale\\n已生成条件书 letters 200/400\\n"
        "facility-sizing: error: 参数 --on：须为日期 — argument --on: must be a date\\n'); sys.exit(2)"
    )
    feedback = Feedback()
    outcome = runner.run(sys.executable, ["-c", code], feedback)
    assert (outcome.code, outcome.json()) == (2, {"ok": 1})
    assert feedback.progress == [50.0]  # 10 + 80 × 200/400: the letters are half written
    assert ("pushWarning", "规则已过期 — stale") in feedback.said
    assert outcome.errors == ["参数 --on：须为日期 — argument --on: must be a date"]
    with pytest.raises(runner.CliError, match=r"^参数 --on：须为日期 — argument --on: must be a date$"):
        runner.failed(outcome, feedback)
    runner.failed(runner.Outcome(5, "", []), feedback)  # rows with errors: a finished run


def test_cancel_ends_the_process(runner: ModuleType, tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    code = f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    start = time.monotonic()
    with pytest.raises(runner.CliError, match=r"^已取消"):
        runner.run(sys.executable, ["-c", code], Feedback(cancel_after=0.5))
    assert time.monotonic() - start < 10
    with pytest.raises(ProcessLookupError):  # ended and reaped, not left running
        os.kill(int(pid_file.read_text()), 0)


def test_the_command_is_found_or_its_install_is_said(
    runner: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(runner.CLI_ENV, raising=False)
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    # from the project's folder, its own venv (CI's venv/, or the dev .venv/)
    assert runner.find_cli() in {str(REPO / v / "bin" / "facility-sizing") for v in ("venv", ".venv")}
    monkeypatch.setenv(runner.CLI_ENV, str(CLI))
    assert runner.find_cli() == str(CLI)
    assert runner.find_cli(str(CLI)) == str(CLI)  # the Processing option
    with pytest.raises(
        runner.CliError, match=r"^处理选项（处理 → 选项 → 提供者 → 托育设施配建）指定的 facility-sizing 不存在"
    ):
        runner.find_cli(str(tmp_path / "nowhere"))
    monkeypatch.delenv(runner.CLI_ENV)
    monkeypatch.setattr(runner, "__file__", str(tmp_path / "a" / "b" / "runner.py"))  # a copied plugin: no project
    with pytest.raises(runner.CliError) as error:
        runner.find_cli()
    said = str(error.value)
    assert said.startswith("找不到托育设施配建计算的命令行 facility-sizing。")
    assert 'venv/bin/pip install ".[word]"' in said and "FACILITY_SIZING_CLI" in said
    assert said.index("找不到") < said.index("was not found")  # Chinese first


def test_the_library_runs_without_qgis_python_variables(runner: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", "/usr/share/qgis/python")
    monkeypatch.setenv("PROJ_LIB", "/usr/share/proj")
    env = runner.clean_environment()
    assert "PYTHONPATH" not in env and "PROJ_LIB" not in env
    assert env["PYTHONUTF8"] == "1"


def test_batch_json_names_each_written_column_with_its_chinese_first_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the plugin makes the fields' aliases of: ``batch --json -o`` says each written column's header."""
    from facility_sizing.cli import main

    out = tmp_path / "结果.gpkg"
    assert main(["batch", "--sample", "--on", ON, "-o", str(out), "--headers", "en", "--json"]) == 0
    headers = json.loads(capsys.readouterr().out)["headers"]
    written = gpd.read_file(out)
    assert list(headers) == [c for c in written.columns if c != "geometry"]
    assert headers["floor_area_m2"] == "托育设施建筑面积 (m²) floor_area_m2"
    assert headers["parcel_id"] == "地块编号 parcel_id" and headers["households"] == "采用户数 households"


def test_coverage_and_site_json_name_every_written_field_with_its_chinese_first_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The aliases of the coverage and site layers, without QGIS: every field the command writes is in
    the catalogue of headers (``covered`` 在服务半径内, ``assigned_demand`` 分配需求 …)."""
    from facility_sizing.cli import main

    write_inputs(tmp_path)
    homes, said = tmp_path / "结果.gpkg", {}
    assert main(["batch", str(tmp_path / "地块.gpkg"), "--on", ON, "-o", str(homes), "--headers", "en", "--quiet"]) == 0
    capsys.readouterr()
    runs = {
        "覆盖": ["coverage", str(homes), str(tmp_path / "机构.gpkg"), "--distance", "800"],
        "选址": ["site", str(homes), str(tmp_path / "候选.gpkg"), "--existing", str(tmp_path / "机构.gpkg"),
                 "--distance", "800", "--k", "2", "--weight", "households", "--unit", "households",
                 "--jurisdiction", "西湖区", "--on", ON],
    }  # fmt: skip
    for name, argv in runs.items():
        out = tmp_path / f"{name}.gpkg"
        assert main([*argv, "-o", str(out), "--headers", "en", "--json"]) == 0
        said[name] = json.loads(capsys.readouterr().out)["headers"]
        written = [c for c in gpd.read_file(out, layer=name).columns if c != "geometry"]
        assert list(said[name]) == written
        assert all(re.match(r"[\u4e00-\u9fff]", h) and h.endswith(" " + c) for c, h in said[name].items()), said[name]
    assert said["覆盖"]["covered"] == "在服务半径内 covered"
    assert said["选址"]["assigned_demand"] == "分配需求 assigned_demand"


# --------------------------------------------------------------------------------------
# The algorithms, through qgis_process


def qgis_process() -> str:
    found = shutil.which("qgis_process")
    if found is None:
        message = (
            "qgis_process is not installed: apt-get install qgis python3-qgis qgis-providers (.ci/run installs them)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Debian 12's wrapper passes --noversioncheck, which QGIS 3.22 rejects (qgis/QGIS#57683): its binary runs
    binary = Path(found).with_name("qgis_process.bin")
    return str(binary) if binary.is_file() else found


def doc_commands() -> list[list[str]]:
    """The ``qgis_process`` commands of the page's headless block (a pipe's first command only)."""
    blocks = [m.group(2) for m in FENCE.finditer(DOC.read_text(encoding="utf-8")) if m.group(1) == "sh"]
    lines = [line for block in blocks for line in block.splitlines() if line.startswith("qgis_process ")]
    return [shlex.split(line.split("|")[0])[1:] for line in lines]


def doc_shown_result() -> list[str]:
    """The lines the page shows for size_parcels (its ``text`` block)."""
    [block] = [m.group(2) for m in FENCE.finditer(DOC.read_text(encoding="utf-8")) if m.group(1) == "text"]
    return [line for line in block.splitlines() if line.strip()]


def write_inputs(folder: Path) -> None:
    """The page's files: the sample parcels, three existing facilities, Xihu's parcels as candidates."""
    parcels = fs.sample_parcels()
    parcels.to_file(folder / "地块.gpkg")
    xihu = parcels[parcels["jurisdiction"] == "西湖区"]
    centres = xihu.geometry.to_crs(4549).centroid.iloc[[0, 5, 10]].to_crs(4490)
    gpd.GeoDataFrame({"name": ["甲", "乙", "丙"], "slots": [60, 40, 80]}, geometry=list(centres), crs=4490).to_file(
        folder / "机构.gpkg"
    )
    xihu.iloc[1::2][["parcel_id", "geometry"]].to_file(folder / "候选.gpkg")


def start(binary: str, args: list[str], folder: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [binary, *args], cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def finish(runs: dict[str, subprocess.Popen[str]]) -> dict[str, tuple[int, str]]:
    return {name: (proc.wait(timeout=300), proc.communicate()[0]) for name, proc in runs.items()}


@pytest.fixture(scope="module")
def qgis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, tuple[int, str]]]]:
    """Every command of the page run, with three wrong ones beside: (folder, {name: (exit code, output)})."""
    binary = qgis_process()
    folder = tmp_path_factory.mktemp("qgis")
    write_inputs(folder)
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QGIS_CUSTOM_CONFIG_PATH": str(folder / "profile"),  # a profile of its own, not the user's
        "QGIS_PLUGINPATH": str(PLUGINS),
        "FACILITY_SIZING_CLI": str(CLI),
        "XDG_RUNTIME_DIR": str(runtime),
    }
    commands = doc_commands()
    [enable] = [c for c in commands if c[0] == "plugins"]
    assert subprocess.run([binary, *enable], env=env, capture_output=True, check=False).returncode == 0
    runs = {c[1] if c[0] != "list" else "list": c for c in commands if c[0] in ("run", "list")}
    (folder / "坏规则.toml").write_text("x = [\n", encoding="utf-8")
    wrong = {
        "bad_field": ["run", "facility_sizing:size_parcels", "--", "INPUT=地块.gpkg", "HOUSEHOLDS_FIELD=name", f"ON={ON}", "OUTPUT=坏.gpkg"],
        "bad_rules": ["run", "facility_sizing:size_parcels", "--", "INPUT=地块.gpkg", "RULES=坏规则.toml", "OUTPUT=坏2.gpkg"],
        # dates as planners type them (read by the library's parser), and one it must refuse
        **{f"date {day}": ["run", "facility_sizing:size_parcels", "--", "INPUT=地块.gpkg", f"ON={day}", f"OUTPUT={name}.gpkg"]
           for day, name in TYPED_DATES.items()},
    }  # fmt: skip
    no_cli = {**env, "FACILITY_SIZING_CLI": str(folder / "无此命令" / "facility-sizing")}
    first = {
        n: start(binary, c, folder, env)
        for n, c in {**runs, **wrong}.items()
        if "coverage" not in n and "site" not in n
    }
    first["no_cli"] = start(binary, [*wrong["bad_field"][:3], "INPUT=地块.gpkg", "OUTPUT=无.gpkg"], folder, no_cli)
    results = finish(first)
    later = {n: start(binary, c, folder, env) for n, c in runs.items() if "coverage" in n or "site" in n}
    results.update(finish(later))
    yield folder, results


def output_of(results: dict[str, tuple[int, str]], name: str) -> str:
    code, text = results[name]
    assert "Traceback" not in text, text
    assert code == 0, text
    return text


def test_the_page_runs_every_algorithm_and_the_list_shows_them(qgis: Any) -> None:
    _, results = qgis
    algorithms = {
        "facility_sizing:size_parcels",
        "facility_sizing:letters",
        "facility_sizing:coverage",
        "facility_sizing:site",
    }
    assert algorithms <= set(results)
    listed = output_of(results, "list")
    assert all(a in listed for a in algorithms)


def test_size_parcels_gives_the_librarys_figures_with_chinese_first_aliases(qgis: Any) -> None:
    folder, results = qgis
    text = output_of(results, "facility_sizing:size_parcels")
    for line in doc_shown_result():  # the page shows what it prints
        assert line in text
    written = gpd.read_file(folder / "结果.gpkg", layer="结果")
    library = fs.size_parcels(fs.read_parcels(folder / "地块.gpkg"), **SAMPLE_INPUTS)
    assert len(written) == len(library) == 38 and written["error"].isna().all()
    assert written["parcel_id"].tolist() == library["parcel_id"].tolist()  # every row, in its order
    for column in FIGURES + INPUTS_USED + [c for c in library.columns if str(c).endswith("_basis")]:
        expected = library[column].astype(object).where(library[column].notna(), None)
        got = written[column].astype(object).where(written[column].notna(), None)
        assert got.tolist() == expected.tolist(), column
    assert written["floor_area_m2"].sum() == pytest.approx(7995.95)  # the page's total
    with sqlite3.connect(folder / "结果.gpkg") as db:
        [(style,)] = db.execute("SELECT styleqml FROM layer_styles WHERE useasdefault").fetchall()
    aliases = {a.get("field"): a.get("name") for a in ElementTree.fromstring(style).iter("alias")}
    assert aliases["floor_area_m2"] == "托育设施建筑面积 (m²) floor_area_m2"
    assert aliases["households"] == "采用户数 households" and aliases["parcel_id"] == "地块编号 parcel_id"


def test_letters_for_every_parcel(qgis: Any) -> None:
    folder, results = qgis
    text = output_of(results, "facility_sizing:letters")
    assert "WRITTEN:\t38" in text and "SKIPPED:\t0" in text
    names = {p.name for p in (folder / "条件书").iterdir()}
    assert names == {f"{i}.docx" for i in fs.sample_parcels()["parcel_id"]} | {"条件书索引.xlsx"}


def test_coverage_gives_the_librarys_figures(qgis: Any) -> None:
    folder, results = qgis
    text = output_of(results, "facility_sizing:coverage")
    written = gpd.read_file(folder / "覆盖.gpkg")
    homes = fs.read_parcels(folder / "结果.gpkg", layer="结果")
    library = fs.coverage(homes, fs.read_parcels(folder / "机构.gpkg"), 800)
    assert written["covered"].tolist() == library.homes["covered"].tolist()
    assert "parcel_id" in written.columns and "地块编号 parcel_id" not in written.columns  # the fields keep their names
    assert written["distance_m"].tolist() == pytest.approx(library.homes["distance_m"].tolist())
    assert f"HOUSEHOLDS_COVERED:\t{library.summary['households_covered']:g}" in text


def test_site_gives_the_librarys_choice(qgis: Any) -> None:
    folder, results = qgis
    text = output_of(results, "facility_sizing:site")
    written = gpd.read_file(folder / "选址.gpkg")
    library = fs.site(
        fs.read_parcels(folder / "结果.gpkg", layer="结果"),
        fs.read_parcels(folder / "候选.gpkg"),
        fs.read_parcels(folder / "机构.gpkg"),
        distance_m=800, model="mclp", k=2, weight="households", unit="households", jurisdiction="西湖区", on=ON,
    )  # fmt: skip
    assert library.status == "optimal" and "STATUS:\toptimal" in text
    # the layer's own field names are kept (--headers en): a planner's fields are not renamed
    assert written["index"].tolist() == library.chosen.index.tolist()
    assert written["floor_area_m2"].tolist() == pd.Series(library.chosen["floor_area_m2"]).tolist()
    assert "parcel_id" in written.columns and not any(" " in str(c) for c in written.columns)


def test_a_bad_field_is_said_in_the_librarys_words_for_each_row(qgis: Any) -> None:
    folder, results = qgis
    text = output_of(results, "bad_field")  # the batch finishes: each row has its error
    said = "households（户数）须为数字（如 1200户），收到 “三墩单元XH01地块” — households: must be a number"
    assert f"XH-三墩-01：[input] {said}" in text
    assert "38 行中有 38 行出错" in text
    assert gpd.read_file(folder / "坏.gpkg", layer="坏")["error"].notna().all()  # every row kept


def test_a_bad_rule_file_stops_the_algorithm_with_the_librarys_error(qgis: Any) -> None:
    folder, results = qgis
    code, text = results["bad_rules"]
    assert code != 0 and "Traceback" not in text
    assert "坏规则.toml: <file>: 不是有效的 TOML" in text
    assert not (folder / "坏2.gpkg").exists()


def test_a_missing_command_line_is_said_with_how_to_install_it(qgis: Any) -> None:
    _, results = qgis
    code, text = results["no_cli"]
    assert code != 0 and "Traceback" not in text
    assert "环境变量 FACILITY_SIZING_CLI指定的 facility-sizing 不存在或不可执行" in text
    assert 'venv/bin/pip install ".[word]"' in text


def test_parcels_of_one_residential_area_are_sized_together(qgis: Any) -> None:
    """Issue 29 in QGIS: AREA_FIELD pools the parcels of one 居住区 as fs.size_parcels(area=...) does
    (西政办函〔2021〕15号 二(三)1 sets the figure for the 新建居住区, not per parcel)."""
    folder, _ = qgis
    parcels = fs.sample_parcels()
    xihu = parcels[parcels["jurisdiction"] == "西湖区"].head(6).copy()
    xihu["居住区编号"] = ["A", "A", "A", "B", "B", None]
    xihu.to_file(folder / "居住区地块.gpkg")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QGIS_CUSTOM_CONFIG_PATH": str(folder / "profile"),
           "QGIS_PLUGINPATH": str(PLUGINS), "FACILITY_SIZING_CLI": str(CLI), "XDG_RUNTIME_DIR": str(folder / "runtime")}  # fmt: skip
    args = ["run", "facility_sizing:size_parcels", "--", "INPUT=居住区地块.gpkg", "AREA_FIELD=居住区编号",
            f"ON={ON}", "OUTPUT=居住区结果.gpkg"]  # fmt: skip
    code, text = finish({"area": start(qgis_process(), args, folder, env)})["area"]
    assert code == 0 and "Traceback" not in text, text
    written = gpd.read_file(folder / "居住区结果.gpkg", layer="居住区结果")
    library = fs.size_parcels(fs.read_parcels(folder / "居住区地块.gpkg"), area="居住区编号", on=ON)
    for column in ("floor_area_m2", "area_floor_area_m2", "area_host"):
        assert written[column].tolist() == library[column].tolist(), column
    assert written["area_floor_area_m2"].iloc[0] == 489.75  # 3,265 households × 15 m² / 100


def test_a_second_run_into_the_same_file_finishes_and_keeps_the_aliases(qgis: Any) -> None:
    """Writing over the last result is what a planner does most: the earlier run's saved style made
    QGIS 3.22 wait for an answer no one could give (qgis_process hung)."""
    folder, _ = qgis
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QGIS_CUSTOM_CONFIG_PATH": str(folder / "profile"),
           "QGIS_PLUGINPATH": str(PLUGINS), "FACILITY_SIZING_CLI": str(CLI), "XDG_RUNTIME_DIR": str(folder / "runtime")}  # fmt: skip
    args = ["run", "facility_sizing:size_parcels", "--", "INPUT=地块.gpkg", f"ON={ON}", "OUTPUT=再算.gpkg"]
    for _ in range(2):
        run = subprocess.run([qgis_process(), *args], cwd=folder, env=env, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0 and "Traceback" not in run.stdout + run.stderr, run.stdout + run.stderr
    with sqlite3.connect(folder / "再算.gpkg") as db:
        rows = db.execute("SELECT count(*) FROM layer_styles WHERE useasdefault").fetchone()
    assert rows == (1,)


def test_a_date_is_read_as_typed_by_the_librarys_parser(qgis: Any) -> None:
    """2025年6月1日 and 2025/6/1 are 1 June 2025, as ``fs.size_parcels(on=...)`` reads them; QGIS's own date
    parameter refused both before the library could read them."""
    folder, results = qgis
    library = fs.size_parcels(fs.read_parcels(folder / "地块.gpkg"), **{**SAMPLE_INPUTS, "on": "2025-06-01"})
    for day in ("2025年6月1日", "2025/6/1"):
        output_of(results, f"date {day}")
        written = gpd.read_file(folder / f"{TYPED_DATES[day]}.gpkg", layer=TYPED_DATES[day])
        for column in ("floor_area_m2", "slots", "rule_set"):
            expected = library[column].astype(object).where(library[column].notna(), None)
            got = written[column].astype(object).where(written[column].notna(), None)
            assert got.tolist() == expected.tolist(), (day, column)


def test_an_ambiguous_date_is_refused_in_the_librarys_words(qgis: Any) -> None:
    from facility_sizing.model.typed import Unreadable, read_date

    folder, results = qgis
    code, text = results["date 6/1/2025"]
    assert code != 0 and "Traceback" not in text
    with pytest.raises(Unreadable) as refused:
        read_date("6/1/2025")
    for language in ("zh", "en"):  # the library's typed error, as the command line words it
        assert refused.value.problem.text(language, "cli") in text
    assert not (folder / "年份在后.gpkg").exists()


def test_every_output_field_of_every_algorithm_has_its_chinese_first_alias(qgis: Any) -> None:
    """Every field of every layer an algorithm writes is aliased from the one catalogue of headers
    (``model/headers.py``); a field the catalogue does not know fails here, not silently in QGIS."""
    from facility_sizing.model.headers import header

    folder, results = qgis
    layers = {c[1]: a.removeprefix("OUTPUT=") for c in doc_commands() for a in c if a.startswith("OUTPUT=")}
    listed = {a for a in output_of(results, "list").split() if a.startswith("facility_sizing:")}
    assert set(layers) == listed - {"facility_sizing:letters"}  # letters writes documents, no layer
    for algorithm, file in layers.items():
        output_of(results, algorithm)
        with sqlite3.connect(folder / file) as db:
            [(style,)] = db.execute("SELECT styleqml FROM layer_styles WHERE useasdefault").fetchall()
        aliases = {a.get("field"): a.get("name") for a in ElementTree.fromstring(style).iter("alias")}
        fields = [c for c in gpd.read_file(folder / file, layer=Path(file).stem).columns if c != "geometry"]
        assert fields and set(fields) <= set(aliases), algorithm
        for field in fields:  # the GeoPackage's own feature id (fid) is no field of the result
            assert aliases[field] == header(field, "zh") != field, (algorithm, field, aliases[field])
            assert re.match(r"[\u4e00-\u9fff]", aliases[field]), (algorithm, field)
