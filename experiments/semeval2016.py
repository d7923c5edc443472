"""SemEval-2016 Task 6 subtask A with stanceclf: choose by CV on training data, test once.

    python experiments/semeval2016.py [BENCHMARKS_DIR] [--jobs 2] [--save MODEL]

BENCHMARKS_DIR (or $STANCECLF_BENCHMARKS, default ../shared/benchmarks) holds
``semeval2016-task6/original/`` with the organisers' files. The official training set is
training + trial (2,914 tweets); the test set (1,249 tweets) is read once, after every choice
has been made by 5-fold cross-validation on the training set (folds stratified by target and
label). Score: the official F_avg (mean F1 of FAVOR and AGAINST, pooled over targets);
TweetEval's variant (per-target F_avg averaged over targets) is reported beside it
(``experiments/tweeteval.py`` chooses for that metric on TweetEval's own files).

Round two (issue 13) starts from round one's choice (a staged search of 29 settings, 846 s,
test F_avg 69.40; see git history of experiments/results/semeval2016.md) and scores a small
grid (:mod:`stance_search`): {conjoined C=10, per_target C=3} x {raw tweets, hashtags split
(:func:`stanceclf.tweets.normalise_tweet`)} x {no offsets, decision offsets for all tweets,
offsets per target (per_target only)} (:mod:`stanceclf.offsets`), offsets tuned inside the CV.
The best CV row is fitted on all training tweets and read on test once: one configuration
evaluated on test per run. Writes experiments/results/semeval2016.md and .json.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.model_selection import StratifiedKFold
from stance_search import candidate_table, describe, fit_final, plain, predict_test, run_candidates, test_tables

from common import benchmarks_dir, machine, write_results
from stanceclf.benchmarks import load_semeval2016
from stanceclf.metrics import classification_report, f_avg, semeval_scores

PUBLISHED = [
    ("majority class (per target)", 52.01, 78.44, 65.22, "Mohammad et al. 2016 (recomputed in benchmarks README)"),
    ("SVM-unigrams (organisers; per target)", 54.49, 72.13, 63.31, "Mohammad et al. 2016"),
    ("SVM-ngrams (organisers; per target, word 1-3 + char 2-5)", 62.98, 74.98, 68.98, "Mohammad et al. 2016"),
    ("SVM-ngrams-comb (one SVM for all targets)", 54.11, 70.01, 62.06, "Mohammad et al. 2016"),
    ("MITRE (best of 19 teams; LSTM)", 59.32, 76.33, 67.82, "Mohammad et al. 2016"),
    ("pkudblab (2nd; CNN)", 61.98, 72.67, 67.33, "Mohammad et al. 2016"),
    ("TakeLab (3rd)", 60.93, 72.67, 66.83, "Mohammad et al. 2016"),
]
PUBLISHED_TWEETEVAL = [("RoBERTa-base", 68.0), ("BERTweet", 71.2), ("TimeLMs-2021", 72.9)]


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
    root = benchmarks_dir(args.benchmarks) / "semeval2016-task6" / "original"
    train = load_semeval2016(root / "trainingdata-all-annotations.txt", root / "trialdata-all-annotations.txt")
    y, targets = np.asarray(train.labels, dtype=object), np.asarray(train.targets, dtype=object)
    strata = [f"{t}|{label}" for t, label in zip(train.targets, train.labels)]
    folds = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(train.texts, strata))
    started = time.perf_counter()
    tuning = lambda truth, guess: f_avg(list(truth), list(guess))  # noqa: E731
    score = lambda truth, guess, _targets: f_avg(list(truth), list(guess))  # noqa: E731
    rows, oof = run_candidates(train.texts, targets, y, folds, score, tuning, args.jobs)
    search_seconds = time.perf_counter() - started
    best = rows[0]
    fit_start = time.perf_counter()
    model, offsets = fit_final(best, train.texts, targets, y, oof, tuning)
    fit_seconds = time.perf_counter() - fit_start
    if args.save:
        model.save(args.save, force=True)

    # The test set, read once with everything fixed: one configuration evaluated on it.
    test = load_semeval2016(root / "testdata-taskA-all-annotations.txt")
    predicted = predict_test(model, best, test.texts, test.targets)
    scores = semeval_scores(test.labels, predicted, test.targets)
    report = classification_report(test.labels, predicted, ["AGAINST", "FAVOR", "NONE"])
    favor_f1, against_f1 = report["per_label"]["FAVOR"]["f1"], report["per_label"]["AGAINST"]["f1"]

    lines = [
        "# SemEval-2016 Task 6, subtask A: stanceclf against the published results",
        "",
        f"Training: the official training set (training + trial, {len(train)} tweets); test: the official test set "
        f"({len(test)} tweets), read once after all choices (configurations evaluated on test: 1). Model: TF-IDF + "
        "logistic regression (`StanceClassifier`); every choice by 5-fold CV on the training set only (folds "
        "stratified by target and label; score: F_avg pooled over targets).",
        f"Machine: {machine()} (shared with other jobs). Search: {search_seconds:.0f} s; "
        f"final fit {fit_seconds:.1f} s.",
        "",
        f"**Chosen:** {describe(best)}",
        "",
        f"**Decision offsets (added to the log-probabilities of AGAINST, FAVOR, NONE; written into the model):** "
        f"`{offsets or 'none'}`",
        "",
        f"**CV F_avg of the chosen setting (training set):** {100 * best['cv']:.2f} +/- {100 * best['std']:.2f}",
        "",
        "## Test set",
        "",
        "| system | F1 FAVOR | F1 AGAINST | F_avg | source |",
        "|---|---|---|---|---|",
        f"| **stanceclf (this run)** | **{100 * favor_f1:.2f}** | **{100 * against_f1:.2f}** "
        f"| **{100 * scores['f_avg']:.2f}** | `python experiments/semeval2016.py` |",
        "| stanceclf, round one (conjoined, C=10, no offsets) | 62.16 | 76.64 | 69.40 | this script before issue 13 |",
    ]
    lines += [f"| {name} | {fav:.2f} | {ag:.2f} | {fa:.2f} | {src} |" for name, fav, ag, fa, src in PUBLISHED]
    lines += [
        "",
        "TweetEval's variant (per-target F_avg averaged over the five targets) of this run's predictions; "
        "`experiments/tweeteval.py` chooses for that metric on TweetEval's files:",
        "",
        "| system | F_avg, macro over targets | source |",
        "|---|---|---|",
        f"| **stanceclf (this run)** | **{100 * scores['f_avg_tweeteval']:.2f}** | this script |",
    ]
    lines += [
        f"| {name} | {value:.1f} | TweetEval leaderboard (Barbieri et al. 2020, repository README) |"
        for name, value in PUBLISHED_TWEETEVAL
    ]
    lines += test_tables(scores, report, test.targets)
    lines += candidate_table(rows)
    lines += [
        "",
        "Sources: Mohammad, Kiritchenko, Sobhani, Zhu and Cherry (2016), *SemEval-2016 Task 6: Detecting Stance "
        "in Tweets*, Task A results table, as listed in `../shared/benchmarks/README.md`; TweetEval leaderboard "
        "figures from the TweetEval repository README, as listed there.",
        "",
    ]
    write_results(
        "semeval2016",
        "\n".join(lines),
        {
            "machine": machine(),
            "chosen": plain(best),
            "offsets": {str(k): v for k, v in offsets.items()},
            "cv": {"f_avg": best["cv"], "std": best["std"], "folds": 5},
            "configurations_evaluated_on_test": 1,
            "test": {
                "f_avg": scores["f_avg"],
                "f_avg_tweeteval": scores["f_avg_tweeteval"],
                "f1_favor": favor_f1,
                "f1_against": against_f1,
                "f_avg_by_target": scores["f_avg_by_target"],
                "report": report,
            },
            "candidates": [plain(row) for row in rows],
            "search_seconds": search_seconds,
            "published": [
                {"system": n, "f1_favor": a, "f1_against": b, "f_avg": c, "source": d} for n, a, b, c, d in PUBLISHED
            ],
            "published_tweeteval": [{"system": n, "f_avg_tweeteval": v} for n, v in PUBLISHED_TWEETEVAL],
        },
    )
    print("\n".join(lines[:22]))


if __name__ == "__main__":
    main()
