"""``batch --area COLUMN --letters DIR``: the letters of a residential area's parcels, one text file each.

Sized by area, a parcel's letter is its area's: the host's states the facility for the whole area, a
contributor's its share provided in the host parcel (:mod:`facility_sizing.render.areas`). A per-parcel
Word letter would state each parcel's figure as if it stood alone — the over-charge the areas exist to
avoid — so with ``--area`` the letters are these, as UTF-8 text, named by each parcel's id.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import FacilitySizingError, InputError
from ..render.areas import area_letters
from ..ruledata import RuleBook
from .letters import SKIPPED_FILE, LetterReport, write_file
from .terms import said_here

__all__ = ["print_area_letters", "write_area_letters"]


def write_area_letters(
    result: pd.DataFrame, names: list[tuple[str, str]], folder: Path, lang: str, book: RuleBook | None
) -> LetterReport:
    """One letter per parcel sized without error, ``folder/<name>.txt``; the others listed in 未生成.txt.

    Raises
    ------
    InputError
        The folder's parent does not exist.
    """
    if not folder.parent.is_dir():
        raise InputError("cli.no_letters_parent", field="letters", value=str(folder), folder=str(folder.parent))
    folder.mkdir(exist_ok=True)
    report = LetterReport(folder)
    for (key, name), (_, text) in zip(names, area_letters(result, lang, book), strict=True):
        if isinstance(text, FacilitySizingError):
            report.skipped.append((key, said_here(text)))  # its flags, as the command line names them
            continue
        write_file(folder / f"{name}.txt", text.encode("utf-8"))
        report.written.append(f"{name}.txt")
    skipped = "\n".join(f"{key}: {error}" for key, error in report.skipped) or "（无 none）"
    write_file(folder / SKIPPED_FILE, (skipped + "\n").encode("utf-8"))
    return report


def print_area_letters(report: LetterReport) -> None:
    """The letters written, and each parcel without one with its error."""
    print(f"已生成居住区条件书 Area letters: {len(report.written):,} 份 written to {report.folder}")
    if report.skipped:
        print(f"未生成 No letter: {len(report.skipped):,}（见 see {report.folder / SKIPPED_FILE}）")
        for key, error in report.skipped:
            print(f"  {key}: {error}")
