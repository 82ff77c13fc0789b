"""What a result must say about time: a plan period past, a document checked long ago, targets and deadlines past.

The library cannot know that a document is still in force in a year it has not seen. Each
document records when its status was last checked (``checked_on``); a query dated more than
``RECHECK_AFTER_DAYS`` after that check, after the period the document's targets run to, or after
a deadline an obligation sets (Xihu's 「力争在2025年之前配置到位」) gets a notice, in Chinese and
English, that every output carries (the letter among its flags).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..model.entities import Document, Rule
from ..model.vocabulary import RECHECK_AFTER_DAYS, strength_kind

__all__ = ["RECHECK_AFTER_DAYS", "notice_days", "notices", "plan_period_notice", "status_text"]


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def status_text(doc: Document) -> tuple[str, str]:
    """The document's status as an output states it: what was searched and when, never a bare 现行有效.

    What the rule data records of the check (``checked_on``, ``checked``) is a search of public
    pages that saw no notice of repeal or amendment — not a check against the issuer's own list
    of documents in force (「未能查阅发文机关的规范性文件清理目录」). The words say that much and
    no more: 「检索，未见……公开信息」, not 「核对」, which a legal office reads as verified.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> req = fs.size(jurisdiction="西湖区", households=1200, area_type="new_build", on="2025-01-01")
    >>> status_text(req.plan.documents[0])[0]
    '2026年12月1日检索，未见废止或修订的公开信息'
    """
    if doc.status == "in_force" and doc.checked_on is not None:
        return (
            f"{_cn(doc.checked_on)}检索，未见废止或修订的公开信息",
            f"searched on {doc.checked_on.isoformat()}: no public notice of repeal or amendment seen",
        )
    if doc.status == "in_force":
        return "文件标注为现行有效，未记录核对日期", "marked in force; no date of check recorded"
    if doc.status == "draft":
        return "征求意见稿", "consultation draft"
    return "已失效", "no longer in force"


def notice_days(doc: Document) -> set[dt.date]:
    """The first days on which a notice about ``doc`` starts to apply (breakpoints of a batch)."""
    days = set()
    if doc.targets_until is not None:
        days.add(doc.targets_until + dt.timedelta(days=1))
    if doc.checked_on is not None:
        days.add(doc.checked_on + dt.timedelta(days=RECHECK_AFTER_DAYS + 1))
    return days


def plan_period_notice(doc: Document, on: dt.date) -> tuple[str, str] | None:
    """The notice for a date after the document's plan period (the result is then ``stale``)."""
    end = doc.plan_period_end
    if end is None or on <= end:
        return None
    return (
        f"日期已超出{doc.label}的规划期（至 {end.isoformat()}），该规则可能已被替代，请核实",
        f"the date is after the plan period of {doc.label} (to {end.isoformat()}); the rule may be stale — check for "
        "a successor",
    )


def _document_notices(doc: Document, on: dt.date) -> list[tuple[str, str]]:
    plan_past = plan_period_notice(doc, on)
    out: list[tuple[str, str]] = [plan_past] if plan_past is not None else []
    if doc.targets_until is not None and on > doc.targets_until:
        out.append(
            (
                f"日期已超出{doc.label}所定目标期（至{_cn(doc.targets_until)}），须核实是否已有后续文件",
                f"the date is after the period {doc.label} sets targets for (to {doc.targets_until.isoformat()}); "
                "check whether a later document has replaced it",
            )
        )
    if doc.checked_on is not None and (on - doc.checked_on).days > RECHECK_AFTER_DAYS:
        out.append(
            (
                f"{doc.label}是否废止或修订于{_cn(doc.checked_on)}检索，适用日期已超过检索后{RECHECK_AFTER_DAYS}天，须重新核对",
                f"whether {doc.label} was repealed or amended was last searched on {doc.checked_on.isoformat()}, more "
                f"than {RECHECK_AFTER_DAYS} days before the date; check it again",
            )
        )
    return out


def _deadline_notice(rule: Rule, on: dt.date) -> tuple[str, str] | None:
    # a government task's deadline (Keqiao's 15-minute circle by 2027) says nothing of this project
    if rule.deadline is None or on <= rule.deadline or rule.addressee != "project":
        return None
    if rule.strength == "mandatory":
        return (
            f"{rule.citation()}要求“{rule.text}”，该期限已于{_cn(rule.deadline)}届满",
            # the same statement as the Chinese: the clause quoted as written, the library's English beside it
            f"{rule.citation()} requires “{rule.text}” (in the library's English: {rule.summary_en.rstrip('.')}), a "
            f"deadline that passed on {rule.deadline.isoformat()}",
        )
    # 力争 / 原则上 / 鼓励 never read as 要求: the document's own word, and no deadline is claimed
    word = strength_kind(rule.strength, rule.text)
    return (
        f"{rule.citation()}“{rule.text}”为{word.zh}，不是强制期限；其所指时点{_cn(rule.deadline)}已过",
        f"{rule.citation()} “{rule.text}” (in the library's English: {rule.summary_en.rstrip('.')}) is {word.en}, "
        f"not a binding deadline; the date it names, {rule.deadline.isoformat()}, has passed",
    )


def notices(documents: Iterable[Document], obligations: Iterable[Rule], on: dt.date) -> tuple[tuple[str, str], ...]:
    """The (Chinese, English) notices a result dated ``on`` must carry."""
    out: list[tuple[str, str]] = []
    for doc in documents:
        out += _document_notices(doc, on)
    for rule in obligations:
        notice = _deadline_notice(rule, on)
        if notice is not None:
            out.append(notice)
    return tuple(dict.fromkeys(out))
