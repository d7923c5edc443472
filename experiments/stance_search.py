"""Shared by semeval2016.py and tweeteval.py: candidates scored by cross-validation, test read once.

Every candidate is a (preprocessing, StanceClassifier parameters) pair; its out-of-fold
log-probabilities on the training set are computed once, then scored three ways: as they are,
with one set of decision offsets for all tweets, and (per_target models only) with offsets per
target (:mod:`stanceclf.offsets`). Offsets are tuned inside the cross-validation (nested: on the
other four folds' out-of-fold predictions, scored on the fifth), so their CV score is honest.
"""

from __future__ import annotations

import time

import numpy as np
from joblib import Parallel, delayed

from stanceclf import StanceClassifier
from stanceclf.inference import Predictor
from stanceclf.offsets import apply_offsets, shifted_predictions, tune_offsets
from stanceclf.tweets import normalise_tweet

PREPROCESSING = {
    "raw": lambda text: text,
    "hashtags split": normalise_tweet,  # drop #SemST, add the words of camel-case hashtags
}
# Round one's choice (experiments/results/semeval2016.md before issue 13), and round one's best
# per-target setting (its stage 1: per_target with C=3).
ROUND_ONE = {
    "word_ngram_range": (1, 3),
    "char_ngram_range": (2, 5),
    "negation": True,
    "char_negation": False,
    "sublinear_tf": True,
    "class_weight": "balanced",
    "target_mode": "conjoined",
    "target_weight": 1.0,
    "C": 10.0,
}
CANDIDATES = [
    (prep, mode, params)
    for mode, params in [("conjoined", ROUND_ONE), ("per_target", {**ROUND_ONE, "target_mode": "per_target", "C": 3.0})]
    for prep in PREPROCESSING
]
POSTPROCESSING = ("none", "offsets, all tweets", "offsets per target")


def inputs(texts, targets, prep: str) -> list[tuple[str, str]]:
    return [(PREPROCESSING[prep](text), target) for text, target in zip(texts, targets)]


def out_of_fold(params: dict, X: list, y: np.ndarray, folds, jobs: int) -> tuple[np.ndarray, np.ndarray]:
    def one(train, test):
        model = StanceClassifier(**params).fit([X[i] for i in train], y[train])
        return test, np.log(model.predict_proba([X[i] for i in test])), model.classes_

    parts = Parallel(n_jobs=jobs)(delayed(one)(train, test) for train, test in folds)
    classes = parts[0][2]
    log_proba = np.zeros((len(X), len(classes)))
    for test, part, fold_classes in parts:
        assert list(fold_classes) == list(classes)  # stratified folds: every label in every fold
        log_proba[test] = part
    return log_proba, classes


def nested_predictions(log_proba, y, targets, classes, folds, post: str, tuning) -> np.ndarray:
    """Out-of-fold labels after ``post``, offsets tuned on the other folds only."""
    if post == "none":
        return classes[log_proba.argmax(axis=1)]
    predicted = np.empty(len(y), dtype=object)
    for train, test in folds:
        offsets = tune_offsets(
            log_proba[train], y[train], classes, tuning, targets=targets[train] if post.endswith("target") else None
        )
        predicted[test] = shifted_predictions(log_proba[test], classes, offsets, targets[test])
    return predicted


def run_candidates(texts, targets, y, folds, score, tuning, jobs: int) -> tuple[list[dict], dict]:
    """Every candidate's CV score (``score(y_true, y_pred, targets)``), best first, and the OOF scores."""
    rows, oof = [], {}
    for prep, mode, params in CANDIDATES:
        started = time.perf_counter()
        log_proba, classes = out_of_fold(params, inputs(texts, targets, prep), y, folds, jobs)
        oof[(prep, mode)] = (log_proba, classes)
        seconds = time.perf_counter() - started
        for post in POSTPROCESSING:
            if post == "offsets per target" and mode != "per_target":
                continue  # only a per-target model has per-target bias features to carry them
            predicted = nested_predictions(log_proba, y, targets, classes, folds, post, tuning)
            per_fold = [score(y[test], predicted[test], targets[test]) for _, test in folds]
            rows.append(
                {
                    "preprocessing": prep,
                    "target_mode": mode,
                    "postprocessing": post,
                    "params": params,
                    "cv": float(np.mean(per_fold)),
                    "std": float(np.std(per_fold)),
                    "cv_seconds": seconds,
                }
            )
            print(f"{prep:>15} {mode:>10} {post:>20}: CV {100 * rows[-1]['cv']:.2f}", flush=True)
    rows.sort(key=lambda row: -row["cv"])
    return rows, oof


def fit_final(best: dict, texts, targets, y, oof, tuning):
    """The chosen candidate fitted on all training tweets, offsets tuned on its full OOF predictions."""
    X = inputs(texts, targets, best["preprocessing"])
    model = StanceClassifier(**best["params"]).fit(X, y)
    offsets = {}
    if best["postprocessing"] != "none":
        log_proba, classes = oof[(best["preprocessing"], best["target_mode"])]
        per_target = best["postprocessing"].endswith("target")
        offsets = tune_offsets(log_proba, y, classes, tuning, targets=targets if per_target else None)
        apply_offsets(model, offsets)
    return model, offsets


def predict_test(model, best: dict, texts, targets) -> list[str]:
    """Predictions on the test tweets, checked equal between the estimator and the numpy Predictor."""
    X = inputs(texts, targets, best["preprocessing"])
    predicted = [str(p) for p in model.predict(X)]
    numpy_side = Predictor(model.to_model_data())
    if not np.allclose(numpy_side.predict_proba(X), model.predict_proba(X), atol=1e-9):
        raise AssertionError("numpy Predictor and StanceClassifier disagree")
    return predicted


def describe(row: dict) -> str:
    p = row["params"]
    return (
        f"{row['preprocessing']}; {row['target_mode']} (C={p['C']}); word {p['word_ngram_range']}, "
        f"char {p['char_ngram_range']}; offsets: {row['postprocessing']}"
    )


def test_tables(scores: dict, report: dict, targets: list[str]) -> list[str]:
    """Markdown lines: F_avg per target and precision, recall and F1 per label on the test set."""
    lines = ["", "Per target (test):", "", "| target | tweets | F_avg |", "|---|---|---|"]
    for target, value in scores["f_avg_by_target"].items():
        lines.append(f"| {target} | {targets.count(target)} | {100 * value:.2f} |")
    lines += ["", "Per label (test):", "", "| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label in report["labels"]:
        s = report["per_label"][label]
        lines.append(
            f"| {label} | {100 * s['precision']:.2f} | {100 * s['recall']:.2f} | {100 * s['f1']:.2f} | {s['support']} |"
        )
    return lines


def candidate_table(rows: list[dict]) -> list[str]:
    """The grid and every candidate's CV score, best first."""
    lines = [
        "",
        f"## Candidates (5-fold CV on the training set, {len(rows)} rows, best first)",
        "",
        f"Grid: preprocessing {list(PREPROCESSING)} x models "
        f"{[(mode, params['C']) for prep, mode, params in CANDIDATES if prep == 'raw']} x offsets "
        f"{list(POSTPROCESSING)} (per-target offsets for per_target models only). Offsets: one per label, "
        "grid -1 to 1 in steps of 0.25, AGAINST's fixed at 0, tuned on the other folds' out-of-fold predictions "
        "(nested), so every row is an honest CV estimate. Shared parameters: word 1-3-grams with negation "
        "marking, char 2-5-grams, sublinear tf, balanced class weights, target_weight 1.",
        "",
        "| preprocessing | model | offsets | CV | CV time of the model |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['preprocessing']} | {row['target_mode']}, C={row['params']['C']} | {row['postprocessing']} "
            f"| {100 * row['cv']:.2f} +/- {100 * row['std']:.2f} | {row['cv_seconds']:.0f} s |"
        )
    return lines


def plain(row: dict) -> dict:
    def value(v):
        return list(v) if isinstance(v, tuple) else v

    return {k: ({pk: value(pv) for pk, pv in v.items()} if isinstance(v, dict) else value(v)) for k, v in row.items()}
