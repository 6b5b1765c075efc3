"""`epaper export` through the CLI: choosing the issue, naming and placing outputs, and usage errors."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from tests.test_cli import CAPTURE, SECOND, run


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """An archive with two issues of one paper (03-13 and 03-14)."""
    root = tmp_path / "a"
    (tmp_path / "one.txt").write_text(CAPTURE, encoding="utf-8")
    (tmp_path / "two.txt").write_text(SECOND.replace("日期:03-14", "日期:03-13"), encoding="utf-8")
    code, _out, err = run("import", "--archive", str(root), str(tmp_path / "one.txt"), str(tmp_path / "two.txt"))
    assert code == 0, err
    return root


def test_default_is_the_only_papers_newest_issue_named_paper_date(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("export", "--txt", "--epub", "--archive", str(archive))
    assert code == 0, err
    assert out.splitlines() == ["清溪晚报-2025-03-14.epub", "清溪晚报-2025-03-14.txt"]  # as named: relative
    text = (tmp_path / "清溪晚报-2025-03-14.txt").read_text(encoding="utf-8")
    assert text.startswith("清溪晚报 2025-03-14\n") and "江畔春耕正当时" in text
    with zipfile.ZipFile(tmp_path / "清溪晚报-2025-03-14.epub") as book:
        assert book.read("mimetype") == b"application/epub+zip"


def test_date_folder_file_and_stdout_outputs(archive: Path, tmp_path: Path) -> None:
    books = tmp_path / "books"
    books.mkdir()
    code, _out, err = run("export", "--txt", "--archive", str(archive), "--date", "2025-03-13", "-o", str(books))
    assert code == 0, err
    assert "小巷书店的新主人" in (books / "清溪晚报-2025-03-13.txt").read_text(encoding="utf-8")

    code, _out, _err = run("export", "--txt", "--archive", str(archive), "-o", str(tmp_path / "today.txt"))
    assert code == 0 and (tmp_path / "today.txt").read_text(encoding="utf-8").startswith("清溪晚报 2025-03-14")

    code, out, _err = run("export", "--txt", "--archive", str(archive), "-o", "-")
    assert code == 0 and out.startswith("清溪晚报 2025-03-14\n")


def test_text_export_imports_back_into_the_same_issue(archive: Path, tmp_path: Path) -> None:
    code, out, _err = run("export", "--txt", "--archive", str(archive), "-o", "-")
    assert code == 0
    (tmp_path / "back.txt").write_text(out, encoding="utf-8")
    code, out, err = run("import", "--archive", str(archive), str(tmp_path / "back.txt"))
    assert code == 0, err
    assert out.startswith("replaced\t")  # same identity; only the source differs
    code, again, _err = run("export", "--txt", "--archive", str(archive), "-o", "-")
    assert again == (tmp_path / "back.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--archive", "A"], "choose at least one of --epub, --pdf, --txt"),
        (["--txt", "--epub", "--archive", "A", "-o", "-"], "a file or - takes exactly one format"),
        (["--txt", "--epub", "--archive", "A", "-o", "OUT/x.bin"], "a file or - takes exactly one format"),
        (["--txt", "--archive", "A", "--date", "2025-3-1"], "is not a date"),
    ],
)
def test_usage_errors_exit_2(archive: Path, tmp_path: Path, args: list[str], message: str) -> None:
    args = [str(archive) if a == "A" else a.replace("OUT", str(tmp_path)) for a in args]
    code, _out, err = run("export", *args)
    assert code == 2 and message in err, err


def test_missing_issue_or_paper_exits_1(archive: Path) -> None:
    code, _out, err = run("export", "--txt", "--archive", str(archive), "--date", "2024-01-01")
    assert code == 1 and "no such issue in the archive" in err
    code, _out, err = run("export", "--txt", "--archive", str(archive), "--paper", "别的报")
    assert code == 1 and "epaper: 别的报: no such paper in the archive" in err
    code, _out, err = run("export", "--txt", "--archive", str(archive.parent / "empty"))
    assert code == 1 and f"epaper: no archive at {archive.parent / 'empty'}: no such folder" in err
    (archive.parent / "empty").mkdir()
    (archive.parent / "empty" / "papers.yaml").write_text("", encoding="utf-8")  # an archive with no issue yet
    code, _out, err = run("export", "--txt", "--archive", str(archive.parent / "empty"))
    assert code == 1 and "the archive holds no issue" in err


def test_several_papers_need_paper(archive: Path, tmp_path: Path) -> None:
    (tmp_path / "other.txt").write_text(CAPTURE.replace("清溪晚报", "南岭日报"), encoding="utf-8")
    run("import", "--archive", str(archive), str(tmp_path / "other.txt"))
    code, _out, err = run("export", "--txt", "--archive", str(archive), "-o", "-")
    assert code == 2 and "the archive holds several papers (南岭日报, 清溪晚报): pass --paper NAME" in err


def test_a_failing_writer_leaves_no_file(archive: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    code, _out, err = run("export", "--pdf", "--archive", str(archive), "--font", str(tmp_path), "-o", str(target))
    assert code == 1 and err.startswith("epaper: ") and "Traceback" not in err
    assert not target.exists()
    assert list(tmp_path.glob(".tmp-*")) == []


def test_ten_years_of_a_daily_list_and_export_without_reading_other_issues(archive: Path, tmp_path: Path) -> None:
    # 3,650 issue files that would fail to load if anything read them: only file names may be looked at.
    paper_dir = archive / "清溪晚报"
    start = dt.date(2010, 1, 1)
    for offset in range(3650):
        day = start + dt.timedelta(days=offset)
        folder = paper_dir / f"{day.year}"
        folder.mkdir(exist_ok=True)
        (folder / f"{day.isoformat()}.yaml").write_text("format: epaper/1\npaper: [unreadable\n", encoding="utf-8")
    code, out, err = run("list", "--archive", str(archive), "--paper", "清溪晚报")
    assert code == 0, err
    assert len(out.splitlines()) == 3652 and out.splitlines()[-1] == "2025-03-14"
    code, out, err = run("list", "--archive", str(archive))
    assert code == 0 and out == "清溪晚报\t3652\t2010-01-01\t2025-03-14\n"
    code, out, err = run("export", "--txt", "--archive", str(archive), "-o", "-")
    assert code == 0 and out.startswith("清溪晚报 2025-03-14"), err
    code, out, err = run("export", "--txt", "--archive", str(archive), "--date", "2025-03-13", "-o", "-")
    assert code == 0 and out.startswith("清溪晚报 2025-03-13"), err
