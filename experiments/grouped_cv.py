"""Grouped cross-validation of StanceClassifier settings, shared by the benchmark scripts.

Every candidate setting is fitted on each fold's training part and scored on its held-out
groups (claims, topics, targets), in parallel over (setting, fold) pairs. Only training data
goes in: the scripts read their test sets once, after the choice.
"""

from __future__ import annotations

import numpy as np
from joblib import Parallel, delayed

from stanceclf import StanceClassifier
from stanceclf.metrics import classification_report

# The statement-target feature sets measured in the ablations (stanceclf.target_features).
OVERLAP = {"overlap_exact": True, "overlap_stem": True, "overlap_char": True, "target_mention": True}
FEATURE_SETS = {
    "statement only (target unused)": {"target_mode": "none"},
    "+ overlap, exact words": {"target_mode": "paired", "overlap_exact": True},
    "+ overlap, stems": {"target_mode": "paired", "overlap_stem": True},
    "+ overlap, character 4-grams": {"target_mode": "paired", "overlap_char": True},
    "+ target mentioned (no/once/often)": {"target_mode": "paired", "target_mention": True},
    "+ n-grams around the mention (window 3)": {"target_mode": "paired", "mention_window": 3},
    "+ all overlap features + window 3": {"target_mode": "paired", **OVERLAP, "mention_window": 3},
    "+ target-conjoined features (existing)": {"target_mode": "conjoined", "target_weight": 1.0},
    "+ conjoined + all overlap + window 3": {
        "target_mode": "conjoined",
        "target_weight": 1.0,
        **OVERLAP,
        "mention_window": 3,
    },
}


def _fit_predict(params: dict, X: list, y: np.ndarray, train: np.ndarray, held_out: np.ndarray) -> list[str]:
    inputs = X if params.get("target_mode", "none") != "none" else [text for text, _ in X]
    model = StanceClassifier(**params).fit([inputs[i] for i in train], list(y[train]))
    return [str(label) for label in model.predict([inputs[i] for i in held_out])]


def cross_validate(candidates: list[dict], X: list, y, folds: list, labels: list[str], jobs: int = 2) -> list[dict]:
    """Score every candidate on every fold; rows ``{params, accuracy, macro_f1, std}`` in input order.

    ``X`` holds (statement, target) pairs; a candidate with ``target_mode="none"`` sees the
    statements alone. ``std`` is the standard deviation of the folds' macro-F1.
    """
    y = np.asarray(y, dtype=object)
    jobs_list = [(c, f) for c in range(len(candidates)) for f in range(len(folds))]
    predictions = Parallel(n_jobs=jobs)(delayed(_fit_predict)(candidates[c], X, y, *folds[f]) for c, f in jobs_list)
    rows = []
    for c, params in enumerate(candidates):
        scores = []
        for (cc, f), predicted in zip(jobs_list, predictions):
            if cc == c:
                report = classification_report(list(y[folds[f][1]]), predicted, labels)
                scores.append((report["accuracy"], report["macro_f1"]))
        accuracy, macro_f1 = np.mean(scores, axis=0)
        rows.append(
            {
                "params": params,
                "accuracy": float(accuracy),
                "macro_f1": float(macro_f1),
                "std": float(np.std([s[1] for s in scores])),
                "std_accuracy": float(np.std([s[0] for s in scores])),
            }
        )
    return rows


def plain(params: dict) -> dict:
    """Parameters as JSON values."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}


def describe(params: dict, base: dict | None = None) -> str:
    """The parameters that differ from ``base`` (all of them without one), as ``k=v`` text."""
    shown = {k: v for k, v in params.items() if base is None or base.get(k) != v}
    return ", ".join(f"{k}={v}" for k, v in shown.items()) or "(base)"
