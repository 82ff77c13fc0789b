"""The batch result in Jupyter (``result.sizing``) and the two maps (``fs.plot_map``, ``fs.explore_map``)."""

from __future__ import annotations

import re
import socket
import sys

import geopandas as gpd
import matplotlib
import pandas as pd
import pytest

import facility_sizing as fs
from facility_sizing.model.vocabulary import ERROR_KINDS

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def result() -> gpd.GeoDataFrame:
    """The sample parcels with one bad input row and one unknown jurisdiction."""
    gdf = fs.sample_parcels()
    gdf.loc[3, "far"] = -1.0
    gdf.loc[3, "households"] = float("nan")
    gdf.loc[5, "jurisdiction"] = "nowhere"
    return fs.size_parcels(gdf, on="2025-01-01")


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args: object, **_kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_the_accessor_shows_the_summary_above_the_rows(result: gpd.GeoDataFrame) -> None:
    assert type(result) is gpd.GeoDataFrame  # the return type is untouched
    page = result.sizing._repr_html_()
    totals = fs.summary(result)
    assert page.index("配建计算汇总 · Sizing summary") < page.index("XH-三墩-01")
    assert "有错误的行" in page and "rows with errors" in page
    assert f"{totals['floor_area_m2']:,.2f}".rstrip("0").rstrip(".") + " m²" in page
    assert "未知行政区 unknown jurisdiction [unknown_jurisdiction]: 1" in page
    assert "输入有误 bad input [input]: 1" in page
    assert "征求意见稿" in page  # the sample's Binjiang rows opt in to the draft
    assert totals["errors"] == 2 and totals["draft_rows"] > 0
    assert "geometry" not in result.sizing.table().columns
    assert result.sizing.errors().index.tolist() == [3, 5]
    assert result.sizing.summary() == totals
    assert "38 行 rows, 2 行有错误 with errors" in repr(result.sizing)


def test_the_accessor_works_on_a_plain_frame_and_says_no_draft_when_there_is_none() -> None:
    df = pd.DataFrame({"jurisdiction": ["西湖区", "余姚市"], "households": [1200, 2000]})
    out = fs.size_frame(df, area_type="new_build", persons_per_household=2.8, on="2025-01-01")
    assert type(out) is pd.DataFrame
    page = out.sizing._repr_html_()
    assert "⚠" not in page and "✗" not in page
    assert "<b>51</b>" in page  # Yuyao's slots are the total


def test_every_error_code_a_row_can_carry_has_a_bilingual_label() -> None:
    from facility_sizing.spatial.geometry import chinacrs

    def subclasses(cls: type) -> list[type]:
        return [cls, *(s for c in cls.__subclasses__() for s in subclasses(c))]

    assert chinacrs  # imported so that its error class is registered
    not_in_rows = {"rule_data", "missing_dependency"}  # raised, never written into a row
    codes = {c.code for c in subclasses(fs.FacilitySizingError)} - not_in_rows
    assert codes <= set(ERROR_KINDS), codes - set(ERROR_KINDS)


def test_the_accessor_refuses_a_frame_that_was_not_sized() -> None:
    with pytest.raises(fs.InputError, match="floor_area_m2") as info:
        _ = pd.DataFrame({"households": [1]}).sizing
    assert info.value.field == "result"


@pytest.mark.usefixtures("offline")
def test_static_map_draws_errors_hatched_and_labels_them(
    result: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    from facility_sizing.spatial.maps import cartography

    # whatever fonts this machine has: without a Chinese one, English labels, said so
    monkeypatch.setattr(cartography, "cjk_font", lambda: None)
    with pytest.warns(fs.FontWarning, match="fonts-noto-cjk"):
        ax = fs.plot_map(result, "floor_area_m2")
    hatched = [c for c in ax.collections if c.get_hatch() == "///"]
    assert len(hatched) == 1 and len(hatched[0].get_paths()) == 2  # the two rows with errors, and only them
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "error — not sized" in labels
    assert "no figure set by the rules" in labels  # the rows of Binjiang and Yuyao-like rules
    texts = [t.get_text() for t in ax.figure.findobj(matplotlib.text.Text)]
    assert not any(re.search(r"[\u4e00-\u9fff]", t) for t in texts)  # no Chinese to draw as boxes
    ax.figure.savefig(__import__("io").BytesIO(), format="png")
    matplotlib.pyplot.close(ax.figure)


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # DejaVu stands in for a Chinese font
def test_static_map_labels_are_bilingual_when_a_chinese_font_is_installed(
    result: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    from facility_sizing.spatial.maps import cartography

    monkeypatch.setattr(cartography, "cjk_font", lambda: "DejaVu Sans")
    ax = result.sizing.plot("slots")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "计算出错 error — not sized" in labels
    assert ax.get_title() == "托位 required slots"
    assert ax.title.get_fontfamily()[0] == "DejaVu Sans"  # the title made with the axes takes the map's font
    matplotlib.pyplot.close(ax.figure)


def test_map_arguments_are_checked(result: gpd.GeoDataFrame) -> None:
    with pytest.raises(fs.InputError, match="floor_area") as info:
        fs.plot_map(result, "floor_aera_m2")
    assert info.value.field == "column" and info.value.value == "floor_aera_m2"
    with pytest.raises(fs.InputError, match="not numeric"):
        fs.plot_map(result, "jurisdiction")
    with pytest.raises(fs.InputError, match="GeoDataFrame"):
        fs.plot_map(pd.DataFrame(result.drop(columns="geometry")))


def test_a_missing_map_dependency_names_the_extra(result: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` raise ImportError
    with pytest.raises(fs.MissingDependencyError, match=re.escape(fs.errors.install_command("map"))) as info:
        fs.plot_map(result)
    assert isinstance(info.value, ImportError) and isinstance(info.value, fs.FacilitySizingError)
    assert info.value.package == "matplotlib" and info.value.extra == "map"


@pytest.mark.usefixtures("offline")
def test_interactive_map_is_one_offline_document(result: gpd.GeoDataFrame) -> None:
    m = result.sizing.map("floor_area_m2")
    assert isinstance(m, fs.ParcelMap) and m.tiles is None
    status = [f["properties"]["status"] for f in m.features["features"]]
    assert len(status) == len(result) and status.count("error") == 2
    errors = [f["properties"] for f in m.features["features"] if f["properties"]["status"] == "error"]
    assert "unknown jurisdiction" in errors[1]["error"] and "nowhere" in errors[1]["error"]
    assert "Leaflet 1.9.4" in m.html and "FacilityMap.draw" in m.html  # inlined, not linked
    assert 'src="http' not in m.html and "<link" not in m.html and "tileLayer(" in m.html  # no tiles unless given
    assert '"tiles": null' in m.html
    assert "地块列表" in m.html and "XH-三墩-01" in m.html  # the parcels in words: the map's text alternative
    assert m._repr_html_().startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in m._repr_html_()
    tiled = fs.explore_map(
        result, "slots", tiles="https://t0.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=K"
    )
    assert "t0.tianditu.gov.cn" in tiled.html and tiled.tiles is not None
    with pytest.raises(fs.InputError, match="tile") as info:
        fs.explore_map(result, tiles="ftp://tiles/{z}/{x}/{y}")
    assert info.value.field == "tile_url" and "{z}" in info.value.text("zh")
