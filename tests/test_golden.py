"""Golden tests: every sample capture in samples/ imports to exactly the YAML beside it (a sample named
`…-cp1252.txt` with `--encoding cp1252`).

Run `pytest tests/test_golden.py --update-goldens` to rewrite the goldens, then review them with `git diff`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from epaper_cli import fixity
from epaper_cli.archive import Archive
from epaper_cli.formats import ReadOptions
from epaper_cli.importing import run_import
from tests.helpers import SAMPLES, sample_encoding

CAPTURES = sorted(SAMPLES.glob("*.txt"))


def imported_yaml(capture: Path, archive_root: Path) -> str:
    """Import one capture into an empty archive; return every issue file it made, one YAML document each."""
    archive = Archive(archive_root)
    report = run_import(archive, [str(capture)], ReadOptions(encoding=sample_encoding(capture)))
    assert not report.failures, report.failures
    documents = []
    for path in archive.all_issue_files():
        data = path.read_bytes()
        assert fixity.problem(data) is None  # sealed with its digest line, which the goldens leave out
        documents.append(fixity.split(data)[0].decode("utf-8"))
    return "---\n".join(documents)


def test_there_are_enough_samples() -> None:
    assert len(CAPTURES) >= 6


@pytest.mark.parametrize("capture", CAPTURES, ids=[p.stem for p in CAPTURES])
def test_sample_imports_to_its_golden(capture: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    golden = capture.with_suffix(".yaml")
    actual = imported_yaml(capture, tmp_path)
    if request.config.getoption("--update-goldens"):
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden for {capture.name}: run pytest --update-goldens and review it"
    assert actual == golden.read_text(encoding="utf-8")
