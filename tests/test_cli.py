"""The command line: each command works, and every user mistake ends in one line and exit 2."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from samples import STATEMENTS
from stanceclf.cli import main


@pytest.fixture
def run():
    def invoke(*args, input=None):
        return CliRunner().invoke(main, [str(a) for a in args], input=input)

    return invoke


def assert_one_line_error(result, *fragments):
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


def test_train_saves_a_model_and_summarises_it(run, labelled_csv, tmp_path):
    out = tmp_path / "m.stance"
    result = run("train", labelled_csv, "--output", out, "--cv", 2, "--char-ngrams", "none")
    assert result.exit_code == 0, result.output
    assert "trained on 24 statements" in result.output
    assert "2-fold CV      macro-F1" in result.output
    assert "features" in result.output and out.exists()


def test_train_refuses_to_overwrite_without_force(run, labelled_csv, tmp_path):
    out = tmp_path / "m.stance"
    out.write_bytes(b"old")
    assert_one_line_error(run("train", labelled_csv, "--output", out), "already exists", "--force")
    assert out.read_bytes() == b"old"
    assert run("train", labelled_csv, "--output", out, "--force").exit_code == 0


def test_predict_prints_one_label_per_statement(run, model_file):
    result = run("predict", "--model", model_file, "We reject the tram scheme outright.", "We welcome the tram plan.")
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["oppose", "support"]


def test_predict_jsonl_gives_text_label_and_every_probability(run, model_file):
    result = run("predict", "--model", model_file, "--format", "jsonl", "We reject the tram.", "Fine,\nyes")
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in records] == ["We reject the tram.", "Fine,\nyes"]
    assert all(set(r["proba"]) == {"support", "oppose", "conditional"} for r in records)
    assert all(abs(sum(r["proba"].values()) - 1) < 1e-9 for r in records)
    assert records[0]["label"] == max(records[0]["proba"], key=records[0]["proba"].get)


def test_predict_reads_stdin_lines_when_given_a_dash(run, model_file):
    result = run("predict", "--model", model_file, "-", input="We reject the tram.\nWe back the library.\n")
    assert result.exit_code == 0
    assert len(result.output.splitlines()) == 2


def test_predict_json_output_is_one_valid_array(run, model_file):
    result = run("predict", "--model", model_file, "--format", "json", "a", "b", "c")
    assert [r["text"] for r in json.loads(result.output)] == ["a", "b", "c"]


def test_predict_csv_output_neutralises_formulas_and_round_trips_newlines(run, model_file, tmp_path):
    source = tmp_path / "posts.jsonl"
    texts = ["=cmd|' /C calc'!A0", 'plain, with "quotes"', "two\nlines", "-1 for the tram", "@mayor yes"]
    source.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("predict", "--model", model_file, "--input", source, "--format", "csv", "--proba", "--output", out)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert [r["text"] for r in rows] == [
        "'=cmd|' /C calc'!A0",
        'plain, with "quotes"',
        "two\nlines",
        "'-1 for the tram",
        "'@mayor yes",
    ]
    assert {"proba_support", "proba_oppose", "proba_conditional"} <= set(rows[0])


def test_predict_output_file_needs_force_to_be_replaced(run, model_file, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("keep me", encoding="utf-8")
    assert_one_line_error(run("predict", "--model", model_file, "yes", "--output", out), "already exists")
    assert out.read_text(encoding="utf-8") == "keep me"


def test_predict_explain_reconciles_the_label_with_scores_and_the_runner_up(run, model_file):
    result = run("predict", "--model", model_file, "--explain", "--top", "2", "We reject the tram scheme outright.")
    lines = result.output.splitlines()
    assert lines[0] == "oppose"
    assert lines[1].startswith("  scores (intercept + features; the highest wins): conditional ")
    assert lines[2].startswith("  oppose over ") and lines[2].endswith(", the sum of:")
    margin = float(lines[2].split(" by ")[1].split(",")[0])
    evidence_at = next(i for i, line in enumerate(lines) if line.startswith("  evidence: "))
    parts = [float(line.split()[0]) for line in lines[3:evidence_at]]
    assert lines[3].endswith("intercepts") and lines[evidence_at - 1].endswith("all other features") and len(parts) == 4
    assert abs(sum(parts) - margin) < 0.01


def test_predict_with_the_default_model(run):
    result = run("predict", "Rome will not send troops to Ukraine.")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "oppose"


def test_evaluate_reports_every_required_key_as_json(run, labelled_csv, model_file):
    result = run("evaluate", labelled_csv, "--model", model_file, "--format", "json")
    report = json.loads(result.output)
    assert {"accuracy", "macro_f1", "labels", "per_label", "confusion_matrix", "n"} <= set(report)
    assert report["n"] == len(STATEMENTS) and report["accuracy"] == 1.0


@pytest.mark.slow
def test_evaluate_cross_validates_a_fresh_model(run, labelled_csv):
    result = run("evaluate", labelled_csv, "--cv", 3, "--format", "json", "--jobs", 2)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["folds"] == 3 and len(report["fold_macro_f1"]) == 3 and report["n"] == len(STATEMENTS)


def test_evaluate_text_report_has_the_confusion_matrix(run, labelled_csv, model_file):
    result = run("evaluate", labelled_csv, "--model", model_file)
    assert "confusion matrix" in result.output and "macro-F1" in result.output


def test_info_describes_the_model(run, model_file):
    result = run("info", "--model", model_file, "--format", "json")
    description = json.loads(result.output)
    assert description["labels"] == ["conditional", "oppose", "support"]
    assert description["features"]["word"] > 0 and "versions" in description


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"text,label\nWe back it.,support\n,oppose\n", "bad.csv:3: empty text"),
        (b"text,label\nWe back it.,support\nNo.,\n", "bad.csv:3: missing label"),
        (b"body,label\nWe back it.,support\n", "bad.csv:1: no column 'text'"),
        (b"text,label\nWe back it.,support\nAgain.,support\n", "only one label"),
        (b"text,label\nWe back it.,support\n\xc3(,oppose\n", "bad.csv:3: not valid UTF-8"),
        (b"text,label\nWe back it.,support\nNo.,oppose\nWe back it.,oppose\n", "bad.csv:4: this text was labelled"),
    ],
)
@pytest.mark.parametrize("mode", [[], ["--out-of-core"]], ids=["in-memory", "out-of-core"])
def test_bad_training_data_gives_one_line_and_exit_2(run, tmp_path, content, fragment, mode):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    out = tmp_path / "m.stance"
    assert_one_line_error(run("train", bad, "--output", out, *mode), fragment)
    assert not out.exists()


def test_out_of_core_training_writes_a_hashed_model_that_predicts(run, labelled_csv, tmp_path):
    out = tmp_path / "big.stance"
    result = run(
        "train", labelled_csv, "-o", out, "--out-of-core", "--chunk-size", "7", "--buckets", "4096", "--epochs", "20"
    )
    assert result.exit_code == 0, result.output
    assert "4 chunks" in result.output and "24 statements" in result.output
    described = json.loads(run("info", "--model", out, "--format", "json").output)
    assert described["hashed"] and described["features"] == {"word": 4096, "char": 4096}
    assert described["out_of_core"] == {"chunk_size": 7, "chunks": 4}
    predicted = run("predict", "--model", out, *[text for text, _, _ in STATEMENTS]).output.split()
    assert sum(p == label for p, (_, label, _) in zip(predicted, STATEMENTS)) >= 20


@pytest.mark.parametrize(
    "options, fragment",
    [
        (["--out-of-core", "--cv", "3"], "cannot be combined with --out-of-core"),
        (["--out-of-core", "--solver", "lbfgs"], "trains with the sgd solver"),
        (["--buckets", "64", "--min-df", "2"], "do not apply to hashed features"),
    ],
)
def test_option_combinations_that_cannot_work_are_refused(run, labelled_csv, tmp_path, options, fragment):
    out = tmp_path / "m.stance"
    assert_one_line_error(run("train", labelled_csv, "-o", out, *options), fragment)
    assert not out.exists()


def test_missing_files_give_one_line_and_exit_2(run, tmp_path, model_file):
    assert_one_line_error(run("train", tmp_path / "none.csv", "-o", tmp_path / "m"), "none.csv: no such file")
    assert_one_line_error(run("predict", "--model", tmp_path / "none.stance", "x"), "no such model file")
    assert_one_line_error(
        run("predict", "--model", model_file, "--input", tmp_path / "none.txt"), "none.txt: no such file"
    )


def test_cv_with_more_folds_than_examples_is_a_clear_error(run, labelled_csv):
    assert_one_line_error(run("evaluate", labelled_csv, "--cv", 20), "has only 8 statements")


def _command_paths(command: click.Command, path: tuple[str, ...] = ()):
    """Every command and group under ``command``, as the words that call it."""
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _command_paths(sub, (*path, name))


def test_every_command_has_help_with_an_example(run):
    paths = list(_command_paths(main))
    assert {("predict",), ("train",), ("data", "check"), ("label",)} <= set(paths)  # the walk finds them
    for command in paths:
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Example" in result.output, command


def test_installed_console_script_predicts_in_a_real_process(model_file):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "stanceclf",
            "predict",
            "--model",
            str(model_file),
            "We reject the tram scheme outright.",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "oppose"


@pytest.mark.slow
def test_real_process_reports_bad_input_without_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"text,label\n,support\n")
    result = subprocess.run(
        [sys.executable, "-m", "stanceclf", "train", str(bad), "-o", str(tmp_path / "m.stance")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"Error: {bad}:2: empty text (every row needs a statement in column 'text')"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["predict", "We reject the tram.", "Only if the budget is audited."],
        ["predict", "--proba", "We reject the tram."],
        ["predict", "--format", "jsonl", "We reject the tram.", "x\ny"],
        ["predict", "--format=csv", "--proba", "=SUM(A1)", "We back it"],
        ["predict", "--format", "json", "a", "b"],
    ],
)
def test_quick_predict_path_prints_exactly_what_the_full_cli_prints(model_file, args, capsys):
    from stanceclf.launcher import _parse_quick_predict
    from stanceclf.launcher import main as launcher_main

    args = [args[0], "--model", str(model_file), *args[1:]]
    assert _parse_quick_predict(args) is not None
    with pytest.raises(SystemExit) as exited:
        launcher_main(args)
    assert exited.value.code == 0
    quick = capsys.readouterr().out
    full = CliRunner().invoke(main, args)
    assert full.exit_code == 0
    assert quick == full.output


@pytest.mark.parametrize(
    "args",
    [["predict"], ["predict", "-"], ["predict", "--explain", "x"], ["predict", "--format", "xml", "x"], ["info"]],
)
def test_calls_the_quick_path_cannot_answer_go_to_the_full_cli(args):
    from stanceclf.launcher import _parse_quick_predict

    assert _parse_quick_predict(args) is None


def test_quick_path_reports_a_missing_model_in_one_line(tmp_path, capsys):
    from stanceclf.launcher import main as launcher_main

    with pytest.raises(SystemExit) as exited:
        launcher_main(["predict", "--model", str(tmp_path / "gone.stance"), "x"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip() == f"Error: {tmp_path / 'gone.stance'}: no such model file"


def test_parallel_prediction_gives_the_same_output_in_the_same_order(run, model_file, tmp_path):
    source = tmp_path / "many.txt"
    lines = [
        f"Statement {i}: we {'back' if i % 3 else 'reject'} the tram {'provided it is funded' * (i % 2)}"
        for i in range(9000)
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}.jsonl"
        result = run(
            "predict", "--model", model_file, "--input", source, "--format", "jsonl", "--jobs", jobs, "-o", out
        )
        assert result.exit_code == 0, result.output
        outputs[jobs] = out.read_text(encoding="utf-8")
    assert outputs[1] == outputs[2]
    assert [json.loads(line)["text"] for line in outputs[2].splitlines()] == lines


def test_jsonl_output_escapes_unicode_line_separators(run, model_file):
    result = run("predict", "--model", model_file, "--format", "jsonl", "a\u2028b", "c\x85d")
    records = result.output.splitlines()
    assert len(records) == 2
    assert [json.loads(r)["text"] for r in records] == ["a\u2028b", "c\x85d"]


SEMEVAL_ROWS = [("We reject the tram scheme outright.", "AGAINST"), ("We welcome the tram plan.", "FAVOR")]


def test_evaluate_refuses_labels_the_model_lacks_and_names_both_label_sets(run, model_file, tmp_path, write_csv):

    data = write_csv(tmp_path / "semeval.csv", SEMEVAL_ROWS, header=("text", "label"))
    assert_one_line_error(
        run("evaluate", data, "--model", model_file), "AGAINST, FAVOR", "conditional, oppose, support"
    )
    mapped = run("evaluate", data, "--model", model_file, "--label-map", "FAVOR=support,AGAINST=oppose")
    assert mapped.exit_code == 0, mapped.output
    assert "accuracy    1.0000" in mapped.output


def test_a_malformed_label_map_is_a_usage_error(run, model_file, labelled_csv):
    result = run("evaluate", labelled_csv, "--model", model_file, "--label-map", "FAVOR")
    assert result.exit_code == 2 and "'FAVOR' is not FROM=TO" in result.output and "Traceback" not in result.output


def test_labels_differing_only_in_case_fail_train_and_data_check_unless_folded(run, tmp_path, write_csv):

    rows = [(text, label.capitalize() if i == 0 else label) for i, (text, label, _) in enumerate(STATEMENTS)]
    data = write_csv(tmp_path / "case.csv", rows, header=("text", "label"))
    assert_one_line_error(run("train", data, "-o", tmp_path / "m.stance"), "'Support'", "differ only in case")
    checked = run("data", "check", data, "--labels", "any")
    assert checked.exit_code == 2 and "differ only in case" in checked.output
    folded = run("train", data, "-o", tmp_path / "m.stance", "--fold-case", "--char-ngrams", "none")
    assert folded.exit_code == 0, folded.output
    assert run("data", "check", data, "--fold-case").exit_code in (0, 2)  # warnings only; no case error
    assert "differ only in case" not in run("data", "check", data, "--fold-case").output


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (["--word-ngrams", "none", "--char-ngrams", "none"], "cannot both be 'none'"),
        (["--cv", "3", "--jobs", "0"], "not 0"),
    ],
)
def test_parameters_that_cannot_work_are_one_line_not_a_traceback(run, labelled_csv, tmp_path, extra, fragment):
    assert_one_line_error(run("train", labelled_csv, "-o", tmp_path / "m.stance", *extra), fragment)


def test_predict_from_a_closed_standard_input_is_one_line(model_file):
    command = f'"{sys.executable}" -m stanceclf predict --model "{model_file}" - <&-'
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Error: <stdin>: standard input is closed (give statements or --input FILE)"
    ]


def test_a_statement_argument_naming_an_existing_file_is_warned_about(run, model_file, tmp_path, monkeypatch, capsys):
    from stanceclf.launcher import main as launcher_main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "posts.txt").write_text("We back the tram.\n", encoding="utf-8")
    result = run("predict", "--model", model_file, "--proba", "posts.txt")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1
    assert "argument 1 'posts.txt' is an existing file" in result.stderr and "--input posts.txt" in result.stderr
    with pytest.raises(SystemExit):
        launcher_main(["predict", "--model", str(model_file), "posts.txt"])
    assert "is an existing file" in capsys.readouterr().err


@pytest.mark.parametrize("name, first_line", [("out.csv", "text,label"), ("out.jsonl", '{"text": "We back it."')])
def test_the_output_format_follows_the_extension(run, model_file, tmp_path, name, first_line):
    out = tmp_path / name
    assert run("predict", "--model", model_file, "We back it.", "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith(first_line)


def test_a_format_contradicting_the_extension_is_refused(run, model_file, tmp_path):
    result = run("predict", "--model", model_file, "We back it.", "-o", tmp_path / "out.csv", "--format", "jsonl")
    assert_one_line_error(result, "--format jsonl does not match the extension '.csv'")
    assert not (tmp_path / "out.csv").exists()


def test_output_dash_is_standard_output(run, model_file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("predict", "--model", model_file, "We back it.", "-o", "-", "--format", "jsonl")
    assert result.exit_code == 0 and json.loads(result.stdout)["text"] == "We back it."
    assert list(tmp_path.iterdir()) == []


def test_train_and_predict_read_semicolon_cp1252_files_when_told(run, tmp_path):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([("text", "label"), *[row[:2] for row in STATEMENTS]])
    data = tmp_path / "export.csv"
    data.write_bytes((buffer.getvalue() + "Caf\u00e9 owners back the tram.;support\n").encode("cp1252"))
    model = tmp_path / "m.stance"
    common = ["--delimiter", ";", "--encoding", "cp1252"]
    assert run("train", data, "-o", model, "--char-ngrams", "none", *common).exit_code == 0
    result = run("predict", "--model", model, "--input", data, "--format", "csv", *common)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("Caf\u00e9 owners back the tram.,")
    assert run("data", "check", data, *common).exit_code in (0, 2)
    assert "not valid" not in run("data", "check", data, *common).output


def test_skip_lines_resumes_after_the_rows_an_interrupted_run_wrote(run, model_file, tmp_path):
    source = tmp_path / "posts.csv"
    source.write_text(
        'id,text\n1,We back it.\n2,"Not yet,\nmaybe later."\n3,We reject it.\n4,Only if funded.\n', "utf-8"
    )
    full = run("predict", "--model", model_file, "--input", source, "--format", "jsonl").stdout.splitlines()
    # a run interrupted after two rows says "through input line 4" (row 2 spans lines 3-4)
    rest = run("predict", "--model", model_file, "--input", source, "--format", "jsonl", "--skip-lines", 4)
    assert rest.exit_code == 0, rest.output
    assert full[:2] + rest.stdout.splitlines() == full
    assert [json.loads(line)["id"] for line in rest.stdout.splitlines()] == ["3", "4"]


def test_gzip_input_and_output_are_read_and_written_by_their_extension(run, model_file, labelled_csv, tmp_path):
    import gzip

    packed = tmp_path / "labels.csv.gz"
    packed.write_bytes(gzip.compress(labelled_csv.read_bytes()))
    assert run("train", packed, "-o", tmp_path / "m.stance", "--char-ngrams", "none").exit_code == 0
    out = tmp_path / "out.jsonl.gz"
    result = run("predict", "--model", model_file, "--input", packed, "-o", out)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in gzip.decompress(out.read_bytes()).decode("utf-8").splitlines()]
    assert [r["text"] for r in records] == [s[0] for s in STATEMENTS] and records[0]["input_target"] == "tram line"
    truncated = tmp_path / "cut.csv.gz"
    truncated.write_bytes(packed.read_bytes()[:-30])
    assert_one_line_error(run("train", truncated, "-o", tmp_path / "n.stance"), "cut.csv.gz:", "truncated gzip data")
