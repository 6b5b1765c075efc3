"""A function over many items in worker processes (the standard library's process pool), results in input order.

`epaper import` uses it to read and parse captures on the free cores while its own process writes the archive.
Only as many workers start as the work keeps busy, and none for a short run. Whatever goes wrong with a worker
(its function raises, it dies, its result cannot be sent back), its items are done again in this process,
which then meets exactly what it would have met without workers. Workers ignore Ctrl-C, which is this
process's to handle, and leave as soon as this process is gone, even when it is killed outright.
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # the pool's modules load only when a pool starts: a short run never pays for them
    import multiprocessing.process
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 16
"""Items sent to a worker at once: enough to make the traffic between processes negligible."""
CHUNK_WEIGHT = 256 * 1024
"""Weight of the items sent at once, at most (one item at least): for an import, bytes of input. Sixteen files
of a whole issue each kept 1,600 articles in every chunk: the first results came late, the last were written
with the workers idle, and the chunks in flight held 140 MB (see `ordered_map`'s `weight`)."""
AHEAD = 2
"""Chunks per worker in flight: one to work on, one waiting, so no worker idles while this process reads."""


def available_cpus() -> int:
    """The processors this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def default_jobs() -> int:
    """Processes for a run nobody sized: one per CPU that other programs leave free right now, so that a busy
    machine never makes the default slower than one process, which waits on workers that wait for a CPU."""
    cpus = available_cpus()
    return max(1, min(cpus, round(cpus - busy_elsewhere(cpus))))


def busy_elsewhere(cpus: int) -> float:
    """How many CPUs other processes keep busy: the processes running at this moment besides this one (Linux's
    /proc/loadavg), else the load average of the last minute (which also counts runs of this program that have
    just ended, so it is only the fallback), else none."""
    try:
        with open("/proc/loadavg", encoding="ascii") as handle:
            return max(0, running_processes(handle.read()) - 1)
    except (OSError, ValueError):
        pass
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def running_processes(loadavg: str) -> int:
    """The running count of /proc/loadavg (`0.52 0.58 0.59 2/467 12345`: 2)."""
    fields = loadavg.split()
    if len(fields) < 4 or "/" not in fields[3]:
        raise ValueError(f"not a load average line: {loadavg!r}")
    return int(fields[3].split("/")[0])


def ordered_map(
    function: Callable[[T], R],
    items: Iterable[T],
    jobs: int,
    *,
    here: Callable[[T], bool] | None = None,
    weight: Callable[[T], int] | None = None,
) -> Iterator[R]:
    """`function(item)` for each item, in order; computed in up to `jobs` worker processes.

    Items for which `here(item)` is true are always computed in this process (standard input, say). A pool
    starts only for at least two workers' worth of chunks, so a short run never starts one. `function`, the
    items and the results must be picklable; only `AHEAD` chunks per worker are in flight, each of `CHUNK` items
    at most and, with `weight` (an import: each input's size), of `CHUNK_WEIGHT` at most, so memory does not
    grow with the run, nor with the size of the items.
    """
    chunks = _chunks(iter(items), here or _nowhere, weight or _weightless)
    first = list(itertools.islice(chunks, AHEAD * max(jobs, 1)))
    workers = min(jobs, len(first) // AHEAD)  # no more workers than the work keeps busy
    if workers < 2:
        for _local, chunk in itertools.chain(first, chunks):
            yield from map(function, chunk)
        return
    pool = _start(workers)
    in_flight: deque[tuple[Future[list[R]] | None, list[T]]] = deque()

    def submit(local: bool, chunk: list[T]) -> None:
        future = None
        if not local:
            try:
                future = pool.submit(_run_chunk, function, chunk)
            except (RuntimeError, OSError):  # the pool broke (a worker died) or cannot fork: done here
                future = None
        in_flight.append((future, chunk))

    finished = False
    try:
        for local, chunk in first:
            submit(local, chunk)
        while in_flight:
            future, chunk = in_flight.popleft()
            following = next(chunks, None)
            if following is not None:
                submit(*following)
            results = _results(future)
            yield from results if results is not None else map(function, chunk)
        finished = True
    finally:  # interrupted: queued chunks are dropped, and the workers leave once this process does
        pool.shutdown(wait=finished, cancel_futures=not finished)


def _nowhere(_item: object) -> bool:
    return False


def _weightless(_item: object) -> int:
    return 0


def _chunks(
    items: Iterator[T], here: Callable[[T], bool], weight: Callable[[T], int]
) -> Iterator[tuple[bool, list[T]]]:
    """Chunks of up to `CHUNK` items and `CHUNK_WEIGHT`, as (local, items); an item to compute here is a chunk of
    its own."""
    chunk: list[T] = []
    load = 0
    for item in items:
        if here(item):
            if chunk:
                yield False, chunk
                chunk, load = [], 0
            yield True, [item]
            continue
        chunk.append(item)
        load += weight(item)
        if len(chunk) == CHUNK or load >= CHUNK_WEIGHT:
            yield False, chunk
            chunk, load = [], 0
    if chunk:
        yield False, chunk


def _start(workers: int) -> ProcessPoolExecutor:
    """A process pool; forked where the system can fork, so workers start at once with what is loaded here."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork") if "fork" in methods else None
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_started)


def _results(future: Future[list[R]] | None) -> list[R] | None:
    """A chunk's results, or None when this process must compute them (the worker failed, or there was none)."""
    if future is None:
        return None
    try:
        return future.result()
    except Exception:  # its error, met again when the chunk is computed here, as without workers
        return None


def _run_chunk(function: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [function(item) for item in chunk]


def _worker_started() -> None:
    """In each worker: leave Ctrl-C to the main process, and leave when the main process is gone."""
    import multiprocessing
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_leave_with, args=(parent,), daemon=True).start()


def _leave_with(parent: multiprocessing.process.BaseProcess) -> None:
    """Wait for the main process to end, however it ends, then end this worker at once."""
    parent.join()
    os._exit(0)
