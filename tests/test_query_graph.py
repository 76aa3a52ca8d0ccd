"""The read API: facts with filters, entity profiles, search, stats and the interchange output."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from alliancegraph.errors import EntityNotFound, InvalidQuery, StoreError
from alliancegraph.model import Article, Evidence, Fact
from alliancegraph.query import EntityProfile, FactView, open_graph
from alliancegraph.resolve.entities import Resolver, resolve_facts
from alliancegraph.resolve.knowledge import load_knowledge
from alliancegraph.store import Store

BLANK = {"aliases": [], "parent": None, "country": None, "wikidata": None, "founded": None, "dissolved": None}
"""The fields of a knowledge entry that most test entries leave empty."""

KNOWN = [
    {
        "id": "org:general-motors",
        "name": "General Motors",
        "type": "ORG",
        "kind": "automaker",
        "aliases": ["GM"],
        "wikidata": "Q81965",
    },
    {
        "id": "org:opel",
        "name": "Opel",
        "type": "ORG",
        "kind": "brand",
        "aliases": [],
        "parent": "org:general-motors",
    },
    {"id": "org:nissan", "name": "Nissan", "type": "ORG", "kind": "automaker", "aliases": []},
]

# (doc, published, [(sentence, relation, head, tail, extra fact fields)])
ARTICLES = [
    (
        "a1",
        date(2009, 5, 4),
        [
            ("GM owns Opel.", "owns", "GM", "Opel", {}),
            ("GM and Nissan are said to be in talks.", "partner_of", "GM", "Nissan", {"status": "reported"}),
            (
                "Lena Varga runs General Motors Corp.",
                "role_at",
                "Lena Varga",
                "General Motors Corp",
                {"head_type": "PERSON", "attributes": (("title", "chief executive"),)},
            ),
        ],
    ),
    (
        "a2",
        date(2010, 1, 20),
        [
            ("Opel is a unit of General Motors.", "part_of", "Opel", "General Motors", {}),
            (
                "Nissan will build the Pelican van.",
                "manufactures",
                "Nissan",
                "Pelican van",
                {"future": True, "tail_type": "VEHICLE"},
            ),
            (
                "Nissan denied a tie-up with Kestrel Autos.",
                "partner_of",
                "Nissan",
                "Kestrel Autos",
                {"status": "denied"},
            ),
        ],
    ),
]


@pytest.fixture
def graph_db(tmp_db: str, tmp_path: Path) -> str:
    path = tmp_path / "knowledge.jsonl"
    path.write_text("".join(json.dumps({**BLANK, **k}) + "\n" for k in KNOWN), encoding="utf-8")
    resolver = Resolver(load_knowledge(path))
    with Store.open(tmp_db) as store:
        for doc, published, specs in ARTICLES:
            art = Article(
                id=doc, text=" ".join(s for s, *_ in specs), title=f"About {doc}", published=published
            )
            facts = []
            for sentence, relation, head, tail, extra in specs:
                start = art.text.index(sentence)
                ev = Evidence(doc=doc, text=sentence, start=start, end=start + len(sentence))
                facts.append(Fact(relation=relation, head=head, tail=tail, evidence=ev, **extra))
            store.write_article(art, resolve_facts(facts, resolver))
    return tmp_db


def _pairs(views: list[FactView]) -> list[tuple[str, str, str | None]]:
    return sorted((v.relation, v.head, v.tail) for v in views)


@pytest.mark.parametrize(
    "filters,expected",
    [
        (
            {},
            [
                ("manufactures", "Nissan", "Pelican van"),
                ("owns", "General Motors", "Opel"),
                ("partner_of", "General Motors", "Nissan"),
                ("partner_of", "Nissan", "Kestrel Autos"),
                ("role_at", "Lena Varga", "General Motors"),
            ],
        ),
        ({"entity": "Opel"}, [("owns", "General Motors", "Opel")]),
        ({"entity": "gm", "relation": "partner_of"}, [("partner_of", "General Motors", "Nissan")]),
        ({"entity": "Nissan", "status": "denied"}, [("partner_of", "Nissan", "Kestrel Autos")]),
        ({"relation": "part_of"}, [("owns", "General Motors", "Opel")]),
        ({"status": "reported"}, [("partner_of", "General Motors", "Nissan")]),
        ({"relation": "launch"}, []),
    ],
)
def test_query_facts_filters(graph_db, filters, expected):
    with open_graph(graph_db) as graph:
        assert _pairs(graph.facts(**filters)) == expected


@pytest.mark.parametrize("limit,offset,expected", [(2, 0, 2), (2, 4, 1), (0, 0, 0), (None, 3, 2)])
def test_query_facts_pages(graph_db, limit, offset, expected):
    with open_graph(graph_db) as graph:
        everything = graph.facts()
        page = graph.facts(limit=limit, offset=offset)
    assert len(page) == expected
    assert [v.id for v in page] == [v.id for v in everything][offset : offset + expected]


@pytest.mark.parametrize(
    "filters,error",
    [
        ({"relation": "likes"}, InvalidQuery),
        ({"status": "maybe"}, InvalidQuery),
        ({"limit": -1}, InvalidQuery),
        ({"offset": -3}, InvalidQuery),
        ({"entity": "Volvo"}, EntityNotFound),
    ],
)
def test_query_facts_rejects_bad_filters(graph_db, filters, error):
    with open_graph(graph_db) as graph, pytest.raises(error):
        graph.facts(**filters)


@pytest.mark.parametrize("name", ["General Motors", "GM", "gm", "General Motors Corp.", "org:general-motors"])
def test_query_entity_profile_groups_facts_by_relation(graph_db, name):
    with open_graph(graph_db) as graph:
        profile = graph.entity(name)
    assert isinstance(profile, EntityProfile)
    assert (profile.id, profile.name, profile.type, profile.kind, profile.wikidata) == (
        "org:general-motors",
        "General Motors",
        "ORG",
        None,
        "Q81965",
    )
    assert {"GM", "General Motors Corp"} <= set(profile.aliases)
    assert {rel: [(f.head, f.tail) for f in group] for rel, group in profile.facts.items()} == {
        "owns": [("General Motors", "Opel")],
        "partner_of": [("General Motors", "Nissan")],
        "role_at": [("Lena Varga", "General Motors")],
    }
    [owns] = profile.facts["owns"]
    assert [(e.doc, e.published) for e in owns.evidence] == [
        ("a1", date(2009, 5, 4)),
        ("a2", date(2010, 1, 20)),
    ]
    json.dumps(profile.to_dict())


@pytest.mark.parametrize(
    "name,parent,kind", [("Opel", "General Motors", None), ("Pelican van", None, "derived")]
)
def test_query_entity_profile_names_parent(graph_db, name, parent, kind):
    with open_graph(graph_db) as graph:
        profile = graph.entity(name)
    assert (profile.parent, profile.kind) == (parent, kind)


@pytest.mark.parametrize(
    "name,suggestion",
    [
        ("Genral Motors", "General Motors"),
        ("Nisan", "Nissan"),
        ("Kestrel", "Kestrel Autos"),
        ("Pelican", "Pelican van"),
    ],
)
def test_query_unknown_entity_raises_with_suggestions(graph_db, name, suggestion):
    with open_graph(graph_db) as graph, pytest.raises(EntityNotFound) as caught:
        graph.entity(name)
    assert caught.value.name == name
    assert suggestion in caught.value.suggestions
    assert suggestion in str(caught.value)


@pytest.mark.parametrize(
    "text,first,contains",
    [
        ("gen", "General Motors", {"General Motors"}),
        ("ss", "Nissan", {"Nissan"}),
        ("o", None, {"General Motors", "Opel", "Kestrel Autos"}),
        ("zzz", None, set()),
    ],
)
def test_query_search_prefix_then_substring(graph_db, text, first, contains):
    with open_graph(graph_db) as graph:
        hits = graph.search(text, limit=10)
    names = [h.name for h in hits]
    assert len(names) == len(set(names))
    assert contains <= set(names)
    if first:
        assert names[0] == first
    json.dumps([h.to_dict() for h in hits])


@pytest.mark.parametrize("limit", [1, 2])
def test_query_search_limit(graph_db, limit):
    with open_graph(graph_db) as graph:
        assert len(graph.search("n", limit=limit)) == limit


@pytest.mark.parametrize("expected", [{"documents": 2, "entities": 6, "facts": 5, "evidence": 6, "stories": 2}])
def test_query_stats(graph_db, expected):
    with open_graph(graph_db) as graph:
        assert graph.stats().to_dict() == expected


@pytest.mark.parametrize(
    "doc,relations",
    [
        ("a1", ["owns", "partner_of", "role_at"]),
        ("a2", ["part_of", "manufactures", "partner_of"]),
        ("nope", []),
    ],
)
def test_query_interchange_per_document(graph_db, doc, relations):
    with open_graph(graph_db) as graph:
        rows = list(graph.interchange(doc))
    assert [r["relation"] for r in rows] == relations
    for row in rows:
        assert row["doc"] == doc
        assert set(row) >= {"doc", "relation", "head", "tail", "status", "future", "time", "evidence"}


@pytest.mark.parametrize("view", ["facts", "stats"])
def test_query_results_are_json(graph_db, view):
    with open_graph(graph_db) as graph:
        result = graph.facts() if view == "facts" else [graph.stats()]
    text = json.dumps([r.to_dict() for r in result])
    assert json.loads(text)


@pytest.mark.parametrize("missing", ["absent.db"])
def test_open_graph_does_not_create_a_store(tmp_path, missing):
    with pytest.raises(StoreError, match=missing):
        open_graph(tmp_path / missing)
    assert not (tmp_path / missing).exists()
