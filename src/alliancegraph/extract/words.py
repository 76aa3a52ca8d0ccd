"""The strings of a doc's words, read once per doc, and where a rule's trigger words are.

The rules ask a few questions of every word of an article ("is it "stake"?", "is it a verb?"),
and the spaCy `Token` made for each question costs more than the question. `Words` reads the
lower-case forms, lemmas, parts of speech, dependency labels and texts of all the words of a doc
once, as plain lists indexed by token position, and finds once per doc the positions of the words
a rule can act on (its `Triggers`), so the rule makes Tokens only for those.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from spacy.attrs import DEP, LEMMA, LOWER, ORTH, POS
from spacy.tokens import Doc, Span, Token


@dataclass(frozen=True)
class Triggers:
    """The words a rule can act on: a lower-case form in `lower` or beginning with one of
    `prefixes`, a lemma in `lemma` (compared lower-cased), or a dependency label in `dep`.

    A rule that reads only its trigger words must pass over every other word without effect, so
    that it finds what it would find reading every word. A trigger set may hold more words than
    the rule acts on (the rule still makes its own tests), never fewer.
    """

    lower: frozenset[str] = frozenset()
    lemma: frozenset[str] = frozenset()
    dep: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def __or__(self, other: Triggers) -> Triggers:
        """The words either rule can act on."""
        return Triggers(
            self.lower | other.lower, self.lemma | other.lemma, self.dep | other.dep, self.prefixes + other.prefixes
        )


class Words:
    """Per-token strings of one doc (`lower`, `lemma` lower-cased, `pos`, `dep`, `text`), each
    read on first use; a word without a parse has "" for lemma, part of speech and label."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self._positions: dict[Triggers, list[int]] = {}

    @cached_property
    def lower(self) -> list[str]:
        return self._strings(LOWER)

    @cached_property
    def lemma(self) -> list[str]:
        return [lemma.lower() for lemma in self._strings(LEMMA)]

    @cached_property
    def pos(self) -> list[str]:
        return self._strings(POS)

    @cached_property
    def dep(self) -> list[str]:
        return self._strings(DEP)

    @cached_property
    def text(self) -> list[str]:
        return self._strings(ORTH)

    def _strings(self, attr: int) -> list[str]:
        strings = self.doc.vocab.strings
        return [strings[key] for key in self.doc.to_array(attr).tolist()]

    def positions(self, triggers: Triggers) -> list[int]:
        """The positions of the doc's trigger words, in order (found once per doc and trigger set)."""
        found = self._positions.get(triggers)
        if found is None:
            hits: set[int] = set()
            if triggers.lower:
                hits.update(_positions_of(self._where_lower, triggers.lower))
            if triggers.lemma:
                hits.update(_positions_of(self._where_lemma, triggers.lemma))
            if triggers.dep:
                hits.update(_positions_of(self._where_dep, triggers.dep))
            if triggers.prefixes:
                starting = {word for word in self._where_lower if word.startswith(triggers.prefixes)}
                hits.update(_positions_of(self._where_lower, starting))
            found = self._positions[triggers] = sorted(hits)
        return found

    @cached_property
    def _where_lower(self) -> dict[str, list[int]]:
        return _where(self.lower)

    @cached_property
    def _where_lemma(self) -> dict[str, list[int]]:
        return _where(self.lemma)

    @cached_property
    def _where_dep(self) -> dict[str, list[int]]:
        return _where(self.dep)

    def tokens(self, span: Span | Doc, triggers: Triggers) -> Iterator[Token]:
        """The trigger words of a sentence (or of the whole doc), in text order."""
        found = self.positions(triggers)
        start, end = (span.start, span.end) if isinstance(span, Span) else (0, len(span))
        doc = self.doc
        for i in found[bisect_left(found, start) : bisect_left(found, end)]:
            yield doc[i]


def _where(strings: list[str]) -> dict[str, list[int]]:
    """Each string's positions in the list."""
    where: dict[str, list[int]] = {}
    for i, string in enumerate(strings):
        where.setdefault(string, []).append(i)
    return where


def _positions_of(where: dict[str, list[int]], words: set[str] | frozenset[str]) -> Iterator[int]:
    for word in words:
        yield from where.get(word, ())
