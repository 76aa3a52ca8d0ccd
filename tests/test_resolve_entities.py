"""Resolving mention names to entities, and the facts of one document to de-duplicated resolved facts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alliancegraph.model import Evidence, Fact
from alliancegraph.resolve.entities import Resolver, canonical_key, resolve_facts
from alliancegraph.resolve.knowledge import load_knowledge

BLANK = {"aliases": [], "parent": None, "country": None, "wikidata": None, "founded": None, "dissolved": None}
"""The fields of a knowledge entry that most test entries leave empty."""

KNOWN = [
    {
        "id": "org:general-motors",
        "name": "General Motors",
        "type": "ORG",
        "kind": "automaker",
        "aliases": ["GM", "General Motors Company"],
        "wikidata": "Q81965",
    },
    {
        "id": "org:opel",
        "name": "Opel",
        "type": "ORG",
        "kind": "brand",
        "aliases": ["Adam Opel"],
        "parent": "org:general-motors",
    },
    {"id": "org:daimler", "name": "Daimler", "type": "ORG", "kind": "automaker", "aliases": []},
    {
        "id": "org:mercedes-benz",
        "name": "Mercedes-Benz",
        "type": "ORG",
        "kind": "brand",
        "aliases": ["Mercedes"],
        "parent": "org:daimler",
    },
    {"id": "org:nissan", "name": "Nissan", "type": "ORG", "kind": "automaker", "aliases": ["Nissan Motor"]},
]


@pytest.fixture
def resolver(tmp_path: Path) -> Resolver:
    path = tmp_path / "knowledge.jsonl"
    path.write_text("".join(json.dumps({**BLANK, **k}) + "\n" for k in KNOWN), encoding="utf-8")
    return Resolver(load_knowledge(path))


def _fact(
    relation: str,
    head: str,
    tail: str | None,
    sentence: str = "Sentence one.",
    start: int = 0,
    doc: str = "d1",
    **kw: object,
) -> Fact:
    return Fact(
        relation=relation,
        head=head,
        tail=tail,
        evidence=Evidence(doc=doc, text=sentence, start=start, end=start + len(sentence)),
        **kw,
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name,type,expected_id,expected_name",
    [
        ("GM", "ORG", "org:general-motors", "General Motors"),
        ("General Motors Corp", "ORG", "org:general-motors", "General Motors"),
        ("General Motors Corp.", None, "org:general-motors", "General Motors"),
        ("general motors", "org", "org:general-motors", "General Motors"),
        ("Mercedes-Benz", "ORG", "org:mercedes-benz", "Mercedes-Benz"),
        ("Kestrel", "ORG", "org:~kestrel", "Kestrel"),
        ("Mercedes-Benz pickup", "VEHICLE", "vehicle:~mercedes-benz-pickup", "Mercedes-Benz pickup"),
        ("Mercedes-Benz", "VEHICLE", "vehicle:~mercedes-benz", "Mercedes-Benz"),
    ],
)
def test_resolve_maps_names_to_entities(resolver, name, type, expected_id, expected_name):
    entity = resolver.resolve(name, type)
    assert (entity.id, entity.name) == (expected_id, expected_name)


@pytest.mark.parametrize(
    "names",
    [
        (
            ("GM", "ORG"),
            ("General Motors Corp", "ORG"),
            ("General Motors Company", None),
            ("GENERAL MOTORS", "ORG"),
        ),
        (("Acme Motors Corp.", "ORG"), ("Acme Motors", "ORG"), ("ACME MOTORS", "ORG")),
    ],
)
def test_resolve_merges_variants_into_one_entity(resolver, names):
    ids = {resolver.resolve(name, type).id for name, type in names}
    assert len(ids) == 1


@pytest.mark.parametrize(
    "first,second",
    [
        (("Mercedes-Benz", "ORG"), ("Mercedes-Benz", "VEHICLE")),
        (("Acme", "ORG"), ("Acme", "PLANT")),
        (("GM", "ORG"), ("GM", "PERSON")),
    ],
)
def test_resolve_keeps_types_apart(resolver, first, second):
    a, b = resolver.resolve(*first), resolver.resolve(*second)
    assert a.id != b.id
    assert (a.type, b.type) == (first[1], second[1])


@pytest.mark.parametrize(
    "name,parent,wikidata,alias",
    [("Adam Opel", "org:general-motors", None, "Adam Opel"), ("GM", None, "Q81965", "GM")],
)
def test_resolve_known_entity_carries_knowledge(resolver, name, parent, wikidata, alias):
    entity = resolver.resolve(name, "ORG")
    assert (entity.parent, entity.wikidata) == (parent, wikidata)
    assert alias in entity.aliases


@pytest.mark.parametrize(
    "relation,type,expected_type",
    [
        ("produced_at", None, "PLANT"),
        ("role_at", None, "ORG"),
        ("market", None, "PLACE"),
        ("market", "ORG", "ORG"),
    ],
)
def test_resolve_facts_types_unknown_tails_by_relation(resolver, relation, type, expected_type):
    [resolved] = resolve_facts([_fact(relation, "Someone", "Zorvik", tail_type=type)], resolver)
    assert resolved.tail is not None
    assert resolved.tail.type == expected_type


@pytest.mark.parametrize(
    "facts,expected",
    [
        # symmetric relations are order-free
        (
            [
                _fact("partner_of", "GM", "Nissan"),
                _fact("partner_of", "Nissan Motor", "General Motors", "Two.", 14),
            ],
            [("partner_of", "org:general-motors", "org:nissan", 0)],
        ),
        # owns(A, B) is part_of(B, A)
        (
            [_fact("owns", "GM", "Opel"), _fact("part_of", "Adam Opel", "General Motors Corp", "Two.", 14)],
            [("owns", "org:general-motors", "org:opel", 0)],
        ),
        # the first evidence is kept
        (
            [
                _fact("develops", "Daimler", "Mercedes-Benz pickup", "Later.", 30, tail_type="VEHICLE"),
                _fact("develops", "Daimler", "Mercedes-Benz pickup", "Earlier.", 5, tail_type="VEHICLE"),
            ],
            [("develops", "org:daimler", "vehicle:~mercedes-benz-pickup", 30)],
        ),
        # a vehicle named after a brand is not the brand
        (
            [
                _fact("develops", "Daimler", "Mercedes-Benz", tail_type="VEHICLE"),
                _fact("develops", "Daimler", "Mercedes"),
            ],
            [
                ("develops", "org:daimler", "vehicle:~mercedes-benz", 0),
                ("develops", "org:daimler", "org:mercedes-benz", 0),
            ],
        ),
        # the same fact in two documents is two resolved facts (one per document)
        (
            [_fact("owns", "GM", "Opel"), _fact("owns", "GM", "Opel", doc="d2")],
            [("owns", "org:general-motors", "org:opel", 0), ("owns", "org:general-motors", "org:opel", 0)],
        ),
        # a fact between an entity and itself says nothing
        ([_fact("owns", "GM", "General Motors Corp")], []),
        # launch without a market
        ([_fact("launch", "Zorvik Z1", None)], [("launch", "vehicle:~zorvik-z1", None, 0)]),
    ],
)
def test_resolve_facts_drops_duplicates_within_a_document(resolver, facts, expected):
    resolved = resolve_facts(facts, resolver)
    got = [
        (*canonical_key(r.fact.relation, r.head.id, r.tail.id if r.tail else None), r.fact.evidence.start)
        for r in resolved
    ]
    assert got == expected


@pytest.mark.parametrize(
    "relation,head,tail,expected",
    [
        ("partner_of", "b", "a", ("partner_of", "a", "b")),
        ("partner_of", "a", "b", ("partner_of", "a", "b")),
        ("part_of", "brand", "group", ("owns", "group", "brand")),
        ("owns", "group", "brand", ("owns", "group", "brand")),
        ("joint_venture_of", "jv", "parent", ("joint_venture_of", "jv", "parent")),
        ("launch", "car", None, ("launch", "car", None)),
    ],
)
def test_canonical_key(relation, head, tail, expected):
    assert canonical_key(relation, head, tail) == expected
