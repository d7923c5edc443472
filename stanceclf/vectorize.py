"""The reference TF-IDF path: what ``TfidfVectorizer`` computes, fitted fast, with scipy.

:class:`TfidfBlock` is the one fitted feature block of a :class:`stanceclf.StanceClassifier`
(a learnt vocabulary, or ``n_buckets`` hashed columns) with scikit-learn's ``fit_transform``
and ``transform``. scikit-learn's vectoriser calls the analyzer and looks up every feature one
at a time in Python, then sorts and prunes; here feature occurrences become integer ids in bulk
(character n-grams once per distinct word, :mod:`stanceclf.occurrences`), and counting,
document frequencies, pruning, idf and l2 normalisation are numpy operations.
``tests/test_vectorize.py`` holds the result equal to ``TfidfVectorizer``'s;
:class:`stanceclf.inference.Predictor` is the numpy-only path for prediction, and
``tests/test_inference.py`` holds the two equal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from stanceclf.features import Analyzer, BucketCache
from stanceclf.occurrences import chunked_counts, ngram_table


def fit_tfidf(
    texts: Sequence,
    analyzer: Analyzer,
    *,
    sublinear_tf: bool = True,
    min_df: int = 1,
    max_features: int | None = None,
) -> tuple[sp.csr_matrix, list[str], np.ndarray]:
    """Learn a block's vocabulary and idf from ``texts`` and return its TF-IDF matrix.

    Returns
    -------
    matrix : csr_matrix of shape (len(texts), n_features)
        Rows l2-normalised, as ``TfidfVectorizer(norm="l2", smooth_idf=True)`` gives them.
    features : list of str
        The vocabulary, sorted (column order).
    idf : ndarray
        ``ln((1 + n) / (1 + df)) + 1`` per feature.

    Examples
    --------
    >>> matrix, features, idf = fit_tfidf(["no tax", "tax cuts"], Analyzer("word", (1, 1)))
    >>> features, idf.round(3).tolist()
    (['cuts', 'no', 'tax'], [1.405, 1.405, 1.0])
    """
    n = len(texts)
    # One process: numbering the second half in a forked child lost (experiments/results/fast_paths.md).
    numbering: defaultdict[str, int] = defaultdict()
    numbering.default_factory = numbering.__len__  # a new feature gets the next id, all in C
    parts = chunked_counts(texts, analyzer, numbering.__getitem__, ngram_table(analyzer, numbering.__getitem__))
    counts = _count_matrix(parts, n, max(len(numbering), 1))
    del parts
    # column order is alphabetical (Python's string order), as in scikit-learn; pruning keeps it
    names = sorted(numbering)
    order = np.fromiter(map(numbering.__getitem__, names), dtype=np.int64, count=len(names))
    frequency = document_frequency(counts)
    keep = order[frequency[order] >= min_df]
    if max_features is not None and len(keep) > max_features:
        term_frequency = np.bincount(counts.indices, weights=counts.data, minlength=len(names))
        strongest = np.argsort(-term_frequency[keep], kind="stable")[:max_features]
        keep = keep[np.sort(strongest)]
    new_column = np.full(len(names), -1, dtype=np.int32)
    new_column[keep] = np.arange(len(keep), dtype=np.int32)
    # from here on the count matrix becomes the TF-IDF matrix in place, one array of values at a
    # time: on a million statements the temporaries would otherwise take gigabytes
    np.take(new_column, counts.indices, out=counts.indices)
    counts = _kept_columns(counts, len(keep))
    idf = smoothed_idf(frequency[keep], n)
    matrix = tfidf_rows(counts, idf, sublinear_tf=sublinear_tf)
    del counts
    matrix.sort_indices()  # renumbering the columns alphabetically unsorted each row
    if len(keep) < len(names):
        kept = new_column[order] >= 0
        names = [name for name, wanted in zip(names, kept.tolist()) if wanted]
    return matrix, names, idf


def _kept_columns(matrix: sp.csr_matrix, width: int) -> sp.csr_matrix:
    """``matrix`` as ``width`` columns, without its entries in negative columns (features pruned away)."""
    kept = matrix.indices >= 0
    if kept.all():
        return sp.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], width), copy=False)
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[kept]
    indptr = np.zeros(matrix.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=matrix.shape[0]), out=indptr[1:])
    return sp.csr_matrix((matrix.data[kept], matrix.indices[kept], indptr), shape=(matrix.shape[0], width))


def _normalise_rows(matrix: sp.csr_matrix) -> None:
    """Divide each row of ``matrix`` by its l2 norm, in place (empty rows stay empty)."""
    values, indptr = matrix.data, matrix.indptr
    lengths = np.diff(indptr)
    filled = lengths > 0
    squares = np.zeros(matrix.shape[0])
    if values.size:
        squares[filled] = np.add.reduceat(values * values, indptr[:-1][filled])
    values /= np.repeat(np.sqrt(squares), lengths)


def _count_matrix(parts: tuple[np.ndarray, np.ndarray, np.ndarray], n_rows: int, width: int) -> sp.csr_matrix:
    """CSR parts from :func:`stanceclf.occurrences.chunked_counts` as a float32 count matrix."""
    indptr, indices, counts = parts
    return sp.csr_matrix((counts.astype(np.float32), indices, indptr), shape=(n_rows, width), copy=False)


class HashedCounter:
    """Raw feature counts in a hashed block, remembering each feature's bucket (and each word's) across calls."""

    def __init__(self, analyzer: Analyzer, n_buckets: int, *, tables: bool = True):
        self.analyzer = analyzer
        self.buckets = BucketCache(n_buckets)
        self.table = ngram_table(analyzer, self.buckets.__getitem__) if tables else None

    def __call__(self, texts: Sequence) -> sp.csr_matrix:
        """A CSR matrix of ``n_buckets`` columns: how often each text has a feature in each bucket."""
        parts = chunked_counts(texts, self.analyzer, self.buckets.__getitem__, self.table)
        return _count_matrix(parts, len(texts), self.buckets.n_buckets)


def document_frequency(counts: sp.csr_matrix) -> np.ndarray:
    """In how many rows each column occurs."""
    return np.bincount(counts.indices, minlength=counts.shape[1])


def smoothed_idf(frequency: np.ndarray, n_documents: int) -> np.ndarray:
    """``ln((1 + n) / (1 + df)) + 1``, scikit-learn's smoothed idf."""
    return np.log((1 + n_documents) / (1 + frequency.astype(np.float64))) + 1.0


def tfidf_rows(counts: sp.csr_matrix, idf: np.ndarray, *, sublinear_tf: bool) -> sp.csr_matrix:
    """Counts to l2-normalised TF-IDF rows, reusing ``counts``'s arrays (its values are replaced)."""
    values = counts.data.astype(np.float64)
    counts.data = values  # the counts' own values are freed here, not at the end
    if sublinear_tf:
        np.log(values, out=values)
        values += 1.0
    values *= idf[counts.indices]
    _normalise_rows(counts)
    return sp.csr_matrix((values, counts.indices, counts.indptr), shape=counts.shape, copy=False)


class _Lookup(dict):
    """feature -> column; -1 for a feature without one."""

    def __missing__(self, feature: str) -> int:
        return -1


class TfidfBlock:
    """A fitted TF-IDF feature block with the ``fit_transform`` and ``transform`` of ``TfidfVectorizer``.

    Either a learnt vocabulary (``features``, in column order) or ``n_buckets`` hashed columns
    (CRC-32 of each feature, :func:`stanceclf.features.feature_bucket`). Rows are
    ``(1 + log tf) * idf`` (``tf * idf`` without ``sublinear_tf``), l2-normalised.

    Examples
    --------
    >>> block, matrix = TfidfBlock.fit(["no tax", "tax cuts"], Analyzer("word", (1, 1)))
    >>> block.features, matrix.shape
    (['cuts', 'no', 'tax'], (2, 3))
    >>> block.transform(["tax", "unknown words"]).toarray().tolist()
    [[0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]
    """

    def __init__(
        self,
        analyzer: Analyzer,
        features: list[str],
        idf: np.ndarray,
        sublinear_tf: bool = True,
        n_buckets: int | None = None,
    ):
        self.analyzer = analyzer
        self.features = features
        self.idf_ = idf
        self.sublinear_tf = sublinear_tf
        self.n_buckets = n_buckets
        self._vocabulary: _Lookup | None = None

    @classmethod
    def fit(
        cls,
        texts: Sequence,
        analyzer: Analyzer,
        *,
        sublinear_tf: bool = True,
        min_df: int = 1,
        max_features: int | None = None,
        n_buckets: int | None = None,
    ) -> tuple[TfidfBlock, sp.csr_matrix]:
        """Learn the vocabulary (or, hashed, only the idf) of ``texts``; return the block and its TF-IDF matrix."""
        if n_buckets is None:
            matrix, features, idf = fit_tfidf(
                texts, analyzer, sublinear_tf=sublinear_tf, min_df=min_df, max_features=max_features
            )
            return cls(analyzer, features, idf, sublinear_tf), matrix
        counts = HashedCounter(analyzer, n_buckets)(texts)
        idf = smoothed_idf(document_frequency(counts), len(texts))
        return cls(analyzer, [], idf, sublinear_tf, n_buckets), tfidf_rows(counts, idf, sublinear_tf=sublinear_tf)

    @property
    def width(self) -> int:
        """Number of columns."""
        return self.n_buckets if self.n_buckets is not None else len(self.features)

    @property
    def vocabulary_(self) -> dict[str, int]:
        """feature -> column (built on first use; empty for a hashed block)."""
        if self._vocabulary is None:
            self._vocabulary = _Lookup(zip(self.features, range(len(self.features))))
        return self._vocabulary

    def transform(self, texts: Sequence) -> sp.csr_matrix:
        """The TF-IDF rows of ``texts`` (features outside the vocabulary are ignored)."""
        if self.n_buckets is not None:
            counts = HashedCounter(self.analyzer, self.n_buckets, tables=False)(texts)
        else:
            # the analyzer statement by statement, as TfidfVectorizer: an independent check on the
            # n-gram tables that fitting and the numpy-only Predictor use (tests/test_inference.py)
            parts = chunked_counts(texts, self.analyzer, self.vocabulary_.__getitem__)
            counts = _count_matrix(parts, len(texts), self.width)
        return tfidf_rows(counts, self.idf_, sublinear_tf=self.sublinear_tf)

    def get_feature_names_out(self) -> np.ndarray:
        """The feature of each column (``#<bucket>`` in a hashed block)."""
        if self.n_buckets is not None:
            return np.array([f"#{bucket}" for bucket in range(self.n_buckets)], dtype=object)
        return np.array(self.features, dtype=object)
