"""End-to-end: the installed `epaper` command in real processes, as a shell script would run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.test_cli import CAPTURE

pytestmark = pytest.mark.e2e


def epaper() -> str:
    """The installed console script, next to the interpreter running the tests."""
    candidate = Path(sys.executable).parent / "epaper"
    path = str(candidate) if candidate.exists() else shutil.which("epaper")
    if path is None:
        pytest.skip("the epaper command is not installed (pip install .)")
    return path


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "EPAPER_ARCHIVE"}
    return subprocess.run([epaper(), *args], cwd=cwd, input=stdin, capture_output=True, env=env, timeout=120)


def test_version_help_and_usage_error(tmp_path: Path) -> None:
    assert run("--version", cwd=tmp_path).stdout.decode().startswith("epaper ")
    assert b"import" in run("--help", cwd=tmp_path).stdout
    result = run("import", "--bogus", cwd=tmp_path)
    assert result.returncode == 2


def test_import_from_a_pipe_into_the_default_archive(tmp_path: Path) -> None:
    result = run("import", cwd=tmp_path, stdin=CAPTURE.encode("utf-8"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "archive" / "清溪晚报" / "2025" / "2025-03-14.yaml").is_file()
    assert result.stdout.decode().startswith("added\t清溪晚报\t2025-03-14\t05\t")


def test_garbage_exits_1_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 4)
    result = run("import", "junk.txt", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert lines[0].startswith("epaper: junk.txt: ")
    assert "Traceback" not in result.stderr.decode()
    assert not (tmp_path / "archive" / "清溪晚报").exists()


def test_four_processes_importing_into_one_issue_keep_all_four(tmp_path: Path) -> None:
    titles = ["江畔春耕正当时", "小巷书店的新主人", "夜市灯火到天明", "古桥修缮完工"]
    for index, title in enumerate(titles):
        (tmp_path / f"c{index}.txt").write_text(CAPTURE.replace("江畔春耕正当时", title), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "EPAPER_ARCHIVE"}
    processes = [
        subprocess.Popen([epaper(), "import", f"c{i}.txt"], cwd=tmp_path, env=env, stderr=subprocess.PIPE)
        for i in range(4)
    ]
    assert [p.wait(120) for p in processes] == [0, 0, 0, 0]
    issue = yaml.safe_load((tmp_path / "archive" / "清溪晚报" / "2025" / "2025-03-14.yaml").read_text("utf-8"))
    assert sorted(a["title"] for a in issue["pages"][0]["articles"]) == sorted(titles)
    assert run("check", cwd=tmp_path).returncode == 0


def test_commands_load_only_the_libraries_they_need(tmp_path: Path) -> None:
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    heavy = (
        "yaml",
        "ebooklib",
        "reportlab",
        "PIL",
        "fontTools",
        "epaper_cli.formats.text",
        "epaper_cli.formats.pdf",
        "epaper_cli.formats.epub",
        "epaper_cli.fontfinder",
        "epaper_cli.fontcache",
    )
    script = (
        "import sys\nfrom epaper_cli.cli import app\nsys.argv = sys.argv[1:]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        f"print(' '.join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)"
    )

    def loaded(*args: str) -> str:
        result = subprocess.run([sys.executable, "-c", script, "epaper", *args], cwd=tmp_path, capture_output=True)
        return result.stderr.decode().strip().splitlines()[-1] if result.stderr.strip() else ""

    assert loaded("--help") == ""
    assert loaded("import", "-q", "--archive", "a", "c.txt") == "yaml"  # libyaml writes the issue files
    # Issue files in the canonical layout are read without PyYAML (see yamltext: reading is what loading costs).
    assert loaded("export", "--txt", "--archive", "a", "-o", "out.txt") == "epaper_cli.formats.text"
    assert loaded("list", "--archive", "a", "--paper", "清溪晚报", "--date", "2025-03-14") == ""


def test_output_is_complete_and_exit_codes_kept_by_the_quick_exit(tmp_path: Path) -> None:
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    assert run("import", "-q", "c.txt", cwd=tmp_path).returncode == 0
    whole = run("export", "--txt", "-o", "-", cwd=tmp_path)
    assert whole.returncode == 0 and whole.stdout.endswith(b"\n") and "江畔春耕正当时".encode() in whole.stdout
    assert run("export", "--txt", "--paper", "无此报", cwd=tmp_path).returncode == 1
    assert run("export", "--bogus", cwd=tmp_path).returncode == 2
    listing = subprocess.run(
        f"'{epaper()}' list --paper 清溪晚报 | head -c 1", shell=True, cwd=tmp_path, capture_output=True
    )
    assert listing.stderr == b"", "a reader that goes away early gets no traceback"
