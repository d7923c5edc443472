"""How well calibrated the default model is, before and after its temperature, and what abstaining buys.

1. **Topic-held-out test split.** The default recipe (``StanceClassifier`` defaults) is trained on
   the ``train`` split of ``datasets/stance.csv`` and calibrated as the shipped model is
   (``experiments/build_default_model.py``): one temperature and per-label thresholds, fitted on
   out-of-fold decision values of 5 folds of whole targets of the ``train`` split, for the lowest
   target precision whose thresholds, chosen on four folds, reach 0.92 on the fifth
   (:func:`stanceclf.abstention.target_for_precision`); for comparison also the thresholds for
   a plain target of 0.92. It is scored on the ``test`` split, whose targets it never saw:
   top-label ECE (15 equal-width bins) with and without the temperature, and the coverage,
   precision and macro-F1 (of the answered statements) when it abstains by its thresholds.
   The shipped model itself was trained on all rows, test split included, so it is not scored there.
2. **News test.** The shipped model on ``datasets/news_test.csv`` (ten targets absent from
   ``stance.csv``; measured only, never tuned on): the same figures.
3. Coverage and precision at a range of ``--min-confidence`` values on both sets, and (with
   ``--compare-with OLD.stance``) whether the shipped model's labels on news_test equal those of
   an earlier model file: a temperature must not move any label.

Writes ``experiments/results/calibration.{md,json,png}`` (the png needs matplotlib, the
``plot`` extra).

    python experiments/calibration.py [--jobs 2] [--compare-with OLD.stance]

(the results compare with ``default-5f27600.stance``: ``git show 5f27600:stanceclf/models/default.stance``,
the last model shipped without calibration).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from common import BUNDLED, RESULTS, ROOT, machine, write_results
from stanceclf import load_dataset, train
from stanceclf.abstention import Abstention, choose_thresholds, coverage_report, target_for_precision
from stanceclf.calibration import (
    DEFAULT_BINS,
    expected_calibration_error,
    reliability_bins,
    reliability_diagram,
    scaled_probabilities,
)
from stanceclf.confidence import calibrate_on_scores, fold_numbers, out_of_fold_scores
from stanceclf.inference import load_predictor
from stanceclf.persist import default_model_path

GOAL_PRECISION = 0.92  # the goal, as in experiments/build_default_model.py
MIN_CONFIDENCES = (0.5, 0.6, 0.7, 0.8, 0.9)


def measure(labels, decision_values, classes, calibration: dict) -> dict:
    """ECE and reliability bins before and after the temperature; abstention at the thresholds."""
    before = scaled_probabilities(decision_values, 1.0)
    after = scaled_probabilities(decision_values, calibration["temperature"])
    assert (before.argmax(axis=1) == after.argmax(axis=1)).all(), "a temperature moved a label"
    result = {
        "n": len(labels),
        "temperature": calibration["temperature"],
        "ece_uncalibrated": expected_calibration_error(labels, before, classes),
        "ece_calibrated": expected_calibration_error(labels, after, classes),
        "reliability_uncalibrated": reliability_bins(labels, before, classes),
        "reliability_calibrated": reliability_bins(labels, after, classes),
        "labels_unchanged_by_temperature": True,
        "thresholds": calibration["thresholds"],
        "at_thresholds": coverage_report(labels, after, classes, Abstention(thresholds=calibration["thresholds"])),
        "at_min_confidence": {
            str(p): coverage_report(labels, after, classes, Abstention(min_confidence=p)) for p in MIN_CONFIDENCES
        },
    }
    return result


def shown(path: str) -> str:
    """A data path as the results name it: relative to the repository where it lies inside."""
    resolved = Path(path).resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else path


def row(name: str, result: dict) -> str:
    at = result["at_thresholds"]
    return (
        f"| {name} | {result['n']} | {result['temperature']:.3f} | {result['ece_uncalibrated']:.3f} "
        f"| **{result['ece_calibrated']:.3f}** | {at['coverage']:.3f} | **{at['precision']:.3f}** "
        f"| {at['macro_f1']:.3f} |"
    )


def confidence_rows(name: str, result: dict) -> list[str]:
    return [
        f"| {name} | {p} | {r['coverage']:.3f} | {r['precision']:.3f} | {r['macro_f1']:.3f} |"
        for p, r in result["at_min_confidence"].items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(BUNDLED))
    parser.add_argument("--news", default=str(ROOT / "datasets" / "news_test.csv"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--compare-with", default=None, help="an earlier model file whose news_test labels to compare")
    args = parser.parse_args()
    started = time.perf_counter()

    train_split = load_dataset(args.data, split="train")
    test_split = load_dataset(args.data, split="test")
    split_model = train(train_split).model
    classes = [str(c) for c in split_model.classes_]
    groups = train_split.targets
    values = out_of_fold_scores(split_model, train_split.texts, train_split.labels, groups=groups, n_jobs=args.jobs)
    how = {"folds": 5, "group_by": "target"}
    temperature = calibrate_on_scores(split_model, values, train_split.labels, **how)["temperature"]
    folds = fold_numbers(train_split.labels, groups=groups, folds=5)
    calibrated = scaled_probabilities(values, temperature)
    target, cross_fitted = target_for_precision(train_split.labels, calibrated, classes, folds, GOAL_PRECISION)
    cv = calibrate_on_scores(split_model, values, train_split.labels, target_precision=target, **how)
    test_values = split_model.decision_function(test_split.texts)
    held_out = measure(test_split.labels, test_values, classes, split_model.calibration_)
    held_out.update(cv=cv, target_precision=target, cross_fitted=cross_fitted)
    plain = choose_thresholds(train_split.labels, calibrated, classes, GOAL_PRECISION)[0]
    held_out["at_plain_target_thresholds"] = {
        "thresholds": plain,
        **coverage_report(
            test_split.labels, scaled_probabilities(test_values, temperature), classes, Abstention(thresholds=plain)
        ),
    }

    shipped = load_predictor(default_model_path())
    news = load_dataset(args.news)
    news_values = shipped.decision_function(news.texts)
    news_result = measure(news.labels, news_values, list(shipped.model.classes), shipped.model.calibration)
    comparison = None
    if args.compare_with:
        old = load_predictor(args.compare_with).predict(news.texts).tolist()
        new = shipped.predict(news.texts).tolist()
        comparison = {
            "file": Path(args.compare_with).name,
            "same": sum(a == b for a, b in zip(old, new)),
            "n": len(new),
        }

    reliability_diagram(
        {
            f"test split, uncalibrated (ECE {held_out['ece_uncalibrated']:.3f})": held_out["reliability_uncalibrated"],
            f"test split, T={held_out['temperature']:.2f} (ECE {held_out['ece_calibrated']:.3f})": held_out[
                "reliability_calibrated"
            ],
            f"news_test, uncalibrated (ECE {news_result['ece_uncalibrated']:.3f})": news_result[
                "reliability_uncalibrated"
            ],
            f"news_test, T={news_result['temperature']:.2f} (ECE {news_result['ece_calibrated']:.3f})": news_result[
                "reliability_calibrated"
            ],
        },
        RESULTS / "calibration.png",
        title="Default model: reliability (top label, 15 equal-width bins)",
    )
    plain_row = held_out["at_plain_target_thresholds"]
    news_target = shipped.model.calibration["target_precision"]
    lines = [
        "# Calibrated confidence and abstention: the default model",
        "",
        f"Data: `{shown(args.data)}` (`train` split {len(train_split)} statements, topic-held-out `test` split "
        f"{len(test_split)}) and `{shown(args.news)}` ({len(news)} statements, measured only). Machine: {machine()}.",
        "",
        f"ECE is the top-label expected calibration error over {DEFAULT_BINS} equal-width bins of the highest "
        "probability (0 is perfect). Abstention: a statement is answered only when its highest probability reaches "
        "its label's stored threshold (chosen for precision "
        f"P on out-of-fold predictions of the training data, P the lowest target from {GOAL_PRECISION} up whose "
        f"thresholds reach {GOAL_PRECISION} on held-out folds of targets); coverage is the share answered, "
        "precision the share of answers that are right, macro-F1 over the answered statements.",
        "",
        "| model, data | statements | T | ECE before | ECE after | coverage | precision | macro-F1 answered |",
        "|---|---|---|---|---|---|---|---|",
        row("default recipe trained and calibrated on `train`, scored on the topic-held-out `test` split", held_out),
        row("shipped model (all rows) on `news_test.csv`", news_result),
        "",
        f"On the `train` split's 5 folds of whole targets (where the temperature and thresholds were fitted): "
        f"log loss {cv['cv_log_loss'][0]:.3f} -> {cv['cv_log_loss'][1]:.3f}, ECE {cv['cv_ece'][0]:.3f} -> "
        f"{cv['cv_ece'][1]:.3f}. Target precision chosen there: {target} (cross-fitted precision on held-out "
        "folds per candidate: "
        + ", ".join(f"{row['target_precision']} -> {row['precision']:.3f}" for row in cross_fitted)
        + f"); at it the folds' own coverage is {cv['cv_coverage']:.3f} at precision {cv['cv_precision']:.3f}. "
        f"The shipped model's target, chosen the same way on all rows: {news_target}.",
        "",
        f"With a plain target of {GOAL_PRECISION} instead (thresholds chosen on the folds for exactly that "
        f"precision), the `test` split gets coverage {plain_row['coverage']:.3f} at precision "
        f"{plain_row['precision']:.3f}: thresholds reach less on new targets than on the folds they were chosen on.",
        "",
        "Thresholds (`train` split model): "
        + ", ".join(f"{k} >= {v:.3f}" if v is not None else f"{k}: never" for k, v in held_out["thresholds"].items())
        + ". Shipped model: "
        + ", ".join(f"{k} >= {v:.3f}" if v is not None else f"{k}: never" for k, v in news_result["thresholds"].items())
        + ".",
        "",
        "Per label at the thresholds, `test` split: "
        + ", ".join(
            f"{k} {v['answered']} answered, precision {v['precision']:.3f}"
            for k, v in held_out["at_thresholds"]["per_label"].items()
            if v["precision"] is not None
        )
        + ".",
        "",
        "A single `--min-confidence P` instead (calibrated probabilities):",
        "",
        "| data | P | coverage | precision | macro-F1 answered |",
        "|---|---|---|---|---|",
        *confidence_rows("`test` split", held_out),
        *confidence_rows("`news_test.csv`", news_result),
        "",
        "Temperature scaling never changes the most probable label (checked on every statement above).",
    ]
    if comparison is not None:
        lines.append(
            f"The shipped model's labels on `news_test.csv` equal those of `{comparison['file']}` for "
            f"{comparison['same']} of {comparison['n']} statements."
        )
    lines += [
        "",
        "![reliability diagram](calibration.png)",
        "",
        f"Command: `python experiments/calibration.py --jobs {args.jobs}` ({time.perf_counter() - started:.0f} s on a "
        "shared, loaded machine).",
        "",
    ]
    write_results(
        "calibration",
        "\n".join(lines),
        {"machine": machine(), "test_split": held_out, "news_test": news_result, "news_labels_compared": comparison},
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
