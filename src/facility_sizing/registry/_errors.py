"""Lookup errors of the registry; both are :class:`UnknownJurisdictionError`, so existing handlers catch them."""

from __future__ import annotations

from collections.abc import Sequence

from facility_sizing.errors import UnknownJurisdictionError, bilingual

__all__ = ["AbolishedJurisdictionError", "AmbiguousJurisdictionError", "MalformedCodeError"]


class AmbiguousJurisdictionError(UnknownJurisdictionError):
    """A name that several divisions carry; ``suggestions`` lists every candidate with its parents."""

    code = "ambiguous_jurisdiction"

    def __init__(self, value: object, candidates: Sequence[str], example: str) -> None:
        super().__init__(value, candidates)
        message = bilingual(
            f"行政区名称 {value!r} 不唯一，共 {len(candidates)} 个：{'、'.join(candidates)}；"
            f"请用 6 位代码或加上级名称（如 {example}）",
            f"jurisdiction {value!r} is ambiguous, {len(candidates)} divisions carry it: "
            f"{', '.join(candidates)}; pass the 6-digit code or prefix the city/province (e.g. {example})",
        )
        self.args = (message,)


class MalformedCodeError(UnknownJurisdictionError):
    """A key of digits and punctuation that is not exactly a 6-digit code: an error, never a near match."""

    code = "malformed_code"

    def __init__(self, value: object) -> None:
        super().__init__(value, ())
        message = bilingual(
            f"{value!r} 不是行政区划代码：代码是 6 位数字（如 '330106'），不含符号、小数点或空格以外的字符",
            f"{value!r} is not a division code: a code is exactly 6 digits (e.g. '330106'); "
            "pass it as a string, without signs, dots or dashes",
        )
        self.args = (message,)


class AbolishedJurisdictionError(UnknownJurisdictionError):
    """A division that no longer exists: the message names what replaced it, where a source says."""

    code = "abolished_jurisdiction"

    def __init__(self, value: object, description: str, replaced_by: Sequence[str]) -> None:
        super().__init__(value, replaced_by)
        lead = bilingual(
            "不能按已撤销的行政区确定规则，请改用现行行政区",
            "no rules follow from an abolished division; use the current one",
        )
        self.args = (f"{lead}：{description}",)
