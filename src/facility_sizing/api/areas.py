"""Residential areas (居住区): the parcels of one area pooled, sized once, hosted by one parcel, shared out.

The documents set their figures for a residential area — Xihu 二(三)1 「新建居住区…按照每百户不少于15平方米、
最小建筑面积不少于200平方米…进行相对集中配建」, Keqiao 二(一)2 「在新建城市居住区…确保每百户托育服务设施面积
不少于25平方米，每千人托位数不少于10个」, Yuyao 三(一)3 「在新建居住区内，按每千人口不少于9个托位」 — and one
area is often sold as several land-transfer parcels. :func:`size_areas` (``size_frame(..., area=COLUMN)``)
reads every row as today, then:

1. **pools** the rows of each area id: households summed exactly, population summed exactly (or, where
   every parcel derives it from one figure per household, derived once from the summed households); the
   parcels of one area must share jurisdiction, area type, date and opt-ins, else every row of the area
   gets one :class:`~facility_sizing.InputError` naming the parcels (a row without an area id is its own
   area, sized exactly as without ``area``);
2. **sizes** each area as one row through the same core as every row (:func:`~facility_sizing.size_frame`):
   what one parcel of the area's households gets — a band once per area, a facility's minimum once per
   facility the plan counts;
3. **hosts** the facility on the parcel the ``host`` column marks, else on the parcel with the most
   households (ties: the smaller id); where a band asks for more than one facility, the hosts are named
   (or chosen by :func:`~facility_sizing.site`) and each provides an equal part of the area's figure
   (``hosted_*``, by largest remainder);
4. **shares** the area's floor area, outdoor area and slots among its parcels by households, by largest
   remainder (areas at 0.01 m², slots at 1 slot; equal remainders go to the parcel with more households,
   then the smaller id), so that the shares add up exactly to the area's figure.

The parcel rows keep every column of ``size_frame`` with each parcel's **share** in ``floor_area_m2``,
``outdoor_area_m2`` and ``slots`` (so that totals over rows are the areas' totals), the area's figure
beside it (``area_floor_area_m2`` …) and the area's limits (``max_floor`` …) as they are; the table of
areas is :func:`area_table` of the result. The reading, with its clauses, is in ``docs/interpretation.md``
(居住区 section).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..engine.plan import Plan
from ..errors import FacilitySizingError, InputError
from ..model.columns import RESULT_COLUMNS, RESULT_DTYPES
from ..model.quantities import QUANTITIES
from ..ruledata import RuleBook, rulebook_or_default
from .area_pool import (
    HOST_RULES,
    Placer,
    Pool,
    area_frame,
    blank,
    build_texts,
    host_marks,
    host_rows,
    id_keys,
    id_order,
    largest_remainder,
    pool_rows,
    remainders,
    row_weights,
    share_weights,
    size_rows,
)
from .result_attrs import Areas, areas_frame, result_errors
from .result_frame import checked_input

__all__ = ["AREA_COLUMNS", "SHARED", "Areas", "area_table", "size_areas"]

#: The quantities shared among an area's parcels: the requirements a total adds up (a limit is the facility's).
SHARED: tuple[str, ...] = tuple(q.key for q in QUANTITIES.values() if q.direction == "at_least" and not q.optional)

#: The columns a parcel row gains when sized by area, in order.
AREA_COLUMNS: tuple[str, ...] = (
    "area_id",
    "area_parcel_id",
    "area_host",
    "area_host_id",
    "area_parcels",
    "area_households",
    *(f"area_{QUANTITIES[q].column}" for q in SHARED),
    "area_host_rule",
    "area_served_by",
    *(f"hosted_{QUANTITIES[q].column}" for q in SHARED),
    "hosted_households",
    "hosted_population",
    "share_basis",
    "build_condition",
    "build_trigger",
)


def area_table(result: pd.DataFrame) -> pd.DataFrame:
    """The areas of a result sized with ``area=``: one row per area.

    Columns: ``area_id``, ``parcels`` (the ids, in row order), ``hosts``, the area's inputs as used
    (``households``, ``population``, ``persons_per_household``), every result column of
    :func:`~facility_sizing.size_frame` for the area as a whole, ``share_basis``, ``build_condition``
    (the documents' words that tie the facility to the housing, quoted, with their clauses) and
    ``build_trigger`` (a share of the housing the facility must be complete before).

    Raises
    ------
    InputError
        ``result`` was not sized with ``area=``.

    Examples
    --------
    >>> import pandas as pd, facility_sizing as fs
    >>> df = pd.DataFrame({"地块编号": ["A", "B", "C"], "小区": ["XQ1"] * 3, "households": [500] * 3})
    >>> out = fs.size_frame(df, area="小区", jurisdiction="西湖区", area_type="new_build", on="2025-01-01")
    >>> fs.area_table(out)[["area_id", "households", "floor_area_m2", "hosts"]].to_dict("records")
    [{'area_id': 'XQ1', 'households': 1500.0, 'floor_area_m2': 225.0, 'hosts': 'A'}]
    >>> out["floor_area_m2"].tolist(), out["area_host"].tolist()
    ([75.0, 75.0, 75.0], [True, False, False])
    """
    frame = areas_frame(result.attrs.get("areas")) if isinstance(result, pd.DataFrame) else None
    if frame is None:
        raise InputError("areas.not_sized_by_area", field="result", value=type(result).__name__)
    return frame


# ---------------------------------------------------------------------------------------
# Sizing by area


def size_areas(
    df: pd.DataFrame,
    *,
    area: Any,
    host: Any = None,
    parcel: Any = None,
    rulebook: RuleBook | None = None,
    place: Placer | None = None,
    **columns: Any,
) -> pd.DataFrame:
    """Size the rows of ``df`` by residential area (``size_frame(df, area=..., host=..., parcel=...)``).

    Parameters
    ----------
    df : pandas.DataFrame
        One row per parcel, with the columns :func:`~facility_sizing.size_frame` reads.
    area : column name or Series
        Each parcel's area id (居住区编号); a blank cell is a parcel alone, sized as without ``area``.
    host : column name or Series, optional
        True where a parcel hosts its area's facility (是/否, 1/0 and true/false also read). An area
        with no parcel marked is hosted by the parcel with the most households (ties: the smaller id).
    parcel : column name or Series, optional
        Each parcel's id; default the first of 地块编号, parcel_id, id, name present, else the index.
    rulebook : RuleBook, optional
        Rules to use instead of the built-in ones.
    place : callable, optional
        Chooses the hosts of an area whose band asks for more than one facility and that names none:
        ``place(rows, ids, count, basis, weights)`` gives the host rows and each row's serving host, or
        raises an :class:`~facility_sizing.InputError`. :func:`~facility_sizing.size_parcels` passes
        one that runs :func:`~facility_sizing.site` (p-median) over the area's parcels; without it,
        such an area's rows get the error asking for the hosts to be named.
    **columns
        The inputs of :func:`~facility_sizing.size_frame` (a column name, a Series or one value).

    Returns
    -------
    pandas.DataFrame
        ``df`` with the result columns of ``size_frame`` (each parcel's share in ``floor_area_m2``,
        ``outdoor_area_m2`` and ``slots``; its own households and population; the area's limits,
        bases, rule set and error) and :data:`AREA_COLUMNS`; :func:`area_table` gives the areas.

    Examples
    --------
    >>> import pandas as pd, facility_sizing as fs
    >>> df = pd.DataFrame({"地块编号": ["K1", "K2", "K3"], "居住区": "KQ", "households": [1000, 1500, 2500]})
    >>> out = fs.size_frame(df, area="居住区", jurisdiction="柯桥区", area_type="new_build",
    ...                     persons_per_household=2.7, on="2025-01-01")
    >>> out["floor_area_m2"].tolist(), out["slots"].tolist(), out["area_host_id"].tolist()
    ([250.0, 375.0, 625.0], [27, 40, 68], ['K3', 'K3', 'K3'])
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError("api.not_a_frame", field="df", value=type(df).__name__)
    book = rulebook_or_default(rulebook)
    df = checked_input(df)
    pool, per_row = pool_rows(book, df, area, parcel, columns)
    marked, bad_marks = host_marks(df, host)
    for k in range(len(pool.area_ids)):
        rows = pool.rows(k)
        if pool.errors[k] is None and bad_marks[rows].any():
            shown = [str(df.iloc[i][host]) if isinstance(host, str) else "?" for i in rows[bad_marks[rows]]]
            pool.errors[k] = InputError("areas.bad_host", field="host", value=shown[0], area=pool.area_ids[k],
                                        parcels=[str(pool.ids[i]) for i in rows[bad_marks[rows]]])  # fmt: skip
    pool.weights = [share_weights(pool, rows) for rows in pool.members]
    pooled = [k for k in range(len(pool.area_ids)) if pool.errors[k] is None and len(pool.rows(k)) > 1]
    sized = size_rows(book, area_frame(pool, pooled)) if pooled else None  # the one core: areas sized as rows are
    table = _area_results(pool, per_row, sized, pooled)
    hosts = _choose_hosts(pool, table, marked, place)
    parts = _hosted(pool, table, hosts)
    out = _parcel_rows(pool, per_row, table)
    _area_columns(pool, out, table, hosts, parts)
    out.attrs["areas"] = Areas.of(_areas_frame(pool, table, hosts))
    return out


def _area_results(pool: Pool, per_row: pd.DataFrame, sized: pd.DataFrame | None, pooled: list[int]) -> pd.DataFrame:
    """Each area's result columns (object cells): the pooled sizing, a parcel alone's own row, or an error."""
    m = len(pool.area_ids)
    table = pd.DataFrame(index=range(m), columns=list(RESULT_COLUMNS), dtype=object)
    alone = [k for k in range(m) if len(pool.members[k]) == 1]
    if alone:
        rows = [int(pool.members[k][0]) for k in alone]
        table.loc[alone, list(RESULT_COLUMNS)] = per_row.iloc[rows][list(RESULT_COLUMNS)].astype(object).to_numpy()
    for k, err in enumerate(pool.errors):
        if err is not None and len(pool.members[k]) > 1:
            _wipe(table, k, err)
    if sized is not None:
        table.loc[pooled, list(RESULT_COLUMNS)] = sized[list(RESULT_COLUMNS)].astype(object).to_numpy()
        _blame_parcels(pool, per_row, table, pooled)
    return table


def _blame_parcels(pool: Pool, per_row: pd.DataFrame, table: pd.DataFrame, pooled: list[int]) -> None:
    """A pooled area whose one-row sizing failed because parcels of it fail on their own (an input left
    blank): the area's error names those parcels and their problem, so that the other parcels' rows say
    which parcel stopped the area, not an input they gave."""
    own = per_row["error"].to_numpy()
    typed = result_errors(per_row)
    for k in pooled:
        if not _unsized(table, k):
            continue
        bad = [int(i) for i in pool.rows(k) if isinstance(own[i], str)]
        if not bad:
            continue
        first = typed.get(own[bad[0]])
        problem = first.message if isinstance(first, FacilitySizingError) else own[bad[0]]
        err = InputError("areas.parcel_error", field="area", value=pool.area_ids[k], area=pool.area_ids[k],
                         parcels=[str(pool.ids[i]) for i in bad], problem=problem)  # fmt: skip
        pool.errors[k] = err
        _wipe(table, k, err)


def _typed(values: np.ndarray, column: str, index: pd.Index) -> pd.Series:
    """A result column from object cells, in its declared dtype."""
    dtype = RESULT_DTYPES.get(column, "object")
    series = pd.Series(values, index=index, dtype=object)
    if dtype == "bool":
        return series.fillna(False).astype(bool)
    if dtype == "float64":
        return pd.to_numeric(series, errors="coerce").astype("float64")
    return series.astype(dtype)


#: The columns a parcel keeps as its own (the inputs it gave, as used): the others are its area's.
_OWN = ("population", "households", "persons_per_household", "households_derived", "population_derived")


def _parcel_rows(pool: Pool, per_row: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The parcel rows: each its own inputs as used, and its area's figures, bases, flags and error."""
    out = per_row.copy()
    many = np.array([len(pool.rows(k)) > 1 for k in range(len(pool.area_ids))])[pool.codes]
    if not many.any():
        return out
    errors = result_errors(per_row).copy()
    for column in RESULT_COLUMNS:
        if column in _OWN:
            continue
        cells = per_row[column].astype(object).to_numpy(copy=True)
        cells[many] = table[column].to_numpy()[pool.codes[many]]
        if column == "error":  # a parcel's own error stays its own: the area's names it
            own = per_row["error"].to_numpy()
            cells = np.where(many & pd.notna(own), own, cells)
        out[column] = _typed(cells, column, out.index)
    for _k, err in enumerate(pool.errors):
        if err is not None:
            errors[f"[{err.code}] {err}"] = err
    out.attrs["errors"] = errors
    return out


def _wipe(table: pd.DataFrame, k: int, err: FacilitySizingError) -> None:
    """Area ``k``'s result replaced by its error: no figure stands for an area that cannot be placed."""
    table.loc[k, :] = None
    table.loc[k, "error"] = f"[{err.code}] {err}"
    table.loc[k, ["draft", "reported", "stale"]] = False


@dataclass
class _Hosts:
    """Each area's host rows and the rule that chose them; each row's serving host row (-1: not said)."""

    rows: list[list[int]]
    rule: list[str | None]
    served: np.ndarray


def _choose_hosts(pool: Pool, table: pd.DataFrame, marked: np.ndarray, place: Placer | None) -> _Hosts:
    """Each area's hosts (none for an area in error); a host that cannot be chosen is the area's error."""
    counts = table["facilities"].to_numpy()
    hosts = _Hosts([], [], np.full(len(pool.codes), -1, dtype=np.intp))
    for k, rows in enumerate(pool.members):
        if len(rows) == 1:  # a parcel alone hosts its own facility
            hosts.rows.append([int(rows[0])])
            hosts.rule.append(HOST_RULES["alone"])
            hosts.served[rows] = rows
            continue
        if pool.errors[k] is not None or _unsized(table, k):  # an area in error, or its figures unknown
            hosts.rows.append([])
            hosts.rule.append(None)
            continue
        facilities = counts[k]
        needed = int(facilities) if not blank(facilities) and int(facilities) > 1 else 1
        try:
            chosen, rule, served = host_rows(pool, k, marked, needed, place)
        except InputError as err:
            pool.errors[k] = err
            _wipe(table, k, err)
            hosts.rows.append([])
            hosts.rule.append(None)
            continue
        hosts.rows.append(chosen)
        hosts.rule.append(rule)
        if served is not None:
            hosts.served[rows] = served
    return hosts


def _unsized(table: pd.DataFrame, k: int) -> bool:
    """Whether area ``k`` sized as one row has an error (an input it needs is unknown): how many
    facilities it needs, and which parcel has the most households, are then unknown too — no host is
    chosen, and the area's rows carry that error, never a count of hosts worked out from it."""
    error = table["error"].iloc[k] if "error" in table.columns else None
    return error is not None and not (isinstance(error, float) and error != error)


def _hosted(pool: Pool, table: pd.DataFrame, hosts: _Hosts) -> dict[str, np.ndarray]:
    """The facility each host parcel provides: the area's figure, split equally among its hosts.

    The area is sized as one row (what one parcel of its households gets), so its figure already holds
    each per-facility minimum once per facility the plan counts (the engine's reading). One host
    provides the area's figure; several hosts each provide an equal part of it by largest remainder
    (areas at 0.01 m², slots at 1 slot; equal remainders to the host with more households, then the
    smaller id), so every part is at least the facility's minimum. ``households`` and ``population``
    are the equal parts of the area's (at 1 household, 1 micro-person) each facility of several serves.
    """
    n = len(pool.codes)
    cells = {q: np.full(n, None, dtype=object) for q in (*SHARED, "households", "population")}
    scaled: dict[str, tuple[str, int, Callable[[int], float | int | None]]] = {
        q: (QUANTITIES[q].column, QUANTITIES[q].scale, QUANTITIES[q].output) for q in SHARED
    }
    scaled["households"] = ("households", 1, float)
    scaled["population"] = ("population", 1_000_000, lambda v: v / 1_000_000)
    one = np.array([len(rows) == 1 and pool.errors[k] is None for k, rows in enumerate(hosts.rows)], dtype=bool)
    at = np.array([rows[0] for rows in hosts.rows if len(rows) == 1], dtype=np.intp)
    single = np.array([len(rows) == 1 for rows in hosts.rows], dtype=bool)
    for q in SHARED:  # one host provides the area's figure (the common case, a column at a time)
        cells[q][at[one[single]]] = table[QUANTITIES[q].column].to_numpy()[one]
    for k, rows in enumerate(hosts.rows):
        if len(rows) < 2 or pool.errors[k] is not None:
            continue
        rank = _rank(_own_weights(pool, k, rows), id_order(pool.ids[rows]))
        for q, (column, scale, output) in scaled.items():
            total = table[column].to_numpy()[k]
            if blank(total):
                continue  # unknown is never 0
            parts = largest_remainder(round(float(total) * scale), [1] * len(rows), rank)
            cells[q][rows] = [output(p) for p in parts]
    return cells


def _own_weights(pool: Pool, k: int, rows: list[int]) -> list[int]:
    """The hosts' own weights (households, else population) in area ``k``'s shares."""
    weights = pool.weights[k][1]
    members = pool.rows(k)
    return [weights[int(np.flatnonzero(members == r)[0])] if weights else 0 for r in rows]


def _rank(weights: list[int], id_rank: np.ndarray) -> list[int]:
    """Each host's rank for equal remainders: more households first, then the smaller id."""
    order = sorted(range(len(weights)), key=lambda j: (-weights[j], int(id_rank[j])))
    rank = [0] * len(weights)
    for position, j in enumerate(order):
        rank[j] = position
    return rank


def _shares(pool: Pool, table: pd.DataFrame, index: pd.Index) -> tuple[np.ndarray, dict[str, pd.Series]]:
    """Each parcel's share of its area's floor area, outdoor area and slots, and what the shares go by.

    Every area at once (:func:`~facility_sizing.api.area_pool.remainders`); a quantity whose products
    could pass int64 is shared area by area (:func:`_shares_one_by_one`), the same arithmetic.
    """
    n, codes = len(pool.codes), pool.codes
    basis = np.full(n, None, dtype=object)
    cells = {q: np.full(n, None, dtype=object) for q in SHARED}
    figures = {q: table[QUANTITIES[q].column].to_numpy() for q in SHARED}
    sizes = np.array([len(rows) for rows in pool.members], dtype=np.intp)
    ok = np.array([err is None for err in pool.errors], dtype=bool)
    how = np.array([w[0] for w in pool.weights], dtype=object)
    basis[ok[codes]] = how[codes][ok[codes]]
    alone = (ok & (sizes == 1))[codes]  # a parcel alone: its share is its own figure, as sized
    pooled = ok & (sizes > 1) & np.array([h is not None for h in how], dtype=bool)
    weights, keys = row_weights(pool), id_keys(pool)
    for q in SHARED:
        spec = QUANTITIES[q]
        cells[q][alone] = figures[q][codes[alone]]
        known = pooled & np.array([not blank(v) for v in figures[q]], dtype=bool)  # no figure: no share
        totals = np.zeros(len(sizes), dtype=np.int64)
        totals[known] = [round(float(v) * spec.scale) for v in figures[q][known]]
        parts = remainders(totals, codes, weights, keys)
        if parts is None:
            _shares_one_by_one(pool, q, figures[q], known, cells[q])
            continue
        take = known[codes] & (parts >= 0)
        cells[q][take] = parts[take] / spec.scale if spec.is_area else parts[take]
    return basis, {QUANTITIES[q].column: _typed(cells[q], QUANTITIES[q].column, index) for q in SHARED}


def _shares_one_by_one(pool: Pool, q: str, figures: np.ndarray, known: np.ndarray, cells: np.ndarray) -> None:
    """The shares of quantity ``q`` area by area, in Python integers (figures too large for int64)."""
    spec = QUANTITIES[q]
    for k in np.flatnonzero(known):
        rows = pool.members[k]
        rank = [int(r) for r in id_order(pool.ids[rows])]
        parts = largest_remainder(round(float(figures[k]) * spec.scale), pool.weights[k][1], rank)
        if parts[0] >= 0:
            cells[rows] = [spec.output(p) for p in parts]


def _area_plan(pool: Pool, k: int) -> Plan | None:
    """The plan area ``k`` was sized under (its parcels share it), None for an area in error."""
    return pool.plans[pool.members[k][0]] if pool.errors[k] is None else None


def _texts(pool: Pool) -> list[tuple[str | None, str | None]]:
    """Each area's build conditions and triggers (worded once per plan)."""
    said: dict[int, tuple[str | None, str | None]] = {}
    out = []
    for k in range(len(pool.members)):
        plan = _area_plan(pool, k)
        if id(plan) not in said:
            said[id(plan)] = build_texts(plan)
        out.append(said[id(plan)])
    return out


def _area_columns(
    pool: Pool, out: pd.DataFrame, table: pd.DataFrame, hosts: _Hosts, parts: dict[str, np.ndarray]
) -> None:
    """The area columns of the parcel rows, and each parcel's share in the shared quantities' columns."""
    codes, index = pool.codes, out.index
    host_of = np.zeros(len(out), dtype=bool)
    host_ids = np.full(len(pool.members), None, dtype=object)
    for k, rows in enumerate(hosts.rows):
        host_of[rows] = True
        host_ids[k] = "、".join(str(pool.ids[i]) for i in rows) or None
    out["area_id"] = pd.Series(np.array(pool.area_ids, dtype=object)[codes], index=index, dtype=object)
    out["area_parcel_id"] = pd.Series(pool.ids, index=index, dtype=object)  # as the area's letters name it
    out["area_host"] = host_of
    out["area_host_id"] = pd.Series(host_ids[codes], index=index, dtype=object)
    out["area_parcels"] = np.array([len(m) for m in pool.members], dtype=np.int64)[codes]
    out["area_households"] = _typed(table["households"].to_numpy()[codes], "households", index)
    for q in SHARED:
        column = QUANTITIES[q].column
        out[f"area_{column}"] = _typed(table[column].to_numpy()[codes], column, index)
    out["area_host_rule"] = pd.Series(np.array(hosts.rule, dtype=object)[codes], index=index, dtype=object)
    served = np.where(hosts.served >= 0, pool.ids[np.maximum(hosts.served, 0)], None)
    out["area_served_by"] = pd.Series(served, index=index, dtype=object)
    for q in SHARED:
        column = QUANTITIES[q].column
        out[f"hosted_{column}"] = _typed(parts[q], column, index)
    for column in ("households", "population"):  # the equal part of the area each facility of several serves
        out[f"hosted_{column}"] = _typed(parts[column], column, index)
    basis, shares = _shares(pool, table, index)
    for column, values in shares.items():
        out[column] = values
    texts = _texts(pool)
    out["share_basis"] = pd.Series(basis, index=index, dtype=object)
    out["build_condition"] = pd.Series([texts[k][0] for k in codes], index=index, dtype=object)
    out["build_trigger"] = pd.Series([texts[k][1] for k in codes], index=index, dtype=object)


def _area_inputs(pool: Pool) -> dict[str, list[Any]]:
    """Each area's jurisdiction (code), area type, date and opt-ins, as it was sized (None for an area in error)."""
    plans = [_area_plan(pool, k) for k in range(len(pool.members))]
    days = [(pd.Timestamp(0) + pd.Timedelta(days=int(pool.days[m[0]]))).date() for m in pool.members]
    return {
        "jurisdiction": [str(p.division.code) if p else None for p in plans],  # a code, never a float
        "area_type": [p.area_type if p else None for p in plans],
        "on": [d if p else None for p, d in zip(plans, days, strict=True)],
        "include_drafts": [bool(p and p.include_drafts) for p in plans],
        "include_reported": [bool(p and p.include_reported) for p in plans],
    }


def _areas_frame(pool: Pool, table: pd.DataFrame, hosts: _Hosts) -> pd.DataFrame:
    """One row per area: its id, parcels, hosts, the area's result columns and its build conditions."""
    index = pd.RangeIndex(len(pool.members))
    texts = _texts(pool)
    basis = [None if pool.errors[k] is not None else pool.weights[k][0] for k in range(len(pool.members))]
    columns: dict[str, Any] = {
        "area_id": pd.Series(pool.area_ids, index=index, dtype=object),
        "parcels": ["、".join(str(pool.ids[i]) for i in rows) for rows in pool.members],
        "hosts": ["、".join(str(pool.ids[i]) for i in rows) or None for rows in hosts.rows],
        "host_rule": pd.Series(hosts.rule, index=index, dtype=object),
    }
    columns.update(_area_inputs(pool))
    for column in RESULT_COLUMNS:
        columns[column] = _typed(table[column].to_numpy(), column, index)
    columns.update(share_basis=basis, build_condition=[t[0] for t in texts], build_trigger=[t[1] for t in texts])
    return pd.DataFrame(columns, index=index)
