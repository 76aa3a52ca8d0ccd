"""A fact's status over recorded time, its end, and the two clocks' EDTF arithmetic."""

from __future__ import annotations

from datetime import date
from itertools import permutations

import graph_world
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancegraph.query import open_graph
from alliancegraph.store.history import edtf_bounds, status_at, status_history, valid_end


@pytest.mark.parametrize(
    "time,expected",
    [
        ("2010", (date(2010, 1, 1), date(2010, 12, 31))),
        ("2010-02", (date(2010, 2, 1), date(2010, 2, 28))),
        ("2012-02", (date(2012, 2, 1), date(2012, 2, 29))),
        ("2010-04-05", (date(2010, 4, 5), date(2010, 4, 5))),
        ("2005/2008", (date(2005, 1, 1), date(2008, 12, 31))),
        ("../2019", (None, date(2019, 12, 31))),
        ("2013-01-24/..", (date(2013, 1, 24), None)),
        ("2010?", (date(2010, 1, 1), date(2010, 12, 31))),
        (None, (None, None)),
        ("soon", (None, None)),
    ],
)
def test_edtf_bounds(time, expected):
    assert edtf_bounds(time) == expected


@pytest.mark.parametrize(
    "time,future,expected",
    [
        ("2005/2008", False, date(2008, 12, 31)),
        ("2005/2008", True, None),  # a plan's interval has not ended
        ("../2011", False, None),  # "by 2011" is a deadline, not an end
        ("2010/..", False, None),
        ("2010", False, None),
    ],
)
def test_valid_end(time, future, expected):
    assert valid_end(time, future) == expected


def _ev(n: int, published: date | None, status: str, time: str | None = None, future: bool = False) -> dict:
    return {
        "id": n,
        "doc_id": f"d{n}",
        "status": status,
        "future": future,
        "time": time,
        "published": published,
    }


D1, D2, D3, D4 = date(2009, 1, 1), date(2010, 1, 1), date(2011, 1, 1), date(2012, 1, 1)


@pytest.mark.parametrize(
    "rows,expected",
    [
        # rumour, then announcement, then a hedge that does not undo it
        (
            [_ev(1, D1, "reported"), _ev(2, D2, "confirmed"), _ev(3, D3, "reported")],
            [("reported", D1), ("confirmed", D2)],
        ),
        # a denial after a confirmation is a change; a later confirmation another
        (
            [_ev(1, D1, "confirmed"), _ev(2, D2, "denied"), _ev(3, D3, "confirmed")],
            [("confirmed", D1), ("denied", D2), ("confirmed", D3)],
        ),
        # new rumours after a denial
        ([_ev(1, D1, "denied"), _ev(2, D2, "reported")], [("denied", D1), ("reported", D2)]),
        # repeated statements change nothing
        ([_ev(1, D1, "confirmed"), _ev(2, D2, "confirmed")], [("confirmed", D1)]),
        # a closed interval stated as past ends the fact; talk of its past does not reopen it
        (
            [_ev(1, D1, "confirmed"), _ev(2, D3, "confirmed", "2001/2010"), _ev(3, D4, "confirmed", "2005")],
            [("confirmed", D1), ("ended", D3)],
        ),
        # ... but a new start after the end does
        (
            [_ev(1, D1, "confirmed", "2001/2009"), _ev(2, D4, "confirmed", "2011-06")],
            [("confirmed", D1), ("ended", D1), ("confirmed", D4)],
        ),
        # within one day the firmer statement is read last
        ([_ev(2, D1, "confirmed"), _ev(1, D1, "denied"), _ev(3, D1, "reported")], [("confirmed", D1)]),
        # undated evidence is read first
        ([_ev(1, D2, "confirmed"), _ev(2, None, "reported")], [("reported", None), ("confirmed", D2)]),
    ],
)
def test_status_history(rows, expected):
    got = [(h["status"], h["recorded"]) for h in status_history(rows)]
    assert got == expected


@given(
    st.permutations(
        [
            _ev(1, D1, "reported"),
            _ev(2, D1, "confirmed"),
            _ev(3, D2, "denied"),
            _ev(4, D3, "reported"),
            _ev(5, D3, "confirmed", "2001/2011"),
        ]
    )
)
def test_status_history_does_not_depend_on_row_order(rows):
    first = status_history(sorted(rows, key=lambda r: r["id"]))
    assert status_history(rows) == first


@pytest.mark.parametrize(
    "when,expected",
    [
        (date(2008, 12, 31), (None, None)),
        (D1, ("reported", None)),
        (date(2010, 6, 1), ("confirmed", None)),
        (date(2011, 6, 1), ("confirmed", date(2010, 12, 31))),
    ],
)
def test_status_at(when, expected):
    history = status_history(
        [_ev(1, D1, "reported"), _ev(2, D2, "confirmed"), _ev(3, D3, "confirmed", "2009/2010")]
    )
    assert status_at(history, when) == expected


@pytest.mark.parametrize(
    "entity,relation,expected",
    [
        (
            "Borealis",
            "partner_of",
            [("reported", date(2009, 3, 2), "w1", None), ("confirmed", date(2010, 4, 7), "w2", "reported")],
        ),
        (
            "Dunmore",
            "owns",
            [("confirmed", date(2009, 1, 15), "w3", None), ("ended", date(2009, 1, 15), "w3", "confirmed")],
        ),
        (
            "Corvan",
            "partner_of",
            [("reported", date(2011, 5, 1), "w5", None), ("denied", date(2011, 9, 1), "w4", "reported")],
        ),
    ],
)
def test_store_keeps_the_history_with_the_changing_document(world, entity, relation, expected):
    with open_graph(world) as graph:
        [fact] = graph.facts(entity=entity, relation=relation)
    assert [(h.status, h.recorded, h.doc, h.previous) for h in fact.history] == expected
    assert fact.status == [h.status for h in fact.history if h.status != "ended"][-1]


def test_store_history_does_not_depend_on_ingestion_order(store_locations):
    docs = [d for d, *_ in graph_world.ARTICLES]
    seen = set()
    for n, order in enumerate(permutations(["w1", "w2", "w5", "w4"])):
        if n % 7:
            continue  # a spread of the 24 orders keeps the test quick
        db = store_locations()
        graph_world.build(db, order=list(order) + [d for d in docs if d not in order])
        with open_graph(db) as graph:
            seen.add(tuple((f.id, f.status, f.corroboration, tuple(f.history)) for f in graph.facts()))
    assert len(seen) == 1
