"""Usage errors in the command line's own words: one line, Chinese first, the flag and the fix, exit 2.

argparse prints its whole usage and an English sentence (``invalid float value: '1,200'``,
``the following arguments are required: --jurisdiction/-j``). :class:`Parser` prints one line
instead, naming the flag; an unknown flag is found before argparse looks at what is required, so
``--district 西湖区`` is answered with the flag meant (``--jurisdiction``), not with "required".
argparse gives its errors only as formatted English text, so :data:`_ARGPARSE` lists its message
forms (Python 3.11–3.13) with their Chinese; a form not listed is printed as argparse wrote it.
"""

from __future__ import annotations

import argparse
import difflib
import re
from collections.abc import Sequence
from typing import NoReturn

__all__ = ["Parser", "UsageError", "unknown_flag"]

PROG = "facility-sizing"

# argparse's message forms (its gettext ids), and the same in Chinese.
_ARGPARSE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), zh)
    for pattern, zh in (
        (r"the following arguments are required: (?P<a>.+)", "缺少必填参数 {a}"),
        (r"one of the arguments (?P<a>.+) is required", "须给出 {a} 之一"),
        (
            r"argument (?P<a>\S+): invalid choice: (?P<v>.+?) \(choose from (?P<c>.+)\)",
            "参数 {a} 的取值 {v} 无效；可选：{c}",
        ),
        (r"argument (?P<a>\S+): expected one argument", "参数 {a} 后须跟一个值"),
        (r"argument (?P<a>\S+): expected at least one argument", "参数 {a} 后须跟至少一个值"),
        (r"argument (?P<a>\S+): invalid (?P<t>\S+) value: (?P<v>.+)", "参数 {a} 的值 {v} 无效"),
        (r"argument (?P<a>\S+): not allowed with argument (?P<b>\S+)", "参数 {a} 不能与 {b} 同用"),
        (r"argument (?P<a>\S+): ignored explicit argument (?P<v>.+)", "参数 {a} 不接受值 {v}"),
        (r"ambiguous option: (?P<a>\S+) could match (?P<m>.+)", "参数 {a} 有歧义，可指 {m}；请写全"),
        (r"unrecognized arguments: (?P<a>.+)", "无法识别的参数 {a}"),
    )
)

# Words people use for a flag this command line spells otherwise. A hint names a flag only if the
# subcommand has it.
_MEANT = {
    "--district": "--jurisdiction",
    "--city": "--jurisdiction",
    "--county": "--jurisdiction",
    "--place": "--jurisdiction",
    "--region": "--jurisdiction",
    "--area": "--area-type",
    "--type": "--area-type",
    "--date": "--on",
    "--day": "--on",
    "--pph": "--persons-per-household",
    "--drafts": "--include-drafts",
    "--draft": "--include-drafts",
    "--reported": "--include-reported",
    "--output-file": "--output",
    "--out": "--output",
}


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one Chinese-first line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        zh, en = _words(message)
        raise UsageError(f"{zh}；用法见 {self.prog} --help — {en}; see {self.prog} --help")


class UsageError(Exception):
    """A command line argparse cannot parse; its one line, said by ``main`` with exit code 2."""


def _words(message: str) -> tuple[str, str]:
    """argparse's message in Chinese and in English."""
    # a type reader's ArgumentTypeError (typed_number, typed_date): "argument --on: 有歧义… — ambiguous…"
    typed = re.fullmatch(r"argument (?P<a>\S+): (?P<zh>.+?) — (?P<en>.+)", message)
    if typed:
        return f"参数 {typed['a']}：{typed['zh']}", f"argument {typed['a']}: {typed['en']}"
    for pattern, zh in _ARGPARSE:
        found = pattern.fullmatch(message)
        if found:
            return zh.format(**found.groupdict()), message
    return message, message


def unknown_flag(parser: argparse.ArgumentParser, argv: Sequence[str]) -> str | None:
    """The message for the first flag of ``argv`` that its subcommand does not have, with the nearest one.

    Checked before argparse parses, so an unknown flag is the one error said, not a required flag
    it left unset.

    Examples
    --------
    >>> from facility_sizing.cli import build_parser
    >>> print(unknown_flag(build_parser(), ["size", "--district", "西湖区"]))
    无法识别的参数 --district；是否要用 --jurisdiction/-j？ — unrecognized argument --district; did you mean --jurisdiction/-j?
    """
    sub = _subcommand(parser, argv)
    if sub is None:
        return None
    command, tokens = sub
    known = command._option_string_actions
    for token in tokens:
        if token == "--":
            return None
        if not token.startswith("-") or re.fullmatch(r"-\d.*", token) or token == "-":
            continue
        flag = token.split("=", 1)[0]
        if flag in known or (not flag.startswith("--") and token[:2] in known):  # -j西湖区: a value attached
            continue
        if flag.startswith("--") and sum(k.startswith(flag) for k in known) >= 1:
            continue  # an abbreviation: argparse takes it, or says which flags it could be
        meant = _nearest(flag, known)
        if meant is None:
            return (
                f"无法识别的参数 {flag}；可用参数见 {command.prog} --help — "
                f"unrecognized argument {flag}; see {command.prog} --help"
            )
        return f"无法识别的参数 {flag}；是否要用 {meant}？ — unrecognized argument {flag}; did you mean {meant}?"
    return None


def _subcommand(
    parser: argparse.ArgumentParser, argv: Sequence[str]
) -> tuple[argparse.ArgumentParser, Sequence[str]] | None:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return None
    for i, token in enumerate(argv):
        if token in subs[0].choices:
            return subs[0].choices[token], argv[i + 1 :]
        if not token.startswith("-"):
            return None
    return None


def _nearest(flag: str, known: dict[str, argparse.Action]) -> str | None:
    """The flag most like ``flag``, shown with its other spellings (``--jurisdiction/-j``)."""
    target = _MEANT.get(flag.lower())
    if target not in known:
        close = difflib.get_close_matches(flag.lower(), [k for k in known if k.startswith("--")], n=1, cutoff=0.6)
        target = close[0] if close else None
    if target is None:
        return None
    return "/".join(known[target].option_strings)
