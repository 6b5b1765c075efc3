"""The corpus import against the durable floor, and against an earlier epaper, in the same rounds.

    python bench/compare.py [--before SRC] [--issues N] [--runs N]

Each round imports the benchmark corpus (`--issues` × 72 captures, default 40: 2,880) into fresh archives with
`bench/floor_import.py` (read, parse, C-YAML dump, sync; once with the raw captures in a pack as the archive keeps
them, once in a file each as the archive kept them before), `epaper import` (default jobs) and `epaper import -j 1`;
with `--before SRC` (a source tree of an earlier epaper, e.g. from `git archive`) the same two imports run with
that tree first on PYTHONPATH. The order rotates from round to round. Each ratio is the median over the rounds of
the run's time over the floor's time in the same round.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from scale import epaper_command, measure  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="source tree of an earlier epaper")
    parser.add_argument("--issues", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="epaper-compare-", dir=args.workdir))
    epaper = epaper_command()
    try:
        captures = work / "captures"
        count = len(corpus.write_captures(captures, corpus.make_issues(args.issues)))
        archive = str(work / "archive")
        commands: dict[str, tuple[list[str], str | None]] = {
            "floor": ([sys.executable, str(HERE / "floor_import.py"), "--archive", archive, str(captures)], None),
            "floor, files": (
                [
                    sys.executable,
                    str(HERE / "floor_import.py"),
                    "--layout",
                    "files",
                    "--archive",
                    archive,
                    str(captures),
                ],
                None,
            ),
            "epaper": ([epaper, "import", "-q", "--archive", archive, str(captures)], None),
            "epaper -j 1": ([epaper, "import", "-q", "-j", "1", "--archive", archive, str(captures)], None),
        }
        if args.before is not None:
            before = str(args.before.resolve())
            commands["before"] = (commands["epaper"][0], before)
            commands["before -j 1"] = (commands["epaper -j 1"][0], before)
        times: dict[str, list[float]] = {key: [] for key in commands}
        load = [os.getloadavg()[0]]
        keys = list(commands)
        for index in range(args.runs):
            for key in keys[index % len(keys) :] + keys[: index % len(keys)]:
                command, path = commands[key]
                shutil.rmtree(archive, ignore_errors=True)
                os.sync()
                if path is not None:
                    os.environ["PYTHONPATH"] = path
                try:
                    seconds, _rss, code = measure(command, work)
                finally:
                    os.environ.pop("PYTHONPATH", None)
                if code != 0:
                    raise SystemExit(f"{key}: exit status {code}")
                times[key].append(seconds)
        load.append(os.getloadavg()[0])
        print(f"{count} captures, {args.runs} rounds, load average {load[0]:.1f} → {load[1]:.1f}")
        for key in keys:
            ratio = statistics.median(t / f for t, f in zip(times[key], times["floor"], strict=True))
            files = statistics.median(t / f for t, f in zip(times[key], times["floor, files"], strict=True))
            seconds = statistics.median(times[key])
            print(f"{key:12} {seconds:6.2f} s   {ratio:.2f}× the floor   {files:.2f}× the floor, files")
        if args.before is not None:
            for new, old in (("epaper", "before"), ("epaper -j 1", "before -j 1")):
                ratio = statistics.median(n / o for n, o in zip(times[new], times[old], strict=True))
                print(f"{new} ÷ {old}: {ratio:.2f}×")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
