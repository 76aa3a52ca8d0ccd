"""A bad input never stops a batch: it comes out as a SkippedInput that says which input and why,
and `read_path` raises for it with the same message."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from alliancegraph.errors import ArticleParseError, UnsupportedFormat
from alliancegraph.ingest import article_from_record, iter_articles, read_path
from alliancegraph.model import Article, SkippedInput

GOOD = {"id": "good", "text": "Acme Motors and Borealis Autos agreed to build engines together."}


def _only_skip(path: Path) -> SkippedInput:
    [item] = iter_articles([path])
    assert isinstance(item, SkippedInput), item
    return item


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n \t\n", "empty file"),
        ("empty.json", b"", "empty file"),
        ("empty.jsonl", b"\n\n", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        ("binary.jsonl", b'{"text": "a"}\n\x00\x01\x02', "binary data"),
        ("latin1.txt", "Citro\u00ebn opens a plant in Vigo.".encode("latin-1"), "not valid UTF-8"),
        ("broken.json", b'{"id": "x", "text": ', "invalid JSON"),
        ("scalar.json", b'"just a string"', "one record (an object) or an array"),
        ("nolist.json", b"[]", "holds no records"),
        ("notes.md", b"# Notes\n", "unsupported file type"),
        ("archive.zip", b"PK\x03\x04", "unsupported file type"),
        ("noext", b"Acme Motors opened a plant.", "unsupported file type"),
        ("fake.txt.gz", b"this is not gzip data at all", "not a valid gzip file"),
        ("furniture_only.txt", b"Acme opens plant\n\nComments\nWhat a plant!\n", "no article text left"),
        (
            "nohtml.html",
            b"<html><head><title>Acme</title></head><body><div></div></body></html>",
            "no article text",
        ),
    ],
)
def test_ingest_bad_file_is_skipped_with_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    skipped = _only_skip(path)
    assert skipped.source == str(path)
    assert reason in skipped.reason
    with pytest.raises(ArticleParseError) as raised:
        list(read_path(path))
    assert str(path) in str(raised.value) and reason in str(raised.value)


@pytest.mark.parametrize("name", ["notes.md", "data.csv"])
def test_ingest_unsupported_extension_raises_unsupported_format(tmp_path, name):
    path = tmp_path / name
    path.write_text("Acme Motors opened a plant.")
    with pytest.raises(UnsupportedFormat):
        list(read_path(path))


@pytest.mark.parametrize("gz", [False, True])
def test_ingest_malformed_jsonl_line_between_good_lines(tmp_path, gz):
    data = "\n".join(
        [json.dumps(GOOD), '{"id": "bad", "text": "unterminated', json.dumps({**GOOD, "id": "also"})]
    )
    path = tmp_path / ("feed.jsonl.gz" if gz else "feed.jsonl")
    path.write_bytes(gzip.compress(data.encode()) if gz else data.encode())
    items = list(iter_articles([path]))
    assert [type(i) for i in items] == [Article, SkippedInput, Article]
    assert items[1].source == f"{path}:2"
    assert "line 2 is not valid JSON" in items[1].reason
    with pytest.raises(ArticleParseError, match="line 2 is not valid JSON"):
        list(read_path(path))


@pytest.mark.parametrize(
    "line,reason",
    [
        ('{"id": "x"}', "no 'text' field"),
        ('{"id": "x", "text": null}', "no 'text' field"),
        ('{"id": "x", "text": ""}', "field 'text' is empty"),
        ('{"id": "x", "text": "   "}', "field 'text' is empty"),
        ('{"id": "x", "text": ["Acme"]}', "field 'text' must be a string, not an array"),
        ('{"id": "x", "text": 42}', "field 'text' must be a string, not a number"),
        ('{"id": "x", "title": 3, "text": "Acme opened a plant."}', "field 'title' must be a string or null"),
        (
            '{"id": "x", "date": 20140312, "text": "Acme opened a plant."}',
            "field 'date' must be a string or null",
        ),
        (
            '{"id": "x", "url": {"href": "u"}, "text": "Acme opened a plant."}',
            "field 'url' must be a string or null",
        ),
        ('{"id": ["x"], "text": "Acme opened a plant."}', "field 'id' must be a string"),
        ('{"id": true, "text": "Acme opened a plant."}', "field 'id' must be a string, not a boolean"),
        ('["Acme opened a plant."]', "must be a JSON object"),
        ('"Acme opened a plant."', "must be a JSON object"),
    ],
)
def test_ingest_record_with_wrong_types_is_skipped(tmp_path, line, reason):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + line + "\n")
    good, skipped = list(iter_articles([path]))
    assert isinstance(good, Article)
    assert isinstance(skipped, SkippedInput) and skipped.source == f"{path}:2"
    assert reason in skipped.reason


@pytest.mark.parametrize("record", [{"text": "Acme opened a plant."}])
def test_ingest_record_without_id_or_default_raises(record):
    with pytest.raises(ArticleParseError, match="no 'id' field"):
        article_from_record(record, "inline")


@pytest.mark.parametrize("line", ['{"id": "x", "text": "Citro\xebn"}'])
def test_ingest_jsonl_line_in_other_encoding_is_skipped(tmp_path, line):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(json.dumps(GOOD).encode() + b"\n" + line.encode("latin-1") + b"\n")
    good, skipped = list(iter_articles([path]))
    assert isinstance(good, Article)
    assert "line 2: not valid UTF-8" in skipped.reason


@pytest.mark.parametrize("name,limit", [("big.txt", 100), ("big.json", 100), ("big.txt.gz", 100)])
def test_ingest_size_limit(tmp_path, name, limit):
    body = ("Acme Motors opened a plant in Setubal, Portugal. " * 10).encode()
    path = tmp_path / name
    path.write_bytes(gzip.compress(body) if name.endswith(".gz") else body)
    [skipped] = iter_articles([path], max_bytes=limit)
    assert isinstance(skipped, SkippedInput)
    assert "larger than the 100 bytes limit" in skipped.reason


@pytest.mark.parametrize("limit", [200])
def test_ingest_size_limit_jsonl_applies_per_line(tmp_path, limit):
    long_record = {**GOOD, "id": "long", "text": "Acme built engines. " * 40}
    lines = [json.dumps(GOOD), json.dumps(long_record), json.dumps({**GOOD, "id": "after"})]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    items = list(iter_articles([path], max_bytes=limit))
    assert [getattr(i, "id", None) for i in items] == ["good", None, "after"]
    assert "line 2 is longer than" in items[1].reason


@pytest.mark.parametrize("missing", ["nowhere.txt", "nodir/"])
def test_ingest_missing_path_is_skipped(tmp_path, missing):
    path = tmp_path / missing
    [skipped] = iter_articles([path])
    assert skipped == SkippedInput(str(path), "no such file or directory")


@pytest.mark.parametrize("bad_name", ["b_bad.txt"])
def test_ingest_batch_goes_on_after_bad_files(tmp_path, bad_name):
    (tmp_path / "a.txt").write_text("Acme Motors opened a plant in Setubal, Portugal.")
    (tmp_path / bad_name).write_bytes(b"\xff\xfe\x00b\x00a\x00d")
    (tmp_path / "c.md").write_text("notes")
    (tmp_path / "d.txt").write_text("Borealis Autos opened a plant in Tarnow, Poland.")
    items = list(iter_articles([tmp_path]))
    assert [type(i).__name__ for i in items] == ["Article", "SkippedInput", "SkippedInput", "Article"]
    assert "binary data" in items[1].reason
    assert "unsupported file type" in items[2].reason


@pytest.mark.parametrize("kind", ["dir"])
def test_ingest_read_path_on_directory_raises(tmp_path, kind):
    with pytest.raises(ArticleParseError, match="is a directory"):
        list(read_path(tmp_path))


PLANT = "Acme opened a plant."


@pytest.mark.parametrize(
    "record,reason",
    [
        (
            {"id": "x", "text": "Acme \ud800 opened a plant."},
            "the article text holds an unpaired surrogate (U+D800)",
        ),
        (
            {"id": "x", "text": "Acme\x00 opened a plant."},
            "the article text holds a NUL character at position 4",
        ),
        ({"id": "x\x00", "text": PLANT}, "the id holds a NUL character"),
        ({"id": "x", "title": "\udfff", "text": PLANT}, "the title holds an unpaired surrogate (U+DFFF)"),
        ({"id": "x", "url": "http://a/\x00", "text": PLANT}, "the url holds a NUL"),
        ({"id": "i" * 300, "text": PLANT}, "the id is 300 characters long, over the limit of 256"),
        ({"id": "x", "title": "T" * 1001, "text": PLANT}, "the title is 1,001 characters long"),
        ({"id": "x", "date": "1" * 5000, "text": PLANT}, "the publication date is 5,000 characters long"),
        (
            {"id": "x", "date": "9999-12-31", "text": PLANT},
            "the publication date 9999-12-31 is not plausible",
        ),
        (
            {"id": "x", "date": "0001-01-01", "text": PLANT},
            "the publication date 0001-01-01 is not plausible",
        ),
    ],
)
def test_ingest_record_values_no_text_may_hold_are_skipped(tmp_path, record, reason):
    """JSON escapes can put NUL and lone surrogates in a string (which crashed the store's text hash),
    and any field can be absurdly long or dated absurdly."""
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps(record) + "\n")
    good, skipped = list(iter_articles([path]))
    assert isinstance(good, Article)
    assert isinstance(skipped, SkippedInput) and skipped.source == f"{path}:2"
    assert reason in skipped.reason


@pytest.mark.parametrize("limit", [500])
def test_ingest_article_text_limit(tmp_path, limit):
    long_record = {**GOOD, "id": "long", "text": "Acme built engines. " * 30}  # 600 characters
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([GOOD, long_record]))
    good, skipped = iter_articles([path], max_chars=limit)
    assert isinstance(good, Article)
    assert skipped.source == f"{path}[1]"
    assert "the article text is 600 characters long, over the limit of 500 (setting max_article_chars)" in (
        skipped.reason
    )


@pytest.mark.parametrize("tags,limit", [(30, 20)])
def test_ingest_html_tag_limit(tmp_path, tags, limit):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><body>" + "<p>Acme Motors opened a plant in Setubal.</p>" * tags + "</body></html>"
    )
    [skipped] = iter_articles([path], max_tags=limit)
    assert f"more than {limit} tags (setting max_html_tags)" in skipped.reason


@pytest.mark.parametrize("depth", [1000])
def test_ingest_html_nested_too_deep_says_so(tmp_path, depth):
    path = tmp_path / "deep.html"
    path.write_text(
        "<html><body>" + "<div>" * depth + "<p>Acme Motors opened a plant.</p>" + "</div>" * depth
    )
    [skipped] = iter_articles([path])
    assert (
        "no article text found" in skipped.reason and "nest deeper than the parser's limit" in skipped.reason
    )


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_ingest_special_file_is_skipped_not_waited_on(tmp_path, kind):
    """Opening a named pipe blocked ingest forever; a device never ends."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD["text"])
    special = folder / "b.txt"
    if kind == "fifo":
        os.mkfifo(special)
    else:
        special.symlink_to("/dev/zero")
    good, skipped = list(iter_articles([folder]))
    assert isinstance(good, Article)
    assert skipped.source == str(special)
    assert ("a named pipe" if kind == "fifo" else "a character device") in skipped.reason


def test_ingest_limits_are_the_settings_defaults():
    from alliancegraph.config import Settings
    from alliancegraph.ingest import MAX_ARTICLE_CHARS, MAX_FILE_BYTES, MAX_HTML_TAGS

    defaults = Settings()
    assert (defaults.max_file_bytes, defaults.max_article_chars, defaults.max_html_tags) == (
        MAX_FILE_BYTES,
        MAX_ARTICLE_CHARS,
        MAX_HTML_TAGS,
    )
