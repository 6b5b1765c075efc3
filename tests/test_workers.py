"""Parallel import: worker processes give the same results, in the same order, and are never left behind."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from epaper_cli import pool
from epaper_cli.errors import InputError
from tests.helpers import is_derived, kept_captures
from tests.test_cli import CAPTURE
from tests.test_e2e import epaper, run
from tests.test_robustness import capture, write_captures

PARENT = os.getpid()
needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads the process tree from /proc")


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_results_come_back_in_input_order_from_other_processes() -> None:
    results = list(pool.ordered_map(square_and_pid, range(500), 2))
    assert [value for value, _pid in results] == [n * n for n in range(500)]
    pids = {pid for _value, pid in results}
    assert len(pids - {os.getpid()}) == 2, "two worker processes did the work"


def test_a_short_run_or_one_job_starts_no_pool() -> None:
    few = list(pool.ordered_map(square_and_pid, range(pool.CHUNK * pool.AHEAD), 2))
    one_job = list(pool.ordered_map(square_and_pid, range(200), 1))
    assert {pid for _v, pid in few + one_job} == {os.getpid()}
    assert [v for v, _pid in one_job] == [n * n for n in range(200)]


def test_heavy_items_go_to_the_workers_a_few_at_a_time() -> None:
    sizes = [pool.CHUNK_WEIGHT // 2] * 30 + [1] * 100  # whole issues, then single captures
    chunks = list(pool._chunks(iter(range(len(sizes))), lambda _n: False, lambda n: sizes[n]))
    assert [len(chunk) for _local, chunk in chunks[:15]] == [2] * 15, "two heavy items reach the weight"
    assert all(len(chunk) == pool.CHUNK for _local, chunk in chunks[15:-1]), "light ones CHUNK at a time"
    assert [n for _local, chunk in chunks for n in chunk] == list(range(len(sizes)))
    results = list(pool.ordered_map(square_and_pid, range(len(sizes)), 2, weight=lambda n: sizes[n]))
    assert [value for value, _pid in results] == [n * n for n in range(len(sizes))]
    assert {pid for _value, pid in results} - {os.getpid()}, "computed by the workers"


def test_an_import_weighs_its_inputs_by_size(tmp_path: Path) -> None:
    from epaper_cli.importing import _size

    (tmp_path / "a.txt").write_bytes(b"x" * 1234)
    assert _size(str(tmp_path / "a.txt")) == 1234
    assert _size(str(tmp_path / "missing.txt")) == 0, "read, and its error met, as any input's"


def test_items_marked_here_run_in_this_process_in_their_place() -> None:
    items = [*range(100), -1, *range(100, 200)]
    results = list(pool.ordered_map(square_and_pid, items, 2, here=lambda n: n == -1))
    assert [v for v, _pid in results] == [n * n for n in items]
    assert results[100][1] == os.getpid()
    assert {pid for _v, pid in results[:100]} != {os.getpid()}


def fail_on_13(n: int) -> int:
    if n == 13:
        raise KeyError("a bug")
    return n


def test_an_unexpected_error_in_a_worker_is_raised_here_as_without_workers() -> None:
    with pytest.raises(KeyError, match="a bug"):
        list(pool.ordered_map(fail_on_13, range(200), 2))


def die_in_worker(n: int) -> tuple[int, int]:
    if os.getpid() != PARENT and n % 50 == 7:
        os._exit(3)  # a worker crashing outright (killed, out of memory)
    return n, os.getpid()


def test_the_work_of_a_worker_that_died_is_done_here() -> None:
    results = list(pool.ordered_map(die_in_worker, range(300), 2))
    assert [n for n, _pid in results] == list(range(300))
    assert results[7][1] == os.getpid(), "the chunk the worker died on was computed here"


def unpicklable(n: int) -> object:
    return (lambda: n) if n == 40 else n


def test_a_result_that_cannot_be_sent_back_is_computed_here() -> None:
    results = list(pool.ordered_map(unpicklable, range(100), 2))
    assert results[:40] == list(range(40)) and results[41:] == list(range(41, 100))
    assert callable(results[40])


def test_no_more_workers_start_than_the_work_keeps_busy() -> None:
    before = {child.pid for child in multiprocessing.active_children()}
    results = pool.ordered_map(square_and_pid, range(pool.CHUNK * pool.AHEAD * 3), 50)  # work for three
    next(results)
    started = {child.pid for child in multiprocessing.active_children()} - before
    assert len(started) == 3
    assert len(list(results)) == pool.CHUNK * pool.AHEAD * 3 - 1


def test_epaper_errors_survive_the_trip_between_processes() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(InputError("a.txt", "no 版面 line")))
    assert (type(error), error.what, error.why) == (InputError, "a.txt", "no 版面 line")


def test_parallel_and_serial_imports_write_the_same_archive_and_report(tmp_path: Path) -> None:
    write_captures(tmp_path / "in", 120)
    (tmp_path / "in" / "c0050.txt").write_text("not a capture at all\n", encoding="utf-8")
    (tmp_path / "in" / "c0051.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "in" / "c0052.txt").write_text(capture("广告"), encoding="utf-8")  # skipped with a note
    for jobs in "12":  # an issue file already broken in both archives: the inputs touching it are refused
        broken = tmp_path / f"a{jobs}" / "清溪晚报" / "2025" / "2025-03-13.yaml"
        broken.parent.mkdir(parents=True)
        broken.write_text("format: epaper/1\npaper: [oops\n", encoding="utf-8")
    results = {jobs: run("import", "--jobs", jobs, "--archive", f"a{jobs}", "in", cwd=tmp_path) for jobs in "12"}
    serial, parallel = results["1"], results["2"]
    assert serial.returncode == parallel.returncode == 1
    assert parallel.stdout == serial.stdout.replace(b"a1/", b"a2/")
    assert parallel.stderr == serial.stderr.replace(b"a1/", b"a2/")
    assert b"c0050.txt" in serial.stderr and b"c0051.txt" in serial.stderr and b"c0052.txt" in serial.stderr
    assert serial.stderr.count(b"2025-03-13.yaml: line 3: not valid YAML") == 39
    assert sum(line.startswith(b"added\t") for line in serial.stdout.splitlines()) == 78
    files = sorted(p.relative_to(tmp_path / "a1") for p in (tmp_path / "a1").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "a2") for p in (tmp_path / "a2").rglob("*") if p.is_file())
    # the issues and the broken one, one pack of raw captures; the lock and derived data (receipts, the search
    # index, the raw store's index) aside
    kept = [name for name in files if not is_derived(name.name)]
    assert [name for name in kept if name.suffix != ".yaml"] == [Path(".raw/packs/000001.pack")]
    assert len(kept_captures(tmp_path / "a1")) == 78
    for name in files:
        if not is_derived(name.name):
            assert (tmp_path / "a1" / name).read_bytes() == (tmp_path / "a2" / name).read_bytes(), name


def test_standard_input_is_read_by_epaper_itself_among_parallel_inputs(tmp_path: Path) -> None:
    write_captures(tmp_path / "in", 100)
    piped = CAPTURE.replace("江畔春耕正当时", "从管道来的稿件").encode("gb18030")
    result = run("import", "-j", "2", "--archive", "a", "in/", "-", cwd=tmp_path, stdin=piped)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 101 and sum("从管道来的稿件" in line for line in lines) == 1


@needs_proc
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


def test_a_system_that_cannot_start_workers_gets_the_work_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    def no_more_processes(*_args: object, **_kwargs: object) -> object:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(concurrent.futures.ProcessPoolExecutor, "submit", no_more_processes)
    results = list(pool.ordered_map(square_and_pid, range(200), 2))
    assert results == [(n * n, os.getpid()) for n in range(200)]


@pytest.mark.parametrize(("busy", "expected"), [(0, 2), (0.4, 2), (1, 1), (1.6, 1), (9, 1)])
def test_the_default_jobs_are_the_cpus_other_programs_leave_free(
    monkeypatch: pytest.MonkeyPatch, busy: float, expected: int
) -> None:
    monkeypatch.setattr(pool, "available_cpus", lambda: 2)
    monkeypatch.setattr(pool, "busy_elsewhere", lambda _cpus: busy)
    assert pool.default_jobs() == expected


def test_the_running_processes_are_read_from_the_load_average_line() -> None:
    assert pool.running_processes("0.52 0.58 0.59 2/467 12345\n") == 2
    with pytest.raises(ValueError):
        pool.running_processes("")
    assert pool.busy_elsewhere(2) >= 0


def test_a_spinning_process_counts_as_a_busy_cpu() -> None:
    if not os.path.exists("/proc/loadavg"):
        pytest.skip("no /proc/loadavg here")
    spinner = subprocess.Popen([sys.executable, "-c", "while 1: pass"])
    try:
        time.sleep(0.3)
        assert max(pool.busy_elsewhere(2) for _ in range(20)) >= 1
    finally:
        spinner.kill()
        spinner.wait()
