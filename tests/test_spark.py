"""`alliancegraph spark-extract` on a real local Spark session (local[2], one for the module) over JSONL,
JSONL.gz, Parquet and WARC inputs written here, and `alliancegraph load`: bad records are recorded in
the output and skipped, and the store that `load` gives equals that of a local `alliancegraph ingest`
of the same articles (documents, entities, facts, evidence, histories and interchange rows).

Spark needs Java 17+ (`scripts/install-java.sh`, run by `make test-deps`): without it these tests are
skipped, but fail when the CI variable is set.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from store_dump import dump_store
from typer.testing import CliRunner

from alliancegraph.cli import app
from alliancegraph.ingest import iter_articles, read_path
from alliancegraph.model import Article, SkippedInput

pytestmark = [pytest.mark.slow, pytest.mark.model]

# Short articles written for these tests: two well-known alliances, two invented companies.
ARTICLES: dict[str, dict[str, str | None]] = {
    "renault-nissan": {
        "title": "Renault and Nissan agree to share more engines",
        "date": "2019-03-12",
        "url": "https://news.example.org/2019/03/renault-nissan",
        "text": "Renault and Nissan formed an alliance in 1999. The partners will share more engines.\n\n"
        "Renault owns 43 percent of Nissan, and Nissan holds 15 percent of Renault.",
    },
    "toyota-subaru": {
        "title": "Toyota and Subaru to develop an electric SUV",
        "date": "2019-06-06",
        "url": "https://news.example.org/2019/06/toyota-subaru",
        "text": "Toyota and Subaru will jointly develop an electric sport utility vehicle, the companies "
        "said on Thursday.\n\nAkio Toyoda, president of Toyota, said the partnership would cut costs.",
    },
    "kia-zilina": {
        "title": None,
        "date": None,
        "url": None,
        "text": "Kia Motors builds the Kia Sportage at its plant in Zilina, Slovakia.\n\n"
        "Hyundai Motor owns a third of Kia Motors.",
    },
    "vw-rivian": {
        "title": "Volkswagen eyes Rivian stake",
        "date": "2020-05-05",
        "url": None,
        "text": "Volkswagen is reportedly in talks to take a stake in Rivian, two people familiar with the "
        "matter said.",
    },
    "nordvik-castellan": {
        "title": "Nordvik Motors and Castellan Auto plan a van venture",
        "date": "2021-06-01",
        "url": "https://news.example.org/2021/06/nordvik-castellan",
        "text": "Nordvik Motors and Castellan Auto will set up a joint venture to build electric vans at a "
        "plant in Poznan, Poland, the two carmakers said.\n\nThe venture, to be called NordCast Mobility, is "
        "expected to start production in 2023.",
    },
    "ford-mazda": {
        "title": "Ford to supply engines to Mazda",
        "date": "2018-02-20",
        "url": "https://news.example.org/2018/02/ford-mazda",
        "text": "Ford will supply engines to Mazda for small cars sold in Asia, people familiar with the "
        "matter said.\n\nCitro\u00ebn was not part of the talks.",
    },
}


def _record(key: str, **changes: object) -> dict[str, object]:
    return {"id": key, **ARTICLES[key], **changes}


def _line(record: object) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


# -- the Spark session, or why there is none -----------------------------------------------------


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(
            f"{reason}; CI must run the Spark tests (make test-deps runs scripts/install-java.sh)",
            pytrace=False,
        )
    pytest.skip(f"{reason}: run scripts/install-java.sh (Spark needs Java 17+)")


def _java_problem() -> str | None:
    # Spark's launcher runs $JAVA_HOME/bin/java when JAVA_HOME is set, else the `java` on PATH.
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home, "bin", "java")) if home else shutil.which("java")
    if java is None or not os.access(java, os.X_OK):
        return f"no Java at {java}" if java else "no `java` on PATH"
    shown = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    m = re.search(r'version "(?:1\.)?(\d+)', shown)
    if m is None or int(m.group(1)) < 17:
        return (
            f"`java -version` says {shown.strip().splitlines()[0] if shown.strip() else 'nothing'!r}, not 17+"
        )
    return None


@pytest.fixture(scope="module")
def spark():
    problem = _java_problem()
    if problem is not None:
        _unavailable(problem)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        _unavailable("pyspark is not installed (pip install 'alliancegraph[spark]')")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYSPARK_PYTHON", sys.executable)
        session = (
            SparkSession.builder.master("local[2]")
            .appName("alliancegraph tests")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        yield session
        session.stop()


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})


def _spark_extract(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, ["spark-extract", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


# -- inputs written for the tests ----------------------------------------------------------------


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("inputs")
    news = root / "news"
    news.mkdir()
    (news / "news-1.jsonl").write_text(
        _line(_record("renault-nissan"))
        + _line({k: v for k, v in _record("toyota-subaru").items() if k != "id"})  # id from file and line
        + '{"id": "broken", "text": "Toyota and\n'  # malformed JSON
        + _line({"id": "not-text", "text": 42})  # wrong field type
        + _line(_record("kia-zilina")),
        encoding="utf-8",
    )
    with gzip.open(news / "news-2.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(_line(_record("vw-rivian")) + _line(_record("nordvik-castellan")))
    (news / "notes.csv").write_text("id,text\n1,Renault\n", encoding="utf-8")

    import pyarrow as pa
    import pyarrow.parquet as pq

    keys = ["renault-nissan", "toyota-subaru", "kia-zilina", "ford-mazda"]
    rows = [_record(k) for k in keys] + [
        {"id": "no-text", "title": "Empty", "date": None, "url": None, "text": None}
    ]
    for row in rows:
        row["date"] = None if row["date"] is None else date.fromisoformat(str(row["date"]))
    schema = pa.schema(
        [
            ("id", pa.string()),
            ("title", pa.string()),
            ("date", pa.date32()),
            ("url", pa.string()),
            ("text", pa.string()),
        ]
    )
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), root / "rows.parquet", row_group_size=2)
    (root / "rows.jsonl").write_text(
        "".join(_line({**r, "date": r["date"] and r["date"].isoformat()}) for r in rows), encoding="utf-8"
    )

    pages = root / "pages"
    pages.mkdir()
    for key in ("nordvik-castellan", "ford-mazda", "toyota-subaru"):
        (pages / f"{key}.html").write_text(_page(key), encoding="utf-8")
    _write_warc(root / "crawl.warc.gz")

    feeds = root / "feeds"
    feeds.mkdir()
    (feeds / "feed-1.ndjson").write_text(_line(_record("ford-mazda")) + _line(_record("kia-zilina", id=None)))
    (feeds / "feed-2.ndjson").write_text(_line(_record("vw-rivian")))
    return root


def _page(key: str) -> str:
    a = ARTICLES[key]
    paragraphs = "".join(f"<p>{p}</p>\n" for p in str(a["text"]).split("\n\n"))
    return (
        f"<!DOCTYPE html>\n<html><head><title>{a['title']} | Motor Ledger</title>\n"
        f'<meta property="article:published_time" content="{a["date"]}">\n'
        f'<link rel="canonical" href="{a["url"]}">\n</head><body>\n'
        '<nav><a href="/">Home</a> <a href="/autos">Autos</a></nav>\n'
        f"<article><h1>{a['title']}</h1>\n{paragraphs}</article>\n"
        "<footer>Copyright Motor Ledger</footer>\n</body></html>\n"
    )


WARC_PAGES = {
    "https://news.example.org/2021/06/nordvik-castellan?ref=home": "nordvik-castellan",
    "https://news.example.org/2018/02/ford-mazda": "ford-mazda",
    "https://news.example.org/2019/06/toyota-subaru": "toyota-subaru",
}


def _write_warc(path: Path) -> None:
    """A crawl: a warcinfo, a request, the three pages (one in ISO-8859-1), an image, a 404, a redirect,
    and two pages that are not articles: undecodable bytes and a page without text."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        def response(uri: str, body: bytes, content_type: str, status: str = "200 OK") -> None:
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
            )

        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "alliancegraph tests"}))
        request = StatusAndHeaders(
            "GET /2018/02/ford-mazda HTTP/1.1", [("Host", "news.example.org")], is_http_request=True
        )
        writer.write_record(
            writer.create_warc_record(
                "https://news.example.org/2018/02/ford-mazda", "request", http_headers=request
            )
        )
        for uri, key in WARC_PAGES.items():
            if key == "ford-mazda":
                response(uri, _page(key).encode("iso-8859-1"), "text/html; charset=ISO-8859-1")
            else:
                response(uri, _page(key).encode("utf-8"), "text/html; charset=utf-8")
            if key == "nordvik-castellan":
                response("https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
                response(
                    "https://news.example.org/gone",
                    b"<html><body>Not found</body></html>",
                    "text/html",
                    "404 Not Found",
                )
        response(
            "https://news.example.org/broken",
            b"<html><body><p>Toyota \xff\xfe</p></body></html>",
            "text/html",
        )
        response("https://news.example.org/empty", b"<html><head></head><body></body></html>", "text/html")


@pytest.fixture(scope="module")
def news_out(spark, runner, inputs) -> Path:
    """spark-extract over the news directory (JSONL, JSONL.gz and a file of no known type), 2 partitions."""
    out = inputs.parent / "news-out"
    _spark_extract(runner, str(inputs / "news"), str(out), "--partitions", "2")
    return out


@pytest.fixture(scope="module")
def parquet_out(spark, runner, inputs) -> Path:
    out = inputs.parent / "parquet-out"
    _spark_extract(runner, str(inputs / "rows.parquet"), str(out))
    return out


@pytest.fixture(scope="module")
def warc_out(spark, runner, inputs) -> Path:
    """spark-extract over a gzipped WARC named by a file:// URI (read through pyarrow's filesystem)."""
    out = inputs.parent / "warc-out"
    _spark_extract(runner, (inputs / "crawl.warc.gz").as_uri(), str(out))
    return out


# -- reading the output and the stores back ------------------------------------------------------


def _rows(out: Path) -> list[dict]:
    import pyarrow.parquet as pq

    rows = pq.read_table(out).to_pylist()
    return sorted(rows, key=lambda r: (r["input"], r["record"]))


def _extracted(out: Path) -> tuple[list[tuple[Article, list]], list[SkippedInput]]:
    from alliancegraph.batch.load import read_extracted

    items = list(read_extracted(str(out)))
    return [i for i in items if not isinstance(i, SkippedInput)], [
        i for i in items if isinstance(i, SkippedInput)
    ]


def _snapshot(db: str, drop: frozenset[str] = frozenset()) -> dict[str, list]:
    """Every table of the store (row order aside; the time of ingestion left out) and the interchange rows."""
    from sqlalchemy import create_engine, select

    from alliancegraph.query import open_graph
    from alliancegraph.store.schema import metadata

    engine = create_engine(f"sqlite:///{db}")
    out: dict[str, list] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in {"ingested_at", *drop}]
            out[table.name] = sorted((tuple(r) for r in conn.execute(select(*columns))), key=repr)
    engine.dispose()
    with open_graph(db) as graph:
        out["interchange"] = sorted(graph.interchange(), key=repr)
    return out


def _invoke(runner: CliRunner, *args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def _counts(stdout: str) -> str:
    """The counts of an ingest or load summary line, without the time and the store."""
    return stdout.split(", in ")[0]


def _load_without_spark(runner: CliRunner, out: Path, db: str, monkeypatch, skipped: str = "") -> str:
    """`alliancegraph load` with pyspark unimportable; `skipped` must be in its report of skipped inputs."""
    with monkeypatch.context() as mp:  # load must not need Spark
        for name in [m for m in sys.modules if m == "pyspark" or m.startswith("pyspark.")]:
            mp.setitem(sys.modules, name, None)
        result = _invoke(runner, "load", str(out), "--db", db)
    assert skipped in result.stderr
    return result.stdout


# -- JSONL and JSONL.gz ----------------------------------------------------------------------------


def test_spark_extract_jsonl_carries_the_local_articles_and_their_facts(news_out, inputs, extractor):
    local = [a for a in iter_articles([inputs / "news"]) if isinstance(a, Article)]
    extracted, _ = _extracted(news_out)
    assert [a for a, _ in extracted] == local  # id, title, published, url, source and text
    assert {a.id for a in local} >= {
        "renault-nissan",
        "news-1-2",
        "kia-zilina",
        "vw-rivian",
        "nordvik-castellan",
    }
    for article, facts in extracted:
        assert facts == extractor.extract(article), article.id  # every field, evidence offsets included
    facts = [f for _, fs in extracted for f in fs]
    assert {f.status for f in facts} >= {"confirmed", "reported"}
    assert any(f.future for f in facts) and any(f.attributes for f in facts) and any(f.time for f in facts)


def test_spark_extract_records_bad_records_and_skips_them(news_out, inputs):
    rows = _rows(news_out)
    errors = {Path(r["source"]).name: r["error"] for r in rows if r["error"] is not None}
    assert set(errors) == {"news-1.jsonl:3", "news-1.jsonl:4", "notes.csv"}, errors
    assert "not valid JSON" in errors["news-1.jsonl:3"]
    assert "'text' must be a string" in errors["news-1.jsonl:4"]
    assert "unsupported file type" in errors["notes.csv"]
    # What a local ingest skips, for the same reasons (but an unknown file type's names .parquet, .warc too).
    local = {s.source: s.reason for s in iter_articles([inputs / "news"]) if isinstance(s, SkippedInput)}
    _, skipped = _extracted(news_out)
    assert {s.source: s.reason for s in skipped if not s.source.endswith(".csv")} == {
        source: reason for source, reason in local.items() if not source.endswith(".csv")
    }
    assert {s.source for s in skipped} == set(local)
    assert [r["id"] for r in rows if r["error"] is None] == [
        "renault-nissan",
        "news-1-2",
        "kia-zilina",
        "vw-rivian",
        "nordvik-castellan",
    ]


def test_load_gives_the_store_of_a_local_ingest(news_out, inputs, runner, tmp_path, monkeypatch):
    local_db, loaded_db = str(tmp_path / "local.db"), str(tmp_path / "loaded.db")
    ingested = _invoke(runner, "ingest", str(inputs / "news"), "--db", local_db).stdout
    loaded = _load_without_spark(runner, news_out, loaded_db, monkeypatch)
    assert _counts(loaded) == _counts(ingested)
    assert "documents 5 (unchanged 0), skipped 3" in loaded
    local, spark_loaded = _snapshot(local_db), _snapshot(loaded_db)
    assert local["evidence"] and local["interchange"]
    assert spark_loaded == local


def test_load_gives_the_store_of_a_local_ingest_on_either_database(
    news_out, inputs, runner, store_locations, monkeypatch
):
    """The same comparison on SQLite and on PostgreSQL, every table read through the store's engine."""
    local_db, loaded_db = store_locations(), store_locations()
    ingested = _invoke(runner, "ingest", str(inputs / "news"), "--db", local_db).stdout
    loaded = _load_without_spark(runner, news_out, loaded_db, monkeypatch)
    assert _counts(loaded) == _counts(ingested)
    local = dump_store(local_db)
    assert local["evidence"] and local["facts"]
    assert dump_store(loaded_db) == local


def test_load_twice_changes_nothing(news_out, runner, tmp_path, monkeypatch):
    db = str(tmp_path / "twice.db")
    _load_without_spark(runner, news_out, db, monkeypatch)
    first = _snapshot(db)
    again = _load_without_spark(runner, news_out, db, monkeypatch)
    assert "documents 0 (unchanged 5), skipped 3, new entities 0, new facts 0" in again
    assert _snapshot(db) == first


def test_spark_extract_refuses_an_existing_output_in_one_line(news_out, inputs, runner):
    result = runner.invoke(app, ["spark-extract", str(inputs / "news"), str(news_out)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--overwrite" in lines[0], result.stderr


def test_spark_extract_takes_the_ingest_limits_of_the_settings(spark, inputs, tmp_path):
    runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "ALLIANCEGRAPH_MAX_ARTICLE_CHARS": "150"})
    _spark_extract(runner, str(inputs / "news"), str(tmp_path / "out"))
    local = {
        s.source: s.reason
        for s in iter_articles([inputs / "news"], max_chars=150)
        if isinstance(s, SkippedInput)
    }
    _, skipped = _extracted(tmp_path / "out")
    too_long = {s.source: s.reason for s in skipped if "over the limit of 150" in s.reason}
    assert too_long and too_long == {k: v for k, v in local.items() if "over the limit" in v}


@pytest.mark.parametrize(
    "name,reason",
    [("missing", "no such file or directory"), ("*.jsonl", "no file matches"), ("notes.csv", "--format")],
)
def test_spark_extract_with_nothing_to_read_fails_in_one_line(spark, inputs, runner, tmp_path, name, reason):
    shutil.copy(inputs / "news" / "notes.csv", tmp_path / "notes.csv")
    result = runner.invoke(app, ["spark-extract", str(tmp_path / name), str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Nothing to read" in lines[0] and reason in lines[0], result.stderr
    assert not (tmp_path / "out").exists()


# -- Parquet --------------------------------------------------------------------------------------


def test_spark_extract_parquet_rows_load_like_the_same_records_ingested(
    parquet_out, inputs, runner, tmp_path, monkeypatch
):
    rows = _rows(parquet_out)
    assert [(r["source"], r["error"]) for r in rows if r["error"]] == [
        (str(inputs / "rows.parquet[4]"), "record has no 'text' field")
    ]
    local_db, loaded_db = str(tmp_path / "local.db"), str(tmp_path / "loaded.db")
    ingested = _invoke(runner, "ingest", str(inputs / "rows.jsonl"), "--db", local_db).stdout
    loaded = _load_without_spark(
        runner, parquet_out, loaded_db, monkeypatch, skipped="rows.parquet[4]: record has no"
    )
    assert _counts(loaded) == _counts(ingested)
    assert "documents 4 (unchanged 0), skipped 1" in loaded
    # The same records from a Parquet file and a JSON Lines file: only where they were read differs.
    assert _snapshot(loaded_db, drop=frozenset({"source"})) == _snapshot(local_db, drop=frozenset({"source"}))
    local = {a.id: a for a in iter_articles([inputs / "rows.jsonl"]) if isinstance(a, Article)}
    extracted, _ = _extracted(parquet_out)
    for i, (article, _) in enumerate(extracted):
        assert article == replace(local[article.id], source=f"{inputs / 'rows.parquet'}[{i}]")


# -- WARC -----------------------------------------------------------------------------------------


def test_spark_extract_warc_reads_html_responses_through_the_ingest_html_path(warc_out, inputs, extractor):
    extracted, skipped = _extracted(warc_out)
    assert [a.id for a, _ in extracted] == list(WARC_PAGES)  # the page's URI; not the request, image, 404
    warc_uri = (inputs / "crawl.warc.gz").as_uri()
    for (article, facts), key in zip(extracted, WARC_PAGES.values(), strict=True):
        (page,) = read_path(inputs / "pages" / f"{key}.html")  # a local ingest of the same page
        assert article.source.startswith(f"{warc_uri}@")
        assert (article.text, article.title, article.published, article.url) == (
            page.text,
            page.title,
            page.published,
            page.url,
        )
        assert facts == extractor.extract(replace(page, id=article.id))
    assert "Citro\u00ebn" in extracted[1][0].text  # decoded as the response's ISO-8859-1
    reasons = {s.source.split("@")[0]: s.reason for s in skipped}
    assert len(skipped) == 2 and set(reasons) == {warc_uri}
    assert any("not valid UTF-8" in s.reason for s in skipped) and any(
        "no article text" in s.reason for s in skipped
    )


def test_load_of_warc_output_stores_the_pages(warc_out, inputs, runner, tmp_path, monkeypatch):
    db = str(tmp_path / "warc.db")
    loaded = _load_without_spark(runner, warc_out, db, monkeypatch)
    assert "documents 3 (unchanged 0), skipped 2" in loaded
    local_db = str(tmp_path / "pages.db")
    _invoke(runner, "ingest", str(inputs / "pages"), "--db", local_db)
    by_uri = {uri: key for uri, key in WARC_PAGES.items()}

    def docless(rows: list[dict], rename: dict[str, str]) -> list:
        return sorted(repr({**r, "doc": rename.get(r["doc"], r["doc"])}) for r in rows)

    assert docless(_snapshot(db)["interchange"], by_uri) == docless(_snapshot(local_db)["interchange"], {})


# -- a glob over a URI with a forced format ---------------------------------------------------------


def test_spark_extract_uri_glob_with_forced_format(spark, inputs, runner, tmp_path):
    out = tmp_path / "feeds-out"
    pattern = (inputs / "feeds").as_uri() + "/feed-*.ndjson"
    _spark_extract(runner, pattern, str(out), "--format", "jsonl")
    for name in ("feed-1", "feed-2"):  # the same files named as ingest expects them
        shutil.copy(inputs / "feeds" / f"{name}.ndjson", tmp_path / f"{name}.jsonl")
    local = [
        a
        for a in iter_articles([tmp_path / "feed-1.jsonl", tmp_path / "feed-2.jsonl"])
        if isinstance(a, Article)
    ]
    extracted, skipped = _extracted(out)
    assert skipped == []
    assert [a.id for a, _ in extracted] == [a.id for a in local] == ["ford-mazda", "feed-1-2", "vw-rivian"]
    for (article, _), expected in zip(extracted, local, strict=True):
        where = (inputs / "feeds").as_uri() + "/" + Path(expected.source).name.replace(".jsonl", ".ndjson")
        assert article == replace(expected, source=where)


# -- the optional extra ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hidden,args",
    [
        ("pyspark.sql", ["spark-extract", "in.jsonl", "out"]),
        ("pyarrow.dataset", ["load", "out", "--db", "x.db"]),
    ],
)
def test_missing_extra_says_how_to_install_it(runner, monkeypatch, tmp_path, hidden, args):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, hidden, None)  # as if the extra were not installed
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'alliancegraph[spark]'" in lines[0], result.stderr
