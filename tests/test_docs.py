"""The documentation promises what the program does: commands, help texts, the quick start."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from epaper_cli.cli import app
from tests.helpers import ROOT

COMMANDS = ["import", "export", "list", "show", "check", "search", "raw", "rm", "edit", "rebuild", "rename-paper"]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_has_help_with_an_example_and_is_in_the_readme() -> None:
    runner = CliRunner()
    for command in COMMANDS:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "Example: epaper " in result.stdout
        assert f"epaper {command}" in README


def test_every_option_of_every_command_is_in_the_readme() -> None:
    runner = CliRunner()
    for command in COMMANDS:
        help_text = runner.invoke(app, [command, "--help"]).stdout
        for option in re.findall(r"^\s+(?:-\w, )?(--[a-z-]+)", help_text, re.MULTILINE):
            if option != "--help":
                assert option in README, f"{command} {option} is not documented in README.md"


def test_quick_start_is_exactly_two_commands_that_exist() -> None:
    section = README.split("## Quick start", 1)[1]
    block = section.split("```", 2)[1]
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    for command in commands:
        script = ROOT / command.split()[0]
        assert script.is_file() and script.stat().st_mode & 0o111, command


def test_ci_runs_the_readmes_test_command() -> None:
    section = README.split("## Quick start", 1)[1]
    test_command = [line for line in section.split("```", 2)[1].splitlines() if line.strip()][1]
    assert test_command.strip() in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_changelog_has_an_unreleased_section() -> None:
    assert "## Unreleased" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_the_readmes_show_and_cite_examples_name_articles_of_the_samples(tmp_path: Path) -> None:
    archive = str(tmp_path / "a")
    runner = CliRunner()
    imported = runner.invoke(app, ["import", "--archive", archive, "--quiet", str(ROOT / "samples")])
    assert imported.exit_code in (0, 1)  # some samples need --encoding: the others are enough here
    examples = re.findall(r"^epaper (show|cite) ([^|>#\n]*)", README, re.MULTILINE)
    assert len(examples) >= 4
    for command, rest in examples:
        args = rest.split()
        if "-" in args or "ID..." in args:
            continue
        result = runner.invoke(app, [command, *args, "--archive", archive])
        assert result.exit_code == 0, f"epaper {command} {rest}: {result.stderr}"


def test_the_readmes_import_json_example_has_the_keys_import_writes(tmp_path: Path) -> None:
    import json

    example = json.loads(README.split("```json\n", 1)[1].split("```", 1)[0])
    sample = ROOT / "samples" / "nanshan-daily-2025-12-31-a03.txt"
    changed = tmp_path / "changed.txt"
    changed.write_text(sample.read_text(encoding="utf-8").replace("。", "！", 1), encoding="utf-8")
    archive = str(tmp_path / "a")
    written: list[dict[str, object]] = []
    for paths in ([sample], [changed, tmp_path / "missing.txt"]):
        result = CliRunner().invoke(app, ["import", "--archive", archive, "--json", *map(str, paths)])
        output = json.loads(result.stdout)
        assert isinstance(output, list)
        assert isinstance(example, list)
        written += output
    assert [item["status"] for item in written] == [item["status"] for item in example]
    assert [set(item) for item in written] == [set(item) for item in example]
