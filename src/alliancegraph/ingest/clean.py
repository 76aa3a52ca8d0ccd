"""An article's body out of the text of a news page or wire record: headline, page furniture, reader
comments and wire conventions removed, hard wraps undone.

The web rules work on lines, before unwrapping, because page furniture comes one item a line:
a byline, an author's name, a caption, a "Comments" heading. They are general rules of news pages,
matched on the form of a line, never on the words of a particular article. Real paragraphs are kept
verbatim apart from unwrapping and space collapsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from alliancegraph.ingest import wire
from alliancegraph.ingest.unwrap import collapse_spaces, ends_running_on, is_hard_wrapped, paragraphs


@dataclass(frozen=True, slots=True)
class CleanText:
    """A cleaned text: `body` is paragraphs joined by blank lines; `comments` is the reader-comment
    section cut off the page, kept only because its dates may tell when the page was published."""

    body: str
    title: str | None
    comments: str


_HEADLINE_MAX_CHARS = 150
_HEADLINE_MAX_WORDS = 25
_READING_PREFIX = re.compile(r"^\s*(?:currently reading|now reading|you are reading)\s*:\s*", re.IGNORECASE)

_END_MARKERS = re.compile(
    r"""^(?:
        (?:\d+\s+)?(?:reader\s+)?comments?(?:\s*\(\d+\))?(?:\s+\d+)?
      | (?:join|enter)\s+the\s+(?:conversation|debate|discussion)
      | (?:add|leave|post|write|show|view|load|see)\s+(?:a\s+|your\s+|all\s+)?(?:comments?|reply|replies)
      | have\s+your\s+say
      | next(?:\s+(?:article|story|post))?
      | related\s+(?:stories|articles|content|news|posts)
      | (?:you\s+may|you\s+might)\s+also\s+like
      | more\s+(?:stories|from\s+\S+)
      | about\s+the\s+author
    )\s*[:.\u2026>\u203a\u00bb]*\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
"""A line that starts the part of a page after the article: reader comments, "next", related links."""

_NAME_WORD = r"(?:[A-Z][\w'\u2019.-]*|van|von|de|der|den|da|di|du|le|la|del|dos|bin)"
_NAME = rf"[A-Z][\w'\u2019.-]*(?:\s+{_NAME_WORD}){{1,4}}"
"""A person's name as bylines give it: two to five words, capitalised (particles aside)."""
_BYLINE = re.compile(
    rf"^(?i:by|posted\s+by|written\s+by|words\s+by|story\s+by)\s+(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)"
    r"\s*(?:(?:[|\u2022\u00b7\u2013\u2014]|\s-\s|\son\s).{0,60}|,\s+[A-Z0-9][^,]{0,40})?$"
)
_NAME_LINE = re.compile(rf"^{_NAME}$")
_NAME_LINE_MAX_WORDS = 4
_MORE_BY = re.compile(
    rf"^(?i:more|other\s+articles|other\s+stories)\s+(?i:by|from)\s+{_NAME}\s*[:.\u2026>\u203a]*$"
)
_BIO_OPENING = re.compile(r"^With\s+\S+(?:\s+\S+){0,3}\s+(?:from|since)\b")

_CAPTION = re.compile(
    r"""^(?:
        note:.*\b(?:pictured|shown|photos?|images?|rendering|illustration)\b.*
      | (?:photo|image|picture|video)s?\s*(?:gallery|credit)?\s*:.{0,200}
      | (?:pictured|photo\s+credit|image\s+credit|photograph)\s*:.{0,200}
      | (?:photo|image|video)?\s*gallery
      | (?:view|see|open)\s+(?:the\s+)?(?:photo\s+)?gallery
      | \[\s*(?:source|via|photos?|images?)\s*:[^\]]*\]
      | \(\s*(?:photos?|images?|pictured)\b[^)]*\)
      | advertisement | share(?:\s+this(?:\s+article)?)? | tweet | print | email
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
"""Captions, notes about pictures, gallery links, source notes and sharing buttons, each a line alone."""


def clean_text(text: str, *, title: str | None = None) -> CleanText:
    """The body, headline and comment section of `text`.

    When `title` is None, a short first line without a final stop is the headline (a "Currently
    reading:" label before it is dropped); when `title` is given, a first line repeating it is dropped.
    """
    lines = normalise(text).split("\n")
    lines, title = _take_headline(lines, title)
    lines, comments = _cut_at_end_marker(lines)
    if not is_hard_wrapped(lines):  # wire copy has no page furniture, and its wrapped lines may look like it
        lines = _drop_page_furniture(lines)
    body = wire.clean_paragraphs(paragraphs("\n".join(lines)))
    return CleanText(body="\n\n".join(body), title=title, comments="\n".join(comments))


def normalise(text: str) -> str:
    """Unix line ends, no byte-order mark, no zero-width or non-breaking oddities."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = re.sub(r"[\u200b\u200c\u200d\u2060]", "", text)
    return text.replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n\n")


def is_headline(line: str) -> bool:
    """Whether a first line reads as a headline: short, capitalised, without a final stop, not running on."""
    line = line.strip()
    return (
        0 < len(line) <= _HEADLINE_MAX_CHARS
        and len(line.split()) <= _HEADLINE_MAX_WORDS
        and not line.endswith((".", ",", ";", ":", "-"))
        and not ends_running_on(line)
        and (line[0].isupper() or line[0].isdigit() or line[0] in "\"'\u201c\u2018")
        and "(Reuters)" not in line
        and not wire.is_editorial_note(line)
    )


def _take_headline(lines: list[str], title: str | None) -> tuple[list[str], str | None]:
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return lines, title
    labelled = _READING_PREFIX.match(lines[first]) is not None
    line = collapse_spaces(_READING_PREFIX.sub("", lines[first]))
    rest = lines[first + 1 :]
    if title is not None:
        same = line.casefold() == collapse_spaces(title).casefold()
        return (rest if same or labelled else lines), title
    after = next((r for r in rest if r.strip()), None)
    followed_by_gap = bool(rest) and not rest[0].strip()
    next_starts_upper = after is not None and after.lstrip()[:1].isupper()
    if after is not None and is_headline(line) and (labelled or followed_by_gap or next_starts_upper):
        return rest, line
    return lines, None


def _cut_at_end_marker(lines: list[str]) -> tuple[list[str], list[str]]:
    for i, line in enumerate(lines):
        stripped = line.strip()
        if i > 0 and (stripped[:1].isupper() or stripped[:1].isdigit()) and _END_MARKERS.match(stripped):
            return lines[:i], lines[i:]
    return lines, []


def _authors(lines: list[str]) -> set[str]:
    """Names given by bylines, and short name lines repeated back to back (an author box)."""
    names: set[str] = set()
    stripped = [collapse_spaces(line) for line in lines]
    for i, line in enumerate(stripped):
        m = _BYLINE.match(line)
        if m:
            names.update(collapse_spaces(n) for n in re.split(r"\s*(?:,|\band\b|&)\s*", m["names"]) if n)
        elif _is_name_line(line) and i + 1 < len(stripped) and stripped[i + 1] == line:
            names.add(line)
    return names


def _is_name_line(line: str) -> bool:
    return bool(_NAME_LINE.match(line)) and 2 <= len(line.split()) <= _NAME_LINE_MAX_WORDS


def _drop_page_furniture(lines: list[str]) -> list[str]:
    authors = _authors(lines)
    first_names = {a.split()[0] for a in authors}
    kept: list[str] = []
    for line in lines:
        text = collapse_spaces(line)
        if text and (
            _BYLINE.match(text)
            or text in authors
            or _MORE_BY.match(text)
            or _CAPTION.match(text)
            or _is_bio(text, authors, first_names)
        ):
            kept.append("")  # keep the paragraph break the line made
            continue
        kept.append(line)
    return kept


def _is_bio(text: str, authors: set[str], first_names: set[str]) -> bool:
    """An author's biography: opens with the author's name, or "With <Site> from/since ..." naming them."""
    if not authors:
        return False
    if any(text.startswith(a + " ") for a in authors):
        return True
    mentions_author = any(re.search(rf"\b{re.escape(n)}\b", text) for n in first_names | authors)
    return bool(_BIO_OPENING.match(text)) and mentions_author
