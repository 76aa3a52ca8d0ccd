"""Shared fixtures. Every test that touches a store gets a fresh one of its own, and runs twice: on an
SQLite file and on a PostgreSQL database (`tmp_db` and `store_locations`: empty; `world`: a copy of
`graph_world`'s store; `serve_store`: the serve articles, shared and read-only).

The PostgreSQL server is the one `scripts/install-postgres.sh` starts (`make test-deps`), or the one
named by ALLIANCEGRAPH_TEST_PG (a URL of a PostgreSQL 13 or newer server, whose role may create
databases). Without a server the PostgreSQL runs are skipped, with the reason, except under CI (the CI
variable set), where they fail: CI never passes by skipping them.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

PG_ENV = "ALLIANCEGRAPH_TEST_PG"
PG_DEFAULT = "postgresql://alliancegraph:alliancegraph@127.0.0.1:54329/alliancegraph"
"""The server, role and database that scripts/install-postgres.sh sets up."""
BACKENDS = ["sqlite", "postgresql"]
_PREFIX = "ag_test_"


class PostgresServer:
    """The test server: hands out URLs of uniquely named databases, and drops them afterwards."""

    def __init__(self, url: str):
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool

        self.url = make_url(url).set(drivername="postgresql+psycopg")
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.strategy = ""  # " STRATEGY FILE_COPY" from PostgreSQL 15 on (see `check`)

    def check(self) -> None:
        """Connect once (raises when the server cannot be reached) and drop what crashed runs left."""
        with self.admin.connect() as conn:
            if (conn.dialect.server_version_info or (0,)) >= (15,):
                self.strategy = " STRATEGY FILE_COPY"
            names = conn.exec_driver_sql(
                "SELECT datname FROM pg_database WHERE datname LIKE %(p)s", {"p": _PREFIX + "%"}
            ).scalars()
            for name in list(names):
                pid = name.removeprefix(_PREFIX).split("_", 1)[0]
                if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                    _drop_database(conn, name)

    def fresh_url(self) -> str:
        """The URL of a database that does not exist yet, named after this process so that a crashed
        run's leftovers can be told (`Store.open` would create it, as it creates a missing SQLite file)."""
        name = f"{_PREFIX}{os.getpid()}_{uuid.uuid4().hex[:12]}"
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, url: str) -> str:
        """Create the empty database of a `fresh_url`, by file copy where the server has it (15 on):
        much faster than the default strategy, which writes the whole template to the WAL."""
        from sqlalchemy.engine import make_url

        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{make_url(url).database}"{self.strategy}')
        return url

    def copy(self, template: str) -> str:
        """A new database holding what the database `template` holds (nobody may be connected to it)."""
        from sqlalchemy.engine import make_url

        url = self.fresh_url()
        with self.admin.connect() as conn:
            conn.exec_driver_sql(
                f'CREATE DATABASE "{make_url(url).database}" TEMPLATE "{make_url(template).database}"'
                + self.strategy
            )
        return url

    def drop(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        with self.admin.connect() as conn:
            _drop_database(conn, make_url(url).database)


_BUSY = {"42501", "55006"}
"""SQLSTATEs of a database held by a session the test role may not end (insufficient_privilege: an
autovacuum worker the server started on it) or that would not end in time (object_in_use)."""


def _drop_database(conn: Any, name: str, attempts: int = 40) -> None:
    """Drop a database, ending the sessions on it. An autovacuum worker can hold a database the tests
    just filled; the test role, no superuser, cannot end it, and it is done within moments: try again."""
    from sqlalchemy.exc import DBAPIError

    for attempt in range(attempts):
        try:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except DBAPIError as e:
            if getattr(e.orig, "sqlstate", None) not in _BUSY or attempt + 1 == attempts:
                raise
            time.sleep(0.25)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The PostgreSQL test server; skips (fails under CI) when there is none."""
    from sqlalchemy.engine import make_url

    url = os.environ.get(PG_ENV) or PG_DEFAULT
    reason = None
    try:
        server = PostgresServer(url)
        server.check()
    except Exception as e:  # noqa: BLE001 - any failure to reach the server means the same here
        shown = make_url(url).render_as_string(hide_password=True)
        reason = (
            f"no PostgreSQL test server at {shown} ({type(e).__name__}: {str(e).splitlines()[0]}). "
            f"Run `make test-deps` (bash scripts/install-postgres.sh), or set {PG_ENV} to a server's URL."
        )
    if reason is not None:
        # Outside the except block and without a traceback: the driver's frames would show the password.
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    yield server
    server.admin.dispose()


@pytest.fixture(params=BACKENDS)
def store_locations(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """A factory of new stores private to this test, on one backend per run: paths of SQLite files not
    yet created, or URLs of new, empty PostgreSQL databases, dropped when the test ends."""
    if request.param == "sqlite":
        counter = iter(range(1_000_000))
        yield lambda: str(tmp_path / f"graph{next(counter)}.db")
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    made: list[str] = []

    def fresh() -> str:
        made.append(server.fresh_url())
        return server.create(made[-1])

    yield fresh
    for url in made:
        server.drop(url)


@pytest.fixture
def tmp_db(store_locations: Callable[[], str]) -> str:
    """The location of a new store private to this test: the path of an SQLite file not yet created,
    then (the test's second run) the URL of an empty PostgreSQL database."""
    return store_locations()


@pytest.fixture(scope="session", params=BACKENDS)
def world_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The store of `graph_world`, built once per session on each backend; tests take copies (`world`)."""
    import graph_world

    if request.param == "sqlite":
        path = str(tmp_path_factory.mktemp("world") / "world.db")
        graph_world.build(path)
        yield path
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.create(server.fresh_url())
    try:
        graph_world.build(url)
        yield url
    finally:
        server.drop(url)


@pytest.fixture
def world(request: pytest.FixtureRequest, world_store: str, tmp_path: Path) -> Iterator[str]:
    """A copy of `graph_world`'s store private to this test, which may change it: an SQLite file, then
    (the test's second run) a PostgreSQL database, dropped when the test ends."""
    if "://" not in world_store:
        import sqlite3

        path = str(tmp_path / "world.db")
        with sqlite3.connect(world_store) as source, sqlite3.connect(path) as copy:
            source.backup(copy)
        source.close()
        copy.close()
        yield path
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.copy(world_store)
    try:
        yield url
    finally:
        server.drop(url)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    """The path of a new SQLite store, for the tests of what only SQLite has (files, PRAGMAs)."""
    return str(tmp_path / "graph.db")


# Extraction, CLI and pipeline fixtures (test_extract_*.py, test_cli.py, test_pipeline.py).

import json  # noqa: E402
from datetime import date  # noqa: E402

PUBLISHED = date(2013, 11, 5)
"""The publication date the extraction tests give their articles unless told otherwise (a Tuesday)."""


@pytest.fixture(scope="session")
def extractor():
    """One `Extractor` (and so one loaded spaCy pipeline) for the whole session."""
    from alliancegraph.extract.extractor import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def facts_of(extractor):
    """Extract the facts of a text written for a test: ``facts_of(text, published=..., id=...)``."""
    from alliancegraph.model import Article

    def run(text: str, published: date | None = PUBLISHED, id: str = "test-article"):  # noqa: A002
        return extractor.extract(Article(id=id, text=text, published=published))

    return run


def _loose_match(name: str | None, expected: str | None) -> bool:
    """A name matches when it holds every word of the expected one, case aside ("Zilina" ~ "Zilina plant")."""
    if expected is None or name is None:
        return expected is None and name is None
    words = name.lower().replace("-", " ").split()
    return all(w in words for w in expected.lower().replace("-", " ").split())


@pytest.fixture(scope="session")
def find_fact():
    """``find_fact(facts, relation, head, tail)``: the first fact matching loosely, else None."""

    def find(facts, relation: str, head: str, tail: str | None):
        for fact in facts:
            if fact.relation == relation and _loose_match(fact.head, head) and _loose_match(fact.tail, tail):
                return fact
        return None

    return find


NEWS_RECORD = {
    "id": "kia-zilina",
    "title": "Kia to build the Soul in Slovakia",
    "date": "2013-11-05",
    "url": "https://example.org/news/kia-zilina",
    "text": (
        "Kia Motors will build the Kia Soul at its plant in Zilina, Slovakia, "
        "the company said on Tuesday.\n\nThe Kia Soul will go on sale in Europe next year."
    ),
}
NEWS_PAGE = (
    "Toyota takes a stake in Mazda\n\n"
    "Toyota will take a 5 percent stake in Mazda, the two companies said on Monday.\n\n"
    "Related stories\n"
    "Ford and Kia announce an alliance\n"
)
NEWS_LINES = (
    '{"id": "honda-isuzu", "date": "2012-06-01", '
    '"text": "Honda will supply diesel engines to Isuzu, the companies said."}\n'
    '{"id": "broken", "text": \n'
)
NEWS_BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


@pytest.fixture
def news_dir(tmp_path):
    """A directory of small articles written for the tests: a JSON record, a plain-text page, a JSON
    Lines file whose second line is malformed, and a binary file with a .txt name.

    Three articles are readable; the malformed line and the binary file are skipped.
    """
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "kia-zilina.json").write_text(json.dumps(NEWS_RECORD), encoding="utf-8")
    (folder / "toyota-mazda.txt").write_text(NEWS_PAGE, encoding="utf-8")
    (folder / "wire.jsonl").write_text(NEWS_LINES, encoding="utf-8")
    (folder / "photo.txt").write_bytes(NEWS_BINARY)
    return folder


# Serve fixtures (test_serve_*.py, tests/browser/): a store built from articles written for the tests.

SERVE_ARTICLES = Path(__file__).parent / "data" / "serve" / "articles.json"


def build_serve_store(path: str) -> str:
    """Write the articles of `data/serve/articles.json` and their stated facts into a store at `path`.

    The facts are given, not extracted, so the graph is exactly what the serve tests expect: Renault
    with Nissan (1999), a reported GM tie-up and a denied Ford one (2006), Daimler (2010), the Clio
    at Flins (2012), and Nissan with Mitsubishi Motors (2016).
    """
    from alliancegraph.model import Article, Evidence, Fact
    from alliancegraph.resolve.entities import Resolver, resolve_facts
    from alliancegraph.resolve.knowledge import load_knowledge
    from alliancegraph.store import Store

    resolver = Resolver(load_knowledge())
    with Store.open(path) as store:
        for record in json.loads(SERVE_ARTICLES.read_text(encoding="utf-8")):
            sentences = list(dict.fromkeys(s for s, *_ in record["facts"]))
            article = Article(
                id=record["id"],
                text=" ".join(sentences),
                title=record["title"],
                published=date.fromisoformat(record["published"]),
                url=record["url"],
            )
            facts = []
            for sentence, relation, head, tail, extra in record["facts"]:
                start = article.text.index(sentence)
                ev = Evidence(doc=article.id, text=sentence, start=start, end=start + len(sentence))
                extra = {**extra, "attributes": tuple(tuple(a) for a in extra.get("attributes", ()))}
                facts.append(Fact(relation=relation, head=head, tail=tail, evidence=ev, **extra))
            store.write_article(article, resolve_facts(facts, resolver))
    return path


@pytest.fixture(scope="session")
def serve_db(tmp_path_factory) -> str:
    """An SQLite store of the serve articles, shared by the session: the server opens it read-only."""
    return build_serve_store(str(tmp_path_factory.mktemp("serve") / "graph.db"))


@pytest.fixture(scope="session", params=BACKENDS)
def serve_store(request: pytest.FixtureRequest, serve_db: str) -> Iterator[str]:
    """The serve articles' store on each backend in turn: `serve_db`, then a PostgreSQL copy."""
    if request.param == "sqlite":
        yield serve_db
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.create(server.fresh_url())
    try:
        yield build_serve_store(url)
    finally:
        server.drop(url)
