"""A red-lined comparison (修订对照) of two results of one project: :func:`compare`.

The two results differ only in the date (``on``) or the rule book; per quantity the comparison
gives the old and the new figure, the rules and documents behind each and the date of the
change, and per sentence of the condition clause the old and the new text. The batch form is
:func:`facility_sizing.compare_frames`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, overload

import pandas as pd

from ..errors import InputError
from ..messages import Message
from ..model.entities import Rule
from ..model.quantities import QUANTITIES
from ..results.comparison import Comparison, QuantityChange, RuleRef, SentenceChange, date_of_change
from ..results.requirement import Requirement
from .compare_frames import compare_frames

__all__ = ["SECTIONS", "compare", "compare_frames", "rules_behind"]

#: The sections of a condition clause, in its order: the ``section`` of a sentence's row.
SECTIONS: tuple[str, ...] = ("title", "flags", "preamble", "sizing", "obligations", "documents", "inputs")


@overload
def compare(a: Requirement, b: Requirement) -> Comparison: ...


@overload
def compare(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame: ...


def compare(a: Requirement | pd.DataFrame, b: Requirement | pd.DataFrame) -> Comparison | pd.DataFrame:
    """Compare two results of one project: what changed, on which rule and document, and when.

    Parameters
    ----------
    a, b : Requirement, or DataFrame
        The old and the new result of the same project (jurisdiction, area type, inputs and
        opt-ins), sized on two dates or under two rule books. Two :func:`size_frame` results
        are compared row by row (see :func:`compare_frames`).

    Returns
    -------
    Comparison
        ``quantities``: per quantity the old and the new figure, ``change`` (``same``,
        ``basis_changed``, ``raised``, ``lowered``, ``added``, ``removed``), the rules behind
        each (rule id, document, clause, grade) and ``changed_on``, the date of effect of the
        document that brought the change (``changed_on_stated``: whether the document states it).
        ``sentences``: per sentence of the condition clause, the old and the new text and its
        status (``same``, ``changed``, ``added``, ``removed``). ``old_stamp`` / ``new_stamp``.
        ``print()`` shows the 修订对照; ``to_markdown()``, ``to_html()``, ``to_dict()``,
        ``to_frame()``.

    Raises
    ------
    InputError
        If the two are results of different projects (the error names what differs), or are not
        results.

    Examples
    --------
    Xihu's own rules set no slots; Zhejiang's provincial opinions, known by report and in force
    from 2022-08-13, add 10 per 1,000 people:

    >>> import facility_sizing as fs
    >>> project = dict(jurisdiction="西湖区", households=1334, population=3500, area_type="new_build",
    ...                include_reported=True)
    >>> cmp = fs.compare(fs.size(**project, on="2021-10-01"), fs.size(**project, on="2022-08-20"))
    >>> row = cmp.quantity("slots")
    >>> row.old, row.new, row.change, row.changed_on.isoformat(), row.changed_by
    (None, 35, 'added', '2022-08-13', '浙江省优化生育政策实施意见（2022，据报道）')
    >>> cmp.quantity("floor_area").change
    'same'
    """
    if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
        return compare_frames(a, b)
    for name, value in (("a", a), ("b", b)):
        if not isinstance(value, Requirement):
            raise InputError("api.not_a_requirement", field=name, value=type(value).__name__)
    if not isinstance(a, Requirement) or not isinstance(b, Requirement):  # pragma: no cover - checked above
        raise InputError("api.not_a_requirement", field="a", value=None)
    differs = check_same_project(a, b)
    quantities = [q for q in QUANTITIES if q in set(a.quantities_shown()) | set(b.quantities_shown())]
    rows = tuple(_quantity_change(a, b, q) for q in quantities)
    return Comparison(a, b, rows, tuple(_sentence_changes(a, b)), differs)


# ---------------------------------------------------------------------------------------
# One project: the same project, and what tells the two results apart


def _given(req: Requirement) -> dict[str, Any]:
    """The inputs as the caller gave them (a derived value is not an input)."""
    return {
        "households": None if req.households_derived else req.households,
        "population": None if req.population_derived else req.population,
        "persons_per_household": req.persons_per_household,
    }


def check_same_project(a: Requirement, b: Requirement) -> tuple[str, ...]:
    """What tells two results of one project apart (``on``, ``rule_data``, ``library``).

    Raises
    ------
    InputError
        If they are results of different projects: another jurisdiction, area type, input or
        opt-in. The error names every field that differs, with both values.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> a = fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
    >>> check_same_project(a, fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-06-01"))
    ('on',)
    >>> check_same_project(a, fs.size(jurisdiction="西湖区", households=1500, area_type="new_build", on="2025-01-01"))
    Traceback (most recent call last):
    ...
    facility_sizing.errors.InputError: 两个结果不是同一项目，无法对照：households: 1334.0 ≠ 1500.0；...
    """
    fields: dict[str, tuple[Any, Any]] = {
        "jurisdiction": (
            f"{a.jurisdiction.name}（{a.jurisdiction.code}）",
            f"{b.jurisdiction.name}（{b.jurisdiction.code}）",
        ),
        "area_type": (a.area_type, b.area_type),
        **{k: (v, _given(b)[k]) for k, v in _given(a).items()},
        "include_drafts": (a.include_drafts, b.include_drafts),
        "include_reported": (a.include_reported, b.include_reported),
    }
    different = {k: v for k, v in fields.items() if v[0] != v[1]}
    if different:
        listed = [Message("api.differs", {"field": k, "old": old, "new": new}) for k, (old, new) in different.items()]
        raise InputError(
            "api.different_projects", field=next(iter(different)), value=next(iter(different.values())), listed=listed
        )
    stamps = {
        "on": (a.on, b.on),
        "rule_data": (a.stamp.get("rule_data"), b.stamp.get("rule_data")),
        "library": (a.stamp.get("library"), b.stamp.get("library")),
    }
    return tuple(k for k, (old, new) in stamps.items() if old != new)


# ---------------------------------------------------------------------------------------
# Quantities


def rules_behind(req: Requirement, quantity: str) -> tuple[Rule, ...]:
    """The rules behind a quantity's figure: those that bound it; without a figure, those that
    govern it instead (a rule whose basis has no input, a constant still known, or an obligation
    that replaces the figure).

    Examples
    --------
    >>> import facility_sizing as fs
    >>> req = fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
    >>> [r.id for r in rules_behind(req, "floor_area")]
    ['xihu.new_build.floor_area.rate']
    """
    uses = [u for u in req.rules if u.quantity == quantity]
    if req.value(quantity) is not None:
        return tuple(u.rule for u in uses if u.binding and u.rule is not None)
    rules = [r for u in uses for r in (*u.unmet, *u.known)]
    rules += [u.rule for u in req.obligations if u.rule is not None and quantity in u.rule.replaces_figure_for]
    return tuple(dict.fromkeys(rules))


def classify(old: float | None, new: float | None, same_basis: bool) -> str:
    """How a figure changed: ``same``, ``basis_changed``, ``raised``, ``lowered``, ``added`` or ``removed``.

    :func:`_quantity_change` refines ``basis_changed`` to ``strength_changed`` or
    ``condition_changed`` where the same rules changed only in how binding they are or their condition.

    Examples
    --------
    >>> classify(200.1, 266.8, False), classify(None, 35, False), classify(2, 2, False), classify(None, None, True)
    ('raised', 'added', 'basis_changed', 'same')
    """
    if old is None and new is not None:
        return "added"
    if old is not None and new is None:
        return "removed"
    if old is not None and new is not None and old != new:
        return "raised" if new > old else "lowered"
    return "same" if same_basis else "basis_changed"


def _quantity_change(a: Requirement, b: Requirement, quantity: str) -> QuantityChange:
    old_rules = tuple(RuleRef.of(r) for r in rules_behind(a, quantity))
    new_rules = tuple(RuleRef.of(r) for r in rules_behind(b, quantity))
    old, new = a.value(quantity), b.value(quantity)
    change = classify(old, new, old_rules == new_rules)
    if change == "basis_changed":
        change = _what_of_the_basis_changed(old_rules, new_rules)
    when: tuple[dt.date | None, bool, str | None] = (None, False, None)
    if change != "same":
        earlier, later = (old_rules, new_rules) if a.on <= b.on else (new_rules, old_rules)
        when = date_of_change([r.dated for r in earlier], [r.dated for r in later])
    return QuantityChange(quantity, old, new, change, old_rules, new_rules, *when)


def _what_of_the_basis_changed(old: tuple[RuleRef, ...], new: tuple[RuleRef, ...]) -> str:
    """``strength_changed`` (应 → 原则上), ``condition_changed``, or ``basis_changed`` for other rules."""

    def bare(refs: tuple[RuleRef, ...], strength: bool) -> tuple[RuleRef, ...]:
        return tuple(dataclasses.replace(r, condition=None, strength=None if strength else r.strength) for r in refs)

    if bare(old, True) != bare(new, True):
        return "basis_changed"
    if bare(old, False) != bare(new, False):
        return "strength_changed"
    return "condition_changed"


# ---------------------------------------------------------------------------------------
# Clause sentences


def _sentences(req: Requirement) -> Iterator[tuple[str, str, str, str]]:
    """Each sentence of the requirement's clause: (key, section, Chinese, English), in the clause's order."""
    clause = json.loads(req.clause(fmt="json"))
    yield "title", "title", clause["title"]["zh"], clause["title"]["en"]
    if clause["flags"]["zh"]:
        yield "flags", "flags", "；".join(clause["flags"]["zh"]), "; ".join(clause["flags"]["en"])
    if clause["preamble"]["zh"]:
        yield "preamble", "preamble", clause["preamble"]["zh"], clause["preamble"]["en"]
    for section in ("sizing", "obligations"):
        seen: dict[str, int] = {}
        for item in clause[section]:
            n = seen[item["key"]] = seen.get(item["key"], 0) + 1
            yield f"{section}:{item['key']}" + (f"#{n}" if n > 1 else ""), section, item["zh"], item["en"]
    for doc in clause["documents"]:
        yield f"documents:{doc['document']}", "documents", doc["zh"], doc["en"]
    for zh, en in zip(clause["inputs"]["zh"], clause["inputs"]["en"], strict=True):
        yield f"inputs:{zh.split('：', 1)[0]}", "inputs", zh, en


def _sentence_changes(a: Requirement, b: Requirement) -> list[SentenceChange]:
    """The sentences of both clauses in the new clause's order, a removed one after its old neighbour."""
    old = {key: (section, zh, en) for key, section, zh, en in _sentences(a)}
    new = {key: (section, zh, en) for key, section, zh, en in _sentences(b)}
    order = list(new)
    previous: str | None = None
    for key in old:
        if key not in new:
            order.insert(order.index(previous) + 1 if previous is not None else 0, key)
        previous = key
    order.sort(key=lambda k: SECTIONS.index((new.get(k) or old[k])[0]))  # stable: within a section, as merged
    rows = []
    for key in order:
        o, n = old.get(key), new.get(key)
        section = (n or o or ("", "", ""))[0]
        status = "added" if o is None else "removed" if n is None else "same" if o[1:] == n[1:] else "changed"
        rows.append(
            SentenceChange(
                key,
                section,
                o[1] if o else None,
                n[1] if n else None,
                o[2] if o else None,
                n[2] if n else None,
                status,
            )
        )
    return rows
