"""A small made-up world of carmakers, written for these tests, with a history over several years.

`build(db)` stores it through the real resolver and store. The story, in publication order:

- 2007-05-01  Dunmore and Acme agree to cooperate on engines (Dunmore is dissolved in 2009).
- 2009-01-15  Dunmore owned Corvan between 2001 and 2008, then sold it to Kestrel.
- 2009-03-02  Acme and Borealis are in talks about an alliance (reported); a copy from another outlet,
              and an update with more paragraphs, the same day: one story.
- 2010-04-07  Acme and Borealis announce the alliance (confirmed); Acme will take a 3% stake.
- 2011-05-01  Corvan and Acme are said to consider a partnership (reported) ...
- 2011-09-01  ... which Corvan denies.
- 2012-02-01  Acme and Corvan set up the joint venture AC Motors.
- 2012-05-01  Kestrel and the Acme-Borealis Alliance agree to cooperate on trucks.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from alliancegraph.model import Article, Evidence, Fact
from alliancegraph.resolve.entities import Resolver, resolve_facts
from alliancegraph.resolve.knowledge import parse_knowledge
from alliancegraph.store import Store

_BLANK = {
    "aliases": [],
    "parent": None,
    "country": None,
    "wikidata": None,
    "founded": None,
    "dissolved": None,
}
KNOWN = [
    {"id": "alliance:acme-borealis", "name": "Acme-Borealis Alliance", "type": "ORG", "kind": "alliance"},
    {
        "id": "org:acme",
        "name": "Acme Motors",
        "type": "ORG",
        "kind": "automaker",
        "aliases": ["Acme", "AMC"],
        "parent": "alliance:acme-borealis",
        "wikidata": "Q4242",
    },
    {
        "id": "org:borealis",
        "name": "Borealis Auto",
        "type": "ORG",
        "kind": "automaker",
        "aliases": ["Borealis"],
        "parent": "alliance:acme-borealis",
    },
    {"id": "org:corvan", "name": "Corvan", "type": "ORG", "kind": "automaker"},
    {
        "id": "org:dunmore",
        "name": "Dunmore Holdings",
        "type": "ORG",
        "kind": "group",
        "aliases": ["Dunmore"],
        "dissolved": "2009",
    },
    {
        "id": "org:kestrel",
        "name": "Kestrel Trucks",
        "type": "ORG",
        "kind": "automaker",
        "aliases": ["Kestrel"],
    },
    {"id": "jv:ac-motors", "name": "AC Motors", "type": "ORG", "kind": "joint_venture"},
]

TALKS = "Acme and Borealis are in talks about a broad alliance, people familiar with the matter said."
ANNOUNCED = "Acme and Borealis announced a broad alliance on Wednesday, sharing engines and small cars."
STAKE = "Acme will take a 3 percent stake in Borealis."
DUNMORE = "Dunmore owned Corvan between 2001 and 2008."
KESTREL = "Kestrel bought Corvan in 2008."
ENGINES = "Dunmore and Acme agreed to cooperate on engines."
CONSIDER = "Corvan and Acme are considering a partnership, sources said."
DENY = "Corvan denied it was in talks with Acme about a partnership."
VENTURE = "Acme and Corvan set up a joint venture, AC Motors, to build vans."
TRUCKS = "Kestrel and the Acme-Borealis Alliance agreed to cooperate on trucks."
EXTRA = {
    "w0": "The first shared engine is due in two years and will be made in a plant near the coast.",
    "w3": "The new owner plans to keep all three factories open and to hire more engineers.",
    "w1": "Both companies declined to comment on the report, which sent their shares higher.",
    "w2": "The chief executives appeared together at a news conference in a hotel ballroom.",
    "w5": "Such a tie-up would give the smaller carmaker access to cheaper batteries.",
    "w4": "A spokeswoman called the reports speculation and said the company was doing well alone.",
    "w6": "The first vans from the venture are expected to reach dealers within eighteen months.",
    "w7": "The trucks will share cabs and axles but keep their own engines and badges.",
}
"""One sentence of each article that no other article shares (copies share their original's)."""

# (doc, published, title, sentences, [(sentence, relation, head, tail, extra fact fields)])
ARTICLES: list[tuple[str, date, str, list[str], list[tuple[str, str, str, str | None, dict[str, Any]]]]] = [
    (
        "w0",
        date(2007, 5, 1),
        "Dunmore and Acme to share engines",
        [ENGINES, EXTRA["w0"]],
        [(ENGINES, "partner_of", "Dunmore", "Acme", {})],
    ),
    (
        "w3",
        date(2009, 1, 15),
        "Corvan changes hands",
        [DUNMORE, KESTREL, EXTRA["w3"]],
        [
            (DUNMORE, "owns", "Dunmore", "Corvan", {"time": "2001/2008"}),
            (KESTREL, "owns", "Kestrel", "Corvan", {"time": "2008"}),
        ],
    ),
    (
        "w1",
        date(2009, 3, 2),
        "Acme, Borealis in alliance talks",
        [TALKS, EXTRA["w1"]],
        [(TALKS, "partner_of", "Acme", "Borealis", {"status": "reported"})],
    ),
    (
        "w1-copy",
        date(2009, 3, 2),
        "Acme and Borealis discuss alliance",
        [TALKS, EXTRA["w1"]],
        [(TALKS, "partner_of", "Acme Motors", "Borealis Auto", {"status": "reported"})],
    ),
    (
        "w1-update",
        date(2009, 3, 2),
        "UPDATE 1-Acme, Borealis in alliance talks",
        [
            TALKS,
            "Shares of both rose in early trading on the news, before falling back in the afternoon.",
            "Neither company would comment.",
        ],
        [(TALKS, "partner_of", "AMC", "Borealis", {"status": "reported"})],
    ),
    (
        "w2",
        date(2010, 4, 7),
        "Acme and Borealis seal alliance",
        [ANNOUNCED, STAKE, EXTRA["w2"]],
        [
            (ANNOUNCED, "partner_of", "Acme", "Borealis", {}),
            (STAKE, "owns", "Acme", "Borealis", {"future": True, "attributes": (("share", "3%"),)}),
        ],
    ),
    (
        "w5",
        date(2011, 5, 1),
        "Corvan eyes partner",
        [CONSIDER, EXTRA["w5"]],
        [(CONSIDER, "partner_of", "Corvan", "Acme", {"status": "reported"})],
    ),
    (
        "w4",
        date(2011, 9, 1),
        "Corvan denies Acme talks",
        [DENY, EXTRA["w4"]],
        [(DENY, "partner_of", "Corvan", "Acme", {"status": "denied"})],
    ),
    (
        "w6",
        date(2012, 2, 1),
        "Acme and Corvan form van venture",
        [VENTURE, EXTRA["w6"]],
        [
            (VENTURE, "joint_venture_of", "AC Motors", "Acme", {}),
            (VENTURE, "joint_venture_of", "AC Motors", "Corvan", {}),
        ],
    ),
    (
        "w7",
        date(2012, 5, 1),
        "Kestrel joins forces with alliance",
        [TRUCKS, EXTRA["w7"]],
        [(TRUCKS, "partner_of", "Kestrel", "Acme-Borealis Alliance", {})],
    ),
]


def knowledge_text() -> str:
    return "".join(json.dumps({**_BLANK, **k}) + "\n" for k in KNOWN)


def articles(order: list[str] | None = None) -> list[tuple[Article, list[Fact]]]:
    """The articles with their facts, in publication order or in the order of the ids given."""
    out = {}
    for doc, published, title, sentences, facts in ARTICLES:
        text = " ".join(sentences)
        article = Article(
            id=doc, text=text, title=title, published=published, url=f"https://news.example/{doc}"
        )
        made = []
        for sentence, relation, head, tail, extra in facts:
            start = text.index(sentence)
            evidence = Evidence(doc=doc, text=sentence, start=start, end=start + len(sentence))
            made.append(Fact(relation=relation, head=head, tail=tail, evidence=evidence, **extra))
        out[doc] = (article, made)
    return [out[d] for d in (order or list(out))]


def build(db: str, order: list[str] | None = None) -> None:
    knowledge = parse_knowledge(knowledge_text())
    resolver = Resolver(knowledge)
    with Store.open(db) as store:
        store.write_knowledge(knowledge.entities.values())
        for article, facts in articles(order):
            store.write_article(article, resolve_facts(facts, resolver))
