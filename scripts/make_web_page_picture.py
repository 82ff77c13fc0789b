"""Make docs/_static/web-page.png and web-page-batch.png: the planners' page, in headless Chromium.

    venv/bin/python scripts/make_web_page_picture.py [OUTPUT_FOLDER]

Starts ``facility-sizing serve`` on a free loopback port, fills in the README's Xihu project
(西湖区, new build, 1,200 households, 2025-01-01), sizes it and saves a screenshot; then uploads
sixteen sample parcels (one with a FAR of -1, one in a place that does not exist) as a batch and
saves its section: the totals, the map and the rows. Needs the system's chromium and
chromedriver; nothing leaves the machine.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

HOST = "127.0.0.1"
DOCS_STATIC = Path(__file__).resolve().parents[1] / "docs" / "_static"


def start() -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port = s.getsockname()[1]
    code = "import sys; from facility_sizing.cli import main; sys.exit(main())"
    proc = subprocess.Popen([sys.executable, "-c", code, "serve", "--host", HOST, "--port", str(port)])
    url = f"http://{HOST}:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/health", timeout=1).close()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the service did not start")


def browser(profile: str) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars", f"--user-data-dir={profile}", "--window-size=1200,1400"):  # fmt: skip
        options.add_argument(flag)
    os.environ.setdefault("SE_AVOID_STATS", "true")
    return webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))


def save(path: Path, png: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(png)
    tmp.replace(path)  # atomic: a half-written picture never replaces the old one


def batch_picture(web: webdriver.Chrome, out: Path) -> None:
    """A batch of sixteen parcels, two of them in error, with its totals, map and rows."""
    import facility_sizing as fs

    gdf = fs.sample_parcels().head(16).copy()
    gdf.loc[3, "far"] = -1.0
    gdf.loc[5, "jurisdiction"] = "西胡区"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "西湖地块.geojson"
        gdf.to_file(path, driver="GeoJSON")
        web.set_window_size(1200, 1400)
        web.find_element(By.ID, "batch-file").send_keys(str(path))
        web.find_element(By.ID, "batch-on").send_keys("2025/6/1")
        web.find_element(By.ID, "batch-button").click()
        WebDriverWait(web, 30).until(ec.visibility_of_element_located((By.ID, "batch-rows-table")))
        time.sleep(1.0)  # the map's parcels drawn
    height = web.execute_script("return document.body.scrollHeight")
    web.set_window_size(1200, min(int(height) + 40, 6000))
    from io import BytesIO

    from PIL import Image

    picture = Image.open(BytesIO(web.find_element(By.ID, "batch").screenshot_as_png))
    top = picture.crop((0, 0, picture.width, min(picture.height, 2300)))  # the totals, the map and the first rows
    buffer = BytesIO()
    top.save(buffer, format="PNG", optimize=True)
    save(out / "web-page-batch.png", buffer.getvalue())


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS_STATIC
    proc, url = start()
    try:
        with tempfile.TemporaryDirectory() as profile:
            web = browser(profile)
            try:
                web.get(f"{url}/")
                web.find_element(By.ID, "jurisdiction").send_keys("西湖")
                WebDriverWait(web, 20).until(
                    ec.visibility_of_element_located((By.CSS_SELECTOR, "#suggestions li"))
                ).click()
                web.find_element(By.ID, "households").send_keys("1200")
                web.find_element(By.ID, "on").clear()
                web.find_element(By.ID, "on").send_keys("2025-01-01")
                web.find_element(By.ID, "size-button").click()
                WebDriverWait(web, 20).until(ec.text_to_be_present_in_element((By.ID, "clause"), "西政办函"))
                height = web.execute_script("return document.body.scrollHeight")
                web.set_window_size(1200, min(int(height) + 40, 2600))
                save(out / "web-page.png", web.get_screenshot_as_png())
                batch_picture(web, out)
            finally:
                web.quit()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
