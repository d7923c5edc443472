"""A synthetic labelled corpus for timing only: reproducible, Zipf-distributed, clearly fake.

Statements are 8-30 "words" drawn from a Zipf distribution over a 3,000-word vocabulary
(``w17``, ``w2048`` ...); 15% of each statement's words come from a label-specific
slice of the vocabulary, so a classifier can learn the labels but not perfectly. The text
means nothing: it exists to time training and prediction at any size, never to judge stance.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

LABELS = ("support", "oppose", "conditional")
VOCABULARY = 3_000
ZIPF_EXPONENT = 1.3
MARKED_SHARE = 0.15


def synthetic_statements(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """``n`` synthetic statements and their labels, the same for the same ``seed``."""
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, VOCABULARY + 1)
    weights = ranks**-ZIPF_EXPONENT
    weights /= weights.sum()
    lengths = rng.integers(8, 31, size=n)
    labels = rng.integers(0, len(LABELS), size=n)
    common = rng.choice(VOCABULARY, size=int(lengths.sum()), p=weights)
    # label-specific words: each label owns a band of mid-frequency ranks
    bands = [np.arange(200 + 400 * k, 200 + 400 * (k + 1)) for k in range(len(LABELS))]
    texts, seen, position = [], set(), 0
    for length, label in zip(lengths.tolist(), labels.tolist()):
        words = common[position : position + length]
        position += length
        text = None
        while text is None or text in seen:  # a text given two labels would be refused
            marked = rng.random(length) < MARKED_SHARE
            chosen = np.where(marked, rng.choice(bands[label], size=length), words)
            text = " ".join(f"w{w}" for w in chosen.tolist())
            words = rng.choice(VOCABULARY, size=length, p=weights)
        seen.add(text)
        texts.append(text)
    return texts, [LABELS[k] for k in labels.tolist()]


def write_corpus(path: Path, n: int, seed: int = 0) -> Path:
    """Write ``n`` synthetic statements as a text,label CSV."""
    texts, labels = synthetic_statements(n, seed)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows(zip(texts, labels))
    return path
