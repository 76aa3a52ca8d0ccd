"""Stories: copies and updates of one article are one story, and corroboration counts stories."""

from __future__ import annotations

import hashlib
import itertools
import random
import re
import unicodedata
from datetime import date

import graph_world
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# One story with two sentences, one of which another story repeats with a word changed; a third story
# repeats the first sentence with different case and punctuation, and a fourth says something else.
KESTREL = (
    "Kestrel Aviation said on Monday it had agreed to buy forty percent of the engine maker Dunmore Works."
)
DUNMORE = (
    "The Dunmore purchase, its third this year, was approved by the Kestrel board late on Friday in Leeds."
)
NEAR_COPIES = [
    ("wire-1", KESTREL),
    ("wire-1", DUNMORE),
    ("wire-2", DUNMORE.replace("Leeds", "York")),
    ("wire-3", KESTREL.upper().replace(".", "!")),
    ("wire-4", "Dunmore Works makes engines for regional jets and employs about nine hundred people."),
]


def test_corroboration_does_not_depend_on_the_order_of_its_items():
    assert stories.same_statement(DUNMORE, NEAR_COPIES[2][1])
    assert not stories.same_statement(KESTREL, NEAR_COPIES[2][1])
    counts = {stories.corroboration(order) for order in itertools.permutations(NEAR_COPIES)}
    assert len(counts) == 1


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


# The MinHash signature: `stories.signature` (numpy) against its definition in plain Python, which is
# what earlier releases computed and stored.

P = (1 << 61) - 1


def reference_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).casefold()
    return re.findall(r"\w+", "".join(c for c in folded if not unicodedata.combining(c)))


def reference_shingles(text: str, size: int = stories.SHINGLE) -> set[str]:
    w = reference_words(text)
    if len(w) <= size:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i : i + size]) for i in range(len(w) - size + 1)}


def reference_min_hashes(hashed: list[int]) -> tuple[int, ...]:
    return tuple(min((a * x + b) % P for x in hashed) for a, b in stories._COEFFICIENTS)


def reference_signature(text: str) -> tuple[int, ...]:
    hashed = [
        int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")
        for s in reference_shingles(text)
    ]
    if not hashed:
        return ((1 << 64) - 1,) * stories.SIGNATURE_SIZE
    return reference_min_hashes(hashed)


VOCABULARY = [
    *("the", "a", "of", "and", "to", "in", "Renault", "Nissan", "Toyota", "said", "percent", "stake"),
    *("plant", "2013", "4x4", "e-tron", "Škoda", "Citroën", "Peugeot–Citroën", "naïve", "façade"),
    *("Straße", "STRASSE", "ﬁat", "İzmir", "Ångström", "Ｔｏｙｏｔａ"),
    "Mañana",  # precomposed ñ
    "Man\u0303ana",  # n followed by a combining tilde
    "e\u0301t\u0301e\u0301",  # combining accents only
    "日産 自動車",
    "Ⅻ ½ ² ℃ ﬀ",
    "\u0301",  # a combining mark alone
    "under_score",
    "...",
    "—",
    "\n\n",
]


def random_text(rng: random.Random, max_words: int) -> str:
    picked = rng.choices(VOCABULARY, k=rng.randint(0, max_words))
    return rng.choice([" ", ", ", " - "]).join(picked)


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_words_match_their_definition(text):
    assert stories.words(text) == reference_words(text)
    assert stories.shingles(text) == reference_shingles(text)
    assert stories.shingles(text, 3) == reference_shingles(text, 3)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "...!",
        "one",
        "Two words",
        "three small words",
        "exactly four words here",
        "five words make two shingles",
        "\u0301",
        "Škoda",
        BODY,
        BODY + " " + OTHER + " " + MORE,
        " ".join(f"w{i}" for i in range(2500)),  # more shingles than one block of `_min_hashes`
    ],
)
def test_signature_matches_its_definition_on_edge_cases(text):
    assert stories.signature(text) == reference_signature(text)


def test_signature_matches_its_definition_on_random_texts():
    rng = random.Random(20240611)
    for _ in range(150):
        text = random_text(rng, rng.choice([3, 8, 40, 400]))
        assert stories.signature(text) == reference_signature(text), text


EDGES = [0, 1, 2, P - 2, P - 1, P, P + 1, 2 * P - 1, 2 * P, 2 * P + 1, 1 << 61, (1 << 61) + 7, 1 << 62]
EDGES += [(1 << 63) - 1, 1 << 63, 7 * P, 7 * P + 6, (1 << 64) - 8, (1 << 64) - 2, (1 << 64) - 1]
EDGES += [(1 << 31) - 1, 1 << 31, (1 << 30) - 1, 1 << 30, (1 << 32) + 1]
EDGES += [0x5555555555555555, 0xAAAAAAAAAAAAAAAA]


@pytest.mark.parametrize("x", EDGES)
def test_min_hashes_are_exact_for_each_extreme_value(x):
    # One value: every coefficient pair's (a * x + b) mod p is checked exactly, not only the least.
    assert stories._min_hashes(np.array([x], dtype=np.uint64)) == reference_min_hashes([x])


def test_min_hashes_are_exact_on_random_and_extreme_values():
    rng = random.Random(7)
    for size in (1, 2, 5, 100, 1023, 1024, 1025, 3000):
        values = [rng.getrandbits(64) for _ in range(size)]
        values += [rng.choice(EDGES) + rng.randint(-3, 3) for _ in range(size // 4)]
        values = [v % (1 << 64) for v in values]
        assert stories._min_hashes(np.array(values, dtype=np.uint64)) == reference_min_hashes(values)
    for x in (rng.getrandbits(64) for _ in range(300)):
        assert stories._min_hashes(np.array([x], dtype=np.uint64)) == reference_min_hashes([x])


def test_fold_reduces_every_64_bit_value_below_p():
    rng = random.Random(11)
    values = [v % (1 << 64) for x in EDGES for v in (x - 1, x, x + 1)]
    values += [rng.getrandbits(64) for _ in range(1000)] + [P * k + r for k in range(8) for r in range(8)]
    values = [v for v in values if v < 1 << 64]
    v = np.array(values, dtype=np.uint64)
    stories._fold(v, np.empty_like(v))
    assert v.tolist() == [x % P for x in values]
