"""Training, evaluation and cross-validation as library functions."""

from __future__ import annotations

import numpy as np
from click.testing import CliRunner

from samples import STATEMENTS
from stanceclf import StanceClassifier
from stanceclf.cli import main
from stanceclf.data import load_dataset
from stanceclf.metrics import classification_report
from stanceclf.training import cross_validate


def test_cross_validation_grouped_by_target_scores_each_target_with_a_model_that_never_saw_it(labelled_csv):
    data = load_dataset(labelled_csv)
    report = cross_validate(data, {"char_ngram_range": None}, folds=2, group_by="target")
    texts, labels, targets = (np.array(column, dtype=object) for column in zip(*STATEMENTS))
    pooled = np.empty(len(texts), dtype=object)
    for held_out in ("tram line", "library"):
        test = targets == held_out
        model = StanceClassifier(char_ngram_range=None).fit(list(texts[~test]), list(labels[~test]))
        pooled[test] = model.predict(list(texts[test]))
    assert report["group_by"] == "target"
    assert report["macro_f1"] == classification_report(labels, pooled)["macro_f1"]
    assert report["macro_f1"] != cross_validate(data, {"char_ngram_range": None}, folds=2)["macro_f1"]


def test_cli_cross_validates_by_target_and_needs_cv_for_it(labelled_csv, tmp_path):
    result = CliRunner().invoke(main, ["evaluate", str(labelled_csv), "--cv", "2", "--group-by", "target"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2-fold cross-validation holding out whole targets")
    result = CliRunner().invoke(main, ["train", str(labelled_csv), "-o", str(tmp_path / "m"), "--group-by", "target"])
    assert result.exit_code == 2 and "needs --cv" in result.output


def test_evaluate_writes_every_rows_gold_prediction_and_probabilities(labelled_csv, model_file, tmp_path):
    import csv
    import json

    out = tmp_path / "rows.csv"
    result = CliRunner().invoke(
        main, ["evaluate", str(labelled_csv), "--model", str(model_file), "--predictions", str(out), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["text"] for row in rows] == [s[0] for s in STATEMENTS]
    assert [row["gold"] for row in rows] == [s[1] for s in STATEMENTS] and rows[0]["line"] == "2"
    accuracy = sum(row["correct"] == "true" for row in rows) / len(rows)
    assert accuracy == json.loads(result.stdout)["accuracy"]
    assert all(
        row["predicted"] == max(("conditional", "oppose", "support"), key=lambda k: float(row[f"proba_{k}"]))
        for row in rows
    )
    again = CliRunner().invoke(
        main, ["evaluate", str(labelled_csv), "--model", str(model_file), "--predictions", str(out)]
    )
    assert again.exit_code == 2 and "already exists" in again.output
    jsonl = tmp_path / "rows.jsonl"
    CliRunner().invoke(main, ["evaluate", str(labelled_csv), "--model", str(model_file), "--predictions", str(jsonl)])
    assert json.loads(jsonl.read_text(encoding="utf-8").splitlines()[0])["target"] == "tram line"


def test_train_can_report_as_json(labelled_csv, tmp_path):
    import json

    out = tmp_path / "m.stance"
    args = ["train", str(labelled_csv), "-o", str(out), "--char-ngrams", "none", "--cv", "2", "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rows"] == 24 and summary["label_counts"]["support"] == 8 and summary["output"] == str(out)
    assert summary["cv"]["folds"] == 2 and 0 <= summary["cv"]["macro_f1"] <= 1
    assert summary["params"]["char_ngram_range"] is None


def test_a_per_target_model_cannot_be_cross_validated_on_held_out_targets(labelled_csv):
    import pytest

    from stanceclf.errors import ParameterError

    with pytest.raises(ParameterError, match="only its class priors"):
        cross_validate(load_dataset(labelled_csv), {"target_mode": "per_target"}, folds=2, group_by="target")
