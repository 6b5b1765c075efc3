"""English issues exported as English readers expect: no Chinese paragraph indent, no byline said twice, counts
in the singular when there is one, and a PDF front page that lists the articles as the EPUB's does."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import SAMPLES, require_tool
from tests.test_cli import run

ENGLISH = SAMPLES / "harbor-city-times-2025-11-03-a05-english.txt"
PAPER = "Harbor City Times"


@pytest.fixture
def archive(tmp_path: Path) -> str:
    root = str(tmp_path / "a")
    code, _out, err = run("import", "--archive", root, str(ENGLISH))
    assert code == 0, err
    return root


def test_the_text_export_of_an_english_issue_reads_as_english_and_imports_back(archive: str, tmp_path: Path) -> None:
    code, out, err = run("export", "--archive", archive, "--txt", "-o", "-")
    assert code == 0, err
    assert "\u3000" not in out
    assert "[Byline] By Jane Doe and Tom Lee\n" in out and "[Author]" not in out
    assert "\nThe Riverside Library reopened on Sunday" in out
    exported = tmp_path / "export.txt"
    exported.write_text(out, encoding="utf-8")
    code, out, err = run("import", "--archive", archive, str(exported))
    assert code == 0 and out.startswith("replaced\t"), err  # only the source differs
    assert out.rstrip("\n").split("\t")[6] == "source"


def test_the_pdf_of_an_english_issue_lists_its_articles_and_counts_in_the_singular(
    archive: str, tmp_path: Path
) -> None:
    pdftotext, pdfinfo = require_tool("pdftotext"), require_tool("pdfinfo")
    pdf = tmp_path / "hct.pdf"
    code, _out, err = run("export", "--archive", archive, "--pdf", "-o", str(pdf))
    assert code == 0, err
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Subject:         Harbor City Times 2025-11-03: 1 article\n" in info
    front = subprocess.run([pdftotext, "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "1 page · 1 article" in front
    assert "Page A05: Metro" in front and "Riverside Library Opens Its Doors After Renovation" in front
