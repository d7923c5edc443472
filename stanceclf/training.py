"""Training, evaluation and cross-validation on a :class:`~stanceclf.data.Dataset`.

These are the library functions the ``train`` and ``evaluate`` commands call; they add to a bare
``StanceClassifier.fit`` what a user wants recorded: where the data came from, how the model
scored, how long it took.

Scoring a saved model (:func:`evaluate` with a :class:`~stanceclf.inference.Predictor`) imports no
scikit-learn: the estimator is imported by the functions that fit one.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from stanceclf.dataset import Dataset
from stanceclf.errors import DataError, ParameterError, located
from stanceclf.metrics import classification_report, semeval_scores
from stanceclf.targets import check_dataset_targets

if TYPE_CHECKING:
    from stanceclf.model import StanceClassifier


@dataclass
class TrainingSummary:
    """What ``stanceclf train`` reports: counts, vocabulary, time and (optionally) CV scores."""

    model: StanceClassifier
    label_counts: dict[str, int]
    n_features: int
    seconds: float
    cv_report: dict | None = field(default=None)

    def as_dict(self) -> dict:
        """The summary as plain data (what ``stanceclf train --format json`` prints)."""
        return {
            "rows": sum(self.label_counts.values()),
            "label_counts": dict(self.label_counts),
            "n_features": self.n_features,
            "seconds": self.seconds,
            "params": self.model.get_params(),
            "cv": self.cv_report,
        }


def train(
    dataset: Dataset,
    params: dict | None = None,
    *,
    cv: int | None = None,
    n_jobs: int | None = None,
    group_by: str | None = None,
) -> TrainingSummary:
    """Fit a :class:`StanceClassifier` on ``dataset`` and record its provenance.

    Parameters
    ----------
    dataset : Dataset
    params : dict, optional
        Parameters for :class:`StanceClassifier` (defaults otherwise).
    cv : int, optional
        Also run stratified ``cv``-fold cross-validation and record its macro-F1.
    n_jobs : int, optional
        Parallel jobs for the cross-validation.
    group_by : {"target"}, optional
        Hold out whole targets in each cross-validation fold (see :func:`cross_validate`).

    Returns
    -------
    TrainingSummary
    """
    from stanceclf.model import StanceClassifier

    params = dict(params or {})
    cv_report = cross_validate(dataset, params, folds=cv, n_jobs=n_jobs, group_by=group_by) if cv else None
    prefix = f"cv{cv}_by_target" if group_by else f"cv{cv}"
    start = time.perf_counter()
    model = StanceClassifier(**params).fit(_inputs(dataset, params), dataset.labels)
    seconds = time.perf_counter() - start
    model.provenance_ = {
        "training_data": {
            "file": Path(dataset.path).name,
            "sha256": dataset.sha256,
            "rows": len(dataset),
            "split": dataset.split,
            "label_counts": dataset.label_counts,
        },
        "metrics": {}
        if cv_report is None
        else {f"{prefix}_macro_f1": cv_report["macro_f1"], f"{prefix}_accuracy": cv_report["accuracy"]},
    }
    if model.target_mode != "none":  # so that prediction can tell a new target from a known one
        model.provenance_["targets"] = sorted(set(dataset.targets))
    return TrainingSummary(model, dataset.label_counts, model.n_features_, seconds, cv_report)


def cross_validate(
    dataset: Dataset,
    params: dict | None = None,
    *,
    folds: int = 5,
    n_jobs: int | None = None,
    seed: int = 0,
    semeval: bool = False,
    group_by: str | None = None,
) -> dict:
    """K-fold cross-validation of a fresh model on ``dataset``.

    Folds are stratified by label; with ``group_by="target"`` they hold out whole targets
    instead (scikit-learn's ``GroupKFold``, shuffled by ``seed``), so that every statement is
    scored by a model that never saw its target: the honest figure for new topics.

    Returns the classification report of the pooled out-of-fold predictions, plus
    ``folds``, ``fold_macro_f1`` (one score per fold), ``seed`` and ``group_by``.
    """
    from sklearn.model_selection import GroupKFold, StratifiedKFold, cross_val_predict

    from stanceclf.model import StanceClassifier

    check_jobs(n_jobs)
    if folds < 2:
        raise DataError(located(dataset.path, None, f"cross-validation needs at least 2 folds, got {folds}"))
    labels = np.asarray(dataset.labels, dtype=object)
    groups = None
    if group_by is not None:
        if group_by != "target":
            raise ParameterError(f"group_by must be 'target' or None, got {group_by!r}")
        if (params or {}).get("target_mode") == "per_target":
            raise ParameterError(
                "holding out whole targets leaves a per_target model only its class priors for every held-out "
                "statement (the same label for all); cross-validate target_mode 'conjoined' or 'none' instead"
            )
        if dataset.targets is None:
            raise DataError(located(dataset.path, None, "cannot hold out targets: the data has no target column"))
        groups = np.asarray(dataset.targets, dtype=object)
        distinct = len(set(dataset.targets))
        if distinct < folds:
            raise DataError(
                located(
                    dataset.path, None, f"{folds}-fold CV holding out targets needs {folds} targets, found {distinct}"
                )
            )
        splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    else:
        smallest, count = min(Counter(dataset.labels).items(), key=lambda item: item[1])
        if count < folds:
            raise DataError(
                located(
                    dataset.path, None, f"label {smallest!r} has only {count} statements; {folds}-fold CV needs {folds}"
                )
            )
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    predicted = cross_val_predict(
        StanceClassifier(**(params or {})),
        _inputs(dataset, params),
        labels,
        groups=groups,
        cv=splitter,
        n_jobs=n_jobs,
    )
    report = classification_report(labels, predicted)
    fold_scores = []
    for _, test_index in splitter.split(dataset.texts, labels, groups):
        fold_scores.append(
            classification_report(labels[test_index], predicted[test_index], report["labels"])["macro_f1"]
        )
    report.update(folds=folds, fold_macro_f1=fold_scores, seed=seed, group_by=group_by)
    if semeval:
        report.update(_semeval(dataset, predicted.tolist()))
    return report


def evaluate(model, dataset: Dataset, *, semeval: bool = False, predictions: str | Path | None = None) -> dict:
    """Score a fitted model (``StanceClassifier`` or ``Predictor``) on a labelled dataset.

    The data's labels must be labels of the model (a subset is fine): scoring ``FAVOR`` against
    a model that says ``support`` would report a meaningless accuracy of zero, so it is refused;
    rename labels with ``load_dataset(..., label_map=...)``. With ``semeval=True`` the report
    adds SemEval-2016's ``f_avg`` and, where the data has targets, ``f_avg_tweeteval`` and
    ``f_avg_by_target``. With ``predictions``, every row's line, text, target, gold label,
    predicted label and probabilities are also written to that new ``.csv`` or ``.jsonl`` file.
    """
    uses_targets = _uses_targets(getattr(model, "model", None) or model)
    check_labels_known(dataset, [str(label) for label in model.classes_])
    check_dataset_targets(model, dataset)
    if predictions is not None:
        fmt = _predictions_format(predictions)
    probabilities = np.asarray(model.predict_proba(dataset.inputs(uses_targets)))
    classes = [str(label) for label in model.classes_]
    predicted = [classes[i] for i in probabilities.argmax(axis=1).tolist()]
    labels = sorted(set(classes) | set(dataset.labels))
    report = classification_report(dataset.labels, predicted, labels)
    if semeval:
        report.update(_semeval(dataset, predicted))
    if predictions is not None:
        _write_predictions(predictions, fmt, dataset, predicted, probabilities, classes)
    return report


def _predictions_format(path) -> str:
    from stanceclf.errors import OutputExistsError

    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".jsonl"):
        raise ParameterError(
            f"{path}: per-row predictions are written as .csv or .jsonl, not {suffix or 'no extension'!r}"
        )
    if Path(path).exists():
        raise OutputExistsError(located(path, None, "already exists (remove it or choose another name)"))
    return suffix[1:]


def _write_predictions(path, fmt: str, dataset: Dataset, predicted, probabilities, classes) -> None:
    """One row per statement: line, text, target, gold, predicted, correct, a probability per label."""
    import json

    from stanceclf.batch import csv_line, neutralise_formula
    from stanceclf.persist import atomic_writer

    targets = dataset.targets if dataset.targets is not None else [None] * len(dataset)
    with atomic_writer(path, "w", encoding="utf-8") as out:
        if fmt == "csv":
            target_column = ["target"] if dataset.targets is not None else []
            header = ["line", "text", *target_column, "gold", "predicted", "correct"]
            out.write(csv_line(header + [f"proba_{label}" for label in classes]))
        for line, text, target, gold, guess, row in zip(
            dataset.lines, dataset.texts, targets, dataset.labels, predicted, probabilities.tolist()
        ):
            if fmt == "jsonl":
                record = {"line": line, "text": text, **({"target": target} if target is not None else {})}
                record.update(gold=gold, predicted=guess, correct=gold == guess, proba=dict(zip(classes, row)))
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                cells = [str(line), neutralise_formula(text)]
                cells += [neutralise_formula(target)] if target is not None else []
                cells += [gold, guess, str(gold == guess).lower(), *map(repr, row)]
                out.write(csv_line(cells))


def check_jobs(n_jobs: int | None) -> None:
    """Refuse the one number of parallel jobs joblib cannot use: 0 (negative ones count back from all cores)."""
    if n_jobs == 0:
        raise ParameterError("--jobs / n_jobs must be a number of processes (1, 2, ...) or -1 for all cores, not 0")


def check_labels_known(dataset: Dataset, model_labels: list[str]) -> None:
    """Refuse data with labels the model cannot predict, naming both label sets."""
    unknown = sorted(set(dataset.labels) - set(model_labels))
    if not unknown:
        return
    suggestion = ",".join(f"{label}=..." for label in unknown)
    raise DataError(
        located(
            dataset.path,
            None,
            f"the data's labels {', '.join(unknown)} are not labels of the model "
            f"({', '.join(sorted(model_labels))}); rename them, e.g. --label-map {suggestion}",
        )
    )


def _inputs(dataset: Dataset, params: dict | None) -> list:
    return dataset.inputs(with_targets=(params or {}).get("target_mode", "none") != "none")


def _uses_targets(model) -> bool:
    """Whether a StanceClassifier or ModelData was trained with targets."""
    params = model.params if hasattr(model, "params") else model.get_params()
    return params.get("target_mode", "none") != "none"


def _semeval(dataset: Dataset, predicted) -> dict:
    try:
        return semeval_scores(dataset.labels, predicted, dataset.targets)
    except ValueError as error:
        raise DataError(located(dataset.path, None, str(error))) from None
