"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import facility_sizing as fs


@pytest.fixture
def broken_copy(tmp_path: Path) -> Callable[[Path, str, str], fs.RuleDataError]:
    """Load a copy of a built-in rule file with ``old`` replaced by ``new``; return the error it raises.

    The copy keeps the file's name, so the error must name the copy, not the original.
    """

    def load(source: Path, old: str, new: str) -> fs.RuleDataError:
        text = Path(source).read_text(encoding="utf-8")
        assert old in text, "the breakage must apply to the real file"
        path = tmp_path / Path(source).name
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(fs.RuleDataError) as info:
            fs.load_rules(path, builtin=False)
        assert info.value.path == str(path)
        return info.value

    return load
