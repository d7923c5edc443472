"""Predicting a batch of statements end to end: what ``stanceclf predict`` does, for Python users too.

:func:`predict_statements` reads statements (arguments, a file or stdin), checks them, predicts
with the numpy-only :class:`~stanceclf.inference.Predictor` and writes the chosen format to a
file (atomically: complete or not at all, interrupted runs kept as a ``.partial`` file) or to
stdout, stopping cleanly on Ctrl-C or SIGTERM. :func:`default_jobs` is the worker policy.
No scikit-learn is imported.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stanceclf.batch import (
    BatchProgress,
    ProgressReport,
    columns_to_keep,
    output_format,
    partial_path,
    predict_rows,
    predict_to_file,
)
from stanceclf.data import (
    ReadProgress,
    check_text_length,
    detect_format,
    file_argument_warnings,
    is_encodable,
    iter_texts,
    read_document,
)
from stanceclf.errors import DataError, OutputExistsError, ParameterError, located

MAX_DEFAULT_JOBS = 4  # more workers than this stop paying: formatting and writing are serial
PARALLEL_FROM_BYTES = 1 << 20  # below 1 MB, starting workers costs more than they save


@dataclass
class PredictionRun:
    """How a :func:`predict_statements` run ended.

    Attributes
    ----------
    rows : int
        Complete rows written.
    last_line : int
        The input line of the last row written (resume with ``skip_lines=last_line``).
    interrupted : bool
        Whether Ctrl-C or SIGTERM stopped the run early.
    exit_code : int
        The exit status an interrupted command should end with (130 for Ctrl-C, 143 for SIGTERM).
    output : Path or None
        The output file asked for (None for stdout).
    input_path : Path or None
        The input file (None for statements given as arguments).
    """

    rows: int
    last_line: int
    interrupted: bool = False
    exit_code: int = 0
    output: Path | None = None
    input_path: Path | None = None

    def interruption_message(self) -> str:
        """What an interrupted run wrote and how to resume it, in one line."""
        where = ""
        if self.output is not None:
            kept = "left as it was" if self.output.exists() else "not created"
            where = f" to {partial_path(self.output)} ({self.output} {kept})"
        resume = f"; resume with --skip-lines {self.last_line}" if self.input_path is not None and self.rows else ""
        return f"interrupted: wrote {self.rows:,} complete rows{where}, through input line {self.last_line}" + resume


def default_jobs(input_path: Path | None) -> int:
    """Worker processes for predicting ``input_path``: all cores (up to 4) where workers pay.

    Workers pay for their start on a large input file or on standard input (whose size is
    unknown: workers start only once it fills a first chunk); statements given as arguments
    and small files are predicted in this process.

    Examples
    --------
    >>> default_jobs(None)
    1
    """
    if input_path is None:
        return 1
    if str(input_path) != "-" and (not input_path.is_file() or input_path.stat().st_size < PARALLEL_FROM_BYTES):
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_JOBS))


def input_rows(texts, input_path, *, sentences: bool = False, **reading) -> Iterator[tuple]:
    """``(line, statement, ...)`` rows from ``texts`` or ``input_path``; a whole .txt file or
    stdin is one document when it is to be split into sentences."""
    if texts:
        return iter(enumerate(texts, start=1))
    if sentences and detect_format(input_path) == "txt":
        return iter([(1, read_document(input_path, encoding=reading.get("encoding", "utf-8")))])
    return iter_texts(input_path, **reading)


def stdout_writer() -> Callable[[str], None]:
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
    sys.stdout.flush()

    def write_all(text: str):
        view = memoryview(text.encode("utf-8"))
        while view:
            view = view[os.write(descriptor, view) :]

    return write_all


def predict_statements(
    texts: Iterable[str] = (),
    input_path: Path | None = None,
    output_path: Path | None = None,
    *,
    model_path: str | Path | None = None,
    fmt: str | None = None,
    proba: bool = False,
    explain: int = 0,
    text_column: str = "text",
    target: str | None = None,
    target_column: str | None = None,
    keep_columns: str | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    jobs: int | None = None,
    skip_lines: int = 0,
    sentences: bool = False,
    force: bool = False,
    progress_every: int | None = None,
    min_confidence: float | None = None,
    thresholds: bool = True,
    live_progress: bool = False,
    warn: Callable[[str], None] | None = None,
    report: Callable[[str, bool], None] | None = None,
    write: Callable[[str], None] | None = None,
    predictor: Any = None,
) -> PredictionRun:
    """Predict the stance of ``texts`` or of the statements in ``input_path``; write every row.

    Parameters
    ----------
    texts : iterable of str
        Statements given directly; or leave empty and give ``input_path``.
    input_path : Path, optional
        A .txt (one statement a line), .csv, .tsv or .jsonl file, or ``Path("-")`` for stdin.
    output_path : Path, optional
        Write here, atomically (a ``.gz`` name is compressed); None writes with ``write``
        (default: stdout).
    model_path : path, optional
        A model file; the model shipped with stanceclf by default.
    fmt : {"text", "json", "jsonl", "csv", "html"}, optional
        Output format; by default from ``output_path``'s extension, else text.
    proba, explain
        Add every label's probability; the ``explain`` strongest features per label (0: none).
    target, target_column
        The target of every statement, or the column holding each one's (target models).
    keep_columns, text_column, delimiter, encoding, skip_lines, sentences
        As the ``predict`` command's options of the same names.
    min_confidence : float, optional
        Answer ``uncertain`` where the highest probability is below this.
    thresholds : bool
        Answer ``uncertain`` below the model's stored per-label thresholds, if it has them
        (see :mod:`stanceclf.abstention`).
    jobs : int, optional
        Worker processes; :func:`default_jobs` by default.
    progress_every, live_progress, report
        Call ``report(line, newline)`` with a progress line every ``progress_every`` rows, or
        keep one live line updated (``live_progress``).
    warn : callable, optional
        Called with each warning (unknown targets, arguments that look like file names).
    predictor : Predictor, optional
        An already loaded model, used instead of ``model_path`` (a Dask worker's copy).

    Returns
    -------
    PredictionRun
        Rows written and whether Ctrl-C or SIGTERM stopped the run (then the rows written so
        far sit in :func:`stanceclf.batch.partial_path` of ``output_path``).

    Raises
    ------
    StanceError
        For unreadable input, a bad model file, or an ``output_path`` that exists without ``force``.
    """
    from stanceclf.abstention import abstention_for
    from stanceclf.inference import load_predictor
    from stanceclf.interrupts import GracefulStop
    from stanceclf.persist import default_model_path
    from stanceclf.targets import check_target_options, checked_targets

    texts, warn = tuple(texts), warn or (lambda message: None)
    if texts and input_path is not None:
        raise ParameterError("give statements or an input file (arguments or --input), not both")
    if target is not None and target_column is not None:
        raise ParameterError("give a target or a target column (--target or --target-column), not both")
    fmt = output_format(output_path, fmt)
    if output_path is not None and output_path.exists() and not force:
        raise OutputExistsError(located(output_path, None, "already exists (use --force to replace it)"))
    for number, text in enumerate(texts, start=1):
        check_text_length("argument", number, text)
        if not is_encodable(text):
            raise DataError(f"argument {number}: not valid UTF-8 (check the terminal's encoding)")
    if predictor is None:
        predictor = load_predictor(model_path or default_model_path())
    abstention = abstention_for(predictor, min_confidence, thresholds)
    for warning in check_target_options(predictor, target, target_column) + file_argument_warnings(texts):
        warn(warning)
    keep = columns_to_keep(keep_columns, None if texts else input_path, fmt)
    read_progress = ReadProgress()
    reading = dict(text_column=text_column, target_column=target_column, delimiter=delimiter, encoding=encoding)
    rows = input_rows(
        texts,
        input_path,
        sentences=sentences,
        keep_columns=keep,
        read_progress=read_progress,
        skip_lines=skip_lines,
        **reading,
    )
    if target_column is not None and predictor.uses_targets:
        rows = checked_targets(predictor, rows, input_path, warn)
    if target is not None:
        rows = ((item[0], (item[1], target), *item[2:]) for item in rows)
    if sentences:
        from stanceclf.sentences import sentence_rows

        table = input_path is not None and detect_format(input_path) != "txt"
        rows = sentence_rows(rows, numbered=table or len(texts) > 1)
    progress, on_chunk = BatchProgress(), None
    if report is not None and (progress_every is not None or live_progress):
        size = input_path.stat().st_size if input_path is not None and input_path.is_file() else None
        every = None if live_progress else progress_every
        on_chunk = ProgressReport(report, every=every, total_bytes=size, read=read_progress)
    interrupted = GracefulStop()
    options: dict[str, Any] = dict(
        jobs=default_jobs(input_path) if jobs is None else jobs,
        fmt=fmt,
        proba=proba,
        explain=explain,
        progress=progress,
        on_chunk=on_chunk,
        should_stop=interrupted,
        source=str(input_path) if input_path is not None else "argument",
        abstention=abstention,
    )
    try:
        with interrupted:
            if output_path is None:
                predict_rows(predictor, rows, write or stdout_writer(), **options)
            else:
                predict_to_file(predictor, rows, output_path, force=force, **options)
    except KeyboardInterrupt:
        interrupted.requested = True
    run = PredictionRun(progress.rows, progress.last_line, bool(interrupted.requested), 0, output_path, input_path)
    if run.interrupted:
        run.exit_code = interrupted.exit_code
    elif on_chunk is not None:
        on_chunk.finish(progress, f" to {output_path}" if output_path else "")
    return run
