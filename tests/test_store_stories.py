"""Stories: copies and updates of one article are one story, and corroboration counts stories."""

from __future__ import annotations

from datetime import date

import graph_world
import pytest

from alliancegraph.model import Article
from alliancegraph.query import open_graph
from alliancegraph.store import Store, stories

BODY = (
    "Harlow Cycles said on Tuesday it would build electric scooters with a supplier from the north, "
    "putting twelve million euros into a new line at its plant by the river. The line will start next "
    "spring and employ about two hundred people, the company said in a statement. Harlow has lost "
    "market share to cheaper rivals for three years and hopes the scooters will win back city buyers."
)
OTHER = (
    "Tessel Marine reported a quarterly loss after storms delayed deliveries of two ferries, and said it "
    "would cut costs at its yard in the south. Orders for fishing boats held up, while demand for "
    "leisure craft fell for the fourth quarter in a row, the chief financial officer told reporters."
)

MORE = (
    "City officials welcomed the plan and said they would add charging points along the main roads. A "
    "union representative said workers wanted guarantees on pay before the line opens, and that talks "
    "with management would resume after the holidays. The supplier, a family firm founded after the war, "
    "makes motors for lawn mowers and boats and has never before worked with a vehicle maker."
)


@pytest.mark.parametrize(
    "a,b,expected",
    [
        (BODY, BODY, 1.0),
        (BODY, BODY + " Shares in Harlow rose two percent in early trading.", 0.5),
        (BODY, OTHER, 0.0),
    ],
)
def test_signature_similarity_estimates_shingle_overlap(a, b, expected):
    estimate = stories.similarity(stories.signature(a), stories.signature(b))
    if expected == 1.0:
        assert estimate == 1.0
    elif expected == 0.0:
        assert estimate < 0.2
    else:
        assert estimate >= expected


@pytest.mark.parametrize("text", [BODY, "", "one"])
def test_signature_round_trips_as_text(text):
    sig = stories.signature(text)
    assert stories.decode(stories.encode(sig)) == sig and len(sig) == stories.SIGNATURE_SIZE


@pytest.mark.parametrize(
    "title,expected",
    [
        ("UPDATE 2-Harlow to build scooters", "Harlow to build scooters"),
        ("RPT-Harlow to build scooters", "Harlow to build scooters"),
        ("CORRECTED-UPDATE 1-Harlow to build scooters", "Harlow to build scooters"),
    ],
)
def test_title_key_ignores_wire_prefixes(title, expected):
    assert stories.title_key(title) == stories.title_key(expected) is not None


@pytest.mark.parametrize("title", [None, "", "Autos", "UPDATE 1-Briefs"])
def test_title_key_ignores_short_titles(title):
    assert stories.title_key(title) is None


def _doc(id: str, text: str, title: str, published: date) -> Article:
    return Article(id=id, text=text, title=title, published=published)


@pytest.mark.parametrize(
    "second,same",
    [
        # a copy under another headline from another outlet
        (_doc("b", BODY, "Harlow bets on scooters", date(2012, 3, 6)), True),
        # an update: same headline with a wire prefix, more paragraphs, a day later
        (
            _doc(
                "b",
                BODY[:120] + " Harlow shares fell. " + OTHER,
                "UPDATE 1-Harlow to build scooters",
                date(2012, 3, 7),
            ),
            True,
        ),
        # an update under a new headline that keeps the whole first version and adds more than it had
        (
            _doc(
                "b",
                BODY + " " + OTHER + " " + MORE,
                "Harlow bets on scooters as rivals cut prices",
                date(2012, 3, 7),
            ),
            True,
        ),
        # the same headline a year later is another story
        (_doc("b", OTHER, "Harlow to build scooters", date(2013, 3, 6)), False),
        # another article the same day
        (_doc("b", OTHER, "Tessel posts loss", date(2012, 3, 6)), False),
    ],
)
def test_store_assigns_copies_and_updates_to_one_story(tmp_db, second, same):
    if "rivals" in (second.title or ""):  # the case must need the exact containment check
        estimate = stories.similarity(stories.signature(BODY), stories.signature(second.text))
        assert stories.MAYBE_BODY <= estimate < stories.SAME_BODY
    first = _doc("a", BODY, "Harlow to build scooters", date(2012, 3, 6))
    with Store.open(tmp_db) as store:
        store.write_article(first, [])
        store.write_article(second, [])
        by_id = {d["id"]: d["story"] for d in store.document_rows()}
    assert (by_id["b"] == by_id["a"] == "a") is same
    assert by_id["a"] == "a"


@pytest.mark.parametrize(
    "items,expected",
    [
        ([("s1", "Acme owns Borealis."), ("s1", "Acme holds Borealis.")], 1),  # one story
        ([("s1", "Acme owns 20% of Borealis."), ("s2", "ACME owns 20 % of Borealis!")], 1),  # one sentence
        (
            [
                ("s1", "Acme, which owns 20 percent of Borealis, said sales rose in May and June."),
                ("s2", "Acme, which owns 20 percent of Borealis, said sales rose in May and July."),
            ],
            1,
        ),  # near copy
        ([("s1", "Acme owns Borealis."), ("s2", "Borealis is controlled by Acme since 2004.")], 2),
        ([], 0),
    ],
)
def test_corroboration_counts_independent_statements(items, expected):
    assert stories.corroboration(items) == expected


@pytest.mark.parametrize("fact,expected", [(("partner_of", "org:acme", "org:borealis"), (4, 2))])
def test_store_corroboration_counts_copies_once(tmp_db, fact, expected):
    graph_world.build(tmp_db)
    with open_graph(tmp_db) as graph:
        [view] = [f for f in graph.facts(relation=fact[0]) if {f.head_id, f.tail_id} == set(fact[1:])]
        stats = graph.stats()
    assert (len(view.evidence), view.corroboration) == expected
    assert {e.story for e in view.evidence} == {"w1", "w2"}
    assert (stats.documents, stats.stories) == (10, 8)


@pytest.mark.parametrize(
    "order", [["w2", "w1-update", "w1-copy", "w1"], ["w1-copy", "w2", "w1", "w1-update"]]
)
def test_store_corroboration_does_not_depend_on_ingestion_order(tmp_db, order):
    rest = [d for d, *_ in graph_world.ARTICLES if d not in order]
    graph_world.build(tmp_db, order=order + rest)
    with open_graph(tmp_db) as graph:
        [view] = graph.facts(entity="Borealis", relation="partner_of")
    assert view.corroboration == 2


@pytest.mark.parametrize("n", [1])
def test_store_rebuild_recomputes_stories_and_facts(tmp_db, n):
    graph_world.build(tmp_db)
    with open_graph(tmp_db) as graph:
        before = [(f.to_dict(), f.corroboration) for f in graph.facts()]
    with Store.open(tmp_db) as store:
        assert store.rebuild() == 9
    with open_graph(tmp_db) as graph:
        after = [(f.to_dict(), f.corroboration) for f in graph.facts()]
        assert graph.stats().stories == 8
    assert after == before
