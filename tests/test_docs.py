"""The documentation builds offline without a warning, and its examples run.

Every ``pycon`` block of the quickstart and the how-to pages runs as a doctest, so a page whose
output no longer matches the library fails here. The "add your own city" walk-through runs end to
end from an empty folder: its rule file is written where the page says, then its Python and its
command lines run. Every ``$ facility-sizing ...`` line of the docs is parsed by the real CLI parser,
and run when the page shows its output.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import facility_sizing as fs
from facility_sizing import cli

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
PAGES = [DOCS / "quickstart.md", *sorted((DOCS / "howto").glob("*.md"))]
CITY = DOCS / "howto" / "add-a-city.md"
BASIS = DOCS / "howto" / "add-a-basis.md"
QUANTITY = DOCS / "howto" / "add-a-quantity.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)


def blocks(page: Path, lang: str) -> list[tuple[int, str]]:
    """The fenced blocks of ``lang`` in a page, each with the line it starts on."""
    text = page.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(2)) for m in FENCE.finditer(text) if m.group(1) == lang]


def test_docs_build_offline_without_warnings(tmp_path: Path) -> None:
    # a proxy that refuses every connection: a build that tried to fetch anything would warn, and fail
    env = {**os.environ, "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(DOCS), str(tmp_path / "html")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # -q leaves only warnings and errors
    for page in ("index", "quickstart", "api", "rules-reference", "howto/add-a-city", "interpretation"):
        assert (tmp_path / "html" / f"{page}.html").exists(), page
    api = (tmp_path / "html" / "api.html").read_text(encoding="utf-8")
    for name in fs.__all__:
        assert f'id="facility_sizing.{name}"' in api, f"{name} is missing from the API reference"


def test_every_page_is_in_the_table_of_contents() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for page in DOCS.rglob("*.md"):
        name = page.relative_to(DOCS).with_suffix("").as_posix()
        if name != "index":
            assert re.search(rf"^{re.escape(name)}$", index, re.M), f"{name} is not in a toctree of docs/index.md"


def run_pycon(page: Path, globs: dict[str, object]) -> doctest.TestResults:
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for line, code in blocks(page, "pycon"):
        test = parser.get_doctest(code, globs, f"{page.name}:{line}", str(page), line)
        runner.run(test, clear_globs=False)
        globs.update(test.globs)  # a DocTest works on a copy: carry names on to the next block
    return runner.summarize(verbose=False)


# pages with Python examples only: a test that skips cannot fail
@pytest.mark.parametrize(
    "page", [p for p in PAGES if p not in (CITY, BASIS, QUANTITY) and blocks(p, "pycon")], ids=lambda p: p.stem
)
def test_the_python_examples_of_a_page_give_the_output_it_shows(page: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    results = run_pycon(page, {})
    assert results.attempted > 0
    assert results.failed == 0, f"{results.failed} example(s) of {page.name} fail; see the output above"


def run_console(page: Path, monkeypatch, capsys) -> int:  # type: ignore[no-untyped-def]
    """Parse every command of a page; run those whose output the page shows. Returns how many ran."""
    ran = 0
    for _, block in blocks(page, "console"):
        for command in re.split(r"^\$ ", block, flags=re.M)[1:]:
            line, _, shown = command.partition("\n")
            words = shlex.split(line)
            env = {}
            while "=" in words[0]:
                key, _, value = words.pop(0).partition("=")
                env[key] = value
            assert words[0] == "facility-sizing", line
            cli.build_parser().parse_args(words[1:])  # a misspelt option fails here
            expected = [s.strip() for s in shown.splitlines() if s.strip()]
            if not expected:
                continue
            with monkeypatch.context() as m:
                m.delenv(cli.RULES_ENV, raising=False)
                for key, value in env.items():
                    m.setenv(key, value)
                code = cli.main(words[1:])
            out = capsys.readouterr()
            failed = expected[0].startswith("facility-sizing: error")
            assert (code != 0) if failed else (code == 0), f"{line}: exit code {code}"
            printed = [s.strip() for s in (out.out + out.err).splitlines()]
            for want in expected:
                assert want in printed, f"{page.name}: `{line}` no longer prints: {want}"
            ran += 1
    return ran


@pytest.mark.parametrize("page", [p for p in PAGES if p != CITY], ids=lambda p: p.stem)
def test_the_commands_of_a_page_parse_and_print_what_it_shows(page: Path, tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    run_console(page, monkeypatch, capsys)


def test_the_add_a_city_walkthrough_runs_from_an_empty_folder(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """A new user following only this page can add a city's rules and size a project there."""
    page = CITY.read_text(encoding="utf-8")
    target = "my_rules/330110_yuhang.toml"
    assert f"`{target}`" in page, "the page must say where to save the rule file"
    [(_, rule_file), (_, cases)] = blocks(CITY, "toml")  # the filled rule file, then the bureau's cases
    assert "`cases.toml`" in page, "the page must say where to save the case file"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my_rules").mkdir()
    (tmp_path / target).write_text(rule_file, encoding="utf-8")
    (tmp_path / "cases.toml").write_text(cases, encoding="utf-8")
    demo = CITY.parent / "余杭示例文件.txt"  # the invented copy the walk-through checks against, shipped with it
    assert "虚构示例" in demo.read_text(encoding="utf-8")
    (tmp_path / demo.name).write_bytes(demo.read_bytes())

    results = run_pycon(CITY, {})
    assert results.attempted >= 15
    assert results.failed == 0, "the walk-through's Python examples fail; see the output above"

    assert run_console(CITY, monkeypatch, capsys) == 5  # check, test, size, rules, clause (init is parsed)
    # and the figures it shows are what the rule file gives, not something built in
    book = fs.load_rules(tmp_path / "my_rules")
    req = fs.size(jurisdiction="余杭区", households=1800, persons_per_household=2.8, area_type="new_build",
                  on="2025-06-01", rulebook=book)  # fmt: skip
    assert (req.floor_area_m2, req.slots) == (360.0, 23)
    # without the file, the library knows the place (the national registry) and only reported rules above it
    with pytest.raises(fs.ReportedOnlyError, match="余杭区（330110）、杭州市（330100）、浙江省（330000）"):
        fs.size(jurisdiction="余杭区", households=1800, area_type="new_build", on="2025-06-01")


def _registry_row(code: str, module: object) -> object:
    """The value of the last expression of a page's Python block, its definitions run as if written in ``module``."""
    import ast

    namespace = dict(vars(module))
    tree = ast.parse(code)
    *definitions, row = tree.body
    exec(compile(ast.Module(definitions, []), str(BASIS), "exec"), namespace)
    if isinstance(row, ast.AnnAssign):  # a row of a TypedDict: its annotation carries the declaration
        return row.target.id, eval(compile(ast.Expression(row.annotation), str(BASIS), "eval"), namespace)  # type: ignore[attr-defined]
    assert isinstance(row, ast.Expr), "the page ends its Python block with a registry row"
    (spec,) = eval(compile(ast.Expression(row.value), str(BASIS), "eval"), namespace)
    return spec


def test_the_add_a_basis_walkthrough_runs_as_written(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A maintainer following this page adds a basis by writing only what the page shows: a row in
    bases.py (section 1); and for a basis that needs a new input, a row of ProjectInputs in
    project.py, its two catalogue entries and the basis (section 4)."""
    import tomllib
    from dataclasses import replace

    from facility_sizing import messages
    from facility_sizing.model import bases, project, quantities

    basis_code, input_code, basis2_code = (code for _, code in blocks(BASIS, "python"))
    rule_file, hint_entry, name_entry, rule2 = (code for _, code in blocks(BASIS, "toml"))
    spec = _registry_row(basis_code, bases)
    assert spec.key not in bases.BASES, "the walk-through adds a basis the library does not have yet"
    monkeypatch.setitem(bases.BASES, spec.key, spec)  # removed again after the test

    # section 4: the input row, as the registry reads it (INPUTS derives from the rows marked basis=)
    name, annotation = _registry_row(input_code, project)
    [row] = [m for m in annotation.__metadata__ if isinstance(m, project.ProjectInput)]
    assert name not in project.PROJECT_INPUTS, "the walk-through adds an input the library does not have yet"
    monkeypatch.setitem(project.PROJECT_INPUTS, name, replace(row, name=name))
    monkeypatch.setitem(quantities.INPUTS, name, quantities.InputSpec(name, row.basis.label, row.basis.hint))
    for key, entry in tomllib.loads(hint_entry).items():
        monkeypatch.setitem(messages.catalogue(), f"inputs.{key}", entry)
    for key, entry in tomllib.loads(name_entry)["arguments"].items():
        monkeypatch.setitem(messages.names()["arguments"], key, entry)
    spec2 = _registry_row(basis2_code, bases)
    monkeypatch.setitem(bases.BASES, spec2.key, spec2)

    monkeypatch.chdir(tmp_path)
    (tmp_path / "my_rules").mkdir()
    (tmp_path / "my_rules" / "339902_example.toml").write_text(rule_file, encoding="utf-8")
    (tmp_path / "my_rules2").mkdir()
    (tmp_path / "my_rules2" / "339902_example.toml").write_text(rule_file + "\n" + rule2, encoding="utf-8")
    results = run_pycon(BASIS, {})
    assert results.attempted >= 16
    assert results.failed == 0, "the walk-through's Python examples fail; see the output above"


def test_the_pictures_of_the_docs_are_made_by_their_script(tmp_path: Path) -> None:
    # the four pictures of the size-parcels page come from the sample parcels, offline
    script = REPO / "scripts" / "make_doc_pictures.py"
    run = subprocess.run(
        [sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    made = sorted(p.name for p in tmp_path.iterdir())
    pictures = ["batch-summary.png", "floor-area-map.png", "notebook-map.png", "result-table.png"]
    assert made == pictures  # no temporary file is left
    page = (DOCS / "howto" / "size-parcels.md").read_text(encoding="utf-8")
    for name in made:
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"../_static/{name}" in page and (DOCS / "_static" / name).is_file()


def test_the_add_a_quantity_walkthrough_runs_on_a_copy_of_the_library(tmp_path: Path) -> None:
    """A maintainer following this page adds a quantity with the two edits it shows; the page's
    examples then run, in a fresh interpreter, against a copy of the library with those edits."""
    import shutil

    copy = tmp_path / "lib" / "facility_sizing"
    shutil.copytree(REPO / "src" / "facility_sizing", copy, ignore=shutil.ignore_patterns("__pycache__"))
    (row, _), (units, _) = ((code, line) for line, code in blocks(QUANTITY, "python"))
    quantities = copy / "model" / "quantities.py"
    anchor = '        QuantitySpec(\n            key="service_radius",'
    text = quantities.read_text(encoding="utf-8")
    assert text.count(anchor) == 1, "the page says where the row goes: before service_radius"
    quantities.write_text(text.replace(anchor, row + anchor), encoding="utf-8")
    bases = copy / "model" / "bases.py"
    text = bases.read_text(encoding="utf-8")
    old = re.sub(r', "nursing_room": "m²"', "", units)
    assert text.count(old) == 1, "the page's units line is the minimum basis's, with the new unit added"
    bases.write_text(text.replace(old, units), encoding="utf-8")
    [(_, rule_file)] = blocks(QUANTITY, "toml")
    (tmp_path / "my_rules").mkdir()
    (tmp_path / "my_rules" / "339902_example.toml").write_text(rule_file, encoding="utf-8")
    script = (
        "import doctest, pathlib, re, sys\n"
        "text = pathlib.Path(sys.argv[1]).read_text(encoding='utf-8')\n"
        "code = '\\n'.join(m.group(1) for m in re.finditer(r'^```pycon\\n(.*?)^```$', text, re.S | re.M))\n"
        "test = doctest.DocTestParser().get_doctest(code, {}, 'page', sys.argv[1], 0)\n"
        "runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)\n"
        "runner.run(test)\n"
        "result = runner.summarize(verbose=False)\n"
        "sys.exit(1 if result.failed or result.attempted < 8 else 0)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "lib")}
    run = subprocess.run(
        [sys.executable, "-c", script, str(QUANTITY)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
