"""Calibrated confidence: how far a model's probabilities can be trusted, and one temperature to mend them.

A model is *calibrated* when, of the statements it answers with confidence 0.8, about 80% are
right. :func:`expected_calibration_error` measures the gap: the **top-label** expected
calibration error over **equal-width** confidence bins (15 by default, as in Guo et al. 2017,
"On calibration of modern neural networks"): each statement falls in the bin of its highest
probability; the error is the average, weighted by the bins' sizes, of
``|accuracy - mean confidence|`` in each bin. :func:`reliability_bins` gives the bins themselves,
:func:`reliability_diagram` draws them (matplotlib, the ``plot`` extra, imported when called).

*Temperature scaling* divides every decision value (log-odds) by one number ``T`` before the
softmax: ``T > 1`` softens over-confident probabilities, ``T < 1`` sharpens timid ones, and the
order of the labels never changes, so neither does the predicted label. :func:`fit_temperature`
finds the ``T`` that minimises the log loss of held-out decision values (out-of-fold
predictions of a cross-validation, see :mod:`stanceclf.confidence`); the model file stores it
(:func:`check_calibration` is what the loader checks), and the estimator and the numpy predictor
both apply it with :func:`scaled_probabilities`. numpy only: the cold prediction path uses it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeGuard

import numpy as np

DEFAULT_BINS = 15
# Bounds of a stored temperature: far beyond any useful value (a tenfold sharpening or softening
# is already extreme), so that a file cannot ask for overflow or for every probability at 1/K.
MIN_TEMPERATURE = 0.01
MAX_TEMPERATURE = 100.0
CALIBRATION_KEYS = {"method", "temperature", "folds", "group_by", "thresholds", "target_precision"}


def scaled_probabilities(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Softmax of ``scores / temperature``, one column per label.

    ``scores`` is what ``decision_function`` returns: shape ``(n, K)``, or ``(n,)`` for a
    two-label model (the log-odds of the second label), which gives ``[1 - p, p]``.

    Examples
    --------
    >>> scaled_probabilities(np.array([[2.0, 0.0]]), 2.0).round(4).tolist()
    [[0.7311, 0.2689]]
    >>> scaled_probabilities(np.array([0.0]), 3.0).tolist()
    [[0.5, 0.5]]
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1:
        positive = 1.0 / (1.0 + np.exp(-scores / temperature))
        return np.column_stack([1.0 - positive, positive])
    scaled = scores / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    np.exp(scaled, out=scaled)
    scaled /= scaled.sum(axis=1, keepdims=True)
    return scaled


def log_loss(scores: np.ndarray, codes: Sequence[int] | np.ndarray, temperature: float = 1.0) -> float:
    """Mean negative log-likelihood of the true labels (column ``codes``) under ``scores / temperature``."""
    scaled = _two_columns(scores) / temperature
    top = scaled.max(axis=1, keepdims=True)
    log_normaliser = np.log(np.exp(scaled - top).sum(axis=1)) + top[:, 0]
    rows = np.arange(len(scaled))
    return float(np.mean(log_normaliser - scaled[rows, np.asarray(codes, dtype=np.int64)]))


def fit_temperature(scores: np.ndarray, codes: Sequence[int] | np.ndarray) -> float:
    """The temperature that minimises the log loss of ``scores`` for the true label columns ``codes``.

    The log loss is convex in ``1 / T``, so a golden-section search over ``log T`` between
    :data:`MIN_TEMPERATURE` and :data:`MAX_TEMPERATURE` finds the minimum (to 1e-9 in log T).

    Examples
    --------
    >>> scores = np.array([[3.0, 0.0], [0.0, 3.0], [3.0, 0.0], [3.0, 0.0]])
    >>> 1.0 < fit_temperature(scores, [0, 1, 1, 0])  # one confident mistake in four: soften
    True
    """
    true_columns = np.asarray(codes, dtype=np.int64)
    if len(true_columns) == 0:
        raise ValueError("fitting a temperature needs at least one statement")
    low, high = math.log(MIN_TEMPERATURE), math.log(MAX_TEMPERATURE)
    ratio = (math.sqrt(5) - 1) / 2
    a, b = high - ratio * (high - low), low + ratio * (high - low)
    loss_a, loss_b = log_loss(scores, true_columns, math.exp(a)), log_loss(scores, true_columns, math.exp(b))
    while high - low > 1e-9:
        if loss_a <= loss_b:
            high, b, loss_b = b, a, loss_a
            a = high - ratio * (high - low)
            loss_a = log_loss(scores, true_columns, math.exp(a))
        else:
            low, a, loss_a = a, b, loss_b
            b = low + ratio * (high - low)
            loss_b = log_loss(scores, true_columns, math.exp(b))
    return math.exp((low + high) / 2)


def reliability_bins(
    labels: Sequence, probabilities: np.ndarray, classes: Sequence, n_bins: int = DEFAULT_BINS
) -> list[dict]:
    """Equal-width bins of top-label confidence: ``low``, ``high``, ``count``, ``confidence``, ``accuracy``.

    A statement falls in the bin holding its highest probability (the upper edge belongs to the
    bin below, 1.0 to the last); ``accuracy`` is the share whose most probable label is the true
    one. Empty bins are listed with ``count`` 0 and None for the means.
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    confidence = probabilities.max(axis=1) if len(probabilities) else np.zeros(0)
    names = np.asarray([str(c) for c in classes], dtype=object)
    correct = names[probabilities.argmax(axis=1)] == np.asarray([str(y) for y in labels], dtype=object)
    index = np.clip(np.ceil(confidence * n_bins).astype(np.int64) - 1, 0, n_bins - 1)
    bins = []
    for k in range(n_bins):
        members = index == k
        count = int(members.sum())
        bins.append(
            {
                "low": k / n_bins,
                "high": (k + 1) / n_bins,
                "count": count,
                "confidence": float(confidence[members].mean()) if count else None,
                "accuracy": float(correct[members].mean()) if count else None,
            }
        )
    return bins


def expected_calibration_error(
    labels: Sequence, probabilities: np.ndarray, classes: Sequence, n_bins: int = DEFAULT_BINS
) -> float:
    """Top-label expected calibration error over ``n_bins`` equal-width bins (0 is perfect).

    Examples
    --------
    >>> probabilities = np.array([[0.9, 0.1], [0.9, 0.1], [0.6, 0.4], [0.4, 0.6]])
    >>> round(expected_calibration_error(["a", "b", "a", "b"], probabilities, ["a", "b"], n_bins=10), 6)
    0.4
    """
    bins = reliability_bins(labels, probabilities, classes, n_bins)
    total = sum(b["count"] for b in bins)
    if not total:
        return 0.0
    return float(sum(b["count"] * abs(b["accuracy"] - b["confidence"]) for b in bins if b["count"]) / total)


def reliability_diagram(curves: dict[str, list[dict]], path, title: str = "Reliability") -> None:
    """Draw reliability curves (``{name: reliability_bins(...)}``) to a PNG file at ``path``.

    Needs matplotlib (``pip install 'stanceclf[plot]'``), imported here and nowhere else.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (upper, lower) = plt.subplots(
        2, 1, figsize=(5.5, 6.5), sharex=True, gridspec_kw={"height_ratios": [3, 1]}, layout="constrained"
    )
    upper.plot([0, 1], [0, 1], color="0.6", linestyle=":", label="perfectly calibrated")
    for name, bins in curves.items():
        filled = [b for b in bins if b["count"]]
        upper.plot([b["confidence"] for b in filled], [b["accuracy"] for b in filled], marker="o", label=name)
        lower.plot([(b["low"] + b["high"]) / 2 for b in bins], [b["count"] for b in bins], marker=".", label=name)
    upper.set_ylabel("accuracy in the bin")
    upper.set_title(title)
    upper.legend(fontsize="small")
    upper.set_xlim(0, 1)
    upper.set_ylim(0, 1)
    lower.set_xlabel("confidence (top probability), equal-width bins")
    lower.set_ylabel("statements")
    figure.savefig(path, dpi=110)
    plt.close(figure)


def check_calibration(calibration, classes: Sequence[str]) -> str | None:
    """What is wrong with a model file's ``calibration`` field, or None if nothing is.

    The field is a dict of plain values: ``method`` ("temperature"), ``temperature`` (a number
    within the bounds), optionally ``folds`` and ``group_by`` (how it was fitted),
    ``thresholds`` (``{label: number in [0, 1] or null}`` for labels of the model) and
    ``target_precision`` (a number in (0, 1]).

    Examples
    --------
    >>> check_calibration({"method": "temperature", "temperature": 1.5}, ["a", "b"]) is None
    True
    >>> check_calibration({"method": "temperature", "temperature": 0.0}, ["a", "b"])
    'calibration temperature 0.0 is outside [0.01, 100.0]'
    """
    if not isinstance(calibration, dict):
        return "the calibration field is not a dict"
    unknown = sorted(set(calibration) - CALIBRATION_KEYS)
    if unknown:
        return f"unknown calibration field {unknown[0]!r}"
    if calibration.get("method") != "temperature":
        return f"calibration method {calibration.get('method')!r} is not 'temperature'"
    temperature = calibration.get("temperature")
    if not (_is_number(temperature) and MIN_TEMPERATURE <= temperature <= MAX_TEMPERATURE):
        return f"calibration temperature {temperature!r} is outside [{MIN_TEMPERATURE}, {MAX_TEMPERATURE}]"
    folds = calibration.get("folds")
    if folds is not None and (type(folds) is not int or folds < 2):
        return f"calibration folds {folds!r} is not an integer >= 2"
    if calibration.get("group_by") not in (None, "target"):
        return f"calibration group_by {calibration.get('group_by')!r} is not 'target' or null"
    thresholds = calibration.get("thresholds")
    if thresholds is not None:
        if not isinstance(thresholds, dict) or set(thresholds) != set(classes):
            return "calibration thresholds must name every label of the model, once"
        for label, value in thresholds.items():
            if value is not None and (not _is_number(value) or not 0.0 <= value <= 1.0):
                return f"calibration threshold {value!r} of {label!r} is not a probability or null"
        target = calibration.get("target_precision")
        if not (_is_number(target) and 0.0 < target <= 1.0):
            return f"calibration target_precision {target!r} is not in (0, 1]"
    elif "target_precision" in calibration:
        return "calibration target_precision without thresholds"
    return None


def _is_number(value) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _two_columns(scores: np.ndarray) -> np.ndarray:
    """Decision values as ``(n, K)``: a two-label model's log-odds ``s`` become ``(0, s)``."""
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1:
        return np.column_stack([np.zeros_like(scores), scores])
    return scores
