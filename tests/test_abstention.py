"""Abstention: thresholds reach the precision asked for where they can, and say so where they cannot."""

from __future__ import annotations

import numpy as np
import pytest

from stanceclf.abstention import (
    UNCERTAIN,
    Abstention,
    abstention_for,
    choose_thresholds,
    coverage_report,
    cross_fitted_precision,
    target_for_precision,
)
from stanceclf.errors import ParameterError
from stanceclf.persist import ModelData

CLASSES = ["conditional", "oppose", "support"]


def noisy_predictions(n=3000, seed=0):
    """Probabilities whose top label is right with probability equal to the confidence (calibrated)."""
    generator = np.random.default_rng(seed)
    probabilities = generator.dirichlet([0.6, 0.6, 0.6], size=n)
    labels = [CLASSES[generator.choice(3, p=p)] for p in probabilities]
    return labels, probabilities


@pytest.mark.parametrize("target", [0.8, 0.9, 0.95])
def test_thresholds_reach_the_target_precision_on_the_data_they_were_chosen_on(target):
    labels, probabilities = noisy_predictions()
    thresholds, details = choose_thresholds(labels, probabilities, CLASSES, target)
    report = coverage_report(labels, probabilities, CLASSES, Abstention(thresholds=thresholds))
    for label in CLASSES:
        assert details[label]["precision"] >= target
        assert report["per_label"][label]["precision"] >= target
    assert report["precision"] >= target
    assert 0 < report["coverage"] < 1


def test_a_higher_target_precision_answers_fewer_statements():
    labels, probabilities = noisy_predictions()
    coverages = [
        coverage_report(
            labels,
            probabilities,
            CLASSES,
            Abstention(thresholds=choose_thresholds(labels, probabilities, CLASSES, target)[0]),
        )["coverage"]
        for target in (0.7, 0.85, 0.95)
    ]
    assert coverages == sorted(coverages, reverse=True) and len(set(coverages)) == 3


def test_a_label_that_never_reaches_the_precision_gets_no_threshold_and_is_always_uncertain():
    probabilities = np.array([[0.1, 0.2, 0.7], [0.1, 0.1, 0.8], [0.9, 0.05, 0.05]])
    labels = ["oppose", "conditional", "conditional"]  # every 'support' answer is wrong
    thresholds, details = choose_thresholds(labels, probabilities, CLASSES, 0.9)
    assert thresholds == {"conditional": 0.0, "oppose": None, "support": None}
    assert details["support"] == {"threshold": None, "precision": None, "answered": 0, "predicted": 2}
    answers = Abstention(thresholds=thresholds).labels(probabilities, CLASSES).tolist()
    assert answers == [UNCERTAIN, UNCERTAIN, "conditional"]


def test_statements_tied_at_a_confidence_are_answered_or_abstained_together():
    probabilities = np.array([[0.9, 0.05, 0.05], [0.8, 0.1, 0.1], [0.8, 0.1, 0.1]])
    thresholds, _ = choose_thresholds(["conditional", "conditional", "oppose"], probabilities, CLASSES, 0.9)
    assert thresholds["conditional"] == 0.9


def test_min_confidence_and_thresholds_both_apply():
    probabilities = np.array([[0.6, 0.3, 0.1], [0.1, 0.85, 0.05], [0.05, 0.15, 0.8]])
    rule = Abstention(min_confidence=0.7, thresholds={"conditional": 0.5, "oppose": 0.9, "support": 0.0})
    assert rule.labels(probabilities, CLASSES).tolist() == [UNCERTAIN, UNCERTAIN, "support"]
    assert Abstention().labels(probabilities, CLASSES).tolist() == ["conditional", "oppose", "support"]


def test_coverage_report_counts_answers_and_scores_only_the_answered():
    probabilities = np.array([[0.9, 0.05, 0.05], [0.2, 0.7, 0.1], [0.4, 0.35, 0.25], [0.1, 0.1, 0.8]])
    report = coverage_report(
        ["conditional", "support", "oppose", "support"], probabilities, CLASSES, Abstention(min_confidence=0.6)
    )
    assert (report["n"], report["answered"], report["coverage"]) == (4, 3, 0.75)
    assert report["precision"] == pytest.approx(2 / 3)
    assert report["per_label"]["oppose"] == {"answered": 1, "precision": 0.0}


def model_data(classes, calibration=None):
    return ModelData({}, classes, [], np.zeros((len(classes), 0)), np.zeros(len(classes)), {}, calibration)


def test_predict_uses_the_stored_thresholds_unless_told_not_to():
    stored = {"method": "temperature", "temperature": 1.0, "thresholds": {"a": 0.6, "b": 0.7}, "target_precision": 0.9}
    data = model_data(["a", "b"], stored)
    assert abstention_for(data).thresholds == {"a": 0.6, "b": 0.7}
    assert not abstention_for(data, use_thresholds=False).active
    assert not abstention_for(model_data(["a", "b"])).active


def test_abstaining_is_refused_for_a_model_with_a_label_called_uncertain():
    data = model_data(["certain", UNCERTAIN])
    with pytest.raises(ParameterError, match="label called 'uncertain'"):
        abstention_for(data, min_confidence=0.5)
    assert not abstention_for(data).active  # plain prediction still works


def test_the_target_for_a_precision_is_the_lowest_whose_thresholds_reach_it_on_held_out_folds():
    labels, probabilities = noisy_predictions(n=4000, seed=2)
    folds = np.arange(len(labels)) % 5
    target, rows = choose_target = target_for_precision(labels, probabilities, CLASSES, folds, 0.9)
    assert choose_target[0] == rows[-1]["target_precision"] == target
    assert rows[-1]["precision"] >= 0.9
    assert all(row["precision"] < 0.9 for row in rows[:-1])
    assert rows[0]["target_precision"] == 0.9


def test_cross_fitted_thresholds_are_chosen_without_the_fold_they_are_applied_to():
    # every answer is 'oppose': right in fold 1, wrong in fold 0. Chosen on fold 1, fold 0 is answered
    # (and wrongly); chosen on fold 0, 'oppose' never reaches the precision and fold 1 is uncertain.
    probabilities = np.array([[0.1, 0.8, 0.1]] * 4)
    labels = ["support", "support", "oppose", "oppose"]
    result = cross_fitted_precision(labels, probabilities, CLASSES, [0, 0, 1, 1], 0.9)
    assert result["coverage"] == 0.5 and result["precision"] == 0.0
