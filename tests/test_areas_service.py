"""Residential areas through the service and the page's endpoints (issue 29): rows, areas, letters."""

from __future__ import annotations

import io
import zipfile

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

from facility_sizing.service import create_app

CSV = "地块编号,居住区编号,行政区,户数\nXH-1,A,西湖区,500\nXH-2,A,西湖区,500\nXH-3,A,西湖区,500\nXH-4,,西湖区,1334\n"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def _post(client: TestClient, path: str) -> object:
    files = {"file": ("地块.csv", CSV.encode("utf-8"), "text/csv")}
    data = {"area_type": "new_build", "on": "2025-06-01", "area": "居住区编号"}
    return client.post(path, files=files, data=data, headers={"X-Message-Audience": "page"})


def test_the_pages_rows_carry_each_parcels_area_and_the_areas_table(client: TestClient) -> None:
    """Xihu 西政办函〔2021〕15号 二(三)1: 1,500 households × 15 m² / 100 = 225 m² for area A (above its
    200 m² minimum, applied once per area), shared 75/75/75; XH-4 alone is its own area."""
    response = _post(client, "/batch/rows")
    assert response.status_code == 200, response.text
    answer = response.json()
    [area_a] = [a for a in answer["areas"] if a["area_id"] == "A"]
    assert (area_a["households"], area_a["floor_area_m2"], area_a["hosts"]) == (1500, 225.0, "XH-1")
    shares = [r["figures"]["floor_area_m2"] for r in answer["rows"]]
    assert shares == [75.0, 75.0, 75.0, 200.1]
    assert answer["rows"][0]["area"] == {"id": "A", "host": True, "host_id": "XH-1"}
    assert answer["rows"][1]["area"]["host"] is False


def test_the_letters_of_a_batch_sized_by_area_are_the_host_and_share_letters(client: TestClient) -> None:
    response = _post(client, "/batch/letters")
    assert response.status_code == 200, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = sorted(archive.namelist())
        host = archive.read("XH-1.txt").decode("utf-8")
        share = archive.read("XH-2.txt").decode("utf-8")
    assert names[:4] == ["XH-1.txt", "XH-2.txt", "XH-3.txt", "XH-4.txt"]
    assert "承建地块" in host and "225平方米" in host
    assert "在承建地块XH-1内提供" in share and "75平方米" in share
