"""Batch output formatting: the fast JSON writer writes exactly what json.dumps would."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stanceclf.batch import _json_line, _JsonlFormatter, neutralise_formula


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.one_of(st.text(), st.tuples(st.text(), st.text())), min_size=1, max_size=6),
    labels=st.lists(st.text(min_size=1, max_size=8), min_size=2, max_size=4, unique=True),
    seed=st.integers(0, 2**32 - 1),
)
def test_fast_jsonl_lines_equal_json_dumps_of_the_records(texts, labels, seed):
    probabilities = np.random.default_rng(seed).dirichlet(np.ones(len(labels)), size=len(texts))
    formatter = _JsonlFormatter(labels, True, 0)
    fast = list(formatter.lines(texts, probabilities, None))
    assert fast == [_json_line(record) for record in formatter.records(texts, probabilities, None)]


def test_formula_prefixes_are_neutralised_and_others_kept():
    assert [neutralise_formula(c) for c in ["=1+1", "+1", "-1", "@a", "\tx", "plain", ""]] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "plain",
        "",
    ]
