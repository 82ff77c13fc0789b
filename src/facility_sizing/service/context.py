"""What every endpoint shares: the settings and the rule book loaded at start."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..ruledata import RuleBook
from .limits import within
from .settings import Settings

__all__ = ["Context"]


@dataclass(frozen=True)
class Context:
    """The settings and the rule book of a running service.

    Examples
    --------
    >>> import asyncio
    >>> from facility_sizing.ruledata import default_rulebook
    >>> asyncio.run(Context(Settings(), default_rulebook()).run(lambda: "done"))
    'done'
    """

    settings: Settings
    book: RuleBook

    async def run(self, work: Callable[[], Any]) -> Any:
        """``work()`` in a worker thread, within the request timeout."""
        return await within(self.settings.request_timeout_s, work)
