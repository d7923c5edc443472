"""The numpy-only predictor computes what the scikit-learn estimator computes."""

from __future__ import annotations

import functools
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_occurrences import statement as hostile_statement
from test_persist import VARIED_TEXTS

from samples import STATEMENTS
from stanceclf import StanceClassifier
from stanceclf.inference import Predictor, load_predictor

TEXTS = [s[0] for s in STATEMENTS]
LABELS = [s[1] for s in STATEMENTS]


def assert_same_predictions(model, texts):
    predictor = Predictor(model.to_model_data())
    assert np.abs(predictor.predict_proba(texts) - model.predict_proba(texts)).max() < 1e-9
    assert predictor.predict(texts).tolist() == model.predict(texts).tolist()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"char_ngram_range": None},
        {"word_ngram_range": None, "char_ngram_range": (1, 3)},
        {"negation": False, "sublinear_tf": False, "lowercase": False, "class_weight": None, "C": 0.3},
        {"min_df": 2, "max_features": 50, "word_ngram_range": (1, 3)},
        {"char_negation": True},
        {"char_negation": True, "n_buckets": 4096, "word_ngram_range": None},
    ],
)
def test_numpy_path_equals_scikit_learn_path_for_every_parameter_set(params):
    model = StanceClassifier(**params).fit(TEXTS, LABELS)
    assert_same_predictions(model, VARIED_TEXTS + TEXTS)


def test_binary_model_probabilities_match():
    pairs = [(t, y) for t, y in zip(TEXTS, LABELS) if y != "oppose"]
    model = StanceClassifier().fit([t for t, _ in pairs], [y for _, y in pairs])
    assert_same_predictions(model, VARIED_TEXTS)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=200), min_size=1, max_size=8))
def test_numpy_path_equals_scikit_learn_path_on_arbitrary_unicode(fitted_model, texts):
    assert_same_predictions(fitted_model, texts)


@pytest.mark.parametrize("params", [{}, {"n_buckets": 4096}, {"word_ngram_range": (1, 3), "lowercase": False}])
@settings(max_examples=25, deadline=None)
@given(texts=st.lists(hostile_statement, min_size=17, max_size=60))
def test_batches_through_the_ngram_tables_equal_the_estimator_on_hostile_text(params, texts):
    # more than 16 statements: the Predictor's n-gram tables (a few statements are looked up one by one)
    model = _models(tuple(sorted(params.items())))
    predictor = Predictor(model.to_model_data())
    assert predictor._lookups(len(texts)) is predictor._vocabularies
    for _ in range(2):  # the second time, through what the tables remember
        assert np.abs(predictor.predict_proba(texts) - model.predict_proba(texts)).max() < 1e-9


@functools.cache
def _models(params: tuple) -> StanceClassifier:
    return StanceClassifier(**dict(params)).fit(TEXTS, LABELS)


def test_loaded_predictor_matches_the_estimator_it_was_saved_from(fitted_model, model_file):
    predictor = load_predictor(model_file)
    assert np.abs(predictor.predict_proba(VARIED_TEXTS) - fitted_model.predict_proba(VARIED_TEXTS)).max() < 1e-9


def test_empty_input_list_gives_empty_predictions(fitted_model):
    predictor = Predictor(fitted_model.to_model_data())
    assert predictor.predict_proba([]).shape == (0, 3)


def test_prediction_path_imports_neither_scikit_learn_nor_scipy(model_file):
    code = (
        "import sys; from stanceclf.inference import load_predictor; "
        f"load_predictor({str(model_file)!r}).predict(['We back it.']); "
        "import stanceclf.cli; "
        "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_plain_prediction_leaves_the_explanation_modules_unloaded(model_file):
    code = (
        "import sys; from stanceclf.launcher import main; "
        f"sys.argv = ['stanceclf', 'predict', '--model', {str(model_file)!r}, 'We back it.']\n"
        "import contextlib\nwith contextlib.suppress(SystemExit): main()\n"
        "print(sorted(m for m in ('stanceclf.evidence', 'stanceclf.conditions', 'click') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
