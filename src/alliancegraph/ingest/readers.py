"""One reader per file format, each turning a file into articles.

`read_items` raises `ArticleParseError` for a file that cannot be read at all (unsupported, binary,
empty, malformed) and *yields* the error, in place of an article, for a single bad record in a file
of records, so that the caller decides whether one bad record stops the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from alliancegraph.errors import ArticleParseError
from alliancegraph.ingest.articles import MAX_ARTICLE_CHARS, article_from_record, article_from_text
from alliancegraph.ingest.files import (
    MAX_FILE_BYTES,
    decode,
    format_of,
    iter_lines,
    read_bytes,
    require_content,
    stem_of,
)
from alliancegraph.ingest.html import MAX_HTML_TAGS, extract_html
from alliancegraph.model import Article

Item = Article | ArticleParseError


class Limits(NamedTuple):
    """How much one input may hold (see `MAX_FILE_BYTES`, `MAX_ARTICLE_CHARS`, `MAX_HTML_TAGS`)."""

    max_bytes: int = MAX_FILE_BYTES
    max_chars: int = MAX_ARTICLE_CHARS
    max_tags: int = MAX_HTML_TAGS


Reader = Callable[[Path, str, str, Limits], Iterator[Item]]
"""(path, text, source, limits) -> items, for the formats read whole."""


DEFAULT_LIMITS = Limits()


def read_items(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """The articles of one file, and the errors of its bad records."""
    kind, gzipped = format_of(path)
    if kind == "jsonl":
        yield from _read_jsonl(path, gzipped, limits)
        return
    source = str(path)
    text = require_content(decode(read_bytes(path, gzipped, limits.max_bytes), source), source)
    yield from _READERS[kind](path, text, source, limits)


def _read_text(path: Path, text: str, source: str, limits: Limits) -> Iterator[Item]:
    yield article_from_text(text, id=stem_of(path), source=source, max_chars=limits.max_chars)


def _read_html(path: Path, text: str, source: str, limits: Limits) -> Iterator[Item]:
    page = extract_html(text, source, max_tags=limits.max_tags)
    yield article_from_text(
        page.text,
        id=stem_of(path),
        source=source,
        title=page.title,
        published=page.date,
        url=page.url,
        comments=page.comments,
        max_chars=limits.max_chars,
    )


def _read_json(path: Path, text: str, source: str, limits: Limits) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ArticleParseError(source, f"invalid JSON ({e.msg} at line {e.lineno}, column {e.colno})") from e
    if isinstance(data, dict):
        yield article_from_record(data, source, default_id=stem_of(path), max_chars=limits.max_chars)
    elif isinstance(data, list):
        if not data:
            raise ArticleParseError(source, "the JSON array holds no records")
        for index, record in enumerate(data):
            yield _record(record, f"{source}[{index}]", f"{stem_of(path)}-{index}", limits.max_chars)
    else:
        raise ArticleParseError(source, "JSON must be one record (an object) or an array of records")


def _read_jsonl(path: Path, gzipped: bool, limits: Limits) -> Iterator[Item]:
    source, stem, max_bytes = str(path), stem_of(path), limits.max_bytes
    seen = False
    for number, raw in iter_lines(path, gzipped, max_bytes):
        line_source = f"{source}:{number}"
        if raw is None:
            seen = True
            yield ArticleParseError(line_source, f"line {number} is longer than the {max_bytes} byte limit")
            continue
        try:
            line = decode(raw, line_source)
        except ArticleParseError as e:
            seen = True
            yield ArticleParseError(line_source, f"line {number}: {e.reason}")
            continue
        if not line.strip():
            continue
        seen = True
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            yield ArticleParseError(
                line_source, f"line {number} is not valid JSON ({e.msg} at column {e.colno})"
            )
            continue
        yield _record(record, line_source, f"{stem}-{number}", limits.max_chars)
    if not seen:
        raise ArticleParseError(source, "empty file")


def _record(record: object, source: str, default_id: str, max_chars: int) -> Item:
    if not isinstance(record, dict):
        return ArticleParseError(source, "a record must be a JSON object")
    try:
        return article_from_record(record, source, default_id=default_id, max_chars=max_chars)
    except ArticleParseError as e:
        return e


_READERS: dict[str, Reader] = {"text": _read_text, "html": _read_html, "json": _read_json}
