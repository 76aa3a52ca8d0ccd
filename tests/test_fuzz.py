"""Fuzzing with hypothesis: ingest (records, and the readers on arbitrary bytes, text and JSON), the time
normaliser and the name normaliser never crash, and fail only with the project's own errors, which name
the input and say what to do.

The budgets below add up to `TOTAL_CASES` (10,000) per run. They take about two minutes on one core;
``ALLIANCEGRAPH_FUZZ_SCALE=10`` runs ten times as many. Under ``CI`` the runs are derandomized and keep
no example database, so CI sees the same cases every time.
"""

from __future__ import annotations

import calendar
import gzip
import json
import os
import re
import string
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from alliancegraph.errors import AllianceGraphError, ArticleParseError
from alliancegraph.extract.temporal import normalize
from alliancegraph.ingest import FORMATS, article_from_record, iter_articles, read_path
from alliancegraph.model import Article, SkippedInput
from alliancegraph.resolve.knowledge import CORPORATE_SUFFIXES, load_knowledge, normalize_name

IN_CI = bool(os.environ.get("CI"))
SCALE = float(os.environ.get("ALLIANCEGRAPH_FUZZ_SCALE", "1"))

BUDGETS: dict[str, int] = {
    "record": 1800,
    "bytes": 1500,
    "text": 1000,
    "json": 1000,
    "normalize_any": 1500,
    "normalize_phrases": 1200,
    "normalize_written": 500,
    "name": 800,
    "lookup_variants": 500,
    "lookup_any": 200,
}
TOTAL_CASES = 10_000


def fuzz(budget: str) -> settings:
    """The settings of one fuzz test: its share of the cases, no deadline (CI machines are slow and
    shared), derandomized and without an example database under CI."""
    return settings(
        max_examples=max(1, round(BUDGETS[budget] * SCALE)),
        deadline=None,
        derandomize=IN_CI,
        database=None if IN_CI else settings.default.database,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def test_fuzz_budgets_add_up_to_the_total():
    assert sum(BUDGETS.values()) == TOTAL_CASES


# -- what a failure must look like -----------------------------------------------------------------

ADVICE = "Fix or remove this input"


def check_error(error: BaseException, source: str) -> None:
    """A refused input fails with our own error, naming the input and saying what to do."""
    assert isinstance(error, AllianceGraphError), f"{type(error).__name__}: {error}"
    message = str(error)
    assert source in message and ADVICE in message, message
    assert "\n" not in message.strip(), message


def check_items(items: list[Article | SkippedInput], path: Path) -> None:
    """What `iter_articles` gives for one file: articles, or skips naming the file (and record)."""
    for item in items:
        if isinstance(item, SkippedInput):
            assert item.source.startswith(str(path)), item
            assert item.reason and "\n" not in item.reason, item
            event(f"skipped: {_kind(item.reason)}")
        else:
            check_article(item, path)
            event("article")


def _kind(reason: str) -> str:
    """A reason without the values in it, to count outcomes in --hypothesis-show-statistics."""
    return re.sub(r"\d[\d,]*|'[^']*'|\([^)]*\)", "…", reason)[:60]


def check_article(article: Article, path: Path | None = None) -> None:
    assert isinstance(article, Article)
    assert article.id and isinstance(article.id, str)
    assert article.text.strip(), article
    assert article.text.encode("utf-8")  # no lone surrogates: the store hashes the UTF-8 text
    assert "\x00" not in article.text
    assert article.published is None or date(1800, 1, 1) <= article.published, article.published
    if path is not None:
        assert article.source is not None and article.source.startswith(str(path))


# -- strategies ------------------------------------------------------------------------------------

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
WORDS = ["Acme", "Motors", "Borealis", "plant", "opened", "stake", "Nov 5, 2013", "2013-11-05", "By", "\n\n"]
NEWS_TEXT = st.lists(st.sampled_from(WORDS) | st.text(min_size=1, max_size=12), min_size=0, max_size=25).map(
    " ".join
)
FIELD_TEXT = NEWS_TEXT | st.text(max_size=60) | st.sampled_from(["", " ", "\ud800", "\x00", "9999-12-31"])
OPTIONAL_FIELDS = {
    "id": st.none() | st.integers() | st.booleans() | FIELD_TEXT | JSON_VALUES,
    "title": st.none() | FIELD_TEXT | JSON_VALUES,
    "date": st.none() | FIELD_TEXT | st.dates().map(str) | st.integers() | JSON_VALUES,
    "url": st.none() | FIELD_TEXT | JSON_VALUES,
}
RECORDS = st.one_of(
    # mostly plausible records, with any of the other fields wrong
    st.fixed_dictionaries(
        {"id": NEWS_TEXT, "text": NEWS_TEXT}, optional={k: v for k, v in OPTIONAL_FIELDS.items() if k != "id"}
    ),
    st.fixed_dictionaries({"text": NEWS_TEXT | FIELD_TEXT}, optional=OPTIONAL_FIELDS),
    # anything at all under the field names
    st.fixed_dictionaries({}, optional={**OPTIONAL_FIELDS, "text": FIELD_TEXT | st.none() | JSON_VALUES}),
    st.dictionaries(st.sampled_from(["id", "title", "date", "url", "text", "body"]), JSON_VALUES, max_size=6),
)
SUFFIXES = sorted(FORMATS) + [f"{s}.gz" for s in sorted(FORMATS)] + [".md", ".zip", ""]
HTML_TAGS = [
    "<html>",
    "<body>",
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "<",
]
HTML_TEXT = st.lists(st.sampled_from(HTML_TAGS) | NEWS_TEXT | st.text(max_size=10), max_size=40).map("".join)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _write(folder: Path, suffix: str, data: bytes, compress: bool) -> Path:
    path = folder / f"input{suffix}"
    path.write_bytes(gzip.compress(data) if compress and suffix.endswith(".gz") else data)
    return path


def _read_both_ways(path: Path) -> None:
    """`iter_articles` never raises; `read_path` raises nothing but our error naming the file."""
    check_items(list(iter_articles([path])), path)
    try:
        for article in read_path(path):
            check_article(article, path)
    except Exception as e:  # noqa: BLE001 - anything but our own error is the failure looked for
        check_error(e, str(path))


# -- ingest ----------------------------------------------------------------------------------------


@fuzz("record")
@given(record=RECORDS, default_id=st.none() | st.text(max_size=10))
def test_fuzz_record_to_article(record, default_id):
    try:
        article = article_from_record(record, "fuzz-record", default_id=default_id)
    except Exception as e:  # noqa: BLE001
        check_error(e, "fuzz-record")
        assert isinstance(e, ArticleParseError)
        event(f"refused: {_kind(e.reason)}")
    else:
        check_article(article)
        assert article.source == "fuzz-record"
        event("article")


@fuzz("bytes")
@given(data=st.binary(max_size=600), suffix=st.sampled_from(SUFFIXES), compress=st.booleans())
def test_fuzz_readers_on_arbitrary_bytes(fuzz_dir, data, suffix, compress):
    _read_both_ways(_write(fuzz_dir, suffix, data, compress))


@fuzz("text")
@given(
    text=NEWS_TEXT | HTML_TEXT | st.text(max_size=300),
    suffix=st.sampled_from([".txt", ".html", ".htm", ".txt.gz", ".html.gz"]),
    compress=st.booleans(),
)
def test_fuzz_readers_on_arbitrary_text(fuzz_dir, text, suffix, compress):
    _read_both_ways(_write(fuzz_dir, suffix, text.encode("utf-8", "surrogatepass"), compress))


@fuzz("json")
@given(
    values=st.lists(JSON_VALUES | RECORDS, min_size=0, max_size=5),
    suffix=st.sampled_from([".json", ".jsonl", ".json.gz", ".jsonl.gz"]),
    whole=st.booleans(),
    compress=st.booleans(),
)
def test_fuzz_readers_on_arbitrary_json(fuzz_dir, values, suffix, whole, compress):
    if suffix.startswith(".jsonl"):
        data = "\n".join(json.dumps(v) for v in values)
    else:
        data = json.dumps(values if whole or not values else values[0])
    _read_both_ways(_write(fuzz_dir, suffix, data.encode(), compress))


# -- the time normaliser ---------------------------------------------------------------------------

EDTF_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


def _bounds(value: str) -> tuple[date, date]:
    """First and last day of an EDTF day, month or year; fails the test on anything else."""
    m = EDTF_DAY.fullmatch(value)
    assert m, value
    year = int(m[1])
    if m[3]:
        day = date(year, int(m[2]), int(m[3]))
        return day, day
    first, last = (int(m[2]), int(m[2])) if m[2] else (1, 12)
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def check_edtf(value: str | None) -> None:
    """None, or a real EDTF value: a day, month or year of years 1-9999, open-ended or an ordered interval."""
    if value is None:
        return
    assert isinstance(value, str)
    if value.startswith("../"):
        _bounds(value[3:])
    elif value.endswith("/.."):
        _bounds(value[:-3])
    elif "/" in value:
        start, end = value.split("/")
        assert _bounds(start)[0] <= _bounds(end)[1], value
    else:
        _bounds(value)


@fuzz("normalize_any")
@given(text=st.text(max_size=80), published=st.none() | st.dates(), future=st.booleans())
def test_fuzz_normalize_arbitrary_text_and_dates(text, published, future):
    value = normalize(text, published, future)
    check_edtf(value)
    event("None" if value is None else "EDTF")


NUMBER = st.one_of(
    st.integers(0, 40).map(str),
    st.integers(0, 10**30).map(str),
    st.sampled_from(["one", "two", "a", "an", "several", "a few", "twelve", "\u0663", "\u00b2", "1\u0663"]),
)
MONTH = st.sampled_from(
    [m for m in calendar.month_name if m] + [m for m in calendar.month_abbr if m] + ["Sept", "sept.", "MAY"]
)
YEAR = st.integers(1890, 2110).map(str) | st.sampled_from(["19\u0663\u0663", "0000", "10000"])
DAY = st.integers(0, 40).map(str) | st.sampled_from(["1st", "2nd", "31st", "00", "\u0663"])
PREP = st.sampled_from(["", "in ", "on ", "by ", "before ", "since ", "until ", "from ", "no later than "])
TIME_PHRASE = st.one_of(
    st.tuples(PREP, MONTH, DAY, YEAR).map(lambda t: f"{t[0]}{t[1]} {t[2]}, {t[3]}"),
    st.tuples(PREP, DAY, MONTH, YEAR).map(lambda t: f"{t[0]}{t[1]} {t[2]} {t[3]}"),
    st.tuples(PREP, MONTH, YEAR).map(lambda t: f"{t[0]}{t[1]} {t[2]}"),
    st.tuples(PREP, MONTH, DAY).map(lambda t: f"{t[0]}{t[1]} {t[2]}"),
    st.tuples(YEAR, YEAR).map(lambda t: f"between {t[0]} and {t[1]}"),
    st.tuples(PREP, YEAR, st.sampled_from(["", "s", " onwards"])).map(lambda t: f"{t[0]}{t[1]}{t[2]}"),
    st.tuples(
        NUMBER, st.sampled_from(["year", "years", "month", "months", "week", "weeks", "day", "days"])
    ).map(lambda t: f"{t[0]} {t[1]} ago"),
    st.tuples(st.sampled_from(["in", "within", "another", "for", "next", "in about"]), NUMBER).map(
        lambda t: f"{t[0]} {t[1]} years"
    ),
    st.tuples(st.sampled_from(["in", "within", "another", "next"]), NUMBER).map(
        lambda t: f"{t[0]} {t[1]} months"
    ),
    st.sampled_from(
        ["this", "last", "next", "earlier this", "later this", "the end of the", "before the end of the"]
    ).flatmap(
        lambda w: st.sampled_from(["year", "month", "week", "decade", "quarter"]).map(lambda u: f"{w} {u}")
    ),
    st.sampled_from(list(calendar.day_name) + ["yesterday", "today", "tomorrow", "the first quarter"]),
)
CASED = st.tuples(TIME_PHRASE, st.sampled_from([str, str.upper, str.lower, str.title])).map(
    lambda t: t[1](t[0])
)


@fuzz("normalize_phrases")
@given(text=CASED, published=st.none() | st.dates(), future=st.booleans())
def test_fuzz_normalize_date_like_phrases(text, published, future):
    value = normalize(text, published, future)
    check_edtf(value)
    event("None" if value is None else "EDTF")


@fuzz("normalize_written")
@given(day=st.dates(), published=st.none() | st.dates(), future=st.booleans())
def test_fuzz_normalize_written_dates_of_any_year(day, published, future):
    """A full date is that day whatever its year; the normaliser reads only years 1900-2099."""
    text = f"{calendar.month_name[day.month]} {day.day}, {day.year:04d}"
    expected = day.isoformat() if 1900 <= day.year <= 2099 else None
    value = normalize(text, published, future)
    if expected is not None:
        assert value == expected
    else:
        check_edtf(value)


# -- the name normaliser and the knowledge lookup --------------------------------------------------

NAMES = st.text(max_size=40) | st.lists(
    st.sampled_from(["The", "Motor", "Co.", "S.A.", "&", "AG", "Group", "-", "Renault", "\u00c9", "\u0130"])
    | st.text(string.ascii_letters + " .,'&-", max_size=8),
    max_size=8,
).map(" ".join)


@fuzz("name")
@given(name=NAMES)
def test_fuzz_normalize_name(name):
    key = normalize_name(name)
    assert isinstance(key, str)
    assert normalize_name(key) == key
    assert key == " ".join(key.split())
    assert key == key.casefold()
    if any(c.isalnum() for c in name):
        assert key, name


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


@fuzz("lookup_variants")
@given(data=st.data())
def test_fuzz_lookup_finds_a_known_name_however_written(knowledge, data):
    """A known name with its case changed, "The" put before it, a corporate suffix after it and its
    spaces doubled still finds an entity of the same type."""
    entity = data.draw(st.sampled_from(sorted(knowledge.entities.values(), key=lambda e: e.id)))
    name = data.draw(st.sampled_from([entity.name, *entity.aliases]))
    assume(normalize_name(name))
    variant = data.draw(st.sampled_from([str, str.upper, str.lower]))(name)
    if data.draw(st.booleans()):
        variant = "The " + variant
    suffix = data.draw(st.sampled_from(["", *sorted(CORPORATE_SUFFIXES), "S.A.", "Co., Ltd."]))
    variant = f"{variant} {suffix}".replace(" ", data.draw(st.sampled_from([" ", "  ", " \t "])))
    found = knowledge.lookup(variant)
    assert found is not None, (name, variant)
    assert found.type == entity.type, (name, variant, found)


@fuzz("lookup_any")
@given(name=NAMES)
def test_fuzz_lookup_arbitrary_names(knowledge, name):
    found = knowledge.lookup(name)
    assert found is None or found.id in knowledge
