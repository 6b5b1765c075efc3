"""Parallel import: worker processes give the same results, in the same order, and are never left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from epaper_cli import workers
from epaper_cli.errors import InputError
from tests.test_e2e import epaper, run
from tests.test_robustness import capture, write_captures

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes need os.fork")
PARENT = os.getpid()


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


@needs_fork
def test_results_come_back_in_input_order_from_other_processes() -> None:
    results = list(workers.ordered_map(square_and_pid, range(500), 2))
    assert [value for value, _pid in results] == [n * n for n in range(500)]
    pids = {pid for _value, pid in results}
    assert len(pids - {os.getpid()}) == 2, "two worker processes did the work"


def test_a_short_run_or_one_job_never_forks() -> None:
    few = list(workers.ordered_map(square_and_pid, range(workers.CHUNK), 2))
    one_job = list(workers.ordered_map(square_and_pid, range(200), 1))
    assert {pid for _v, pid in few + one_job} == {os.getpid()}
    assert [v for v, _pid in one_job] == [n * n for n in range(200)]


@needs_fork
def test_items_marked_here_run_in_this_process_in_their_place() -> None:
    items = [*range(100), -1, *range(100, 200)]
    results = list(workers.ordered_map(square_and_pid, items, 2, here=lambda n: n == -1))
    assert [v for v, _pid in results] == [n * n for n in items]
    assert results[100][1] == os.getpid()


def fail_on_13(n: int) -> int:
    if n == 13:
        raise KeyError("a bug")
    return n


@needs_fork
def test_an_unexpected_error_in_a_worker_is_raised_here_as_without_workers() -> None:
    with pytest.raises(KeyError, match="a bug"):
        list(workers.ordered_map(fail_on_13, range(200), 2))


def die_in_worker(n: int) -> int:
    if os.getpid() != PARENT and n % 50 == 7:
        os._exit(3)  # a worker crashing outright (killed, out of memory)
    return n


@needs_fork
def test_work_of_a_worker_that_died_is_done_here() -> None:
    assert list(workers.ordered_map(die_in_worker, range(300), 2)) == list(range(300))


def test_epaper_errors_survive_the_trip_between_processes() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(InputError("a.txt", "no 版面 line")))
    assert (type(error), error.what, error.why) == (InputError, "a.txt", "no 版面 line")


@needs_fork
def test_parallel_and_serial_imports_write_the_same_archive_and_report(tmp_path: Path) -> None:
    write_captures(tmp_path / "in", 120)
    (tmp_path / "in" / "c0050.txt").write_text("not a capture at all\n", encoding="utf-8")
    (tmp_path / "in" / "c0051.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "in" / "c0052.txt").write_text(capture("广告"), encoding="utf-8")  # skipped with a note
    results = {jobs: run("import", "--jobs", jobs, "--archive", f"a{jobs}", "in", cwd=tmp_path) for jobs in "12"}
    serial, parallel = results["1"], results["2"]
    assert serial.returncode == parallel.returncode == 1
    assert parallel.stdout == serial.stdout.replace(b"a1/", b"a2/")
    assert parallel.stderr == serial.stderr
    assert b"c0050.txt" in serial.stderr and b"c0051.txt" in serial.stderr and b"c0052.txt" in serial.stderr
    assert sum(line.startswith(b"added\t") for line in serial.stdout.splitlines()) == 117
    files = sorted(p.relative_to(tmp_path / "a1") for p in (tmp_path / "a1").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "a2") for p in (tmp_path / "a2").rglob("*") if p.is_file())
    for name in files:
        if name.name != ".lock":
            assert (tmp_path / "a1" / name).read_bytes() == (tmp_path / "a2" / name).read_bytes(), name


@needs_fork
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from /proc")
def test_no_worker_outlives_a_killed_import(tmp_path: Path) -> None:
    write_captures(tmp_path / "in", 3000)
    process = subprocess.Popen(
        [epaper(), "import", "-q", "-j", "2", "--archive", "a", "in"], cwd=tmp_path, stdout=subprocess.DEVNULL
    )
    children: list[int] = []
    deadline = time.monotonic() + 30
    while len(children) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
        children = _children(process.pid)
    assert len(children) == 2, "the import started two workers"
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in children), "a worker outlived its parent"
    again = run("import", "-q", "--archive", "a", "in", cwd=tmp_path)
    assert again.returncode == 0, again.stderr


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:  # the field after the state is the parent's pid
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def describe(n: int) -> tuple[str, int]:
    return f"n={n}", os.getpid()


@needs_fork
def test_a_helper_computes_in_another_process_after_getting_ready() -> None:
    ready: list[int] = []
    helper = workers.Helper(describe, setup=lambda: ready.append(1))
    helper.start(7)
    text, pid = helper.result()
    assert text == "n=7" and pid != os.getpid()
    assert ready == [], "setup ran in the helper, not here"


def crash(n: int) -> tuple[str, int]:
    if os.getpid() != PARENT:
        os._exit(9)
    return describe(n)


@needs_fork
def test_a_helper_that_fails_or_dies_leaves_the_work_to_this_process() -> None:
    def broken_setup() -> None:
        raise OSError("no fonts")

    for helper in (workers.Helper(crash), workers.Helper(describe, setup=broken_setup)):
        helper.start(3)
        text, _pid = helper.result()
        assert text == "n=3"
    failing = workers.Helper(fail_on_13)
    failing.start(13)
    with pytest.raises(KeyError, match="a bug"):
        failing.result()  # the helper's own error, met again here as a plain call would meet it


@needs_fork
def test_ctrl_c_stops_a_parallel_import_with_one_line_and_a_valid_archive(tmp_path: Path) -> None:
    write_captures(tmp_path / "in", 2000)
    process = subprocess.Popen(
        [epaper(), "import", "-q", "-j", "2", "--archive", "a", "in"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while not (tmp_path / "a").exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the import finished before Ctrl-C reached it")
    assert (process.returncode, err) == (130, b"epaper: interrupted\n")
    assert run("check", "--archive", "a", cwd=tmp_path).returncode == 0


@needs_fork
def test_no_more_workers_start_than_the_work_keeps_busy() -> None:
    items = range(workers.CHUNK * workers.AHEAD * 3)  # work for three workers
    pids = {pid for _value, pid in workers.ordered_map(square_and_pid, items, 50)}
    assert len(pids - {os.getpid()}) == 3
