"""Page make-up for the PDF writer: set lines placed on sheets top to bottom, before anything is drawn.

No paragraph leaves one lone line at a sheet's foot or head, and headings are kept with what follows; the
PDF writer then only draws what it is given. Lines are broken and set by `pdf_linebreak`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from epaper_cli.formats.pdf_linebreak import Align, Glyphs, Metrics, Role, Run, breaks, clean


@dataclass(frozen=True)
class Style:
    """How one kind of line is set: font role, size, leading, first-line indent (in em), alignment, spacing."""

    role: Role
    size: float
    leading: float
    indent: float = 0.0
    align: Align = "justify"
    before: float = 0.0
    after: float = 0.0
    gray: float = 0.0


@dataclass
class TextLine:
    """One set line of text at its baseline."""

    y: float
    size: float
    gray: float
    runs: list[Run]


@dataclass
class Rule:
    """A horizontal rule across the measure."""

    x1: float
    x2: float
    y: float
    width: float = 0.5


@dataclass
class Mark:
    """A bookmark: a named destination at y, and its entry in the outline."""

    key: str
    y: float
    title: str
    level: int


@dataclass
class PageRef:
    """The PDF page number of a bookmark, right-aligned at x, with a link over the whole contents entry."""

    key: str
    x: float
    y: float
    size: float
    link: tuple[float, float, float, float]
    leader: float


Op = TextLine | Rule | Mark | PageRef


@dataclass
class Sheet:
    """One PDF page: its running header (None on title pages) and what is drawn on it."""

    header: str | None
    ops: list[Op] = field(default_factory=list)


class Layout:
    """Places lines on sheets top to bottom, breaking pages and keeping headings with what follows."""

    def __init__(self, size: tuple[float, float], body: float, sets: Mapping[Role, Glyphs]) -> None:
        self.page_width, self.page_height = size
        self.body = body
        small = self.page_width < 500
        measure = (self.page_width - (2 * 42.5 if small else 2 * 70.9)) // body * body
        self.left = (self.page_width - measure) / 2
        self.measure = measure
        self.top = self.page_height - (56 if small else 76)
        self.bottom = 48 if small else 64
        self.sets = sets
        self.sheets: list[Sheet] = []
        self.y = self.top
        self._metrics: dict[tuple[Role, float], Metrics] = {}
        self._last: tuple[str, Style, list[str]] | None = None

    def new_sheet(self, header: str | None) -> None:
        """Start a PDF page."""
        self.sheets.append(Sheet(header))
        self.y = self.top

    def room(self) -> float:
        """Height left on the current sheet."""
        return self.y - self.bottom

    def need(self, height: float) -> None:
        """Start a new sheet unless `height` still fits on this one."""
        if height > self.room() and self.y < self.top:
            self.new_sheet(self.sheets[-1].header)

    def metrics(self, role: Role, size: float) -> Metrics:
        """A role's fonts at a size, each character measured once per layout."""
        found = self._metrics.get((role, size))
        if found is None:
            found = self._metrics[role, size] = Metrics(self.sets[role], size)
        return found

    def lines(self, text: str, style: Style) -> list[str]:
        """Break a text into lines for a style (the last text's lines are kept: headings are measured first)."""
        if self._last is not None and self._last[0] == text and self._last[1] == style:
            return self._last[2]
        widths = self.metrics(style.role, style.size).widths
        line = clean(text)
        first = self.measure - style.indent * style.size
        lines = [line[a:b] for a, b in breaks(line, list(map(widths.__getitem__, line)), first, self.measure)]
        self._last = (text, style, lines)
        return lines

    def text_height(self, text: str, style: Style) -> float:
        """The height a text takes in a style, spacing included."""
        return style.before + len(self.lines(text, style)) * style.leading + style.after

    def paragraph(self, text: str, style: Style) -> None:
        """Set a paragraph, never leaving one line of it alone at the foot or the head of a sheet."""
        lines = self.lines(text, style)
        if self.y < self.top:
            self.y -= min(style.before, max(0.0, self.room()))
        done = 0
        while done < len(lines):
            left = len(lines) - done
            fits = min(int(self.room() // style.leading), left)
            if fits < left:
                if self.y < self.top and (fits < 2 or (left - fits == 1 and fits < 3)):
                    self.new_sheet(self.sheets[-1].header)  # an orphan, or a widow only a new sheet avoids
                    continue
                if left - fits == 1 and fits >= 3:
                    fits -= 1  # take one more line over so the last is not alone
            for number in range(done, done + max(fits, 1)):
                self.set_line(lines[number], style, first=number == 0, last=number == len(lines) - 1)
            done += max(fits, 1)
            if done < len(lines):
                self.new_sheet(self.sheets[-1].header)
        self.y -= style.after

    def set_line(self, line: str, style: Style, *, first: bool, last: bool) -> None:
        """Position one line's runs at the next baseline, justified or aligned as the style says."""
        size = style.size
        indent = style.indent * size if first else 0.0
        align = "left" if last and style.align == "justify" else style.align
        runs = self.metrics(style.role, size).set(line, self.left + indent, self.measure - indent, align)
        baseline = self.y - style.leading / 2 - 0.36 * size
        self.sheets[-1].ops.append(TextLine(baseline, size, style.gray, runs))
        self.y -= style.leading

    def plain(self, text: str, role: Role, size: float, x: float) -> list[Run]:
        """Unjustified runs from x for a short text such as a header or a page number."""
        return self.metrics(role, size).set(clean(text), x, 0.0, "left")

    def rule(self, width: float = 0.5, space: float = 6.0) -> None:
        """A full-measure rule with a little room above and below."""
        self.y -= space
        self.sheets[-1].ops.append(Rule(self.left, self.left + self.measure, self.y, width))
        self.y -= space

    def mark(self, key: str, title: str, level: int) -> None:
        """A bookmark at the current position."""
        self.sheets[-1].ops.append(Mark(key, min(self.y + 4, self.page_height), title, level))
