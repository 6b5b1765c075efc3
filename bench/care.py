"""Benchmark taking care of the archive: `epaper rebuild` against `epaper import`, and `epaper report` against
reading every issue file once.

Run from the repository root, with the Python that has epaper installed:

    python bench/care.py               # 2,880 captures (40 issues × 12 pages × 6) and a 100,000-article archive
    python bench/care.py --quick       # 288 captures and 10,000 articles

- **rebuild / import**: the bench corpus (`corpus.write_captures`) imported into a fresh archive, against
  `epaper rebuild` of that archive, which has nothing to change (every capture read again, every issue
  compared, nothing written). Target: rebuild ≤ 1.3 × import.
- **report / read once**: an archive of 100,000 articles (782 issues of a 16-page daily, 8 articles a page,
  with missing days, missing pages, empty and cut-off articles), written straight from the generator (untimed);
  `epaper report` over all of it, against the anchor: a Python process that reads every issue file's bytes
  once. Target: report ≤ 2 s.

Each figure is the median of several runs of the whole command (a subprocess), measured round-robin with the
one it is compared to, after `os.sync()` and one warm-up run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from epaper_cli import schema
from epaper_cli.archive import Archive
from epaper_cli.model import Article, Heading, Issue, Page, Text, article_id

READ_ONCE = (
    "import os, sys\n"
    "for d, _s, fs in os.walk(sys.argv[1]):\n"
    "    for f in fs:\n"
    "        open(os.path.join(d, f), 'rb').read()\n"
)


def epaper_command() -> str:
    """The `epaper` next to this Python, else the one on PATH."""
    here = Path(sys.executable).parent / "epaper"
    return str(here) if here.exists() else shutil.which("epaper") or "epaper"


def timed(argv: list[str], cwd: Path, before: list[str] | None = None) -> float:
    """Seconds one whole command takes (`before` runs first, untimed)."""
    if before:
        subprocess.run(before, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.sync()
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def compare(name: str, mine: list[str], anchor: list[str], cwd: Path, runs: int, reset: list[str] | None) -> None:
    """Median seconds of a command and of its anchor, measured round-robin, and their ratio."""
    timed(mine, cwd, reset)
    timed(anchor, cwd, reset)
    mine_s, anchor_s = [], []
    for _ in range(runs):
        anchor_s.append(timed(anchor, cwd, reset))
        mine_s.append(timed(mine, cwd, None))
    a, m = statistics.median(anchor_s), statistics.median(mine_s)
    print(f"{name}\t{m:.2f} s (min {min(mine_s):.2f}, max {max(mine_s):.2f})\tanchor {a:.2f} s\tratio {m / a:.2f}×")


def big_archive(root: Path, articles: int) -> None:
    """A 16-page daily of `articles` articles, with some days, pages and texts missing, written directly."""
    import random

    rng = random.Random(corpus.SEED + 16)
    store = Archive(root)
    day = dt.date(2023, 1, 1)
    written = 0
    number = 0
    while written < articles:
        made = corpus.make_issue(rng, day, pages=16, per_page=8)
        number += 1
        day += dt.timedelta(days=1)
        if number % 37 == 0:
            continue  # a missing day
        pages = []
        for page in made.pages:
            if number % 11 == 0 and page.number == 7:
                continue  # a missing page
            items = []
            for index, article in enumerate(page.articles):
                body: list[Text | Heading] = [
                    Heading(text) if kind == "heading" else Text(text) for kind, text in article.blocks
                ]
                if number % 13 == 0 and index == 0:
                    body = []  # an empty article
                elif number % 17 == 0 and index == 1:
                    body[-1] = Text(body[-1].text.rstrip("。") + "并将在")  # cut off
                label = f"{page.number:02d}"
                items.append(
                    Article(
                        title=article.title,
                        id=article_id(made.paper, made.date, label, article.title, body),
                        byline=article.byline,
                        body=body,
                    )
                )
            pages.append(Page(f"{page.number:02d}", page.section, items))
            written += len(items)
        issue = Issue(made.paper, made.date, pages)
        path = store.issue_path(issue.paper, issue.date)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            schema.dump_to(issue, handle)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small corpus and archive, fewer runs")
    parser.add_argument("--runs", type=int, default=None, help="measured runs per figure (default 5; 3 quick)")
    parser.add_argument("--workdir", type=Path, default=None, help="where the corpus and archives go")
    parser.add_argument("--only", choices=("rebuild", "report"), default=None, help="one of the two figures")
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 5)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="epaper-care-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    epaper = epaper_command()
    if args.only in (None, "rebuild"):
        issues = 4 if args.quick else 40
        if not (work / "corpus").exists():
            corpus.write_captures(work / "corpus", corpus.make_issues(issues))
        reset = [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", "imported"]
        imported = [epaper, "import", "-q", "--archive", "imported", "corpus"]
        subprocess.run(imported, cwd=work, check=True, stdout=subprocess.DEVNULL)
        shutil.copytree(work / "imported", work / "kept", dirs_exist_ok=True)
        rebuild = [epaper, "rebuild", "-q", "--archive", "kept"]
        compare(f"rebuild of {issues * 72} captures vs import", rebuild, imported, work, runs, reset)
    if args.only in (None, "report"):
        articles = 10_000 if args.quick else 100_000
        big = work / f"big-{articles}"
        if not big.exists():
            big_archive(big, articles)
        report = [epaper, "report", "--archive", str(big)]
        read_once = [sys.executable, "-c", READ_ONCE, str(big)]
        compare(
            f"report over {articles:,} articles vs reading every issue file once", report, read_once, work, runs, None
        )
    print(f"(work folder: {work})", file=sys.stderr)


if __name__ == "__main__":
    main()
