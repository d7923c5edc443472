"""The sgd solver: close to lbfgs, reproducible, and the same model format and predictions."""

from __future__ import annotations

import numpy as np
import pytest

import stanceclf.model as model_module
from samples import STATEMENTS
from stanceclf import StanceClassifier
from stanceclf.inference import Predictor
from stanceclf.sgd import SoftmaxSGD

TEXTS = [s[0] for s in STATEMENTS]
LABELS = [s[1] for s in STATEMENTS]


def synthetic_rows(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """Statements whose label shows in some of their words, among shared filler words."""
    rng = np.random.default_rng(seed)
    cues = {
        "support": ["back", "welcome", "endorse"],
        "oppose": ["reject", "scrap", "block"],
        "conditional": ["if", "once", "provided"],
    }
    filler = [f"w{i}" for i in range(300)]
    texts, labels = [], []
    for i in range(n):
        label = list(cues)[i % 3]
        words = list(rng.choice(filler, size=10)) + [rng.choice(cues[label])] + [f"id{i}"]
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(label)
    return texts, labels


def test_sgd_learns_what_lbfgs_learns():
    texts, labels = synthetic_rows(3000)
    held_texts, held_labels = synthetic_rows(600, seed=1)
    sgd = StanceClassifier(char_ngram_range=None, solver="sgd", epochs=3, C=1.0).fit(texts, labels)
    lbfgs = StanceClassifier(char_ngram_range=None, solver="lbfgs", C=1.0).fit(texts, labels)
    sgd_accuracy = np.mean(sgd.predict(held_texts) == np.array(held_labels))
    lbfgs_accuracy = np.mean(lbfgs.predict(held_texts) == np.array(held_labels))
    assert sgd_accuracy > 0.95
    assert sgd_accuracy >= lbfgs_accuracy - 0.02


def test_sgd_gives_identical_weights_for_the_same_seed_and_different_ones_for_another():
    first = StanceClassifier(solver="sgd", random_state=3).fit(TEXTS, LABELS)
    again = StanceClassifier(solver="sgd", random_state=3).fit(TEXTS, LABELS)
    other = StanceClassifier(solver="sgd", random_state=4).fit(TEXTS, LABELS)
    assert np.array_equal(first.logistic_.coef_, again.logistic_.coef_)
    assert not np.array_equal(first.logistic_.coef_, other.logistic_.coef_)


def test_sgd_model_predicts_the_same_through_numpy_and_scikit_learn():
    clf = StanceClassifier(solver="sgd", epochs=4).fit(TEXTS, LABELS)
    probabilities = Predictor(clf.to_model_data()).predict_proba(TEXTS + ["", "Nothing here 123"])
    np.testing.assert_allclose(probabilities, clf.predict_proba(TEXTS + ["", "Nothing here 123"]), atol=1e-9)
    assert np.allclose(probabilities.sum(axis=1), 1.0)


def test_sgd_with_two_labels_gives_one_binary_logistic_regression():
    pairs = [(text, label) for text, label in zip(TEXTS, LABELS) if label != "conditional"]
    texts, labels = [p[0] for p in pairs], [p[1] for p in pairs]
    clf = StanceClassifier(solver="sgd", epochs=5).fit(texts, labels)
    assert clf.logistic_.coef_.shape[0] == 1
    probabilities = clf.predict_proba(texts)
    np.testing.assert_allclose(Predictor(clf.to_model_data()).predict_proba(texts), probabilities, atol=1e-9)
    assert np.mean(clf.predict(texts) == np.array(labels)) > 0.9


def test_auto_solver_switches_to_sgd_from_the_size_threshold(monkeypatch):
    calls = []
    original = SoftmaxSGD.partial_fit

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SoftmaxSGD, "partial_fit", counting)
    StanceClassifier().fit(TEXTS, LABELS)
    assert calls == []
    monkeypatch.setattr(model_module, "SGD_FROM", len(TEXTS))
    StanceClassifier(epochs=3).fit(TEXTS, LABELS)
    assert len(calls) == 3


@pytest.mark.parametrize(
    "params, message",
    [({"solver": "newton"}, "solver must be"), ({"solver": "sgd", "epochs": 0}, "epochs must be")],
)
def test_bad_solver_settings_are_refused(params, message):
    with pytest.raises(ValueError, match=message):
        StanceClassifier(**params).fit(TEXTS, LABELS)


@pytest.mark.slow
def test_partial_fit_over_chunks_keeps_learning():
    texts, labels = synthetic_rows(1200)
    clf = StanceClassifier(char_ngram_range=None, solver="lbfgs").fit(texts, labels)
    X = clf.transform(texts)
    classes, codes = np.unique(labels, return_inverse=True)
    solver = SoftmaxSGD(X.shape[1], 3, C=1.0, n_samples=X.shape[0])
    accuracies = []
    for start in range(0, 1200, 400):
        solver.partial_fit(X[start : start + 400], codes[start : start + 400])
        accuracies.append(np.mean((X @ solver.coef + solver.intercept).argmax(axis=1) == codes))
    assert accuracies[-1] > accuracies[0]
    assert accuracies[-1] > 0.9


def test_feature_blocks_side_by_side_train_exactly_as_their_stacked_matrix():
    import scipy.sparse as sp

    clf = StanceClassifier(solver="lbfgs").fit(TEXTS, LABELS)
    blocks = [vec.transform(TEXTS) for _, vec in clf.vectorizers_]
    classes, codes = np.unique(LABELS, return_inverse=True)
    side_by_side = SoftmaxSGD(sum(b.shape[1] for b in blocks), 3, C=1.0, n_samples=len(codes), seed=5)
    stacked = SoftmaxSGD(sum(b.shape[1] for b in blocks), 3, C=1.0, n_samples=len(codes), seed=5)
    for _ in range(3):
        side_by_side.partial_fit(blocks, codes)
        stacked.partial_fit(sp.hstack(blocks, format="csr"), codes)
    assert np.array_equal(side_by_side.coef, stacked.coef)
    assert np.array_equal(side_by_side.intercept, stacked.intercept)
