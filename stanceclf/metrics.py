"""Scores and reports: accuracy, macro-F1, per-label precision/recall/F1, SemEval's F_avg.

numpy only; tests hold these equal to scikit-learn's implementations.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# The label for "takes no stance on the target" (stance-guidelines.md, rule 8).
NO_STANCE = "none"


def confusion_matrix(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]) -> np.ndarray:
    """Counts ``[i, j]`` of statements with true label ``labels[i]`` predicted as ``labels[j]``."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for truth, guess in zip(y_true, y_pred, strict=True):
        if truth in index and guess in index:
            matrix[index[truth], index[guess]] += 1
    return matrix


def per_label_scores(y_true, y_pred, labels: Sequence[str]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support of each label (0.0 where undefined, as scikit-learn does)."""
    y_true, y_pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    scores = {}
    for label in labels:
        true_positive = int(np.sum((y_true == label) & (y_pred == label)))
        predicted = int(np.sum(y_pred == label))
        actual = int(np.sum(y_true == label))
        precision = true_positive / predicted if predicted else 0.0
        recall = true_positive / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[label] = {"precision": precision, "recall": recall, "f1": f1, "support": actual}
    return scores


def macro_f1(y_true, y_pred, labels: Sequence[str] | None = None) -> float:
    """Unweighted mean of the per-label F1 scores (over the labels seen, unless given)."""
    labels = sorted(set(y_true) | set(y_pred)) if labels is None else labels
    return float(np.mean([s["f1"] for s in per_label_scores(y_true, y_pred, labels).values()]))


def f_avg(y_true, y_pred, favor: str = "FAVOR", against: str = "AGAINST") -> float:
    """SemEval-2016 Task 6's official metric: the mean of the F1 of FAVOR and AGAINST.

    Computed over all statements pooled (micro over targets), as the organisers' ``eval.pl``
    does; the third label (NONE) counts only through the other two's precision and recall.
    """
    scores = per_label_scores(y_true, y_pred, [favor, against])
    return (scores[favor]["f1"] + scores[against]["f1"]) / 2


def f_avg_by_target(y_true, y_pred, targets, favor: str = "FAVOR", against: str = "AGAINST") -> dict[str, float]:
    """F_avg computed separately within each target."""
    y_true, y_pred, targets = (np.asarray(a, dtype=object) for a in (y_true, y_pred, targets))
    return {
        str(t): f_avg(y_true[targets == t], y_pred[targets == t], favor, against) for t in sorted(set(targets.tolist()))
    }


def f_avg_tweeteval(y_true, y_pred, targets, favor: str = "FAVOR", against: str = "AGAINST") -> float:
    """TweetEval's variant of F_avg: the per-target F_avg averaged over targets (macro)."""
    return float(np.mean(list(f_avg_by_target(y_true, y_pred, targets, favor, against).values())))


def semeval_scores(y_true, y_pred, targets=None) -> dict:
    """SemEval-2016 Task 6's scores: F_avg (official, pooled) and, with targets, TweetEval's
    macro-over-targets variant and the per-target F_avg.

    The FAVOR and AGAINST labels are found case-insensitively (``favor``/``FAVOR``).
    """
    labels = set(y_true) | set(y_pred)
    favor = next((label for label in labels if str(label).lower() == "favor"), None)
    against = next((label for label in labels if str(label).lower() == "against"), None)
    if favor is None or against is None:
        raise ValueError(f"F_avg needs FAVOR and AGAINST labels, found {sorted(map(str, labels))}")
    scores: dict[str, float | dict[str, float]] = {"f_avg": f_avg(y_true, y_pred, favor, against)}
    if targets is not None:
        scores["f_avg_tweeteval"] = f_avg_tweeteval(y_true, y_pred, targets, favor, against)
        scores["f_avg_by_target"] = f_avg_by_target(y_true, y_pred, targets, favor, against)
    return scores


def classification_report(y_true, y_pred, labels: Sequence[str] | None = None) -> dict:
    """Everything ``stanceclf evaluate`` prints, as plain data.

    Returns a dict with keys ``n``, ``accuracy``, ``macro_f1``, ``labels``, ``per_label``
    (precision, recall, f1, support per label) and ``confusion_matrix`` (rows: true label,
    columns: predicted label, in the order of ``labels``). When ``none`` (no stance) is one of
    the labels, also ``stance_macro_f1``: the macro-F1 over the other labels alone, so that a
    score on the stances can be compared with a model that has no ``none``. A stance statement
    answered ``none`` still counts against its label's recall there.
    """
    y_true, y_pred = list(y_true), list(y_pred)
    labels = sorted(set(y_true) | set(y_pred)) if labels is None else list(labels)
    per_label = per_label_scores(y_true, y_pred, labels)
    correct = sum(t == p for t, p in zip(y_true, y_pred, strict=True))
    report = {
        "n": len(y_true),
        "accuracy": correct / len(y_true) if y_true else 0.0,
        "macro_f1": float(np.mean([s["f1"] for s in per_label.values()])) if labels else 0.0,
        "labels": labels,
        "per_label": per_label,
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels).tolist(),
    }
    stances = [label for label in labels if label != NO_STANCE]
    if NO_STANCE in labels and stances:
        report["stance_macro_f1"] = float(np.mean([per_label[label]["f1"] for label in stances]))
    return report


def format_report(report: dict) -> str:
    """A classification report as aligned text for the terminal."""
    labels = report["labels"]
    width = max([len(label) for label in labels] + [9])
    lines = [
        f"statements  {report['n']}",
        f"accuracy    {report['accuracy']:.4f}",
        f"macro-F1    {report['macro_f1']:.4f}",
    ]
    if "stance_macro_f1" in report:
        none = report["per_label"][NO_STANCE]
        lines.append(
            f"stance-F1   {report['stance_macro_f1']:.4f}  (macro-F1 over the stance labels, without {NO_STANCE!r})"
        )
        lines.append(f"{NO_STANCE}        precision {none['precision']:.4f}  recall {none['recall']:.4f}")
    if "f_avg" in report:
        lines.append(f"F_avg       {report['f_avg']:.4f}  (SemEval-2016, pooled over targets)")
    if "f_avg_tweeteval" in report:
        lines.append(f"F_avg (TE)  {report['f_avg_tweeteval']:.4f}  (TweetEval: mean of the per-target F_avg)")
    for target, score in report.get("f_avg_by_target", {}).items():
        lines.append(f"  {target:<30} F_avg {score:.4f}")
    lines += ["", f"{'label':<{width}}  precision  recall     f1  support"]
    for label in labels:
        s = report["per_label"][label]
        lines.append(f"{label:<{width}}  {s['precision']:9.4f}  {s['recall']:6.4f}  {s['f1']:.4f}  {s['support']:7d}")
    lines += ["", "confusion matrix (rows: true label, columns: predicted)"]
    cell = max([len(label) for label in labels] + [len(str(report["n"]))])
    lines.append(" " * width + "  " + "  ".join(f"{label:>{cell}}" for label in labels))
    for label, row in zip(labels, report["confusion_matrix"]):
        lines.append(f"{label:<{width}}  " + "  ".join(f"{count:>{cell}}" for count in row))
    return "\n".join(lines)
