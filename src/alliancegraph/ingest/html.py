"""The main text of an HTML page, and the metadata that goes with it, by trafilatura."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import trafilatura

from alliancegraph.errors import ArticleParseError

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


def extract_html(html: str, source: str) -> HtmlPage:
    """The main text of `html` without navigation, boilerplate or comments; raises when there is none."""
    try:
        doc = trafilatura.bare_extraction(
            html, include_comments=False, with_metadata=True, date_extraction_params=_DATE_PARAMS
        )
    except Exception as e:  # trafilatura and lxml raise many kinds of errors on broken markup
        raise ArticleParseError(source, f"cannot parse the HTML ({type(e).__name__}: {e})") from e
    text = _field(doc, "text")
    if not text or not text.strip():
        raise ArticleParseError(source, "no article text found in the HTML page")
    date = _field(doc, "date")
    comments = "" if date else _comments(html)
    return HtmlPage(
        text=text, title=_field(doc, "title"), date=date, url=_field(doc, "url"), comments=comments
    )


def _comments(html: str) -> str:
    try:
        doc = trafilatura.bare_extraction(html, include_comments=True, date_extraction_params=_DATE_PARAMS)
    except Exception:  # the main text was extracted; missing comments only cost the fallback date
        return ""
    return _field(doc, "comments") or ""


def _field(doc: object, name: str) -> str | None:
    value = doc.get(name) if isinstance(doc, dict) else getattr(doc, name, None)
    return value if isinstance(value, str) and value.strip() else None
