"""Shared test helpers: paths, hand-made articles, and tools that CI must have."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

from epaper_cli.model import Article, Caption, Heading, Person, Source, Text, article_id

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_97aeb27e0cbc22d9.txt"


def sample_encoding(path: Path) -> str | None:
    """The `--encoding` a sample needs: none (BOM, UTF-8 or GB18030 decide), or the codec its name ends with
    (`…-cp1252.txt`), for encodings that cannot be told from the bytes."""
    codec = path.stem.rsplit("-", 1)[-1]
    return codec if codec in ("cp1252",) else None


def require_tool(name: str) -> str:
    """The tool's path; skip when it is missing, unless CI (EPAPER_REQUIRE_TOOLS=1) says it must be there."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("EPAPER_REQUIRE_TOOLS"):
            pytest.fail(f"{name} is required in CI but not installed")
        pytest.skip(f"{name} is not installed")
    return path


def require_seed() -> Path:
    """The real capture in ../shared; always skipped (never failed) when that folder is absent."""
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent (the shared folder is not beside the project)")
    return SEED


def sample_paragraphs(min_length: int = 40) -> list[str]:
    """Long Chinese paragraphs from the bundled samples' goldens: real-looking text that ships with the project."""
    import yaml

    paragraphs = []
    for golden in sorted(SAMPLES.glob("*.yaml")):
        for document in yaml.safe_load_all(golden.read_text(encoding="utf-8")):
            for page in document["pages"]:
                for article in page["articles"]:
                    paragraphs += [b["text"] for b in article["body"] if "text" in b and len(b["text"]) >= min_length]
    return [p for p in paragraphs if re.search("[\u4e00-\u9fff]", p)]


def require_file(path: Path, why: str) -> Path:
    """The file; skip when it is missing, unless CI says it must be there."""
    if not path.exists():
        if os.environ.get("EPAPER_REQUIRE_TOOLS"):
            pytest.fail(f"{path} is required in CI ({why})")
        pytest.skip(f"{path} is missing ({why})")
    return path


def make_article(paper: str, date: dt.date, page: str, title: str, paragraphs: int = 2) -> Article:
    """An article with every optional field filled, its id derived as the importer would."""
    return Article(
        title=title,
        id=article_id(paper, date, page, title),
        kicker="引题在此",
        subtitle="副题在此",
        byline="记者 林小溪 通讯员 周远",
        authors=[Person("记者", "林小溪"), Person("通讯员", "周远")],
        dateline="本报讯",
        body=[Text(f"第{i}段正文，写得很长很长，" * 5) for i in range(paragraphs)]
        + [Heading("一个小标题"), Caption("图为江边的清晨。 林小溪 摄")],
        editors=[Person("责任编辑", "钱多")],
        source=Source("0" * 64, "电子报阅读机", dt.date(2025, 3, 15)),
    )


def kept_captures(archive: Path) -> dict[str, bytes]:
    """Every capture the archive's raw store keeps, by digest, read from its packs front to back."""
    from epaper_cli.packs import records
    from epaper_cli.rawstore import RawStore

    store = RawStore(archive)
    return {
        record.digest: record.data
        for number in store.pack_numbers()
        for record in records(store.pack_path(number))
        if not record.removed and store.place(record.digest) is not None
    }


def is_derived(relative: str) -> bool:
    """Whether an archive file (its path inside the archive) is the lock or derived data: the search index, the
    receipts or the raw store's index, which change with every use."""
    name = os.path.basename(relative)
    return name == ".lock" or name.startswith((".index.sqlite", ".receipts.sqlite", "index.sqlite"))
