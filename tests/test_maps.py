"""Maps that read: the static map's Chinese drawn in a CJK font (no tofu), its scale bar, north arrow, ids
and extent; the vendored Leaflet is the one its README names.

CI installs fonts-noto-cjk (.ci/run), so the font tests run against a real CJK font; without one the
map says so with a FontWarning (tests/test_display.py).
"""

from __future__ import annotations

import hashlib
import re
import warnings
from pathlib import Path

import geopandas as gpd
import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.font_manager import FontProperties

import facility_sizing as fs
from facility_sizing.spatial.maps import cartography

matplotlib.use("Agg")

ON = "2025-01-01"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def xihu() -> gpd.GeoDataFrame:
    """The Xihu sample parcels (16, a few hundred metres each), one with a bad FAR."""
    gdf = fs.sample_parcels()
    gdf = gdf[gdf["jurisdiction"] == "西湖区"].copy()
    gdf.loc[gdf.index[3], "far"] = -1.0
    return fs.size_parcels(gdf, on=ON)


def test_the_font_chosen_is_a_cjk_font_that_draws_the_map_s_chinese() -> None:
    name = cartography.cjk_font()
    assert name in cartography.CJK_FONTS, f"no CJK font found: install fonts-noto-cjk (got {name!r})"
    font = font_manager.get_font(font_manager.findfont(FontProperties(family=name), fallback_to_default=False))
    assert all(font.get_char_index(ord(c)) for c in "托育设施建筑面积计算出错无此指标北公里米坐标系")


def test_the_static_map_has_its_chinese_in_that_font_a_scale_bar_and_a_north_arrow(xihu: gpd.GeoDataFrame) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", fs.FontWarning)  # a CJK font is installed: no warning
        ax = fs.plot_map(xihu, "floor_area_m2")
    fig = ax.figure
    name = cartography.cjk_font()
    assert ax.get_title() == "托育设施建筑面积 (m²) required floor area (m²)"
    assert ax.title.get_fontfamily()[0] == name  # the title, made with the axes, takes the map's font too
    chinese = [t for t in fig.findobj(matplotlib.text.Text) if CJK.search(t.get_text())]
    assert chinese and all(t.get_fontfamily()[0] == name for t in chinese)
    with warnings.catch_warnings(record=True) as seen:  # matplotlib warns of every glyph it draws as a box
        warnings.simplefilter("always")
        fig.savefig(Path("/dev/null"), format="png")
    assert not [w for w in seen if "missing from font" in str(w.message)]
    gids = {a.get_gid() for a in ax.get_children()}
    assert {"scale_bar", "north_arrow"} <= gids
    bar = next(a for a in ax.get_children() if a.get_gid() == "scale_bar")
    assert bar.size_bar.get_children()[0].get_width() in (500.0, 1000.0, 200.0)  # a round length in metres
    assert next(a for a in ax.get_children() if a.get_gid() == "north_arrow").get_text() == "北\nN"
    assert "EPSG:4549" in " ".join(t.get_text() for t in ax.texts)  # drawn in its Gauss-Krüger zone, said so
    matplotlib.pyplot.close(fig)


def test_the_map_is_framed_to_the_parcels_and_labels_them_where_they_fit(xihu: gpd.GeoDataFrame) -> None:
    ax = fs.plot_map(xihu, "floor_area_m2")
    x0, y0, x1, y1 = cartography.metric_frame(xihu).total_bounds
    (ax0, ax1), (ay0, ay1) = ax.get_xlim(), ax.get_ylim()
    assert ax0 < x0 and x1 < ax1 and ay0 < y0 and y1 < ay1  # every parcel inside
    assert (x1 - x0) / (ax1 - ax0) > 0.6 or (y1 - y0) / (ay1 - ay0) > 0.6  # and filling the map
    labels = [t for t in ax.texts if t.get_gid() == "parcel_label"]
    assert len(labels) >= 12 and {t.get_text() for t in labels} <= set(xihu["parcel_id"])
    boxes = [t.get_window_extent() for t in labels]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])  # no text on text
    none = fs.plot_map(xihu, "floor_area_m2", labels=False)
    assert not [t for t in none.texts if t.get_gid() == "parcel_label"]
    with pytest.raises(fs.InputError, match="地块号") as info:
        fs.plot_map(xihu, labels="地块号")
    assert info.value.field == "labels"
    matplotlib.pyplot.close("all")


def test_a_district_wide_map_shows_small_parcels_as_dots() -> None:
    out = fs.size_parcels(fs.sample_parcels(), on=ON)  # three districts: each parcel a speck at this scale
    ax = fs.plot_map(out, "floor_area_m2")
    dots = [c for c in ax.collections if c.get_gid() == "small_parcels"]
    assert sum(len(c.get_offsets()) for c in dots) == len(out)
    assert any("小地块以圆点示意" in t.get_text() for t in ax.get_legend().get_texts())
    matplotlib.pyplot.close(ax.figure)


def test_the_vendored_leaflet_is_the_one_its_readme_names() -> None:
    folder = Path(fs.__file__).parent / "data" / "vendor" / "leaflet"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"\| `([\w./-]+)` \| `([0-9a-f]{64})` \|", readme))
    assert set(listed) >= {"leaflet.js", "leaflet.css", "LICENSE"}
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    assert "Leaflet 1.9.4" in (folder / "leaflet.js").read_text(encoding="utf-8")[:200]
    assert "BSD 2-Clause" in (folder / "LICENSE").read_text(encoding="utf-8")
