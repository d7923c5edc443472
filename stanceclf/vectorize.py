"""Fitting TF-IDF feature blocks fast: what ``TfidfVectorizer.fit_transform`` computes.

scikit-learn's vectoriser calls the analyzer and looks up every feature one at a time in
Python, then sorts and prunes. Here feature occurrences become integer ids in one pass
(character n-grams once per distinct word), and counting, document frequencies, pruning, idf
and l2 normalisation are numpy operations. Tests hold the result equal to scikit-learn's.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from stanceclf.features import Analyzer, char_occurrences, word_char_ngrams


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
    occurrences, lengths = [], []
    assign = ids.setdefault
    if analyzer.kind == "char" and not analyzer.conjoin:

        def word_ids(word: str) -> list[int]:
            return [assign(gram, len(ids)) for gram in word_char_ngrams(word, analyzer.ngram_range)]

        return char_occurrences(texts, analyzer, word_ids, {})
    for document in texts:
        features = analyzer(document)
        occurrences.extend([assign(feature, len(ids)) for feature in features])
        lengths.append(len(features))
    return occurrences, lengths
