"""The pipeline's matrix products: numpy's BLAS on one thread, only while the model runs."""

from __future__ import annotations

from threadpoolctl import ThreadpoolController

from alliancegraph.extract.nlp import build_nlp, one_blas_thread


def _blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in ThreadpoolController().select(user_api="blas").info()]


def test_model_layers_use_numpy_blas_not_blis():
    nlp = build_nlp()
    tok2vec = nlp.get_pipe("tok2vec").model
    ner_tok2vec = nlp.get_pipe("ner").model.get_ref("tok2vec")
    assert tok2vec.ops.use_blis is False
    assert ner_tok2vec.ops.use_blis is False


def test_one_blas_thread_holds_inside_the_block_only():
    controller = ThreadpoolController()
    with controller.limit(limits=2, user_api="blas"):
        assert _blas_threads(), "numpy has a BLAS library"
        with one_blas_thread():
            assert set(_blas_threads()) == {1}
        assert set(_blas_threads()) == {2}

