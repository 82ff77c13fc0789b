"""Service-circle coverage and supply-demand ratios: which homes lie within reach of a facility.

:func:`coverage` takes homes (residential buildings or parcels, with households) and childcare
facilities (with slots), and computes for every home the distance to its nearest facility and
whether it is covered (within ``distance_m``); for every facility the households, residents
and slots per 1,000 residents of its catchment; and the two-step floating catchment area
(2SFCA) supply-demand ratio of each home and each area:

* step 1, for each facility *j*: :math:`R_j = S_j / \\sum_{k: d_{kj} \\le d} P_k`
  (slots over the residents within reach);
* step 2, for each home *i*: :math:`A_i = \\sum_{j: d_{ij} \\le d} R_j`
  (reported per 1,000 residents),

the formulation of Luo & Wang (2003) that PySAL ``access`` implements as ``fca_ratio``-style
two-step FCA. Distances are straight-line in metres by default, computed in the CGCS2000
3° Gauss-Krüger zone of the data's centre; with ``network=`` (road centrelines) they are
walking distances along the network. Spatial indexes (scipy KD-trees) do the work, never
all pairs.

The phases are named functions: :func:`_read_inputs` (every input checked, see :mod:`.inputs`,
and located in the distance CRS, see :mod:`~facility_sizing.spatial.geometry.locate`), the pairs
within reach (:mod:`.reach`, :mod:`.network`), :func:`_catchments` (step 1),
:func:`_nearest_and_access` (step 2, and the nearest facility), then the result tables :func:`_home_table`, :func:`_facility_table`, :func:`_area_table` and
:func:`_summarise`. :func:`gap_analysis <facility_sizing.spatial.access.gap.gap_analysis>` (in
:mod:`.gap`) shares the inputs and the pairs.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pyproj import CRS

from ...api.columns import claim_columns
from ...api.result_frame import SIZING_MARKS
from ...engine.inputs import validate_pph
from ...errors import InputError
from ...ruledata import RuleBook
from ..geometry.locate import Points, check_frame, locate
from .inputs import circles, distance_source_text, numbers, row_error_texts, service_distance
from .reach import PairSource, nearest_beyond, pairs_within

__all__ = ["Coverage", "coverage", "service_circles"]


# --------------------------------------------------------------------------------------
# Service circles (life-circle distances) as data


def service_circles(rulebook: RuleBook | None = None) -> pd.DataFrame:
    """The service-circle distances the rule book holds (``data/national/circles.toml``), with sources.

    None of them could be verified against an official copy of GB 50180-2018; they are used by
    :func:`coverage` only with ``include_unverified=True``.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> c = fs.service_circles().loc["15min"]
    >>> float(c["distance_m"]), float(c["max_m"]), bool(c["verified"])
    (800.0, 1000.0, False)
    """
    rows = [{"circle": key, **value} for key, value in circles(rulebook).items()]
    return pd.DataFrame(rows).set_index("circle")


# --------------------------------------------------------------------------------------
# The result


@dataclass(repr=False)
class Coverage:
    """The result of :func:`coverage`.

    Attributes
    ----------
    homes : geopandas.GeoDataFrame
        The homes in their own order with ``covered`` (boolean, NA for a bad row),
        ``distance_m`` to the nearest facility (inf when none is within reach on a network),
        ``nearest_facility`` (the facility's index label), ``access_per_1000`` (2SFCA: slots
        within reach per 1,000 residents, NA without population) and ``error``.
    facilities : geopandas.GeoDataFrame
        The facilities with ``catchment_households``, ``catchment_population`` and
        ``slots_per_1000`` (slots per 1,000 residents of the catchment; NA where the catchment
        is empty or population unknown) and ``error``.
    areas : pandas.DataFrame or None
        Per area (``area=`` column): homes, households, covered and uncovered households, the
        covered share, population and the population-weighted 2SFCA ratio per 1,000 residents.
    summary : dict
        Totals, the distance used and where it comes from, and the method.
    """

    homes: Any
    facilities: Any
    areas: pd.DataFrame | None
    summary: dict[str, Any]

    def _rows(self) -> list[tuple[str, str]]:
        s = self.summary
        share = "—" if s["covered_share"] is None else f"{s['covered_share']:.1%}"
        access = "—（未知 unknown）" if s["slots_per_1000"] is None else f"{s['slots_per_1000']:.2f}"
        return [
            ("服务半径 service distance", f"{s['distance_m']:,.0f} m（{s['method_zh']} {s['method']}）"),
            ("依据 source", s["distance_source"]),
            ("住宅 homes", f"{s['homes']:,}（错误 errors {s['errors']:,}）"),
            ("覆盖户数 households covered", f"{s['households_covered']:,.0f} / {s['households']:,.0f}（{share}）"),
            ("未覆盖户数 households uncovered", f"{s['households_uncovered']:,.0f}"),
            ("托育机构 facilities", f"{s['facilities']:,}，托位 slots {s['slots']:,.0f}"),
            ("人口 population", f"{s['population_basis']}"),
            ("每千人托位 slots per 1,000 residents", access),
        ]

    def __repr__(self) -> str:
        lines = [f"  {k}: {v}" for k, v in self._rows()]
        return "\n".join(
            ["托育服务圈覆盖 Service-circle coverage", *lines, "  (.homes, .facilities, .areas, .summary)"]
        )

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in self._rows()
        )
        return f"<div><strong>托育服务圈覆盖 Service-circle coverage</strong><table>{body}</table></div>"


def _labels(index: pd.Index, positions: np.ndarray, out_index: pd.Index) -> pd.Series:
    """Index labels at ``positions`` (-1: none), keeping integer labels exact (nullable Int64)."""
    has = positions >= 0
    if not len(index):
        return pd.Series(pd.NA, index=out_index, dtype=object)
    picked = index.to_numpy()[np.where(has, positions, 0)]
    if index.dtype.kind in "iu":
        return pd.Series(pd.array(picked, dtype="Int64"), index=out_index).where(has)
    return pd.Series(picked, index=out_index, dtype=object).where(has)


#: The columns coverage adds to the homes and to the facilities: a caller's own are never overwritten.
HOME_COLUMNS = frozenset({"covered", "distance_m", "nearest_facility", "access_per_1000", "error"})
FACILITY_COLUMNS = frozenset({"catchment_households", "catchment_population", "slots_per_1000", "error"})


def coverage(
    homes: Any,
    facilities: Any,
    distance_m: float | None = None,
    *,
    circle: str | None = None,
    include_unverified: bool = False,
    households: str | float = "households",
    population: str | None = None,
    persons_per_household: float | None = None,
    slots: str = "slots",
    area: str | None = None,
    network: Any = None,
    assume_crs: object = None,
    rulebook: RuleBook | None = None,
    suffix: str | None = None,
) -> Coverage:
    """Which homes lie within a service distance of a childcare facility, and supply against demand.

    Parameters
    ----------
    homes : geopandas.GeoDataFrame
        Residential buildings or parcels (points or polygons; a polygon counts at its centroid)
        with a households column.
    facilities : geopandas.GeoDataFrame
        Childcare facilities (points or polygons) with a slots column.
    distance_m : float, optional
        The service distance in metres (straight-line, or along ``network``).
    circle : str, optional
        Instead of ``distance_m``: a life circle (``5min``, ``10min``, ``15min``) from
        :func:`service_circles`. The 15-minute circle uses 800 m, the low end of its
        800–1,000 m range, so that coverage is never overstated. These distances are not
        verified and need ``include_unverified=True``.
    include_unverified : bool, default False
        Allow an unverified ``circle``.
    households : str or float, default "households"
        Column of households per home.
    population : str, optional
        Column of residents per home. Without it, ``persons_per_household`` × households; with
        neither, the per-resident figures are NA (unknown), never 0.
    persons_per_household : float, optional
        Assumption used to derive population from households; shown in the summary.
    slots : str, default "slots"
        Column of childcare slots per facility.
    area : str, optional
        Column of ``homes`` naming an area (community, street) to summarise by.
    network : geopandas.GeoDataFrame, optional
        Road or path centrelines (LineStrings); distances are then along the network, with
        each home and facility joined to its nearest network vertex in a straight line.
    assume_crs : optional
        CRS for frames that have none (as in :func:`size_parcels`, including 'GCJ-02').
    rulebook : RuleBook, optional
        Rules to use instead of the built-in ones: their service circles (a ``circles.toml``
        given to :func:`~facility_sizing.load_rules` replaces a built-in circle of its id).
    suffix : str, optional
        The caller's columns are never overwritten (the rule of :func:`~facility_sizing.size_frame`):
        a column of ``homes`` or ``facilities`` named like one this adds (``covered``, ``error``,
        ``slots_per_1000`` …) is an error naming it, or, with ``suffix``, kept as ``name + suffix``.
        A frame the library made (an earlier coverage, or sized parcels) has its columns replaced,
        with a notice.

    Returns
    -------
    Coverage
        ``homes`` (with ``covered`` and ``distance_m``), ``facilities``, ``areas`` and ``summary``.

    Raises
    ------
    InputError
        A bad distance, a missing column, a facility with a bad slot count.
    CRSError
        A frame without a CRS, or coordinates that contradict it.

    Examples
    --------
    >>> import geopandas as gpd, shapely, facility_sizing as fs
    >>> x, y = 500_000, 3_350_000          # metres, CGCS2000 3-degree GK zone 40 (EPSG:4549)
    >>> homes = gpd.GeoDataFrame({"households": [100, 200]},
    ...     geometry=[shapely.Point(x, y), shapely.Point(x + 1000, y)], crs=4549)
    >>> facs = gpd.GeoDataFrame({"slots": [50]}, geometry=[shapely.Point(x + 300, y)], crs=4549)
    >>> cov = fs.coverage(homes, facs, distance_m=500, persons_per_household=2.5)
    >>> cov.homes[["covered", "distance_m"]].values.tolist()
    [[True, 300.0], [False, 700.0]]
    >>> cov.summary["households_covered"], float(cov.facilities.loc[0, "slots_per_1000"])
    (100.0, 200.0)
    """
    homes = claim_columns(homes, HOME_COLUMNS, (HOME_COLUMNS - {"error"}, SIZING_MARKS), suffix=suffix)
    facilities = claim_columns(facilities, FACILITY_COLUMNS, (FACILITY_COLUMNS - {"error"},), suffix=suffix)
    distance = service_distance(distance_m, circle, bool(include_unverified), rulebook)
    inputs = _read_inputs(
        homes,
        facilities,
        distance,
        households,
        population,
        persons_per_household,
        slots,
        area,
        assume_crs,
    )
    pairs = pairs_within(inputs.hxy, inputs.fxy, inputs.d, network, inputs.target, assume_crs)
    method, method_zh = ("straight-line", "直线距离") if network is None else ("network", "路网距离")
    if network is None:
        step1, nearest, access = _one_pass(inputs, pairs, len(facilities), _straight_nearest(inputs))
    else:
        step1 = _catchments(inputs, pairs, len(facilities), None)
        nearest, access = _nearest_and_access(inputs, pairs, step1, None)
    h_out = _home_table(homes, facilities.index, inputs, step1.dist, nearest, access)
    f_out = _facility_table(facilities, inputs, step1)
    areas = None if area is None else _area_table(homes[area].to_numpy(), inputs, step1.dist, access)
    summary = _summarise(inputs, step1, method, method_zh)
    return Coverage(h_out, f_out, areas, summary)


# --------------------------------------------------------------------------------------
# The phases


@dataclass
class _Inputs:
    """Everything coverage reads, checked: distance, locations in metres, and the figures per row."""

    d: float
    source: dict[str, Any]
    target: CRS
    homes: Points
    facilities: Points
    hxy: np.ndarray  # homes with a usable location, in metres (NaN elsewhere)
    fxy: np.ndarray
    households: np.ndarray
    population: np.ndarray | None
    population_basis: str
    slots: np.ndarray

    @property
    def bad_home(self) -> np.ndarray:
        return self.homes.errors.mask

    @property
    def bad_fac(self) -> np.ndarray:
        return self.facilities.errors.mask


def _read_inputs(
    homes: Any,
    facilities: Any,
    distance: tuple[float, dict[str, Any]],
    households: object,
    population: str | None,
    persons_per_household: float | None,
    slots: object,
    area: str | None,
    assume_crs: object,
) -> _Inputs:
    check_frame("homes", homes)
    check_frame("facilities", facilities)
    d, source = distance
    hp, fp, target = locate("homes", homes, facilities, assume_crs)
    # Rows with no usable location stay out of the distances; rows located but with a bad
    # number still count as places (a facility is there; a home is there) whose figure is unknown.
    h_located = ~hp.errors.mask.copy()
    f_located = ~fp.errors.mask.copy()
    hh = numbers("households", homes, households, hp.errors)
    pop, pop_basis = _population(homes, hh, population, persons_per_household, hp)
    sl = numbers("slots", facilities, slots, fp.errors)
    if area is not None and area not in homes.columns:
        raise InputError("spatial.not_a_column_of", field="area", value=area, frame="homes")
    hxy = np.where(h_located[:, None], hp.xy, np.nan)
    fxy = np.where(f_located[:, None], fp.xy, np.nan)
    return _Inputs(d, source, target, hp, fp, hxy, fxy, hh, pop, pop_basis, sl)


def _population(
    homes: Any, hh: np.ndarray, population: str | None, persons_per_household: float | None, hp: Points
) -> tuple[np.ndarray | None, str]:
    """Residents per home (a column, or households × persons per household, or unknown) and how they are known."""
    if population is not None:
        return numbers("population", homes, population, hp.errors), f"column {population}"
    if persons_per_household is not None:
        # the same check, bound and message as size() and size_frame() give persons_per_household
        _, _, pph_errors = validate_pph(np.array([persons_per_household], dtype=object), nan_is_error=True)
        if pph_errors.mask[0]:
            raise pph_errors.first()
        pph = float(persons_per_household)
        return hh * pph, f"households × {pph:g}"
    return None, "unknown"


@dataclass
class _Step1:
    """Step 1 of 2SFCA: each home's nearest distance in reach, and each facility's catchment and ratio."""

    dist: np.ndarray  # per home: nearest distance within reach (inf beyond)
    households: np.ndarray  # per facility
    population: np.ndarray
    ratio: np.ndarray  # slots per resident of the catchment
    unknown_catchment: np.ndarray


def _straight_nearest(inputs: _Inputs) -> tuple[np.ndarray, np.ndarray]:
    """The nearest facility of every located home and its straight-line distance (a KD-tree; -1 and inf elsewhere)."""
    nh = len(inputs.hxy)
    nearest = np.full(nh, -1, dtype=np.int64)
    dist = np.full(nh, np.inf)
    nearest_beyond(inputs.hxy, inputs.fxy, nearest, dist)
    return nearest, dist


def _one_pass(
    inputs: _Inputs, pairs: PairSource, nf: int, known: tuple[np.ndarray, np.ndarray]
) -> tuple[_Step1, np.ndarray, np.ndarray]:
    """Steps 1 and 2 of 2SFCA in one pass over the pairs, the nearest facility ``known`` (straight-line).

    Each chunk of straight-line pairs holds every pair of its facilities
    (:func:`~facility_sizing.spatial.access.reach.euclidean_chunks`), so their catchments are
    complete once the chunk is read and its homes' ratios are added at once: the same sums in the
    same order as two passes, with the pairs read once.
    """
    hh_known, pop_known = _known_figures(inputs)
    c_hh, c_pop, unknown_catchment = np.zeros(nf), np.zeros(nf), np.zeros(nf, dtype=bool)
    access, unknown_access = np.zeros(len(inputs.hxy)), np.zeros(len(inputs.hxy), dtype=bool)
    for ph, pf, _ in pairs.once():
        _add_catchments(inputs, (hh_known, pop_known), ph, pf, (c_hh, c_pop, unknown_catchment))
        ratio = _ratio(inputs, c_pop)
        _add_access(inputs, (ratio, unknown_catchment | inputs.bad_fac), ph, pf, (access, unknown_access))
    step1 = _Step1(known[1].copy(), c_hh, *_step1_ratio(inputs, c_pop), unknown_catchment)
    return step1, known[0], _access_figures(inputs, access, unknown_access)


def _known_figures(inputs: _Inputs) -> tuple[np.ndarray, np.ndarray | None]:
    """Households and residents per home, 0 for a home whose figures are unknown (its error says so)."""
    bad_home = inputs.bad_home
    pop = inputs.population
    return np.where(bad_home, 0.0, inputs.households), None if pop is None else np.where(bad_home, 0.0, pop)


def _add_catchments(
    inputs: _Inputs,
    figures: tuple[np.ndarray, np.ndarray | None],
    ph: np.ndarray,
    pf: np.ndarray,
    into: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    """Add a chunk of pairs to the facilities' catchments (households, residents, unknown)."""
    hh_known, pop_known = figures
    c_hh, c_pop, unknown_catchment = into
    nf = len(c_hh)
    c_hh += np.bincount(pf, weights=hh_known[ph], minlength=nf)
    if pop_known is not None:
        c_pop += np.bincount(pf, weights=pop_known[ph], minlength=nf)
    if inputs.bad_home.any():
        unknown_catchment[pf[inputs.bad_home[ph]]] = True


def _ratio(inputs: _Inputs, c_pop: np.ndarray) -> np.ndarray:
    """Slots per resident of each catchment (NaN where no resident, or residents unknown)."""
    if inputs.population is None:
        return np.full(len(c_pop), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(c_pop > 0, inputs.slots / c_pop, np.nan)


def _step1_ratio(inputs: _Inputs, c_pop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The catchments' residents (NaN without population) and their ratios."""
    ratio = _ratio(inputs, c_pop)
    if inputs.population is None:
        c_pop[:] = np.nan
    return c_pop, ratio


def _add_access(
    inputs: _Inputs,
    ratios: tuple[np.ndarray, np.ndarray],
    ph: np.ndarray,
    pf: np.ndarray,
    into: tuple[np.ndarray, np.ndarray],
) -> None:
    """Add a chunk of pairs to the homes' ratios (step 2 of 2SFCA), and mark those reaching an unknown one."""
    ratio, unknown_ratio = ratios
    access, unknown_access = into
    if inputs.population is not None:
        access += np.bincount(ph, weights=np.nan_to_num(ratio, nan=0.0)[pf], minlength=len(access))
    if unknown_ratio.any():
        unknown_access[ph[unknown_ratio[pf]]] = True


def _access_figures(inputs: _Inputs, access: np.ndarray, unknown_access: np.ndarray) -> np.ndarray:
    """Each home's ratio per 1,000 residents; NaN for a bad home, one reaching an unknown ratio, or no population."""
    return np.where(inputs.bad_home | unknown_access | (inputs.population is None), np.nan, access * 1000)


def _catchments(inputs: _Inputs, pairs: PairSource, nf: int, dist: np.ndarray | None) -> _Step1:
    """Pass 1: the nearest distance in reach (unless ``dist`` is known), and each facility's catchment (step 1 of 2SFCA).

    A facility within reach of a home whose figures are unknown has an unknown catchment.
    """
    figures = _known_figures(inputs)
    walk = dist is None
    dist = np.full(len(inputs.bad_home), np.inf) if dist is None else dist.copy()
    c_hh, c_pop, unknown_catchment = np.zeros(nf), np.zeros(nf), np.zeros(nf, dtype=bool)
    for ph, pf, pdist in pairs:
        if walk:
            np.minimum.at(dist, ph, pdist)
        _add_catchments(inputs, figures, ph, pf, (c_hh, c_pop, unknown_catchment))
    return _Step1(dist, c_hh, *_step1_ratio(inputs, c_pop), unknown_catchment)


def _nearest_and_access(
    inputs: _Inputs, pairs: PairSource, step1: _Step1, known: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Pass 2: which facility is nearest (ties: the first), and each home's ratio (step 2 of 2SFCA).

    On straight-line distances the nearest is ``known`` already (a KD-tree finds it, within reach
    or beyond); along a network it comes from the pairs, and homes with none in reach stay at
    inf and none.
    """
    dist = step1.dist
    nh = len(dist)
    unknown_ratio = step1.unknown_catchment | inputs.bad_fac
    lowest = np.full(nh, np.iinfo(np.int64).max)
    access = np.zeros(nh)
    unknown_access = np.zeros(nh, dtype=bool)
    for ph, pf, pdist in pairs:
        if known is None:
            best = pdist == dist[ph]
            np.minimum.at(lowest, ph[best], pf[best])
        _add_access(inputs, (step1.ratio, unknown_ratio), ph, pf, (access, unknown_access))
    nearest = np.where(np.isfinite(dist), lowest, -1) if known is None else known
    return nearest, _access_figures(inputs, access, unknown_access)


def _home_table(
    homes: Any, facility_index: pd.Index, inputs: _Inputs, dist: np.ndarray, nearest: np.ndarray, access: np.ndarray
) -> Any:
    bad_home = inputs.bad_home
    covered = pd.array(np.where(bad_home, False, dist <= inputs.d), dtype="boolean")
    covered[bad_home] = pd.NA
    h_out = homes.copy()
    h_out["covered"] = covered
    h_out["distance_m"] = np.where(bad_home, np.nan, dist)
    h_out["nearest_facility"] = _labels(facility_index, nearest, homes.index)
    h_out["access_per_1000"] = access
    h_out["error"] = pd.Series(row_error_texts(inputs.homes.errors), index=homes.index, dtype=object)
    return h_out


def _facility_table(facilities: Any, inputs: _Inputs, step1: _Step1) -> Any:
    bad_fac = inputs.bad_fac
    f_unknown = bad_fac | step1.unknown_catchment
    unknown_ratio = step1.unknown_catchment | bad_fac
    f_out = facilities.copy()
    f_out["catchment_households"] = np.where(f_unknown, np.nan, step1.households)
    f_out["catchment_population"] = np.where(f_unknown, np.nan, step1.population)
    f_out["slots_per_1000"] = np.where(unknown_ratio, np.nan, step1.ratio * 1000)
    f_out["error"] = pd.Series(row_error_texts(inputs.facilities.errors), index=facilities.index, dtype=object)
    return f_out


def _area_table(area: np.ndarray, inputs: _Inputs, dist: np.ndarray, access: np.ndarray) -> pd.DataFrame:
    """Per area: homes, households covered and not, the covered share, population and the 2SFCA ratio."""
    bad_home = inputs.bad_home
    pop = inputs.population
    good = ~bad_home
    hh_ok = np.where(bad_home, 0.0, inputs.households)
    cov_mask = good & (dist <= inputs.d)
    frame = pd.DataFrame(
        {
            "area": area,
            "homes": good.astype(int),
            "households": hh_ok,
            "households_covered": np.where(cov_mask, hh_ok, 0.0),
            "population": np.where(good, pop, np.nan) if pop is not None else np.nan,
            "_weighted": np.where(good, access * (pop if pop is not None else np.nan), np.nan),
            "_unknown": good & np.isnan(access),
            "errors": bad_home.astype(int),
        }
    )
    g = frame.groupby("area", sort=True, dropna=False)
    areas = g[["homes", "errors", "households", "households_covered"]].sum()
    areas["households_uncovered"] = areas["households"] - areas["households_covered"]
    with np.errstate(divide="ignore", invalid="ignore"):
        areas["covered_share"] = areas["households_covered"] / areas["households"].where(areas["households"] > 0)
    if pop is not None:
        areas["population"] = g["population"].sum()
        ratio_area = g["_weighted"].sum() / areas["population"].where(areas["population"] > 0)
        areas["access_per_1000"] = ratio_area.where(~g["_unknown"].any())
    else:
        areas["population"] = np.nan
        areas["access_per_1000"] = np.nan
    return areas


def _summarise(inputs: _Inputs, step1: _Step1, method: str, method_zh: str) -> dict[str, Any]:
    """Totals for the district, the distance used and where it comes from, and the method."""
    bad_home, bad_fac = inputs.bad_home, inputs.bad_fac
    pop = inputs.population
    good = ~bad_home
    hh_ok = np.where(bad_home, 0.0, inputs.households)
    total_hh = float(hh_ok.sum())
    covered_hh = float(hh_ok[good & (step1.dist <= inputs.d)].sum())
    total_slots = float(np.nansum(np.where(bad_fac, np.nan, inputs.slots)))
    total_pop = None if pop is None else float(np.nansum(np.where(good, pop, 0.0)))
    known_all = not bad_home.any() and not bad_fac.any()
    return {
        "homes": len(bad_home),
        "errors": int(bad_home.sum()),
        "facilities": len(bad_fac),
        "facility_errors": int(bad_fac.sum()),
        "households": total_hh,
        "households_covered": covered_hh,
        "households_uncovered": total_hh - covered_hh,
        "covered_share": (covered_hh / total_hh) if total_hh > 0 else None,
        "population": total_pop,
        "population_basis": inputs.population_basis,
        "slots": total_slots,
        # with any home or facility unknown, the district's ratio is unknown too
        "slots_per_1000": (total_slots / total_pop * 1000) if total_pop and known_all else None,
        "unknown_catchments": int((step1.unknown_catchment & ~bad_fac).sum()),
        "distance_m": inputs.d,
        "distance_source": distance_source_text(inputs.source),
        "circle": inputs.source.get("circle"),
        "verified": bool(inputs.source.get("verified", True)),
        "method": method,
        "method_zh": method_zh,
        "crs": inputs.target.to_string(),
    }
