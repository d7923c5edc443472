"""Ablation of the statement-target features on Emergent, VAST, SemEval-2016 and the bundled corpus.

    python experiments/target_features.py [BENCHMARKS_DIR] [--jobs 2] [--datasets emergent,vast,semeval,bundled]

(Runs with different ``--datasets`` may share the output files: each keeps the others' sections.)

Each feature set of ``grouped_cv.FEATURE_SETS`` (the statement alone; each overlap feature
alone; the mention window alone; all of them; the existing target-conjoined features; both) is
added to one fixed base setting per data set and scored by cross-validation on training data
only, holding out whole claims (Emergent), topics (VAST, bundled corpus) or, for SemEval's five
targets that recur in its test set, stratified folds as in ``semeval2016.py``. Nothing is chosen
here: every feature set is also trained once on the whole training data and scored once on the
test data, for the record. Costs were cut for the shared (and, when this ran, heavily loaded)
2-core machine: Emergent has 3 grouped folds, SemEval and the bundled corpus 2 folds; VAST is
trained on 40% of its training topics and scored on another 20% (grouped), and that same model
is scored on the test set (see vast.md for the model trained on all of it).

Writes experiments/results/target_features.md and .json (rewritten after each data set).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from grouped_cv import FEATURE_SETS, cross_validate
from joblib import Parallel, delayed
from sklearn.model_selection import GroupKFold, StratifiedKFold

from common import BUNDLED, RESULTS, benchmarks_dir, machine, write_results
from stanceclf import StanceClassifier, load_dataset
from stanceclf.benchmarks import load_emergent, load_semeval2016, load_vast
from stanceclf.metrics import classification_report, f_avg

# One base setting per data set: the stanceclf defaults, or close to what the data set's own
# script chose (SemEval: experiments/results/semeval2016.md; VAST: experiments/results/vast.md).
# Character n-grams are left out everywhere: they multiply the cost of every fit, and what is
# measured here is what the statement-target features add to a model.
BASES = {
    "emergent": {"char_ngram_range": None, "C": 10.0},
    "vast": {"char_ngram_range": None, "min_df": 2, "C": 1.0},
    "semeval": {"word_ngram_range": (1, 3), "char_ngram_range": None, "C": 10.0},
    "bundled": {"char_ngram_range": None},
}
ORDER = ("emergent", "vast", "semeval", "bundled")
METRIC = {"emergent": "accuracy", "vast": "macro_f1", "semeval": "f_avg", "bundled": "macro_f1"}


def load(name: str, root):
    """(train, test, folds, labels, description) of one data set."""
    if name == "emergent":
        train, test = load_emergent(root / "emergent", "train"), load_emergent(root / "emergent", "test")
        folds = list(GroupKFold(n_splits=3).split(train.texts, train.labels, train.groups))
        return train, test, folds, ["against", "for", "observing"], "3-fold CV grouped by claim"
    if name == "vast":
        train, test = load_vast(root / "vast", "train"), load_vast(root / "vast", "test")
        parts = [part for _, part in GroupKFold(n_splits=5).split(train.texts, train.labels, train.groups)]
        # train on 2 of the 5 topic groups (40%), score on a third (20%)
        folds = [(np.sort(np.concatenate(parts[1:3])), parts[0])]
        describe = "trained on 40% of the topics, scored on 20% other topics (grouped)"
        return train, test, folds, ["con", "neutral", "pro"], describe
    if name == "semeval":
        folder = root / "semeval2016-task6" / "original"
        train = load_semeval2016(folder / "trainingdata-all-annotations.txt", folder / "trialdata-all-annotations.txt")
        test = load_semeval2016(folder / "testdata-taskA-all-annotations.txt")
        strata = [f"{t}|{label}" for t, label in zip(train.targets, train.labels)]
        folds = list(StratifiedKFold(n_splits=2, shuffle=True, random_state=0).split(train.texts, strata))
        return train, test, folds, ["AGAINST", "FAVOR", "NONE"], "2-fold CV stratified by target and label"
    train, test = load_dataset(BUNDLED, split="train"), load_dataset(BUNDLED, split="test")
    folds = list(GroupKFold(n_splits=2).split(train.texts, train.labels, train.targets))
    labels = sorted(set(train.labels))
    return train, test, folds, labels, "2-fold CV grouped by target (test split: targets unseen in training)"


def _test_score(params: dict, train, test, labels: list[str], name: str) -> float:
    uses = params.get("target_mode", "none") != "none"
    model = StanceClassifier(**params).fit(train.inputs(uses), train.labels)
    predicted = [str(p) for p in model.predict(test.inputs(uses))]
    if name == "semeval":
        return f_avg(test.labels, predicted)
    report = classification_report(test.labels, predicted, labels)
    return report[METRIC[name]]


def ablate(name: str, root, jobs: int) -> dict:
    train, test, folds, labels, how = load(name, root)
    started = time.perf_counter()
    candidates = [{**BASES[name], **change} for change in FEATURE_SETS.values()]
    X, y = train.inputs(with_targets=True), np.asarray(train.labels, dtype=object)
    if name == "semeval":  # F_avg from the fold predictions: score each fold's rows
        rows = _semeval_cv(candidates, X, y, folds, jobs)
    elif name == "vast":  # one fitted model per feature set scores the held-out topics and the test set
        rows, tests = _vast(candidates, X, y, folds[0], test, labels, jobs)
    else:
        rows = cross_validate(candidates, X, y, folds, labels, jobs)
    if name != "vast":
        tests = Parallel(n_jobs=jobs)(delayed(_test_score)(c, train, test, labels, name) for c in candidates)
    results = []
    for feature_set, row, test_score in zip(FEATURE_SETS, rows, tests):
        results.append({"features": feature_set, "cv": row[METRIC[name]], "std": row["std"], "test": test_score})
    return {
        "metric": METRIC[name],
        "cv": how,
        "base": {k: list(v) if isinstance(v, tuple) else v for k, v in BASES[name].items()},
        "train": {"path": train.path, "rows": len(train)},
        "test_data": {"path": test.path, "rows": len(test)},
        "rows": results,
        "seconds": time.perf_counter() - started,
    }


def _fit_twice(params: dict, X: list, y: np.ndarray, fitted: np.ndarray, held_out: np.ndarray, test_X: list):
    uses = params.get("target_mode", "none") != "none"
    inputs = X if uses else [text for text, _ in X]
    model = StanceClassifier(**params).fit([inputs[i] for i in fitted], list(y[fitted]))
    held = [str(p) for p in model.predict([inputs[i] for i in held_out])]
    return held, [str(p) for p in model.predict(test_X if uses else [text for text, _ in test_X])]


def _vast(candidates: list[dict], X, y, fold, test, labels: list[str], jobs: int):
    test_X = test.inputs(with_targets=True)
    found = Parallel(n_jobs=jobs)(delayed(_fit_twice)(c, X, y, *fold, test_X) for c in candidates)
    rows, tests = [], []
    for held, predicted in found:
        report = classification_report(list(y[fold[1]]), held, labels)
        rows.append({"macro_f1": report["macro_f1"], "std": 0.0})
        tests.append(classification_report(test.labels, predicted, labels)["macro_f1"])
    return rows, tests


def _semeval_cv(candidates: list[dict], X, y, folds, jobs: int) -> list[dict]:
    from grouped_cv import _fit_predict

    pairs = [(c, f) for c in range(len(candidates)) for f in range(len(folds))]
    predictions = Parallel(n_jobs=jobs)(delayed(_fit_predict)(candidates[c], X, y, *folds[f]) for c, f in pairs)
    rows = []
    for c in range(len(candidates)):
        scores = [f_avg(list(y[folds[f][1]]), p) for (cc, f), p in zip(pairs, predictions) if cc == c]
        rows.append({"f_avg": float(np.mean(scores)), "std": float(np.std(scores))})
    return rows


def markdown(results: dict) -> str:
    lines = [
        "# Statement-target features: ablation on four data sets",
        "",
        "`python experiments/target_features.py` adds each statement-target feature set "
        "(`stanceclf.target_features`, see the README) to one fixed base setting per data set. The CV score "
        "uses training data only (held-out claims / topics / targets); the test score is one fit on all training "
        "data scored once on the test data, for the record (nothing is chosen from it).",
        f"Machine: {machine()} (shared with other jobs).",
        "",
    ]
    titles = {
        "emergent": "Emergent (accuracy; published logistic regression: 0.7328)",
        "vast": "VAST (macro-F1, all test rows)",
        "semeval": "SemEval-2016 Task 6A (official F_avg)",
        "bundled": "Bundled corpus, datasets/stance.csv (macro-F1; test split = 18 unseen targets)",
    }
    for name, result in results.items():
        base = result["rows"][0]
        lines += [
            f"## {titles[name]}",
            "",
            f"Base: `{result['base'] or 'the defaults'}`; CV: {result['cv']}; train {result['train']['rows']} rows, "
            f"test {result['test_data']['rows']} rows; {result['seconds']:.0f} s.",
            "",
            "| feature set | CV | change | test | change |",
            "|---|---|---|---|---|",
        ]
        for row in result["rows"]:
            spread = f" +/- {row['std']:.4f}" if name != "vast" else ""  # VAST: one split, no spread
            lines.append(
                f"| {row['features']} | {row['cv']:.4f}{spread} | {row['cv'] - base['cv']:+.4f} "
                f"| {row['test']:.4f} | {row['test'] - base['test']:+.4f} |"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmarks", nargs="?", default=None)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--datasets", default="emergent,vast,semeval,bundled")
    args = parser.parse_args()
    root = benchmarks_dir(args.benchmarks)
    results = {}
    for name in args.datasets.split(","):
        results[name] = ablate(name, root, args.jobs)
        # several runs (--datasets) may share the output: keep the data sets the others wrote
        written = RESULTS / "target_features.json"
        earlier = json.loads(written.read_text(encoding="utf-8"))["datasets"] if written.exists() else {}
        merged = {key: ({**earlier, **results})[key] for key in ORDER if key in {**earlier, **results}}
        write_results("target_features", markdown(merged), {"machine": machine(), "datasets": merged})


if __name__ == "__main__":
    main()
