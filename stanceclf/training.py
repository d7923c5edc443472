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
    from stanceclf.outofcore import OutOfCoreSummary


@dataclass
class TrainingSummary:
    """What ``stanceclf train`` reports: counts, vocabulary, time and (optionally) CV scores."""

    model: StanceClassifier
    label_counts: dict[str, int]
    n_features: int
    seconds: float
    cv_report: dict | None = field(default=None)
    calibration: dict | None = field(default=None)  # stanceclf.confidence.calibrate's summary

    def as_dict(self) -> dict:
        """The summary as plain data (what ``stanceclf train --format json`` prints)."""
        return {
            "rows": sum(self.label_counts.values()),
            "label_counts": dict(self.label_counts),
            "n_features": self.n_features,
            "seconds": self.seconds,
            "params": self.model.get_params(),
            "cv": self.cv_report,
            "calibration": self.calibration,
        }


def train(
    dataset: Dataset,
    params: dict | None = None,
    *,
    cv: int | None = None,
    n_jobs: int | None = None,
    group_by: str | None = None,
    calibrate: bool = False,
    target_precision: float | None = None,
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
        Hold out whole targets in each cross-validation fold (see :func:`cross_validate`), and
        in the calibration's folds.
    calibrate : bool
        Fit a temperature on out-of-fold predictions (``cv`` folds, else 5) and store it in the
        model (:func:`stanceclf.confidence.calibrate`).
    target_precision : float, optional
        Calibrate, and store per-label abstention thresholds for this precision.

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
        model.provenance_["targets"] = sorted(set(dataset.targets or []))
    calibration = None
    if calibrate or target_precision is not None:
        calibration = _calibrate(model, dataset, params, cv, n_jobs, group_by, target_precision)
        model.provenance_["calibration"] = calibration
    return TrainingSummary(model, dataset.label_counts, model.n_features_, seconds, cv_report, calibration)


def _calibrate(model, dataset: Dataset, params: dict, cv, n_jobs, group_by, target_precision) -> dict:
    from stanceclf.confidence import DEFAULT_FOLDS, calibrate

    groups = None
    if group_by is not None:
        if dataset.targets is None:
            raise DataError(located(dataset.path, None, "cannot hold out targets: the data has no target column"))
        groups = dataset.targets
    inputs = _inputs(dataset, params)
    return calibrate(
        model,
        inputs,
        dataset.labels,
        groups=groups,
        folds=cv or DEFAULT_FOLDS,
        n_jobs=n_jobs,
        target_precision=target_precision,
        source=str(dataset.path),
    )


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


def evaluate(
    model,
    dataset: Dataset,
    *,
    semeval: bool = False,
    predictions: str | Path | None = None,
    report_path: str | Path | None = None,
) -> dict:
    """Score a fitted model (``StanceClassifier`` or ``Predictor``) on a labelled dataset.

    The data's labels must be labels of the model (a subset is fine): scoring ``FAVOR`` against
    a model that says ``support`` would report a meaningless accuracy of zero, so it is refused;
    rename labels with ``load_dataset(..., label_map=...)``. With ``semeval=True`` the report
    adds SemEval-2016's ``f_avg`` and, where the data has targets, ``f_avg_tweeteval`` and
    ``f_avg_by_target``. With ``predictions``, every row's line, text, target, gold label,
    predicted label and probabilities are also written to that new ``.csv`` or ``.jsonl`` file.
    With ``report_path``, a self-contained HTML page is written there too
    (:func:`stanceclf.report_page.render_report`): the scores, the confusion matrix, scores
    per target, a reliability diagram and the most confident mistakes with their evidence.
    The report also holds ``calibration`` (the expected calibration error) and, for a model
    with stored abstention thresholds, ``abstention`` (see :func:`stanceclf.confidence.confidence_report`).
    """
    uses_targets = _uses_targets(getattr(model, "model", None) or model)
    check_labels_known(dataset, [str(label) for label in model.classes_])
    check_dataset_targets(model, dataset)
    if predictions is not None:
        fmt = _predictions_format(predictions)
    if report_path is not None:
        _check_new_file(report_path, (".html", ".htm"), "the report")
    probabilities = np.asarray(model.predict_proba(dataset.inputs(uses_targets)))
    classes = [str(label) for label in model.classes_]
    predicted = [classes[i] for i in probabilities.argmax(axis=1).tolist()]
    labels = sorted(set(classes) | set(dataset.labels))
    report = classification_report(dataset.labels, predicted, labels)
    from stanceclf.confidence import confidence_report

    report.update(confidence_report(model, dataset.labels, probabilities, classes))
    if semeval:
        report.update(_semeval(dataset, predicted))
    if predictions is not None:
        _write_predictions(predictions, fmt, dataset, predicted, probabilities, classes)
    if report_path is not None:
        _write_report(report_path, report, model, dataset, predicted, probabilities.max(axis=1).tolist(), uses_targets)
    return report


def _check_new_file(path, suffixes: tuple[str, ...], what: str) -> None:
    from stanceclf.errors import OutputExistsError

    if Path(path).suffix.lower() not in suffixes:
        raise ParameterError(
            f"{path}: {what} is written as {' or '.join(suffixes)}, not {Path(path).suffix or 'no extension'!r}"
        )
    if Path(path).exists():
        raise OutputExistsError(located(path, None, "already exists (remove it or choose another name)"))


def _write_report(path, report: dict, model, dataset: Dataset, predicted, confidences, uses_targets: bool) -> None:
    """The HTML report; evidence is computed for the mistakes it shows only."""
    from stanceclf.inference import Predictor
    from stanceclf.persist import atomic_writer
    from stanceclf.report_page import most_confident_mistakes, render_report

    targets = dataset.targets if dataset.targets is not None else [None] * len(dataset)
    rows = [
        {"line": line, "text": text, "target": target, "gold": gold, "predicted": guess, "confidence": confidence}
        for line, text, target, gold, guess, confidence in zip(
            dataset.lines, dataset.texts, targets, dataset.labels, predicted, confidences
        )
    ]
    explainer = model if isinstance(model, Predictor) else Predictor(model.to_model_data())
    for row in most_confident_mistakes(rows):
        row["evidence"] = explainer.evidence((row["text"], row["target"]) if uses_targets else row["text"])
    with atomic_writer(path, "w", encoding="utf-8") as out:
        out.write(render_report(report, rows))


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


def train_file(
    data: str | Path,
    output_path: str | Path,
    params: dict | None = None,
    *,
    cv: int | None = None,
    n_jobs: int | None = None,
    group_by: str | None = None,
    out_of_core: bool = False,
    chunk_size: int = 50_000,
    force: bool = False,
    calibrate: bool = False,
    target_precision: float | None = None,
    dask: str | None = None,
    **reading,
):
    """Train on a labelled file and save the model: what ``stanceclf train`` does.

    In memory, the file is read whole (:func:`stanceclf.data.load_dataset`); with
    ``out_of_core`` it is streamed in chunks of ``chunk_size`` rows
    (:func:`stanceclf.outofcore.train_out_of_core`).

    Parameters
    ----------
    data : path
        A labelled .csv, .tsv or .jsonl file, a TweetEval folder or a SemEval-2016 file.
    output_path : path
        Where the model file goes (refused if it exists, unless ``force``).
    params : dict, optional
        :class:`StanceClassifier` parameters.
    cv, n_jobs, group_by, calibrate, target_precision
        As :func:`train`; they need the data in memory.
    dask : str, optional
        With ``out_of_core``: a Dask scheduler address (or ``"local"``) to train on, ``data``
        then a file, glob or folder (:func:`stanceclf.cluster_training.train_on_cluster`).
    **reading
        ``text_column``, ``label_column``, ``target_column``, ``split``, ``label_map``,
        ``fold_case``, ``delimiter``, ``encoding``, as :func:`stanceclf.data.load_dataset`.

    Returns
    -------
    TrainingSummary or OutOfCoreSummary
    """
    from stanceclf.errors import OutputExistsError

    output_path = Path(output_path)
    if output_path.exists() and not force:
        raise OutputExistsError(located(output_path, None, "already exists (use --force to replace it)"))
    params = dict(params or {})
    calibrating = calibrate or target_precision is not None
    if group_by and not (cv or calibrating):
        raise ParameterError("--group-by target needs --cv K (or --calibrate)")
    summary: TrainingSummary | OutOfCoreSummary
    if out_of_core and (cv or calibrating):
        raise ParameterError(
            "--cv, --calibrate and --target-precision need the data in memory; they cannot be combined with "
            "--out-of-core"
        )
    if dask is not None:
        if not out_of_core:
            raise ParameterError("--dask trains with hashed features over streamed partitions: give --out-of-core too")
        from stanceclf.cluster_training import train_on_cluster

        return train_on_cluster(dask, data, output_path, params, cv=cv, chunk_size=chunk_size, force=force, **reading)
    if out_of_core:
        from stanceclf.outofcore import train_out_of_core

        if params.get("solver") == "lbfgs":
            raise ParameterError("--out-of-core trains with the sgd solver; --solver lbfgs cannot be combined with it")
        params = {key: value for key, value in params.items() if not (key == "n_buckets" and value is None)}
        summary = train_out_of_core(data, params, chunk_size=chunk_size, **reading)
    else:
        from stanceclf.data import load_dataset

        # read here, not in a forked child while scikit-learn imports: that saved nothing
        # measurable (experiments/results/fast_paths.md)
        dataset = load_dataset(data, **reading)
        summary = train(
            dataset,
            params,
            cv=cv,
            n_jobs=n_jobs,
            group_by=group_by,
            calibrate=calibrate,
            target_precision=target_precision,
        )
    summary.model.save(output_path, force=force)
    return summary


def format_summary(summary, data, output_path) -> str:
    """The text ``stanceclf train`` prints for a :class:`TrainingSummary` or an out-of-core one."""
    chunks = getattr(summary, "chunks", None)
    how = "" if chunks is None else " out of core"
    lines = [f"trained{how} on {sum(summary.label_counts.values()):,} statements from {data}"]
    lines += [f"  {label:<15} {count:>7,}" for label, count in summary.label_counts.items()]
    kind = "" if chunks is None else f" hashed columns, {chunks} chunks"
    lines.append(f"features        {summary.n_features:,}{kind}")
    lines.append(f"training time   {summary.seconds:.2f} s")
    report = getattr(summary, "cv_report", None)
    if report is not None:
        folds = report["fold_macro_f1"]
        spread = (max(folds) - min(folds)) / 2
        kind = "CV by target" if report.get("group_by") else "CV     "
        lines.append(f"{report['folds']}-fold {kind} macro-F1 {report['macro_f1']:.4f} (folds +/- {spread:.4f})")
    if getattr(summary, "calibration", None) is not None:
        from stanceclf.confidence import format_calibration

        lines += format_calibration(summary.calibration)
    lines.append(f"saved to {output_path}")
    return "\n".join(lines)


def evaluate_file(
    data: str | Path,
    model_path: str | Path | None = None,
    *,
    cv: int | None = None,
    params: dict | None = None,
    n_jobs: int | None = None,
    group_by: str | None = None,
    semeval: bool = False,
    predictions: str | Path | None = None,
    report_path: str | Path | None = None,
    **reading,
) -> dict:
    """Score a model file on a labelled file, or cross-validate fresh models on it: ``stanceclf evaluate``.

    Without ``cv``, the model file (the shipped model by default) predicts with the numpy-only
    :class:`~stanceclf.inference.Predictor`, and no scikit-learn is imported. With ``cv``, a
    :class:`StanceClassifier` with ``params`` is cross-validated (:func:`cross_validate`).
    ``reading`` takes :func:`stanceclf.data.load_dataset`'s options.

    Returns
    -------
    dict
        The classification report (see :func:`evaluate` and :func:`cross_validate`).
    """
    from stanceclf.data import load_dataset

    if group_by and not cv:
        raise ParameterError("--group-by target needs --cv K")
    if predictions and cv:
        raise ParameterError("--predictions scores a saved model; it cannot be combined with --cv")
    if report_path and cv:
        raise ParameterError("--report scores a saved model; it cannot be combined with --cv")
    dataset = load_dataset(data, min_labels=1 if cv is None else 2, **reading)
    if cv is not None:
        return cross_validate(dataset, params, folds=cv, n_jobs=n_jobs, semeval=semeval, group_by=group_by)
    from stanceclf.inference import load_predictor
    from stanceclf.persist import default_model_path

    predictor = load_predictor(model_path or default_model_path())
    return evaluate(predictor, dataset, semeval=semeval, predictions=predictions, report_path=report_path)


def format_evaluation(report: dict) -> str:
    """The text ``stanceclf evaluate`` prints: a cross-validation heading, then the report."""
    from stanceclf.metrics import format_report

    if "folds" not in report:
        from stanceclf.confidence import format_confidence

        return format_report(report) + "".join(f"\n{line}" for line in format_confidence(report))
    kind = "cross-validation holding out whole targets" if report.get("group_by") else "stratified cross-validation"
    return f"{report['folds']}-fold {kind} (out-of-fold predictions pooled)\n" + format_report(report)
