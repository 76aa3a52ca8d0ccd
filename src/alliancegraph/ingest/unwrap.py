"""Paragraphs out of text lines: hard line wraps undone, sentences kept whole.

Two layouts occur. A *hard-wrapped* text (news-wire copy) breaks lines mid-sentence at a fixed width;
its paragraphs are separated by blank lines or by lines indented with a space, and where the wire
squeezed paragraphs onto one line, by two spaces after a sentence's end. A *line-per-paragraph* text
(a web page saved as text) has one paragraph per line. Which layout a text has is decided for the
whole text, because one wire paragraph may well have a line that ends at a full stop.
"""

from __future__ import annotations

import re

_TERMINAL = (".", "!", "?", ":", ";", '"', "\u201d", "\u2019", "'", ")", "]", "\u2026")
_MIN_SOFT_SHARE = 0.25
_MIN_SOFT_BREAKS = 2
_MIN_WRAPPED_LINE = 30
"""A text is hard-wrapped when at least this share and this number of its line breaks fall mid-sentence
after a line of some width (a short line over a lower-case one is page furniture: a name over "by <name>")."""

RUN_ON_WORDS = frozenset(
    {"a", "an", "the", "of", "to", "in", "on", "at", "for", "with", "by", "from", "and", "or", "that"}
    | {"its", "their", "his", "her"}
)
"""Words a sentence or headline does not end on."""

_PARAGRAPH_GAP = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"\u201d\u2019')]))[ \t]{2,}(?=[\"\u201c\u2018']?[A-Z0-9])"
)
"""Two or more spaces after a sentence's end: where the wire joined two paragraphs on one line."""

_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_PLAIN_SPACES = re.compile(r"  +")


def paragraphs(text: str) -> list[str]:
    """The paragraphs of `text`, each on one line with runs of spaces collapsed; empty ones dropped."""
    lines = text.split("\n")
    blocks = _wrapped_blocks(lines) if is_hard_wrapped(lines) else _line_blocks(lines)
    out: list[str] = []
    for block in blocks:
        for part in _PARAGRAPH_GAP.split(block):
            paragraph = collapse_spaces(part)
            if paragraph:
                out.append(paragraph)
    return out


def collapse_spaces(text: str) -> str:
    """`text` with each run of spaces, tabs and other blanks (not line breaks) as one space, stripped."""
    if text.isascii() and "\t" not in text and "\f" not in text and "\v" not in text:
        # the common case, where the only blank is the plain space: the regular expression above
        # would be tried at every character
        return (_PLAIN_SPACES.sub(" ", text) if "  " in text else text).strip()
    return _SPACES.sub(" ", text).strip()


def is_hard_wrapped(lines: list[str]) -> bool:
    """Whether the line breaks of `lines` are a fixed-width wrap rather than paragraph ends.

    A break is mid-sentence when its line does not end a sentence or clause and the next line goes on
    in lower case or with a number, as in "...the deal was \\nsigned on Monday".
    """
    breaks = soft = 0
    for prev, nxt in zip(lines, lines[1:], strict=False):
        if not prev.strip() or not nxt.strip() or nxt[:1].isspace():
            continue
        breaks += 1
        if _continues(prev, nxt, digits=True) and len(prev.strip()) >= _MIN_WRAPPED_LINE:
            soft += 1
    return soft >= _MIN_SOFT_BREAKS and soft >= _MIN_SOFT_SHARE * breaks


def _continues(prev: str, nxt: str, *, digits: bool = False) -> bool:
    first = nxt.lstrip()[:1]
    if prev.rstrip().endswith(_TERMINAL):
        return False
    return first.islower() or digits and first.isdigit() or ends_running_on(prev)


def ends_running_on(line: str) -> bool:
    """Whether `line` stops on a word that cannot end a sentence or headline ("... in the south of")."""
    words = line.split()
    return bool(words) and words[-1].lower() in RUN_ON_WORDS


def _wrapped_blocks(lines: list[str]) -> list[str]:
    """Blocks separated by blank or indented lines, their lines joined with a space."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if not line.strip() or line[:1].isspace():
            blocks.append([])
        if line.strip():
            blocks[-1].append(line.strip())
    return [" ".join(block) for block in blocks if block]


def _line_blocks(lines: list[str]) -> list[str]:
    """One block a line, except that an obvious continuation (lower case after no stop) is joined on."""
    blocks: list[str] = []
    prev = ""
    for line in lines:
        if line.strip() and prev.strip() and _continues(prev, line):
            blocks[-1] += " " + line.strip()
        elif line.strip():
            blocks.append(line.strip())
        prev = line
    return blocks
