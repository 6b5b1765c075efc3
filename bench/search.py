"""Benchmark `epaper search` and the archive's index on a generated archive of 100,000 articles.

Run from the repository root, with the Python that has epaper installed (`pip install -e .`), in a git clone:

    python bench/search.py                    # 100,000 articles in 1,000 issues: about half an hour here
    python bench/search.py --articles 10000   # a quicker run on a tenth of it

The corpus is `corpus.make_issue`'s generated text (real-sized articles: 6–12 paragraphs of 60–200 characters,
with sub-headings and bylines), written as epaper's own plain-text layout, one file per issue of 10 pages × 10
articles, four papers in turn, with the half-width commas of real captures. Every figure is one whole command
under `bench/measure.py`, the figures compared run back to back in rounds (`harness.Runner`):

- a two-character search, warm, against `rg -l -F` over the archive (ripgrep skips the hidden index and raw
  folders, so it reads exactly the issue files): a name (rare) and a common word (found in most articles: epaper
  prints its best 20, as a person would ask);
- the same search right after a hand edit of one issue file (the edit is made untimed before each run) against
  the search with nothing changed;
- building the index from scratch (the index deleted untimed before each run; the search rebuilds it) against
  importing the same articles into an empty archive;
- that import against the import of the commit before the index (`--before REF`, extracted with `git archive`);
- the index's size against the issue files' size (printed below the table).

Results are printed as a table and written as JSON to `bench/results/search.json`.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import corpus
from harness import HERE, Config, Figure, Job, Runner, Target, find_tool, note, save_results
from run import table

ROOT = HERE.parent
RESULTS = HERE / "results" / "search.json"
BEFORE = "fbdb1d2"
"""The last commit of epaper without the index: its import is the anchor of 'import with the index'."""
PAPERS = ("清江日报", "江南晚报", "东港商报", "西山时报")
PAGES, PER_PAGE = 10, 10
COMMON = "发展"
LIGHT = Config(runs=7, startup_runs=7, warmup=1, issues=0, small=0, export_pages=0, export_per_page=0, budget=120.0)
HEAVY = dataclasses.replace(LIGHT, runs=3, warmup=0, budget=1200.0, min_runs=2)


def write_texts(folder: Path, articles: int) -> tuple[int, str]:
    """One text file per issue, in epaper's text layout with half-width commas; how many articles, and the
    rare term: the two first characters of the name most often in bylines (a surname and a given name)."""
    folder.mkdir(parents=True)
    rng = random.Random(corpus.SEED + 15)
    issues = max(1, articles // (PAGES * PER_PAGE))
    day = dt.date(2022, 1, 1)
    names: Counter[str] = Counter()
    for number in range(issues):
        paper = PAPERS[number % len(PAPERS)]
        if number and number % len(PAPERS) == 0:
            day += dt.timedelta(days=1)
        issue = corpus.make_issue(rng, day, PAGES, PER_PAGE, paper=paper)
        for page in issue.pages:
            for article in page.articles:
                names.update({word[:2] for word in article.byline.split()[1::2]})
        text = corpus.epaper_text(issue).replace("，", ",")
        (folder / f"{number:05d}.txt").write_text(text, encoding="utf-8")
    return issues * PAGES * PER_PAGE, names.most_common(1)[0][0]


def extract(ref: str, target: Path) -> Path | None:
    """The epaper code of a commit, to run its import as the anchor; None when git cannot give it."""
    target.mkdir(parents=True)
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", ref, "epaper_cli", "formats"], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return target


def epaper_argv(code: Path) -> list[str]:
    """Run the epaper whose code is in `code` (this checkout, or an extracted commit) with this Python."""
    boot = (
        f"import sys; sys.path.insert(0, {str(code)!r})\n"
        "try:\n    from epaper_cli.process import main  # the entry point of the installed command\n"
        "except ImportError:  # before it had a module of its own\n    from epaper_cli.cli import main\n"
        "main()"
    )
    return [sys.executable, "-c", boot]


def issue_bytes(archive: Path) -> int:
    return sum(path.stat().st_size for path in archive.glob("*/*/*.yaml"))


def index_bytes(archive: Path) -> int:
    """The index's size once its write-ahead log is checkpointed into it."""
    db = sqlite3.connect(archive / ".index.sqlite")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return sum(os.path.getsize(p) for p in archive.glob(".index.sqlite*"))


def benchmark(articles: int, runs: int | None, work: Path, before_ref: str) -> dict[str, Any]:
    rg = find_tool("rg")
    env = {k: v for k, v in os.environ.items() if k not in ("EPAPER_ARCHIVE", "EPAPER_DEBUG", "NO_COLOR")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    light = dataclasses.replace(LIGHT, runs=runs or LIGHT.runs)
    heavy = dataclasses.replace(HEAVY, runs=min(runs or HEAVY.runs, HEAVY.runs))
    note(f"writing {articles} articles in {work / 'texts'}")
    count, rare = write_texts(work / "texts", articles)
    epaper = epaper_argv(ROOT)
    archive = work / "archive"
    note("importing them (untimed): the archive the searches run on")
    started = time.perf_counter()
    command = [*epaper, "import", "-q", "--archive", str(archive), str(work / "texts")]
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    note(f"imported in {time.perf_counter() - started:.0f} s")
    found = {
        term: subprocess.run(
            [*epaper, "search", "--archive", str(archive), term, "--count"], capture_output=True, text=True, env=env
        ).stdout.strip()
        for term in (rare, COMMON)
    }
    note(f"articles found: {found}")
    figures: dict[str, Figure] = {}

    def figure(key: str, label: str) -> Figure:
        figures[key] = Figure(key, label)
        return figures[key]

    def search(term: str, *extra: str) -> list[str]:
        return [*epaper, "search", "--archive", str(archive), term, *extra]

    runner = Runner(work, light)
    runner.env = env
    jobs = []
    for key, term in (("rare", rare), ("common", COMMON)):
        jobs.append(Job(figure(f"search_{key}", f"epaper search {term} (warm)"), lambda _f, t=term: search(t), _ok))
        if rg is None:
            figure(f"rg_{key}", f"rg -l -F {term}").skipped = "ripgrep (rg) is not installed"
        else:
            rg_argv = [rg, "-l", "-F", term, str(archive)]
            jobs.append(Job(figure(f"rg_{key}", f"rg -l -F {term}"), lambda _f, a=rg_argv: a, _ok))
    runner.group(jobs)

    edited = sorted(archive.glob("*/*/*.yaml"))[len(PAPERS) * 3]
    state = {"n": 0}

    def edit_then_search(_folder: Path) -> list[str]:
        """A hand edit of one issue file (untimed): one sentence changed, the size kept or not, as people do."""
        state["n"] += 1
        text = edited.read_text("utf-8")
        edited.write_text(text.replace("满意率", f"满意度{state['n'] % 2}", 1), "utf-8")
        return search(rare)

    runner.group(
        [
            Job(figure("search_after_edit", f"epaper search {rare}, one issue edited by hand"), edit_then_search, _ok),
            Job(figure("search_unchanged", f"epaper search {rare}, nothing changed"), lambda _f: search(rare), _ok),
        ]
    )
    archive_size, index_size = issue_bytes(archive), index_bytes(archive)

    def rebuild(_folder: Path) -> list[str]:
        for path in archive.glob(".index.sqlite*"):
            path.unlink()
        return search(rare, "--count")

    before = extract(before_ref, work / "before")
    heavy_runner = Runner(work, heavy)
    heavy_runner.env = env
    texts = str(work / "texts")
    heavy_jobs = [
        Job(figure("build", "index built from scratch"), rebuild, _ok),
        Job(
            figure("import", f"epaper import of the {count} articles"),
            lambda f: [*epaper, "import", "-q", "--archive", str(f / "a"), texts],
            _ok,
        ),
    ]
    if before is None:
        figure("import_before", f"import before the index ({before_ref})").skipped = f"git cannot give {before_ref}"
    else:
        heavy_jobs.append(
            Job(
                figure("import_before", f"import before the index ({before_ref})"),
                lambda f: [*epaper_argv(before), "import", "-q", "--archive", str(f / "a"), texts],
                _ok,
            )
        )
    heavy_runner.group(heavy_jobs)

    targets = [
        Target(f"search {rare} ≤ 0.3× rg -l -F", "search_rare", "rg_rare", 0.3),
        Target(f"search {COMMON} (best 20) vs rg -l -F", "search_common", "rg_common", None),
        Target("search after a hand edit ≤ 2× unchanged", "search_after_edit", "search_unchanged", 2.0),
        Target("index build ≤ 1.5× import", "build", "import", 1.5),
        Target("import with the index ≤ 1.15× before", "import", "import_before", 1.15),
    ]
    return {
        "articles": count,
        "found": found,
        "figures": figures,
        "targets": [t.evaluate(figures) for t in targets],
        "config": light,
        "sizes": {"issue_files_bytes": archive_size, "index_bytes": index_size},
        "environment": {
            "python": sys.version.split()[0],
            "sqlite": sqlite3.sqlite_version,
            "cpus": os.cpu_count(),
            "before": before_ref,
            "rg": subprocess.run([rg, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
            if rg
            else None,
        },
    }


def _ok(_folder: Path, _out: str) -> str | None:
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark epaper search and its index.")
    parser.add_argument("--articles", type=int, default=100_000, help="articles to generate (default 100000)")
    parser.add_argument("--runs", type=int, help="measured runs per search figure (default 7; builds and imports 3)")
    parser.add_argument("--before", default=BEFORE, help=f"the commit whose import is the anchor (default {BEFORE})")
    parser.add_argument("--workdir", type=Path, help="where to write the corpus and archives (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to write the results (default {RESULTS})")
    args = parser.parse_args(argv)
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="epaper-search-", dir=args.workdir))
    started = time.perf_counter()
    try:
        result = benchmark(args.articles, args.runs, work, args.before)
    finally:
        if args.keep:
            note(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    figures, sizes = result["figures"], result["sizes"]
    terms = ", ".join(f"{term} in {n}" for term, n in result["found"].items())
    print(f"{result['articles']} articles (found: {terms}); sqlite {result['environment']['sqlite']}\n")
    print(table(figures, result["targets"], result["config"]))
    ratio = sizes["index_bytes"] / sizes["issue_files_bytes"]
    mib = 1024 * 1024
    print(
        f"\nindex size ≤ 4× the issue files: {sizes['index_bytes'] / mib:.0f} MiB / "
        f"{sizes['issue_files_bytes'] / mib:.0f} MiB = {ratio:.2f}× {'PASS' if ratio <= 4 else 'FAIL'}"
    )
    result["figures"] = {key: fig.as_json() for key, fig in figures.items()}
    result["config"] = dataclasses.asdict(result["config"])
    save_results(args.json, result, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
