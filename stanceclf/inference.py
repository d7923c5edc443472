"""Prediction from a model file with numpy alone: the fast, cold path.

:class:`Predictor` computes exactly what the scikit-learn estimator computes (TF-IDF with the
same analyzers, l2 norm per feature block, multinomial or binary logistic regression) without
importing scikit-learn or scipy, so ``stanceclf predict`` starts in a fraction of the time.
Tests hold its probabilities equal to :class:`stanceclf.StanceClassifier`'s to 1e-9.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from stanceclf.data import frame_documents, is_frame
from stanceclf.features import BucketCache, split_document
from stanceclf.occurrences import (
    CharNgramTable,
    WordNgramTable,
    count_features,
    feature_occurrences,
    has_table,
    ngram_table,
)
from stanceclf.persist import ModelData, load_model_data
from stanceclf.target_features import analyzer_from_dict


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
        self._analyzers = [analyzer_from_dict(block.analyzer) for block in model.blocks]
        self._vocabularies: list | None = None  # feature -> column look-ups, built on the first large batch
        self._tables: list[CharNgramTable | WordNgramTable | None] = []  # per block with them: word -> n-gram columns
        offsets = np.cumsum([0] + [block.width for block in model.blocks])
        self._buckets = [BucketCache(block.n_buckets) if block.n_buckets else None for block in model.blocks]
        self._offsets = offsets[:-1].tolist()
        self._coef = np.ascontiguousarray(model.coef)  # (classes, features): a row per class, no transposed copy
        self._intercept = model.intercept
        self.temperature = (model.calibration or {}).get("temperature", 1.0)  # stanceclf.calibration

    @property
    def uses_targets(self) -> bool:
        """True when the model was trained on (statement, target) pairs."""
        return self.model.params.get("target_mode", "none") != "none"

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Raw class scores, shape ``(n, n_classes)`` (``(n,)`` for a two-label model)."""
        if is_frame(texts):
            texts = frame_documents(texts)
        n_classes = self._coef.shape[0]
        scores = np.empty((len(texts), n_classes))
        for start in range(0, len(texts), _CHUNK):  # bounded temporaries, whatever the number of texts
            part = texts[start : start + _CHUNK]
            rows, cols, values = self._features(part)
            for k in range(n_classes):
                scores[start : start + len(part), k] = np.bincount(
                    rows, weights=values * self._coef[k, cols], minlength=len(part)
                )
        scores += self._intercept
        return scores[:, 0] if n_classes == 1 else scores

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each label (columns in the order of ``classes_``), calibrated if the model is."""
        scores = self.decision_function(texts)
        if self.temperature != 1.0:
            from stanceclf.calibration import scaled_probabilities

            return scaled_probabilities(scores, self.temperature)
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
        names = self._feature_names(cols, text)
        contributions = self._coef[:, cols].T * values[:, None]
        if contributions.shape[1] == 1:
            contributions = np.hstack([-contributions, contributions])
        explanation = {}
        for k, label in enumerate(self.model.classes):
            order = np.argsort(-contributions[:, k], kind="stable")[:top]
            explanation[label] = [(names[i], float(contributions[i, k])) for i in order if contributions[i, k] > 0]
        return explanation

    def explain_decision(self, text, top: int = 5) -> dict:
        """Why ``text`` got its label: every label's score, and the label against the runner-up.

        A label's score is its intercept plus the sum of its features' contributions (TF-IDF
        value times coefficient); the probabilities are the softmax of the scores, so the
        highest score wins. (For a two-label model the first label's score is fixed at 0 and
        the second's is the model's one decision value.) The decision is explained by the
        margin between the predicted label and the runner-up, split into the difference of
        their intercepts, the ``top`` features that moved it most in either direction, and
        the sum of all other features, so that the parts add up to the margin.

        Returns
        -------
        dict
            ``label``, ``versus`` (the runner-up), ``scores`` and ``intercepts`` (per label),
            ``margin``, ``intercept`` (its share of the margin), ``features`` (a list of
            ``(feature, contribution to the margin)``, largest magnitude first) and
            ``other_features`` (the rest of the margin); ``evidence``, the stretches of the text
            that drove the decision (:meth:`evidence`); and for a statement labelled
            ``conditional``, ``condition``: the condition clause (``start``, ``end``, ``text``,
            ``cue``, by the rule of :func:`stanceclf.conditions.find_condition`) or None.
        """
        _, cols, values = self._features([text])
        contributions = self._coef[:, cols].T * values[:, None]
        intercepts = np.asarray(self._intercept, dtype=np.float64)
        if contributions.shape[1] == 1:  # binary: scores (0, decision value)
            contributions = np.hstack([np.zeros_like(contributions), contributions])
            intercepts = np.array([0.0, float(intercepts[0])])
        scores = intercepts + contributions.sum(axis=0)
        order = np.argsort(-scores, kind="stable")
        best, second = int(order[0]), int(order[1])
        margin_parts = contributions[:, best] - contributions[:, second]
        strongest = np.argsort(-np.abs(margin_parts), kind="stable")[:top]
        shown = [i for i in strongest.tolist() if margin_parts[i] != 0]
        names = self._feature_names(cols[shown], text)
        labels = self.model.classes
        why = {
            "label": labels[best],
            "versus": labels[second],
            "scores": {label: float(score) for label, score in zip(labels, scores)},
            "intercepts": {label: float(value) for label, value in zip(labels, intercepts)},
            "margin": float(scores[best] - scores[second]),
            "intercept": float(intercepts[best] - intercepts[second]),
            "features": [(name, float(margin_parts[i])) for name, i in zip(names, shown)],
            "other_features": float(margin_parts.sum() - margin_parts[shown].sum()),
            "evidence": self.evidence(text),
        }
        if labels[best] == "conditional":
            from stanceclf.conditions import find_condition  # its patterns cost the cold path 6 ms

            condition = find_condition(split_document(text)[0])
            why["condition"] = condition.to_dict() if condition else None
        return why

    def evidence(self, text, max_spans: int | None = None) -> list[dict]:
        """The stretches of ``text`` that drove its decision, as character offsets.

        Every word and character n-gram's contribution (TF-IDF value times coefficient) is
        shared among the words it covers (see :mod:`stanceclf.evidence`); the strongest words
        are returned as merged spans with ``start``, ``end``, ``text`` (``text[start:end]``),
        ``label`` (the label they push towards) and ``weight``; at most ``max_spans`` of them
        (default :data:`stanceclf.evidence.MAX_SPANS`).

        Examples
        --------
        >>> from stanceclf.persist import default_model_path
        >>> predictor = load_predictor(default_model_path())
        >>> statement = "We oppose the new tax on fuel."
        >>> [s["text"] == statement[s["start"] : s["end"]] for s in predictor.evidence(statement)][:1]
        [True]
        """
        from stanceclf.evidence import MAX_SPANS, evidence_spans, feature_units, word_spans  # only for --explain

        statement, _ = split_document(text)
        _, cols, values = self._features([text])
        contribution = dict(zip(cols.tolist(), self._coef[:, cols].T * values[:, None]))
        n_labels = len(self.model.classes)
        spans = word_spans(statement, lowercase=all(a.lowercase for a in self._analyzers if a.kind != "target"))
        pushes = np.zeros((len(spans), n_labels))
        lookups = self._lookups(1)
        for index, analyzer in enumerate(self._analyzers):
            occurrences = feature_units(text, analyzer)
            columns = [self._column(index, lookups[index], feature) for feature, _ in occurrences]
            counts: dict[int, int] = {}
            for column in columns:
                counts[column] = counts.get(column, 0) + 1
            for column, (_, units) in zip(columns, occurrences):
                if column not in contribution or len(spans) <= max(units):
                    continue
                share = contribution[column] / (counts[column] * len(units))
                if n_labels == 2 and share.shape[0] == 1:  # binary: scores (0, decision value)
                    share = np.array([0.0, share[0]])
                pushes[list(units)] += share
        pushes -= pushes.mean(axis=1, keepdims=True)
        scores = self.decision_function([text])
        predicted = str(self.classes_[int(scores[0] > 0) if scores.ndim == 1 else int(scores[0].argmax())])
        labels = list(self.model.classes)
        limit = MAX_SPANS if max_spans is None else max_spans
        return evidence_spans(statement, spans, pushes.tolist(), labels, max_spans=limit, focus=predicted)

    def _column(self, block: int, lookup, feature: str) -> int:
        """The global column of ``feature`` in ``block``, or -1 where the model does not know it."""
        buckets = self._buckets[block]
        if buckets is not None:
            return self._offsets[block] + buckets[feature]
        if feature not in lookup:
            return -1
        return self._offsets[block] + lookup[feature]

    def _feature_names(self, cols: np.ndarray, text) -> list[str]:
        names = []
        in_bucket: dict[int, dict[int, list[str]]] = {}  # hashed block -> {bucket: the text's features in it}
        for col in cols.tolist():
            block = max(b for b, start in enumerate(self._offsets) if start <= col)
            spec = self.model.blocks[block]
            buckets = self._buckets[block]
            if buckets is not None:  # a hashed column: name it by the text's features that fell in it
                if block not in in_bucket:
                    in_bucket[block] = {}
                    for feature in sorted(set(self._analyzers[block](text))):
                        in_bucket[block].setdefault(buckets[feature], []).append(feature)
                feature = " | ".join(in_bucket[block][col - self._offsets[block]])
            else:
                feature = spec.features[col - self._offsets[block]]
            # character n-grams carry meaningful spaces at word edges: show them quoted
            names.append(f'{spec.name}:"{feature}"' if spec.analyzer["kind"] == "char" else f"{spec.name}:{feature}")
        return names

    def _lookups(self, batch_size: int) -> list:
        """Feature -> column look-ups: dicts for batches, bisection for a few statements.

        Building the dicts costs more than a cold single prediction takes in total, so a
        one-off ``stanceclf predict "..."`` searches the sorted vocabulary instead. A block read
        through an n-gram table looks up each distinct n-gram once, so it searches the sorted
        vocabulary too: no dictionary of the whole vocabulary (memory that grows with it).
        """
        if self._vocabularies is None and batch_size > _BISECT_UP_TO:
            self._vocabularies = [
                _SortedVocabulary(block.features)
                if has_table(analyzer)
                else dict(zip(block.features, range(block.width)))
                for analyzer, block in zip(self._analyzers, self.model.blocks)
            ]
            self._tables = [self._table(index, vocabulary) for index, vocabulary in enumerate(self._vocabularies)]
        if self._vocabularies is not None:
            return self._vocabularies
        return [_SortedVocabulary(block.features) for block in self.model.blocks]

    def _table(self, index: int, vocabulary) -> CharNgramTable | WordNgramTable | None:
        """Block ``index``'s n-gram table (:func:`stanceclf.occurrences.ngram_table`; None for target blocks)."""
        buckets = self._buckets[index]
        return ngram_table(self._analyzers[index], buckets.__getitem__ if buckets is not None else vocabulary.get)

    def _features(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """TF-IDF features of each text as coordinate arrays (row, column, value), by block then row.

        Every block's feature occurrences are gathered for the whole batch, then counted,
        weighted and normalised with numpy, so the Python work per statement is tokenising and
        dictionary look-ups only. Character n-grams are looked up once per distinct word
        (:class:`stanceclf.occurrences.CharNgramTable`, kept across batches).
        """
        n = len(texts)
        lookups = self._lookups(n)
        tables = self._tables if lookups is self._vocabularies else [None] * len(lookups)
        rows, cols, values = [], [], []
        for index, (analyzer, vocabulary, offset, block) in enumerate(
            zip(self._analyzers, lookups, self._offsets, self.model.blocks)
        ):
            table = tables[index]  # None for a few statements: not worth building
            buckets = self._buckets[index]
            if buckets is not None:
                occurrences = feature_occurrences(texts, analyzer, buckets.__getitem__, table)
            else:
                occurrences = feature_occurrences(texts, analyzer, vocabulary.get, table, missing=-1)
            indptr, block_cols, counts = count_features(*occurrences, n)
            if not len(block_cols):
                continue
            block_rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
            tf = counts.astype(np.float64)
            if block.sublinear_tf:
                np.log(tf, out=tf)
                tf += 1.0
            weights = tf * block.idf[block_cols]
            norms = np.sqrt(np.bincount(block_rows, weights=weights * weights, minlength=n))
            weights *= block.weight / norms[block_rows]
            rows.append(block_rows)
            cols.append(block_cols.astype(np.int64) + offset)
            values.append(weights)
        if not rows:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(values)


_BISECT_UP_TO = 16
# statements featurised together: a batch's temporaries (occurrence arrays, their sort) grow with
# it, about 15 MiB per 1,000 statements at the default features; larger chunks gain little speed
_CHUNK = 2048


class _SortedVocabulary:
    """``in`` and ``[]`` over a sorted feature list by bisection, without building a dict."""

    def __init__(self, features: list[str]):
        self._features = features

    def __contains__(self, feature: str) -> bool:
        i = bisect_left(self._features, feature)
        return i < len(self._features) and self._features[i] == feature

    def __getitem__(self, feature: str) -> int:
        return bisect_left(self._features, feature)

    def get(self, feature: str, default: int | None = None) -> int | None:
        i = bisect_left(self._features, feature)
        found = i < len(self._features) and self._features[i] == feature
        return i if found else default


def load_predictor(path: str | Path) -> Predictor:
    """Load a model file for numpy-only prediction (see :func:`stanceclf.persist.load_model_data`)."""
    return Predictor(load_model_data(path))
