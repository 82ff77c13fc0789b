"""Pooling the parcels of residential areas: their ids, the checks that they belong together, their
summed inputs, hosts, shares and the documents' build conditions (:mod:`facility_sizing.api.areas` puts
these together into the result).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..engine.batch import Batch, run
from ..engine.inputs import aligned, to_days
from ..engine.plan import Plan
from ..engine.projects import frame_projects
from ..errors import FacilitySizingError, InputError
from ..model.triggers import AREA_WIDE_TOPICS, TRIGGER_TOPIC, TRIGGERS
from ..model.vocabulary import GRADE_TAGS, Label
from ..ruledata import RuleBook
from .result_frame import result_frame

__all__ = [
    "HOST_RULES",
    "PARCEL_ID_COLUMNS",
    "Placer",
    "Pool",
    "area_frame",
    "blank",
    "build_terms",
    "build_texts",
    "host_marks",
    "host_rows",
    "id_keys",
    "id_order",
    "largest_remainder",
    "pool_rows",
    "remainders",
    "row_weights",
    "share_weights",
    "size_rows",
]

#: Columns of a parcel that name it, the first present of which is its id (else the frame's index).
PARCEL_ID_COLUMNS = ("地块编号", "parcel_id", "id", "name")


# ---------------------------------------------------------------------------------------
# The rows: ids, area ids, hosts named


def _labels(df: pd.DataFrame, value: Any, name: str) -> pd.Series:
    """A column of labels (area ids, parcel ids) given as a column name or a Series aligned with ``df``."""
    if isinstance(value, pd.Series):
        return aligned(value, df.index, name)
    if isinstance(value, Hashable) and value in df.columns:
        column = df[value]
        if isinstance(column, pd.DataFrame):  # a name two columns share
            raise InputError("areas.not_a_column", field=name, value=value, columns=[str(c) for c in df.columns])
        return column
    raise InputError("areas.not_a_column", field=name, value=value, columns=[str(c) for c in df.columns])


def id_text(value: object) -> str:
    """An id as text: a whole number read from a spreadsheet column with blanks (1.0) is the 1 it was typed as."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value) or str(value).strip() == ""


def _parcel_ids(df: pd.DataFrame, parcel: Any) -> np.ndarray:
    """Each row's parcel id as text: the ``parcel`` column, else the first id column present, else the index."""
    if parcel is None:
        found = next((c for c in PARCEL_ID_COLUMNS if c in df.columns), None)
        source = df[found] if found is not None else pd.Series(df.index, index=df.index)
    else:
        source = _labels(df, parcel, "parcel")
    ids = [f"第{n}行" if blank(v) else id_text(v) for n, v in enumerate(source, start=1)]
    return np.array(ids, dtype=object)


def id_order(ids: np.ndarray) -> np.ndarray:
    """Each id's rank, ids compared as numbers where every id is one (9 before 10), else as text."""
    try:
        keys = np.array([float(i) for i in ids])
    except ValueError:
        keys = ids.astype(str)
    return np.argsort(np.argsort(keys, kind="stable"), kind="stable")


def _area_codes(labels: pd.Series) -> tuple[np.ndarray, list[str | None]]:
    """Each row's area (0…m-1, in order of first appearance) and each area's id (None: a row alone)."""
    texts = [None if blank(v) else id_text(v) for v in labels]
    codes = np.empty(len(texts), dtype=np.intp)
    ids: list[str | None] = []
    seen: dict[str, int] = {}
    for i, text in enumerate(texts):
        if text is None:
            codes[i] = len(ids)
            ids.append(None)
            continue
        if text not in seen:
            seen[text] = len(ids)
            ids.append(text)
        codes[i] = seen[text]
    return codes, ids


def host_marks(df: pd.DataFrame, host: Any) -> tuple[np.ndarray, np.ndarray]:
    """Rows the ``host`` column marks, and rows whose mark is neither True, False nor blank."""
    n = len(df)
    if host is None:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    cells = _labels(df, host, "host")
    truth = {True: True, False: False, "true": True, "false": False, "是": True, "否": False, "1": True, "0": False}
    marked, bad = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    for i, v in enumerate(cells):
        if blank(v):
            continue
        key = v.strip().lower() if isinstance(v, str) else v
        if isinstance(key, np.bool_ | np.integer):
            key = key.item()
        if isinstance(key, Hashable) and key in truth and not (isinstance(key, float) and key not in (0.0, 1.0)):
            marked[i] = truth[key]
        else:
            bad[i] = True
    return marked, bad


# ---------------------------------------------------------------------------------------
# Pooling


@dataclass
class Pool:
    """What the rows of a frame are, for pooling: their area, id, plan, day and inputs as used."""

    codes: np.ndarray  # area of each row
    area_ids: list[str | None]
    ids: np.ndarray
    plans: list[Plan | None]  # each row's plan (None: the row's own error)
    days: np.ndarray
    batch: Batch
    errors: list[FacilitySizingError | None]  # each area's error, None where it can be sized
    members: list[np.ndarray]  # each area's rows, in order
    weights: list[tuple[str | None, list[int]]] = field(default_factory=list)  # what each area's shares go by

    def rows(self, k: int) -> np.ndarray:
        """The rows of area ``k``, in order."""
        return self.members[k]


def _row_plans(batch: Batch) -> list[Plan | None]:
    return [batch.plans[p] if p >= 0 else None for p in batch.plan_idx]


def _mixed(pool: Pool, k: int, rows: np.ndarray) -> FacilitySizingError | None:
    """The error of an area whose parcels differ in jurisdiction, area type, date or opt-ins, or None."""
    keys = {
        "jurisdiction": lambda p, _i: p.division.code,
        "area_type": lambda p, _i: p.area_type,
        "on": lambda _p, i: str(pool.days[i]),
        "include_drafts": lambda p, _i: str(p.include_drafts),
        "include_reported": lambda p, _i: str(p.include_reported),
    }
    for name, key in keys.items():
        values = [key(pool.plans[i], i) for i in rows]
        if len(set(values)) > 1:
            said = [(pool.ids[i], _shown(pool.plans[i], name, pool.days[i])) for i in rows]
            shown = [Label(f"{i}：{v.zh}", f"{i}: {v.en}") for i, v in said]
            return InputError(
                "areas.mixed", field=name, value=pool.area_ids[k], area=pool.area_ids[k],
                parcels=[str(pool.ids[i]) for i in rows], shown=shown,
            )  # fmt: skip
    return None


def _shown(plan: Plan | None, field: str, day: Any) -> Label:
    """How an area-mixing error shows one parcel's value of ``field``, in both languages."""
    if plan is None:
        return Label("—", "—")
    if field == "jurisdiction":
        return Label(f"{plan.division.name}（{plan.division.code}）", f"{plan.division.name_en} ({plan.division.code})")
    if field == "area_type":
        return Label(f"{plan.area_term}（{plan.area_type}）", plan.area_type)
    if field == "on":
        text = str(pd.Timestamp(0) + pd.Timedelta(days=int(day)))[:10]
        return Label(text, text)
    return Label(str(getattr(plan, field)), str(getattr(plan, field)))


def _parcel_error(pool: Pool, k: int, bad: list[int]) -> InputError:
    """Area ``k`` cannot be sized: parcels ``bad`` have errors of their own (no plan), the first one said."""
    first = pool.batch.errors[bad[0]]
    return InputError(
        "areas.parcel_error", field="area", value=pool.area_ids[k], area=pool.area_ids[k],
        parcels=[str(pool.ids[i]) for i in bad],
        problem=first.message if isinstance(first, FacilitySizingError) else str(first),
    )  # fmt: skip


def _area_error(pool: Pool, k: int) -> FacilitySizingError | None:
    """Why area ``k`` cannot be sized as one, or None: a parcel's own error, parcels that differ, a repeated id."""
    rows = pool.rows(k)
    if len(rows) == 1:
        return None  # a parcel alone is sized as it is, its own error and all
    bad = [i for i in rows if pool.plans[i] is None]
    if bad:
        return _parcel_error(pool, k, bad)
    ids = [str(pool.ids[i]) for i in rows]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        return InputError("areas.repeated_ids", field="parcel", value=pool.area_ids[k], area=pool.area_ids[k],
                          parcels=repeated)  # fmt: skip
    return _mixed(pool, k, rows)


def _same(values: np.ndarray) -> float:
    """The one value every row shares, NaN where they differ or one is unknown."""
    return float(values[0]) if len(values) and not np.isnan(values).any() and (values == values[0]).all() else np.nan


def _pooled_inputs(pool: Pool, rows: np.ndarray) -> dict[str, Any]:
    """An area's households and population, summed exactly; unknown where a parcel's is unknown.

    Where every parcel derives its population from households and one figure per household, the
    area does the same from its summed households (one product, as the document's own arithmetic);
    otherwise the parcels' populations as used are summed in micro-persons.
    """
    b = pool.batch
    hh, pop, pph = b.households[rows], b.population[rows], b.persons_per_household[rows]
    households = float(hh.sum()) if not np.isnan(hh).any() else np.nan
    k = _same(pph)
    if bool(b.population_derived[rows].all()) and not np.isnan(k):
        return {"households": households, "population": np.nan, "persons_per_household": k}
    if np.isnan(pop).any():
        return {"households": households, "population": np.nan, "persons_per_household": np.nan}
    micro = sum(round(p * 1_000_000) for p in pop)  # exact: each as used is a whole number of micro-persons
    return {"households": households, "population": micro / 1_000_000, "persons_per_household": np.nan}


def area_frame(pool: Pool, good: list[int]) -> pd.DataFrame:
    """One row per area that can be sized: its place, type, date, opt-ins and pooled inputs."""
    records = []
    for k in good:
        rows = pool.rows(k)
        plan = pool.plans[rows[0]]
        if plan is None:  # never for an area _area_error let through: a parcel with no plan stops its area
            raise _parcel_error(pool, k, [int(rows[0])])
        day = (pd.Timestamp(0) + pd.Timedelta(days=int(pool.days[rows[0]]))).date()
        records.append(
            {
                "jurisdiction": plan.division.code,
                "area_type": plan.area_type,
                "on": day,
                "include_drafts": plan.include_drafts,
                "include_reported": plan.include_reported,
                **_pooled_inputs(pool, rows),
            }
        )
    return pd.DataFrame.from_records(records, index=pd.Index(good, dtype=np.intp))


def size_rows(book: RuleBook, frame: pd.DataFrame) -> pd.DataFrame:
    """Every row of ``frame`` sized on its own: the body of :func:`~facility_sizing.size_frame`, the one core."""
    return result_frame(frame, run(book, frame_projects(frame, {}), nan_is_error=False))


def pool_rows(
    book: RuleBook, df: pd.DataFrame, area: Any, parcel: Any, columns: dict[str, Any]
) -> tuple[Pool, pd.DataFrame]:
    """Every row sized as today, and what pooling needs of each."""
    projects = frame_projects(df, columns)
    batch = run(book, projects, nan_is_error=False)
    per_row = result_frame(df, batch)
    codes, area_ids = _area_codes(_labels(df, area, "area"))
    days, _ = to_days(projects["on"])
    days = np.broadcast_to(days, len(df)) if len(days) == 1 else days
    order = np.argsort(codes, kind="stable")
    members = np.split(order, np.flatnonzero(np.diff(codes[order])) + 1) if len(codes) else []
    pool = Pool(codes, area_ids, _parcel_ids(df, parcel), _row_plans(batch), days, batch, [], members)
    pool.errors = [None] * len(area_ids)
    for k in np.flatnonzero(_suspect(pool)):  # only these can have an error as an area: say which
        pool.errors[k] = _area_error(pool, int(k))
    return pool, per_row


def _suspect(pool: Pool) -> np.ndarray:
    """Areas of several rows where a row has no plan, or a plan or day other than its area's first row's,
    or an id another row of the area has: those :func:`_area_error` looks at (a column at a time)."""
    m = len(pool.area_ids)
    codes = pool.codes
    if not len(codes):
        return np.zeros(m, dtype=bool)
    plan = np.asarray(pool.batch.plan_idx)
    plan = np.broadcast_to(plan, len(codes)) if plan.size == 1 else plan
    first = np.array([rows[0] for rows in pool.members], dtype=np.intp)  # each area's first row
    odd = (plan < 0) | (plan != plan[first[codes]]) | (pool.days != pool.days[first[codes]])
    odd |= pd.DataFrame({"area": codes, "id": pool.ids}).duplicated(keep=False).to_numpy()
    many = np.bincount(codes, minlength=m) > 1
    return many & (np.bincount(codes, weights=odd, minlength=m) > 0)


# ---------------------------------------------------------------------------------------
# Hosts and shares


def largest_remainder(total: int, weights: list[int], ids_rank: list[int]) -> list[int]:
    """``total`` whole units shared in proportion to ``weights`` by largest remainder, exactly.

    Each share is ⌊total × w ÷ W⌋, and the units left go one each to the largest remainders; equal
    remainders to the larger weight, then the smaller id rank. The shares add up to ``total``.

    Examples
    --------
    >>> largest_remainder(135, [1000, 1500, 2500], [0, 1, 2])
    [27, 40, 68]
    >>> largest_remainder(4000, [1, 1, 1], [0, 1, 2])
    [1334, 1333, 1333]
    """
    whole = sum(weights)
    if whole == 0:
        return [0] * len(weights) if total == 0 else [-1] * len(weights)
    base = [total * w // whole for w in weights]
    left = total - sum(base)
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), -weights[i], ids_rank[i]))
    for i in order[:left]:
        base[i] += 1
    return base


def share_weights(pool: Pool, rows: np.ndarray) -> tuple[str | None, list[int]]:
    """What an area's shares go by: households where every parcel's is known and some are; else population."""
    b = pool.batch
    hh, pop = b.households[rows], b.population[rows]
    if not np.isnan(hh).any() and hh.sum() > 0:
        return "households", [int(h) for h in hh]
    if not np.isnan(pop).any() and pop.sum() > 0:
        return "population", [round(p * 1_000_000) for p in pop]
    if not np.isnan(hh).any():
        return "households", [int(h) for h in hh]  # no households at all: every share of nothing is nothing
    return None, []


#: How an area's hosts were chosen (the ``area_host_rule`` column and the areas table's ``host_rule``).
HOST_RULES: dict[str, str] = {
    "named": "named",  # marked in the host column
    "most": "most households",  # one facility: the parcel with the most households, ties by id
    "site": "fs.site p-median",  # several facilities, parcels located: fs.site's p-median chose them
    "alone": "sole parcel",  # a parcel alone hosts its own facility
}

#: ``place(rows, ids, count, basis, weights)``: the host rows fs.site chooses among ``rows`` (whose parcel
#: ids are ``ids``) and the host row serving each of them, or an InputError saying why it cannot
#: (spatial/area_hosts.py builds one).
Placer = Callable[[np.ndarray, list[str], int, str | None, list[int]], tuple[list[int], np.ndarray]]


def host_rows(
    pool: Pool, k: int, marked: np.ndarray, needed: int, place: Placer | None = None
) -> tuple[list[int], str, np.ndarray | None]:
    """The rows that host area ``k``'s facilities, the rule that chose them and each row's serving host.

    Marked rows (exactly ``needed`` of them); else, for one facility, the row with the most households
    (ties: the smaller id); else, for several, the rows ``place`` chooses (fs.site, where the parcels
    are located). The serving host of each row is known where one host serves all, or ``place`` said it.
    """
    rows = pool.rows(k)
    named = [int(i) for i in rows if marked[i]]
    ids = [str(pool.ids[i]) for i in rows]
    if needed > len(rows):  # one facility a host: fewer parcels than facilities can host them all
        raise InputError("areas.too_few_parcels", field="host", value=pool.area_ids[k], area=pool.area_ids[k],
                         count=needed, parcels_n=len(rows), parcels=ids)  # fmt: skip
    if named and len(named) != needed:
        raise InputError("areas.host_count", field="host", value=pool.area_ids[k], area=pool.area_ids[k],
                         named=len(named), count=needed, parcels=[str(pool.ids[i]) for i in named])  # fmt: skip
    if named:
        return named, HOST_RULES["named"], (np.full(len(rows), named[0]) if needed == 1 else None)
    basis, weights = pool.weights[k] if k < len(pool.weights) else (None, [])
    if needed > 1:
        if place is None:
            raise InputError("areas.hosts_needed", field="host", value=pool.area_ids[k], area=pool.area_ids[k],
                             count=needed, parcels=ids)  # fmt: skip
        hosts, served = place(rows, ids, needed, basis, weights)
        return hosts, HOST_RULES["site"], served
    if not weights:
        weights = [0] * len(rows)
    rank = id_order(pool.ids[rows])
    best = min(range(len(rows)), key=lambda j: (-weights[j], rank[j]))
    return [int(rows[best])], HOST_RULES["most"], np.full(len(rows), int(rows[best]))


# ---------------------------------------------------------------------------------------
# Build conditions: the documents' words that tie the facility to the housing


def build_terms(plan: Plan | None) -> list[Any]:
    """The plan's obligations that bind every parcel of an area (:data:`~facility_sizing.model.triggers.AREA_WIDE_TOPICS`)."""
    if plan is None:
        return []
    return [t for t in plan.obligations if t.rule.topic in AREA_WIDE_TOPICS and t.rule.addressee == "project"]


def build_texts(plan: Plan | None) -> tuple[str | None, str | None]:
    """The quoted conditions, and the build triggers, of a plan, as a result states them."""
    conditions, triggers = [], []
    for term in build_terms(plan):
        rule = term.rule
        tag = GRADE_TAGS[rule.document.grade].zh + ("（征求意见稿）" if rule.document.is_draft else "")
        conditions.append(f"“{rule.text}”（{rule.citation()}{tag}）")
        if rule.topic == TRIGGER_TOPIC and rule.trigger is not None:
            said = TRIGGERS[rule.trigger].column.zh.format(v=rule.value_text)
            triggers.append(f"{rule.condition + '：' if rule.condition else ''}{said}（{rule.citation()}{tag}）")
    return ("；".join(conditions) or None), ("；".join(triggers) or None)


# ---------------------------------------------------------------------------------------
# A column at a time: the common path of hosts and shares over every area at once


def id_keys(pool: Pool) -> np.ndarray:
    """Each row's place among its area's ids, as :func:`id_order` ranks them (numbers where every id of
    the area is one, else text): a key that orders the rows of each area as :func:`id_order` does."""
    ids = pool.ids
    numbers = np.full(len(ids), np.nan)
    numeric = np.ones(len(ids), dtype=bool)
    for i, text in enumerate(ids.tolist()):
        try:
            numbers[i] = float(text)
        except ValueError:
            numeric[i] = False
    by_number = np.argsort(np.argsort(numbers, kind="stable"), kind="stable")
    by_text = np.argsort(np.argsort(ids.astype(str), kind="stable"), kind="stable")
    all_numbers = np.bincount(pool.codes, weights=~numeric, minlength=len(pool.area_ids)) == 0
    return np.where(all_numbers[pool.codes], by_number, by_text)


def row_weights(pool: Pool) -> np.ndarray:
    """Each row's weight in its area's shares (0 where the area has none), as whole numbers."""
    out = np.zeros(len(pool.codes), dtype=np.int64)
    for rows, (_, weights) in zip(pool.members, pool.weights, strict=True):
        if weights:
            out[rows] = weights
    return out


def remainders(totals: np.ndarray, codes: np.ndarray, weights: np.ndarray, keys: np.ndarray) -> np.ndarray | None:
    """:func:`largest_remainder` for every row at once: row i's share of its area's ``totals[codes[i]]``
    (whole units, int64) by ``weights`` (int64), equal remainders to the larger weight, then the smaller
    key; -1 for an area of no weight and a total above 0. None where the products could pass int64."""
    if not len(codes):
        return np.zeros(0, dtype=np.int64)
    if int(np.abs(totals).max(initial=0)) * int(weights.max(initial=0)) >= 2**62:
        return None
    whole = np.zeros(len(totals), dtype=np.int64)
    np.add.at(whole, codes, weights)
    total, denominator = totals[codes], np.maximum(whole[codes], 1)
    base, rest = total * weights // denominator, total * weights % denominator
    given = np.zeros(len(totals), dtype=np.int64)
    np.add.at(given, codes, base)
    order = np.lexsort((keys, -weights, -rest, codes))
    starts = np.flatnonzero(np.r_[True, codes[order][1:] != codes[order][:-1]])
    position = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    extra = np.zeros(len(codes), dtype=np.int64)
    extra[order] = position < (totals - given)[codes[order]]
    out = base + extra
    out[(whole[codes] == 0) & (total != 0)] = -1
    return out
