"""Triage (issue 6): which sentences get the full parse, that the Doc it builds keeps the article's
offsets, and that facts are the same with triage on and off. Every text is written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from alliancegraph.extract import coref, mentions, rules_corporate, rules_products, triage
from alliancegraph.extract.extractor import Extractor, parse_text
from alliancegraph.model import Article

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def cheap(extractor):
    """A tokenized doc with the knowledge ruler's entities only: what triage looks at."""
    ruler = extractor.nlp.get_pipe(triage.RULER)
    return lambda text: ruler(extractor.nlp.make_doc(text))


@pytest.fixture(scope="module")
def both(extractor):
    """Extractors with triage on and off over the one loaded pipeline."""
    return Extractor(nlp=extractor.nlp, triage=True), Extractor(nlp=extractor.nlp, triage=False)


# fmt: off
@pytest.mark.parametrize("sentence,kept", [
    # companies among themselves
    ("Toyota and Mazda announced an alliance on Tuesday.", True),
    ("Nissan holds a 20 percent stake in Mitsubishi Motors.", True),
    ("Renault owns 43 percent of Nissan.", True),
    ("Fiat bought Chrysler in a deal that took two years.", True),
    ("Scania, a unit of Volkswagen, reported higher orders.", True),
    ("The two companies will set up a joint venture to make batteries.", True),
    ("Honda and Isuzu are in talks about joint development of diesel engines.", True),
    ("Bosch will supply brakes to Ford.", True),
    # people at companies
    ("Jane Roe, an analyst at Contoso Securities, said demand was weak.", True),
    ("Northwind Chief Executive John Smith said the plan was on track.", True),
    # vehicles and plants
    ("Ford will build the new Ranger pickup at its plant in Silverton, South Africa.", True),
    ("The Peugeot 108 is based on the Toyota Aygo.", True),
    ("Kia will launch the Soul hatchback in Europe next year.", True),
    # nothing a rule could read
    ("Sales rose 4 percent in October from a year earlier.", False),
    ("The weather was mild on Tuesday.", False),
    ("Prices fell sharply, an analyst said.", False),
    ("Shares in Europe fell 2 percent on Monday.", False),
    ("Ford sold 50,000 units last month.", False),
    ("Investors fled the market as oil prices jumped.", False),
    ('"We are very pleased with the results," he said.', False),
    # quantities and stock talk are no holdings; a holder or "held by" makes them one
    ("Contoso raised its sales target to 900,000 units this year.", False),
    ("Contoso reported sales at its units Northwind and Fabrikam.", True),
    ("Shares in Contoso fell 3 percent after the report.", False),
    ("Jane Roe sold her remaining shares in Contoso this week.", True),
    ("The other shares in Contoso are held by the Northwind family trust.", True),
    # a business in general is no unit; a named one is
    ("Contoso needs cash to run its global operations, analysts said.", False),
    ("Contoso agreed to sell its Northwind operations to Fabrikam.", True),
    # lending money is no supply; supplying a part is
    ("Contoso agreed to provide financing to Fabrikam.", False),
    ("Contoso will supply engines to Fabrikam.", True),
    # a plant needs a name: a town, or a name before it
    ("Contoso will close two plants in Ohio and cut 2,000 jobs.", False),
    ("Contoso said output at its Fairview plant resumed.", True),
    ("Contoso will open a plant in Fairview, Ohio.", True),
])
# fmt: on
def test_triage_keeps_sentences_that_can_state_a_fact(cheap, sentence, kept):
    doc = cheap(sentence)
    assert bool(triage.select(doc)) is kept, triage.cues(doc, 0, len(doc))


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Sales rose. The No. 3 automaker gained.", ["Sales rose. ", "The No. 3 automaker gained."]),
        ("U.S. sales rose at Ford Motor Co. on Friday.", ["U.S. sales rose at Ford Motor Co. on Friday."]),
        ('He said: "It works." Then he left.', ['He said: "It works." ', "Then he left."]),
        ("A heading\n\nThe first paragraph.", ["A heading", "\n\n", "The first paragraph."]),
        ("One.  Two.", ["One.  ", "Two."]),
    ],
)
def test_triage_cuts_sentences_at_final_stops_and_line_breaks(cheap, text, expected):
    doc = cheap(text)
    assert [doc[a:b].text_with_ws for a, b in triage.sentences(doc)] == expected


def test_triage_a_reference_that_opens_a_sentence_brings_the_sentence_before(cheap):
    doc = cheap("Contoso Motors had a loss last year. Sales were slow. The company sold a stake to Ford.")
    spans = triage.sentences(doc)
    runs = triage.select(doc)
    assert len(runs) == 1
    assert runs[0] == (spans[1][0], spans[2][1])  # "Sales were slow." comes along, not the first


ARTICLE = (
    "Northwind Motors reported higher quarterly sales on Monday, helped by demand for pickups.\n\n"
    "The weather in the Midwest was mild in October. Toyota and Mazda announced an alliance on Tuesday to "
    "develop hybrid engines, and the two companies will build them in Hiroshima, Japan.\n\n"
    '"Demand is steady," said Jane Roe, an analyst at Contoso Securities. '
    "Steel prices rose 3 percent last month."
)


def test_triage_doc_keeps_the_article_text_offsets_and_known_names(both):
    on, off = both
    text = parse_text(ARTICLE)
    [(triaged, _)] = list(triage.parse(on.nlp, [(text, None)], triage=True))
    [(full, _)] = list(triage.parse(off.nlp, [(text, None)], triage=False))
    assert triaged.text == full.text == text
    assert [t.idx for t in triaged] == [t.idx for t in full]
    sents = list(triaged.sents)
    assert "".join(s.text_with_ws for s in sents) == text
    # the unparsed first sentence keeps the ruler's entities, and no arcs
    first = sents[0]
    assert not any(t.dep_ for t in first)
    assert all(t.pos_ for t in triaged if "alliance" in t.sent.text)
    assert [e.text for e in triaged.ents if e.label_ == "ORG" and e.start < first.end] == [
        e.text for e in full.ents if e.label_ == "ORG" and e.start < first.end and e.ent_id_
    ]


# Articles written for the test: facts of several kinds among sentences no rule reads.
ARTICLES = [
    ARTICLE,
    "Renault holds a 43 percent stake in Nissan. Shares of both companies fell on Friday. Carlos Ghosn, "
    "chief executive of Renault, said the partnership would deepen. "
    "Analysts expect sales to recover next year.",
    "The new Fiat 500 will be built at the Tychy plant in Poland. Fiat said it expected strong demand in "
    "Europe. The car goes on sale in Italy in March. Fuel prices were unchanged.",
    "Quarterly profit fell 12 percent. Volkswagen said on Wednesday it would buy a 19.9 percent stake in "
    "Suzuki. The Japanese carmaker will supply small cars to Volkswagen in India. Its shares rose 4 percent.",
    "A heading without a stop\n\nHyundai will supply engines to Kia for its small cars, the companies said. "
    "Kia will make the engines in Ulsan, South Korea. Rain delayed deliveries in the north.",
]


@pytest.mark.parametrize("text", ARTICLES, ids=[f"article-{i}" for i in range(len(ARTICLES))])
def test_triage_on_and_off_give_the_same_facts(both, text):
    on, off = both
    article = Article(id="t", text=text, published=date(2013, 11, 5))
    facts = off.extract(article)
    assert facts, "the article should state facts"
    assert on.extract(article) == facts


def test_triage_off_parses_every_sentence(both):
    _, off = both
    [(doc, _)] = list(triage.parse(off.nlp, [(parse_text(ARTICLE), None)], triage=False))
    assert all(t.pos_ for t in doc)


def test_triage_an_article_with_nothing_to_parse_states_no_fact(both):
    on, _ = both
    text = "Sales rose 4 percent in October. The weather was mild."
    article = Article(id="t", text=text, published=date(2013, 11, 5))
    assert on.extract(article) == []


def test_triage_cues_cover_the_trigger_words_of_the_rules():
    """A rule's new trigger word must reach triage too, or its sentences would never be parsed."""
    corporate, product = set(triage.CORPORATE), set(triage.PRODUCT)
    for words in (rules_corporate.PARTNER_NOUNS, rules_corporate.STAKE_NOUNS, rules_corporate.UNIT_NOUNS,
                  rules_corporate.JV_WORDS, rules_corporate.PARTNER_VERBS):  # fmt: skip
        assert set(words) <= corporate, set(words) - corporate
    assert set(rules_corporate.TITLE_HEADS) <= triage.TITLE_HEADS
    for lemmas in (rules_products.BUILD, rules_products.LAUNCH_VERBS, rules_products.MARKET_VERBS,
                   rules_products.SUPPLY_VERBS, rules_products.DEVELOP - {"co"}):  # fmt: skip
        assert set(lemmas) <= product, set(lemmas) - product
    vehicles = set(rules_products.COMPONENTS) | set(mentions.VEHICLE_NOUNS) | set(mentions.PLATFORM_NOUNS)
    assert vehicles <= triage.VEHICLE_WORDS
    assert set(mentions.PLANT_NOUNS) <= triage.PLANT_WORDS
    assert set(coref.PRONOUNS) | set(coref.PLURAL_NOUNS) <= triage.REFERRING
    assert set(coref.COMPANY_NOUNS) - {"automobile"} <= triage.REFERRING
    assert set(coref.VEHICLE_NOUNS) <= triage.DESCRIBED


RULE_TEXTS = [
    "Toyota's president said the company ain't going to cut prices, and y'all know nothin' changes.",
    "He's gonna sell the plant, but they didn't say when; we'll see, she added.",
    "Sales of the Corolla rose 5 percent in Japan, where the U.S. maker's cars aren't popular.",
    "The CEO, who joined in 2010, let's say, is well-liked at BMW AG.\n\nShares fell.",
]


def test_rule_memo_gives_the_rule_components_own_annotations(extractor):
    """The memo of the attribute ruler and lemmatizer is an exact shortcut, not an approximation."""
    from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

    from alliancegraph.extract.nlp import RULE_PIPES, RuleMemo

    nlp = extractor.nlp
    memo = RuleMemo(nlp)
    assert memo.enabled
    attrs = [TAG, DEP, POS, MORPH, LEMMA]
    for _ in range(2):  # cold, then every case from memory
        for text in RULE_TEXTS:
            [bare] = list(nlp.pipe([text], disable=[triage.RULER, "ner", *RULE_PIPES]))
            real, fast = bare.copy(), bare.copy()
            for name in RULE_PIPES:
                real = nlp.get_pipe(name)(real)
            fast = memo(fast)
            assert (fast.to_array(attrs) == real.to_array(attrs)).all(), text
