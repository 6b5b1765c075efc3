"""What `epaper list` and `epaper show` print: plain data first, then lines for people."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from epaper_cli.archive import Archive
from epaper_cli.errors import ArchiveError
from epaper_cli.model import Article, Issue, Page, block_kind
from epaper_cli.visible import visible

if TYPE_CHECKING:
    from epaper_cli.dates import DateSpan


def papers(archive: Archive) -> dict[str, Any]:
    """Every paper with its issue count and date range, from file names alone."""
    result = []
    for paper_dir in archive.paper_dirs():
        dates = [date for date, _path in archive.issue_files(paper_dir)]
        if dates:
            result.append(
                {
                    "paper": paper_dir.name,
                    "issues": len(dates),
                    "first": dates[0].isoformat(),
                    "last": dates[-1].isoformat(),
                }
            )
    return {"papers": result}


def issues(archive: Archive, paper: str, span: DateSpan | None = None) -> dict[str, Any]:
    """One paper's issue dates (those in `span` when given), from file names alone, so ten years of a daily
    list at once."""
    paper_dir = archive.paper_dir(paper)
    if not paper_dir.is_dir():
        raise ArchiveError(paper, "no such paper in the archive (see `epaper list`)")
    dates = [date for date, _path in archive.issue_files(paper_dir) if span is None or date in span]
    return {"paper": paper, "issues": [date.isoformat() for date in dates]}


def articles(archive: Archive, paper: str, date: dt.date) -> dict[str, Any]:
    """One issue's pages and articles."""
    path = archive.issue_path(paper, date)
    if not path.is_file():
        raise ArchiveError(f"{paper} {date.isoformat()}", "no such issue in the archive")
    issue = archive.load(path)
    return {
        "paper": issue.paper,
        "date": issue.date.isoformat(),
        "pages": [
            {
                "page": page.label,
                **({"section": page.section} if page.section else {}),
                "articles": [{"id": a.id, "title": a.title} for a in page.articles],
            }
            for page in issue.pages
        ],
    }


def as_lines(data: dict[str, Any]) -> list[str]:
    """Tab-separated lines for a terminal or `cut`, one per paper, issue or article, controls escaped."""
    return [visible(line) for line in _lines(data)]


def _lines(data: dict[str, Any]) -> list[str]:
    if "papers" in data:
        return [f"{p['paper']}\t{p['issues']} issues\t{p['first']}\t{p['last']}" for p in data["papers"]]
    if "issues" in data:
        return list(data["issues"])
    lines = []
    for page in data["pages"]:
        heading = f"{page['page']}版" + (f" {page['section']}" if page.get("section") else "")
        for article in page["articles"]:
            lines.append(f"{heading}\t{article['id']}\t{article['title']}")
    return lines


def article_json(issue: Issue, page: Page, article: Article) -> dict[str, Any]:
    """One article with where it was printed, in the archive schema's keys."""
    from epaper_cli.schema import article_to_data

    data = article_to_data(article)
    for person_key in ("authors", "editors"):
        if person_key in data:
            data[person_key] = [dict(p) for p in data[person_key]]
    data["body"] = [{block_kind(b): b.text} for b in article.body]
    return {
        "paper": issue.paper,
        "date": issue.date.isoformat(),
        "page": page.label,
        "section": page.section,
        **data,
    }


def article_lines(issue: Issue, page: Page, article: Article) -> list[str]:
    """One article as readable text, controls escaped."""
    return [visible(line) for line in _article_lines(issue, page, article)]


def _article_lines(issue: Issue, page: Page, article: Article) -> list[str]:
    where = f"{issue.paper} {issue.date.isoformat()} {page.label}版" + (f" {page.section}" if page.section else "")
    lines = [where, ""]
    if article.kicker:
        lines.append(article.kicker)
    lines.append(article.title)
    if article.subtitle:
        lines.append(f"——{article.subtitle}")
    if article.byline:
        lines.append(article.byline)
    if article.dateline:
        lines.append(article.dateline)
    lines.append("")
    for block in article.body:
        kind = block_kind(block)
        if kind == "heading":
            lines += ["", f"## {block.text}", ""]
        else:
            lines.append(f"  {block.text}" if kind == "text" else f"  [{block.text}]")
    if article.editors:
        lines.append("")
        lines.append(" ".join(f"{p.role}：{p.name}" for p in article.editors))
    return lines
