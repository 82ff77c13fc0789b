"""The parcel map in a browser: sized parcels as GeoJSON, the vendored Leaflet, the shared map script, and
the tile URL a bureau may give.

The web page (``facility-sizing serve``) and :func:`~facility_sizing.explore_map` draw the same map
with the same script (``parcelmap.js``) and the same Leaflet (``data/vendor/leaflet``, copied from
the npm registry; its version and hashes are in the README beside it). Neither loads anything
from elsewhere: parcels lie on a plain background unless a tile URL is given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from ...errors import InputError
from ...model.quantities import QUANTITIES
from ...model.vocabulary import COLUMN_LABELS, LEGEND_LABELS
from .layers import ID_COLUMNS, NAME_COLUMNS, split_status

__all__ = [
    "ASSETS",
    "LEAFLET_VERSION",
    "MAX_MAP_FEATURES",
    "asset",
    "check_tile_url",
    "figure_text",
    "map_words",
    "parcel_features",
    "tile_attribution",
    "tile_origin",
]

LEAFLET_VERSION = "1.9.4"

#: The most parcels a map draws (the first rows of a file); a table lists them all.
MAX_MAP_FEATURES = 20_000

#: The files of the map, by the name the page asks for: (package, path inside it).
ASSETS = {
    "leaflet.js": ("facility_sizing", "data/vendor/leaflet/leaflet.js"),
    "leaflet.css": ("facility_sizing", "data/vendor/leaflet/leaflet.css"),
    "parcelmap.js": ("facility_sizing.spatial.maps", "parcelmap.js"),
    "parcelmap.css": ("facility_sizing.spatial.maps", "parcelmap.css"),
}

_PLACEHOLDERS = ("{z}", "{x}", "{y}")


def asset(name: str) -> str:
    """The text of one of the map's files (:data:`ASSETS`).

    Examples
    --------
    >>> "Leaflet 1.9.4" in asset("leaflet.js")[:200]
    True
    """
    package, path = ASSETS[name]
    return (resources.files(package) / path).read_text(encoding="utf-8")


def check_tile_url(url: str | None) -> str | None:
    """A tile URL template as Leaflet takes it (``{z}``, ``{x}``, ``{y}``; ``{s}`` for a server), or None.

    Raises
    ------
    InputError
        Not an http(s) address, or without the three placeholders.

    Examples
    --------
    >>> check_tile_url("https://tiles.example.gov.cn/{z}/{x}/{y}.png")
    'https://tiles.example.gov.cn/{z}/{x}/{y}.png'
    >>> check_tile_url(None) is None
    True
    """
    if url is None or not url.strip():
        return None
    url = url.strip()
    parts = urlsplit(url.replace("{s}", "s"))
    host = re.fullmatch(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?", parts.netloc)  # no user:password@, nothing a header breaks on
    if parts.scheme not in ("http", "https") or not host or not all(p in url for p in _PLACEHOLDERS):
        raise InputError("maps.tile_url", field="tile_url", value=url)
    if re.search(r"[\s'\"<>;\\]", url):
        raise InputError("maps.tile_url", field="tile_url", value=url)
    return url


def tile_origin(url: str) -> str:
    """Where a tile URL's images come from, as a Content-Security-Policy source (``{s}`` as any subdomain).

    Examples
    --------
    >>> tile_origin("https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}")
    'https://*.tianditu.gov.cn'
    >>> tile_origin("http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png")
    'http://10.1.2.3:8080'
    """
    parts = urlsplit(url.replace("{s}", "s"))
    host = urlsplit(url).netloc
    if "{s}" in host:
        host = "*." + host.split(".", 1)[1] if "." in host else parts.netloc
    return f"{parts.scheme}://{host}"


def tile_attribution(url: str) -> str:
    """The credit a map gives its background: 底图 and the tile server's host.

    Examples
    --------
    >>> tile_attribution("https://t0.tianditu.gov.cn/vec_w/wmts?{z}{x}{y}")
    '底图 basemap: t0.tianditu.gov.cn'
    """
    return f"底图 basemap: {urlsplit(url.replace('{s}', 's')).hostname}"


def figure_text(column: str, value: float | None) -> str:
    """A figure with its unit as a map or table shows it: ``200.1 m²``, ``2 层``.

    Examples
    --------
    >>> figure_text("floor_area_m2", 200.1), figure_text("max_floor", 2.0), figure_text("households", 1334.0)
    ('200.1 m²', '2 层', '1,334')
    """
    if value is None or value != value:
        return "—"
    unit = next((q.unit.zh for q in QUANTITIES.values() if q.column == column), "")
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()


def map_words(column: str) -> dict[str, str]:
    """The words of a map coloured by ``column``, Chinese first, for ``parcelmap.js``."""
    name = COLUMN_LABELS.get(column, (column, column))
    return {
        "title": f"{name[0]} · {name[1]}",
        "legend": f"{name[0]} {name[1]}",
        "error": f"{LEGEND_LABELS['error'][0]} {LEGEND_LABELS['error'][1]}",
        "none": f"{LEGEND_LABELS['no_figure'][0]} {LEGEND_LABELS['no_figure'][1]}",
        "parcel": "个地块 parcels",
    }


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def parcel_features(
    result: Any, column: str, errors: Sequence[str | None] | None = None, most: int = MAX_MAP_FEATURES
) -> dict[str, Any]:
    """The first ``most`` parcels of a sized frame as a GeoJSON FeatureCollection in WGS84, for the map.

    Each feature's properties: ``row`` (its position, from 1), ``id`` and ``name`` (the first id
    and name columns present), ``value`` of ``column`` and ``figure`` (it in words), ``status``
    (``ok``; ``error``: not sized; ``none``: no figure), ``error`` (``errors[i]``, else the
    row's error text) and ``basis`` (the rule that bound, or why there is no figure).
    Coordinates are rounded to 1e-6° (about 0.1 m). Rows without a geometry are left out.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> out = fs.size_parcels(fs.sample_parcels().head(3), on="2025-01-01")
    >>> f = parcel_features(out, "floor_area_m2")["features"][0]
    >>> f["properties"]["row"], f["properties"]["status"], f["geometry"]["type"]
    (1, 'ok', 'Polygon')
    """
    import shapely

    part = result.iloc[:most]
    status, values = split_status(part, column)
    geoms = np.asarray(part.geometry.to_crs(4326).array if part.crs is not None else part.geometry.array)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, 6))
    shapes = shapely.to_geojson(geoms)
    id_col = next((c for c in ID_COLUMNS if c in part.columns), None)
    name_col = next((c for c in NAME_COLUMNS if c in part.columns and c != id_col), None)
    basis_col = f"{column.removesuffix('_m2')}_basis"
    ids, names, bases = ([_text(v) for v in part[c]] if c in part.columns else [None] * len(part)
                         for c in (id_col, name_col, basis_col))  # fmt: skip
    texts = list(errors) if errors is not None else [_text(e) for e in part.get("error", [None] * len(part))]
    features = []
    for i in range(len(part)):
        if shapes[i] is None or shapely.is_empty(geoms[i]):
            continue
        value = None if np.isnan(values[i]) else float(values[i])
        properties = {"row": i + 1, "id": ids[i], "name": names[i], "value": value,
                      "figure": figure_text(column, value), "status": status[i],
                      "error": texts[i] if status[i] == "error" else None, "basis": bases[i]}  # fmt: skip
        features.append({"type": "Feature", "geometry": json.loads(shapes[i]), "properties": properties})
    return {"type": "FeatureCollection", "features": features}
