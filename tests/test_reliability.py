"""What a careless or hostile user could do to an archive and its inputs, each answered with `file: reason`."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from epaper_cli import importing, inputs, yamltext
from epaper_cli.archive import Archive
from epaper_cli.formats import ReadOptions
from epaper_cli.formats.controls import strip_controls
from epaper_cli.formats.spacing import clean_line
from epaper_cli.importing import run_import
from epaper_cli.visible import visible
from tests.helpers import kept_captures
from tests.test_cli import CAPTURE, run
from tests.test_e2e import epaper
from tests.test_robustness import capture


def backdate(folder: Path) -> None:
    """Make every file below a folder two hours old, as if written long before the check (and, for the raw
    store's folder, every capture its index holds)."""
    past = time.time() - 7200
    for path in folder.rglob("*"):
        os.utime(path, (past, past), follow_symlinks=False)
    if (folder / "index.sqlite").is_file():
        import sqlite3

        with contextlib.closing(sqlite3.connect(folder / "index.sqlite")) as db, db:
            db.execute("UPDATE kept SET stored = stored - 7200")


FRONT = "---\npaper: 清溪晚报\ndate: 2025-04-02\npage: 7\ntitle: {title}\n---\n正文第一段。\n"


@pytest.mark.parametrize(
    ("head", "reason"),
    [
        ("---\ndate: 2025-04-02\npage: 7\ntitle: 无报名\n---\n正文。\n", "has no `paper:`"),
        ("---\npaper: 清溪晚报\ndate: 2025-04-02\npage:\ntitle: 空版面\n---\n正文。\n", "has no `page:`"),
        ("---\npaper: 清溪晚报\ndate: 2025-04-02\npage: 7\ntitle:\n---\n正文。\n", "has no `title:`"),
        ("---\npaper: 清溪晚报\ndate: 2025-02-30\npage: 7\ntitle: 坏日期\n---\n正文。\n", "cannot be read"),
        ("---\npaper: 清溪晚报\ndate: 2025-04-02\npage: !!int zz\ntitle: 坏数\n---\n正文。\n", "cannot be read"),
    ],
)
def test_one_bad_front_matter_fails_only_itself(tmp_path: Path, head: str, reason: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"a{i}.txt").write_text(FRONT.format(title=f"好稿{i}"), encoding="utf-8")
    (folder / "a2-bad.txt").write_text(head, encoding="utf-8")
    code, out, err = run("import", "--archive", str(tmp_path / "a"), str(folder))
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith(f"epaper: {folder / 'a2-bad.txt'}: ") and reason in lines[0], err
    assert "internal error" not in err
    assert out.count("added\t") == 5
    # No orphan raw capture: every kept one is referred to by an article (check judges captures an hour old).
    backdate(tmp_path / "a" / ".raw")
    assert run("check", "--archive", str(tmp_path / "a"))[:2] == (0, "")
    assert len(kept_captures(tmp_path / "a")) == 5


HAND_EDITS = [
    ("date: 2025-03-14", "date: 2025-02-30"),
    ("read_on: 2025-03-15", "read_on: 2025-02-31"),
    ("page: '05'", "page: !!float abc"),
    ("page: '05'", "page: !!int zz"),
]


@pytest.mark.parametrize(("old", "new"), HAND_EDITS)
def test_a_hand_edited_bad_value_names_its_file_and_the_rest_stays_usable(tmp_path: Path, old: str, new: str) -> None:
    archive = tmp_path / "a"
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    (tmp_path / "d.txt").write_text(capture("另一天的稿件", day=15), encoding="utf-8")
    assert run("import", "--archive", str(archive), str(tmp_path / "c.txt"), str(tmp_path / "d.txt"))[0] == 0
    bad = archive / "清溪晚报" / "2025" / "2025-03-14.yaml"
    text = bad.read_text(encoding="utf-8")
    assert old in text
    bad.write_text(text.replace(old, new), encoding="utf-8")
    code, out, err = run("check", "--archive", str(archive), "--json")
    assert code == 1, err
    problems = json.loads(out)
    assert {p["file"] for p in problems} == {str(bad)}
    assert any("cannot be read" in p["problem"] for p in problems)
    day = ["--date", "2025-03-14"]
    for command in (["list", "--paper", "清溪晚报", *day], ["export", "--txt", *day, "-o", "-"]):
        code, _out, err = run(*command, "--archive", str(archive))
        assert code == 1 and err.startswith(f"epaper: {bad}: ") and "internal error" not in err
    code, out, _err = run("list", "--paper", "清溪晚报", "--date", "2025-03-15", "--archive", str(archive))
    assert code == 0 and "另一天的稿件" in out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_hand_edit_of_an_issue_file_is_a_clean_result(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    archive = tmp_path_factory.mktemp("edit") / "a"
    Path(f"{archive}.txt").write_text(CAPTURE, encoding="utf-8")
    run_import(Archive(archive), [f"{archive}.txt"], ReadOptions(), jobs=1)
    issue_file = next(Archive(archive).all_issue_files())
    lines = issue_file.read_text(encoding="utf-8").split("\n")
    at = data.draw(st.integers(0, len(lines) - 1))
    junk = data.draw(
        st.sampled_from(
            ["!!int zz", "!!float x", "2025-02-30", "[", "{a: b", "*x", "&a x", "!!binary ~", "- -", "\x1b[2J"]
        )
        | st.text(max_size=12)
    )
    key, _sep, _value = lines[at].partition(": ")
    lines[at] = f"{key}: {junk}" if _sep else junk
    issue_file.write_text("\n".join(lines), encoding="utf-8")
    code, out, err = run("check", "--archive", str(archive), "--json")
    assert "internal error" not in err
    assert isinstance(json.loads(out), list)
    assert code in (0, 1)


def test_check_skips_what_cannot_be_a_capture_without_hanging(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    assert run("import", "--archive", str(archive), str(tmp_path / "c.txt"))[0] == 0
    shard = archive / ".raw" / "ab"  # a folder of the layout of earlier versions, one file per capture
    shard.mkdir()
    (shard / ("ab" * 32)).mkdir()
    (shard / ("cd" * 32)).symlink_to(tmp_path / "nowhere")
    os.mkfifo(shard / ("ef" * 32))
    packs = archive / ".raw" / "packs"
    (packs / "000007.pack").mkdir()
    (packs / "000008.pack").symlink_to(tmp_path / "nowhere")
    os.mkfifo(packs / "000009.pack")
    result = subprocess.run([epaper(), "check", "--json", "--archive", str(archive)], capture_output=True, timeout=60)
    assert result.returncode == 1
    problems = {Path(p["file"]).name: p["problem"] for p in json.loads(result.stdout)}
    assert problems["ab" * 32] == "not a regular file: the raw store holds only captures"
    assert problems["cd" * 32].startswith("a symlink inside the archive")
    assert problems["ef" * 32] == "not a regular file: the raw store holds only captures"
    assert (
        problems["000007.pack"] == problems["000009.pack"] == "not a pack: this folder holds only the raw store's packs"
    )
    assert problems["000008.pack"].startswith("a symlink inside the archive")
    assert b"Traceback" not in result.stderr and b"internal error" not in result.stderr


@pytest.mark.parametrize("how", ["fifo", "pipe", "dev-stdin"])
def test_pipes_and_fifos_are_read_to_the_end(tmp_path: Path, how: str) -> None:
    data = CAPTURE.encode("utf-8")
    args = [epaper(), "import", "--archive", str(tmp_path / "a")]
    if how == "fifo":
        fifo = tmp_path / "in.fifo"
        os.mkfifo(fifo)
        process = subprocess.Popen([*args, str(fifo)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        with fifo.open("wb") as handle:
            for i in range(0, len(data), 7):  # in small writes, as a slow producer would
                handle.write(data[i : i + 7])
                handle.flush()
        out, err = process.communicate(timeout=60)
    else:
        source = "/dev/stdin" if how == "dev-stdin" else "/dev/fd/0"
        result = subprocess.run([*args, source], input=data, capture_output=True, timeout=60)
        out, err = result.stdout, result.stderr
    assert err == b"epaper: imported: 1 added, 0 replaced, 0 unchanged\n"
    assert (
        b"\t\xe6\xb1\x9f\xe7\x95\x94\xe6\x98\xa5\xe8\x80\x95\xe6\xad\xa3\xe5\xbd\x93\xe6\x97\xb6" in out
    )  # 江畔春耕正当时


def test_a_stream_larger_than_the_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "MAX_INPUT_BYTES", 1000)
    fifo = tmp_path / "big.fifo"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"yes 很长的一行 | head -c 100000 > '{fifo}'"])
    with pytest.raises(inputs.InputError, match="larger than"):
        inputs.read_input(str(fifo))
    writer.kill()
    writer.wait(10)


HOSTILE = "江畔\x1b]0;owned\x07\x1b[2J春耕\x9b31m正当时\x07"


def test_terminal_controls_are_stripped_at_import_and_said(tmp_path: Path) -> None:
    (tmp_path / "c.txt").write_text(CAPTURE.replace("江畔春耕正当时", HOSTILE), encoding="utf-8")
    code, out, err = run("import", "--archive", str(tmp_path / "a"), str(tmp_path / "c.txt"))
    assert code == 0
    assert "control characters removed" in err
    assert "\x1b" not in out and "\x9b" not in out and "江畔春耕正当时" in out
    text = next(Archive(tmp_path / "a").all_issue_files()).read_text(encoding="utf-8")
    assert "title: 江畔春耕正当时\n" in text


def test_controls_in_a_hand_edited_file_are_escaped_on_output(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    run("import", "--archive", str(archive), str(tmp_path / "c.txt"))
    issue_file = next(Archive(archive).all_issue_files())
    text = issue_file.read_text(encoding="utf-8")
    issue_file.write_text(text.replace("title: 江畔春耕正当时", 'title: "\\e]0;owned\\a\\e[2J春耕"'), encoding="utf-8")
    code, out, _err = run("list", "--archive", str(archive), "--paper", "清溪晚报", "--date", "2025-03-14")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b]0;owned\\x07\\x1b[2J春耕" in out


@given(st.text())
def test_stripped_and_escaped_text_holds_no_control(text: str) -> None:
    stripped, removed = strip_controls(text)
    assert removed == len(text) - len(stripped)
    assert not any(0x80 <= ord(c) <= 0x9F or (ord(c) < 0x20 and c not in "\t\n\v\f\r") or c == "\x7f" for c in stripped)
    shown = visible(text)
    assert not any((ord(c) < 0x20 and c != "\t") or 0x7F <= ord(c) <= 0x9F for c in shown)


def test_joiners_stay_inside_emoji_and_indic_clusters_only() -> None:
    family = "👨\u200d👩\u200d👧"
    assert clean_line(f"全家福{family}合影") == f"全家福{family}合影"
    assert clean_line("क्\u200dष") == "क्\u200dष"
    assert clean_line("می\u200cخواهم") == "می\u200cخواهم"
    assert clean_line("春\u200d耕\u200b正\u200c当时\u200d") == "春耕正当时"


def test_an_emoji_family_survives_import(tmp_path: Path) -> None:
    family = "👨\u200d👩\u200d👧"
    (tmp_path / "c.txt").write_text(CAPTURE.replace("今年的新变化", f"今年的新变化{family}"), encoding="utf-8")
    assert run("import", "--archive", str(tmp_path / "a"), str(tmp_path / "c.txt"))[0] == 0
    assert family in next(Archive(tmp_path / "a").all_issue_files()).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("date", "reason"),
    [("9999-12-31", "more than 7 days after it was read on 2025-03-15"), ("1066-10-14", "before 1800")],
)
def test_implausible_issue_dates_are_refused(tmp_path: Path, date: str, reason: str) -> None:
    (tmp_path / "c.txt").write_text(CAPTURE.replace("日期:03-14", f"日期:{date}"), encoding="utf-8")
    code, _out, err = run("import", "--archive", str(tmp_path / "a"), str(tmp_path / "c.txt"))
    assert code == 1
    assert err.startswith(f"epaper: {tmp_path / 'c.txt'}: issue date {date} is ") and reason in err, err


def test_two_captures_of_one_article_reimported_are_unchanged(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    first, second = tmp_path / "1.txt", tmp_path / "2.txt"
    first.write_text(CAPTURE, encoding="utf-8")
    second.write_text(CAPTURE.replace("抓紧翻耕", "抓紧翻耕播种"), encoding="utf-8")
    assert (
        run("import", "--archive", str(archive), str(first), str(second))[2]
        == "epaper: imported: 1 added, 1 replaced, 0 unchanged\n"
    )
    issue_file = next(Archive(archive).all_issue_files())
    stamp = issue_file.stat().st_mtime_ns
    code, _out, err = run("import", "--archive", str(archive), str(first), str(second))
    assert (code, err) == (0, "epaper: imported: 0 added, 0 replaced, 2 unchanged\n")
    assert issue_file.stat().st_mtime_ns == stamp


def test_the_fast_reader_refuses_what_pyyaml_refuses_in_a_flow_pair() -> None:
    text = "editors:\n- {role: 通讯? 员, name: 何晓}\n"
    assert yamltext.read_canonical(text) is None
    with pytest.raises(yaml.YAMLError):
        yaml.load(text, Loader=yaml.SafeLoader)


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.sampled_from("通讯员何晓 ?:#,-ab"), min_size=1, max_size=8), st.text("何晓 ?:#", min_size=1, max_size=4)
)
def test_the_fast_reader_reads_a_flow_pair_as_pyyaml_or_not_at_all(role: str, name: str) -> None:
    text = f"editors:\n- {{role: {role}, name: {name}}}\n"
    fast = yamltext.read_canonical(text)
    if fast is None:
        return
    assert fast == yaml.load(text, Loader=yaml.SafeLoader)


def test_one_issue_of_many_captures_is_written_a_logarithmic_number_of_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[int] = []
    real_save = Archive._save

    def save(self: Archive, path: Path, issue: object) -> None:
        writes.append(len(issue.articles()))  # type: ignore[attr-defined]
        real_save(self, path, issue)  # type: ignore[arg-type]

    monkeypatch.setattr(Archive, "_save", save)
    big = tmp_path / "many.txt"
    big.write_text("\n".join(capture(f"第{i}号稿件") for i in range(3000)), encoding="utf-8")
    report = run_import(Archive(tmp_path / "a"), [str(big)], ReadOptions(), jobs=1)
    assert report.counts["added"] == 3000 and not report.failures
    assert len(writes) <= 2 and writes[-1] == 3000  # one input is gathered whole, not rewritten every 100
    monkeypatch.setattr(importing, "HELD_ARTICLES", 10)
    writes.clear()
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(400):
        (folder / f"c{i:04d}.txt").write_text(capture(f"第{i}号新稿"), encoding="utf-8")
    report = run_import(
        Archive(tmp_path / "a"), [str(folder / f"c{i:04d}.txt") for i in range(400)], ReadOptions(), jobs=1
    )
    assert report.counts["added"] == 400
    assert len(writes) <= 3, writes  # rewritten only once it has doubled: 3000 → 3400 in one go


def test_every_write_goes_through_random_temp_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from epaper_cli.atomic import write_atomic

    names = []
    real_open = os.open

    def spy(path: str, flags: int, *args: int) -> int:
        names.append(os.path.basename(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", spy)
    for _ in range(3):
        write_atomic(tmp_path / "f", lambda handle: handle.write(b"x"))
    temps = [name for name in names if name.startswith(".tmp-")]
    assert len(set(temps)) == 3 and not any(str(os.getpid()) in name for name in temps)


def test_stale_temp_files_of_ours_are_cleaned_where_epaper_writes_and_only_there(tmp_path: Path) -> None:
    import hashlib

    archive = tmp_path / "a"
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    assert run("import", "--archive", str(archive), str(tmp_path / "c.txt"))[0] == 0
    (tmp_path / "d.txt").write_text(CAPTURE.replace("抓紧翻耕", "抓紧翻耕播种"), encoding="utf-8")
    shard = archive / ".raw" / hashlib.sha256((tmp_path / "d.txt").read_bytes()).hexdigest()[:2]
    other = archive / ".raw" / ("00" if shard.name != "00" else "01")
    shard.mkdir(exist_ok=True)
    other.mkdir()
    old_here, old_there, fresh_here = shard / ".tmp-killed.part", other / ".tmp-killed.part", shard / ".tmp-now.part"
    theirs = shard / ".tmp-not-ours.txt"
    for path in (old_here, old_there, fresh_here, theirs):
        path.write_bytes(b"half a capture")
    backdate(archive / ".raw")
    os.utime(fresh_here)
    code, out, _err = run("check", "--archive", str(archive))
    assert code == 1
    leftover = "temp file left by an interrupted write: safe to delete (the next import into this folder does)"
    assert sorted(out.splitlines()) == sorted(
        [
            f"{old_here}: {leftover}",
            f"{old_there}: {leftover}",
            f"{theirs}: not a raw capture: its name is not a sha256 digest",
        ]
    )
    # Folders of the layout of earlier versions: the next write moves their captures into the packs, and removes
    # only our own temp files there, only stale ones, then the folders left empty.
    assert run("import", "--archive", str(archive), str(tmp_path / "d.txt"))[0] == 0
    assert not old_here.exists() and not other.exists()
    assert theirs.exists() and fresh_here.exists()


def test_a_killed_export_leaves_nothing_the_next_export_keeps(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    assert run("import", "--archive", str(archive), str(tmp_path / "c.txt"))[0] == 0
    out = tmp_path / "out"
    out.mkdir()
    leftover, fresh = out / ".tmp-0123abcd.part", out / ".tmp-4567ef.part"
    leftover.write_bytes(b"%PDF-1.4 half a book")
    fresh.write_bytes(b"%PDF-1.4 being written")
    backdate(out)
    os.utime(fresh)
    assert run("export", "--txt", "--archive", str(archive), "-o", str(out))[0] == 0
    assert not leftover.exists() and fresh.exists()


def test_check_json_is_json_with_a_linked_lock_and_runs_on_a_read_only_archive(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    assert run("import", "--archive", str(archive), str(tmp_path / "c.txt"))[0] == 0
    (archive / ".lock").unlink()
    (archive / ".lock").symlink_to(tmp_path / "elsewhere")
    code, out, _err = run("check", "--json", "--archive", str(archive))
    assert code == 1
    assert [p["file"] for p in json.loads(out)] == [str(archive / ".lock")]
    assert not (tmp_path / "elsewhere").exists()
    (archive / ".lock").unlink()
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only folders")
    archive.chmod(0o555)
    try:
        assert run("check", "--archive", str(archive))[:2] == (0, "")
    finally:
        archive.chmod(0o755)


@pytest.mark.parametrize("stream_from", [1, 2, 3, 5])
def test_long_lists_written_a_slice_at_a_time_give_the_same_bytes(
    monkeypatch: pytest.MonkeyPatch, stream_from: int
) -> None:
    import io

    from epaper_cli import schema
    from tests.helpers import SAMPLES

    monkeypatch.setattr(yamltext, "STREAM_FROM", stream_from)
    for golden in sorted(SAMPLES.glob("*.yaml")):
        for document in golden.read_text(encoding="utf-8").split("---\n"):
            out = io.BytesIO()
            schema.dump_to(schema.load(document, golden.name), out)
            assert out.getvalue().decode("utf-8") == document, golden.name


def test_check_fix_seals_older_and_hand_corrected_files_and_nothing_else(tmp_path: Path) -> None:
    from epaper_cli import fixity

    archive = tmp_path / "a"
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    assert run("import", "--archive", str(archive), str(tmp_path / "c.txt"))[0] == 0
    (path,) = Archive(archive).all_issue_files()
    sealed = path.read_bytes()
    content, _digest = fixity.split(sealed)
    path.write_bytes(content)  # as an earlier epaper wrote it: no digest line
    code, out, _err = run("check", "--archive", str(archive))
    assert code == 1 and "no digest line" in out
    code, out, err = run("check", "--fix", "--archive", str(archive))
    assert (code, out) == (0, ""), err
    assert f"epaper: {path}: digest line written" in err
    assert path.read_bytes() == sealed  # the content kept byte for byte, the same digest line written

    corrected = content.replace("清晨六点".encode(), "清晨五点".encode())  # a typo fixed by hand in an editor
    assert corrected != content
    path.write_bytes(corrected + sealed[len(content) :])
    assert "changed since epaper wrote it" in run("check", "--archive", str(archive))[1]
    assert run("check", "--fix", "--archive", str(archive))[0] == 0
    assert fixity.split(path.read_bytes())[0] == corrected and fixity.problem(path.read_bytes()) is None

    retitled = corrected.replace("江畔春耕正当时".encode(), "江畔春耕".encode())  # the id no longer matches
    path.write_bytes(retitled)
    code, out, err = run("check", "--fix", "--archive", str(archive))
    assert code == 1 and "id does not match" in out and "digest line written" not in err
    assert path.read_bytes() == retitled  # not sealed: a file with another problem is left as it is
