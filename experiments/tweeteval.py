"""TweetEval's stance task (SemEval-2016 Task 6 repackaged): choose by CV on train+val, test once.

    python experiments/tweeteval.py [BENCHMARKS_DIR] [--jobs 2] [--save MODEL]

BENCHMARKS_DIR (or $STANCECLF_BENCHMARKS, default ../shared/benchmarks) holds
``tweeteval-stance/`` (one folder per target; user mentions replaced by ``@user``). Train and
val together are the official SemEval training set (2,914 tweets); every choice is made by
5-fold cross-validation on them (folds stratified by target and label), scored by TweetEval's
metric: F_avg = (F1(favor) + F1(against)) / 2 within each target, averaged over the five
targets. The candidates are those of ``experiments/semeval2016.py`` (:mod:`stance_search`);
the best CV row is fitted on train+val and read on test once (one configuration evaluated on
test per run). Writes experiments/results/tweeteval.md and .json.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.model_selection import StratifiedKFold
from stance_search import candidate_table, describe, fit_final, plain, predict_test, run_candidates, test_tables

from common import benchmarks_dir, machine, write_results
from stanceclf.benchmarks import load_tweeteval
from stanceclf.metrics import classification_report, f_avg, semeval_scores

PUBLISHED = [
    ("RoBERTa-base", 68.0, "TweetEval leaderboard (Barbieri et al. 2020, repository README)"),
    ("BERTweet", 71.2, "same"),
    ("TimeLMs-2021", 72.9, "same"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmarks", nargs="?", default=None)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--save",
        metavar="MODEL",
        help="also save the chosen model (offsets included; it expects tweets preprocessed as chosen)",
    )
    args = parser.parse_args()
    folder = benchmarks_dir(args.benchmarks) / "tweeteval-stance"
    train = load_tweeteval(folder, "train+val")
    y, targets = np.asarray(train.labels, dtype=object), np.asarray(train.targets, dtype=object)
    strata = [f"{t}|{label}" for t, label in zip(train.targets, train.labels)]
    folds = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(train.texts, strata))
    started = time.perf_counter()

    def tuning(truth, guess):  # within one target (per-target offsets) it is that target's term
        return f_avg(list(truth), list(guess), "favor", "against")

    def score(truth, guess, fold_targets):
        return semeval_scores(list(truth), list(guess), list(fold_targets))["f_avg_tweeteval"]

    rows, oof = run_candidates(train.texts, targets, y, folds, score, tuning, args.jobs)
    search_seconds = time.perf_counter() - started
    best = rows[0]
    fit_start = time.perf_counter()
    model, offsets = fit_final(best, train.texts, targets, y, oof, tuning)
    fit_seconds = time.perf_counter() - fit_start
    if args.save:
        model.save(args.save, force=True)

    # The test set, read once with everything fixed: one configuration evaluated on it.
    test = load_tweeteval(folder, "test")
    predicted = predict_test(model, best, test.texts, test.targets)
    scores = semeval_scores(test.labels, predicted, test.targets)
    report = classification_report(test.labels, predicted, ["against", "favor", "none"])

    lines = [
        "# TweetEval stance (SemEval-2016 Task 6 repackaged): stanceclf against the leaderboard",
        "",
        f"Training: train + val ({len(train)} tweets, the official SemEval training set with mentions as "
        f"`@user`); test: {len(test)} tweets, read once after all choices (configurations evaluated on test: 1). "
        "Model: TF-IDF + logistic regression (`StanceClassifier`); every choice by 5-fold CV on train + val "
        "(folds stratified by target and label; score: TweetEval's F_avg, the per-target F_avg averaged over "
        "targets).",
        f"Machine: {machine()} (shared with other jobs). Search: {search_seconds:.0f} s; "
        f"final fit {fit_seconds:.1f} s.",
        "",
        f"**Chosen:** {describe(best)}",
        "",
        f"**Decision offsets (added to the log-probabilities of against, favor, none; written into the model):** "
        f"`{offsets or 'none'}`",
        "",
        f"**CV score of the chosen setting (train + val):** {100 * best['cv']:.2f} +/- {100 * best['std']:.2f}",
        "",
        "## Test set",
        "",
        "| system | F_avg, macro over targets (TweetEval) | F_avg pooled (SemEval) | source |",
        "|---|---|---|---|",
        f"| **stanceclf (this run)** | **{100 * scores['f_avg_tweeteval']:.2f}** | {100 * scores['f_avg']:.2f} "
        "| `python experiments/tweeteval.py` |",
        "| stanceclf, round one (SemEval files, chosen for pooled F_avg) | 57.23 | 69.40 | "
        "experiments/semeval2016.py before issue 13 |",
    ]
    lines += [f"| {name} | {value:.1f} | - | {source} |" for name, value, source in PUBLISHED]
    lines += test_tables(scores, report, test.targets)
    lines += candidate_table(rows)
    lines += [
        "",
        "Source of the leaderboard rows: the TweetEval repository README (Barbieri, Camacho-Collados, Espinosa-Anke "
        "and Neves 2020, *TweetEval: Unified Benchmark and Comparative Evaluation for Tweet Classification*), as "
        "listed in `../shared/benchmarks/README.md`.",
        "",
    ]
    write_results(
        "tweeteval",
        "\n".join(lines),
        {
            "machine": machine(),
            "chosen": plain(best),
            "offsets": {str(k): v for k, v in offsets.items()},
            "cv": {"f_avg_tweeteval": best["cv"], "std": best["std"], "folds": 5},
            "configurations_evaluated_on_test": 1,
            "test": {
                "f_avg_tweeteval": scores["f_avg_tweeteval"],
                "f_avg": scores["f_avg"],
                "f_avg_by_target": scores["f_avg_by_target"],
                "report": report,
            },
            "candidates": [plain(row) for row in rows],
            "search_seconds": search_seconds,
            "published": [{"system": n, "f_avg_tweeteval": v, "source": s} for n, v, s in PUBLISHED],
        },
    )
    print("\n".join(lines[:20]))


if __name__ == "__main__":
    main()
