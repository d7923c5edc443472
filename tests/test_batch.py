"""Batch output formatting: the fast JSON writer writes exactly what json.dumps would."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stanceclf.abstention import Abstention
from stanceclf.batch import _json_line, _JsonlFormatter, neutralise_formula


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.one_of(st.text(), st.tuples(st.text(), st.text())), min_size=1, max_size=6),
    labels=st.lists(st.text(min_size=1, max_size=8), min_size=2, max_size=4, unique=True),
    seed=st.integers(0, 2**32 - 1),
    min_confidence=st.one_of(st.none(), st.floats(0, 1)),
)
def test_fast_jsonl_lines_equal_json_dumps_of_the_records(texts, labels, seed, min_confidence):
    probabilities = np.random.default_rng(seed).dirichlet(np.ones(len(labels)), size=len(texts))
    formatter = _JsonlFormatter(labels, True, 0, Abstention(min_confidence=min_confidence))
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


def test_progress_lines_say_rows_share_rate_and_time_left():
    from stanceclf.batch import BatchProgress, ProgressReport
    from stanceclf.data import ReadProgress

    lines, now, read = [], [0.0], ReadProgress()
    report = ProgressReport(
        lambda line, newline: lines.append((line, newline)),
        every=10_000,
        total_bytes=1000,
        read=read,
        clock=lambda: now[0],
    )
    for rows in (4096, 8192, 12288, 16384, 20480):
        now[0], read.bytes = rows / 1000, rows // 40
        report(BatchProgress(rows=rows))
    assert lines == [
        ("12,288 statements predicted (30.7%, 1,000/s, about 0:00:28 left)", True),
        ("20,480 statements predicted (51.2%, 1,000/s, about 0:00:20 left)", True),
    ]


def test_predict_prints_progress_lines_to_a_log(model_file, tmp_path):
    from click.testing import CliRunner

    from stanceclf.cli import main

    source = tmp_path / "posts.txt"
    source.write_text("We back the tram.\n" * 10_000, encoding="utf-8")
    args = ["predict", "--model", str(model_file), "--input", str(source), "-o", str(tmp_path / "out.jsonl")]
    result = CliRunner().invoke(main, [*args, "--progress-every", "4000"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert [line.split(" statements")[0] for line in lines] == ["4,096", "8,192", "10,000"]
    assert lines[-1].startswith("10,000 statements predicted (100.0%, ")


def test_standard_input_gets_all_cores_and_workers_start_only_for_more_than_a_chunk(monkeypatch, fitted_model):
    import os
    from pathlib import Path

    from stanceclf import batch
    from stanceclf.predicting import default_jobs

    assert default_jobs(Path("-")) == max(1, min(os.cpu_count() or 1, 4))

    def no_workers(*args):
        raise AssertionError("workers started for a single chunk")

    monkeypatch.setattr(batch, "_format_in_workers", no_workers)
    written = []
    batch.predict_rows(fitted_model, enumerate(["We back it."] * 10, start=1), written.append, fmt="text", jobs=2)
    assert "".join(written).count("\n") == 10


@given(st.lists(st.lists(st.text(max_size=20), min_size=2, max_size=5), min_size=1, max_size=5))
def test_csv_lines_read_back_as_the_cells_written(rows):
    import csv
    import io

    from stanceclf.batch import csv_line

    text = "".join(csv_line(row) for row in rows)
    assert list(csv.reader(io.StringIO(text, newline=""))) == rows


def test_every_output_format_has_a_formatter_and_is_offered_by_predict():
    from stanceclf.batch import _FORMAT_OF_EXTENSION, _FORMATTERS, OUTPUT_FORMATS
    from stanceclf.cli import main

    choices = next(param.type.choices for param in main.commands["predict"].params if param.name == "fmt")
    assert set(OUTPUT_FORMATS) == set(_FORMATTERS) == set(choices)
    assert set(_FORMAT_OF_EXTENSION.values()) <= set(OUTPUT_FORMATS)
