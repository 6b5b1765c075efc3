"""Benchmark volume exports: a month, a week and a year of a 16-page daily as one book, against pandoc and
WeasyPrint given the same text, and the peak memory of each format as the volume grows.

Run from the repository root, with the Python that has epaper installed (`pip install .`):

    python bench/volumes.py            # the full run: about half an hour (pandoc and WeasyPrint are slow here)
    python bench/volumes.py --quick    # a smoke run: 2-page issues, fewer runs, a few minutes

The corpus is a year of a generated 16-page daily (365 issues × 128 articles = 46,720 articles, see
`corpus.make_year`), imported once into an archive from epaper's own text layout (untimed). The month is June
(30 issues, 3,840 articles), the week 2 to 8 June (7 issues, 896 articles). pandoc gets the month as one
Markdown document (`#` issue, `##` page, `###` article) and WeasyPrint the week as one HTML document with a
running header naming the issue and page, page numbers and bookmarks: the same titles, bylines, paragraphs and
sub-headings. Every figure is one whole command under `bench/measure.py` (wall time and the command's own peak
memory), measured round-robin with its anchor, as `bench/run.py` does. Results are printed as a table and
written as JSON to `bench/results/volumes.json`.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import corpus
from harness import (
    HERE,
    Config,
    Figure,
    Job,
    Runner,
    Target,
    expect_file,
    find_tool,
    first_line,
    note,
    save_results,
    weasyprint_argv,
    work_folder,
)
from run import table

RESULTS = HERE / "results" / "volumes.json"
FULL = Config(
    runs=5, startup_runs=5, warmup=1, issues=0, small=0, export_pages=16, export_per_page=8, budget=300.0,
    memory_tolerance=0.0,
)  # fmt: skip
QUICK = dataclasses.replace(FULL, runs=3, startup_runs=3, export_pages=2, budget=30.0, min_runs=2)
MONTH = "2025-06"
WEEK = "2025-06-02..2025-06-08"
DAY = "2025-06-01"
YEAR = str(corpus.VOLUME_YEAR)


def build(work: Path, config: Config, epaper: str, env: dict[str, str]) -> tuple[Path, Path, Path, int, int]:
    """The year's archive, the month as Markdown and the week as HTML; and how many articles a month and a week
    hold."""
    texts = work / "year"
    texts.mkdir()
    june: list[corpus.Issue] = []
    note(f"writing a year of {config.export_pages}-page issues in {texts}")
    for issue in corpus.make_year(config.export_pages, config.export_per_page):
        (texts / f"{issue.date.isoformat()}.txt").write_text(corpus.epaper_text(issue), encoding="utf-8")
        if issue.date.month == 6:
            june.append(issue)
    week = [issue for issue in june if dt.date(2025, 6, 2) <= issue.date <= dt.date(2025, 6, 8)]
    markdown = work / "month.md"
    markdown.write_text(corpus.volume_markdown(june, f"{corpus.PAPER} {MONTH}"), encoding="utf-8")
    html = work / "week.html"
    html.write_text(corpus.volume_html(week, f"{corpus.PAPER} {WEEK}"), encoding="utf-8")
    note("importing the year (untimed)")
    archive = work / "archive"
    done = subprocess.run(
        [epaper, "import", "-q", "--archive", str(archive), str(texts)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench: importing the year failed: {done.stderr.strip()[-300:]}")
    shutil.rmtree(texts)
    month_articles = sum(issue.articles for issue in june)
    week_articles = sum(issue.articles for issue in week)
    return archive, markdown, html, month_articles, week_articles


def benchmark(config: Config, work: Path) -> tuple[dict[str, Figure], list[dict[str, Any]], dict[str, Any]]:
    epaper = find_tool("epaper")
    if epaper is None:
        raise SystemExit("bench: no `epaper` command next to this Python or on PATH: run `pip install .` first")
    pandoc = find_tool("pandoc")
    weasyprint = weasyprint_argv()
    runner = Runner(work, config)
    archive, markdown, html, n_month, n_week = build(work, config, epaper, runner.env)
    figures: dict[str, Figure] = {}

    def figure(key: str, label: str) -> Figure:
        figures[key] = Figure(key, label)
        return figures[key]

    def export(key: str, label: str, fmt: str, spec: str) -> Job:
        def argv(folder: Path) -> list[str]:
            return [
                epaper,
                "export",
                f"--{fmt}",
                "--archive",
                str(archive),
                "--date",
                spec,
                "-o",
                str(folder / f"out.{fmt}"),
            ]

        return Job(figure(key, label), argv, expect_file(f"out.{fmt}"))

    def anchor(key: str, label: str, argv: Callable[[Path], list[str]] | None, out: str, why: str) -> Job | None:
        fig = figure(key, label)
        if argv is None:
            fig.skipped = why
            note(f"{label}: skipped, {why}")
            return None
        return Job(fig, argv, expect_file(out))

    pandoc_epub = anchor(
        "pandoc_epub",
        f"pandoc md→epub, a month ({n_month} articles)",
        (lambda d: [pandoc, str(markdown), "-o", str(d / "out.epub")]) if pandoc else None,
        "out.epub",
        "pandoc not found",
    )
    pandoc_txt = anchor(
        "pandoc_txt",
        f"pandoc md→plain, a month ({n_month} articles)",
        (lambda d: [pandoc, str(markdown), "-t", "plain", "-o", str(d / "out.txt")]) if pandoc else None,
        "out.txt",
        "pandoc not found",
    )
    weasy = anchor(
        "weasyprint",
        f"weasyprint html→pdf, a week ({n_week} articles)",
        (lambda d: [*weasyprint, str(html), str(d / "out.pdf")]) if weasyprint else None,
        "out.pdf",
        "WeasyPrint not found (pip install weasyprint)",
    )
    groups: list[tuple[list[Job | None], int | None]] = [
        (
            [export("epub_month", f"epaper export --epub, a month ({n_month} articles)", "epub", MONTH), pandoc_epub],
            None,
        ),
        (
            [
                export("txt_month", f"epaper export --txt, a month ({n_month} articles)", "txt", MONTH),
                export("jsonl_month", f"epaper export --jsonl, a month ({n_month} articles)", "jsonl", MONTH),
                pandoc_txt,
            ],
            None,
        ),
        ([export("pdf_week", f"epaper export --pdf, a week ({n_week} articles)", "pdf", WEEK), weasy], None),
        (
            [
                export("txt_year", "epaper export --txt, a year", "txt", YEAR),
                export("jsonl_year", "epaper export --jsonl, a year", "jsonl", YEAR),
                export("epub_day", "epaper export --epub, one issue", "epub", DAY),
                export("pdf_day", "epaper export --pdf, one issue", "pdf", DAY),
                export("pdf_month", f"epaper export --pdf, a month ({n_month} articles)", "pdf", MONTH),
            ],
            config.min_runs,
        ),
    ]
    for jobs, runs in groups:
        runner.group([job for job in jobs if job is not None], runs=runs)

    memory = {"measure": "peak_rss"}
    targets = [
        Target("month EPUB ≤ 0.5× pandoc", "epub_month", "pandoc_epub", 0.5),
        Target("week PDF ≤ 0.15× WeasyPrint", "pdf_week", "weasyprint", 0.15),
        Target("month text ≤ 0.5× pandoc", "txt_month", "pandoc_txt", 0.5),
        Target("month JSONL ≤ 0.5× pandoc", "jsonl_month", "pandoc_txt", 0.5),
        Target("peak memory: text of a year ≤ 1.1× a month", "txt_year", "txt_month", 1.1, **memory),
        Target("peak memory: JSONL of a year ≤ 1.1× a month", "jsonl_year", "jsonl_month", 1.1, **memory),
        Target("peak memory: EPUB of a month ≤ 4× one issue", "epub_month", "epub_day", 4.0, **memory),
        Target("peak memory: PDF of a month ≤ 4× one issue", "pdf_month", "pdf_day", 4.0, **memory),
    ]
    environment = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "epaper": first_line([epaper, "--version"]),
        "pandoc": first_line([pandoc, "--version"]) if pandoc else None,
        "weasyprint": first_line([*weasyprint, "--version"]) if weasyprint else None,
    }
    return figures, [t.evaluate(figures) for t in targets], environment


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark volume exports against pandoc and WeasyPrint.")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2-page issues, fewer runs")
    parser.add_argument("--runs", type=int, help="measured runs per timed figure (default 5; quick 3)")
    parser.add_argument("--workdir", type=Path, help="where to write the corpus and archive (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to write the results (default {RESULTS})")
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    if args.runs is not None:
        runs = max(1, args.runs)
        config = dataclasses.replace(config, runs=runs, min_runs=min(config.min_runs, runs))
    started = time.perf_counter()
    with work_folder(args.workdir, "epaper-volumes-", args.keep) as work:
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
    sys.exit(main())
