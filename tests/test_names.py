"""Paper names as the user gives them: each its own folder, read back as given, found when mistyped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from epaper_cli.layout import paper_from_folder, safe_component
from tests.test_cli import CAPTURE, run

NAMES = ["A:B日报", "A\\B日报", "A?B日报", "AC/DC 日报", "AC_DC 日报", "A_B日报", "50% Daily", ". Daily."]


def _import(archive: Path, tmp_path: Path, paper: str, title: str = "江畔春耕正当时") -> tuple[int, str, str]:
    capture = tmp_path / "capture.txt"
    capture.write_text(CAPTURE.replace("江畔春耕正当时", title), encoding="utf-8")
    return run("import", "--archive", str(archive), "--paper", paper, str(capture))


def test_names_that_used_to_share_a_folder_each_get_their_own_and_check_stays_clean(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    for name in NAMES:
        code, _out, err = _import(archive, tmp_path, name)
        assert code == 0, err
    folders = [p for p in archive.iterdir() if not p.name.startswith(".")]
    assert len(folders) == len(NAMES)
    assert run("check", "--archive", str(archive))[0] == 0
    code, out, _err = run("list", "--archive", str(archive), "--json")
    assert sorted(p["paper"] for p in json.loads(out)) == sorted(NAMES)
    for name in NAMES:
        code, out, err = run("list", "--archive", str(archive), "--paper", name, "--json")
        assert code == 0, err
        assert json.loads(out) == [{"paper": name, "date": "2025-03-14"}]


def test_ordinary_names_keep_their_folder_names() -> None:
    for name in ["衢州日报", "Harbor City Times", "AC_DC 日报", "St. Louis Post-Dispatch", "南方都市报（深圳）"]:
        assert safe_component(name) == name


@pytest.mark.parametrize("blank", ["", "  ", "\t"])
def test_a_blank_paper_name_is_refused(tmp_path: Path, blank: str) -> None:
    code, _out, err = _import(tmp_path / "a", tmp_path, blank)
    assert code == 2 and "epaper: --paper: a paper's name cannot be blank" in err
    assert not (tmp_path / "a").exists()


@given(st.text(min_size=1, max_size=300))
def test_every_name_reads_back_from_its_folder_or_is_cut_with_a_digest(name: str) -> None:
    folder = safe_component(name)
    assert folder not in {".", ".."} and not folder.startswith(".") and "/" not in folder and "\x00" not in folder
    assert len(folder.encode()) <= 180
    back = paper_from_folder(folder)
    assert back == name or (back is None and len(name.encode()) > 40)


@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20))
def test_two_names_never_share_a_folder(a: str, b: str) -> None:
    assert (safe_component(a) == safe_component(b)) == (a == b)


def test_an_unknown_paper_leads_to_the_closest_names(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    for name in ["衢州日报", "衢州晚报", "Harbor City Times"]:
        _import(archive, tmp_path, name)
    for command in (["list"], ["report"], ["export", "--txt", "-o", "-"]):
        code, _out, err = run(*command, "--archive", str(archive), "--paper", "衢州日")
        assert code == 1 and "epaper: 衢州日: no such paper in the archive; did you mean 衢州日报" in err, err
    code, _out, err = run("list", "--archive", str(archive), "--paper", "衢州")
    assert err == "epaper: 衢州: no such paper in the archive; did you mean 衢州日报 or 衢州晚报?\n"
    code, _out, err = run("list", "--archive", str(archive), "--paper", "Nowhere Gazette")
    assert code == 1 and "`epaper list` shows the papers" in err
    code, out, err = run("list", "--archive", str(archive), "--paper", "harbor city times", "--json")
    assert code == 0, err
    assert {issue["paper"] for issue in json.loads(out)} == {"Harbor City Times"}


def test_a_missing_issue_leads_to_the_dates_there_are(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    for day in ["2025-03-10", "2025-03-12", "2025-03-14"]:
        capture = tmp_path / "c.txt"
        capture.write_text(CAPTURE, encoding="utf-8")
        run("import", "--archive", str(archive), "--date", day, str(capture))
    for command in (["list"], ["export", "--txt", "-o", "-"]):
        code, _out, err = run(*command, "--archive", str(archive), "--paper", "清溪晚报", "--date", "2025-03-13")
        assert code == 1
        assert (
            "epaper: 清溪晚报 2025-03-13: no such issue in the archive (the paper has 2025-03-10, 2025-03-12, " in err
        )


def test_export_without_paper_names_a_few_papers_and_counts_many(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    for name in ["南岭日报", "清溪晚报"]:
        _import(archive, tmp_path, name)
    code, _out, err = run("export", "--txt", "--archive", str(archive))
    assert code == 2 and "(南岭日报, 清溪晚报): pass --paper NAME" in err
    for name in ["东江日报", "北湖晚报"]:
        _import(archive, tmp_path, name)
    code, _out, err = run("export", "--txt", "--archive", str(archive))
    assert code == 2 and err == "epaper: --paper: the archive holds 4 papers: pass --paper NAME (`epaper list`)\n"


def test_folder_import_skips_hidden_files_and_resource_forks_and_takes_upper_case_extensions(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / ".hidden").mkdir(parents=True)
    (folder / "A.TXT").write_text(CAPTURE, encoding="utf-8")
    (folder / "b.Txt").write_text(CAPTURE.replace("江畔春耕正当时", "小巷书店的新主人"), encoding="utf-8")
    (folder / "._A.TXT").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02")
    (folder / ".notes.txt").write_text("not a capture", encoding="utf-8")
    (folder / ".hidden" / "c.txt").write_text("not a capture either", encoding="utf-8")
    code, out, err = run("import", "--archive", str(tmp_path / "a"), str(folder))
    assert code == 0, err
    assert [line.split("\t")[-1] for line in out.splitlines()] == ["江畔春耕正当时", "小巷书店的新主人"]


def test_show_takes_several_ids_and_unique_prefixes(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    ids = []
    for title in ["江畔春耕正当时", "小巷书店的新主人", "夜市灯火"]:
        ids.append(_import(archive, tmp_path, "清溪晚报", title)[1].split("\t")[4])
    code, out, err = run("show", "--archive", str(archive), ids[2], ids[0][:6], "--json")
    assert code == 0, err
    assert [a["id"] for a in json.loads(out)] == [ids[2], ids[0]]
    code, out, err = run("show", "--archive", str(archive), ids[1][:7], ids[2])
    assert code == 0, err
    assert out.index("小巷书店的新主人") < out.index("夜市灯火")
    code, out, err = run("show", "--archive", str(archive), "-", input=f"{ids[0]}\n{ids[1][:6]}\n")
    assert code == 0 and "江畔春耕正当时" in out and "小巷书店的新主人" in out, err
    code, out, err = run("show", "--archive", str(archive), ids[0], "ffffff")
    assert code == 1 and out == "" and "epaper: ffffff: no article with this id" in err


def test_usage_lines_say_when_a_command_takes_many() -> None:
    assert "[PATH...]" in run("import", "--help")[1]
    assert "ID..." in run("show", "--help")[1].splitlines()[0]


def test_import_json_names_the_failed_files_among_the_results(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(CAPTURE, encoding="utf-8")
    (folder / "b.txt").write_text("当前报纸名称:清溪晚报\n\n没有日期也没有版面\n", encoding="utf-8")
    code, out, _err = run("import", "--archive", str(tmp_path / "a"), "--json", str(folder))
    assert code == 1
    added, failed = json.loads(out)
    assert added["status"] == "added" and added["file"].endswith("a.txt")
    assert failed["status"] == "failed" and failed["file"].endswith("b.txt") and failed["reason"]


def test_every_json_output_is_one_array_of_objects(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    article = _import(archive, tmp_path, "清溪晚报")[1].split("\t")[4]
    for command in (
        ["list"],
        ["list", "--paper", "清溪晚报"],
        ["list", "--paper", "清溪晚报", "--date", "2025-03-14"],
        ["show", article],
        ["check"],
        ["report"],
        ["paper", "show"],
    ):
        code, out, err = run(*command, "--archive", str(archive), "--json")
        assert code == 0, err
        records = json.loads(out)
        assert isinstance(records, list), command
        assert all(isinstance(record, dict) for record in records), command
    code, out, _err = run("import", "--archive", str(tmp_path / "b"), "--json", "--dry-run", str(tmp_path / "c.txt"))
    assert isinstance(json.loads(out), list)


@pytest.mark.parametrize(
    ("read_on", "day", "note"),
    [
        ("2025-03-01", "02-29", "日期 02-29 read on 2025-03-01 taken as 2024-02-29, in the year before"),
        ("2025-03-01", "03-05", "日期 03-05 read on 2025-03-01 taken as 2024-03-05, in the year before"),
        ("2026-01-02", "12-31", None),  # New Year: no surprise
        ("2025-03-15", "03-14", None),
    ],
)
def test_a_date_taken_in_the_year_before_the_read_date_gets_a_note(
    tmp_path: Path, read_on: str, day: str, note: str | None
) -> None:
    capture = tmp_path / "c.txt"
    capture.write_text(CAPTURE.replace("2025-03-15", read_on).replace("日期:03-14", f"日期:{day}"), encoding="utf-8")
    code, out, err = run("import", "--archive", str(tmp_path / "a"), str(capture))
    assert code == 0, err
    notes = [line for line in err.splitlines() if "in the year before" in line]
    if note is None:
        assert notes == []
    else:
        assert notes == [f"epaper: {capture}: {note} (pass --date to correct it)"]
        assert out.split("\t")[2] == note.split()[-5].rstrip(",")
    assert run("import", "--archive", str(tmp_path / "b"), "--quiet", str(capture))[2] == ""


def test_dry_run_says_would_and_what_would_change(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    _import(archive, tmp_path, "清溪晚报")
    (tmp_path / "in").mkdir()
    changed = CAPTURE.replace("记者 林小溪", "记者 林小雨").replace("四十亩", "五十亩")
    (tmp_path / "in" / "a.txt").write_text(changed, encoding="utf-8")
    (tmp_path / "in" / "c.txt").write_text(CAPTURE.replace("江畔春耕正当时", "夜市灯火"), encoding="utf-8")
    before = sorted((p, p.read_bytes()) for p in archive.rglob("*.yaml"))
    code, out, err = run("import", "--archive", str(archive), "--dry-run", "--jobs", "1", str(tmp_path / "in"))
    assert code == 0, err
    rows = [line.split("\t") for line in out.splitlines()]
    assert [row[0] for row in rows] == ["would replace", "would add"]
    assert rows[0][6] == "byline, authors, body (block 3), source"
    assert "epaper: dry run: 1 would add, 1 would replace, 0 unchanged" in err
    code, out, err = run("import", "--archive", str(archive), "--dry-run", str(tmp_path / "capture.txt"))
    assert out.split("\t")[0] == "unchanged" and "epaper: dry run: 0 would add, 0 would replace, 1 unchanged" in err
    code, out, err = run("import", "--archive", str(archive), "--dry-run", "--json", str(tmp_path / "in" / "a.txt"))
    (result,) = json.loads(out)
    assert result["status"] == "would replace" and result["changes"][0] == "byline"
    assert sorted((p, p.read_bytes()) for p in archive.rglob("*.yaml")) == before
