"""The web page as a working tool for a batch, in headless Chromium (issue 27, item 2).

A batch of parcels with good and bad rows: every row in the table with its figures, rule and error
in the page's words (never a code), the failed rows alone, pages, the parcels' map (keyboard and
text alternative), the result file and the letters downloaded; one project with a typed date,
the figure the clause states, the suggestion list, and the inputs kept in the browser. The service
is ``facility-sizing serve`` on loopback (test_service.start_server) and the browser is
test_service's fixture.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import facility_sizing as fs
from test_service import browser, running_server  # noqa: F401 - the shared Chromium fixture

ON = "2025-06-01"
TIANDITU = "https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server("--max-batch-rows", "500") as url:
        yield url


@pytest.fixture(scope="module")
def parcels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve sample parcels as GeoJSON: one with a FAR of -1, one in a place that does not exist."""
    gdf = fs.sample_parcels().head(12).copy()
    gdf.loc[3, "far"] = -1.0
    gdf.loc[5, "jurisdiction"] = "西胡区"
    path = tmp_path_factory.mktemp("page") / "地块.geojson"
    gdf.to_file(path, driver="GeoJSON")
    return path


def _wait_for_file(folder: Path, pattern: str) -> Path:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(pattern) if p.stat().st_size and not p.name.endswith(".crdownload")]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"nothing like {pattern} was downloaded")


def _fresh(web: Any, server: str) -> None:
    """The page as a first visit finds it: nothing kept from another test."""
    web.get(f"{server}/")
    web.execute_script("localStorage.clear()")
    web.get(f"{server}/")


RAW_CODES = ("[input]", "unknown_jurisdiction", "reported_only", "missing_input", "include_reported=True", "far=")


def test_a_batch_row_by_row_with_its_failed_rows_map_and_downloads(server: str, browser: Any, parcels: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30)
    _fresh(browser, server)
    browser.find_element(By.ID, "batch-file").send_keys(str(parcels))
    browser.find_element(By.ID, "batch-on").send_keys("2025年6月1日")  # typed, as a planner writes it
    browser.find_element(By.ID, "batch-button").click()
    wait.until(ec.visibility_of_element_located((By.ID, "batch-rows-table")))
    rows = browser.find_elements(By.CSS_SELECTOR, "#batch-rows-table tbody tr")
    assert len(rows) == 12 and browser.find_element(By.ID, "batch-errors").text == "2"
    first = browser.find_element(By.ID, "batch-row-1").text
    assert "XH-三墩-01" in first and "200" in first and "西政办函〔2021〕15号 二(三)1" in first  # figure and rule
    table = browser.find_element(By.ID, "batch-rows-table").text + browser.find_element(By.ID, "batch-summary").text
    assert not [code for code in RAW_CODES if code in table]  # errors in words, never a code
    bad_far = browser.find_element(By.ID, "batch-row-4").text
    assert "输入有误" in bad_far and "“far”列 须为大于 0" in bad_far and "-1" in bad_far  # the file's column, named
    assert "未知行政区" in browser.find_element(By.ID, "batch-row-6").text and "西胡区" in table

    browser.find_element(By.ID, "batch-failed-only").click()  # the failed rows alone
    failed = browser.find_elements(By.CSS_SELECTOR, "#batch-rows-table tbody tr")
    assert [tr.get_attribute("id") for tr in failed] == ["batch-row-4", "batch-row-6"]

    # the map: every parcel drawn, coloured, reachable by keyboard, said in words
    shapes = browser.find_elements(By.CSS_SELECTOR, "#batch-map path.leaflet-interactive")
    assert len(shapes) == 12 and "12 个地块" in browser.find_element(By.ID, "batch-map-caption").text
    assert "图例" in browser.find_element(By.CSS_SELECTOR, ".fs-map-legend").get_attribute("aria-label")
    stop = shapes[0]
    assert stop.get_attribute("tabindex") == "0" and "XH-三墩-01" in stop.get_attribute("aria-label")
    stop.send_keys(Keys.ENTER)  # chosen on the map: its row is shown (the filter lifted) and marked
    wait.until(lambda _: "chosen" in (browser.find_element(By.ID, "batch-row-1").get_attribute("class") or ""))

    # the result file, and every sized row's letter in one zip
    link = browser.find_element(By.ID, "batch-download")
    assert link.get_attribute("download") == "地块_result.geojson"
    browser.find_element(By.ID, "batch-letters").click()
    letters = zipfile.ZipFile(_wait_for_file(browser.downloads, "*条件书.zip"))
    names = set(letters.namelist())
    assert len(names) == 11 and "XH-三墩-01.docx" in names and "未生成.txt" in names  # 10 letters, 2 rows without
    skipped = letters.read("未生成.txt").decode("utf-8")
    assert "XH-三墩-04" in skipped and "“far”列" in skipped and "XH-三墩-06" in skipped
    link.click()
    result = fs.read_parcels(_wait_for_file(browser.downloads, "地块_result.geojson"))
    assert len(result) == 12 and result["error"].notna().sum() == 2

    loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert loaded and all(u.startswith(server) or u.startswith("blob:") for u in loaded)  # nothing from elsewhere
    assert not [e for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]


def test_a_large_file_is_shown_a_page_at_a_time(server: str, browser: Any, tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    lines = ["项目编号,区县,类型,户数"] + [f"P{i:03d},西湖区,new_build,{1200 + i}" for i in range(1, 121)]
    lines[77] = "P077,西湖区,new_build,很多"  # one bad cell, on the second page
    projects = tmp_path / "projects.csv"
    projects.write_text("\n".join(lines) + "\n", encoding="utf-8")
    wait = WebDriverWait(browser, 30)
    _fresh(browser, server)
    browser.find_element(By.ID, "batch-file").send_keys(str(projects))
    browser.find_element(By.ID, "batch-on").send_keys("2025/6/1")
    browser.find_element(By.ID, "batch-button").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "batch-page"), "第 1 / 3 页"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#batch-rows-table tbody tr")) == 50
    assert browser.find_element(By.ID, "batch-map-box").get_attribute("hidden") is not None  # a table: no map
    browser.find_element(By.ID, "batch-next").click()
    row = browser.find_element(By.ID, "batch-row-77").text  # the file's line 78
    assert row.startswith("77 78 P077") and "“户数”列须为数字" in row and "很多" in row
    assert browser.find_element(By.ID, "batch-row-51").text.startswith("51 52 P051")
    browser.find_element(By.ID, "batch-failed-only").click()
    assert browser.find_element(By.ID, "batch-page").text.startswith("第 1 / 1 页")
    assert [tr.get_attribute("id") for tr in browser.find_elements(By.CSS_SELECTOR, "#batch-rows-table tbody tr")] == [
        "batch-row-77"
    ]


def test_one_project_typed_date_one_figure_suggestions_and_saved_inputs(server: str, browser: Any) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    wait = WebDriverWait(browser, 30)
    _fresh(browser, server)
    box = browser.find_element(By.ID, "jurisdiction")
    box.send_keys("xihu")
    # left (by the keyboard: a click could land on a list that answered first) before or after the search
    # answered: either way no list stays over the next field
    box.send_keys(Keys.TAB)
    time.sleep(0.8)
    assert not browser.find_element(By.ID, "suggestions").is_displayed()
    box.send_keys(" ")  # back in the box, a search again
    wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "#suggestions li"))).click()
    assert box.get_attribute("value") == "330106" and not browser.find_element(By.ID, "suggestions").is_displayed()
    browser.find_element(By.ID, "households").send_keys("1,334")
    date = browser.find_element(By.ID, "on")
    date.clear()
    date.send_keys("2025/6/1")  # the browser's own date box would refuse this
    browser.find_element(By.ID, "size-button").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "clause"), "西政办函〔2021〕15号"))
    assert browser.find_element(By.ID, "figure-floor_area").text == "200.1 m²"
    assert "不少于200.1平方米" in browser.find_element(By.ID, "clause").text  # one figure, table and clause
    assert browser.find_element(By.ID, "result-place").text.endswith("2025-06-01")
    Select(browser.find_element(By.ID, "round-area")).select_by_value("up")
    wait.until(ec.text_to_be_present_in_element((By.ID, "clause"), "不少于201平方米"))
    wait.until(ec.text_to_be_present_in_element((By.ID, "figure-floor_area"), "201 m²"))
    assert "200.1" in browser.find_element(By.ID, "figure-floor_area").text  # the computed figure beside

    browser.refresh()  # the last inputs and result, kept in this browser
    wait.until(ec.visibility_of_element_located((By.ID, "result-restored")))
    assert browser.find_element(By.ID, "households").get_attribute("value") == "1,334"
    assert browser.find_element(By.ID, "on").get_attribute("value") == "2025/6/1"
    assert browser.find_element(By.ID, "figure-floor_area").text.startswith("201 m²")
    browser.find_element(By.ID, "clear-saved").click()
    assert browser.execute_script("return Object.keys(localStorage).length") == 0

    date = browser.find_element(By.ID, "on")
    date.clear()
    date.send_keys("2025/2/30")
    browser.find_element(By.ID, "size-button").click()
    message = wait.until(ec.visibility_of_element_located((By.ID, "on-error"))).text
    assert message == "日期“2025/2/30”不是日历上的日期"  # the page's words, in Chinese, whatever the browser's language
    assert date.get_attribute("aria-invalid") == "true"


# --------------------------------------------------------------------------------------
# The endpoints behind the page, without a browser


def test_the_rows_answer_says_each_error_in_words_and_the_letter_figure(server: str) -> None:
    csv = "project,jurisdiction,area_type,households\nB,西湖区,new_build,1334\nY,余杭区,new_build,900\n"
    with httpx.Client(base_url=server, timeout=60, trust_env=False) as client:
        answer = client.post("/batch/rows", files={"file": ("p.csv", csv.encode())}, data={"on": "2025/6/1"},
                             params={"round_area": "up"}).json()  # fmt: skip
        b, y = answer["rows"]
        # 西政办函〔2021〕15号 二(三)1: 15 m² per 100 households, 1,334 households → 200.1 m², stated as 201
        assert (b["id"], b["figures"]["floor_area_m2"], b["stated"]["floor_area_m2"]) == ("B", 200.1, 201)
        assert "西政办函〔2021〕15号 二(三)1" in answer["bases"][b["bound"]["floor_area_m2"]]
        assert y["error"]["kind_zh"] == "仅有据报道的文件" and "「采用仅见于报道的文件」" in y["error"]["zh"]
        assert answer["summary"]["errors_by_kind"] == [
            {"kind": "reported_only", "zh": "仅有据报道的文件", "en": "reported documents only", "rows": 1}
        ]
        odd = client.post("/batch/rows", files={"file": ("p.csv", csv.encode())}, data={"colour": "x"})
        assert odd.status_code == 422 and odd.json()["error"]["field"] == "colour"
        letters = client.post("/batch/letters", files={"file": ("p.csv", csv.encode())}, data={"on": ON})
        assert letters.headers["content-type"] == "application/zip"
        assert sorted(zipfile.ZipFile(io.BytesIO(letters.content)).namelist()) == ["B.docx", "未生成.txt"]
        assert client.get("/page/settings").json()["tile_url"] is None
        assert "img-src 'self' data:;" in client.get("/").headers["content-security-policy"]


def test_a_tile_url_is_a_setting_and_its_origin_alone_joins_the_csp() -> None:
    from fastapi.testclient import TestClient

    from facility_sizing.service import Settings, create_app

    settings = Settings.from_env({"FACILITY_SIZING_TILE_URL": TIANDITU})
    client = TestClient(create_app(settings))
    assert client.get("/page/settings").json()["tile_url"] == TIANDITU
    policy = client.get("/").headers["content-security-policy"]
    assert "img-src 'self' data: https://*.tianditu.gov.cn;" in policy and "script-src 'self';" in policy
    for bad in ("tiles.example.com/{z}/{x}/{y}", "https://user:pw@tiles/{z}/{x}/{y}", "https://t/{z}/{x}.png",
                "https://t/{z}/{x}/{y}.png';script-src *"):  # fmt: skip
        with pytest.raises(fs.InputError) as info:
            Settings(tile_url=bad)
        assert info.value.field == "tile_url" and "{z}" in info.value.text("zh", "cli")


def test_a_batch_sized_by_residential_area_shows_the_areas_and_each_parcels_share(
    server: str,
    browser: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Issue 29 on the page: the 居住区编号 column given, the areas table shows area A's 225 m²
    (西政办函〔2021〕15号 二(三)1: 1,500 households × 15 m² / 100) and each row its share and its host."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    projects = tmp_path / "areas.csv"
    projects.write_text("地块编号,居住区编号,区县,类型,户数\nXH-1,A,西湖区,new_build,500\nXH-2,A,西湖区,new_build,500\n"
                        "XH-3,A,西湖区,new_build,500\n", encoding="utf-8")  # fmt: skip
    wait = WebDriverWait(browser, 30)
    _fresh(browser, server)
    browser.find_element(By.ID, "batch-file").send_keys(str(projects))
    browser.find_element(By.ID, "batch-on").send_keys("2025/6/1")
    browser.find_element(By.ID, "batch-area").send_keys("居住区编号")
    browser.find_element(By.ID, "batch-button").click()
    wait.until(ec.visibility_of_element_located((By.ID, "batch-areas")))
    area = browser.find_element(By.CSS_SELECTOR, "#batch-areas tbody tr").text
    assert area.startswith("A ") and "XH-1" in area and "225" in area
    assert "A（承建 host）" in browser.find_element(By.ID, "batch-row-1").text
    assert "A（设于 in XH-1）" in browser.find_element(By.ID, "batch-row-2").text
    assert " 75" in browser.find_element(By.ID, "batch-row-2").text
