"""`Article`s out of a text or a record: validation, cleaning and the publication date together."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

from alliancegraph.errors import ArticleParseError
from alliancegraph.ingest.clean import clean_text
from alliancegraph.ingest.dates import find_published, parse_date
from alliancegraph.model import Article

RECORD_FIELDS: tuple[str, ...] = ("id", "title", "date", "url", "text")
"""The fields of a JSON article record; others are ignored."""

MAX_ARTICLE_CHARS = 200_000
"""The longest article text read, in characters, before cleaning (setting ``max_article_chars``).
News articles are far shorter (the longest of the 2006-2013 Reuters autos archive has 35,000); the
parser needs memory in proportion to the text, so a longer text is refused rather than parsed."""

MAX_FIELD_CHARS: dict[str, int] = {"id": 256, "title": 1_000, "url": 4_096, "published": 100}
"""The longest id, title, URL and written publication date accepted."""

EARLIEST_PUBLISHED = date(1800, 1, 1)
"""No article is dated before this day; nor more than `LATEST_AHEAD` after today."""
LATEST_AHEAD = timedelta(days=366)

_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
"""NUL and unpaired surrogates: JSON escapes (``\\u0000``, ``\\ud800``) can put them in a string, and
no UTF-8 text or store column can hold them."""


def article_from_text(
    text: str,
    *,
    id: str,
    source: str,
    title: str | None = None,
    published: date | str | None = None,
    url: str | None = None,
    comments: str = "",
    max_chars: int = MAX_ARTICLE_CHARS,
) -> Article:
    """An article from the raw text of a page or record, cleaned of headline and boilerplate.

    Without a `title`, a headline on the first line becomes the title. `published` (a date or a
    written date) wins when it parses; otherwise the date comes from a dateline at the top of `text`,
    else from the earliest date of the reader comments cut off the page (or given in `comments`).
    Raises `ArticleParseError` when no article text is left, when `text` is longer than `max_chars`
    (or another value longer than `MAX_FIELD_CHARS`), when a value holds NUL or an unpaired
    surrogate, and when `published` is a date before `EARLIEST_PUBLISHED` or over a year ahead.
    """
    _check_values(source, max_chars, text=text, id=id, title=title, url=url, published=published)
    declared = parse_date(published)
    if declared is not None and not EARLIEST_PUBLISHED <= declared <= date.today() + LATEST_AHEAD:
        raise ArticleParseError(
            source,
            f"the publication date {declared.isoformat()} is not plausible (before "
            f"{EARLIEST_PUBLISHED.isoformat()} or over a year ahead); correct it or leave it out",
        )
    cleaned = clean_text(text, title=title)
    if not cleaned.body:
        raise ArticleParseError(source, "no article text left once headline and boilerplate are removed")
    date_found = find_published(
        declared, text=text, comments="\n".join(c for c in (cleaned.comments, comments) if c)
    )
    return Article(
        id=id, text=cleaned.body, title=cleaned.title, published=date_found, url=url or None, source=source
    )


def article_from_record(
    record: Mapping[str, object],
    source: str,
    *,
    default_id: str | None = None,
    max_chars: int = MAX_ARTICLE_CHARS,
) -> Article:
    """An article from a JSON record with ``id``, ``title``, ``date``, ``url`` and ``text``.

    ``text`` must be a non-empty string; ``title``, ``date`` and ``url`` strings or null; ``id`` a
    string or integer, or missing when `default_id` stands in for it. Raises `ArticleParseError`
    naming the field otherwise, and for the values `article_from_text` refuses.
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
        text,
        id=article_id,
        source=source,
        title=fields["title"],
        published=fields["date"],
        url=fields["url"],
        max_chars=max_chars,
    )


def _check_values(source: str, max_chars: int, **values: object) -> None:
    """Refuse a value too long to be what it claims, or holding characters no text may hold."""
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        limit = max_chars if name == "text" else MAX_FIELD_CHARS[name]
        what = {"text": "the article text", "published": "the publication date"}.get(name, f"the {name}")
        if len(value) > limit:
            hint = " (setting max_article_chars); split the article or raise the limit" * (name == "text")
            raise ArticleParseError(
                source, f"{what} is {len(value):,} characters long, over the limit of {limit:,}{hint}"
            )
        bad = _NOT_TEXT.search(value)
        if bad is not None:
            char = "a NUL character" if bad[0] == "\x00" else f"an unpaired surrogate (U+{ord(bad[0]):04X})"
            raise ArticleParseError(
                source, f"{what} holds {char} at position {bad.start()}, which no text may hold; remove it"
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
