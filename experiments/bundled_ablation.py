"""Ablation and learning curve on the bundled corpus's topic-held-out split.

    python experiments/bundled_ablation.py

Every model is trained on the ``train`` split of ``datasets/stance.csv`` and scored (macro-F1)
on the ``test`` split, whose 18 targets never occur in training. The ablation changes one
parameter of the defaults at a time; the learning curve trains the defaults on growing random
shares of the training split (three seeds each). Writes experiments/results/bundled_ablation.md
and .json, and bundled_learning_curve.png where matplotlib is installed.
"""

from __future__ import annotations

import numpy as np

from common import BUNDLED, RESULTS, machine, write_results
from stanceclf import StanceClassifier, load_dataset
from stanceclf.metrics import classification_report

VARIANTS = [
    ("defaults", {}),
    ("without negation marking", {"negation": False}),
    ("without negation marking in the character block", {"char_negation": False}),
    ("without character n-grams", {"char_ngram_range": None}),
    ("without word n-grams (characters only)", {"word_ngram_range": None}),
    ("word unigrams only (with characters)", {"word_ngram_range": (1, 1)}),
    ("word 1-3-grams", {"word_ngram_range": (1, 3)}),
    ("character 2-5-grams", {"char_ngram_range": (2, 5)}),
    ("without sublinear tf", {"sublinear_tf": False}),
    ("without class weights", {"class_weight": None}),
    ("C = 1", {"C": 1.0}),
    ("C = 30 (the default of round one)", {"C": 30.0}),
    ("C = 100", {"C": 100.0}),
    ("global model with target-conjoined features", {"target_mode": "conjoined"}),
]
SHARES = (0.1, 0.2, 0.3, 0.5, 0.7, 1.0)
SEEDS = (0, 1, 2)


def score(params: dict, train, test, rows=None) -> float:
    uses_targets = params.get("target_mode", "none") != "none"
    texts, labels = train.inputs(uses_targets), train.labels
    if rows is not None:
        texts, labels = [texts[i] for i in rows], [labels[i] for i in rows]
    model = StanceClassifier(**params).fit(texts, labels)
    predicted = [str(p) for p in model.predict(test.inputs(uses_targets))]
    return classification_report(test.labels, predicted)["macro_f1"]


def main() -> None:
    train = load_dataset(BUNDLED, split="train")
    test = load_dataset(BUNDLED, split="test")
    ablation = [(name, params, score(params, train, test)) for name, params in VARIANTS]
    base = ablation[0][2]

    curve = []
    for share in SHARES:
        scores = []
        for seed in SEEDS:
            rng = np.random.default_rng(seed)
            size = max(30, round(share * len(train)))
            rows = np.sort(rng.choice(len(train), size=size, replace=False)) if share < 1 else None
            scores.append(score({}, train, test, rows))
            if share == 1:
                break  # the whole split is the same sample for every seed
        curve.append({"share": share, "statements": round(share * len(train)), "macro_f1": scores})

    lines = [
        "# Ablation and learning curve on the bundled corpus (topic-held-out split)",
        "",
        f"Train: `datasets/stance.csv` split `train` ({len(train)} statements, {len(set(train.targets))} targets); "
        f"test: split `test` ({len(test)} statements, {len(set(test.targets))} targets never seen in training). "
        "Score: macro-F1 on the test split.",
        f"Machine: {machine()}.",
        "",
        "| setting (one change to the defaults) | macro-F1 | change |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {value:.3f} | {value - base:+.3f} |" for name, _, value in ablation]
    lines += [
        "",
        "Target-conjoined features cannot help here by design: no test target occurs in training. "
        "One model per target is left out for the same reason (it would predict priors only).",
        "",
        "Learning curve (defaults; random shares of the training split, seeds 0-2):",
        "",
        "| share | statements | macro-F1 (mean) | min | max |",
        "|---|---|---|---|---|",
    ]
    for point in curve:
        values = point["macro_f1"]
        low, high = min(values), max(values)
        lines.append(
            f"| {point['share']:.0%} | {point['statements']} | {np.mean(values):.3f} | {low:.3f} | {high:.3f} |"
        )
    plot = plot_curve(curve)
    if plot:
        lines += ["", f"![learning curve]({plot.name})"]
    lines += ["", "Command: `python experiments/bundled_ablation.py`", ""]
    write_results(
        "bundled_ablation",
        "\n".join(lines),
        {
            "machine": machine(),
            "ablation": [
                {
                    "setting": n,
                    "params": {k: list(v) if isinstance(v, tuple) else v for k, v in p.items()},
                    "macro_f1": v,
                }
                for n, p, v in ablation
            ],
            "learning_curve": curve,
        },
    )
    print("\n".join(lines))


def plot_curve(curve: list[dict]):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (pip install -e '.[plot]')")
        return None
    sizes = [point["statements"] for point in curve]
    means = [np.mean(point["macro_f1"]) for point in curve]
    lows = [min(point["macro_f1"]) for point in curve]
    highs = [max(point["macro_f1"]) for point in curve]
    figure, axes = plt.subplots(figsize=(6, 4))
    axes.plot(sizes, means, marker="o", label="defaults, mean of 3 samples")
    axes.fill_between(sizes, lows, highs, alpha=0.2, label="min-max")
    axes.set_xlabel("training statements (train split)")
    axes.set_ylabel("macro-F1 on the topic-held-out test split")
    axes.set_title("stanceclf on its bundled corpus")
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right")
    figure.tight_layout()
    path = RESULTS / "bundled_learning_curve.png"
    figure.savefig(path, dpi=120)
    return path


if __name__ == "__main__":
    main()
