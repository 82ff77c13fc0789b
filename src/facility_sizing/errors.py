"""Typed errors and warnings of facility_sizing.

Every error the library raises on purpose derives from :class:`FacilitySizingError`.
Bad input also derives from :class:`ValueError`; a jurisdiction, date or rule that cannot
be found also derives from :class:`LookupError`, so callers can catch what they already
know. Messages are Chinese first with English beside it, and name the argument, the value
received and the fix.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    "RuleConflictError",
    "RuleDataError",
    "StaleRuleWarning",
    "UnknownJurisdictionError",
    "install_command",
]


def bilingual(zh: str, en: str) -> str:
    """Join a Chinese and an English message the way every message in the library reads."""
    return f"{zh} — {en}"


class FacilitySizingError(Exception):
    """Base class of every error facility_sizing raises on purpose.

    ``code`` is a short stable identifier that batch results put in front of the message.
    """

    code = "error"

    def __reduce__(self) -> tuple[object, ...]:
        # Subclasses take their own arguments (field, value, zh, en…), not the message that
        # ``args`` holds, so the default pickling would call them wrongly. Rebuild from the
        # message and the attributes instead: errors cross to dask workers in other processes.
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


def _rebuild(cls: type[FacilitySizingError], args: tuple[object, ...], state: dict[str, object]) -> FacilitySizingError:
    """An error of class ``cls`` with message ``args`` and attributes ``state``, without calling its __init__."""
    err = cls.__new__(cls)
    err.args = args
    err.__dict__.update(state)
    return err


class InputError(FacilitySizingError, ValueError):
    """An argument or input column has a value the library cannot use.

    Attributes
    ----------
    field : str
        The argument or column name.
    value : object
        The value received.
    """

    code = "input"

    def __init__(self, field: str, value: object, zh: str, en: str) -> None:
        self.field = field
        self.value = value
        super().__init__(bilingual(zh, en))


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
    """No jurisdiction of that name or code is known; ``suggestions`` holds the closest names."""

    code = "unknown_jurisdiction"

    def __init__(self, value: object, suggestions: Sequence[str]) -> None:
        self.value = value
        self.suggestions = tuple(suggestions)
        hint_zh = (
            "最接近的：" + "、".join(self.suggestions) if self.suggestions else "请用 fs.jurisdictions() 查看可用名称"
        )
        hint_en = (
            "closest known: " + ", ".join(self.suggestions)
            if self.suggestions
            else "see fs.jurisdictions() for the known names"
        )
        super().__init__(
            bilingual(
                f"未知的行政区 jurisdiction={value!r}；{hint_zh}",
                f"unknown jurisdiction {value!r}; {hint_en}",
            )
        )


class MissingDependencyError(FacilitySizingError, ImportError):
    """An optional dependency is not installed; the message names the extra that installs it.

    Attributes
    ----------
    package : str
        The missing package.
    extra : str
        The extra of ``facility-sizing`` that installs it.
    """

    code = "missing_dependency"

    def __init__(self, package: str, extra: str, purpose_zh: str, purpose_en: str) -> None:
        self.package = package
        self.extra = extra
        command = install_command(extra)
        super().__init__(
            f"{purpose_zh}需要 {package}，未安装；请运行 {command} — "
            f"{purpose_en} needs {package}, which is not installed; run {command}"
        )


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

    Attributes
    ----------
    path : str
        The file.
    key : str
        The dotted key inside the file, e.g. ``rules[3].value``.
    """

    code = "rule_data"

    def __init__(self, path: object, key: str, problem: str) -> None:
        self.path = str(path)
        self.key = key
        self.problem = problem
        super().__init__(f"{self.path}: {key}: {problem}")


class FacilitySizingWarning(UserWarning):
    """Base class of the library's warnings."""


class StaleRuleWarning(FacilitySizingWarning):
    """The date lies after a rule document's plan period: the rule may have been superseded."""
