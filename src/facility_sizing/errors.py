"""Typed errors and warnings of facility_sizing.

Every error the library raises on purpose derives from :class:`FacilitySizingError`.
Bad input also derives from :class:`ValueError`; a jurisdiction, date or rule that cannot
be found also derives from :class:`LookupError`, so callers can catch what they already
know. Messages are Chinese first with English beside it, and name the argument, the value
received and the fix.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from .messages import Audience, Language, Message, catalogue, render

__all__ = [
    "AreaTypeError",
    "DraftOnlyError",
    "FacilitySizingError",
    "FacilitySizingWarning",
    "InconsistentInputError",
    "InputError",
    "MissingDependencyError",
    "MissingInputError",
    "NotInForceError",
    "ResultReplacedWarning",
    "RuleConflictError",
    "RuleDataError",
    "StaleRuleWarning",
    "UnknownJurisdictionError",
    "UnknownKeyError",
    "install_command",
    "require",
]


def bilingual(zh: str, en: str) -> str:
    """Chinese then English, the way a notice or reason not yet in the catalogue reads."""
    return f"{zh} — {en}"


class FacilitySizingError(Exception):
    """Base class of every error facility_sizing raises on purpose: a message key and its parameters.

    The words live in the catalogue (:mod:`facility_sizing.messages`) and are rendered where the
    error is read: ``str(err)`` gives Chinese then English for a Python caller, :meth:`text` one
    language for one audience (``"python"``, ``"cli"`` or ``"page"``).

    Attributes
    ----------
    code : str
        A short stable identifier of the kind of error; batch results put it in front of the message.
    message_key : str
        The catalogue key of the message, e.g. ``"inputs.must_be_number"``.
    params : dict
        The message's parameters (numpy scalars as Python numbers).

    Examples
    --------
    >>> err = InputError("inputs.bad_number", field="households", value="many", problem=Message("inputs.must_be_number"))
    >>> err.code, err.field, err.value
    ('input', 'households', 'many')
    >>> err.text("en", "cli")
    "--households must be a number, got 'many'; pass e.g. --households 1200"
    """

    code = "error"

    def __init__(self, key: str, /, **params: Any) -> None:
        if key not in catalogue() and not params:  # Error("some words"): the pre-0.5 form
            warnings.warn(_LEGACY, DeprecationWarning, stacklevel=3)
            key, params = "legacy.text", {"text": {"zh": key, "en": key}}
        self.message_key = key
        self.params = {name: _plain(value) for name, value in params.items()}
        if "field" in params and not hasattr(self, "field"):  # the argument it is about, for every edge
            self.field = params["field"]
        super().__init__(key)

    def text(
        self, language: Language = "zh", audience: Audience = "python", columns: Mapping[str, str] | None = None
    ) -> str:
        """The message in one language, for one audience (``columns``: see :func:`~facility_sizing.messages.render`)."""
        return render(self.message_key, self.params, language, audience, columns)

    @property
    def message(self) -> Message:
        """The message not yet worded."""
        return Message(self.message_key, self.params)

    def __str__(self) -> str:
        return f"{self.text('zh')} — {self.text('en')}"

    def __reduce__(self) -> tuple[object, ...]:
        # Subclasses take their own arguments, so the default pickling would call them wrongly.
        # Rebuild from the attributes instead: errors cross to dask workers in other processes.
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


_LEGACY = (
    "an error built from its words is deprecated since 0.5; give a catalogue key and its parameters "
    "(facility_sizing.messages)"
)


def _plain(value: Any) -> Any:
    """A parameter as Python spells it: ``np.float64(-1.0)`` is ``-1.0`` in a message."""
    item = getattr(value, "item", None)
    if item is not None and type(value).__module__ == "numpy" and getattr(value, "ndim", 1) == 0:
        return item()
    return value


def _rebuild(cls: type[FacilitySizingError], args: tuple[object, ...], state: dict[str, object]) -> FacilitySizingError:
    """An error of class ``cls`` with message ``args`` and attributes ``state``, without calling its __init__."""
    err = cls.__new__(cls)
    err.args = args
    err.__dict__.update(state)
    return err


class InputError(FacilitySizingError, ValueError):
    """An argument or input column has a value the library cannot use.

    ``InputError(key, field=..., value=..., **params)``; the pre-0.5 form
    ``InputError(field, value, zh, en)`` still works and is deprecated.

    Attributes
    ----------
    field : str
        The argument or column name.
    value : object
        The value received.
    """

    code = "input"

    def __init__(self, key: str, *legacy: Any, field: str | None = None, value: Any = None, **params: Any) -> None:
        if len(legacy) == 3:  # InputError(field, value, zh, en)
            warnings.warn(_LEGACY, DeprecationWarning, stacklevel=2)
            field, value = key, legacy[0]
            key, params = "legacy.text", {"text": {"zh": legacy[1], "en": legacy[2]}}
        elif legacy:
            raise TypeError("InputError(key, field=..., value=..., **params)")
        self.field = field if field is not None else ""
        self.value = _plain(value)
        super().__init__(key, field=self.field, value=value, **params)


class MissingInputError(InputError):
    """A rule needs an input (households or population) that was not given and cannot be derived."""

    code = "missing_input"


class InconsistentInputError(InputError):
    """Households, population and persons per household that contradict each other.

    Sizing from either could understate the requirement; the caller says which to trust
    (``trust="households"``, ``"population"`` or ``"both"``).
    """

    code = "inconsistent_input"


class AreaTypeError(InputError):
    """The area type is unknown, or the jurisdiction does not distinguish it."""

    code = "area_type"


class UnknownJurisdictionError(FacilitySizingError, LookupError):
    """No jurisdiction of that name or code is known; ``suggestions`` holds the closest names.

    Examples
    --------
    >>> UnknownJurisdictionError("西湖", ["西湖区"]).text("en")
    "unknown jurisdiction '西湖'; closest known: 西湖区"
    """

    code = "unknown_jurisdiction"

    def __init__(self, value: object, suggestions: Sequence[str], key: str = "", **params: Any) -> None:
        self.value = value
        self.suggestions = tuple(suggestions)
        self.field = "jurisdiction"
        if not key:
            key = "errors.unknown_jurisdiction_closest" if self.suggestions else "errors.unknown_jurisdiction"
        params.setdefault("see", "jurisdictions")
        super().__init__(key, field="jurisdiction", value=value, suggestions=self.suggestions, **params)


class MissingDependencyError(FacilitySizingError, ImportError):
    """An optional dependency is not installed; the message names the extra that installs it.

    ``purpose`` is the catalogue key of what the package is needed for (``"purposes.word"``);
    the pre-0.5 form ``(package, extra, purpose_zh, purpose_en)`` still works and is deprecated.

    Attributes
    ----------
    package : str
        The missing package.
    extra : str
        The extra of ``facility-sizing`` that installs it.
    """

    code = "missing_dependency"

    def __init__(self, package: str, extra: str, purpose: str, purpose_en: str | None = None) -> None:
        self.package = package
        self.extra = extra
        if purpose_en is not None:
            warnings.warn(_LEGACY, DeprecationWarning, stacklevel=2)
            what: Message = Message("legacy.text", {"text": {"zh": purpose, "en": purpose_en}})
        else:
            what = Message(purpose)
        super().__init__("errors.missing_dependency", package=package, purpose=what, command=install_command(extra))


def require(module: str, package: str, extra: str, purpose: str) -> Any:
    """An optional module, or the :class:`MissingDependencyError` naming the extra that installs it.

    ``purpose`` is the catalogue key of what it is needed for (``"purposes.word"``).

    Examples
    --------
    >>> require("json", "json", "word", "purposes.word").__name__
    'json'
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(package, extra, purpose) from None


def install_command(extra: str) -> str:
    """The pip command that adds ``extra`` to this installation: from the clone it came from, or the index.

    A package installed from a folder (``pip install .`` or ``-e .``) records it (PEP 610,
    ``direct_url.json``); ``pip install "facility-sizing[word]"`` there would fetch another copy.

    Examples
    --------
    >>> install_command("word").startswith("pip install ")
    True
    """
    import json
    from importlib import metadata
    from urllib.parse import unquote, urlparse

    try:
        recorded = metadata.distribution("facility-sizing").read_text("direct_url.json")
        origin = json.loads(recorded) if recorded else {}
    except (metadata.PackageNotFoundError, ValueError):
        origin = {}
    url = urlparse(str(origin.get("url", "")))
    if url.scheme == "file" and "dir_info" in origin:
        folder = unquote(url.path)
        editable = "-e " if origin["dir_info"].get("editable") else ""
        return f'pip install {editable}"{folder}[{extra}]"'
    return f'pip install "facility-sizing[{extra}]"'


class NotInForceError(FacilitySizingError, LookupError):
    """No rule document applies on the requested date (e.g. a date before it took effect)."""

    code = "not_in_force"


class DraftOnlyError(FacilitySizingError, LookupError):
    """Only a consultation draft (征求意见稿) applies; pass ``include_drafts=True`` to use it."""

    code = "draft_only"


class ReportedOnlyError(FacilitySizingError, LookupError):
    """Only documents known by report (their text not seen) apply; pass ``include_reported=True`` to use them."""

    code = "reported_only"


class RuleConflictError(FacilitySizingError, LookupError):
    """Two rules of the same kind apply to the same case at the same level on the same date."""

    code = "rule_conflict"


class RuleDataError(FacilitySizingError, ValueError):
    """A rule file is missing a field or has a malformed one.

    ``problem`` is a :class:`~facility_sizing.messages.Message` (or, pre-0.5, plain words).

    Attributes
    ----------
    path : str
        The file.
    key : str
        The dotted key inside the file, e.g. ``rules[3].value``.

    Examples
    --------
    >>> from facility_sizing.messages import Message
    >>> err = RuleDataError("xihu.toml", "rules[3].value", Message("ruledata.not_a_number", {"value": "x"}))
    >>> err.text("en")
    "xihu.toml: rules[3].value: must be a number, got 'x'"
    """

    code = "rule_data"

    def __init__(self, path: object, key: str, problem: Message | str) -> None:
        self.path = str(path)
        self.problem = (
            problem
            if isinstance(problem, Message)
            else Message("legacy.text", {"text": {"zh": problem, "en": problem}})
        )
        super().__init__("errors.rule_data", path=self.path, where=key, problem=self.problem)
        self.key = key


class UnknownKeyError(RuleDataError):
    """A rule file has a key its table does not know: most often a misspelt one (``strenght``).

    Raised before a required key the misspelling stands for is called missing, with the closest
    known key suggested.

    Attributes
    ----------
    table : str
        The dotted path of the table holding the key, e.g. ``rules[3]`` (empty for the top level).
    name : str
        The unknown key as written.
    close : str or None
        The known key closest to it, when one is close.

    Examples
    --------
    >>> err = UnknownKeyError("xihu.toml", "rules[3]", "strenght", "strength")
    >>> err.key, err.text("en")
    ('rules[3].strenght', "xihu.toml: rules[3].strenght: unknown key 'strenght'; did you mean 'strength'?")
    """

    def __init__(self, path: object, table: str, name: str, close: str | None = None) -> None:
        problem = (
            Message("ruledata.unknown_field")
            if close is None
            else Message("ruledata.unknown_key_close", {"value": name, "close": close})
        )
        super().__init__(path, f"{table}.{name}" if table else name, problem)
        self.table, self.name, self.close = table, name, close


class FacilitySizingWarning(UserWarning):
    """Base class of the library's warnings."""


class StaleRuleWarning(FacilitySizingWarning):
    """The date lies after a rule document's plan period: the rule may have been superseded."""


class ResultReplacedWarning(FacilitySizingWarning):
    """A frame sized again: its result columns from the earlier run are replaced by this run's."""
