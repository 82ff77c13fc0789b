"""``facility-sizing clause``: the childcare-facility clause of a land-transfer condition letter."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..api.sizing import size
from ..errors import InputError
from ..ruledata import RuleBook
from .common import EXIT_OK, Subparsers, add_output, add_project, add_subcommand, project_args
from .compare import COMPARE_EXAMPLES, add_compare, comparison_output, wants_compare
from .letters import SUFFIX_FORMATS, add_letter_options, clause_format, letter_fields, write_file

EXAMPLES = (
    """示例 examples:
  facility-sizing clause -j 西湖区 -t 新建 --households 1334 --on 2025-01-01
  facility-sizing clause -j 西湖区 -t 新建 --households 1334 --on 2025-01-01 -o 条件书.docx   # Word 公文格式 a Word letter
  facility-sizing clause -j 西湖区 -t 新建 --households 1334 --on 2025-01-01 -o 条件书.docx --template 本局模板.docx --parcel-id XH-01 --project-name 西溪花园   # 本单位模板 the bureau's template
  facility-sizing clause -j 西湖区 -t 新建 --households 1334 --on 2025-01-01 --lang en --format markdown
  facility-sizing clause -j 西湖区 -t 新建 --households 1334 --on 2025-01-01 --json   # 中英文全部内容 both languages
"""
    + COMPARE_EXAMPLES
)


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = add_subcommand(
        subparsers,
        "clause",
        EXAMPLES,
        help="出让条件书条款 / the clause for a land-transfer condition letter",
        description="生成出让（划拨）条件书的托育设施条款 — write the childcare-facility clause of a land-transfer condition letter",
    )
    add_project(parser)
    parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="语言，默认中文 / language, default Chinese")
    parser.add_argument(
        "--round-area",
        choices=["exact", "up"],
        default="exact",
        help="面积写法：exact 按计算值（默认，至0.01平方米），up 向上取整到整平方米并注明计算值 / areas as computed "
        "(default, to 0.01 m²) or rounded up to whole m² with the computed figure beside",
    )
    parser.add_argument(
        "--format",
        choices=["text", "markdown", "json", "docx"],
        help="格式：默认按 -o 的后缀，否则纯文本；docx 为 Word 公文（须 -o）；--json 同 --format json / format: "
        "by default from the suffix of -o, else plain text; docx is a Word letter (needs -o); --json is --format json",
    )
    add_output(
        parser,
        f"写入文件，格式按后缀（{'、'.join(SUFFIX_FORMATS)}）/ write to a file, its format from the suffix "
        f"({', '.join(SUFFIX_FORMATS)})",
    )
    add_compare(parser)
    add_letter_options(parser, batch=False)
    return parser


def run(args: argparse.Namespace, book: RuleBook | None) -> int:
    fmt = clause_format(args.output, args.format, args.json)
    if fmt == "docx" and args.output is None:
        raise InputError("cli.docx_needs_output", field="output", value=None)
    if wants_compare(args) and fmt == "docx":
        raise InputError("cli.compare_no_docx", field="format", value=fmt)
    letter = letter_fields(args)
    if fmt != "docx" and (args.template or letter):
        raise InputError("letters.needs_docx", field="template" if args.template else "letter", fmt=fmt)
    req = size(**project_args(args), rulebook=book)
    if wants_compare(args):
        out: str | bytes = comparison_output(args, book, req, fmt)
    elif fmt == "docx":
        out = req.clause(args.lang, "docx", round_area=args.round_area, template=args.template, letter=letter)
    else:
        out = req.clause(args.lang, fmt, round_area=args.round_area)
    if args.output is None:
        print(out, end="")
        return EXIT_OK
    data = out if isinstance(out, bytes) else out.encode("utf-8")
    print(f"已写入 Written: {write_file(Path(args.output), data)}")
    return EXIT_OK
