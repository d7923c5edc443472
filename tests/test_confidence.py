"""Calibration fitted on cross-validated predictions: stored in the model, applied alike on both paths."""

from __future__ import annotations

import numpy as np
import pytest
from test_persist import VARIED_TEXTS

from samples import STATEMENTS
from stanceclf import StanceClassifier, load_dataset, train
from stanceclf.errors import DataError, ParameterError
from stanceclf.inference import Predictor, load_predictor
from stanceclf.persist import load_model_data

TEXTS = VARIED_TEXTS + [s[0] for s in STATEMENTS]


def test_a_calibrated_model_stores_a_temperature_and_thresholds(calibrated_model):
    stored = calibrated_model.calibration_
    assert stored["method"] == "temperature" and stored["temperature"] != 1.0
    assert set(stored["thresholds"]) == {"conditional", "oppose", "support"}
    assert stored["target_precision"] == 0.9 and stored["folds"] == 5
    assert (
        calibrated_model.provenance_["calibration"]["cv_log_loss"][1]
        <= calibrated_model.provenance_["calibration"]["cv_log_loss"][0]
    )


def test_estimator_and_numpy_predictor_apply_the_temperature_identically(calibrated_model, calibrated_model_file):
    expected = calibrated_model.predict_proba(TEXTS)
    assert np.abs(Predictor(calibrated_model.to_model_data()).predict_proba(TEXTS) - expected).max() < 1e-9
    assert np.abs(load_predictor(calibrated_model_file).predict_proba(TEXTS) - expected).max() < 1e-9
    assert np.abs(StanceClassifier.load(calibrated_model_file).predict_proba(TEXTS) - expected).max() < 1e-9


def test_the_temperature_changes_probabilities_but_never_the_predicted_label(calibrated_model):
    uncalibrated = StanceClassifier.from_model_data(calibrated_model.to_model_data())
    uncalibrated.calibration_ = None
    before, after = uncalibrated.predict_proba(TEXTS), calibrated_model.predict_proba(TEXTS)
    assert np.abs(before - after).max() > 0.01
    assert (before.argmax(axis=1) == after.argmax(axis=1)).all()
    assert calibrated_model.predict(TEXTS).tolist() == uncalibrated.predict(TEXTS).tolist()


def test_the_file_keeps_the_calibration(calibrated_model_file, calibrated_model):
    assert load_model_data(calibrated_model_file).calibration == calibrated_model.calibration_


def test_refitting_forgets_an_earlier_calibration(calibrated_model):
    from sklearn.base import clone

    texts, labels, _ = zip(*STATEMENTS)
    assert clone(calibrated_model).fit(list(texts), list(labels)).calibration_ is None


def test_a_two_label_model_is_calibrated_on_its_log_odds(tmp_path, write_csv):
    rows = [row for row in STATEMENTS if row[1] != "conditional"]
    model = train(load_dataset(write_csv(tmp_path / "two.csv", rows)), calibrate=True).model
    assert model.predict_proba(TEXTS).shape == (len(TEXTS), 2)
    assert np.abs(Predictor(model.to_model_data()).predict_proba(TEXTS) - model.predict_proba(TEXTS)).max() < 1e-9


def test_calibration_holding_out_targets_needs_as_many_targets_as_folds(labelled_csv):
    with pytest.raises(DataError, match="5 calibration folds of whole targets need 5 targets, found 2"):
        train(load_dataset(labelled_csv), calibrate=True, group_by="target")


def test_a_target_precision_outside_zero_to_one_is_refused(labelled_csv):
    with pytest.raises(ParameterError, match="must be in"):
        train(load_dataset(labelled_csv), target_precision=1.5)


def test_fold_numbers_keep_each_target_in_one_fold_and_match_the_calibration_folds():
    from stanceclf.confidence import calibration_splitter, fold_numbers

    labels = ["a", "b"] * 30
    groups = [f"t{i % 6}" for i in range(60)]
    numbers = fold_numbers(labels, groups=groups, folds=3)
    assert sorted(set(numbers.tolist())) == [0, 1, 2]
    assert all(len({n for n, g in zip(numbers, groups) if g == target}) == 1 for target in set(groups))
    splits = list(calibration_splitter(labels, groups=groups, folds=3).split(np.zeros(60), labels, groups))
    assert all((numbers[held_out] == fold).all() for fold, (_, held_out) in enumerate(splits))
