"""Writing a batch of articles in one transaction (`Store.write_articles`): the store ends as writing
the same articles one by one, in the same order, leaves it (documents, stories, story keys, entities,
aliases, facts, evidence, corroboration and history), and an article the store refuses is refused
alone, the rest of its batch stored."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date

import graph_world
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError, OperationalError
from store_dump import dump_store
from test_store_stories import BODY, MORE, OTHER
from test_store_write import _broken, articles, make_article, rfact, sample

from alliancegraph.errors import StoreError
from alliancegraph.model import Article, Entity, Evidence, Fact, ResolvedFact
from alliancegraph.resolve.entities import Resolver, resolve_facts
from alliancegraph.resolve.knowledge import parse_knowledge
from alliancegraph.store import Store, text_hash

Write = tuple[Article, list[ResolvedFact]]
Result = bool | str  # what became of an article: stored, unchanged, or the name of the error


def _outcome(result: bool | StoreError) -> Result:
    return result if isinstance(result, bool) else type(result).__name__


def one_by_one(db: str, writes: Sequence[Write]) -> list[Result]:
    """Write each article in its own transaction (a batch of one), as the store did before batches."""
    out: list[Result] = []
    with Store.open(db) as store:
        for article, facts in writes:
            try:
                out.append(store.write_article(article, facts))
            except StoreError as e:
                out.append(_outcome(e))
    return out


def in_batches(db: str, writes: Sequence[Write], size: int) -> list[Result]:
    with Store.open(db) as store:
        return [
            _outcome(r)
            for start in range(0, len(writes), size)
            for r in store.write_articles(writes[start : start + size])
        ]


def shifted(article: Article, facts: list[ResolvedFact], prefix: str, keep: int) -> Write:
    """A changed version of an article: `prefix` before its text, and only its first `keep` facts."""
    changed = dataclasses.replace(article, text=prefix + article.text)

    def moved(rf: ResolvedFact) -> ResolvedFact:
        ev = rf.fact.evidence
        evidence = dataclasses.replace(ev, start=ev.start + len(prefix), end=ev.end + len(prefix))
        return dataclasses.replace(rf, fact=dataclasses.replace(rf.fact, evidence=evidence))

    return changed, [moved(rf) for rf in facts[:keep]]


def world_writes() -> list[Write]:
    """The articles of `graph_world` (copies, updates, statuses over years), then the same again
    (unchanged), then two of them changed, one of them changed once more."""
    resolver = Resolver(parse_knowledge(graph_world.knowledge_text()))
    writes = [(a, resolve_facts(f, resolver)) for a, f in graph_world.articles()]
    first, third = writes[0], writes[3]
    return [
        *writes,
        *writes,
        shifted(*third, "Correction: an earlier version misstated a date. ", keep=1),
        shifted(*first, "UPDATE 1. ", keep=0),
        shifted(*first, "UPDATE 2. ", keep=len(first[1])),
    ]


def _knowledge(db: str) -> None:
    with Store.open(db) as store:
        store.write_knowledge(parse_knowledge(graph_world.knowledge_text()).entities.values())


@pytest.mark.parametrize("size", [3, 8, 100])
@pytest.mark.parametrize("order", ["as written", "reversed"])
def test_store_batch_stores_what_one_by_one_stores(store_locations, size, order):
    writes = world_writes()
    if order == "reversed":
        writes.reverse()
    single, batched = store_locations(), store_locations()
    for db in (single, batched):
        _knowledge(db)
    expected = one_by_one(single, writes)
    assert in_batches(batched, writes, size) == expected
    assert expected.count(True) == len(writes) - len(graph_world.ARTICLES)  # the repeats are unchanged
    reference = dump_store(single)
    assert dump_store(batched) == reference
    assert reference["facts"] and reference["fact_history"] and reference["story_keys"]


def _doc(id: str, text: str, title: str, published: date) -> Write:
    return Article(id=id, text=text, title=title, published=published), []


RAIL = (
    "Quillon Rail has ordered forty low-floor trams for its northern network, the operator said on "
    "Monday, replacing cars that have run since the nineteen seventies. The first trams arrive next "
    "winter, and the depot by the canal will be rebuilt to service them over the coming two years."
)
BAKERY = (
    "A bakery chain from the coast opened its hundredth shop on Friday and said it would open thirty "
    "more by summer, most of them in railway stations and airports. Flour costs rose sharply this "
    "year, but the chain kept its prices and made up the difference with longer opening hours."
)

STORY_WRITES = [
    _doc("p", RAIL, "Quillon orders trams", date(2012, 3, 2)),
    _doc("a", BODY, "Harlow to build scooters", date(2012, 3, 6)),
    _doc("z", OTHER, "Tessel posts loss", date(2012, 3, 6)),
    _doc("b", BODY, "Harlow bets on scooters", date(2012, 3, 6)),  # a copy of a
    _doc(
        "c", BODY + " " + OTHER + " " + MORE, "Harlow bets on scooters as rivals cut prices", date(2012, 3, 7)
    ),
    _doc("a", BODY + " " + MORE, "UPDATE 1-Harlow to build scooters", date(2012, 3, 5)),  # a rewritten
    _doc("d", OTHER, "Tessel posts loss", date(2012, 3, 1)),  # published before z, stored after: z's story
    _doc(
        "e",
        BODY[:120] + " Harlow shares fell. " + OTHER,
        "UPDATE 2-Harlow to build scooters",
        date(2012, 3, 7),
    ),
    _doc("p", BAKERY, "Bakery opens its hundredth shop", date(2012, 3, 8)),  # p rewritten: another story
    _doc("q", RAIL, "Quillon to buy forty trams", date(2012, 3, 9)),  # a copy of p as it was: its own story
]


@pytest.mark.parametrize("stored_first", [0, 1, 3, 5])
@pytest.mark.parametrize("size", [2, 9])
def test_store_batch_finds_the_stories_one_by_one_finds(store_locations, stored_first, size):
    """Copies, updates that need the exact comparison, and a document rewritten inside the batch: each
    article meets the documents stored before it and those of its batch written before it."""
    single, batched = store_locations(), store_locations()
    one_by_one(batched, STORY_WRITES[:stored_first])
    assert one_by_one(single, STORY_WRITES) == [True] * len(STORY_WRITES)
    assert in_batches(batched, STORY_WRITES[stored_first:], size) == [True] * (
        len(STORY_WRITES) - stored_first
    )
    reference = dump_store(single)
    assert dump_store(batched) == reference
    stories = {dict(r)["id"]: dict(r)["story"] for r in reference["documents"]}
    assert (stories["b"], stories["c"], stories["z"], stories["d"]) == ("a", "a", "z", "z")
    assert (stories["p"], stories["q"]) == ("p", "q")


@pytest.mark.parametrize("size", [2, 9])
def test_stories_prepared_ahead_give_the_same_store(store_locations, size):
    """`prepare_stories` computes what `write_articles` would: texts rewritten in the batch, copies,
    and articles prepared twice or prepared and then stored unchanged."""
    plain, prepared = store_locations(), store_locations()
    in_batches(plain, STORY_WRITES, size)
    with Store.open(prepared) as store:
        store.prepare_stories(article for article, _ in STORY_WRITES + STORY_WRITES[:3])
        results = [
            _outcome(r)
            for start in range(0, len(STORY_WRITES), size)
            for r in store.write_articles(STORY_WRITES[start : start + size])
        ]
        assert not store._finders  # each prepared text was taken by its write
    assert results == [True] * len(STORY_WRITES)
    assert dump_store(prepared) == dump_store(plain)


def test_stories_prepared_ahead_are_bounded_and_skip_texts_the_store_refuses(tmp_db, monkeypatch):
    monkeypatch.setattr("alliancegraph.store.repository.AHEAD", 3)
    bad = Article(id="bad", text="Harlow \ud800 scooters.")  # an unpaired surrogate
    many = [Article(id=f"a{i}", text=f"{RAIL} Car {i}.") for i in range(5)]
    with Store.open(tmp_db) as store:
        store.prepare_stories([bad, *many])
        assert len(store._finders) == 3
        [refused] = store.write_articles([(bad, [])])
        assert isinstance(refused, StoreError)
        assert store.write_articles([(a, []) for a in many]) == [True] * 5


@st.composite
def rewrites(draw):
    """Articles from `articles`, then again with the same ids (texts changed, or the same), some
    repeated; how many are stored before the batches, and the batches' size."""
    writes = [*draw(articles()), *draw(articles())]
    writes += draw(st.lists(st.sampled_from(writes), max_size=3))
    return writes, draw(st.integers(0, len(writes))), draw(st.integers(1, len(writes)))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=rewrites())
def test_store_batch_property(store_locations, case):
    writes, stored_first, size = case
    single, batched = store_locations(), store_locations()
    expected = one_by_one(single, writes)
    assert one_by_one(batched, writes[:stored_first]) == expected[:stored_first]
    assert in_batches(batched, writes[stored_first:], size) == expected[stored_first:]
    assert dump_store(batched) == dump_store(single)


@pytest.mark.parametrize("copies", [2, 3])
def test_store_batch_counts_a_text_again_as_unchanged(tmp_db, copies):
    art, facts = sample()
    changed = make_article("d1", ["A new first sentence.", "Acme owns a 20% stake in Corvan."])
    with Store.open(tmp_db) as store:
        assert store.write_articles([(art, facts)] * copies) == [True] + [False] * (copies - 1)
        assert store.write_articles([(art, facts), (changed, []), (changed, [])]) == [False, True, False]
        assert store.has_documents(
            [("d1", text_hash(changed.text)), ("d1", text_hash(art.text)), ("x", "")]
        ) == [
            True,
            False,
            False,
        ]
        assert store.write_articles([]) == []
        # the changed text states no facts: its old facts are gone, the entities stay
        assert store.counts() == {"documents": 1, "entities": 6, "facts": 0, "evidence": 0}


def _three(bad: str) -> list[Write]:
    """Three articles; the middle one (id "bad") is broken in the way named, or a good article."""
    first, first_facts = sample("d1")
    last = make_article("d3", ["Dunmore bought Corvan outright."], date(2012, 6, 1))
    middle = make_article("bad", ["Acme and Borealis formed an alliance."], date(2012, 5, 2))
    middle_facts = [rfact(middle, middle.text, "partner_of", "Acme", "Borealis")]
    if bad in ("other document", "offsets outside text", "unknown relation"):
        middle_facts.append(_broken(middle, bad))
    elif bad == "NUL in the text":
        middle = make_article("bad", ["Acme and Borealis formed an alliance.\x00"])
    elif bad == "unpaired surrogate in a name":
        fact = dataclasses.replace(middle_facts[0].fact, head="Ac\ud800me")
        middle_facts = [dataclasses.replace(middle_facts[0], fact=fact)]
    return [
        (first, first_facts),
        (middle, middle_facts),
        (last, [rfact(last, last.text, "owns", "Dunmore", "Corvan")]),
    ]


@pytest.mark.parametrize(
    "bad",
    [
        "other document",
        "offsets outside text",
        "unknown relation",
        "NUL in the text",
        "unpaired surrogate in a name",
    ],
)
def test_store_batch_refuses_a_bad_article_alone(store_locations, bad):
    writes = _three(bad)
    good, batched = store_locations(), store_locations()
    one_by_one(good, [writes[0], writes[2]])
    with Store.open(batched) as store:
        results = store.write_articles(writes)
    assert results[0] is True and results[2] is True
    assert isinstance(results[1], StoreError) and "'bad'" in str(results[1])
    assert dump_store(batched) == dump_store(good)


@pytest.mark.parametrize("error", [IntegrityError, OperationalError])
def test_store_batch_database_refusing_one_article_refuses_it_alone(store_locations, monkeypatch, error):
    """The database refuses the rows of one article (its checks passed): the batch is rolled back
    and written again one article per transaction, so the others are stored."""
    writes = _three("none")
    good, batched = store_locations(), store_locations()
    one_by_one(good, [writes[0], writes[2]])
    original = Store._insert_evidence
    transactions: list[list[str]] = []

    def refuse_bad(self, conn, rows, *args):
        transactions.append(sorted({r["doc_id"] for r in rows}))
        original(self, conn, rows, *args)
        if any(r["doc_id"] == "bad" for r in rows):
            raise error("INSERT INTO evidence ...", {}, Exception("refused"))

    monkeypatch.setattr(Store, "_insert_evidence", refuse_bad)
    with Store.open(batched) as store:
        results = store.write_articles(writes)
    monkeypatch.undo()
    assert results[0] is True and results[2] is True
    assert isinstance(results[1], StoreError)
    assert "Cannot write article 'bad'" in str(results[1]) and "refused" in str(results[1])
    assert isinstance(results[1].__cause__, error)
    assert transactions == [["bad", "d1", "d3"], ["d1"], ["bad"], ["d3"]]
    assert dump_store(batched) == dump_store(good)


@pytest.mark.parametrize("failing", ["_write_part", "_consolidate"])
def test_store_batch_other_errors_store_nothing_of_the_batch(tmp_db, monkeypatch, failing):
    writes = _three("none")
    one_by_one(tmp_db, writes[:1])
    before = dump_store(tmp_db)
    original: Callable[..., object] = getattr(Store, failing)

    def fail_after_running(self, conn, *args):
        original(self, conn, *args)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, failing, fail_after_running)
    with Store.open(tmp_db) as store, pytest.raises(RuntimeError):
        store.write_articles(writes[1:])
    monkeypatch.undo()
    assert dump_store(tmp_db) == before


def _named(doc: str, acme: Entity, borealis: Entity) -> Write:
    article = make_article(doc, [f"Acme and Borealis formed an alliance ({doc})."])
    evidence = Evidence(doc=doc, text=article.text, start=0, end=len(article.text))
    fact = Fact(relation="partner_of", head="Acme", tail="Borealis", evidence=evidence)
    return article, [ResolvedFact(fact=fact, head=acme, tail=borealis)]


ENTITY_WRITES = [
    _named("n1", Entity("org:~acme", "Acme Co", "ORG"), Entity("org:borealis", "Borealis", "ORG")),
    _named(
        "n2",
        Entity("org:~acme", "ACME Company", "ORG", aliases=("Acme",)),
        Entity("org:borealis", "Borealis Auto", "ORG", parent="alliance:ab", wikidata="Q1"),
    ),
    _named("n3", Entity("org:~acme", "Acme", "ORG"), Entity("org:borealis", "Borealis SA", "ORG")),
]


@pytest.mark.parametrize("stored_first", [0, 1])
def test_store_batch_keeps_the_entity_records_one_by_one_keeps(store_locations, stored_first):
    """A derived entity keeps the record it was first met with; a known one takes the last."""
    single, batched = store_locations(), store_locations()
    one_by_one(single, ENTITY_WRITES)
    one_by_one(batched, ENTITY_WRITES[:stored_first])
    in_batches(batched, ENTITY_WRITES[stored_first:], len(ENTITY_WRITES))
    reference = dump_store(single)
    assert dump_store(batched) == reference
    names = {dict(r)["id"]: dict(r)["name"] for r in reference["entities"]}
    assert names == {"org:~acme": "Acme Co", "org:borealis": "Borealis SA"}
