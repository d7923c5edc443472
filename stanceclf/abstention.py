"""Abstention: answer ``uncertain`` where the model is not sure enough, and what that buys.

Two rules, which combine (a statement is uncertain if either says so):

- a **minimum confidence** ``P`` (``predict --min-confidence P``): uncertain when the highest
  probability is below ``P``;
- **per-label thresholds** stored in the model file (``train --target-precision 0.9``): a
  statement whose most probable label is ``L`` is uncertain when that probability is below
  ``L``'s threshold; a label whose threshold is null never reached the precision asked for and
  is always answered ``uncertain``.

:func:`choose_thresholds` picks the thresholds on cross-validated (calibrated) predictions;
:func:`coverage_report` says what they give on labelled data: coverage (the share answered),
precision (the share of answers that are right) and macro-F1 over the answered statements.
numpy only: the cold prediction path uses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from stanceclf.errors import ParameterError
from stanceclf.metrics import classification_report

UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class Abstention:
    """When to answer :data:`UNCERTAIN`: a minimum confidence, per-label thresholds, or both.

    Examples
    --------
    >>> rule = Abstention(min_confidence=0.7)
    >>> rule.labels(np.array([[0.8, 0.2], [0.6, 0.4]]), ["support", "oppose"]).tolist()
    ['support', 'uncertain']
    """

    min_confidence: float | None = None
    thresholds: dict | None = None

    @property
    def active(self) -> bool:
        return self.min_confidence is not None or self.thresholds is not None

    def mask(self, probabilities: np.ndarray, classes: Sequence) -> np.ndarray:
        """True for each statement (row of ``probabilities``) to be answered ``uncertain``."""
        probabilities = np.asarray(probabilities, dtype=np.float64)
        if not len(probabilities):
            return np.zeros(0, dtype=bool)
        best = probabilities.argmax(axis=1)
        confidence = probabilities[np.arange(len(best)), best]
        uncertain = np.zeros(len(best), dtype=bool)
        if self.min_confidence is not None:
            uncertain |= confidence < self.min_confidence
        if self.thresholds is not None:
            # a null threshold (precision never reached) is above every probability
            limits = np.array([_limit(self.thresholds.get(str(c))) for c in classes])
            uncertain |= confidence < limits[best]
        return uncertain

    def labels(self, probabilities: np.ndarray, classes: Sequence) -> np.ndarray:
        """The most probable label of each statement, or ``uncertain``."""
        names = np.asarray([str(c) for c in classes], dtype=object)
        answers = names[np.asarray(probabilities).argmax(axis=1)] if len(probabilities) else names[:0]
        answers[self.mask(probabilities, classes)] = UNCERTAIN
        return answers


def abstention_for(model, min_confidence: float | None = None, use_thresholds: bool = True) -> Abstention:
    """The rule ``predict`` applies: ``min_confidence``, and the model's stored thresholds unless told not to.

    ``model`` is a :class:`~stanceclf.inference.Predictor`, its ``ModelData`` or a ``StanceClassifier``.

    Raises
    ------
    ParameterError
        If abstention is asked of a model that has a label called ``uncertain``, or
        ``min_confidence`` is not a probability.
    """
    data = getattr(model, "model", model)  # a Predictor holds its ModelData
    if hasattr(data, "calibration_"):  # a StanceClassifier
        calibration, classes = data.calibration_ or {}, [str(c) for c in data.classes_]
    else:
        calibration, classes = data.calibration or {}, list(data.classes)
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise ParameterError(f"--min-confidence must be a probability in [0, 1], got {min_confidence!r}")
    rule = Abstention(min_confidence, calibration.get("thresholds") if use_thresholds else None)
    if rule.active and UNCERTAIN in classes:
        raise ParameterError(
            f"the model has a label called {UNCERTAIN!r}, so abstaining would be ambiguous: "
            "drop --min-confidence (and pass --no-thresholds)"
        )
    return rule


def choose_thresholds(
    labels: Sequence, probabilities: np.ndarray, classes: Sequence, target_precision: float
) -> tuple[dict, dict]:
    """Per-label thresholds that bring each label's precision to ``target_precision``, where possible.

    For each label ``L``, among the statements whose most probable label is ``L``, the
    threshold is the lowest confidence ``t`` such that the statements answered ``L`` with
    confidence ``>= t`` are right at least ``target_precision`` of the time: the most
    statements answered for that precision. A label whose precision is already reached with
    no threshold gets 0.0; a label that reaches it at no threshold (or is never predicted)
    gets None, meaning: always ``uncertain``.

    Returns
    -------
    thresholds : dict
        ``{label: float or None}``.
    details : dict
        ``{label: {"threshold", "precision", "answered", "predicted"}}`` on the given data.

    Examples
    --------
    >>> p = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.6, 0.4], [0.2, 0.8]])
    >>> choose_thresholds(["a", "a", "b", "a", "b"], p, ["a", "b"], 0.9)[0]
    {'a': 0.8, 'b': 0.0}
    """
    if not 0.0 < target_precision <= 1.0:
        raise ParameterError(f"the target precision must be in (0, 1], got {target_precision!r}")
    probabilities = np.asarray(probabilities, dtype=np.float64)
    names = [str(c) for c in classes]
    best = probabilities.argmax(axis=1) if len(probabilities) else np.zeros(0, dtype=np.int64)
    confidence = probabilities[np.arange(len(best)), best] if len(best) else np.zeros(0)
    truth = np.asarray([str(y) for y in labels], dtype=object)
    thresholds: dict[str, float | None] = {}
    details: dict[str, dict] = {}
    for k, label in enumerate(names):
        rows = np.flatnonzero(best == k)
        order = rows[np.argsort(-confidence[rows], kind="stable")]
        right = np.cumsum(truth[order] == label)
        precision = right / np.arange(1, len(order) + 1)
        # a cut may only fall between distinct confidences: all statements at a tie go together
        last_of_tie = np.append(confidence[order][1:] < confidence[order][:-1], True) if len(order) else order
        reached = np.flatnonzero((precision >= target_precision) & last_of_tie)
        if not len(reached):
            thresholds[label] = None
            details[label] = {"threshold": None, "precision": None, "answered": 0, "predicted": len(order)}
            continue
        cut = int(reached[-1])
        threshold = 0.0 if cut == len(order) - 1 else float(confidence[order][cut])
        thresholds[label] = threshold
        details[label] = {
            "threshold": threshold,
            "precision": float(precision[cut]),
            "answered": cut + 1,
            "predicted": len(order),
        }
    return thresholds, details


def coverage_report(labels: Sequence, probabilities: np.ndarray, classes: Sequence, rule: Abstention) -> dict:
    """What abstaining by ``rule`` gives on labelled statements.

    Returns
    -------
    dict
        ``n``, ``answered``, ``coverage`` (answered / n), ``precision`` (right answers /
        answered), ``macro_f1`` over the answered statements (their true labels against the
        answers), and ``per_label``: each label's answers and precision.
    """
    answers = rule.labels(probabilities, classes)
    truth = np.asarray([str(y) for y in labels], dtype=object)
    covered = answers != UNCERTAIN
    answered = int(covered.sum())
    per_label: dict[str, dict] = {}
    report: dict = {
        "n": len(truth),
        "answered": answered,
        "coverage": answered / len(truth) if len(truth) else 0.0,
        "precision": float((answers[covered] == truth[covered]).mean()) if answered else None,
        "macro_f1": None,
        "per_label": per_label,
    }
    if answered:
        names = sorted({str(c) for c in classes} | set(truth[covered].tolist()))
        report["macro_f1"] = classification_report(truth[covered].tolist(), answers[covered].tolist(), names)[
            "macro_f1"
        ]
    for label in [str(c) for c in classes]:
        given = answers == label
        per_label[label] = {
            "answered": int(given.sum()),
            "precision": float((truth[given] == label).mean()) if given.any() else None,
        }
    return report


def cross_fitted_precision(
    labels: Sequence, probabilities: np.ndarray, classes: Sequence, folds: Sequence[int], target_precision: float
) -> dict:
    """Coverage and precision of thresholds on statements they were not chosen on.

    For each fold, thresholds are chosen (:func:`choose_thresholds`) on the other folds'
    statements and applied to this fold's; the answers are pooled. With folds of whole targets
    this estimates what the thresholds give on new targets, which can be less than the precision
    they reach on the statements they were chosen on.

    Returns
    -------
    dict
        ``target_precision``, ``coverage``, ``precision`` (None if nothing was answered).
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    truth = np.asarray([str(y) for y in labels], dtype=object)
    fold_of = np.asarray(folds)
    answers = np.empty(len(truth), dtype=object)
    for fold in np.unique(fold_of):
        held_out = fold_of == fold
        thresholds, _ = choose_thresholds(truth[~held_out], probabilities[~held_out], classes, target_precision)
        answers[held_out] = Abstention(thresholds=thresholds).labels(probabilities[held_out], classes)
    covered = answers != UNCERTAIN
    return {
        "target_precision": target_precision,
        "coverage": float(covered.mean()) if len(truth) else 0.0,
        "precision": float((answers[covered] == truth[covered]).mean()) if covered.any() else None,
    }


def target_for_precision(
    labels: Sequence,
    probabilities: np.ndarray,
    classes: Sequence,
    folds: Sequence[int],
    goal: float,
    candidates: Sequence[float] = (),
) -> tuple[float | None, list[dict]]:
    """The lowest target precision whose thresholds reach ``goal`` on held-out folds (:func:`cross_fitted_precision`).

    ``candidates`` default to ``goal`` and up in steps of 0.005 to 0.99. Returns the chosen
    target (None if no candidate reaches ``goal``) and every candidate's cross-fitted figures.
    """
    candidates = list(candidates) or [round(goal + 0.005 * k, 3) for k in range(int((0.99 - goal) / 0.005) + 1)]
    rows = []
    for target in candidates:
        rows.append(cross_fitted_precision(labels, probabilities, classes, folds, target))
        if rows[-1]["precision"] is not None and rows[-1]["precision"] >= goal:
            return target, rows
    return None, rows


def _limit(threshold) -> float:
    return np.inf if threshold is None else float(threshold)
