"""What is an archive, and what every command says when it is not given one: `epaper: no archive at …`, exit 1,
and with `--json` an error object on standard output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import CAPTURE, run

COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["list", "--paper", "清溪晚报"],
    ["show", "123456"],
    ["show", "123456", "--json"],
    ["check"],
    ["check", "--json"],
    ["report", "--json"],
    ["export", "--txt"],
    ["cite", "123456"],
    ["paper", "show", "--json"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("where", ["missing", "etc"])
def test_no_archive_is_an_error_with_json_kept_valid(
    args: list[str], where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "nonexistent" / "x" if where == "missing" else tmp_path / "etc"
    if where == "etc":  # a folder of other things, like /etc
        (root / "ssh").mkdir(parents=True)
        (root / "hosts").write_text("127.0.0.1 localhost\n", encoding="utf-8")
    monkeypatch.setenv("EPAPER_ARCHIVE", str(root))
    code, out, err = run(*args)
    assert code == 1
    assert err.startswith(f"epaper: no archive at {root}: ") and len(err.splitlines()) == 1, err
    if "--json" in args:
        assert json.loads(out)["error"] == {
            "what": f"no archive at {root}",
            "why": err.split(": ", 2)[2].strip(),
            "status": 1,
        }
    else:
        assert out == ""


def test_what_counts_as_an_archive(tmp_path: Path) -> None:
    from epaper_cli.layout import is_archive

    assert not is_archive(tmp_path / "absent")
    assert not is_archive(tmp_path)  # an empty folder
    (tmp_path / ".lock").touch()  # what a first import that failed leaves
    assert not is_archive(tmp_path)
    (tmp_path / "清溪晚报" / "2025").mkdir(parents=True)
    (tmp_path / "清溪晚报" / "2025" / "notes.txt").touch()
    assert not is_archive(tmp_path)
    (tmp_path / "清溪晚报" / "2025" / "2025-03-14.yaml").touch()  # an issue file, as any version wrote it
    assert is_archive(tmp_path)
    for marker in (".raw", "papers.yaml"):
        other = tmp_path / marker.strip(".")
        other.mkdir()
        (other / marker).mkdir() if marker == ".raw" else (other / marker).touch()
        assert is_archive(other)


def test_an_archive_from_an_import_counts_and_import_makes_one(tmp_path: Path) -> None:
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    code, _out, err = run("import", "--archive", str(tmp_path / "new"), str(tmp_path / "c.txt"))
    assert code == 0, err
    code, out, err = run("list", "--archive", str(tmp_path / "new"))
    assert code == 0 and out.startswith("清溪晚报"), err
    code, out, err = run("check", "--archive", str(tmp_path / "new"), "--json")
    assert code == 0 and json.loads(out) == [], err
