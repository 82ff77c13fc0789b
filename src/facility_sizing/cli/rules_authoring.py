"""``facility-sizing rules check | init | test``: a bureau encodes its own city's rules, checks them, tests them.

``check FILE --source COPY`` reads the rule file against the bureau's own copy of the document
(:func:`facility_sizing.check_rules`) and exits 4 where anything disagrees; ``init`` writes a
commented rule file to fill in (:mod:`facility_sizing.ruledata.skeleton`); ``test CASES`` runs the
bureau's own expected cases (:func:`facility_sizing.io.cases.run_cases`) and exits 5 where one fails.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..errors import InputError
from ..io.cases import CaseReport, run_cases
from ..io.rulecheck import check_rules
from ..io.write import atomic_file
from ..messages import Message
from ..model.typed import Unreadable, read_date
from ..ruledata import RuleBook
from ..ruledata.check import RuleCheck
from ..ruledata.skeleton import Header, cases_skeleton, division_name, skeleton, slug
from .common import EXIT_CODES_HELP, EXIT_OK, EXIT_ROW_ERRORS, EXIT_RULE_DATA, add_shared, bilingual_help, typed_date
from .usage import Parser

__all__ = ["ACTIONS", "action_parsers"]

CHECK_EXAMPLES = """示例 examples:
  facility-sizing rules check my_rules/330110_yuhang.toml --source 余杭示例文件.txt
  facility-sizing rules check my_rules/330110_yuhang.toml --source yuhang-2025=原件.pdf --json
退出码 4：规则文件与副本有不符之处，或缺少副本 — exit code 4: the file disagrees with a copy, or a copy is missing."""

INIT_EXAMPLES = """示例 examples:
  facility-sizing rules init --code 330110 --number 余示例〔2025〕1号 --issued 2025-03-01 -o my_rules/330110_yuhang.toml
  facility-sizing rules init --code 330110 --cases my_rules/cases.toml"""

TEST_EXAMPLES = """示例 examples:
  facility-sizing rules test my_rules/cases.toml
  facility-sizing rules test my_rules/cases.toml --json
格式与本项目的 tests/cases/*.toml 相同 — the format of the project's own tests/cases/*.toml.
退出码 5：有用例未通过 — exit code 5: some cases fail."""

#: What ``init`` asks for at a terminal when its flag is not given: the flag's name and the question.
QUESTIONS = {
    "name": "authoring.ask_name",
    "number": "authoring.ask_number",
    "title": "authoring.ask_title",
    "issuer": "authoring.ask_issuer",
    "issued": "authoring.ask_issued",
    "effective_from": "authoring.ask_effective_from",
    "source": "authoring.ask_source",
    "seen": "authoring.ask_seen",
}


def _parser(prog: str, examples: str, description: str) -> argparse.ArgumentParser:
    parser = bilingual_help(
        Parser(prog=f"facility-sizing rules {prog}", add_help=False, description=description,
               formatter_class=argparse.RawDescriptionHelpFormatter, epilog=examples + "\n\n" + EXIT_CODES_HELP),
        add=False,
    )  # fmt: skip
    add_shared(parser)
    parser.add_argument("--lang", choices=("zh", "en", "both"), default="both",
                        help="报告的语言，默认中文在前、英文在后 / the report's language, default Chinese then English")  # fmt: skip
    return parser


def action_parsers() -> dict[str, argparse.ArgumentParser]:
    """The parsers of ``rules check``, ``rules init`` and ``rules test``."""
    check = _parser(
        "check", CHECK_EXAMPLES, "对照文件副本核对规则文件 — check a rule file against copies of its documents"
    )
    check.add_argument("file", help="规则文件 TOML / the rule file")
    check.add_argument("--source", action="append", default=[], metavar="[ID=]COPY",
                       help="文件副本 .txt/.docx/.pdf/.html，可重复；多个文件时写 文件id=副本 / "
                       "the copy of a document, repeatable; id=copy for a file of several")  # fmt: skip
    init = _parser("init", INIT_EXAMPLES, "写出待填写的规则文件 — write a rule file to fill in")
    init.add_argument("--code", required=True, help="行政区划代码 GB/T 2260 / the division's code, e.g. 330110")
    for flag, words in (("--name", "行政区名称 / name"), ("--number", "文号 / document number"),
                        ("--title", "文件标题 / title"), ("--issuer", "发文机关 / issuer"),
                        ("--source", "文件副本的位置 / where the copy is kept"),
                        ("--seen", "在何处查阅官方文本 / where the official copy was read"),
                        ("--document-id", "文件在规则中的 id / the document's id in the file")):  # fmt: skip
        init.add_argument(flag, help=words)
    init.add_argument("--issued", type=typed_date, help="成文日期 / date of issue, e.g. 2025-03-01")
    init.add_argument("--effective-from", type=typed_date, help="施行日期 / date of effect")
    init.add_argument(
        "--stated", action="store_true", help="文件原句载明施行日期 / the document states its date of effect"
    )
    init.add_argument("-o", "--output", help="写出的文件，默认 <代码>_<拼音>.toml / the file to write")
    init.add_argument("--cases", help="另写一个测试用例文件 / also write a test-case file")
    init.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite an existing file")
    test = _parser("test", TEST_EXAMPLES, "运行自己的测试用例 — run your own test cases against your rule file")
    test.add_argument("cases", help="测试用例文件 TOML / the case file")
    return {"check": check, "init": init, "test": test}


#: The actions, by name.
ACTIONS = ("check", "init", "test")


def _print(report: RuleCheck | CaseReport, args: argparse.Namespace) -> None:
    if args.json:
        print(json.dumps(report.to_dict("zh" if args.lang != "en" else "en", "cli"), ensure_ascii=False, indent=2))
        return
    for language in ("zh", "en") if args.lang == "both" else (args.lang,):
        print(report.text(language, "cli"))
        if args.lang == "both" and language == "zh":
            print()


def _sources(given: list[str]) -> list[str] | dict[str, str]:
    pairs = [s.split("=", 1) for s in given if "=" in s and not Path(s).exists()]
    if pairs and len(pairs) != len(given):
        raise InputError("authoring.sources_mixed", field="source", value=given)
    return {k: v for k, v in pairs} if pairs else given


def run_check(args: argparse.Namespace, _book: RuleBook | None) -> int:
    report = check_rules(args.file, _sources(args.source))
    _print(report, args)
    return EXIT_OK if report.passed else EXIT_RULE_DATA


def run_test(args: argparse.Namespace, book: RuleBook | None) -> int:
    report = run_cases(args.cases, book)
    _print(report, args)
    return EXIT_OK if report.passed else EXIT_ROW_ERRORS


def _ask(args: argparse.Namespace) -> None:
    """At a terminal, ask for what the flags did not give (an empty answer leaves it to fill in)."""
    if not sys.stdin.isatty():
        return
    for name, key in QUESTIONS.items():
        if getattr(args, name) is None:
            answer = input(f"{Message(key).text('zh', 'cli')} — {Message(key).text('en', 'cli')}: ").strip()
            if answer and name in ("issued", "effective_from"):
                try:
                    answer = read_date(answer).isoformat()
                except Unreadable as exc:
                    raise InputError("authoring.ask_date", field=name, value=answer, problem=exc.problem) from None
            setattr(args, name, answer or None)


def run_init(args: argparse.Namespace, _book: RuleBook | None) -> int:
    _ask(args)
    day = {
        k: (read_date(v) if v else None) for k, v in (("issued", args.issued), ("effective_from", args.effective_from))
    }
    header = Header(args.code, args.name, args.number, args.title, args.issuer, day["issued"],
                    day["effective_from"], args.stated, args.source, args.seen)  # fmt: skip
    target = Path(args.output or f"{args.code}_{slug(args.code)}.toml")
    written = [_write(target, skeleton(header, args.document_id), args.force)]
    if args.cases:
        cases = Path(args.cases)
        rules = os.path.relpath(target.resolve(), cases.resolve().parent)  # the case file names it from where it is
        name = header.name or division_name(args.code) or args.code
        text = cases_skeleton(Path(rules).as_posix(), args.number, name, header.effective_from)
        written.append(_write(cases, text, args.force))
    for path in written:
        message = Message("authoring.init_written", {"path": str(path)})
        print(f"{message.text('zh', 'cli')} — {message.text('en', 'cli')}")
    return EXIT_OK


def _write(path: Path, text: str, force: bool) -> Path:
    """Write ``text`` to a new ``path`` (over an old one only with ``force``), atomically and under a lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as tmp:
        if path.exists() and not force:  # looked at under the lock: two inits never both write
            raise InputError("authoring.init_exists", field="output", value=str(path))
        tmp.write_text(text, encoding="utf-8")
    return path
