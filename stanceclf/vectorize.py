"""Fitting TF-IDF feature blocks fast: what ``TfidfVectorizer.fit_transform`` computes.

scikit-learn's vectoriser calls the analyzer and looks up every feature one at a time in
Python, then sorts and prunes. Here feature occurrences become integer ids in one pass
(character n-grams once per distinct word), and counting, document frequencies, pruning, idf
and l2 normalisation are numpy operations. Tests hold the result equal to scikit-learn's.
"""

from __future__ import annotations

from array import array
from collections import defaultdict

import numpy as np
import scipy.sparse as sp

from stanceclf.features import Analyzer, BucketCache, feature_occurrences


def fit_tfidf(
    texts: list,
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
    """
    n = len(texts)
    # One process: numbering the second half in a forked child lost (experiments/results/fast_paths.md).
    ids: dict[str, int] = {}
    occurrences, lengths = _feature_ids(texts, analyzer, ids)
    counts = _count_matrix(occurrences, lengths, n, max(len(ids), 1))
    del occurrences, lengths
    # column order is alphabetical (Python's string order), as in scikit-learn; pruning keeps it
    names = sorted(ids)
    order = np.fromiter(map(ids.__getitem__, names), dtype=np.int64, count=len(names))
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
        kept_ids = set(keep.tolist())
        names = [name for name in names if ids[name] in kept_ids]
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


def _count_matrix(occurrences, lengths, n_rows: int, width: int) -> sp.csr_matrix:
    """Feature occurrences to a CSR matrix of counts (float32; each row's columns sorted)."""
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.asarray(lengths, dtype=np.int64), out=indptr[1:])
    columns = np.frombuffer(occurrences, dtype=np.int32) if len(occurrences) else np.zeros(0, dtype=np.int32)
    counts = sp.csr_matrix((np.ones(len(columns), dtype=np.float32), columns, indptr), shape=(n_rows, width))
    counts.sum_duplicates()  # C++: sorts each row's columns and adds up repeats
    return counts


def _feature_ids(texts: list, analyzer: Analyzer, ids: dict) -> tuple[array, array]:
    """Every feature occurrence as an id (new features get the next id), and counts per text."""
    numbering = defaultdict(None, ids)  # continues the numbering ``ids`` already holds
    numbering.default_factory = numbering.__len__  # a new feature gets the next id, all in C
    found = feature_occurrences(texts, analyzer, numbering.__getitem__, {})
    ids.update(numbering)
    return found


def hashed_counts(texts: list, analyzer: Analyzer, buckets: BucketCache, word_cache: dict) -> sp.csr_matrix:
    """Raw feature counts of ``texts`` in a hashed block: a CSR matrix of ``buckets.n_buckets`` columns."""
    occurrences, lengths = feature_occurrences(texts, analyzer, buckets.__getitem__, word_cache, 200_000)
    return _count_matrix(occurrences, lengths, len(texts), buckets.n_buckets)


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


class HashedTfidf:
    """A fitted hashed TF-IDF block with the ``transform`` of a scikit-learn vectoriser.

    The scipy-based reference for a hashed block, as ``TfidfVectorizer`` is for a vocabulary
    block; :class:`stanceclf.inference.Predictor` computes the same with numpy alone.
    """

    def __init__(self, analyzer: Analyzer, n_buckets: int, idf: np.ndarray, sublinear_tf: bool = True):
        self.analyzer = analyzer
        self.n_buckets = n_buckets
        self.idf_ = idf
        self.sublinear_tf = sublinear_tf

    @classmethod
    def fit(cls, texts: list, analyzer: Analyzer, n_buckets: int, *, sublinear_tf: bool = True):
        """Learn the idf of ``texts``; return the fitted block and its TF-IDF matrix."""
        counts = hashed_counts(texts, analyzer, BucketCache(n_buckets), {})
        block = cls(analyzer, n_buckets, smoothed_idf(document_frequency(counts), len(texts)), sublinear_tf)
        return block, tfidf_rows(counts, block.idf_, sublinear_tf=sublinear_tf)

    def transform(self, texts: list) -> sp.csr_matrix:
        counts = hashed_counts(texts, self.analyzer, BucketCache(self.n_buckets), {})
        return tfidf_rows(counts, self.idf_, sublinear_tf=self.sublinear_tf)

    def get_feature_names_out(self) -> np.ndarray:
        return np.array([f"#{bucket}" for bucket in range(self.n_buckets)], dtype=object)
