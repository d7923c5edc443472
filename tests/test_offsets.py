"""Decision offsets chosen on CV predictions and written into a fitted model."""

from __future__ import annotations

import numpy as np
import pytest

from stanceclf import StanceClassifier
from stanceclf.inference import Predictor
from stanceclf.offsets import apply_offsets, shifted_predictions, tune_offsets

TWEETS = [
    ("we must act on the climate now", "climate", "FAVOR"),
    ("the climate hoax again", "climate", "AGAINST"),
    ("nice weather at the beach", "climate", "NONE"),
    ("science says the climate is warming", "climate", "FAVOR"),
    ("pray every day, god is great", "atheism", "AGAINST"),
    ("religion is a fairy tale", "atheism", "FAVOR"),
    ("lunch with friends", "atheism", "NONE"),
    ("no god needed for morals", "atheism", "FAVOR"),
    ("jesus saves", "atheism", "AGAINST"),
    ("cold morning today", "climate", "NONE"),
]
X = [(text, target) for text, target, _ in TWEETS]
Y = [label for _, _, label in TWEETS]
NEW = [("god and the climate", "climate"), ("a tale of weather", "atheism"), ("friends", "climate")]


def shifted_log_proba(log_proba, offsets, targets):
    shifted = log_proba + np.asarray(offsets.get(None, 0.0))
    for target, values in offsets.items():
        if target is not None:
            shifted[np.asarray(targets) == target] += np.asarray(values)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


@pytest.mark.parametrize(
    ("mode", "offsets"),
    [
        ("conjoined", {None: [0.0, 0.7, -1.2]}),
        ("none", {None: [0.0, -0.3, 0.9]}),
        ("per_target", {"climate": [0.0, 1.5, -0.5], "atheism": [0.0, -2.0, 0.25]}),
        ("per_target", {None: [0.0, 0.5, 0.5], "climate": [0.0, -1.0, 1.0]}),
    ],
)
def test_offsets_written_into_a_model_shift_its_log_probabilities_in_both_predictors(mode, offsets):
    model = StanceClassifier(target_mode=mode, char_ngram_range=(2, 4))
    inputs = X if mode != "none" else [text for text, _ in X]
    new = NEW if mode != "none" else [text for text, _ in NEW]
    model.fit(inputs, Y)
    before = np.log(model.predict_proba(new))
    apply_offsets(model, offsets)
    expected = shifted_log_proba(before, offsets, [target for _, target in NEW])
    assert np.abs(np.log(model.predict_proba(new)) - expected).max() < 1e-9
    assert np.abs(np.log(Predictor(model.to_model_data()).predict_proba(new)) - expected).max() < 1e-9
    labels = shifted_predictions(before, model.classes_, offsets, [target for _, target in NEW])
    assert model.predict(new).tolist() == labels.tolist()


def test_per_target_offsets_are_refused_by_a_model_without_per_target_bias_features():
    model = StanceClassifier(target_mode="conjoined").fit(X, Y)
    with pytest.raises(ValueError, match="per_target"):
        apply_offsets(model, {"climate": [0.0, 1.0, 0.0]})


def test_offsets_for_a_target_never_seen_in_training_are_refused():
    model = StanceClassifier(target_mode="per_target").fit(X, Y)
    with pytest.raises(ValueError, match="not seen in training"):
        apply_offsets(model, {"hillary": [0.0, 1.0, 0.0]})


def test_tuned_offsets_never_score_worse_than_none_on_the_tuning_data():
    rng = np.random.default_rng(0)
    classes = np.array(["AGAINST", "FAVOR", "NONE"])
    truth = rng.choice(classes, size=200)
    # informative scores, except that NONE's are too low: an offset can repair it
    log_proba = rng.normal(size=(200, 3)) + 2.0 * (truth[:, None] == classes)
    log_proba[:, 2] -= 1.5

    def accuracy(t, p):
        return float(np.mean(np.asarray(t) == np.asarray(p)))

    offsets = tune_offsets(log_proba, truth, classes, accuracy)
    assert offsets[None][0] == 0.0 and offsets[None][2] > 0
    tuned = accuracy(truth, shifted_predictions(log_proba, classes, offsets))
    assert tuned > accuracy(truth, classes[log_proba.argmax(axis=1)])


def test_per_target_tuning_gives_each_target_its_own_offsets():
    classes = np.array(["AGAINST", "FAVOR", "NONE"])
    log_proba = np.log(np.array([[0.5, 0.4, 0.1]] * 4))
    truth = ["FAVOR", "FAVOR", "AGAINST", "AGAINST"]
    targets = ["a", "a", "b", "b"]

    def accuracy(t, p):
        return float(np.mean(np.asarray(t) == np.asarray(p)))

    offsets = tune_offsets(log_proba, truth, classes, accuracy, targets=targets, grid=[0.0, 0.5])
    assert offsets == {"a": [0.0, 0.5, 0.0], "b": [0.0, 0.0, 0.0]}
