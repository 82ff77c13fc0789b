"""Usage errors in the command line's own words: one line, Chinese first, the flag and the fix, exit 2.

argparse prints its whole usage and an English sentence (``invalid float value: '1,200'``,
``the following arguments are required: --jurisdiction/-j``). :class:`Parser` prints one line
instead, naming the flag; an unknown flag is found before argparse looks at what is required, so
``--district 西湖区`` is answered with the flag meant (``--jurisdiction``), not with "required".
argparse gives its errors only as formatted English text, so :data:`_ARGPARSE` lists its message
forms (Python 3.11–3.13) with their catalogue keys (``data/messages/cli.toml``, Chinese and
English); a form not listed is said as argparse wrote it. A flag's value that
:mod:`~facility_sizing.model.typed` cannot read is said from its problem, not from argparse's text.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from ..messages import Message
from .common import TypedValueError

__all__ = ["Parser", "UsageError", "unknown_flag"]

PROG = "facility-sizing"

# argparse's message forms (its gettext ids), and the catalogue keys that say them.
_ARGPARSE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), f"cli.{key}")
    for pattern, key in (
        (r"the following arguments are required: (?P<a>.+)", "argparse_required"),
        (r"one of the arguments (?P<a>.+) is required", "argparse_one_of"),
        (r"argument (?P<a>\S+): invalid choice: (?P<v>.+?) \(choose from (?P<c>.+)\)", "argparse_choice"),
        (r"argument (?P<a>\S+): expected one argument", "argparse_one_value"),
        (r"argument (?P<a>\S+): expected at least one argument", "argparse_values"),
        (r"argument (?P<a>\S+): invalid (?P<t>\S+) value: (?P<v>.+)", "argparse_invalid"),
        (r"argument (?P<a>\S+): not allowed with argument (?P<b>\S+)", "argparse_not_with"),
        (r"argument (?P<a>\S+): ignored explicit argument (?P<v>.+)", "argparse_no_value"),
        (r"ambiguous option: (?P<a>\S+) could match (?P<m>.+)", "argparse_ambiguous"),
        (r"unrecognized arguments: (?P<a>.+)", "argparse_unrecognized"),
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
        raise UsageError(Message("cli.usage", {"problem": _problem(message), "prog": self.prog}))


class UsageError(Exception):
    """A command line argparse cannot parse; its ``message`` (not yet worded), said by ``main`` with exit code 2.

    Not a :class:`~facility_sizing.errors.FacilitySizingError`: the library never raises it, only
    the command line's parser.
    """

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.key)

    def __str__(self) -> str:
        return str(self.message)


def _problem(message: str) -> Message:
    """What argparse found wrong, as a message: a typed value's own problem, or argparse's message form.

    argparse calls :meth:`Parser.error` while it handles the ``ArgumentError`` it raised for a
    type reader's error, so that error (the problem not yet worded) is the one being handled.
    """
    handled = sys.exc_info()[1]
    if isinstance(handled, argparse.ArgumentError) and isinstance(handled.__context__, TypedValueError):
        return Message("cli.argument", {"flag": handled.argument_name, "problem": handled.__context__.problem})
    for pattern, key in _ARGPARSE:
        found = pattern.fullmatch(message)
        if found:
            return Message(key, found.groupdict())
    return Message("cli.argparse_other", {"text": message})


def unknown_flag(parser: argparse.ArgumentParser, argv: Sequence[str]) -> Message | None:
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
            return Message("cli.unknown_flag", {"flag": flag, "prog": command.prog})
        return Message("cli.unknown_flag_meant", {"flag": flag, "meant": meant})
    return None


def _subcommand(
    parser: argparse.ArgumentParser, argv: Sequence[str]
) -> tuple[argparse.ArgumentParser, Sequence[str]] | None:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return None
    for i, token in enumerate(argv):
        if token in subs[0].choices:
            command, rest = subs[0].choices[token], argv[i + 1 :]
            routes = getattr(command, "routes", {})  # ``rules check …``: the flags are the action's
            return (routes[rest[0]], rest[1:]) if rest and rest[0] in routes else (command, rest)
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
