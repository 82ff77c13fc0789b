"""Gap analysis of existing residential areas: the requirement against what nearby facilities provide.

:func:`gap_analysis` sizes existing residential areas under the existing-area rules and sets
against each requirement the share of nearby facilities' capacity apportioned to it, with the
shortfall and the deadline the document sets. The phases are named functions:
:func:`_size_areas`, the pairs within reach (shared with coverage, :mod:`.reach`),
:func:`_reach`, :func:`_compare` (one quantity at a time, :func:`_provided` apportioning each
facility's capacity), :func:`_deadlines` and :func:`_overdue`.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import numpy as np
import pandas as pd

from ...api.summary import TOTALLED
from ...engine.inputs import RowErrors
from ...errors import FacilitySizingWarning, InputError, bilingual
from ...model.quantities import QuantitySpec
from ...ruledata import RuleBook
from ..geometry.locate import check_frame, locate
from .inputs import distance_source_text, numbers, row_error_texts, rule_distance, service_distance
from .reach import PairSource, pairs_within

__all__ = ["GAP_QUANTITIES", "gap_analysis"]

#: The quantities compared: the core requirements a facility's capacity can meet (from the registry).
GAP_QUANTITIES = TOTALLED


def _ceil_cents(x: np.ndarray) -> np.ndarray:
    # Round up to 0.01 m² (never understate), after clearing float noise below 1e-6 m².
    return np.ceil(np.round(x * 100, 4)) / 100


def gap_analysis(
    areas: Any,
    facilities: Any,
    *,
    jurisdiction: Any,
    on: Any,
    distance_m: float | None = None,
    circle: str | None = None,
    include_unverified: bool = False,
    households: str = "households",
    population: str | None = None,
    persons_per_household: float | None = None,
    slots: str = "slots",
    floor_area: str = "floor_area_m2",
    outdoor_area: str = "outdoor_area_m2",
    include_drafts: bool = False,
    include_reported: bool = False,
    network: Any = None,
    assume_crs: object = None,
    rulebook: Any = None,
) -> Any:
    """Existing residential areas: the requirement under the existing-area rules against what is nearby.

    Each area is sized with ``area_type="existing"`` (已建成居住区). Each facility within
    ``distance_m`` of an area (centroid to facility, straight-line or along ``network``) counts
    towards it, but a facility's capacity is shared among all the areas within its reach in
    proportion to their requirements (the first step of a two-step floating catchment), so no
    slot or square metre is counted twice. The shortfall is the requirement less that share,
    rounded up (slots to whole slots, areas to 0.01 m²); the deadline is the one the document
    sets for existing areas (Xihu, Binjiang: before 2025), and ``overdue`` marks a shortfall
    after it.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Existing residential areas (polygons or points) with households (and population).
    facilities : geopandas.GeoDataFrame
        Existing facilities with ``slots`` and, where known, ``floor_area_m2`` and
        ``outdoor_area_m2``. A capacity column that is absent leaves what is provided of that
        quantity *unknown* (NA), never 0.
    jurisdiction : str, int or column name
        As in :func:`size_frame`.
    on : date or str
        The date whose rules apply.
    distance_m, circle, include_unverified, network, assume_crs
        As in :func:`coverage`. With neither ``distance_m`` nor ``circle``, the distance is the
        service radius the rules in force set for the areas (the strictest, where areas differ);
        where a rule sets none, an error says so and asks for one.
    households, population, persons_per_household
        Columns (or a scalar for ``persons_per_household``) as in :func:`size_frame`.
    slots, floor_area, outdoor_area : str
        Capacity columns of ``facilities``.
    include_reported : bool, default False
        Use documents known by report only (marked reported); a column of ``areas`` never opts in.
    include_drafts : bool, default False
        Use a consultation draft (Binjiang).
    rulebook : RuleBook, optional
        Rules from :func:`load_rules`.

    Returns
    -------
    geopandas.GeoDataFrame
        ``areas`` in their own order with, for each quantity the jurisdiction sets
        (``floor_area``, ``outdoor_area``, ``slots``): ``required_*``, ``provided_*``,
        ``shortfall_*``; ``facilities_in_reach``, ``deadline``, ``deadline_citation``,
        ``overdue`` and ``error``. ``attrs`` holds the distance, its source and the
        facilities whose capacity could not be read.

    Examples
    --------
    >>> import geopandas as gpd, shapely, facility_sizing as fs
    >>> x, y = 500_000, 3_350_000
    >>> areas = gpd.GeoDataFrame({"households": [1000, 3000]},
    ...     geometry=[shapely.Point(x, y), shapely.Point(x + 400, y)], crs=4549)
    >>> facs = gpd.GeoDataFrame({"slots": [10], "floor_area_m2": [200.0], "outdoor_area_m2": [40.0]},
    ...     geometry=[shapely.Point(x + 200, y)], crs=4549)
    >>> gap = fs.gap_analysis(areas, facs, jurisdiction="西湖区", on="2025-06-01", distance_m=500)
    >>> gap[["required_floor_area", "provided_floor_area", "shortfall_floor_area"]].values.tolist()
    [[150.0, 66.66, 83.34], [300.0, 133.33, 166.67]]
    >>> gap["overdue"].tolist()    # 二(三)1: 力争在2025年之前配置到位
    [True, True]
    """
    from ...engine.inputs import parse_date
    from ...ruledata import rulebook_or_default

    check_frame("areas", areas)
    check_frame("facilities", facilities)
    book = rulebook_or_default(rulebook)
    day = parse_date(on)
    sized = _size_areas(
        areas,
        jurisdiction,
        households,
        population,
        persons_per_household,
        day,
        (bool(include_drafts), bool(include_reported)),
        rulebook,
    )
    if distance_m is None and circle is None:
        d, source = rule_distance(sized)
    else:
        d, source = service_distance(distance_m, circle, bool(include_unverified), book)
    ap, fp, target = locate("areas", areas, facilities, assume_crs)
    a_located = ~ap.errors.mask
    f_located = ~fp.errors.mask
    axy = np.where(a_located[:, None], ap.xy, np.nan)
    fxy = np.where(f_located[:, None], fp.xy, np.nan)
    chunks = pairs_within(axy, fxy, d, network, target, assume_crs)

    out = areas.copy()
    size_err = sized["error"].to_numpy(dtype=object)
    errors = np.where(pd.isna(size_err), row_error_texts(ap.errors), size_err)
    bad = pd.notna(errors)
    in_reach, shared_with_unknown = _reach(chunks, bad, len(facilities))
    out["facilities_in_reach"] = in_reach
    capacity = {"floor_area": floor_area, "outdoor_area": outdoor_area, "slots": slots}
    facility_problems, unknown_any = _compare(
        out, sized, facilities, capacity, chunks, bad, f_located, shared_with_unknown
    )
    deadlines, cites = _deadlines(book, sized, bad, day, (bool(include_drafts), bool(include_reported)))
    out["deadline"] = deadlines
    out["deadline_citation"] = cites
    out["overdue"] = _overdue(out, deadlines, day, unknown_any, bad)
    no_error = np.full(len(bad), None, dtype=object)
    out["error"] = pd.Series(np.where(bad, errors, no_error), index=areas.index, dtype=object)
    out.attrs.update(
        {
            "distance_m": d,
            "distance_source": distance_source_text(source),
            "on": day.isoformat(),
            "facility_capacity_errors": facility_problems,
            "unlocated_areas": int((~a_located).sum()),
            "unlocated_facilities": int((~f_located).sum()),
        }
    )
    _warn_unlocated(a_located, f_located)
    return out


# --------------------------------------------------------------------------------------
# The phases


def _size_areas(
    areas: Any,
    jurisdiction: Any,
    households: str,
    population: str | None,
    persons_per_household: float | None,
    day: dt.date,
    opt_ins: tuple[bool, bool],
    rulebook: Any,
) -> pd.DataFrame:
    """Each area sized under the existing-area rules (已建成居住区)."""
    from ...api.sizing import size_frame

    for name, col in (("households", households), ("population", population)):
        if col is not None and col not in areas.columns:
            raise InputError("spatial.not_a_column_of", field=name, value=col, frame="areas")
    table = pd.DataFrame(areas.drop(columns=areas.geometry.name))
    return size_frame(
        table,
        jurisdiction=jurisdiction,
        area_type="existing",
        households=table[households],
        population=None if population is None else table[population],
        persons_per_household=persons_per_household,
        on=day,
        include_drafts=opt_ins[0],
        include_reported=opt_ins[1],
        rulebook=rulebook,
    )


def _reach(chunks: PairSource, bad: np.ndarray, nf: int) -> tuple[np.ndarray, np.ndarray]:
    """Facilities in reach of each area, and the facilities shared with an area whose requirement is unknown.

    An area with an error but a place claims an unknown share of every facility it reaches:
    the others sharing that facility cannot be told what they get (never a silent zero).
    """
    n = len(bad)
    in_reach = np.zeros(n, dtype=np.int64)
    shared_with_unknown = np.zeros(nf, dtype=bool)
    for pa, pf, _ in chunks:
        in_reach += np.bincount(pa, minlength=n)
        shared_with_unknown[pf[bad[pa]]] = True
    return in_reach, shared_with_unknown


def _compare(
    out: Any,
    sized: pd.DataFrame,
    facilities: Any,
    capacity: dict[str, str],
    chunks: PairSource,
    bad: np.ndarray,
    f_located: np.ndarray,
    shared_with_unknown: np.ndarray,
) -> tuple[dict[str, list[int]], np.ndarray]:
    """``required_*``, ``provided_*`` and ``shortfall_*`` of each quantity, written into ``out``.

    Returns the facilities whose capacity could not be read (by column) and the areas with some
    shortfall that cannot be worked out.
    """
    n = len(bad)
    facility_problems: dict[str, list[int]] = {}
    unknown_any = bad.copy()
    for spec in GAP_QUANTITIES:
        quantity = spec.key
        req = sized[spec.column].to_numpy(dtype=float, na_value=np.nan)
        req = np.where(bad, np.nan, req)
        cap_col = capacity[quantity]
        out[f"required_{quantity}"] = (
            req if spec.is_area else pd.array(np.where(np.isnan(req), 0, req).astype(np.int64), dtype="Int64")
        )
        if not spec.is_area:
            out.loc[np.isnan(req), f"required_{quantity}"] = pd.NA
        if cap_col not in facilities.columns:
            provided = np.full(n, np.nan)
        else:
            ferr = RowErrors(len(facilities))
            cap = numbers(cap_col, facilities, cap_col, ferr)
            if (ferr.mask & f_located).any():
                facility_problems[cap_col] = np.flatnonzero(ferr.mask & f_located).tolist()
            unknown_fac = (ferr.mask & f_located) | shared_with_unknown
            cap = np.where(ferr.mask | ~f_located, 0.0, cap)
            provided = _provided(req, cap, unknown_fac, chunks)
        unknown_any |= ~np.isnan(req) & np.isnan(provided)
        _write_shortfall(out, spec, req, provided)
    return facility_problems, unknown_any


def _provided(req: np.ndarray, cap: np.ndarray, unknown_fac: np.ndarray, chunks: PairSource) -> np.ndarray:
    """Each area's share of the capacity in reach, in proportion to the requirements sharing it (2SFCA step 1).

    NA for an area with an unknown requirement or in reach of a facility whose share is unknown.
    """
    n, nf = len(req), len(cap)
    weight = np.nan_to_num(req, nan=0.0)
    denom = np.zeros(nf)
    for pa, pf, _ in chunks:
        denom += np.bincount(pf, weights=weight[pa], minlength=nf)
    provided = np.zeros(n)
    unknown_area = np.zeros(n, dtype=bool)
    for pa, pf, _ in chunks:
        with np.errstate(divide="ignore", invalid="ignore"):
            alloc = np.where(denom[pf] > 0, cap[pf] * weight[pa] / denom[pf], 0.0)
        provided += np.bincount(pa, weights=alloc, minlength=n)
        unknown_area[pa[unknown_fac[pf]]] = True
    return np.where(np.isnan(req) | unknown_area, np.nan, provided)


def _write_shortfall(out: Any, spec: QuantitySpec, req: np.ndarray, provided: np.ndarray) -> None:
    """``provided_*`` and ``shortfall_*``: slots in whole slots, areas to 0.01 m², the shortfall never understated."""
    gap = np.maximum(req - provided, 0.0)
    quantity = spec.key
    if not spec.is_area:
        # a share of a slot is not a slot: what is provided counts whole slots only
        gap = np.where(np.isnan(gap), np.nan, np.maximum(req - np.floor(np.round(provided, 6)), 0.0))
        out[f"provided_{quantity}"] = np.floor(np.round(provided, 6))
        out[f"shortfall_{quantity}"] = pd.array(np.where(np.isnan(gap), 0, gap).astype(np.int64), dtype="Int64")
        out.loc[np.isnan(gap), f"shortfall_{quantity}"] = pd.NA
    else:
        out[f"provided_{quantity}"] = np.floor(np.round(provided * 100, 4)) / 100
        out[f"shortfall_{quantity}"] = _ceil_cents(gap)


def _deadlines(
    book: RuleBook, sized: pd.DataFrame, bad: np.ndarray, day: dt.date, opt_ins: tuple[bool, bool]
) -> tuple[np.ndarray, np.ndarray]:
    """The deadline the existing-area rules set for each area, and its citation (None where there is none)."""
    from ...engine.plan import resolve

    n = len(bad)
    deadlines = np.full(n, None, dtype=object)
    cites = np.full(n, None, dtype=object)
    jur = sized["rule_set"].astype(object).to_numpy()
    cache: dict[str, tuple[Any, Any]] = {}
    for i in np.flatnonzero(~bad):
        key = str(jur[i]).split("/")[0]
        if key not in cache:
            plan = resolve(book, book.division(key), "existing", day, *opt_ins)
            found = [
                (deadline, t.rule)
                for t in plan.obligations
                if t.rule.topic == "deadline" and (deadline := t.rule.deadline) is not None
            ]
            # the earliest deadline (the first of equal ones)
            earliest = min(found, key=lambda pair: pair[0]) if found else None
            cache[key] = (None, None) if earliest is None else (earliest[0], earliest[1].citation())
        deadlines[i], cites[i] = cache[key]
    return deadlines, cites


def _overdue(out: Any, deadlines: np.ndarray, day: dt.date, unknown_any: np.ndarray, bad: np.ndarray) -> Any:
    """Overdue: past the deadline with a known shortfall.

    Unknown (NA) when past it, or with no deadline known, and some shortfall cannot be worked
    out; never False for want of data.
    """
    short_any = np.zeros(len(bad), dtype=bool)
    for spec in GAP_QUANTITIES:
        s = pd.to_numeric(out[f"shortfall_{spec.key}"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        short_any |= np.nan_to_num(s, nan=0.0) > 0
    past = np.array([dl is not None and day > dl for dl in deadlines], dtype=bool)
    overdue = pd.array(past & short_any, dtype="boolean")
    overdue[~short_any & unknown_any & (past | bad)] = pd.NA
    return overdue


def _warn_unlocated(a_located: np.ndarray, f_located: np.ndarray) -> None:
    if (~a_located).any() or (~f_located).any():
        warnings.warn(
            bilingual(
                f"{int((~a_located).sum())} 个居住区、{int((~f_located).sum())} 处设施没有可用的位置，"
                "其余居住区的“已提供”未计入它们",
                f"{int((~a_located).sum())} areas and {int((~f_located).sum())} facilities have no usable location; "
                "what the other areas are provided leaves them out",
            ),
            FacilitySizingWarning,
            stacklevel=3,
        )
