"""The faster maxout and layer normalisation give thinc's values bit for bit, in prediction only."""

from __future__ import annotations

import numpy
import pytest
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, SENT_START, TAG
from thinc.api import LayerNorm, Maxout, NumpyOps
from thinc.layers import layernorm as thinc_layernorm
from thinc.layers import maxout as thinc_maxout

from alliancegraph.extract import layers
from alliancegraph.extract.nlp import build_nlp, one_blas_thread

TEXT = (
    "Renault and Nissan will build a new pickup at a plant in Spain from 2016, the companies said "
    "on Tuesday.\n\nDaimler, which holds a 3.1 percent stake in both carmakers, declined to comment. "
    "The vehicle will be sold in Europe and Latin America under the Mercedes brand."
)
ATTRS = [TAG, DEP, HEAD, SENT_START, ENT_IOB, ENT_TYPE]
THINC = {faster: original for original, faster in layers.FORWARDS.items()}


def _nodes(nlp, name: str):
    models = [getattr(pipe, "model", None) for _, pipe in nlp.pipeline]
    return [node for model in models if model is not None for node in model.walk() if node.name == name]


def _maxout(n_out=5, n_in=7, n_pieces=3, seed=0):
    layer = Maxout(nO=n_out, nI=n_in, nP=n_pieces)
    layer.initialize()
    layer.set_param("b", numpy.random.default_rng(seed).normal(size=(n_out, n_pieces)).astype("float32"))
    layer.replace_callbacks(layers.maxout_forward, init=layer.init)
    return layer


def _layernorm(width=6, seed=0):
    layer = LayerNorm(nI=width)
    layer.initialize()
    rng = numpy.random.default_rng(seed)
    layer.set_param("G", rng.normal(size=width).astype("float32"))
    layer.set_param("b", rng.normal(size=width).astype("float32"))
    layer.replace_callbacks(layers.layernorm_forward, init=layer.init)
    return layer


def test_every_maxout_and_layernorm_of_the_pipeline_is_replaced():
    nlp = build_nlp()
    maxouts, norms = _nodes(nlp, "maxout"), _nodes(nlp, "layernorm")
    assert len(maxouts) == len(norms) == 10  # five in each token-vector model: embedding, 4 convolutions
    assert {layer._func for layer in maxouts} == {layers.maxout_forward}
    assert {layer._func for layer in norms} == {layers.layernorm_forward}
    assert layers.speed_up_layers(nlp) == 0  # build_nlp already did


@pytest.mark.parametrize("name", ["maxout", "layernorm"])
def test_pipeline_layers_give_thinc_values_bit_for_bit(name):
    rng = numpy.random.default_rng(7)
    for layer in _nodes(build_nlp(), name):
        X = rng.normal(loc=0.5, scale=2.0, size=(301, layer.get_dim("nI"))).astype("float32")
        with one_blas_thread():
            faster, _ = layer._func(layer, X, is_train=False)
            reference, _ = THINC[layer._func](layer, X, is_train=False)
        assert faster.dtype == reference.dtype and faster.shape == reference.shape
        assert faster.flags.c_contiguous
        assert numpy.array_equal(faster, reference)


def test_parsed_text_is_the_same_with_thinc_layers():
    nlp = build_nlp()
    replaced = _nodes(nlp, "maxout") + _nodes(nlp, "layernorm")
    with one_blas_thread():
        faster = nlp(TEXT)
        for layer in replaced:
            layer.replace_callbacks(THINC[layer._func], init=layer.init)
        try:
            reference = nlp(TEXT)
        finally:
            layers.speed_up_layers(nlp)
    assert numpy.array_equal(faster.to_array(ATTRS), reference.to_array(ATTRS))
    assert [e.text for e in faster.ents] == [e.text for e in reference.ents]


@pytest.mark.parametrize("n_pieces", [1, 2, 3, 4])
def test_maxout_ties_and_piece_counts(n_pieces):
    layer = _maxout(n_pieces=n_pieces, seed=n_pieces)
    X = numpy.zeros((3, 7), dtype="float32")  # every piece of an output equals its bias
    X[1] = 1.5
    faster, _ = layers.maxout_forward(layer, X, is_train=False)
    assert numpy.array_equal(faster, thinc_maxout.forward(layer, X, is_train=False)[0])


def test_layernorm_of_constant_and_large_rows():
    layer = _layernorm()
    X = numpy.array([[3.0] * 6, [1e6, -1e6, 2.5, 0.0, 7.0, 1e-3], [0.0] * 6], dtype="float32")
    faster, _ = layers.layernorm_forward(layer, X, is_train=False)
    assert numpy.array_equal(faster, thinc_layernorm.forward(layer, X, is_train=False)[0])


@pytest.mark.parametrize("layer", [_maxout(), _layernorm(width=7)], ids=["maxout", "layernorm"])
def test_no_rows(layer):
    empty = numpy.zeros((0, 7), dtype="float32")
    assert layer.predict(empty).shape == (0, layer.get_dim("nO"))


@pytest.mark.parametrize("make", [_maxout, lambda: _layernorm(width=7)], ids=["maxout", "layernorm"])
def test_training_runs_thinc_code(make):
    layer = make()
    X = numpy.random.default_rng(1).normal(size=(4, 7)).astype("float32")
    Y, backprop = layer(X, is_train=True)
    reference, reference_backprop = THINC[layer._func](layer, X, is_train=True)
    assert numpy.array_equal(Y, reference)
    assert numpy.array_equal(backprop(numpy.ones_like(Y)), reference_backprop(numpy.ones_like(Y)))


@pytest.mark.parametrize("make", [_maxout, lambda: _layernorm(width=7)], ids=["maxout", "layernorm"])
def test_prediction_has_no_backward_pass(make):
    layer = make()
    Y, backprop = layer(numpy.ones((1, 7), dtype="float32"), is_train=False)
    with pytest.raises(NotImplementedError, match="is_train=False"):
        backprop(numpy.ones_like(Y))


def test_maxout_on_blis_ops_agrees():
    layer = _maxout()
    layer.ops = NumpyOps(use_blis=True)
    X = numpy.random.default_rng(3).normal(size=(9, 7)).astype("float32")
    assert numpy.array_equal(layer.predict(X), thinc_maxout.forward(layer, X, is_train=False)[0])
