"""Taking care of the archive: raw, rm, edit, rebuild, rename-paper and merging archives, through the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from epaper_cli.archive import Archive
from epaper_cli.model import article_id
from epaper_cli.rawstore import RawStore
from tests.helpers import SAMPLES, is_derived, kept_captures, sample_encoding
from tests.test_cli import CAPTURE, SECOND, run

THREE = SAMPLES / "xiling-daily-2025-08-26-p05-opinion-three-captures.txt"


def imported(tmp_path: Path, *texts: str) -> tuple[Path, list[str]]:
    """An archive holding the captures given, and the ids of their articles in import order."""
    archive = tmp_path / "a"
    ids = []
    for number, text in enumerate(texts):
        path = tmp_path / f"c{number}.txt"
        path.write_text(text, encoding="utf-8")
        code, out, err = run("import", "--archive", str(archive), str(path))
        assert code == 0, err
        ids += [line.split("\t")[4] for line in out.splitlines()]
    return archive, ids


def titles(archive: Path) -> list[str]:
    store = Archive(archive)
    return [a.title for path in store.all_issue_files() for _p, a in store.load(path).articles()]


def snapshot(archive: Path) -> dict[str, bytes]:
    """Every file in the archive with its bytes (the lock file and derived data, the index, aside)."""
    return {
        str(p.relative_to(archive)): p.read_bytes()
        for p in sorted(archive.rglob("*"))
        if p.is_file() and not is_derived(p.name)
    }


def assert_clean(archive: Path) -> None:
    code, out, err = run("check", "--archive", str(archive))
    assert (code, out) == (0, ""), err
    assert err.endswith("checked, no problem found\n")


# -- raw -------------------------------------------------------------------------------------------------


def test_raw_writes_the_kept_capture_byte_for_byte(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    assert run("import", "--archive", str(archive), str(THREE))[0] == 0
    ids = [a.id for path in Archive(archive).all_issue_files() for _p, a in Archive(archive).load(path).articles()]
    code, out, err = run("raw", "--archive", str(archive), ids[0][:6])
    assert code == 0, err
    assert out.encode("utf-8") == THREE.read_bytes()
    # two articles of one capture: the capture once
    assert run("raw", "--archive", str(archive), *ids)[1].encode("utf-8") == THREE.read_bytes()


def test_raw_reads_ids_from_standard_input(tmp_path: Path) -> None:
    archive, ids = imported(tmp_path, CAPTURE, SECOND)
    code, out, _err = run("raw", "--archive", str(archive), "-", input=f"{ids[1]}\n")
    assert code == 0
    assert out == SECOND


@pytest.mark.parametrize("command", ["raw", "rm", "show", "edit"])
def test_unknown_id_is_one_line_and_changes_nothing(tmp_path: Path, command: str) -> None:
    archive, _ids = imported(tmp_path, CAPTURE)
    before = snapshot(archive)
    code, out, err = run(command, "--archive", str(archive), "abcdef")
    assert (code, out) == (1, "")
    assert (
        err == "epaper: abcdef: no article with this id in the archive (`epaper list --paper P --date D` shows ids)\n"
    )
    assert snapshot(archive) == before


def ambiguous_archive(tmp_path: Path) -> tuple[Path, str, list[str]]:
    """An archive of many articles, two of whose ids share their first six digits."""
    archive = tmp_path / "a"
    folder = tmp_path / "in"
    folder.mkdir()
    seen: dict[str, int] = {}
    pair: tuple[int, int] | None = None
    for n in range(100_000):
        prefix = article_id("清溪晚报", dt.date(2025, 3, 14), "05", f"第{n}号稿件")[:6]
        if prefix in seen:
            pair = (seen[prefix], n)
            break
        seen[prefix] = n
    assert pair is not None
    for n in pair:
        (folder / f"{n}.txt").write_text(CAPTURE.replace("江畔春耕正当时", f"第{n}号稿件"), encoding="utf-8")
    code, out, err = run("import", "--archive", str(archive), str(folder))
    assert code == 0, err
    ids = [line.split("\t")[4] for line in out.splitlines()]
    return archive, ids[0][:6], ids


@pytest.mark.parametrize("command", ["raw", "rm", "edit"])
def test_an_ambiguous_prefix_lists_the_candidates(tmp_path: Path, command: str) -> None:
    archive, prefix, ids = ambiguous_archive(tmp_path)
    before = snapshot(archive)
    code, out, err = run(command, "--archive", str(archive), prefix)
    assert (code, out) == (1, "")
    assert err.startswith(f"epaper: {prefix}: ambiguous id prefix") and all(i in err for i in ids)
    assert snapshot(archive) == before


# -- rm --------------------------------------------------------------------------------------------------


def test_rm_removes_the_article_its_emptied_issue_and_its_capture(tmp_path: Path) -> None:
    archive, ids = imported(tmp_path, CAPTURE, SECOND)
    code, out, err = run("rm", "--archive", str(archive), ids[0])
    assert code == 0, err
    assert out.split("\t")[0] == "removed" and ids[0] in out
    assert titles(archive) == ["小巷书店的新主人"]
    assert len(kept_captures(archive)) == 1
    assert_clean(archive)
    assert run("rm", "--archive", str(archive), ids[1][:6])[0] == 0
    assert list(Archive(archive).all_issue_files()) == []
    assert kept_captures(archive) == {}
    pack = (archive / ".raw" / "packs" / "000001.pack").read_bytes()
    assert "小巷书店".encode() not in pack and "江畔".encode() not in pack  # the bytes are gone, not just unlisted
    assert_clean(archive)


def test_rm_keeps_a_capture_that_still_gives_other_articles(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    assert run("import", "--archive", str(archive), str(THREE))[0] == 0
    store = Archive(archive)
    ids = [a.id for path in store.all_issue_files() for _p, a in store.load(path).articles()]
    assert run("rm", "--archive", str(archive), "-", input=ids[1] + "\n")[0] == 0
    assert len(titles(archive)) == 2
    out = run("raw", "--archive", str(archive), ids[0])[1]
    assert out.encode("utf-8") == THREE.read_bytes()
    assert_clean(archive)


# -- edit ------------------------------------------------------------------------------------------------


def test_edit_with_a_new_title_gives_a_new_id_and_keeps_check_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive, ids = imported(tmp_path, CAPTURE)
    monkeypatch.setenv("VISUAL", "sed -i s/江畔春耕正当时/江畔春耕正忙时/")
    code, out, err = run("edit", "--archive", str(archive), ids[0][:8])
    assert code == 0, err
    new_id = article_id("清溪晚报", dt.date(2025, 3, 14), "05", "江畔春耕正忙时")
    assert out.split("\t")[4] == new_id and f"{ids[0]} → {new_id}" in err
    assert titles(archive) == ["江畔春耕正忙时"]
    text = next(Archive(archive).all_issue_files()).read_text(encoding="utf-8")
    assert f"edited: {dt.date.today().isoformat()}" in text
    assert_clean(archive)
    assert run("show", "--archive", str(archive), new_id)[0] == 0


def test_edit_of_the_body_keeps_the_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive, ids = imported(tmp_path, CAPTURE)
    monkeypatch.setenv("VISUAL", "sed -i s/四十亩/五十亩/")
    assert run("edit", "--archive", str(archive), ids[0])[0] == 0
    code, out, _err = run("show", "--archive", str(archive), ids[0])
    assert code == 0 and "五十亩" in out
    assert_clean(archive)


@pytest.mark.parametrize("editor", ["true", "cat"])
def test_an_unchanged_edit_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, editor: str) -> None:
    archive, ids = imported(tmp_path, CAPTURE)
    before = snapshot(archive)
    monkeypatch.setenv("VISUAL", editor)
    code, _out, err = run("edit", "--archive", str(archive), ids[0])
    assert (code, err) == (0, "epaper: no change\n")
    assert snapshot(archive) == before


@pytest.mark.parametrize(
    ("editor", "reason"),
    [
        ("sed -i s/title:/tilte:/", "epaper: the edited article: unknown key 'tilte'"),
        ("sed -i s/^title:.*/title:/", "epaper: the edited article: article.title: expected text"),
        ("sed -i s/^body:/body:[/", "epaper: the edited article: line "),
        ("sed -i s/-\\ text:/-\\ quote:/", "epaper: the edited article: article.body[0]: unknown body block 'quote'"),
    ],
)
def test_an_invalid_edit_is_refused_with_the_reason_and_nothing_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, editor: str, reason: str
) -> None:
    archive, ids = imported(tmp_path, CAPTURE)
    before = snapshot(archive)
    monkeypatch.setenv("VISUAL", editor)
    code, out, err = run("edit", "--archive", str(archive), ids[0])
    assert (code, out) == (1, "")
    assert err.startswith(reason) and err.count("\n") == 1
    assert snapshot(archive) == before


def test_a_failing_editor_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive, ids = imported(tmp_path, CAPTURE)
    before = snapshot(archive)
    monkeypatch.setenv("VISUAL", "false")
    assert run("edit", "--archive", str(archive), ids[0]) == (
        1,
        "",
        "epaper: editor: 'false' exited with status 1: nothing changed\n",
    )
    monkeypatch.setenv("VISUAL", "no-such-editor-here")
    code, _out, err = run("edit", "--archive", str(archive), ids[0])
    assert code == 1 and err.startswith("epaper: editor: cannot run 'no-such-editor-here'")
    assert snapshot(archive) == before


def test_on_a_terminal_a_refused_edit_is_offered_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from epaper_cli import cli_care

    archive, ids = imported(tmp_path, CAPTURE)
    monkeypatch.setattr(cli_care, "interactive", lambda: True)
    # The first save has a typo; the second run of the editor fixes it and changes the title.
    script = tmp_path / "editor.sh"
    script.write_text(
        '#!/bin/sh\nif grep -q tilte "$1"; then sed -i "s/tilte: .*/title: 春耕新篇/" "$1";'
        ' else sed -i s/title:/tilte:/ "$1"; fi\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(script))
    code, _out, err = run("edit", "--archive", str(archive), ids[0], input="y\n")
    assert code == 0, err
    assert "unknown key 'tilte'" in err and "Edit again?" in err
    assert titles(archive) == ["春耕新篇"]
    before = snapshot(archive)
    code, _out, err = run("edit", "--archive", str(archive), titles_id(archive), input="n\n")
    assert code == 1 and snapshot(archive) == before


def titles_id(archive: Path) -> str:
    store = Archive(archive)
    return next(a.id for path in store.all_issue_files() for _p, a in store.load(path).articles())


# -- rebuild ---------------------------------------------------------------------------------------------


def test_rebuild_of_the_samples_archive_changes_nothing(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    for sample in sorted(SAMPLES.glob("*.txt")):
        encoding = sample_encoding(sample)
        extra = ["--encoding", encoding] if encoding else []
        assert run("import", "-q", "--archive", str(archive), *extra, str(sample))[0] == 0
    before = snapshot(archive)
    code, out, err = run("rebuild", "--archive", str(archive))
    assert (code, out) == (0, ""), err
    assert "0 changed, 0 added, 0 removed" in err
    assert snapshot(archive) == before


def test_rebuild_replays_the_import_options(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    (tmp_path / "c.txt").write_text(CAPTURE, encoding="utf-8")
    options = ["--paper", "清溪 晚报", "--date", "2025-03-20", "--keep-punctuation"]
    assert run("import", "--archive", str(archive), *options, str(tmp_path / "c.txt"))[0] == 0
    before = snapshot(archive)
    assert run("rebuild", "--archive", str(archive))[:2] == (0, "")
    assert snapshot(archive) == before
    assert_clean(archive)


def older_reading(archive: Path, old: str, new: str) -> None:
    """Make the archive look as if an older importer had read `new` as `old`."""
    path = next(Archive(archive).all_issue_files())
    path.write_text(path.read_text(encoding="utf-8").replace(new, old), encoding="utf-8")


def test_rebuild_replaces_what_the_capture_gives_now_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    archive, ids = imported(tmp_path, CAPTURE, SECOND)
    expected = snapshot(archive)
    older_reading(archive, "合作社引入了三台新式插秧机,每台", "合作社引入了三台新式插秧机，每台")
    older_reading(archive, "小巷书店的新主\n", "小巷书店的新主人\n")  # a misread title: another id
    older_reading(archive, article_id("清溪晚报", dt.date(2025, 3, 14), "12", "小巷书店的新主"), ids[1])
    dry = snapshot(archive)
    code, out, _err = run("rebuild", "--archive", str(archive), "--dry-run")
    assert code == 0 and snapshot(archive) == dry
    code, out2, err = run("rebuild", "--archive", str(archive))
    assert code == 0, err
    assert out2 == out
    lines = sorted(line.split("\t") for line in out.splitlines())
    statuses = [(line[0], line[5]) for line in lines]
    assert statuses == [("added", "小巷书店的新主人"), ("changed", "江畔春耕正当时"), ("removed", "小巷书店的新主")]
    assert next(line for line in lines if line[0] == "changed")[6] == "1 block changed"
    assert snapshot(archive) == expected
    assert run("rebuild", "--archive", str(archive))[:2] == (0, "")
    assert snapshot(archive) == expected
    assert_clean(archive)


def test_rebuild_keeps_articles_edited_by_hand_and_lists_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive, ids = imported(tmp_path, CAPTURE)
    monkeypatch.setenv("VISUAL", "sed -i s/江畔春耕正当时/江畔春耕/")
    assert run("edit", "--archive", str(archive), ids[0])[0] == 0
    before = snapshot(archive)
    code, out, _err = run("rebuild", "--archive", str(archive))
    assert code == 0
    assert out.split("\t")[0] == "kept" and out.rstrip().endswith("edited by hand")
    assert snapshot(archive) == before


def test_rebuild_does_not_bring_back_what_rm_removed(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    assert run("import", "--archive", str(archive), str(THREE))[0] == 0
    store = Archive(archive)
    ids = [a.id for path in store.all_issue_files() for _p, a in store.load(path).articles()]
    assert run("rm", "--archive", str(archive), ids[0])[0] == 0
    before = snapshot(archive)
    assert run("rebuild", "--archive", str(archive))[:2] == (0, "")
    assert snapshot(archive) == before


def test_rebuild_selects_by_paper_and_date(tmp_path: Path) -> None:
    archive, _ids = imported(tmp_path, CAPTURE)
    code, _out, err = run("rebuild", "--archive", str(archive), "--paper", "清溪晚报", "--date", "2025-04")
    assert code == 0 and err.startswith("0 captures read again")
    code, _out, err = run("rebuild", "--archive", str(archive), "--paper", "无此报")
    assert (code, err) == (1, "epaper: 无此报: no such paper in the archive (see `epaper list`)\n")


# -- rename-paper and merging archives -------------------------------------------------------------------


def test_rename_paper_gives_new_ids_merges_and_updates_the_registry(tmp_path: Path) -> None:
    other = CAPTURE.replace("清溪晚报", "清溪晚報").replace("江畔春耕正当时", "另一篇稿件")
    archive, ids = imported(tmp_path, CAPTURE, other)
    code, out, err = run("rename-paper", "--archive", str(archive), "清溪晚報", "清溪晚报")
    assert code == 0, err
    new_id = article_id("清溪晚报", dt.date(2025, 3, 14), "05", "另一篇稿件")
    assert out == f"{ids[1]} → {new_id}\t2025-03-14\t05\t另一篇稿件\n"
    assert err == "1 articles moved from 清溪晚報 to 清溪晚报\n"
    assert not (archive / "清溪晚報").exists()
    assert sorted(titles(archive)) == sorted(["江畔春耕正当时", "另一篇稿件"])
    assert "- 清溪晚報" in (archive / "papers.yaml").read_text(encoding="utf-8")
    assert_clean(archive)
    before = snapshot(archive)
    assert run("rebuild", "--archive", str(archive))[:2] == (0, "")  # read again under the new name
    assert snapshot(archive) == before
    code, out, _err = run("import", "--archive", str(archive), str(tmp_path / "c1.txt"))
    assert code == 0 and out.split("\t")[1] == "清溪晚报"  # the old name is now an alias


def test_rename_paper_onto_itself_or_from_nowhere_changes_nothing(tmp_path: Path) -> None:
    archive, _ids = imported(tmp_path, CAPTURE)
    before = snapshot(archive)
    code, _out, err = run("rename-paper", "--archive", str(archive), "清溪晚报", "清溪晚报")
    assert (code, err) == (2, "epaper: 清溪晚报: OLD and NEW are the same name: nothing to rename\n")
    code, _out, err = run("rename-paper", "--archive", str(archive), "无此报", "清溪晚报")
    assert (code, err) == (1, "epaper: 无此报: no such paper in the archive (see `epaper list`)\n")
    assert snapshot(archive) == before


def test_import_of_another_archive_merges_its_issues_and_captures(tmp_path: Path) -> None:
    ours, _ids = imported(tmp_path, CAPTURE)
    theirs = tmp_path / "theirs"
    assert run("import", "--archive", str(theirs), str(THREE), str(tmp_path / "c0.txt"))[0] == 0
    code, out, err = run("import", "--archive", str(ours), str(theirs))
    assert code == 0, err
    statuses = sorted(line.split("\t")[0] for line in out.splitlines())
    assert statuses == ["added", "added", "added", "unchanged"]
    assert len(titles(ours)) == 4
    assert run("raw", "--archive", str(ours), "-", input="\n".join(a for a in _all_ids(ours)))[0] == 0
    assert_clean(ours)
    before = snapshot(ours)
    assert run("import", "--archive", str(ours), str(theirs))[0] == 0  # again: nothing changes
    assert snapshot(ours) == before


def _all_ids(archive: Path) -> list[str]:
    store = Archive(archive)
    return [a.id for path in store.all_issue_files() for _p, a in store.load(path).articles()]


@pytest.mark.parametrize("damage", ["issue", "capture", "missing capture"])
def test_a_corrupt_archive_is_not_merged(tmp_path: Path, damage: str) -> None:
    ours, _ids = imported(tmp_path, CAPTURE)
    theirs = tmp_path / "theirs"
    assert run("import", "--archive", str(theirs), str(THREE))[0] == 0
    pack = theirs / ".raw" / "packs" / "000001.pack"
    if damage == "issue":
        next(Archive(theirs).all_issue_files()).write_text("format: epaper/1\npaper: x\n", encoding="utf-8")
    elif damage == "capture":
        data = pack.read_bytes()
        at = data.index(b"\n") + 10  # a byte of the first capture
        pack.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :])
    else:
        RawStore(theirs).remove([next(iter(kept_captures(theirs)))])
    before = snapshot(ours)
    code, out, err = run("import", "--archive", str(ours), str(theirs))
    assert (code, out) == (1, "")
    assert err.startswith(f"epaper: {theirs}: not a sound epaper archive: ")
    assert snapshot(ours) == before


def test_what_rm_removed_stays_out_after_a_rename_and_a_rebuild(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    assert run("import", "--archive", str(archive), str(THREE))[0] == 0
    assert run("rm", "--archive", str(archive), _all_ids(archive)[0])[0] == 0
    assert run("rename-paper", "--archive", str(archive), "西陵日报", "西陵新报")[0] == 0
    before = snapshot(archive)
    assert run("rebuild", "--archive", str(archive))[:2] == (0, "")
    assert snapshot(archive) == before
    assert len(titles(archive)) == 2
    assert_clean(archive)


def test_an_article_changed_while_it_was_edited_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive, ids = imported(tmp_path, CAPTURE)
    issue_file = next(Archive(archive).all_issue_files())
    script = tmp_path / "editor.sh"  # edits the form, while "someone else" changes the article in the archive
    script.write_text(f'#!/bin/sh\nsed -i s/四十亩/五十亩/ "$1"\nsed -i s/四十亩/六十亩/ "{issue_file}"\n')
    script.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(script))
    code, _out, err = run("edit", "--archive", str(archive), ids[0])
    assert code == 1 and "changed while it was being edited: nothing saved" in err
    assert "六十亩" in issue_file.read_text(encoding="utf-8")


def test_a_missing_capture_is_a_clear_error_for_raw_and_rebuild(tmp_path: Path) -> None:
    archive, ids = imported(tmp_path, CAPTURE, SECOND)
    missing = sorted(kept_captures(archive))[0]
    RawStore(archive).remove([missing])
    lost = next(i for i in ids if run("raw", "--archive", str(archive), i)[0] == 1)
    code, out, err = run("raw", "--archive", str(archive), lost)
    assert (code, out) == (1, "")
    assert err.startswith(f"epaper: {archive / '.raw'}: capture {missing} is missing (`epaper check` tells more)")
    before = snapshot(archive)
    code, out, err = run("rebuild", "--archive", str(archive))
    assert (code, out) == (1, "")
    assert err.startswith(f"epaper: capture {missing[:12]}: cannot be read again: ")
    assert snapshot(archive) == before  # its article is left as it is
