"""Cleaning: page furniture, reader comments and wire conventions removed; hard wraps undone; real
paragraphs kept verbatim. Every article here is written for these tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from alliancegraph.ingest import read_path
from alliancegraph.ingest.clean import clean_text, is_headline
from alliancegraph.ingest.unwrap import _SPACES, collapse_spaces, is_hard_wrapped, paragraphs
from alliancegraph.ingest.wire import remove_tickers, split_subheads

DATA = Path(__file__).parent / "data" / "ingest"

BODY_1 = "Acme Motors and Borealis Autos are reportedly discussing a deal to share small diesel engines."
BODY_2 = "Borealis, which is controlled by Zephyr Holdings, launched a new hatchback (above) last month."


@pytest.mark.parametrize(
    "fixture,kept,removed",
    [
        (
            "blog_post_with_bio.txt",
            ["reportedly discussing a deal", "launched a new hatchback (above) last month."],
            [
                "Robin Vale",
                "by Robin",
                "ExampleCars",
                "Note:",
                "PHOTO GALLERY",
                "[Source:",
                "More by",
                "Comments",
                "Next",
            ],
        ),
        (
            "web_page_with_comments.txt",
            ["Two carmakers plan a joint compact crossover", "built at the Borealis plant in Tarnow"],
            ["Currently reading", "Join the debate", "gearhead77", "sensible plan", "2 \n", "Add a comment"],
        ),
    ],
)
def test_ingest_clean_web_fixture(fixture, kept, removed):
    [article] = read_path(DATA / fixture)
    for text in kept:
        assert text in article.text
    for text in removed:
        assert text not in article.text


@pytest.mark.parametrize(
    "page",
    [
        # byline, repeated author name, caption, gallery link, source note, bio, "More by", comments
        f"Acme and Borealis weigh engine deal\n\nJo Writer\nby Jo Writer\n\n{BODY_1}\n\n{BODY_2}\n\n"
        "Note: Borealis concept car pictured\n\nPHOTO GALLERY\n\n[Source: Example Weekly]\n\n"
        "Jo Writer\nJo Writer\n\n"
        "With ExampleCars since 2009, Jo covers European carmakers and their suppliers.\n\n"
        "More by Jo Writer\n\nComments\nJoin the conversation\nNext",
        # byline with a date, bio opening with the author's name, "Add a comment" marker
        f"Acme and Borealis weigh engine deal\n\nBy Jo Writer | March 11, 2014\n\n{BODY_1}\n\n{BODY_2}\n\n"
        "Jo Writer is a senior reporter who has covered the car industry for ten years.\n\n"
        "Add a comment\nmotorfan 11 March 2014\nI like it.",
        # caption lines of other kinds and a "Related stories" list after the article
        f"Acme and Borealis weigh engine deal\n\n{BODY_1}\n\nPhoto: Acme Motors\n\n{BODY_2}\n\n"
        "(Pictured: the Borealis hatchback)\n\nRelated stories\nAcme sales rise\nBorealis hires new chief",
    ],
)
def test_ingest_clean_web_boilerplate(page):
    cleaned = clean_text(page)
    assert cleaned.title == "Acme and Borealis weigh engine deal"
    assert cleaned.body == f"{BODY_1}\n\n{BODY_2}"


@pytest.mark.parametrize(
    "page,title,first",
    [
        (
            "Currently reading: Acme opens plant\nA standfirst without a stop\n\nBody text here.",
            "Acme opens plant",
            "A standfirst",
        ),
        ("Acme opens plant\n\nBody text here.", "Acme opens plant", "Body text here."),
        ("Acme opened a plant in Spain on Monday.\n\nBody text here.", None, "Acme opened a plant"),
        ("(Adds comment from Borealis)\n\nBody text here.", None, "Body text here."),
        (
            "Acme opened a plant in the south of\nSpain, the company said on Monday.",
            None,
            "Acme opened a plant in the south of Spain",
        ),
    ],
)
def test_ingest_clean_headline(page, title, first):
    cleaned = clean_text(page)
    assert cleaned.title == title
    assert cleaned.body.startswith(first)


@pytest.mark.parametrize(
    "line,expected",
    [
        ("Acme and Borealis sign engine pact", True),
        ("Report: Acme, Borealis Team Up on Engines", True),
        ("Acme and Borealis signed an engine pact.", False),
        ("x" * 200, False),
        ("LISBON (Reuters) - Acme and Borealis", False),
        ("(Corrects name of plant)", False),
    ],
)
def test_ingest_is_headline(line, expected):
    assert is_headline(line) is expected


WRAPPED = (
    "LISBON  (Reuters) - Acme Motors ( ACME.N ) and Borealis Autos\n"
    "BRLS.UL said on Tuesday they would jointly build small\n"
    "engines at a plant in Portugal, starting next year. \n"
    "\n"
    "  The two companies have worked together on gearboxes since\n"
    "2010, Acme said in a statement.  Borealis will hold a 40\n"
    "percent stake in the engine venture, it said.\n"
    "  (Reporting by Jo Example; Editing by Sam Sample)"
)
WRAPPED_CLEAN = (
    "Acme Motors and Borealis Autos said on Tuesday they would jointly build small engines at a plant in "
    "Portugal, starting next year.\n\n"
    "The two companies have worked together on gearboxes since 2010, Acme said in a statement.\n\n"
    "Borealis will hold a 40 percent stake in the engine venture, it said."
)


@pytest.mark.parametrize("raw,expected", [(WRAPPED, WRAPPED_CLEAN)])
def test_ingest_clean_wire_hard_wrapped(raw, expected):
    assert clean_text(raw, title="Acme, Borealis in engine tie-up").body == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        # dateline with a day, inline tickers of both kinds, closing credits glued to the last sentence
        (
            "TOKYO, March 12 (Reuters) - Zephyr Holdings ( 9999.T ) said it would sell its Borealis stake. "
            "\n\n The sale should close in June. Shares of Zephyr ( 9999.T ) rose. "
            "(Reporting by Ann Other; Editing by Joe Bloggs)",
            "Zephyr Holdings said it would sell its Borealis stake.\n\n"
            "The sale should close in June. Shares of Zephyr rose.",
        ),
        # editorial note and byline before the dateline; "--" credit; story reference
        (
            "(Adds analyst comment) \n\n  By  Jo Example LISBON  (Reuters) - Acme Motors ACMEn.DE will build "
            "engines in Portugal. <ID:nL1234567> \n\n Analysts welcomed the move.  "
            "-- Additional reporting by Ann Other in Porto",
            "Acme Motors will build engines in Portugal.\n\nAnalysts welcomed the move.",
        ),
        # (Additional reporting ...) credit split over a paragraph break by the wrap; see-also note
        (
            "(For more on the car industry, see here) \n\n"
            "DETROIT (Reuters) - Acme Motors ( ACME.N ) rose. \n\n"
            " Borealis fell.\n\n(Additional reporting by Ann Other and\n\nJo Example )",
            "Acme Motors rose.\n\nBorealis fell.",
        ),
        # dateline without the agency; index code; bare "Reporting by" paragraph
        (
            "DETROIT, Jan 8 - Acme Motors ( ACME.N ) said sales rose, lifting the index .SPX to a record."
            " \n\n"
            "Reporting by Ann Other; Editing by Jo Example",
            "Acme Motors said sales rose, lifting the index to a record.",
        ),
    ],
)
def test_ingest_clean_wire_conventions(raw, expected):
    assert clean_text(raw, title="Some title").body == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Acme Motors ( ACME.N ) and Borealis ( 9999.T )( BRL.DE ) rose.", "Acme Motors and Borealis rose."),
        ("Chrysler LLC CBS.UL and Borealis BRLGn.DE rose.", "Chrysler LLC and Borealis rose."),
        ("Shares of Acme Inc. ACM.N, the maker, rose.", "Shares of Acme Inc., the maker, rose."),
        ("The index ( .N225 ) fell.", "The index fell."),
        # not tickers
        ("Acme (VW) sold Amazon.com (Amazon.com) shares in the U.S. and Co. Ltd.", None),
        ("It rose 5.5 percent to 12.30 euros at 0900 GMT.", None),
    ],
)
def test_ingest_remove_tickers(raw, expected):
    assert remove_tickers(raw) == (raw if expected is None else expected)


@pytest.mark.parametrize(
    "paragraph,expected",
    [
        (
            "Costs rose. SALES DOWN, CASH IN FOCUS Revenue fell by a third.",
            ["Costs rose.", "SALES DOWN, CASH IN FOCUS", "Revenue fell by a third."],
        ),
        (
            'WHAT ANALYSTS SAY "It is a good deal," one said.',
            ["WHAT ANALYSTS SAY", '"It is a good deal," one said.'],
        ),
        ("BMW AG CEO Jo Example said sales rose.", ["BMW AG CEO Jo Example said sales rose."]),
        ("GM and SAIC said sales rose.", ["GM and SAIC said sales rose."]),
    ],
)
def test_ingest_split_subheads(paragraph, expected):
    assert split_subheads(paragraph) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # blank-line paragraphs, one paragraph per line
        ("First paragraph.\n\nSecond paragraph.", ["First paragraph.", "Second paragraph."]),
        ("First paragraph.\nSecond paragraph.", ["First paragraph.", "Second paragraph."]),
        # two spaces after a full stop: paragraphs the wire joined on one line
        ("First one ends.  Second one starts.", ["First one ends.", "Second one starts."]),
        ('He said "yes."  Then he left.', ['He said "yes."', "Then he left."]),
        # but not one space, nor two spaces that do not follow a stop
        ("First one ends. Second goes on.", ["First one ends. Second goes on."]),
        ("FRANKFURT  (Reuters) - text", ["FRANKFURT (Reuters) - text"]),
        # hard wraps mid-sentence, paragraphs marked by indented lines
        (
            "Acme said on Monday it would build a new\nplant in Spain, its first in\n"
            "the country.\n  Borealis declined to comment on the\nplans, a spokesman said.",
            [
                "Acme said on Monday it would build a new plant in Spain, its first in the country.",
                "Borealis declined to comment on the plans, a spokesman said.",
            ],
        ),
        # an obvious continuation in a line-per-paragraph text is joined
        (
            "Acme said on Monday\nthat it would grow.\nBorealis said nothing.",
            ["Acme said on Monday that it would grow.", "Borealis said nothing."],
        ),
    ],
)
def test_ingest_unwrap_paragraphs(text, expected):
    assert paragraphs(text) == expected


@pytest.mark.parametrize(
    "lines,expected",
    [
        (
            [
                "Acme said on Monday it would build a new",
                "plant in Spain, its first in the",
                "country, and hire staff.",
            ],
            True,
        ),
        (["Jo Writer", "by Jo Writer", "", "Acme opened a plant."], False),
        (["One paragraph.", "Another paragraph.", "A third one."], False),
    ],
)
def test_ingest_is_hard_wrapped(lines, expected):
    assert is_hard_wrapped(lines) is expected


WORD = st.sampled_from(
    ["acme", "borealis", "plant", "engine", "deal", "cars", "built", "agreed", "shares", "rose", "stake"]
    + ["venture", "the", "of", "in"]
)
SENTENCE = st.lists(WORD, min_size=6, max_size=14).map(lambda ws: " ".join(ws).capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=2, max_size=5).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=4), st.integers(min_value=40, max_value=72))
def test_ingest_unwrap_undoes_hard_wraps(paras, width):
    wrapped = "\n\n".join(textwrap.fill(p, width=width) for p in paras)
    # Only a text with breaks mid-sentence can be told from one paragraph a line.
    assume(is_hard_wrapped(wrapped.split("\n")))
    assert paragraphs(wrapped) == paras


@settings(max_examples=60, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=4))
def test_ingest_clean_keeps_clean_text(paras):
    body = "\n\n".join(paras)
    assert clean_text(body, title="A title").body == body


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Toyota  and   Mazda ", "Toyota and Mazda"),
        ("Toyota\tand\u00a0Mazda", "Toyota and Mazda"),
        ("  Renault \u2009 Nissan\u3000", "Renault Nissan"),
        ("line one \nline two", "line one \nline two"),  # line breaks are no blanks here
        ("plain text", "plain text"),
    ],
)
def test_ingest_collapse_spaces(raw, expected):
    assert collapse_spaces(raw) == expected


@given(st.text(alphabet=" \t\f\v\u00a0\u2009\u3000\nab\u00e9", max_size=40))
@settings(max_examples=300, deadline=None)
def test_ingest_collapse_spaces_is_the_one_expression_everywhere(text):
    """The fast path for plain ASCII gives what the expression over every blank gives."""
    assert collapse_spaces(text) == _SPACES.sub(" ", text).strip()
