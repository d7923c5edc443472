"""Checking a labelled corpus: counts, duplicates, conflicts, and rows whose label looks wrong.

:func:`check_corpus` reads a whole file and lists every problem at once (errors that make the
file unfit, warnings worth a look); :func:`audit_labels` uses cross-validated probabilities to
rank the rows whose given label the model finds least likely, the idea behind confident
learning (Northcutt et al., 2021), so that a person can re-check them first.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from stanceclf.data import check_label_case, iter_records, relabel
from stanceclf.dataset import Dataset
from stanceclf.errors import DataError, located
from stanceclf.metrics import NO_STANCE

BUNDLED_LABELS = ("conditional", "none", "oppose", "support")  # the labels of datasets/stance.csv
# Each stance label's share of a target's stance rows, outside which data check warns: a target
# dominated by one label teaches its topic words that label (see stanceclf.topics).
STANCE_SHARE_RANGE = (0.20, 0.45)
SHINGLE_WORDS = 8  # two statements sharing an 8-word run are near duplicates worth reading
MAX_TARGET_SHARE = 0.08
LENGTH_RANGE = (6, 60)
_WORD = re.compile(r"\w+")


@dataclass
class CorpusCheck:
    """The result of :func:`check_corpus`: statistics, errors and warnings (each a located line)."""

    path: str
    rows: int = 0
    label_counts: Counter = field(default_factory=Counter)
    target_counts: Counter = field(default_factory=Counter)
    split_counts: Counter = field(default_factory=Counter)
    split_label_counts: dict = field(default_factory=dict)
    lengths: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        """The report as plain data (what ``stanceclf data check --format json`` prints)."""
        return {
            "rows": self.rows,
            "labels": dict(self.label_counts),
            "targets": dict(self.target_counts),
            "splits": self.split_label_counts,
            "errors": self.errors,
            "warnings": self.warnings,
        }


def check_corpus(
    path: str | Path,
    *,
    text_column: str = "text",
    label_column: str = "label",
    target_column: str = "target",
    split_column: str = "split",
    id_column: str = "id",
    expected_labels: tuple[str, ...] | None = BUNDLED_LABELS,
    label_map: dict[str, str] | None = None,
    fold_case: bool = False,
    delimiter: str | None = None,
    encoding: str = "utf-8",
) -> CorpusCheck:
    """Read a labelled file and report everything wrong or suspicious in it.

    Errors: empty texts, missing labels, labels outside ``expected_labels``, the same text with
    two labels, repeated ids, a target spread over two splits, a split lacking a label.
    Warnings: exact and near duplicates (a shared run of 8 words), statements outside 6-60
    words, a target above 8% of the rows, a stance label outside 20-45% of a target's stance
    rows (rows labelled ``none`` aside). Labels are renamed by ``label_map`` and, with
    ``fold_case``, lower-cased as :func:`stanceclf.data.load_dataset` does; without it, labels
    that differ only in case are an error.

    Raises
    ------
    DataError
        If the file cannot be read at all (missing, undecodable, malformed, no text column).
    """
    report = CorpusCheck(str(path))
    first_seen: dict[tuple[str, str], tuple[int, str]] = {}
    ids: dict[str, int] = {}
    target_splits: dict[str, dict[str, int]] = defaultdict(dict)
    shingles: dict[tuple[str, ...], int] = {}
    near: set[tuple[int, int]] = set()
    split_labels: dict[str, Counter] = defaultdict(Counter)
    target_labels: dict[str, Counter] = defaultdict(Counter)
    optional = [target_column, split_column, id_column]
    first_line_of_label: dict[str, int] = {}
    for line, row in iter_records(
        path, [text_column, label_column], optional=optional, delimiter=delimiter, encoding=encoding
    ):
        report.rows += 1
        text, label = row[text_column], relabel(row[label_column].strip(), label_map, fold_case)
        target, split, row_id = (row.get(name, "").strip() for name in optional)

        def error(problem: str, line=line):
            report.errors.append(located(path, line, problem))

        def warn(problem: str, line=line):
            report.warnings.append(located(path, line, problem))

        if not text.strip():
            error(f"empty text in column {text_column!r}")
            continue
        if not label:
            error(f"missing label in column {label_column!r}")
            continue
        if expected_labels is not None and label not in expected_labels:
            error(f"label {label!r} is not one of {', '.join(expected_labels)}")
        report.label_counts[label] += 1
        first_line_of_label.setdefault(label, line)
        if target:
            report.target_counts[target] += 1
            target_labels[target][label] += 1
        if split:
            report.split_counts[split] += 1
            split_labels[split][label] += 1
            if target:
                target_splits[target].setdefault(split, line)
        if row_id:
            if row_id in ids:
                error(f"id {row_id!r} already used on line {ids[row_id]}")
            ids.setdefault(row_id, line)
        words = _WORD.findall(text.lower())
        report.lengths.append(len(words))
        if not LENGTH_RANGE[0] <= len(words) <= LENGTH_RANGE[1]:
            warn(f"{len(words)} words (expected {LENGTH_RANGE[0]}-{LENGTH_RANGE[1]})")
        key = (target, " ".join(text.split()).lower())
        if key in first_seen:
            seen_line, seen_label = first_seen[key]
            if seen_label != label:
                error(f"same text as line {seen_line} but labelled {label!r} there {seen_label!r}")
            else:
                warn(f"exact duplicate of line {seen_line}")
            continue
        first_seen[key] = (line, label)
        for i in range(len(words) - SHINGLE_WORDS + 1):
            shingle = tuple(words[i : i + SHINGLE_WORDS])
            other = shingles.setdefault(shingle, line)
            if other != line and (other, line) not in near:
                near.add((other, line))
                warn(f"near duplicate of line {other} (shares {SHINGLE_WORDS} words: {' '.join(shingle)!r})")
    if report.rows == 0:
        raise DataError(located(path, None, "no statements (the file has no data rows)"))
    try:
        check_label_case(path, first_line_of_label)
    except DataError as case_error:
        report.errors.append(str(case_error))
    for target, splits in sorted(target_splits.items()):
        if len(splits) > 1:
            lines = ", ".join(f"{s} (line {n})" for s, n in splits.items())
            report.errors.append(located(path, None, f"target {target!r} appears in more than one split: {lines}"))
    all_labels = set(report.label_counts)
    for split, counts in sorted(split_labels.items()):
        missing = sorted(all_labels - set(counts))
        if missing:
            report.errors.append(located(path, None, f"split {split!r} has no statement labelled {', '.join(missing)}"))
    low, high = STANCE_SHARE_RANGE
    for target, counts in sorted(target_labels.items()):
        stances = {label: n for label, n in counts.items() if label != NO_STANCE}
        total = sum(stances.values())
        if len(stances) < 2 or total < 10:
            continue
        for label, n in sorted(stances.items()):
            if not low <= n / total <= high:
                report.warnings.append(
                    located(path, None, f"target {target!r}: {label!r} is {n / total:.0%} of its {total} stance rows")
                )
    report.split_label_counts = {split: dict(sorted(c.items())) for split, c in sorted(split_labels.items())}
    for target, count in report.target_counts.items():
        if count > MAX_TARGET_SHARE * report.rows:
            report.warnings.append(
                located(path, None, f"target {target!r} has {count} rows, {count / report.rows:.1%} of the corpus")
            )
    return report


def format_check(report: CorpusCheck, *, max_listed: int = 50) -> str:
    """The report of :func:`check_corpus` as text for the terminal."""
    lines = [f"{report.path}: {report.rows} statements"]
    lines.append("labels:  " + ", ".join(f"{k} {v}" for k, v in sorted(report.label_counts.items())))
    if report.split_counts:
        for split, counts in report.split_label_counts.items():
            share = report.split_counts[split] / report.rows
            detail = ", ".join(f"{k} {v}" for k, v in counts.items())
            lines.append(f"split {split}: {report.split_counts[split]} ({share:.1%}): {detail}")
    if report.target_counts:
        largest = report.target_counts.most_common(1)[0]
        lines.append(
            f"targets: {len(report.target_counts)} (largest {largest[0]!r}: {largest[1]}, "
            f"smallest {min(report.target_counts.values())})"
        )
    if report.lengths:
        lengths = report.lengths
        lines.append(
            f"words:   min {min(lengths)}, median {statistics.median(lengths):g}, "
            f"mean {statistics.mean(lengths):.1f}, max {max(lengths)}"
        )
    for kind, items in (("error", report.errors), ("warning", report.warnings)):
        if items:
            lines.append(f"{len(items)} {kind}{'s' if len(items) != 1 else ''}:")
            lines += [f"  {kind}: {item}" for item in items[:max_listed]]
            if len(items) > max_listed:
                lines.append(f"  ... and {len(items) - max_listed} more")
    lines.append("OK" if report.ok else f"FAILED: {len(report.errors)} errors")
    return "\n".join(lines)


@dataclass
class SuspectRow:
    """A row whose given label a cross-validated model finds unlikely."""

    line: int
    text: str
    given: str
    predicted: str
    given_proba: float
    predicted_proba: float
    flagged: bool


def audit_labels(
    dataset: Dataset, params: dict | None = None, *, folds: int = 5, n_jobs: int | None = None, seed: int = 0
):
    """Rank rows by how unlikely their given label is under cross-validated prediction.

    Every row is scored by a model that did not see it (stratified ``folds``-fold CV). A row is
    *flagged* when its given label's probability is below that label's average on the rows
    carrying it and another label's probability reaches that other label's average: the
    per-class thresholds of confident learning.

    Returns
    -------
    list of SuspectRow
        All rows, least likely given label first.
    """
    import numpy as np
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from stanceclf.model import StanceClassifier
    from stanceclf.training import check_jobs

    check_jobs(n_jobs)

    smallest = min(Counter(dataset.labels).values())
    if smallest < folds:
        raise DataError(
            located(dataset.path, None, f"a label has only {smallest} statements; {folds}-fold CV needs {folds}")
        )
    labels = np.asarray(dataset.labels, dtype=object)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    proba = cross_val_predict(
        StanceClassifier(**(params or {})), dataset.texts, labels, cv=splitter, n_jobs=n_jobs, method="predict_proba"
    )
    classes = sorted(set(dataset.labels))
    column = {label: i for i, label in enumerate(classes)}
    given_index = np.array([column[label] for label in dataset.labels])
    thresholds = np.array([proba[given_index == k, k].mean() for k in range(len(classes))])
    given_proba = proba[np.arange(len(labels)), given_index]
    rows = []
    for i in np.argsort(given_proba, kind="stable"):
        best = int(np.argmax(proba[i]))
        others = [k for k in range(len(classes)) if k != given_index[i] and proba[i, k] >= thresholds[k]]
        rows.append(
            SuspectRow(
                line=dataset.lines[i],
                text=dataset.texts[i],
                given=dataset.labels[i],
                predicted=classes[best],
                given_proba=float(given_proba[i]),
                predicted_proba=float(proba[i, best]),
                flagged=bool(given_proba[i] < thresholds[given_index[i]] and others),
            )
        )
    return rows


def format_suspect(row: SuspectRow) -> str:
    """One line of ``stanceclf data audit``: ``*`` marks a flagged row."""
    mark = "*" if row.flagged else " "
    return (
        f"{mark} line {row.line:>5}  given {row.given} ({row.given_proba:.2f})  "
        f"model {row.predicted} ({row.predicted_proba:.2f})  {row.text}"
    )
