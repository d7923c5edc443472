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

from stanceclf.features import Analyzer, BucketCache, char_occurrences, hashed_occurrences, word_char_ngrams


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
    ids: dict[str, int] = {}
    occurrences, lengths = _feature_ids(texts, analyzer, ids)
    width = max(len(ids), 1)
    rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    keys, counts = np.unique(rows * width + np.asarray(occurrences, dtype=np.int64), return_counts=True)
    rows, columns = np.divmod(keys, width)
    names = list(ids)
    # column order is alphabetical (Python's string order), as in scikit-learn; pruning keeps it
    order = np.array(sorted(range(len(names)), key=names.__getitem__), dtype=np.int64)
    document_frequency = np.bincount(columns, minlength=len(ids))
    keep = order[document_frequency[order] >= min_df]
    if max_features is not None and len(keep) > max_features:
        term_frequency = np.bincount(columns, weights=counts, minlength=len(ids))
        strongest = np.argsort(-term_frequency[keep], kind="stable")[:max_features]
        keep = keep[np.sort(strongest)]
    new_column = np.full(len(ids), -1, dtype=np.int64)
    new_column[keep] = np.arange(len(keep))
    columns = new_column[columns]
    kept = columns >= 0
    rows, columns, counts = rows[kept], columns[kept], counts[kept]
    idf = np.log((1 + n) / (1 + document_frequency[keep].astype(np.float64))) + 1.0
    values = counts.astype(np.float64)
    if sublinear_tf:
        values = np.log(values) + 1.0
    values *= idf[columns]
    norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=n))
    values /= norms[rows]
    matrix = sp.csr_matrix((values, (rows, columns)), shape=(n, len(keep)))
    matrix.sort_indices()
    return matrix, [names[i] for i in keep.tolist()], idf


def _feature_ids(texts: list, analyzer: Analyzer, ids: dict) -> tuple[list[int], list[int]]:
    """Every feature occurrence as an id (new features get the next id), and counts per text."""
    numbering = defaultdict()
    numbering.default_factory = numbering.__len__  # a new feature gets the next id, all in C
    number = numbering.__getitem__
    if analyzer.kind == "char" and not analyzer.conjoin:

        def word_ids(word: str) -> list[int]:
            return list(map(number, word_char_ngrams(word, analyzer.ngram_range)))

        found = char_occurrences(texts, analyzer, word_ids, {})
    else:
        occurrences, lengths = array("q"), array("q")
        for document in texts:
            features = analyzer(document)
            occurrences.extend(map(number, features))
            lengths.append(len(features))
        found = occurrences, lengths
    ids.update(numbering)
    return found


def hashed_counts(texts: list, analyzer: Analyzer, buckets: BucketCache, word_cache: dict) -> sp.csr_matrix:
    """Raw feature counts of ``texts`` in a hashed block: a CSR matrix of ``buckets.n_buckets`` columns."""
    occurrences, lengths = hashed_occurrences(texts, analyzer, buckets, word_cache)
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.asarray(lengths, dtype=np.int64), out=indptr[1:])
    columns = np.asarray(occurrences, dtype=np.int64)
    counts = sp.csr_matrix(
        (np.ones(len(columns)), columns.astype(np.int32), indptr), shape=(len(texts), buckets.n_buckets)
    )
    counts.sum_duplicates()  # also sorts each row's columns
    return counts


def document_frequency(counts: sp.csr_matrix) -> np.ndarray:
    """In how many rows each column occurs."""
    return np.bincount(counts.indices, minlength=counts.shape[1])


def hashed_idf(frequency: np.ndarray, n_documents: int) -> np.ndarray:
    """Smoothed idf, as for vocabulary blocks: ``ln((1 + n) / (1 + df)) + 1``."""
    return np.log((1 + n_documents) / (1 + frequency.astype(np.float64))) + 1.0


def tfidf_rows(counts: sp.csr_matrix, idf: np.ndarray, *, sublinear_tf: bool) -> sp.csr_matrix:
    """Counts to l2-normalised TF-IDF rows (in place on a copy of the values)."""
    values = counts.data.astype(np.float64)
    if sublinear_tf:
        values = np.log(values) + 1.0
    values *= idf[counts.indices]
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=counts.shape[0]))
    values /= norms[rows]
    return sp.csr_matrix((values, counts.indices, counts.indptr), shape=counts.shape)


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
        block = cls(analyzer, n_buckets, hashed_idf(document_frequency(counts), len(texts)), sublinear_tf)
        return block, tfidf_rows(counts, block.idf_, sublinear_tf=sublinear_tf)

    def transform(self, texts: list) -> sp.csr_matrix:
        counts = hashed_counts(texts, self.analyzer, BucketCache(self.n_buckets), {})
        return tfidf_rows(counts, self.idf_, sublinear_tf=self.sublinear_tf)

    def get_feature_names_out(self) -> np.ndarray:
        return np.array([f"#{bucket}" for bucket in range(self.n_buckets)], dtype=object)
