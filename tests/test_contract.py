"""The service's contract, as a client generator and a fuzzer read it from ``/openapi.json``.

Schemathesis runs against the live service (``facility-sizing serve`` on a loopback port): every
operation, 50 examples each, schema-valid and schema-violating, through its examples, coverage
and fuzzing phases, with every check it has and this project's own (``contract/checks.py``: a
schema-valid request is refused only for content no schema can state). A client generated from
the specification by datamodel-code-generator (at test time, into a temporary folder) builds a
request and validates a sizing answer.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from test_service import running_server

HOST = "127.0.0.1"
HERE = Path(__file__).resolve().parent / "contract"
BIN = Path(sys.executable).parent
XIHU = {"jurisdiction": "西湖区", "households": 1200, "area_type": "new_build", "on": "2025-01-01"}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """``facility-sizing serve`` on a free loopback port, small limits so that 413 is reachable."""
    with running_server("--max-body-bytes", "300000", "--max-batch-rows", "50") as url:
        yield url


def test_schemathesis_finds_nothing(server: str, tmp_path: Path) -> None:
    """50 examples per operation, positive and negative, every check: no failure, no server error."""
    report = tmp_path / "junit.xml"
    command = [str(BIN / "schemathesis"), "--config-file", str(HERE / "schemathesis.toml"), "run",
               f"{server}/openapi.json", "--max-examples", "50", "--mode", "all", "--checks", "all",
               "--phases", "examples,coverage,fuzzing", "--seed", "2026", "--workers", "1", "--no-color",
               "--request-timeout", "30", "--report", "junit", "--report-junit-path", str(report)]  # fmt: skip
    env = {**os.environ, "SCHEMATHESIS_HOOKS": str(HERE / "checks.py"), "no_proxy": "*"}
    run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False, cwd=tmp_path)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-6000:]
    selected = re.search(r"Selected: (\d+)/(\d+)", out)
    assert selected is not None and selected[1] == selected[2], "every operation is tested"
    assert "Server error" not in out and "passed" in out
    assert report.read_text(encoding="utf-8").count("<testcase") >= 11


def test_the_project_s_check_refuses_what_the_schema_could_say() -> None:
    """The custom check fails a schema-valid request refused by the request reader, and passes a content refusal."""
    # the module as pytest's doctest collection imported it, if it did (a check registers once per module)
    loaded = [m for m in list(sys.modules.values()) if getattr(m, "__file__", None) == str(HERE / "checks.py")]
    if loaded:
        checks = loaded[0]
    else:
        spec = importlib.util.spec_from_file_location("contract_checks", HERE / "checks.py")
        assert spec is not None and spec.loader is not None
        checks = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(checks)

    def answer(key: str, value: Any = None, status: int = 422) -> SimpleNamespace:
        body = {"error": {"key": key, "value": value}}
        return SimpleNamespace(status_code=status, json=lambda: body, text=json.dumps(body))

    positive = SimpleNamespace(
        meta=SimpleNamespace(generation=SimpleNamespace(mode=SimpleNamespace(is_positive=True))),
        operation=SimpleNamespace(label="POST /size"),
    )
    check = checks.refused_only_for_content
    with pytest.raises(AssertionError, match=r"service\.invalid_value"):
        check(None, answer("service.invalid_value"), positive)
    with pytest.raises(AssertionError, match=r"district\.year"):
        check(None, answer("district.year", 0), positive)
    assert check(None, answer("inputs.missing"), positive) is None  # the jurisdiction's rules need a population
    assert check(None, answer("io.csv_empty"), positive) is None  # a file's content
    assert check(None, answer("inputs.bad_number", "1,200"), positive) is None  # a typed figure's size
    with pytest.raises(AssertionError):
        check(None, answer("inputs.bad_number", 1200), positive)  # a JSON number's range is the schema's
    assert check(None, answer("service.invalid_value", status=200), positive) is None


def test_a_client_generated_from_the_specification_validates_a_sizing(server: str, tmp_path: Path) -> None:
    """datamodel-code-generator's models of /openapi.json: a request built with them is answered, and the
    answer validates against the generated SizeAnswer (closed: a field the service added unannounced fails)."""
    spec = tmp_path / "openapi.json"
    with urllib.request.urlopen(f"{server}/openapi.json", timeout=30) as r:
        spec.write_bytes(r.read())
    target = tmp_path / "sizing_client.py"
    command = [str(BIN / "datamodel-codegen"), "--input", str(spec), "--input-file-type", "openapi",
               "--output", str(target), "--output-model-type", "pydantic_v2.BaseModel",
               "--target-python-version", "3.11", "--disable-timestamp", "--formatters", "builtin"]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    module_spec = importlib.util.spec_from_file_location("sizing_client", target)
    assert module_spec is not None and module_spec.loader is not None
    client = importlib.util.module_from_spec(module_spec)
    sys.modules["sizing_client"] = client  # pydantic resolves the forward references through the module
    try:
        module_spec.loader.exec_module(client)
        request = client.ProjectRequest(**XIHU)
        body = request.model_dump(mode="json", exclude_none=True)
        post = urllib.request.Request(f"{server}/size", data=json.dumps(body).encode(),
                                      headers={"content-type": "application/json"})  # fmt: skip
        with urllib.request.urlopen(post, timeout=30) as r:
            raw = json.loads(r.read())
        answer = client.SizeAnswer.model_validate(raw)
        # 西政办函〔2021〕15号 二(三)1: 1,200 households → 200 m² floor area, 40 m² outdoor; no slot figure
        assert (answer.floor_area_m2, answer.outdoor_area_m2, answer.slots) == (200.0, 40.0, None)
        assert answer.jurisdiction.name == "西湖区"
        with pytest.raises(ValueError, match="slots"):
            client.SizeAnswer.model_validate({**raw, "slots": "many"})
        with pytest.raises(ValueError, match="unexpected_field"):
            client.SizeAnswer.model_validate({**raw, "unexpected_field": 1})
        with pytest.raises(ValueError):
            client.ProjectRequest(**{**XIHU, "area_type": "villa"})  # the area types are in the schema
        with pytest.raises(ValueError):
            client.ScorecardRequest(inventory={}, jurisdiction="柯桥区", year=1800)  # and the years
    finally:
        sys.modules.pop("sizing_client", None)


def test_what_schemathesis_found_stays_fixed(server: str) -> None:
    """A file part named by its media type only is read as that type; a path of its own answers 405 with its methods."""
    import httpx

    with httpx.Client(base_url=server, timeout=30, trust_env=False) as client:
        csv = "jurisdiction,area_type,households\n西湖区,new_build,1200\n".encode()
        answer = client.post("/batch", params={"format": "json"}, files={"file": ("file", csv, "text/csv")},
                             data={"on": "2025-01-01"})  # fmt: skip
        assert answer.status_code == 200, answer.text
        assert answer.json()["rows"][0]["floor_area_m2"] == 200.0  # 西政办函〔2021〕15号 二(三)1
        refused = client.request("OPTIONS", "/rules/check")  # /rules/check also matches /rules/{jurisdiction}
        assert refused.status_code == 405 and refused.headers["allow"] == "POST"
        assert client.request("PUT", "/size").headers["allow"] == "POST"
        # a whole number sent as 2024.0 is the year 2024 (JSON Schema's integer admits it)
        card = client.post("/scorecard", json={"inventory": {"population": 1_000_000, "slots": 4_560},
                                               "jurisdiction": "柯桥区", "year": 2024.0})  # fmt: skip
        assert card.status_code == 200, card.text


def test_another_site_s_page_is_refused_by_sec_fetch_site_on_every_state_changing_route(server: str) -> None:
    """A browser says where a request comes from; cross-site and same-site (another host) are 403, uploads included."""
    import httpx

    csv = ("p.csv", b"jurisdiction,area_type,households\n", "text/csv")
    sends: dict[str, dict[str, Any]] = {
        "/size": {"json": XIHU},
        "/review": {"json": {**XIHU, "design": {"floor_area_m2": 180}}},
        "/batch": {"files": {"file": csv}},
        "/rules/check": {
            "files": {"rules": ("r.toml", b"", "application/toml"), "source": ("s.txt", b"", "text/plain")}
        },
    }
    with httpx.Client(base_url=server, timeout=30, trust_env=False) as client:
        for path, send in sends.items():
            for site in ("cross-site", "same-site", "CROSS-SITE"):
                answer = client.post(path, headers={"sec-fetch-site": site}, **send)
                assert answer.status_code == 403 and answer.json()["error"]["code"] == "cross_site", (path, site)
        for site in ("same-origin", "none"):  # this service's own page; the user's own typing
            assert client.post("/size", json=XIHU, headers={"sec-fetch-site": site}).status_code == 200
        assert (
            client.get(
                "/rules/西湖区", params={"on": "2025-01-01"}, headers={"sec-fetch-site": "cross-site"}
            ).status_code
            == 200
        )


def test_a_json_endpoint_reads_json_and_curl_d_s_json_only(server: str) -> None:
    """415 for a body that is not JSON by type, and for a form type whose body is not JSON (a real form)."""
    import httpx

    body = json.dumps(XIHU).encode()
    with httpx.Client(base_url=server, timeout=30, trust_env=False) as client:

        def post(content: bytes, media: str | None) -> httpx.Response:
            request = client.build_request("POST", "/size", content=content)
            if media is None:
                request.headers.pop("content-type", None)
            else:
                request.headers["content-type"] = media
            return client.send(request)

        for media in ("application/json", "application/json; charset=utf-8", "application/x-www-form-urlencoded", None):
            assert post(body, media).status_code == 200, media  # JSON, curl -d's JSON, a client that names no type
        for media in ("text/plain", "multipart/form-data; boundary=x", "application/xml"):
            refused = post(body, media)
            assert refused.status_code == 415, media
            assert refused.json()["error"]["key"] == "service.unsupported_media_type"
        form = post(b"jurisdiction=%E8%A5%BF%E6%B9%96%E5%8C%BA&households=1200", "application/x-www-form-urlencoded")
        assert form.status_code == 415 and form.json()["error"]["value"] == "application/x-www-form-urlencoded"
        spec = client.get("/openapi.json").json()
        assert "415" in spec["paths"]["/size"]["post"]["responses"]
        assert "415" not in spec["paths"]["/batch"]["post"]["responses"]  # multipart: its own media type
