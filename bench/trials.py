"""The archive's reliability trials, rerun by hand: kills, parallel importers, truncation, attacks, check memory.

    python bench/trials.py [--kills 36] [--importers 16] [--captures 360]

Prints one line per trial with its count: kills survived (every issue file whole and valid after each kill,
and the re-import byte-identical to an import that was never killed), parallel importers (nothing lost),
truncation points detected by `check` (every article boundary and 400 evenly spaced bytes of the largest issue
file), attacks refused (symlinks planted at every place of the archive with every kind of target, FIFOs),
and `check`'s peak memory on a small and a ten times larger archive. Not a test: nothing here is timed.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

EPAPER = str(Path(sys.executable).with_name("epaper"))
ENV = {k: v for k, v in os.environ.items() if k != "EPAPER_ARCHIVE"}


def epaper(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([EPAPER, *args], cwd=cwd, env=ENV, capture_output=True, timeout=600)


def issue_bytes(archive: Path) -> dict[str, bytes]:
    return {str(p.relative_to(archive)): p.read_bytes() for p in sorted(archive.rglob("*.yaml"))}


def captures(root: Path, count: int) -> Path:
    per_issue = 60
    corpus.write_captures(root / "in", corpus.make_issues(max(1, count // per_issue), pages=12, per_page=5))
    return root / "in"


def kills(root: Path, rounds: int, reference: dict[str, bytes]) -> str:
    rng = random.Random(19)
    archive = root / "killed"
    survived = 0
    for _ in range(rounds):
        process = subprocess.Popen(
            [EPAPER, "import", "-q", "--archive", str(archive), "in"],
            cwd=root,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, 2.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        whole = True
        for text in issue_bytes(archive).values():
            try:
                yaml.safe_load(text)
            except yaml.YAMLError:
                whole = False
        result = epaper("check", "--archive", str(archive), cwd=root)
        allowed = ("safe to delete (the next import into this folder does)",)
        whole = whole and all(line.endswith(allowed) for line in result.stdout.decode().splitlines())
        survived += whole
    epaper("import", "-q", "--archive", str(archive), "in", cwd=root)
    identical = (
        issue_bytes(archive) == reference and epaper("check", "--archive", str(archive), cwd=root).returncode == 0
    )
    return f"kills survived: {survived} of {rounds}; re-import byte-identical and check clean: {identical}"


def parallel(root: Path, importers: int, reference: dict[str, bytes]) -> str:
    files = sorted(str(p) for p in (root / "in").rglob("*.txt"))
    archive = root / "parallel"
    processes = [
        subprocess.Popen(
            [EPAPER, "import", "-q", "-j", "1", "--archive", str(archive), *files[i::importers]],
            cwd=root,
            env=ENV,
            stdout=subprocess.DEVNULL,
        )
        for i in range(importers)
    ]
    codes = [p.wait() for p in processes]
    ids = lambda data: set(re.findall(rb"(?m)^  - id: (\w+)$", data))  # noqa: E731
    expected = set().union(*map(ids, reference.values()))
    got = set().union(*map(ids, issue_bytes(archive).values()))
    clean = epaper("check", "--archive", str(archive), cwd=root).returncode == 0
    return (
        f"parallel importers: {importers}, all exit 0: {codes == [0] * importers}; articles {len(got & expected)}"
        f" of {len(expected)} kept, check clean: {clean}"
    )


def truncation(root: Path) -> str:
    from epaper_cli.archive import Archive
    from epaper_cli.checking import check_archive

    archive = root / "reference"
    path = max(archive.rglob("*.yaml"), key=lambda p: p.stat().st_size)
    data = path.read_bytes()
    boundaries = {m.start() for m in re.finditer(rb"(?m)^(?:- page:|  - id:)", data)}
    points = sorted(boundaries | set(range(1, len(data), max(1, len(data) // 400))))
    detected = 0
    for point in points:
        path.write_bytes(data[:point])
        detected += any(file == str(path) for file, _ in check_archive(Archive(archive)))
    path.write_bytes(data)
    return (
        f"truncation points detected: {detected} of {len(points)} ({len(boundaries)} article and page"
        f" boundaries) in a {len(data):,}-byte issue file"
    )


def attacks(root: Path) -> str:
    sample = next((root / "in").rglob("*.txt"))
    refused = total = 0
    places = ["清江日报", "清江日报/2024", ".raw", ".raw/packs", ".raw/packs/000001.pack", ".raw/index.sqlite", ".lock"]
    for place in places:
        for target in ("folder", "file", "dangling"):
            base = Path(tempfile.mkdtemp(dir=root))
            outside = base / "outside"
            outside.mkdir()
            (outside / "victim").write_text("keep me")
            link = base / "a" / place
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to({"folder": outside, "file": outside / "victim", "dangling": outside / "missing"}[target])
            result = epaper("import", "--archive", str(base / "a"), str(sample), cwd=root)
            untouched = (
                sorted(p.name for p in outside.rglob("*")) == ["victim"]
                and (outside / "victim").read_text() == "keep me"
            )
            checked = epaper("check", "--archive", str(base / "a"), cwd=root)
            reported = b"symlink" in checked.stdout + checked.stderr
            total += 1
            refused += result.returncode == 1 and untouched and reported
    base = Path(tempfile.mkdtemp(dir=root))
    epaper("import", "--archive", str(base / "a"), str(sample), cwd=root)
    issue = next((base / "a").rglob("*.yaml"))
    issue.unlink()
    os.mkfifo(issue)
    for command in (["check"], ["import", str(sample)]):
        total += 1
        try:
            result = epaper(*command, "--archive", str(base / "a"), cwd=root)
            refused += result.returncode == 1 and b"not a regular file" in result.stdout + result.stderr
        except subprocess.TimeoutExpired:
            pass
    return f"attacks refused (nothing written outside, check reports them, no hang): {refused} of {total}"


def check_memory(root: Path, count: int) -> str:
    figures = []
    for size in (count, count * 10):
        folder = root / f"mem{size}"
        captures(folder, size)
        epaper("import", "-q", "--archive", str(folder / "a"), str(folder / "in"), cwd=root)
        result = subprocess.run(
            ["/usr/bin/time", "-f", "%M", EPAPER, "check", "--archive", str(folder / "a")], capture_output=True, env=ENV
        )
        figures.append((size, int(result.stderr.decode().strip().splitlines()[-1])))
    (small, small_kb), (large, large_kb) = figures
    return (
        f"check peak memory: {small_kb / 1024:.1f} MiB at {small} captures, {large_kb / 1024:.1f} MiB at {large}"
        f" ({large_kb / small_kb:.2f}×)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=36)
    parser.add_argument("--importers", type=int, default=16)
    parser.add_argument("--captures", type=int, default=360)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="epaper-trials-"))
    try:
        captures(root, args.captures)
        epaper("import", "-q", "--archive", str(root / "reference"), "in", cwd=root)
        reference = issue_bytes(root / "reference")
        print(kills(root, args.kills, reference), flush=True)
        print(parallel(root, args.importers, reference), flush=True)
        print(truncation(root), flush=True)
        print(attacks(root), flush=True)
        if shutil.which("/usr/bin/time"):
            print(check_memory(root, 1000), flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
