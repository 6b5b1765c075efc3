"""Where `epaper export -o` writes: through devices, FIFOs and symlinks; folders with a trailing slash; the
format from the extension; options that do not apply; binary output kept off terminals."""

from __future__ import annotations

import os
import pty
import subprocess
import threading
from pathlib import Path

import pytest

from tests.test_cli import run
from tests.test_e2e import epaper

# -- 1: write through what is not a regular file ------------------------------------------------------


def test_a_symlink_keeps_being_a_link_and_its_target_gets_the_export(one_capture_archive: Path, tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    code, _out, err = run("export", "--txt", "--archive", str(one_capture_archive), "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8").startswith("清溪晚报 2025-03-14")


def test_a_dangling_symlink_creates_its_target(one_capture_archive: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "new.txt")
    code, _out, err = run("export", "--txt", "--archive", str(one_capture_archive), "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and (tmp_path / "new.txt").read_text(encoding="utf-8").startswith("清溪晚报")


def test_a_fifo_is_written_through_not_replaced(one_capture_archive: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _out, err = run("export", "--txt", "--archive", str(one_capture_archive), "-o", str(fifo))
    if code != 0:  # unblock the reader before failing
        with open(fifo, "wb"):
            pass
    reader.join(timeout=60)
    assert code == 0, err
    assert fifo.is_fifo()
    assert received and received[0].decode("utf-8").startswith("清溪晚报 2025-03-14")


def test_a_character_device_is_written_through_not_replaced(one_capture_archive: Path) -> None:
    master, slave = pty.openpty()
    try:
        device = os.ttyname(slave)
        code, _out, err = run("export", "--txt", "--archive", str(one_capture_archive), "-o", device)
        assert code == 0, err
        assert Path(device).is_char_device()
        assert "清溪晚报".encode() in os.read(master, 1 << 16)
    finally:
        os.close(master)
        os.close(slave)


# -- 2: a trailing slash is a folder ------------------------------------------------------------------


def test_a_trailing_slash_creates_the_folder(one_capture_archive: Path, tmp_path: Path) -> None:
    code, out, err = run(
        "export", "--txt", "--archive", str(one_capture_archive), "-o", str(tmp_path / "new" / "books") + "/"
    )
    assert code == 0, err
    written = tmp_path / "new" / "books" / "清溪晚报-2025-03-14.txt"
    assert written.is_file() and out.splitlines() == [str(written)]


def test_several_formats_into_a_missing_folder_say_it_is_missing(one_capture_archive: Path, tmp_path: Path) -> None:
    code, _out, err = run(
        "export", "--txt", "--jsonl", "--archive", str(one_capture_archive), "-o", str(tmp_path / "nodir")
    )
    assert code == 2
    assert err.strip() == (
        f"epaper: -o: no such folder: {tmp_path / 'nodir'} (a file or - takes exactly one format; "
        "end it with / to create a folder)"
    )
    assert not (tmp_path / "nodir").exists()


# -- 12: the format from the extension, and options that do not apply ----------------------------------


@pytest.mark.parametrize(("name", "start"), [("x.txt", b"\xe6\xb8\x85"), ("x.jsonl", b"{"), ("x.EPUB", b"PK")])
def test_the_extension_chooses_the_format(one_capture_archive: Path, tmp_path: Path, name: str, start: bytes) -> None:
    code, out, err = run("export", "--archive", str(one_capture_archive), "-o", str(tmp_path / name))
    assert code == 0, err
    assert (tmp_path / name).read_bytes().startswith(start) and out.strip() == str(tmp_path / name)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--pdf", "-o", "OUT/today.epub"],
            "epaper: -o: OUT/today.epub is named as a .epub file, but --pdf was given: name it .pdf",
        ),
        (
            ["--txt", "-o", "OUT/x.jsonl"],
            "epaper: -o: OUT/x.jsonl is named as a .jsonl file, but --txt was given: name it .txt",
        ),
        (["-o", "OUT/x.doc"], "epaper: export: choose at least one of --epub, --pdf, --txt, --jsonl"),
        (["--pdf", "--vertical", "-o", "-"], "epaper: --vertical: applies to --epub only"),
        (["--txt", "--page-size", "A5"], "epaper: --page-size: applies to --pdf only"),
        (["--pdf", "--page-size", "B5"], "epaper: --page-size: 'B5' is not a page size: use A4, A5, letter"),
        (["--epub", "--font", "OUT/f.ttf", "-o", "-"], "epaper: --font: applies to --pdf only"),
    ],
)
def test_contradicting_or_inapplicable_options_are_usage_errors(
    one_capture_archive: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [a.replace("OUT", str(tmp_path)) for a in args]
    code, out, err = run("export", "--archive", str(one_capture_archive), *args)
    assert code == 2 and err.startswith(message.replace("OUT", str(tmp_path))), err
    assert out == "" and list(tmp_path.glob("x.*")) == list(tmp_path.glob("today.*")) == []


def test_a_flag_that_matches_or_an_unknown_extension_is_kept(one_capture_archive: Path, tmp_path: Path) -> None:
    code, _out, err = run("export", "--txt", "--archive", str(one_capture_archive), "-o", str(tmp_path / "x.out"))
    assert code == 0 and (tmp_path / "x.out").read_text(encoding="utf-8").startswith("清溪晚报"), err
    pdf = str(tmp_path / "x.pdf")
    code, _out, err = run("export", "--pdf", "--page-size", "a5", "--archive", str(one_capture_archive), "-o", pdf)
    assert code == 0 and (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF"), err


# -- 9: binary formats are not sent to a terminal ------------------------------------------------------


@pytest.mark.parametrize("flag", ["--pdf", "--epub"])
def test_binary_output_to_a_terminal_is_refused(one_capture_archive: Path, tmp_path: Path, flag: str) -> None:
    master, slave = pty.openpty()
    try:
        done = subprocess.run(
            [epaper(), "export", flag, "--archive", str(one_capture_archive), "-o", "-"],
            stdout=slave,
            stderr=subprocess.PIPE,
            timeout=120,
        )
        os.close(slave)
        slave = -1
        assert done.returncode == 2
        assert done.stderr.decode().startswith("epaper: -o: will not write ") and b"terminal" in done.stderr
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)


def test_binary_output_to_a_pipe_is_written(one_capture_archive: Path) -> None:
    done = subprocess.run(
        [epaper(), "export", "--epub", "--archive", str(one_capture_archive), "-o", "-"], capture_output=True
    )
    assert done.returncode == 0 and done.stdout.startswith(b"PK")


def test_a_link_to_standard_output_reaches_the_pipe(one_capture_archive: Path, tmp_path: Path) -> None:
    """`-o /dev/stdout` with a pipe as standard output, through a link of the test's own to /proc/self/fd/1."""
    if not Path("/proc/self/fd/1").exists():
        pytest.skip("no /proc/self/fd on this system")
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    done = subprocess.run(
        [epaper(), "export", "--txt", "--archive", str(one_capture_archive), "-o", str(link)],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert done.stdout.decode().startswith("清溪晚报 2025-03-14\n")  # the text, and no path line mixed into it
    assert str(link) not in done.stdout.decode()


def test_a_font_from_the_environment_is_no_error_without_pdf(
    one_capture_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EPAPER_FONT", str(tmp_path / "f.ttf"))
    code, out, err = run("export", "--txt", "--archive", str(one_capture_archive), "-o", "-")
    assert code == 0 and out.startswith("清溪晚报"), err
