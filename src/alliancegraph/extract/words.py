"""The strings of a doc's words, read once per doc, and where a rule's trigger words are.

The rules ask a few questions of every word of an article ("is it "stake"?", "is it a verb?"),
and the spaCy `Token` made for each question costs more than the question. `Words` finds once
per doc the positions of the words a rule can act on (its `Triggers`), so the rule makes Tokens
only for those, and gives the parts of speech and dependency labels of all the words as plain
lists indexed by token position.

With triage most sentences of an article have no parse (`alliancegraph.extract.triage`): their
words have no part of speech, tag, lemma, label or head. `bare` tells such a sentence, which a
rule that starts from the parse can pass over whole.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS, SENT_START, TAG
from spacy.tokens import Doc, Span, Token


@dataclass(frozen=True, eq=False)
class Triggers:
    """The words a rule can act on: a lower-case form in `lower` or beginning with one of
    `prefixes`, or a lemma in `lemma` (compared lower-cased).

    A rule that reads only its trigger words must pass over every other word without effect, so
    that it finds what it would find reading every word. A trigger set may hold more words than
    the rule acts on (the rule still makes its own tests), never fewer. Trigger sets are module
    constants, compared by identity: `Words` finds each one's positions once per doc.
    """

    lower: frozenset[str] = frozenset()
    lemma: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()


class Words:
    """The words of one doc: `pos` and `dep` as lists of strings, and where trigger words are.
    Each is read on first use; a word without a parse has "" for part of speech and label."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self._positions: dict[Triggers, list[int]] = {}

    @cached_property
    def pos(self) -> list[str]:
        return self._strings(POS)

    @cached_property
    def dep(self) -> list[str]:
        return self._strings(DEP)

    def _strings(self, attr: int) -> list[str]:
        strings = self.doc.vocab.strings
        return [strings[key] if key else "" for key in self.doc.to_array(attr).tolist()]  # key 0: no value

    def bare(self, span: Span) -> bool:
        """Whether no word of the span has a part of speech, tag, lemma, label or head of its own:
        a sentence triage did not parse."""
        annotated = self._annotated_before
        return annotated[span.end] == annotated[span.start]

    @cached_property
    def arcs_within_sentences(self) -> bool:
        """Whether every word's head is in the word's own sentence (as `Doc.sents` cuts them), so
        that no phrase reaches across a sentence boundary."""
        if not len(self.doc):
            return True
        heads = numpy.arange(len(self.doc)) + self.doc.to_array(HEAD).astype(numpy.int64)
        sentence = numpy.cumsum(self.doc.to_array(SENT_START) == 1)
        return bool((sentence[heads] == sentence).all())

    @cached_property
    def _annotated_before(self) -> list[int]:
        """For each position, how many words before it carry some annotation of the parse."""
        if not len(self.doc):
            return [0]
        marks = self.doc.to_array([POS, TAG, LEMMA, DEP, HEAD]).any(axis=1)
        return [0, *marks.cumsum().tolist()]

    def positions(self, triggers: Triggers) -> list[int]:
        """The positions of the doc's trigger words, in order (found once per doc and trigger set)."""
        found = self._positions.get(triggers)
        if found is None:
            lower = set(triggers.lower)
            if triggers.prefixes:
                lower.update(word for word in self._where_lower if word.startswith(triggers.prefixes))
            hits = _positions_of(self._where_lower, lower)
            if triggers.lemma:
                hits += _positions_of(self._where_lemma, triggers.lemma)
            found = self._positions[triggers] = sorted(set(hits))
        return found

    @cached_property
    def _where_lower(self) -> dict[str, list[int]]:
        """The positions of each lower-case form."""
        return _where(self._strings(LOWER))

    @cached_property
    def _where_lemma(self) -> dict[str, list[int]]:
        """The positions of each lemma, lower-cased."""
        return _where([lemma.lower() for lemma in self._strings(LEMMA)])

    def tokens(self, span: Span | Doc, triggers: Triggers) -> list[Token]:
        """The trigger words of a sentence (or of the whole doc), in text order."""
        doc = self.doc
        return [doc[i] for i in self._within(span, triggers)]

    def has(self, span: Span, triggers: Triggers) -> bool:
        """Whether a sentence holds one of the trigger words."""
        return bool(self._within(span, triggers))

    def _within(self, span: Span | Doc, triggers: Triggers) -> list[int]:
        found = self.positions(triggers)
        start, end = (span.start, span.end) if isinstance(span, Span) else (0, len(span))
        first = bisect_left(found, start)
        return found[first : bisect_left(found, end, first)]


def _where(strings: list[str]) -> dict[str, list[int]]:
    """Each string's positions in the list; "" (no value: the lemma of a word without a parse)
    is left out."""
    where: defaultdict[str, list[int]] = defaultdict(list)
    for i, string in enumerate(strings):
        if string:
            where[string].append(i)
    return dict(where)


def _positions_of(where: dict[str, list[int]], words: set[str] | frozenset[str]) -> list[int]:
    """The positions of the words in `words`, unordered."""
    return [i for word in words if word in where for i in where[word]]
