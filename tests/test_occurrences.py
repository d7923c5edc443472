"""The chunk-at-a-time n-gram tables find exactly the features the analyzers give, statement by statement."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stanceclf import occurrences
from stanceclf.features import Analyzer
from stanceclf.occurrences import SEPARATOR_WORD, count_features, feature_occurrences, ngram_table

# pieces of hostile statements: negation cues and their look-alikes, apostrophes of every kind,
# punctuation that ends a scope, underscores, non-ASCII letters whose case folds oddly, odd white
# space, NUL, and the word the tables join statements around
PIECES = [
    "not",
    "No",
    "never",
    "nor",
    "cannot",
    "without",
    "don't",
    "won\u2019t",
    "can\u02bct",
    "n't",
    "_not",
    "not_",
    "x'not",
    "notable",
    "we",
    "back",
    "the",
    "plan",
    "W123",
    "\u00e9cole",
    "\u0130stanbul",
    "\u03a3\u03a3",
    "stra\u00dfe",
    "\U0001f600",
    ".",
    ",",
    "!",
    "?",
    ";",
    ":",
    "'",
    "''",
    "'tis",
    "rock'n'roll",
    " ",
    "  ",
    "\t",
    "\n",
    "\x1c",
    "\u2009",
    "\u3000",
    "\x00",
    SEPARATOR_WORD,
    "a" * 40,
]
statement = st.lists(st.sampled_from(PIECES), max_size=25).map("".join) | st.text(max_size=80)
ANALYZERS = [
    Analyzer("word", (1, 2), negation=True),
    Analyzer("word", (1, 3), lowercase=False, negation=True),
    Analyzer("word", (2, 3)),
    Analyzer("char", (3, 6), negation=True),
    Analyzer("char", (1, 2), lowercase=False),
]


def reference(texts, analyzer):
    """Each statement's features, from the analyzer one statement at a time."""
    return [Counter(analyzer(text)) for text in texts]


def through_table(texts, analyzer, limit=None):
    numbering = defaultdict()
    numbering.default_factory = numbering.__len__
    table = ngram_table(analyzer, numbering.__getitem__)
    if limit is not None:
        table.limit = limit
    found = [Counter() for _ in texts]
    names = {}
    for start in range(0, len(texts), 7):  # several chunks: what the tables remember is used again
        columns, rows = feature_occurrences(texts[start : start + 7], analyzer, numbering.__getitem__, table)
        names = {column: feature for feature, column in numbering.items()}
        for row, column in zip(rows.tolist(), columns.tolist()):
            found[start + row][names[column]] += 1
    return found


@pytest.mark.parametrize("analyzer", ANALYZERS, ids=repr)
@settings(max_examples=60, deadline=None)
@given(texts=st.lists(statement, max_size=30))
def test_tables_find_the_analyzers_features_in_hostile_text(analyzer, texts):
    assert through_table(texts, analyzer) == reference(texts, analyzer)


@pytest.mark.parametrize("analyzer", ANALYZERS, ids=repr)
def test_a_table_that_starts_over_finds_the_same_features(analyzer):
    texts = ["We back the plan, not the tax.", "No plan without a vote", "", "the the the"] * 5
    assert through_table(texts, analyzer, limit=3) == reference(texts, analyzer)


def test_a_chunk_holding_the_separator_word_is_split_statement_by_statement():
    analyzer = Analyzer("word", (1, 2))
    texts = [f"we {SEPARATOR_WORD} back", "the plan"]
    assert through_table(texts, analyzer) == reference(texts, analyzer)


def test_long_statements_keep_every_occurrence():
    analyzer = Analyzer("char", (3, 6), negation=True)
    texts = ["not " + "word " * 5000 + "plan.", "x" * 10_000]
    assert through_table(texts, analyzer) == reference(texts, analyzer)


def test_counts_are_sorted_per_row_and_sum_repeats():
    columns = np.array([5, 1, 5, 0, 2, 2, 2], dtype=np.int32)
    rows = np.array([0, 0, 0, 2, 2, 2, 2])
    indptr, indices, counts = count_features(columns, rows, 3)
    assert indptr.tolist() == [0, 2, 2, 4]
    assert indices.tolist() == [1, 5, 0, 2]
    assert counts.tolist() == [1, 2, 1, 3]


def test_counting_in_chunks_equals_counting_at_once(monkeypatch):
    analyzer = Analyzer("word", (1, 2))
    texts = [f"w{i % 7} w{i % 5} w{i % 3}" for i in range(50)]
    numbering = defaultdict()
    numbering.default_factory = numbering.__len__
    whole = occurrences.chunked_counts(texts, analyzer, numbering.__getitem__)
    monkeypatch.setattr(occurrences, "CHUNK", 7)
    chunked = occurrences.chunked_counts(texts, analyzer, numbering.__getitem__)
    for ours, theirs in zip(chunked, whole):
        assert np.array_equal(ours, theirs)
