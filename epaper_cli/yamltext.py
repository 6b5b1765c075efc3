"""Issue files as YAML text: written by libyaml, read in their canonical layout directly, else by PyYAML.

Writing: `yaml.CSafeDumper` with the schema's styles (one-line `{role, name}` pairs, `|-` blocks for long text,
quoted number-like labels), a page at a time; the pure-Python dumper takes any piece that libyaml would escape.
Reading: the canonical layout is read line by line, because PyYAML's constructor runs in Python even with
libyaml: a 344 KB issue loads in 17 ms this way and in 71 ms with `CSafeLoader` (`bench/yaml_load.py`), and
`epaper show` on the 128-article bench issue uses 1.5× the CPU without it. Anything else (a file edited by
hand, a scalar the reader cannot prove plain) goes to PyYAML's safe loader.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from epaper_cli.errors import ArchiveError

_MAYBE_ALIAS = re.compile(r"(?:^|[\s\[{,])\*[^\s\]},]")
"""Text that might hold a YAML alias; such files are read by a loader that refuses aliases (no alias bombs)."""
_NUMBER_LIKE = re.compile(r"[0-9]+(?:[eE][0-9]+)?")
_LINE_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")
"""Breaks PyYAML reads back as plain newlines or spaces unless they are escaped in double quotes."""


class Flow(dict[str, str]):
    """A mapping written on one line: `{role: 记者, name: 毛慧娟}`."""


class Quoted(str):
    """A string that other YAML readers could take for a number (`08`, `123e4`), so it is always quoted."""

    __slots__ = ()


class Long(str):
    """A string written as a literal block scalar."""

    __slots__ = ()


class _PyYAML(NamedTuple):
    """The PyYAML module with the loaders and the dumpers epaper uses."""

    yaml: Any
    loader: Any
    no_alias_loader: Any
    dumper: Any
    c_dumper: Any


@functools.cache
def _pyyaml() -> _PyYAML:
    """PyYAML with epaper's loader and dumper, imported only when a file or scalar needs it (it is slow to load)."""
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        """The safe loader, refusing aliases: epaper never writes them, and they can multiply a file's size."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(None, None, "YAML aliases are not allowed in issue files", mark)
            return super().compose_node(parent, index)

    class Dumper(yaml.SafeDumper):
        """The pure-Python dumper, for text beyond U+FFFF (libyaml escapes it), with epaper's styles, no anchors."""

        def ignore_aliases(self, data: Any) -> bool:
            return True

    c_dumper: Any = Dumper  # a PyYAML built without libyaml writes the same text, only slower
    if getattr(yaml, "__with_libyaml__", False):

        class CDumper(yaml.CSafeDumper):
            """libyaml's dumper with epaper's styles and no anchors."""

            def ignore_aliases(self, data: Any) -> bool:
                return True

        c_dumper = CDumper

    def represent_flow(dumper: Any, data: Flow) -> Any:
        # PyYAML reads a plain `a:b` inside {…} as a key, so a colon there is always quoted.
        pairs = []
        for key, value in data.items():
            style = '"' if _LINE_BREAKS.search(value) else "'" if ":" in value else None
            node = dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)
            pairs.append((dumper.represent_str(key), node))
        return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=True)

    def represent_str(dumper: Any, data: str) -> Any:
        style = '"' if _LINE_BREAKS.search(data) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=style)

    def represent_long(dumper: Any, data: Long) -> Any:
        style = '"' if _LINE_BREAKS.search(data) else "|"
        return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=style)

    def represent_quoted(dumper: Any, data: Quoted) -> Any:
        return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="'")

    for dumper in {Dumper, c_dumper}:
        dumper.add_representer(str, represent_str)
        dumper.add_representer(Flow, represent_flow)
        dumper.add_representer(Long, represent_long)
        dumper.add_representer(Quoted, represent_quoted)
    return _PyYAML(yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader), NoAliasLoader, Dumper, c_dumper)


def plain(text: str) -> str:
    """Quote text that a YAML 1.2 reader would take for a number."""
    return Quoted(text) if _NUMBER_LIKE.fullmatch(text) else text


def dump(data: dict[str, Any]) -> str:
    """Write plain data as an issue file's text."""
    chunks: list[str] = []
    dump_to(data, chunks.append)
    return "".join(chunks)


def dump_to(data: dict[str, Any], write: Callable[[str], object]) -> None:
    """`dump`, handed to `write` a page at a time: a large issue's text is never whole in memory.

    A value may be an iterator, written as a sequence item by item as the iterator makes them."""
    scalars: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, (list, Iterator)):
            items = iter(value)
            first = next(items, _NOTHING)
            if first is _NOTHING:
                scalars[key] = []
                continue
            if scalars:
                write(_dump_piece(scalars))
                scalars = {}
            write(f"{key}:\n")  # a sequence inside a mapping is not indented: its items read as a top-level list
            for item in itertools.chain([first], items):
                _write_item(item, "", write)
        else:
            scalars[key] = value
    if scalars:
        write(_dump_piece(scalars))


STREAM_FROM = 256
"""A list this long (a page's articles, an article's paragraphs) is written a slice at a time, and the mapping
that holds it key by key: libyaml's nodes for thousands of items are never built at once, so writing an issue
takes memory for a slice, not for the issue."""


def _write_item(item: Any, indent: str, write: Callable[[str], object]) -> None:
    """One sequence item whose `- ` stands at `indent`: in one piece, or key by key when it holds a long list."""
    if not isinstance(item, dict) or not _heavy(item):
        write(_indented(_dump_piece([item]), indent))
        return
    inner = indent + "  "
    pending: dict[str, Any] = {}
    first = True
    for key, value in itertools.chain(item.items(), [(None, None)]):
        if key is not None and not (isinstance(value, list) and _heavy(value)):
            pending[key] = value
            continue
        if pending:
            write(_indented(_dump_piece([pending]), indent) if first else _indented(_dump_piece(pending), inner))
            first, pending = False, {}
        if key is None:
            break
        write(f"{indent}- {key}:\n" if first else f"{inner}{key}:\n")  # its items stand at the key's indent
        first = False
        for start in range(0, len(value), STREAM_FROM):
            chunk = value[start : start + STREAM_FROM]
            if any(_heavy(element) for element in chunk):
                for element in chunk:
                    _write_item(element, inner, write)
            else:
                write(_indented(_dump_piece(chunk), inner))


def _heavy(value: Any) -> bool:
    """Whether a value holds a list of `STREAM_FROM` items or more, at any depth."""
    if isinstance(value, dict):
        return any(isinstance(inner, (dict, list)) and _heavy(inner) for inner in value.values())
    if isinstance(value, list):
        return len(value) >= STREAM_FROM or any(isinstance(inner, (dict, list)) and _heavy(inner) for inner in value)
    return False


def _indented(text: str, indent: str) -> str:
    """YAML text moved right by `indent` (empty lines stay empty, as libyaml writes them)."""
    if not indent:
        return text
    return "".join(indent + line if line != "\n" else line for line in text.splitlines(keepends=True))


_NOTHING = object()
_DUMP_OPTIONS: dict[str, Any] = {"allow_unicode": True, "sort_keys": False, "default_flow_style": False, "width": 10**6}


def _dump_piece(data: Any) -> str:
    """Plain data as YAML text through libyaml, or through the pure-Python dumper when libyaml's text holds `\\U`.

    libyaml escapes a character beyond U+FFFF (`\\U0001F600`) where PyYAML writes it as it is; any such escape,
    or a backslash-U in the text itself, sends the piece to the pure-Python dumper, whose text is the reference.
    """
    pyyaml = _pyyaml()
    text = str(pyyaml.yaml.dump(data, Dumper=pyyaml.c_dumper, **_DUMP_OPTIONS))
    return dump_with_pyyaml(data) if "\\U" in text else text


def dump_with_pyyaml(data: Any) -> str:
    """The reference: PyYAML's pure-Python emitter, which libyaml's text is tested against."""
    pyyaml = _pyyaml()
    return str(pyyaml.yaml.dump(data, Dumper=pyyaml.dumper, **_DUMP_OPTIONS))


# What the canonical reader takes as it is: scalars exactly as the dumper writes them plain or as a `|-` block.
# What PyYAML will not write as it is, as a small negated set: the printable set itself is slow to compile.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff\U0010fffe\U0010ffff]")
_INDICATORS = frozenset(" -?:,[]{}#&*!|>'\"%@`~=<")
_LETTER_FIRST = re.compile("[A-Za-z]")
_NOT_PLAIN = re.compile(r": |:$| #|\s$")
_RESOLVED_WORDS = frozenset(
    {"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON"}
    | {"off", "Off", "OFF", "y", "Y", "n", "N", "null", "Null", "NULL"}
)
_HEX = re.compile(r"[0-9a-f]*[a-f][0-9a-f]*")


def _literal_safe(value: str) -> bool:
    """One line PyYAML writes as a `|-` block: printable, not empty, no space at either end."""
    return bool(value) and value[0] != " " and value[-1] != " " and not _UNPRINTABLE.search(value)


def _plain_safe(value: str) -> bool:
    """Text PyYAML writes plain: no indicator, nothing a resolver reads as another type, nothing to escape."""
    if not value or value[0] in _INDICATORS or _UNPRINTABLE.search(value) or _NOT_PLAIN.search(value):
        return False
    if not value.isascii():
        return True  # every implicit resolver (numbers, dates, booleans, null) matches ASCII text only
    if _HEX.fullmatch(value):
        return not _NUMBER_LIKE.fullmatch(value)
    return bool(_LETTER_FIRST.match(value)) and value not in _RESOLVED_WORDS


def load(text: str, where: str) -> Any:
    """Read an issue file's text into plain data: the canonical layout directly, anything else with PyYAML."""
    data = read_canonical(text)
    if data is not None:
        return data
    pyyaml = _pyyaml()
    yaml = pyyaml.yaml
    try:
        return yaml.load(text, Loader=pyyaml.no_alias_loader if _MAYBE_ALIAS.search(text) else pyyaml.loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise ArchiveError(where, f"{line}not valid YAML ({exc.problem})") from exc
    except yaml.YAMLError as exc:
        raise ArchiveError(where, f"not valid YAML ({exc})") from exc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # `date: 2025-02-30`, `!!int zz`
        raise ArchiveError(where, f"holds a value that cannot be read ({exc})") from exc


_LINE = re.compile(r"( *)(- )?([a-z_0-9]+):(?: (.*))?")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FLOW_PAIR = re.compile(r"\{role: ([^,{}\[\]]+), name: ([^,{}\[\]]+)\}")
_FLOW_UNSAFE = re.compile("[?:#]")
"""Characters PyYAML may read as indicators inside `{…}` (`{role: 通讯? 员}` is an error there): PyYAML decides."""
_DATE_KEYS = frozenset({"date", "read_on", "edited"})
_ONE_LINE_BLOCKS = {f"{key}: |-": key for key in ("text", "heading", "caption")}


class _NotCanonical(Exception):
    """The text is not exactly in the layout `dump` writes."""


def read_canonical(text: str) -> dict[str, Any] | None:
    """Plain data from text in the layout `dump` writes; None for anything else (PyYAML reads that).

    Only what `dump` itself would write is accepted: every scalar must be one `dump` writes plain (or a quoted
    number-like label, or a one-line literal block), so what is read here is what PyYAML would read.
    """
    lines = text.split("\n")
    if not text.endswith("\n") or "\t" in text or "\r" in text:
        return None
    try:
        data, end = _read_mapping(lines, 0, 0)
    except (_NotCanonical, IndexError, ValueError):
        return None
    return data if end == len(lines) - 1 else None


def _read_mapping(lines: list[str], start: int, indent: int, first_dash: bool = False) -> tuple[dict[str, Any], int]:
    """A block mapping at `indent` (its first key after `- ` when it is a sequence item); returns the next line."""
    data: dict[str, Any] = {}
    index = start
    while index < len(lines) - 1:
        match = _LINE.fullmatch(lines[index])
        if match is None:
            raise _NotCanonical
        spaces, dash, key, value = match.groups()
        dashed = index == start and first_dash
        if (len(spaces) + (2 if dash else 0)) != indent or bool(dash) != dashed:
            if len(spaces) < indent or (dash and not dashed):
                break
            raise _NotCanonical
        if key in data:
            raise _NotCanonical
        index += 1
        if value is None:  # a nested block: a sequence at this indent or a mapping below it
            following = lines[index]
            if following.startswith(" " * indent + "- "):
                data[key], index = _read_sequence(lines, index, indent)
            elif following.startswith(" " * (indent + 2)) and following[indent + 2 : indent + 3] not in " -":
                data[key], index = _read_mapping(lines, index, indent + 2)
            else:
                raise _NotCanonical
        elif value == "|-":
            content = lines[index]
            pad = " " * (indent + 2)
            body = content[len(pad) :]
            if not content.startswith(pad) or not _literal_safe(body):
                raise _NotCanonical
            data[key] = body
            index += 1
        elif value == "[]":
            data[key] = []
        else:
            data[key] = _read_scalar(value, key)
    return data, index


def _read_sequence(lines: list[str], start: int, indent: int) -> tuple[list[Any], int]:
    """A block sequence whose `- ` stands at `indent`: mappings, or one-line {role, name} pairs."""
    items: list[Any] = []
    index = start
    prefix = " " * indent + "- "
    pad = " " * (indent + 4)
    while index < len(lines) - 1 and lines[index].startswith(prefix):
        rest = lines[index][len(prefix) :]
        block = _ONE_LINE_BLOCKS.get(rest)
        if block is not None and index + 2 < len(lines) and _outside_item(lines[index + 2], indent, prefix):
            # Most items are body blocks, `- text: |-` and one line of text: read them without the general path.
            content = lines[index + 1]
            body = content[len(pad) :]
            if not content.startswith(pad) or not _literal_safe(body):
                raise _NotCanonical
            items.append({block: body})
            index += 2
        elif rest.startswith("{"):
            pair = _FLOW_PAIR.fullmatch(rest)
            if pair is None or not all(_plain_safe(part) and not _FLOW_UNSAFE.search(part) for part in pair.groups()):
                raise _NotCanonical
            items.append({"role": pair[1], "name": pair[2]})
            index += 1
        else:
            item, index = _read_mapping(lines, index, indent + 2, first_dash=True)
            items.append(item)
    return items, index


def _outside_item(line: str, indent: int, prefix: str) -> bool:
    """Whether a line is past a sequence item whose keys stand at `indent` + 2: the next item, or further out."""
    return line.startswith(prefix) or len(line) - len(line.lstrip(" ")) < indent + 2


def _read_scalar(value: str, key: str) -> Any:
    """A scalar exactly as `dump` writes one plain (or a quoted number-like label)."""
    if key in _DATE_KEYS and _DATE_TEXT.fullmatch(value):
        return dt.date.fromisoformat(value)
    if value.startswith("'") and value.endswith("'") and _NUMBER_LIKE.fullmatch(value[1:-1]):
        return value[1:-1]
    if _plain_safe(value):
        return value
    raise _NotCanonical
