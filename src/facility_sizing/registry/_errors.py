"""Lookup errors of the registry; all are :class:`UnknownJurisdictionError`, so existing handlers catch them."""

from __future__ import annotations

from collections.abc import Sequence

from facility_sizing.errors import UnknownJurisdictionError
from facility_sizing.messages import Message

__all__ = ["AbolishedJurisdictionError", "AmbiguousJurisdictionError", "MalformedCodeError"]


class AmbiguousJurisdictionError(UnknownJurisdictionError):
    """A name that several divisions carry; ``suggestions`` lists every candidate with its parents.

    Examples
    --------
    >>> err = AmbiguousJurisdictionError("鼓楼区", ["鼓楼区（江苏省南京市，320106）", "鼓楼区（福建省福州市，350102）"], "南京市鼓楼区")
    >>> print(err.text("zh"))
    行政区名称 '鼓楼区' 不唯一，共 2 个：鼓楼区（江苏省南京市，320106）、鼓楼区（福建省福州市，350102）；请用 6 位代码或加上级名称（如 南京市鼓楼区）
    """

    code = "ambiguous_jurisdiction"

    def __init__(self, value: object, candidates: Sequence[str], example: str) -> None:
        super().__init__(value, candidates, key="registry.ambiguous", count=len(candidates), example=example)


class MalformedCodeError(UnknownJurisdictionError):
    """A key of digits and punctuation that is not exactly a 6-digit code: an error, never a near match."""

    code = "malformed_code"

    def __init__(self, value: object) -> None:
        super().__init__(value, (), key="registry.malformed_code")


class AbolishedJurisdictionError(UnknownJurisdictionError):
    """A division that no longer exists: the message names what replaced it, where a source says.

    ``status`` is the division's status (:meth:`Registry.status <facility_sizing.registry.Registry.status>`);
    ``suggestions`` holds the codes that replaced it.
    """

    code = "abolished_jurisdiction"

    def __init__(self, value: object, status: Message | str, replaced_by: Sequence[str]) -> None:
        super().__init__(value, replaced_by, key="registry.abolished", status=status)
