"""Publication dates: from the record, page metadata, a dateline or the comment dates; never guessed."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancegraph.ingest.dates import dates_in, find_published, parse_date


@pytest.mark.parametrize(
    "value,expected",
    [
        ("Mon Oct 23, 2006 3:51am EDT", date(2006, 10, 23)),
        ("Sun Jan 14, 2007 11:59pm EST", date(2007, 1, 14)),
        ("2013-11-05", date(2013, 11, 5)),
        ("2013-11-05T23:10:00+09:00", date(2013, 11, 5)),
        ("2013-11-05 08:00:00", date(2013, 11, 5)),
        ("Tue, 05 Nov 2013 10:00:00 +0000", date(2013, 11, 5)),
        ("5 November 2013", date(2013, 11, 5)),
        ("November 5, 2013", date(2013, 11, 5)),
        ("Nov. 5 2013", date(2013, 11, 5)),
        ("23/10/2006", date(2006, 10, 23)),
        (date(2013, 11, 5), date(2013, 11, 5)),
        (datetime(2013, 11, 5, 22, 0), date(2013, 11, 5)),
        # incomplete, ambiguous or invalid: nothing is invented
        ("Nov 2013", None),
        ("2013", None),
        ("Oct 23", None),
        ("05/11/2013", None),
        ("31 February 2013", None),
        ("2013-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_ingest_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "declared,text,comments,expected",
    [
        # the record's date wins over everything else
        (
            ("Mon Oct 23, 2006 3:51am EDT",),
            "By Jo Writer | Nov 5, 2013\n\nBody.",
            "jo 1 May 2012",
            date(2006, 10, 23),
        ),
        # an unparseable record date falls through; then page metadata
        (("sometime", "2015-06-02"), "Body.", "", date(2015, 6, 2)),
        # a dateline line near the top
        (
            (None,),
            "Acme opens plant\nBy Jo Writer | Nov 5, 2013\n\nAcme opened a plant.",
            "",
            date(2013, 11, 5),
        ),
        ((), "Acme opens plant\nPublished 5 November 2013\n\nAcme opens it.", "", date(2013, 11, 5)),
        (
            (),
            "Nov 5, 2013 - Acme Motors said on Tuesday it would open a plant in Spain next year, its first "
            "in "
            "the country, creating 900 jobs.",
            "",
            date(2013, 11, 5),
        ),
        # a date inside a sentence is an event date, not a dateline
        ((), "Acme opens plant\n\nAcme said on Nov 5, 2013 that it would open a plant.", "", None),
        (
            (),
            "Acme opens plant\n\n" + "Acme opened a plant. " * 3 + "It was founded on 5 May 1950.",
            "",
            None,
        ),
        # the earliest comment date, from the comment headers only
        (
            (),
            "Body.",
            "Comments\n2\nmotorfan 12 March 2014\nGreat.\nPat Q 11 March 2014\nOk.",
            date(2014, 3, 11),
        ),
        (
            (),
            "Body.",
            "Comments\nmotorfan 12 March 2014\n"
            "They said so on 1 January 2013 already, and I wrote it here then too.",
            date(2014, 3, 12),
        ),
        # nothing tells
        ((), "Acme opened a plant in Spain.", "", None),
        ((None, ""), "", "", None),
    ],
)
def test_ingest_find_published(declared, text, comments, expected):
    assert find_published(*declared, text=text, comments=comments) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "from 1 May 2012 to Nov 5, 2013 and 2014-01-02",
            [date(2012, 5, 1), date(2013, 11, 5), date(2014, 1, 2)],
        ),
        ("in May 2012, on 31 June 2012", []),
    ],
)
def test_ingest_dates_in(text, expected):
    assert list(dates_in(text)) == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_ingest_parse_date_round_trips_written_forms(day):
    for written in (
        day.isoformat(),
        day.strftime("%d %B %Y"),
        day.strftime("%b %d, %Y"),
        day.strftime("%a %b %d, %Y 3:51am EDT"),
    ):
        assert parse_date(written) == day
