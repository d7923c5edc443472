"""Calibration measures and temperature scaling: ECE by hand, labels never move, the fit finds the truth."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from stanceclf.calibration import (
    check_calibration,
    expected_calibration_error,
    fit_temperature,
    log_loss,
    reliability_bins,
    reliability_diagram,
    scaled_probabilities,
)


def test_ece_is_the_size_weighted_gap_between_accuracy_and_confidence_per_bin():
    # bin (0.8, 0.9]: two at 0.9, one right -> gap 0.4; bin (0.5, 0.6]: two at 0.6, both right -> gap 0.4
    probabilities = np.array([[0.9, 0.1], [0.9, 0.1], [0.6, 0.4], [0.4, 0.6]])
    ece = expected_calibration_error(["a", "b", "a", "b"], probabilities, ["a", "b"], n_bins=10)
    assert ece == pytest.approx((2 * 0.4 + 2 * 0.4) / 4)


def test_ece_is_zero_when_accuracy_matches_confidence_in_every_bin():
    probabilities = np.array([[0.75, 0.25]] * 4 + [[0.5, 0.5]] * 2)
    labels = ["a", "a", "a", "b", "a", "b"]
    assert expected_calibration_error(labels, probabilities, ["a", "b"]) == pytest.approx(0.0)


def test_a_confidence_of_exactly_one_falls_in_the_last_bin_and_empty_bins_are_listed():
    bins = reliability_bins(["a"], np.array([[1.0, 0.0]]), ["a", "b"], n_bins=5)
    assert [b["count"] for b in bins] == [0, 0, 0, 0, 1]
    assert bins[0]["accuracy"] is None and bins[4]["accuracy"] == 1.0


@settings(max_examples=200, deadline=None)
@given(
    # decision values on a 0.001 grid: labels either tie exactly or differ by more than rounding
    arrays(np.float64, st.tuples(st.integers(1, 20), st.integers(2, 5)), elements=st.integers(-30_000, 30_000)).map(
        lambda scores: scores / 1000
    ),
    st.floats(0.01, 100),
)
def test_temperature_scaling_never_changes_the_most_probable_label(scores, temperature):
    scaled = scaled_probabilities(scores, temperature)
    assert np.allclose(scaled.sum(axis=1), 1.0)
    top = scores.max(axis=1, keepdims=True)
    ties = (scores == top).sum(axis=1) > 1
    assert (scaled.argmax(axis=1) == scores.argmax(axis=1))[~ties].all()


def test_two_label_scores_are_the_log_odds_of_the_second_label():
    scores = np.array([-2.0, 0.0, 3.0])
    assert np.allclose(scaled_probabilities(scores, 2.0)[:, 1], 1 / (1 + np.exp(-scores / 2)))
    assert np.allclose(
        scaled_probabilities(scores, 2.0), scaled_probabilities(np.column_stack([0 * scores, scores]), 2.0)
    )


def test_fitting_recovers_the_temperature_that_generated_the_labels():
    generator = np.random.default_rng(0)
    scores = generator.normal(0, 4, size=(20_000, 3))
    truth = scaled_probabilities(scores, 2.5)
    codes = np.array([generator.choice(3, p=p) for p in truth])
    fitted = fit_temperature(scores, codes)
    assert fitted == pytest.approx(2.5, rel=0.05)
    assert log_loss(scores, codes, fitted) < log_loss(scores, codes, 1.0)


def test_the_fitted_temperature_is_where_the_log_loss_is_lowest():
    generator = np.random.default_rng(1)
    scores = generator.normal(0, 1, size=(500, 4))
    codes = generator.integers(0, 4, 500)
    fitted = fit_temperature(scores, codes)
    for nearby in (fitted * 0.9, fitted * 1.1):
        assert log_loss(scores, codes, fitted) <= log_loss(scores, codes, nearby)


@pytest.mark.parametrize(
    "calibration, message",
    [
        ({"method": "temperature", "temperature": 0.001}, "outside"),
        ({"method": "temperature", "temperature": 1e6}, "outside"),
        ({"method": "temperature", "temperature": float("nan")}, "outside"),
        ({"method": "temperature", "temperature": True}, "outside"),
        ({"method": "temperature", "temperature": "2"}, "outside"),
        ({"method": "platt", "temperature": 1.0}, "not 'temperature'"),
        ({"method": "temperature", "temperature": 1.0, "code": "import os"}, "unknown calibration field 'code'"),
        ({"method": "temperature", "temperature": 1.0, "folds": 1}, "folds"),
        (
            {"method": "temperature", "temperature": 1.0, "thresholds": {"a": 0.5}, "target_precision": 0.9},
            "every label",
        ),
        (
            {"method": "temperature", "temperature": 1.0, "thresholds": {"a": 1.5, "b": 0.1}, "target_precision": 0.9},
            "not a probability",
        ),
        ({"method": "temperature", "temperature": 1.0, "thresholds": {"a": 0.5, "b": None}}, "target_precision"),
        ({"method": "temperature", "temperature": 1.0, "target_precision": 0.9}, "without thresholds"),
        ([1.0], "not a dict"),
    ],
)
def test_a_stored_calibration_outside_its_bounds_is_named(calibration, message):
    assert message in check_calibration(calibration, ["a", "b"])


def test_reliability_diagram_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    bins = reliability_bins(["a", "b"], np.array([[0.9, 0.1], [0.3, 0.7]]), ["a", "b"])
    reliability_diagram({"model": bins}, tmp_path / "r.png")
    assert (tmp_path / "r.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
