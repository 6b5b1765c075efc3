"""The floor for `epaper import`: the least a program can do to turn captures into the archive's files.

Read each file, parse the header with regular expressions (paper, date with year inference, page, title, byline,
paragraphs and sub-headings), group the articles by issue, dump each issue as YAML with libyaml
(`yaml.CSafeDumper`), and keep each raw capture under its sha256 as the archive does, appended to one pack
(`<archive>/.raw/packs/000001.pack`, records `<sha256> <size>\\n<bytes>\\n`, with no index). No validation, no
normalisation, no merging with what the archive already holds, no locking; one `os.sync()` at the end stands for
the archive's promise that what it wrote is on disk (`--no-sync` drops it). `--layout files` keeps each capture
in a file of its own instead (`<archive>/.raw/<ab>/<sha256>`), the archive's layout before the packs: the floor
the import's earlier figures were measured against.

    python bench/floor_import.py --archive DIR PATH ...     (files, or folders: every *.txt below, sorted)
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

_PAPER = re.compile(r"^当前报纸名称[:：]\s*(.+?)\s*$", re.M)
_READ = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\s*$", re.M)
_DATE = re.compile(r"^日期[:：]\s*(\d{1,2})-(\d{1,2})\s*$", re.M)
_PAGE = re.compile(r"^版面[:：]\s*第?\s*([A-Z]?)0*(\d+)\s*版(?:[:：]([^\s\u00a0]+))?.*$", re.M)
_BYLINE = re.compile(r"^(?:本报)?(?:记者|通讯员|实习生)[\s\u00a0]")
_HEADING_END = re.compile(r"[。！？；：，、…”’）]$")
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def expand(paths: Sequence[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(path.rglob("*.txt"))
        else:
            yield path


def infer(read_on: dt.date, month: int, day: int) -> dt.date:
    """The date with this month-day nearest to the read date, never more than two days after it."""
    best: dt.date | None = None
    for year in (read_on.year - 1, read_on.year, read_on.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if (candidate - read_on).days <= 2 and (best is None or abs(candidate - read_on) < abs(best - read_on)):
            best = candidate
    if best is None:
        raise ValueError(f"no date {month:02d}-{day:02d} near {read_on}")
    return best


def parse(text: str) -> tuple[str, dt.date, str, str | None, dict[str, Any]]:
    """(paper, date, page, section, article) of one capture."""
    paper = _PAPER.search(text)
    read = _READ.search(text)
    date = _DATE.search(text)
    page = _PAGE.search(text)
    if not (paper and read and date and page):
        raise ValueError("not a capture")
    read_on = dt.date(int(read[1]), int(read[2]), int(read[3]))
    issue_date = infer(read_on, int(date[1]), int(date[2]))
    label = f"{page[1]}{int(page[2]):02d}"
    title = next(line.strip() for line in text[paper.end() : date.start()].splitlines() if line.strip())
    lines = [line.strip(" \t\u3000\u00a0") for line in text[page.end() :].splitlines()]
    lines = [line for line in lines if line]
    article: dict[str, Any] = {"id": "", "title": title}
    if lines and _BYLINE.match(lines[0]):
        article["byline"] = lines.pop(0)
    article["body"] = [
        {"heading": line} if len(line) <= 30 and not _HEADING_END.search(line) else {"text": line} for line in lines
    ]
    identity = f"{paper[1]}\n{issue_date.isoformat()}\n{label}\n{title}".encode()
    article["id"] = hashlib.sha256(identity).hexdigest()[:12]
    return paper[1], issue_date, label, page[3], article


def page_key(label: str) -> tuple[str, int]:
    return (label[0], int(label[1:])) if label[0].isalpha() else ("", int(label))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The floor for `epaper import`.")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--archive", type=Path, default=Path("archive"))
    parser.add_argument("--no-sync", action="store_true", help="leave flushing to the kernel")
    parser.add_argument("--layout", choices=("packs", "files"), default="packs", help="how raw captures are kept")
    args = parser.parse_args(argv)
    archive: Path = args.archive
    issues: dict[tuple[str, dt.date], dict[str, dict[str, Any]]] = {}
    count = 0
    kept: set[str] = set()
    (archive / ".raw" / "packs").mkdir(parents=True, exist_ok=True)
    pack = (archive / ".raw" / "packs" / "000001.pack").open("ab")
    for path in expand(args.paths):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest not in kept:
            kept.add(digest)
            if args.layout == "packs":
                pack.write(b"%s %d\n%s\n" % (digest.encode(), len(data), data))
            else:
                raw = archive / ".raw" / digest[:2] / digest
                raw.parent.mkdir(parents=True, exist_ok=True)
                raw.write_bytes(data)
        paper, date, label, section, article = parse(data.decode("utf-8-sig"))
        article["source"] = {"sha256": digest}
        pages = issues.setdefault((paper, date), {})
        page = pages.setdefault(label, {"page": label, **({"section": section} if section else {}), "articles": []})
        page["articles"].append(article)
        count += 1
    pack.close()
    for (paper, date), pages in issues.items():
        document = {
            "format": "epaper/1",
            "paper": paper,
            "date": date,
            "pages": [pages[label] for label in sorted(pages, key=page_key)],
        }
        target = archive / paper / f"{date.year:04d}" / f"{date.isoformat()}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.dump(document, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=10**6)
        target.write_text(text, encoding="utf-8")
    if not args.no_sync and hasattr(os, "sync"):
        os.sync()
    print(f"{count} articles in {len(issues)} issues")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
