"""A write that fails says what happened and the fix for that case: disk full, read-only, no permission, a folder, locked.

The operating system's refusals are simulated (a root user, as CI runs, may write to a read-only
folder): ``tempfile.mkstemp`` or a file's ``write`` raises the error the system would.
"""

from __future__ import annotations

import errno
import gc
import io
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import facility_sizing as fs
from facility_sizing.io import write as writing


@pytest.fixture(scope="module")
def result() -> pd.DataFrame:
    return fs.size_frame(
        pd.DataFrame({"households": [1200]}), jurisdiction="西湖区", area_type="new_build", on="2025-01-01"
    )


def _refusing(number: int) -> Any:
    def mkstemp(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(number, os.strerror(number))

    return mkstemp


@pytest.mark.parametrize(
    ("number", "zh", "en"),
    [
        (errno.EACCES, "没有写入权限", "write to a folder you may write to"),
        (errno.EROFS, "只读", "write to a folder you can write to"),
        (errno.ENOSPC, "磁盘空间不足", "free some space, or write to another disk"),
    ],
)
@pytest.mark.parametrize("suffix", [".csv", ".gpkg", ".xlsx"])
def test_a_refused_write_says_why_and_what_to_do(
    result: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int, zh: str, en: str, suffix: str
) -> None:
    path = tmp_path / f"out{suffix}"
    path.write_bytes(b"old")
    monkeypatch.setattr(writing.tempfile, "mkstemp", _refusing(number))
    with pytest.raises(fs.FileFormatError) as info:
        fs.write_result(result, path)
    text = str(info.value)
    assert zh in text and en in text and "check the columns' types" not in text
    assert path.read_bytes() == b"old"  # the old file as it was


def test_a_workbook_on_a_full_disk_is_one_error_and_nothing_after_it(
    result: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """xlsxwriter's zip is left open on the failure; its __del__ wrote again and printed a 9-line traceback."""
    real_open = io.open

    class Full:
        def __init__(self, file: Any) -> None:
            self._file = file

        def write(self, _data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name: str) -> Any:
            return getattr(self._file, name)

    def full_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        opened = real_open(file, mode, *args, **kwargs)
        return Full(opened) if "w" in mode and str(file).endswith(".xlsx") else opened

    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    monkeypatch.setattr(zipfile.io, "open", full_open)
    with pytest.raises(fs.FileFormatError, match="磁盘空间不足") as info:
        fs.write_result(result, tmp_path / "out.xlsx")
    monkeypatch.setattr(zipfile.io, "open", real_open)
    del info
    gc.collect()
    assert unraisable == []  # no "Exception ignored in: ZipFile.__del__"
    assert not list(tmp_path.iterdir())  # nor a temporary file left behind


def test_a_folder_for_the_file_and_a_locked_file_are_named_as_such(
    result: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(fs.FileFormatError, match="这是文件夹，不是文件"):
        fs.write_result(result, tmp_path)
    target = tmp_path / "out.gpkg"
    monkeypatch.setattr(writing, "LOCK_TIMEOUT_S", 0.2)
    from filelock import FileLock

    with FileLock(writing._lock_path(target)), pytest.raises(fs.FileFormatError, match="另一个程序正在写这个文件"):
        fs.write_result(result, target)
    assert not target.exists()
