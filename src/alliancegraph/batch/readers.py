"""Articles out of one input file, on an executor, through the ingest code.

Files in a format ingest reads (JSON Lines, JSON, text, HTML, gzipped or not) go through
`alliancegraph.ingest.iter_articles` itself, so ids, sources, cleaning and dates are what a local ingest
gives. Parquet rows are records with the columns ``id``, ``title``, ``date``, ``url`` and ``text``,
handed to `article_from_record`. WARC (and ARC) files are read with warcio: each HTML response is
reduced to its main text by the ingest HTML path (`extract_html`, then `article_from_text`), its id is
the page's URI. The `Limits` of ingest (file bytes, article characters, HTML tags) hold for every
format, a WARC file's limit on bytes for each page in it.

`read_file` never raises: a bad record or an unreadable file becomes a `SkippedInput` saying where and why.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from alliancegraph.batch import require
from alliancegraph.batch.inputs import InputFile, filesystem, ingest_path, is_uri, open_binary
from alliancegraph.errors import ArticleParseError
from alliancegraph.ingest import article_from_record, article_from_text, iter_articles
from alliancegraph.ingest.articles import MAX_FIELD_CHARS, RECORD_FIELDS
from alliancegraph.ingest.files import decode, stem_of
from alliancegraph.ingest.html import extract_html
from alliancegraph.ingest.readers import DEFAULT_LIMITS, Limits
from alliancegraph.model import Article, SkippedInput

Item = Article | SkippedInput

MAX_ID_CHARS = MAX_FIELD_CHARS["id"]
"""Longest document id ingest takes; a longer page URI is cut and ends with a hash of the whole URI."""

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def read_file(file: InputFile, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """The articles of `file` in order, and a `SkippedInput` for each bad record or an unreadable file."""
    if file.problem is not None or file.format is None:
        yield SkippedInput(file.name, file.problem or "unknown format")
        return
    reader = {"parquet": _read_parquet, "warc": _read_warc}.get(file.format, _read_ingest)
    try:
        yield from reader(file, limits)
    except ArticleParseError as e:
        yield SkippedInput(e.source, e.reason)
    except Exception as e:  # noqa: BLE001 - pyarrow, warcio and filesystems raise many kinds; one file must not kill the job
        yield SkippedInput(file.name, f"cannot read the file as {file.format} ({type(e).__name__}: {e})")


def _read_ingest(file: InputFile, limits: Limits) -> Iterator[Item]:
    with ingest_path(file) as path:
        local = str(path)
        for item in iter_articles([path], **limits._asdict()):
            if item.source is not None and item.source.startswith(local):
                item = replace(item, source=file.name + item.source[len(local) :])
            yield item


def _read_parquet(file: InputFile, limits: Limits) -> Iterator[Item]:
    pq = require("pyarrow.parquet", "Reading Parquet input")
    stem = _stem(file)
    if is_uri(file.location):
        fs, path = filesystem(file.location)
        parquet = pq.ParquetFile(fs.open_input_file(path))
    else:
        parquet = pq.ParquetFile(file.location)
    columns = [c for c in RECORD_FIELDS if c in parquet.schema_arrow.names]
    if "text" not in columns:
        raise ArticleParseError(
            file.name, f"no 'text' column; Parquet input needs the columns {', '.join(RECORD_FIELDS)}"
        )
    n = 0
    for batch in parquet.iter_batches(columns=columns, batch_size=256):
        for record in batch.to_pylist():
            try:
                yield article_from_record(
                    _json_like(record),
                    f"{file.name}[{n}]",
                    default_id=f"{stem}-{n}",
                    max_chars=limits.max_chars,
                )
            except ArticleParseError as e:
                yield SkippedInput(e.source, e.reason)
            n += 1


def _json_like(record: Mapping[str, Any]) -> dict[str, Any]:
    """A Parquet row as the JSON record ingest expects: dates written out."""
    out = dict(record)
    for name, value in out.items():
        if isinstance(value, datetime):
            out[name] = value.date().isoformat()
        elif isinstance(value, date):
            out[name] = value.isoformat()
    return out


def _read_warc(file: InputFile, limits: Limits) -> Iterator[Item]:
    archive = require("warcio.archiveiterator", "Reading WARC input")
    stem = _stem(file)
    with open_binary(file.location) as stream:
        records = archive.ArchiveIterator(stream)
        for record in records:
            content_type = _html_content_type(record)
            if content_type is None:
                continue  # requests, metadata, redirects, images...: not articles
            body = record.content_stream().read(limits.max_bytes + 1)
            offset = records.get_record_offset()  # known once the record is read
            source = f"{file.name}@{offset}"
            uri = record.rec_headers.get_header("WARC-Target-URI")
            try:
                yield _page_article(body, content_type, source, uri, f"{stem}-{offset}", limits)
            except ArticleParseError as e:
                yield SkippedInput(e.source, e.reason)


def _html_content_type(record: Any) -> str | None:
    """The content type of an HTML page a record holds (a successful response, or a resource), else None."""
    if record.rec_type == "response" and record.http_headers is not None:
        if not record.http_headers.get_statuscode().startswith("2"):
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    return content_type if content_type.split(";")[0].strip().lower() in _HTML_TYPES else None


def _page_article(
    body: bytes, content_type: str, source: str, uri: str | None, default_id: str, limits: Limits
) -> Article:
    if len(body) > limits.max_bytes:
        raise ArticleParseError(
            source, f"the page is larger than the {limits.max_bytes:,} byte limit (setting max_file_bytes)"
        )
    page = extract_html(_decode(body, content_type, source), source, max_tags=limits.max_tags)
    return article_from_text(
        page.text,
        id=_page_id(uri) if uri else default_id,
        source=source,
        title=page.title,
        published=page.date,
        url=page.url or uri,
        comments=page.comments,
        max_chars=limits.max_chars,
    )


def _decode(body: bytes, content_type: str, source: str) -> str:
    """The page's text: in the charset its response declares, else UTF-8 as ingest reads files."""
    declared = _CHARSET.search(content_type)
    charset = declared.group(1).lower() if declared else "utf-8"
    if charset.replace("_", "-") in ("utf-8", "utf8"):
        return decode(body, source)
    try:
        return body.decode(charset)
    except (LookupError, UnicodeDecodeError) as e:
        raise ArticleParseError(
            source, f"cannot decode the page as its declared charset {charset!r} ({e})"
        ) from e


def _page_id(uri: str) -> str:
    if len(uri) <= MAX_ID_CHARS:
        return uri
    digest = hashlib.blake2b(uri.encode("utf-8"), digest_size=8).hexdigest()
    return f"{uri[: MAX_ID_CHARS - len(digest) - 1]}#{digest}"


def _stem(file: InputFile) -> str:
    return stem_of(Path(PurePosixPath(file.name).name))
