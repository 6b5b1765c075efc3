"""Where an incoming article goes in its issue: in the place of the article with its id (replaced, saying what
differs, or unchanged), else at the end of its page (added), a new page taking its place in page order."""

from __future__ import annotations

import dataclasses
from dataclasses import replace

from epaper_cli.model import Article, Issue, Page, page_sort_key


def merge_article(issue: Issue, incoming_page: Page, article: Article) -> tuple[str, tuple[str, ...]]:
    """Put one article into an issue (see `Places.merge`); for many articles into one issue, use `Places`."""
    return Places(issue).merge(incoming_page, article)


class Places:
    """Where each article of an issue stands, by id, so that merging many articles costs one step each."""

    def __init__(self, issue: Issue) -> None:
        self.issue = issue
        self.pages = {page.label: page for page in issue.pages}
        self.index = {article.id: (page, i) for page in issue.pages for i, article in enumerate(page.articles)}

    def merge(self, incoming_page: Page, article: Article) -> tuple[str, tuple[str, ...]]:
        """Put one article into the issue: replace the one with its id in place, else append it to its page;
        say which (added, replaced or unchanged) and, for a replacement, what differs."""
        page = self.pages.get(incoming_page.label)
        if page is None:
            page = Page(incoming_page.label, incoming_page.section, [])
            self.issue.pages.append(page)
            self.issue.pages.sort(key=lambda p: page_sort_key(p.label))
            self.pages[page.label] = page
        elif incoming_page.section and page.section != incoming_page.section:
            page.section = incoming_page.section
        found = self.index.get(article.id)
        if found is not None and found[0] is page:
            existing = page.articles[found[1]]
            if existing == article or _same_reading(existing, article):
                return "unchanged", ()
            page.articles[found[1]] = article
            return "replaced", differences(existing, article)
        self.index[article.id] = (page, len(page.articles))
        page.articles.append(article)
        return "added", ()


def differences(old: Article, new: Article) -> tuple[str, ...]:
    """The keys of an article that differ between two versions of it; the body's by block number (from 1)."""
    changes = []
    for key in (f.name for f in dataclasses.fields(Article)):
        before, after = getattr(old, key), getattr(new, key)
        if before == after:
            continue
        if key != "body":
            changes.append(key)
            continue
        numbers = [str(n) for n, (a, b) in enumerate(zip(before, after, strict=False), 1) if a != b]
        where = [f"block{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}"] if numbers else []
        if len(before) != len(after):
            where.append(f"{len(before)} → {len(after)} blocks")
        changes.append(f"body ({'; '.join(where)})")
    return tuple(changes)


def _same_reading(existing: Article, article: Article) -> bool:
    """Whether two articles differ only in the import options recorded with them: other options that read the
    capture the same way (`--paper` given as an alias, say) change nothing."""
    if existing.source is None or article.source is None or existing.source.options == article.source.options:
        return False
    return existing == replace(article, source=replace(article.source, options=existing.source.options))
