"""The archive never loses or corrupts anything: crashes, concurrency, hostile input and broken archives."""

from __future__ import annotations

import datetime as dt
import errno
import gc
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from epaper_cli import schema
from epaper_cli.archive import Archive
from epaper_cli.errors import ArchiveError
from epaper_cli.model import Issue, Page
from tests.helpers import make_article
from tests.test_cli import CAPTURE, run
from tests.test_e2e import epaper


def capture(title: str, page: int = 5, day: int = 14) -> str:
    """The test capture with another title, page and issue day."""
    return (
        CAPTURE.replace("江畔春耕正当时", title)
        .replace("第5版", f"第{page}版")
        .replace("日期:03-14", f"日期:03-{day:02d}")
    )


def write_captures(folder: Path, count: int) -> list[Path]:
    """`count` captures spread over three issues and four pages."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"c{i:04d}.txt"
        path.write_text(capture(f"第{i}号稿件", page=1 + i % 4, day=12 + i % 3), encoding="utf-8")
        paths.append(path)
    return paths


def all_titles(root: Path) -> set[str]:
    archive = Archive(root)
    return {a.title for path in archive.all_issue_files() for _p, a in archive.load(path).articles()}


def test_eight_processes_into_shared_and_separate_issues_keep_every_article(tmp_path: Path) -> None:
    write_captures(tmp_path / "in", 48)
    env = {k: v for k, v in os.environ.items() if k != "EPAPER_ARCHIVE"}
    files = sorted((tmp_path / "in").glob("*.txt"))
    processes = [
        subprocess.Popen(
            [epaper(), "import", "-q", "--archive", "a", *map(str, files[i::8])],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for i in range(8)
    ]
    assert [p.wait(120) for p in processes] == [0] * 8
    assert all_titles(tmp_path / "a") == {f"第{i}号稿件" for i in range(48)}
    assert run("check", "--archive", str(tmp_path / "a"))[:2] == (0, "")  # and a summary on stderr


def test_an_import_killed_at_any_moment_leaves_a_valid_archive(tmp_path: Path) -> None:
    write_captures(tmp_path / "in", 300)
    env = {k: v for k, v in os.environ.items() if k != "EPAPER_ARCHIVE"}
    rng = random.Random(7)
    for _attempt in range(4):
        process = subprocess.Popen(
            [epaper(), "import", "-q", "--archive", "a", "in"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.4, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        if not (tmp_path / "a").exists():
            continue  # killed before its first write
        for path in Archive(tmp_path / "a").all_issue_files():
            yaml.safe_load(path.read_text(encoding="utf-8"))  # whole, valid YAML or not there at all
        _code, out, _err = run("check", "--archive", str(tmp_path / "a"))
        # A kill may leave a capture kept but not yet filed, and a temp file: said so, nothing else is wrong.
        for line in out.splitlines():
            assert line.endswith(
                (
                    "no article refers to this raw capture: its issue file was deleted or cut short",
                    "safe to delete (the next import into this folder does)",
                )
            ), line
    code, _out, err = run("import", "-q", "--archive", str(tmp_path / "a"), str(tmp_path / "in"))
    assert code == 0, err
    assert all_titles(tmp_path / "a") == {f"第{i}号稿件" for i in range(300)}
    leftovers = [p for p in (tmp_path / "a").rglob(".tmp-*") if ".raw" not in p.parts]
    assert leftovers == []
    assert run("check", "--archive", str(tmp_path / "a"))[:2] == (0, "")


def test_a_lock_held_by_a_killed_process_does_not_block(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from epaper_cli.archive import Archive\n"
            "with Archive(Path(sys.argv[1])).lock():\n    print('locked', flush=True); time.sleep(600)",
            str(tmp_path / "a"),
        ],
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
    holder.kill()
    holder.wait(10)
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    result = subprocess.run(
        [epaper(), "import", "--archive", "a", "c.txt"], cwd=tmp_path, timeout=30, capture_output=True
    )
    assert result.returncode == 0


def test_a_full_disk_is_a_clear_error_and_the_archive_stays_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "a"
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    assert run("import", "--archive", str(archive), str(tmp_path / "c.txt"))[0] == 0
    issue_file = next(Archive(archive).all_issue_files())
    before = issue_file.read_bytes()

    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    (tmp_path / "d.txt").write_text(capture("满盘的新稿件"), encoding="utf-8")
    code, _out, err = run("import", "--archive", str(archive), str(tmp_path / "d.txt"))
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert code == 1
    assert "No space left on device" in err and "Traceback" not in err
    assert issue_file.read_bytes() == before
    assert list(archive.rglob(".tmp-*")) == []


@pytest.mark.parametrize("paper", ["../../escape", "/abs/path", "a\x00b", "..", "x" * 400, ".raw"])
def test_hostile_paper_names_stay_inside_the_archive(tmp_path: Path, paper: str) -> None:
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    archive = tmp_path / "deep" / "a"
    code, _out, err = run("import", "--archive", str(archive), "--paper", paper, str(tmp_path / "c.txt"))
    assert code == 0, err
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix == ".yaml"]
    assert len(written) == 1
    assert written[0].resolve().is_relative_to(archive.resolve())
    assert written[0].parent.parent.parent == archive
    assert not (archive / ".raw" / "2025").exists()
    assert run("check", "--archive", str(archive))[0] == 0


def test_a_100_mb_capture_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.write(CAPTURE.encode("utf-8"))
        chunk = ("  很长很长的段落。" * 1000 + "\n").encode("utf-8")
        while handle.tell() < 100 * 1024 * 1024:
            handle.write(chunk)
    # VmHWM is this process's own peak (ru_maxrss would include the forking pytest's memory on Linux).
    script = (
        "import re, sys\nfrom pathlib import Path\nfrom epaper_cli.cli import app\n"
        "sys.argv = ['epaper', 'import', '--archive', 'a', 'big.txt']\n"
        "try:\n    app()\nexcept SystemExit as e:\n    code = e.code\n"
        "status = Path('/proc/self/status')\n"
        "peak = re.search(r'VmHWM:\\s+(\\d+)', status.read_text()).group(1) if status.exists() else '0'\n"
        "print(code, peak, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, timeout=120)
    lines = result.stderr.decode().strip().splitlines()
    assert lines[0] == "epaper: big.txt: larger than 16 MB: not a capture (split it, or import the files it came from)"
    code, peak_kib = lines[-1].split()
    assert code == "1"
    assert int(peak_kib) < 120 * 1024  # the interpreter plus at most the 16 MB read, never the file's 100 MB
    assert not (tmp_path / "a" / "清溪晚报").exists()


@pytest.fixture
def broken_archive(tmp_path: Path) -> tuple[Path, Path, bytes]:
    archive = tmp_path / "a"
    date = dt.date(2025, 3, 14)
    good = Issue("清溪晚报", date, [Page("03", None, [make_article("清溪晚报", date, "03", "好稿")])])
    Archive(archive).merge(good)
    broken = archive / "清溪晚报" / "2025" / "2025-03-15.yaml"
    content = "format: epaper/1\npaper: 清溪晚报: 半截\ndate: 2025-03-15\npages: []\n".encode()
    broken.write_bytes(content)
    return archive, broken, content


@pytest.mark.parametrize(
    "command",
    [
        ["list", "--paper", "清溪晚报", "--date", "2025-03-15"],
        ["export", "--txt", "--paper", "清溪晚报", "-o", "-"],
        ["import", "--date", "2025-03-15", "CAPTURE"],
    ],
)
def test_every_command_refuses_a_broken_issue_file_in_one_line(
    broken_archive: tuple[Path, Path, bytes], tmp_path: Path, command: list[str]
) -> None:
    archive, broken, content = broken_archive
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    args = [str(tmp_path / "c.txt") if a == "CAPTURE" else a for a in command]
    code, _out, err = run(*args, "--archive", str(archive))
    assert code == 1
    named = f"{tmp_path / 'c.txt'}: " if command[0] == "import" else ""  # an import names the input it refused
    assert err.splitlines()[0].startswith(f"epaper: {named}{broken}: line 2: not valid YAML"), err
    assert broken.read_bytes() == content


def test_check_reports_the_broken_file_and_an_unknown_version(broken_archive: tuple[Path, Path, bytes]) -> None:
    archive, broken, _content = broken_archive
    future = archive / "清溪晚报" / "2025" / "2025-03-16.yaml"
    future.write_text("format: epaper/7\n", encoding="utf-8")
    code, out, _err = run("check", "--archive", str(archive), "--json")
    assert code == 1
    import json

    problems = {(p["file"], p["problem"].split(" (")[0]) for p in json.loads(out)}
    assert (str(broken), "line 2: not valid YAML") in problems
    assert (str(future), "unknown format version 'epaper/7': this epaper reads epaper/1; upgrade epaper") in problems


def test_loading_never_runs_code_from_the_file(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"format: epaper/1\npaper: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ArchiveError):
        schema.load(text, "evil.yaml")
    assert not marker.exists()


def test_temp_files_left_by_a_crash_are_ignored_and_cleaned(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    assert run("import", "--archive", str(archive), str(tmp_path / "c.txt"))[0] == 0
    issue_dir = archive / "清溪晚报" / "2025"
    leftover = issue_dir / ".tmp-crashed.part"
    leftover.write_text("format: epaper/1\npaper: half", encoding="utf-8")
    assert run("list", "--archive", str(archive), "--paper", "清溪晚报")[1] == "2025-03-14\n"
    assert run("check", "--archive", str(archive)) == (
        1,
        f"{leftover}: temp file left by an interrupted write: safe to delete (the next import into this folder does)\n",
        "",
    )
    (tmp_path / "d.txt").write_text(capture("另一篇稿件"), encoding="utf-8")
    assert run("import", "--archive", str(archive), str(tmp_path / "d.txt"))[0] == 0
    assert not leftover.exists()
    assert run("check", "--archive", str(archive))[:2] == (0, "")  # and a summary on stderr


def test_batching_keeps_every_article_and_names_each_ones_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from epaper_cli import importing

    monkeypatch.setattr(importing, "HELD_ARTICLES", 3)
    monkeypatch.setattr(importing, "MAX_OPEN_ISSUES", 2)
    paths = write_captures(tmp_path / "in", 30)  # interleaved over three issues and four pages
    code, out, err = run("import", "--archive", str(tmp_path / "a"), "--json", str(tmp_path / "in"))
    assert code == 0, err
    import json

    records = json.loads(out)
    assert sorted((Path(r["file"]).name, r["title"]) for r in records) == sorted(
        (p.name, f"第{int(p.stem[1:])}号稿件") for p in paths
    )
    assert {r["status"] for r in records} == {"added"}
    assert all_titles(tmp_path / "a") == {f"第{i}号稿件" for i in range(30)}
    assert run("check", "--archive", str(tmp_path / "a"))[:2] == (0, "")  # and a summary on stderr


# -- symlinks, FIFOs, concurrent checks and truncation ---------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {str(p): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


CAPTURE_DIGEST = __import__("hashlib").sha256(CAPTURE.encode("utf-8")).hexdigest()
PLACEMENTS = {
    "paper folder": "清溪晚报",
    "year folder": "清溪晚报/2025",
    "issue file": "清溪晚报/2025/2025-03-14.yaml",
    "raw folder": ".raw",
    "raw packs folder": ".raw/packs",
    "raw pack": ".raw/packs/000001.pack",
    "raw index": ".raw/index.sqlite",
    "raw index's log": ".raw/index.sqlite-wal",
    "lock file": ".lock",
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(PLACEMENTS)), st.sampled_from(["folder", "file", "dangling"]), st.booleans())
def test_a_symlink_planted_in_the_archive_never_leads_a_write_outside(
    tmp_path_factory: pytest.TempPathFactory, placement: str, target: str, imported_before: bool
) -> None:
    base = tmp_path_factory.mktemp("link")
    archive, outside = base / "a", base / "outside"
    outside.mkdir()
    (outside / "victim").write_text("keep me", encoding="utf-8")
    (base / "c.txt").write_text(CAPTURE, encoding="utf-8")
    (base / "d.txt").write_text(capture("另一篇稿件"), encoding="utf-8")
    if imported_before:
        assert run("import", "--archive", str(archive), str(base / "d.txt"))[0] == 0
    gc.collect()  # the earlier in-process command's connections closed first: closing one removes the index's log
    link = archive / PLACEMENTS[placement]
    if link.is_dir():
        shutil.rmtree(link)
    elif link.exists():
        link.unlink()
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to({"folder": outside, "file": outside / "victim", "dangling": outside / "missing"}[target])
    before = _snapshot(outside)
    code, _out, err = run("import", "--archive", str(archive), str(base / "c.txt"))
    assert _snapshot(outside) == before  # nothing written, replaced or created outside the archive
    assert code == 1, err
    assert (err.startswith("epaper: ") and "symlink" in err) or "not a regular file" in err, err
    assert "Traceback" not in err and "internal error" not in err
    code, out, err = run("check", "--archive", str(archive))
    # (with nothing imported before and `.raw` a link to no folder, the folder is not an archive at all; any other
    # import made `.raw`, so that check names the link that refused it)
    only_the_link = not imported_before and placement == "raw folder" and target != "folder"
    assert code == 1 and ("symlink" in out + err or (only_the_link and "no archive at" in err)), (out, err)
    assert _snapshot(outside) == before


def test_fifos_in_the_archive_never_hang_a_command(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    (tmp_path / "c.txt").write_text(capture("另一天的稿件", day=15), encoding="utf-8")
    assert run("import", "--archive", str(archive), str(tmp_path / "c.txt"))[0] == 0
    fifo = archive / "清溪晚报" / "2025" / "2025-03-14.yaml"
    os.mkfifo(fifo)
    (tmp_path / "d.txt").write_text(CAPTURE, encoding="utf-8")
    commands = [
        ["check"],
        ["list", "--paper", "清溪晚报", "--date", "2025-03-14"],
        ["export", "--txt", "--date", "2025-03-14", "-o", "-"],
        ["import", str(tmp_path / "d.txt")],
    ]
    for command in commands:
        result = subprocess.run([epaper(), *command, "--archive", str(archive)], capture_output=True, timeout=60)
        said = (result.stdout + result.stderr).decode()
        assert result.returncode == 1 and "Traceback" not in said and "internal error" not in said, command
        if command[0] in ("check", "import"):
            assert f"{fifo}: is not a regular file" in said, command


def test_check_under_a_concurrent_import_sees_a_consistent_archive(tmp_path: Path) -> None:
    write_captures(tmp_path / "in", 240)
    env = {k: v for k, v in os.environ.items() if k != "EPAPER_ARCHIVE"}
    (tmp_path / "first.txt").write_text(CAPTURE, encoding="utf-8")
    assert run("import", "--archive", str(tmp_path / "a"), str(tmp_path / "first.txt"))[0] == 0
    importer = subprocess.Popen(
        [epaper(), "import", "-q", "-j", "1", "--archive", "a", "in"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL
    )
    checks = 0
    while importer.poll() is None or checks < 3:
        result = subprocess.run([epaper(), "check", "--archive", "a"], cwd=tmp_path, capture_output=True, timeout=120)
        assert (result.returncode, result.stdout) == (0, b""), result
        assert result.stderr.endswith(b"checked, no problem found\n"), result
        checks += 1
    assert importer.wait(120) == 0
    assert checks >= 3


def _sealed_issue(tmp_path: Path, articles: int) -> tuple[Path, Path, bytes]:
    archive = tmp_path / "a"
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(articles):
        (folder / f"c{i:03d}.txt").write_text(capture(f"第{i}号稿件", page=1 + i % 3), encoding="utf-8")
    assert run("import", "--archive", str(archive), str(folder))[0] == 0
    issue_file = next(Archive(archive).all_issue_files())
    assert run("check", "--archive", str(archive))[:2] == (0, "")
    return archive, issue_file, issue_file.read_bytes()


def test_check_detects_truncation_at_every_article_boundary_and_every_byte_step(tmp_path: Path) -> None:
    from epaper_cli.checking import check_archive

    archive, issue_file, data = _sealed_issue(tmp_path, 24)
    boundaries = [m.start() for m in __import__("re").finditer(rb"(?m)^(?:- page:|  - id:)", data)]
    boundaries.append(data.rindex(b"# epaper-sha256"))  # the whole YAML, only the digest line gone
    points = sorted(set(boundaries) | set(range(1, len(data), max(1, len(data) // 400))) | {len(data) - 1})
    detected = 0
    for point in points:
        issue_file.write_bytes(data[:point])
        if any(file == str(issue_file) for file, _reason in check_archive(Archive(archive))):
            detected += 1
    assert len(boundaries) == 24 + 3 + 1
    assert detected == len(points), f"{detected} of {len(points)} truncation points detected"


def test_check_detects_a_changed_body_and_a_deleted_issue_file(tmp_path: Path) -> None:
    from tests.test_reliability import backdate

    archive, issue_file, data = _sealed_issue(tmp_path, 6)
    issue_file.write_bytes(data.replace("拖拉机".encode(), "收割机".encode(), 1))
    code, out, _err = run("check", "--archive", str(archive))
    assert (code, out) == (
        1,
        f"{issue_file}: changed since epaper wrote it: its content no longer matches its digest line\n",
    )
    issue_file.unlink()
    backdate(archive / ".raw")
    code, out, _err = run("check", "--archive", str(archive))
    lines = out.splitlines()
    assert code == 1 and len(lines) == 6
    assert all(
        line.endswith("no article refers to this raw capture: its issue file was deleted or cut short")
        for line in lines
    )
