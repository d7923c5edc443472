"""Does shrinking topic-unstable features help on proposals never seen? Topic-grouped CV decides.

``StanceClassifier(topic_shrinkage=s)`` divides each feature's weight by ``1 + s * instability``,
where instability measures how differently the feature's label leans from target to target
(:func:`stanceclf.topics.stability_weights`, computed on each training fold only). Scored by
5-fold GroupKFold by target on the bundled ``train`` split (the test split is not read), on all
labels and on the stance labels alone; adopted into the defaults only if it wins here.

    python experiments/topic_shrinkage.py [--jobs 2]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.model_selection import GroupKFold, cross_val_predict

from common import BUNDLED, machine, write_results
from stanceclf import StanceClassifier, load_dataset
from stanceclf.metrics import classification_report

SHRINKAGE = [0.0, 1.0, 3.0, 10.0, 30.0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    data = load_dataset(BUNDLED, split="train")
    inputs = data.inputs(with_targets=True)
    labels = np.asarray(data.labels, dtype=object)
    results = []
    for shrinkage in SHRINKAGE:
        start = time.perf_counter()
        predicted = cross_val_predict(
            StanceClassifier(topic_shrinkage=shrinkage),
            inputs,
            labels,
            groups=data.targets,
            cv=GroupKFold(n_splits=5),
            n_jobs=args.jobs,
        )
        report = classification_report(labels, predicted)
        folds = [
            classification_report(labels[test], predicted[test], report["labels"])["macro_f1"]
            for _, test in GroupKFold(n_splits=5).split(inputs, labels, groups=data.targets)
        ]
        results.append(
            {
                "topic_shrinkage": shrinkage,
                "macro_f1": report["macro_f1"],
                "stance_macro_f1": report.get("stance_macro_f1"),
                "accuracy": report["accuracy"],
                "fold_macro_f1": folds,
                "fold_std": float(np.std(folds)),
                "seconds": time.perf_counter() - start,
            }
        )
        print(results[-1])
    best = max(results, key=lambda r: r["macro_f1"])
    off = results[0]
    # adopted only if it beats no shrinkage by more than one standard error of the fold scores
    standard_error = off["fold_std"] / 5**0.5
    wins = best["topic_shrinkage"] != 0 and best["macro_f1"] - off["macro_f1"] > standard_error
    lines = [
        "# Shrinking topic-unstable features: topic-grouped CV on the bundled train split",
        "",
        f"Data: `datasets/stance.csv`, split `train` ({len(data)} statements, {len(set(data.targets))} targets); "
        "5 folds of whole targets (GroupKFold). The test split was not read.",
        f"Machine: {machine()}.",
        "",
        "| topic_shrinkage | macro-F1 (all labels) | macro-F1 (stance labels) | accuracy |",
        "|---|---|---|---|",
    ]
    for r in results:
        stance = f"{r['stance_macro_f1']:.4f}" if r["stance_macro_f1"] is not None else "-"
        lines.append(f"| {r['topic_shrinkage']:g} | {r['macro_f1']:.4f} | {stance} | {r['accuracy']:.4f} |")
    gain = best["macro_f1"] - off["macro_f1"]
    verdict = (
        f"topic_shrinkage={best['topic_shrinkage']:g} wins by {gain:+.4f}, more than one standard error "
        f"({standard_error:.4f}): adopt it"
        if wins
        else f"the best setting (topic_shrinkage={best['topic_shrinkage']:g}) is {gain:+.4f} from no shrinkage, "
        f"within one standard error of the fold scores ({standard_error:.4f}): the default stays off"
    )
    lines += ["", f"Verdict: {verdict}.", "", "Command: `python experiments/topic_shrinkage.py`", ""]
    write_results(
        "topic_shrinkage", "\n".join(lines), {"machine": machine(), "results": results, "adopted": bool(wins)}
    )


if __name__ == "__main__":
    main()
