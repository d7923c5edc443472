"""Describe the bundled corpus: counts per label, split and target, hard cases, cue words.

    python experiments/corpus_stats.py

Writes experiments/results/corpus_stats.md and .json; the datasheet (datasets/README.md)
quotes them.
"""

from __future__ import annotations

import csv
import re
from collections import Counter

from common import BUNDLED, ROOT, write_results
from stanceclf import load_dataset

PHENOMENA = ROOT / "datasets" / "stance_phenomena.csv"
LABELS = ("support", "oppose", "conditional", "none")
CUES = ("if", "only", "not", "never", "unless", "provided", "once", "as long as")
# the verbs of news reporting (issue: the corpus grows into news prose)
REPORTING = (
    "opposed", "rejected", "dismissed", "ruled out", "refused", "warned against", "condemned",
    "backed", "endorsed", "welcomed", "pledged", "insisted on", "said", "support", "vote for",
)  # fmt: skip


def main() -> None:
    data = load_dataset(BUNDLED)
    with BUNDLED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with PHENOMENA.open(encoding="utf-8", newline="") as handle:
        phenomenon = {row["id"]: row["phenomenon"] for row in csv.DictReader(handle)}
    missing = [row["id"] for row in rows if row["id"] not in phenomenon]
    if missing:
        raise SystemExit(f"{PHENOMENA}: no phenomenon for ids {missing[:5]}")
    labels = Counter(row["label"] for row in rows)
    hard = Counter(row["label"] for row in rows if phenomenon[row["id"]] != "plain")
    plain_stance = sum(1 for row in rows if row["label"] != "none" and phenomenon[row["id"]] == "plain")
    stance_rows = sum(1 for row in rows if row["label"] != "none")
    by_phenomenon = Counter((phenomenon[row["id"]], row["label"]) for row in rows)
    splits = Counter((row["split"], row["label"]) for row in rows)
    cue_counts = {
        cue: Counter(row["label"] for row in rows if re.search(rf"\b{re.escape(cue)}\b", row["text"], re.IGNORECASE))
        for cue in CUES + REPORTING
    }
    lengths = sorted(len(re.findall(r"\w+", row["text"])) for row in rows)
    lines = [
        "# The bundled corpus in numbers",
        "",
        f"`datasets/stance.csv`: {len(rows)} statements, {len(set(data.targets))} targets, "
        f"sha256 `{data.sha256[:16]}…`. Words per statement: min {lengths[0]}, "
        f"median {lengths[len(lengths) // 2]}, max {lengths[-1]}.",
        "",
        f"Stance statements tagged `plain` (direct, no hard-case phenomenon): {plain_stance} of {stance_rows} "
        f"({plain_stance / stance_rows:.0%}). For `none`, the tag names the kind of no-stance sentence instead.",
        "",
        "| label | statements | train | test | tagged other than plain | share |",
        "|---|---|---|---|---|---|",
    ]
    for label in LABELS:
        lines.append(
            f"| {label} | {labels[label]} | {splits[('train', label)]} | {splits[('test', label)]} "
            f"| {hard[label]} | {hard[label] / labels[label]:.0%} |"
        )
    lines += ["", "Phenomena (as tagged by the writer of each statement):", ""]
    lines += ["| phenomenon | " + " | ".join(LABELS) + " | all |", "|---|---|---|---|---|---|"]
    for name in sorted({p for p, _ in by_phenomenon}, key=lambda p: -sum(by_phenomenon[(p, y)] for y in LABELS)):
        counts = [by_phenomenon[(name, label)] for label in LABELS]
        lines.append(f"| {name} | " + " | ".join(map(str, counts)) + f" | {sum(counts)} |")
    lines += ["", "Statements containing each cue word or reporting verb, by label (whole words, any case):", ""]
    lines += ["| cue | " + " | ".join(LABELS) + " |", "|---|---|---|---|---|"]
    for cue, counts in cue_counts.items():
        lines.append(f"| {cue} | " + " | ".join(str(counts[label]) for label in LABELS) + " |")
    targets = Counter((row["target"], row["split"]) for row in rows)
    per_target = Counter((row["target"], row["label"]) for row in rows)
    lines += ["", "| target | split | statements | " + " | ".join(LABELS) + " |", "|---|---|---|---|---|---|---|"]
    for (target, split), count in sorted(targets.items(), key=lambda item: (item[0][1], item[0][0])):
        by_label = " | ".join(str(per_target[(target, label)]) for label in LABELS)
        lines.append(f"| {target} | {split} | {count} | {by_label} |")
    lines += ["", "Command: `python experiments/corpus_stats.py`", ""]
    write_results(
        "corpus_stats",
        "\n".join(lines),
        {
            "rows": len(rows),
            "labels": dict(labels),
            "hard_cases": dict(hard),
            "phenomena": {f"{p}/{y}": n for (p, y), n in by_phenomenon.items()},
            "cue_words": {cue: dict(c) for cue, c in cue_counts.items()},
            "targets": {f"{t} ({s})": n for (t, s), n in targets.items()},
        },
    )


if __name__ == "__main__":
    main()
