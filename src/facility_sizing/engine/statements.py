"""Statements a result makes about the whole project, generated from its plan (issue 23).

Each is a :class:`~facility_sizing.messages.Message` (words in ``data/messages/statements.toml``),
worded where it is read, and true of the documents the plan holds.
"""

from __future__ import annotations

from ..messages import Message
from ..model.bases import BASES
from ..model.quantities import QUANTITIES
from ..model.vocabulary import AREA_TYPE_PHRASES_EN, Label
from .plan import Plan

__all__ = ["no_residents_words"]


#: How a statement of no residents names the input that is 0.
_EMPTY_INPUTS = {"households": Label("户数", "number of households"), "population": Label("常住人口", "population")}


def no_residents_words(plan: Plan, by: str) -> Message:
    """What a result of no residential project says: the input that is 0 (``households`` or
    ``population``), and that the requirements of the plan's documents for its area type do not
    arise — naming the quantities whose fixed figures (a minimum, a limit) do not apply either.

    Generated from the plan (its documents, its term for the area type, its constant terms), so it
    is true of the documents it names: Xihu's 「新建居住区应按每百户不少于15平方米……且不少于200平方米」 is
    about a residential area, and a project of no households is none (``shared/RULES.md``).

    Examples
    --------
    >>> import datetime as dt
    >>> from facility_sizing.ruledata import default_rulebook
    >>> from facility_sizing.engine.plan import resolve
    >>> book = default_rulebook()
    >>> plan = resolve(book, book.division("西湖区"), "new_build", dt.date(2025, 1, 1), False)
    >>> no_residents_words(plan, "households").text("zh")
    '本项目户数为0，没有住户，不是居住项目：西政办函〔2021〕15号对新建居住区规定的托育服务设施配建要求不因本项目产生，其中建筑面积、户外活动场地、楼层限制的定额亦不适用'
    """
    cited = [t.rule.document.label for qp in plan.quantities.values() for t in qp.terms]
    documents = list(dict.fromkeys(cited or [d.label for d in plan.documents]))
    fixed = [
        QUANTITIES[q].label
        for q, qp in plan.quantities.items()
        if any(BASES[t.rule.basis or ""].constant for t in qp.terms)
    ]
    params = {
        "input": _EMPTY_INPUTS[by],
        "documents": documents,
        "area_term": Label(plan.area_term, AREA_TYPE_PHRASES_EN[plan.area_type]),
        "fixed": fixed,
    }
    return Message("statements.no_residents_fixed" if fixed else "statements.no_residents", params)
