"""`epaper edit`: one article as a YAML form a person edits, read back, checked and written under the lock.

The form holds the article's own keys as the issue file writes them (title, kicker, subtitle, byline, authors,
dateline, continued_from/continued_to, body, editors); its paper, date, page, id and source are not in it. What is
saved is refused, with the reason, unless it is an article of the schema; a changed title gives the article its
new id, as an import of the corrected capture would; the article is marked `edited: <day>`, and `epaper rebuild`
leaves it as it is from then on.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from epaper_cli import schema, yamltext
from epaper_cli.archive import Archive
from epaper_cli.errors import ArchiveError, InputError
from epaper_cli.lookup import Found
from epaper_cli.model import Article, article_id

EDITABLE = (
    "title",
    "kicker",
    "subtitle",
    "byline",
    "authors",
    "dateline",
    "continued_from",
    "continued_to",
    "body",
    "editors",
)
FORM = "the edited article"


def form(found: Found) -> str:
    """The article as the text a person edits."""
    data = schema.article_to_data(found.article)
    shown = {key: data[key] for key in EDITABLE if key in data}
    issue = found.issue
    head = (
        f"# {issue.paper} {issue.date.isoformat()}, page {found.page.label}: article {found.article.id}\n"
        "# Edit and save; leave the editor without saving (or save it unchanged) to change nothing.\n"
        "# Keys: title, kicker, subtitle, byline, authors, dateline, continued_from, continued_to, body\n"
        "# (each block one of text, heading, caption), editors. A changed title gives the article a new id.\n"
    )
    return head + yamltext.dump(shown)


def read_form(text: str, found: Found) -> Article:
    """The article a saved form describes, or InputError saying what is wrong with it."""
    try:
        data: Any = yamltext.load(text, FORM)
    except ArchiveError as error:
        raise InputError(FORM, error.why) from error
    if not isinstance(data, dict):
        raise InputError(FORM, "expected the article's keys (title, body, …)")
    unknown = [str(key) for key in data if key not in EDITABLE]
    if unknown:
        raise InputError(FORM, f"unknown key {unknown[0]!r}: the keys are {', '.join(EDITABLE)}")
    data = {**data, "id": found.article.id}
    for key in ("continued_from", "continued_to"):
        if isinstance(data.get(key), int):  # 5 for '05'
            data[key] = f"{data[key]:02d}"
    try:
        edited = schema.article_from_data(data, "article", FORM)
    except ArchiveError as error:
        raise InputError(FORM, error.why) from error
    issue = found.issue
    new_id = article_id(issue.paper, issue.date, found.page.label, edited.title, edited.body)
    return replace(edited, id=new_id, source=found.article.source, edited=found.article.edited)


def save(archive: Archive, found: Found, article: Article, today: dt.date) -> Article:
    """Put the edited article in place of the one found, under the lock; refused if the issue changed meanwhile
    so that the edit would overwrite someone else's, or if the new title clashes with another article's."""
    article = replace(article, edited=today)
    with archive.lock():
        issue = archive.load(found.path)
        page = issue.page(found.page.label)
        index = next((i for i, a in enumerate(page.articles) if a.id == found.article.id), None) if page else None
        if page is None or index is None or page.articles[index] != found.article:
            raise ArchiveError(str(found.path), "the article changed while it was being edited: nothing saved")
        if any(other.id == article.id for i, other in enumerate(page.articles) if i != index):
            raise InputError(FORM, f"page {page.label} already has an article with this title ({article.id})")
        page.articles[index] = article
        archive.replace_issue(found.path, issue)
    return article


def same_article(a: Article, b: Article) -> bool:
    """Whether an edit changed nothing."""
    return replace(a, edited=None) == replace(b, edited=None)


def run_editor(text: str, name: str) -> str:
    """Let the person's editor ($VISUAL, else $EDITOR, else vi) change the text; what they saved."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory(prefix="epaper-edit-") as folder:
        path = Path(folder) / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            words = shlex.split(command)
            done = subprocess.run([*words, str(path)], check=False)
        except (OSError, ValueError, IndexError) as exc:
            raise InputError("editor", f"cannot run {command!r} ($VISUAL / $EDITOR): {exc}") from exc
        if done.returncode != 0:
            raise InputError("editor", f"{command!r} exited with status {done.returncode}: nothing changed")
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError("editor", f"cannot read what was saved: {exc}") from exc
