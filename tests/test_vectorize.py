"""The fast TF-IDF fit computes what scikit-learn's TfidfVectorizer computes."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from samples import STATEMENTS
from stanceclf import vectorize
from stanceclf.features import Analyzer
from stanceclf.vectorize import TfidfBlock, fit_tfidf

TEXTS = [s[0] for s in STATEMENTS] + ["", "A\x00b ends with NUL\x00", "Zürich ÉCOLE école", "x x x x"]


def sklearn_fit(texts, analyzer, **options):
    vec = TfidfVectorizer(analyzer=analyzer, dtype=np.float64, **options)
    matrix = vec.fit_transform(texts)
    return matrix, vec.get_feature_names_out().tolist(), vec.idf_


def assert_same(ours, theirs):
    assert ours[1] == theirs[1]
    assert np.allclose(ours[2], theirs[2], rtol=0, atol=1e-12)
    assert abs(ours[0] - theirs[0]).max() < 1e-12


@pytest.mark.parametrize(
    "analyzer",
    [
        Analyzer("word", (1, 2), negation=True),
        Analyzer("word", (2, 3), lowercase=False),
        Analyzer("char", (2, 5)),
        Analyzer("char", (1, 3), lowercase=False),
    ],
)
@pytest.mark.parametrize("options", [{"sublinear_tf": True}, {"sublinear_tf": False, "min_df": 2}])
def test_fast_fit_equals_scikit_learn(analyzer, options):
    ours = fit_tfidf(TEXTS, analyzer, **options)
    assert_same(ours, sklearn_fit(TEXTS, analyzer, **options))


def test_conjoined_and_target_blocks_equal_scikit_learn():
    docs = [(text, target) for text, _, target in STATEMENTS]
    for analyzer in (
        Analyzer("char", (3, 4), conjoin=True),
        Analyzer("target"),
        Analyzer("word", (1, 1), conjoin=True),
    ):
        assert_same(fit_tfidf(docs, analyzer), sklearn_fit(docs, analyzer, sublinear_tf=True))


def test_max_features_keeps_the_most_frequent_in_alphabetical_order():
    matrix, features, idf = fit_tfidf(TEXTS, Analyzer("word", (1, 1)), max_features=5)
    assert len(features) == 5 and features == sorted(features) and matrix.shape == (len(TEXTS), 5)
    assert "the" in features


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=12))
def test_fast_fit_equals_scikit_learn_on_arbitrary_text(texts):
    for analyzer in (Analyzer("word", (1, 2), negation=True), Analyzer("char", (2, 4))):
        try:
            theirs = sklearn_fit(texts, analyzer, sublinear_tf=True)
        except ValueError:  # scikit-learn refuses an empty vocabulary
            continue
        assert_same(fit_tfidf(texts, analyzer), theirs)


def test_rows_are_normalised_in_place_and_empty_rows_stay_empty():
    matrix = sp.csr_matrix(np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 2.0], [0.0, 0.0, 0.0]]))
    vectorize._normalise_rows(matrix)
    assert np.allclose(matrix.toarray(), [[0.6, 0.8, 0], [0, 0, 0], [0, 0, 1], [0, 0, 0]])


@pytest.mark.parametrize(
    "analyzer", [Analyzer("word", (1, 2), negation=True), Analyzer("char", (3, 6), negation=True)], ids=repr
)
def test_a_fitted_block_transforms_new_text_as_scikit_learn_does(analyzer):
    new_texts = ["We will not back this plan.", "Ünïcode wörds, never seen", "", "the the plan"]
    block, _ = TfidfBlock.fit(TEXTS, analyzer)
    theirs = TfidfVectorizer(analyzer=analyzer, dtype=np.float64, sublinear_tf=True).fit(TEXTS)
    assert block.features == theirs.get_feature_names_out().tolist()
    assert abs(block.transform(new_texts) - theirs.transform(new_texts)).max() < 1e-12


@pytest.mark.parametrize("analyzer", [Analyzer("word", (1, 2), negation=True), Analyzer("char", (2, 4))], ids=repr)
def test_a_hashed_block_fitted_through_the_tables_transforms_its_texts_to_the_same_rows(analyzer):
    block, matrix = TfidfBlock.fit(TEXTS, analyzer, n_buckets=512)
    assert block.width == 512 and matrix.shape == (len(TEXTS), 512)
    assert abs(block.transform(TEXTS) - matrix).max() < 1e-12
