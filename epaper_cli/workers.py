"""Run work in forked worker processes: a function over many items, results in input order
(`ordered_map`), or one call alongside the caller's own work (`Helper`).

`epaper import` uses this to read and parse captures on every core while its own process writes the archive;
the EPUB writer has its cover drawn by a helper that loads the drawing library while the issue is read.
Workers are plain `os.fork()` children joined by pipes, with nothing else of the pool inherited: when the
parent dies (even by SIGKILL) their pipes reach end-of-file or break and they exit, so none is ever left
behind. Import workers are forked before the archive is touched, so none holds the archive's lock. Whatever
goes wrong in a worker (an unexpected exception, a crash), its work is done again in the parent, which then
behaves exactly as it would have without workers. Where `os.fork` does not exist, all runs in the parent.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import pickle
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO, Generic, TypeVar

A = TypeVar("A")
T = TypeVar("T")
R = TypeVar("R")

CHUNK = 16
"""Items sent to a worker at once: enough to make the pipe traffic negligible, few enough to keep order cheap."""
AHEAD = 2
"""Chunks each worker may hold at once: one to work on, one waiting, so it never idles while the parent reads."""


def available_cpus() -> int:
    """The processors this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def ordered_map(
    function: Callable[[T], R], items: Iterable[T], workers: int, *, here: Callable[[T], bool] | None = None
) -> Iterator[R]:
    """`function(item)` for each item, in order; computed in up to `workers` forked processes.

    Items for which `here(item)` is true are always computed in this process (standard input, say). Only as
    many workers start as there is work for (`AHEAD` chunks each), and none for less than two workers' worth,
    so a short run never forks. Results must be picklable.
    """
    chunks = _chunks(iter(items), here or (lambda _item: False))
    first = list(itertools.islice(chunks, AHEAD * max(workers, 1)))
    workers = min(workers, len(first) // AHEAD)  # no more workers than the work keeps busy
    pool = _Pool(function, workers) if workers > 1 and hasattr(os, "fork") else None
    if pool is None or not pool.workers:
        for _local, chunk in itertools.chain(first, chunks):
            yield from map(function, chunk)
        return
    with pool:
        for local, chunk in first:
            pool.submit(chunk, local)
        while pool.pending:
            chunk, results = pool.next_result()
            following = next(chunks, None)
            if following is not None:
                pool.submit(following[1], following[0])
            yield from results if results is not None else map(function, chunk)


def _chunks(items: Iterator[T], here: Callable[[T], bool]) -> Iterator[tuple[bool, list[T]]]:
    """Chunks of up to `CHUNK` items, as (local, items); an item to compute here is a chunk of its own."""
    chunk: list[T] = []
    for item in items:
        if here(item):
            if chunk:
                yield False, chunk
                chunk = []
            yield True, [item]
            continue
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield False, chunk
            chunk = []
    if chunk:
        yield False, chunk


class Helper(Generic[A, R]):
    """One call of `work(argument)` in a forked process that gets ready (`setup`) before the argument is known.

    The process is forked at once and runs `setup()` (loading libraries, finding files) while the caller does
    other work; `start(argument)` hands it the argument, `result()` waits for what `work` returned. Without
    `os.fork`, or when the process fails in any way, `result()` computes `work(argument)` here, so the caller
    gets exactly what a plain call would give. The argument and the result must be picklable.
    """

    def __init__(self, work: Callable[[A], R], setup: Callable[[], object] | None = None) -> None:
        self._work = work
        self._argument: tuple[A] | None = None
        self._pid = 0
        self._to_child: BinaryIO | None = None
        self._from_child: BinaryIO | None = None
        if not hasattr(os, "fork"):
            return
        forked = _fork(lambda source, sink: _serve_one(work, setup, source, sink))
        if forked is not None:
            self._pid, self._to_child, self._from_child = forked

    def start(self, argument: A) -> None:
        """Hand the process its argument; it works on it while the caller goes on."""
        self._argument = (argument,)
        if self._to_child is not None:
            try:
                self._to_child.write(pickle.dumps(argument, pickle.HIGHEST_PROTOCOL))
                self._to_child.close()
            except (OSError, pickle.PicklingError):
                pass  # it cannot be reached: result() computes it here

    def result(self) -> R:
        """Wait for the process's result (or compute it here if the process could not give it)."""
        if self._argument is None:
            raise RuntimeError("Helper.result() before start()")
        ok, value = False, None
        if self._from_child is not None:
            with self._from_child:
                try:
                    ok, value = pickle.load(self._from_child)
                except Exception:  # it died, or sent something damaged
                    ok = False
            self._from_child = None
            os.waitpid(self._pid, 0)
        return value if ok else self._work(self._argument[0])  # type: ignore[return-value]


def _serve_one(work: Callable[[A], R], setup: Callable[[], object] | None, source: BinaryIO, sink: BinaryIO) -> None:
    """The helper process: get ready, wait for the argument, send the result."""
    if setup is not None:
        with contextlib.suppress(Exception):  # getting ready is only a head start
            setup()
    argument = pickle.load(source)
    sink.write(_outcome(lambda: work(argument)))


def _outcome(compute: Callable[[], object]) -> bytes:
    """What a worker sends back: (True, result), or (False, None) when computing or pickling it failed, so that
    the parent computes it again itself and meets the error there, as it would have without workers."""
    try:
        return pickle.dumps((True, compute()), pickle.HIGHEST_PROTOCOL)
    except Exception:
        return pickle.dumps((False, None))


def _fork(
    serve: Callable[[BinaryIO, BinaryIO], None], siblings: Iterable[_Worker] = ()
) -> tuple[int, BinaryIO, BinaryIO] | None:
    """Fork a worker joined by two pipes: it runs `serve(tasks, results)`; None when the system cannot make
    another process.

    The worker keeps only its own two pipe ends (none of its siblings'), so the parent's death, however it
    comes, reaches it as end of file or a broken pipe; it ignores Ctrl-C, which is the parent's to handle, and
    leaves with `os._exit`, never returning into the parent's code or running its exit handlers.
    """
    fds: list[int] = []
    try:
        fds += os.pipe()
        fds += os.pipe()
        pid = os.fork()
    except OSError:
        for fd in fds:
            os.close(fd)
        return None
    task_read, task_write, result_read, result_write = fds
    if pid == 0:
        status = 0
        try:
            os.close(task_write)
            os.close(result_read)
            for sibling in siblings:
                sibling.tasks.close()
                sibling.results.close()
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            with os.fdopen(task_read, "rb") as tasks, os.fdopen(result_write, "wb") as results:
                serve(tasks, results)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(task_read)
    os.close(result_write)
    return pid, os.fdopen(task_write, "wb"), os.fdopen(result_read, "rb")


class _Worker:
    """The parent's end of one worker: where its tasks go, where its results come from."""

    def __init__(self, pid: int, tasks: BinaryIO, results: BinaryIO) -> None:
        self.pid = pid
        self.tasks = tasks
        self.results = results
        self.alive = True

    def send(self, chunk: list[T]) -> None:
        if self.alive:
            try:
                self.tasks.write(pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))
                self.tasks.flush()
            except OSError:  # it died: its chunks are run in the parent when their turn comes
                self.alive = False

    def receive(self) -> list[R] | None:
        """The results of its oldest chunk, or None when it failed on it or is gone."""
        if not self.alive:
            return None
        try:
            ok, results = pickle.load(self.results)
        except Exception:  # end of file (it died) or a damaged message
            self.alive = False
            return None
        return results if ok else None

    def close(self) -> None:
        for stream in (self.tasks, self.results):
            with contextlib.suppress(OSError):
                stream.close()
        os.waitpid(self.pid, 0)


class _Pool(Generic[T, R]):
    """Workers fed in turn; each works through its chunks in the order it got them, so reading the chunks back in
    the order they were sent gives the results in input order."""

    def __init__(self, function: Callable[[T], R], count: int) -> None:
        self.workers: list[_Worker] = []
        self.pending: deque[tuple[_Worker | None, list[T]]] = deque()
        for _ in range(count):
            forked = _fork(lambda tasks, results: _serve(function, tasks, results), self.workers)
            if forked is None:  # no more processes: work with the ones there are, or none
                break
            self.workers.append(_Worker(*forked))
        self.turn = itertools.cycle(list(self.workers))

    def __enter__(self) -> _Pool[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:
            worker.close()

    def submit(self, chunk: list[T], local: bool = False) -> None:
        worker = None if local else next(self.turn)
        if worker is not None:
            worker.send(chunk)
        self.pending.append((worker, chunk))

    def next_result(self) -> tuple[list[T], list[R] | None]:
        """The oldest chunk and its results, or None for results when the parent must compute them."""
        worker, chunk = self.pending.popleft()
        return chunk, worker.receive() if worker is not None else None


def _serve(function: Callable[[T], R], tasks: BinaryIO, results: BinaryIO) -> None:
    """Run chunks until the parent closes the task pipe."""
    while True:
        try:
            chunk = pickle.load(tasks)
        except EOFError:
            return
        results.write(_outcome(functools.partial(_run_chunk, function, chunk)))
        results.flush()


def _run_chunk(function: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [function(item) for item in chunk]
