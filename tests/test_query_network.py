"""The graph as a network: partners (with their status as of a date) and paths between entities."""

from __future__ import annotations

import pytest

from alliancegraph.errors import EntityNotFound, InvalidQuery
from alliancegraph.query import open_graph


@pytest.mark.parametrize(
    "entity,as_of,expected",
    [
        (
            "Acme",
            None,
            {
                ("AC Motors", ("venture",), "confirmed", ()),
                ("Borealis Auto", ("owns", "partner_of"), "confirmed", ()),
                ("Corvan", ("joint_venture", "partner_of"), "confirmed", ("AC Motors",)),
                ("Dunmore Holdings", ("partner_of",), "confirmed", ()),
                ("Kestrel Trucks", ("member",), "confirmed", ("Acme-Borealis Alliance",)),
            },
        ),
        (
            "Acme",
            "2009-06-30",
            {
                ("Borealis Auto", ("partner_of",), "reported", ()),
                ("Dunmore Holdings", ("partner_of",), "confirmed", ()),
            },
        ),
        ("Acme", "2010-12-31", {("Borealis Auto", ("owns", "partner_of"), "confirmed", ())}),
        (
            "Acme",
            "2011-12-31",
            {
                ("Borealis Auto", ("owns", "partner_of"), "confirmed", ()),
                ("Corvan", ("partner_of",), "denied", ()),
            },
        ),
        (
            "AC Motors",
            None,
            {
                ("Acme Motors", ("venture_parent",), "confirmed", ()),
                ("Corvan", ("venture_parent",), "confirmed", ()),
            },
        ),
        ("Corvan", "2009-06-30", {("Kestrel Trucks", ("owned_by",), "confirmed", ())}),
    ],
)
def test_partners(world, entity, as_of, expected):
    with open_graph(world) as graph:
        found = graph.partners(entity, as_of=as_of)
    assert {(p.partner, tuple(sorted(p.links)), p.status, p.via) for p in found} == expected
    assert [p.status for p in found] == sorted(
        (p.status for p in found), key=["confirmed", "reported", "denied"].index
    )


@pytest.mark.parametrize(
    "entity,partner,mentioned_as,corroboration,since",
    [
        ("Borealis", "Acme Motors", "Acme", 2, "2009-03-02"),
        ("Acme", "Borealis Auto", "Borealis", 2, "2009-03-02"),
    ],
)
def test_partner_view_details(world, entity, partner, mentioned_as, corroboration, since):
    with open_graph(world) as graph:
        [view] = [p for p in graph.partners(entity) if p.partner == partner]
    out = view.to_dict()
    assert (out["mentioned_as"], out["corroboration"], out["since"]) == (mentioned_as, corroboration, since)
    assert all(f["evidence"] for f in out["facts"])


@pytest.mark.parametrize(
    "a,b,max_hops,expected_hops",
    [
        ("Acme", "Borealis", 4, 1),
        ("Borealis", "Acme", 1, 1),
        # the denied Corvan-Acme partnership is no link: four hops, not three
        ("Kestrel", "Borealis", 4, 4),
        ("Kestrel", "Borealis", 3, 0),
        ("Acme", "Acme Motors", 4, 0),
    ],
)
def test_path(world, a, b, max_hops, expected_hops):
    with open_graph(world) as graph:
        steps = graph.path(a, b, max_hops=max_hops)
        start, end = graph.entity_id(a), graph.entity_id(b)
    assert len(steps) == expected_hops
    if steps:
        assert steps[0].source_id == start and steps[-1].target_id == end
        assert all(s.target_id == t.source_id for s, t in zip(steps, steps[1:], strict=False))
        assert all(s.fact.status != "denied" and s.fact.evidence for s in steps)
        assert all(s.forward == (s.fact.head_id == s.source_id) for s in steps)


@pytest.mark.parametrize(
    "call,error",
    [
        (lambda g: g.path("Acme", "Nobody Motors"), EntityNotFound),
        (lambda g: g.path("Acme", "Borealis", max_hops=0), InvalidQuery),
        (lambda g: g.partners("Nobody Motors"), EntityNotFound),
        (lambda g: g.timeline("Acme", relations=("befriends",)), InvalidQuery),
    ],
)
def test_network_errors(world, call, error):
    with open_graph(world) as graph, pytest.raises(error):
        call(graph)


@pytest.mark.parametrize("min_corroboration,expected", [(1, 5), (2, 2), (3, 1), (4, 0)])
def test_partners_min_corroboration(world, min_corroboration, expected):
    with open_graph(world) as graph:
        assert len(graph.partners("Acme", min_corroboration=min_corroboration)) == expected
