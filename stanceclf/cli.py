"""The ``stanceclf`` command line: parsing options, calling the library, printing results.

Errors the user can fix arrive as :class:`~stanceclf.errors.StanceError` and leave as one line
on stderr with exit code 2 (see :class:`_Commands`). scikit-learn is imported only by the
commands that train, so ``stanceclf predict`` starts quickly.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from stanceclf.cli_options import (
    READING_NAMES,
    calibration_options,
    cluster_predict_options,
    column_options,
    cv_options,
    evaluation_options,
    label_options,
    labelling_options,
    model_options,
    model_output_option,
    model_path_option,
    out_of_core_options,
    params_from_options,
    predict_options,
    reading_options,
    suggest_command_options,
    summarize_options,
)
from stanceclf.errors import StanceError

EXIT_USER_ERROR = 2


class UserError(click.ClickException):
    """A :class:`StanceError` on its way to the terminal: one line, exit code 2."""

    exit_code = EXIT_USER_ERROR


class _Commands(click.Group):
    """A click group that turns library errors into one clean line and exit code 2."""

    def invoke(self, ctx):
        from stanceclf.interrupts import exit_code, terminate_as_interrupt

        try:
            with terminate_as_interrupt():  # SIGTERM cleans up like Ctrl-C (temporary files, folders)
                return super().invoke(ctx)
        except StanceError as error:
            raise UserError(str(error)) from None
        except KeyboardInterrupt as interruption:
            click.echo("interrupted: nothing was written", err=True)
            ctx.exit(exit_code(interruption))
        except BrokenPipeError:
            # The reader went away (``stanceclf predict ... | head``): not an error of ours.
            sys.stderr.close()
            ctx.exit(0)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="stanceclf")
def main():
    """Say where a statement stands on a proposal: support, oppose or conditional.

    \b
    Example:
      stanceclf predict "Rome will not send troops to Ukraine."
    """


@main.command()
@click.argument("texts", nargs=-1)
@model_path_option
@predict_options
@cluster_predict_options
@click.option("--force", is_flag=True, help="Replace an existing --output file.")
def predict(texts, input_path, output_path, explain, top, **options):
    """Predict the stance of statements given as arguments, on stdin or in a file.

    \b
    Examples:
      stanceclf predict "Rome will not send troops to Ukraine."
      stanceclf predict --proba "We back the plan, provided it is funded."
      cat posts.txt | stanceclf predict - --format jsonl
      stanceclf predict --input posts.csv --format csv --proba --output stances.csv
      stanceclf predict --model semeval.stance --target atheism "God is great"
      stanceclf predict --input article.txt --sentences --format jsonl
      stanceclf predict --input 'posts/*.jsonl' --dask tcp://SCHEDULER:8786 --output-dir out/
    """
    from stanceclf.predicting import predict_statements

    options.update(explain=top if explain else 0, warn=_warn)
    if options["dask"] is not None or options["output_dir"] is not None:
        from stanceclf.cluster import predict_on_cluster

        return predict_on_cluster(input_path=input_path, texts=texts, output_path=output_path, **options)
    del options["dask"], options["output_dir"]
    texts, input_path, output_path = _predict_sources(texts, input_path, output_path)
    # a live line on the terminal, unless the predictions themselves are printed there
    live = input_path is not None and sys.stderr.isatty() and (output_path is not None or not sys.stdout.isatty())
    run = predict_statements(texts, input_path, output_path, live_progress=live, report=_report, **options)
    if run.interrupted:
        click.echo(run.interruption_message(), err=True)
        sys.exit(run.exit_code)


def _predict_sources(texts, input_path, output_path):
    """Statements as arguments, ``-`` or piped input for stdin; ``--output -`` for stdout."""
    if texts == ("-",):
        texts, input_path = (), Path("-")
    if texts and input_path is not None:
        raise click.UsageError("give statements as arguments or --input, not both")
    if not texts and input_path is None:
        if sys.stdin is None or sys.stdin.isatty():
            raise click.UsageError("give a statement, --input FILE, or '-' to read lines from stdin")
        input_path = Path("-")
    if output_path is not None and str(output_path) == "-":
        output_path = None
    return texts, input_path, output_path


def _warn(message: str) -> None:
    click.echo(message, err=True)


def _report(line: str, newline: bool) -> None:
    click.echo(line, nl=newline, err=True)


@main.command()
@summarize_options
def summarize(document, target, model_path, fmt, output_path, force):
    """Say who stands where in an article: each actor's stance, with the sentences it rests on.

    \b
    Examples:
      stanceclf summarize article.txt --target "a sugar tax"
      stanceclf summarize article.txt --format json
      stanceclf summarize article.txt --output table.html
    """
    from stanceclf.summarize import summarize_file

    if fmt is None:
        suffix = output_path.suffix.lower().lstrip(".") if output_path is not None else ""
        fmt = {"htm": "html"}.get(suffix, suffix) if suffix in ("json", "csv", "html", "htm") else "text"
    text = summarize_file(document, target=target, model_path=model_path, fmt=fmt, output=output_path, force=force)
    if text is not None:
        click.echo(text)


@main.command()
@click.argument("data", type=click.Path(path_type=Path))
@model_output_option
@column_options
@model_options
@cv_options("Also report K-fold cross-validated macro-F1.")
@calibration_options
@out_of_core_options
@click.option("--force", is_flag=True, help="Replace an existing model file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def train(data, output_path, cv, group_by, jobs, out_of_core, chunk_size, force, fmt, **options):
    """Train a model on a labelled file and save it.

    DATA is a .csv, .tsv or .jsonl file with a text and a label column, a TweetEval stance
    folder, or a SemEval-2016 Task 6 file.

    \b
    Examples:
      stanceclf train datasets/stance.csv --split train --output my.stance --cv 5
      stanceclf train posts.csv --out-of-core --word-ngrams 1-2 --char-ngrams none -o big.stance
      stanceclf train datasets/stance.csv -o sure.stance --target-precision 0.9 --group-by target
      stanceclf train 'posts/*.jsonl' --out-of-core --buckets 1048576 --dask tcp://SCHEDULER:8786 -o big.stance
    """
    from stanceclf.training import format_summary, train_file

    reading = {name: options.pop(name) for name in (*READING_NAMES, "calibrate", "target_precision", "dask")}
    run = dict(cv=cv, n_jobs=jobs, group_by=group_by, out_of_core=out_of_core, chunk_size=chunk_size, force=force)
    summary = train_file(data, output_path, params_from_options(**options), **run, **reading)
    if fmt == "json":
        click.echo(json.dumps({"data": str(data), "output": str(output_path), **summary.as_dict()}, indent=2))
    else:
        click.echo(format_summary(summary, data, output_path))


@main.command()
@click.argument("data", type=click.Path(path_type=Path))
@model_path_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@column_options
@cv_options("Cross-validate a fresh model on DATA instead.")
@evaluation_options
@model_options
def evaluate(data, model_path, fmt, cv, group_by, jobs, predictions_path, report_path, metric, dask, **options):
    """Score a model on labelled data: accuracy, macro-F1, per-label table, confusion matrix.

    \b
    Examples:
      stanceclf evaluate datasets/stance.csv --split test --model my.stance
      stanceclf evaluate datasets/stance.csv --cv 5 --format json
      stanceclf evaluate datasets/news_test.csv --report report.html
      stanceclf evaluate benchmarks/tweeteval-stance --split test --model semeval.stance --metric semeval
    """
    from stanceclf.cluster import on_cluster
    from stanceclf.training import evaluate_file, format_evaluation

    reading = {name: options.pop(name) for name in READING_NAMES}
    with on_cluster(dask, cv=cv):
        report = evaluate_file(
            data,
            model_path,
            cv=cv,
            params=params_from_options(**options),
            n_jobs=jobs,
            group_by=group_by,
            semeval=metric == "semeval",
            predictions=predictions_path,
            report_path=report_path,
            **reading,
        )
    click.echo(json.dumps(report, indent=2) if fmt == "json" else format_evaluation(report))


@main.command()
@model_path_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def info(model_path, fmt):
    """Describe a model: labels, parameters, vocabulary, training data, metrics, versions.

    \b
    Example:
      stanceclf info --model my.stance
    """
    from stanceclf.describe import describe_model, format_description

    description = describe_model(model_path)
    if fmt == "json":
        click.echo(json.dumps(description, indent=2, ensure_ascii=False))
    else:
        click.echo(format_description(description))


@main.group()
def data():
    """Check a labelled corpus and find rows whose label looks wrong.

    \b
    Examples:
      stanceclf data check datasets/stance.csv
      stanceclf data audit datasets/stance.csv --top 40
    """


@data.command("check")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--text-column", default="text", show_default=True)
@click.option("--label-column", default="label", show_default=True)
@click.option(
    "--labels",
    default="conditional,none,oppose,support",
    show_default=True,
    help="Expected labels, comma-separated; 'any' accepts all.",
)
@label_options[0]
@label_options[1]
@reading_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def data_check(path, labels, fmt, **reading):
    """Counts per label, target and split, lengths, duplicates and conflicts; exit 2 on errors.

    \b
    Example:
      stanceclf data check datasets/stance.csv
    """
    from stanceclf.quality import check_corpus, format_check

    expected = None if labels == "any" else tuple(label.strip() for label in labels.split(","))
    report = check_corpus(path, expected_labels=expected, **reading)
    click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) if fmt == "json" else format_check(report))
    if not report.ok:
        sys.exit(EXIT_USER_ERROR)


@data.command("audit")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@column_options
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=30, show_default=True, help="How many rows to list.")
@click.option("--jobs", type=int, default=None, help="Parallel jobs (-1: all cores).")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
def data_audit(path, folds, top, jobs, fmt, **reading):
    """List the rows whose given label a cross-validated model finds least likely.

    Rows marked * are flagged by confident learning's per-label thresholds; re-read them first.
    With targets, first say whether topic gives the label away: each target's label balance,
    topic-only baselines, and words whose label association flips between targets.

    \b
    Example:
      stanceclf data audit datasets/stance.csv --top 40
    """
    from stanceclf.data import load_dataset
    from stanceclf.quality import audit_labels, format_suspect

    dataset = load_dataset(path, **reading)
    if dataset.targets is not None and fmt == "text":
        from stanceclf.topics import format_topic_report, topic_report

        click.echo(format_topic_report(topic_report(dataset.texts, dataset.targets, dataset.labels, folds=folds)))
        click.echo("")
    rows = audit_labels(dataset, folds=folds, n_jobs=jobs)
    flagged = sum(row.flagged for row in rows)
    for row in rows[:top]:
        click.echo(json.dumps(row.__dict__, ensure_ascii=False) if fmt == "jsonl" else format_suspect(row))
    if fmt == "text":
        click.echo(f"{flagged} of {len(rows)} rows flagged (*) by {folds}-fold cross-validation", err=True)


@main.command()
@suggest_command_options
def suggest(pool, model_path, n, fmt, **options):
    """List the statements of an unlabelled pool that would teach the model most.

    \b
    Example:
      stanceclf suggest posts.csv --model my.stance -n 50 --strategy margin
    """
    from stanceclf.labelling import format_suggestion, suggest_file

    for pick in suggest_file(model_path, pool, n, **options):
        click.echo(json.dumps(pick.as_dict(), ensure_ascii=False) if fmt == "jsonl" else format_suggestion(pick))


@main.command()
@labelling_options
def label(pool, output_path, **options):
    """Label a pool of statements in the terminal, one key per answer, saved as you go.

    \b
    Example:
      stanceclf label posts.txt --output labels.csv --model my.stance
    """
    from stanceclf.terminal import run_labelling

    result = run_labelling(pool, output_path, **options)
    click.echo("\n" + result.summary(output_path), err=True)
    sys.exit(result.exit_code)


if __name__ == "__main__":  # pragma: no cover
    main()
