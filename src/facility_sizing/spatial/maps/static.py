"""Static maps, drawn with matplotlib and fully offline: sized parcels, and a siting result.

Labels are Chinese with English beside it where a font with Chinese glyphs is installed
(:data:`CJK_FONTS`), English only otherwise, with a :class:`FontWarning`.
"""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd

from ...errors import FacilitySizingWarning
from ...model.vocabulary import COLUMN_LABELS, LEGEND_LABELS
from .layers import ERROR_LABEL, NO_FIGURE_LABEL, checked, label_of, require, split_rows

__all__ = ["FontWarning", "plot_map", "plot_siting"]

#: Fonts with Chinese glyphs, in order of preference; the first one installed is used.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)

#: Parts of the file names of those fonts (lower case, without - and _), to find one installed
#: after matplotlib built its font cache.
CJK_FILE_HINTS = (
    "notosanscjk",
    "notosanssc",
    "sourcehansans",
    "msyh",
    "simhei",
    "pingfang",
    "hiragino",
    "wqymicrohei",
    "wqyzenhei",
    "droidsansfallback",
    "uming",
)


class FontWarning(FacilitySizingWarning):
    """No font with Chinese glyphs is installed, so a static map's labels are in English only."""


def _cjk_font() -> str | None:
    """The first CJK font matplotlib knows, or one installed since its font cache was built.

    matplotlib caches the fonts it found on first use; a font installed later is invisible to it
    until the cache is purged. So when the cache has none, the system's font files are scanned
    (by file name) and a CJK one is added to the running font manager.
    """
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in CJK_FONTS if name in installed), None)
    if found is not None:
        return found
    for path in font_manager.findSystemFonts():
        stem = path.replace("\\", "/").rsplit("/", 1)[-1].lower().replace("-", "").replace("_", "")
        if not any(hint in stem for hint in CJK_FILE_HINTS):
            continue
        try:
            font_manager.fontManager.addfont(path)
            name = font_manager.FontProperties(fname=path).get_name()
        except (OSError, RuntimeError, ValueError):
            continue
        if name in CJK_FONTS:
            return name
    return None


def _map_font() -> tuple[bool, dict[str, Any]]:
    """Whether labels can be bilingual, and the rc settings that use the Chinese font (a warning if none)."""
    font = _cjk_font()
    if font is None:
        warnings.warn(
            "未找到中文字体，地图标注仅用英文 — no font with Chinese glyphs is installed, so the map's labels are "
            "in English only; install one (e.g. fonts-noto-cjk) for bilingual labels",
            FontWarning,
            stacklevel=3,
        )
        return False, {}
    return True, {"font.family": [font, "DejaVu Sans"]}


def plot_map(
    result: Any,
    column: str = "floor_area_m2",
    ax: Any = None,
    *,
    cmap: str = "YlOrRd",
    title: str | None = None,
    figsize: tuple[float, float] = (8.0, 8.0),
) -> Any:
    """Draw sized parcels coloured by a result column, as a static matplotlib map.

    Needs no network and no basemap tiles, so it works on a closed planning network and saves
    to PNG or PDF with ``ax.figure.savefig(...)``. Rows that could not be sized are grey and
    hatched; rows where the rules set no figure for ``column`` (e.g. floor area in Yuyao) are
    outlined only; each is labelled in the legend. Labels are Chinese with English beside it
    when a font with Chinese glyphs is installed (e.g. Noto Sans CJK SC, Microsoft YaHei,
    SimHei); otherwise English only, with a :class:`FontWarning`.

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
    >>> len(ax.collections) >= 1
    True
    """
    require("matplotlib", "matplotlib", "spatial.static_map")
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize
    from matplotlib.patches import Patch

    result = checked(result, column)
    bilingual, rc = _map_font()
    if ax is None:
        # Made outside rc_context: the first figure of a session starts the backend, and Jupyter's
        # inline backend turns interactive mode on then; rc_context would undo that on exit, and no
        # later figure of the notebook would display.
        _, ax = plt.subplots(figsize=figsize)
    with plt.rc_context(rc):  # type: ignore[arg-type]  # matplotlib types rc keys as a Literal of every rcParam
        ok, failed, no_figure, values = split_rows(result, column)
        handles = []
        if len(ok):
            vmin, vmax = float(values.min()), float(values.max())
            norm = Normalize(vmin=vmin, vmax=vmax if vmax > vmin else vmin + 1)
            ok.plot(ax=ax, column=values, cmap=cmap, norm=norm, edgecolor="#555555", linewidth=0.4)
            bar = ax.figure.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6)
            bar.set_label(label_of(COLUMN_LABELS.get(column, (column, column)), bilingual))
        if len(no_figure):
            no_figure.plot(ax=ax, facecolor="none", edgecolor="#777777", linewidth=0.8, linestyle="--")
            handles.append(
                Patch(facecolor="none", edgecolor="#777777", linestyle="--", label=label_of(NO_FIGURE_LABEL, bilingual))
            )
        if len(failed):
            failed.plot(ax=ax, facecolor="#d0d0d0", edgecolor="#444444", hatch="///", linewidth=0.6)
            handles.append(
                Patch(facecolor="#d0d0d0", edgecolor="#444444", hatch="///", label=label_of(ERROR_LABEL, bilingual))
            )
        if handles:
            ax.legend(handles=handles, loc="lower left", fontsize="small")
        ax.set_title(title if title is not None else label_of(COLUMN_LABELS.get(column, (column, column)), bilingual))
        ax.set_axis_off()
    return ax


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
    bilingual, rc = _map_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 8.0))
    with plt.rc_context(rc):  # type: ignore[arg-type]  # matplotlib types rc keys as a Literal of every rcParam
        lines = _assignment_lines(siting.assignment, demand, chosen, existing)
        if lines:
            ax.add_collection(
                LineCollection(
                    lines, colors="#9ecae1", linewidths=0.6, label=label_of(LEGEND_LABELS["assigned"], bilingual)
                )
            )
        sizes: Any = 6.0
        if weight is not None and weight in demand.columns:
            w = pd.to_numeric(demand[weight], errors="coerce")
            sizes = (6.0 + 60.0 * w / max(float(w.max()), 1e-9)).fillna(6.0)
        demand.plot(
            ax=ax, markersize=sizes, color="#3182bd", alpha=0.6, label=label_of(LEGEND_LABELS["demand"], bilingual)
        )
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
                frame.plot(ax=ax, label=label_of(LEGEND_LABELS[key], bilingual), **style)
        ax.legend(loc="lower left", fontsize="small")
        ax.set_title(label_of(LEGEND_LABELS["siting_title"], bilingual))
        ax.set_axis_off()
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
