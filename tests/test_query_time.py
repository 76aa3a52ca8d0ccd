"""Queries over time: facts as of a date, timelines, diffs between dates, and date validation."""

from __future__ import annotations

from datetime import date

import graph_world
import pytest

from alliancegraph.errors import InvalidQuery
from alliancegraph.query import EvidenceView, FactView, open_graph
from alliancegraph.query.temporal import began


def _keys(facts) -> set[tuple[str, str, str | None, str]]:
    return {(f.relation, f.head, f.tail, f.status) for f in facts}


@pytest.mark.parametrize(
    "as_of,expected",
    [
        ("2006-12-31", set()),
        (
            "2009-06-30",
            {
                ("partner_of", "Acme Motors", "Borealis Auto", "reported"),
                ("partner_of", "Acme Motors", "Dunmore Holdings", "confirmed"),
            },
        ),
        # the alliance is confirmed; Dunmore was dissolved in 2009, so its tie no longer holds
        (
            "2010-12-31",
            {
                ("partner_of", "Acme Motors", "Borealis Auto", "confirmed"),
                ("owns", "Acme Motors", "Borealis Auto", "confirmed"),
            },
        ),
        (
            "2011-06-30",
            {
                ("partner_of", "Acme Motors", "Borealis Auto", "confirmed"),
                ("owns", "Acme Motors", "Borealis Auto", "confirmed"),
                ("partner_of", "Acme Motors", "Corvan", "reported"),
            },
        ),
        (
            date(2011, 12, 31),
            {
                ("partner_of", "Acme Motors", "Borealis Auto", "confirmed"),
                ("owns", "Acme Motors", "Borealis Auto", "confirmed"),
                ("partner_of", "Acme Motors", "Corvan", "denied"),
            },
        ),
    ],
)
def test_facts_as_of_shows_what_was_known_and_held(world, as_of, expected):
    with open_graph(world) as graph:
        assert _keys(graph.facts(entity="Acme", as_of=as_of)) == expected


@pytest.mark.parametrize(
    "as_of,evidence,status",
    [
        ("2009-03-02", 3, "reported"),
        ("2010-04-06", 3, "reported"),
        ("2010-04-07", 4, "confirmed"),
        (None, 4, "confirmed"),
    ],
)
def test_fact_as_of_shows_only_evidence_published_by_then(world, as_of, evidence, status):
    with open_graph(world) as graph:
        [fact] = graph.facts(entity="Borealis", relation="partner_of", as_of=as_of)
    assert (len(fact.evidence), fact.status) == (evidence, status)
    assert all(as_of is None or e.published.isoformat() <= as_of for e in fact.evidence)
    assert [h.status for h in fact.history][-1] == status


@pytest.mark.parametrize(
    "as_of,expected",
    [
        ("2009-01-14", set()),  # the ownership was not yet reported
        ("2009-01-15", {("owns", "Kestrel Trucks", "Corvan", "confirmed")}),  # Dunmore's had ended in 2008
    ],
)
def test_facts_as_of_leaves_out_facts_known_to_have_ended(world, as_of, expected):
    with open_graph(world) as graph:
        assert _keys(graph.facts(entity="Corvan", relation="owns", as_of=as_of)) == expected


@pytest.mark.parametrize(
    "as_of,status,limit,offset,expected",
    [
        ("2011-12-31", "denied", None, 0, 1),
        ("2011-12-31", "confirmed", None, 0, 3),
        ("2011-12-31", None, 2, 0, 2),
        ("2011-12-31", None, None, 5, 0),
    ],
)
def test_facts_as_of_filters_and_pages_by_the_status_then(world, as_of, status, limit, offset, expected):
    with open_graph(world) as graph:
        assert len(graph.facts(as_of=as_of, status=status, limit=limit, offset=offset)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "VANS",
            {("joint_venture_of", "AC Motors", "Acme Motors"), ("joint_venture_of", "AC Motors", "Corvan")},
        ),
        (
            "kestrel",
            {
                ("owns", "Kestrel Trucks", "Corvan"),
                ("partner_of", "Acme-Borealis Alliance", "Kestrel Trucks"),
            },
        ),
        ("no such words", set()),
        ("100%_", set()),
    ],
)
def test_facts_by_text_in_evidence_or_names(world, text, expected):
    with open_graph(world) as graph:
        assert {(f.relation, f.head, f.tail) for f in graph.facts(text=text)} == expected


@pytest.mark.parametrize(
    "entity,expected",
    [
        (
            "Corvan",
            [
                (date(2001, 1, 1), "fact", "text", "confirmed", "owns", "Dunmore Holdings", "w3"),
                (date(2008, 1, 1), "fact", "text", "confirmed", "owns", "Kestrel Trucks", "w3"),
                (date(2008, 12, 31), "ended", "text", "ended", "owns", "Dunmore Holdings", "w3"),
                (date(2011, 5, 1), "fact", "publication", "reported", "partner_of", "Acme Motors", "w5"),
                (date(2011, 9, 1), "status", "publication", "denied", "partner_of", "Acme Motors", "w4"),
                (date(2012, 2, 1), "fact", "publication", "confirmed", "joint_venture_of", "AC Motors", "w6"),
            ],
        ),
        (
            "Borealis",
            [
                (date(2009, 3, 2), "fact", "publication", "reported", "partner_of", "Acme Motors", "w1"),
                (date(2010, 4, 7), "fact", "publication", "confirmed", "owns", "Acme Motors", "w2"),
                (date(2010, 4, 7), "status", "publication", "confirmed", "partner_of", "Acme Motors", "w2"),
            ],
        ),
    ],
)
def test_timeline_is_dated_and_oldest_first(world, entity, expected):
    with open_graph(world) as graph:
        events = graph.timeline(entity)
    assert [
        (e.date, e.kind, e.dated_by, e.status, e.fact.relation, e.fact.head, e.doc) for e in events
    ] == expected
    assert all(e.to_dict()["fact"]["evidence"] for e in events)


@pytest.mark.parametrize("min_corroboration,expected", [(1, 3), (2, 2), (3, 0)])
def test_timeline_min_corroboration(world, min_corroboration, expected):
    with open_graph(world) as graph:
        assert len(graph.timeline("Borealis", min_corroboration=min_corroboration)) == expected


@pytest.mark.parametrize(
    "start,end,entity,expected",
    [
        (
            "2009-12-31",
            "2010-12-31",
            None,
            {
                ("appeared", "owns", "Acme Motors", "Borealis Auto", None, "confirmed", "w2"),
                ("changed", "partner_of", "Acme Motors", "Borealis Auto", "reported", "confirmed", "w2"),
                ("ended", "partner_of", "Acme Motors", "Dunmore Holdings", "confirmed", "confirmed", None),
            },
        ),
        (
            "2011-06-30",
            "2011-12-31",
            "Acme",
            {
                ("changed", "partner_of", "Acme Motors", "Corvan", "reported", "denied", "w4"),
            },
        ),
        (
            "2008-12-31",
            "2009-03-01",
            "Corvan",
            {
                ("appeared", "owns", "Kestrel Trucks", "Corvan", None, "confirmed", "w3"),
            },
        ),
        ("2012-06-01", "2013-06-01", None, set()),
    ],
)
def test_diff_between_two_dates(world, start, end, entity, expected):
    with open_graph(world) as graph:
        view = graph.diff(start, end, entity=entity)
    got = {
        (c.change, c.fact.relation, c.fact.head, c.fact.tail, c.before, c.after, c.doc)
        for c in (*view.appeared, *view.changed, *view.ended)
    }
    assert got == expected
    assert view.to_dict()["start"] == start


@pytest.mark.parametrize(
    "call",
    [
        lambda g: g.facts(as_of="2010-13-01"),
        lambda g: g.facts(as_of="31/12/2010"),
        lambda g: g.facts(as_of="2010"),
        lambda g: g.partners("Acme", as_of="yesterday"),
        lambda g: g.diff("2010-01-01", "2010-02-30"),
        lambda g: g.fact("nope", as_of="2010-1-1"),
    ],
)
def test_bad_dates_name_the_value_and_the_format(world, call):
    with open_graph(world) as graph, pytest.raises(InvalidQuery, match=r"'.+'.*YYYY-MM-DD"):
        call(graph)


@pytest.mark.parametrize("start,end", [("2011-01-01", "2010-01-01")])
def test_diff_end_before_start(world, start, end):
    with open_graph(world) as graph, pytest.raises(InvalidQuery, match="before the start"):
        graph.diff(start, end)


@pytest.mark.parametrize(
    "entity,relation,expected", [("Borealis", "partner_of", ["w1", "w1-copy", "w1-update", "w2"])]
)
def test_evidence_of_a_fact(world, entity, relation, expected):
    with open_graph(world) as graph:
        [fact] = graph.facts(entity=entity, relation=relation)
        evidence = graph.evidence(fact.id)
        with pytest.raises(InvalidQuery, match="No fact"):
            graph.evidence("0000")
    assert sorted(e.doc for e in evidence) == expected
    assert {e.story for e in evidence} == {"w1", "w2"}
    assert all(e.sentence in (graph_world.TALKS, graph_world.ANNOUNCED) for e in evidence)


@pytest.mark.parametrize(
    "entity,expected",
    [
        (
            "Dunmore",
            [
                ("ended", "text", date(2008, 12, 31), "owns"),
                ("ended", "dissolution", date(2009, 12, 31), "partner_of"),
            ],
        )
    ],
)
def test_timeline_tells_how_an_end_is_known(world, entity, expected):
    with open_graph(world) as graph:
        ends = [
            (e.kind, e.dated_by, e.date, e.fact.relation) for e in graph.timeline(entity) if e.kind == "ended"
        ]
    assert ends == expected


def _view(first_seen: date, times: list[tuple[str | None, str, bool]]) -> FactView:
    evidence = tuple(
        EvidenceView(
            doc=story,
            title=None,
            published=first_seen,
            url=None,
            sentence="s",
            start=0,
            end=1,
            status="confirmed",
            future=future,
            time=time,
            story=story,
        )
        for time, story, future in times
    )
    return FactView(
        id="f",
        relation="owns",
        head="A",
        head_id="a",
        head_type="ORG",
        tail="B",
        tail_id="b",
        tail_type="ORG",
        status="confirmed",
        future=False,
        time=None,
        first_seen=first_seen,
        evidence=evidence,
    )


@pytest.mark.parametrize(
    "times,expected",
    [
        ([("1998", "s1", False), ("1998-05", "s2", False)], (date(1998, 1, 1), "text", "1998")),
        # one story's stray year does not outweigh two stories agreeing
        (
            [("1990", "s1", False), ("1998", "s2", False), ("1998", "s3", False)],
            (date(1998, 1, 1), "text", "1998"),
        ),
        # a fact told by one story only may be dated by it
        ([("1990", "s1", False), (None, "s1", False)], (date(1990, 1, 1), "text", "1990")),
        # but one story's year does not date a fact other stories tell without it
        ([("1990", "s1", False), (None, "s2", False)], (date(2007, 5, 14), "publication", None)),
        # two stories disagreeing: the first publication
        ([("1990", "s1", False), ("1998", "s2", False)], (date(2007, 5, 14), "publication", None)),
        # the year of the first publication says nothing more precise than the publication
        ([("2007", "s1", False), ("2007/..", "s2", False)], (date(2007, 5, 14), "publication", None)),
        # plans and deadlines do not date a beginning
        ([("2005", "s1", True), ("../2006", "s2", False)], (date(2007, 5, 14), "publication", None)),
        ([("2001/2006", "s1", False)], (date(2001, 1, 1), "text", "2001/2006")),
    ],
)
def test_began(times, expected):
    assert began(_view(date(2007, 5, 14), times)) == expected
