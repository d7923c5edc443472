"""Prediction from a model file with numpy alone: the fast, cold path.

:class:`Predictor` computes exactly what the scikit-learn estimator computes (TF-IDF with the
same analyzers, l2 norm per feature block, multinomial or binary logistic regression) without
importing scikit-learn or scipy, so ``stanceclf predict`` starts in a fraction of the time.
Tests hold its probabilities equal to :class:`stanceclf.StanceClassifier`'s to 1e-9.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from stanceclf.features import Analyzer
from stanceclf.persist import ModelData, load_model_data


class Predictor:
    """Predicts stances from a :class:`~stanceclf.persist.ModelData`.

    Examples
    --------
    >>> predictor = load_predictor("model.stance")  # doctest: +SKIP
    >>> predictor.predict(["We back the plan."])  # doctest: +SKIP
    array(['support'], dtype='<U11')
    """

    def __init__(self, model: ModelData):
        self.model = model
        self.classes_ = np.array(model.classes)
        self._analyzers = [Analyzer.from_dict(block.analyzer) for block in model.blocks]
        self._vocabularies = None  # feature -> column dicts, built on the first large batch
        offsets = np.cumsum([0] + [len(block.features) for block in model.blocks])
        self._offsets = offsets[:-1].tolist()
        self._coef_t = np.ascontiguousarray(model.coef.T)
        self._intercept = model.intercept

    @property
    def uses_targets(self) -> bool:
        """True when the model was trained on (statement, target) pairs."""
        return self.model.params.get("target_mode", "none") != "none"

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Raw class scores, shape ``(n, n_classes)`` (``(n,)`` for a two-label model)."""
        rows, cols, values = self._features(texts)
        scores = np.zeros((len(texts), self._coef_t.shape[1]))
        if len(cols):
            contributions = self._coef_t[cols] * values[:, None]
            starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
            scores[rows[starts]] = np.add.reduceat(contributions, starts, axis=0)
        scores += self._intercept
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each label (columns in the order of ``classes_``)."""
        scores = self.decision_function(texts)
        if scores.ndim == 1:
            positive = 1.0 / (1.0 + np.exp(-scores))
            return np.column_stack([1.0 - positive, positive])
        scores = scores - scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The most probable label of each statement."""
        scores = self.decision_function(texts)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[scores.argmax(axis=1)]

    def explain(self, text, top: int = 5) -> dict[str, list[tuple[str, float]]]:
        """The features that pushed each label most, with their contributions to its score.

        A contribution is the feature's TF-IDF value times the label's coefficient; for a
        two-label model the first label's contributions are the negated second's.
        """
        rows, cols, values = self._features([text])
        names = self._feature_names(cols)
        contributions = self._coef_t[cols] * values[:, None]
        if contributions.shape[1] == 1:
            contributions = np.hstack([-contributions, contributions])
        explanation = {}
        for k, label in enumerate(self.model.classes):
            order = np.argsort(-contributions[:, k], kind="stable")[:top]
            explanation[label] = [(names[i], float(contributions[i, k])) for i in order if contributions[i, k] > 0]
        return explanation

    def _feature_names(self, cols: np.ndarray) -> list[str]:
        names = []
        for col in cols.tolist():
            block = max(b for b, start in enumerate(self._offsets) if start <= col)
            spec = self.model.blocks[block]
            feature = spec.features[col - self._offsets[block]]
            # character n-grams carry meaningful spaces at word edges: show them quoted
            names.append(f'{spec.name}:"{feature}"' if spec.analyzer["kind"] == "char" else f"{spec.name}:{feature}")
        return names

    def _lookups(self, batch_size: int) -> list:
        """Feature -> column look-ups: dicts for batches, bisection for a few statements.

        Building the dicts costs more than a cold single prediction takes in total, so a
        one-off ``stanceclf predict "..."`` searches the sorted vocabulary instead.
        """
        if self._vocabularies is None and batch_size > _BISECT_UP_TO:
            self._vocabularies = [{f: i for i, f in enumerate(block.features)} for block in self.model.blocks]
        if self._vocabularies is not None:
            return self._vocabularies
        return [_SortedVocabulary(block.features) for block in self.model.blocks]

    def _features(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """TF-IDF features of each text as coordinate arrays (row, column, value), rows sorted."""
        rows, cols, values = [], [], []
        lookups = self._lookups(len(texts))
        for row, text in enumerate(texts):
            for analyzer, vocabulary, offset, block in zip(self._analyzers, lookups, self._offsets, self.model.blocks):
                counts = Counter(f for f in analyzer(text) if f in vocabulary)
                if not counts:
                    continue
                index = np.fromiter((vocabulary[f] for f in counts), dtype=np.intp, count=len(counts))
                tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
                if block.sublinear_tf:
                    tf = np.log(tf) + 1.0
                weights = tf * block.idf[index]
                weights *= block.weight / np.sqrt(np.dot(weights, weights))
                rows.append(np.full(len(index), row, dtype=np.intp))
                cols.append(index + offset)
                values.append(weights)
        if not rows:
            empty = np.zeros(0, dtype=np.intp)
            return empty, empty, np.zeros(0)
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(values)


_BISECT_UP_TO = 16


class _SortedVocabulary:
    """``in`` and ``[]`` over a sorted feature list by bisection, without building a dict."""

    def __init__(self, features: list[str]):
        self._features = features

    def __contains__(self, feature: str) -> bool:
        i = bisect_left(self._features, feature)
        return i < len(self._features) and self._features[i] == feature

    def __getitem__(self, feature: str) -> int:
        return bisect_left(self._features, feature)


def load_predictor(path: str | Path) -> Predictor:
    """Load a model file for numpy-only prediction (see :func:`stanceclf.persist.load_model_data`)."""
    return Predictor(load_model_data(path))
