"""A model's calibration: fitted on cross-validated predictions (a temperature, thresholds), and reported.

:func:`calibrate` cross-validates fresh copies of the model on its own training data (folds of
whole targets with ``groups``, else stratified by label), pools the out-of-fold decision values,
fits one temperature to them by log loss (:func:`stanceclf.calibration.fit_temperature`) and,
given a target precision, picks per-label abstention thresholds on the calibrated out-of-fold
probabilities (:func:`stanceclf.abstention.choose_thresholds`). What it fits goes into the
model's ``calibration_`` (and so into its file); how well it did, into the returned summary.
What :func:`stanceclf.train` runs with ``calibrate=True`` or ``target_precision``.
:func:`confidence_report` is what :func:`stanceclf.evaluate` adds: the ECE, and coverage and
precision at the stored thresholds. numpy only at import; scikit-learn only to cross-validate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from stanceclf.abstention import UNCERTAIN, Abstention, choose_thresholds, coverage_report
from stanceclf.calibration import (
    DEFAULT_BINS,
    expected_calibration_error,
    fit_temperature,
    log_loss,
    scaled_probabilities,
)
from stanceclf.errors import DataError, ParameterError, located

DEFAULT_FOLDS = 5


def calibrate(
    model,
    inputs: Sequence,
    labels: Sequence[str],
    *,
    groups: Sequence[str] | None = None,
    folds: int = DEFAULT_FOLDS,
    seed: int = 0,
    n_jobs: int | None = None,
    target_precision: float | None = None,
    source: str = "data",
) -> dict:
    """Fit ``model``'s temperature (and thresholds) on out-of-fold predictions and store them in it.

    Parameters
    ----------
    model : StanceClassifier
        Fitted on ``inputs`` and ``labels``; its parameters are those cross-validated.
    inputs, labels
        The training statements (or (statement, target) pairs) and labels.
    groups : sequence, optional
        Each statement's target: folds then hold out whole targets (``GroupKFold``, shuffled by
        ``seed``), the honest setting for a model meant for new topics.
    folds : int
    target_precision : float, optional
        Also store per-label thresholds that reach this precision on the out-of-fold
        predictions (see :func:`stanceclf.abstention.choose_thresholds`).
    source : str
        The data's name, for messages.

    Returns
    -------
    dict
        ``temperature``, ``folds``, ``group_by``, ``cv_log_loss`` and ``cv_ece`` (before and after
        the temperature, on the pooled out-of-fold predictions), and with ``target_precision``:
        ``thresholds``, ``per_label`` (each label's threshold, precision and answers on the folds)
        and ``cv_coverage``, ``cv_precision``.

    Raises
    ------
    ParameterError
        For a target precision outside (0, 1], or thresholds for a model with a label ``uncertain``.
    DataError
        If the data cannot be split into ``folds`` folds.
    """
    _check_target_precision(model, target_precision)  # before the folds run
    scores = out_of_fold_scores(
        model, inputs, labels, groups=groups, folds=folds, seed=seed, n_jobs=n_jobs, source=source
    )
    grouping = "target" if groups is not None else None
    return calibrate_on_scores(model, scores, labels, target_precision=target_precision, folds=folds, group_by=grouping)


def calibrate_on_scores(
    model,
    scores: np.ndarray,
    labels: Sequence[str],
    *,
    target_precision: float | None = None,
    folds: int | None = None,
    group_by: str | None = None,
) -> dict:
    """:func:`calibrate` from out-of-fold decision values already computed; ``folds`` and ``group_by`` say how.

    ``scores`` are decision values of the statements whose true ``labels`` are given, from models
    that did not see them (:func:`out_of_fold_scores`); ``model`` gets their ``calibration_``.
    """
    classes = [str(c) for c in model.classes_]
    _check_target_precision(model, target_precision)
    codes = np.searchsorted(np.asarray(classes, dtype=object), np.asarray([str(y) for y in labels], dtype=object))
    temperature = fit_temperature(scores, codes)
    before, after = scaled_probabilities(scores, 1.0), scaled_probabilities(scores, temperature)
    stored: dict = {"method": "temperature", "temperature": temperature, "folds": folds, "group_by": group_by}
    summary = {
        **stored,
        "cv_log_loss": [log_loss(scores, codes), log_loss(scores, codes, temperature)],
        "cv_ece": [expected_calibration_error(labels, p, classes) for p in (before, after)],
    }
    if target_precision is not None:
        thresholds, per_label = choose_thresholds(labels, after, classes, target_precision)
        stored.update(thresholds=thresholds, target_precision=target_precision)
        rule = Abstention(thresholds=thresholds)
        answered = ~rule.mask(after, classes)
        right = np.asarray(classes, dtype=object)[after.argmax(axis=1)] == np.asarray(labels, dtype=object)
        summary.update(
            thresholds=thresholds,
            target_precision=target_precision,
            per_label=per_label,
            cv_coverage=float(answered.mean()),
            cv_precision=float(right[answered].mean()) if answered.any() else None,
        )
    model.calibration_ = stored
    return summary


def _check_target_precision(model, target_precision: float | None) -> None:
    if target_precision is None:
        return
    if not 0.0 < target_precision <= 1.0:
        raise ParameterError(f"--target-precision must be in (0, 1], got {target_precision!r}")
    if UNCERTAIN in [str(c) for c in model.classes_]:
        raise ParameterError(f"a model with a label called {UNCERTAIN!r} cannot abstain (--target-precision)")


def out_of_fold_scores(
    model,
    inputs: Sequence,
    labels: Sequence[str],
    *,
    groups: Sequence[str] | None = None,
    folds: int = DEFAULT_FOLDS,
    seed: int = 0,
    n_jobs: int | None = None,
    source: str = "data",
) -> np.ndarray:
    """Decision values of every statement from a fresh copy of ``model`` fitted without its fold."""
    from sklearn.base import clone
    from sklearn.model_selection import cross_val_predict

    if groups is not None and model.get_params().get("target_mode") == "per_target":
        raise ParameterError(
            "calibrating a per_target model on folds of whole targets would score every held-out statement "
            "by class priors alone; calibrate without grouping by target"
        )
    splitter = calibration_splitter(labels, groups=groups, folds=folds, seed=seed, source=source)
    try:
        return cross_val_predict(
            clone(model),
            list(inputs),
            np.asarray(labels, dtype=object),
            groups=None if groups is None else np.asarray(groups, dtype=object),
            cv=splitter,
            n_jobs=n_jobs,
            method="decision_function",
        )
    except ValueError as error:  # a fold whose training part lacks a label
        raise DataError(located(source, None, f"cannot calibrate on {folds} folds ({error}); try fewer")) from None


def calibration_splitter(
    labels: Sequence[str],
    *,
    groups: Sequence[str] | None = None,
    folds: int = DEFAULT_FOLDS,
    seed: int = 0,
    source="data",
):
    """The folds of :func:`out_of_fold_scores`: ``GroupKFold`` over ``groups`` (shuffled), else stratified."""
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    if folds < 2:
        raise DataError(located(source, None, f"calibration needs at least 2 folds, got {folds}"))
    if groups is not None:
        distinct = len(set(groups))
        if distinct < folds:
            raise DataError(
                located(
                    source, None, f"{folds} calibration folds of whole targets need {folds} targets, found {distinct}"
                )
            )
        return GroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    smallest, count = min(Counter(labels).items(), key=lambda item: item[1])
    if count < folds:
        raise DataError(
            located(
                source, None, f"label {smallest!r} has only {count} statements; {folds} calibration folds need {folds}"
            )
        )
    return StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)


def fold_numbers(
    labels: Sequence[str], *, groups: Sequence[str] | None = None, folds: int = DEFAULT_FOLDS, seed: int = 0
) -> np.ndarray:
    """The fold (0 to ``folds - 1``) in which :func:`out_of_fold_scores` scores each statement."""
    splitter = calibration_splitter(labels, groups=groups, folds=folds, seed=seed)
    numbers = np.empty(len(labels), dtype=np.int64)
    for fold, (_, held_out) in enumerate(
        splitter.split(np.zeros(len(labels)), np.asarray(labels, dtype=object), groups)
    ):
        numbers[held_out] = fold
    return numbers


def format_calibration(summary: dict) -> list[str]:
    """The lines ``stanceclf train`` prints about a calibration (see :func:`calibrate`)."""
    how = f"{summary['folds']}-fold CV" + (" by target" if summary["group_by"] else "")
    (loss_before, loss_after), (ece_before, ece_after) = summary["cv_log_loss"], summary["cv_ece"]
    lines = [
        f"calibrated      temperature {summary['temperature']:.3f} on {how}: log loss {loss_before:.3f} -> "
        f"{loss_after:.3f}, ECE {ece_before:.3f} -> {ece_after:.3f}"
    ]
    if "thresholds" in summary:
        lines.append(
            f"abstention      per-label thresholds for precision {summary['target_precision']:.2f} on the folds "
            f"(answers {summary['cv_coverage']:.1%} of statements there)"
        )
        for label, detail in summary["per_label"].items():
            if detail["threshold"] is None:
                lines.append(
                    f"  {label:<15} never reaches precision {summary['target_precision']:.2f}: always 'uncertain'"
                )
            else:
                lines.append(
                    f"  {label:<15} confidence >= {detail['threshold']:.3f}: precision {detail['precision']:.3f}, "
                    f"{detail['answered']:,} of {detail['predicted']:,} answered"
                )
    return lines


def confidence_report(model, labels, probabilities, classes) -> dict:
    """How far the probabilities can be trusted, and what abstaining by the model's thresholds gives.

    Returns ``{"calibration": {"ece", "n_bins", "binning", "temperature"}}`` (top-label ECE over
    equal-width bins, see :mod:`stanceclf.calibration`) and, when the model stores per-label
    thresholds, ``"abstention"``: :func:`stanceclf.abstention.coverage_report` at those
    thresholds, with the ``thresholds`` and ``target_precision``.
    """
    stored = (getattr(getattr(model, "model", None), "calibration", None) or getattr(model, "calibration_", None)) or {}
    report: dict = {
        "calibration": {
            "ece": expected_calibration_error(labels, probabilities, classes),
            "n_bins": DEFAULT_BINS,
            "binning": "equal-width bins of the top-label probability",
            "temperature": stored.get("temperature", 1.0),
        }
    }
    if stored.get("thresholds") is not None:
        rule = Abstention(thresholds=stored["thresholds"])
        report["abstention"] = {
            "thresholds": stored["thresholds"],
            "target_precision": stored["target_precision"],
            **coverage_report(labels, probabilities, classes, rule),
        }
    return report


def format_confidence(report: dict) -> list[str]:
    """The lines ``stanceclf evaluate`` adds for :func:`confidence_report`'s fields."""
    lines = []
    if "calibration" in report:
        calibration = report["calibration"]
        lines += [
            "",
            f"ECE         {calibration['ece']:.4f}  (top-label, {calibration['n_bins']} equal-width bins; "
            f"temperature {calibration['temperature']:.3f})",
        ]
    if "abstention" in report:
        abstention = report["abstention"]
        precision = "n/a" if abstention["precision"] is None else f"{abstention['precision']:.4f}"
        f1 = "n/a" if abstention["macro_f1"] is None else f"{abstention['macro_f1']:.4f}"
        lines.append(
            f"abstaining by the stored thresholds (for precision {abstention['target_precision']:.2f}): "
            f"coverage {abstention['coverage']:.4f} ({abstention['answered']} of {abstention['n']} answered), "
            f"precision {precision}, macro-F1 on the answered {f1}"
        )
    return lines
