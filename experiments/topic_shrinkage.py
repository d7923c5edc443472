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
        results.append(
            {
                "topic_shrinkage": shrinkage,
                "macro_f1": report["macro_f1"],
                "stance_macro_f1": report.get("stance_macro_f1"),
                "accuracy": report["accuracy"],
                "seconds": time.perf_counter() - start,
            }
        )
        print(results[-1])
    best = max(results, key=lambda r: r["macro_f1"])
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
    verdict = (
        "no shrinkage (0) wins: the default stays off"
        if best["topic_shrinkage"] == 0
        else f"topic_shrinkage={best['topic_shrinkage']:g} wins"
    )
    lines += ["", f"Best by macro-F1: {verdict}.", "", "Command: `python experiments/topic_shrinkage.py`", ""]
    write_results("topic_shrinkage", "\n".join(lines), {"machine": machine(), "results": results})


if __name__ == "__main__":
    main()
