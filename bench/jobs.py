"""The default `--jobs` against `--jobs 1`, with another process keeping one CPU busy and without it.

    python bench/jobs.py [--issues N] [--runs N] [--workdir DIR]

Imports the benchmark corpus (`--issues` × 72 captures, default 40: 2,880) into a fresh archive, the default and
`-j 1` run back to back (order alternating), `--runs` pairs per condition; the figure is the median of the pairs'
ratios. "busy" starts `python -c 'while 1: pass'` for the condition's duration; "as found" runs on the machine as
it is (on a shared machine that is not idle: the load average is printed with each condition).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from scale import epaper_command, measure  # noqa: E402


def pairs(epaper: str, captures: Path, work: Path, runs: int) -> list[tuple[float, float]]:
    """(default, -j 1) seconds per pair."""
    found: list[tuple[float, float]] = []
    for index in range(runs):
        got: dict[str, float] = {}
        for which in ("default", "one") if index % 2 else ("one", "default"):
            archive = work / "archive"
            shutil.rmtree(archive, ignore_errors=True)
            os.sync()
            argv = [epaper, "import", "-q", "--archive", str(archive), str(captures)]
            got[which] = measure(argv if which == "default" else [*argv, "--jobs", "1"], work)[0]
        found.append((got["default"], got["one"]))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="epaper-jobs-", dir=args.workdir))
    try:
        captures = work / "captures"
        count = len(corpus.write_captures(captures, corpus.make_issues(args.issues)))
        epaper = epaper_command()
        print(f"{count} captures, {args.runs} pairs per condition")
        for condition in ("as found", "busy"):
            spinner = subprocess.Popen([sys.executable, "-c", "while 1: pass"]) if condition == "busy" else None
            try:
                load = os.getloadavg()[0]
                found = pairs(epaper, captures, work, args.runs)
            finally:
                if spinner is not None:
                    spinner.kill()
                    spinner.wait()
            ratio = statistics.median(d / o for d, o in found)
            default = statistics.median(d for d, _o in found)
            one = statistics.median(o for _d, o in found)
            print(
                f"{condition:9} load {load:4.1f}: default {default:6.2f} s, -j 1 {one:6.2f} s, "
                f"default ÷ -j 1 = {ratio:.2f}× (median of pairs)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
