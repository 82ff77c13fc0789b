"""The interactive map of sized parcels (folium / Leaflet): built offline, viewed online."""

from __future__ import annotations

from typing import Any

from ...errors import InputError
from ...model.columns import shown_quantity_columns
from ...model.vocabulary import COLUMN_LABELS
from .layers import ERROR_LABEL, NO_FIGURE_LABEL, checked, label_of, require, split_rows

__all__ = ["explore_map"]


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
        require(module, package, "spatial.interactive_map")
    import folium

    result = checked(result, column)
    ok, failed, no_figure, values = split_rows(result, column)
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
    kwargs.setdefault("name", label_of(COLUMN_LABELS.get(column, (column, column)), True))
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
            name=label_of(NO_FIGURE_LABEL, True),
            **({} if m is not None else {"tiles": tiles}),
        )
    if len(failed):
        style = {"color": "#444444", "fillColor": "#b0b0b0", "fillOpacity": 0.6, "weight": 1, "dashArray": "2 4"}
        m = plain(failed, [*shown, "error"]).explore(
            m=m,
            style_kwds=style,
            tooltip=[*shown, "error"],
            name=label_of(ERROR_LABEL, True),
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
