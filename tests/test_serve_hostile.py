"""The REST API against hostile requests: oversized and malformed ones get the one error shape
``{"ok": false, "error", "status"}``, and no parameter can make the store run SQL of the caller's
choosing. The app here serves a store opened read-write, so that a successful injection could
change it; the store is compared before and after.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import build_serve_store
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_dump import dump

from alliancegraph.query import open_graph
from alliancegraph.resolve.knowledge import normalize_name
from alliancegraph.serve import create_app
from alliancegraph.serve.app import MAX_QUERY_STRING
from alliancegraph.serve.rest import MAX_PAGE, MAX_TEXT

IN_CI = bool(os.environ.get("CI"))


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return Path(build_serve_store(str(tmp_path_factory.mktemp("hostile") / "graph.db")))


@pytest.fixture(scope="module")
def client(db):
    graph = open_graph(db)  # read-write: SQLite would not refuse an injected write
    yield TestClient(create_app(graph), raise_server_exceptions=False)
    graph.close()


@pytest.fixture(scope="module")
def stored(db, client) -> dict:
    """The store and its stats before any hostile request."""
    return {"rows": dump(db), "stats": client.get("/api/stats").json()}


def check_error(response, status: int | tuple[int, ...], *words: str) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    body = response.json()
    assert set(body) == {"ok", "error", "status"}, body
    assert body["ok"] is False and body["status"] == response.status_code
    assert isinstance(body["error"], str) and body["error"].endswith((".", "?")), body
    for word in words:
        assert word in body["error"], (word, body["error"])
    return body


# -- oversized and malformed requests --------------------------------------------------------------


@pytest.mark.parametrize(
    "url,status,words",
    [
        # huge query strings
        ("/api/facts?text=" + "x" * 5000, 414, ["query string", str(MAX_QUERY_STRING)]),
        ("/api/entities?q=" + "%41" * 700, 414, ["query string"]),
        ("/api/facts?" + "&".join(["relation=owns"] * 200), 414, ["Shorten"]),
        # huge or malformed page sizes
        ("/api/facts?limit=1000000000000", 422, ["limit", str(MAX_PAGE), "offset"]),
        (f"/api/facts?limit={MAX_PAGE + 1}", 422, ["limit", str(MAX_PAGE)]),
        ("/api/entities?q=Re&limit=99999999999999999999999999", 422, ["limit"]),
        ("/api/facts?limit=1e3", 422, ["limit", "1e3"]),
        ("/api/facts?limit=", 422, ["limit"]),
        ("/api/facts?limit=-1", 422, ["limit"]),
        ("/api/facts?offset=10000000000", 422, ["offset"]),
        ("/api/facts?offset=0x10", 422, ["offset", "0x10"]),
        ("/api/path?from=Renault&to=Nissan&max_hops=1000", 422, ["max_hops"]),
        ("/api/path?from=Renault&to=Nissan&max_hops=two", 422, ["max_hops", "two"]),
        # bad dates
        ("/api/facts?as_of=2013-02-30", 422, ["as_of", "2013-02-30", "YYYY-MM-DD"]),
        ("/api/facts?as_of=99999-01-01", 422, ["as_of", "YYYY-MM-DD"]),
        ("/api/facts?as_of=0000-00-00", 422, ["as_of"]),
        ("/api/facts?as_of=2013-01-01T25:00", 422, ["as_of"]),
        ("/api/entities/Renault?as_of=%00", 422, ["as_of"]),
        ("/api/entities/Renault/partners?as_of=yesterday", 422, ["as_of", "YYYY-MM-DD"]),
        ("/api/diff?from=2013-13-01&to=2014-01-01", 422, ["from", "YYYY-MM-DD"]),
        ("/api/diff?from=2014-01-01&to=1999-01-01", 422, ["Swap"]),
        # unknown parameters, and parameters of the wrong type
        ("/api/facts?limt=5", 422, ["Unknown parameter 'limt'", "limit"]),
        ("/api/entities?q=Re&sort=name", 422, ["Unknown parameter 'sort'", "It takes: limit, offset, q"]),
        ("/api/facts?order=desc;DROP%20TABLE%20facts", 422, ["Unknown parameter 'order'"]),
        ("/api/stats?verbose=1", 422, ["It takes: no parameters"]),
        ("/api/facts?relation=1", 422, ["Unknown relation '1'"]),
        ("/api/facts?status=true", 422, ["Unknown status 'true'"]),
        ("/api/facts?status=" + "s" * 41, 422, ["status"]),
        ("/api/entities/Renault/timeline?relation=" + "&relation=".join(["owns"] * 20), 422, ["relation"]),
        # names and ids too long for what they are
        ("/api/entities/" + "x" * (MAX_TEXT + 1), 422, ["name", str(MAX_TEXT)]),
        ("/api/facts/" + "f" * 65, 422, ["fact_id"]),
        ("/api/export/" + "csv" * 10, 422, ["format"]),
        # unknown things
        ("/api/export/..%2F..%2Fetc%2Fpasswd", 404, ["No such page"]),
        ("/api/export/passwd", 404, ["No export format 'passwd'", "jsonl"]),
        ("/api/nowhere?x=1", 404, ["No such page"]),
        # control characters: SQLite would read "Renault\0..." as "Renault"
        ("/api/facts/%00/evidence", 422, ["'fact_id'", "control character U+0000"]),
        ("/api/export/csv%00", 422, ["'format'", "U+0000"]),
        ("/api/entities/Renault%00'%20OR%20'1'='1", 422, ["'name'", "U+0000"]),
        ("/api/entities?q=Renault%00x", 422, ["'q'", "U+0000"]),
        ("/api/facts?text=a%0Ab", 422, ["'text'", "U+000A"]),
    ],
)
def test_serve_hostile_request_gets_the_error_shape(client, url, status, words):
    check_error(client.get(url), status, *words)


@pytest.mark.parametrize("url", ["/static/..%2F..%2Fapp.py", "/static/%2e%2e/%2e%2e/serve/app.py"])
def test_serve_static_files_stay_in_their_folder(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "create_app" not in response.text


@pytest.mark.parametrize(
    "method,kwargs,status,words",
    [
        (
            "POST",
            {"content": b'{"q": "Renault", ', "headers": {"content-type": "application/json"}},
            413,
            ["body"],
        ),
        ("POST", {"content": b"\xff\xfe{]", "headers": {"content-type": "application/json"}}, 413, ["body"]),
        (
            "GET",
            {"content": b'{"limit": 1e999}', "headers": {"content-type": "application/json"}},
            413,
            ["body"],
        ),
        ("GET", {"content": b"x" * 10_000_000}, 413, ["only reads"]),
        ("GET", {"content": iter([b"chunk"] * 3)}, 413, ["body"]),  # chunked: no length given
        ("GET", {"headers": {"content-length": "-1"}}, 413, ["body"]),
        ("POST", {}, 405, ["only reads"]),
        ("PUT", {}, 405, ["PUT"]),
        ("DELETE", {}, 405, ["DELETE"]),
    ],
)
def test_serve_hostile_bodies_and_methods_are_refused(client, method, kwargs, status, words):
    check_error(client.request(method, "/api/facts", **kwargs), status, *words)


@pytest.mark.parametrize(
    "fact_id", ["0000deadbeef", "' OR '1'='1", "1 UNION SELECT 1", "%", "a..b", "\u00e9"]
)
def test_serve_evidence_of_an_unknown_fact_is_404(client, fact_id):
    for url in (f"/api/facts/{quote(fact_id, safe='')}/evidence", f"/api/facts/{quote(fact_id, safe='')}"):
        body = check_error(client.get(url), 404, "No fact with id", "Fact ids come from /api/facts")
        assert repr(fact_id) in body["error"]


# -- injection -------------------------------------------------------------------------------------

INJECTIONS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR ""="',
    "'; DROP TABLE facts; --",
    "Renault'; DELETE FROM documents; --",
    "Renault' --",
    "1; UPDATE entities SET name = 'pwned'",
    "' UNION SELECT id, name, type, name FROM entities --",
    "Robert'); DROP TABLE entities;--",
    "%",
    "_",
    "%' OR 1=1 --",
    "\\",
    "\\' OR 1=1 --",
    "admin'/*",
    "' AND 1=(SELECT COUNT(*) FROM sqlite_master) --",
    "'||(SELECT name FROM sqlite_master LIMIT 1)||'",
    "Renault\x00' OR '1'='1",
    "1' AND randomblob(1000000000) --",
    "ATTACH DATABASE '/tmp/x.db' AS x; --",
    "$where: '1 == 1'",
    "${jndi:ldap://example.org/a}",
    "<script>alert(1)</script>",
]


def _contains(haystack: str | None, needle: str) -> bool:
    """Whether the search or text filter legitimately matches: the text, or its normalised key."""
    if haystack is None:
        return False
    return needle.strip().lower() in haystack.lower() or normalize_name(needle) in normalize_name(haystack)


@pytest.mark.parametrize("payload", INJECTIONS)
def test_serve_injection_in_text_parameters_matches_only_text(client, db, stored, payload):
    """Searches and text filters treat the payload as text: what they return contains it."""
    if "\x00" in payload:
        check_error(client.get("/api/entities", params={"q": payload}), 422, "control character")
        check_error(client.get("/api/facts", params={"text": payload}), 422, "control character")
        return
    response = client.get("/api/entities", params={"q": payload, "limit": MAX_PAGE})
    assert response.status_code == 200, response.text
    for hit in response.json()["items"]:
        assert _contains(hit["matched"], payload), hit

    response = client.get("/api/facts", params={"text": payload, "limit": MAX_PAGE})
    assert response.status_code == 200, response.text
    for fact in response.json()["items"]:
        texts = [fact["head"], fact["tail"], *(ev["sentence"] for ev in fact["evidence"])]
        assert any(payload.strip().lower() in (t or "").lower() for t in texts), fact["id"]
    assert dump(db) == stored["rows"]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_serve_injection_in_names_and_filters_finds_nothing(client, db, stored, payload):
    """Names, ids, filters and dates holding SQL are unknown names or invalid values: a clean 4xx."""
    name = quote(payload, safe="")
    # The name normaliser reads "Renault' --" as Renault, as it reads "Renault S.A.": a name, not SQL.
    profile = client.get(f"/api/entities/{name}")
    if profile.status_code == 200:
        names = [profile.json()["name"], *profile.json()["aliases"]]
        assert normalize_name(payload) in {normalize_name(n) for n in names}, (payload, names)
    not_found_or_invalid = (200, 404, 422) if profile.status_code == 200 else (404, 422)
    for url, params in [
        (f"/api/entities/{name}", {}),
        (f"/api/entities/{name}/timeline", {}),
        (f"/api/entities/{name}/partners", {}),
        ("/api/facts", {"entity": payload}),
        ("/api/diff", {"from": "1990-01-01", "to": "2020-01-01", "entity": payload}),
        ("/api/path", {"from": payload, "to": "Renault"}),
        ("/api/path", {"from": "Renault", "to": payload}),
    ]:
        response = client.get(url, params=params)
        if response.status_code != 200:
            check_error(response, not_found_or_invalid)
        assert response.status_code in not_found_or_invalid
    for url in (f"/api/facts/{name}", f"/api/facts/{name}/evidence", f"/api/export/{name}"):
        check_error(client.get(url), (404, 422))
    for params in ({"relation": payload}, {"status": payload}, {"as_of": payload}, {payload: "1"}):
        check_error(client.get("/api/facts", params=params), 422)
    check_error(client.get("/api/entities/Renault", params={"as_of": payload}), 422)
    assert dump(db) == stored["rows"]
    assert client.get("/api/stats").json() == stored["stats"]


# -- fuzzing the routes the schema lists -----------------------------------------------------------


def _get_routes(app) -> list[tuple[str, list[dict]]]:
    schema = app.openapi()
    return [
        (path, op.get("parameters", []))
        for path, ops in sorted(schema["paths"].items())
        for method, op in ops.items()
        if method == "get" and not path.startswith("/api/export")  # exports write files; tested above
    ]


VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(INJECTIONS),
    st.integers(-(10**12), 10**12).map(str),
    st.dates().map(str),
    st.sampled_from(["Renault", "Nissan", "owns", "partner_of", "confirmed", "2013-02-30", "", " ", "%00"]),
)


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=IN_CI,
    database=None if IN_CI else settings.default.database,
)
@given(data=st.data())
def test_serve_fuzzed_requests_never_fail_inside(client, db, stored, data):
    """Any values for the parameters a route declares, and an unknown one now and then: a page, a
    profile or an error in the one shape; never a 500."""
    path, parameters = data.draw(st.sampled_from(_get_routes(client.app)))
    params: dict[str, str] = {}
    for param in parameters:
        value = data.draw(VALUES)
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", quote(value, safe="") or "x")
        elif data.draw(st.booleans()):
            params[param["name"]] = value
    if data.draw(st.integers(0, 9)) == 0:
        params[data.draw(st.text(min_size=1, max_size=10))] = data.draw(VALUES)
    response = client.get(path, params=params)
    assert response.status_code < 500, (path, params, response.text[:300])
    if response.status_code >= 400:
        check_error(response, response.status_code)
    else:
        assert response.headers["content-type"].startswith("application/json")
