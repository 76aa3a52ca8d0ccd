"""The REST API: routes, filters, pagination, the one error shape, and a store opened read-only."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from alliancegraph.cli import app as cli_app
from alliancegraph.errors import StoreError
from alliancegraph.query import open_graph
from alliancegraph.serve import create_app, readonly_url
from alliancegraph.serve.rest import MAX_PAGE


@pytest.fixture(scope="module")
def client(serve_store: str) -> TestClient:
    return TestClient(create_app(serve_store), raise_server_exceptions=False)


def _ids(page: dict) -> list[str]:
    return [item["id"] for item in page["items"]]


# -- the error shape -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,url,kwargs,status,words",
    [
        ("GET", "/api/entities/Renualt", {}, 404, ["Renualt", "Did you mean", "Renault"]),
        ("GET", "/api/entities/Renualt/timeline", {}, 404, ["Did you mean", "Renault"]),
        ("GET", "/api/facts?entity=Nisan", {}, 404, ["Nissan"]),
        ("GET", "/api/facts/0000deadbeef/evidence", {}, 404, ["No fact", "0000deadbeef"]),
        ("GET", "/api/facts/0000deadbeef", {}, 404, ["No fact"]),
        ("GET", "/api/export/xlsx", {}, 404, ["xlsx", "jsonl", "turtle"]),
        ("GET", "/api/nowhere", {}, 404, ["/api/nowhere", "/docs"]),
        ("GET", f"/api/facts?limit={MAX_PAGE + 1}", {}, 422, ["limit", str(MAX_PAGE), "offset"]),
        ("GET", "/api/facts?limit=-1", {}, 422, ["limit"]),
        ("GET", "/api/facts?offset=minus", {}, 422, ["offset", "minus"]),
        ("GET", "/api/facts?as_of=2010-13-45", {}, 422, ["as_of", "2010-13-45", "YYYY-MM-DD"]),
        ("GET", "/api/facts?as_of=yesterday", {}, 422, ["as_of", "YYYY-MM-DD"]),
        ("GET", "/api/facts?relation=likes", {}, 422, ["likes", "partner_of"]),
        ("GET", "/api/facts?status=maybe", {}, 422, ["maybe", "confirmed"]),
        ("GET", "/api/facts?as_of=2010-01-01&status=maybe", {}, 422, ["maybe", "confirmed"]),
        ("GET", "/api/diff?from=2010-01-01", {}, 422, ["'to'", "required"]),
        ("GET", "/api/diff?from=2012-01-01&to=2010-01-01", {}, 422, ["after", "Swap"]),
        ("GET", "/api/entities", {}, 422, ["'q'", "required"]),
        ("GET", "/api/entities?q=" + "x" * 300, {}, 422, ["'q'", "200"]),
        ("GET", "/api/facts?text=" + "x" * 3000, {}, 414, ["query string", "2048"]),
        ("POST", "/api/facts", {}, 405, ["POST", "only reads"]),
        ("DELETE", "/api/entities/Renault", {}, 405, ["DELETE"]),
        ("POST", "/api/facts", {"content": b"DROP TABLE facts"}, 413, ["body"]),
    ],
)
def test_serve_errors_have_one_shape(client, method, url, kwargs, status, words):
    response = client.request(method, url, **kwargs)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"ok", "error", "status"}
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str)
    for word in words:
        assert word in body["error"]


class _Broken:
    """A graph whose every read fails as a bug would."""

    def __getattr__(self, name: str):
        def fail(*args, **kwargs):
            raise RuntimeError("secret internal detail")

        return fail


@pytest.mark.parametrize("url", ["/api/facts", "/api/stats", "/api/entities/Renault"])
def test_serve_internal_error_has_the_shape_and_hides_details(serve_db, url):
    app = create_app(serve_db)
    app.state.graph = _Broken()
    response = TestClient(app, raise_server_exceptions=False).get(url)
    assert response.status_code == 500
    body = response.json()
    assert body == {"ok": False, "status": 500, "error": body["error"]}
    assert "RuntimeError" in body["error"] and "secret" not in body["error"]


@pytest.mark.parametrize("url,status", [("/entity/Renualt", 404), ("/no/such/page", 404)])
def test_serve_page_renders_the_error_dict(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="error"' in response.text and f'data-status="{status}"' in response.text
    if "Renualt" in url:
        assert "Did you mean" in response.text and '<a href="/entity/Renault">Renault</a>' in response.text


# -- pagination ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/facts",
        "/api/facts?entity=Renault",
        "/api/entities?q=Re",
        "/api/entities/Renault/timeline",
        "/api/diff?from=1990-01-01&to=2020-01-01",
        "/api/facts/{fact}/evidence",
        "/api/entities/Renault/partners",
        "/api/path?from=Carlos%20Ghosn&to=Mitsubishi%20Motors",
    ],
)
def test_serve_every_list_is_a_page(client, url):
    if "{fact}" in url:
        url = url.format(fact=client.get("/api/facts?entity=Nissan&relation=owns").json()["items"][0]["id"])
    sep = "&" if "?" in url else "?"
    everything = client.get(f"{url}{sep}limit={MAX_PAGE}").json()
    assert {"items", "total", "limit", "offset"} <= set(everything)
    assert everything["total"] == len(everything["items"]) >= 1
    pages = [client.get(f"{url}{sep}limit=2&offset={o}").json() for o in range(0, everything["total"], 2)]
    assert all(p["limit"] == 2 and p["total"] == everything["total"] for p in pages)
    assert [item for p in pages for item in p["items"]] == everything["items"]
    beyond = client.get(f"{url}{sep}limit=2&offset={everything['total'] + 5}").json()
    assert beyond["items"] == [] and beyond["total"] == everything["total"]


@pytest.mark.parametrize("limit,offset,expected", [(None, None, 12), (5, 0, 5), (5, 10, 2), (0, 0, 0)])
def test_serve_facts_page_sizes(client, limit, offset, expected):
    params = {k: v for k, v in {"limit": limit, "offset": offset}.items() if v is not None}
    page = client.get("/api/facts", params=params).json()
    assert (len(page["items"]), page["total"]) == (expected, 12)
    assert page["limit"] == (50 if limit is None else limit)


# -- routes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q,first",
    [
        ("Renault", "org:renault"),
        ("renault", "org:renault"),
        ("Niss", "org:nissan"),
        ("Daimler", "org:mercedes-benz-group"),
    ],
)
def test_serve_search_suggests_entities(client, q, first):
    page = client.get("/api/entities", params={"q": q, "limit": 5}).json()
    assert page["items"][0]["id"] == first
    assert set(page["items"][0]) == {"id", "name", "type", "matched"}


@pytest.mark.parametrize("name", ["Renault", "renault", "org:renault", "Renault SA"])
def test_serve_profile(client, name):
    profile = client.get(f"/api/entities/{name}").json()
    assert (profile["id"], profile["name"], profile["type"]) == ("org:renault", "Renault", "ORG")
    assert {"partner_of", "owns", "supplies", "manufactures", "operates"} <= set(profile["facts"])
    partners = {f["head_id"] for f in profile["facts"]["partner_of"]} | {
        f["tail_id"] for f in profile["facts"]["partner_of"]
    }
    assert {"org:nissan", "org:mercedes-benz-group", "org:general-motors", "org:ford"} < partners


@pytest.mark.parametrize(
    "as_of,present,absent",
    [
        ("1998-12-31", set(), {"org:nissan"}),
        ("2001-01-01", {"org:nissan"}, {"org:general-motors", "org:mercedes-benz-group"}),
        ("2008-01-01", {"org:nissan", "org:general-motors", "org:ford"}, {"org:mercedes-benz-group"}),
        ("2011-01-01", {"org:nissan", "org:mercedes-benz-group"}, {"vehicle:renault-clio"}),
        (None, {"org:nissan", "org:mercedes-benz-group", "vehicle:renault-clio"}, set()),
    ],
)
def test_serve_facts_as_of(client, as_of, present, absent):
    params = {"entity": "Renault", "limit": MAX_PAGE} | ({"as_of": as_of} if as_of else {})
    page = client.get("/api/facts", params=params).json()
    linked = {f["head_id"] for f in page["items"]} | {f["tail_id"] for f in page["items"]}
    assert present <= linked and not absent & linked
    profile = client.get("/api/entities/Renault", params={"as_of": as_of} if as_of else {}).json()
    in_profile = {f["id"] for group in profile["facts"].values() for f in group}
    assert in_profile == {f["id"] for f in page["items"]}
    assert profile["as_of"] == as_of


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"entity": "Renault", "status": "reported"}, {("partner_of", "org:general-motors", "org:renault")}),
        ({"entity": "Renault", "status": "denied"}, {("partner_of", "org:ford", "org:renault")}),
        (
            {"relation": "owns", "entity": "Nissan"},
            {("owns", "org:renault", "org:nissan"), ("owns", "org:nissan", "org:mitsubishi-motors")},
        ),
        ({"text": "diesel"}, {("supplies", "org:renault", "org:mercedes-benz-group")}),
        ({"text": "FLINS", "relation": "operates"}, {("operates", "org:renault", "plant:renault-flins")}),
        ({"text": "diesel", "as_of": "2009-01-01"}, set()),
        ({"entity": "Renault", "status": "reported", "as_of": "2005-01-01"}, set()),
        (
            {"entity": "Renault", "status": "reported", "as_of": "2007-01-01"},
            {("partner_of", "org:general-motors", "org:renault")},
        ),
    ],
)
def test_serve_facts_filters(client, params, expected):
    page = client.get("/api/facts", params=params | {"limit": MAX_PAGE}).json()
    assert {(f["relation"], f["head_id"], f["tail_id"]) for f in page["items"]} == expected
    assert page["total"] == len(expected)


@pytest.mark.parametrize(
    "params,first,last,relations",
    [
        ({}, "1999-03-27", "2010-04-07", {"partner_of", "owns"}),
        (
            {"relation": ["operates", "manufactures"]},
            "2012-09-20",
            "2012-09-20",
            {"operates", "manufactures"},
        ),
    ],
)
def test_serve_timeline_is_oldest_first(client, params, first, last, relations):
    events = client.get("/api/entities/Renault/timeline", params=params | {"limit": MAX_PAGE}).json()["items"]
    dates = [e["date"] for e in events]
    assert dates == sorted(dates) and (dates[0], dates[-1]) == (first, last)
    assert {e["fact"]["relation"] for e in events} == relations
    assert {"kind", "summary", "dated_by"} <= set(events[0])


@pytest.mark.parametrize(
    "start,end,entity,appeared",
    [
        (
            "2005-01-01",
            "2011-01-01",
            "Renault",
            {"org:mercedes-benz-group", "org:general-motors", "org:ford"},
        ),
        ("2011-01-01", "2020-01-01", "Nissan", {"org:mitsubishi-motors"}),
        ("2011-01-01", "2011-06-01", None, set()),
    ],
)
def test_serve_diff(client, start, end, entity, appeared):
    params = {"from": start, "to": end, "limit": MAX_PAGE} | ({"entity": entity} if entity else {})
    body = client.get("/api/diff", params=params).json()
    assert (body["start"], body["end"], body["entity"]) == (start, end, entity)
    changes = body["items"]
    assert {c["change"] for c in changes} <= {"appeared"}
    linked = {c["fact"]["head_id"] for c in changes} | {c["fact"]["tail_id"] for c in changes}
    assert appeared <= linked
    assert bool(changes) == bool(appeared)


@pytest.mark.parametrize(
    "as_of,partners",
    [
        ("2001-01-01", {"org:nissan"}),
        ("2008-01-01", {"org:nissan", "org:general-motors", "org:ford"}),
        (None, {"org:nissan", "org:general-motors", "org:ford", "org:mercedes-benz-group"}),
    ],
)
def test_serve_partners_as_of(client, as_of, partners):
    params = {"as_of": as_of} if as_of else {}
    page = client.get("/api/entities/Renault/partners", params=params).json()
    assert {p["partner_id"] for p in page["items"]} >= partners
    assert "org:mercedes-benz-group" not in {p["partner_id"] for p in page["items"]} or as_of is None


@pytest.mark.parametrize(
    "source,target,hops",
    [("Carlos Ghosn", "Mitsubishi Motors", ["org:nissan", "org:mitsubishi-motors"]), ("Ford", "Ford", [])],
)
def test_serve_path(client, source, target, hops):
    steps = client.get("/api/path", params={"from": source, "to": target}).json()["items"]
    assert [s["target_id"] for s in steps] == hops


@pytest.mark.parametrize(
    "relation,entity,head_word,tail_word",
    [
        ("supplies", "Renault", "Renault", "Daimler"),
        ("owns", "Mitsubishi Motors", "Nissan", "Mitsubishi Motors"),
        ("role_at", "Nissan", "Carlos Ghosn", "Nissan"),
    ],
)
def test_serve_evidence_highlights_head_and_tail(client, relation, entity, head_word, tail_word):
    fact = client.get("/api/facts", params={"entity": entity, "relation": relation}).json()["items"][0]
    page = client.get(f"/api/facts/{fact['id']}/evidence").json()
    assert page["fact"]["id"] == fact["id"]
    [item] = page["items"]
    assert {"title", "published", "url", "sentence", "highlights"} <= set(item)
    marked = {(h["role"], item["sentence"][h["start"] : h["end"]]) for h in item["highlights"]}
    assert ("head", head_word) in marked and ("tail", tail_word) in marked
    assert all(item["sentence"][h["start"] : h["end"]] == h["text"] for h in item["highlights"])


@pytest.mark.parametrize(
    "format,media,check",
    [
        ("jsonl", "application/x-ndjson", lambda body: len(body.decode().splitlines()) == 12),
        ("csv", "text/csv", lambda body: body.decode().count("\n") >= 13),
        ("graphml", "application/graphml+xml", lambda body: b"<graphml" in body and b"org:renault" in body),
        ("turtle", "text/turtle", lambda body: b"@prefix" in body),
        ("jsonld", "application/ld+json", lambda body: isinstance(json.loads(body), (list, dict))),
        ("neo4j", "application/zip", lambda body: len(zipfile.ZipFile(io.BytesIO(body)).namelist()) >= 3),
    ],
)
def test_serve_exports(client, format, media, check):
    response = client.get(f"/api/export/{format}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert "attachment" in response.headers["content-disposition"]
    assert check(response.content)


def test_serve_offers_every_export_format():
    from alliancegraph.export import FORMATS
    from alliancegraph.serve.rest import EXPORTS

    assert set(EXPORTS) == set(FORMATS)


def test_serve_openapi_lists_the_routes(client):
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {
        "/api/entities",
        "/api/entities/{name}",
        "/api/entities/{name}/timeline",
        "/api/facts",
        "/api/facts/{fact_id}/evidence",
        "/api/diff",
        "/api/export/{format}",
    } <= paths


@pytest.mark.parametrize(
    "url,marker", [("/", 'id="home"'), ("/entity/Renault", 'data-entity-id="org:renault"')]
)
def test_serve_pages(client, url, marker):
    response = client.get(url)
    assert response.status_code == 200 and marker in response.text
    assert '<a href="/api/export/turtle" download>' in response.text
    assert "default-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/static/app.js", "/static/app.css"])
def test_serve_static_files(client, path):
    assert client.get(path).status_code == 200


# -- read-only -------------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["plain", "with space", "hash#and?query"])
def test_serve_opens_the_store_read_only(serve_db, tmp_path, folder):
    db = tmp_path / folder / "graph.db"
    db.parent.mkdir()
    with sqlite3.connect(serve_db) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    url = readonly_url(db)
    assert url.startswith("sqlite:///file") and url.endswith("?mode=ro&uri=true")
    before = db.read_bytes()
    app = create_app(str(db))
    client = TestClient(app)
    assert client.get("/api/facts", params={"entity": "Renault"}).json()["total"] == 9
    from alliancegraph.model import Article

    with pytest.raises(StoreError, match="(?i)read.?only"):
        app.state.graph.store.write_article(Article(id="x", text="Renault."), [])
    assert db.read_bytes() == before


@pytest.mark.parametrize("db", ["missing.db", "sqlite:///missing.db"])
def test_serve_refuses_a_missing_store(tmp_path, monkeypatch, db):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match="No store"):
        create_app(db)
    assert not (tmp_path / "missing.db").exists()


def test_serve_takes_an_open_graph(serve_store):
    with open_graph(serve_store) as graph:
        client = TestClient(create_app(graph))
        assert client.get("/api/stats").json()["facts"] == 12


@pytest.mark.parametrize("args", [["serve", "-h"]])
def test_serve_cli_help_ends_with_an_example(args):
    result = CliRunner().invoke(cli_app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Example: alliancegraph serve" in result.output


def test_serve_cli_reports_a_missing_store(tmp_path):
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "No store" in result.output


def test_serve_vendor_libraries_are_built():
    vendor = Path(__file__).parents[1] / "src" / "alliancegraph" / "serve" / "web" / "static" / "vendor"
    if not (vendor / ".built").exists():
        pytest.skip("run `make web` to install the web explorer's libraries")
    assert (vendor / "cytoscape.esm.min.js").stat().st_size > 100_000
    assert (vendor / "vis-timeline.esm.min.js").stat().st_size > 100_000
