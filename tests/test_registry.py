"""The paper registry, papers.yaml: read, checked line by line, edited by `epaper paper`, used by import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from epaper_cli import registry
from epaper_cli.archive import Archive
from epaper_cli.errors import ArchiveError
from epaper_cli.model import PaperInfo, article_id
from tests.test_cli import run

GOOD = """\
format: epaper-papers/1
papers:
  清溪晚报:
    aliases: [清溪晚報, 清溪日报]
    language: zh-CN
    place: 清溪
    publisher: 清溪晚报社
    issn: 1234-5679
    cn: CN33-0012
    frequency: daily
  The Harbour Times:
    language: en
    issn: 0000-006x
  江南商报:
"""


def write_registry(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / "papers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def capture(paper: str, title: str = "江畔春耕正当时", byline: str = "记者 林小溪 通讯员 周远") -> str:
    """An article in the generic front-matter format."""
    return (
        f"---\npaper: {paper}\ndate: 2025-03-14\npage: 3\nsection: 要闻\ntitle: {title}\nbyline: {byline}\n---\n"
        "清晨六点，江畔的田野里已经响起了拖拉机的声音，农户们趁着晴好天气抓紧翻耕。\n"
    )


# -- reading -------------------------------------------------------------------------------------------


def test_an_archive_without_a_registry_has_an_empty_one(tmp_path: Path) -> None:
    papers = registry.load(tmp_path)
    assert (papers.entries, papers.problems, papers.papers) == ([], [], {})


def test_a_good_registry_gives_each_paper_its_checked_values(tmp_path: Path) -> None:
    papers = registry.load(write_registry(tmp_path, GOOD).parent)
    assert papers.problems == []
    assert papers.papers["清溪晚报"] == PaperInfo(
        "清溪晚报", ("清溪晚報", "清溪日报"), "zh-CN", "清溪", "清溪晚报社", "1234-5679", "CN 33-0012", "daily"
    )
    assert papers.papers["The Harbour Times"].issn == "0000-006X"
    assert papers.papers["江南商报"] == PaperInfo("江南商报")
    assert papers.info("清溪晚報") is papers.papers["清溪晚报"]
    assert papers.info("无名报") is None


@pytest.mark.parametrize(("digits", "check"), [("0378595", "5"), ("2049363", "0"), ("0000006", "X")])
def test_the_issn_check_digit_is_iso_3297s(digits: str, check: str) -> None:
    assert registry.issn_check_digit(digits) == check


@pytest.mark.parametrize(
    ("lines", "line", "reason"),
    [
        ("    isn: 1234-5679", 4, "清溪晚报: unknown key `isn` (known: aliases, language, place"),
        ("    issn: 1234-5678", 4, "清溪晚报: issn 1234-5678: wrong check digit 8, 1234-5679 would be valid"),
        ("    issn: 12345679", 4, "清溪晚报: issn 12345679: not an ISSN, which is written NNNN-NNNC"),
        ("    cn: 33-0012", 4, "清溪晚报: cn 33-0012: not a CN number, which is written CN NN-NNNN"),
        ("    cn: CN 99-0012", 4, "清溪晚报: cn CN 99-0012: 99 is not a province code"),
        ("    cn: CN 33-0000", 4, "清溪晚报: cn CN 33-0000: the serial number cannot be 0000"),
        ("    language: Chinese please", 4, "清溪晚报: language Chinese please: not a language tag"),
        ("    aliases: [清溪晚报]", 4, "清溪晚报: alias 清溪晚报 is the paper's own name"),
        ("    aliases: [江南商报]", 4, "清溪晚报: alias 江南商报 is the name of another registered paper (line 5)"),
        ("    aliases: [清溪晚報, 清溪晚報]", 4, "清溪晚报: alias 清溪晚報 is listed twice"),
        ("    place: 清溪\n    place: 江南", 5, "清溪晚报: `place` appears twice"),
        ("    place: [清溪, 江南]", 4, "清溪晚报: `place` must be one value, not a list or mapping"),
    ],
)
def test_each_bad_value_is_one_problem_with_its_line(lines: str, line: int, reason: str) -> None:
    text = f"format: epaper-papers/1\npapers:\n  清溪晚报:\n{lines}\n  江南商报:\n"
    problems = registry.parse(text, Path("papers.yaml")).problems
    assert len(problems) == 1, problems
    assert problems[0][0] == line
    assert problems[0][1].startswith(reason)


def test_a_paper_registered_twice_is_a_problem_and_its_first_entry_counts() -> None:
    text = "papers:\n  江南商报:\n    place: 江南\n  清溪晚报:\n  江南商报:\n    place: 别处\n"
    papers = registry.parse(text, Path("papers.yaml"))
    assert papers.problems == [(5, "江南商报: registered twice (lines 2 and 5)")]
    assert papers.papers["江南商报"].place == "江南"


def test_an_alias_naming_two_papers_is_a_problem_and_maps_to_neither() -> None:
    text = "papers:\n  清溪晚报:\n    aliases: [清溪报]\n  清溪日报:\n    aliases: [清溪报]\n"
    papers = registry.parse(text, Path("papers.yaml"))
    assert papers.problems == [(5, "清溪日报: alias 清溪报 names two papers: 清溪晚报 (line 2) and 清溪日报")]
    assert "清溪报" not in papers.aliases
    assert papers.info("清溪报") is None
    assert papers.papers["清溪晚报"].aliases == ()


def test_a_bad_value_is_left_out_and_the_rest_is_kept() -> None:
    papers = registry.parse("papers:\n  清溪晚报:\n    place: 清溪\n    issn: 1234-5678\n", Path("p"))
    assert papers.papers["清溪晚报"] == PaperInfo("清溪晚报", place="清溪")


def test_values_are_read_as_written_not_as_yaml_guesses() -> None:
    papers = registry.parse("papers:\n  清溪晚报:\n    language: no\n    frequency: 5\n", Path("p"))
    assert (papers.papers["清溪晚报"].language, papers.papers["清溪晚报"].frequency) == ("no", "5")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("papers:\n  清溪晚报: [\n", "line 3: not valid YAML"),
        ("- 清溪晚报\n", "line 1: expected `papers:` with one entry per paper"),
        ("format: epaper-papers/9\n", "line 1: unknown format 'epaper-papers/9'"),
        ("papers:\n  - 清溪晚报\n", "line 2: `papers:` must map each paper's name to its entry"),
        ("papers:\n  甲: &a {place: 清溪}\n  乙: *a\n", "line 3: not valid YAML: YAML aliases"),
        ("a: 1\n---\nb: 2\n", "not valid YAML"),
    ],
)
def test_an_unreadable_registry_is_one_error_naming_the_file_and_line(tmp_path: Path, text: str, why: str) -> None:
    root = write_registry(tmp_path / "a", text).parent
    with pytest.raises(ArchiveError) as caught:
        registry.load(root)
    assert caught.value.what == str(root / "papers.yaml")
    assert why in caught.value.why


def test_a_registry_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "a"
    root.mkdir()
    (root / "papers.yaml").write_bytes("papers:\n  清溪晚报:\n".encode("gb18030"))
    with pytest.raises(ArchiveError, match="not UTF-8"):
        registry.load(root)


# -- epaper check --------------------------------------------------------------------------------------


def test_check_reports_each_registry_problem_as_file_line_reason(tmp_path: Path) -> None:
    root = tmp_path / "a"
    source = tmp_path / "in.txt"
    source.write_text(capture("清溪晚报"), encoding="utf-8")
    assert run("import", "--archive", str(root), str(source))[0] == 0
    path = write_registry(root, "papers:\n  清溪晚报:\n    isn: 1234-5679\n    issn: 1234-5678\n")
    code, out, _err = run("check", "--archive", str(root))
    assert code == 1
    assert out.splitlines() == [
        f"{path}: line 3: 清溪晚报: unknown key `isn` (known: {', '.join(registry.FIELDS)})",
        f"{path}: line 4: 清溪晚报: issn 1234-5678: wrong check digit 8, 1234-5679 would be valid",
    ]
    write_registry(root, "papers:\n  清溪晚报: [\n")
    code, out, _err = run("check", "--archive", str(root))
    assert code == 1 and out.startswith(f"{path}: line 3: not valid YAML")
    write_registry(root, GOOD)
    assert run("check", "--archive", str(root))[:2] == (0, "")


def test_check_points_at_issues_filed_under_an_alias(tmp_path: Path) -> None:
    root = tmp_path / "a"
    source = tmp_path / "in.txt"
    source.write_text(capture("清溪晚報"), encoding="utf-8")
    assert run("import", "--archive", str(root), str(source))[0] == 0  # before the alias was registered
    write_registry(root, GOOD)
    code, out, _err = run("check", "--archive", str(root))
    assert code == 1
    assert out == f"{root / '清溪晚報'}: issues filed under 清溪晚報, an alias of 清溪晚报: " + (
        "`epaper rename-paper 清溪晚報 清溪晚报`\n"
    )


# -- import --------------------------------------------------------------------------------------------


def test_import_files_an_alias_under_the_registered_name_with_ids_to_match(tmp_path: Path) -> None:
    root = tmp_path / "a"
    write_registry(root, GOOD)
    source = tmp_path / "in.txt"
    source.write_text(capture("清溪晚報"), encoding="utf-8")
    code, out, err = run("import", "--archive", str(root), str(source))
    assert code == 0, err
    date = dt.date(2025, 3, 14)
    assert out.split("\t")[1:5] == [
        "清溪晚报",
        "2025-03-14",
        "03",
        article_id("清溪晚报", date, "03", "江畔春耕正当时"),
    ]
    assert [p.name for p in Archive(root).paper_dirs()] == ["清溪晚报"]
    assert run("check", "--archive", str(root))[:2] == (0, "")
    # --paper given as an alias goes the same way, and re-importing changes nothing
    code, out, _err = run("import", "--archive", str(root), "--paper", "清溪日报", str(source))
    assert code == 0 and out.startswith("unchanged\t清溪晚报\t")


def test_an_unregistered_or_ambiguous_name_is_imported_as_it_is(tmp_path: Path) -> None:
    root = tmp_path / "a"
    write_registry(root, "papers:\n  甲报:\n    aliases: [清溪报]\n  乙报:\n    aliases: [清溪报]\n")
    source = tmp_path / "in.txt"
    source.write_text(capture("清溪报"), encoding="utf-8")
    code, out, _err = run("import", "--archive", str(root), str(source))
    assert code == 0 and out.split("\t")[1] == "清溪报"


def test_a_broken_registry_stops_an_import_before_anything_is_filed(tmp_path: Path) -> None:
    root = tmp_path / "a"
    path = write_registry(root, "papers: [\n")
    source = tmp_path / "in.txt"
    source.write_text(capture("清溪晚報"), encoding="utf-8")
    code, out, err = run("import", "--archive", str(root), str(source))
    assert code == 1 and out == ""
    assert err.startswith(f"epaper: {path}: line 2: not valid YAML")
    assert Archive(root).paper_dirs() == []


def test_paper_info_gives_the_writers_a_papers_entry_by_name_or_alias(tmp_path: Path) -> None:
    store = Archive(write_registry(tmp_path / "a", GOOD).parent)
    info = registry.paper_info(store, "清溪晚報")
    assert info is not None and (info.name, info.place, info.publisher) == ("清溪晚报", "清溪", "清溪晚报社")
    assert registry.paper_info(store, "无名报") is None


# -- epaper paper set / show ---------------------------------------------------------------------------


def test_paper_set_registers_a_paper_and_writes_canonical_values(tmp_path: Path) -> None:
    root = str(tmp_path / "a")
    code, out, err = run(
        "paper", "set", "清溪晚报", "--archive", root, "--place", "清溪", "--issn", "0000-006x",
        "--cn", "cn33-0012", "--alias", "清溪晚報", "--alias", "清溪日报", "--language", "zh-CN",
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines() == [
        "清溪晚报",
        "  aliases: 清溪晚報, 清溪日报",
        "  language: zh-CN",
        "  place: 清溪",
        "  issn: 0000-006X",
        "  cn: CN 33-0012",
    ]
    text = (tmp_path / "a" / "papers.yaml").read_text(encoding="utf-8")
    assert text.startswith("# The papers of this epaper archive")
    assert yaml.safe_load(text)["papers"]["清溪晚报"] == {
        "aliases": ["清溪晚報", "清溪日报"],
        "language": "zh-CN",
        "place": "清溪",
        "issn": "0000-006X",
        "cn": "CN 33-0012",
    }
    assert registry.load(tmp_path / "a").problems == []
    code, out, _err = run("paper", "show", "清溪日报", "--archive", root, "--json")
    assert code == 0 and '"name": "清溪晚报"' in out and '"cn": "CN 33-0012"' in out


def test_paper_set_removes_a_value_given_empty_and_drops_aliases(tmp_path: Path) -> None:
    root = str(tmp_path / "a")
    assert run("paper", "set", "清溪晚报", "--archive", root, "--place", "清溪", "--alias", "清溪晚報")[0] == 0
    code, out, err = run("paper", "set", "清溪晚报", "--archive", root, "--place", "", "--drop-alias", "清溪晚報")
    assert code == 0, err
    assert out == "清溪晚报\n"
    assert yaml.safe_load((tmp_path / "a" / "papers.yaml").read_text(encoding="utf-8"))["papers"] == {"清溪晚报": None}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["清溪晚报", "--issn", "1234-5678"], "epaper: --issn: issn 1234-5678: wrong check digit 8"),
        (["清溪晚报", "--cn", "CN 99-0012"], "epaper: --cn: cn CN 99-0012: 99 is not a province code"),
        (["清溪晚报", "--language", "汉语"], "epaper: --language: language 汉语: not a language tag"),
        (["清溪晚报", "--alias", "江南商报"], "epaper: --alias: 江南商报 is the name of another registered paper"),
        (["江南商报", "--alias", "清溪晚報"], "epaper: --alias: 清溪晚報 is already an alias of 清溪晚报"),
        (["清溪晚报", "--alias", "清溪晚报"], "epaper: --alias: 清溪晚报 cannot be an alias of 清溪晚报"),
        (["清溪晚报", "--drop-alias", "无名"], "epaper: --drop-alias: 无名 is not an alias of 清溪晚报"),
        (["清溪晚報", "--place", "清溪"], "epaper: 清溪晚報: an alias of 清溪晚报: give the paper's name"),
        (["清溪晚报"], "epaper: paper set: nothing to set"),
    ],
)
def test_paper_set_refuses_what_check_would_call_a_problem_and_changes_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    path = write_registry(tmp_path / "a", GOOD)
    code, out, err = run("paper", "set", *args, "--archive", str(path.parent))
    assert (code, out) == (2, "")
    assert err.startswith(message)
    assert path.read_text(encoding="utf-8") == GOOD


def test_paper_set_keeps_every_other_value_even_a_wrong_one(tmp_path: Path) -> None:
    text = "papers:\n  清溪晚报:\n    issn: 1234-5678\n    colour: red\n  江南商报:\n    place: 江南\n"
    path = write_registry(tmp_path / "a", text)
    code, _out, err = run("paper", "set", "清溪晚报", "--archive", str(path.parent), "--place", "清溪")
    assert code == 0, err
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["papers"]
    assert data == {"清溪晚报": {"place": "清溪", "issn": "1234-5678", "colour": "red"}, "江南商报": {"place": "江南"}}


def test_paper_set_says_when_it_drops_comments_and_refuses_a_file_it_cannot_rewrite(tmp_path: Path) -> None:
    path = write_registry(tmp_path / "a", "# my notes\npapers:\n  清溪晚报:\n")
    code, _out, err = run("paper", "set", "清溪晚报", "--archive", str(path.parent), "--place", "清溪")
    assert code == 0 and "without its 1 comment line(s)" in err
    broken = "papers:\n  清溪晚报:\n    place: {city: 清溪}\n"
    write_registry(tmp_path / "a", broken)
    code, _out, err = run("paper", "set", "清溪晚报", "--archive", str(path.parent), "--place", "清溪")
    assert code == 1 and err.startswith(f"epaper: {path}: line 3: not in the layout epaper writes")
    assert path.read_text(encoding="utf-8") == broken


def test_paper_show_lists_every_paper_and_names_an_unknown_one(tmp_path: Path) -> None:
    root = str(write_registry(tmp_path / "a", GOOD).parent)
    code, out, _err = run("paper", "show", "--archive", root)
    assert code == 0
    assert [line for line in out.splitlines() if not line.startswith(" ")] == [
        "清溪晚报",
        "The Harbour Times",
        "江南商报",
    ]
    code, _out, err = run("paper", "show", "无名报", "--archive", root)
    assert code == 1 and err.startswith("epaper: 无名报: not in the paper registry")
