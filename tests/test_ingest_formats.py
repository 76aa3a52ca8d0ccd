"""Ingest reads every supported format, gzipped or not, single files and directories."""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from alliancegraph.ingest import article_from_record, article_from_text, iter_articles, read_path
from alliancegraph.model import Article

DATA = Path(__file__).parent / "data" / "ingest"

PLAIN = (
    "Acme and Borealis sign engine pact\n"
    "\n"
    "Acme Motors and Borealis Autos signed an agreement to share small petrol engines.\n"
    "\n"
    "The engines will be made at the Acme plant in Setubal, Portugal.\n"
)
RECORD = {
    "id": "rec-1",
    "title": "Acme and Borealis sign engine pact",
    "date": "Wed Mar 12, 2014 9:15am EDT",
    "url": "http://news.example.com/rec-1",
    "text": "Acme Motors and Borealis Autos signed an agreement to share small petrol engines.",
}


def _write(path: Path, data: bytes, gz: bool) -> Path:
    if gz:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_ingest_txt_headline_becomes_title(tmp_path, gz):
    path = _write(tmp_path / "acme-pact.txt", PLAIN.encode(), gz)
    [article] = read_path(path)
    assert article.id == "acme-pact"
    assert article.title == "Acme and Borealis sign engine pact"
    assert article.text.startswith("Acme Motors and Borealis Autos signed")
    assert "sign engine pact" not in article.text
    assert article.text.count("\n\n") == 1
    assert article.source == str(path)


@pytest.mark.parametrize("gz", [False, True])
def test_ingest_json_single_record(tmp_path, gz):
    path = _write(tmp_path / "one.json", json.dumps(RECORD).encode(), gz)
    [article] = read_path(path)
    assert article == Article(
        id="rec-1",
        text=RECORD["text"],
        title=RECORD["title"],
        published=date(2014, 3, 12),
        url=RECORD["url"],
        source=str(path),
    )


@pytest.mark.parametrize("gz", [False, True])
def test_ingest_json_list_of_records_defaults_ids(tmp_path, gz):
    records = [RECORD, {"text": "Borealis Autos opened a plant in Tarnow, Poland."}]
    path = _write(tmp_path / "many.json", json.dumps(records).encode(), gz)
    articles = list(read_path(path))
    assert [a.id for a in articles] == ["rec-1", "many-1"]
    assert articles[1].published is None
    assert articles[1].source == f"{path}[1]"


@pytest.mark.parametrize("gz", [False, True])
def test_ingest_jsonl_one_record_a_line(tmp_path, gz):
    lines = [json.dumps(RECORD), "", json.dumps({"text": "Zephyr Holdings sold its Borealis stake."})]
    path = _write(tmp_path / "feed.jsonl", ("\n".join(lines) + "\n").encode(), gz)
    articles = list(read_path(path))
    assert [a.id for a in articles] == ["rec-1", "feed-3"]
    assert [a.source for a in articles] == [f"{path}:1", f"{path}:3"]


@pytest.mark.parametrize("gz", [False, True])
def test_ingest_html_main_text_and_metadata(tmp_path, gz):
    path = _write(tmp_path / "plant.html", (DATA / "page.html").read_bytes(), gz)
    [article] = read_path(path)
    assert article.id == "plant"
    assert article.title == "Acme opens crossover plant in Poland"
    assert article.published == date(2015, 6, 2)
    assert article.url == "https://autonews.example.com/acme-poland-plant"
    assert article.text.startswith("Acme Motors has opened a new assembly plant in Tarnow, Poland")
    for boilerplate in ("Home", "Great news for the region", "Copyright", "Acme opens crossover plant"):
        assert boilerplate not in article.text
    assert article.text.count("\n\n") == 2


@pytest.mark.parametrize(
    "html,published",
    [
        # No date in the metadata: the reader comments' dates tell it.
        (
            "<html><head><title>Borealis recalls hatchback</title></head><body><article>"
            "<h1>Borealis recalls hatchback</h1><p>Borealis Autos is recalling 12,000 hatchbacks built at "
            "its plant in Tarnow because of a faulty fuel pump, the company said.</p>"
            "<p>Owners will be contacted by letter, and the repair will take about an hour at a dealer.</p>"
            "</article><div class='comments'><h3>Comments</h3><div class='comment'>"
            "<p>Not the first recall for this model, sadly enough for its owners.</p>"
            "<span>9 April 2015</span></div></div></body></html>",
            date(2015, 4, 9),
        ),
        # Nothing tells the date.
        (
            "<html><head><title>Borealis recalls hatchback</title></head><body><article>"
            "<h1>Borealis recalls hatchback</h1><p>Borealis Autos is recalling 12,000 hatchbacks built at "
            "its plant in Tarnow because of a faulty fuel pump, the company said.</p>"
            "<p>Owners will be contacted by letter, and the repair will take about an hour at a dealer.</p>"
            "</article></body></html>",
            None,
        ),
    ],
)
def test_ingest_html_date_fallbacks(tmp_path, html, published):
    path = tmp_path / "recall.htm"
    path.write_text(html, encoding="utf-8")
    [article] = read_path(path)
    assert article.published == published
    assert "first recall" not in article.text


@pytest.mark.parametrize(
    "name,content",
    [
        ("bom.txt", "\ufeffAcme opens plant\n\nAcme Motors opened a plant in Setubal, Portugal.\n"),
        ("crlf.txt", "Acme opens plant\r\n\r\nAcme Motors opened a plant in Setubal, Portugal.\r\n"),
    ],
)
def test_ingest_txt_byte_order_mark_and_crlf(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8"))
    [article] = read_path(path)
    assert article.title == "Acme opens plant"
    assert article.text == "Acme Motors opened a plant in Setubal, Portugal."


@pytest.mark.parametrize("fixture", ["wire_records.jsonl"])
def test_ingest_directory_recursive_sorted_hidden_skipped(tmp_path, fixture):
    (tmp_path / "b" / "deeper").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a.txt").write_text(PLAIN)
    (tmp_path / "b" / "deeper" / "c.json").write_text(json.dumps(RECORD))
    shutil.copy(DATA / fixture, tmp_path / "b" / fixture)
    (tmp_path / ".secret.txt").write_text(PLAIN)
    (tmp_path / ".hidden" / "x.txt").write_text(PLAIN)
    items = list(iter_articles([tmp_path]))
    assert all(isinstance(i, Article) for i in items)
    assert [i.id for i in items if isinstance(i, Article)] == ["a", "rec-1", "wire-1", "wire-2"]


@pytest.mark.parametrize("as_str", [False, True])
def test_ingest_iter_articles_accepts_files_and_strings(tmp_path, as_str):
    path = tmp_path / "a.txt"
    path.write_text(PLAIN)
    [article] = iter_articles([str(path) if as_str else path])
    assert isinstance(article, Article) and article.id == "a"


@pytest.mark.parametrize(
    "fixture,expected",
    [
        (
            "web_page_with_comments.txt",
            ("Acme Motors and Borealis Autos agree to share a platform", date(2014, 3, 11)),
        ),
        ("blog_post_with_bio.txt", ("Acme, Borealis Said to Weigh Engine Deal", None)),
    ],
)
def test_ingest_fixture_pages(fixture, expected):
    [article] = read_path(DATA / fixture)
    assert (article.title, article.published) == expected


@pytest.mark.parametrize(
    "record,expected_id",
    [
        ({"id": 17, "text": "Acme Motors opened a plant."}, "17"),
        ({"id": "  ", "text": "Acme Motors opened a plant."}, "fallback"),
        ({"text": "Acme Motors opened a plant.", "extra": [1, 2]}, "fallback"),
    ],
)
def test_ingest_article_from_record_ids(record, expected_id):
    article = article_from_record(record, "src", default_id="fallback")
    assert article.id == expected_id
    assert article.text == "Acme Motors opened a plant."


@pytest.mark.parametrize(
    "kwargs,expected",
    [
        ({"published": "2014-03-12"}, date(2014, 3, 12)),
        ({"published": date(2014, 3, 13)}, date(2014, 3, 13)),
        ({"published": "not a date"}, None),
        ({}, None),
    ],
)
def test_ingest_article_from_text_published(kwargs, expected):
    article = article_from_text("Acme Motors opened a plant in Setubal.", id="x", source="inline", **kwargs)
    assert article.published == expected
    assert article.title is None


@pytest.mark.parametrize("title", ["Acme opens Setubal plant"])
def test_ingest_article_from_text_given_title_repeated_in_text_is_dropped(title):
    article = article_from_text(
        f"{title}\n\nAcme Motors opened a plant in Setubal.", id="x", source="inline", title=title
    )
    assert article.title == title
    assert article.text == "Acme Motors opened a plant in Setubal."
