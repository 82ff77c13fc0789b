"""Static maps, drawn with matplotlib and fully offline: sized parcels, and a siting result.

Every text is Chinese with English beside it in a font with Chinese glyphs, chosen explicitly
(:func:`~facility_sizing.spatial.maps.cartography.cjk_font`); English only where none is
installed, with a :class:`FontWarning` naming the package to install. A map is drawn in metres
(the data's CGCS2000 Gauss-Krüger zone), with a scale bar, a north arrow and each parcel's id
where it fits.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...model.vocabulary import COLUMN_LABELS, LEGEND_LABELS
from .cartography import (
    CJK_FONTS,
    FontWarning,
    MapFont,
    add_north_arrow,
    add_scale_bar,
    cjk_font,
    label_parcels,
    map_font,
    metric_frame,
)
from .layers import ERROR_LABEL, ID_COLUMNS, NO_FIGURE_LABEL, checked, require, split_rows

__all__ = ["CJK_FONTS", "FontWarning", "cjk_font", "plot_map", "plot_siting"]

#: A parcel narrower and shorter than this on the map (points) is also drawn as a dot, so it is seen.
SMALL_PARCEL_PT = 5.0

#: What a map says of the dots.
SMALL_LABEL = ("小地块以圆点示意", "small parcels shown as dots")


def plot_map(
    result: Any,
    column: str = "floor_area_m2",
    ax: Any = None,
    *,
    cmap: str = "YlOrRd",
    title: str | None = None,
    figsize: tuple[float, float] = (8.0, 8.0),
    labels: str | bool = True,
) -> Any:
    """Draw sized parcels coloured by a result column, as a static matplotlib map.

    Needs no network and no basemap tiles, so it works on a closed planning network and saves
    to PNG or PDF with ``ax.figure.savefig(...)``. The parcels are drawn in metres (their
    CGCS2000 3° Gauss-Krüger zone), framed to their extent, with a scale bar, a north arrow, the
    coordinate system named below, and each parcel's id written inside it where it fits. A
    parcel too small to see at the map's scale is also drawn as a dot. Rows that could not be
    sized are grey and hatched; rows where the rules set no figure for ``column`` (e.g. floor
    area in Binjiang) are outlined only; each is named in the legend.

    Every text is Chinese with English beside it, in a font with Chinese glyphs chosen from
    those installed (Noto Sans CJK SC, Source Han Sans, Microsoft YaHei, SimHei, …); with none,
    English only and a :class:`FontWarning` naming the package to install (fonts-noto-cjk).

    Parameters
    ----------
    result : geopandas.GeoDataFrame
        A result of :func:`~facility_sizing.size_parcels`.
    column : str, default "floor_area_m2"
        A numeric result column: ``floor_area_m2``, ``outdoor_area_m2``, ``slots``,
        ``max_floor``, ``households``, ...
    ax : matplotlib.axes.Axes, optional
        The axes to draw on; a new figure is made when left out.
    cmap : str, default "YlOrRd"
        A matplotlib colour map.
    title : str, optional
        The map title; by default the column's name.
    figsize : tuple of float, default (8, 8)
        Size in inches of a new figure.
    labels : str or bool, default True
        The column whose values label the parcels; True: the first of ``parcel_id``, ``地块编号``,
        ``id``, ``编号`` present; False: no labels.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed (install the ``map`` extra).
    InputError
        ``result`` is not a GeoDataFrame with a CRS, or ``column`` is not a numeric column of it.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import facility_sizing as fs
    >>> out = fs.size_parcels(fs.sample_parcels(), on="2025-01-01")
    >>> ax = fs.plot_map(out, "floor_area_m2")
    >>> sorted({a.get_gid() for a in ax.get_children()} & {"scale_bar", "north_arrow"})
    ['north_arrow', 'scale_bar']
    """
    require("matplotlib", "matplotlib", "spatial.static_map")
    import matplotlib.pyplot as plt

    result = checked(result, column)
    if labels is not False and labels is not True and labels not in result.columns:
        from ...errors import InputError

        raise InputError("maps.no_label_column", field="labels", value=labels, columns=[str(c) for c in result.columns])
    font = map_font()
    if ax is None:
        # Made outside any rc_context: the first figure of a session starts the backend, and Jupyter's
        # inline backend turns interactive mode on then; rc_context would undo that on exit.
        _, ax = plt.subplots(figsize=figsize)
    shown = metric_frame(result)
    name = font.say(COLUMN_LABELS.get(column, (column, column)))
    handles = _draw_parcels(ax, shown, column, cmap, font, name)
    _frame(ax, shown)
    handles += _dots(ax, shown, column, cmap, font)
    if handles:
        ax.legend(handles=handles, loc="lower left", prop=font.props(size="small"), framealpha=0.85)
    ax.set_title(title if title is not None else name, fontproperties=font.props(size="large"))
    furniture = [add_scale_bar(ax, font), add_north_arrow(ax, font, shown), ax.get_legend()]
    _crs_note(ax, shown, font)
    column_of_ids = next((c for c in ID_COLUMNS if c in result.columns), None) if labels is True else labels
    if column_of_ids:
        label_parcels(ax, shown, str(column_of_ids), font, avoid=[a for a in furniture if a is not None])
    return ax


def _norm(values: np.ndarray) -> Any:
    from matplotlib.colors import Normalize

    vmin, vmax = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    return Normalize(vmin=vmin, vmax=vmax if vmax > vmin else vmin + 1)


def _draw_parcels(ax: Any, shown: Any, column: str, cmap: str, font: MapFont, name: str) -> list[Any]:
    """The parcels: coloured by value, outlined where no figure, grey and hatched where in error; the legend's patches."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    ok, failed, no_figure, values = split_rows(shown, column)
    handles = []
    if len(ok):
        norm = _norm(values)
        ok.plot(ax=ax, column=values, cmap=cmap, norm=norm, edgecolor="#555555", linewidth=0.4)
        # beside the map, as a part of it: the map's own box keeps its size (a parcel's scale is measured on it)
        bar = ax.figure.colorbar(
            plt.cm.ScalarMappable(norm=norm, cmap=cmap), cax=ax.inset_axes((1.03, 0.15, 0.03, 0.7))
        )
        bar.set_label(name, fontproperties=font.props())
    if len(no_figure):
        no_figure.plot(ax=ax, facecolor="none", edgecolor="#777777", linewidth=0.8, linestyle="--")
        handles.append(Patch(facecolor="none", edgecolor="#777777", linestyle="--", label=font.say(NO_FIGURE_LABEL)))
    if len(failed):
        failed.plot(ax=ax, facecolor="#d0d0d0", edgecolor="#444444", hatch="///", linewidth=0.6)
        handles.append(Patch(facecolor="#d0d0d0", edgecolor="#444444", hatch="///", label=font.say(ERROR_LABEL)))
    return handles


def _frame(ax: Any, shown: Any) -> None:
    """The map framed to the parcels' extent with a margin, true to scale, with a neat line and no ticks."""
    x0, y0, x1, y1 = (float(v) for v in shown.total_bounds)
    if not all(np.isfinite([x0, y0, x1, y1])):
        return
    pad = max(x1 - x0, y1 - y0, 200.0) * 0.08
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.apply_aspect()


def _dots(ax: Any, shown: Any, column: str, cmap: str, font: MapFont) -> list[Any]:
    """Parcels too small to see drawn again as dots, in their colour (grey: in error; hollow: no figure)."""
    import shapely
    from matplotlib.lines import Line2D

    box = ax.get_window_extent()
    x0, x1 = ax.get_xlim()
    points_per_m = box.width * 72.0 / ax.figure.dpi / abs(x1 - x0)
    b = shapely.bounds(np.asarray(shown.geometry.array))
    small = np.nan_to_num(np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]), nan=np.inf) * points_per_m < SMALL_PARCEL_PT
    if not small.any():
        return []
    ok, failed, no_figure, values = split_rows(shown, column)
    norm = _norm(values)
    for part, style in ((ok, {"c": values, "cmap": cmap, "norm": norm, "edgecolors": "#555555"}),
                        (failed, {"c": "#b0b0b0", "edgecolors": "#444444"}),
                        (no_figure, {"c": "none", "edgecolors": "#777777"})):  # fmt: skip
        keep = small[shown.index.get_indexer(part.index)]
        if keep.any():
            at = shapely.point_on_surface(np.asarray(part.geometry.array)[keep])
            colour = {**style, "c": style["c"][keep]} if part is ok else style
            dots = ax.scatter(shapely.get_x(at), shapely.get_y(at), s=30, linewidths=0.5, zorder=4, **colour)
            dots.set_gid("small_parcels")
    small_label = font.say(SMALL_LABEL)
    return [Line2D([], [], marker="o", linestyle="none", markerfacecolor="#fd8d3c", markeredgecolor="#555555",
                   label=small_label)]  # fmt: skip


def _crs_note(ax: Any, shown: Any, font: MapFont) -> None:
    """The coordinate system the map is drawn in, below it."""
    crs = shown.crs
    code = crs.to_epsg()
    words = f"坐标系 CRS: {crs.name}" if font.bilingual else f"CRS: {crs.name}"
    ax.text(0.0, -0.01, words + (f" (EPSG:{code})" if code else ""), transform=ax.transAxes, ha="left", va="top",
            fontproperties=font.props(size="x-small"), color="#555555")  # fmt: skip


def _in_crs(frame: Any, crs: Any) -> Any:
    if frame is None or crs is None or getattr(frame, "crs", None) is None:
        return frame
    return frame.to_crs(crs)


def plot_siting(
    siting: Any, demand: Any, candidates: Any = None, existing: Any = None, ax: Any = None, *, weight: str | None = None
) -> Any:
    """Map a :func:`~facility_sizing.site` result: demand, existing facilities, chosen and excluded sites.

    Demand points are sized by their weight; a line joins each demand to the facility it is
    assigned to; chosen sites are stars, existing facilities squares, candidates a rule excludes
    crosses (their reasons are in ``siting.rejected``) and candidates not chosen small circles.
    Offline, like :func:`plot_map`; labels are bilingual where a Chinese font is installed.

    Parameters
    ----------
    siting : Siting
        The result of :func:`~facility_sizing.site`.
    demand, candidates, existing : geopandas.GeoDataFrame
        The frames given to :func:`~facility_sizing.site` (index labels as there); drawn in the
        chosen sites' CRS.
    ax : matplotlib.axes.Axes, optional
    weight : str, optional
        A numeric column of ``demand`` that sizes its points (as given to ``site``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import geopandas as gpd, shapely, facility_sizing as fs
    >>> pts = lambda *xs: shapely.points([(x, 0) for x in xs])
    >>> demand = gpd.GeoDataFrame({"slots": [30, 20]}, geometry=pts(0, 250), crs=4549)
    >>> cand = gpd.GeoDataFrame({"floors": [1, 1]}, geometry=pts(100, 900), crs=4549)
    >>> s = fs.site(demand, cand, distance_m=300, model="lscp", weight="slots")
    >>> ax = fs.plot_siting(s, demand, cand, weight="slots")
    >>> len(ax.get_legend().get_texts()) >= 3
    True
    """
    require("matplotlib", "matplotlib", "spatial.static_map")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    chosen = siting.chosen
    crs = getattr(chosen, "crs", None)
    demand, candidates, existing = (_in_crs(f, crs) for f in (demand, candidates, existing))
    font = map_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 8.0))
    lines = _assignment_lines(siting.assignment, demand, chosen, existing)
    if lines:
        ax.add_collection(
            LineCollection(lines, colors="#9ecae1", linewidths=0.6, label=font.say(LEGEND_LABELS["assigned"]))
        )
    sizes: Any = 6.0
    if weight is not None and weight in demand.columns:
        w = pd.to_numeric(demand[weight], errors="coerce")
        sizes = (6.0 + 60.0 * w / max(float(w.max()), 1e-9)).fillna(6.0)
    demand.plot(ax=ax, markersize=sizes, color="#3182bd", alpha=0.6, label=font.say(LEGEND_LABELS["demand"]))
    excluded = candidates.index.isin(list(siting.rejected["candidate"])) if candidates is not None else None
    layers = [  # drawn in this order, each with its legend label
        (None if excluded is None else candidates[~excluded & ~candidates.index.isin(list(chosen.index))],
         "candidate", {"marker": "o", "markersize": 14, "facecolor": "none", "edgecolor": "#636363"}),
        (None if excluded is None else candidates[excluded], "rejected",
         {"marker": "x", "markersize": 40, "color": "#de2d26"}),
        (existing, "existing", {"marker": "s", "markersize": 40, "color": "#31a354"}),
        (chosen, "chosen", {"marker": "*", "markersize": 160, "color": "#fd8d3c", "edgecolor": "#7f2704"}),
    ]  # fmt: skip
    for frame, key, style in layers:
        if frame is not None and len(frame):
            frame.plot(ax=ax, label=font.say(LEGEND_LABELS[key]), **style)
    ax.legend(loc="lower left", prop=font.props(size="small"))
    ax.set_title(font.say(LEGEND_LABELS["siting_title"]), fontproperties=font.props(size="large"))
    ax.set_axis_off()
    if crs is not None and crs.is_projected and crs.axis_info[0].unit_name in ("metre", "meter"):
        add_scale_bar(ax, font)
        add_north_arrow(ax, font)
    return ax


def _assignment_lines(assignment: pd.DataFrame, demand: Any, chosen: Any, existing: Any) -> list[Any]:
    """A segment from each demand point to the facility it is assigned to (by index label)."""
    where: dict[tuple[str, object], tuple[float, float]] = {}
    for kind, frame in (("new", chosen), ("existing", existing)):
        if frame is not None and len(frame):
            centres = frame.geometry.centroid
            where.update({(kind, label): (p.x, p.y) for label, p in zip(frame.index, centres, strict=True)})
    points = demand.geometry.centroid
    at = {label: (p.x, p.y) for label, p in zip(demand.index, points, strict=True)}
    lines = []
    for d, f, kind in zip(assignment["demand"], assignment["facility"], assignment["kind"], strict=True):
        if d in at and (kind, f) in where:
            lines.append([at[d], where[(kind, f)]])
    return lines
