"""What `epaper list` and `epaper show` print: plain data first, then lines for people."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from epaper_cli.archive import Archive
from epaper_cli.model import Article, Issue, Page, block_kind
from epaper_cli.visible import visible

if TYPE_CHECKING:
    from epaper_cli.dates import DateSpan


def papers(archive: Archive) -> list[dict[str, Any]]:
    """Every paper with its issue count and date range, from file names alone."""
    result = []
    for paper_dir in archive.paper_dirs():
        dates = [date for date, _path in archive.issue_files(paper_dir)]
        if dates:
            result.append(
                {
                    "paper": archive.paper_name(paper_dir),
                    "issues": len(dates),
                    "first": dates[0].isoformat(),
                    "last": dates[-1].isoformat(),
                }
            )
    return result


def issues(archive: Archive, paper: str, span: DateSpan | None = None) -> list[dict[str, Any]]:
    """One paper's issues (those in `span` when given), from file names alone, so ten years of a daily list at
    once."""
    from epaper_cli.finding import paper_folder

    paper_dir = paper_folder(archive, paper)
    name = archive.paper_name(paper_dir)
    return [
        {"paper": name, "date": date.isoformat()}
        for date, _path in archive.issue_files(paper_dir)
        if span is None or date in span
    ]


def articles(archive: Archive, paper: str, date: dt.date) -> list[dict[str, Any]]:
    """One issue's articles, page by page."""
    from epaper_cli.finding import issue_file

    issue = archive.load(issue_file(archive, paper, date))
    return [
        {
            "id": a.id,
            "paper": issue.paper,
            "date": issue.date.isoformat(),
            "page": page.label,
            "section": page.section,
            "title": a.title,
        }
        for page in issue.pages
        for a in page.articles
    ]


def as_lines(records: list[dict[str, Any]]) -> list[str]:
    """Tab-separated lines for a terminal or `cut`, one per paper (name, number of issues, first and last date),
    issue (its date) or article (page, section, id, title), controls escaped."""
    lines = []
    for r in records:
        if "issues" in r:
            lines.append(f"{r['paper']}\t{r['issues']}\t{r['first']}\t{r['last']}")
        elif "id" in r:
            lines.append(f"{r['page']}\t{r['section'] or ''}\t{r['id']}\t{r['title']}")
        else:
            lines.append(r["date"])
    return [visible(line) for line in lines]


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
