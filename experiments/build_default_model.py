"""Build the default model shipped inside the package, and measure it first.

1. Train on the ``train`` split of ``datasets/stance.csv`` and score on the ``test`` split, whose
   targets the model has never seen.
2. Cross-validate on all rows (stratified 5-fold) and by topic (5 folds of whole targets).
3. Train on all rows and write ``stanceclf/models/default.stance``, recording 1 and 2 in it.

    python experiments/build_default_model.py [--jobs 2]

Rerun it whenever ``datasets/stance.csv`` changes: a test fails while the shipped model's
recorded data hash differs from the file's.
"""

from __future__ import annotations

import argparse

import numpy as np
from sklearn.model_selection import GroupKFold, cross_val_predict

from common import BUNDLED, ROOT, machine, write_results
from stanceclf import StanceClassifier, cross_validate, evaluate, load_dataset, train
from stanceclf.metrics import classification_report

DEFAULT_MODEL = ROOT / "stanceclf" / "models" / "default.stance"


def per_label_table(report: dict) -> list[str]:
    lines = ["| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label in report["labels"]:
        s = report["per_label"][label]
        lines.append(f"| {label} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    train_split = load_dataset(BUNDLED, split="train")
    test_split = load_dataset(BUNDLED, split="test")
    held_out = evaluate(train(train_split).model, test_split)

    everything = load_dataset(BUNDLED)
    stratified = cross_validate(everything, folds=5, n_jobs=args.jobs)
    labels = np.asarray(everything.labels, dtype=object)
    by_topic = cross_val_predict(
        StanceClassifier(),
        everything.texts,
        labels,
        groups=everything.targets,
        cv=GroupKFold(n_splits=5),
        n_jobs=args.jobs,
    )
    topic_report = classification_report(labels, by_topic)

    summary = train(everything)
    summary.model.provenance_["metrics"] = {
        "test_split_macro_f1": held_out["macro_f1"],
        "test_split_accuracy": held_out["accuracy"],
        "cv5_macro_f1": stratified["macro_f1"],
        "topic_cv5_macro_f1": topic_report["macro_f1"],
    }
    summary.model.save(DEFAULT_MODEL, force=True)

    lines = [
        "# The default model",
        "",
        f"Data: `datasets/stance.csv` ({len(everything)} statements, {len(set(everything.targets))} targets, "
        f"sha256 `{everything.sha256[:16]}…`). Parameters: the `StanceClassifier` defaults.",
        f"Machine: {machine()}.",
        "",
        "| evaluation | statements | macro-F1 | accuracy |",
        "|---|---|---|---|",
        f"| trained on `train` split, scored on the topic-held-out `test` split | {held_out['n']} "
        f"| {held_out['macro_f1']:.3f} | {held_out['accuracy']:.3f} |",
        f"| stratified 5-fold CV, all rows | {stratified['n']} "
        f"| {stratified['macro_f1']:.3f} | {stratified['accuracy']:.3f} |",
        f"| 5-fold CV by topic (whole targets held out), all rows | {topic_report['n']} "
        f"| {topic_report['macro_f1']:.3f} | {topic_report['accuracy']:.3f} |",
        "",
        "Per label, topic-held-out `test` split:",
        "",
        *per_label_table(held_out),
        "",
        "Confusion matrix on the `test` split (rows: true, columns: predicted; "
        + ", ".join(held_out["labels"])
        + f"): `{held_out['confusion_matrix']}`",
        "",
        f"The shipped model was then trained on all {len(everything)} rows: "
        f"{summary.n_features:,} features, {summary.seconds:.1f} s.",
        "",
        "Command: `python experiments/build_default_model.py`",
        "",
    ]
    write_results(
        "default_model",
        "\n".join(lines),
        {
            "machine": machine(),
            "data_sha256": everything.sha256,
            "test_split": held_out,
            "cv5": stratified,
            "topic_cv5": topic_report,
            "n_features": summary.n_features,
        },
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
