"""The issue file schema (`format: epaper/1`): model ⇄ plain data ⇄ readable YAML."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from epaper_cli.errors import ArchiveError
from epaper_cli.model import BLOCK_KINDS, Article, Block, Issue, Page, Person, Source, block_kind

FORMAT = "epaper/1"
_BLOCK_SCALAR_FROM = 40
"""Body text at least this long is written as a `|-` block scalar, so long paragraphs read and diff well."""

_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SafeDumper: Any = yaml.SafeDumper  # not libyaml's: it escapes characters beyond U+FFFF (CJK Extension B)


_MAYBE_ALIAS = re.compile(r"(?:^|[\s\[{,])\*[^\s\]},]")
"""Text that might hold a YAML alias; such files are read by a loader that refuses aliases (no alias bombs)."""


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases: epaper never writes them, and they can multiply a small file's size."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "YAML aliases are not allowed in issue files", mark)
        return super().compose_node(parent, index)


class _Flow(dict[str, str]):
    """A mapping written on one line: `{role: 记者, name: 毛慧娟}`."""


class _Quoted(str):
    """A string that other YAML readers could take for a number (`08`, `123e4`), so it is always quoted."""

    __slots__ = ()


_NUMBER_LIKE = re.compile(r"[0-9]+(?:[eE][0-9]+)?")


class _Long(str):
    """A string written as a literal block scalar."""

    __slots__ = ()


class _Dumper(_SafeDumper):  # type: ignore[misc]
    """libyaml's dumper when present, with flow-style people, block-scalar paragraphs and no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_flow(dumper: Any, data: _Flow) -> Any:
    # PyYAML reads a plain `a:b` inside {…} as a key, so a colon there is always quoted.
    pairs = []
    for key, value in data.items():
        style = '"' if _LINE_BREAKS.search(value) else "'" if ":" in value else None
        pairs.append((dumper.represent_str(key), dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)))
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=True)


_LINE_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")
"""Breaks PyYAML reads back as plain newlines or spaces unless they are escaped in double quotes."""


def _represent_str(dumper: Any, data: str) -> Any:
    style = '"' if _LINE_BREAKS.search(data) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=style)


def _represent_long(dumper: Any, data: _Long) -> Any:
    style = '"' if _LINE_BREAKS.search(data) else "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(_Long, _represent_long)
_Dumper.add_representer(
    _Quoted, lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="'")
)


def _plain(text: str) -> str:
    """Quote text that a YAML 1.2 reader would take for a number."""
    return _Quoted(text) if _NUMBER_LIKE.fullmatch(text) else text


# -- model → YAML ---------------------------------------------------------------------------------------


def dump(issue: Issue) -> str:
    """Write an issue as its archive file's text (byte for byte what `dump_with_pyyaml` writes, much faster)."""
    out: list[str] = []
    _emit_mapping(issue_to_data(issue), 0, out, "")
    return "".join(out)


def dump_with_pyyaml(issue: Issue) -> str:
    """The reference writer: PyYAML's own emitter, which `dump` reproduces and the tests compare against."""
    return _pyyaml(issue_to_data(issue))


def _pyyaml(data: Any) -> str:
    return str(
        yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10**6)
    )


# The emitter below writes PyYAML's block layout for the schema's plain data directly: PyYAML's representer
# runs in Python even with libyaml and was most of an import's time. Scalars it cannot prove plain (or
# literal) are handed to PyYAML one at a time, so the output stays exactly PyYAML's.
_PRINTABLE = "\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010fffd"
_PRINTABLE_TEXT = re.compile(f"[{_PRINTABLE}]+")
_INDICATORS = frozenset(" -?:,[]{}#&*!|>'\"%@`~=<")
_LETTER_FIRST = re.compile("[A-Za-z]")
_LITERAL = re.compile(f"(?! )[{_PRINTABLE}]+")
_NOT_PLAIN = re.compile(r": |:$| #|\s$")
_RESOLVED_WORDS = frozenset(
    {"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON"}
    | {"off", "Off", "OFF", "y", "Y", "n", "N", "null", "Null", "NULL"}
)
_HEX = re.compile(r"[0-9a-f]*[a-f][0-9a-f]*")


def _emit_mapping(data: dict[str, Any], indent: int, out: list[str], first: str) -> None:
    pad = " " * indent
    for index, (key, value) in enumerate(data.items()):
        lead = first if index == 0 else pad
        if isinstance(value, _Flow):
            out.append(f"{lead}{key}: {_flow(value)}\n")
        elif isinstance(value, dict):
            if not value:
                out.append(f"{lead}{key}: {{}}\n")
            else:
                out.append(f"{lead}{key}:\n")
                _emit_mapping(value, indent + 2, out, pad + "  ")
        elif isinstance(value, list):
            if not value:
                out.append(f"{lead}{key}: []\n")
            else:
                out.append(f"{lead}{key}:\n")
                _emit_sequence(value, indent, out)
        else:
            out.append(f"{lead}{key}: {_scalar(value, indent)}\n")


def _emit_sequence(items: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, _Flow):
            out.append(f"{pad}- {_flow(item)}\n")
        elif isinstance(item, dict) and item:
            _emit_mapping(item, indent + 2, out, pad + "- ")
        else:
            out.append(f"{pad}- {_scalar(item, indent)}\n")


def _scalar(value: Any, indent: int) -> str:
    """One scalar as PyYAML writes it as a mapping value at this indent."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        if isinstance(value, _Long):
            if _LITERAL.fullmatch(value) and not value.endswith(" "):
                return f"|-\n{' ' * (indent + 2)}{value}"
        elif isinstance(value, _Quoted):
            if _NUMBER_LIKE.fullmatch(value):
                return f"'{value}'"
        elif _plain_safe(value):
            return value
    return _by_pyyaml(value, indent)


def _by_pyyaml(value: Any, indent: int) -> str:
    """Let PyYAML write a scalar it must decide, nested as deep as it will stand, so continuations line up."""
    depth = indent // 2
    data: Any = {"k": value}
    for _ in range(depth):
        data = {"k": data}
    lines = _pyyaml(data).rstrip("\n").split("\n")[depth:]
    lines[0] = lines[0][indent + 3 :]
    return "\n".join(lines)


def _plain_safe(value: str) -> bool:
    """Text PyYAML writes plain: no indicator, nothing a resolver reads as another type, nothing to escape."""
    if value[0] in _INDICATORS or not _PRINTABLE_TEXT.fullmatch(value) or _NOT_PLAIN.search(value):
        return False
    if not value.isascii():
        return True  # every implicit resolver (numbers, dates, booleans, null) matches ASCII text only
    if _HEX.fullmatch(value):
        return not _NUMBER_LIKE.fullmatch(value)
    return bool(_LETTER_FIRST.match(value)) and value not in _RESOLVED_WORDS


_FLOW_UNSAFE = re.compile(r"[,\[\]{}?:]")


def _flow(person: _Flow) -> str:
    """`{role: 记者, name: 毛慧娟}`: PyYAML's flow layout, with PyYAML deciding any scalar that needs care."""
    role, name = person["role"], person["name"]
    if all(_plain_safe(v) and not _FLOW_UNSAFE.search(v) for v in (role, name)):
        return f"{{role: {role}, name: {name}}}"
    return _by_pyyaml(person, 0)


def issue_to_data(issue: Issue) -> dict[str, Any]:
    """Turn an issue into plain data in the schema's key order, optional keys left out."""
    return {
        "format": FORMAT,
        "paper": issue.paper,
        "date": issue.date,
        "pages": [_page_to_data(page) for page in issue.pages],
    }


def _page_to_data(page: Page) -> dict[str, Any]:
    data: dict[str, Any] = {"page": _plain(page.label)}
    if page.section:
        data["section"] = page.section
    data["articles"] = [article_to_data(article) for article in page.articles]
    return data


def article_to_data(article: Article) -> dict[str, Any]:
    """Turn one article into plain data in the schema's key order."""
    data: dict[str, Any] = {"id": _plain(article.id), "title": article.title}
    for key in ("kicker", "subtitle", "byline"):
        value = getattr(article, key)
        if value:
            data[key] = value
    if article.authors:
        data["authors"] = [_Flow(role=p.role, name=p.name) for p in article.authors]
    if article.dateline:
        data["dateline"] = article.dateline
    data["body"] = [{block_kind(block): _text_value(block.text)} for block in article.body]
    if article.editors:
        data["editors"] = [_Flow(role=p.role, name=p.name) for p in article.editors]
    if article.source is not None:
        source: dict[str, Any] = {"sha256": article.source.sha256}
        if article.source.reader:
            source["reader"] = article.source.reader
        if article.source.read_on:
            source["read_on"] = article.source.read_on
        data["source"] = source
    return data


def _text_value(text: str) -> str:
    return _Long(text) if len(text) >= _BLOCK_SCALAR_FROM else text


# -- YAML → model ---------------------------------------------------------------------------------------


def load(text: str, where: str) -> Issue:
    """Read an issue file's text, checking the format version and every field's type."""
    try:
        data = yaml.load(text, Loader=_NoAliasLoader if _MAYBE_ALIAS.search(text) else _SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise ArchiveError(where, f"{line}not valid YAML ({exc.problem})") from exc
    except yaml.YAMLError as exc:
        raise ArchiveError(where, f"not valid YAML ({exc})") from exc
    return issue_from_data(data, where)


def issue_from_data(data: Any, where: str) -> Issue:
    """Build an issue from plain data, refusing anything that is not the schema."""
    if not isinstance(data, dict) or "format" not in data:
        raise ArchiveError(where, "not an epaper issue file (no `format` key)")
    if data["format"] != FORMAT:
        raise ArchiveError(
            where, f"unknown format version {data['format']!r}: this epaper reads {FORMAT}; upgrade epaper"
        )
    paper = _string(data, "paper", where)
    date = _date(data.get("date"), "date", where)
    pages_data = _list(data, "pages", where)
    pages = [_page_from_data(item, f"pages[{i}]", where) for i, item in enumerate(pages_data)]
    return Issue(paper, date, pages)


def _page_from_data(data: Any, at: str, where: str) -> Page:
    data = _mapping(data, at, where)
    label = _string(data, "page", where, at)
    section = _optional_string(data, "section", where, at)
    articles = [
        _article_from_data(item, f"{at}.articles[{i}]", where)
        for i, item in enumerate(_list(data, "articles", where, at))
    ]
    return Page(label, section, articles)


def _article_from_data(data: Any, at: str, where: str) -> Article:
    data = _mapping(data, at, where)
    source_data = data.get("source")
    source = None
    if source_data is not None:
        source_data = _mapping(source_data, f"{at}.source", where)
        read_on = source_data.get("read_on")
        source = Source(
            sha256=_string(source_data, "sha256", where, f"{at}.source"),
            reader=_optional_string(source_data, "reader", where, f"{at}.source"),
            read_on=None if read_on is None else _date(read_on, f"{at}.source.read_on", where),
        )
    return Article(
        title=_string(data, "title", where, at),
        id=_string(data, "id", where, at),
        kicker=_optional_string(data, "kicker", where, at),
        subtitle=_optional_string(data, "subtitle", where, at),
        byline=_optional_string(data, "byline", where, at),
        authors=_people(data.get("authors"), f"{at}.authors", where),
        dateline=_optional_string(data, "dateline", where, at),
        body=[_block(item, f"{at}.body[{i}]", where) for i, item in enumerate(_list(data, "body", where, at))],
        editors=_people(data.get("editors"), f"{at}.editors", where),
        source=source,
    )


def _block(data: Any, at: str, where: str) -> Block:
    if not isinstance(data, dict) or len(data) != 1:
        raise ArchiveError(where, f"{at}: a body block is one of text/heading/caption with its text")
    ((kind, text),) = data.items()
    if kind not in BLOCK_KINDS or not isinstance(text, str):
        raise ArchiveError(where, f"{at}: unknown body block {kind!r}")
    return BLOCK_KINDS[kind](text)


def _people(data: Any, at: str, where: str) -> list[Person]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise ArchiveError(where, f"{at}: expected a list of {{role, name}}")
    people = []
    for i, item in enumerate(data):
        item = _mapping(item, f"{at}[{i}]", where)
        people.append(Person(_string(item, "role", where, f"{at}[{i}]"), _string(item, "name", where, f"{at}[{i}]")))
    return people


def _mapping(data: Any, at: str, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ArchiveError(where, f"{at}: expected a mapping")
    return data


def _list(data: dict[str, Any], key: str, where: str, at: str = "") -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise ArchiveError(where, f"{_at(at, key)}: expected a list")
    return value


def _string(data: dict[str, Any], key: str, where: str, at: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ArchiveError(where, f"{_at(at, key)}: expected text")
    return value


def _optional_string(data: dict[str, Any], key: str, where: str, at: str = "") -> str | None:
    if data.get(key) is None:
        return None
    return _string(data, key, where, at)


def _date(value: Any, at: str, where: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise ArchiveError(where, f"{at}: expected a date YYYY-MM-DD")


def _at(at: str, key: str) -> str:
    return f"{at}.{key}" if at else key
