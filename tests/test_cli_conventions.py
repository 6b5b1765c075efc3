"""Conventions every command keeps: shell completion, a word from `check` when all is well, one `--date`
parser with one set of accepted forms, paths printed as named."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import run


def test_shell_completion_is_offered() -> None:
    code, out, _err = run("--help")
    assert code == 0 and "--install-completion" in out and "--show-completion" in out
    code, out, err = run("--show-completion", "bash")
    assert code == 0 and "_EPAPER_COMPLETE" in out, err


def test_check_says_what_it_checked_when_all_is_well(one_capture_archive: Path) -> None:
    code, out, err = run("check", "--archive", str(one_capture_archive))
    assert code == 0 and out == ""
    assert err == f"epaper: {one_capture_archive}: 1 issue file and 1 kept capture checked, no problem found\n"
    code, out, err = run("check", "--archive", str(one_capture_archive), "--json")
    assert code == 0 and out.strip() == "[]" and "no problem found" in err


def test_check_prints_no_summary_when_something_is_wrong(one_capture_archive: Path) -> None:
    pack = one_capture_archive / ".raw" / "packs" / "000001.pack"
    data = pack.read_bytes()
    pack.write_bytes(data[:-2] + bytes([data[-2] ^ 1]) + data[-1:])  # the capture's last byte
    code, out, err = run("check", "--archive", str(one_capture_archive))
    assert code == 1 and "altered: its sha256 no longer matches" in out and "no problem found" not in err


DATE_OPTIONS = [
    ["import", "--date", "VALUE", "ONE"],
    ["export", "--txt", "--date", "VALUE", "-o", "-"],
    ["list", "--paper", "清溪晚报", "--date", "VALUE"],
    ["report", "--date", "VALUE"],
]


@pytest.mark.parametrize("value", ["20250314", "2025-3-14", "2025/03/14", "2025-03-14T00:00", "2025W11"])
@pytest.mark.parametrize("args", DATE_OPTIONS, ids=lambda args: args[0])
def test_every_date_option_refuses_the_same_forms(one_capture_archive: Path, args: list[str], value: str) -> None:
    """One parser: `20250314` is refused everywhere, whatever `date.fromisoformat` of the Python in use takes."""
    one = str(one_capture_archive.parent / "one.txt")
    code, out, err = run(
        *[value if a == "VALUE" else one if a == "ONE" else a for a in args], "--archive", str(one_capture_archive)
    )
    assert code == 2 and out == ""
    assert err.startswith(f"epaper: --date: {value!r} is not a date: use YYYY-MM-DD, YYYY-MM, YYYY, or a range"), err


@pytest.mark.parametrize("args", DATE_OPTIONS, ids=lambda args: args[0])
def test_every_date_option_takes_the_day_form(one_capture_archive: Path, args: list[str]) -> None:
    one = str(one_capture_archive.parent / "one.txt")
    given = [("2025-03-14" if a == "VALUE" else one if a == "ONE" else a) for a in args]
    code, _out, err = run(*given, "--archive", str(one_capture_archive))
    assert code == 0, err


def test_paths_are_printed_as_named(one_capture_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("export", "--txt", "--archive", "a")
    assert code == 0 and out == "清溪晚报-2025-03-14.txt\n", err
    code, out, err = run("export", "--txt", "--archive", "a", "-o", "books/")
    assert code == 0 and out == str(Path("books") / "清溪晚报-2025-03-14.txt") + "\n", err
    code, out, err = run("export", "--txt", "--archive", "a", "-o", str(tmp_path / "abs") + "/")
    assert code == 0 and out == str(tmp_path / "abs" / "清溪晚报-2025-03-14.txt") + "\n", err
    code, out, err = run("import", "--archive", "a", "--json", "one.txt")
    assert code == 0 and '"path": "a/清溪晚报/2025/2025-03-14.yaml"' in out, err
