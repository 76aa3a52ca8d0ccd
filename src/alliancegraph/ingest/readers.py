"""One reader per file format, each turning a file into articles.

`read_items` raises `ArticleParseError` for a file that cannot be read at all (unsupported, binary,
empty, malformed) and *yields* the error, in place of an article, for a single bad record in a file
of records, so that the caller decides whether one bad record stops the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from alliancegraph.errors import ArticleParseError
from alliancegraph.ingest.articles import article_from_record, article_from_text
from alliancegraph.ingest.files import (
    MAX_FILE_BYTES,
    decode,
    format_of,
    iter_lines,
    read_bytes,
    require_content,
    stem_of,
)
from alliancegraph.ingest.html import extract_html
from alliancegraph.model import Article

Item = Article | ArticleParseError
Reader = Callable[[Path, str, str], Iterator[Item]]
"""(path, text, source) -> items, for the formats read whole."""


def read_items(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> Iterator[Item]:
    """The articles of one file, and the errors of its bad records."""
    kind, gzipped = format_of(path)
    if kind == "jsonl":
        yield from _read_jsonl(path, gzipped, max_bytes)
        return
    source = str(path)
    text = require_content(decode(read_bytes(path, gzipped, max_bytes), source), source)
    yield from _READERS[kind](path, text, source)


def _read_text(path: Path, text: str, source: str) -> Iterator[Item]:
    yield article_from_text(text, id=stem_of(path), source=source)


def _read_html(path: Path, text: str, source: str) -> Iterator[Item]:
    page = extract_html(text, source)
    yield article_from_text(
        page.text,
        id=stem_of(path),
        source=source,
        title=page.title,
        published=page.date,
        url=page.url,
        comments=page.comments,
    )


def _read_json(path: Path, text: str, source: str) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ArticleParseError(source, f"invalid JSON ({e.msg} at line {e.lineno}, column {e.colno})") from e
    if isinstance(data, dict):
        yield article_from_record(data, source, default_id=stem_of(path))
    elif isinstance(data, list):
        if not data:
            raise ArticleParseError(source, "the JSON array holds no records")
        for index, record in enumerate(data):
            yield _record(record, f"{source}[{index}]", f"{stem_of(path)}-{index}")
    else:
        raise ArticleParseError(source, "JSON must be one record (an object) or an array of records")


def _read_jsonl(path: Path, gzipped: bool, max_bytes: int) -> Iterator[Item]:
    source, stem = str(path), stem_of(path)
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
        yield _record(record, line_source, f"{stem}-{number}")
    if not seen:
        raise ArticleParseError(source, "empty file")


def _record(record: object, source: str, default_id: str) -> Item:
    if not isinstance(record, dict):
        return ArticleParseError(source, "a record must be a JSON object")
    try:
        return article_from_record(record, source, default_id=default_id)
    except ArticleParseError as e:
        return e


_READERS: dict[str, Reader] = {"text": _read_text, "html": _read_html, "json": _read_json}
