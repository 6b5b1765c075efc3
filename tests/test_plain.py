"""The quick way in: `epaper import`, `export` and `search` read a plain command line without the command-line
library (`epaper_cli.plain`); every line, plain or not, gets what the full command line gives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from epaper_cli import export_command, import_command, plain, search_command
from epaper_cli.cli import app
from tests.test_cli import CAPTURE

QUICK = "from epaper_cli.process import main; main()"
FULL = "from epaper_cli.cli import main; main()"


def _epaper(way: str, args: list[str], cwd: Path, stdin: bytes | None = None) -> tuple[int, bytes, bytes]:
    env = {k: v for k, v in os.environ.items() if k != "EPAPER_ARCHIVE"}
    done = subprocess.run(
        [sys.executable, "-c", way, *args], cwd=cwd, input=stdin, capture_output=True, env=env, timeout=120
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["c.txt"],
        ["-q", "c.txt"],
        ["--json", "c.txt"],
        ["--dry-run", "--archive=archive", "c.txt"],
        ["--paper", "清江晚报", "--date=2025-03-15", "-j", "1", "c.txt"],
        ["--keep-punctuation", "--plain-body", "--jobs=2", "--", "c.txt"],
        ["--year", "2025", "c.txt"],
        ["--year", "1700", "c.txt"],
        ["--year", "MMXXV", "c.txt"],
        ["--date", "2025-13-01", "c.txt"],
        ["--json", "--paper", " ", "c.txt"],
        ["--encoding", "no-such-encoding", "c.txt"],
        ["--jobs", "0", "c.txt"],
        ["-qj", "2", "c.txt"],
        ["--paper", "-q", "c.txt"],
        ["--bogus", "c.txt"],
        ["--json=yes", "c.txt"],
        ["--archive", "c.txt", "c.txt"],
        ["no-such-file.txt", "c.txt"],
        ["empty"],
        ["-"],
        ["--help"],
    ],
)
def test_a_quick_import_answers_as_the_full_command_line_does(tmp_path: Path, args: list[str]) -> None:
    results = []
    for way in (QUICK, FULL):
        folder = tmp_path / ("quick" if way is QUICK else "full")
        (folder / "empty").mkdir(parents=True)
        (folder / "c.txt").write_text(CAPTURE, encoding="utf-8")
        results.append(_epaper(way, ["import", *args], folder, stdin=CAPTURE.encode()))
        archive = folder / "archive"
        results.append(sorted(p.relative_to(archive).as_posix() for p in archive.rglob("*.yaml")))
    assert results[0:2] == results[2:4]


def test_a_quick_import_merges_and_reports_failures_as_the_full_one(tmp_path: Path) -> None:
    """Another archive's folder is merged; a bad input among good ones fails alone, as through the library."""
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00garbage")
    assert _epaper(QUICK, ["import", "-q", "--archive", "other", "c.txt"], tmp_path)[0] == 0
    quick = _epaper(QUICK, ["import", "--archive", "a", "other", "bad.txt"], tmp_path)
    full = _epaper(FULL, ["import", "--archive", "b", "other", "bad.txt"], tmp_path)
    assert quick == full and quick[0] == 1 and "江畔春耕正当时".encode() in quick[1]


@pytest.mark.parametrize(
    ("args", "module"),
    [(["import", "-q", "c.txt"], "epaper_cli.importing"), (["export", "--txt", "-o", "-"], "epaper_cli.formats.text")],
)
def test_a_plain_line_does_not_load_the_command_line_library(tmp_path: Path, args: list[str], module: str) -> None:
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    assert _epaper(QUICK, ["import", "-q", "c.txt"], tmp_path)[0] == 0
    code = (  # the modules loaded, listed as the process leaves
        "import os, sys\nfrom epaper_cli.process import main\nleave = os._exit\n"
        "def listed(code):\n    print(*sys.modules, file=sys.stderr, flush=True)\n    leave(code)\n"
        f"os._exit = listed\nsys.argv[1:] = {args!r}\nmain()"
    )
    loaded = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert loaded.returncode == 0 and "江畔春耕正当时" in loaded.stdout
    modules = set(loaded.stderr.split())
    assert module in modules
    assert not {"typer", "click", "epaper_cli.cli"} & modules


@pytest.mark.parametrize(
    "args",
    [
        ["--txt", "-o", "-"],
        ["--txt"],
        ["--epub", "--txt", "--jsonl", "-o", "out"],
        ["-o", "day.txt", "--paper", "清溪晚报", "--date", "2025-03-14"],
        ["--jsonl", "--output=-", "--date=2025"],
        ["--txt", "--date", "2025-13"],
        ["--txt", "--paper", "无此报"],
        ["--pdf", "--vertical"],
        ["--txt", "--page-size", "A5"],
        ["--txt", "--font", "no-such-font.ttf"],
        ["--txt", "--font="],
        ["--txt", "stray"],
        ["--bogus"],
        ["-o"],
        ["--help"],
    ],
)
def test_a_quick_export_answers_as_the_full_command_line_does(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    assert _epaper(QUICK, ["import", "-q", "c.txt"], tmp_path)[0] == 0
    results = []
    for way in (QUICK, FULL):
        folder = tmp_path / ("quick" if way is QUICK else "full")
        folder.mkdir()
        results.append(_epaper(way, ["export", "--archive", str(tmp_path / "archive"), *args], folder))
        results.append(sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")))
    assert results[0:2] == results[2:4]


@pytest.mark.parametrize(
    ("name", "module"), [("import", import_command), ("export", export_command), ("search", search_command)]
)
def test_the_quick_way_knows_every_option_the_command_declares(name: str, module: object) -> None:
    """An option added to the command line but not to the quick way would send every line using it to the full
    command line: correct, but slow; one the quick way has but the command does not would be accepted wrongly."""
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    valued, flags = set(), set()
    for param in command.params:
        spellings = [*param.opts, *param.secondary_opts]
        if param.param_type_name == "option" and "--help" not in spellings:
            (flags if param.is_flag else valued).update(spellings)
    assert set(module._VALUED) == valued  # type: ignore[attr-defined]
    assert set(module._FLAGS) == flags  # type: ignore[attr-defined]


def test_plain_lines_and_the_rest(tmp_path: Path) -> None:
    valued, flags, env = {"--archive": "archive", "-j": "jobs"}, {"--json": "json", "-q": "quiet"}, {}
    line = plain.read(["--archive", "a", "-j", "3", "-q", "x", "--archive=b", "--", "--json"], valued, flags, env)
    assert line is not None
    assert (line.values, line.flags, line.words) == ({"archive": "b", "jobs": "3"}, {"quiet"}, ["x", "--json"])
    assert plain.read(["-"], valued, flags, env) is not None
    for rest in (["-h"], ["--help"], ["--archive"], ["--archive", "-q"], ["-j"], ["-x"], ["-qj", "2"], ["--js"]):
        assert plain.read(rest, valued, flags, env) is None, rest
    exclusion = plain.read(["-春耕", "田"], valued, flags, env, dash_words=True)
    assert exclusion is not None and exclusion.words == ["-春耕", "田"]
    assert plain.read(["-"], valued, flags, env, dash_words=True) is None
    assert [plain.whole_number(t) for t in ("12", "+1", "١٢", "", None)] == [12, None, None, None, None]
    # The archive as the full command line takes it: from $EPAPER_ARCHIVE when not given (not when empty);
    # a file, or an empty value of any option, is left to the full command line's message.
    from_env = plain.read(["x"], valued, flags, {"EPAPER_ARCHIVE": "elsewhere"})
    assert from_env is not None and from_env.values == {"archive": "elsewhere"}
    unset = plain.read(["x"], valued, flags, {"EPAPER_ARCHIVE": ""})
    assert unset is not None and unset.values == {}
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert plain.read(["--archive", str(tmp_path / "file")], valued, flags, env) is None
    assert plain.read(["x"], valued, flags, {"EPAPER_ARCHIVE": str(tmp_path / "file")}) is None
    assert plain.read(["-j", ""], valued, flags, env) is None
