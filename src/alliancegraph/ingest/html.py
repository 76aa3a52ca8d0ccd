"""The main text of an HTML page, and the metadata that goes with it, by trafilatura."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

import lxml.etree  # type: ignore[import-untyped]  # installed with trafilatura
import lxml.html  # type: ignore[import-untyped]

from alliancegraph.errors import ArticleParseError

if TYPE_CHECKING:
    from types import ModuleType

MAX_HTML_TAGS = 10_000
"""The most start tags a page may have (setting ``max_html_tags``). A news page has a few thousand;
trafilatura's time grows faster than the number of elements (10,000 sibling ``div``s take about 20 s,
20,000 over a minute), so a page with more is refused before it is parsed."""

_START_TAG = re.compile(r"<[A-Za-z]")

# Metadata and markup only: trafilatura's extensive search would guess a date from anywhere on the
# page, reader comments included; ingest looks at comment dates itself, and only as the last resort.
_DATE_PARAMS: dict[str, Any] = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True, slots=True)
class HtmlPage:
    """What a page holds: its main `text` (one paragraph a line), metadata where the page declares it,
    and the text of its reader-comment section (only read when the page declares no date)."""

    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    comments: str = ""


def extract_html(html: str, source: str, *, max_tags: int = MAX_HTML_TAGS) -> HtmlPage:
    """The main text of `html` without navigation, boilerplate or comments.

    Raises `ArticleParseError` when there is none, and for a page of more than `max_tags` tags.
    """
    if next(islice(_START_TAG.finditer(html), max_tags, None), None) is not None:
        raise ArticleParseError(
            source,
            f"the HTML page has more than {max_tags:,} tags (setting max_html_tags); "
            "save the article's own text as .txt, or raise the limit",
        )
    try:
        doc = _trafilatura().bare_extraction(
            html, include_comments=False, with_metadata=True, date_extraction_params=_DATE_PARAMS
        )
    except Exception as e:  # trafilatura and lxml raise many kinds of errors on broken markup
        raise ArticleParseError(source, f"cannot parse the HTML ({type(e).__name__}: {e})") from e
    text = _field(doc, "text")
    if not text or not text.strip():
        raise ArticleParseError(source, "no article text found in the HTML page" + _too_deep(html))
    date = _field(doc, "date")
    comments = "" if date else _comments(html)
    return HtmlPage(
        text=text, title=_field(doc, "title"), date=date, url=_field(doc, "url"), comments=comments
    )


def _comments(html: str) -> str:
    try:
        doc = _trafilatura().bare_extraction(html, include_comments=True, date_extraction_params=_DATE_PARAMS)
    except Exception:  # the main text was extracted; missing comments only cost the fallback date
        return ""
    return _field(doc, "comments") or ""


def _trafilatura() -> ModuleType:
    """trafilatura, imported when the first page is read: its import takes a tenth of a second, which
    every command reading other formats (JSON lines, text) would otherwise pay at start."""
    import trafilatura

    return trafilatura


def _field(doc: object, name: str) -> str | None:
    value = doc.get(name) if isinstance(doc, dict) else getattr(doc, name, None)
    return value if isinstance(value, str) and value.strip() else None


def _too_deep(html: str) -> str:
    """Why a page may show no text: libxml2 stops reading markup nested deeper than 256 elements."""
    parser = lxml.etree.HTMLParser()
    try:
        lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.LxmlError, ValueError):
        return ""
    if any("Excessive depth" in e.message for e in parser.error_log):
        return " (its elements nest deeper than the parser's limit of 256, and what lies deeper is not read)"
    return ""
