"""Importing captures the archive already keeps: nothing is parsed while the archive holds what each capture gave
(the receipts), and everything is parsed again as soon as it may not (readers' version, options, the archive)."""

from __future__ import annotations

from pathlib import Path

import pytest

from epaper_cli import importing, inputs
from epaper_cli.archive import Archive
from epaper_cli.formats import ReadOptions
from epaper_cli.importing import LARGE_RUN, ImportReport, run_import
from epaper_cli.layout import RECEIPTS_FILE
from tests.test_e2e import run
from tests.test_robustness import write_captures

COUNT = LARGE_RUN + 8


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the inputs the reader is asked to parse, in this process."""
    calls: list[str] = []
    real = inputs.read_bytes

    def counting(data: bytes, name: str, options: ReadOptions) -> object:
        calls.append(name)
        return real(data, name, options)

    monkeypatch.setattr(inputs, "read_bytes", counting)
    return calls


def _import(root: Path, folder: Path, options: ReadOptions | None = None) -> ImportReport:
    names = inputs.expand_paths([str(folder)])
    report = run_import(Archive(root), names, options or ReadOptions(), jobs=1)
    assert not report.failures, report.failures
    return report


def test_a_second_import_parses_nothing_and_reports_every_article_unchanged(tmp_path: Path, parses: list[str]) -> None:
    write_captures(tmp_path / "in", COUNT)
    first = _import(tmp_path / "a", tmp_path / "in")
    assert first.counts["added"] == COUNT and len(parses) == COUNT
    before = {p: p.read_bytes() for p in (tmp_path / "a").rglob("*.yaml")}
    parses.clear()
    again = _import(tmp_path / "a", tmp_path / "in")
    assert parses == []
    assert again.counts == {"added": 0, "replaced": 0, "unchanged": COUNT}
    assert sorted(name for name, _outcome in again.outcomes) == sorted(str(p) for p in (tmp_path / "in").glob("*.txt"))
    assert {p: p.read_bytes() for p in (tmp_path / "a").rglob("*.yaml")} == before


def test_the_command_says_unchanged_without_parsing(tmp_path: Path) -> None:
    write_captures(tmp_path / "in", COUNT)
    assert run("import", "--archive", "a", "in", cwd=tmp_path).returncode == 0
    result = run("import", "--archive", "a", "in", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert sum(line.startswith("unchanged\t") for line in lines) == COUNT


def test_an_issue_file_written_since_is_read_to_check_the_receipts(tmp_path: Path, parses: list[str]) -> None:
    write_captures(tmp_path / "in", COUNT)
    _import(tmp_path / "a", tmp_path / "in")
    for issue in (tmp_path / "a").rglob("*.yaml"):  # a hand edit that keeps every article
        issue.write_text(issue.read_text(encoding="utf-8") + "# checked by hand\n", encoding="utf-8")
    parses.clear()
    again = _import(tmp_path / "a", tmp_path / "in")
    assert parses == []
    assert again.counts["unchanged"] == COUNT


def test_a_deleted_issue_or_article_is_imported_again(tmp_path: Path, parses: list[str]) -> None:
    write_captures(tmp_path / "in", COUNT)
    _import(tmp_path / "a", tmp_path / "in")
    issues = sorted((tmp_path / "a").rglob("*.yaml"))
    issues[0].unlink()
    parses.clear()
    again = _import(tmp_path / "a", tmp_path / "in")
    assert again.counts["added"] == len(parses) > 0
    assert again.counts["unchanged"] == COUNT - len(parses)
    assert issues[0].is_file()


@pytest.mark.parametrize("change", ["version", "options", "registry", "damaged receipts"])
def test_anything_that_may_change_what_a_capture_gives_makes_it_parsed_again(
    tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    write_captures(tmp_path / "in", COUNT)
    _import(tmp_path / "a", tmp_path / "in")
    options = ReadOptions()
    if change == "version":
        monkeypatch.setattr(importing, "READERS_VERSION", importing.READERS_VERSION + 1)
    elif change == "options":
        options = ReadOptions(keep_punctuation=True)
    elif change == "registry":
        (tmp_path / "a" / "papers.yaml").write_text("{}\n", encoding="utf-8")
    else:
        (tmp_path / "a" / RECEIPTS_FILE).write_bytes(b"not a database" * 100)
    parses.clear()
    again = _import(tmp_path / "a", tmp_path / "in", options)
    assert len(parses) == COUNT
    assert again.counts["added"] == 0
    if change != "damaged receipts":  # the damaged file is dropped; the next run makes a new one
        parses.clear()
        _import(tmp_path / "a", tmp_path / "in", options)
        assert parses == []


def test_a_short_run_keeps_no_receipts(tmp_path: Path) -> None:
    write_captures(tmp_path / "in", LARGE_RUN - 1)
    _import(tmp_path / "a", tmp_path / "in")
    assert not (tmp_path / "a" / RECEIPTS_FILE).exists()


def test_a_dry_run_keeps_no_receipts(tmp_path: Path) -> None:
    write_captures(tmp_path / "in", COUNT)
    report = run_import(
        Archive(tmp_path / "a"), inputs.expand_paths([str(tmp_path / "in")]), ReadOptions(), jobs=1, dry_run=True
    )
    assert report.counts["added"] == COUNT
    assert not (tmp_path / "a" / RECEIPTS_FILE).exists()


def test_workers_look_receipts_up_too(tmp_path: Path) -> None:
    write_captures(tmp_path / "in", 120)
    assert run("import", "-j", "2", "--archive", "a", "in", cwd=tmp_path).returncode == 0
    result = run("import", "-j", "2", "--archive", "a", "in", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sum(line.startswith(b"unchanged\t") for line in result.stdout.splitlines()) == 120


def test_standard_input_is_always_parsed(tmp_path: Path) -> None:
    paths = write_captures(tmp_path / "in", COUNT)
    assert run("import", "--archive", "a", "in", cwd=tmp_path).returncode == 0
    (tmp_path / "a" / "清溪晚报").rename(tmp_path / "gone")  # no receipt can hold now
    result = run("import", "--archive", "a", "in", "-", cwd=tmp_path, stdin=paths[0].read_bytes())
    assert result.returncode == 0, result.stderr
    assert sum(line.startswith(b"added\t") for line in result.stdout.splitlines()) == COUNT


def test_two_captures_of_one_article_are_reported_as_without_receipts(tmp_path: Path, parses: list[str]) -> None:
    paths = write_captures(tmp_path / "in", COUNT)
    text = paths[0].read_text(encoding="utf-8")
    (tmp_path / "in" / "c9999.txt").write_text(text.rstrip("\n") + "\n\n  又及:补记一段。\n", encoding="utf-8")
    _import(tmp_path / "a", tmp_path / "in")
    parses.clear()
    with_receipts = _import(tmp_path / "a", tmp_path / "in")
    assert len(parses) == 2  # the two captures of one article are read again; the others are not
    (tmp_path / "a" / RECEIPTS_FILE).unlink()
    without = _import(tmp_path / "a", tmp_path / "in")
    assert sorted(with_receipts.outcomes) == sorted(without.outcomes)
