"""What to label next: the statements of an unlabelled pool a model is least sure about.

Four strategies rank the pool by the model's probabilities (Settles, *Active Learning
Literature Survey*, 2009, section 3.1):

``least-confidence``
    ``1 - max p``: the top label's probability is low.
``margin``
    ``1 - (p1 - p2)``: the two most likely labels are close.
``entropy``
    ``-sum p log p``: the probability is spread over many labels.
``diverse``
    entropy order, skipping a candidate whose TF-IDF vector (the model's own features) has a
    cosine above ``max_similarity`` with one already chosen, so a batch holds no ten
    near-copies of one sentence. When too few candidates pass, the skipped ones fill the
    batch in entropy order.

``random`` (a seeded shuffle) is the baseline they are measured against in
``experiments/active_learning.py``. Exact duplicates (same text and target) are suggested once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from stanceclf.errors import StanceError

STRATEGIES = ("least-confidence", "margin", "entropy", "diverse", "random")

# Two statements with cosine above this share most of their weighted n-grams: in the bundled
# corpus, rewordings of one sentence ("We will send troops" / "We will send troops soon").
DEFAULT_MAX_SIMILARITY = 0.5

# The diverse strategy computes features for this many times ``n`` of the most uncertain
# statements only, so a pool of any size costs about the same.
_DIVERSE_CANDIDATES_PER_PICK = 20


@dataclass
class Suggestion:
    """One statement worth labelling: where it is in the pool, and what the model thinks."""

    index: int
    text: str
    target: str | None
    label: str
    proba: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    line: int | None = None  # the pool file's line, when read from a file

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "index": self.index,
            "text": self.text,
            "target": self.target,
            "label": self.label,
            "score": round(self.score, 6),
            "proba": {name: round(value, 6) for name, value in self.proba.items()},
        }


def uncertainty(proba: np.ndarray, strategy: str) -> np.ndarray:
    """How unsure the model is about each row of ``proba`` (higher: more worth labelling).

    Parameters
    ----------
    proba : array of shape (n, n_labels)
        Probabilities, each row summing to 1.
    strategy : {"least-confidence", "margin", "entropy", "diverse"}
        ``diverse`` scores by entropy.

    Returns
    -------
    numpy.ndarray of shape (n,)

    Examples
    --------
    >>> p = np.array([[0.9, 0.05, 0.05], [0.4, 0.35, 0.25]])
    >>> uncertainty(p, "least-confidence").round(2).tolist()
    [0.1, 0.6]
    >>> uncertainty(p, "margin").round(2).tolist()
    [0.15, 0.95]
    >>> bool(uncertainty(p, "entropy")[1] > uncertainty(p, "entropy")[0])
    True
    """
    proba = np.asarray(proba, dtype=np.float64)
    if proba.ndim != 2 or proba.shape[1] < 2:
        raise StanceError(f"expected probabilities of shape (n, n_labels >= 2), got {proba.shape}")
    if strategy == "least-confidence":
        return 1.0 - proba.max(axis=1)
    if strategy == "margin":
        top_two = np.sort(proba, axis=1)[:, -2:]
        return 1.0 - (top_two[:, 1] - top_two[:, 0])
    if strategy in ("entropy", "diverse"):
        return -(proba * np.log(np.clip(proba, 1e-12, 1.0))).sum(axis=1)
    raise StanceError(f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}")


def suggest(
    model,
    texts: Sequence,
    n: int = 50,
    *,
    strategy: str = "diverse",
    max_similarity: float = DEFAULT_MAX_SIMILARITY,
    exclude: Iterable[int] = (),
    random_state: int = 0,
) -> list[Suggestion]:
    """The ``n`` statements of ``texts`` that would teach ``model`` most, best first.

    Parameters
    ----------
    model : StanceClassifier or Predictor
        A fitted model (anything with ``predict_proba`` and ``classes_``; ``diverse`` also
        needs its features, which both provide).
    texts : sequence of str, or of (statement, target) pairs
        The unlabelled pool, in the form the model predicts from.
    n : int
        How many to return (fewer if the pool is smaller).
    strategy : str
        One of :data:`STRATEGIES`; see the module's documentation.
    max_similarity : float
        With ``diverse``: the highest cosine a pick may have with one chosen before it.
    exclude : iterable of int
        Positions in ``texts`` never to suggest (already labelled).
    random_state : int
        Seed of the ``random`` strategy.

    Returns
    -------
    list of Suggestion
        Each with its position in ``texts``, the model's guess, its probabilities and score.

    Raises
    ------
    StanceError
        An unknown strategy, ``n < 1`` or ``max_similarity`` outside [0, 1].

    Examples
    --------
    >>> from stanceclf import StanceClassifier
    >>> clf = StanceClassifier(char_ngram_range=None).fit(
    ...     ["We back it.", "We reject it.", "We back it fully.", "We reject it flatly."],
    ...     ["support", "oppose", "support", "oppose"])
    >>> pool = ["We back it.", "We back it.", "It is raining.", "We reject it."]
    >>> picks = suggest(clf, pool, n=2, strategy="entropy")
    >>> [pick.index for pick in picks]
    [2, 0]
    """
    if strategy not in STRATEGIES:
        raise StanceError(f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}")
    if n < 1:
        raise StanceError(f"n must be 1 or more, got {n}")
    if not 0.0 <= max_similarity <= 1.0:
        raise StanceError(f"max_similarity must be between 0 and 1, got {max_similarity}")
    texts = list(texts)
    excluded = set(exclude)
    seen: set = set()
    positions = []
    for index, item in enumerate(texts):
        key = tuple(item) if isinstance(item, (tuple, list)) else item
        if index not in excluded and key not in seen:
            seen.add(key)
            positions.append(index)
    if not positions:
        return []
    pool = [texts[i] for i in positions]
    proba = np.asarray(model.predict_proba(pool), dtype=np.float64)
    if strategy == "random":
        order = np.random.default_rng(random_state).permutation(len(pool))
        scores = np.zeros(len(pool))
    else:
        scores = uncertainty(proba, strategy)
        order = np.argsort(-scores, kind="stable")
    if strategy == "diverse":
        order = _diverse(model, pool, order, n, max_similarity)
    classes = [str(label) for label in model.classes_]
    picks = []
    for k in order[:n]:
        text, target = pool[k] if isinstance(pool[k], (tuple, list)) else (pool[k], None)
        row = proba[k]
        picks.append(
            Suggestion(
                index=positions[k],
                text=text,
                target=target,
                label=classes[int(row.argmax())],
                proba={label: float(value) for label, value in zip(classes, row)},
                score=float(scores[k]),
            )
        )
    return picks


def _diverse(model, pool: list, order: np.ndarray, n: int, max_similarity: float) -> np.ndarray:
    """``order`` greedily thinned: a candidate too similar to an earlier pick waits at the end."""
    candidates = order[: n * _DIVERSE_CANDIDATES_PER_PICK]
    vectors = _unit_rows(model, [pool[k] for k in candidates])
    chosen: list[int] = []
    waiting: list[int] = []
    for position, vector in enumerate(vectors):
        if len(chosen) < n and all(_cosine(vector, vectors[j]) <= max_similarity for j in chosen):
            chosen.append(position)
        else:
            waiting.append(position)
    kept = [int(candidates[p]) for p in chosen + waiting]
    return np.array(kept + [int(k) for k in order[len(candidates) :]], dtype=np.int64)


def _unit_rows(model, texts: list) -> list[dict[int, float]]:
    """Each text's feature vector in the model's TF-IDF space, l2-normalised, as {column: value}."""
    if hasattr(model, "transform"):  # the scikit-learn estimator
        matrix = model.transform(texts).tocoo()
        rows, cols, values = matrix.row, matrix.col, matrix.data
    else:  # the numpy predictor
        rows, cols, values = model._features(texts)
    vectors: list[dict[int, float]] = [{} for _ in texts]
    for row, col, value in zip(rows.tolist(), cols.tolist(), values.tolist()):
        vectors[row][col] = vectors[row].get(col, 0.0) + value
    for vector in vectors:
        norm = sum(value * value for value in vector.values()) ** 0.5
        if norm > 0:
            for col in vector:
                vector[col] /= norm
    return vectors


def _cosine(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b.get(col, 0.0) for col, value in a.items())
