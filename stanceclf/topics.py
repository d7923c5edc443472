"""Stance, not topic: how much a corpus lets topic vocabulary carry the label.

A model trained on a few proposals can score well by learning which words go with which
proposal ("runway", "Ukraine") and which label each proposal mostly gets. These tools measure
that risk and offer one remedy:

- :func:`label_balance` - each target's label counts;
- :func:`topic_only_baseline` - cross-validated macro-F1 of models that see only the target,
  or only the statement's topic words; near chance means the labels are not guessable from
  topic alone;
- :func:`unstable_features` - words whose label leans one way in some targets and another way
  in others;
- :func:`stability_weights` - per-feature weights in (0, 1] that shrink features whose label
  association is unstable across targets (``StanceClassifier(topic_shrinkage=...)``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import numpy as np
import scipy.sparse as sp

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
TOPIC_WORDS_PER_TARGET = 15  # the words most specific to a target, for the topic-words baseline


def label_balance(targets, labels) -> dict[str, dict[str, int]]:
    """``{target: {label: count}}``, targets and labels sorted."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for target, label in zip(targets, labels, strict=True):
        counts[target][label] += 1
    return {target: dict(sorted(counts[target].items())) for target in sorted(counts)}


def topic_words(texts, targets, per_target: int = TOPIC_WORDS_PER_TARGET) -> dict[str, set[str]]:
    """For each target, the words of its name and the words most specific to its statements.

    Specificity is the share of a word's statements that lie in the target, times the log of
    how many they are (so that one-off words do not win), among words in at least 3 statements.
    """
    in_target: dict[str, Counter] = defaultdict(Counter)
    overall: Counter = Counter()
    for text, target in zip(texts, targets, strict=True):
        words = set(_WORD.findall(text.lower()))
        in_target[target].update(words)
        overall.update(words)
    result = {}
    for target, counts in in_target.items():
        scored = sorted(
            ((n / overall[w]) * np.log(n), w) for w, n in counts.items() if n >= 3 and n / overall[w] >= 0.5
        )
        named = set(_WORD.findall(target.lower()))
        result[target] = named | {w for _, w in scored[-per_target:]}
    return result


def topic_only_baseline(texts, targets, labels, *, folds: int = 5, seed: int = 0) -> dict[str, float]:
    """Cross-validated macro-F1 of two models that see topic only, beside the chance level.

    ``target_only``: a logistic regression on the target alone (it can learn only each
    target's label balance). ``topic_words``: a logistic regression on the statement's topic
    words alone (the words of :func:`topic_words`, chosen on each training fold). Both are
    scored by stratified ``folds``-fold CV; ``chance`` is the macro-F1 of always answering by
    the label proportions (expected value).
    """
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold
    from sklearn.preprocessing import OneHotEncoder

    texts, targets, labels = list(texts), np.asarray(targets, dtype=object), np.asarray(labels, dtype=object)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    predicted = {"target_only": np.empty(len(labels), dtype=object), "topic_words": np.empty(len(labels), dtype=object)}
    for train, test in splitter.split(texts, labels):
        encoder = OneHotEncoder(handle_unknown="ignore").fit(targets[train].reshape(-1, 1))
        model = LogisticRegression(max_iter=1000, class_weight="balanced")
        model.fit(encoder.transform(targets[train].reshape(-1, 1)), labels[train])
        predicted["target_only"][test] = model.predict(encoder.transform(targets[test].reshape(-1, 1)))
        vocabulary = sorted(set().union(*topic_words([texts[i] for i in train], targets[train]).values()))
        counter = CountVectorizer(vocabulary=vocabulary, token_pattern=_WORD.pattern, binary=True)
        model = LogisticRegression(max_iter=1000, class_weight="balanced")
        model.fit(counter.transform([texts[i] for i in train]), labels[train])
        predicted["topic_words"][test] = model.predict(counter.transform([texts[i] for i in test]))
    shares = np.array(list(Counter(labels.tolist()).values())) / len(labels)
    scores = {name: float(f1_score(labels, guess, average="macro")) for name, guess in predicted.items()}
    scores["chance"] = float(np.mean(shares))  # F1 of label k under random guessing by the priors is its share
    return scores


def unstable_features(texts, targets, labels, *, min_count: int = 4, min_share: float = 0.6, top: int = 30):
    """Words whose majority label differs from target to target.

    A word counts in a target where it occurs in at least ``min_count`` statements and one
    label holds at least ``min_share`` of them. Returns ``[(word, {target: (label, share, n)})]``
    for words with two or more different majority labels, most frequent first.
    """
    seen: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for text, target, label in zip(texts, targets, labels, strict=True):
        for word in set(_WORD.findall(text.lower())):
            seen[word][target][label] += 1
    flips = []
    for word, per_target in seen.items():
        leaning = {}
        for target, counts in per_target.items():
            n = sum(counts.values())
            label, count = counts.most_common(1)[0]
            if n >= min_count and count / n >= min_share:
                leaning[target] = (label, round(count / n, 2), n)
        if len({label for label, _, _ in leaning.values()}) >= 2:
            flips.append((sum(n for _, _, n in leaning.values()), word, leaning))
    flips.sort(key=lambda item: (-item[0], item[1]))
    return [(word, leaning) for _, word, leaning in flips[:top]]


def stability_weights(matrix, label_codes, target_codes, shrinkage: float, prior: float = 2.0) -> np.ndarray:
    """A weight in (0, 1] per column of ``matrix``: ``1 / (1 + shrinkage * instability)``.

    ``instability`` is the occurrence-weighted mean total-variation distance between a feature's
    label distribution within each target and its label distribution over all targets (each
    within-target distribution smoothed towards the pooled one with ``prior`` pseudo-counts, so
    that a feature seen twice in a target is not called unstable). 0 means the feature leans
    the same way wherever it occurs; values near 1 mean it leans differently per target.
    """
    presence = sp.csr_matrix(matrix, copy=True)
    presence.data[:] = 1.0
    n_labels = int(label_codes.max()) + 1
    onehot = np.eye(n_labels)[label_codes]
    pooled = np.asarray(presence.T @ onehot)  # features x labels
    pooled_share = pooled / np.maximum(pooled.sum(axis=1, keepdims=True), 1.0)
    distance = np.zeros(presence.shape[1])
    for target in np.unique(target_codes):
        rows = np.flatnonzero(target_codes == target)
        counts = np.asarray(presence[rows].T @ onehot[rows])
        n = counts.sum(axis=1, keepdims=True)
        share = (counts + prior * pooled_share) / (n + prior)
        distance += n[:, 0] * 0.5 * np.abs(share - pooled_share).sum(axis=1)
    occurrences = pooled.sum(axis=1)
    instability = np.divide(distance, occurrences, out=np.zeros_like(distance), where=occurrences > 0)
    return 1.0 / (1.0 + shrinkage * instability)


def topic_report(texts, targets, labels, *, folds: int = 5, top: int = 15) -> dict:
    """Everything ``stanceclf data audit`` says about topic: balance, baselines, unstable words."""
    return {
        "label_balance": label_balance(targets, labels),
        "topic_only_baseline": topic_only_baseline(texts, targets, labels, folds=folds),
        "unstable_features": [
            {"feature": word, "by_target": {t: list(v) for t, v in leaning.items()}}
            for word, leaning in unstable_features(texts, targets, labels, top=top)
        ],
    }


def format_topic_report(report: dict) -> str:
    """:func:`topic_report` as text for the terminal."""
    balance = report["label_balance"]
    labels = sorted({label for counts in balance.values() for label in counts})
    width = min(max(len(t) for t in balance), 60)
    lines = ["label balance per target (share of the target's rows)"]
    lines.append(f"  {'target':<{width}}  {'n':>5}  " + "  ".join(f"{label:>11}" for label in labels))
    for target, counts in balance.items():
        n = sum(counts.values())
        shares = "  ".join(f"{counts.get(label, 0) / n:>11.0%}" for label in labels)
        lines.append(f"  {target[:width]:<{width}}  {n:>5}  {shares}")
    base = report["topic_only_baseline"]
    lines += [
        "",
        "topic-only baselines (stratified CV macro-F1; near chance means topic alone does not give the label away)",
        f"  target only          {base['target_only']:.3f}",
        f"  topic words only     {base['topic_words']:.3f}",
        f"  chance               {base['chance']:.3f}",
        "",
        "words whose majority label flips between targets (label share, statements)",
    ]
    for item in report["unstable_features"]:
        leaning = "; ".join(
            f"{t[:30]}: {label} {share:.0%} of {n}" for t, (label, share, n) in item["by_target"].items()
        )
        lines.append(f"  {item['feature']:<14} {leaning}")
    return "\n".join(lines)
