"""Checks that keep the package's structure as ``docs/architecture.md`` describes it.

Run by the README's test command, so CI runs them: the import-layer contract (import-linter),
the type checker (mypy) on ``src/``, module and function size, no private names imported across
modules, and that sizing a project does not load the geometry stack.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "facility_sizing"
MODULES = sorted(SRC.rglob("*.py"))

MAX_MODULE_LINES = 600
MAX_BODY_LINES = 60


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert path, f"{name} is a test dependency: install with pip install -e '.[test]'"
    return path


def test_import_layers_hold() -> None:
    result = subprocess.run([_tool("lint-imports")], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_type_checker_is_clean() -> None:
    result = subprocess.run([_tool("mypy")], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_type_ignores_are_few_and_each_gives_its_reason() -> None:
    ignores = [
        (path.relative_to(REPO), n, line)
        for path in MODULES
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "type: ignore" in line
    ]
    assert len(ignores) <= 5, ignores
    for path, n, line in ignores:
        assert "type: ignore[" in line and line.split("]", 1)[1].strip().startswith("#"), (
            f"{path}:{n}: a type: ignore names its code and says why in a comment after it"
        )


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(SRC)) for p in MODULES])
def test_module_and_function_size(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES, f"{path.name} has over {MAX_MODULE_LINES} lines: split it"
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        body = node.body
        if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # the docstring does not count
        if body:
            lines = (body[-1].end_lineno or body[-1].lineno) - body[0].lineno + 1
            assert lines <= MAX_BODY_LINES, f"{path.name}:{node.lineno} {node.name} has a {lines}-line body"


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(SRC)) for p in MODULES])
def test_no_private_name_is_imported_from_another_module(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
            assert not private, f"{path.name}:{node.lineno} imports {private} from another module: make them public"


def test_sizing_a_project_does_not_load_the_geometry_stack() -> None:
    code = (
        "import sys, facility_sizing as fs\n"
        "req = fs.size(jurisdiction='西湖区', households=1334, area_type='new_build', on='2025-01-01')\n"
        "str(req); req.clause()\n"
        "fs.size_frame(__import__('pandas').DataFrame({'households': [1]}), jurisdiction='西湖区',"
        " area_type='new_build', on='2025-01-01')\n"
        "print(sorted(m for m in ('shapely', 'pyproj', 'geopandas', 'matplotlib') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout
    lazy = subprocess.run(
        [sys.executable, "-c", "import sys, facility_sizing as fs; fs.size_parcels; print('shapely' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert lazy.stdout.strip() == "True"  # the geometry names still work, loaded on first use


def test_no_import_cycle_between_modules() -> None:
    import grimp

    graph = grimp.build_graph("facility_sizing")
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.chain_exists(importer=imported, imported=module):
                cycles.append((module, imported))
    # a package's __init__ re-exporting its own modules is not a cycle between modules
    cycles = [(a, b) for a, b in cycles if not (b.startswith(a + ".") or a.startswith(b + "."))]
    cycles = [(a, b) for a, b in cycles if "facility_sizing" not in (a, b)]
    assert not cycles, f"modules that import each other (directly or through others): {cycles[:10]}"


def test_every_result_renders_through_the_one_formatter_interface() -> None:
    import facility_sizing as fs
    from facility_sizing.render import formats, to_format

    req = fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
    review = fs.review({"floor_area_m2": 201}, jurisdiction="西湖区", households=1334, area_type="new_build",
                       on="2025-01-01")  # fmt: skip
    for obj in (req, review):
        for fmt in formats(obj):
            assert to_format(obj, fmt, "zh") and to_format(obj, fmt, "en"), (type(obj).__name__, fmt)
    assert to_format(req, "text") == str(req)
    assert to_format(review, "markdown") == review.to_markdown()
    with pytest.raises(ValueError, match="use one of: clause"):
        to_format(req, "docx")
