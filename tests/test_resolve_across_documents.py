"""Resolution across documents: one entity for the variants of one name, never one for two types, and
people told apart by the company they work for."""

from __future__ import annotations

from datetime import date

import pytest

from alliancegraph.model import Article, Evidence, Fact
from alliancegraph.query import open_graph
from alliancegraph.resolve.entities import Resolver, derived_id, person_id, resolve_facts
from alliancegraph.resolve.knowledge import load_knowledge
from alliancegraph.store import Store


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    """The packaged knowledge file, as ingest uses it."""
    return Resolver(load_knowledge())


def _fact(
    relation: str, head: str, tail: str | None, text: str, start: int = 0, doc: str = "d1", **kw: object
) -> Fact:
    evidence = Evidence(doc=doc, text=text, start=start, end=start + len(text))
    return Fact(relation=relation, head=head, tail=tail, evidence=evidence, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "names,expected",
    [
        (
            [
                "GM",
                "General Motors",
                "General Motors Co",
                "General Motors Corp",
                "General Motors Corp.",
                "G.M.",
            ],
            "org:general-motors",
        ),
        (
            ["DaimlerChrysler", "DaimlerChrysler AG", "Daimler-Chrysler", "Daimler Chrysler"],
            "org:daimlerchrysler",
        ),
        (["VW", "Volkswagen AG"], "org:volkswagen-group"),
    ],
)
def test_resolve_known_variants_and_acronyms_meet(resolver, names, expected):
    assert {resolver.resolve(n, "ORG").id for n in names} == {expected}


@pytest.mark.parametrize(
    "a,b",
    [
        ("Daimler", "Chrysler"),
        ("DaimlerChrysler", "Chrysler"),
        ("Daimler", "DaimlerChrysler"),
        ("GM", "Opel"),
    ],
)
def test_resolve_keeps_related_companies_apart(resolver, a, b):
    assert resolver.resolve(a, "ORG").id != resolver.resolve(b, "ORG").id


@pytest.mark.parametrize(
    "names",
    [
        ["Zephyr Motors Corp.", "Zephyr Motor Co", "ZEPHYR MOTORS", "Zephyr", "The Zephyr Group"],
        ["Quillon Automotive S.p.A.", "Quillon Automotive SpA", "quillon automotive"],
        ["Brakk-Tovel AG", "Brakk Tovel"],
    ],
)
def test_resolve_unknown_names_merge_by_normalised_key(resolver, names):
    ids = {resolver.resolve(n, "ORG").id for n in names}
    assert len(ids) == 1 and next(iter(ids)).startswith("org:~")


@pytest.mark.parametrize(
    "name,types",
    [("Zephyr", ("ORG", "VEHICLE", "PLANT", "PERSON")), ("General Motors", ("ORG", "PERSON", "VEHICLE"))],
)
def test_resolve_never_merges_types(resolver, name, types):
    resolved = [resolver.resolve(name, t) for t in types]
    assert len({e.id for e in resolved}) == len(types)
    assert [e.type for e in resolved] == list(types)


@pytest.mark.parametrize(
    "name,company,expected",
    [
        ("Jo Quill", "org:general-motors", "person:~jo-quill@org-general-motors"),
        ("Jo Quill", None, "person:~jo-quill"),
    ],
)
def test_person_id(name, company, expected):
    assert person_id(name, company) == expected


ROLE_A = "Mara Lindqvist, chief executive of General Motors, spoke first."
ROLE_B = "Mara Lindqvist, finance chief of Zephyr Motors, spoke next."


@pytest.mark.parametrize(
    "facts,expected_people",
    [
        # the same name at two companies, in two documents: two people
        (
            [
                [_fact("role_at", "Mara Lindqvist", "General Motors", ROLE_A, head_type="PERSON")],
                [_fact("role_at", "Mara Lindqvist", "Zephyr Motors", ROLE_B, doc="d2", head_type="PERSON")],
            ],
            {"person:~mara-lindqvist@org-general-motors", "person:~mara-lindqvist@org-zephyr"},
        ),
        # the same person at the same company under two company names: one person
        (
            [
                [_fact("role_at", "Mara Lindqvist", "GM", ROLE_A, head_type="PERSON")],
                [
                    _fact(
                        "role_at",
                        "Mara Lindqvist",
                        "General Motors Corp",
                        ROLE_A,
                        doc="d2",
                        head_type="PERSON",
                    )
                ],
            ],
            {"person:~mara-lindqvist@org-general-motors"},
        ),
    ],
)
def test_resolve_people_are_keyed_by_their_company(resolver, facts, expected_people):
    people = {r.head.id for doc_facts in facts for r in resolve_facts(doc_facts, resolver)}
    assert people == expected_people


@pytest.mark.parametrize("relation", ["owns"])
def test_resolve_person_keyed_by_role_in_the_same_document(resolver, relation):
    text = "Mara Lindqvist, chief executive of General Motors, owns a stake in Zephyr Motors."
    facts = [
        _fact(relation, "Mara Lindqvist", "Zephyr Motors", text, head_type="PERSON"),
        _fact("role_at", "Mara Lindqvist", "General Motors", text, head_type="PERSON"),
    ]
    heads = {r.head.id for r in resolve_facts(facts, resolver)}
    assert heads == {"person:~mara-lindqvist@org-general-motors"}


@pytest.mark.parametrize(
    "docs",
    [
        [
            (
                "r1",
                "General Motors Corp and Zephyr Motors formed an alliance.",
                "General Motors Corp",
                "Zephyr Motors",
            ),
            ("r2", "GM and Zephyr Motor Co widened their alliance.", "GM", "Zephyr Motor Co"),
            ("r3", "General Motors Co. deepened its alliance with Zephyr.", "General Motors Co.", "Zephyr"),
        ]
    ],
)
def test_store_one_entity_and_one_fact_across_documents(tmp_db, resolver, docs):
    with Store.open(tmp_db) as store:
        store.write_knowledge(resolver.knowledge.entities.values())
        for n, (doc, text, head, tail) in enumerate(docs):
            article = Article(id=doc, text=text, title=f"Story {doc}", published=date(2011, 1, 1 + n))
            store.write_article(
                article, resolve_facts([_fact("partner_of", head, tail, text, doc=doc)], resolver)
            )
    with open_graph(tmp_db) as graph:
        profile = graph.entity("General Motors")
        [fact] = graph.facts(entity="GM")
        holders = {graph.entity_id(alias) for alias in ("GM", "General Motors Corp", "General Motors Co.")}
    assert profile.id == "org:general-motors" and profile.wikidata == "Q81965"
    assert {"GM", "General Motors Corp", "General Motors Co."} <= set(profile.aliases)
    assert holders == {"org:general-motors"}
    assert fact.tail_id == derived_id("Zephyr", "ORG") and len(fact.evidence) == 3


@pytest.mark.parametrize(
    "head,head_type,kept",
    [
        ("Gm", "PERSON", False),
        ("GM", "PERSON", False),
        ("Mara Lindqvist", "PERSON", True),
        ("GM", "ORG", True),
    ],
)
def test_resolve_drops_people_named_like_known_companies(head, head_type, kept):
    resolver = Resolver(load_knowledge())
    text = f"{head}, an executive, joined Toyota."
    facts = [_fact("role_at", head, "Toyota", text, head_type=head_type)]
    if head_type == "ORG":
        facts = [_fact("partner_of", head, "Toyota", text, head_type=head_type)]
    resolved = resolve_facts(facts, resolver)
    assert bool(resolved) is kept
    assert bool(resolver.rejected) is not kept
