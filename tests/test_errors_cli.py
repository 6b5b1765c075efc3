"""Errors as the README promises them: one line `epaper: <what>: <why>`, usage errors exit 2 (Click's "did you
mean" kept), `--json` always valid JSON, a full output named and not an internal error."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.test_cli import CAPTURE, run
from tests.test_e2e import epaper


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["lst"], "epaper: lst: no such command; did you mean 'list'? (see 'epaper -h')"),
        (["export", "--papr", "x"], "epaper: --papr: no such option; did you mean --paper? (see 'epaper export -h')"),
        (["import", "--jobs", "0"], "epaper: --jobs: invalid value for '--jobs' / '-j': 0 is not in the range x>=1"),
        (["show"], "epaper: ID: missing argument 'ID' (see 'epaper show -h')"),
        (["--bogus"], "epaper: --bogus: no such option (see 'epaper -h')"),
        (["export", "--pdf", "--page-size", "B5"], "epaper: --page-size: 'B5' is not a page size: use A4, A5, letter"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str], line: str) -> None:
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith(line), err


def test_a_usage_error_with_json_is_an_error_object_on_stdout() -> None:
    code, out, err = run("list", "--json", "extra")
    assert code == 2 and err.startswith("epaper: list: got unexpected extra argument")
    error = json.loads(out)["error"]
    assert error["what"] == "list" and error["status"] == 2 and "extra argument" in error["why"]


def test_a_full_standard_output_is_a_named_error(tmp_path: Path) -> None:
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    code, _out, err = run("import", "--archive", str(tmp_path / "a"), str(tmp_path / "c.txt"))
    assert code == 0, err
    for args in (["export", "--txt", "-o", "-"], ["list"], ["list", "--json"]):
        with open("/dev/full", "wb") as full:
            done = subprocess.run(
                [epaper(), *args, "--archive", str(tmp_path / "a")], stdout=full, stderr=subprocess.PIPE, timeout=120
            )
        assert done.returncode == 1, args
        assert done.stderr.decode() == "epaper: standard output: cannot write: No space left on device\n", args


def _captures(folder: Path, issues: int, pages: int) -> None:
    folder.mkdir()
    for day in range(1, issues + 1):
        capture = CAPTURE.replace("日期:03-14", f"日期:02-{day:02d}").replace("江畔春耕正当时", f"江畔春耕正当时{day}")
        for page in range(1, pages + 1):
            text = capture.replace("版面:第5版:农事", f"版面:第{page}版:农事")
            (folder / f"c{day:02d}-{page:02d}.txt").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("json_output", [False, True])
def test_a_closed_standard_output_lets_the_import_finish_and_says_so(tmp_path: Path, json_output: bool) -> None:
    """`epaper import caps/ | head -1`: the reader goes away after one line; every issue is still imported."""
    import fcntl

    _captures(tmp_path / "caps", issues=20, pages=10)
    command = [epaper(), "import", "--archive", str(tmp_path / "a"), str(tmp_path / "caps")]
    process = subprocess.Popen(
        command + (["--json"] if json_output else []), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    fcntl.fcntl(process.stdout.fileno(), 1031, 4096)  # F_SETPIPE_SZ: a small pipe, so the writer meets the close
    assert os.read(process.stdout.fileno(), 64)  # a little of the first line, as `head -c 64` would
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert "epaper: standard output: closed by its reader before the end; the import went on to the end" in err
    assert "epaper: imported: 200 added" in err and "Traceback" not in err
    code, out, _err = run("list", "--paper", "清溪晚报", "--archive", str(tmp_path / "a"))
    assert code == 0 and len(out.splitlines()) == 20
