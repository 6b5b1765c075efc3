"""The generic input format: a YAML front-matter block, then the body, for articles from any source.

---
paper: 清溪晚报
date: 2025-03-14
page: 第5版
section: 农事
title: 江畔春耕正当时
byline: 记者 林小溪
---
First paragraph …

## A sub-heading

Next paragraph …
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from epaper_cli.errors import InputError
from epaper_cli.formats import ReadOptions
from epaper_cli.formats.credits import parse_byline
from epaper_cli.formats.pagelabels import page_label, section_name
from epaper_cli.formats.punctuation import fullwidth_punctuation
from epaper_cli.formats.spacing import clean_line
from epaper_cli.model import Article, Block, Heading, Issue, Page, Source, Text, article_id

_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_KEYS = ("paper", "date", "page", "section", "title", "byline", "kicker", "subtitle", "dateline")
_REQUIRED = ("paper", "page", "title")


def looks_like(text: str) -> bool:
    """True when the text opens with a front-matter fence."""
    return text.startswith("---\n") or text.startswith("---\r\n")


def read(text: str, name: str, options: ReadOptions) -> list[Issue]:
    """Read one front-matter article into an issue with one page."""
    meta, body = _split(text, name)
    for key in _REQUIRED:
        if meta.get(key) is None and not (key == "paper" and options.paper):
            raise InputError(name, f"the front matter has no `{key}:`")
    unknown = sorted(set(meta) - set(_KEYS))
    if unknown:
        raise InputError(name, f"unknown front-matter key `{unknown[0]}` (known: {', '.join(_KEYS)})")
    fields = {key: _text(meta[key], key, name) for key in _KEYS if meta.get(key) is not None and key != "date"}
    paper = options.paper or fields["paper"]
    date = options.date or _date(meta.get("date"), name, options)
    parsed_page = page_label(fields["page"]) or page_label(f"{fields['page']}版")
    if parsed_page is None:
        raise InputError(name, f"`page: {fields['page']}` is not a page label such as 03, 第3版 or A03")
    label = parsed_page[0]
    section = section_name(fields["section"]) if "section" in fields else parsed_page[1]
    polish = _polisher(options)
    title = polish(fields["title"])
    article = Article(
        title=title,
        kicker=polish(fields["kicker"]) if "kicker" in fields else None,
        subtitle=polish(fields["subtitle"]).lstrip("—").strip() if "subtitle" in fields else None,
        dateline=polish(fields["dateline"]) if "dateline" in fields else None,
        body=_blocks(body, polish),
        source=Source(sha256=""),
    )
    article.id = article_id(paper, date, label, title, article.body)
    if "byline" in fields:
        parsed = parse_byline(fields["byline"])
        article.byline, article.authors = parsed if parsed else (fields["byline"], [])
    if not article.body:
        raise InputError(name, "the article has no body text after the front matter")
    return [Issue(paper, date, [Page(label, section, [article])])]


def _split(text: str, name: str) -> tuple[dict[str, Any], str]:
    """Separate the front matter from the body and parse it safely."""
    fences = list(_FENCE.finditer(text, 0))
    if len(fences) < 2 or fences[0].start() != 0:
        raise InputError(name, "the front matter is not closed by a `---` line")
    head, body = text[fences[0].end() : fences[1].start()], text[fences[1].end() :]
    import yaml  # only this format needs a YAML parser at import time

    try:
        meta = yaml.load(head, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark is not None else ""
        raise InputError(name, f"{where}the front matter is not valid YAML") from exc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # `date: 2025-02-30`, `!!int zz`
        raise InputError(name, f"the front matter holds a value that cannot be read ({exc})") from exc
    if not isinstance(meta, dict) or not all(isinstance(key, str) for key in meta):
        raise InputError(name, "the front matter must be `key: value` lines")
    return meta, body


def _text(value: Any, key: str, name: str) -> str:
    """A front-matter value as clean text; numbers such as `page: 3` are fine."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(name, f"`{key}:` must be text")
    cleaned = clean_line(str(value))
    if not cleaned:
        raise InputError(name, f"`{key}:` is empty")
    return cleaned


def _date(value: Any, name: str, options: ReadOptions) -> dt.date:
    """The issue date: a YAML date, or text in one of the full-date forms captures use."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if value is None:
        raise InputError(name, "the front matter has no `date:`: add one or pass --date YYYY-MM-DD")
    from epaper_cli.formats.issuedates import full_date

    parsed = full_date(str(value))
    if parsed is None:
        raise InputError(name, f"`date: {value}` is not a date such as 2025-08-26 or 2025年8月26日")
    return parsed


def _polisher(options: ReadOptions) -> Any:
    """The punctuation normalisation the user asked for."""
    if options.keep_punctuation:
        return lambda text: text
    return fullwidth_punctuation


def _blocks(body: str, polish: Any) -> list[Block]:
    """Blank lines separate paragraphs; a `## ` line is a sub-heading; wrapped lines join up again."""
    blocks: list[Block] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            blocks.append(Text(polish(_join(lines))))
            lines.clear()

    for raw in body.split("\n"):
        line = clean_line(raw)
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            heading = line[3:].strip()
            if heading:
                blocks.append(Heading(polish(heading)))
        else:
            lines.append(line)
    flush()
    return blocks


def _join(lines: list[str]) -> str:
    """Join wrapped lines: no space between Chinese characters, one space between Latin words."""
    text = lines[0]
    for line in lines[1:]:
        glue = "" if (text[-1] > "\u2e7f" or line[0] > "\u2e7f") else " "
        text += glue + line
    return text
