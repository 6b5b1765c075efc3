"""Newspaper references in the four forms researchers need: GB/T 7714-2015, CSL-JSON, RIS and BibLaTeX.

Each style is a pure function of the cited articles (with the registry's word on their papers) to text, so
reference managers and pandoc read what `epaper cite` prints. The key of a reference in every style is the
article's id, so `[@5c1f0e9a2b7d]` in a manuscript and `epaper show 5c1f0e9a2b7d` name the same article.

Chinese names are given to CSL as `literal`, not split into family and given: pandoc's citeproc prints an
author-date citation of `{"family": "毛", "given": "慧娟"}` as `(毛 2025)`, while Chinese usage (and GB/T 7714's
author-date system) cites the whole name, which `literal` gives, `(毛慧娟 2025)`; in the bibliography both
print `毛慧娟`, and a literal name is never split wrongly (two-character surnames, names of minorities).
Latin names are split at the last space, as reference managers expect.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from epaper_cli.formats.han import has_ideograph
from epaper_cli.formats.vocabulary import article_texts, language_of
from epaper_cli.model import Article, PaperInfo

MAX_GBT_AUTHORS = 3
"""GB/T 7714-2015 §8.1.2: up to three authors are listed, then `等` (`et al.`)."""

_PAGE_LABEL = re.compile(r"^([A-Za-z]*)0*(\d+)$")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_SUFFIXES = {"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"}
_BIBLATEX_LANGID = {"zh": "chinese", "en": "english", "ja": "japanese", "ko": "korean", "fr": "french"}
_BIBLATEX_LANGID |= {"de": "german", "ru": "russian", "es": "spanish", "it": "italian", "pt": "portuguese"}
_BIBLATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBLATEX_SPECIAL = re.compile("[" + re.escape("".join(_BIBLATEX_ESCAPES)) + "]")


@dataclass(frozen=True)
class Reference:
    """One article to cite: where it was printed, and what the paper registry says of its paper (if anything)."""

    paper: str
    date: dt.date
    page: str
    section: str | None
    article: Article
    info: PaperInfo | None = None

    @property
    def key(self) -> str:
        """The reference's key in every style: the article's id, stable across imports."""
        return self.article.id

    @property
    def title(self) -> str:
        """The title on one line."""
        return one_line(self.article.title)

    @property
    def paper_name(self) -> str:
        """The paper's name on one line."""
        return one_line(self.paper)

    @property
    def page_number(self) -> str:
        """The page as cited (版次): the label without leading zeros, 03 → 3, A03 → A3."""
        return page_number(self.page)

    @property
    def language(self) -> str:
        """The registry's language for the paper, else the one the article's text is written in."""
        if self.info is not None and self.info.language:
            return self.info.language
        return language_of(article_texts(self.article), default="zh-CN")

    @property
    def english(self) -> bool:
        """Whether the reference is written in English (`et al.` rather than `等`)."""
        return self.language.lower().startswith("en")

    @property
    def authors(self) -> list[str]:
        """The authors' names in byline order, without roles, each once."""
        names: list[str] = []
        for person in self.article.authors:
            name = one_line(person.name)
            if name and name not in names:
                names.append(name)
        return names


def one_line(text: str) -> str:
    """Collapse every run of white space (newlines included) to one space and drop control characters: every
    style here is line-based."""
    return _CONTROL.sub("", _SPACE.sub(" ", text)).strip()


def page_number(label: str) -> str:
    """A page label as cited: without leading zeros (03 → 3, A03 → A3); an unusual label as it is."""
    match = _PAGE_LABEL.match(label)
    if match is None:
        return label
    return f"{match[1]}{int(match[2])}"


def latin_name(name: str) -> tuple[str, str, str] | None:
    """Split a Latin-script name written given-first (`Jane Q. Doe Jr.`) into family, given and suffix."""
    if has_ideograph(name):
        return None
    if "," in name:
        family, _, given = name.partition(",")
        return (family.strip(), given.strip(), "") if family.strip() and given.strip() else None
    words = name.split()
    suffix = words.pop() if len(words) > 2 and words[-1] in _SUFFIXES else ""
    if len(words) < 2:
        return None
    return words[-1], " ".join(words[:-1]), suffix


# -- GB/T 7714-2015 ------------------------------------------------------------------------------------


def gbt7714_entry(ref: Reference) -> str:
    """One newspaper reference: `作者1, 作者2, 作者3, 等. 题名[N]. 报纸名, YYYY-MM-DD(版次).`"""
    names = ref.authors
    if len(names) > MAX_GBT_AUTHORS:
        names = [*names[:MAX_GBT_AUTHORS], "et al." if ref.english else "等"]
    who = ", ".join(names)
    who += " " if who.endswith(".") else ". " if who else ""  # `et al.` ends the list with its own full stop
    return f"{who}{ref.title}[N]. {ref.paper_name}, {ref.date.isoformat()}({ref.page_number})."


def gbt7714(refs: Sequence[Reference]) -> str:
    """A numbered list, `[1] …` one reference a line, in the order given."""
    return "".join(f"[{number}] {gbt7714_entry(ref)}\n" for number, ref in enumerate(refs, 1))


# -- CSL-JSON ------------------------------------------------------------------------------------------


def csl_item(ref: Reference) -> dict[str, object]:
    """One `article-newspaper` item in CSL-JSON's keys."""
    item: dict[str, object] = {
        "id": ref.key,
        "type": "article-newspaper",
        "title": ref.title,
        "container-title": ref.paper_name,
        "issued": {"date-parts": [[ref.date.year, ref.date.month, ref.date.day]]},
        "page": ref.page_number,
    }
    if ref.section:
        item["section"] = one_line(ref.section)
    if ref.authors:
        item["author"] = [_csl_name(name) for name in ref.authors]
    item["language"] = ref.language
    info = ref.info
    if info is not None:
        for key, value in (("publisher-place", info.place), ("publisher", info.publisher), ("ISSN", info.issn)):
            if value:
                item[key] = one_line(value)
    return item


def _csl_name(name: str) -> dict[str, str]:
    """A Latin name as family and given (and suffix); any other name whole, as `literal` (see the module's note)."""
    split = latin_name(name)
    if split is None:
        return {"literal": name}
    family, given, suffix = split
    return {"family": family, "given": given, **({"suffix": suffix} if suffix else {})}


def csl_json(refs: Sequence[Reference]) -> str:
    """A CSL-JSON array, as Zotero and pandoc (`--bibliography refs.json`) read it."""
    return json.dumps([csl_item(ref) for ref in refs], ensure_ascii=False, indent=2) + "\n"


# -- RIS -----------------------------------------------------------------------------------------------


def ris_record(ref: Reference) -> str:
    """One `TY  - NEWS` record, ended by `ER  - `."""
    lines = [("TY", "NEWS")]
    for name in ref.authors:
        split = latin_name(name)
        lines.append(("AU", name if split is None else ", ".join(part for part in split if part)))
    lines += [("TI", ref.title), ("T2", ref.paper_name), ("DA", ref.date.strftime("%Y/%m/%d/"))]
    lines += [("PY", f"{ref.date.year:04d}"), ("SP", ref.page_number)]
    if ref.section:
        lines.append(("SE", one_line(ref.section)))
    lines.append(("LA", ref.language))
    info = ref.info
    if info is not None:
        for tag, value in (("CY", info.place), ("PB", info.publisher), ("SN", info.issn)):
            if value:
                lines.append((tag, one_line(value)))
    lines += [("ID", ref.key), ("ER", "")]
    return "".join(f"{tag}  - {value}\n" for tag, value in lines)


def ris(refs: Sequence[Reference]) -> str:
    """RIS records, a blank line between them."""
    return "\n".join(ris_record(ref) for ref in refs)


# -- BibLaTeX ------------------------------------------------------------------------------------------


def biblatex_escape(text: str) -> str:
    """Text safe inside a braced BibLaTeX field: TeX's special characters escaped, newlines made spaces, and
    hyphens kept apart (`-{}-`), since TeX prints `--` as a dash."""
    escaped = _BIBLATEX_SPECIAL.sub(lambda match: _BIBLATEX_ESCAPES[match[0]], one_line(text))
    return escaped.replace("--", "-{}-").replace("--", "-{}-")


def _biblatex_name(name: str) -> str:
    """A name for the `and`-separated list: braced whole when it holds the word `and`, which would split it."""
    escaped = biblatex_escape(name)
    return f"{{{escaped}}}" if re.search(r"\band\b", name, re.IGNORECASE) else escaped


def biblatex_entry(ref: Reference) -> str:
    """One `@article` entry with `entrysubtype = {newspaper}`, keyed by the article's id."""
    fields = [("entrysubtype", "newspaper")]
    if ref.authors:
        fields.append(("author", " and ".join(_biblatex_name(name) for name in ref.authors)))
    fields += [("title", biblatex_escape(ref.title)), ("journaltitle", biblatex_escape(ref.paper_name))]
    fields += [("date", ref.date.isoformat()), ("pages", biblatex_escape(ref.page_number))]
    langid = _BIBLATEX_LANGID.get(ref.language.split("-")[0].lower())
    if langid:
        fields.append(("langid", langid))
    info = ref.info
    if info is not None:
        for key, value in (("location", info.place), ("publisher", info.publisher), ("issn", info.issn)):
            if value:
                fields.append((key, biblatex_escape(value)))
    body = "".join(f"  {key} = {{{value}}},\n" for key, value in fields)
    return f"@article{{{ref.key},\n{body}}}\n"


def biblatex(refs: Sequence[Reference]) -> str:
    """BibLaTeX entries, a blank line between them."""
    return "\n".join(biblatex_entry(ref) for ref in refs)


STYLES: dict[str, Callable[[Sequence[Reference]], str]] = {
    "gbt7714": gbt7714,
    "csl-json": csl_json,
    "ris": ris,
    "bibtex": biblatex,
}
"""Every citation style by the name `epaper cite --style` takes; the first is the default."""
