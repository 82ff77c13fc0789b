"""Command line: ``facility-sizing size|clause|review|rules|jurisdictions|batch|scorecard|duties|coverage|site|serve ...``.

Exit codes: 0 success; 2 bad input or usage; 3 unknown jurisdiction, or no rule in force on
the date; 4 invalid rule data; 5 a batch finished but some rows have errors; 6 a reviewed
design fails a rule; 7 an optional part (an extra) is not installed; 1 anything unexpected.
Errors print as one line on stderr; ``--debug`` prints the traceback too.

Each subcommand is a module with ``add_parser(subparsers)`` and ``run(args, book)``; the flags
they share are declared once, in :mod:`.common`. A subcommand's module is imported only when it
is named (or for the top-level ``--help``): ``size`` does not load the GIS stack ``coverage`` needs.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from types import ModuleType

from ..errors import FacilitySizingError, FacilitySizingWarning, MissingDependencyError, RuleDataError
from ..ruledata import RuleBook
from .common import (
    EXIT_CODES_HELP,
    EXIT_INPUT,
    EXIT_LOOKUP,
    EXIT_MISSING_EXTRA,
    EXIT_OK,
    EXIT_RULE_DATA,
    EXIT_UNEXPECTED,
    RULES_ENV,
    bilingual_help,
    rulebook,
)
from .terms import said_here
from .usage import Parser, UsageError, unknown_flag

__all__ = ["RULES_ENV", "build_parser", "main"]

#: The subcommands, in the order ``--help`` lists them; each is the module of that name in this package.
SUBCOMMANDS: tuple[str, ...] = (
    "size",
    "clause",
    "review",
    "rules",
    "jurisdictions",
    "batch",
    "scorecard",
    "duties",
    "coverage",
    "site",
    "serve",
)


def _module(name: str) -> ModuleType:
    return importlib.import_module(f".{name}", __package__)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the command line, only its subcommand's module is imported and added.

    Examples
    --------
    >>> build_parser(["size", "--help"])._subparsers._group_actions[0].choices.keys()
    dict_keys(['size'])
    """
    from .. import __version__

    parser = bilingual_help(
        Parser(
            prog="facility-sizing",
            add_help=False,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            description="托育设施配建要求计算：建筑面积、户外活动场地、托位与楼层限制，逐项注明依据条款 — "
            "infant-care facility requirements for residential projects (floor area, outdoor area, slots, "
            "floor limit), each traced to its clause",
            epilog="每个子命令都有 --help 和 --json — every subcommand has --help and --json, "
            "e.g. facility-sizing size --help\n\n" + EXIT_CODES_HELP,
        )
    )
    parser.add_argument(
        "--version", action="version", version=f"facility-sizing {__version__}", help="显示版本 / show the version"
    )
    sub = parser.add_subparsers(dest="command", required=True, title="子命令 subcommands", metavar="COMMAND")
    named = [w for w in (argv or ()) if not w.startswith("-")][:1]
    for name in named if named and named[0] in SUBCOMMANDS else SUBCOMMANDS:
        _module(name).add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    wrong = unknown_flag(parser, argv)
    if wrong is not None:  # said before argparse looks for required flags: --district is not --jurisdiction
        print(f"facility-sizing: error: {said_here(wrong)}", file=sys.stderr)
        return EXIT_INPUT
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"facility-sizing: error: {said_here(exc.message)}", file=sys.stderr)
        return EXIT_INPUT
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FacilitySizingWarning)
        code = _dispatch(args)
    for w in caught:  # one line each, like errors: no source line, no module path
        if issubclass(w.category, FacilitySizingWarning):
            print("facility-sizing: warning: " + " ".join(str(w.message).split()), file=sys.stderr)
        elif getattr(args, "debug", False):  # a third-party library's warning: for --debug only
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return code


def _dispatch(args: argparse.Namespace) -> int:
    """Run the subcommand; an error becomes one line on stderr and its exit code."""
    run: Callable[[argparse.Namespace, RuleBook | None], int] = _module(args.command).run
    try:
        # the extra rules are read for every subcommand, so that a bad rule file is always exit 4
        return run(args, rulebook(args.rules))
    except BrokenPipeError:  # `... | head -1`: the reader has all it wanted
        _discard_stdout()
        return EXIT_OK
    except MissingDependencyError as exc:  # before FacilitySizingError: an install to make, not bad input
        return _fail(args, exc, EXIT_MISSING_EXTRA)
    except RuleDataError as exc:
        return _fail(args, exc, EXIT_RULE_DATA)
    except FacilitySizingError as exc:
        code = EXIT_INPUT if isinstance(exc, ValueError) else EXIT_LOOKUP
        return _fail(args, exc, code)
    except OSError as exc:  # an unreadable input or unwritable output: the caller's to fix
        return _fail(args, exc, EXIT_INPUT)
    except Exception as exc:
        return _fail(args, exc, EXIT_UNEXPECTED)


def _discard_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's last flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (a test's capture)
        pass
    finally:
        os.close(devnull)


def _fail(args: argparse.Namespace, exc: BaseException, code: int) -> int:
    if getattr(args, "debug", False):
        traceback.print_exc()
        detail = getattr(exc, "detail", "")
        if detail:
            print(f"facility-sizing: detail: {detail}", file=sys.stderr)
    print(f"facility-sizing: error: {said_here(exc)}", file=sys.stderr)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
