"""The command line through Typer's runner: exit codes, stdout for data, stderr for messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from epaper_cli.cli import app
from tests.helpers import is_derived, kept_captures

CAPTURE = """电子报阅读机
2025-03-15
星期六
当前报纸名称:清溪晚报

江畔春耕正当时

日期:03-14
字号:
版面:第5版:农事\u00a0\u00a0上一篇\u00a0\u00a0下一篇

  记者 林小溪 通讯员 周远

  清晨六点,江畔的田野里已经响起了拖拉机的声音,农户们趁着晴好天气抓紧翻耕。

  今年的新变化

  合作社引入了三台新式插秧机,每台每天可以完成四十亩的作业量。
"""

SECOND = CAPTURE.replace("江畔春耕正当时", "小巷书店的新主人").replace("版面:第5版:农事", "版面:第12版:文化")


def run(*args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    """Run the app and return exit code, standard output and standard error separately."""
    result = CliRunner().invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def capture(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "capture.txt"
    path.parent.mkdir()
    path.write_text(CAPTURE, encoding="utf-8")
    return path


def test_import_writes_one_issue_file_and_reports_on_stdout(tmp_path: Path, capture: Path) -> None:
    code, out, err = run("import", "--archive", str(tmp_path / "a"), str(capture))
    assert code == 0, err
    status, paper, date, page, article_id, title = out.strip().split("\t")
    assert (status, paper, date, page, title) == ("added", "清溪晚报", "2025-03-14", "05", "江畔春耕正当时")
    assert len(article_id) == 12
    assert "1 added" in err
    data = yaml.safe_load((tmp_path / "a" / "清溪晚报" / "2025" / "2025-03-14.yaml").read_text("utf-8"))
    assert data["pages"][0]["articles"][0]["body"][0]["text"].startswith("清晨六点，江畔的田野里")


def test_importing_twice_leaves_the_archive_byte_identical(tmp_path: Path, capture: Path) -> None:
    archive = tmp_path / "a"
    assert run("import", "--archive", str(archive), str(capture))[0] == 0
    before = {p: p.read_bytes() for p in archive.rglob("*") if p.is_file() and not is_derived(p.name)}
    code, out, _err = run("import", "--archive", str(archive), str(capture))
    assert code == 0
    assert out.startswith("unchanged\t")
    after = {p: p.read_bytes() for p in archive.rglob("*") if p.is_file() and not is_derived(p.name)}
    assert after == before


def test_import_json_is_one_object_per_article(tmp_path: Path, capture: Path) -> None:
    (capture.parent / "second.txt").write_text(SECOND, encoding="utf-8")
    code, out, _err = run("import", "--archive", str(tmp_path / "a"), "--json", str(capture.parent))
    assert code == 0
    records = json.loads(out)
    assert [(r["page"], r["title"], r["status"]) for r in records] == [
        ("05", "江畔春耕正当时", "added"),
        ("12", "小巷书店的新主人", "added"),
    ]
    assert set(records[0]) == {"file", "paper", "date", "page", "title", "id", "status", "path"}
    assert records[0]["file"].endswith("capture.txt")


def test_import_reads_standard_input(tmp_path: Path) -> None:
    code, out, err = run("import", "--archive", str(tmp_path / "a"), "-", input=CAPTURE.encode("gb18030"))
    assert code == 0, err
    assert "江畔春耕正当时" in out


def test_dry_run_writes_nothing(tmp_path: Path, capture: Path) -> None:
    code, out, err = run("import", "--archive", str(tmp_path / "a"), "--dry-run", str(capture))
    assert code == 0
    assert out.startswith("would add\t")
    assert "dry run: 1 would add" in err
    assert not (tmp_path / "a").exists()


def test_paper_and_date_options_correct_the_capture(tmp_path: Path, capture: Path) -> None:
    code, out, _err = run(
        "import", "--archive", str(tmp_path / "a"), "--paper", "清溪日报", "--date", "2025-03-13", str(capture)
    )
    assert code == 0
    assert out.split("\t")[1:3] == ["清溪日报", "2025-03-13"]
    assert (tmp_path / "a" / "清溪日报" / "2025" / "2025-03-13.yaml").is_file()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n\x00\x01binary", "PDF"),
        (CAPTURE.replace("日期:03-14\n", "").encode(), "--date"),
    ],
)
def test_bad_inputs_fail_alone_with_one_line_and_exit_1(
    tmp_path: Path, capture: Path, content: bytes, reason: str
) -> None:
    bad = capture.parent / "bad.txt"
    bad.write_bytes(content)
    code, out, err = run("import", "--archive", str(tmp_path / "a"), str(bad), str(capture))
    assert code == 1
    errors = [line for line in err.splitlines() if line.startswith("epaper: ") and "bad.txt" in line]
    assert len(errors) == 1 and reason in errors[0], err
    assert errors[0].startswith(f"epaper: {bad}: ")
    assert "Traceback" not in err
    assert out.count("\n") == 1 and "江畔春耕正当时" in out  # the good file still went in
    assert list(kept_captures(tmp_path / "a").values()) == [capture.read_bytes()]  # the good one alone


def test_missing_file_and_usage_errors(tmp_path: Path) -> None:
    code, _out, err = run("import", "--archive", str(tmp_path / "a"), str(tmp_path / "nope.txt"))
    assert code == 1 and f"epaper: {tmp_path / 'nope.txt'}: no such file" in err
    code, _out, err = run("import", "--archive", str(tmp_path / "a"), "--date", "14/03/2025", "-", input="x")
    assert code == 2 and "epaper: --date: '14/03/2025' is not a date: use YYYY-MM-DD" in err
    code, _out, err = run("import", "--encoding", "klingon", "-", input="x")
    assert code == 2 and "unknown encoding" in err


def test_list_show_and_check(tmp_path: Path, capture: Path) -> None:
    archive = str(tmp_path / "a")
    (capture.parent / "second.txt").write_text(SECOND, encoding="utf-8")
    run("import", "--archive", archive, str(capture.parent))

    code, out, _ = run("list", "--archive", archive)
    assert code == 0 and out == "清溪晚报\t1\t2025-03-14\t2025-03-14\n"
    code, out, _ = run("list", "--archive", archive, "--paper", "清溪晚报")
    assert out == "2025-03-14\n"
    code, out, _ = run("list", "--archive", archive, "--paper", "清溪晚报", "--date", "2025-03-14", "--json")
    listed = json.loads(out)
    assert [(a["page"], a["section"]) for a in listed] == [("05", "农事"), ("12", "文化")]
    article_id = listed[1]["id"]

    code, out, _ = run("show", "--archive", archive, article_id)
    assert code == 0 and "小巷书店的新主人" in out and "清溪晚报 2025-03-14 12版 文化" in out
    code, out, _ = run("show", "--archive", archive, article_id, "--json")
    (shown,) = json.loads(out)
    assert shown["authors"] == [{"role": "记者", "name": "林小溪"}, {"role": "通讯员", "name": "周远"}]
    assert shown["body"][1] == {"heading": "今年的新变化"}
    code, _, err = run("show", "--archive", archive, "000000000000")
    assert code == 1 and "no article with this id" in err

    assert run("check", "--archive", archive)[:2] == (0, "")  # and a summary on stderr


def test_check_reports_each_problem_as_file_and_reason(tmp_path: Path, capture: Path) -> None:
    archive = tmp_path / "a"
    run("import", "--archive", str(archive), str(capture))
    issue_file = archive / "清溪晚报" / "2025" / "2025-03-14.yaml"
    raw = archive / ".raw" / "packs" / "000001.pack"
    raw.write_bytes(raw.read_bytes().replace("江畔".encode(), "河畔".encode()))
    broken = archive / "清溪晚报" / "2025" / "2025-03-15.yaml"
    broken.write_text("format: epaper/9\n", encoding="utf-8")
    code, out, _ = run("check", "--archive", str(archive))
    assert code == 1
    lines = out.splitlines()
    assert any(
        line.startswith(f"{raw}: capture ") and line.endswith("altered: its sha256 no longer matches") for line in lines
    )
    assert not any(line.startswith(f"{issue_file}: ") for line in lines)  # the altered capture is the problem
    assert any(line.startswith(f"{broken}: unknown format version 'epaper/9'") for line in lines)


def test_a_corrupt_issue_file_is_reported_not_overwritten(tmp_path: Path, capture: Path) -> None:
    archive = tmp_path / "a"
    issue_file = archive / "清溪晚报" / "2025" / "2025-03-14.yaml"
    issue_file.parent.mkdir(parents=True)
    issue_file.write_text("format: epaper/1\npaper: [oops\n", encoding="utf-8")
    code, _out, err = run("import", "--archive", str(archive), str(capture))
    assert code == 1
    assert f"epaper: {capture}: {issue_file}: line " in err and "not valid YAML" in err
    assert issue_file.read_text(encoding="utf-8") == "format: epaper/1\npaper: [oops\n"


def test_an_input_whose_second_issue_file_is_corrupt_adds_nothing(tmp_path: Path, capture: Path) -> None:
    archive = tmp_path / "a"
    three = capture.parent / "three.txt"
    days = ("03-13", "03-14", "03-15")
    three.write_text("".join(CAPTURE.replace("日期:03-14", f"日期:{day}") for day in days), encoding="utf-8")
    corrupt = archive / "清溪晚报" / "2025" / "2025-03-14.yaml"
    corrupt.parent.mkdir(parents=True)
    corrupt.write_text("format: epaper/1\npaper: [oops\n", encoding="utf-8")
    other = capture.parent / "other.txt"
    other.write_text(CAPTURE.replace("日期:03-14", "日期:03-12"), encoding="utf-8")

    code, out, err = run("import", "--archive", str(archive), str(three), str(other))
    assert code == 1
    errors = [line for line in err.splitlines() if "imported:" not in line]
    assert errors == [f"epaper: {three}: {corrupt}: line 3: not valid YAML (did not find expected ',' or ']')"]
    assert out.count("\n") == 1 and "\t2025-03-12\t" in out  # the other input still went in
    assert sorted(p.name for p in corrupt.parent.iterdir()) == ["2025-03-12.yaml", "2025-03-14.yaml"]
    assert corrupt.read_text(encoding="utf-8") == "format: epaper/1\npaper: [oops\n"
    assert list(kept_captures(archive).values()) == [other.read_bytes()]  # nothing of the failed input is kept


def test_version_and_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("epaper ")
    for command in ("import", "export", "list", "show", "check"):
        code, out, _ = run(command, "--help")
        assert code == 0 and "Example: epaper" in out
