"""Scores agree with scikit-learn's and with SemEval-2016's definition of F_avg."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from stanceclf.metrics import classification_report, f_avg, f_avg_tweeteval, format_report, macro_f1

LABELS = ["conditional", "oppose", "support"]


@pytest.fixture
def predictions():
    rng = np.random.default_rng(7)
    y_true = rng.choice(LABELS, size=300).tolist()
    y_pred = [t if rng.random() < 0.6 else rng.choice(LABELS) for t in y_true]
    return y_true, y_pred


def test_report_matches_scikit_learn(predictions):
    y_true, y_pred = predictions
    report = classification_report(y_true, y_pred, LABELS)
    precision, recall, f1, support = precision_recall_fscore_support(y_true, y_pred, labels=LABELS, zero_division=0)
    assert report["accuracy"] == pytest.approx(accuracy_score(y_true, y_pred))
    assert report["macro_f1"] == pytest.approx(f1_score(y_true, y_pred, average="macro"))
    assert report["confusion_matrix"] == confusion_matrix(y_true, y_pred, labels=LABELS).tolist()
    for i, label in enumerate(LABELS):
        assert report["per_label"][label]["precision"] == pytest.approx(precision[i])
        assert report["per_label"][label]["recall"] == pytest.approx(recall[i])
        assert report["per_label"][label]["f1"] == pytest.approx(f1[i])
        assert report["per_label"][label]["support"] == support[i]


def test_f_avg_is_the_mean_f1_of_favor_and_against_ignoring_none_as_a_class():
    y_true = ["FAVOR", "FAVOR", "AGAINST", "AGAINST", "NONE", "NONE"]
    y_pred = ["FAVOR", "NONE", "AGAINST", "AGAINST", "AGAINST", "NONE"]
    favor = f1_score(y_true, y_pred, labels=["FAVOR"], average="macro")
    against = f1_score(y_true, y_pred, labels=["AGAINST"], average="macro")
    assert f_avg(y_true, y_pred) == pytest.approx((favor + against) / 2)
    assert f_avg(y_true, y_pred) == pytest.approx((2 / 3 + 0.8) / 2)


def test_tweeteval_variant_averages_over_targets():
    y_true = ["FAVOR", "AGAINST", "FAVOR", "AGAINST"]
    y_pred = ["FAVOR", "AGAINST", "AGAINST", "AGAINST"]
    targets = ["a", "a", "b", "b"]
    per_target_b = f_avg(y_true[2:], y_pred[2:])
    assert f_avg_tweeteval(y_true, y_pred, targets) == pytest.approx((1.0 + per_target_b) / 2)


def test_macro_f1_counts_a_label_never_predicted_as_zero():
    assert macro_f1(["a", "b"], ["a", "a"]) == pytest.approx((2 / 3 + 0) / 2)


def test_text_report_names_every_label_and_the_scores(predictions):
    text = format_report(classification_report(*predictions, LABELS))
    assert "macro-F1" in text and all(label in text for label in LABELS)


def test_report_gives_stance_only_macro_f1_beside_none():
    from stanceclf.metrics import classification_report, format_report

    truth = ["support", "oppose", "conditional", "none", "none", "support"]
    guess = ["support", "oppose", "none", "none", "support", "support"]
    report = classification_report(truth, guess)
    f1 = {label: s["f1"] for label, s in report["per_label"].items()}
    assert report["stance_macro_f1"] == pytest.approx((f1["support"] + f1["oppose"] + f1["conditional"]) / 3)
    assert report["per_label"]["none"]["precision"] == pytest.approx(0.5)
    assert report["per_label"]["none"]["recall"] == pytest.approx(0.5)
    text = format_report(report)
    assert "stance-F1" in text and "none        precision 0.5000  recall 0.5000" in text


def test_report_without_none_has_no_stance_only_score():
    from stanceclf.metrics import classification_report

    assert "stance_macro_f1" not in classification_report(["a", "b"], ["a", "a"])
