"""The benchmark's machinery: configurations, samples and figures, the runner that spawns each command under
`measure.py`, the checks on each run, and where the anchors are found."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "latest.json"
FLOOR_TYPER = HERE / "floor_typer.py"
FLOOR_IMPORT = HERE / "floor_import.py"
MEASURE = HERE / "measure.py"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Config:
    """How much to run: corpus sizes, runs per figure and a time budget per group of figures."""

    runs: int
    startup_runs: int
    warmup: int
    issues: int
    small: int
    export_pages: int
    export_per_page: int
    budget: float
    """Seconds of measured runs a group may take; runs drop (never below `min_runs`) to stay inside it."""
    min_runs: int = 3
    memory_tolerance: float = 0.02
    """Allowance for allocator noise when asking that the big import peak no higher than the small one."""


FULL = Config(runs=7, startup_runs=21, warmup=1, issues=40, small=100, export_pages=16, export_per_page=8, budget=200.0)
QUICK = Config(
    runs=3, startup_runs=5, warmup=1, issues=4, small=100, export_pages=2, export_per_page=8, budget=10.0, min_runs=2
)


@dataclass
class Sample:
    """One measured run."""

    seconds: float
    max_rss: int
    """Peak resident set size in bytes."""
    round: tuple[int, int] = (0, 0)
    """(group, round) it was measured in: figures of one group run one after the other in each round."""


@dataclass
class Figure:
    """One command's measurements, or why there are none."""

    key: str
    label: str
    argv: list[str] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.skipped is None and bool(self.samples)

    def times(self) -> list[float]:
        return [s.seconds for s in self.samples]

    def rss(self) -> list[int]:
        return [s.max_rss for s in self.samples]

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"label": self.label, "command": _display(self.argv), "runs": len(self.samples)}
        if self.samples:
            times, rss = self.times(), self.rss()
            data["seconds"] = {"median": statistics.median(times), "min": min(times), "max": max(times)}
            data["peak_rss_bytes"] = {"median": statistics.median(rss), "min": min(rss), "max": max(rss)}
            data["samples"] = [{"seconds": s.seconds, "peak_rss_bytes": s.max_rss} for s in self.samples]
        if self.error:
            data["error"] = self.error
        if self.skipped:
            data["skipped"] = self.skipped
        return data


Check = Callable[[Path, str], "str | None"]
"""Looks at a finished run (its folder and standard output) and says what is wrong, or None."""


@dataclass
class Job:
    """How to run one figure once: the command for a fresh run folder, and how to check what it did."""

    figure: Figure
    make: Callable[[Path], list[str]]
    check: Check


@dataclass
class Target:
    """A figure's ratio to its anchor against the bound the project set."""

    label: str
    figure: str
    anchor: str
    bound: float | None
    """None: shown for information, with no pass or fail."""
    measure: str = "seconds"
    tolerance: float = 0.0

    def evaluate(self, figures: dict[str, Figure]) -> dict[str, Any]:
        mine, theirs = figures[self.figure], figures[self.anchor]
        result: dict[str, Any] = {
            "target": self.label,
            "figure": self.figure,
            "anchor": self.anchor,
            "measure": self.measure,
            "bound": self.bound,
        }
        if not mine.ok:
            result.update(result="ERROR", why=mine.error or mine.skipped or "no runs")
            return result
        if not theirs.ok:
            result.update(result="n/a", why=theirs.skipped or theirs.error or "no runs")
            return result
        ratio = paired_ratio(mine, theirs) if self.measure == "seconds" else None
        if ratio is not None:
            result["paired"] = True
        else:
            values = (mine.times(), theirs.times()) if self.measure == "seconds" else (mine.rss(), theirs.rss())
            ratio = statistics.median(values[0]) / statistics.median(values[1])
        if self.bound is None:
            result.update(ratio=ratio, result="info")
        else:
            passed = ratio <= self.bound * (1 + self.tolerance)
            result.update(ratio=ratio, result="PASS" if passed else "FAIL")
        return result


def paired_ratio(mine: Figure, theirs: Figure) -> float | None:
    """The median of the ratios of runs made back to back in the same round, or None if they were not.

    A shared machine's speed drifts by tens of percent within a minute; two commands run one after the other
    see the same machine, so the ratio of each such pair is steadier than the ratio of two medians.
    """
    theirs_by_round = {sample.round: sample.seconds for sample in theirs.samples}
    pairs = [(s.seconds, theirs_by_round.get(s.round)) for s in mine.samples]
    if not pairs or any(other is None for _mine, other in pairs):
        return None
    return statistics.median(a / b for a, b in pairs if b)


# -- running commands ------------------------------------------------------------------------------------


def _rss_bytes(ru_maxrss: int) -> int:
    """ru_maxrss is KiB on Linux and the BSDs, bytes on macOS."""
    return ru_maxrss if sys.platform == "darwin" else ru_maxrss * 1024


def spawn(argv: Sequence[str], cwd: Path, stdout: Path, stderr: Path, env: dict[str, str]) -> tuple[Sample, int]:
    """Run one command through `measure.py`: its wall time and its own peak memory, measured by the wrapper."""
    report = stdout.with_suffix(".measure")
    report.unlink(missing_ok=True)
    wrapper = [sys.executable, "-I", "-S", str(MEASURE), str(report), *argv]
    with stdout.open("wb") as out, stderr.open("wb") as err:
        code = subprocess.run(wrapper, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env).returncode
    try:
        seconds, maxrss, status = report.read_text("ascii").split()
    except (OSError, ValueError):
        raise OSError(f"the measuring wrapper failed (exit status {code})") from None
    return Sample(float(seconds), _rss_bytes(int(maxrss))), int(status)


def _last_line(path: Path) -> str:
    """The last non-blank line a command wrote to standard error: its error message, usually."""
    try:
        lines = [line for line in path.read_text("utf-8", "replace").splitlines() if line.strip()]
    except OSError:
        return "no message"
    return lines[-1] if lines else "no message"


class Runner:
    """Runs jobs in fresh folders under one work folder, interleaving the figures of a group."""

    def __init__(self, work: Path, config: Config) -> None:
        self.work = work
        self.config = config
        self.env = {k: v for k, v in os.environ.items() if k not in ("EPAPER_ARCHIVE", "EPAPER_DEBUG")}
        self.groups = 0

    def once(self, job: Job) -> Sample | None:
        """One run of a job; on failure, record why on its figure and return None."""
        folder = Path(tempfile.mkdtemp(prefix=f"{job.figure.key}-", dir=self.work))
        out, err = self.work / f"{job.figure.key}.stdout", self.work / f"{job.figure.key}.stderr"
        argv = job.make(folder)
        job.figure.argv = argv
        if hasattr(os, "sync"):
            os.sync()  # untimed: start each run without earlier runs' writes still queued for the disk
        try:
            sample, code = spawn(argv, folder, out, err, self.env)
            if code != 0:
                job.figure.error = f"exit status {code}: {_last_line(err)}"
            else:
                job.figure.error = job.check(folder, out.read_text("utf-8", "replace"))
        except OSError as exc:
            job.figure.error = f"cannot run {argv[0]}: {exc}: {_last_line(err)}"
            return None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return sample if job.figure.error is None else None

    def group(self, jobs: Sequence[Job], runs: int | None = None) -> None:
        """Warm up, then measure the jobs round-robin; fewer runs if the warm-up says the budget would burst."""
        self.groups += 1
        active = [job for job in jobs if job.figure.skipped is None]
        per_round = 0.0
        for job in active:
            for _ in range(self.config.warmup):
                sample = self.once(job)
                if sample is None:
                    break
                per_round += sample.seconds / self.config.warmup
        active = [job for job in active if job.figure.error is None]
        if not active:
            return
        runs = runs or self.config.runs
        if per_round * runs > self.config.budget:
            runs = max(self.config.min_runs, int(self.config.budget // per_round))
        names = ", ".join(job.figure.label for job in active)
        note(f"measuring {names}: {runs} runs (~{per_round * runs:.0f} s)")
        for number in range(runs):
            for job in active:
                if job.figure.error is not None:
                    continue
                sample = self.once(job)
                if sample is not None:
                    sample.round = (self.groups, number)
                    job.figure.samples.append(sample)
        for job in active:
            if job.figure.error is not None:
                job.figure.samples.clear()


# -- checks ----------------------------------------------------------------------------------------------


def expect_lines(count: int) -> Check:
    """An `epaper import` run printed one `added` line per article."""

    def check(_folder: Path, out: str) -> str | None:
        added = sum(1 for line in out.splitlines() if line.startswith("added\t"))
        return None if added == count else f"imported {added} articles, expected {count}"

    return check


def expect_text(text: str) -> Check:
    def check(_folder: Path, out: str) -> str | None:
        return None if text in out else f"expected {text!r} on standard output, got {out.strip()[:120]!r}"

    return check


def expect_file(name: str) -> Check:
    def check(folder: Path, _out: str) -> str | None:
        path = folder / name
        return None if path.is_file() and path.stat().st_size > 0 else f"wrote no {name}"

    return check


# -- finding the tools -----------------------------------------------------------------------------------


def find_tool(name: str) -> str | None:
    """A command next to this Python (its virtual environment), else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def weasyprint_argv() -> list[str] | None:
    found = find_tool("weasyprint")
    if found:
        return [found]
    if importlib.util.find_spec("weasyprint") is not None:
        return [sys.executable, "-m", "weasyprint"]
    return None


def first_line(argv: Sequence[str]) -> str | None:
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines else None


# -- the benchmark ---------------------------------------------------------------------------------------


def note(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _display(argv: Sequence[str]) -> str:
    """A command as it would be typed."""
    return " ".join(argv)


@contextlib.contextmanager
def work_folder(parent: Path | None, prefix: str, keep: bool) -> Iterator[Path]:
    """A fresh folder for a benchmark's corpus and archives (under `parent` when given), removed afterwards
    unless `keep`."""
    if parent is not None:
        parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        yield work
    finally:
        if keep:
            note(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def save_results(path: Path, results: dict[str, Any], elapsed: float) -> None:
    """Write a benchmark's results as JSON (with when it ran and how long it took) and say where."""
    results = {"when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), **results}
    results["elapsed_seconds"] = round(elapsed, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    note(f"{elapsed:.0f} s; results in {path}")
