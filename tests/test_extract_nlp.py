"""The pipeline's matrix products (numpy's BLAS on one thread, only while the model runs) and the
memo of its rule components."""

from __future__ import annotations

import warnings

import pytest
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.tokens import Doc
from threadpoolctl import ThreadpoolController

from alliancegraph.extract.nlp import RULE_PIPES, TOKENIZER_CACHE, RuleMemo, build_nlp, ints, one_blas_thread


def _blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in ThreadpoolController().select(user_api="blas").info()]


def test_model_layers_use_numpy_blas_not_blis():
    nlp = build_nlp()
    tok2vec = nlp.get_pipe("tok2vec").model
    ner_tok2vec = nlp.get_pipe("ner").model.get_ref("tok2vec")
    assert tok2vec.ops.use_blis is False
    assert ner_tok2vec.ops.use_blis is False


def test_tokenizer_remembers_more_chunks_than_spacys_default():
    nlp = build_nlp()
    assert nlp.tokenizer.max_cache_size == TOKENIZER_CACHE > 10_000
    text = "Nissan's plant (Reuters) -- 2.5% of shares, U.S.-based."
    first = [t.text for t in nlp.tokenizer(text)]
    assert [t.text for t in nlp.tokenizer(text)] == first  # read again from the cache: the same tokens


def test_one_blas_thread_holds_inside_the_block_only():
    controller = ThreadpoolController()
    with controller.limit(limits=2, user_api="blas"):
        assert _blas_threads(), "numpy has a BLAS library"
        with one_blas_thread():
            assert set(_blas_threads()) == {1}
        assert set(_blas_threads()) == {2}


PAIR_TEXTS = [  # every two-token pattern of the attribute ruler, then plain news text
    "Y'all know we're gonna win, and I gotta say c'mon, let's go: it ain't over.",
    "There is a plant, there were two and there's a third; THERE ARE MORE.",
    "Toyota's president said the company won't cut prices.\n\nShares of Nissan fell 2 percent.",
]
RULE_ATTRS = [TAG, DEP, POS, MORPH, LEMMA]


def _bare(nlp, text: str) -> Doc:
    """The parsed Doc as the memo gets it: no knowledge ruler, no NER, no rule components."""
    from alliancegraph.extract.triage import RULER

    [doc] = list(nlp.pipe([text], disable=[RULER, "ner", *RULE_PIPES]))
    return doc


def _assert_same_rules(nlp, memo: RuleMemo, bare: Doc) -> None:
    real = bare.copy()
    for name in RULE_PIPES:
        real = nlp.get_pipe(name)(real)
    fast = memo(bare.copy())
    assert (fast.to_array(RULE_ATTRS) == real.to_array(RULE_ATTRS)).all()
    assert [t.lemma_ for t in fast] == [t.lemma_ for t in real]


@pytest.mark.model
@pytest.mark.parametrize("limit", [0, 5, 100_000])
def test_rule_memo_cleared_at_its_limit_answers_the_same(extractor, limit):
    """A memo that starts afresh every few entries answers as one that never does, and keeps to
    its limit (plus what one Doc adds before the next call clears it)."""
    nlp = extractor.nlp
    memo = RuleMemo(nlp, limit=limit)
    assert memo.enabled
    for _ in range(2):
        for text in PAIR_TEXTS:
            bare = _bare(nlp, text)
            _assert_same_rules(nlp, memo, bare)
            memos = (memo.kinds, memo.cases, memo.lemmas, memo.words, memo.pairs)
            assert max(map(len, memos)) <= limit + 2 * len(bare)


@pytest.mark.model
@pytest.mark.parametrize("words,tags", [(["Foo", "bars", "baz", "."], ["ZZZ", "NNS", "ZZZ", "."])])
def test_rule_memo_answers_for_a_tag_no_pattern_knows(extractor, words, tags):
    """A token no pattern matches gets no POS and no morphology (0, not the empty analysis), and the
    lemmatizer's lowercase form."""
    nlp = extractor.nlp
    bare = Doc(nlp.vocab, words=words)
    strings = nlp.vocab.strings
    bare.from_array([TAG, DEP], ints([[strings.add(tag), strings.add("dep")] for tag in tags]))
    memo = RuleMemo(nlp)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # spaCy's W108: the lemmatizer was given a token without POS
        for _ in range(2):
            _assert_same_rules(nlp, memo, bare)
    assert memo(bare.copy())[0].morph.key == 0


@pytest.mark.model
def test_rule_memo_leaves_the_lemmatizer_component_as_it_was(extractor):
    """The memo's faster word index is its own copy: the pipeline's lemmatizer keeps its lists."""
    lemmatizer = extractor.nlp.get_pipe("lemmatizer")
    RuleMemo(extractor.nlp)
    index = lemmatizer.lookups.get_table("lemma_index")
    assert index and all(isinstance(words, list) for words in index.values())
