"""``facility-sizing serve`` for real: the command started on a free loopback port, spoken to over HTTP.

One server per module (started as the command line starts it, in a subprocess, with small limits
so that they can be reached); every endpoint, every error status, the specification, the limits,
and the web page driven in headless Chromium. Only loopback addresses are ever used.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest

import facility_sizing as fs

HOST = "127.0.0.1"
XIHU = {"jurisdiction": "西湖区", "households": 1200, "area_type": "new_build", "on": "2025-01-01"}
MAX_BODY = 300_000
MAX_ROWS = 50


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(*flags: str) -> tuple[subprocess.Popen[bytes], str]:
    """``facility-sizing serve`` in a subprocess on a free loopback port; returns it once it answers /health."""
    port = free_port()
    command = [sys.executable, "-c", "import sys; from facility_sizing.cli import main; sys.exit(main())"]
    proc = subprocess.Popen(
        [*command, "serve", "--host", HOST, "--port", str(port), *flags],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "no_proxy": "*"},
    )
    url = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not answer within 30 s")


@contextlib.contextmanager
def running_server(*flags: str) -> Iterator[str]:
    """:func:`start_server` for the length of a block: stopped at its end (killed if it does not stop in 10 s)."""
    proc, url = start_server(*flags)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server("--max-body-bytes", str(MAX_BODY), "--max-batch-rows", str(MAX_ROWS)) as url:
        yield url


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=60, trust_env=False) as c:
        yield c


def error_of(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The error object of a response, checked for its status, code, shape and bilingual message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "Traceback" not in response.text and 'File "' not in response.text
    error = response.json()["error"]
    assert set(error) == {"code", "key", "params", "field", "value", "message", "message_zh", "message_en"}
    assert error["code"] == code and error["key"].count(".") == 1  # a catalogue key: domain.name
    assert error["message"] == f"{error['message_zh']} — {error['message_en']}"
    return dict(error)


# --------------------------------------------------------------------------------------
# The bar: curl -s localhost:PORT/size -d '{...}' (no Content-Type of JSON)


def test_size_answers_a_body_sent_as_curl_d_sends_it(server: str) -> None:
    request = urllib.request.Request(f"{server}/size", data=json.dumps(XIHU).encode())  # form-urlencoded, as curl -d
    with urllib.request.urlopen(request, timeout=30) as r:
        assert r.status == 200
        answer = json.loads(r.read())
    assert (answer["floor_area_m2"], answer["outdoor_area_m2"], answer["slots"], answer["max_floor"]) == (
        200.0,
        40.0,
        None,
        2,
    )
    assert (
        "无托位数指标" in answer["explanation"]["slots"]
        and "no childcare slots figure" in answer["explanation"]["slots"]
    )
    assert {u["rule"]["clause"] for u in answer["rules"] if u.get("rule")} >= {"二(三)1"}
    assert answer == fs.size(**XIHU).to_dict()


def test_size_takes_the_library_s_names_and_defaults(client: httpx.Client) -> None:
    body = {"jurisdiction": "柯桥区", "population": 5400, "persons_per_household": 2.7, "area_type": "new_build",
            "on": "2025-01-01"}  # fmt: skip
    assert client.post("/size", json=body).json() == fs.size(**body).to_dict()
    drafts = {"jurisdiction": "滨江区", "households": 2000, "persons_per_household": 2.7, "area_type": "new_build",
              "on": "2025-01-01", "include_drafts": True}  # fmt: skip
    answer = client.post("/size", json=drafts).json()
    assert answer["draft"] is True and answer == fs.size(**drafts).to_dict()


# --------------------------------------------------------------------------------------
# Every endpoint


@pytest.mark.parametrize(
    ("fmt", "media"), [("text", "text/plain"), ("markdown", "text/markdown"), ("json", "application/json")]
)
def test_clause_in_each_format(client: httpx.Client, fmt: str, media: str) -> None:
    for lang in ("zh", "en"):
        r = client.post("/clause", json={**XIHU, "lang": lang, "format": fmt})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media)
        assert r.text == fs.size(**XIHU).clause(lang, fmt)
    assert "西政办函〔2021〕15号 二(三)1" in client.post("/clause", json=XIHU).text


def test_clause_as_the_word_letter(client: httpx.Client) -> None:
    import docx

    r = client.post("/clause", json={**XIHU, "format": "docx"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r.headers["content-disposition"] and r.content[:2] == b"PK"
    # dates and document numbers carry word joiners (U+2060) so that they never break across lines
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs).replace("\u2060", "")
    assert "不少于200平方米" in text and "西政办函〔2021〕15号" in text  # 1,200 households: the 200 m² minimum


def test_review(client: httpx.Client) -> None:
    design = {"floor_area_m2": 180, "outdoor_area_m2": 60, "floors": [1, 2]}
    answer = client.post("/review", json={**XIHU, "design": design}).json()
    assert answer == json.loads(json.dumps(fs.review(design, **XIHU).to_dict()))  # a tuple travels as a list
    assert answer["passed"] is False  # 180 m² < 200 m²
    error_of(client.post("/review", json={**XIHU, "design": {}}), 422, "input")


def test_rules_and_jurisdictions(client: httpx.Client) -> None:
    rules = client.get("/rules/西湖区", params={"on": "2025-01-01", "area_type": "new_build"}).json()
    expected = fs.rules_in_force("西湖区", on="2025-01-01", area_type="new_build")
    assert rules["meta"]["rows"] == len(expected) == len(rules["rows"])
    assert [r["rule_id"] for r in rules["rows"]] == [None if pd.isna(x) else x for x in expected["rule_id"]]
    hz = client.get("/jurisdictions", params={"under": "杭州市"}).json()
    assert {"330106", "330102"} <= {r["code"] for r in hz["rows"]}
    with_rules = client.get("/jurisdictions", params={"with_rules": "true"}).json()
    # 12 with 440100 广州市 (issue 29, reported)
    assert all(r["has_rules"] for r in with_rules["rows"]) and len(with_rules["rows"]) == 12
    found = client.get("/jurisdictions", params={"q": "xihu"}).json()["rows"]
    assert found[0]["label"] == "西湖区（浙江省杭州市，330106）" and found[0]["has_rules"]


def test_scorecard_and_duties(client: httpx.Client) -> None:
    card = client.post("/scorecard", json={"inventory": {"population": 1_000_000, "slots": 4_560},
                                           "jurisdiction": "柯桥区", "year": 2024}).json()  # fmt: skip
    assert card["meta"]["counts"]["met"] == 1 and card["meta"]["jurisdiction"] == "柯桥区"
    duties = client.post("/duties", json={"jurisdiction": "苏州市", "subject": "employer", "eligible_children": 18,
                                          "on": "2025-01-01"}).json()  # fmt: skip
    expected = fs.duties("苏州市", "employer", eligible_children=18, on="2025-01-01")
    assert [r["applies"] for r in duties["rows"]] == expected["applies"].tolist()


def test_health_and_version(client: httpx.Client) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert (
        client.get("/version").json()
        == fs.load_rules().produced_by
        == {
            "library": fs.__version__,
            "rule_data": fs.load_rules().stamp,
        }
    )


PROJECTS = "project,jurisdiction,area_type,households\nA,西湖区,new_build,1200\nB,西湖区,new_build,1334\nC,西湖区,new_build,2000\n"


def upload(client: httpx.Client, name: str, data: bytes, **form: str) -> httpx.Response:
    params = {"format": form.pop("format")} if "format" in form else None
    return client.post("/batch", files={"file": (name, data)}, data=form, params=params)


def test_batch_returns_the_same_file_type_with_the_summary(client: httpx.Client) -> None:
    r = upload(client, "项目清单.csv", PROJECTS.encode("utf-8"), on="2025-01-01")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E6%B8%85%E5%8D%95_result.csv" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))  # headers for planners: Chinese first
    assert [float(row["托育设施建筑面积 (m²) floor_area_m2"]) for row in rows] == [200.0, 200.1, 300.0]
    system = upload(client, "p.csv", PROJECTS.encode(), on="2025-01-01", headers="en")  # a system's plain names
    rows = list(csv.DictReader(io.StringIO(system.content.decode("utf-8-sig"))))
    assert [float(row["floor_area_m2"]) for row in rows] == [200.0, 200.1, 300.0]
    totals = json.loads(r.headers["x-facility-sizing-summary"])
    expected = fs.size_frame(pd.read_csv(io.StringIO(PROJECTS)), on="2025-01-01")
    assert totals["rows"] == 3 and totals["floor_area_m2"] == fs.summary(expected)["floor_area_m2"]
    as_json = upload(client, "p.csv", PROJECTS.encode(), on="2025-01-01", format="json").json()
    assert as_json["summary"] == totals and [row["project"] for row in as_json["rows"]] == ["A", "B", "C"]


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".xlsx"])
def test_batch_of_each_file_type(client: httpx.Client, tmp_path: Path, suffix: str) -> None:
    parcels = fs.sample_parcels().head(5)
    source = tmp_path / f"parcels{suffix}"
    if suffix == ".xlsx":
        pd.read_csv(io.StringIO(PROJECTS)).to_excel(source, index=False)
    else:
        fs.write_result(parcels, source)
    r = upload(client, source.name, source.read_bytes(), on="2025-01-01")
    assert r.status_code == 200, r.text
    back = tmp_path / f"back{suffix}"
    back.write_bytes(r.content)
    result = pd.read_excel(back) if suffix == ".xlsx" else fs.read_parcels(back)
    assert len(result) == (3 if suffix == ".xlsx" else 5)
    assert any("floor_area_m2" in str(c) for c in result.columns)  # a workbook's headers are bilingual
    assert json.loads(r.headers["x-facility-sizing-summary"])["rows"] == len(result)


# --------------------------------------------------------------------------------------
# Every error status, in the library's shape


def test_bad_input_is_422_with_the_library_s_code(client: httpx.Client) -> None:
    error = error_of(client.post("/size", json={**XIHU, "area_type": "villa"}), 422, "area_type")
    assert (error["field"], error["value"]) == ("area_type", "villa")
    error_of(client.post("/size", json={**XIHU, "households": -5}), 422, "input")
    error = error_of(client.post("/size", json={**XIHU, "household": 1200}), 422, "input")
    assert error["field"] == "household" and "unknown field" in error["message_en"]
    assert error_of(client.post("/size", content=b"{not json"), 422, "input")["field"] == "body"
    assert error_of(client.post("/size", json={"households": 1200}), 422, "input")["message_en"].startswith(
        "the required field"
    )
    error_of(client.post("/clause", json={**XIHU, "format": "pdf"}), 422, "input")
    # JSON true is not 1 household, nor "2,7" a number (1,200 is; 2,7 puts its separator wrong): refused by both
    assert error_of(client.post("/size", json={**XIHU, "households": True}), 422, "input")["field"] == "households"
    error_of(client.post("/size", json={**XIHU, "persons_per_household": "2,7"}), 422, "input")
    error_of(client.post("/duties", json={"jurisdiction": "苏州市", "subject": "employer", "eligible_children": True,
                                          "on": "2025-01-01"}), 422, "input")  # fmt: skip
    error_of(client.get("/rules/西湖区", params={"on": "2025-13-45"}), 422, "input")
    error_of(upload(client, "p.txt", b"x"), 422, "input")
    # a misspelt option of a batch is refused, as an unknown JSON field is
    assert error_of(upload(client, "p.csv", b"households\n1200\n", jurisdiction="西湖区", area_type="new_build",
                           househlds="1200"), 422, "input")["field"] == "househlds"  # fmt: skip
    error = error_of(upload(client, "p.csv", b"households\nabc\n", jurisdiction="西湖区", area_type="new_build",
                            far="2"), 422, "input")  # fmt: skip
    assert "/tmp" not in error["message"] and "facility-sizing-" not in error["message"]


def test_unknown_jurisdiction_is_404(client: httpx.Client) -> None:
    error = error_of(client.post("/size", json={**XIHU, "jurisdiction": "西胡区"}), 404, "unknown_jurisdiction")
    assert error["field"] == "jurisdiction" and error["value"] == "西胡区"
    error_of(client.get("/rules/Atlantis"), 404, "unknown_jurisdiction")
    error_of(client.get("/no/such/path"), 404, "not_found")


def test_no_rule_in_force_draft_only_or_reported_only_is_409(client: httpx.Client) -> None:
    error_of(client.post("/size", json={**XIHU, "on": "2020-01-01"}), 409, "not_in_force")
    error_of(client.post("/size", json={**XIHU, "jurisdiction": "滨江区"}), 409, "draft_only")
    error_of(client.post("/size", json={**XIHU, "jurisdiction": "余杭区"}), 409, "reported_only")


def test_limits_body_and_rows_are_413(client: httpx.Client) -> None:
    big = json.dumps({**XIHU, "padding": "x" * MAX_BODY}).encode()
    error = error_of(client.post("/size", content=big), 413, "too_large")
    assert error["field"] == "body"

    def chunks() -> Iterator[bytes]:  # no Content-Length: the service counts what arrives
        for _ in range(8):
            yield b" " * (MAX_BODY // 4)

    error_of(client.post("/size", content=chunks()), 413, "too_large")
    rows = "jurisdiction,area_type,households\n" + "西湖区,new_build,1200\n" * (MAX_ROWS + 1)
    error = error_of(upload(client, "many.csv", rows.encode(), on="2025-01-01"), 413, "too_large")
    assert (error["field"], error["value"]) == ("rows", MAX_ROWS + 1)


def test_a_request_cannot_name_a_rule_file(client: httpx.Client) -> None:
    error = error_of(client.post("/size", json={**XIHU, "rulebook": "/etc/passwd"}), 422, "input")
    assert error["field"] == "rulebook"


def test_timeout_is_503_and_anything_unexpected_is_500_without_a_trace() -> None:
    from fastapi.testclient import TestClient

    from facility_sizing.service import Settings, create_app

    slow = TestClient(create_app(Settings(request_timeout_s=0.001)))
    r = slow.post("/batch", files={"file": ("p.csv", PROJECTS.encode())}, data={"on": "2025-01-01"})
    assert r.status_code == 503 and r.json()["error"]["code"] == "timeout"

    app = create_app(Settings())

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret detail /srv/secret.py")

    r = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert r.status_code == 500 and r.json()["error"]["code"] == "internal"
    assert "secret" not in r.text and "Traceback" not in r.text


def test_settings_come_from_the_environment_and_flags_win() -> None:
    from facility_sizing.service import Settings

    env = {"FACILITY_SIZING_MAX_BATCH_ROWS": "7", "FACILITY_SIZING_REQUEST_TIMEOUT": "2.5"}
    s = Settings.from_env(env, max_batch_rows=9)
    assert (s.host, s.max_batch_rows, s.request_timeout_s) == ("127.0.0.1", 9, 2.5)
    with pytest.raises(fs.InputError):
        Settings.from_env({"FACILITY_SIZING_MAX_BODY_BYTES": "lots"})
    with pytest.raises(fs.InputError):
        Settings(max_batch_rows=0)


# --------------------------------------------------------------------------------------
# The specification


def test_the_specification_is_valid_and_has_an_example_for_every_endpoint(client: httpx.Client) -> None:
    from openapi_spec_validator import validate

    spec = client.get("/openapi.json").json()
    validate(spec)
    expected = {"/size", "/clause", "/review", "/rules/{jurisdiction}", "/rules/check", "/jurisdictions", "/scorecard",
                "/duties", "/batch", "/batch/rows", "/batch/letters", "/page/settings", "/health", "/version"}  # fmt: skip
    assert set(spec["paths"]) == expected
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            text = json.dumps(operation, ensure_ascii=False)
            assert '"example' in text, f"{method.upper()} {path} has no example"
            assert operation["responses"]["200"]["content"], f"{method.upper()} {path}"
    size = spec["paths"]["/size"]["post"]["responses"]["200"]["content"]["application/json"]["example"]
    assert size == json.loads(json.dumps(fs.size(**XIHU).to_dict()))  # a real answer of the library
    assert spec["components"]["schemas"]["ProjectRequest"]["examples"] == [XIHU]


# --------------------------------------------------------------------------------------
# The web page, in a real headless browser


def chromium() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        pytest.fail(
            "the web-page test needs Chromium and its driver from the system packages: "
            "apt-get install chromium chromium-driver (.ci/run installs them)"
        )
    return browser, driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = chromium()
    profile = tmp_path_factory.mktemp("chromium-profile")
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,1600"):  # fmt: skip
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    os.environ.setdefault("SE_AVOID_STATS", "true")
    web = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    web.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield web
    finally:
        web.quit()


def test_the_web_page_sizes_a_xihu_project_and_a_batch(server: str, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    wait = WebDriverWait(browser, 20)
    browser.get(f"{server}/")
    assert "托育设施配建计算" in browser.title
    box = browser.find_element(By.ID, "jurisdiction")
    box.send_keys("西湖")
    first = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "#suggestions li")))
    assert first.text.startswith("西湖区（浙江省杭州市，330106）")
    first.click()
    assert box.get_attribute("value") == "330106"
    Select(browser.find_element(By.ID, "area-type")).select_by_value("new_build")
    browser.find_element(By.ID, "households").send_keys("1200")
    date = browser.find_element(By.ID, "on")
    date.clear()
    date.send_keys("2025-01-01")
    browser.find_element(By.ID, "size-button").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "clause"), "西政办函〔2021〕15号"))
    assert browser.find_element(By.ID, "figure-floor_area").text == "200 m²"
    assert browser.find_element(By.ID, "figure-outdoor_area").text == "40 m²"
    assert "无指标" in browser.find_element(By.ID, "figure-slots").text
    assert "二(三)1" in browser.find_element(By.ID, "row-floor_area").text  # which rule bound
    assert browser.find_element(By.ID, "clause").text.strip() == fs.size(**XIHU).clause("zh", "text").strip()
    browser.find_element(By.ID, "copy-clause").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "copy-status"), "已复制"))
    letter = browser.find_element(By.ID, "download-letter")
    wait.until(lambda _: (letter.get_attribute("href") or "").startswith("blob:"))
    letter.click()
    saved_letter = browser.downloads / "条件书_letter.docx"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (not saved_letter.exists() or not saved_letter.stat().st_size):
        time.sleep(0.1)
    assert saved_letter.read_bytes()[:2] == b"PK"  # the Word letter, downloaded from the page

    projects = tmp_path / "projects.csv"
    projects.write_text(PROJECTS, encoding="utf-8")
    browser.find_element(By.ID, "batch-file").send_keys(str(projects))
    browser.find_element(By.ID, "batch-on").send_keys("2025-01-01")
    browser.find_element(By.ID, "batch-button").click()
    link = wait.until(ec.visibility_of_element_located((By.ID, "batch-download")))
    assert browser.find_element(By.ID, "batch-rows").text == "3"
    assert browser.find_element(By.ID, "batch-floor-area-m2").text == "700.1"
    assert link.get_attribute("download") == "projects_result.csv"
    link.click()
    saved = browser.downloads / "projects_result.csv"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (
        not saved.exists() or not saved.stat().st_size or list(browser.downloads.glob("*.crdownload"))
    ):
        time.sleep(0.1)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert [row["托育设施建筑面积 (m²) floor_area_m2"] for row in rows] == ["200.0", "200.1", "300.0"]


def test_the_page_loads_nothing_from_elsewhere(client: httpx.Client) -> None:
    page = client.get("/").text
    for asset in ("/static/app.js", "/static/style.css"):
        assert asset in page and client.get(asset).status_code == 200
    for text in (page, client.get("/static/app.js").text, client.get("/static/style.css").text):
        assert "http://" not in text and "https://" not in text and "//cdn" not in text


def test_every_answer_carries_the_security_headers_and_a_405_its_allow(client: httpx.Client) -> None:
    for response in (client.get("/"), client.post("/size", json=XIHU), client.get("/size")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert client.get("/size").status_code == 405 and client.get("/size").headers["allow"] == "POST"


def test_a_post_from_another_sites_page_is_refused_and_curl_still_works(client: httpx.Client, server: str) -> None:
    """A JSON body is read whatever its Content-Type (curl -d), so a page elsewhere must not post here."""
    form = {"content-type": "application/x-www-form-urlencoded"}
    other = client.post("/size", content=json.dumps(XIHU), headers={**form, "origin": "https://evil.example"})
    assert other.status_code == 403 and other.json()["error"]["code"] == "cross_site"
    same = client.post("/size", content=json.dumps(XIHU), headers={**form, "origin": server})
    assert same.status_code == 200
    assert client.post("/size", content=json.dumps(XIHU), headers=form).status_code == 200  # curl: no Origin


def test_every_answer_is_what_the_specification_says(client: httpx.Client) -> None:
    """The contract is the schema: each operation's 200 body and its errors validate against /openapi.json's models."""
    from facility_sizing.service.answers import (
        ErrorAnswer,
        HealthAnswer,
        ReviewAnswer,
        SizeAnswer,
        TableAnswer,
        VersionAnswer,
    )

    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            assert {"200", "422", "500"} <= set(responses), (path, method)
            assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorAnswer")
    assert "HTTPValidationError" not in json.dumps(spec)
    SizeAnswer.model_validate(client.post("/size", json=XIHU).json())
    ReviewAnswer.model_validate(client.post("/review", json={**XIHU, "design": {"floor_area_m2": 180}}).json())
    TableAnswer.model_validate(client.get("/rules/西湖区", params={"on": "2025-01-01"}).json())
    TableAnswer.model_validate(client.get("/jurisdictions", params={"q": "西湖"}).json())
    HealthAnswer.model_validate(client.get("/health").json())
    VersionAnswer.model_validate(client.get("/version").json())
    for bad in ({**XIHU, "households": -1}, {**XIHU, "jurisdiction": "nowhere"}, {**XIHU, "houshold": 1}):
        ErrorAnswer.model_validate(client.post("/size", json=bad).json())


def test_a_body_that_is_not_utf8_is_the_same_clear_422_everywhere(client: httpx.Client) -> None:
    for path in ("/size", "/clause", "/review", "/duties", "/scorecard"):
        answer = client.post(
            path, content=b'{"jurisdiction": "\xff\xfe"}', headers={"content-type": "application/json"}
        )
        assert error_of(answer, 422, "input")["key"] == "service.invalid_json", path


# --------------------------------------------------------------------------------------
# A bureau's own rule file checked against its copy of the document (POST /rules/check, the page's section)

DOCS_HOWTO = Path(__file__).resolve().parents[1] / "docs" / "howto"
CITY_DEMO = DOCS_HOWTO / "余杭示例文件.txt"


def _howto_rule_file() -> str:
    page = (DOCS_HOWTO / "add-a-city.md").read_text(encoding="utf-8")
    return page.split("```toml\n", 1)[1].split("```", 1)[0]


def test_rules_check_answers_the_report_fs_check_rules_gives(client: httpx.Client, tmp_path: Path) -> None:
    from facility_sizing.service.rulecheck import RuleCheckAnswer

    rule_file = _howto_rule_file()
    files = [
        ("rules", ("330110_yuhang.toml", rule_file.encode())),
        ("source", (CITY_DEMO.name, CITY_DEMO.read_bytes())),
    ]
    answer = client.post("/rules/check", files=files)
    assert answer.status_code == 200, answer.text
    body = RuleCheckAnswer.model_validate(answer.json())
    (tmp_path / "330110_yuhang.toml").write_text(rule_file, encoding="utf-8")
    assert body.passed and body.report == fs.check_rules(tmp_path / "330110_yuhang.toml", CITY_DEMO).lines("zh")
    wrong = [("rules", ("330110_yuhang.toml", rule_file.replace("value = 20", "value = 25").encode())), files[1]]
    failed = client.post("/rules/check", files=wrong, params={"lang": "en"}).json()
    assert not failed["passed"] and failed["report"][-1].startswith("Result: 1 finding(s) disagree")
    assert [(f["id"], f["key"]) for f in failed["findings"] if f["status"] == "fail"] == [
        ("yuhang.new_build.floor_area.rate", "value")
    ]
    odd = client.post("/rules/check", files=[files[0], ("source", ("copy.doc", b"x"))])
    assert error_of(odd, 422, "input")["key"] == "authoring.document_type"


def test_the_web_page_checks_a_rule_file_against_a_copy(server: str, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 20)
    rules = tmp_path / "330110_yuhang.toml"
    rules.write_text(
        _howto_rule_file().replace("每百户不少于20平方米的标准", "每百户不少于20平方米标准"), encoding="utf-8"
    )
    browser.get(f"{server}/")
    browser.find_element(By.ID, "check-rules").send_keys(str(rules))
    browser.find_element(By.ID, "check-source").send_keys(str(CITY_DEMO))
    browser.find_element(By.ID, "check-button").click()
    verdict = wait.until(ec.visibility_of_element_located((By.ID, "check-verdict")))
    assert verdict.text.startswith("结论：有 1 处与所提供的副本不符") and verdict.get_attribute("class") == "failed"
    [row] = browser.find_elements(By.CSS_SELECTOR, "#check-failures tr.check-failure")
    assert row.text.startswith("rules[0] yuhang.new_build.floor_area.rate text")
    assert "最接近" in row.text and "20平方米的标准" in row.text
