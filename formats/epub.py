"""EPUB 3 export: a cover, a front page, a page (版面) divider per page and one XHTML file per article.

The documents are written as text by `epub_xhtml`, the cover drawn by `epub_cover`, and the package
document and the zip container made by `epub_package` (ebooklib); every label comes from `vocabulary`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from epaper_cli.errors import ExportError
from epaper_cli.formats import WriteOptions
from epaper_cli.formats.epub_cover import cover_png
from epaper_cli.formats.epub_package import XHTML, File, package, stylesheet
from epaper_cli.formats.epub_xhtml import Doc, Entry, esc, links, nav, ncx, xhtml, xml_safe
from epaper_cli.formats.vocabulary import Languages, Vocabulary, book_title, issue_title, vocabulary
from epaper_cli.model import Article, Caption, Heading, Issue, block_kind

__all__ = ["book_identifier", "write", "xml_safe"]


def _byline(article: Article) -> str | None:
    """The byline as printed, or one made from the authors when the capture had none."""
    if article.byline:
        return article.byline
    parts: list[str] = []
    for number, person in enumerate(article.authors):
        if person.role and (number == 0 or article.authors[number - 1].role != person.role):
            parts.append(person.role)
        parts.append(person.name)
    return " ".join(parts) or None


def book_identifier(issues: Sequence[Issue]) -> str:
    """The same issues always get the same identifier, so readers replace an old copy instead of adding one."""
    key = "\x1e".join(f"{issue.paper}\x1f{issue.date.isoformat()}" for issue in issues)
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'epaper:' + key)}"


def _article_body(article: Article, running: str, words: Vocabulary) -> str:
    """An article: its heading block, its body in reading order, then its editors."""
    out = ["<article>\n<header>\n", f'<p class="running">{esc(running)}</p>\n']
    if article.kicker:
        out.append(f'<p class="kicker">{esc(article.kicker)}</p>\n')
    out.append(f"<h1>{esc(words.title(article))}</h1>\n")
    if article.subtitle:
        out.append(f'<p class="subtitle">{esc(article.subtitle)}</p>\n')
    byline = _byline(article)
    if byline:
        out.append(f'<p class="byline">{esc(byline)}</p>\n')
    out.append("</header>\n")
    dateline = f'<span class="dateline">{esc(article.dateline)}</span>' if article.dateline else ""
    if dateline and not (article.body and block_kind(article.body[0]) == "text"):
        out.append(f"<p>{dateline}</p>\n")
        dateline = ""
    for block in article.body:
        if isinstance(block, Heading):
            out.append(f"<h2>{esc(block.text)}</h2>\n")
        elif isinstance(block, Caption):
            out.append(f'<p class="caption">{esc(block.text)}</p>\n')
        elif dateline:
            out.append(f"<p>{dateline}{esc(words.dateline_sep)}{esc(block.text)}</p>\n")
            dateline = ""
        else:
            out.append(f"<p>{esc(block.text)}</p>\n")
    if article.editors:
        out.append(f'<footer>\n<p class="editors">{esc(words.people(article.editors))}</p>\n</footer>\n')
    out.append("</article>\n")
    return "".join(out)


def _issue_docs(issue: Issue, number: int, languages: Languages) -> tuple[list[Doc], Entry]:
    """The front page, page dividers and articles of one issue, and its entry in the contents."""
    lang = languages.issues[number - 1]
    words = vocabulary(lang)
    date = words.long_date(issue.date)
    front = f"issue{number}.xhtml"
    pages: list[Entry] = []
    articles: list[list[Doc]] = []
    for p, page in enumerate(issue.pages, 1):
        heading = words.page_heading(page.label, page.section)
        entry = Entry(heading, f"issue{number}-p{p}.xhtml")
        docs = []
        running = f"{issue.paper} · {date} · {heading}"
        for a, article in enumerate(page.articles, 1):
            child = Entry(words.title(article), f"issue{number}-p{p}-a{a}.xhtml")
            entry.children.append(child)
            body = _article_body(article, running, words)
            docs.append(Doc(child.href, child.label, languages.article(number - 1, p - 1, a - 1), body))
        pages.append(entry)
        articles.append(docs)
    count = sum(len(page.articles) for page in issue.pages)
    masthead = (
        f'<header class="front">\n<h1 class="masthead">{esc(issue.paper)}</h1>\n'
        f'<p class="issue-date">{esc(date)}</p>\n'
        f'<p class="issue-count">{esc(words.summary(len(issue.pages), count))}</p>\n</header>\n'
    )
    index = links(pages, "pages", "titles") or f'<p class="empty">{esc(words.empty_issue)}</p>\n'
    out = [Doc(front, issue_title(issue), lang, masthead + index, "front")]
    for entry, docs in zip(pages, articles, strict=True):
        body = (
            f'<p class="running">{esc(issue.paper)} · {esc(date)}</p>\n'
            f'<h1 class="page-title">{esc(entry.label)}</h1>\n'
            + (links(entry.children, "titles") or f'<p class="empty">{esc(words.empty_page)}</p>\n')
        )
        out.append(Doc(entry.href, entry.label, lang, body, "page"))
        out += docs
    return out, Entry(issue_title(issue), front, pages)


def _cover(issues: Sequence[Issue], words: Vocabulary, options: WriteOptions) -> bytes:
    """The cover image: masthead, date (or range), counts, and the pages or issues inside."""
    masthead = words.list_sep.join(dict.fromkeys(issue.paper for issue in issues))
    dates = sorted({issue.date for issue in issues})
    when = words.long_date(dates[0]) if len(dates) == 1 else f"{dates[0].isoformat()} – {dates[-1].isoformat()}"
    pages = sum(len(issue.pages) for issue in issues)
    count = words.summary(pages, sum(len(issue.articles()) for issue in issues))
    if len(issues) == 1:
        details = [words.page_heading(page.label, page.section) for page in issues[0].pages]
    else:
        details = [issue_title(issue) for issue in issues]
    lines = [when, count]
    return cover_png(xml_safe(masthead), lines, [xml_safe(line) for line in details], options.fonts)


def write(issues: Iterable[Issue], out: BinaryIO, options: WriteOptions | None = None) -> None:
    """Write the issues as one EPUB 3 book; with several issues, issues are the top level of its contents."""
    options = options or WriteOptions()
    issues = list(issues)
    if not issues:
        raise ExportError("EPUB", "no issue to write")
    languages = Languages(issues)
    words = vocabulary(languages.book)
    title, identifier = book_title(issues, words), book_identifier(issues)
    docs: list[Doc] = []
    toc: list[Entry] = []
    for number, issue in enumerate(issues, 1):
        issue_docs, entry = _issue_docs(issue, number, languages)
        docs += issue_docs
        toc += entry.children if len(issues) == 1 and entry.children else [entry]
    cover_doc = Doc("cover.xhtml", words.cover, words.lang, f'<div><img src="cover.png" alt="{esc(title)}"/></div>\n')
    cover_doc.body_class = "cover"
    nav_doc = nav(toc, words, docs[0].file)
    files = [
        File("style", "style.css", "text/css", stylesheet(options.vertical).encode("utf-8")),
        File("ncx", "toc.ncx", "application/x-dtbncx+xml", ncx(toc, title, identifier, words.lang)),
        *(
            File(doc.file.removesuffix(".xhtml"), doc.file, XHTML, xhtml(doc), "nav" if doc is nav_doc else "")
            for doc in [cover_doc, nav_doc, *docs]
        ),
        File("cover-img", "cover.png", "image/png", _cover(issues, words, options), "cover-image"),
    ]
    guide = [
        {"type": "cover", "href": "cover.xhtml", "title": words.cover},
        {"type": "toc", "href": "nav.xhtml", "title": words.contents},
        {"type": "text", "href": docs[0].file, "title": words.start},
    ]
    out.write(package(issues, title, identifier, words.lang, files, guide, options.vertical))
