"""What only a PostgreSQL store has: URLs, a database created on first write, errors that name the URL
with its password masked, read-only serving, the CLI on a server, and the test set-up itself.

Everything both stores share runs on both through the `tmp_db` fixture (test_store_*, test_query_*,
test_serve_api); these tests need the PostgreSQL test server (`postgres` fixture).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from alliancegraph.cli import app as cli_app
from alliancegraph.errors import StoreError
from alliancegraph.model import Article
from alliancegraph.query import open_graph
from alliancegraph.serve import create_app
from alliancegraph.store import Store, read_only_url
from alliancegraph.store.engine import store_url

ROOT = Path(__file__).resolve().parents[1]
SECRET = "s3cret-pw"


def _database_exists(postgres, url: str) -> bool:
    with postgres.admin.connect() as conn:
        found = conn.exec_driver_sql(
            "SELECT 1 FROM pg_database WHERE datname = %(n)s", {"n": make_url(url).database}
        ).first()
    return found is not None


@pytest.fixture
def fresh_url(postgres):
    """The URL of a database that does not exist yet; dropped after the test if something made it."""
    url = postgres.fresh_url()
    yield url
    postgres.drop(url)


@pytest.mark.parametrize(
    "given,driver",
    [
        ("postgresql://u:p@127.0.0.1:5432/graph", "postgresql+psycopg"),
        ("postgres://u:p@127.0.0.1/graph", "postgresql+psycopg"),
        ("postgresql+psycopg://u@127.0.0.1/graph", "postgresql+psycopg"),
        ("postgresql+psycopg2://u@127.0.0.1/graph", "postgresql+psycopg2"),
    ],
)
def test_store_postgres_urls_use_psycopg_unless_told(given, driver):
    assert store_url(given, create=False).drivername == driver


@pytest.mark.parametrize(
    "given,options",
    [
        ("postgresql://u:p@h/graph", "-c default_transaction_read_only=on"),
        (
            "postgresql://u:p@h/graph?options=-c%20search_path%3Dag",
            "-c search_path=ag -c default_transaction_read_only=on",
        ),
    ],
)
def test_store_postgres_read_only_url_keeps_other_options(given, options):
    url = make_url(read_only_url(given))
    assert (url.password, url.database, url.query["options"]) == ("p", "graph", options)


def test_store_postgres_creates_a_missing_database(postgres, fresh_url):
    assert not _database_exists(postgres, fresh_url)
    with Store.open(fresh_url) as store:
        assert store.counts() == {"documents": 0, "entities": 0, "facts": 0, "evidence": 0}
        assert f":{make_url(fresh_url).password}@" not in store.location and ":***@" in store.location
    assert _database_exists(postgres, fresh_url)
    with open_graph(fresh_url) as graph:  # and it opens as an existing store
        assert graph.stats().documents == 0


@pytest.mark.parametrize("opener", ["open_graph", "Store.open(create=False)", "cli stats"])
def test_store_postgres_missing_database_is_no_store(postgres, fresh_url, opener):
    if opener == "cli stats":
        result = CliRunner().invoke(cli_app, ["stats", "--db", fresh_url], env={"COLUMNS": "300"})
        assert result.exit_code == 1
        message = " ".join(result.output.split())
    else:
        with pytest.raises(StoreError) as caught:
            open_graph(fresh_url) if opener == "open_graph" else Store.open(fresh_url, create=False)
        message = str(caught.value)
    assert "No store" in message and make_url(fresh_url).database in message and "ingest" in message
    assert not _database_exists(postgres, fresh_url)


@pytest.mark.parametrize("problem", ["nothing listens", "wrong password", "unknown role"])
def test_store_postgres_connection_errors_name_the_masked_url(postgres, problem):
    good = make_url(postgres.url)
    url = {
        "nothing listens": good.set(port=1, password=SECRET),
        "wrong password": good.set(password=SECRET),
        "unknown role": good.set(username="nobody_here", password=SECRET),
    }[problem].render_as_string(hide_password=False)
    with pytest.raises(StoreError) as caught:
        Store.open(url)
    message = str(caught.value)
    assert SECRET not in message
    assert make_url(url).render_as_string(hide_password=True) in message
    assert "Check that the server is running" in message and "\n" not in message


@pytest.mark.parametrize(
    "url,words",
    [
        (f"postgresql://ag:{SECRET}@127.0.0.1/graph", ["'psycopg'", "pip install 'alliancegraph[postgres]'"]),
        (f"postgresql+pg8000://ag:{SECRET}@127.0.0.1/graph", ["'pg8000'", "Install it"]),
    ],
)
def test_store_postgres_missing_driver_says_what_to_install(monkeypatch, url, words):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if psycopg were not installed
    with pytest.raises(StoreError) as caught:
        Store.open(url)
    message = str(caught.value)
    assert SECRET not in message and "ag:***@127.0.0.1/graph" in message
    for word in words:
        assert word in message


def test_store_postgres_an_existing_empty_database_is_filled(postgres, fresh_url):
    # What a role without CREATEDB works with: an empty database its administrator made.
    postgres.create(fresh_url)
    with pytest.raises(StoreError, match="not an AllianceGraph store"):
        Store.open(fresh_url, create=False)
    with Store.open(fresh_url) as store:
        assert store.counts()["facts"] == 0
    with Store.open(fresh_url, create=False) as store:
        assert store.document_ids() == []


@pytest.mark.parametrize("serve_store", ["postgresql"], indirect=True)
def test_serve_reads_a_postgres_store_read_only(serve_store):
    app = create_app(serve_store)
    client = TestClient(app)
    assert client.get("/api/facts", params={"entity": "Renault"}).json()["total"] == 9
    with pytest.raises(StoreError, match="read-only transaction"):
        app.state.graph.store.write_article(Article(id="x", text="Renault."), [])
    with open_graph(serve_store) as graph:
        assert "x" not in graph.store.document_ids()


@pytest.mark.model
def test_cli_commands_on_a_postgres_store(postgres, fresh_url, news_dir, tmp_path):
    runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})

    def run(*args: str) -> str:
        result = runner.invoke(cli_app, [*args, "--db", fresh_url])
        assert result.exit_code == 0, result.output
        return result.stdout

    first = " ".join(run("ingest", str(news_dir)).split())
    assert "documents 3 (unchanged 0)" in first
    password = make_url(fresh_url).password
    assert first.endswith(make_url(fresh_url).render_as_string(hide_password=True))
    assert f":{password}@" not in first
    again = " ".join(run("ingest", str(news_dir)).split())
    assert "documents 0 (unchanged 3), skipped 2, new entities 0, new facts 0" in again
    counts = run("stats").split()
    assert dict(zip(counts[::2], map(int, counts[1::2]), strict=True))["documents"] == 3
    facts = [json.loads(line) for line in run("facts", "--format", "jsonl").splitlines() if line]
    assert ("owns", "org:toyota", "org:mazda") in {(f["relation"], f["head_id"], f["tail_id"]) for f in facts}
    assert "Toyota" in run("entity", "Toyota")
    out = tmp_path / "facts.csv"
    run("export", "csv", str(out))
    assert "Mazda" in out.read_text(encoding="utf-8")
    assert "rebuilt" in run("rebuild")
    result = runner.invoke(cli_app, ["stats"], env={"ALLIANCEGRAPH_DB": fresh_url})
    assert result.exit_code == 0 and result.stdout.split() == counts


@pytest.mark.parametrize("ci,outcome", [("", "1 skipped"), ("true", "1 error")])
def test_without_a_server_postgres_tests_skip_but_fail_under_ci(ci, outcome):
    """The set-up itself: no server means a skip with the reason, except under CI, where it fails."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(CI=ci, ALLIANCEGRAPH_TEST_PG=f"postgresql://ag:{SECRET}@127.0.0.1:1/none")
    if not ci:
        del env["CI"]
    test = "tests/test_store_write.py::test_store_reingest_same_article_changes_nothing[postgresql-2]"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rse", "-p", "no:cacheprovider", test],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert outcome in result.stdout, result.stdout
    assert "no PostgreSQL test server at postgresql://ag:***@127.0.0.1:1/none" in result.stdout
    assert "make test-deps" in result.stdout and SECRET not in result.stdout
