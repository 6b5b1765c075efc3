"""`epaper report`: what an archive is missing, read from what it holds.

Per paper: its span, issue count and publishing pattern (the weekdays it appears on, read from its issues),
and the dates of that pattern it lacks. Per issue: gaps in each page series (01 02 04 → 03; A01–A04 B02 →
B01) and pages a continuation marker points to that the issue lacks. Per article: an empty body, a body that
stops mid-sentence, and the same text under two ids. Each finding is a guess a person confirms: a paper may
skip a holiday, a series may really start at 02.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epaper_cli import pool
from epaper_cli.archive import Archive
from epaper_cli.dates import DateSpan
from epaper_cli.facts import DUPLICATE_MIN, ArticleFacts, IssueFacts, issue_facts, looks_cut_off
from epaper_cli.formats.vocabulary import ENGLISH, vocabulary

__all__ = ["DUPLICATE_MIN", "PaperReport", "looks_cut_off", "missing_pages", "publishing_pattern", "report"]

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MIN_ISSUES = 4
"""Fewer issues than this say nothing about a pattern: the paper is reported as irregular."""
DAY_SHARE = 0.5
"""A weekday is a publishing day when the paper appears on at least this share of its occurrences."""
STRAY_SHARE = 0.1
"""More issues than this share off the publishing days make the pattern irregular."""
_LABEL = re.compile(r"^([A-Z]*)(\d+)$")
_WORDS = vocabulary(ENGLISH)


@dataclass(frozen=True)
class ArticleRef:
    """Where an article stands: enough for a person to find it, and its id for `epaper show`."""

    id: str
    date: dt.date
    page: str
    title: str

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "date": self.date.isoformat(), "page": self.page, "title": self.title}


@dataclass
class PaperReport:
    """The findings for one paper."""

    paper: str
    dates: list[dt.date]
    pattern: str = "irregular"
    days: tuple[int, ...] = ()
    missing_dates: list[dt.date] = field(default_factory=list)
    missing_pages: list[tuple[dt.date, list[str]]] = field(default_factory=list)
    missing_continuations: list[tuple[ArticleRef, str]] = field(default_factory=list)
    empty: list[ArticleRef] = field(default_factory=list)
    cut_off: list[ArticleRef] = field(default_factory=list)
    duplicates: list[list[ArticleRef]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The stable JSON shape (see the README)."""
        return {
            "paper": self.paper,
            "first": self.dates[0].isoformat() if self.dates else None,
            "last": self.dates[-1].isoformat() if self.dates else None,
            "issues": len(self.dates),
            "pattern": self.pattern,
            "weekdays": [WEEKDAYS[day] for day in self.days],
            "missing_dates": [day.isoformat() for day in self.missing_dates],
            "missing_pages": [{"date": d.isoformat(), "pages": pages} for d, pages in self.missing_pages],
            "missing_continuations": [{**ref.as_json(), "to": page} for ref, page in self.missing_continuations],
            "empty": [ref.as_json() for ref in self.empty],
            "cut_off": [ref.as_json() for ref in self.cut_off],
            "duplicates": [[ref.as_json() for ref in group] for group in self.duplicates],
        }

    def lines(self) -> Iterator[str]:
        """The findings for a person, one per line."""
        span = f"{self.dates[0]} – {self.dates[-1]}" if self.dates else "no issue"
        yield f"{self.paper}\t{span}\t{_WORDS.count(len(self.dates), _WORDS.issues)}\t{self.pattern}"
        if self.missing_dates:
            shown = ", ".join(day.isoformat() for day in self.missing_dates)
            yield f"  missing dates ({len(self.missing_dates)}): {shown}"
        for day, pages in self.missing_pages:
            yield f"  {day}: missing pages {', '.join(pages)}"
        for ref, page in self.missing_continuations:
            yield f"  {ref.date}: page {page}, where {ref.id} ({ref.title}) continues, is not in the archive"
        for ref in self.empty:
            yield f"  {ref.date} {ref.page} {ref.id}: empty body ({ref.title})"
        for ref in self.cut_off:
            yield f"  {ref.date} {ref.page} {ref.id}: looks cut off ({ref.title})"
        for group in self.duplicates:
            yield "  same text: " + " = ".join(f"{ref.id} ({ref.date} {ref.page} {ref.title})" for ref in group)


def report(
    archive: Archive, paper: str | None, span: DateSpan | None, facts: Callable[[Path], IssueFacts] = issue_facts
) -> list[PaperReport]:
    """Every paper's findings (or one paper's), over the issues the date selection holds; each issue's facts come
    from `facts` (by default read from its file, see `epaper_cli.facts`)."""
    folders = archive.paper_dirs()
    if paper is not None:
        from epaper_cli.finding import paper_folder

        folders = [paper_folder(archive, paper)]
    reports = []
    for folder in folders:
        files = archive.issue_files(folder)
        if not files:
            continue
        all_dates = [day for day, _path in files]
        chosen = [(day, path) for day, path in files if span is None or day in span]
        paths = [path for _day, path in chosen]
        # Issue files are scanned in worker processes, as an import reads captures: facts are small to send back.
        issues = pool.ordered_map(facts, paths, pool.available_cpus()) if facts is issue_facts else map(facts, paths)
        found = paper_report(archive.paper_name(folder), all_dates, [day for day, _p in chosen], issues, span)
        reports.append(found)
    return reports


def paper_report(
    name: str, all_dates: list[dt.date], dates: list[dt.date], issues: Iterable[IssueFacts], span: DateSpan | None
) -> PaperReport:
    """One paper's findings: the pattern from all its issues, the rest from the selected ones, read one by one."""
    result = PaperReport(name, dates)
    result.days, result.pattern = publishing_pattern(all_dates)
    if result.days and dates:
        first = max(all_dates[0], span.first) if span is not None and span.first else all_dates[0]
        last = min(all_dates[-1], span.last) if span is not None and span.last else all_dates[-1]
        result.missing_dates = missing_dates(set(all_dates), result.days, first, last)
    bodies: dict[str, list[tuple[dt.date, ArticleFacts]]] = defaultdict(list)
    for issue in issues:
        if issue.paper:
            result.paper = issue.paper
        gaps = missing_pages(list(issue.pages))
        if gaps:
            result.missing_pages.append((issue.date, gaps))
        labels = set(issue.pages)
        for article in issue.articles:
            for target in (article.continued_to, article.continued_from):
                if target and target not in labels:
                    result.missing_continuations.append((_ref(issue.date, article), target))
            if article.empty:
                result.empty.append(_ref(issue.date, article))
                continue
            if article.cut_off:
                result.cut_off.append(_ref(issue.date, article))
            if article.digest is not None:
                bodies[article.digest].append((issue.date, article))
    result.duplicates = [[_ref(*item) for item in group] for group in bodies.values() if len(group) > 1]
    return result


def _ref(date: dt.date, article: ArticleFacts) -> ArticleRef:
    return ArticleRef(article.id, date, article.page, article.title)


def publishing_pattern(dates: list[dt.date]) -> tuple[tuple[int, ...], str]:
    """The weekdays a paper appears on and their name (daily, weekdays, weekly on Thursday…), or irregular."""
    if len(dates) < MIN_ISSUES:
        return (), "irregular (too few issues to tell)"
    occurrences = Counter((dates[0] + dt.timedelta(n)).weekday() for n in range((dates[-1] - dates[0]).days + 1))
    present = Counter(day.weekday() for day in dates)
    days = tuple(d for d in range(7) if occurrences[d] and present[d] / occurrences[d] >= DAY_SHARE)
    stray = sum(count for day, count in present.items() if day not in days)
    if not days or stray > STRAY_SHARE * len(dates):
        return (), "irregular"
    if days == tuple(range(7)):
        return days, "daily"
    if days == tuple(range(5)):
        return days, "weekdays (Monday to Friday)"
    if days == tuple(range(6)):
        return days, "Monday to Saturday"
    if len(days) == 1:
        return days, f"weekly on {WEEKDAYS[days[0]]}"
    return days, "on " + ", ".join(WEEKDAYS[d] for d in days)


def missing_dates(have: set[dt.date], days: tuple[int, ...], first: dt.date, last: dt.date) -> list[dt.date]:
    """The days of the pattern between first and last (both included) with no issue."""
    span = (first + dt.timedelta(n) for n in range((last - first).days + 1))
    return [day for day in span if day.weekday() in days and day not in have]


def missing_pages(labels: list[str]) -> list[str]:
    """Gaps in each page series: numbers from 1 to the highest, per letter prefix (01 02 04 → 03)."""
    series: dict[str, set[int]] = defaultdict(set)
    for label in labels:
        match = _LABEL.match(label)
        if match is not None:
            series[match[1]].add(int(match[2]))
    missing = []
    for letters in sorted(series):
        numbers = series[letters]
        missing += [f"{letters}{n:02d}" for n in range(1, max(numbers) + 1) if n not in numbers]
    return missing
