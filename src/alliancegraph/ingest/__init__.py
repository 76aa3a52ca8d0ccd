"""Ingest: sources -> `Article` records.

Reads plain text (``.txt``), web pages (``.html``/``.htm``), JSON records (``.json``: one record or an
array) and JSON Lines (``.jsonl``), each optionally gzipped (``.gz``). Every article comes out cleaned:
headline out of the body, page furniture, reader comments and wire conventions removed, hard line
wraps undone, publication date read from the record, the page or the text when one of them tells it.

`read_path` is strict (a bad input raises); `iter_articles` is for batches (a bad input becomes a
`SkippedInput` and the batch goes on).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from alliancegraph.errors import ArticleParseError
from alliancegraph.ingest.articles import MAX_ARTICLE_CHARS, article_from_record, article_from_text
from alliancegraph.ingest.dates import find_published, parse_date
from alliancegraph.ingest.files import FORMATS, MAX_FILE_BYTES, walk
from alliancegraph.ingest.html import MAX_HTML_TAGS
from alliancegraph.ingest.readers import Limits, read_items
from alliancegraph.model import Article, SkippedInput

__all__ = [
    "FORMATS",
    "MAX_ARTICLE_CHARS",
    "MAX_FILE_BYTES",
    "MAX_HTML_TAGS",
    "article_from_record",
    "article_from_text",
    "find_published",
    "iter_articles",
    "parse_date",
    "read_path",
]


def read_path(
    path: Path | str,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    max_chars: int = MAX_ARTICLE_CHARS,
    max_tags: int = MAX_HTML_TAGS,
) -> Iterator[Article]:
    """The articles of one file.

    Raises `UnsupportedFormat` for a file type not read, and `ArticleParseError` naming the file (and
    for a record of a JSON Lines file, its line) for an input that is empty, binary, not UTF-8,
    malformed or over a limit: `max_bytes` for the file (for JSON Lines, each line), `max_chars` for
    an article's text, `max_tags` for an HTML page. Articles before a bad record of a file have
    already been yielded.
    """
    path = Path(path)
    if path.is_dir():
        raise ArticleParseError(str(path), "is a directory; use iter_articles() to read directories")
    for item in read_items(path, Limits(max_bytes, max_chars, max_tags)):
        if isinstance(item, ArticleParseError):
            raise item
        yield item


def iter_articles(
    paths: Iterable[Path | str],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    max_chars: int = MAX_ARTICLE_CHARS,
    max_tags: int = MAX_HTML_TAGS,
) -> Iterator[Article | SkippedInput]:
    """The articles of files and directories (walked recursively, in sorted order, hidden names skipped).

    Never raises for bad input: each unreadable file or bad record comes as a `SkippedInput` saying
    where and why, and reading goes on with the next record or file. The limits are `read_path`'s.
    """
    limits = Limits(max_bytes, max_chars, max_tags)
    for entry in walk(paths):
        if isinstance(entry, SkippedInput):
            yield entry
            continue
        try:
            for item in read_items(entry, limits):
                yield SkippedInput(item.source, item.reason) if isinstance(item, ArticleParseError) else item
        except ArticleParseError as e:
            yield SkippedInput(e.source, e.reason)
        except OSError as e:  # e.g. the file vanished between listing and reading
            yield SkippedInput(str(entry), f"cannot read the file ({e.strerror or e})")
