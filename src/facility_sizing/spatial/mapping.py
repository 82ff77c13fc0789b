"""Maps of sized parcels: a static one (matplotlib, fully offline) and an interactive one (folium).

Both colour each parcel by a result column (``floor_area_m2`` by default). Rows that could
not be sized are drawn grey and hatched and rows where the rules set no figure for the
column are drawn as outlines, each labelled in the legend, so a gap on the map is never
mistaken for a requirement of zero. The maps need the ``map`` extra:
``pip install "facility-sizing[map]"``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..errors import FacilitySizingWarning, InputError, MissingDependencyError
from ..model.columns import shown_quantity_columns
from ..model.vocabulary import COLUMN_LABELS, LEGEND_LABELS

__all__ = ["FontWarning", "MissingDependencyError", "explore_map", "plot_map", "plot_siting"]

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

_ERROR_LABEL = LEGEND_LABELS["error"]
_NO_FIGURE_LABEL = LEGEND_LABELS["no_figure"]


class FontWarning(FacilitySizingWarning):
    """No font with Chinese glyphs is installed, so a static map's labels are in English only."""


def _require(module: str, package: str, purpose: str) -> Any:
    """The module, or a MissingDependencyError saying ``purpose`` (a catalogue key) needs ``package``."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(package, "map", purpose) from None


def _checked(result: Any, column: str) -> Any:
    import geopandas as gpd

    if not isinstance(result, gpd.GeoDataFrame):
        raise InputError("spatial.map_needs_parcels", field="result", value=type(result).__name__, see="size_parcels")
    if column not in result.columns:
        numeric = [c for c in result.columns if c != result.geometry.name and pd.api.types.is_numeric_dtype(result[c])]
        raise InputError("spatial.map_no_column", field="column", value=column, numeric=[str(c) for c in numeric])
    if not pd.api.types.is_numeric_dtype(result[column]) or pd.api.types.is_bool_dtype(result[column]):
        raise InputError("spatial.map_column_not_numeric", field="column", value=column)
    if result.crs is None:
        raise InputError("spatial.map_no_crs", field="result", value=None, declare="set_crs")
    return result


def _split(result: Any, column: str) -> tuple[Any, Any, Any, np.ndarray]:
    """The rows with a value, the rows with an error, the rows with no figure; and the values."""
    failed = result["error"].notna().to_numpy() if "error" in result.columns else np.zeros(len(result), bool)
    values = pd.to_numeric(result[column], errors="coerce").astype("float64").to_numpy()
    missing = np.isnan(values)
    ok = ~failed & ~missing
    return result[ok], result[failed], result[~failed & missing], values[ok]


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


def _label(pair: tuple[str, str], bilingual: bool) -> str:
    return f"{pair[0]} {pair[1]}" if bilingual else pair[1]


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
    _require("matplotlib", "matplotlib", "spatial.static_map")
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize
    from matplotlib.patches import Patch

    result = _checked(result, column)
    bilingual, rc = _map_font()
    if ax is None:
        # Made outside rc_context: the first figure of a session starts the backend, and Jupyter's
        # inline backend turns interactive mode on then; rc_context would undo that on exit, and no
        # later figure of the notebook would display.
        _, ax = plt.subplots(figsize=figsize)
    with plt.rc_context(rc):  # type: ignore[arg-type]  # matplotlib types rc keys as a Literal of every rcParam
        ok, failed, no_figure, values = _split(result, column)
        handles = []
        if len(ok):
            vmin, vmax = float(values.min()), float(values.max())
            norm = Normalize(vmin=vmin, vmax=vmax if vmax > vmin else vmin + 1)
            ok.plot(ax=ax, column=values, cmap=cmap, norm=norm, edgecolor="#555555", linewidth=0.4)
            bar = ax.figure.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6)
            bar.set_label(_label(COLUMN_LABELS.get(column, (column, column)), bilingual))
        if len(no_figure):
            no_figure.plot(ax=ax, facecolor="none", edgecolor="#777777", linewidth=0.8, linestyle="--")
            handles.append(
                Patch(facecolor="none", edgecolor="#777777", linestyle="--", label=_label(_NO_FIGURE_LABEL, bilingual))
            )
        if len(failed):
            failed.plot(ax=ax, facecolor="#d0d0d0", edgecolor="#444444", hatch="///", linewidth=0.6)
            handles.append(
                Patch(facecolor="#d0d0d0", edgecolor="#444444", hatch="///", label=_label(_ERROR_LABEL, bilingual))
            )
        if handles:
            ax.legend(handles=handles, loc="lower left", fontsize="small")
        ax.set_title(title if title is not None else _label(COLUMN_LABELS.get(column, (column, column)), bilingual))
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
    _require("matplotlib", "matplotlib", "spatial.static_map")
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
                    lines, colors="#9ecae1", linewidths=0.6, label=_label(LEGEND_LABELS["assigned"], bilingual)
                )
            )
        sizes: Any = 6.0
        if weight is not None and weight in demand.columns:
            w = pd.to_numeric(demand[weight], errors="coerce")
            sizes = (6.0 + 60.0 * w / max(float(w.max()), 1e-9)).fillna(6.0)
        demand.plot(
            ax=ax, markersize=sizes, color="#3182bd", alpha=0.6, label=_label(LEGEND_LABELS["demand"], bilingual)
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
                frame.plot(ax=ax, label=_label(LEGEND_LABELS[key], bilingual), **style)
        ax.legend(loc="lower left", fontsize="small")
        ax.set_title(_label(LEGEND_LABELS["siting_title"], bilingual))
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


def explore_map(result: Any, column: str = "floor_area_m2", **kwargs: Any) -> Any:
    """An interactive (folium / Leaflet) map of sized parcels, via ``GeoDataFrame.explore``.

    Parcels are coloured by ``column``; rows that could not be sized and rows with no figure
    for ``column`` are separate grey layers, named in Chinese and English in the layer
    control, with the error or the reason in their tooltips. Building the map needs no
    network; *viewing* it loads Leaflet and the background tiles from the internet, so it
    **needs the internet**: on a closed network the page shows only a note saying so and
    pointing to :func:`plot_map`, the static map that works fully offline.

    Parameters
    ----------
    result : geopandas.GeoDataFrame
        A result of :func:`~facility_sizing.size_parcels`.
    column : str, default "floor_area_m2"
        A numeric result column.
    **kwargs
        Passed to ``GeoDataFrame.explore`` for the sized parcels (``cmap``, ``tiles``,
        ``scheme``, ...).

    Returns
    -------
    folium.Map

    Raises
    ------
    MissingDependencyError
        folium, mapclassify or matplotlib is not installed (install the ``map`` extra).
    InputError
        ``result`` is not a GeoDataFrame with a CRS, or ``column`` is not a numeric column of it.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> out = fs.size_parcels(fs.sample_parcels(), on="2025-01-01")
    >>> m = fs.explore_map(out, "floor_area_m2", tiles=None)
    >>> type(m).__name__
    'Map'
    """
    for module, package in (("folium", "folium"), ("mapclassify", "mapclassify"), ("matplotlib", "matplotlib")):
        _require(module, package, "spatial.interactive_map")
    import folium

    result = _checked(result, column)
    ok, failed, no_figure, values = _split(result, column)
    shown = [c for c in ("parcel_id", "name", "jurisdiction", "area_type") if c in result.columns]
    tooltip = [*shown, *shown_quantity_columns(result.columns, lambda c: bool(result[c].notna().any()))]

    def plain(frame: Any, cols: list[str]) -> Any:
        # folium serialises to JSON: nullable integers and categories become plain objects
        out = frame[[*dict.fromkeys(cols), frame.geometry.name]].copy()
        for c in cols:
            if c != out.geometry.name:
                out[c] = out[c].astype(object).where(out[c].notna(), None)
        return out

    m = kwargs.pop("m", None)
    tiles = kwargs.get("tiles", "OpenStreetMap")
    kwargs.setdefault("cmap", "YlOrRd")
    kwargs.setdefault("name", _label(COLUMN_LABELS.get(column, (column, column)), True))
    if len(ok):
        layer = plain(ok, tooltip)
        layer[column] = values
        m = layer.explore(m=m, column=column, tooltip=tooltip, legend=True, **kwargs)
    if len(no_figure):
        reason = [c for c in (f"{column.removesuffix('_m2')}_basis",) if c in result.columns]
        style = {"color": "#777777", "fill": False, "dashArray": "4 4", "weight": 1}
        m = plain(no_figure, shown + reason).explore(
            m=m,
            style_kwds=style,
            tooltip=shown + reason,
            name=_label(_NO_FIGURE_LABEL, True),
            **({} if m is not None else {"tiles": tiles}),
        )
    if len(failed):
        style = {"color": "#444444", "fillColor": "#b0b0b0", "fillOpacity": 0.6, "weight": 1, "dashArray": "2 4"}
        m = plain(failed, [*shown, "error"]).explore(
            m=m,
            style_kwds=style,
            tooltip=[*shown, "error"],
            name=_label(_ERROR_LABEL, True),
            **({} if m is not None else {"tiles": tiles}),
        )
    if m is None:
        raise InputError("spatial.map_no_parcels", field="result", value=0)
    folium.LayerControl().add_to(m)
    m.get_root().html.add_child(folium.Element(OFFLINE_NOTE))
    return m


#: Shown on the interactive map's page until Leaflet has loaded: on a closed network it never
#: does, and the page says why instead of staying blank.
OFFLINE_NOTE = (
    '<div id="facility-sizing-offline-note" style="position:absolute;top:8px;left:50px;right:50px;z-index:10000;'
    'background:#fff8e1;border:1px solid #c9a227;padding:6px 10px;font:14px sans-serif">'
    "此交互地图需要联网加载 Leaflet 与底图；如无法显示，请改用静态地图 fs.plot_map(结果)（完全离线）。"
    " — This interactive map needs the internet to load Leaflet and its tiles; if it stays blank, use the "
    "static map fs.plot_map(result), which works fully offline.</div>"
    "<script>window.addEventListener('load',function(){if(window.L){"
    "document.getElementById('facility-sizing-offline-note').style.display='none';}});</script>"
)
