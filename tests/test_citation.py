"""Citation styles: the exact GB/T 7714 form, and every style read back by its ecosystem's own reader
(pandoc's CSL-JSON and BibLaTeX readers, rispy for RIS)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from typing import Any

import pytest
import rispy
from hypothesis import given, settings
from hypothesis import strategies as st

from epaper_cli.formats.citation import (
    STYLES,
    Reference,
    biblatex,
    csl_json,
    gbt7714,
    latin_name,
    one_line,
    page_number,
    ris,
)
from epaper_cli.model import Article, PaperInfo, Person, Text, article_id
from tests.helpers import require_tool

PAPER, DATE = "清溪晚报", dt.date(2025, 3, 14)
CHINESE_BODY = "清晨六点，江畔的田野里已经响起了拖拉机的声音，农户们趁着晴好天气抓紧翻耕。"
ENGLISH_BODY = "The cranes came back to the harbour on Monday, and the dock workers cheered them in."
REGISTERED = PaperInfo(PAPER, ("清溪晚報",), "zh-CN", "清溪", "清溪晚报社", "1234-5679", "CN 33-0012", "daily")
HOSTILE = 'Odd {brace} 100% & "quoted" #1 a_b $5 back\\slash ~tilde ^caret a--b\n第二行'


def reference(
    title: str = "江畔春耕正当时",
    authors: tuple[str, ...] = ("林小溪", "周远"),
    *,
    paper: str = PAPER,
    page: str = "03",
    section: str | None = "要闻",
    body: str = CHINESE_BODY,
    info: PaperInfo | None = None,
) -> Reference:
    """One article as `epaper cite` would pass it to a style."""
    article = Article(
        title=title,
        id=article_id(paper, DATE, page, title),
        authors=[Person("记者", name) for name in authors],
        body=[Text(body)],
    )
    return Reference(paper, DATE, page, section, article, info)


def english(title: str = "Harbour cranes return", authors: tuple[str, ...] = ("Jane Doe", "John Smith")) -> Reference:
    """An article of an English-language paper."""
    return reference(title, authors, paper="The Harbour Times", page="A03", section="Business", body=ENGLISH_BODY)


def pandoc_csl(text: str, reader: str) -> list[dict[str, Any]]:
    """What pandoc's reader makes of a bibliography, as CSL-JSON; its warnings fail the test."""
    pandoc = require_tool("pandoc")
    done = subprocess.run([pandoc, "-f", reader, "-t", "csljson"], input=text.encode(), capture_output=True)
    assert done.returncode == 0 and not done.stderr, done.stderr.decode()
    items: list[dict[str, Any]] = json.loads(done.stdout)
    return items


# -- GB/T 7714 -----------------------------------------------------------------------------------------


def test_gbt7714_lists_the_authors_without_roles_then_title_paper_date_and_page() -> None:
    ref = reference(authors=("林小溪", "周远", "王二"))
    assert gbt7714([ref]) == "[1] 林小溪, 周远, 王二. 江畔春耕正当时[N]. 清溪晚报, 2025-03-14(3).\n"


def test_gbt7714_cuts_more_than_three_authors_to_three_and_deng() -> None:
    ref = reference(authors=("林小溪", "周远", "王二", "欧阳修文"))
    assert gbt7714([ref]) == "[1] 林小溪, 周远, 王二, 等. 江畔春耕正当时[N]. 清溪晚报, 2025-03-14(3).\n"


def test_gbt7714_without_a_byline_starts_with_the_title() -> None:
    assert gbt7714([reference(authors=())]) == "[1] 江畔春耕正当时[N]. 清溪晚报, 2025-03-14(3).\n"


def test_gbt7714_writes_english_authors_as_written_and_et_al_after_three() -> None:
    assert gbt7714([english()]) == (
        "[1] Jane Doe, John Smith. Harbour cranes return[N]. The Harbour Times, 2025-03-14(A3).\n"
    )
    four = english(authors=("Jane Doe", "John Smith", "Ann Lee", "Bo Chen"))
    assert gbt7714([four]).startswith("[1] Jane Doe, John Smith, Ann Lee, et al. Harbour cranes return[N].")


def test_the_registry_language_decides_et_al_over_the_text() -> None:
    info = PaperInfo("The Harbour Times", language="en")
    ref = reference(authors=("林小溪", "周远", "王二", "欧阳修文"), info=info)
    assert ", et al. " in gbt7714([ref])


def test_gbt7714_numbers_the_references_in_the_order_given() -> None:
    text = gbt7714([reference("乙"), reference("甲"), reference("丙")])
    assert [line.split("[N]")[0][-1] for line in text.splitlines()] == ["乙", "甲", "丙"]
    assert [line[:4] for line in text.splitlines()] == ["[1] ", "[2] ", "[3] "]


@pytest.mark.parametrize(
    ("label", "cited"), [("03", "3"), ("12", "12"), ("A03", "A3"), ("B10", "B10"), ("00", "0"), ("特刊", "特刊")]
)
def test_the_page_is_cited_without_leading_zeros(label: str, cited: str) -> None:
    assert page_number(label) == cited
    assert gbt7714([reference(page=label)]).endswith(f"({cited}).\n")


def test_a_hostile_title_stays_on_one_line() -> None:
    text = gbt7714([reference(HOSTILE)])
    assert text.count("\n") == 1
    assert f"{one_line(HOSTILE)}[N]" in text


# -- CSL-JSON ------------------------------------------------------------------------------------------


def test_csl_json_is_read_back_by_pandoc_with_every_field() -> None:
    refs = [reference(authors=("林小溪", "周远", "王二", "欧阳修文"), info=REGISTERED), english()]
    ours = json.loads(csl_json(refs))
    theirs = pandoc_csl(csl_json(refs), "csljson")
    assert theirs == sorted(ours, key=lambda item: item["id"])
    first = ours[0]
    assert first["type"] == "article-newspaper"
    assert first["issued"] == {"date-parts": [[2025, 3, 14]]}
    assert (first["page"], first["section"], first["language"]) == ("3", "要闻", "zh-CN")
    assert first["author"] == [{"literal": name} for name in ("林小溪", "周远", "王二", "欧阳修文")]
    assert (first["publisher-place"], first["publisher"], first["ISSN"]) == ("清溪", "清溪晚报社", "1234-5679")
    assert ours[1]["author"] == [{"family": "Doe", "given": "Jane"}, {"family": "Smith", "given": "John"}]
    assert ours[1]["language"] == "en"


def test_csl_json_without_a_byline_or_registry_has_no_author_and_no_registry_keys() -> None:
    item = json.loads(csl_json([reference(authors=())]))[0]
    assert "author" not in item
    assert not {"publisher-place", "publisher", "ISSN"} & set(item)


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("Jane Doe", ("Doe", "Jane", "")),
        ("Jane Q. Doe", ("Doe", "Jane Q.", "")),
        ("Martin Luther King Jr.", ("King", "Martin Luther", "Jr.")),
        ("Doe, Jane", ("Doe", "Jane", "")),
        ("Cher", None),
        ("林小溪", None),
        ("山田 太郎", None),
    ],
)
def test_latin_names_split_at_the_last_word_and_others_stay_whole(
    name: str, split: tuple[str, str, str] | None
) -> None:
    assert latin_name(name) == split


# -- RIS -----------------------------------------------------------------------------------------------


def test_ris_records_are_read_back_by_rispy_with_every_tag() -> None:
    refs = [reference(info=REGISTERED), english(authors=("Jane Doe", "John Smith", "Ann Lee", "Bo Chen"))]
    records = rispy.loads(ris(refs))
    assert len(records) == 2
    first, second = records
    assert first["type_of_reference"] == "NEWS"
    assert first["authors"] == ["林小溪", "周远"]
    assert (first["title"], first["secondary_title"]) == ("江畔春耕正当时", PAPER)
    assert (first["date"], first["year"], first["start_page"]) == ("2025/03/14/", "2025", "3")
    assert (first["section"], first["language"]) == ("要闻", "zh-CN")
    assert (first["place_published"], first["publisher"], first["issn"]) == ("清溪", "清溪晚报社", "1234-5679")
    assert first["id"] == refs[0].key
    assert second["authors"] == ["Doe, Jane", "Smith, John", "Lee, Ann", "Chen, Bo"]
    assert (second["start_page"], second["language"]) == ("A3", "en")
    assert "issn" not in second


def test_every_ris_record_opens_with_ty_and_closes_with_er() -> None:
    lines = ris([reference("甲"), reference("乙")]).splitlines()
    assert [line for line in lines if line.startswith(("TY", "ER"))] == ["TY  - NEWS", "ER  - "] * 2


# -- BibLaTeX ------------------------------------------------------------------------------------------


def test_biblatex_entries_are_read_back_by_pandoc_as_newspaper_articles() -> None:
    refs = [reference(authors=("林小溪", "周远", "王二", "欧阳修文"), info=REGISTERED), english()]
    text = biblatex(refs)
    assert text.startswith(f"@article{{{refs[0].key},\n  entrysubtype = {{newspaper}},\n")
    theirs = {item["id"]: item for item in pandoc_csl(text, "biblatex")}
    chinese, latin = theirs[refs[0].key], theirs[refs[1].key]
    assert chinese["type"] == latin["type"] == "article-newspaper"
    assert chinese["title"] == "江畔春耕正当时"
    assert chinese["container-title"] == PAPER
    assert chinese["issued"] == {"date-parts": [[2025, 3, 14]]}
    assert chinese["page"] == "3"
    assert [a["family"] for a in chinese["author"]] == ["林小溪", "周远", "王二", "欧阳修文"]
    assert (chinese["publisher-place"], chinese["publisher"], chinese["ISSN"]) == ("清溪", "清溪晚报社", "1234-5679")
    assert latin["author"] == [{"family": "Doe", "given": "Jane"}, {"family": "Smith", "given": "John"}]
    assert latin["language"] == "en-US" and latin["page"] == "A3"


def test_biblatex_keys_are_the_article_ids_so_they_stay_the_same() -> None:
    refs = [reference("甲"), reference("乙")]
    assert biblatex(refs) == biblatex(refs)
    assert [item["id"] for item in pandoc_csl(biblatex(refs), "biblatex")] == sorted(r.key for r in refs)


def test_a_name_holding_the_word_and_is_one_name_in_biblatex() -> None:
    theirs = pandoc_csl(biblatex([english(authors=("Smith and Sons", "Jane Doe"))]), "biblatex")
    assert len(theirs[0]["author"]) == 2


# -- every style ---------------------------------------------------------------------------------------


def test_a_hostile_title_is_escaped_as_each_format_needs_and_read_back_whole() -> None:
    ref = reference(HOSTILE, info=REGISTERED)
    flat = one_line(HOSTILE)
    assert "\n" not in flat and flat.endswith("a--b 第二行")
    entry = biblatex([ref])
    assert r"Odd \{brace\} 100\% \& " in entry and r"\#1 a\_b \$5 back\textbackslash{}slash" in entry
    assert pandoc_csl(entry, "biblatex")[0]["title"] == flat
    assert pandoc_csl(csl_json([ref]), "csljson")[0]["title"] == flat.replace('"quoted"', "“quoted”")
    assert rispy.loads(ris([ref]))[0]["title"] == flat
    assert f"周远. {flat}[N]. 清溪晚报" in gbt7714([ref])


TITLE_CHARACTERS = st.sampled_from(list('江畔春耕晚报清溪abcXYZ019 {}%&#_$\\~^"-<>|@!?.,;:()[]/*+=\n\t'))


@settings(max_examples=8, deadline=None)
@given(st.lists(st.text(TITLE_CHARACTERS, min_size=1, max_size=30).filter(str.strip), min_size=1, max_size=25))
def test_any_title_survives_biblatex_and_csl_json_through_pandoc(titles: list[str]) -> None:
    refs = [reference(f"{n}{title}", info=REGISTERED) for n, title in enumerate(titles)]
    expected = {ref.key: one_line(ref.article.title) for ref in refs}
    assert {i["id"]: i["title"] for i in pandoc_csl(biblatex(refs), "biblatex")} == expected
    # pandoc's CSL reader is a typographer: curly quotes, and a narrow no-break space before `!` after a space.
    typography = str.maketrans({"“": '"', "”": '"', "\u202f": " ", "\u00a0": " "})
    from_csl = {i["id"]: i["title"].translate(typography) for i in pandoc_csl(csl_json(refs), "csljson")}
    assert from_csl == expected


def test_every_style_cites_nothing_as_empty_output() -> None:
    for style in STYLES.values():
        assert style([]) in ("", "[]\n")
