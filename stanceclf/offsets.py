"""Decision offsets: per-label shifts of a fitted model's scores, chosen on cross-validated predictions.

Logistic regression with balanced class weights puts its decision boundaries where the
log-likelihood wants them, not where a metric such as SemEval's F_avg (which ignores the
``NONE`` label except through the other two) is best. :func:`tune_offsets` searches a small
grid of additive offsets to the labels' log-probabilities on out-of-fold predictions;
:func:`apply_offsets` writes them into a fitted :class:`~stanceclf.model.StanceClassifier` (its
intercepts, or for ``target_mode="per_target"`` its per-target bias coefficients), so the saved
model file and the numpy :class:`~stanceclf.inference.Predictor` give the shifted answers with
nothing new at prediction time. Used by ``experiments/semeval2016.py`` and
``experiments/tweeteval.py``.

Examples
--------
>>> import numpy as np
>>> log_proba = np.log([[0.5, 0.1, 0.4], [0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
>>> classes = np.array(["AGAINST", "FAVOR", "NONE"])
>>> score = lambda truth, guess: float(np.mean(np.asarray(truth) == np.asarray(guess)))
>>> tune_offsets(log_proba, ["NONE", "FAVOR", "AGAINST"], classes, score, grid=[-0.5, 0.0, 0.5])
{None: [0.0, 0.0, 0.5]}
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np

DEFAULT_GRID = tuple(np.round(np.arange(-1.0, 1.0001, 0.25), 2).tolist())


def shifted_predictions(log_proba: np.ndarray, classes: np.ndarray, offsets: dict, targets=None) -> np.ndarray:
    """The labels that win once ``offsets`` are added to ``log_proba`` (columns as ``classes``).

    ``offsets`` maps a target (or None, for every statement) to one offset per label; a target
    missing from it gets the None entry, or no shift.
    """
    shifted = np.array(log_proba, dtype=np.float64, copy=True)
    if None in offsets:
        shifted += np.asarray(offsets[None], dtype=np.float64)
    if targets is not None:
        targets = np.asarray(targets, dtype=object)
        for target, values in offsets.items():
            if target is not None:
                shifted[targets == target] += np.asarray(values, dtype=np.float64)
    return np.asarray(classes)[shifted.argmax(axis=1)]


def tune_offsets(
    log_proba: np.ndarray,
    y_true: Sequence,
    classes: np.ndarray,
    score: Callable,
    *,
    targets: Sequence | None = None,
    grid: Sequence[float] = DEFAULT_GRID,
) -> dict:
    """The offsets from ``grid`` (one per label, the first label's fixed at 0) that maximise ``score``.

    Parameters
    ----------
    log_proba : ndarray of shape (n, n_classes)
        Out-of-fold log-probabilities (cross-validated: offsets tuned on in-sample
        probabilities learn nothing).
    y_true : sequence
        The true labels.
    classes : ndarray
        The labels of the columns of ``log_proba``.
    score : callable
        ``score(y_true, y_pred) -> float``, higher is better.
    targets : sequence, optional
        With targets, one set of offsets per target, each tuned on its own statements;
        without, one set for all.
    grid : sequence of float
        Candidate offsets for every label but the first. Ties go to the smallest shift.

    Returns
    -------
    dict
        ``{None: offsets}`` or ``{target: offsets}``, offsets as a list of floats.
    """
    truth = np.asarray(y_true, dtype=object)
    groups: dict[object, np.ndarray] = {None: np.arange(len(truth))}
    if targets is not None:
        target_array = np.asarray(targets, dtype=object)
        groups = {target: np.flatnonzero(target_array == target) for target in sorted(set(target_array.tolist()))}
    candidates = sorted(itertools.product([0.0], *[grid] * (len(classes) - 1)), key=lambda o: sum(map(abs, o)))
    chosen: dict[object, list[float]] = {}
    for group, rows in groups.items():
        best: tuple[float, ...] | None = None
        best_score = -np.inf
        for offsets in candidates:
            value = score(truth[rows], shifted_predictions(log_proba[rows], classes, {None: offsets}))
            if value > best_score + 1e-12:
                best, best_score = offsets, value
        if best is None:
            raise ValueError(f"tune_offsets: no candidate offsets scored above -inf for target {group!r}")
        chosen[group] = [float(v) for v in best]
    return chosen


def apply_offsets(model, offsets: dict):
    """Write ``offsets`` (from :func:`tune_offsets`) into the fitted ``model``; return it.

    ``{None: ...}`` goes into the intercepts. Per-target offsets need ``target_mode="per_target"``,
    whose target-bias feature is 1.0 for the statement's own target and 0 otherwise: adding an
    offset to that feature's coefficient shifts exactly that target's scores. A target the model
    never saw cannot take offsets (``ValueError``).
    """
    logistic = model.logistic_
    if len(model.classes_) < 3:
        raise ValueError("offsets need a model of three or more labels (a binary model has one score)")
    for target, values in offsets.items():
        values = np.asarray(values, dtype=np.float64)
        if target is None:
            logistic.intercept_ = logistic.intercept_ + values
            continue
        if model.target_mode != "per_target":
            raise ValueError("per-target offsets need target_mode='per_target' (its per-target bias features)")
        start = 0
        for name, vectorizer in model.vectorizers_:
            if name == "target_bias":
                break
            start += len(vectorizer.vocabulary_)
        vocabulary = dict(model.vectorizers_)["target_bias"].vocabulary_
        if target not in vocabulary:
            raise ValueError(f"target {target!r} was not seen in training: no bias feature to shift")
        logistic.coef_[:, start + vocabulary[target]] += values
    return model
