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
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import corpus
from harness import (
    FLOOR_IMPORT,
    FLOOR_TYPER,
    FULL,
    HERE,
    MIB,
    QUICK,
    RESULTS,
    Config,
    Figure,
    Job,
    Runner,
    Target,
    expect_file,
    expect_lines,
    expect_text,
    find_tool,
    first_line,
    note,
    save_results,
    spawn,
    weasyprint_argv,
    work_folder,
)


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
            Job(  # for information: the import on one core, as the single-process floor runs
                figure("import_serial", f"epaper import --jobs 1 ({n_big} captures)"),
                lambda d: [epaper, "import", "--jobs", "1", "--archive", str(d / "archive"), str(big_dir)],
                expect_lines(n_big),
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
        # sub-second commands get as many runs as the start-up figures: their noise is a larger share of them
        quick = mine.figure.key != "pdf"
        runner.group([mine] if job is None else [mine, job], runs=config.startup_runs if quick else None)

    targets = [
        Target(f"import of {n_big} captures ≤ 1.3× floor", "import_big", "floor_import", 1.3),
        Target(
            f"(info) import of {n_big} captures on one core (--jobs 1) vs floor", "import_serial", "floor_import", None
        ),
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
            paired = "*" if t.get("paired") else " "
            lines.append(f"{t['target']:<{twidth}}  {values:<34}  {t['ratio']:6.2f}×{paired} {t['result']}")
        else:
            lines.append(f"{t['target']:<{twidth}}  {'':<34}  {'':>7}  {t['result']} ({t['why']})")
    lines.append("")
    lines.append(
        f"(medians of the runs shown, after {config.warmup} warm-up run(s); memory target allows "
        f"{config.memory_tolerance:.0%} for allocator noise)\n"
        "* the median of the ratios of runs made back to back: steadier than a ratio of medians on a busy machine"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark epaper against its floors and against pandoc/WeasyPrint.")
    parser.add_argument("--quick", action="store_true", help="a smoke run: small corpus, few runs (< 1 minute)")
    parser.add_argument("--runs", type=int, help="measured runs per figure (default 7; quick 3)")
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

    started = time.perf_counter()
    with work_folder(args.workdir, "epaper-bench-", args.keep) as work:
        figures, targets, environment = benchmark(config, work)
    elapsed = time.perf_counter() - started
    print(table(figures, targets, config))
    results = {
        "mode": "quick" if args.quick else "full",
        "config": dataclasses.asdict(config),
        "environment": environment,
        "figures": {key: fig.as_json() for key, fig in figures.items()},
        "targets": targets,
    }
    save_results(args.json, results, elapsed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
