"""Running the project's command line, ``facility-sizing``, from inside QGIS.

QGIS's own Python (Debian's 3.22: numpy 1.24, pandas 1.5, shapely 1.8) is older than the library
needs, so the plugin never imports ``facility_sizing``: it runs the command line of the library's
own environment as a subprocess and exchanges GeoPackage files with it. This module finds that
command, runs it with a clean environment, relays its warnings, errors and letter counts to the
Processing feedback, and ends it when the user cancels.

No QGIS import here: the module is plain Python, so its logic can be read and tried without QGIS.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import words

#: The environment variable (and the Processing setting of the same name) that names the command.
CLI_ENV = "FACILITY_SIZING_CLI"

#: The command's name on PATH.
CLI_NAME = "facility-sizing"

#: Exit codes of the command line (facility_sizing/cli/common.py): 0 done, 5 done with rows in error.
EXIT_OK, EXIT_ROW_ERRORS = 0, 5

#: Variables of QGIS's own Python and GIS stack that must not reach the library's environment: its
#: wheels carry their own GDAL and PROJ data, and QGIS's PYTHONPATH would put Debian's numpy first.
_QGIS_ONLY = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "GDAL_DATA", "GDAL_DRIVER_PATH", "PROJ_LIB", "PROJ_DATA")

#: A line of the command's progress on stderr: 「已生成条件书 letters 200/1,000」.
_COUNT = re.compile(r"已生成条件书 letters ([\d,]+)/([\d,]+)")
_PREFIXES = ("facility-sizing: error: ", "facility-sizing: warning: ")


class CliError(Exception):
    """The command could not be run or ended with an error; ``str()`` is its message, Chinese first."""


def _candidates(setting: str | None) -> list[tuple[str, str]]:
    """Where the command may be, each with where that came from, in the order they are tried."""
    exe = ".exe" if sys.platform == "win32" else ""
    found: list[tuple[str, str]] = []
    if setting:
        found.append((setting, words.FROM_SETTING))
    if os.environ.get(CLI_ENV):
        found.append((os.environ[CLI_ENV], words.FROM_ENV))
    on_path = shutil.which(CLI_NAME)
    if on_path:
        found.append((on_path, "PATH"))
    # a checkout: the plugin folder is <repo>/qgis/facility_sizing_provider, its venv <repo>/venv or .venv
    repo = Path(__file__).resolve().parents[2]
    bin_dir = "Scripts" if sys.platform == "win32" else "bin"
    for venv in ("venv", ".venv"):
        found.append((str(repo / venv / bin_dir / f"{CLI_NAME}{exe}"), words.FROM_CHECKOUT))
    found.append((str(Path.home() / ".local" / "bin" / f"{CLI_NAME}{exe}"), "pipx"))
    return found


def find_cli(setting: str | None = None) -> str:
    """The path of ``facility-sizing``: the provider's setting, then ``FACILITY_SIZING_CLI``, PATH,
    a checkout's venv, pipx's folder.

    Raises
    ------
    CliError
        Named but not there (the setting or the variable), or found nowhere: the message says how to install it.
    """
    for path, source in _candidates(setting):
        if Path(path).is_file() and os.access(path, os.X_OK):
            return path
        if source in (words.FROM_SETTING, words.FROM_ENV):  # named by the user: say so, do not look further
            raise CliError(words.named_but_missing(source, path, CLI_ENV))
    raise CliError(words.not_installed(CLI_ENV))


def clean_environment() -> dict[str, str]:
    """The environment for the library's process: QGIS's Python and GIS variables out, UTF-8 in."""
    env = {k: v for k, v in os.environ.items() if k not in _QGIS_ONLY}
    env["PYTHONUTF8"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@dataclass
class Outcome:
    """What the command did: its exit code, what it printed (stdout, as JSON where asked), and its errors."""

    code: int
    stdout: str
    errors: list[str]

    def json(self) -> Any:
        """The command's ``--json`` answer."""
        try:
            return json.loads(self.stdout)
        except ValueError:
            raise CliError(words.unreadable_answer(self.stdout[:300])) from None


def _reader(stream: Any, lines: queue.Queue[tuple[str, str | None]], name: str) -> None:
    for raw in iter(stream.readline, b""):
        lines.put((name, raw.decode("utf-8", errors="replace").rstrip("\r\n")))
    stream.close()
    lines.put((name, None))


def run(cli: str, argv: list[str], feedback: Any, span: tuple[float, float] = (10.0, 90.0)) -> Outcome:
    """Run ``cli argv``: its warnings and errors to the log as they come, letter counts as progress.

    ``feedback`` is the algorithm's :class:`QgsProcessingFeedback` (anything with ``isCanceled``,
    ``setProgress``, ``pushWarning``, ``reportError``, ``pushCommandInfo``, ``pushConsoleInfo``).
    Canceling ends the process (terminate, then kill) and raises :class:`CliError`.
    """
    feedback.pushCommandInfo(" ".join(_quoted([cli, *argv])))
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console window flashing up on Windows
    try:
        proc = subprocess.Popen(
            [cli, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_environment(), creationflags=flags
        )
    except OSError as exc:
        raise CliError(words.cannot_start(cli, str(exc))) from None
    lines: queue.Queue[tuple[str, str | None]] = queue.Queue()
    for stream, name in ((proc.stdout, "out"), (proc.stderr, "err")):
        threading.Thread(target=_reader, args=(stream, lines, name), daemon=True).start()
    out: list[str] = []
    errors: list[str] = []
    open_streams = 2
    while open_streams:
        if feedback.isCanceled():
            _stop(proc)
            raise CliError(words.CANCELED)
        try:
            name, line = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        if line is None:
            open_streams -= 1
        elif name == "out":
            out.append(line)
        else:
            _relay(line, feedback, errors, span)
    return Outcome(proc.wait(), "\n".join(out), errors)


def _relay(line: str, feedback: Any, errors: list[str], span: tuple[float, float]) -> None:
    """One line of the command's stderr: an error, a warning, a count of letters, or other console text."""
    count = _COUNT.search(line)
    if count:
        done, total = (int(g.replace(",", "")) for g in count.groups())
        feedback.setProgress(span[0] + (span[1] - span[0]) * done / max(total, 1))
        feedback.pushInfo(line)
    elif line.startswith(_PREFIXES[0]):
        errors.append(line.removeprefix(_PREFIXES[0]))
    elif line.startswith(_PREFIXES[1]):
        feedback.pushWarning(line.removeprefix(_PREFIXES[1]))
    elif line.strip():
        feedback.pushConsoleInfo(line)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End a canceled run: ask it to stop, then make it."""
    proc.terminate()
    deadline = time.monotonic() + 5
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _quoted(argv: list[str]) -> list[str]:
    return [f'"{a}"' if (" " in a or not a) else a for a in argv]


def failed(outcome: Outcome, feedback: Any, allowed: tuple[int, ...] = (EXIT_OK, EXIT_ROW_ERRORS)) -> None:
    """An exit code the algorithm does not accept: each error line to the log, then :class:`CliError`."""
    if outcome.code in allowed:
        return
    for line in outcome.errors[:-1]:  # the last is the algorithm's error itself, which QGIS logs
        feedback.reportError(line, True)
    raise CliError(outcome.errors[-1] if outcome.errors else words.exited(outcome.code))
