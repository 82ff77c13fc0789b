"""The command line: ``facility-sizing <subcommand>``."""

from .app import RULES_ENV, build_parser, main

__all__ = ["RULES_ENV", "build_parser", "main"]
