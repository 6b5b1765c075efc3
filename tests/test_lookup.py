"""Articles by id or unique prefix: every id is found, however YAML has to write it."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest

from epaper_cli.archive import Archive
from epaper_cli.errors import ArchiveError, UsageError
from epaper_cli.lookup import expand_keys, find
from epaper_cli.model import Issue, Page, article_id
from tests.helpers import make_article
from tests.test_cli import run

PAPER, DATE = "清溪晚报", dt.date(2025, 3, 14)
NUMBER_LIKE = re.compile(r"[0-9]+(?:e[0-9]+)?")


def titles_with_number_like_ids(count: int) -> list[str]:
    """Titles whose ids YAML would read as numbers (all digits, or digits e digits): about one in 250."""
    found = []
    for n in range(200_000):
        title = f"第{n}号新闻"
        if NUMBER_LIKE.fullmatch(article_id(PAPER, DATE, "03", title)):
            found.append(title)
            if len(found) == count:
                return found
    raise AssertionError("no number-like id in range")


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    store = Archive(tmp_path / "a")
    titles = [*titles_with_number_like_ids(3), "江畔春耕正当时", "小巷书店的新主人"]
    store.merge(Issue(PAPER, DATE, [Page("03", "要闻", [make_article(PAPER, DATE, "03", t) for t in titles])]))
    return store


def test_every_id_is_found_by_its_full_form_and_by_prefixes(archive: Archive) -> None:
    ids = [a.id for _p, a in archive.load(archive.issue_path(PAPER, DATE)).articles()]
    assert sum(bool(NUMBER_LIKE.fullmatch(i)) for i in ids) == 3
    for full in ids:
        assert [f.article.id for f in find(archive, [full])] == [full]
        assert [f.article.id for f in find(archive, [full[:8]])] == [full]


def test_show_finds_a_number_like_id_through_the_command_line(archive: Archive) -> None:
    title = titles_with_number_like_ids(1)[0]
    wanted = article_id(PAPER, DATE, "03", title)
    code, out, err = run("show", "--archive", str(archive.root), wanted)
    assert code == 0, err
    assert title in out
    code, out, _err = run("show", "--archive", str(archive.root), wanted[:6])
    assert code == 0 and title in out


def test_unknown_and_malformed_ids(archive: Archive) -> None:
    with pytest.raises(ArchiveError, match="no article"):
        find(archive, ["ffffffffffff"])
    with pytest.raises(UsageError):
        expand_keys(["abc"], None)
    with pytest.raises(UsageError):
        expand_keys(["not-an-id!"], None)
    assert run("show", "--archive", str(archive.root), "12345")[0] == 2


def test_an_ambiguous_prefix_lists_the_candidates(tmp_path: Path) -> None:
    store = Archive(tmp_path / "a")
    by_prefix: dict[str, list[str]] = {}
    for n in range(50_000):  # ids are fixed by their titles: the same pair is found every run
        title = f"标题{n}"
        by_prefix.setdefault(article_id(PAPER, DATE, "03", title)[:6], []).append(title)
        if len(by_prefix[article_id(PAPER, DATE, "03", title)[:6]]) == 2:
            break
    else:
        raise AssertionError("no shared 6-digit prefix among 50,000 ids")
    prefix, (one, two) = next((k, v) for k, v in by_prefix.items() if len(v) == 2)
    store.merge(Issue(PAPER, DATE, [Page("03", None, [make_article(PAPER, DATE, "03", t) for t in (one, two)])]))
    with pytest.raises(ArchiveError) as caught:
        find(store, [prefix])
    assert "ambiguous" in caught.value.why and one in caught.value.why and two in caught.value.why


def test_dash_reads_ids_from_standard_input() -> None:
    assert expand_keys(["-"], io.StringIO("ABCDEF123456\n\n  abcdef \n")) == ["abcdef123456", "abcdef"]
    with pytest.raises(UsageError, match="terminal"):
        expand_keys(["-"], None)


# -- the id index: only the file that holds the id is read, and the index heals ----------------------------


@pytest.fixture
def many_issues(tmp_path: Path) -> Archive:
    """Thirty issues of four articles each."""
    store = Archive(tmp_path / "a")
    for day in range(30):
        date = DATE + dt.timedelta(days=day)
        articles = [make_article(PAPER, date, "01", f"第{day}天第{n}篇") for n in range(4)]
        store.merge(Issue(PAPER, date, [Page("01", None, articles)]))
    return store


def issue_files_opened(monkeypatch: pytest.MonkeyPatch, archive: Archive) -> list[str]:
    """Every issue file of the archive opened from now on (through open, io.open or pathlib)."""
    import builtins
    import io

    opened: list[str] = []
    real_open = io.open

    def counting(file: object, *args: object, **kwargs: object) -> object:
        name = str(file)
        if name.startswith(str(archive.root)) and name.endswith(".yaml") and not name.endswith("papers.yaml"):
            opened.append(name)
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    real_os_open = os.open

    def counting_os(file: object, *args: object, **kwargs: object) -> int:
        name = str(file)
        if name.startswith(str(archive.root)) and name.endswith(".yaml") and not name.endswith("papers.yaml"):
            opened.append(name)
        return real_os_open(file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(io, "open", counting)
    monkeypatch.setattr(builtins, "open", counting)
    monkeypatch.setattr(os, "open", counting_os)
    return opened


def ids_of(archive: Archive, date: dt.date) -> list[str]:
    return [a.id for _p, a in archive.load(archive.issue_path(PAPER, date)).articles()]


def test_show_and_cite_read_only_the_issue_files_that_hold_the_ids(
    many_issues: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, last = ids_of(many_issues, DATE)[0], ids_of(many_issues, DATE + dt.timedelta(days=29))[-1]
    opened = issue_files_opened(monkeypatch, many_issues)
    code, out, _err = run("show", "--archive", str(many_issues.root), last[:7])
    assert code == 0 and "第29天第3篇" in out
    assert opened == [str(many_issues.issue_path(PAPER, DATE + dt.timedelta(days=29)))]
    opened.clear()
    code, out, _err = run("cite", "--archive", str(many_issues.root), first, last)
    assert code == 0 and "第0天第0篇" in out and "第29天第3篇" in out
    assert sorted(opened) == sorted(str(many_issues.issue_path(PAPER, DATE + dt.timedelta(days=d))) for d in (0, 29))


def test_the_lookup_heals_after_a_hand_edit(many_issues: Archive) -> None:
    path = many_issues.issue_path(PAPER, DATE + dt.timedelta(days=5))
    old = ids_of(many_issues, DATE + dt.timedelta(days=5))[1]
    new = "0123456789ab"
    path.write_text(path.read_text("utf-8").replace(old, new).replace("第5天第2篇", "改过的标题"), "utf-8")
    code, out, _err = run("show", "--archive", str(many_issues.root), new)
    assert code == 0 and "第5天第1篇" in out
    code, out, _err = run("show", "--archive", str(many_issues.root), ids_of(many_issues, path_date(path))[2])
    assert code == 0 and "改过的标题" in out
    code, _out, err = run("show", "--archive", str(many_issues.root), old)
    assert code == 1 and "no article" in err


def test_the_lookup_heals_after_an_issue_file_is_deleted(many_issues: Archive) -> None:
    gone = ids_of(many_issues, DATE + dt.timedelta(days=7))
    many_issues.issue_path(PAPER, DATE + dt.timedelta(days=7)).unlink()
    code, _out, err = run("show", "--archive", str(many_issues.root), gone[0])
    assert code == 1 and "no article" in err
    assert run("show", "--archive", str(many_issues.root), ids_of(many_issues, DATE)[0])[0] == 0


def path_date(path: Path) -> dt.date:
    return dt.date.fromisoformat(path.stem)
