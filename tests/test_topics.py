"""Stance, not topic: label balance, topic-only baselines, unstable words, stability weights."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from samples import STATEMENTS
from stanceclf import StanceClassifier
from stanceclf.topics import label_balance, stability_weights, topic_only_baseline, unstable_features


def test_label_balance_counts_each_targets_labels():
    balance = label_balance(["a", "a", "b"], ["support", "oppose", "support"])
    assert balance == {"a": {"oppose": 1, "support": 1}, "b": {"support": 1}}


def test_a_feature_that_leans_the_same_way_everywhere_keeps_its_weight():
    # column 0 always goes with label 0; column 1 goes with label 0 in target 0 and label 1 in target 1
    labels = np.array([0, 1, 0, 1] * 5)
    targets = np.array([0, 0, 1, 1] * 5)
    column0 = (labels == 0).astype(float)
    column1 = ((labels == 0) & (targets == 0) | (labels == 1) & (targets == 1)).astype(float)
    matrix = sp.csr_matrix(np.column_stack([column0, column1]))
    weights = stability_weights(matrix, labels, targets, shrinkage=10.0)
    assert weights[0] == pytest.approx(1.0)
    assert weights[1] < 0.3


def test_unstable_features_finds_a_word_that_flips_between_targets():
    texts = ["cheap and good"] * 4 + ["cheap and bad"] * 4
    targets = ["tram"] * 4 + ["library"] * 4
    labels = ["support"] * 4 + ["oppose"] * 4
    flips = dict(unstable_features(texts, targets, labels, min_count=3))
    assert set(flips) == {"cheap", "and"}
    assert flips["cheap"]["tram"][0] == "support" and flips["cheap"]["library"][0] == "oppose"


def test_topic_only_baseline_is_near_chance_when_targets_are_balanced():
    texts, labels, targets = zip(*(STATEMENTS * 2))
    scores = topic_only_baseline(texts, targets, labels, folds=3)
    assert scores["chance"] == pytest.approx(1 / 3)
    assert scores["target_only"] < 0.5


def test_topic_shrinkage_needs_targets_and_predicts_plain_statements():
    texts, labels, targets = zip(*STATEMENTS)
    with pytest.raises(ValueError, match="pair"):
        StanceClassifier(topic_shrinkage=3.0).fit(list(texts), list(labels))
    model = StanceClassifier(topic_shrinkage=3.0).fit(list(zip(texts, targets)), list(labels))
    plain = StanceClassifier().fit(list(texts), list(labels))
    assert model.predict(["We reject the tram scheme outright."]).tolist() == ["oppose"]
    assert not np.allclose(model.predict_proba(list(texts)), plain.predict_proba(list(texts)))


def test_topic_shrinkage_survives_saving(tmp_path):
    texts, labels, targets = zip(*STATEMENTS)
    model = StanceClassifier(topic_shrinkage=3.0).fit(list(zip(texts, targets)), list(labels))
    loaded = StanceClassifier.load(model.save(tmp_path / "m.stance"))
    assert np.allclose(loaded.predict_proba(list(texts)), model.predict_proba(list(texts)), atol=1e-9)
