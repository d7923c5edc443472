"""Feature occurrences of statements as column numbers, and their counts per statement, with numpy.

Both TF-IDF paths start here: fitting (:mod:`stanceclf.vectorize`, which numbers new features)
and predicting (:mod:`stanceclf.inference`, which looks them up in a model's vocabulary or
hashes them). The character block is the cost of the default features, hundreds of n-grams per
statement; it is computed per distinct word instead of per occurrence (:class:`CharNgramTable`).
Counting works on a chunk at a time, so its temporaries stay bounded whatever the input size.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import chain, repeat

import numpy as np

from stanceclf.features import (
    _WORD,
    NEGATION_CUES,
    Analyzer,
    ascii_apostrophes,
    char_words,
    split_document,
    word_char_ngrams,
    word_tokens,
)

CHUNK = 8192  # statements whose occurrences are gathered and counted together (bounds the temporaries)
# Distinct words a CharNgramTable keeps, and tokens and n-grams a WordNgramTable keeps, before
# starting over: each bounds its table's memory (about 200 and 110 bytes an entry, so some 20 and
# 22 MiB per table and process) whatever the input; real text's common words fit many times over.
WORD_LIMIT = 100_000
GRAM_LIMIT = 200_000
_COLUMN_BITS = 31  # a count key is (row << 31) | column: columns are int32, rows a chunk's


# Statements are joined around this word to be split (or tokenised) in one call per chunk; a
# chunk in which it occurs otherwise is split statement by statement instead. ASCII letters and
# digits: a word for both splitters (whitespace, and ``features._WORD``), and a chunk of ASCII
# statements stays an ASCII string (which Python searches and splits fastest).
SEPARATOR_WORD = "qz0sep9xq"
_SEPARATOR = f" {SEPARATOR_WORD} "
# Where a negation cue may be: a cue in a statement matches this (a superset: a statement it
# matches is then split by the exact rule of stanceclf.features, one statement at a time). The
# look-ahead for a cue's first letter lets the regular expression skip most positions quickly.
_MAYBE_NEGATED = re.compile(
    "(?=[" + "".join(sorted({cue[0] for cue in NEGATION_CUES} | {"n"})) + "])"
    "(?:n't|(?<![^\\W_])(?:" + "|".join(sorted(NEGATION_CUES, key=len, reverse=True)) + ")(?![^\\W_]))"
)


_CUE_MARKERS = frozenset({cue[:2] for cue in NEGATION_CUES} | {"n't"})  # a cue holds one of these


class _Numbering(dict):
    """word -> id; a word not seen before gets the next id and is listed in ``new``."""

    def __init__(self) -> None:
        super().__init__()
        self.new: list[str] = []

    def __missing__(self, word: str) -> int:
        number = self[word] = len(self)
        self.new.append(word)
        return number


def statements_of(texts: Sequence) -> list[str]:
    """The statement of each document (a document is a statement or a ``(statement, target)`` pair)."""
    return [text if type(text) is str else split_document(text)[0] for text in texts]


def split_chunk(
    statements: list[str],
    numbering: _Numbering,
    lowercase: bool,
    negation: bool,
    exact: Callable[[str], list[str]],
    fast: Callable,
    *,
    apostrophes_first: bool = False,
) -> tuple[np.ndarray, np.ndarray] | None:
    """The ids of every statement's words (or tokens) and the row of each, splitting a chunk in few calls.

    ``exact(statement)`` is the reference splitter; ``fast(text)`` splits lowercased text that
    holds no negation cue. Statements that may hold a cue (:data:`_MAYBE_NEGATED`) go through
    ``exact`` one by one; the others are joined around :data:`SEPARATOR_WORD` and split by one
    call of ``fast``. Words become ids through ``numbering`` (in C), where the separator must be
    id 0; rows come from where the separators fall, and the separators stay, with row -1.
    None when a statement itself holds the separator (split those one by one).
    ``apostrophes_first``: look for cues after typographic apostrophes became "'" (as
    :func:`stanceclf.features.word_tokens` does; :func:`~stanceclf.features.char_words` looks before).
    """
    n = len(statements)
    lowered = list(map(str.lower, statements)) if lowercase else statements
    if apostrophes_first:
        lowered = list(map(ascii_apostrophes, lowered))
    joined = _SEPARATOR.join(lowered)
    if joined.count(SEPARATOR_WORD) != max(n - 1, 0):
        return None
    if negation and any(marker in joined for marker in _CUE_MARKERS):
        lengths = np.fromiter(map(len, lowered), dtype=np.int64, count=n) + len(_SEPARATOR)
        starts = np.cumsum(lengths) - lengths
        found = np.fromiter((m.start() for m in _MAYBE_NEGATED.finditer(joined)), dtype=np.int64)
        slow = np.unique(np.searchsorted(starts, found, side="right") - 1)
    else:
        slow = np.zeros(0, dtype=np.int64)
    ids, rows = [], []
    if len(slow) < n:
        quick = np.setdiff1d(np.arange(n), slow, assume_unique=True) if len(slow) else np.arange(n)
        if len(slow):
            joined = _SEPARATOR.join([lowered[i] for i in quick.tolist()])
        words = fast(joined)
        ids.append(np.fromiter(map(numbering.__getitem__, words), dtype=np.int64, count=len(words)))
        separators = ids[0] == 0
        quick_rows = quick[np.cumsum(separators)]
        quick_rows[separators] = -1
        rows.append(quick_rows)
    if len(slow):
        per_statement = [exact(statements[i]) for i in slow.tolist()]
        lengths = np.fromiter(map(len, per_statement), dtype=np.int64, count=len(slow))
        words = chain.from_iterable(per_statement)
        ids.append(np.fromiter(map(numbering.__getitem__, words), dtype=np.int64, count=int(lengths.sum())))
        rows.append(np.repeat(slow, lengths))
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(ids), np.concatenate(rows)


class CharNgramTable:
    """The columns of each distinct word's character n-grams, gathered for many statements at once.

    A word's character n-grams never change and most words recur, so each distinct word is cut
    into n-grams once (``word_columns(word)``, in Python) and every later occurrence costs a
    dictionary look-up done in C and a numpy gather. A chunk of statements is split into words
    with one call (:func:`split_chunk`). At most ``limit`` words are remembered (the table
    starts over when full), so its memory is bounded by ``limit`` times a word's n-grams.

    Parameters
    ----------
    analyzer : Analyzer
        A character analyzer (``kind="char"``, not conjoined with the target).
    word_columns : callable
        A word (as :func:`stanceclf.features.char_words` gives it) to the columns of its
        n-grams; n-grams without a column are left out.
    limit : int
        Distinct words remembered.

    Examples
    --------
    >>> from stanceclf.features import Analyzer
    >>> table = CharNgramTable(Analyzer("char", (3, 3)), lambda word: [len(word)] * len(word))
    >>> columns, rows = table.occurrences(["ab abc", "", "ab"])
    >>> columns.tolist(), rows.tolist()
    ([2, 2, 3, 3, 3, 2, 2], [0, 0, 0, 0, 0, 2, 2])
    """

    def __init__(self, analyzer: Analyzer, word_columns: Callable[[str], list[int]], limit: int = WORD_LIMIT):
        self.analyzer = analyzer
        self.word_columns = word_columns
        self.limit = limit
        self._start_over()

    def _start_over(self) -> None:
        self._ids = _Numbering()
        dict.__setitem__(self._ids, SEPARATOR_WORD, 0)  # id 0, no columns: what separates statements
        self._bounds = np.zeros(1024, dtype=np.int64)  # word id i's columns: _columns[_bounds[i]:_bounds[i + 1]]
        self._columns = np.zeros(1 << 14, dtype=np.int32)

    def _exact_words(self, statement: str) -> list[str]:
        return char_words(statement, lowercase=self.analyzer.lowercase, negation=self.analyzer.negation)

    def occurrences(self, texts: Sequence) -> tuple[np.ndarray, np.ndarray]:
        """Columns (int32) of every character n-gram occurrence in ``texts``, and the row of each."""
        statements = statements_of(texts)
        if len(self._ids) >= self.limit:
            self._start_over()
        lowercase, negation = self.analyzer.lowercase, self.analyzer.negation
        split = split_chunk(statements, self._ids, lowercase, negation, self._exact_words, _words)
        if split is None:  # a statement holds the separator: the reference way, word by word
            per_statement = [
                list(chain.from_iterable(map(self.word_columns, self._exact_words(s)))) for s in statements
            ]
            return _flattened(per_statement)
        ids, word_rows = split
        if self._ids.new:
            self._add(self._ids.new)
            self._ids.new = []
        starts = self._bounds[ids]
        counts = self._bounds[ids + 1] - starts
        ends = np.cumsum(counts)
        total = int(ends[-1]) if len(ends) else 0
        # occurrence k's columns are _columns[starts[k] : starts[k] + counts[k]], laid end to end
        index = np.repeat(starts - (ends - counts), counts)
        index += np.arange(total, dtype=np.int64)
        return self._columns[index], np.repeat(word_rows, counts)

    def _add(self, words: list[str]) -> None:
        """Cut the new ``words`` (the next ids, in order) into n-gram columns and append them."""
        found = [self.word_columns(word) for word in words]
        sizes = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
        first = len(self._ids) - len(words)  # the id of words[0]
        used = int(self._bounds[first])
        needed_columns = used + int(sizes.sum())
        if needed_columns > len(self._columns):
            self._columns = _grown(self._columns, used, needed_columns)
        if first + len(words) + 1 > len(self._bounds):
            self._bounds = _grown(self._bounds, first + 1, first + len(words) + 1)
        self._columns[used:needed_columns] = np.fromiter(
            chain.from_iterable(found), dtype=np.int32, count=needed_columns - used
        )
        self._bounds[first + 1 : first + len(words) + 1] = used + np.cumsum(sizes)


class WordNgramTable:
    """Columns of word n-grams for many statements at once, an n-gram being a tuple of token ids.

    A chunk of statements is tokenised with one call (:func:`split_chunk`), tokens become ids
    through a dictionary in C, and the n-grams of each length are integer keys (the id of the
    (n-1)-gram it starts with, and the id of its last token) numbered with one sort per chunk.
    Only an n-gram never seen before is spelt out as a string and given to ``column_of``; at
    most ``limit`` tokens and n-grams are remembered (the table starts over when full).

    Examples
    --------
    >>> from stanceclf.features import Analyzer
    >>> vocabulary = {"we": 0, "back": 1, "we back": 2, "it": 3}
    >>> table = WordNgramTable(Analyzer("word", (1, 2)), vocabulary.get)
    >>> columns, rows = table.occurrences(["We back it", "", "it we"])
    >>> sorted(zip(rows.tolist(), columns.tolist()))
    [(0, 0), (0, 1), (0, 2), (0, 3), (2, 0), (2, 3)]
    """

    def __init__(self, analyzer: Analyzer, column_of: Callable[[str], int | None], limit: int = GRAM_LIMIT):
        self.analyzer = analyzer
        self.column_of = column_of
        self.limit = limit
        self._start_over()

    def _start_over(self) -> None:
        self._tokens = _Numbering()
        dict.__setitem__(self._tokens, SEPARATOR_WORD, 0)
        self._token_strings = [SEPARATOR_WORD]
        self._token_columns = np.full(1024, -1, dtype=np.int64)
        self._grams: dict[int, dict[int, int]] = {n: {} for n in range(2, self.analyzer.ngram_range[1] + 1)}
        self._gram_strings: list[str] = []  # of the n-grams that start longer ones
        self._gram_columns = np.full(1024, -1, dtype=np.int64)
        self._n_grams = 0

    def _exact_tokens(self, statement: str) -> list[str]:
        return word_tokens(statement, lowercase=self.analyzer.lowercase, negation=self.analyzer.negation)

    def occurrences(self, texts: Sequence) -> tuple[np.ndarray, np.ndarray]:
        """Columns (int32) of every word n-gram occurrence in ``texts`` that has one, and the row of each."""
        statements = statements_of(texts)
        lowercase, negation = self.analyzer.lowercase, self.analyzer.negation
        if len(self._tokens) + self._n_grams >= self.limit:
            self._start_over()
        split = split_chunk(
            statements, self._tokens, lowercase, negation, self._exact_tokens, _tokens, apostrophes_first=True
        )
        if split is None:  # a statement holds the separator: the reference way, n-gram by n-gram
            per_statement = [list(map(_column, map(self.column_of, self.analyzer(s)))) for s in statements]
            return _flattened(per_statement)
        ids, rows = split
        if self._tokens.new:
            self._add_tokens(self._tokens.new)
            self._tokens.new = []
        low, high = self.analyzer.ngram_range
        columns, column_rows = [], []
        if low == 1:
            found = self._token_columns[ids]
            keep = (rows >= 0) & (found >= 0)
            columns.append(found[keep])
            column_rows.append(rows[keep])
        prefix, valid = ids, rows >= 0  # the (n-1)-grams starting at each position
        for n in range(2, high + 1):
            starts = len(ids) - n + 1
            if starts <= 0:
                break
            # an n-gram starts at i when the (n-1)-gram at i and the token at i + n - 1 are in one statement
            valid = valid[:starts] & (rows[:starts] == rows[n - 1 :])
            at = np.flatnonzero(valid)
            keys = (prefix[at] << 32) | ids[n - 1 :][at]
            distinct, inverse = np.unique(keys, return_inverse=True)
            grams = self._gram_ids(n, distinct, prefix_strings=self._token_strings if n == 2 else self._gram_strings)
            prefix = np.zeros(starts, dtype=np.int64)
            prefix[at] = grams[inverse]
            if n >= low:
                found = self._gram_columns[prefix[at]]
                keep = found >= 0
                columns.append(found[keep])
                column_rows.append(rows[at][keep])
        if not columns:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
        return np.concatenate(columns).astype(np.int32), np.concatenate(column_rows)

    def _add_tokens(self, tokens: list[str]) -> None:
        first = len(self._tokens) - len(tokens)
        self._token_strings.extend(tokens)
        if len(self._tokens) > len(self._token_columns):
            self._token_columns = _grown(self._token_columns, first, len(self._tokens), fill=-1)
        if self.analyzer.ngram_range[0] == 1:
            self._token_columns[first : len(self._tokens)] = [_column(self.column_of(token)) for token in tokens]

    def _gram_ids(self, n: int, keys: np.ndarray, prefix_strings: list[str]) -> np.ndarray:
        """The id of each n-gram key, numbering (and spelling out) the new ones."""
        known = self._grams[n]
        listed = keys.tolist()
        ids = np.fromiter(map(known.get, listed, repeat(-1)), dtype=np.int64, count=len(listed))
        new = np.flatnonzero(ids < 0)
        if len(new):
            first = self._n_grams
            self._n_grams += len(new)
            ids[new] = np.arange(first, self._n_grams)
            new_keys = keys[new].tolist()
            known.update(zip(new_keys, range(first, self._n_grams)))
            token_strings = self._token_strings
            mask = (1 << 32) - 1
            spelt = [f"{prefix_strings[key >> 32]} {token_strings[key & mask]}" for key in new_keys]
            if n < self.analyzer.ngram_range[1]:  # it starts longer n-grams: keep its string
                self._gram_strings.extend(spelt)
            else:
                self._gram_strings.extend(repeat("", len(spelt)))
            if self._n_grams > len(self._gram_columns):
                self._gram_columns = _grown(self._gram_columns, first, self._n_grams, fill=-1)
            if n >= self.analyzer.ngram_range[0]:
                self._gram_columns[first : self._n_grams] = [_column(self.column_of(gram)) for gram in spelt]
        return ids


def _column(column: int | None) -> int:
    return -1 if column is None else column


# ASCII characters that cannot be in a token of text without apostrophes (features._WORD)
_NOT_IN_TOKENS = {code: " " for code in range(128) if not chr(code).isalnum()}


def _tokens(text: str) -> list[str]:
    """Word tokens of lowercased text without negation (as word_tokens splits).

    ASCII text without apostrophes: blanking every character no token holds and splitting on
    white space gives the regular expression's tokens 4 times faster (fast_paths.md); with an
    apostrophe (tokens such as "don't") the expression itself, which was as fast as any fix-up.
    """
    if text.isascii() and "'" not in text:
        return text.translate(_NOT_IN_TOKENS).split()
    return _WORD.findall(text)


def _words(text: str) -> list[str]:
    """Whitespace-separated words of lowercased text without negation (as char_words splits)."""
    return ascii_apostrophes(text).split()


def _flattened(per_row: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Columns per row (-1: no column) as (columns, rows) arrays, without the -1 entries."""
    lengths = np.fromiter(map(len, per_row), dtype=np.int64, count=len(per_row))
    columns = np.fromiter(chain.from_iterable(per_row), dtype=np.int64, count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(per_row), dtype=np.int64), lengths)
    known = columns >= 0
    if not known.all():
        columns, rows = columns[known], rows[known]
    return columns.astype(np.int32), rows


def _grown(array: np.ndarray, used: int, needed: int, fill: int | None = None) -> np.ndarray:
    """A larger copy of ``array`` (its first ``used`` items kept) with room for ``needed`` items."""
    bigger = np.empty(max(needed, 2 * len(array)), dtype=array.dtype)
    bigger[:used] = array[:used]
    if fill is not None:
        bigger[used:] = fill
    return bigger


def has_table(analyzer) -> bool:
    """Whether a block is read a chunk at a time through an n-gram table: unconjoined word and char blocks.

    Target and statement-target blocks, and blocks conjoined with the target, are read through
    their analyzer, statement by statement.
    """
    return analyzer.kind in ("word", "char") and not analyzer.conjoin


def ngram_table(analyzer: Analyzer, column_of: Callable[[str], int | None]) -> CharNgramTable | WordNgramTable | None:
    """The table that gathers a block's occurrences a chunk at a time (None where :func:`has_table` says no).

    ``column_of(feature)`` gives a column, or None (or -1) for a feature without one.
    """
    if not has_table(analyzer):
        return None
    if analyzer.kind == "word":
        return WordNgramTable(analyzer, column_of)
    ngram_range = analyzer.ngram_range

    def word_columns(word: str) -> list[int]:
        found = map(column_of, word_char_ngrams(word, ngram_range))
        return [column for column in found if column is not None and column >= 0]

    return CharNgramTable(analyzer, word_columns)


def feature_occurrences(
    texts: Sequence,
    analyzer: Analyzer,
    column_of: Callable,
    table: CharNgramTable | WordNgramTable | None = None,
    *,
    missing: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``column_of(feature)`` for every feature occurrence in ``texts``, and the row of each.

    ``column_of`` is called from C (``map``), so it should be a bound method such as a dict's
    ``__getitem__``, or, with ``missing=-1``, a dict's ``get`` (called as ``get(feature, -1)``);
    features it gives -1 have no column and are left out. A character block goes through
    ``table`` (see :class:`CharNgramTable`) when one is given.
    """
    if table is not None:
        return table.occurrences(texts)
    if missing is None:
        per_text = [list(map(column_of, analyzer(text))) for text in texts]
    else:
        per_text = [list(map(column_of, features, repeat(missing))) for features in map(analyzer, texts)]
    return _flattened(per_text)


def count_features(columns: np.ndarray, rows: np.ndarray, n_rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Occurrences to the parts of a CSR matrix of counts: ``indptr``, ``indices`` (sorted per row), ``counts``.

    ``columns`` are the occurrences' columns (below 2**31), ``rows`` their rows (below ``n_rows``).
    """
    keys = rows.astype(np.int64) << _COLUMN_BITS
    keys |= columns
    distinct, counts = np.unique(keys, return_counts=True)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(distinct >> _COLUMN_BITS, minlength=n_rows), out=indptr[1:])
    return indptr, (distinct & ((1 << _COLUMN_BITS) - 1)).astype(np.int32), counts


def chunked_counts(
    texts: Sequence,
    analyzer: Analyzer,
    column_of: Callable[[str], int],
    table: CharNgramTable | WordNgramTable | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`count_features` of :func:`feature_occurrences` for any number of texts, a chunk at a time."""
    indptrs, indices, counts = [np.zeros(1, dtype=np.int64)], [], []
    done = 0
    for start in range(0, len(texts), CHUNK):
        part = texts[start : start + CHUNK]
        indptr, columns, found = count_features(*feature_occurrences(part, analyzer, column_of, table), len(part))
        indptrs.append(indptr[1:] + done)
        indices.append(columns)
        counts.append(found)
        done += int(indptr[-1])
    if not indices:
        return indptrs[0], np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
    return np.concatenate(indptrs), np.concatenate(indices), np.concatenate(counts)
