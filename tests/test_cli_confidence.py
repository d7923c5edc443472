"""The command line's confidence options: --min-confidence, stored thresholds, --target-precision, evaluate."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from samples import STATEMENTS
from stanceclf.abstention import abstention_for
from stanceclf.cli import main
from stanceclf.inference import load_predictor

TEXTS = [s[0] for s in STATEMENTS[:6]] + ["The weather was mild.", "Perhaps."]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def labels_in(output: str, fmt: str) -> list[tuple[str, str | None]]:
    """(label, best_guess) per row of predict's output."""
    if fmt == "text":
        return [(line.split(" (leans ")[0], None) for line in output.splitlines()]
    if fmt == "csv":
        return [(row["label"], row.get("best_guess")) for row in csv.DictReader(io.StringIO(output))]
    records = json.loads(output) if fmt == "json" else [json.loads(line) for line in output.splitlines()]
    return [(record["label"], record.get("best_guess")) for record in records]


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "csv"])
def test_min_confidence_answers_uncertain_below_it_in_every_format(model_file, fmt):
    plain = run("predict", "--model", model_file, "--format", "jsonl", *TEXTS)
    guesses = [label for label, _ in labels_in(plain.output, "jsonl")]
    everything = run("predict", "--model", model_file, "--format", fmt, "--min-confidence", "1", *TEXTS)
    assert everything.exit_code == 0, everything.output
    rows = labels_in(everything.output, fmt)
    assert [label for label, _ in rows] == ["uncertain"] * len(TEXTS)
    if fmt != "text":  # the answer the model would have given stays in its own column
        assert [guess for _, guess in rows] == guesses
    nothing = run("predict", "--model", model_file, "--format", fmt, "--min-confidence", "0", *TEXTS)
    assert [label for label, _ in labels_in(nothing.output, fmt)] == guesses


def test_min_confidence_uncertain_rows_show_in_the_html_page(model_file):
    result = run("predict", "--model", model_file, "--format", "html", "--min-confidence", "1", *TEXTS)
    assert result.exit_code == 0
    assert 'data-label="uncertain"' in result.output


def test_a_model_with_stored_thresholds_abstains_by_them_unless_told_not_to(calibrated_model_file):
    predictor = load_predictor(calibrated_model_file)
    expected = abstention_for(predictor).labels(predictor.predict_proba(TEXTS), predictor.classes_).tolist()
    assert "uncertain" in expected  # else this test would prove nothing
    result = run("predict", "--model", calibrated_model_file, *TEXTS)
    assert [line.split(" (leans ")[0] for line in result.output.splitlines()] == expected
    plain = run("predict", "--model", calibrated_model_file, "--no-thresholds", *TEXTS)
    assert plain.output.splitlines() == predictor.predict(TEXTS).tolist()


@pytest.mark.parametrize("fmt", ["text", "jsonl", "csv"])
def test_quick_predict_path_abstains_exactly_as_the_full_cli(calibrated_model_file, fmt, capsys):
    from stanceclf.launcher import _parse_quick_predict
    from stanceclf.launcher import main as launcher_main

    args = ["predict", "--model", str(calibrated_model_file), "--format", fmt, "--proba", *TEXTS]
    assert _parse_quick_predict(args) is not None
    with pytest.raises(SystemExit):
        launcher_main(args)
    quick = capsys.readouterr().out
    assert "uncertain" in quick
    assert quick == run(*args).output


def test_min_confidence_outside_zero_to_one_is_refused(model_file):
    result = run("predict", "--model", model_file, "--min-confidence", "1.5", "x")
    assert result.exit_code == 2 and "1.5" in result.output


def test_evaluate_reports_ece_and_coverage_and_precision_at_the_stored_thresholds(calibrated_model_file, labelled_csv):
    text = run("evaluate", labelled_csv, "--model", calibrated_model_file)
    assert text.exit_code == 0, text.output
    assert "ECE " in text.output and "equal-width bins" in text.output
    assert "abstaining by the stored thresholds (for precision 0.90): coverage" in text.output
    report = json.loads(run("evaluate", labelled_csv, "--model", calibrated_model_file, "--format", "json").output)
    assert 0 <= report["calibration"]["ece"] <= 1 and report["calibration"]["temperature"] != 1.0
    abstention = report["abstention"]
    assert abstention["n"] == len(STATEMENTS) and abstention["answered"] <= abstention["n"]
    assert abstention["coverage"] == pytest.approx(abstention["answered"] / abstention["n"])
    assert {"precision", "macro_f1", "thresholds", "per_label"} <= set(abstention)


def test_evaluating_an_uncalibrated_model_reports_its_ece_and_no_abstention(model_file, labelled_csv):
    report = json.loads(run("evaluate", labelled_csv, "--model", model_file, "--format", "json").output)
    assert report["calibration"]["temperature"] == 1.0 and "abstention" not in report


def test_train_with_a_target_precision_prints_and_stores_the_thresholds(labelled_csv, tmp_path):
    result = run("train", labelled_csv, "-o", tmp_path / "m.stance", "--target-precision", "0.8")
    assert result.exit_code == 0, result.output
    assert "calibrated      temperature" in result.output and "for precision 0.80" in result.output
    stored = load_predictor(tmp_path / "m.stance").model.calibration
    assert stored["target_precision"] == 0.8 and set(stored["thresholds"]) == {"conditional", "oppose", "support"}


@pytest.mark.parametrize(
    "options, message",
    [
        (["--calibrate", "--out-of-core"], "cannot be combined with --out-of-core"),
        (["--target-precision", "0"], "0<x<=1"),
        (["--group-by", "target"], "needs --cv K (or --calibrate)"),
    ],
)
def test_calibration_options_that_cannot_work_are_refused(labelled_csv, tmp_path, options, message):
    result = run("train", labelled_csv, "-o", tmp_path / "m.stance", *options)
    assert result.exit_code == 2 and message in result.output


def test_info_shows_the_temperature_and_the_thresholds(calibrated_model_file, model_file):
    shown = run("info", "--model", calibrated_model_file).output
    assert "calibrated  temperature" in shown and "abstains    below conditional" in shown
    assert "calibrated" not in run("info", "--model", model_file).output
    described = json.loads(run("info", "--model", calibrated_model_file, "--format", "json").output)
    assert (
        described["calibration"]["thresholds"] == load_predictor(calibrated_model_file).model.calibration["thresholds"]
    )
    assert "cv_log_loss" in described["calibration_fit"]


def test_an_uncertain_answer_still_explains_the_label_the_model_leaned_to(model_file):
    result = run("predict", "--model", model_file, "--explain", "--min-confidence", "1", TEXTS[0])
    leaned = run("predict", "--model", model_file, TEXTS[0]).output.strip()
    lines = result.output.splitlines()
    assert lines[0] == f"uncertain (leans {leaned})"
    assert lines[2].startswith(f"  {leaned} over ")


def test_plain_predict_with_a_calibrated_model_imports_neither_scikit_learn_scipy_nor_matplotlib(calibrated_model_file):
    import subprocess
    import sys

    code = (
        "import sys, atexit\n"
        "atexit.register(lambda: print(sorted(m for m in ('sklearn', 'scipy', 'matplotlib', 'click') "
        "if m in sys.modules), file=sys.stderr))\n"
        "from stanceclf.launcher import main\n"
        f"main(['predict', '--model', {str(calibrated_model_file)!r}, 'We back the plan.'])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"
