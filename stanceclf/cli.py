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


class NgramRange(click.ParamType):
    """``2-5`` (or ``1``) as a tuple ``(2, 5)``; ``none`` as None; bounds from the parameter table."""

    name = "RANGE"

    def __init__(self, param: str = "word_ngram_range"):
        self.param = param

    def convert(self, value, param, ctx):
        from stanceclf.params import allowed, check_param

        if value is None or isinstance(value, tuple):
            return value
        if str(value).lower() == "none":
            return None
        low, _, high = str(value).partition("-")
        try:
            bounds = (int(low), int(high or low))
            check_param(self.param, bounds)
        except (ValueError, StanceError):
            self.fail(f"{value!r} is not a range like 1-2 or 'none': {allowed(self.param)}", param, ctx)
        return bounds


def param_type(name: str) -> click.ParamType:
    """The click type of a :class:`StanceClassifier` parameter, read from its constraints table."""
    from stanceclf.params import PARAMETER_CONSTRAINTS, Interval, Options
    from stanceclf.params import NgramRange as Pair

    for constraint in PARAMETER_CONSTRAINTS[name]:
        if isinstance(constraint, Pair):
            return NgramRange(name)
        if isinstance(constraint, Options):
            none = any(c.accepts(None) for c in PARAMETER_CONSTRAINTS[name])
            return click.Choice([*constraint.values, *(["none"] if none else [])])
        if isinstance(constraint, Interval):
            kind = click.IntRange if constraint.kind is int else click.FloatRange
            return kind(
                min=constraint.low,
                max=constraint.high,
                min_open=constraint.closed in ("right", "neither"),
                max_open=constraint.closed in ("left", "neither"),
            )
    raise TypeError(f"no click type for parameter {name}")  # pragma: no cover - booleans are flags


class LabelMap(click.ParamType):
    """``FAVOR=support,AGAINST=oppose`` as a dict."""

    name = "FROM=TO,..."

    def convert(self, value, param, ctx):
        from stanceclf.data import parse_label_map

        if value is None or isinstance(value, dict):
            return value
        try:
            return parse_label_map(value)
        except StanceError as error:
            self.fail(str(error), param, ctx)


_label_options = [
    click.option("--label-map", type=LabelMap(), default=None, help="Rename labels: FAVOR=support,AGAINST=oppose."),
    click.option("--fold-case", is_flag=True, help="Lower-case labels, so that 'Support' and 'support' are one."),
]


def _model_options(command):
    """The StanceClassifier parameters as options of ``train`` and ``evaluate --cv``."""
    options = [
        click.option(
            "--word-ngrams",
            type=param_type("word_ngram_range"),
            default="1-2",
            show_default=True,
            help="Word n-gram sizes, or 'none'.",
        ),
        click.option(
            "--char-ngrams",
            type=param_type("char_ngram_range"),
            default="3-6",
            show_default=True,
            help="Character n-gram sizes, or 'none'.",
        ),
        click.option("--negation/--no-negation", default=True, show_default=True, help="Mark the scope of negations."),
        click.option(
            "--char-negation/--no-char-negation",
            default=True,
            show_default=True,
            help="Mark negation scopes in the character n-grams too.",
        ),
        click.option("--lowercase/--no-lowercase", default=True, show_default=True),
        click.option("--sublinear-tf/--no-sublinear-tf", default=True, show_default=True, help="Use 1 + log(tf)."),
        click.option("--min-df", type=param_type("min_df"), default=1, show_default=True, help="Drop rarer features."),
        click.option(
            "--max-features",
            type=param_type("max_features"),
            default=None,
            help="Keep the most frequent features of each block.",
        ),
        click.option(
            "--buckets",
            "n_buckets",
            type=param_type("n_buckets"),
            default=None,
            help="Hash features into N columns per block instead of a vocabulary (default 1048576 with --out-of-core).",
        ),
        click.option(
            "-C",
            "--C",
            "C",
            type=param_type("C"),
            default=10.0,
            show_default=True,
            help="Inverse regularisation strength.",
        ),
        click.option("--class-weight", type=param_type("class_weight"), default="balanced", show_default=True),
        click.option(
            "--solver",
            type=param_type("solver"),
            default="auto",
            show_default=True,
            help="lbfgs: exact, slow on large data; sgd: passes of minibatch Adagrad; auto: sgd from 50,000 rows.",
        ),
        click.option(
            "--epochs", type=param_type("epochs"), default=2, show_default=True, help="Passes of the sgd solver."
        ),
        click.option(
            "--seed",
            "random_state",
            type=param_type("random_state"),
            default=0,
            show_default=True,
            help="Seed of the sgd solver.",
        ),
        click.option(
            "--target-mode",
            type=param_type("target_mode"),
            default="none",
            show_default=True,
            help="Use each statement's target: one global model with target-tied features, or one model per target.",
        ),
        click.option("--target-weight", type=param_type("target_weight"), default=0.5, show_default=True),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _params(
    word_ngrams,
    char_ngrams,
    negation,
    char_negation,
    lowercase,
    sublinear_tf,
    min_df,
    max_features,
    n_buckets,
    C,
    class_weight,
    solver,
    epochs,
    random_state,
    target_mode,
    target_weight,
) -> dict:
    if n_buckets is not None and (min_df != 1 or max_features is not None):
        raise UserError("--min-df and --max-features do not apply to hashed features (--buckets)")
    return {
        "target_mode": target_mode,
        "target_weight": target_weight,
        "word_ngram_range": word_ngrams,
        "char_ngram_range": char_ngrams,
        "negation": negation,
        "char_negation": char_negation,
        "lowercase": lowercase,
        "sublinear_tf": sublinear_tf,
        "min_df": min_df,
        "max_features": max_features,
        "n_buckets": n_buckets,
        "C": C,
        "class_weight": None if class_weight == "none" else class_weight,
        "solver": solver,
        "epochs": epochs,
        "random_state": random_state,
    }


_reading_options = [
    click.option("--delimiter", default=None, help="CSV field separator, e.g. ';' or tab [default: by extension]."),
    click.option("--encoding", default="utf-8", show_default=True, help="Input encoding, e.g. cp1252."),
]


def _reading(command):
    for option in reversed(_reading_options):
        command = option(command)
    return command


def _column_options(command, *, labels: bool = True):
    command = click.option("--split", default=None, help="Use only the rows whose 'split' column holds this value.")(
        command
    )
    command = click.option(
        "--target-column", default=None, help="Column naming the target [default: 'target' if present]."
    )(command)
    command = _reading(command)
    if labels:
        for option in reversed(_label_options):
            command = option(command)
        command = click.option("--label-column", default="label", show_default=True)(command)
    return click.option("--text-column", default="text", show_default=True)(command)


_model_path = click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Model file [default: the model shipped with stanceclf].",
)


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
@_model_path
@click.option(
    "--input",
    "-i",
    "input_path",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Read statements from a .txt (one a line), .csv, .tsv or .jsonl file; '-' for stdin.",
)
@click.option(
    "--output",
    "-o",
    "output_path",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="Write here instead of stdout (atomically); '-' is stdout.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl", "csv"]),
    default=None,
    help="Output format [default: from the --output extension (.csv, .jsonl, .json, .txt), else text].",
)
@click.option("--proba", is_flag=True, help="Show every label's probability.")
@click.option("--explain", is_flag=True, help="Show the features that pushed each label.")
@click.option(
    "--top", type=click.IntRange(min=1), default=5, show_default=True, help="Features per label with --explain."
)
@click.option("--text-column", default="text", show_default=True, help="Text column of a CSV/TSV/JSONL input.")
@click.option("--target", default=None, help="The target of every statement (models trained with --target-mode).")
@click.option("--target-column", default=None, help="Target column of a CSV/TSV/JSONL input.")
@click.option(
    "--keep-columns",
    default=None,
    help="Input columns to copy into csv/jsonl output: 'id,date', 'none' [default: all].",
)
@_reading
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes [default: all cores, up to 4, for stdin and input files over 1 MB; else 1].",
)
@click.option(
    "--skip-lines",
    type=click.IntRange(min=0),
    default=0,
    help="Leave out the input rows on the first N lines: resume where an interrupted run stopped.",
)
@click.option(
    "--progress-every",
    type=click.IntRange(min=1),
    default=None,
    help="Print a progress line to stderr every N rows, with % done and time left for a file.",
)
@click.option(
    "--sentences",
    is_flag=True,
    help="Split documents into sentences and predict each (a .txt file or stdin is one document; "
    "a CSV/TSV/JSONL row's text is one). Needs the 'sentences' extra.",
)
@click.option("--force", is_flag=True, help="Replace an existing --output file.")
def predict(
    texts,
    model_path,
    input_path,
    output_path,
    fmt,
    proba,
    explain,
    top,
    text_column,
    target,
    target_column,
    keep_columns,
    delimiter,
    encoding,
    jobs,
    skip_lines,
    progress_every,
    sentences,
    force,
):
    """Predict the stance of statements given as arguments, on stdin or in a file.

    \b
    Examples:
      stanceclf predict "Rome will not send troops to Ukraine."
      stanceclf predict --proba "We back the plan, provided it is funded."
      cat posts.txt | stanceclf predict - --format jsonl
      stanceclf predict --input posts.csv --format csv --proba --output stances.csv
      stanceclf predict --model semeval.stance --target atheism "God is great"
      stanceclf predict --input article.txt --sentences --format jsonl
    """
    from stanceclf.batch import (
        BatchProgress,
        ProgressReport,
        columns_to_keep,
        output_format,
        partial_path,
        predict_rows,
        predict_to_file,
    )
    from stanceclf.data import ReadProgress, check_text_length, file_argument_warnings, is_encodable
    from stanceclf.inference import load_predictor
    from stanceclf.interrupts import GracefulStop
    from stanceclf.persist import default_model_path
    from stanceclf.targets import check_target_options, checked_targets

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
    fmt = output_format(output_path, fmt)
    if output_path is not None and output_path.exists() and not force:
        raise UserError(f"{output_path}: already exists (use --force to replace it)")
    for number, text in enumerate(texts, start=1):
        check_text_length("argument", number, text)
        if not is_encodable(text):
            raise UserError(f"argument {number}: not valid UTF-8 (check the terminal's encoding)")
    predictor = load_predictor(model_path or default_model_path())
    if target is not None and target_column is not None:
        raise click.UsageError("give --target or --target-column, not both")
    for warning in check_target_options(predictor, target, target_column) + file_argument_warnings(texts):
        click.echo(warning, err=True)
    keep = columns_to_keep(keep_columns, None if texts else input_path, fmt)
    read_progress = ReadProgress()
    rows = _input_rows(
        texts,
        input_path,
        sentences=sentences,
        text_column=text_column,
        target_column=target_column,
        delimiter=delimiter,
        encoding=encoding,
        keep_columns=keep,
        read_progress=read_progress,
        skip_lines=skip_lines,
    )
    if target_column is not None and predictor.uses_targets:
        rows = checked_targets(predictor, rows, input_path, lambda warning: click.echo(warning, err=True))
    if target is not None:
        rows = ((item[0], (item[1], target), *item[2:]) for item in rows)
    if sentences:
        from stanceclf.data import detect_format
        from stanceclf.sentences import sentence_rows

        table = input_path is not None and detect_format(input_path) != "txt"
        rows = sentence_rows(rows, numbered=table or len(texts) > 1)
    progress = BatchProgress()
    # a live line on the terminal, unless the predictions themselves are printed there; in a log,
    # a line every --progress-every rows
    show_progress = (
        input_path is not None and sys.stderr.isatty() and (output_path is not None or not sys.stdout.isatty())
    )
    report = None
    if progress_every is not None or show_progress:
        size = input_path.stat().st_size if input_path is not None and input_path.is_file() else None
        report = ProgressReport(
            lambda line, newline: click.echo(line, nl=newline, err=True),
            every=None if show_progress else progress_every,
            total_bytes=size,
            read=read_progress,
        )

    if jobs is None:
        jobs = _default_jobs(input_path)
    interrupted = GracefulStop()
    options = dict(
        jobs=jobs,
        fmt=fmt,
        proba=proba,
        explain=top if explain else 0,
        progress=progress,
        on_chunk=report,
        should_stop=interrupted,
        source=str(input_path) if input_path is not None else "argument",
    )
    try:
        with interrupted:
            if output_path is None:
                predict_rows(predictor, rows, _stdout_writer(), **options)
            else:
                predict_to_file(predictor, rows, output_path, force=force, **options)
    except KeyboardInterrupt:
        interrupted.requested = True
    if interrupted.requested:
        where = ""
        if output_path is not None:
            kept = "left as it was" if output_path.exists() else "not created"
            where = f" to {partial_path(output_path)} ({output_path} {kept})"
        resume = f"; resume with --skip-lines {progress.last_line}" if input_path is not None and progress.rows else ""
        click.echo(
            f"interrupted: wrote {progress.rows:,} complete rows{where}, through input line {progress.last_line}"
            + resume,
            err=True,
        )
        sys.exit(interrupted.exit_code)
    if report is not None:
        report.finish(progress, f" to {output_path}" if output_path else "")


def _input_rows(texts, input_path, *, sentences: bool, **reading):
    """``(line, statement, ...)`` rows from the arguments or the input; a whole .txt file or stdin
    is one document when it is to be split into sentences."""
    from stanceclf.data import detect_format, iter_texts, read_document

    if texts:
        return enumerate(texts, start=1)
    if sentences and detect_format(input_path) == "txt":
        return iter([(1, read_document(input_path, encoding=reading["encoding"]))])
    return iter_texts(input_path, **reading)


def _default_jobs(input_path: Path | None) -> int:
    """All cores (up to 4) for a large input file or standard input, where workers pay for their start.

    Standard input's size is unknown: workers start only once it fills a first chunk.
    """
    import os

    if input_path is None:
        return 1
    if str(input_path) != "-" and (not input_path.is_file() or input_path.stat().st_size < 1 << 20):
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def _stdout_writer():
    """Write whole chunks to stdout, surviving signals mid-write.

    With a signal handler installed, CPython's buffered stdout can drop the rest of a large
    write to a full pipe when the handler runs mid-write (seen on 3.11: 131,072 of 819,200
    bytes arrived). ``os.write`` in a loop retries the remainder, so every row arrives whole.
    """
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # e.g. click's CliRunner or a StringIO
        descriptor = None
    if descriptor is None:

        def write(text: str):
            sys.stdout.write(text)
            sys.stdout.flush()

        return write
    import os

    sys.stdout.flush()

    def write_all(text: str):
        view = memoryview(text.encode("utf-8"))
        while view:
            view = view[os.write(descriptor, view) :]

    return write_all


@main.command()
@click.argument("data", type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    "output_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the model file.",
)
@_column_options
@_model_options
@click.option("--cv", type=click.IntRange(min=2), default=None, help="Also report K-fold cross-validated macro-F1.")
@click.option(
    "--group-by",
    type=click.Choice(["target"]),
    default=None,
    help="With --cv: hold out whole targets in each fold (the honest figure for new topics).",
)
@click.option("--jobs", type=int, default=None, help="Parallel jobs for --cv (-1: all cores).")
@click.option(
    "--out-of-core",
    is_flag=True,
    help="Stream DATA in chunks (hashed features, sgd): for files larger than memory.",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1),
    default=50_000,
    show_default=True,
    help="Rows per chunk with --out-of-core.",
)
@click.option("--force", is_flag=True, help="Replace an existing model file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def train(
    data,
    output_path,
    text_column,
    label_column,
    label_map,
    fold_case,
    delimiter,
    encoding,
    target_column,
    split,
    cv,
    group_by,
    jobs,
    out_of_core,
    chunk_size,
    force,
    fmt,
    **model_options,
):
    """Train a model on a labelled file and save it.

    DATA is a .csv, .tsv or .jsonl file with a text and a label column, a TweetEval stance
    folder, or a SemEval-2016 Task 6 file.

    \b
    Examples:
      stanceclf train datasets/stance.csv --split train --output my.stance --cv 5
      stanceclf train posts.csv --out-of-core --word-ngrams 1-2 --char-ngrams none -o big.stance
    """
    from stanceclf.data import load_dataset

    if output_path.exists() and not force:
        raise UserError(f"{output_path}: already exists (use --force to replace it)")
    if group_by and not cv:
        raise click.UsageError("--group-by target needs --cv K")
    reading = {"label_map": label_map, "fold_case": fold_case, "delimiter": delimiter, "encoding": encoding}
    if out_of_core:
        _train_out_of_core(
            data,
            output_path,
            text_column,
            label_column,
            target_column,
            split,
            cv,
            chunk_size,
            force,
            model_options,
            reading,
            fmt,
        )
        return
    params = _params(**model_options)
    dataset = _load_while_importing(
        lambda: load_dataset(
            data,
            text_column=text_column,
            label_column=label_column,
            target_column=target_column,
            split=split,
            **reading,
        ),
        "stanceclf.training",
    )
    from stanceclf.training import train as train_model

    summary = train_model(dataset, params, cv=cv, n_jobs=jobs, group_by=group_by)
    summary.model.save(output_path, force=force)
    if fmt == "json":
        click.echo(json.dumps({"data": str(data), "output": str(output_path), **summary.as_dict()}, indent=2))
        return
    click.echo(f"trained on {len(dataset):,} statements from {data}")
    for label, count in summary.label_counts.items():
        click.echo(f"  {label:<15} {count:>7,}")
    click.echo(f"features        {summary.n_features:,}")
    click.echo(f"training time   {summary.seconds:.2f} s")
    if summary.cv_report is not None:
        folds = summary.cv_report["fold_macro_f1"]
        spread = (max(folds) - min(folds)) / 2
        kind = "CV by target" if group_by else "CV     "
        click.echo(f"{cv}-fold {kind} macro-F1 {summary.cv_report['macro_f1']:.4f} (folds +/- {spread:.4f})")
    click.echo(f"saved to {output_path}")


def _load_while_importing(load, module: str):
    """Return ``load()``, computed in a forked process while this one imports ``module``.

    Importing the training code (scikit-learn, scipy) takes about half a second, and so does
    reading a large file; side by side on two cores they cost the longer of the two. Where
    there is no fork, or the child fails in any way but a data error, the data is loaded here.
    """
    import importlib

    from stanceclf.forked import ForkedWork, can_fork

    if not can_fork():
        importlib.import_module(module)
        return load()
    with ForkedWork(load) as job:
        importlib.import_module(module)
        done, value = job.result()
    if done:
        return value
    if isinstance(value, StanceError):
        raise value
    return load()


def _train_out_of_core(
    data, output_path, text_column, label_column, target_column, split, cv, chunk_size, force, options, reading, fmt
):
    from stanceclf.outofcore import train_out_of_core

    if cv:
        raise UserError("--cv needs the data in memory; it cannot be combined with --out-of-core")
    params = _params(**options)
    if params["n_buckets"] is None:
        params.pop("n_buckets")
    if params["solver"] == "lbfgs":
        raise UserError("--out-of-core trains with the sgd solver; --solver lbfgs cannot be combined with it")
    summary = train_out_of_core(
        data,
        params,
        text_column=text_column,
        label_column=label_column,
        target_column=target_column,
        split=split,
        chunk_size=chunk_size,
        **reading,
    )
    summary.model.save(output_path, force=force)
    if fmt == "json":
        click.echo(json.dumps({"data": str(data), "output": str(output_path), **summary.as_dict()}, indent=2))
        return
    click.echo(f"trained out of core on {sum(summary.label_counts.values()):,} statements from {data}")
    for label, count in summary.label_counts.items():
        click.echo(f"  {label:<15} {count:>7,}")
    click.echo(f"features        {summary.n_features:,} hashed columns, {summary.chunks} chunks")
    click.echo(f"training time   {summary.seconds:.2f} s")
    click.echo(f"saved to {output_path}")


@main.command()
@click.argument("data", type=click.Path(path_type=Path))
@_model_path
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_column_options
@click.option("--cv", type=click.IntRange(min=2), default=None, help="Cross-validate a fresh model on DATA instead.")
@click.option(
    "--group-by",
    type=click.Choice(["target"]),
    default=None,
    help="With --cv: hold out whole targets in each fold (the honest figure for new topics).",
)
@click.option("--jobs", type=int, default=None, help="Parallel jobs for --cv (-1: all cores).")
@click.option(
    "--predictions",
    "predictions_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write every row's gold label, predicted label and probabilities to this new .csv or .jsonl file.",
)
@click.option(
    "--metric",
    type=click.Choice(["macro-f1", "semeval"]),
    default="macro-f1",
    show_default=True,
    help="'semeval' adds SemEval-2016's F_avg (pooled) and TweetEval's per-target average.",
)
@_model_options
def evaluate(
    data,
    model_path,
    fmt,
    text_column,
    label_column,
    label_map,
    fold_case,
    delimiter,
    encoding,
    target_column,
    split,
    cv,
    group_by,
    jobs,
    predictions_path,
    metric,
    **model_options,
):
    """Score a model on labelled data: accuracy, macro-F1, per-label table, confusion matrix.

    \b
    Examples:
      stanceclf evaluate datasets/stance.csv --split test --model my.stance
      stanceclf evaluate datasets/stance.csv --cv 5 --format json
      stanceclf evaluate benchmarks/tweeteval-stance --split test --model semeval.stance --metric semeval
    """
    from stanceclf.data import load_dataset
    from stanceclf.metrics import format_report

    if group_by and not cv:
        raise click.UsageError("--group-by target needs --cv K")
    if predictions_path and cv:
        raise click.UsageError("--predictions scores a saved model; it cannot be combined with --cv")
    dataset = load_dataset(
        data,
        text_column=text_column,
        label_column=label_column,
        target_column=target_column,
        split=split,
        min_labels=1 if cv is None else 2,
        label_map=label_map,
        fold_case=fold_case,
        delimiter=delimiter,
        encoding=encoding,
    )
    if cv is not None:
        from stanceclf.training import cross_validate

        report = cross_validate(
            dataset, _params(**model_options), folds=cv, n_jobs=jobs, semeval=metric == "semeval", group_by=group_by
        )
    else:
        from stanceclf.inference import load_predictor
        from stanceclf.persist import default_model_path
        from stanceclf.training import evaluate as evaluate_model

        predictor = load_predictor(model_path or default_model_path())
        report = evaluate_model(predictor, dataset, semeval=metric == "semeval", predictions=predictions_path)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2))
    else:
        if cv is not None:
            kind = "cross-validation holding out whole targets" if group_by else "stratified cross-validation"
            click.echo(f"{cv}-fold {kind} (out-of-fold predictions pooled)")
        click.echo(format_report(report))


@main.command()
@_model_path
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def info(model_path, fmt):
    """Describe a model: labels, parameters, vocabulary, training data, metrics, versions.

    \b
    Example:
      stanceclf info --model my.stance
    """
    from stanceclf.persist import default_model_path, load_model_data
    from stanceclf.targets import describe_targets, known_targets

    path = model_path or default_model_path()
    model = load_model_data(path)
    description = {
        "path": str(path),
        "labels": model.classes,
        "targets": known_targets(model),
        "params": model.params,
        "features": {block.name: block.width for block in model.blocks},
        "hashed": any(block.n_buckets is not None for block in model.blocks),
        **model.metadata,
    }
    if fmt == "json":
        click.echo(json.dumps(description, indent=2, ensure_ascii=False))
        return
    click.echo(f"model       {path}")
    click.echo(f"labels      {', '.join(model.classes)}")
    click.echo(f"targets     {describe_targets(model)}")
    kind = " (hashed columns)" if description["hashed"] else ""
    click.echo(
        "features    " + ", ".join(f"{name} {count:,}" for name, count in description["features"].items()) + kind
    )
    click.echo("parameters  " + ", ".join(f"{k}={v}" for k, v in sorted(model.params.items())))
    data = model.metadata.get("training_data", {})
    if data:
        click.echo(f"trained on  {data.get('file')} ({data.get('rows'):,} rows, sha256 {data.get('sha256')})")
    for name, value in model.metadata.get("metrics", {}).items():
        click.echo(f"metric      {name} = {value:.4f}")
    if "created" in model.metadata:
        click.echo(f"created     {model.metadata['created']}")
    versions = model.metadata.get("versions", {})
    if versions:
        click.echo("versions    " + ", ".join(f"{k} {v}" for k, v in versions.items()))


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
@_label_options[0]
@_label_options[1]
@_reading
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def data_check(path, text_column, label_column, labels, label_map, fold_case, delimiter, encoding, fmt):
    """Counts per label, target and split, lengths, duplicates and conflicts; exit 2 on errors.

    \b
    Example:
      stanceclf data check datasets/stance.csv
    """
    from stanceclf.quality import check_corpus, format_check

    expected = None if labels == "any" else tuple(label.strip() for label in labels.split(","))
    report = check_corpus(
        path,
        text_column=text_column,
        label_column=label_column,
        expected_labels=expected,
        label_map=label_map,
        fold_case=fold_case,
        delimiter=delimiter,
        encoding=encoding,
    )
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "rows": report.rows,
                    "labels": dict(report.label_counts),
                    "targets": dict(report.target_counts),
                    "splits": report.split_label_counts,
                    "errors": report.errors,
                    "warnings": report.warnings,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        click.echo(format_check(report))
    if not report.ok:
        sys.exit(EXIT_USER_ERROR)


@data.command("audit")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@_column_options
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=30, show_default=True, help="How many rows to list.")
@click.option("--jobs", type=int, default=None, help="Parallel jobs (-1: all cores).")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
def data_audit(
    path,
    text_column,
    label_column,
    label_map,
    fold_case,
    delimiter,
    encoding,
    target_column,
    split,
    folds,
    top,
    jobs,
    fmt,
):
    """List the rows whose given label a cross-validated model finds least likely.

    Rows marked * are flagged by confident learning's per-label thresholds; re-read them first.
    With targets, first say whether topic gives the label away: each target's label balance,
    topic-only baselines, and words whose label association flips between targets.

    \b
    Example:
      stanceclf data audit datasets/stance.csv --top 40
    """
    from stanceclf.data import load_dataset
    from stanceclf.quality import audit_labels

    dataset = load_dataset(
        path,
        text_column=text_column,
        label_column=label_column,
        target_column=target_column,
        split=split,
        label_map=label_map,
        fold_case=fold_case,
        delimiter=delimiter,
        encoding=encoding,
    )
    if dataset.targets is not None and fmt == "text":
        from stanceclf.topics import format_topic_report, topic_report

        click.echo(format_topic_report(topic_report(dataset.texts, dataset.targets, dataset.labels, folds=folds)))
        click.echo("")
    rows = audit_labels(dataset, folds=folds, n_jobs=jobs)
    flagged = sum(row.flagged for row in rows)
    for row in rows[:top]:
        if fmt == "jsonl":
            click.echo(json.dumps(row.__dict__, ensure_ascii=False))
        else:
            mark = "*" if row.flagged else " "
            click.echo(
                f"{mark} line {row.line:>5}  given {row.given} ({row.given_proba:.2f})  "
                f"model {row.predicted} ({row.predicted_proba:.2f})  {row.text}"
            )
    if fmt == "text":
        click.echo(f"{flagged} of {len(rows)} rows flagged (*) by {folds}-fold cross-validation", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
