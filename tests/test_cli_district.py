"""The district subcommands: scorecard, duties, coverage — output, JSON and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from facility_sizing.cli import main

X0, Y0 = 500_000.0, 3_350_000.0


def test_scorecard_from_json_toml_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inv = {"population": 1_000_000, "slots": 4_559}
    (tmp_path / "inv.json").write_text(json.dumps(inv), encoding="utf-8")
    (tmp_path / "inv.toml").write_text("population = 1000000\nslots = 4559\n", encoding="utf-8")
    (tmp_path / "inv.csv").write_text("population,slots\n1000000,4559\n", encoding="utf-8")
    for name in ("inv.json", "inv.toml", "inv.csv"):
        assert main(["scorecard", str(tmp_path / name), "-j", "柯桥区", "--year", "2024", "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        row = next(r for r in out["rows"] if r["indicator"] == "slots_per_1000_population")
        # 绍柯政办发〔2024〕13号 附件1 第1项: 4.56 per 1,000 in 2024 — 4,559 is one slot short
        assert (row["target"], row["met"], row["shortfall"]) == (4.56, False, 1)
        assert out["meta"]["year"] == 2024
    assert main(["scorecard", str(tmp_path / "inv.json"), "-j", "柯桥区", "--year", "2024"]) == 0
    text = capsys.readouterr().out
    assert "每千人口托位数" in text and "未达标 not met" in text and "附件1 第1项" in text


def test_scorecard_errors_are_one_line_with_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.json").write_text('{"slot": 3}', encoding="utf-8")
    assert main(["scorecard", str(tmp_path / "bad.json"), "-j", "柯桥区", "--year", "2024"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "slot" in err[0] and "did you mean slots" in err[0]
    (tmp_path / "ok.json").write_text("{}", encoding="utf-8")
    assert main(["scorecard", str(tmp_path / "ok.json"), "-j", "余姚市", "--year", "2022"]) == 3
    assert main(["scorecard", str(tmp_path / "ok.json"), "-j", "滨江区", "--year", "2025"]) == 3  # draft only
    (tmp_path / "two.csv").write_text("slots\n1\n2\n", encoding="utf-8")
    assert main(["scorecard", str(tmp_path / "two.csv"), "-j", "柯桥区", "--year", "2024"]) == 2


def test_duties(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["duties", "-j", "苏州市", "--subject", "employer", "--eligible-children", "18", "--on", "2025-01-01"]
    assert main([*argv, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows[0]["duty_id"] == "suzhou.duty.employer" and rows[0]["applies"] is True
    argv = ["duties", "-j", "柯桥区", "--subject", "kindergarten", "--project", "new", "--first-year-classes", "5"]
    assert main([*argv, "--on", "2025-01-01"]) == 0
    out = capsys.readouterr().out
    assert "keqiao.duty.kindergarten.new" in out and "二(二)2" in out
    assert main(["duties", "-j", "柯桥区", "--subject", "school", "--on", "2025-01-01"]) == 2


def test_coverage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    homes = gpd.GeoDataFrame(
        {"households": [100, 200], "community": ["A", "B"]},
        geometry=[shapely.Point(X0, Y0), shapely.Point(X0 + 2000, Y0)],
        crs=4549,
    )
    facs = gpd.GeoDataFrame({"slots": [30]}, geometry=[shapely.Point(X0 + 500, Y0)], crs=4549)
    homes.to_file(tmp_path / "homes.gpkg")
    facs.to_file(tmp_path / "facs.gpkg")
    out_path = tmp_path / "out.gpkg"
    argv = ["coverage", str(tmp_path / "homes.gpkg"), str(tmp_path / "facs.gpkg"), "--distance", "800"]
    assert main([*argv, "--area", "community", "--json", "-o", str(out_path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["summary"]["households_covered"] == 100 and out["summary"]["households_uncovered"] == 200
    assert [a["area"] for a in out["areas"]] == ["A", "B"]
    written = gpd.read_file(out_path)  # headed Chinese first (model/headers.py), as every result file is
    assert written["在服务半径内 covered"].tolist() == [True, False]
    assert written["至最近机构距离 (m) distance_m"].tolist() == [500.0, 1500.0]
    assert main(argv) == 0
    assert "覆盖户数 covered households 100 / 300" in capsys.readouterr().out
    assert main(["coverage", str(tmp_path / "homes.gpkg"), str(tmp_path / "facs.gpkg")]) == 2  # no distance
    assert main([*argv[:3], "--circle", "15min"]) == 2  # unverified without the opt-in
