"""Half-width → full-width punctuation: the quick pass against the mark-by-mark definition, on corpus paragraphs.

    python bench/punctuation.py [--captures N] [--rounds N] [--capture FILE]

Both run over the paragraphs of the benchmark corpus's captures (half-width `, ; : ( )` as real captures have
them), a capture at a time as the reader does (the definition line by line, the quick pass over the lines at once),
round after round, alternating which goes first; the figure is the median time per capture body and the median
of the per-round ratios. The definition is the one `tests/test_punctuation.py` checks the quick pass against.
`--capture FILE` times the body of one real capture instead (its lines after the 版面 line, cleaned as the
reader cleans them), repeated `--captures` times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from epaper_cli.formats.punctuation import fullwidth_lines
from epaper_cli.formats.spacing import clean_lines
from tests.test_punctuation import _reference


def _line_by_line(lines: list[str]) -> list[str]:
    return [_reference(line) for line in lines]


def _time(function: Callable[[list[str]], list[str]], bodies: list[list[str]]) -> float:
    start = time.perf_counter()
    for lines in bodies:
        function(lines)
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=720, help="capture bodies to convert (default 720)")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--capture", type=Path, help="a real capture to time instead of the corpus")
    args = parser.parse_args(argv)
    if args.capture is not None:
        text = args.capture.read_bytes().decode("utf-8-sig")
        body = text[text.index("版面") :].split("\n", 1)[1]
        bodies = [body] * args.captures
    else:
        issues = corpus.make_issues(-(-args.captures // 72))
        bodies = [text.split("\n", 12)[-1] for issue in issues for _name, text in corpus.iter_captures(issue)]
        bodies = bodies[: args.captures]
    paragraphs = [[line for line in clean_lines(body) if line] for body in bodies]
    assert all(fullwidth_lines(lines) == _line_by_line(lines) for lines in paragraphs)
    quick: list[float] = []
    reference: list[float] = []
    for round_ in range(args.rounds):
        pair = [(quick, fullwidth_lines), (reference, _line_by_line)]
        for store, function in pair if round_ % 2 else reversed(pair):
            store.append(_time(function, paragraphs) / len(bodies))
    ratios = [q / r for q, r in zip(quick, reference, strict=True)]
    count = sum(map(len, paragraphs))
    print(f"{len(bodies)} capture bodies, {count} paragraphs, {args.rounds} rounds")
    print(f"reference  {statistics.median(reference) * 1e3:.4f} ms per body")
    print(f"quick      {statistics.median(quick) * 1e3:.4f} ms per body")
    print(f"ratio      {statistics.median(ratios):.3f}× (median of per-round ratios)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
