"""``facility-sizing --help`` and each subcommand's help: bilingual, with --json, exit codes and examples that parse."""

from __future__ import annotations

import re
import shlex

import pytest

import facility_sizing as fs
from facility_sizing import cli

COMMANDS = ["size", "clause", "review", "rules", "batch", "scorecard", "duties", "coverage", "site", "serve"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def help_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as info:
        cli.main([*argv, "--help"])
    assert info.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", COMMANDS)
def test_each_subcommand_help_is_bilingual_and_names_json_and_exit_codes(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = help_text(capsys, command)
    assert "--json" in text and "JSON" in text
    assert "退出码 exit codes" in text and "6  设计审查不通过 reviewed design fails" in text
    assert "显示帮助并退出 / show this help and exit" in text
    options = [m for line in text.splitlines() if (m := re.match(r"^  (-\S+.*?)\s{2,}(\S.*)$", line))]
    assert len(options) >= 4
    for m in options:  # every option's help has Chinese and English
        assert CJK.search(m.group(2)) and re.search(r"[A-Za-z]{3}", m.group(2)), m.group(0)


@pytest.mark.parametrize("command", COMMANDS)
def test_the_examples_in_each_help_parse(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    examples = [
        line.split("#")[0].strip() for line in help_text(capsys, command).splitlines()
        if line.strip().startswith("facility-sizing ")
    ]  # fmt: skip
    assert examples, f"{command} --help shows no example"
    parser = cli.build_parser()
    for example in examples:
        args = parser.parse_args(shlex.split(example)[1:])
        assert args.command == command


def test_top_level_help_lists_the_subcommands_and_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_text(capsys)
    for command in COMMANDS:
        assert re.search(rf"^    {command}\s+\S*[\u4e00-\u9fff]", text, re.M), command
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"facility-sizing {fs.__version__}"


def test_batch_short_options_match_size(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["batch", "--sample", "-j", "西湖区", "-t", "new_build", "--on", "2025-01-01", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    assert '"rows": 38' in out and '"errors": 0' in out
