"""The hostile corpus (tests/hostile/) through every door: the library, the command line and the service.

Each file (and a zip bomb made here, not committed) meets each door. What may come back: one
typed error (the library's exception; the command line's one ``error:`` line and a non-zero exit;
the service's error shape with a 4xx) or every row, in order, bad ones with their own error. What
may not: a traceback, a 5xx, a row dropped. The test counts tried / failed / lost and prints them
(``pytest tests/test_hostile.py -s``); it fails on any failure or loss.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

import facility_sizing as fs
from test_service import running_server

HOSTILE = Path(__file__).resolve().parent / "hostile"
ON = "2025-01-01"
HOST = "127.0.0.1"

#: Each file and the rows it holds (None: the file as a whole is refused).
FILES: dict[str, int | None] = {
    "formula_starts.csv": 6,  # =, -, @, +, tab starts: sized, and written escaped
    "duplicate_header.csv": None,  # jurisdiction twice
    "huge_numbers.csv": 4,  # 1e400, 23 nines, -0: row errors beside a good row
    "gbk.csv": 2,  # GBK without a word about it: read as GBK
    "invalid_utf8.csv": None,  # neither UTF-8 nor GBK nor GB18030
    "far_away_parcels.geojson": 3,  # across the antimeridian, at 0°, 0°, and one in Xihu
    "bomb.xlsx": None,  # made below: 200 MB of sheet XML in a few hundred kB
}
#: Bodies sent to the JSON endpoints.
BODIES = ("invalid_utf8_body.json", "huge_number_body.json")


@dataclass
class Tally:
    tried: int = 0
    failed: int = 0
    lost: int = 0

    def row_answer(self, expected: int | None, rows: int) -> None:
        self.tried += 1
        if expected is None:
            self.failed += 1  # a file that should have been refused was sized
        else:
            self.lost += max(expected - rows, 0)
            self.failed += rows != expected

    def refused(self, expected: int | None, clean: bool) -> None:
        self.tried += 1
        self.failed += expected is not None or not clean  # a good file refused, or a refusal with a trace


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed files, and the zip bomb made now."""
    folder = tmp_path_factory.mktemp("hostile")
    for name in FILES:
        if (HOSTILE / name).exists():
            (folder / name).write_bytes((HOSTILE / name).read_bytes())
    with zipfile.ZipFile(folder / "bomb.xlsx", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (1 << 20)
            for _ in range(200):
                sheet.write(block)
    assert (folder / "bomb.xlsx").stat().st_size < 2 << 20
    return folder


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server() as url:
        yield url


def _library(path: Path) -> pd.DataFrame:
    if path.suffix == ".geojson":
        return fs.size_parcels(fs.read_parcels(path), on=ON)
    return fs.size_frame(fs.read_table(path), on=ON)


def test_the_library_answers_each_file_with_one_typed_error_or_every_row(corpus: Path) -> None:
    tally = Tally()
    for name, rows in FILES.items():
        try:
            out = _library(corpus / name)
        except fs.FacilitySizingError as exc:
            tally.refused(rows, "Traceback" not in str(exc))
            continue
        tally.row_answer(rows, len(out))
    print(f"\nlibrary: tried {tally.tried}, failed {tally.failed}, lost {tally.lost}")
    assert (tally.failed, tally.lost) == (0, 0)


def test_the_command_line_answers_each_file_with_one_error_line_or_every_row(corpus: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-c", "import sys; from facility_sizing.cli import main; sys.exit(main())"]
    runs = {}
    for name in FILES:  # all at once: each run is mostly the interpreter starting
        out = tmp_path / f"{Path(name).stem}_result{'.geojson' if name.endswith('.geojson') else '.csv'}"
        proc = subprocess.Popen([*command, "batch", str(corpus / name), "-o", str(out), "--on", ON],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        runs[name] = (proc, out)
    tally = Tally()
    for name, (proc, out) in runs.items():
        stdout, stderr = proc.communicate(timeout=120)
        clean = "Traceback" not in stdout + stderr and "Exception ignored" not in stderr
        if not out.exists():  # refused (exit 2); a batch with row errors exits 5 and writes every row
            errors = [line for line in stderr.splitlines() if line.startswith("facility-sizing: error:")]
            tally.refused(FILES[name], clean and len(errors) == 1 and proc.returncode == 2)
        else:
            written = fs.read_parcels(out) if out.suffix == ".geojson" else pd.read_csv(out, encoding="utf-8-sig")
            tally.row_answer(FILES[name] if clean and proc.returncode in (0, 5) else None, len(written))
    print(f"\ncommand line: tried {tally.tried}, failed {tally.failed}, lost {tally.lost}")
    assert (tally.failed, tally.lost) == (0, 0)
    # the formula starts were written escaped: a spreadsheet shows them as text, never runs them
    written = (tmp_path / "formula_starts_result.csv").read_text(encoding="utf-8-sig")
    for cell in ("'=1+1", "'-1+cmd|", "'@SUM(A1)", "'+1"):
        assert cell in written, cell
    assert ",-12.5" in written  # a negative number is a number, not a formula


def test_the_service_answers_each_file_and_body_with_one_error_or_every_row(corpus: Path, server: str) -> None:
    import httpx

    tally = Tally()
    with httpx.Client(base_url=server, timeout=60, trust_env=False) as client:
        for name, rows in FILES.items():
            data = (corpus / name).read_bytes()
            answer = client.post("/batch", params={"format": "json"}, files={"file": (name, data)}, data={"on": ON})
            assert answer.status_code < 500, (name, answer.text)
            if answer.status_code == 200:
                tally.row_answer(rows, len(answer.json()["rows"]))
            else:
                tally.refused(rows, set(answer.json()) == {"error"} and "Traceback" not in answer.text)
        for body in BODIES:
            for path in ("/size", "/clause", "/review", "/duties", "/scorecard"):
                answer = client.post(path, content=(HOSTILE / body).read_bytes(),
                                     headers={"content-type": "application/json"})  # fmt: skip
                tally.refused(None, answer.status_code == 422 and set(answer.json()) == {"error"})
    print(f"\nservice: tried {tally.tried}, failed {tally.failed}, lost {tally.lost}")
    assert (tally.failed, tally.lost) == (0, 0)


def test_parcels_no_rule_can_be_about_are_row_errors_naming_them(corpus: Path) -> None:
    """Across the antimeridian (179.9°E–179.9°W) and at 0°, 0°: row errors; the Xihu parcel sized."""
    out = fs.size_parcels(fs.read_parcels(corpus / "far_away_parcels.geojson"), on=ON)
    by_id = dict(zip(out["id"], out["error"], strict=True))
    assert by_id["antimeridian"] is not None and by_id["zero"] is not None and by_id["xihu"] is None
    assert "0.0000, 0.0000" in by_id["zero"]
    # 西政办函〔2021〕15号 二(三)1: 1,200 households → 200 m²
    assert out.loc[out["id"] == "xihu", "floor_area_m2"].item() == 200.0


def test_a_body_of_huge_numbers_is_a_typed_error_in_the_library_too() -> None:
    body = json.loads((HOSTILE / "huge_number_body.json").read_text(encoding="utf-8"))
    assert body["households"] == float("inf")
    with pytest.raises(fs.InputError) as info:
        fs.size(**body)
    assert info.value.field == "households"
