"""Input columns passed through to predict's output, so that a prediction joins back to its row."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from stanceclf.cli import main


@pytest.fixture
def posts(tmp_path):
    path = tmp_path / "posts.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "date", "label"])
        for i in range(5000):
            writer.writerow(
                [f"p{i}", f"We {'back' if i % 2 else 'reject'} the tram, post {i}.", f"2026-01-{i % 28 + 1:02d}", "x"]
            )
    return path


def predict(model_file, *args):
    result = CliRunner().invoke(main, ["predict", "--model", str(model_file), *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("jobs", [1, 2])
def test_csv_output_keeps_every_input_column_by_default(model_file, posts, jobs):
    rows = list(csv.DictReader(predict(model_file, "--input", posts, "--format", "csv", "--jobs", jobs).splitlines()))
    assert len(rows) == 5000
    assert list(rows[0]) == ["text", "label", "id", "date", "input_label"]
    assert [row["id"] for row in rows] == [f"p{i}" for i in range(5000)]
    assert rows[7]["date"] == "2026-01-08" and rows[7]["input_label"] == "x"


def test_named_columns_or_none_are_kept(model_file, posts):
    first = json.loads(
        predict(model_file, "--input", posts, "--format", "jsonl", "--keep-columns", "id").splitlines()[0]
    )
    assert first["id"] == "p0" and "date" not in first
    first = json.loads(
        predict(model_file, "--input", posts, "--format", "jsonl", "--keep-columns", "none").splitlines()[0]
    )
    assert set(first) == {"text", "label", "proba"}


def test_jsonl_values_pass_through_as_they_are_and_csv_refuses_a_column_the_first_row_lacked(model_file, tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_text('{"text": "a", "id": 1}\n{"text": "b", "id": 2, "tags": ["x"]}\n', encoding="utf-8")
    records = [json.loads(line) for line in predict(model_file, "--input", path, "--format", "jsonl").splitlines()]
    assert [r["id"] for r in records] == [1, 2] and records[1]["tags"] == ["x"]
    result = CliRunner().invoke(main, ["predict", "--model", str(model_file), "--input", str(path), "--format", "csv"])
    assert result.exit_code == 2 and "posts.jsonl:2: column 'tags' is not in the first record" in result.output


def test_keep_columns_without_columns_is_refused(model_file, tmp_path):
    result = CliRunner().invoke(main, ["predict", "--model", str(model_file), "--keep-columns", "id", "We back it."])
    assert result.exit_code == 2 and "--keep-columns needs" in result.output
