"""StanceClassifier behaves as a scikit-learn estimator and learns stances."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from samples import STATEMENTS
from stanceclf import StanceClassifier

TEXTS = [s[0] for s in STATEMENTS]
LABELS = [s[1] for s in STATEMENTS]


@pytest.mark.parametrize(
    "check",
    [
        check_no_attributes_set_in_init,
        check_parameters_default_constructible,
        check_get_params_invariance,
        check_set_params,
    ],
)
def test_scikit_learn_estimator_checks_that_apply_to_text_input_pass(check):
    check("StanceClassifier", StanceClassifier())


def test_init_stores_parameters_unchanged_and_clone_copies_them():
    clf = StanceClassifier(word_ngram_range=(1, 3), char_ngram_range=None, C=0.5)
    copy = clone(clf)
    assert copy.get_params() == clf.get_params()
    assert copy.word_ngram_range == (1, 3) and copy.char_ngram_range is None


def test_fit_returns_self_and_sets_learned_attributes(fitted_model):
    assert fitted_model.classes_.tolist() == ["conditional", "oppose", "support"]
    assert fitted_model.n_features_ > 0
    proba = fitted_model.predict_proba(["We back the plan."])
    assert proba.shape == (1, 3)
    assert proba.sum() == pytest.approx(1.0)


def test_training_statements_are_recognised(fitted_model):
    assert (fitted_model.predict(TEXTS) == np.array(LABELS)).mean() == 1.0


def test_predicting_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError):
        StanceClassifier().predict(["We back the plan."])


def test_works_in_cross_val_score_and_grid_search():
    folds = StratifiedKFold(n_splits=2, shuffle=True, random_state=0)
    scores = cross_val_score(StanceClassifier(), TEXTS, LABELS, cv=folds, scoring="f1_macro")
    assert scores.shape == (2,) and np.all(scores >= 0)
    search = GridSearchCV(StanceClassifier(), {"C": [1.0, 10.0], "negation": [True, False]}, cv=folds)
    search.fit(TEXTS, LABELS)
    assert search.best_params_["C"] in (1.0, 10.0)
    assert search.predict(["We reject the tram."]).shape == (1,)


def test_any_label_set_trains():
    mapping = {"support": "FAVOR", "oppose": "AGAINST", "conditional": "NONE"}
    clf = StanceClassifier().fit(TEXTS, [mapping[y] for y in LABELS])
    assert clf.classes_.tolist() == ["AGAINST", "FAVOR", "NONE"]


def test_two_labels_train_a_binary_model():
    pairs = [(t, y) for t, y in zip(TEXTS, LABELS) if y != "conditional"]
    clf = StanceClassifier().fit([t for t, _ in pairs], [y for _, y in pairs])
    assert clf.predict_proba(["We reject it."]).shape == (1, 2)


@pytest.mark.parametrize(
    "X, y, message",
    [
        ("We back it.", ["support"], "single string"),
        (["We back it.", 3], ["support", "oppose"], r"X\[1\] is int"),
        (["We back it.", "No."], ["support"], "2 statements but y has 1"),
        (["We back it.", "No."], ["support", "support"], "two distinct labels"),
    ],
)
def test_fit_validates_its_input(X, y, message):
    with pytest.raises(ValueError, match=message):
        StanceClassifier().fit(X, y)


def test_both_feature_blocks_cannot_be_switched_off():
    with pytest.raises(ValueError, match="cannot both be None"):
        StanceClassifier(word_ngram_range=None, char_ngram_range=None).fit(TEXTS, LABELS)


def test_explain_names_the_features_that_pushed_each_label(fitted_model):
    explanation = fitted_model.explain("We reject the tram scheme outright.", top=3)
    assert set(explanation) == {"conditional", "oppose", "support"}
    assert 1 <= len(explanation["oppose"]) <= 3
    features = [feature for feature, _ in explanation["oppose"]]
    assert any(f.startswith("word:") and ("reject" in f or "outright" in f) for f in features)
    weights = [w for _, w in explanation["oppose"]]
    assert weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)


def test_a_one_column_dataframe_is_statements_and_a_two_column_one_is_pairs(fitted_model):
    pd = pytest.importorskip("pandas")
    texts = ["We reject the tram scheme outright.", "We welcome the tram plan.", "Only if it is funded."]
    frame = pd.DataFrame({"text": texts, "target": ["tram line"] * 3, "id": [1, 2, 3]})
    assert fitted_model.predict(frame[["text"]]).tolist() == fitted_model.predict(texts).tolist()
    from stanceclf.inference import Predictor

    assert len(Predictor(fitted_model.to_model_data()).predict(frame[["text"]])) == 3
    pairs = StanceClassifier(target_mode="conjoined").fit(list(zip(texts * 2, ["a"] * 3 + ["b"] * 3)), LABELS[:6])
    assert len(pairs.predict(frame[["text", "target"]])) == 3
    with pytest.raises(ValueError, match="DataFrame with 3 columns"):
        fitted_model.predict(frame)


@pytest.mark.parametrize(
    "y, message",
    [
        (None, "y is required"),
        (np.array([["support"], ["oppose"]]), r"one-dimensional\), got shape \(2, 1\)"),
    ],
)
def test_fit_says_what_is_wrong_with_y(y, message):
    with pytest.raises(ValueError, match=message):
        StanceClassifier().fit(["We back it.", "No."], y)


def test_predicting_no_statements_gives_empty_answers(fitted_model):
    assert fitted_model.predict([]).shape == (0,)
    assert fitted_model.predict_proba([]).shape == (0, 3)


@pytest.mark.parametrize("labels", [LABELS, ["support" if label == "support" else "other" for label in LABELS]])
def test_explain_decision_adds_up_to_the_scores_that_give_the_probabilities(labels):
    clf = StanceClassifier().fit(TEXTS, labels)
    text = "Rome will send troops to the tram, we reject it."
    why = clf.explain_decision(text, top=3)
    scores = np.array([why["scores"][label] for label in clf.classes_])
    softmax = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    assert np.allclose(softmax, clf.predict_proba([text])[0])
    assert why["label"] == clf.predict([text])[0] and why["versus"] != why["label"]
    assert why["margin"] == pytest.approx(why["scores"][why["label"]] - why["scores"][why["versus"]])
    parts = why["intercept"] + sum(w for _, w in why["features"]) + why["other_features"]
    assert parts == pytest.approx(why["margin"])
    magnitudes = [abs(w) for _, w in why["features"]]
    assert len(magnitudes) == 3 and magnitudes == sorted(magnitudes, reverse=True)
