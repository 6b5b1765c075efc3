"""Benchmark epaper against its floors and against the tools people would otherwise use.

Run from the repository root, with the Python that has epaper installed (`pip install .`):

    python bench/run.py            # the full run: a few minutes
    python bench/run.py --quick    # a smoke run: well under a minute, smaller corpus, fewer runs

Every figure is a whole command run as a subprocess, measured as the median of several runs after a warm-up,
all in this one invocation. Each command runs under the tiny wrapper `bench/measure.py`, which times it with
`time.perf_counter()` and reads its own peak memory (`ru_maxrss` from `os.wait4`), so each figure is that
command's own peak, not the benchmark's. The anchors (pandoc, WeasyPrint) are optional: when one is missing
the script says so and still reports epaper's own figures. If an epaper command fails, that figure is reported
as an error and the rest still run. Results are printed as a table and written as JSON to
`bench/results/latest.json`.

POSIX only (the wrapper needs `os.posix_spawnp` and `os.wait4`).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import corpus

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


FULL = Config(runs=5, startup_runs=20, warmup=1, issues=40, small=100, export_pages=16, export_per_page=8, budget=200.0)
QUICK = Config(
    runs=3, startup_runs=5, warmup=1, issues=4, small=100, export_pages=2, export_per_page=8, budget=10.0, min_runs=2
)


@dataclass
class Sample:
    """One measured run."""

    seconds: float
    max_rss: int
    """Peak resident set size in bytes."""


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
        values = (mine.times(), theirs.times()) if self.measure == "seconds" else (mine.rss(), theirs.rss())
        ratio = statistics.median(values[0]) / statistics.median(values[1])
        if self.bound is None:
            result.update(ratio=ratio, result="info")
        else:
            passed = ratio <= self.bound * (1 + self.tolerance)
            result.update(ratio=ratio, result="PASS" if passed else "FAIL")
        return result


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
        for _ in range(runs):
            for job in active:
                if job.figure.error is not None:
                    continue
                sample = self.once(job)
                if sample is not None:
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


def benchmark(config: Config, work: Path) -> tuple[dict[str, Figure], list[dict[str, Any]], dict[str, Any]]:
    epaper = find_tool("epaper")
    if epaper is None:
        raise SystemExit("bench: no `epaper` command next to this Python or on PATH: run `pip install .` first")
    pandoc = find_tool("pandoc")
    weasyprint = weasyprint_argv()
    python = sys.executable
    runner = Runner(work, config)

    note(f"writing the corpus in {work}")
    issues = corpus.make_issues(config.issues)
    big_dir, small_dir = work / "captures", work / "captures-small"
    captures = corpus.write_captures(big_dir, issues)
    for path in captures[: config.small]:
        target = small_dir / path.relative_to(big_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    n_big, n_small = len(captures), min(config.small, len(captures))
    one = captures[0]
    export_issue = corpus.make_export_issue(config.export_pages, config.export_per_page)
    export_captures = corpus.write_captures(work / "export-captures", [export_issue])
    markdown = corpus.write_markdown(work / "issue.md", export_issue)
    html = corpus.write_html(work / "issue.html", export_issue)

    figures: dict[str, Figure] = {}

    def figure(key: str, label: str) -> Figure:
        figures[key] = Figure(key, label)
        return figures[key]

    def missing(fig: Figure, tool: str, how: str) -> Figure:
        fig.skipped = f"{tool} not found ({how})"
        note(f"{fig.label}: skipped, {fig.skipped}")
        return fig

    # start-up
    runner.group(
        [
            Job(figure("help", "epaper --help"), lambda d: [epaper, "--help"], expect_text("import")),
            Job(
                figure("typer_help", "minimal Typer app --help"),
                lambda d: [python, str(FLOOR_TYPER), "--help"],
                expect_text("import"),
            ),
            Job(
                figure("typer_run", "minimal Typer app, running a command"),
                lambda d: [python, str(FLOOR_TYPER), "import", str(one)],
                expect_text("1 files"),
            ),
            Job(
                figure("import_one", "epaper import (1 capture)"),
                lambda d: [epaper, "import", "--archive", str(d / "archive"), str(one)],
                expect_lines(1),
            ),
        ],
        runs=config.startup_runs,
    )

    # import
    runner.group(
        [
            Job(
                figure("import_big", f"epaper import ({n_big} captures)"),
                lambda d: [epaper, "import", "--archive", str(d / "archive"), str(big_dir)],
                expect_lines(n_big),
            ),
            Job(
                figure("floor_import", f"floor import ({n_big} captures)"),
                lambda d: [python, str(FLOOR_IMPORT), "--archive", str(d / "archive"), str(big_dir)],
                expect_text(f"{n_big} articles"),
            ),
        ]
    )
    runner.group(
        [
            Job(
                figure("import_small", f"epaper import ({n_small} captures)"),
                lambda d: [epaper, "import", "--archive", str(d / "archive"), str(small_dir)],
                expect_lines(n_small),
            )
        ]
    )

    # export: the issue is imported once, then each format is written into a fresh folder per run
    archive = work / "export-archive"
    setup = subprocess.run(
        [epaper, "import", "-q", "--archive", str(archive), str(work / "export-captures")],
        capture_output=True,
        text=True,
        check=False,
        env=runner.env,
    )
    imported = sum(1 for line in setup.stdout.splitlines() if line.startswith("added\t"))
    setup_error = None
    if setup.returncode != 0 or imported != len(export_captures):
        setup_error = f"importing the export issue failed: {setup.stderr.strip()[-200:] or imported}"
        note(setup_error)
    n_export = export_issue.articles

    def export(fmt: str) -> Callable[[Path], list[str]]:
        return lambda d: [epaper, "export", f"--{fmt}", "--archive", str(archive), "-o", str(d / f"out.{fmt}")]

    def anchor_job(key: str, fig: Figure) -> Job | None:
        """The anchor's job for one format, or None (and the figure marked skipped) when its tool is missing."""
        if key == "weasyprint":
            if weasyprint is None:
                missing(fig, "WeasyPrint", "pip install weasyprint")
                return None
            tool = weasyprint
            return Job(fig, lambda d: [*tool, str(html), str(d / "out.pdf")], expect_file("out.pdf"))
        if pandoc is None:
            missing(fig, "pandoc", "Debian: apt-get install pandoc")
            return None
        to = ["-o", "out.epub"] if key == "pandoc_epub" else ["-t", "plain", "-o", "out.txt"]
        return Job(fig, lambda d: [pandoc, str(markdown), *to[:-1], str(d / to[-1])], expect_file(to[-1]))

    pairs: list[tuple[Job, Job | None]] = []
    for fmt, anchor_key, anchor_label in (
        ("epub", "pandoc_epub", "pandoc md→epub"),
        ("pdf", "weasyprint", "weasyprint html→pdf"),
        ("txt", "pandoc_txt", "pandoc md→plain"),
    ):
        mine = Job(figure(fmt, f"epaper export --{fmt} ({n_export} articles)"), export(fmt), expect_file(f"out.{fmt}"))
        if setup_error:
            mine.figure.error = setup_error
        pairs.append((mine, anchor_job(anchor_key, figure(anchor_key, f"{anchor_label} ({n_export} articles)"))))
    for mine, job in pairs:
        runner.group([mine] if job is None else [mine, job])

    targets = [
        Target(f"import of {n_big} captures ≤ 1.3× floor", "import_big", "floor_import", 1.3),
        Target("EPUB export ≤ 0.5× pandoc", "epub", "pandoc_epub", 0.5),
        Target("PDF export ≤ 0.15× WeasyPrint", "pdf", "weasyprint", 0.15),
        Target("text export ≤ 0.5× pandoc", "txt", "pandoc_txt", 0.5),
        Target("epaper --help ≤ 1.2× minimal Typer app", "help", "typer_help", 1.2),
        Target("one-capture import ≤ 1.5× minimal Typer app", "import_one", "typer_help", 1.5),
        Target("(info) one-capture import vs Typer app running a command", "import_one", "typer_run", None),
        Target(
            f"peak memory: import of {n_big} ≤ import of {n_small}",
            "import_big",
            "import_small",
            1.0,
            measure="peak_rss",
            tolerance=config.memory_tolerance,
        ),
    ]
    environment = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "epaper": first_line([epaper, "--version"]),
        "pandoc": first_line([pandoc, "--version"]) if pandoc else None,
        "weasyprint": first_line([*weasyprint, "--version"]) if weasyprint else None,
        "commit": _commit(),
        "measure_floor_rss_bytes": _measure_floor(work, runner.env),
    }
    return figures, [t.evaluate(figures) for t in targets], environment


def _measure_floor(work: Path, env: dict[str, str]) -> int | None:
    """The peak memory `measure.py` reports for a command that does nothing: no figure can read lower."""
    true = shutil.which("true")
    if true is None:
        return None
    try:
        sample, _code = spawn([true], work, work / "true.stdout", work / "true.stderr", env)
    except OSError:
        return None
    return sample.max_rss


def _commit() -> str | None:
    git = shutil.which("git")
    if git is None or not (HERE.parent / ".git").exists():
        return None
    line = first_line([git, "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"])
    return line if line and " " not in line else None


# -- reporting -------------------------------------------------------------------------------------------


def _seconds(values: Sequence[float]) -> str:
    return f"{statistics.median(values):8.3f} s  ({min(values):.3f}–{max(values):.3f})"


def _mib(values: Sequence[int]) -> str:
    return f"{statistics.median(values) / MIB:7.1f} MiB  ({min(values) / MIB:.1f}–{max(values) / MIB:.1f})"


def table(figures: dict[str, Figure], targets: list[dict[str, Any]], config: Config) -> str:
    width = max(len(f.label) for f in figures.values())
    lines = [
        f"{'figure':<{width}}  {'runs':>4}  {'wall time: median (min–max)':<30}  peak memory: median (min–max)",
        "-" * (width + 72),
    ]
    for fig in figures.values():
        if fig.ok:
            lines.append(f"{fig.label:<{width}}  {len(fig.samples):>4}  {_seconds(fig.times()):<30}  {_mib(fig.rss())}")
        else:
            why = f"ERROR: {fig.error}" if fig.error else f"skipped: {fig.skipped}"
            lines.append(f"{fig.label:<{width}}  {'-':>4}  {why}")
    twidth = max(len(t["target"]) for t in targets)
    lines += [
        "",
        f"{'target':<{twidth}}  {'figure / anchor (medians)':<34}  {'ratio':>7}  result",
        "-" * (twidth + 56),
    ]
    for t in targets:
        mine, theirs = figures[t["figure"]], figures[t["anchor"]]
        if "ratio" in t:
            if t["measure"] == "seconds":
                values = f"{statistics.median(mine.times()):.3f} s / {statistics.median(theirs.times()):.3f} s"
            else:
                values = f"{statistics.median(mine.rss()) / MIB:.1f} / {statistics.median(theirs.rss()) / MIB:.1f} MiB"
            lines.append(f"{t['target']:<{twidth}}  {values:<34}  {t['ratio']:6.2f}×  {t['result']}")
        else:
            lines.append(f"{t['target']:<{twidth}}  {'':<34}  {'':>7}  {t['result']} ({t['why']})")
    lines.append("")
    lines.append(
        f"(medians of the runs shown, after {config.warmup} warm-up run(s); memory target allows "
        f"{config.memory_tolerance:.0%} for allocator noise)"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark epaper against its floors and against pandoc/WeasyPrint.")
    parser.add_argument("--quick", action="store_true", help="a smoke run: small corpus, few runs (< 1 minute)")
    parser.add_argument("--runs", type=int, help="measured runs per figure (default 5; quick 3)")
    parser.add_argument("--issues", type=int, help="issues of 12×6 captures to import (default 40; quick 4)")
    parser.add_argument("--workdir", type=Path, help="where to write the corpus and archives (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to write the results (default {RESULTS})")
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    if args.runs is not None:
        runs = max(1, args.runs)
        config = dataclasses.replace(config, runs=runs, startup_runs=max(runs, config.startup_runs if runs > 1 else 1))
        config = dataclasses.replace(config, min_runs=min(config.min_runs, runs))
    if args.issues is not None:
        config = dataclasses.replace(config, issues=max(1, args.issues))

    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="epaper-bench-", dir=args.workdir))
    started = time.perf_counter()
    try:
        figures, targets, environment = benchmark(config, work)
    finally:
        if args.keep:
            note(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started
    print(table(figures, targets, config))
    results = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "config": dataclasses.asdict(config),
        "environment": environment,
        "elapsed_seconds": round(elapsed, 1),
        "figures": {key: fig.as_json() for key, fig in figures.items()},
        "targets": targets,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    note(f"{elapsed:.0f} s; results in {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
