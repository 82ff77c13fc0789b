"""The main job on a plain install (``pip install .``, no extras): pandas without pyarrow.

The test extras pull pyarrow in, so these tests hide it: each runs a child Python in which
``import pyarrow`` fails, as on a plain install, and pandas' default strings are held as Python
objects. ``.ci/run`` also runs the README's main job in a second venv with the plain install.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

BLOCK_PYARROW = "import sys; sys.modules['pyarrow'] = None  # as on a plain install\n"


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCK_PYARROW + textwrap.dedent(code)], capture_output=True, text=True, timeout=300
    )


def test_size_frame_over_16_rows_without_pyarrow() -> None:
    """More than 16 rows take the factorize path: Python-held strings must not reach for pyarrow."""
    done = _run(
        """
        import pandas as pd
        import facility_sizing as fs
        n = 40
        df = pd.DataFrame({"jurisdiction": ["西湖区", "柯桥区"] * (n // 2), "households": [1200.0] * n,
                           "area_type": ["new_build"] * n})
        assert str(df["jurisdiction"].dtype) in ("str", "object"), df["jurisdiction"].dtype
        out = fs.size_frame(df, persons_per_household=2.7, on="2025-01-01")
        assert out["error"].isna().all(), out["error"].dropna().tolist()
        print(out["floor_area_m2"].iloc[0], out["floor_area_m2"].iloc[1])
        """
    )
    assert done.returncode == 0, done.stderr
    # 西政办函〔2021〕15号 二(三)1: max(1200 × 15/100, 200) = 200; 绍柯政办发〔2024〕13号 二(一)2: 1200 × 25/100 = 300
    assert done.stdout.split() == ["200.0", "300.0"]


def test_the_readme_main_job_without_pyarrow() -> None:
    """``facility-sizing batch --sample --on 2025-01-01``, the README's first command, exits 0."""
    done = _run(
        """
        from facility_sizing.cli import main
        raise SystemExit(main(["batch", "--sample", "--on", "2025-01-01"]))
        """
    )
    assert done.returncode == 0, done.stderr
    assert "XH-三墩-01" in done.stdout and "KQ-柯桥-01" in done.stdout


def test_every_data_file_is_in_the_wheel() -> None:
    """pyproject's package data covers every file under data/: the message catalogue (data/messages/*.toml)
    was once missing from it, so a plain install would have failed to word any error."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    package = root / "src" / "facility_sizing"
    patterns = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["facility_sizing"]
    shipped = {p for pattern in patterns for p in package.glob(pattern)}
    data = {p for p in (package / "data").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert not sorted(str(p.relative_to(package)) for p in data - shipped)
