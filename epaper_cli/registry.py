"""The paper registry, `<archive>/papers.yaml`: what citations and exports need to know of a paper that its
issues do not say (other names, language, place, publisher, ISSN, CN 刊号, frequency).

The file is written by people as much as by `epaper paper set`, so it is read leniently and checked strictly:
reading fails only when the file is not YAML of the right shape (`papers.yaml: line N: reason`); a bad value
(an unknown key, an ISSN whose check digit is wrong, an alias claimed by two papers) is a problem that
`epaper check` reports, and that field alone is left out of what the registry tells the other commands.
Values are kept as written, so rewriting the file never loses one, however wrong.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from epaper_cli.archive import Archive, safe_component
from epaper_cli.errors import ArchiveError
from epaper_cli.layout import REGISTRY_FILE
from epaper_cli.model import Issue, Page, PaperInfo, article_id

FORMAT = "epaper-papers/1"
FIELDS = ("aliases", "language", "place", "publisher", "issn", "cn", "frequency")
"""The keys a paper may have, in the order the file is written."""


_ISSN = re.compile(r"^(\d{4})-(\d{3})([\dX])$")
_CN = re.compile(r"^CN ?(\d{2})-(\d{4})(/[A-Z0-9.]+)?$")
_CN_REGIONS = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
_CN_REGIONS |= {50, 51, 52, 53, 54, 61, 62, 63, 64, 65}
"""Province-level codes that begin a CN number (GB/T 2260's first two digits)."""
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

Problem = tuple[int, str]
"""A line of papers.yaml and what is wrong there."""


@dataclass
class Entry:
    """One paper as the file writes it: its name, the line it starts on, and its values as written."""

    name: str
    line: int
    fields: dict[str, str | list[str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


@dataclass
class Registry:
    """The file's papers, what is wrong in it, and the checked information the other commands use."""

    path: Path
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    papers: dict[str, PaperInfo] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    """Each alias that names exactly one paper, and no other paper's name, with that paper's name."""
    rewritable: bool = True
    """False when part of the file is not of the shape epaper writes, so a rewrite would lose it."""

    def info(self, name: str) -> PaperInfo | None:
        """The paper with this name or alias."""
        name = unicodedata.normalize("NFC", name)
        return self.papers.get(self.aliases.get(name, name))

    def entry(self, name: str) -> Entry | None:
        """The paper's entry, by its name."""
        name = unicodedata.normalize("NFC", name)
        return next((entry for entry in self.entries if entry.name == name), None)


def registry_path(root: Path) -> Path:
    """Where an archive keeps its registry."""
    return root / REGISTRY_FILE


# -- reading -------------------------------------------------------------------------------------------


def load(root: Path) -> Registry:
    """Read and check an archive's registry (empty when it has none); an unreadable file is an ArchiveError."""
    path = registry_path(root)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return Registry(path)
    except UnicodeDecodeError as exc:
        raise ArchiveError(str(path), f"not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise ArchiveError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    return parse(text, path)


def parse(text: str, path: Path) -> Registry:
    """Read the registry's text: its entries as written, then every problem in them."""
    import yaml

    registry = Registry(path)
    try:
        root = yaml.compose(text, Loader=_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise ArchiveError(str(path), f"{line}not valid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise ArchiveError(str(path), f"not valid YAML: {exc}") from exc
    if root is None:
        return registry
    if not isinstance(root, yaml.MappingNode):
        raise ArchiveError(str(path), f"line {_line(root)}: expected `papers:` with one entry per paper")
    papers = None
    for key_node, value in root.value:
        key = _scalar(key_node)
        if key == "format":
            if _scalar(value) != FORMAT:
                why = f"unknown format {_scalar(value)!r} (this epaper reads {FORMAT})"
                raise ArchiveError(str(path), f"line {_line(value)}: {why}")
        elif key == "papers":
            papers = value
        else:
            registry.problems.append((_line(key_node), f"unknown key `{key}` (known: format, papers)"))
            registry.rewritable = False
    if isinstance(papers, yaml.ScalarNode) and _scalar(papers) is None:
        papers = None  # `papers:` with nothing under it
    if papers is not None:
        if not isinstance(papers, yaml.MappingNode):
            raise ArchiveError(str(path), f"line {_line(papers)}: `papers:` must map each paper's name to its entry")
        for key_node, value in papers.value:
            _read_entry(registry, key_node, value)
    resolve(registry)
    return registry


def _loader() -> Any:
    """PyYAML's safe loader, refusing aliases (a hand-written registry has no use for them)."""
    import yaml

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(None, None, "YAML aliases (*name) are not allowed here", mark)
            return super().compose_node(parent, index)

    return Loader


def _line(node: Any) -> int:
    """The 1-based line a YAML node starts on."""
    return int(node.start_mark.line) + 1


def _scalar(node: Any) -> str | None:
    """A scalar's text as written (`12345679` stays text, `no` is not false); None for null or a collection."""
    import yaml

    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        return None
    return unicodedata.normalize("NFC", str(node.value)).strip()


def _read_entry(registry: Registry, key_node: Any, value: Any) -> None:
    """One paper's entry: its values as written; a part epaper cannot represent is a problem."""
    import yaml

    name = _scalar(key_node)
    if not name:
        registry.problems.append((_line(key_node), "a paper without a name"))
        registry.rewritable = False
        return
    entry = Entry(name, _line(key_node))
    registry.entries.append(entry)
    if _scalar(value) is None and isinstance(value, yaml.ScalarNode):
        return  # `衢州日报:` with nothing under it: registered, nothing known yet
    if not isinstance(value, yaml.MappingNode):
        registry.problems.append((_line(value), f"{name}: expected keys such as place: or issn: under the name"))
        registry.rewritable = False
        return
    for field_node, field_value in value.value:
        key = _scalar(field_node) or ""
        line = _line(field_node)
        if key in entry.fields:
            registry.problems.append((line, f"{name}: `{key}` appears twice"))
            registry.rewritable = False
            continue
        if isinstance(field_value, yaml.SequenceNode) and key == "aliases":
            items = [_scalar(item) for item in field_value.value]
            if any(item is None for item in items):
                registry.problems.append((line, f"{name}: aliases: each alias is a name, not a list or mapping"))
                registry.rewritable = False
                continue
            entry.fields[key] = [item for item in items if item]
        elif isinstance(field_value, yaml.ScalarNode):
            text = _scalar(field_value)
            if text:
                entry.fields[key] = [text] if key == "aliases" else text
        else:
            registry.problems.append((line, f"{name}: `{key}` must be one value, not a list or mapping"))
            registry.rewritable = False
            continue
        entry.lines[key] = line


# -- checking ------------------------------------------------------------------------------------------


def check_value(key: str, value: str) -> tuple[str | None, str | None]:
    """A field's value made canonical, or the reason it is wrong: (value, None) or (None, reason)."""
    if key == "issn":
        return _check_issn(value)
    if key == "cn":
        return _check_cn(value)
    if key == "language" and not _LANGUAGE.match(value):
        return None, f"language {value}: not a language tag such as zh-CN, zh-TW or en"
    return value, None


def issn_check_digit(first_seven: str) -> str:
    """ISSN's check digit (ISO 3297): weights 8 to 2, modulus 11; 10 is written X."""
    remainder = sum(int(digit) * weight for digit, weight in zip(first_seven, range(8, 1, -1), strict=True)) % 11
    check = (11 - remainder) % 11
    return "X" if check == 10 else str(check)


def _check_issn(value: str) -> tuple[str | None, str | None]:
    match = _ISSN.match(value.upper())
    if match is None:
        return None, f"issn {value}: not an ISSN, which is written NNNN-NNNC (8 digits, the last may be X)"
    expected = issn_check_digit(match[1] + match[2])
    if match[3] != expected:
        return None, f"issn {value}: wrong check digit {match[3]}, {match[1]}-{match[2]}{expected} would be valid"
    return value.upper(), None


def _check_cn(value: str) -> tuple[str | None, str | None]:
    match = _CN.match(value.upper())
    if match is None:
        return None, f"cn {value}: not a CN number, which is written CN NN-NNNN (e.g. CN 33-0012)"
    if int(match[1]) not in _CN_REGIONS:
        return None, f"cn {value}: {match[1]} is not a province code (the first two digits, 11 to 65)"
    if match[2] == "0000":
        return None, f"cn {value}: the serial number cannot be 0000"
    return f"CN {match[1]}-{match[2]}{match[3] or ''}", None


def resolve(registry: Registry) -> None:
    """Check every entry, and fill `papers` and `aliases` with what passed."""
    registry.papers, registry.aliases = {}, {}
    names = {entry.name: entry for entry in reversed(registry.entries)}  # the first entry of a name wins
    claimed: dict[str, Entry] = {}
    refused: set[str] = set()
    for entry in registry.entries:
        if names[entry.name] is not entry:
            first = names[entry.name].line
            registry.problems.append((entry.line, f"{entry.name}: registered twice (lines {first} and {entry.line})"))
            continue
        values: dict[str, str] = {}
        for key, raw in entry.fields.items():
            line = entry.lines.get(key, entry.line)
            if key not in FIELDS:
                registry.problems.append((line, f"{entry.name}: unknown key `{key}` (known: {', '.join(FIELDS)})"))
            elif isinstance(raw, str):
                checked, reason = check_value(key, raw)
                if reason is not None:
                    registry.problems.append((line, f"{entry.name}: {reason}"))
                elif checked is not None:
                    values[key] = checked
        aliases = []
        for alias in entry.fields.get("aliases", []):
            line = entry.lines.get("aliases", entry.line)
            reason = None
            if alias == entry.name:
                reason = f"alias {alias} is the paper's own name"
            elif alias in names:
                reason = f"alias {alias} is the name of another registered paper (line {names[alias].line})"
            elif alias in aliases:
                reason = f"alias {alias} is listed twice"
            elif alias in claimed:
                other = claimed[alias]
                reason = f"alias {alias} names two papers: {other.name} (line {other.line}) and {entry.name}"
                refused.add(alias)
            if reason is not None:
                registry.problems.append((line, f"{entry.name}: {reason}"))
                continue
            claimed[alias] = entry
            aliases.append(alias)
        registry.papers[entry.name] = PaperInfo(entry.name, tuple(aliases), **values)
    for alias, entry in claimed.items():
        if alias in refused:
            info = registry.papers[entry.name]
            registry.papers[entry.name] = replace(info, aliases=tuple(a for a in info.aliases if a != alias))
        else:
            registry.aliases[alias] = entry.name


def archive_problems(archive: Archive) -> list[tuple[str, str]]:
    """The registry's problems as `epaper check` reports them (file, reason), and issues filed under an alias."""
    try:
        registry = load(archive.root)
    except ArchiveError as error:
        return [(error.what, error.why)]
    problems = [(str(registry.path), f"line {line}: {reason}") for line, reason in sorted(registry.problems)]
    folders = {paper_dir.name: paper_dir for paper_dir in archive.paper_dirs()}
    for alias, name in registry.aliases.items():
        folder = folders.get(safe_component(alias))
        if folder is not None and archive.issue_files(folder):
            problems.append(
                (str(folder), f"issues filed under {alias}, an alias of {name}: `epaper rename-paper {alias} {name}`")
            )
    return problems


# -- what the other commands ask ---------------------------------------------------------------------


_cache: dict[Path, tuple[tuple[int, int, int], Registry]] = {}


def cached(root: Path) -> Registry:
    """The archive's registry, read again only when the file changed: an import asks for every issue it reads."""
    path = registry_path(root)
    try:
        stat = os.stat(path)
    except OSError:
        return Registry(path)
    stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    hit = _cache.get(path)
    if hit is None or hit[0] != stamp:
        hit = (stamp, load(root))
        _cache[path] = hit
    return hit[1]


def forget(root: Path) -> None:
    """Drop the cached registry of an archive whose file this process has just written."""
    _cache.pop(registry_path(root), None)


def paper_info(archive: Archive, name: str) -> PaperInfo | None:
    """What the registry knows of a paper, by its name or an alias (for citations and exports' metadata)."""
    return cached(archive.root).info(name)


def under_registered_name(archive: Archive, issue: Issue) -> Issue:
    """The issue filed under its paper's registered name when its name is an alias (衢州日報 → 衢州日报); the
    ids of its articles follow, since an id is derived from the paper's name."""
    name = cached(archive.root).aliases.get(unicodedata.normalize("NFC", issue.paper))
    if name is None:
        return issue
    pages = []
    for page in issue.pages:
        articles = []
        for article in page.articles:
            if article.id == article_id(issue.paper, issue.date, page.label, article.title):
                article = replace(article, id=article_id(name, issue.date, page.label, article.title))
            articles.append(article)
        pages.append(Page(page.label, page.section, articles))
    return Issue(name, issue.date, pages)
