"""`Article`s out of a text or a record: validation, cleaning and the publication date together."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from alliancegraph.errors import ArticleParseError
from alliancegraph.ingest.clean import clean_text
from alliancegraph.ingest.dates import find_published
from alliancegraph.model import Article

RECORD_FIELDS: tuple[str, ...] = ("id", "title", "date", "url", "text")
"""The fields of a JSON article record; others are ignored."""


def article_from_text(
    text: str,
    *,
    id: str,
    source: str,
    title: str | None = None,
    published: date | str | None = None,
    url: str | None = None,
    comments: str = "",
) -> Article:
    """An article from the raw text of a page or record, cleaned of headline and boilerplate.

    Without a `title`, a headline on the first line becomes the title. `published` (a date or a
    written date) wins when it parses; otherwise the date comes from a dateline at the top of `text`,
    else from the earliest date of the reader comments cut off the page (or given in `comments`).
    Raises `ArticleParseError` when no article text is left.
    """
    cleaned = clean_text(text, title=title)
    if not cleaned.body:
        raise ArticleParseError(source, "no article text left once headline and boilerplate are removed")
    date_found = find_published(
        published, text=text, comments="\n".join(c for c in (cleaned.comments, comments) if c)
    )
    return Article(
        id=id, text=cleaned.body, title=cleaned.title, published=date_found, url=url or None, source=source
    )


def article_from_record(
    record: Mapping[str, object], source: str, *, default_id: str | None = None
) -> Article:
    """An article from a JSON record with ``id``, ``title``, ``date``, ``url`` and ``text``.

    ``text`` must be a non-empty string; ``title``, ``date`` and ``url`` strings or null; ``id`` a
    string or integer, or missing when `default_id` stands in for it. Raises `ArticleParseError`
    naming the field otherwise.
    """
    if not isinstance(record, Mapping):
        raise ArticleParseError(source, f"a record must be a JSON object, not {_json_type(record)}")
    if "text" not in record or record["text"] is None:
        raise ArticleParseError(source, "record has no 'text' field")
    text = record["text"]
    if not isinstance(text, str):
        raise ArticleParseError(source, f"field 'text' must be a string, not {_json_type(text)}")
    if not text.strip():
        raise ArticleParseError(source, "field 'text' is empty")
    fields = {name: _optional_str(record, name, source) for name in ("title", "date", "url")}
    article_id = _record_id(record, source) or default_id
    if not article_id:
        raise ArticleParseError(source, "record has no 'id' field")
    return article_from_text(
        text, id=article_id, source=source, title=fields["title"], published=fields["date"], url=fields["url"]
    )


def _record_id(record: Mapping[str, object], source: str) -> str | None:
    value = record.get("id")
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise ArticleParseError(source, f"field 'id' must be a string, not {_json_type(value)}")
    return value.strip() or None


def _optional_str(record: Mapping[str, object], name: str, source: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ArticleParseError(source, f"field {name!r} must be a string or null, not {_json_type(value)}")
    return value.strip() or None


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return "a number" if isinstance(value, float) else "null" if value is None else type(value).__name__
