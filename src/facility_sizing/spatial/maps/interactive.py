"""The interactive map of sized parcels: one HTML document, Leaflet and the data inside it, offline."""

from __future__ import annotations

import html
import json
from typing import Any

from ...errors import InputError
from ...model.vocabulary import COLUMN_LABELS
from .layers import checked
from .web import (
    MAX_MAP_FEATURES,
    asset,
    check_tile_url,
    map_words,
    parcel_features,
    tile_attribution,
)

__all__ = ["ParcelMap", "explore_map"]

#: The most parcels the map's text alternative lists.
LISTED = 500


def _script(text: str) -> str:
    """Text safe inside a ``<script>`` element: no ``</`` to end it early."""
    return text.replace("</", "<\\/")


class ParcelMap:
    """An interactive map of sized parcels, as one self-contained HTML document.

    Displayed in Jupyter (in a frame of its own), or saved as a file any browser opens offline:
    ``Path("地图.html").write_text(m.html, encoding="utf-8")``.

    Attributes
    ----------
    html : str
        The whole document: Leaflet, the map script and the parcels inlined.
    features : dict
        The parcels drawn, a GeoJSON FeatureCollection in WGS84.
    tiles : str or None
        The tile URL of the background, or None (a plain background).
    """

    def __init__(self, features: dict[str, Any], words: dict[str, str], tiles: str | None, total: int) -> None:
        self.features = features
        self.words = words
        self.tiles = tiles
        self.total = total
        self.html = self._document()

    def _listing(self) -> str:
        """The parcels in words: the map's text alternative."""
        rows = []
        for f in self.features["features"][:LISTED]:
            p = f["properties"]
            said = p["figure"] if p["status"] == "ok" else (p["error"] or self.words["error"])
            if p["status"] == "none":
                said = self.words["none"]
            cells = [str(p["row"]), p["id"] or "", p["name"] or "", said]
            rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        more = len(self.features["features"]) - LISTED
        note = f"<p>另有 {more} 个地块未列出 — {more} more parcels not listed</p>" if more > 0 else ""
        head = (
            "<tr><th>行 row</th><th>编号 id</th><th>名称 name</th><th>"
            + html.escape(self.words["legend"])
            + "</th></tr>"
        )
        return f"<table>{head}{''.join(rows)}</table>{note}"

    def _document(self) -> str:
        drawn = len(self.features["features"])
        cut = (
            f"<p class='fs-map-note'>地图显示前 {drawn:,} 个地块，共 {self.total:,} 行 — the map shows the first "
            f"{drawn:,} of {self.total:,} rows</p>"
            if drawn < self.total
            else ""
        )
        options = {
            "features": self.features,
            "words": self.words,
            "tiles": {"url": self.tiles, "attribution": tile_attribution(self.tiles)} if self.tiles else None,
        }
        style = asset("leaflet.css") + asset("parcelmap.css")
        page = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>{style}
body {{ margin: 0; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; color: #1d2733; }}
h1 {{ font-size: 16px; margin: 8px 10px; }} #fs-map {{ height: 480px; }}
details {{ margin: 8px 10px; font-size: 13px; }} table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #d5dde5; padding: 2px 6px; text-align: left; }} .fs-map-note {{ margin: 4px 10px; font-size: 13px; }}
</style></head><body>
<h1>{title}</h1>{cut}
<div id="fs-map"></div>
<details><summary>地块列表（地图的文字说明）— the parcels in words</summary>{listing}</details>
<script>{leaflet}</script>
<script>{script}</script>
<script>FacilityMap.draw(document.getElementById("fs-map"), {options});</script>
</body></html>
"""
        return page.format(
            title=html.escape(self.words["title"]),
            style=style,
            cut=cut,
            listing=self._listing(),
            leaflet=_script(asset("leaflet.js")),
            script=_script(asset("parcelmap.js")),
            options=_script(json.dumps(options, ensure_ascii=False)),
        )

    def _repr_html_(self) -> str:
        """The document in a frame of its own (its scripts run apart from the notebook's)."""
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" title="{html.escape(self.words["title"])}" '
            'style="width:100%;height:560px;border:1px solid #d5dde5" sandbox="allow-scripts"></iframe>'
        )

    def __repr__(self) -> str:
        return f"ParcelMap({len(self.features['features'])} parcels, tiles={self.tiles!r})"


def explore_map(result: Any, column: str = "floor_area_m2", *, tiles: str | None = None) -> ParcelMap:
    """An interactive map of sized parcels that works offline: zoom, pan, and each parcel's figures.

    Parcels are coloured by ``column`` on a plain background, in five classes of round widths;
    rows that could not be sized are grey and dashed, rows with no figure for ``column`` are
    dashed outlines, each with its error or reason on hover and click, and each named in the
    legend with a scale bar. Leaflet and the map script are inlined (from the package: nothing
    is loaded from elsewhere), so the map works on a closed network, in Jupyter and as a saved
    file. Every parcel can be reached with the keyboard (Tab, then Enter), and a list of the
    parcels in words is under the map. The first 20,000 parcels are drawn.

    Parameters
    ----------
    result : geopandas.GeoDataFrame
        A result of :func:`~facility_sizing.size_parcels`.
    column : str, default "floor_area_m2"
        A numeric result column.
    tiles : str, optional
        A background tile URL the bureau has (``{z}``, ``{x}``, ``{y}``; e.g. 天地图 with its own
        key), the same as ``facility-sizing serve --tile-url``. None (default): no background,
        nothing loaded from the network. Tiles must be in Web Mercator on WGS84/CGCS2000
        (天地图 ``_w`` layers); GCJ-02 tiles (most commercial maps) are offset by hundreds of metres.

    Returns
    -------
    ParcelMap
        Shown by Jupyter; ``.html`` is the whole document.

    Raises
    ------
    InputError
        ``result`` is not a GeoDataFrame with a CRS, ``column`` is not a numeric column of it, or
        ``tiles`` is not a tile URL.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> out = fs.size_parcels(fs.sample_parcels(), on="2025-01-01")
    >>> m = fs.explore_map(out, "floor_area_m2")
    >>> len(m.features["features"]), 'src="http' in m.html, "<link" in m.html  # nothing loaded from elsewhere
    (38, False, False)
    """
    result = checked(result, column)
    url = check_tile_url(tiles)
    features = parcel_features(result, column, most=MAX_MAP_FEATURES)
    if not features["features"]:
        raise InputError("spatial.map_no_parcels", field="result", value=len(result))
    words = map_words(column)
    if column not in COLUMN_LABELS:
        words["legend"] = column
    return ParcelMap(features, words, url, len(result))
