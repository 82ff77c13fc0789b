"""What makes a static map read: a Chinese font chosen explicitly, a metric frame, a scale bar, a north
arrow, and parcel labels where they fit.

matplotlib renders each text in the font its properties name, fixed when the text is made; a font
set in ``rcParams`` afterwards never reaches a title made with the axes. So every text of a map
is given :func:`map_font`'s properties itself, and the font is picked from the fonts matplotlib
knows (:data:`CJK_FONTS` first, then any font whose glyphs cover Chinese), never left to a
fallback that draws boxes (tofu).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ...errors import FacilitySizingWarning
from ...messages import Message
from ...model.vocabulary import Label

__all__ = [
    "CJK_FILE_HINTS",
    "CJK_FONTS",
    "FontWarning",
    "MapFont",
    "add_north_arrow",
    "add_scale_bar",
    "cjk_font",
    "label_parcels",
    "map_font",
    "metric_frame",
    "nice_length",
]

#: Fonts with Chinese glyphs, in order of preference (Simplified Chinese forms first); the first one
#: installed is used.
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
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "SimSun",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Noto Sans CJK TC",
    "Noto Sans CJK HK",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
)

#: Parts of the file names of those fonts (lower case, without - and _), to find one installed
#: after matplotlib built its font cache.
CJK_FILE_HINTS = (
    "notosanscjk",
    "notoserifcjk",
    "notosanssc",
    "sourcehansans",
    "sourcehanserif",
    "msyh",
    "simhei",
    "simsun",
    "pingfang",
    "hiragino",
    "wqymicrohei",
    "wqyzenhei",
    "droidsansfallback",
    "uming",
)

#: Characters a font must draw to be used for a map's Chinese (托育设施 and the legend's words).
_PROBE = "托育设施计算出错无此指标北"


class FontWarning(FacilitySizingWarning):
    """No font with Chinese glyphs is installed, so a static map's labels are in English only."""


def _covers_chinese(path: str) -> bool:
    from matplotlib import font_manager

    try:
        font = font_manager.get_font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(c)) for c in _PROBE)


def _preferred(names: set[str]) -> str | None:
    return next((name for name in CJK_FONTS if name in names), None)


def cjk_font() -> str | None:
    """The name of the font a map's Chinese is drawn in, or None when no installed font has Chinese glyphs.

    The first of :data:`CJK_FONTS` matplotlib knows; else one installed since matplotlib cached its
    font list (the system's font files are scanned by name, and every face of a collection such
    as ``NotoSansCJK-Regular.ttc`` is added); else any font matplotlib knows whose glyphs cover
    Chinese.

    Examples
    --------
    >>> name = cjk_font()
    >>> name is None or isinstance(name, str)
    True
    """
    from matplotlib import font_manager

    found = _preferred({f.name for f in font_manager.fontManager.ttflist})
    if found is not None:
        return found
    for path in font_manager.findSystemFonts():
        stem = path.replace("\\", "/").rsplit("/", 1)[-1].lower().replace("-", "").replace("_", "")
        if any(hint in stem for hint in CJK_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    entries = font_manager.fontManager.ttflist
    found = _preferred({f.name for f in entries})
    if found is not None:
        return found
    return next((f.name for f in entries if _covers_chinese(f.fname)), None)


class MapFont:
    """The font of every text of one map: Chinese and English where a CJK font is installed, English otherwise.

    Attributes
    ----------
    name : str or None
        The CJK font chosen (None: none installed).
    bilingual : bool
    """

    def __init__(self, name: str | None) -> None:
        from matplotlib.font_manager import FontProperties

        self.name = name
        self.bilingual = name is not None
        self.family = [name, "DejaVu Sans"] if name is not None else ["DejaVu Sans"]
        self._properties = FontProperties

    def props(self, size: float | str | None = None, weight: str = "normal") -> Any:
        """Font properties in this map's font (a new object each time: matplotlib keeps a reference)."""
        return self._properties(family=self.family, size=size, weight=weight)

    def say(self, label: Label | tuple[str, str]) -> str:
        """A label as this map shows it: 「中文 English」, or English alone without a Chinese font."""
        return f"{label[0]} {label[1]}" if self.bilingual else label[1]


def map_font() -> MapFont:
    """The map's font, with a :class:`FontWarning` naming the package to install when none has Chinese glyphs."""
    name = cjk_font()
    if name is None:
        warnings.warn(FontWarning(str(Message("maps.no_cjk_font", {"package": "fonts-noto-cjk"}))), stacklevel=3)
    return MapFont(name)


def metric_frame(frame: Any) -> Any:
    """``frame`` in metres, north up, true to scale: the CGCS2000 3° Gauss-Krüger zone of its centre.

    A frame already in that zone is kept as it is; degrees (EPSG:4490, 4326) and a web map's
    projection (EPSG:3857, 15 % too large in Hangzhou) are projected. Outside China, the UTM zone
    of the centre.
    """
    from ..geometry.crs import CRSError, distance_crs

    try:
        crs = distance_crs(frame.crs, None, np.asarray(frame.geometry.array))
    except CRSError:
        crs = frame.estimate_utm_crs()
    return frame if frame.crs == crs else frame.to_crs(crs)


def nice_length(span_m: float) -> float:
    """A round length (1, 2 or 5 × 10ⁿ metres) near a fifth of ``span_m``, for a scale bar.

    Examples
    --------
    >>> nice_length(42_000), nice_length(900), nice_length(7)
    (5000.0, 100.0, 1.0)
    """
    target = max(span_m, 1e-9) / 5
    power = 10.0 ** math.floor(math.log10(target))
    return next(step * power for step in (5.0, 2.0, 1.0) if step * power <= target)


def _length_label(metres: float, font: MapFont) -> str:
    if metres >= 1000:
        km = f"{metres / 1000:g}"
        return f"{km} 公里 km" if font.bilingual else f"{km} km"
    return f"{metres:g} 米 m" if font.bilingual else f"{metres:g} m"


def add_scale_bar(ax: Any, font: MapFont) -> Any:
    """A scale bar in the lower right of ``ax`` (data in metres), a round length near a fifth of the map's width.

    Its artist has the gid ``"scale_bar"``.
    """
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    x0, x1 = ax.get_xlim()
    length = nice_length(abs(x1 - x0))
    bar = AnchoredSizeBar(
        ax.transData,
        length,
        _length_label(length, font),
        "lower right",
        pad=0.5,
        borderpad=0.6,
        sep=4,
        frameon=True,
        size_vertical=abs(ax.get_ylim()[1] - ax.get_ylim()[0]) / 150,
        fontproperties=font.props(size="small"),
    )
    bar.patch.set_alpha(0.8)
    bar.set_gid("scale_bar")
    ax.add_artist(bar)
    return bar


def _emptier_top_corner(ax: Any, frame: Any) -> float:
    """The x (axes fraction) of the top corner, right or left, that fewer parcels lie under."""
    if frame is None or not len(frame):
        return 0.94
    import shapely

    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    at = shapely.point_on_surface(np.asarray(frame.geometry.array))
    fx, fy = (shapely.get_x(at) - x0) / (x1 - x0), (shapely.get_y(at) - y0) / (y1 - y0)
    top = fy > 0.6  # the arrow and its letters take the top 40 % of a corner 20 % wide
    right, left = int(np.count_nonzero(top & (fx > 0.8))), int(np.count_nonzero(top & (fx < 0.2)))
    return 0.06 if left < right else 0.94


def add_north_arrow(ax: Any, font: MapFont, frame: Any = None) -> Any:
    """A north arrow in a top corner of ``ax`` (the right one, or the left where fewer of ``frame``'s
    parcels lie under it): grid north of the map's projection.

    In a 3° Gauss-Krüger zone grid north is within 1.5° of true north. Its artist has the gid
    ``"north_arrow"``.
    """
    x = _emptier_top_corner(ax, frame)
    arrow = ax.annotate(
        "北\nN" if font.bilingual else "N",
        xy=(x, 0.96),
        xytext=(x, 0.84),
        xycoords="axes fraction",
        textcoords="axes fraction",
        ha="center",
        va="top",
        fontproperties=font.props(size="medium", weight="bold"),
        arrowprops={"facecolor": "black", "edgecolor": "black", "width": 3, "headwidth": 10, "headlength": 10},
        zorder=6,
    )
    arrow.set_gid("north_arrow")
    return arrow


def _display_box(ax: Any, text: Any) -> Any:
    """A text's extent in data coordinates, as a shapely box."""
    import shapely

    box = text.get_window_extent().transformed(ax.transData.inverted())
    return shapely.box(box.x0, box.y0, box.x1, box.y1)


def _spots(geom: Any, gap: float) -> list[tuple[float, float, str, str, bool]]:
    """Where a parcel's label may go: inside it, then right, left, above and below it (x, y, ha, va, inside)."""
    import shapely

    at = shapely.point_on_surface(geom)
    x0, y0, x1, y1 = shapely.bounds(geom)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return [(at.x, at.y, "center", "center", True), (x1 + gap, cy, "left", "center", False),
            (x0 - gap, cy, "right", "center", False), (cx, y1 + gap, "center", "bottom", False),
            (cx, y0 - gap, "center", "top", False)]  # fmt: skip


def label_parcels(
    ax: Any, frame: Any, column: str, font: MapFont, most: int = 400, avoid: list[Any] | None = None
) -> list[Any]:
    """Write each parcel's id (``column``) where it fits, largest parcels first.

    A label goes inside its parcel if it fits there, else just beside it (right, left, above or
    below) where it covers no parcel; it is kept only clear of the labels already kept and inside
    the map and off the artists in ``avoid`` (the legend, scale bar, north arrow), so a crowded map
    shows the ids it can and no overlapping text. At most ``most`` labels are tried. Returns the
    labels kept (gid ``"parcel_label"``).
    """
    import shapely

    geoms = np.asarray(frame.geometry.array)
    ids = frame[column].to_numpy()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    inside_map = shapely.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    # a parcel and the dot a small one is drawn with (3.5 pt): what a label beside it must not cover
    dot = 3.5 * abs(x1 - x0) / (ax.get_window_extent().width * 72.0 / ax.figure.dpi)
    tree = shapely.STRtree(shapely.union(geoms, shapely.buffer(shapely.point_on_surface(geoms), dot)))
    gap = max(abs(x1 - x0) / 300, dot * 1.3)
    order = np.argsort(-np.nan_to_num(shapely.area(geoms), nan=0.0), kind="stable")[:most]
    kept: list[Any] = []
    taken: list[Any] = [_display_box(ax, artist) for artist in avoid or []]
    for i in order.tolist():
        geom, value = geoms[i], ids[i]
        if geom is None or shapely.is_empty(geom) or value is None or value != value or str(value).strip() == "":
            continue
        if not font.bilingual and not str(value).isascii():  # an id in Chinese, and no font to draw it in
            continue
        for x, y, ha, va, inside in _spots(geom, gap):
            text = ax.text(x, y, str(value), ha=ha, va=va, fontproperties=font.props(size="x-small"), zorder=5)
            box = _display_box(ax, text)
            fits = shapely.contains(geom, box) if inside else not len(tree.query(box, predicate="intersects"))
            if fits and shapely.contains(inside_map, box) and not any(box.intersects(other) for other in taken):
                text.set_gid("parcel_label")
                kept.append(text)
                taken.append(box)
                break
            text.remove()
    return kept
