"""Planners' own files in, files they open out, and nothing lost (issue 13, files): every file is made here."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

import facility_sizing as fs

ON = "2025-01-01"
PROJECTS = "地块编号,项目名称,区县,类型,户数\nXH-1,三墩一期,西湖区,新建,1200\nXH-2,留下,西湖区,已建成,800\n"


def _sized(index: str | None = None) -> gpd.GeoDataFrame:
    gdf = fs.sample_parcels()
    if index:
        gdf = gdf.set_index(index)
    return fs.size_parcels(gdf.iloc[:4], on=ON)


# --------------------------------------------------------------------------------------
# Reading


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_chinese_encoding_is_detected(tmp_path: Path, encoding: str) -> None:
    text = PROJECTS.replace("留下", "留下𠀀") if encoding == "gb18030" else PROJECTS  # 𠀀 is not in GBK
    path = tmp_path / "项目.csv"
    path.write_bytes(text.encode(encoding))
    df = fs.read_table(path)
    assert list(df.columns) == ["地块编号", "项目名称", "区县", "类型", "户数"]
    assert df["项目名称"].iloc[1].startswith("留下") and df["户数"].tolist() == [1200, 800]


def test_encoding_can_be_forced_and_a_wrong_one_is_one_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(PROJECTS.encode("gbk"))
    assert fs.read_table(path, encoding="gbk")["区县"].iloc[0] == "西湖区"
    with pytest.raises(fs.FileFormatError, match=r"p\.csv") as info:
        fs.read_table(path, encoding="utf-8")
    assert "codec" not in str(info.value) and "leave out encoding" in str(info.value)
    assert "leave out --encoding" in info.value.text("en", "cli")  # each audience its own spelling
    assert info.value.code == "file_format" and isinstance(info.value, fs.InputError)


def test_csv_with_wkt_in_gbk_reads_as_parcels(tmp_path: Path) -> None:
    path = tmp_path / "parcels.csv"
    wkt = '"POLYGON ((120.1 30.2, 120.102 30.2, 120.102 30.202, 120.1 30.2))"'
    path.write_bytes(f"名称,wkt\n三墩,{wkt}\n".encode("gbk"))
    gdf = fs.read_parcels(path, crs=4490)
    assert gdf["名称"].tolist() == ["三墩"] and gdf.geometry.iloc[0].geom_type == "Polygon"


def test_xlsx_first_sheet_or_named_sheet(tmp_path: Path) -> None:
    path = tmp_path / "项目.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"区县": ["西湖区"], "户数": [1200]}).to_excel(writer, sheet_name="一", index=False)
        pd.DataFrame({"区县": ["柯桥区"], "户数": [3000]}).to_excel(writer, sheet_name="二", index=False)
    assert fs.read_table(path)["区县"].tolist() == ["西湖区"]
    assert fs.read_table(path, sheet="二")["户数"].tolist() == [3000]
    with pytest.raises(fs.FileFormatError, match="一"):
        fs.read_table(path, sheet="三")


def test_shapefile_with_a_gbk_dbf_and_no_cpg(tmp_path: Path) -> None:
    gdf = fs.sample_parcels()[["parcel_id", "name", "geometry"]].iloc[:3]
    path = tmp_path / "地块.shp"
    gdf.to_file(path, encoding="gbk")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    assert not path.with_suffix(".cpg").exists()
    assert fs.read_parcels(path)["name"].tolist() == gdf["name"].tolist()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", b""),
        ("blank.csv", b"\n\n"),
        ("binary.csv", bytes(range(256)) * 4),
        ("corrupt.xlsx", b"PK\x03\x04 not really a workbook"),
        ("corrupt.gpkg", b"SQLite format 3\x00 but damaged"),
        ("corrupt.geojson", b'{"type": "FeatureCollection", "features": [{'),
        ("old.xls", b"\xd0\xcf\x11\xe0 an old workbook"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_typed_error(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(fs.FileFormatError) as info:
        fs.read_parcels(path)
    message = str(info.value)
    assert name in message and " — " in message
    assert not any(word in message for word in ("codec", "GDAL", "pyogrio", "sqlite3", "Traceback"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    path = tmp_path / "pipe.csv"
    os.mkfifo(path)
    with pytest.raises(fs.FileFormatError, match="pipe"):
        fs.read_table(path)


def test_headers_are_recognised() -> None:
    from facility_sizing.io.tables import recognised_columns

    found = recognised_columns(["地块编号", "项目名称", "区县", "类型", "户数", "容积率", "常住人口"])
    assert found == {
        "jurisdiction": "区县",
        "area_type": "类型",
        "households": "户数",
        "population": "常住人口",
        "far": "容积率",
    }
    assert recognised_columns(["households", "户数"])["households"] == "households"


# --------------------------------------------------------------------------------------
# Writing


def test_csv_has_a_bom_by_default_and_gbk_on_request(tmp_path: Path) -> None:
    out = _sized()
    default = fs.write_result(out, tmp_path / "r.csv")
    assert default.read_bytes().startswith(b"\xef\xbb\xbf")
    gbk = fs.write_result(out, tmp_path / "g.csv", encoding="gbk")
    assert "XH-三墩-01" in gbk.read_bytes().decode("gbk")
    assert fs.read_table(gbk)["parcel_id"].iloc[0] == "XH-三墩-01"


def test_a_non_range_index_is_written_as_a_column(tmp_path: Path) -> None:
    out = _sized(index="parcel_id")
    for suffix in ("csv", "gpkg", "xlsx"):
        path = fs.write_result(out, tmp_path / f"r.{suffix}")
        back = fs.read_parcels(path) if suffix == "gpkg" else fs.read_table(path)  # headers read back to names
        assert back["parcel_id"].tolist() == out.index.tolist(), suffix
    plain = fs.read_table(fs.write_result(_sized(), tmp_path / "plain.csv"))
    assert "index" not in plain.columns  # a plain RangeIndex is not written


def test_a_plain_size_frame_result_can_be_written(tmp_path: Path) -> None:
    df = pd.DataFrame({"jurisdiction": ["西湖区", "nowhere"], "households": [1200, 5]})
    out = fs.size_frame(df, area_type="new_build", on=ON)
    for suffix in ("csv", "xlsx", "gpkg", "geojson"):
        path = fs.write_result(out, tmp_path / f"plain.{suffix}")
        assert path.stat().st_size > 0
    assert fs.read_table(tmp_path / "plain.csv")["floor_area_m2"].iloc[0] == 200.0
    # a GIS reads the layer's fields Chinese first; a system asks for the plain names
    assert pyogrio.read_dataframe(tmp_path / "plain.gpkg")["托育设施建筑面积 (m²) floor_area_m2"].iloc[0] == 200.0
    fs.write_result(out, tmp_path / "system.gpkg", headers="en")
    assert pyogrio.read_dataframe(tmp_path / "system.gpkg")["floor_area_m2"].iloc[0] == 200.0
    with pytest.raises(fs.InputError, match="headers"):
        fs.write_result(out, tmp_path / "x.csv", headers="fr")


def test_a_geopackage_keeps_its_other_layers(tmp_path: Path) -> None:
    path = tmp_path / "multi.gpkg"
    fs.sample_parcels().to_file(path, layer="parcels")
    out = _sized()
    fs.write_result(out, path, layer="result")
    fs.write_result(out.iloc[:2], path, layer="result")  # replaced, not appended
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"parcels", "result"}
    assert len(gpd.read_file(path, layer="parcels")) == 38
    assert len(gpd.read_file(path, layer="result")) == 2


@pytest.mark.parametrize("suffix", ["gpkg", "geojson", "csv", "xlsx"])
def test_a_failed_write_over_the_input_leaves_it_as_it_was(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"parcels.{suffix}"
    fs.write_result(_sized(), path)
    before = path.read_bytes()
    bad = _sized()
    if suffix == "csv":
        bad["name"] = "²𠀀"  # cannot be written in GBK
        kwargs = {"encoding": "gbk"}
    else:
        bad["unwritable"] = [1j] * len(bad)  # no driver stores a complex number
        kwargs = {}
    with pytest.raises(fs.FileFormatError, match=re.escape(path.name)):
        fs.write_result(bad, path, **kwargs)
    assert path.read_bytes() == before
    beside = [f"{path.name}.json"] if suffix == "csv" else []  # a CSV's provenance, from the first write
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, *beside])  # no temporary file left


def test_a_write_that_fails_part_way_leaves_the_geopackage_and_its_layers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "multi.gpkg"
    fs.sample_parcels().to_file(path, layer="parcels")
    fs.write_result(_sized(), path, layer="result")
    before = path.read_bytes()

    def half_written(_df: object, target: object, **_kwargs: object) -> None:
        Path(str(target)).write_bytes(b"half a file")  # the driver dies part-way
        raise OSError("disk full")

    monkeypatch.setattr(pyogrio, "write_dataframe", half_written)
    with pytest.raises(fs.FileFormatError, match="unchanged"):
        fs.write_result(_sized(), path, layer="result")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_the_workbook_has_chinese_first_headers_summary_and_sources(tmp_path: Path) -> None:
    import openpyxl

    path = fs.write_result(_sized(), tmp_path / "结果.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["结果 results", "合计 summary", "依据 sources"]
    rows = book["结果 results"]
    headers = [c.value for c in rows[1]]
    assert "托育设施建筑面积 (m²) floor_area_m2" in headers and "采用户数 households" in headers
    column = {h: i for i, h in enumerate(headers)}
    first = rows[2]
    assert first[column["采用户数 households"]].number_format == "0"
    assert first[column["托育设施建筑面积 (m²) floor_area_m2"]].number_format == "0.00"
    summary = {r[0].value: r[1].value for r in book["合计 summary"].iter_rows(min_row=2)}
    assert summary["行数 rows"] == 4
    sources = [[c.value for c in r] for r in book["依据 sources"].iter_rows(min_row=2)]
    assert any(r[2] == "西政办函〔2021〕15号 二(三)1" for r in sources)
    assert any(str(r[1]).startswith("330106/") for r in sources)  # the rule set
    documents = [r for r in sources if r[0] == "文件 document"]
    xihu = [r for r in documents if "西政办函〔2021〕15号" in str(r[1])]
    assert len(xihu) == 1 and str(xihu[0][2]).startswith("官方文本 official")  # the grade travels to the sheet
    [stamp] = [r for r in sources if r[0] == "版本 stamp"]
    assert stamp[1] == f"facility_sizing {fs.__version__}"
    assert stamp[2] == f"规则数据 rule data {fs.load_rules().stamp}" and re.fullmatch(
        r"\S+ \S+ \S+ sha256:[0-9a-f]{16}", stamp[2]
    )


def test_the_workbook_counts_reported_rows(tmp_path: Path) -> None:
    import openpyxl

    # 西湖区 with reports opted in: the slots come from 杭州市/浙江省 figures known by report only
    frame = pd.DataFrame({"jurisdiction": ["330106"] * 2, "households": [1334, 1000], "on": ["2025-06-01"] * 2})
    sized = fs.size_frame(frame, area_type="new_build", persons_per_household=2.8, include_reported=True)
    book = openpyxl.load_workbook(fs.write_result(sized, tmp_path / "r.xlsx"))
    summary = {r[0].value: r[1].value for r in book["合计 summary"].iter_rows(min_row=2)}
    assert summary["据报道行 reported rows"] == 2
    grades = [str(r[2].value) for r in book["依据 sources"].iter_rows(min_row=2) if r[0].value == "文件 document"]
    assert any(g.startswith("据报道 reported") for g in grades)


def test_excel_without_openpyxl_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    with pytest.raises(fs.MissingDependencyError, match=r"\[excel\]"):  # the command that installs it from here
        fs.write_result(_sized(), tmp_path / "r.xlsx")
    path = tmp_path / "in.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(fs.MissingDependencyError, match="excel"):
        fs.read_table(path)


def test_unsupported_output_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(fs.InputError, match=r"\.xlsx"):
        fs.write_result(_sized(), tmp_path / "r.parquet")
    assert not list(tmp_path.iterdir())


def test_a_coordinate_of_1e30_is_a_geometry_error_not_missing_households() -> None:
    box = shapely.box(1e30, 1e30, 1.1e30, 1.1e30)
    good = shapely.box(500_000, 3_300_000, 500_100, 3_300_100)
    gdf = gpd.GeoDataFrame(
        {"jurisdiction": ["西湖区"] * 2, "far": [2.0] * 2, "residential_share": [1.0] * 2, "unit_area_m2": [100.0] * 2},
        geometry=[box, good],
        crs=4549,
    )
    out = fs.size_parcels(gdf, area_type="new_build", on=ON)
    assert out["error"].iloc[0].startswith("[geometry]") and out["error"].iloc[1] is None
    points = gpd.GeoDataFrame(
        {"households": [10, 10], "slots": [0, 5]},
        geometry=[shapely.Point(1e30, 1e30), shapely.Point(120.1, 30.2)],
        crs=4490,
    )
    result = fs.coverage(points, points.iloc[1:], 800, persons_per_household=2.7)
    assert result.homes["error"].iloc[0].startswith("[geometry]") and result.homes["error"].iloc[1] is None


def _documents_sheet(result: pd.DataFrame, path: Path) -> list[tuple[object, ...]]:
    import openpyxl

    book = openpyxl.load_workbook(fs.write_result(result, path))
    return [r[1:] for r in book["依据 sources"].iter_rows(min_row=2, values_only=True) if r[0] == "文件 document"]


def test_the_sources_sheet_lists_only_the_documents_of_the_rows_written(tmp_path: Path) -> None:
    frame = pd.DataFrame({"jurisdiction": ["330106", "330281", "330281"], "households": [1334, 900, 800]})
    sized = fs.size_frame(frame, area_type="new_build", persons_per_household=2.8, on="2025-06-01")
    docs = _documents_sheet(sized[sized["jurisdiction"] == "330281"], tmp_path / "yuyao.xlsx")
    # 余姚市 only: 余政办发〔2020〕70号 behind both rows; 西政办函〔2021〕15号 left with the row filtered out
    assert [(str(s)[:13], n) for s, _, n in docs] == [("余政办发〔2020〕70号", 2)]


def test_a_result_that_lost_its_record_says_so_in_the_sources_sheet(tmp_path: Path) -> None:
    a = fs.size_frame(pd.DataFrame({"jurisdiction": ["330106"], "households": [1334]}), area_type="new_build",
                      persons_per_household=2.8, on="2025-06-01")  # fmt: skip
    b = fs.size_frame(pd.DataFrame({"jurisdiction": ["330106"], "households": [1334]}), area_type="new_build",
                      persons_per_household=2.8, on="2025-06-01", include_reported=True)  # fmt: skip
    both = pd.concat([a, b])  # pandas drops attrs that differ
    import openpyxl

    book = openpyxl.load_workbook(fs.write_result(both, tmp_path / "both.xlsx"))
    sources = {r[0]: r[1] for r in book["依据 sources"].iter_rows(min_row=2, values_only=True)}
    assert str(sources["文件 document"]).startswith("未知") and str(sources["版本 stamp"]).startswith("未知")


def test_a_draft_document_is_marked_draft_in_the_sources_sheet(tmp_path: Path) -> None:
    frame = pd.DataFrame({"jurisdiction": ["330108"], "households": [1000], "population": [2800]})
    sized = fs.size_frame(frame, area_type="new_build", on="2025-06-01", include_drafts=True)
    [(source, trust, rows)] = _documents_sheet(sized, tmp_path / "binjiang.xlsx")
    assert (
        "征求意见稿" in str(source)
        and str(trust).startswith("征求意见稿原文，未生效 the original text of a consultation draft")
        and rows == 1
    )


def test_a_geopackage_layer_carries_its_stamp_and_documents(tmp_path: Path) -> None:
    import json

    out = fs.size_parcels(fs.sample_parcels(), on="2025-01-01")
    path = fs.write_result(out[out["jurisdiction"] == "西湖区"], tmp_path / "r.gpkg", layer="xihu")
    lost = out.copy()
    lost.attrs.clear()  # as after a merge or a concat of results that differ
    fs.write_result(lost, path, layer="merged")
    meta = pyogrio.read_info(path, layer="xihu")["layer_metadata"]
    assert json.loads(meta["FACILITY_SIZING_STAMP"]) == {"library": fs.__version__, "rule_data": fs.load_rules().stamp}
    [doc] = json.loads(meta["FACILITY_SIZING_DOCUMENTS"])  # 西政办函〔2021〕15号 alone: the other rows were left out
    assert (doc["label"], doc["grade"], doc["rows"]) == ("西政办函〔2021〕15号", "official", 16)
    merged = pyogrio.read_info(path, layer="merged")["layer_metadata"]
    assert json.loads(merged["FACILITY_SIZING_DOCUMENTS"]) is None  # lost, and it says so: not an empty list
    assert pyogrio.read_info(path, layer="xihu")["features"] == 16  # writing one layer left the other alone


def test_a_geojson_and_a_csv_carry_their_stamp_and_documents(tmp_path: Path) -> None:
    import json

    out = fs.size_frame(
        pd.DataFrame({"jurisdiction": ["西湖区"], "households": [1334]}), area_type="新建", on="2025-01-01"
    )
    want = {"library": fs.__version__, "rule_data": fs.load_rules().stamp}
    geo = json.loads(fs.write_result(out, tmp_path / "r.geojson").read_text(encoding="utf-8"))
    assert geo["facility_sizing"]["stamp"] == want  # a foreign member (RFC 7946 §6.1): readers ignore it
    [doc] = geo["facility_sizing"]["documents"]
    assert (doc["label"], doc["grade"], doc["rows"]) == ("西政办函〔2021〕15号", "official", 1)
    assert len(geo["features"]) == 1
    fs.write_result(out, tmp_path / "r.csv")
    side = json.loads((tmp_path / "r.csv.json").read_text(encoding="utf-8"))
    assert side["stamp"] == want and side["documents"][0]["label"] == "西政办函〔2021〕15号"
    assert len(pd.read_csv(tmp_path / "r.csv", encoding="utf-8-sig")) == 1  # the CSV itself stays a plain table


def test_text_that_looks_like_a_formula_is_never_written_as_one(tmp_path: Path) -> None:
    # an uploaded name "=cmd|'/C calc'!A0" must not become a live formula in the file handed back
    import openpyxl

    names = ["=cmd|'/C calc'!A0", "+SUM(1+1)", "@foo", "-2", "plain", "-1+cmd|' /C calc'!A0"]
    frame = pd.DataFrame({"jurisdiction": ["西湖区"] * 6, "households": [1200] * 6, "name": names})
    out = fs.size_frame(frame, area_type="新建", on="2025-01-01")
    csv_names = pd.read_csv(fs.write_result(out, tmp_path / "r.csv"), encoding="utf-8-sig")["名称 name"].tolist()
    # OWASP: a leading apostrophe; a minus starts a formula unless the whole cell is a number
    assert csv_names == ["'=cmd|'/C calc'!A0", "'+SUM(1+1)", "'@foo", "-2", "plain", "'-1+cmd|' /C calc'!A0"]
    sheet = openpyxl.load_workbook(fs.write_result(out, tmp_path / "r.xlsx")).worksheets[0]
    column = [c.value for c in sheet[1]].index("名称 name") + 1  # headers are bilingual
    cells = [sheet.cell(row=r, column=column) for r in range(2, 8)]
    assert [c.value for c in cells] == names and all(c.data_type == "s" for c in cells[:3])


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_header_written_twice_is_refused_naming_it(tmp_path: Path, kind: str) -> None:
    """Two 「jurisdiction」 columns: pandas would size by the first and rename the second; the file is refused."""
    frame = pd.DataFrame([["西湖区", "滨江区", 1200]], columns=["jurisdiction", "jurisdiction", "households"])
    path = tmp_path / f"p.{kind}"
    if kind == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_excel(path, index=False)
    with pytest.raises(fs.InputError, match="表头“jurisdiction”出现了两次"):
        fs.read_table(path)


_WRITER = """
import sys
import facility_sizing as fs
path, mark = sys.argv[1], sys.argv[2]
out = fs.size_parcels(fs.sample_parcels().iloc[:2], area_type="new_build", on="2025-01-01")
for i in range(20):
    fs.write_result(out, path, layer=f"{mark}{i}")
"""


def test_two_processes_writing_layers_of_one_geopackage_both_land(tmp_path: Path) -> None:
    """Each layer write copies the file, adds its layer and renames over it: without a lock, one of two
    concurrent writers' layers was lost (6 runs of 6). Twenty writes each, at once: every layer is there."""
    import subprocess
    import sys

    import pyogrio

    path = tmp_path / "c.gpkg"
    fs.sample_parcels().to_file(path, layer="base")
    script = tmp_path / "writer.py"
    script.write_text(_WRITER, encoding="utf-8")
    writers = [subprocess.Popen([sys.executable, str(script), str(path), mark]) for mark in ("P", "Q")]
    assert [w.wait(timeout=300) for w in writers] == [0, 0]
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert layers == {"base", *(f"P{i}" for i in range(20)), *(f"Q{i}" for i in range(20))}
    assert not list(tmp_path.glob(".c.*.tmp*"))  # no temporary file left beside it


def test_a_temporary_file_left_by_a_killed_writer_is_removed_on_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    stale = tmp_path / ".r.abc123.tmp.csv"
    stale.write_text("half a file", encoding="utf-8")
    (tmp_path / ".r.abc123.tmp.csv-journal").write_text("", encoding="utf-8")
    out = fs.size_frame(pd.DataFrame({"households": [1200]}), jurisdiction="西湖区", area_type="新建", on="2025-01-01")
    fs.write_result(out, path)
    assert path.exists() and not stale.exists() and not list(tmp_path.glob("*journal"))


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    """A zip bomb: a small .xlsx whose sheet XML unpacks to far more than a table could need."""
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (1 << 20)
            for _ in range(200):  # 200 MB of spaces, a few hundred kB packed
                sheet.write(block)
    assert path.stat().st_size < 2 << 20
    with pytest.raises(fs.InputError) as info:
        fs.read_table(path)
    assert info.value.code == "too_large" and "209,715," in str(info.value)


def test_a_folder_given_for_the_output_is_named_as_a_folder(tmp_path: Path) -> None:
    out = fs.size_frame(pd.DataFrame({"households": [1200]}), jurisdiction="西湖区", area_type="新建", on="2025-01-01")
    with pytest.raises(fs.InputError, match="这是文件夹，不是文件"):
        fs.write_result(out, tmp_path)


def test_a_geopackage_is_written_as_version_1_2_which_qgis_3_22_reads_without_a_warning(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """GDAL writes GeoPackage 1.4 by default; QGIS 3.22 LTR (Debian's, the planning institutes') warns
    on each open that 1.4 "may only be partially supported". The file's user_version says 1.2."""
    import sqlite3

    out = fs.size_parcels(fs.sample_parcels(), on="2025-01-01")
    path = tmp_path / "结果.gpkg"
    fs.write_result(out, path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (10200,)
