"""The archive: schema round trips, readable YAML, safe paths, merging, locking and atomic writes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from epaper_cli import schema, yamltext
from epaper_cli.archive import Archive, safe_component
from epaper_cli.errors import ArchiveError
from epaper_cli.model import Article, Heading, Issue, Page, Person, Source, Text, article_id, page_sort_key
from epaper_cli.rawstore import RawStore
from tests.helpers import SAMPLES, kept_captures, make_article


def test_dump_then_load_gives_the_same_issue(issue: Issue) -> None:
    assert schema.load(schema.dump(issue), "x.yaml") == issue


def test_text_that_looks_like_an_alias_still_loads() -> None:
    date = dt.date(2025, 1, 2)
    odd = Issue("P", date, [Page("01", None, [Article("T", "x", body=[Text("*注 &参考 [*1] a *b")])])])
    assert schema.load(schema.dump(odd), "x") == odd


def test_dump_is_readable_yaml(issue: Issue) -> None:
    text = schema.dump(issue)
    assert text.startswith(
        "format: epaper/1\npaper: 清溪晚报\ndate: 2025-03-14\npages:\n- page: '03'\n  section: 要闻\n"
    )
    assert "\\u" not in text
    assert "{role: 记者, name: 林小溪}" in text
    assert "- text: |-\n" in text  # long paragraphs as block scalars
    assert "- heading: 一个小标题\n" in text
    assert "read_on: 2025-03-15" in text
    page_12 = text[text.index("- page: '12'") :]
    assert page_12.splitlines()[1] == "  articles:"  # no section key when the page has none


def test_optional_keys_are_omitted() -> None:
    date = dt.date(2025, 1, 2)
    bare = Issue("P", date, [Page("01", None, [Article("T", article_id("P", date, "01", "T"), body=[Text("x")])])])
    text = schema.dump(bare)
    for key in (
        "kicker",
        "subtitle",
        "byline",
        "authors",
        "dateline",
        "editors",
        "source",
        "section",
        "null",
    ):
        assert key not in text
    assert schema.load(text, "x") == bare


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("format: epaper/2\npaper: P\ndate: 2025-01-01\npages: []\n", "unknown format version 'epaper/2'"),
        ("paper: P\n", "no `format` key"),
        ("- a\n- b\n", "no `format` key"),
        ("format: epaper/1\npaper: P: Q\ndate: 2025-01-01\n", "line 2: not valid YAML"),
        ("format: epaper/1\npaper: P\ndate: soon\npages: []\n", "date: expected a date"),
        (
            "format: epaper/1\npaper: P\ndate: 2025-01-01\npages:\n- page: '01'\n  articles: 3\n",
            "pages[0].articles",
        ),
        (
            "format: epaper/1\npaper: P\ndate: 2025-01-01\npages:\n- page: '01'\n  articles:\n  - id: a\n"
            "    title: T\n    body:\n    - poem: x\n",
            "unknown body block 'poem'",
        ),
        ("format: epaper/1\npaper: !!python/object:os.system x\n", "not valid YAML"),
        ("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "line 2: not valid YAML (YAML aliases are not allowed"),
    ],
)
def test_bad_issue_files_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ArchiveError) as caught:
        schema.load(text, "bad.yaml")
    assert caught.value.what == "bad.yaml"
    assert reason in caught.value.why


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("衢州日报", "衢州日报"),
        ("../../x", "%2E.%2F..%2Fx"),
        ("/etc/passwd", "%2Fetc%2Fpasswd"),
        ("a\x00b", "a%00b"),
        (".", "%2E"),
        ("..", "%2E%2E"),
        (".raw", "%2Eraw"),
        ("C:\\Windows", "C%3A%5CWindows"),
        ("100%", "100%25"),
    ],
)
def test_paper_names_become_one_safe_path_component(name: str, expected: str) -> None:
    assert safe_component(name) == expected


def test_overlong_paper_names_are_cut_but_stay_distinct() -> None:
    a, b = safe_component("报" * 200 + "甲"), safe_component("报" * 200 + "乙")
    assert a != b
    assert len(a.encode()) <= 180 and len(b.encode()) <= 180


@given(st.text(min_size=1, max_size=300))
def test_any_paper_name_stays_inside_the_archive(name: str) -> None:
    component = safe_component(name)
    assert component not in {"", ".", ".."} and "/" not in component and "\x00" not in component
    assert not component.startswith(".")
    root = Path("/archive")
    assert (root / component).resolve().parent == root


def test_merge_adds_replaces_in_place_and_keeps_page_order(tmp_path: Path, issue: Issue) -> None:
    archive = Archive(tmp_path)
    outcomes = archive.merge(issue)
    assert [o.status for o in outcomes] == ["added", "added", "added"]
    path = archive.issue_path(issue.paper, issue.date)
    assert path == tmp_path / "清溪晚报" / "2025" / "2025-03-14.yaml"
    first = path.read_bytes()

    assert [o.status for o in archive.merge(issue)] == ["unchanged"] * 3
    assert path.read_bytes() == first

    corrected = make_article(issue.paper, issue.date, "03", "春耕时节的江畔", paragraphs=1)
    late = make_article(issue.paper, issue.date, "A02", "副刊一篇")
    early = make_article(issue.paper, issue.date, "05", "第五版的消息")
    incoming = Issue(issue.paper, issue.date, [Page("03", "要闻", [corrected]), Page("A02", "副刊", [late])])
    incoming.pages.append(Page("05", None, [early]))
    assert [o.status for o in archive.merge(incoming)] == ["replaced", "added", "added"]
    stored = archive.load(path)
    assert [p.label for p in stored.pages] == ["03", "05", "12", "A02"]
    assert [a.title for a in stored.pages[0].articles] == ["春耕时节的江畔", "小巷里的书店"]
    assert stored.pages[0].articles[0] == corrected


def test_page_order_is_the_papers_order() -> None:
    labels = ["A02", "12", "B01", "03", "A01", "01"]
    assert sorted(labels, key=page_sort_key) == ["01", "03", "12", "A01", "A02", "B01"]


def test_raw_captures_are_content_addressed(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    digest = archive.store_raw(b"\xef\xbb\xbfraw bytes\r\n")
    assert digest == hashlib.sha256(b"\xef\xbb\xbfraw bytes\r\n").hexdigest()
    assert archive.store_raw(b"\xef\xbb\xbfraw bytes\r\n") == digest
    archive.raw.flush()
    assert Archive(tmp_path).read_raw(digest) == b"\xef\xbb\xbfraw bytes\r\n"
    assert kept_captures(tmp_path) == {digest: b"\xef\xbb\xbfraw bytes\r\n"}  # kept once


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, issue: Issue, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = Archive(tmp_path)
    archive.merge(issue)
    path = archive.issue_path(issue.paper, issue.date)
    before = path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", broken_replace)
    extra = Issue(issue.paper, issue.date, [Page("07", None, [make_article(issue.paper, issue.date, "07", "新")])])
    with pytest.raises(ArchiveError, match="No space left on device"):
        archive.merge(extra)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def _merge_one(root: str, index: int) -> None:
    date = dt.date(2025, 3, 14)
    article = make_article("清溪晚报", date, "02", f"第{index}篇稿件")
    Archive(Path(root)).merge(Issue("清溪晚报", date, [Page("02", None, [article])]))


def test_concurrent_merges_into_one_issue_lose_nothing(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_merge_one, args=(str(tmp_path), i)) for i in range(8)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    archive = Archive(tmp_path)
    stored = archive.load(archive.issue_path("清溪晚报", dt.date(2025, 3, 14)))
    assert sorted(a.title for a in stored.pages[0].articles) == sorted(f"第{i}篇稿件" for i in range(8))


_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40)


@st.composite
def issues(draw: st.DrawFn) -> Issue:
    paper = draw(_text)
    date = draw(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
    labels = sorted(
        draw(st.sets(st.from_regex(r"[A-C]?[0-9]{2}", fullmatch=True), min_size=1, max_size=3)),
        key=page_sort_key,
    )
    pages = []
    for label in labels:
        articles = []
        for title in draw(st.lists(_text, min_size=1, max_size=2, unique=True)):
            body = draw(st.lists(st.builds(Text, _text) | st.builds(Heading, _text), max_size=3))
            people = draw(st.lists(st.builds(Person, _text, _text), max_size=2))
            articles.append(
                Article(
                    title,
                    article_id(paper, date, label, title),
                    kicker=draw(st.none() | _text),
                    byline=draw(st.none() | _text),
                    authors=people,
                    body=body,
                    source=Source("a" * 64, draw(st.none() | _text), draw(st.none() | st.dates())),
                )
            )
        pages.append(Page(label, draw(st.none() | _text), articles))
    return Issue(paper, date, pages)


@settings(max_examples=200, deadline=None)
@given(issues())
def test_any_issue_round_trips_through_yaml(generated: Issue) -> None:
    assert schema.load(schema.dump(generated), "x.yaml") == generated


def test_labels_and_ids_that_look_like_numbers_are_quoted_for_every_yaml_reader() -> None:
    date = dt.date(2025, 1, 2)
    article = Article("T", "123e45678901", body=[Text("x")])
    text = schema.dump(Issue("P", date, [Page("08", None, [article]), Page("09", None, [])]))
    assert "- page: '08'\n" in text and "- page: '09'\n" in text
    assert "id: '123e45678901'\n" in text
    assert "id: 5c1f0e9a2b7d" in schema.dump(Issue("P", date, [Page("A08", None, [Article("T", "5c1f0e9a2b7d")])]))


_any_text = st.text(min_size=1, max_size=60)


@st.composite
def hostile_issues(draw: st.DrawFn) -> Issue:
    """Issues whose every string is arbitrary Unicode: quotes, colons, line breaks, controls, resolver words."""
    special = st.sampled_from(["yes", "No", "null", "~", "08", "1e5", "- x", "a: b", "a #b", "'q'", "x ", " x", "\t"])
    text = _any_text | special | st.from_regex(r"[\u4e00-\u9fff：:# ,\[\]{}'\"]{1,80}", fullmatch=True)
    date = draw(st.dates())
    pages = []
    for label in draw(st.lists(text, min_size=1, max_size=2, unique=True)):
        articles = [
            Article(
                draw(text),
                draw(text),
                kicker=draw(st.none() | text),
                byline=draw(st.none() | text),
                authors=draw(st.lists(st.builds(Person, text, text), max_size=2)),
                dateline=draw(st.none() | text),
                body=draw(st.lists(st.builds(Text, text) | st.builds(Heading, text), max_size=4)),
                editors=draw(st.lists(st.builds(Person, text, text), max_size=1)),
                source=Source(draw(text), draw(st.none() | text), draw(st.none() | st.dates())),
            )
            for _ in range(draw(st.integers(0, 2)))
        ]
        pages.append(Page(label, draw(st.none() | text), articles))
    return Issue(draw(text), date, pages)


@settings(max_examples=int(os.environ.get("EPAPER_FUZZ_EXAMPLES", "400")), deadline=None)
@given(hostile_issues())
def test_libyaml_writes_exactly_what_pure_python_pyyaml_writes(generated: Issue) -> None:
    assert schema.dump(generated) == schema.dump_with_pyyaml(generated)
    assert schema.load(schema.dump(generated), "x.yaml") == generated


def _pyyaml_load(text: str) -> object:
    return yaml.load(text, Loader=yaml.SafeLoader)


@settings(max_examples=int(os.environ.get("EPAPER_FUZZ_EXAMPLES", "400")), deadline=None)
@given(hostile_issues())
def test_the_fast_reader_reads_what_pyyaml_reads_or_steps_aside(generated: Issue) -> None:
    text = schema.dump(generated)
    data = yamltext.read_canonical(text)
    if data is not None:
        assert data == _pyyaml_load(text)


def test_the_fast_reader_takes_every_sample_golden() -> None:
    for golden in sorted(SAMPLES.glob("*.yaml")):
        for document in golden.read_text(encoding="utf-8").split("---\n"):
            assert yamltext.read_canonical(document) == _pyyaml_load(document), golden.name


@settings(max_examples=int(os.environ.get("EPAPER_FUZZ_EXAMPLES", "600")), deadline=None)
@given(st.data())
def test_hand_edits_never_make_the_fast_reader_misread(data: st.DataObject) -> None:
    golden = data.draw(st.sampled_from(sorted(SAMPLES.glob("*.yaml"))))
    lines = golden.read_text(encoding="utf-8").split("---\n")[0].split("\n")
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(lines) - 1))
        edit = data.draw(
            st.sampled_from(["delete", "indent", "dedent", "comment", "quote", "colon", "anchor", "dup", "tail"])
        )
        line = lines[index]
        lines[index : index + 1] = {
            "delete": [],
            "indent": [" " + line],
            "dedent": [line[1:]],
            "comment": [line + " # note"],
            "quote": [line.replace(": ", ": '", 1)],
            "colon": [line + ": x"],
            "anchor": [line.replace(": ", ": &a ", 1)],
            "dup": [line, line],
            "tail": [line + " "],
        }[edit]
    text = "\n".join(lines)
    fast = yamltext.read_canonical(text)
    if fast is None:
        return
    try:
        reference = _pyyaml_load(text)
    except yaml.YAMLError:
        raise AssertionError(f"the fast reader accepted text PyYAML refuses:\n{text}") from None
    assert fast == reference


def test_a_large_issue_is_written_in_pieces_that_make_the_same_text() -> None:
    issue = Issue("清江日报", dt.date(2025, 3, 14), [])
    for number in range(1, 13):
        page = Page(f"{number:02d}", "要闻", [])
        page.articles = [make_article("清江日报", issue.date, page.label, f"第{number}版第{i}篇") for i in range(60)]
        issue.pages.append(page)
    pieces: list[bytes] = []

    class Pieces(io.BytesIO):
        def write(self, data: Any) -> int:
            pieces.append(bytes(data))
            return len(data)

    schema.dump_to(issue, Pieces())
    assert len(pieces) > 12, "written a few hundred lines at a time, not whole"
    assert b"".join(pieces).decode("utf-8") == schema.dump_with_pyyaml(issue)


def test_an_issue_without_pages_is_written_the_same_streamed_or_whole() -> None:
    empty = Issue("清江日报", dt.date(2025, 3, 14), [])
    out = io.BytesIO()
    schema.dump_to(empty, out)
    assert out.getvalue().decode("utf-8") == schema.dump(empty) == schema.dump_with_pyyaml(empty)
    assert "pages: []\n" in schema.dump(empty)


@pytest.mark.parametrize("text", ["一家人👨\u200d👩\u200d👧", "古籍𠀀字", "a\\U0001F600b", "末尾😀"])
def test_text_beyond_the_bmp_is_written_as_it_is_not_escaped(text: str) -> None:
    date = dt.date(2025, 1, 2)
    issue = Issue("P", date, [Page("01", None, [Article(text, "x", body=[Text(text * 20)])])])
    written = schema.dump(issue)
    assert written == schema.dump_with_pyyaml(issue)
    assert f"title: {text}\n" in written or f"title: '{text}'\n" in written
    assert schema.load(written, "x") == issue


def test_raw_captures_reach_the_disk_before_an_issue_file_refers_to_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from epaper_cli import archive as archive_module
    from epaper_cli.formats import ReadOptions
    from epaper_cli.importing import run_import
    from tests.test_robustness import write_captures

    events: list[tuple[str, str]] = []
    real_write, real_fsync = archive_module.write_atomic, os.fsync

    def write(path: Any, fill: Any, *, clean: bool = True) -> None:
        issue = schema.load_file(_filled(fill), str(path))
        digests = {article.source.sha256 for _page, article in issue.articles() if article.source is not None}
        fresh = RawStore(tmp_path / "a")  # what a reader finds at this moment: indexed, so appended and synced
        assert all(fresh.get(digest) for digest in digests)
        events.extend(("needs", digest) for digest in digests)
        events.append(("write", os.fspath(path)))
        real_write(path, fill, clean=clean)

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    monkeypatch.setattr(archive_module, "write_atomic", write)
    monkeypatch.setattr(os, "fsync", fsync)
    paths = write_captures(tmp_path / "in", 30)  # three issues
    report = run_import(Archive(tmp_path / "a"), map(str, paths), ReadOptions(), jobs=1)
    assert report.counts["added"] == 30 and not report.failures
    writes = [index for index, (kind, _path) in enumerate(events) if kind == "write"]
    assert len(writes) == 3
    pack = os.fspath(tmp_path / "a" / ".raw" / "packs" / "000001.pack")
    for index in writes:  # the pack was synced after the last capture was appended, before the issue file
        assert ("fsync", pack) in events[:index]
    assert len({digest for kind, digest in events if kind == "needs"}) == 30


def _filled(fill: Any) -> bytes:
    buffer = io.BytesIO()
    fill(buffer)
    return buffer.getvalue()


def test_a_raw_capture_is_written_to_a_pack_readable_by_all(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    digest = archive.store_raw(b"bytes")
    archive.raw.flush()
    pack = tmp_path / ".raw" / "packs" / "000001.pack"
    assert pack.read_bytes() == f"{digest} 5\n".encode() + b"bytes\n"
    assert sorted(p.name for p in pack.parent.iterdir()) == ["000001.pack"], "no temp file left"
    assert oct(pack.stat().st_mode & 0o777) == oct(0o644 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_merge_reuses_the_issue_read_earlier_only_while_its_file_is_unchanged(tmp_path: Path, issue: Issue) -> None:
    archive = Archive(tmp_path)
    archive.merge(issue)
    stored = archive.read_issue(issue.paper, issue.date)
    assert stored.issue == issue and stored.data == archive.issue_path(issue.paper, issue.date).read_bytes()
    late = make_article(issue.paper, issue.date, "12", "另一篇")
    Archive(tmp_path).merge(Issue(issue.paper, issue.date, [Page("12", None, [late])]))  # another process
    mine = make_article(issue.paper, issue.date, "03", "我的稿件")
    archive.merge(Issue(issue.paper, issue.date, [Page("03", None, [mine])]), base=stored)
    titles = [a.title for _p, a in archive.load(archive.issue_path(issue.paper, issue.date)).articles()]
    assert "另一篇" in titles and "我的稿件" in titles, "the stale read was not written over the other's article"
    assert archive.read_issue("无此报", issue.date).data is None
