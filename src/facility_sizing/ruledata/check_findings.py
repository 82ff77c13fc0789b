"""A finding of the rule check, and the words the check reads documents by (``data/authoring.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from ..messages import Audience, Language, Message

__all__ = ["CHECKS", "Finding", "Status", "words"]

Status = Literal["pass", "fail", "note"]

#: The checks, in the order a report lists them, with the catalogue key of each one's name.
CHECKS = {
    "copy": "authoring.check_copy",
    "document": "authoring.check_document",
    "quote": "authoring.check_quote",
    "clause": "authoring.check_clause",
    "figure": "authoring.check_figure",
    "strength": "authoring.check_strength",
    "subject": "authoring.check_subject",
}


@cache
def words() -> dict[str, Any]:
    """The words the check reads documents by (``data/authoring.toml``)."""
    path = resources.files("facility_sizing") / "data" / "authoring.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Finding:
    """One check of one entry: where (``entry`` 「rules[3]」, its ``id`` and the ``key``), what, and its outcome.

    ``passage`` is the document's nearest wording where a quote is not found, ``diff`` how the two
    differ: (op, the quote's characters, the document's, the character where it starts).
    """

    entry: str
    id: str
    key: str
    check: str
    status: Status
    message: Message
    passage: str | None = None
    diff: tuple[tuple[str, str, str, int], ...] = ()
    line: int | None = None  # the line of the rule file the key is on (of the entry's id where the key is not written)

    def text(self, language: Language = "zh", audience: Audience = "python") -> str:
        """The finding on one line: where (entry, id, key, the file's line), then what."""
        where = f"{self.entry} {self.id} {self.key}"
        if self.line is not None:
            where += Message("authoring.at_line", {"line": self.line}).text(language, audience)
        return f"{where}{'：' if language == 'zh' else ': '}{self.message.text(language, audience)}"

    def to_dict(self, language: Language = "zh", audience: Audience = "python") -> dict[str, Any]:
        """JSON-ready, with the message in ``language`` and both languages beside it."""
        return {
            "entry": self.entry,
            "id": self.id,
            "key": self.key,
            "line": self.line,
            "check": self.check,
            "status": self.status,
            "message_key": self.message.key,
            "message": self.message.text(language, audience),
            "message_zh": self.message.text("zh", audience),
            "message_en": self.message.text("en", audience),
            "passage": self.passage,
            "diff": [dict(zip(("op", "quote", "document", "at"), d, strict=True)) for d in self.diff],
        }
