"""A misspelt key in a rule file is reported as the unknown key it is, with the key it stands for.

Before this, ``strenght = "应"`` in place of ``strength`` was reported as the missing key
``strength`` (the author looked for a line that was there). A key left out is still missing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

from facility_sizing.errors import RuleDataError, UnknownKeyError
from facility_sizing.ruledata import book as book_module
from facility_sizing.ruledata import table as table_module
from facility_sizing.ruledata.book import base_rulebook
from facility_sizing.ruledata.parse import parse_rule_file

RULES = resources.files("facility_sizing") / "data" / "rules"
FILES = sorted(e.name for e in RULES.iterdir() if e.name.endswith(".toml"))


def _data(name: str) -> dict[str, Any]:
    return tomllib.loads((RULES / name).read_text(encoding="utf-8"), parse_float=Decimal)


INDICATORS = base_rulebook().indicators


def _parse(name: str, data: dict[str, Any]) -> None:
    parse_rule_file(name, data, INDICATORS)


def _misspelt(key: str) -> str:
    """The key with its last two letters swapped (``strength`` → ``strenght``), the commonest slip;
    a short key, or one ending in a doubled letter, with its last letter typed twice (``idd``)."""
    if len(key) <= 3 or key[-1] == key[-2]:
        return key + key[-1]
    return key[:-2] + key[-1] + key[-2]


def _entries(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every table of a rule file an author writes keys into, by its path in errors."""
    yield "jurisdiction", data["jurisdiction"]
    for array in ("documents", "rules", "targets", "duties"):
        for i, entry in enumerate(data.get(array, [])):
            yield f"{array}[{i}]", entry


def _cases() -> Iterator[tuple[str, str, str]]:
    """Each key of each kind of table in each built-in file, at the first entry that writes it."""
    for name in FILES:
        tried: set[tuple[str, str]] = set()
        for where, entry in _entries(_data(name)):
            for key in entry:
                kind = where.split("[")[0]
                if (kind, key) not in tried and (kind, key) != ("jurisdiction", "area_types"):  # a table
                    tried.add((kind, key))
                    yield name, where, key


CASES = list(_cases())


def _entry(data: dict[str, Any], where: str) -> dict[str, Any]:
    if where == "jurisdiction":
        return data["jurisdiction"]  # type: ignore[no-any-return]
    array, index = where.rstrip("]").split("[")
    return data[array][int(index)]  # type: ignore[no-any-return]


def test_every_key_of_every_table_of_every_built_in_file_is_tried() -> None:
    assert len(FILES) == 12 and len(CASES) > 300
    assert ("330106_xihu.toml", "rules[0]", "strength") in CASES


@pytest.mark.parametrize(("name", "where", "key"), CASES, ids=lambda v: str(v))
def test_a_misspelt_key_is_the_unknown_key_with_the_key_it_stands_for(name: str, where: str, key: str) -> None:
    data = _data(name)
    entry = _entry(data, where)
    wrong = _misspelt(key)
    entry[wrong] = entry.pop(key)
    with pytest.raises(UnknownKeyError) as info:
        _parse(name, data)
    err = info.value
    assert (err.path, err.table, err.name, err.close) == (name, where, wrong, key)
    assert err.key == f"{where}.{wrong}"
    zh, en = str(err).split(" — ")
    assert zh == f"{name}: {where}.{wrong}: 未知字段 {wrong!r}：是否应为 {key!r}？"
    assert en == f"{name}: {where}.{wrong}: unknown key {wrong!r}; did you mean {key!r}?"


def test_a_required_key_left_out_is_still_missing() -> None:
    data = _data("330106_xihu.toml")
    del data["rules"][0]["strength"]
    with pytest.raises(RuleDataError) as info:
        _parse("330106_xihu.toml", data)
    assert not isinstance(info.value, UnknownKeyError)
    assert str(info.value).startswith("330106_xihu.toml: rules[0].strength: 缺少必填字段 — ")


def test_a_missing_key_is_not_blamed_on_a_real_key_that_looks_like_it() -> None:
    """``issuer`` is a key of its own: a document without ``issued`` lacks ``issued``."""
    data = _data("330106_xihu.toml")
    [doc] = [d for d in data["documents"] if d["status"] == "in_force" and d["grade"] == "official"][:1]
    del doc["issued"]
    assert "issuer" in doc
    with pytest.raises(RuleDataError) as info:
        _parse("330106_xihu.toml", data)
    assert not isinstance(info.value, UnknownKeyError) and info.value.key.endswith(".issued")


def test_an_unknown_key_like_no_known_one_is_named_without_a_guess() -> None:
    data = _data("330106_xihu.toml")
    data["rules"][1]["colour"] = "red"
    with pytest.raises(UnknownKeyError) as info:
        _parse("330106_xihu.toml", data)
    assert (info.value.key, info.value.close) == ("rules[1].colour", None)
    assert str(info.value) == (
        "330106_xihu.toml: rules[1].colour: 未知字段（拼写有误？） — 330106_xihu.toml: rules[1].colour: unknown field (misspelt?)"
    )


def test_a_misspelt_key_of_the_divisions_file_is_named_too(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "divisions.toml"
    path.write_text('schema = 1\n[[divisions]]\ncode = "330110"\nlevle = "district"\nparent = "330100"\n'
                    'name = "余杭区"\nname_en = "Yuhang"\n', encoding="utf-8")  # fmt: skip
    with pytest.raises(UnknownKeyError) as info:
        book_module.RuleBook().add_divisions(path)
    assert (info.value.key, info.value.close) == ("divisions[0].levle", "level")


def test_every_key_a_parser_asks_for_is_among_its_table_s_known_keys(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The declared key sets and the parsers agree: else a right key would be called unknown."""
    asked: list[tuple[str, str]] = []
    raw = table_module.Table.raw

    def recording(self: table_module.Table, name: str, required: bool) -> Any:
        if self.known is not None and name not in self.known:
            asked.append((self.key, name))
        return raw(self, name, required)

    monkeypatch.setattr(table_module.Table, "raw", recording)
    book = book_module._builtin_book()
    assert len(book.files) == len(FILES) and book.design_rules and book.circles and book.indicators
    assert asked == []
