"""Ids that read as numbers (`797444315142`, `4542286088e3`) are ids like any other, for every command taking ids.

About one id in two hundred is all digits or digits `e` digits; issue files keep such ids quoted, and whatever
finds articles by id must still compare them as text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.test_cli import CAPTURE, run

CAPTURES = 600
_NUMBER_LIKE = re.compile(r"[0-9]+(?:e[0-9]+)?")


def test_every_id_that_looks_like_a_number_is_found_by_every_command(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(CAPTURES):
        text = CAPTURE.replace("江畔春耕正当时", f"江畔春耕正当时 第{n}期").replace(
            "日期:03-14", f"日期:03-{n % 28 + 1:02d}"
        )
        (folder / f"{n:04d}.txt").write_text(text, encoding="utf-8")
    archive = str(tmp_path / "a")
    code, out, err = run("import", "--archive", archive, "--quiet", "--jobs", "1", str(folder))
    assert code == 0, err
    ids = [line.split("\t")[4] for line in out.splitlines()]
    numeric = [article_id for article_id in ids if _NUMBER_LIKE.fullmatch(article_id)]
    assert len(ids) == CAPTURES and len(numeric) >= 2, numeric
    for article_id in numeric:
        code, out, err = run("show", "--archive", archive, article_id, "--json")
        assert code == 0, err
        assert json.loads(out)[0]["id"] == article_id
        code, out, err = run("show", "--archive", archive, article_id[:6], "--json")
        assert code == 0 and json.loads(out)[0]["id"] == article_id, err
        code, out, err = run("cite", "--archive", archive, "--style", "csl-json", "-", input=article_id + "\n")
        assert code == 0, err
        assert article_id in out
