"""`epaper cite` on a real archive: the seed in every style, ids from pipes, the registry's values, errors."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import rispy
from typer.testing import CliRunner

from epaper_cli.cli import app
from epaper_cli.formats.citation import STYLES
from tests.helpers import ROOT, require_seed, require_tool
from tests.test_citation import pandoc_csl
from tests.test_cli import run
from tests.test_registry import capture, write_registry

SEED_GBT = "[1] 毛慧娟, 徐晓莹, 姜丰. 杭衢人力的双向奔赴[N]. 衢州日报, 2025-08-26(3).\n"
"""The SPEC's own example: the seed's article in GB/T 7714-2015."""

ENGLISH = """---
paper: The Harbour Times
date: 2025-03-14
page: A3
section: Business
title: Harbour cranes return
byline: By Jane Doe, John Smith, Ann Lee and Bo Chen
---
The cranes came back to the harbour on Monday, and the dock workers cheered them in.
"""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An archive holding the real capture; and its article's id."""
    seed = require_seed()
    root = tmp_path_factory.mktemp("seeded") / "archive"
    code, out, err = run("import", "--archive", str(root), str(seed))
    assert code == 0, err
    return root, out.split("\t")[4]


@pytest.fixture
def archive(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """An archive with a four-author article, one without a byline, and an English one: their ids by title."""
    root = tmp_path / "a"
    inputs = {
        "four.txt": capture("清溪晚报", "江畔春耕正当时", "记者 林小溪 王二 通讯员 周远 欧阳修文"),
        "none.txt": capture("清溪晚报", "小巷书店的新主人").replace("byline: 记者 林小溪 通讯员 周远\n", ""),
        "english.txt": ENGLISH,
    }
    for name, text in inputs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, err = run("import", "--archive", str(root), *(str(tmp_path / name) for name in inputs))
    assert code == 0, err
    return root, {line.split("\t")[5]: line.split("\t")[4] for line in out.splitlines()}


# -- the seed ------------------------------------------------------------------------------------------


def test_the_seed_in_gbt7714_is_exactly_the_specs_example(seeded: tuple[Path, str]) -> None:
    root, article = seeded
    assert run("cite", "--archive", str(root), article) == (0, SEED_GBT, "")
    assert run("cite", "--archive", str(root), article[:6], "--style", "gbt7714")[1] == SEED_GBT


def test_the_seed_in_csl_json_is_read_by_pandoc_and_rendered_by_citeproc(
    seeded: tuple[Path, str], tmp_path: Path
) -> None:
    root, article = seeded
    code, out, _err = run("cite", "--archive", str(root), article, "--style", "csl-json")
    assert code == 0
    item = json.loads(out)[0]
    assert item["author"] == [{"literal": "毛慧娟"}, {"literal": "徐晓莹"}, {"literal": "姜丰"}]
    assert (item["id"], item["page"], item["section"], item["container-title"]) == (article, "3", "民生", "衢州日报")
    assert pandoc_csl(out, "csljson") == json.loads(out)
    bibliography = tmp_path / "refs.json"
    bibliography.write_text(out, encoding="utf-8")
    rendered = citeproc(bibliography, f"见[@{article}]。")
    assert "杭衢人力的双向奔赴" in rendered and "衢州日报" in rendered and "毛慧娟" in rendered
    assert "(毛慧娟, 徐晓莹, and 姜丰 2025)" in rendered.replace("\n", " ")  # whole names, not 毛


def citeproc(bibliography: Path, text: str) -> str:
    """pandoc --citeproc's rendering of a paragraph citing from a bibliography, as plain text."""
    pandoc = require_tool("pandoc")
    done = subprocess.run(
        [pandoc, "--citeproc", "--bibliography", str(bibliography), "-t", "plain", "--wrap=none"],
        input=text.encode(),
        capture_output=True,
    )
    assert done.returncode == 0 and not done.stderr, done.stderr.decode()
    return done.stdout.decode()


def test_the_seed_in_ris_is_read_by_rispy(seeded: tuple[Path, str]) -> None:
    root, article = seeded
    code, out, _err = run("cite", "--archive", str(root), article, "--style", "ris")
    assert code == 0
    [record] = rispy.loads(out)
    assert record["type_of_reference"] == "NEWS"
    assert record["authors"] == ["毛慧娟", "徐晓莹", "姜丰"]
    assert (record["title"], record["secondary_title"]) == ("杭衢人力的双向奔赴", "衢州日报")
    assert (record["date"], record["year"], record["start_page"], record["section"]) == (
        "2025/08/26/",
        "2025",
        "3",
        "民生",
    )


def test_the_seed_in_biblatex_is_read_by_pandoc_and_rendered_by_citeproc(
    seeded: tuple[Path, str], tmp_path: Path
) -> None:
    root, article = seeded
    code, out, _err = run("cite", "--archive", str(root), article, "--style", "bibtex")
    assert code == 0 and out.startswith(f"@article{{{article},\n  entrysubtype = {{newspaper}},")
    [item] = pandoc_csl(out, "biblatex")
    assert (item["type"], item["title"], item["container-title"]) == (
        "article-newspaper",
        "杭衢人力的双向奔赴",
        "衢州日报",
    )
    assert item["issued"] == {"date-parts": [[2025, 8, 26]]} and item["page"] == "3"
    bibliography = tmp_path / "refs.bib"
    bibliography.write_text(out, encoding="utf-8")
    rendered = citeproc(bibliography, f"[@{article}]")
    assert "杭衢人力的双向奔赴" in rendered and "衢州日报" in rendered


def test_the_registry_adds_place_publisher_and_issn_to_the_seeds_reference(seeded: tuple[Path, str]) -> None:
    root, article = seeded
    path = write_registry(
        root, "papers:\n  衢州日报:\n    place: 衢州\n    publisher: 衢州日报社\n    issn: 1234-5679\n"
    )
    try:
        [record] = rispy.loads(run("cite", "--archive", str(root), article, "--style", "ris")[1])
        assert (record["place_published"], record["publisher"], record["issn"]) == ("衢州", "衢州日报社", "1234-5679")
        item = json.loads(run("cite", "--archive", str(root), article, "--style", "csl-json")[1])[0]
        assert (item["publisher-place"], item["ISSN"]) == ("衢州", "1234-5679")
        assert "location = {衢州}" in run("cite", "--archive", str(root), article, "--style", "bibtex")[1]
        assert run("cite", "--archive", str(root), article)[1] == SEED_GBT
    finally:
        path.unlink()


# -- the other articles --------------------------------------------------------------------------------


def test_four_authors_no_byline_and_english_in_the_order_given(archive: tuple[Path, dict[str, str]]) -> None:
    root, ids = archive
    order = [ids["Harbour cranes return"], ids["江畔春耕正当时"], ids["小巷书店的新主人"]]
    code, out, err = run("cite", "--archive", str(root), *order)
    assert code == 0, err
    assert out.splitlines() == [
        "[1] Jane Doe, John Smith, Ann Lee, et al. Harbour cranes return[N]. The Harbour Times, 2025-03-14(A3).",
        "[2] 林小溪, 王二, 周远, 等. 江畔春耕正当时[N]. 清溪晚报, 2025-03-14(3).",
        "[3] 小巷书店的新主人[N]. 清溪晚报, 2025-03-14(3).",
    ]


def test_ids_come_from_standard_input_through_a_pipe(archive: tuple[Path, dict[str, str]]) -> None:
    root, ids = archive
    listed = json.loads(run("list", "--archive", str(root), "--paper", "清溪晚报", "--date", "2025-03-14", "--json")[1])
    piped = "".join(f"{article['id']}\n" for article in listed)
    code, out, err = run("cite", "--archive", str(root), "-", "--style", "ris", input=piped + "\n")
    assert code == 0, err
    assert [record["title"] for record in rispy.loads(out)] == ["江畔春耕正当时", "小巷书店的新主人"]
    code, out, _err = run("cite", "--archive", str(root), ids["Harbour cranes return"], "-", input=piped)
    assert [line[:4] for line in out.splitlines()] == ["[1] ", "[2] ", "[3] "]


def test_every_style_reads_back_the_three_articles(archive: tuple[Path, dict[str, str]]) -> None:
    root, ids = archive
    keys = sorted(ids.values())
    outputs = {style: run("cite", "--archive", str(root), *keys, "--style", style)[1] for style in STYLES}
    assert len(outputs["gbt7714"].splitlines()) == 3
    assert sorted(item["id"] for item in pandoc_csl(outputs["csl-json"], "csljson")) == keys
    assert sorted(item["id"] for item in pandoc_csl(outputs["bibtex"], "biblatex")) == keys
    assert sorted(record["id"] for record in rispy.loads(outputs["ris"])) == keys


def test_an_article_named_twice_is_cited_once(archive: tuple[Path, dict[str, str]]) -> None:
    root, ids = archive
    full = ids["江畔春耕正当时"]
    out = run("cite", "--archive", str(root), full, full[:6], full[:8])[1]
    assert out.count("\n") == 1


# -- errors --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["cite", "abcdef", "--style", "apa"], 2, "epaper: --style: unknown style 'apa' (choose gbt7714, csl-json"),
        (["cite", "abc"], 2, "epaper: abc: not an article id"),
        (["cite", "ffffff"], 1, "epaper: ffffff: no article with this id in the archive"),
    ],
)
def test_cite_errors_are_one_line_with_the_reason(
    archive: tuple[Path, dict[str, str]], args: list[str], code: int, message: str
) -> None:
    result = run(*args, "--archive", str(archive[0]))
    assert (result[0], result[1]) == (code, "")
    assert result[2].startswith(message) and result[2].count("\n") == 1


def test_registry_problems_leave_their_fields_out_with_a_note(archive: tuple[Path, dict[str, str]]) -> None:
    root, ids = archive
    write_registry(root, "papers:\n  清溪晚报:\n    place: 清溪\n    issn: 1234-5678\n")
    code, out, err = run("cite", "--archive", str(root), ids["江畔春耕正当时"], "--style", "ris")
    assert code == 0
    [record] = rispy.loads(out)
    assert record["place_published"] == "清溪" and "issn" not in record
    note = "1 problem(s), their fields left out of the citations (epaper check lists them)"
    assert err == f"epaper: {root / 'papers.yaml'}: {note}\n"


# -- documentation -------------------------------------------------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["cite"], ["paper", "set"], ["paper", "show"]])
def test_cite_and_paper_have_help_with_an_example_and_every_option_in_the_readme(command: list[str]) -> None:
    help_text = CliRunner().invoke(app, [*command, "--help"]).stdout
    assert "Example: epaper " in help_text
    assert f"epaper {' '.join(command)}" in README
    for option in re.findall(r"^\s+(?:-\w, )?(--[a-z-]+)", help_text, re.MULTILINE):
        if option != "--help":
            assert option in README, f"{' '.join(command)} {option} is not documented in README.md"


def test_the_readme_shows_a_pipeline_from_search_to_a_bibliography() -> None:
    section = README.split("## Citing articles", 1)[1].split("\n## ", 1)[0]
    assert "epaper search" in section and "| epaper cite - --style" in section and "pandoc --citeproc" in section


def test_a_broken_registry_stops_cite_with_its_line(archive: tuple[Path, dict[str, str]]) -> None:
    root, ids = archive
    path = write_registry(root, "papers:\n  清溪晚报: [\n")
    code, out, err = run("cite", "--archive", str(root), ids["江畔春耕正当时"])
    assert (code, out) == (1, "")
    assert err.startswith(f"epaper: {path}: line 3: not valid YAML")
