"""`Words`: where a rule's trigger words are, and which sentences have no parse.

The rules read only their trigger words and pass over sentences without a parse. That is safe only
if every case of a rule starts with a test one of its trigger words passes: the last test runs the
articles of the relation and coreference tests once as written and once with `Words` handing every
word of every sentence to every rule (as the rules read before trigger sets), and both must give the
same facts.
"""

from __future__ import annotations

from datetime import date

import pytest
import test_extract_coref
import test_extract_relations
from spacy.tokens import Doc, Span, Token

from alliancegraph.extract.mentions import MentionIndex
from alliancegraph.extract.words import Triggers, Words
from alliancegraph.model import Article

PUBLISHED = date(2013, 11, 5)

pytestmark = pytest.mark.model

STAKE = Triggers(lower=frozenset({"stake"}), lemma=frozenset({"acquire"}))
CO = Triggers(prefixes=("co-",))


def test_words_finds_trigger_words_by_form_and_lemma(extractor):
    doc = extractor.nlp("Renault acquired a stake in Nissan. Daimler sold its Stake in Chrysler.")
    words = Words(doc)
    assert [doc[i].text for i in words.positions(STAKE)] == ["acquired", "stake", "Stake"]
    first, second = doc.sents
    assert [t.text for t in words.tokens(first, STAKE)] == ["acquired", "stake"]
    assert [t.text for t in words.tokens(second, STAKE)] == ["Stake"]
    assert [t.text for t in words.tokens(doc, STAKE)] == ["acquired", "stake", "Stake"]
    assert words.has(second, STAKE) and not words.has(second, CO)


def test_words_reads_parts_of_speech_and_labels(extractor):
    doc = extractor.nlp("Toyota builds cars.")
    words = Words(doc)
    assert words.pos == [t.pos_ for t in doc]
    assert words.dep == [t.dep_ for t in doc]
    assert words.arcs_within_sentences


def test_words_tells_sentences_without_a_parse(extractor):
    parsed = extractor.nlp("Toyota builds cars in Japan.")
    bare = Doc(parsed.vocab, words=["Sales", "fell", ".", "Toyota", "builds", "cars", "."])
    bare[3].is_sent_start = True
    first, second = bare.sents
    assert Words(bare).bare(first) and Words(bare).bare(second)
    assert not Words(parsed).bare(next(iter(parsed.sents)))


class EveryWord(Words):
    """Hands every word of every sentence to every rule, and no sentence is bare."""

    def tokens(self, span: Span | Doc, triggers: Triggers) -> list[Token]:
        return list(span)

    def has(self, span: Span, triggers: Triggers) -> bool:
        return True

    def bare(self, span: Span) -> bool:
        return False

    @property
    def arcs_within_sentences(self) -> bool:  # type: ignore[override]
        return False  # the noun chunks of the whole doc


TEXTS = [case.values[0] for case in test_extract_relations.CASES + test_extract_coref.CASES]


def test_trigger_words_and_bare_sentences_lose_no_fact(extractor, monkeypatch):
    articles = [Article(id=f"case-{i}", text=text, published=PUBLISHED) for i, text in enumerate(TEXTS)]
    as_written = [facts for _, facts in extractor.extract_many(articles)]
    monkeypatch.setattr(MentionIndex, "words", property(lambda index: EveryWord(index.doc)))
    every_word = [facts for _, facts in extractor.extract_many(articles)]
    assert every_word == as_written
