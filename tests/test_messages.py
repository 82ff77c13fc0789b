"""The message catalogue: every error's words live in data/messages/, worded at the edge.

The catalogue is data, like the rules: every key the code raises exists, every entry is raised
somewhere, every name an audience is given is real (a flag the command line has), and no module
splits or rewrites a rendered message.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from facility_sizing.cli.app import build_parser
from facility_sizing.errors import FacilitySizingError, InputError
from facility_sizing.messages import AUDIENCES, LANGUAGES, Message, catalogue, names, render

SRC = Path(__file__).resolve().parents[1] / "src" / "facility_sizing"
CODE = {path: path.read_text(encoding="utf-8") for path in SRC.rglob("*.py")}
DOMAINS = {key.split(".")[0] for key in catalogue()}


def _literal_keys() -> set[str]:
    """Every ``"domain.name"`` literal the package gives an error, a message or a problem as its key."""
    given = re.compile(
        r"(?:Error|Message|Unreadable|invalid|_bad)\(\s*(?:[^()]*?,\s*)?[\"']([a-z]+\.[a-z_]+)[\"']|key=[\"']([a-z]+\.[a-z_]+)[\"']"
    )
    found = set()
    for text in CODE.values():
        for first, second in given.findall(text):
            key = first or second
            if key.split(".")[0] in DOMAINS:
                found.add(key)
    return found


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    missing = sorted(_literal_keys() - set(catalogue()))
    assert not missing, f"keys raised but not in data/messages/: {missing}"


def test_every_entry_is_used() -> None:
    """An entry no code names is dead words (a key may be built as f"inputs.{problem}": its name is then a literal)."""
    literals = set()
    for text in CODE.values():
        literals |= set(re.findall(r"[\"']([a-z_.]+)[\"']", text))
    unused = [key for key in catalogue() if key not in literals and key.split(".", 1)[1] not in literals]
    assert not unused, f"catalogue entries nothing raises: {unused}"


def test_no_module_splits_or_rewrites_a_message() -> None:
    """Words are rendered once, for their reader: no module takes a rendered message apart again."""
    splitting = re.compile(r"\.(partition|split|rpartition)\(\s*[\"'] — [\"']")
    offenders = [str(p.relative_to(SRC)) for p, text in CODE.items() if splitting.search(text)]
    assert not offenders, f"modules that split rendered messages: {offenders}"
    assert not any("command_line_terms" in text for text in CODE.values())


def test_every_flag_the_catalogue_names_is_a_flag_of_the_command_line() -> None:
    flags = set()
    for action in build_parser()._subparsers._group_actions[0].choices.values():  # type: ignore[union-attr]
        for option in action._actions:
            flags |= set(option.option_strings) or {option.dest}  # a positional argument is named as it is
    for name, row in names()["arguments"].items():
        assert row["flag"] in flags, f"names.toml: arguments.{name}.flag {row['flag']} is no flag of facility-sizing"
        assert row["zh"] and row["en"] and str(row["example"]), name


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_one_error_in_every_language_and_audience(language: str, audience: str) -> None:
    err = InputError("inputs.bad_number", field="households", value=-1, problem=Message("inputs.negative"))
    text = err.text(language, audience)  # type: ignore[arg-type]
    expected = {
        ("zh", "python"): "households（户数）不能为负数，收到 -1；例如 households=1200",
        ("en", "python"): "households must not be negative, got -1; pass e.g. households=1200",
        ("zh", "cli"): "--households（户数）不能为负数，收到 -1；例如 --households 1200",
        ("en", "cli"): "--households must not be negative, got -1; pass e.g. --households 1200",
        ("zh", "page"): "户数不能为负数，收到 -1；例如 户数 1200",
        ("en", "page"): "Households must not be negative, got -1; pass e.g. Households 1200",
    }
    assert text == expected[(language, audience)]
    assert str(err) == f"{err.text('zh')} — {err.text('en')}"


def test_a_switch_is_named_as_each_audience_turns_it_on() -> None:
    params = {"place": "甲区", "title": "草案"}
    assert "include_drafts=True" in render("plan.draft_only", params, "zh", "python")
    assert "--include-drafts" in render("plan.draft_only", params, "en", "cli")
    assert "「采用征求意见稿」" in render("plan.draft_only", params, "zh", "page")


def test_an_error_built_from_words_still_works_and_is_deprecated() -> None:
    with pytest.deprecated_call():
        err = InputError("households", -1, "户数有误", "bad households")
    assert str(err) == "户数有误 — bad households" and err.field == "households" and err.value == -1
    with pytest.deprecated_call():
        assert str(FacilitySizingError("something")) == "something — something"


def test_the_catalogue_refuses_a_malformed_entry() -> None:
    from facility_sizing.messages import _check_entry

    with pytest.raises(ValueError, match="needs exactly a zh and an en"):
        _check_entry("x.toml", "bad", {"zh": "只有中文"})
    with pytest.raises(ValueError, match="unknown spec"):
        _check_entry("x.toml", "bad", {"zh": "{field:nmae}", "en": "{field:name}"})


def test_a_project_is_declared_once_and_every_door_reads_it() -> None:
    """The inputs registry gives size()'s signature, the command line's flags and the service's fields."""
    import inspect

    import facility_sizing as fs
    from facility_sizing.model.project import PROJECT_INPUTS
    from facility_sizing.service.models import ProjectRequest

    for func in (fs.size, fs.size_frame, fs.review):
        params = inspect.signature(func).parameters
        assert set(PROJECT_INPUTS) <= set(params), func.__name__
    assert inspect.signature(fs.size).parameters["households"].default is None
    assert inspect.signature(fs.size).parameters["jurisdiction"].default is inspect.Parameter.empty
    assert set(ProjectRequest.model_fields) == set(PROJECT_INPUTS)
    size_flags = {a.dest for a in build_parser(["size"])._subparsers._group_actions[0].choices["size"]._actions}  # type: ignore[union-attr]
    assert set(PROJECT_INPUTS) <= size_flags


def test_a_misspelt_or_missing_input_is_one_typed_error() -> None:
    import facility_sizing as fs

    with pytest.raises(fs.InputError) as info:
        fs.size(jurisdiction="西湖区", area_type="new_build", houshold=1200, on="2025-01-01")  # type: ignore[call-arg]
    assert info.value.field == "houshold" and "households（户数）" in str(info.value)
    with pytest.raises(fs.InputError) as info:
        fs.size(jurisdiction="西湖区", households=1200)  # type: ignore[call-arg]
    assert info.value.field == "area_type" and "缺少 area_type" in str(info.value)
    with pytest.raises(fs.InputError, match="houshold"):
        fs.size_frame(pd.DataFrame({"households": [1]}), jurisdiction="西湖区", area_type="new_build", houshold=1)
