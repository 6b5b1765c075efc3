"""`epaper search`: exact for every term length, never stale, rebuilt when lost, usable during an import."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from epaper_cli.archive import Archive
from epaper_cli.index import INDEX_FILE
from epaper_cli.model import Article, Issue, Page, Text, article_id
from epaper_cli.searching import Query, parse_terms, search
from epaper_cli.searchtext import fold, searchable
from tests.helpers import make_article
from tests.test_cli import CAPTURE, SECOND, run

PAPER, DATE = "清溪晚报", dt.date(2025, 3, 14)
ALPHABET = "江畔春耕正当时农户合作社一二三abcABCａｂｃＡＢＣ,，.。 -\"'()（）!！"
"""Chinese, Latin in both cases and both widths, half- and full-width punctuation, space, quote and dash."""


def brute_force(archive: Archive, query: Query) -> set[str]:
    """The ids a search must find: every article whose folded searchable text holds every included term and no
    excluded one, read straight from the issue files."""
    found = set()
    for path in archive.all_issue_files():
        for _page, article in archive.load(path).articles():
            text = fold(searchable(article))
            if all(t in text for t in query.include) and not any(t in text for t in query.exclude):
                found.add(article.id)
    return found


def ids(archive: Archive, query: Query) -> set[str]:
    return {hit.id for hit in search(archive.root, query, limit=None).hits}


@pytest.fixture(scope="module")
def random_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, list[str]]:
    """Three issues of articles written from ALPHABET (fixed seed), and their searchable texts."""
    import random

    rng = random.Random(15)
    archive = Archive(tmp_path_factory.mktemp("search") / "a")
    texts = []
    for day in range(3):
        date = DATE + dt.timedelta(days=day)
        articles = []
        for n in range(12):
            title = f"第{n}篇" + "".join(rng.choice(ALPHABET) for _ in range(6))
            body = [Text("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60)))) for _ in range(2)]
            article = Article(title=title, id=article_id(PAPER, date, "01", title), byline="记者 林小溪", body=body)
            articles.append(article)
            texts.append(searchable(article))
        # Each issue written three times, as imports do: the index updates a file's rows in place.
        archive.merge(Issue(PAPER, date, [Page("01", None, articles[:6])]))
        archive.merge(Issue(PAPER, date, [Page("01", None, articles[6:])]))
        changed = replace(articles[3], body=[Text("".join(rng.choice(ALPHABET) for _ in range(40)))])
        texts.append(searchable(changed))
        archive.merge(Issue(PAPER, date, [Page("01", None, [changed])]))
    return archive, texts


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_term_finds_exactly_what_a_substring_scan_finds(
    random_archive: tuple[Archive, list[str]], data: st.DataObject
) -> None:
    archive, texts = random_archive

    def term() -> str:
        if data.draw(st.booleans()):  # a piece of an indexed text
            text = data.draw(st.sampled_from(texts))
            start = data.draw(st.integers(0, max(0, len(text) - 1)))
            return text[start : start + data.draw(st.integers(1, 6))] or "江"
        return data.draw(st.text(alphabet=ALPHABET + "水山ｘＸ", min_size=1, max_size=6))

    include = tuple(fold(term()) for _ in range(data.draw(st.integers(1, 2))))
    exclude = tuple(fold(term()) for _ in range(data.draw(st.integers(0, 1))))
    query = Query(include, exclude)
    assert ids(archive, query) == brute_force(archive, query)


def test_case_width_and_single_characters(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "a")
    article = make_article(PAPER, DATE, "01", "ＡＢＣ新闻 Web 版")
    archive.merge(Issue(PAPER, DATE, [Page("01", None, [article])]))
    for term in ("abc", "ＡＢＣ", "web", "ＷＥＢ", "闻", "林", "通讯员 周", "图为江边"):
        assert ids(archive, parse_terms([f'"{term}"'])) == {article.id}, term
    assert ids(archive, parse_terms(["责任编辑"])) == set()  # the editors' line is not searched


def test_one_more_article_in_an_issue_costs_the_index_that_article_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from epaper_cli import index

    archive = Archive(tmp_path / "a")
    articles = [make_article(PAPER, DATE, "02", f"第{n}篇春耕") for n in range(5)]
    archive.merge(Issue(PAPER, DATE, [Page("02", None, articles)]))
    tokenized: list[str] = []
    real = index.tokens
    monkeypatch.setattr(index, "tokens", lambda text: tokenized.append(text) or real(text))
    first = make_article(PAPER, DATE, "01", "头版春耕")
    archive.merge(Issue(PAPER, DATE, [Page("01", None, [first])]))  # the file is rewritten whole
    assert len(tokenized) == 1, "only the new article's text is tokenized"
    found = search(archive.root, parse_terms(["春耕"]), sort="date", limit=None).hits
    assert [hit.id for hit in found] == [first.id] + [a.id for a in articles], "in the issue's page order"
    edited = replace(articles[2], title="第2篇春耕改")
    edited = replace(edited, id=article_id(PAPER, DATE, "02", edited.title))
    archive.replace_issue(
        archive.issue_path(PAPER, DATE),
        Issue(PAPER, DATE, [Page("01", None, [first]), Page("02", None, [*articles[:2], edited, *articles[3:]])]),
    )
    assert len(tokenized) == 3, "one article out (its tokens deleted), one in"
    assert ids(archive, parse_terms(["第2篇春耕改"])) == {edited.id}
    assert ids(archive, parse_terms(["第2篇春耕"])) == {edited.id}


def test_terms_phrases_and_exclusions_are_read_as_documented() -> None:
    assert parse_terms(["杭衢 人力", '"人力 社保"', "-招聘"]) == Query(("杭衢", "人力", "人力 社保"), ("招聘",))
    assert parse_terms(['-"a b"', "ＡＢ"]) == Query(("ab",), ("a b",))


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "1.txt").write_text(CAPTURE, encoding="utf-8")
    (folder / "2.txt").write_text(SECOND.replace("2025-03-15", "2025-03-16").replace("03-14", "03-15"), "utf-8")
    archive = tmp_path / "a"
    assert run("import", "--archive", str(archive), str(folder))[0] == 0
    return archive


def test_lines_json_count_and_exit_codes(imported: Path) -> None:
    code, out, err = run("search", "--archive", str(imported), "插秧")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 2
    fields = lines[0].split("\t")
    assert len(fields) == 6 and len(fields[0]) == 12 and fields[1] == "清溪晚报"
    assert "插秧" in fields[5] and "\033[" not in out  # no highlight when not on a terminal
    code, out, _err = run("search", "--archive", str(imported), "插秧", "--json", "--sort", "date")
    data = json.loads(out)
    assert [item["date"] for item in data] == ["2025-03-15", "2025-03-14"]
    assert set(data[0]) == {"id", "paper", "date", "page", "section", "title", "snippet"}
    assert run("search", "--archive", str(imported), "插秧", "--count") == (0, "2\n", "")
    assert run("search", "--archive", str(imported), "插秧", "--date", "2025-03-14", "--count")[1] == "1\n"
    assert run("search", "--archive", str(imported), "插秧", "-书店", "--count")[1] == "1\n"
    code, out, err = run("search", "--archive", str(imported), "插秧", "--limit", "1")
    assert code == 0 and len(out.splitlines()) == 1 and "1 of 2" in err
    assert run("search", "--archive", str(imported), "没有这回事") == (1, "", "")
    assert run("search", "--archive", str(imported), "没有这回事", "--count") == (1, "0\n", "")


@pytest.mark.parametrize(
    "args",
    [
        ["--paper", "无此报"],
        ["--date", "2025-13"],
        ["--sort", "size"],
        ["--lmit", "3"],
    ],
)
def test_bad_input_is_a_usage_error(imported: Path, args: list[str]) -> None:
    code, out, err = run("search", "--archive", str(imported), "插秧", *args)
    assert code == 2 and out == ""
    assert err.startswith("epaper: ") and len(err.splitlines()) == 1


@pytest.mark.parametrize("terms", [[""], ['""'], ["-插秧"], ["-"]])
def test_empty_or_only_excluding_terms_are_usage_errors(imported: Path, terms: list[str]) -> None:
    code, _out, err = run("search", "--archive", str(imported), *terms)
    assert code == 2 and err.startswith("epaper: ")


def test_no_archive_is_an_error(tmp_path: Path) -> None:
    code, _out, err = run("search", "--archive", str(tmp_path / "none"), "插秧")
    assert code == 2 and "no archive" in err


def test_a_hand_edit_is_found_without_another_command(imported: Path) -> None:
    path = imported / "清溪晚报" / "2025" / "2025-03-14.yaml"
    path.write_text(path.read_text("utf-8").replace("插秧机", "收割机"), "utf-8")
    assert run("search", "--archive", str(imported), "收割机", "--count")[1] == "1\n"
    assert run("search", "--archive", str(imported), "插秧机", "--count")[1] == "1\n"  # only the other issue


def test_a_deleted_issue_file_drops_out(imported: Path) -> None:
    (imported / "清溪晚报" / "2025" / "2025-03-14.yaml").unlink()
    code, out, _err = run("search", "--archive", str(imported), "插秧", "--json")
    assert code == 0 and [item["date"] for item in json.loads(out)] == ["2025-03-15"]


@pytest.mark.parametrize("damage", ["delete", "garbage", "truncate"])
def test_a_lost_or_corrupt_index_is_rebuilt_with_a_note(imported: Path, damage: str) -> None:
    gc.collect()  # no connection of the import run in this process stays open on the old file
    index = imported / INDEX_FILE
    for extra in (Path(f"{index}-wal"), Path(f"{index}-shm")):
        extra.unlink(missing_ok=True)
    if damage == "delete":
        index.unlink()
    elif damage == "garbage":
        index.write_bytes(b"not a database at all\n" * 100)
    else:
        with index.open("r+b") as handle:
            handle.truncate(4096 + 100)
    code, out, err = run("search", "--archive", str(imported), "插秧", "--count")
    assert (code, out) == (0, "2\n")
    assert len(err.splitlines()) == 1 and str(index) in err and ("built" in err)
    assert run("search", "--archive", str(imported), "插秧", "--count") == (0, "2\n", "")


def test_search_while_an_import_runs_in_another_process(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(60):
        text = CAPTURE.replace("江畔春耕正当时", f"江畔春耕第{n}篇").replace("日期:03-14", f"日期:03-{n % 20 + 1:02d}")
        (folder / f"{n:03d}.txt").write_text(text, encoding="utf-8")
    archive = tmp_path / "a"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    command = [sys.executable, "-c", "from epaper_cli.cli import main; main()", "import", "-q", "-j", "1"]
    importing = subprocess.Popen([*command, "--archive", str(archive), str(folder)], env=env)
    counts = []
    try:
        while importing.poll() is None or not counts:
            if archive.is_dir():
                code, out, err = run("search", "--archive", str(archive), "插秧", "--count")
                assert code in (0, 1), err
                assert "Error" not in err and "cannot" not in err, err
                counts.append(int(out))
    finally:
        importing.wait(timeout=120)
    assert importing.returncode == 0
    assert run("search", "--archive", str(archive), "插秧", "--count")[1] == "60\n"
    assert counts == sorted(counts) and len(counts) > 1


def test_import_keeps_the_index_current_so_a_search_reads_no_issue_file(
    imported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from epaper_cli.index import open_index

    index = open_index(imported)
    assert index.refresh() == 0  # nothing for a search to re-read: the import indexed what it wrote
    index.close()
    opened: list[str] = []
    real_open = open

    def counting(file: object, *args: object, **kwargs: object) -> object:
        if str(file).endswith(".yaml"):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", counting)
    assert run("search", "--archive", str(imported), "插秧", "--count")[1] == "2\n"
    assert opened == []


def test_a_command_that_removes_an_issue_file_tells_the_index(imported: Path) -> None:
    from epaper_cli.index import open_index

    archive = Archive(imported)
    path = imported / "清溪晚报" / "2025" / "2025-03-14.yaml"
    path.unlink()
    archive.indexed(path, None)  # what `rm` calls after removing an issue file
    index = open_index(imported)
    assert index.refresh() == 0
    index.close()
    assert run("search", "--archive", str(imported), "插秧", "--count")[1] == "1\n"


@pytest.mark.parametrize(
    "args",
    [
        ["春耕"],
        ["--json", "春耕"],
        ["--count", "的"],
        ["--limit=1", "--sort", "date", "的"],
        ["--paper", "清溪晚报", "--date", "2025-03", "书店", "-春耕"],
        ["--paper", "衢州日", "春耕"],
        ["--date", "2025-13", "春耕"],
        ["--sort", "size", "春耕"],
        ["--limit", "-1", "春耕"],
        ["--lmit", "3", "春耕"],
        ["--", "-春耕"],
        ["没有这个词"],
        ["--help"],
    ],
)
def test_the_quick_way_in_answers_as_the_full_command_line_does(imported: Path, args: list[str]) -> None:
    """`epaper search` reads a plain command line without the command-line library; every line, plain or not,
    gets the same output and exit status as through the library."""
    env = {**os.environ, "NO_COLOR": "1"}
    line = ["search", "--archive", str(imported), *args]
    quick = subprocess.run(
        [sys.executable, "-c", "from epaper_cli.process import main; main()", *line], capture_output=True, env=env
    )
    full = subprocess.run(
        [sys.executable, "-c", "from epaper_cli.cli import main; main()", *line], capture_output=True, env=env
    )
    assert (quick.returncode, quick.stdout, quick.stderr) == (full.returncode, full.stdout, full.stderr)


def test_a_plain_search_loads_neither_the_command_line_library_nor_dataclasses(imported: Path) -> None:
    code = (
        "import sys; from epaper_cli.process import main; sys.argv[1:] = ['search', '--archive', sys.argv[1], '春耕']"
    )
    loaded = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code + "; main()", str(imported)], capture_output=True, text=True
    )
    assert loaded.returncode == 0 and "江畔春耕正当时" in loaded.stdout
    modules = {line.rsplit("|", 1)[-1].strip() for line in loaded.stderr.splitlines() if "|" in line}
    assert "epaper_cli.searching" in modules
    assert not {"typer", "click", "epaper_cli.cli"} & modules
    assert "dataclasses" not in modules, "a tenth of a search's time"


def test_a_changed_issue_file_is_read_again_by_the_fast_reader(imported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue files end with a digest line; the index reads them without it, so an edited file in epaper's own
    layout never costs PyYAML (which a search otherwise never loads)."""
    from epaper_cli import yamltext

    assert search(imported, parse_terms(["春耕"])).total == 1  # the index made
    (path,) = [p for p in Archive(imported).all_issue_files() if "江畔春耕正当时".encode() in p.read_bytes()]
    path.write_bytes(path.read_bytes().replace("江畔的田野".encode(), "江畔的稻田".encode()))

    def no_pyyaml() -> None:
        raise AssertionError("the issue file went to PyYAML")

    monkeypatch.setattr(yamltext, "_pyyaml", no_pyyaml)
    assert search(imported, parse_terms(["江畔的稻田"])).total == 1
