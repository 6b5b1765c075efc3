"""Any bytes given to the importer end in issues or the project's own error, never another exception.

The suite runs a few hundred examples per property; for a long run:
    EPAPER_FUZZ_EXAMPLES=10000 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from epaper_cli.errors import EpaperError
from epaper_cli.model import Issue
from formats import ReadOptions, read_bytes
from tests.helpers import SAMPLES

EXAMPLES = int(os.environ.get("EPAPER_FUZZ_EXAMPLES", "300"))
SAMPLE_BYTES = [path.read_bytes() for path in sorted(SAMPLES.glob("*.txt"))]
OPTIONS = st.builds(
    ReadOptions,
    paper=st.none() | st.text(max_size=5),
    year=st.none() | st.integers(1, 9999),
    encoding=st.none() | st.sampled_from(["utf-8", "gb18030", "utf-16", "latin-1", "no-such-codec"]),
    keep_punctuation=st.booleans(),
)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def import_or_refuse(data: bytes, options: ReadOptions) -> None:
    """The property: a list of well-formed issues, or an EpaperError."""
    try:
        issues = read_bytes(data, "fuzz.txt", options)
    except EpaperError as error:
        assert error.what and error.why and "\n" not in error.why
        return
    for issue in issues:
        assert isinstance(issue, Issue) and issue.paper
        for page, article in issue.articles():
            assert page.label and article.title and article.id
            assert article.source is not None and len(article.source.sha256) == 64


@FUZZ
@given(st.binary(max_size=2000), OPTIONS)
def test_random_bytes(data: bytes, options: ReadOptions) -> None:
    import_or_refuse(data, options)


@FUZZ
@given(st.data(), OPTIONS)
def test_mutated_sample_bytes(data: st.DataObject, options: ReadOptions) -> None:
    raw = bytearray(data.draw(st.sampled_from(SAMPLE_BYTES)))
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, max(0, len(raw) - 1)))
        action = data.draw(st.sampled_from(["flip", "delete", "insert", "truncate", "duplicate"]))
        if action == "flip" and raw:
            raw[position] ^= 1 << data.draw(st.integers(0, 7))
        elif action == "delete":
            del raw[position : position + data.draw(st.integers(1, 40))]
        elif action == "insert":
            raw[position:position] = data.draw(st.binary(min_size=1, max_size=20))
        elif action == "truncate":
            del raw[position:]
        else:
            raw[position:position] = raw[position : position + data.draw(st.integers(1, 200))]
    import_or_refuse(bytes(raw), options)


@FUZZ
@given(st.data(), OPTIONS)
def test_mutated_sample_text(data: st.DataObject, options: ReadOptions) -> None:
    raw = data.draw(st.sampled_from(SAMPLE_BYTES))
    text = raw.decode("utf-8", "replace")
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 6))):
        index = data.draw(st.integers(0, len(lines) - 1))
        lines[index] = data.draw(st.sampled_from(["", "---", "日期:02-30", "版面:", "当前报纸名称:", lines[-1]]))
    import_or_refuse("\n".join(lines).encode("utf-8"), options)
