"""Time expressions of news English resolved to EDTF against the publication date (`temporal.normalize`),
and the time each extracted fact carries."""

from __future__ import annotations

import calendar
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancegraph.extract.temporal import normalize

PUBLISHED = date(2013, 11, 5)
"""A Tuesday."""


def gap(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


@pytest.mark.parametrize(
    "text,published,future,expected",
    [
        # absolute dates need no reference
        pytest.param("in April 2010", PUBLISHED, False, "2010-04", id="month-year"),
        pytest.param("in April 2010", None, False, "2010-04", id="month-year-without-published"),
        pytest.param("March 3, 2012", PUBLISHED, False, "2012-03-03", id="month-day-year"),
        pytest.param("3 March 2012", PUBLISHED, False, "2012-03-03", id="day-month-year"),
        pytest.param("late 2016", PUBLISHED, True, "2016", id="late-year"),
        pytest.param("in 2016", None, True, "2016", id="year"),
        pytest.param("the end of 2014", PUBLISHED, True, "../2014", id="end-of-year"),
        pytest.param("since 2009", PUBLISHED, False, "2009/..", id="since-year"),
        pytest.param("between 2008 and 2010", PUBLISHED, False, "2008/2010", id="between-years"),
        pytest.param("March 5, 1850", PUBLISHED, False, "1850-03-05", id="a-nineteenth-century-day"),
        pytest.param("in 1899", PUBLISHED, False, "1899", id="a-nineteenth-century-year"),
        # relative to the publication date
        pytest.param("earlier this year", PUBLISHED, False, "2013", id="earlier-this-year"),
        pytest.param("this year", PUBLISHED, True, "2013", id="this-year"),
        pytest.param("last year", PUBLISHED, False, "2012", id="last-year"),
        pytest.param("next year", PUBLISHED, True, "2014", id="next-year"),
        pytest.param("two years ago", PUBLISHED, False, "2011", id="years-ago"),
        pytest.param("in three years", PUBLISHED, True, "2016", id="in-n-years"),
        pytest.param("last month", PUBLISHED, False, "2013-10", id="last-month"),
        pytest.param("next month", PUBLISHED, True, "2013-12", id="next-month"),
        pytest.param("next month", date(2013, 12, 20), True, "2014-01", id="next-month-across-year-end"),
        pytest.param("five months ago", PUBLISHED, False, "2013-06", id="months-ago"),
        pytest.param(
            "a little more than five months ago", PUBLISHED, False, "2013-06", id="hedged-months-ago"
        ),
        pytest.param("before the end of the decade", PUBLISHED, True, "../2019", id="before-end-of-decade"),
        pytest.param(
            "by the end of the decade", date(2010, 1, 1), True, "../2019", id="decade-from-its-first-year"
        ),
        pytest.param("by the end of this year", PUBLISHED, True, "../2013", id="by-end-of-this-year"),
        pytest.param("yesterday", PUBLISHED, False, "2013-11-04", id="yesterday"),
        pytest.param("today", PUBLISHED, False, "2013-11-05", id="today"),
        pytest.param("the first quarter", PUBLISHED, False, "2013", id="quarter"),
        # weekdays and months without a year point back for reports, forward for plans
        pytest.param("on Monday", PUBLISHED, False, "2013-11-04", id="monday-past"),
        pytest.param("on Monday", PUBLISHED, True, "2013-11-11", id="monday-future"),
        pytest.param("on Friday", PUBLISHED, False, "2013-11-01", id="friday-past"),
        pytest.param("on Tuesday", PUBLISHED, False, "2013-11-05", id="weekday-of-publication"),
        pytest.param("in April", PUBLISHED, False, "2013-04", id="month-past"),
        pytest.param("in April", PUBLISHED, True, "2014-04", id="month-future"),
        pytest.param("in May", PUBLISHED, False, "2013-05", id="may-the-month"),
        pytest.param("on Nov. 1", PUBLISHED, False, "2013-11-01", id="abbreviated-month-day"),
        # no time named
        pytest.param("may", PUBLISHED, False, None, id="may-the-verb"),
        pytest.param("20 percent", PUBLISHED, False, None, id="percentage"),
        pytest.param("$2015 million", PUBLISHED, False, None, id="money"),
        pytest.param("the new plant", PUBLISHED, False, None, id="no-time"),
        # no valid calendar value: None, never an impossible date or an exception
        pytest.param("February 31, 2013", PUBLISHED, False, None, id="impossible-date"),
        pytest.param("0 May 2013", PUBLISHED, False, None, id="day-zero"),
        pytest.param("3000000 days ago", PUBLISHED, False, None, id="out-of-range-offset"),
        pytest.param("100000000000 days ago", PUBLISHED, False, None, id="offset-too-big-for-timedelta"),
        pytest.param("in 99999 years", PUBLISHED, True, None, id="year-past-9999"),
        pytest.param("next week", date.max, True, None, id="week-after-the-last-day"),
        pytest.param("last month", date.min, False, None, id="month-before-year-1"),
        pytest.param("between 2010 and 2008", PUBLISHED, False, None, id="interval-backwards"),
        pytest.param("between 19\u0663\u0663 and 2000", PUBLISHED, False, None, id="non-ascii-digits"),
    ],
)
def test_normalize(text, published, future, expected):
    assert normalize(text, published, future) == expected


@pytest.mark.parametrize(
    "text",
    [
        "earlier this year",
        "last year",
        "five months ago",
        "on Monday",
        "next month",
        "before the end of the decade",
        "in April",
        "yesterday",
    ],
)
def test_normalize_relative_without_published_is_unknown(text):
    assert normalize(text, None) is None
    assert normalize(text, None, future=True) is None


@pytest.mark.parametrize(
    "text,published,future,expected",
    [
        pytest.param(
            "by 2015",
            PUBLISHED,
            True,
            "../2015",
            id="by-year",
            marks=gap(
                "the leading 'by' is stripped as a preposition before the 'before' flag is read, "
                "so 'by 2015' gives '2015' instead of '../2015'"
            ),
        ),
        pytest.param(
            "by March 2014",
            PUBLISHED,
            True,
            "../2014-03",
            id="by-month-year",
            marks=gap("same: the month-year branch would give '../2014-03' but 'by' is gone by then"),
        ),
        pytest.param(
            "next Tuesday",
            PUBLISHED,
            True,
            "2013-11-12",
            id="next-weekday-on-that-weekday",
            marks=gap("'next Tuesday' in an article of a Tuesday resolves to the publication day itself"),
        ),
    ],
)
def test_normalize_gaps(text, published, future, expected):
    assert normalize(text, published, future) == expected


# normalising twice gives the same result
@pytest.mark.parametrize(
    "value",
    [
        pytest.param("2016", id="year"),
        pytest.param("1999", id="last-century"),
        pytest.param("2010-04", id="month", marks=gap("normalize reads only the year of '2010-04'")),
        pytest.param("2013-11-05", id="day", marks=gap("normalize reads only the year of '2013-11-05'")),
        pytest.param("../2019", id="open-start", marks=gap("normalize turns '../2019' into '2019'")),
        pytest.param("2009/..", id="open-end", marks=gap("normalize turns '2009/..' into '2009'")),
        pytest.param("2008/2010", id="interval", marks=gap("normalize turns '2008/2010' into '2008'")),
    ],
)
def test_normalize_is_stable_on_its_own_output(value):
    assert normalize(value, PUBLISHED) == value
    assert normalize(value, PUBLISHED, future=True) == value


MONTH_NAMES = [m for m in calendar.month_name if m]
NEWS_DATES = st.dates(min_value=date(1950, 1, 1), max_value=date(2050, 12, 31))
PUBLISHED_OR_NONE = st.none() | NEWS_DATES

_UNITS = st.sampled_from(["day", "days", "week", "weeks", "month", "months", "year", "years"])
_SMALL = st.integers(min_value=0, max_value=60).map(str) | st.sampled_from(
    ["a", "one", "two", "five", "several"]
)
TIME_PHRASES = st.one_of(
    st.builds(
        lambda p, m, y: f"{p} {m} {y}",
        st.sampled_from(["in", "by", "since", "until", "from", ""]),
        st.sampled_from(MONTH_NAMES + ["Sept.", "Jan.", "Oct"]),
        st.integers(1900, 2099),
    ),
    st.builds(
        lambda m, d, y: f"{m} {d}, {y}",
        st.sampled_from(MONTH_NAMES),
        st.integers(0, 40),
        st.integers(1900, 2099),
    ),
    st.builds(lambda n, u, tail: f"{n} {u} {tail}", _SMALL, _UNITS, st.sampled_from(["ago", "", "from now"])),
    st.builds(
        lambda pre, n, u: f"{pre} {n} {u}",
        st.sampled_from(["in", "within", "for", "another", "next"]),
        _SMALL,
        _UNITS,
    ),
    st.builds(
        lambda w, u: f"{w} {u}",
        st.sampled_from(
            ["this", "last", "next", "earlier this", "later this", "the end of the", "before the end of the"]
        ),
        st.sampled_from(["year", "month", "week", "decade", "quarter"]),
    ),
    st.builds(
        lambda p, d: f"{p} {d}",
        st.sampled_from(["on", "next", "last", ""]),
        st.sampled_from(list(calendar.day_name) + ["yesterday", "today", "tomorrow"]),
    ),
    st.lists(
        st.sampled_from(
            list("0123456789,./-$%'") + ["may", "in", "ago", "year", "April", "the", "by", "2013"]
        ),
        max_size=8,
    ).map(" ".join),
)

EDTF = re.compile(r"(?:\.\./)?-?\d{4,}(?:-\d{2}(?:-\d{2})?)?(?:/(?:\.\.|\d{4}(?:-\d{2}(?:-\d{2})?)?))?")


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=80), published=PUBLISHED_OR_NONE, future=st.booleans())
def test_normalize_never_raises_on_arbitrary_text(text, published, future):
    value = normalize(text, published, future)
    assert value is None or isinstance(value, str)


@settings(max_examples=300, deadline=None)
@given(text=TIME_PHRASES, published=PUBLISHED_OR_NONE, future=st.booleans())
def test_normalize_gives_edtf_or_none_on_time_phrases(text, published, future):
    value = normalize(text, published, future)
    assert value is None or EDTF.fullmatch(value), value


@settings(max_examples=300, deadline=None)
@given(text=TIME_PHRASES, published=PUBLISHED_OR_NONE, future=st.booleans())
def test_normalize_year_output_is_stable(text, published, future):
    """Where normalize understands its own output (a plain year), feeding it back changes nothing."""
    value = normalize(text, published, future)
    if value is not None and re.fullmatch(r"\d{4}", value):
        assert normalize(value, published, future) == value


@settings(max_examples=200, deadline=None)
@given(day=NEWS_DATES, published=PUBLISHED_OR_NONE, future=st.booleans())
def test_normalize_written_dates_round_trip(day, published, future):
    month = calendar.month_name[day.month]
    assert normalize(f"{month} {day.day}, {day.year}", published, future) == day.isoformat()
    assert normalize(f"on {day.day} {month} {day.year}", published, future) == day.isoformat()
    assert normalize(f"in {month} {day.year}", published, future) == day.isoformat()[:7]


# The time of extracted facts: the sentence's time expression resolved against the article's date.
@pytest.mark.model
@pytest.mark.parametrize(
    "text,published,triple,expected",
    [
        pytest.param(
            "Toyota took a 5 percent stake in Mazda in April 2010.",
            PUBLISHED,
            ("owns", "Toyota", "Mazda"),
            "2010-04",
            id="absolute-month",
        ),
        pytest.param(
            "Toyota took a 5 percent stake in Mazda in April 2010.",
            None,
            ("owns", "Toyota", "Mazda"),
            "2010-04",
            id="absolute-month-without-published",
        ),
        pytest.param(
            "Toyota took a 5 percent stake in Mazda earlier this year.",
            PUBLISHED,
            ("owns", "Toyota", "Mazda"),
            "2013",
            id="earlier-this-year",
        ),
        pytest.param(
            "Toyota and Mazda announced an alliance last year.",
            PUBLISHED,
            ("partner_of", "Toyota", "Mazda"),
            "2012",
            id="last-year",
        ),
        pytest.param(
            "Toyota will take a 5 percent stake in Mazda before the end of the decade.",
            PUBLISHED,
            ("owns", "Toyota", "Mazda"),
            "../2019",
            id="before-the-end-of-the-decade",
        ),
        pytest.param(
            "The Kia Soul will go on sale in Europe next year.",
            PUBLISHED,
            ("launch", "Kia Soul", "Europe"),
            "2014",
            id="next-year",
        ),
        pytest.param(
            "Kia launched the Kia Soul in Brazil on Monday.",
            PUBLISHED,
            ("launch", "Kia Soul", "Brazil"),
            "2013-11-04",
            id="past-monday",
        ),
        pytest.param(
            "Kia will launch the Kia Soul in Brazil on Monday.",
            PUBLISHED,
            ("launch", "Kia Soul", "Brazil"),
            "2013-11-11",
            id="coming-monday",
        ),
        pytest.param(
            "Kia launched the Kia Soul in Brazil five months ago.",
            PUBLISHED,
            ("launch", "Kia Soul", "Brazil"),
            "2013-06",
            id="months-ago",
        ),
        # an event the sentence does not date is dated by its article; a plan holds from then on
        pytest.param(
            "Toyota and Mazda announced an alliance.",
            PUBLISHED,
            ("partner_of", "Toyota", "Mazda"),
            "2013-11-05",
            id="undated-event",
        ),
        pytest.param(
            "Honda will supply engines to Isuzu.",
            PUBLISHED,
            ("supplies", "Honda", "Isuzu"),
            "2013-11-05/..",
            id="undated-plan",
        ),
        # a background fact gets no time; nor does a relative expression with nothing to resolve it
        pytest.param(
            "Toyota's partner Mazda will use the hybrid system.",
            PUBLISHED,
            ("partner_of", "Toyota", "Mazda"),
            None,
            id="background-fact",
        ),
        pytest.param(
            "The Kia Soul will go on sale in Europe next year.",
            None,
            ("launch", "Kia Soul", "Europe"),
            None,
            id="relative-without-any-date",
        ),
        pytest.param(
            "Sales fell in 2012. The Kia Soul will go on sale in Europe next year.",
            None,
            ("launch", "Kia Soul", "Europe"),
            "2013",
            id="relative-to-the-latest-year-named",
        ),
    ],
)
def test_fact_time_resolved_against_publication(facts_of, find_fact, text, published, triple, expected):
    facts = facts_of(text, published=published)
    fact = find_fact(facts, *triple)
    assert fact is not None, [(f.relation, f.head, f.tail) for f in facts]
    assert fact.time == expected


def test_extract_a_sold_stake_was_owned_until_the_sale(facts_of, find_fact):
    fact = find_fact(facts_of("Toyota sold its 5 percent stake in Isuzu in 2006."), "owns", "Toyota", "Isuzu")
    assert fact is not None and fact.time == "../2006"
    planned = find_fact(facts_of("Toyota plans to sell its 5 percent stake in Isuzu."), "owns", "Toyota", "Isuzu")
    assert planned is not None and (planned.status, planned.future) == ("confirmed", False)
    assert planned.time is None or not planned.time.startswith("..")


def test_extract_a_date_of_a_side_clause_does_not_date_the_fact(facts_of, find_fact):
    """The year of a dropped plan is not the year of the stake sale that ended it."""
    facts = facts_of(
        "Kia planned on building a new van in 2015, but the plans were dropped after the sale of "
        "Hyundai's majority stake in Kia.",
        published=date(2013, 11, 5),
    )
    fact = find_fact(facts, "owns", "Hyundai", "Kia")
    assert fact is not None and "2015" not in (fact.time or "")


def test_extract_a_company_sold_changes_hands_at_the_sale(facts_of, find_fact):
    facts = facts_of("Ford sold Jaguar to Tata Motors in 2008.")
    assert find_fact(facts, "owns", "Tata Motors", "Jaguar").time == "2008"
    assert find_fact(facts, "owns", "Ford", "Jaguar").time == "../2008"
    planned = facts_of("GM plans to sell Opel to Magna.")
    seller = find_fact(planned, "owns", "GM", "Opel")
    assert (seller.status, seller.future, seller.time) == ("confirmed", False, None)
    assert find_fact(planned, "owns", "Magna", "Opel").future is True


def test_extract_a_date_of_a_coordinated_clause_dates_only_that_clause(facts_of, find_fact):
    facts = facts_of(
        "The Kia Soul will be built by Kia at its Zilina plant in Slovakia and will go on sale in Europe next year.",
        published=date(2013, 11, 5),
    )
    assert find_fact(facts, "launch", "Kia Soul", "Europe").time == "2014"
    assert find_fact(facts, "manufactures", "Kia", "Kia Soul").time == "2013-11-05/.."
