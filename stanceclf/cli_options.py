"""The command line's option types and shared option groups, built from the library's tables.

:func:`param_type` turns a row of :data:`stanceclf.params.PARAMETER_CONSTRAINTS` into a click
type, so ``--C 0`` is refused by the same rule as ``StanceClassifier(C=0).fit``. Commands live in
:mod:`stanceclf.cli`; this module holds what several of them share. Internal.
"""

from __future__ import annotations

from pathlib import Path

import click

from stanceclf.errors import StanceError


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


def with_options(command, options):
    """Decorate ``command`` with ``options``, listed in ``--help`` in the order given."""
    for option in reversed(options):
        command = option(command)
    return command


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
            open_ends = {"min_open": constraint.closed in ("right", "neither")}
            open_ends["max_open"] = constraint.closed in ("left", "neither")
            if constraint.kind is int:
                low, high = (None if end is None else int(end) for end in (constraint.low, constraint.high))
                return click.IntRange(min=low, max=high, **open_ends)
            return click.FloatRange(min=constraint.low, max=constraint.high, **open_ends)
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


label_options = [
    click.option("--label-map", type=LabelMap(), default=None, help="Rename labels: FAVOR=support,AGAINST=oppose."),
    click.option("--fold-case", is_flag=True, help="Lower-case labels, so that 'Support' and 'support' are one."),
]


# The StanceClassifier parameters as options of ``train`` and ``evaluate --cv``: (option,
# parameter, default, help). Types and bounds come from stanceclf.params; a test holds the
# defaults equal to the estimator's (spelled out here so that the CLI need not import scikit-learn).
MODEL_OPTIONS = [
    ("--word-ngrams", "word_ngram_range", "1-2", "Word n-gram sizes, or 'none'."),
    ("--char-ngrams", "char_ngram_range", "3-6", "Character n-gram sizes, or 'none'."),
    ("--negation", "negation", True, "Mark the scope of negations."),
    ("--char-negation", "char_negation", True, "Mark negation scopes in the character n-grams too."),
    ("--lowercase", "lowercase", True, None),
    ("--sublinear-tf", "sublinear_tf", True, "Use 1 + log(tf)."),
    ("--min-df", "min_df", 1, "Drop features seen in fewer statements."),
    ("--max-features", "max_features", None, "Keep the most frequent features of each block."),
    (
        "--buckets",
        "n_buckets",
        None,
        "Hash features into N columns per block instead of a vocabulary (default 1048576 with --out-of-core).",
    ),
    ("--C", "C", 10.0, "Inverse regularisation strength."),
    ("--class-weight", "class_weight", "balanced", None),
    (
        "--solver",
        "solver",
        "auto",
        "lbfgs: exact, slow on large data; sgd: passes of minibatch Adagrad; auto: sgd from 50,000 rows.",
    ),
    ("--epochs", "epochs", 2, "Passes of the sgd solver."),
    ("--seed", "random_state", 0, "Seed of the sgd solver."),
    (
        "--target-mode",
        "target_mode",
        "none",
        "Use each statement's target: only through the statement-target features (paired), in one global "
        "model with target-tied features (conjoined), or in one model per target.",
    ),
    ("--target-weight", "target_weight", 0.5, None),
    # statement-target features (stanceclf.target_features); they need a --target-mode other than none
    ("--overlap-exact", "overlap_exact", False, "Feature: share of the target's words found in the statement."),
    ("--overlap-stem", "overlap_stem", False, "Feature: the same share, comparing stems."),
    ("--overlap-char", "overlap_char", False, "Feature: share of the target's character 4-grams in the statement."),
    ("--target-mention", "target_mention", False, "Feature: is the whole target mentioned (no, once, often)."),
    ("--mention-window", "mention_window", 0, "Features: word n-grams within N tokens of a target mention (0: off)."),
    ("--pair-weight", "pair_weight", 1.0, "Weight of the statement-target feature blocks."),
]


def model_options(command):
    for flag, name, default, help in reversed(MODEL_OPTIONS):
        if isinstance(default, bool):
            option = click.option(f"{flag}/--no-{flag[2:]}", name, default=default, show_default=True, help=help)
        else:
            names = ("-C", flag, name) if name == "C" else (flag, name)
            option = click.option(*names, type=param_type(name), default=default, show_default=True, help=help)
        command = option(command)
    return command


def params_from_options(**options) -> dict:
    """The estimator's parameters from the model options (the estimator validates them)."""
    return {**options, "class_weight": None if options["class_weight"] == "none" else options["class_weight"]}


READING_OPTIONS = [
    click.option("--delimiter", default=None, help="CSV field separator, e.g. ';' or tab [default: by extension]."),
    click.option("--encoding", default="utf-8", show_default=True, help="Input encoding, e.g. cp1252."),
]


def reading_options(command):
    return with_options(command, READING_OPTIONS)


def column_options(command, *, labels: bool = True):
    command = click.option("--split", default=None, help="Use only the rows whose 'split' column holds this value.")(
        command
    )
    command = click.option(
        "--target-column", default=None, help="Column naming the target [default: 'target' if present]."
    )(command)
    command = reading_options(command)
    if labels:
        command = with_options(command, label_options)
        command = click.option("--label-column", default="label", show_default=True)(command)
    return click.option("--text-column", default="text", show_default=True)(command)


model_path_option = click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Model file [default: the model shipped with stanceclf].",
)


READING_NAMES = (
    "text_column",
    "label_column",
    "target_column",
    "split",
    "label_map",
    "fold_case",
    "delimiter",
    "encoding",
)


def cv_options(help: str):
    """``--cv K``, ``--group-by target`` and ``--jobs N``, for the commands that cross-validate."""

    def decorate(command):
        command = click.option("--jobs", type=int, default=None, help="Parallel jobs for --cv (-1: all cores).")(
            command
        )
        command = click.option(
            "--group-by",
            type=click.Choice(["target"]),
            default=None,
            help="With --cv: hold out whole targets in each fold (the honest figure for new topics).",
        )(command)
        return click.option("--cv", type=click.IntRange(min=2), default=None, help=help)(command)

    return decorate


report_option = click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write a self-contained HTML report (scores, pictures, confident mistakes) to this new .html file.",
)


def dask_option(help: str):
    """``--dask ADDRESS``: a Dask scheduler, or ``local`` for a cluster on this machine."""
    return click.option("--dask", "dask", metavar="ADDRESS", default=None, help=help)


def cluster_predict_options(command):
    """``--dask ADDRESS`` and ``--output-dir DIR``: ``predict`` on a Dask cluster, one file per input."""
    command = click.option(
        "--output-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="With --dask: write one file per input file here (named after it, extension of --format).",
    )(command)
    return dask_option("Predict files on this Dask scheduler (tcp://HOST:8786, or 'local'); needs --output-dir.")(
        command
    )


STRATEGIES = ("least-confidence", "margin", "entropy", "diverse", "random")


def suggest_options(command):
    """The options ``suggest`` and ``label`` share: the pool, the strategy, how to read the pool."""
    options = [
        click.argument("pool", type=click.Path(path_type=Path, dir_okay=False)),
        click.option(
            "--strategy",
            type=click.Choice(STRATEGIES),  # stanceclf.suggesting's, spelled out so that the CLI need not import numpy
            default="diverse",
            show_default=True,
            help="least-confidence, margin, entropy; diverse: entropy without near-copies; random.",
        ),
        click.option(
            "--max-similarity",
            type=click.FloatRange(0, 1),
            default=0.5,  # stanceclf.suggesting.DEFAULT_MAX_SIMILARITY
            show_default=True,
            help="With diverse: the highest TF-IDF cosine a pick may have with an earlier pick.",
        ),
        click.option("--text-column", default="text", show_default=True, help="Text column of a CSV/TSV/JSONL pool."),
        click.option("--target-column", default=None, help="Target column of a pool [default: 'target' if present]."),
        *READING_OPTIONS,
    ]
    return with_options(command, options)


def suggest_command_options(command):
    """``suggest``'s options."""
    command = click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)(
        command
    )
    command = click.option("-n", type=click.IntRange(min=1), default=50, show_default=True, help="How many.")(command)
    return suggest_options(model_path_option(command))


def labelling_options(command):
    """``label``'s own options."""
    options = [
        click.option(
            "--output",
            "-o",
            "output_path",
            required=True,
            type=click.Path(dir_okay=False, path_type=Path),
            help="The labels CSV: created, or resumed where an earlier session stopped.",
        ),
        click.option(
            "--model",
            "model_path",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Show this model's guesses and ask in suggest order [default: file order, no guesses].",
        ),
        click.option(
            "--labels",
            default=None,
            help="The answers, keys 1-9 in this order [default: the model's, else support,oppose,conditional,none].",
        ),
        click.option(
            "--retrain-every",
            type=click.IntRange(min=0),
            default=25,
            show_default=True,
            help="With --model: retrain on the answers and re-rank after N answers (0: never).",
        ),
    ]
    return suggest_options(with_options(command, options))


model_output_option = click.option(
    "--output",
    "-o",
    "output_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the model file.",
)


def out_of_core_options(command):
    """``train``'s ``--out-of-core``, ``--chunk-size`` and ``--dask``."""
    options = [
        click.option(
            "--out-of-core",
            is_flag=True,
            help="Stream DATA in chunks (hashed features, sgd): for files larger than memory.",
        ),
        click.option(
            "--chunk-size",
            type=click.IntRange(min=1),
            default=50_000,
            show_default=True,
            help="Rows per chunk with --out-of-core.",
        ),
        dask_option(
            "With --out-of-core: train on this Dask scheduler (tcp://HOST:8786, or 'local'); "
            "DATA may then be a glob or a folder of labelled files."
        ),
    ]
    return with_options(command, options)


def calibration_options(command):
    """``train``'s ``--calibrate`` and ``--target-precision``."""
    options = [
        click.option(
            "--calibrate",
            is_flag=True,
            help="Fit a temperature to cross-validated predictions (--cv K folds, else 5; --group-by target) and "
            "store it, so that probabilities mean what they say.",
        ),
        click.option(
            "--target-precision",
            type=click.FloatRange(0, 1, min_open=True),
            default=None,
            metavar="P",
            help="Calibrate, and store per-label thresholds reaching precision P on the folds: predict then answers "
            "'uncertain' below them.",
        ),
    ]
    return with_options(command, options)


def evaluation_options(command):
    """``evaluate``'s ``--predictions``, ``--metric``, ``--report`` and ``--dask``."""
    command = report_option(
        dask_option("Run the --cv fits on this Dask scheduler (tcp://HOST:8786, or 'local').")(command)
    )
    options = [
        click.option(
            "--predictions",
            "predictions_path",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Also write every row's gold label, predicted label and probabilities to this new .csv or "
            ".jsonl file.",
        ),
        click.option(
            "--metric",
            type=click.Choice(["macro-f1", "semeval"]),
            default="macro-f1",
            show_default=True,
            help="'semeval' adds SemEval-2016's F_avg (pooled) and TweetEval's per-target average.",
        ),
    ]
    return with_options(command, options)


def predict_options(command):
    """The input, output, format and reading options of ``predict``."""
    return with_options(
        command,
        [
            click.option(
                "--input",
                "-i",
                "input_path",
                type=click.Path(path_type=Path, allow_dash=True),
                help="Read statements from a .txt (one a line), .csv, .tsv or .jsonl file; '-' for stdin.",
            ),
            click.option(
                "--output",
                "-o",
                "output_path",
                type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
                help="Write here instead of stdout (atomically); '-' is stdout.",
            ),
            click.option(
                "--format",
                "fmt",
                type=click.Choice(["text", "json", "jsonl", "csv", "html"]),
                default=None,
                help="Output format [default: from the --output extension (.csv, .jsonl, .json, .txt, .html), "
                "else text].",
            ),
            click.option("--proba", is_flag=True, help="Show every label's probability."),
            click.option("--explain", is_flag=True, help="Show the features that pushed each label."),
            click.option(
                "--top",
                type=click.IntRange(min=1),
                default=5,
                show_default=True,
                help="Features per label with --explain.",
            ),
            click.option(
                "--text-column", default="text", show_default=True, help="Text column of a CSV/TSV/JSONL input."
            ),
            click.option(
                "--target", default=None, help="The target of every statement (models trained with --target-mode)."
            ),
            click.option("--target-column", default=None, help="Target column of a CSV/TSV/JSONL input."),
            click.option(
                "--keep-columns",
                default=None,
                help="Input columns to copy into csv/jsonl output: 'id,date', 'none' [default: all].",
            ),
            reading_options,
            click.option(
                "--jobs",
                type=click.IntRange(min=1),
                default=None,
                help="Worker processes [default: all cores, up to 4, for stdin and input files over 1 MB; else 1].",
            ),
            click.option(
                "--skip-lines",
                type=click.IntRange(min=0),
                default=0,
                help="Leave out the input rows on the first N lines: resume where an interrupted run stopped.",
            ),
            click.option(
                "--progress-every",
                type=click.IntRange(min=1),
                default=None,
                help="Print a progress line to stderr every N rows, with % done and time left for a file.",
            ),
            click.option(
                "--min-confidence",
                type=click.FloatRange(0, 1),
                default=None,
                metavar="P",
                help="Answer 'uncertain' where the highest probability is below P (csv/json/jsonl add a best_guess "
                "column).",
            ),
            click.option(
                "--thresholds/--no-thresholds",
                default=True,
                show_default=True,
                help="Answer 'uncertain' below the model's stored per-label thresholds (train --target-precision).",
            ),
            click.option(
                "--sentences",
                is_flag=True,
                help="Split documents into sentences and predict each (a .txt file or stdin is one document; "
                "a CSV/TSV/JSONL row's text is one). Needs the 'sentences' extra.",
            ),
        ],
    )


def summarize_options(command):
    """``summarize``'s options: the target, the model, the format and where to write."""
    return with_options(
        command,
        [
            click.argument("document", type=click.Path(path_type=Path)),
            click.option(
                "--target",
                default=None,
                help="The proposal the article is about, e.g. 'a sugar tax' (given to target-aware models; "
                "with others it only heads the table).",
            ),
            model_path_option,
            click.option(
                "--format",
                "fmt",
                type=click.Choice(["text", "json", "csv", "html"]),
                default=None,
                help="Output format [default: by --output's extension, else text].",
            ),
            click.option(
                "--output",
                "-o",
                "output_path",
                type=click.Path(dir_okay=False, path_type=Path),
                default=None,
                help="Write here instead of stdout (atomically).",
            ),
            click.option("--force", is_flag=True, help="Replace an existing --output file."),
        ],
    )
