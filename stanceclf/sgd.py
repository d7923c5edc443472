"""Multinomial logistic regression by minibatch Adagrad over sparse rows, in numpy.

scikit-learn's lbfgs solver finds the exact optimum but needs a hundred or more full passes
over the data; on hundreds of thousands of statements that is most of the training time. This
solver makes a few shuffled passes (epochs) of minibatch stochastic gradient descent with
per-feature Adagrad step sizes, which suits sparse text features (rare n-grams keep large
steps), and it learns chunk by chunk (:meth:`SoftmaxSGD.partial_fit`), so a corpus larger
than memory can be streamed through it.

It minimises the same objective as ``LogisticRegression(C=C)`` divided by ``C * n``: the
(sample-weighted) mean multinomial log-loss plus ``||W||^2 / (2 C n)``. The L2 term is applied
lazily, to the features present in each minibatch. The result is the softmax model the rest of
stanceclf uses (coefficients of shape ``(n_classes, n_features)``, intercepts), close to but not
equal to lbfgs's optimum; ``experiments/bench_speed.py`` measures the difference.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

INITIAL_ACCUMULATOR = 1e-4  # chosen with learning_rate on the bundled corpus and synthetic data


class SoftmaxSGD:
    """Minibatch Adagrad for multinomial logistic regression on CSR matrices.

    Parameters
    ----------
    n_features : int
    n_classes : int
    C : float
        Inverse regularisation strength, as in scikit-learn's ``LogisticRegression``.
    n_samples : int
        Number of training rows over all chunks (scales the L2 term as lbfgs's objective does).
    learning_rate : float, default 0.5
        Adagrad's base step size.
    batch_size : int, optional
        Rows per update; by default ``n_samples // 25`` within 8 to 256, so that even a small
        corpus gets a few dozen updates per epoch.
    seed : int, default 0
        Seed of the row shuffling: equal inputs and seed give equal weights.
    """

    def __init__(
        self,
        n_features: int,
        n_classes: int,
        *,
        C: float,
        n_samples: int,
        learning_rate: float = 0.5,
        batch_size: int | None = None,
        seed: int = 0,
    ):
        if n_classes < 2:
            raise ValueError(f"need at least two classes, got {n_classes}")
        # per feature, its coefficients and then Adagrad's sums of squared gradients, side by
        # side so that one gather and one scatter per batch touch both (the memory traffic is
        # what limits this loop). The sums start above zero so that a feature's first update is
        # not a full step whatever its gradient, which would overweight rare n-grams.
        self._state = np.zeros((n_features, 2 * n_classes))
        self._state[:, n_classes:] = INITIAL_ACCUMULATOR
        self.intercept = np.zeros(n_classes)
        self.l2 = 1.0 / (C * max(n_samples, 1))
        self.learning_rate = learning_rate
        self.batch_size = batch_size or int(np.clip(n_samples // 25, 8, 256))
        self._rng = np.random.default_rng(seed)
        self._squared_intercept = np.full(n_classes, INITIAL_ACCUMULATOR)
        self._position = np.zeros(n_features, dtype=np.int64)  # scratch: a feature's slot in a batch

    @property
    def coef(self) -> np.ndarray:
        """The coefficients, shape ``(n_features, n_classes)`` (a view)."""
        return self._state[:, : self.intercept.shape[0]]

    def partial_fit(self, X, codes: np.ndarray, sample_weight: np.ndarray | None = None) -> SoftmaxSGD:
        """One shuffled pass of minibatch updates over the rows of ``X``.

        ``X`` is a CSR matrix, or a list of CSR matrices with the same rows whose columns are
        side by side (feature blocks, never stacked into one copy). ``codes`` are class indices
        (``0 .. n_classes - 1``); ``sample_weight`` scales each row's gradient (class weights).
        """
        blocks = X if isinstance(X, list) else [X]
        offsets = np.cumsum([0] + [block.shape[1] for block in blocks])[:-1].tolist()
        n_rows = blocks[0].shape[0]
        order = self._rng.permutation(n_rows)
        codes = np.asarray(codes, dtype=np.int64)
        weights = np.ones(n_rows) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        for start in range(0, n_rows, self.batch_size):
            rows = order[start : start + self.batch_size]
            found_columns, found_values, lengths = [], [], []
            for block, offset in zip(blocks, offsets):
                found, data, per_row = _gather_rows(block, rows)  # these rows only: never a copy of the matrix
                found_columns.append(found + offset if offset else found)
                found_values.append(data)
                lengths.append(per_row)
            columns, values = np.concatenate(found_columns), np.concatenate(found_values)
            per_row = lengths[0]
            if len(blocks) > 1:  # row by row, each row's blocks in turn: the order of the stacked matrix
                block_lengths = np.stack(lengths, axis=1)
                block_starts = np.cumsum(block_lengths.T.ravel()).reshape(block_lengths.T.shape).T - block_lengths
                per_row = block_lengths.sum(axis=1)
                index = _ranges(block_starts.ravel(), block_lengths.ravel())
                columns, values = columns[index], values[index]
            indptr = np.zeros(len(rows) + 1, dtype=np.int64)
            np.cumsum(per_row, out=indptr[1:])
            self._step(columns, values, indptr, codes[rows], weights[rows])
        return self

    def _step(self, columns, values, indptr, codes, weights) -> None:
        """One Adagrad update from a batch of rows given as CSR parts (columns, values, ``indptr``)."""
        batch, n_classes = len(codes), self.intercept.shape[0]
        # the batch's distinct features, without sorting: each occurrence points at the last
        # occurrence of its feature, and those last occurrences are numbered 0, 1, 2 ...
        occurrence = np.arange(len(columns))
        self._position[columns] = occurrence
        last = self._position[columns]
        is_last = last == occurrence
        features = columns[is_last]
        rank = np.cumsum(is_last) - 1
        unique_of = rank[last]  # occurrence -> index of its feature in ``features``
        state = self._state[features]  # one gather: coefficients and squared sums
        coef, squared = state[:, :n_classes], state[:, n_classes:]
        # the batch as a (rows, distinct features) matrix: two sparse products (scipy's C++ loops)
        # do what numpy gathers and a bincount per class did (experiments/results/fast_paths.md)
        occurrences = sp.csr_matrix((values, unique_of, indptr), shape=(batch, len(features)))
        scores = occurrences @ np.ascontiguousarray(coef)
        scores += self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        scores[np.arange(batch), codes] -= 1.0  # now the gradient of the log-loss per row
        scores *= (weights / batch)[:, None]
        gradient = occurrences.T @ scores
        gradient += self.l2 * coef
        squared += gradient * gradient
        coef -= self.learning_rate * gradient / np.sqrt(squared)
        self._state[features] = state  # one scatter
        intercept_gradient = scores.sum(axis=0)
        self._squared_intercept += intercept_gradient * intercept_gradient
        self.intercept -= self.learning_rate * intercept_gradient / np.sqrt(self._squared_intercept)


def _gather_rows(matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Columns, values and lengths of ``rows`` of a CSR matrix, laid end to end (no scipy object built)."""
    starts = matrix.indptr[rows]
    lengths = matrix.indptr[rows + 1] - starts
    index = _ranges(starts, lengths)
    return matrix.indices[index], matrix.data[index], lengths


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``starts[0] .. starts[0] + lengths[0] - 1``, then the same for each next pair, as one array."""
    ends = np.cumsum(lengths)
    index = np.repeat(starts - (ends - lengths), lengths)
    index += np.arange(int(ends[-1]) if len(ends) else 0, dtype=index.dtype)
    return index
