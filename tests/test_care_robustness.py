"""The commands that change the archive (rm, edit, rebuild, rename-paper, import of an archive) killed at any
moment leave a valid archive that `epaper check` passes, and running them again finishes the job."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import yaml

from epaper_cli.archive import Archive
from tests.test_care import snapshot, titles
from tests.test_cli import run
from tests.test_e2e import epaper
from tests.test_robustness import capture

COUNT = 240


def many_issues(tmp_path: Path) -> Path:
    """An archive of COUNT articles over thirty issues."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(COUNT):
        (folder / f"c{i:04d}.txt").write_text(capture(f"第{i}号稿件", page=1 + i % 4, day=1 + i % 30), "utf-8")
    code, _out, err = run("import", "-q", "--archive", str(tmp_path / "a"), str(folder))
    assert code == 0, err
    return tmp_path / "a"


def ids_of(archive: Path) -> list[str]:
    store = Archive(archive)
    return [a.id for path in store.all_issue_files() for _p, a in store.load(path).articles()]


def kill_repeatedly(
    tmp_path: Path, args: list[str], stdin: str | None = None, attempts: int = 3, window: float = 1.0
) -> None:
    """Start the command, SIGKILL it after a random moment, and check the archive each time."""
    env = {k: v for k, v in os.environ.items() if k != "EPAPER_ARCHIVE"}
    env["VISUAL"] = "sleep 30"
    rng = random.Random(16)
    for _attempt in range(attempts):
        process = subprocess.Popen(
            [epaper(), *args],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if stdin is not None and process.stdin is not None:
            process.stdin.write(stdin.encode())
        if process.stdin is not None:
            process.stdin.close()
        time.sleep(rng.uniform(0.15, window))
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        assert_valid(tmp_path / "a")


def assert_valid(archive: Path) -> None:
    for path in Archive(archive).all_issue_files():
        yaml.safe_load(path.read_text(encoding="utf-8"))  # whole, valid YAML or not there at all
    _code, out, _err = run("check", "--archive", str(archive))
    # a temp file the killed command left is reported (the next write into its folder removes it); nothing else
    assert [line for line in out.splitlines() if "temp file left by an interrupted write" not in line] == [], out


def finish(args: list[str], stdin: str | None = None) -> None:
    code, _out, err = run(*args, input=stdin)
    assert code == 0, err


def test_rm_killed_at_any_moment(tmp_path: Path) -> None:
    archive = many_issues(tmp_path)
    ids = ids_of(archive)
    doomed = "\n".join(ids[::2]) + "\n"
    kill_repeatedly(tmp_path, ["rm", "-q", "--archive", "a", "-"], doomed, window=0.5)
    left = [i for i in ids[::2] if i in set(ids_of(archive))]
    if left:
        finish(["rm", "-q", "--archive", str(archive), "-"], "\n".join(left) + "\n")
    assert set(ids_of(archive)) == set(ids[1::2])
    assert_valid(archive)


def test_edit_killed_while_the_editor_runs_changes_nothing(tmp_path: Path) -> None:
    archive = many_issues(tmp_path)
    before = snapshot(archive)
    kill_repeatedly(tmp_path, ["edit", "--archive", "a", ids_of(archive)[0]], attempts=1)
    assert snapshot(archive) == before
    assert list(archive.rglob(".tmp-*")) == []


def test_rebuild_killed_at_any_moment(tmp_path: Path) -> None:
    archive = many_issues(tmp_path)
    expected = snapshot(archive)
    for path in Archive(archive).all_issue_files():  # as an older importer would have read them
        path.write_text(path.read_text(encoding="utf-8").replace("，", ","), encoding="utf-8")
    assert run("check", "--fix", "--archive", str(archive))[0] == 0  # sealed, as that importer would have
    kill_repeatedly(tmp_path, ["rebuild", "-q", "--archive", "a"])
    finish(["rebuild", "-q", "--archive", str(archive)])
    assert snapshot(archive) == expected


def test_rename_paper_killed_at_any_moment(tmp_path: Path) -> None:
    archive = many_issues(tmp_path)
    kill_repeatedly(tmp_path, ["rename-paper", "--archive", "a", "清溪晚报", "新名晚报"], attempts=2)
    if (archive / "清溪晚报").exists():
        finish(["rename-paper", "--archive", str(archive), "清溪晚报", "新名晚报"])
    assert [p.name for p in Archive(archive).paper_dirs()] == ["新名晚报"]
    assert sorted(titles(archive)) == sorted(f"第{i}号稿件" for i in range(COUNT))
    assert_valid(archive)


def test_import_of_an_archive_killed_at_any_moment(tmp_path: Path) -> None:
    theirs = many_issues(tmp_path)
    theirs.rename(tmp_path / "theirs")
    kill_repeatedly(tmp_path, ["import", "-q", "--archive", "a", "theirs"], attempts=2)
    finish(["import", "-q", "--archive", str(tmp_path / "a"), str(tmp_path / "theirs")])
    assert sorted(titles(tmp_path / "a")) == sorted(f"第{i}号稿件" for i in range(COUNT))
    assert_valid(tmp_path / "a")
