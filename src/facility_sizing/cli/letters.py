"""Letters written to files: one clause (``clause -o letter.docx``), or one Word letter per parcel
(``batch --letters DIR``).

Every file goes through :func:`facility_sizing.io.write.atomic_file`: a temporary file in the
same folder, renamed over the target only when complete, so a failed write leaves an existing
letter as it was.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import FacilitySizingError, InputError
from ..io.letter_rows import ADDRESS_COLUMNS, PROJECT_NAME_COLUMNS, letter_names, row_requirement, same_figures
from ..io.write import atomic_file
from ..render.letter import open_template
from ..results.requirement import Requirement
from ..ruledata import RuleBook
from .letters_index import INDEX_FILE, IndexRow, write_index
from .terms import said_here

__all__ = [
    "ADDRESS_COLUMNS",
    "PROJECT_NAME_COLUMNS",
    "SKIPPED_FILE",
    "SUFFIX_FORMATS",
    "LetterParts",
    "LetterReport",
    "add_letter_options",
    "clause_format",
    "letter_fields",
    "letter_names",
    "print_letters",
    "row_requirement",
    "write_file",
    "write_letters",
]

#: The clause's formats by the suffix of the output file.
SUFFIX_FORMATS = {".docx": "docx", ".md": "markdown", ".markdown": "markdown", ".txt": "text", ".json": "json"}

#: The list of parcels that got no letter, and why, in the letters' folder.
SKIPPED_FILE = "未生成.txt"


def clause_format(output: str | None, fmt: str | None, as_json: bool) -> str:
    """The clause's format: ``--json`` or ``--format`` if given, else the output file's suffix, else text.

    Raises
    ------
    InputError
        A suffix the clause has no format for (and no ``--format``), or one that contradicts
        ``--format``/``--json``.
    """
    given = "json" if as_json else fmt
    if output is None:
        return given or "text"
    suffix = Path(output).suffix.lower()
    inferred = SUFFIX_FORMATS.get(suffix)
    if inferred is None and given is None:
        key = "cli.unknown_suffix" if suffix else "cli.no_suffix"
        raise InputError(key, field="output", value=output, suffix=suffix, known=list(SUFFIX_FORMATS))
    if inferred is not None and given is not None and inferred != given:
        drop = "--json" if as_json else "--format"
        raise InputError(
            "cli.suffix_contradicts",
            field="output",
            value=output,
            inferred=inferred,
            given="--json" if as_json else f"--format {given}",
            drop=drop,
        )
    return given or inferred or "text"


def write_file(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (a temporary file beside it, then a rename).

    Raises
    ------
    InputError
        The folder does not exist, or ``path`` is a folder.
    """
    if not path.parent.is_dir():
        raise InputError("cli.no_output_folder", field="output", value=str(path), folder=str(path.parent))
    if path.is_dir():
        raise InputError("cli.output_is_folder", field="output", value=str(path))
    with atomic_file(path) as tmp:
        tmp.write_bytes(data)
    return path


@dataclass
class LetterReport:
    """What ``batch --letters`` did: the letters written (file names), and the rows that got none
    (their ids, with why)."""

    folder: Path
    written: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    index: list[IndexRow] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form."""
        return {
            "folder": str(self.folder),
            "written": self.written,
            "skipped": [{"id": key, "error": error} for key, error in self.skipped],
            "index": INDEX_FILE,
        }


def _letter(
    row: pd.Series, kwargs: dict[str, Any], book: RuleBook | None, parts: LetterParts, errors: dict[str, Any]
) -> tuple[bytes, Requirement] | str:
    """One row's Word letter and its requirement, or why it has none (the row's error, or figures that differ)."""
    if isinstance(row.get("error"), str):
        exc = errors.get(row["error"])
        if exc is None:
            return " ".join(str(row["error"]).split())
        return f"[{getattr(exc, 'code', 'error')}] {said_here(exc)}"
    try:
        req = row_requirement(row, kwargs, book)
    except FacilitySizingError as exc:  # cannot happen for a row the batch sized; said, not raised
        return f"[{exc.code}] {said_here(exc)}"
    if not same_figures(row, req):
        return "条件书的数值与批量结果不一致，未生成 — the letter's figures differ from the batch result; none written"
    letter = req.clause(parts.lang, fmt="docx", template=parts.template, letter=parts.row_fields(row))
    return letter, req


def write_letters(
    result: pd.DataFrame,
    names: list[tuple[str, str]],
    folder: Path,
    kwargs: dict[str, Any],
    book: RuleBook | None,
    parts: LetterParts,
    *,
    quiet: bool = False,
) -> LetterReport:
    """One Word letter per sized row, ``folder/<id>.docx``, each naming its parcel; the rows with
    errors listed in 未生成.txt; every row, with its letter's figures and stamp, in 条件书索引.xlsx.

    A row whose sizing failed gets no letter. The list of those rows, with their errors, is written
    to ``folder/未生成.txt``; with none, an old list is replaced by one saying so (a list from an
    earlier run is never left standing). The index is written last, so that it lists what is there.
    """
    if not folder.parent.is_dir():
        raise InputError("cli.no_letters_parent", field="letters", value=str(folder), folder=str(folder.parent))
    folder.mkdir(exist_ok=True)
    report = LetterReport(folder)
    total = len(result)
    for n, ((key, name), (_, row)) in enumerate(zip(names, result.iterrows(), strict=True), start=1):
        letter = _letter(row, kwargs, book, parts, result.attrs.get("errors", {}))
        fields = parts.row_fields(row)
        if isinstance(letter, tuple):
            data, req = letter
            write_file(folder / f"{name}.docx", data)
            report.written.append(f"{name}.docx")
            report.index.append(IndexRow.written(key, fields, f"{name}.docx", data, req))
        else:
            report.skipped.append((key, letter))
            old = folder / f"{name}.docx"
            if old.exists():  # never deleted, but never mistaken for this run's
                report.skipped[-1] = (
                    key,
                    letter
                    + f"（{old.name} 是以前生成的，不对应本次结果 — {old.name} is from an earlier run, not this one）",
                )
            report.index.append(IndexRow.skipped(key, fields, report.skipped[-1][1]))
        if not quiet and total > 200 and (n % 200 == 0 or n == total):
            print(f"已生成条件书 letters {n:,}/{total:,}", file=sys.stderr, flush=True)
    _write_skipped(report)
    write_index(folder / INDEX_FILE, report.index)
    return report


def _write_skipped(report: LetterReport) -> None:
    path = report.folder / SKIPPED_FILE
    if not report.skipped:
        if path.exists():
            text = f"全部 {len(report.written)} 个地块均已生成条件书 — every parcel ({len(report.written)}) has its letter.\n"
            write_file(path, text.encode("utf-8"))
        return
    lines = ["以下地块未生成条件书（计算出错）— no letter for these parcels (their sizing failed):", ""]
    lines += [f"{key}\t{error}" for key, error in report.skipped]
    write_file(path, ("\n".join(lines) + "\n").encode("utf-8"))


def print_letters(report: LetterReport) -> None:
    """The letters written, and each parcel without one with its error."""
    print(f"已生成条件书 Letters: {len(report.written):,} 份 written to {report.folder}（索引 index: {INDEX_FILE}）")
    if report.skipped:
        print(f"未生成 No letter: {len(report.skipped):,}（见 see {report.folder / SKIPPED_FILE}）")
        for key, error in report.skipped:
            print(f"  {key}: {error}")


# ---------------------------------------------------------------------------------------
# The letter's own parts: its template, and the fields the bureau or the row gives

#: The letter's flags and the field each fills (data/templates/fields.toml).
LETTER_FLAGS = {
    "doc_number": ("number", "文号", "the letter's document number"),
    "addressee": ("addressee", "主送机关", "to whom it is sent"),
    "issuer": ("issuer", "发文机关，也作落款", "the issuing authority, also its signature"),
    "letter_date": ("date", "成文日期，如 2025-06-01", "the date it is signed, e.g. 2025-06-01"),
    "parcel_id": ("parcel_id", "地块编号", "the parcel's id"),
    "project_name": ("project_name", "项目名称", "the project's name"),
    "address": ("address", "地块坐落", "the parcel's address"),
}


def add_letter_options(parser: argparse.ArgumentParser, *, batch: bool) -> None:
    """``--template`` and the letter's fields; in a batch each field may name a column of the file
    (the parcel's id is ``--id``'s)."""
    group = parser.add_argument_group(
        "Word 条件书 letter", "不给出的字段留空（＿＿＿＿）待填写 — a field not given is a blank"
    )
    group.add_argument(
        "--template",
        metavar="FILE",
        help="本单位的条件书模板（.docx、.dotx，含 {{文号}}、{{主送}}、{{条款}} 等占位符），默认内置模板 / the bureau's "
        "letter template (.docx, .dotx) with placeholders, default the built-in one",
    )
    for name, (_, zh, en) in LETTER_FLAGS.items():
        if batch and name == "parcel_id":
            continue
        where = "：列名或每行共用的值 / a column or one value for every row" if batch else ""
        group.add_argument(f"--{name.replace('_', '-')}", help=f"{zh}{where} / {en}")


def letter_fields(args: argparse.Namespace) -> dict[str, object]:
    """The letter's fields of ``facility-sizing clause``: each flag given, by its field."""
    return {key: getattr(args, name) for name, (key, _, _) in LETTER_FLAGS.items() if getattr(args, name, None)}


@dataclass
class LetterParts:
    """What a batch's letters share: their language, the template's bytes, and each field's flag
    (a column of the file, or one value for every row), with the id column as the parcel's id."""

    lang: str = "zh"
    template: bytes | None = None
    given: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args: argparse.Namespace, frame: pd.DataFrame, id_column: str | None) -> LetterParts:
        """The parts of ``batch --letters``: the template read (and checked) once, before any letter is written."""
        template = None
        if args.template:
            open_template(args.template)  # an unreadable template fails before any letter is written
            template = Path(args.template).read_bytes()
        given, columns = {}, {}
        for name, (key, _, _) in LETTER_FLAGS.items():
            value = getattr(args, name, None)
            if value is not None and value in frame.columns:
                columns[key] = value
            elif value is not None:
                given[key] = value
        defaults = (("project_name", PROJECT_NAME_COLUMNS), ("address", ADDRESS_COLUMNS))
        for key, names in defaults:
            found = [c for c in names if c in frame.columns and c != id_column]
            if key not in given and key not in columns and found:
                columns[key] = found[0]
        if id_column is not None:
            columns["parcel_id"] = id_column
        return cls(args.lang, template, given, columns)

    def row_fields(self, row: pd.Series) -> dict[str, object]:
        """One row's fields: the shared values, then the row's own cells."""
        fields: dict[str, object] = dict(self.given)
        for key, column in self.columns.items():
            value = row.get(column)
            if value is not None and not (isinstance(value, float) and value != value):
                fields[key] = value
        return fields
