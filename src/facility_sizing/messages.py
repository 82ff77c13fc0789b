"""The one catalogue of the library's messages: codes and parameters in, words out, at the edge.

An error carries a message key (``"inputs.bad_number"``) and its parameters; its words, in
Chinese and English, live in ``data/messages/*.toml`` (one file per domain, the file's name
being the key's first part) and are rendered only when someone reads them, for one of three
audiences:

``python``
    arguments by their Python names (``households（户数）``), switches as ``include_drafts=True``,
    listings as calls (``fs.jurisdictions()``);
``cli``
    the command line's flags (``--households``, ``--include-drafts``) and subcommands;
``page``
    the web page's own labels (「户数」, 「采用征求意见稿」).

A template is a :meth:`str.format` string. Beside the usual conversions and specs it knows five
specs, each rendered per audience from ``data/names.toml``:

``{field:name}``
    an argument (or column, or flag) by its name;
``{field:eg}``
    the argument set to its example value (``households=1200``, ``--households 1200``);
``{option:on}``
    a switch turned on;
``{choice:trust=}``
    an argument (here ``trust``) set to the parameter's value (``trust='both'``, ``--trust both``);
``{listing:call}``
    where to look something up;
``{items:list}``, ``{items:clauses}``
    a sequence joined the language's way (「、」 or ", "; 「；」 or "; ").

A parameter that is itself a :class:`Message` (a problem another function found) is rendered in
the same language and for the same audience; one with ``zh`` and ``en`` fields (a vocabulary
``Label``) gives the language's own. A template may name an argument or listing of
``data/names.toml`` without a parameter (``请传入 {households:name}``). No message is ever split, joined or rewritten after
it is rendered: each edge renders what it needs.

Examples
--------
>>> problem = Message("inputs.must_be_number")
>>> render("inputs.bad_number", {"field": "households", "value": "many", "problem": problem}, "zh")
"households（户数）须为数字，收到 'many'；例如 households=1200"
>>> render("inputs.bad_number", {"field": "households", "value": "many", "problem": problem}, "en", "cli")
"--households must be a number, got 'many'; pass e.g. --households 1200"
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

__all__ = ["AUDIENCES", "LANGUAGES", "Audience", "Language", "Message", "catalogue", "names", "render"]

Language = Literal["zh", "en"]
Audience = Literal["python", "cli", "page"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
AUDIENCES: tuple[Audience, ...] = ("python", "cli", "page")


@dataclass(frozen=True)
class Message:
    """A message not yet worded: its catalogue key and parameters.

    Examples
    --------
    >>> Message("typed.calendar", {"text": "2025/2/30"}).text("en")
    "'2025/2/30' is not a day of the calendar"
    """

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(
        self, language: Language = "zh", audience: Audience = "python", columns: Mapping[str, str] | None = None
    ) -> str:
        """The message in one language, for one audience (``columns``: see :func:`render`)."""
        return render(self.key, self.params, language, audience, columns)

    def __str__(self) -> str:
        return f"{self.text('zh')} — {self.text('en')}"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message: key → ``{"zh": template, "en": template}``, read once and checked.

    Raises
    ------
    ValueError
        A file's entry without both languages, or whose two templates name different parameters.
    """
    entries: dict[str, dict[str, str]] = {}
    folder = resources.files("facility_sizing") / "data" / "messages"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".toml"):
            continue
        domain = item.name.removesuffix(".toml")
        for name, entry in tomllib.loads(item.read_text(encoding="utf-8")).items():
            key = f"{domain}.{name}"
            _check_entry(item.name, name, entry)
            entries[key] = {"zh": entry["zh"], "en": entry["en"]}
    return entries


def _check_entry(file: str, name: str, entry: object) -> None:
    """Refuse an entry that lacks a language, or whose template does not parse or uses an unknown spec.

    The two languages may name different parameters (English may leave out a Chinese term); a
    test renders every entry from the places that raise it.
    """
    if not isinstance(entry, dict) or set(entry) != {"zh", "en"} or not all(isinstance(v, str) for v in entry.values()):
        raise ValueError(f"data/messages/{file}: {name}: needs exactly a zh and an en template")
    for language in LANGUAGES:
        try:
            specs = [spec or "" for _, f, spec, _ in string.Formatter().parse(entry[language]) if f is not None]
        except ValueError as exc:
            raise ValueError(f"data/messages/{file}: {name}.{language}: {exc}") from None
        for spec in specs:
            if len(spec) > 1 and spec.isalpha() and spec not in _SPECS:
                raise ValueError(f"data/messages/{file}: {name}.{language}: unknown spec {spec!r}")


_SPECS = ("name", "eg", "on", "call", "list", "clauses")


@cache
def names() -> dict[str, dict[str, dict[str, str]]]:
    """The names each audience gives arguments and listings (``data/names.toml``)."""
    path = resources.files("facility_sizing") / "data" / "names.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


class _Words(string.Formatter):
    """:meth:`str.format` with the catalogue's four specs, for one language and audience."""

    def __init__(self, language: Language, audience: Audience, columns: Mapping[str, str] | None = None) -> None:
        self.language = language
        self.audience = audience
        self.columns = columns or {}

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str) and key not in kwargs and (key in names()["arguments"] or key in names()["calls"]):
            return key  # {households:name}: the argument itself
        return super().get_value(key, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, Message):
            return value.text(self.language, self.audience, self.columns)
        if isinstance(value, tuple) and hasattr(value, "zh") and hasattr(value, "en"):
            return getattr(value, self.language)
        if format_spec == "name":
            return self._name(str(value))
        if format_spec == "eg":
            return self._example(str(value))
        if format_spec == "on":
            return self._switch(str(value))
        if format_spec == "call":
            return names()["calls"][str(value)][self._call_form()]
        if format_spec.endswith("="):
            return self._setting(format_spec[:-1], value)
        if format_spec in ("list", "clauses"):
            joint = {"list": ("、", ", "), "clauses": ("；", "; ")}[format_spec][self.language != "zh"]
            return joint.join(str(self.format_field(v, "")) for v in value)
        return super().format_field(value, format_spec)

    def _name(self, argument: str) -> str:
        if argument in self.columns:
            column = self.columns[argument]
            return f"“{column}”列" if self.language == "zh" else f"column {column!r}"
        known = names()["arguments"].get(argument)
        if known is None:
            return argument
        if self.audience == "page":
            return known[self.language]
        spelled = known["flag"] if self.audience == "cli" else argument
        return f"{spelled}（{known['zh']}）" if self.language == "zh" else spelled

    def _example(self, argument: str) -> str:
        known = names()["arguments"][argument]
        if argument in self.columns:
            return str(known["example"])
        if self.audience == "page":
            return f"{known[self.language]} {known['example']}"
        if self.audience == "cli":
            return f"{known['flag']} {known['example']}"
        return f"{argument}={known['example']}"

    def _setting(self, argument: str, value: object) -> str:
        known = names()["arguments"][argument]
        if self.audience == "page":
            return f"{known[self.language]}：{value}" if self.language == "zh" else f"{known['en']}: {value}"
        return f"{known['flag']} {value}" if self.audience == "cli" else f"{argument}={value!r}"

    def _switch(self, argument: str) -> str:
        known = names()["arguments"][argument]
        if self.audience == "page":
            return f"「{known['zh']}」" if self.language == "zh" else f"“{known['en']}”"
        return known["flag"] if self.audience == "cli" else f"{argument}=True"

    def _call_form(self) -> str:
        return self.audience if self.audience != "page" else f"page_{self.language}"


def render(
    key: str,
    params: Mapping[str, Any],
    language: Language = "zh",
    audience: Audience = "python",
    columns: Mapping[str, str] | None = None,
) -> str:
    """The message ``key`` with ``params``, in ``language``, for ``audience``.

    ``columns`` names the file columns arguments were read from (a batch row's error names the
    cell's column, not the flag: 「“户数”列须为数字」).

    Raises
    ------
    KeyError
        ``key`` is not in the catalogue.
    """
    template = catalogue()[key][language]
    return _Words(language, audience, columns).vformat(template, (), dict(params))
