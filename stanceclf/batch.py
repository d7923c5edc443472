"""Batch prediction: stream statements through a model in chunks and write one row per input.

Memory stays bounded whatever the input size: statements are read, predicted and written a
chunk at a time. Each chunk is formatted completely and written with one call, so an
interruption (Ctrl-C) leaves a complete prefix of rows, never a torn line.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from json.encoder import encode_basestring
from pathlib import Path

import numpy as np

from stanceclf.abstention import UNCERTAIN
from stanceclf.errors import DataError, ParameterError, located
from stanceclf.features import split_document

OUTPUT_FORMATS = ("text", "json", "jsonl", "csv", "html")
CHUNK_SIZE = 4096
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class BatchProgress:
    """How far a batch got: rows written and the input line of the last one."""

    rows: int = 0
    last_line: int = 0


class ProgressReport:
    """Progress of a batch on standard error: a live line on a terminal, or a line every N rows.

    ``every`` rows (rounded up to whole chunks) a line such as ``40,960 statements predicted
    (12.3%, 8,123/s, about 0:01:23 left)``; the percentage and time left appear when the
    input's size is known (``total_bytes`` and ``read``, a :class:`stanceclf.data.ReadProgress`).
    Without ``every``, one line is rewritten in place (``\\r``), for a terminal.
    """

    def __init__(self, write, *, every: int | None = None, total_bytes: int | None = None, read=None, clock=None):
        import time

        self.write = write
        self.every = every
        self.total_bytes = total_bytes
        self.read = read
        self.clock = clock or time.perf_counter
        self.started = self.clock()
        self.next_at = every or 0

    def line(self, rows: int) -> str:
        seconds = max(self.clock() - self.started, 1e-9)
        parts = []
        if self.total_bytes and self.read is not None:
            share = min(self.read.bytes / self.total_bytes, 1.0)
            parts.append(f"{share:.1%}")
        parts.append(f"{rows / seconds:,.0f}/s")
        if self.total_bytes and self.read is not None and 0 < share < 1:
            left = round(seconds * (1 - share) / share)
            parts.append(f"about {left // 3600}:{left // 60 % 60:02d}:{left % 60:02d} left")
        return f"{rows:,} statements predicted ({', '.join(parts)})"

    def __call__(self, progress: BatchProgress) -> None:
        if self.every is None:
            self.write(f"\r{self.line(progress.rows)}", newline=False)
        elif progress.rows >= self.next_at:
            self.write(self.line(progress.rows), newline=True)
            self.last_written = progress.rows
            while self.next_at <= progress.rows:
                self.next_at += self.every

    last_written = -1

    def finish(self, progress: BatchProgress, where: str = "") -> None:
        """The closing line: the live line's total, or the last count if no line gave it yet."""
        if self.every is None:
            self.write(f"\r{progress.rows:,} statements written{where}" + " " * 20, newline=True)
        elif progress.rows != self.last_written:
            self.write(self.line(progress.rows), newline=True)


def chunks(rows: Iterable, size: int = CHUNK_SIZE) -> Iterator[list]:
    """Split an iterable into lists of at most ``size`` items."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def predict_rows(
    predictor,
    rows: Iterable[tuple[int, str]],
    write: Callable[[str], object],
    *,
    fmt: str = "jsonl",
    proba: bool = False,
    explain: int = 0,
    chunk_size: int = CHUNK_SIZE,
    jobs: int = 1,
    progress: BatchProgress | None = None,
    on_chunk: Callable[[BatchProgress], object] | None = None,
    should_stop: Callable[[], bool] | None = None,
    source: str = "input",
    abstention=None,
) -> BatchProgress:
    """Predict every ``(line, text)`` row and ``write`` the formatted output, chunk by chunk.

    Parameters
    ----------
    predictor : Predictor or StanceClassifier
        Anything with ``classes_``, ``predict_proba`` and (for ``explain``) ``explain``.
    rows : iterable of (int, str) or (int, (str, str)), optionally with a third and fourth item
        Input line numbers and statements (or (statement, target) pairs for a model that uses
        targets), e.g. from :func:`stanceclf.data.iter_texts`. A third item is a dict of input
        columns passed through after the output's own columns; a fourth, a dict of fields
        written before the text (the sentence offsets of
        :func:`stanceclf.sentences.sentence_rows`), with the same keys in every row.
    write : callable
        Receives formatted text; called once per chunk with whole rows only.
    fmt : {"text", "json", "jsonl", "csv", "html"}
    proba : bool
        Include every label's probability (always included in json and jsonl).
    explain : int
        Include this many top features per label (0 for none).
    jobs : int
        Worker processes predicting and formatting chunks (1: all in this process). Output
        order is the input order whatever the number of workers; at most ``2 * jobs`` chunks
        are in flight, so memory stays bounded.
    should_stop : callable, optional
        Checked after every chunk; when it returns true, stop there (output stays a complete
        prefix: the closing bracket of ``json`` is still written).
    source : str
        The input's name, for messages about its rows.
    abstention : stanceclf.abstention.Abstention, optional
        When active, statements it finds too uncertain are labelled ``uncertain``, and every
        row gets a ``best_guess`` column (field) with the most probable label.

    Returns
    -------
    BatchProgress
        Rows written and the input line of the last one (also updated as it goes, so a caller
        that catches ``KeyboardInterrupt`` knows how far it got).
    """
    progress = progress if progress is not None else BatchProgress()
    formatter = _FORMATTERS[fmt](predictor.classes_, proba, explain, abstention)
    formatter.source = source
    write(formatter.header())
    pending = chunks(rows, chunk_size)
    first = next(pending, None)
    if first is not None:  # settled here, before any worker starts, so that every worker agrees
        formatter.prepare(first)
        pending = chain([first], pending)
    if first is None or len(first) < chunk_size or fmt == "html":
        # the whole input fits in one chunk: starting workers would cost more than it saves;
        # html: one page gathers every row, so every row is formatted here
        jobs = 1
    numbered = enumerate(pending)
    if should_stop is not None:
        numbered = _until(numbered, should_stop)
    if jobs > 1:
        results = _format_in_workers(predictor, formatter, numbered, jobs)
    else:
        results = (_format_chunk(predictor, formatter, index, chunk) for index, chunk in numbered)
    for block, count, last_line in results:
        write(block)
        progress.rows += count
        progress.last_line = last_line
        if on_chunk is not None:
            on_chunk(progress)
    write(formatter.footer(empty=progress.rows == 0))
    return progress


_FORMAT_OF_EXTENSION = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
}


def output_format(path: str | Path | None, fmt: str | None) -> str:
    """The output format: ``fmt`` if given, else the one the output file's extension names.

    ``out.csv`` gets CSV and ``out.jsonl`` JSON Lines without ``--format``; standard output and
    other extensions get ``text``. A ``fmt`` that contradicts a known extension is an error.
    """
    implied = _FORMAT_OF_EXTENSION.get(_suffix(path)) if path is not None else None
    if fmt is None:
        return implied or "text"
    if implied is not None and implied != fmt:
        raise ParameterError(
            f"{path}: --format {fmt} does not match the extension {_suffix(path)!r} "
            f"(which means {implied}); change one of them"
        )
    return fmt


def columns_to_keep(option: str | None, input_path, output_fmt: str) -> str | list[str] | None:
    """Which input columns ``predict`` passes through: ``"all"``, a list of names, or None.

    By default every column of a CSV, TSV or JSONL input reaches CSV, JSONL and JSON output
    (ids, dates: whatever joins a prediction back to its row); ``"none"`` keeps none and
    ``"id,date"`` those named. Text output and ``.txt`` input have no columns.
    """
    from stanceclf.data import detect_format

    if input_path is None or str(input_path) == "-" or output_fmt == "text":
        if option not in (None, "none"):
            where = "text output" if output_fmt == "text" else "statements without an input file"
            raise ParameterError(
                f"--keep-columns needs a .csv, .tsv or .jsonl --input and csv or jsonl output, not {where}"
            )
        return None
    if detect_format(input_path) == "txt":
        if option not in (None, "none"):
            raise ParameterError(f"{input_path}: a .txt file has no columns to keep (--keep-columns)")
        return None
    if option is None or option == "all":
        return "all"
    if option == "none":
        return None
    names = [name.strip() for name in option.split(",") if name.strip()]
    if not names:
        raise ParameterError("--keep-columns: name columns (id,date), or say 'all' or 'none'")
    return names


def _suffix(path) -> str:
    """The extension that names the format: ``.jsonl`` for ``out.jsonl`` and ``out.jsonl.gz``."""
    path = Path(path)
    if path.suffix.lower() == ".gz":
        path = Path(path.stem)
    return path.suffix.lower()


def partial_path(path: str | Path) -> Path:
    """Where the complete rows of an interrupted run go: beside the output, clearly marked."""
    path = Path(path)
    return path.with_name(path.name + ".partial")


def predict_to_file(predictor, rows, path: str | Path, *, force: bool = False, **options) -> Path:
    """:func:`predict_rows` into ``path``, written beside it and renamed into place when complete.

    A name ending in ``.gz`` is written gzip-compressed.

    An interrupted run (``should_stop`` true at the end, or ``KeyboardInterrupt``) never
    replaces ``path``: its complete rows are renamed to :func:`partial_path` instead, and that
    is the path returned (or, for ``KeyboardInterrupt``, where the rows are when it propagates).
    Any other failure removes the temporary file and leaves ``path`` as it was.
    """
    from stanceclf.persist import atomic_writer

    compressed = str(path).lower().endswith(".gz")
    writer = atomic_writer(path, "wb" if compressed else "w", force=force, encoding="utf-8")
    out = writer.__enter__()
    if compressed:
        import gzip
        import io

        # mtime=0: the same predictions give the same bytes
        archive = gzip.GzipFile(filename="", fileobj=out, mode="wb", mtime=0)
        text = io.TextIOWrapper(archive, encoding="utf-8", newline="")
    should_stop = options.get("should_stop")

    def finish(to=None):
        if compressed:
            text.flush()
            archive.close()  # writes the gzip trailer; ``out`` stays open for the commit
        writer.commit(to)

    try:
        predict_rows(predictor, rows, text.write if compressed else out.write, **options)
    except KeyboardInterrupt:
        finish(partial_path(path))
        raise
    except BaseException:
        if compressed:
            text.close()  # closes the gzip stream too, before the file under it goes
        writer.discard()
        raise
    if should_stop is not None and should_stop():
        finish(partial_path(path))
        return partial_path(path)
    finish()
    return Path(path)


def _until(numbered_chunks, should_stop):
    for item in numbered_chunks:
        yield item
        if should_stop():
            return


def _format_chunk(predictor, formatter, index: int, chunk: list) -> tuple[str, int, int]:
    """Predict one chunk and format it: (text to write, rows, input line of the last row)."""
    texts = [item[1] for item in chunk]
    extras = [item[2] for item in chunk] if len(chunk[0]) > 2 else None
    fields = [item[3] for item in chunk] if len(chunk[0]) > 3 else None
    if extras is not None and not any(extras):
        extras = None  # no columns to pass through: the fast formatting path
    probabilities = predictor.predict_proba(texts)
    explanations = (
        [predictor.explain_decision(text, top=formatter.explain) for text in texts] if formatter.explain else None
    )
    if extras is not None:
        formatter.check_columns(extras, [item[0] for item in chunk])
    block = formatter.rows(texts, probabilities, explanations, first=index == 0, extras=extras, fields=fields)
    return block, len(chunk), chunk[-1][0]


_WORKER_STATE: dict = {}


def _start_worker(predictor, formatter) -> None:
    import signal
    import threading

    # the parent decides how an interruption ends (SIGTERM may be sent to the whole group)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _WORKER_STATE.update(predictor=predictor, formatter=formatter)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """End this worker when its parent is gone (killed with SIGKILL, it cannot tell us)."""
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _work(index: int, chunk: list) -> tuple[str, int, int]:
    return _format_chunk(_WORKER_STATE["predictor"], _WORKER_STATE["formatter"], index, chunk)


def _format_in_workers(predictor, formatter, numbered_chunks, jobs: int):
    """Yield formatted chunks in input order, computed by ``jobs`` forked worker processes."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    if hasattr(predictor, "_lookups"):
        predictor._lookups(CHUNK_SIZE)  # build the look-up tables once, before forking
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: predict here instead
        yield from (_format_chunk(predictor, formatter, index, chunk) for index, chunk in numbered_chunks)
        return
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker, initargs=(predictor, formatter)
    ) as pool:
        pending: deque[Future[tuple[str, int, int]]] = deque()
        for index, chunk in numbered_chunks:
            pending.append(pool.submit(_work, index, chunk))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def neutralise_formula(cell: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with a quote (OWASP's advice)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


class _Formatter:
    source = "input"  # where the rows come from, for messages

    def __init__(self, classes, proba: bool, explain: int, abstention=None):
        self.classes = [str(c) for c in classes]
        self.proba = proba
        self.explain = explain
        self.abstention = abstention if abstention is not None and abstention.active else None

    def uncertain(self, probabilities) -> np.ndarray | None:
        """Which rows are answered ``uncertain`` (None without abstention)."""
        return None if self.abstention is None else self.abstention.mask(probabilities, self.classes)

    def header(self) -> str:
        return ""

    def footer(self, empty: bool) -> str:
        return ""

    def prepare(self, first_chunk: list) -> None:
        """Settle what depends on the first rows (the CSV columns passed through)."""

    def check_columns(self, extras: list[dict], lines: list[int]) -> None:
        """Formats with a fixed set of columns (CSV) refuse a row with columns the first row lacked."""

    def records(self, texts, probabilities, explanations, extras=None, fields=None):
        best = np.argmax(probabilities, axis=1)
        uncertain = self.uncertain(probabilities)
        for i, document in enumerate(texts):
            text, target = split_document(document)
            record = dict(fields[i]) if fields is not None else {}
            record["text"] = text
            if not isinstance(document, str):
                record["target"] = target
            record["label"] = UNCERTAIN if uncertain is not None and uncertain[i] else self.classes[best[i]]
            if uncertain is not None:
                record["best_guess"] = self.classes[best[i]]
            record["proba"] = {c: float(p) for c, p in zip(self.classes, probabilities[i])}
            if explanations is not None:
                why = explanations[i]
                record["explain"] = {
                    "scores": {label: round(score, 6) for label, score in why["scores"].items()},
                    "intercepts": {label: round(value, 6) for label, value in why["intercepts"].items()},
                    "versus": why["versus"],
                    "margin": round(why["margin"], 6),
                    "intercept": round(why["intercept"], 6),
                    "features": [[f, round(w, 6)] for f, w in why["features"]],
                    "other_features": round(why["other_features"], 6),
                }
                record["evidence"] = why.get("evidence", [])
                if "condition" in why:
                    record["condition"] = why["condition"]
            if extras is not None:
                for name, value in extras[i].items():
                    record[passed_through_name(name)] = value
            yield record


def passed_through_name(column: str) -> str:
    """An input column's name in the output, prefixed with ``input_`` where it would clash."""
    if column in _OUTPUT_COLUMNS or column.startswith("proba_") or column.startswith("input_"):
        return "input_" + column
    return column


_OUTPUT_COLUMNS = {"text", "target", "label", "best_guess", "proba", "explain", "evidence", "condition"}


class _TextFormatter(_Formatter):
    def rows(self, texts, probabilities, explanations, first: bool, extras=None, fields=None) -> str:
        lines = []
        for record in self.records(texts, probabilities, explanations, fields=fields):
            line = record["label"]
            if "best_guess" in record and line == UNCERTAIN:  # a reader still sees which way it leaned
                line += f" (leans {record['best_guess']})"
            if self.proba:
                line += "\t" + " ".join(f"{c}={p:.3f}" for c, p in record["proba"].items())
            if "sentence" in record:  # a sentence of a document: where it is, and what it says
                where = f"{record['paragraph']}.{record['sentence']}"
                if "document" in record:
                    where = f"{record['document']}:{where}"
                line = f"{where}\t{line}\t{_one_line(record['text'])}"
            lines.append(line)
            if "explain" in record:
                lines.extend(_explanation_lines(record.get("best_guess", record["label"]), record["explain"]))
                lines.extend(_evidence_lines(record))
        return "\n".join(lines) + "\n"


def _evidence_lines(record: dict) -> list[str]:
    """The statement with its evidence in [brackets], what each pushes, and the condition clause."""
    from stanceclf.evidence import mark_evidence

    evidence = record.get("evidence", [])
    lines = [f"  evidence: {_one_line(mark_evidence(record['text'], evidence))}"]
    lines += [f"      {span['weight']:+.3f}  {_one_line(span['text'])!r} -> {span['label']}" for span in evidence]
    condition = record.get("condition")
    if condition:
        lines.append(f"  condition ({condition['cue']}): {_one_line(condition['text'])!r}")
    return lines


def _explanation_lines(label: str, why: dict) -> list[str]:
    """Scores of every label, then the margin over the runner-up split into parts that add up."""
    scores = ", ".join(f"{name} {score:+.3f}" for name, score in why["scores"].items())
    lines = [
        f"  scores (intercept + features; the highest wins): {scores}",
        f"  {label} over {why['versus']} by {why['margin']:+.3f}, the sum of:",
        f"      {why['intercept']:+.3f}  intercepts",
    ]
    lines += [f"      {weight:+.3f}  {feature}" for feature, weight in why["features"]]
    lines.append(f"      {why['other_features']:+.3f}  all other features")
    return lines


def _one_line(text: str) -> str:
    """A sentence on one line of the text output (a sentence may span a wrapped line)."""
    return " ".join(text.split())


def _json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def _escape_line_separators(text: str) -> str:
    """Escape the characters that str.splitlines() and some JSON readers take as line ends."""
    for character, escaped in _LINE_SEPARATORS:
        if character in text:
            text = text.replace(character, escaped)
    return text


_LINE_SEPARATORS = [(chr(c), f"\\u{c:04x}") for c in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029)]


class _JsonlFormatter(_Formatter):
    def rows(self, texts, probabilities, explanations, first: bool, extras=None, fields=None) -> str:
        lines = self.lines(texts, probabilities, explanations, extras, fields)
        return _escape_line_separators("".join(line + "\n" for line in lines))

    def lines(self, texts, probabilities, explanations, extras=None, fields=None):
        """One JSON object per statement, as ``json.dumps`` of :meth:`records` would write it.

        The common case (no explanation) is assembled from pre-escaped pieces: formatting,
        not prediction, was the larger part of the time per statement in batch runs.
        """
        if explanations is not None or extras is not None or fields is not None:
            yield from map(_json_line, self.records(texts, probabilities, explanations, extras, fields))
            return
        labels = [json.dumps(c, ensure_ascii=False) for c in self.classes]
        keys = [f'"label": {label}, "proba": {{' for label in labels]
        uncertain = self.uncertain(probabilities)
        if uncertain is not None:  # "label": "uncertain" where abstaining, and the best guess always
            answered = [f'"label": {label}, "best_guess": {label}, "proba": {{' for label in labels]
            abstained = [f'"label": "{UNCERTAIN}", "best_guess": {label}, "proba": {{' for label in labels]
            keys = answered + abstained
        # "%r" of a float is its repr, the shortest string that reads back as the same float
        probabilities_of = ", ".join(label.replace("%", "%%") + ": %r" for label in labels) + "}}"
        best = np.argmax(probabilities, axis=1)
        if uncertain is not None:
            best = best + len(labels) * uncertain
        best = best.tolist()
        quote = encode_basestring  # what json.dumps(text, ensure_ascii=False) does, without its overhead
        for document, row, choice in zip(texts, probabilities.tolist(), best):
            text, target = split_document(document)
            head = '{"text": ' + quote(text)
            if not isinstance(document, str):
                head += ', "target": ' + quote(target)
            yield f"{head}, {keys[choice]}" + probabilities_of % tuple(row)


class _JsonFormatter(_JsonlFormatter):  # the JSONL lines, joined by commas inside brackets
    def header(self) -> str:
        return "["

    def rows(self, texts, probabilities, explanations, first: bool, extras=None, fields=None) -> str:
        body = ",\n".join(self.lines(texts, probabilities, explanations, extras, fields))
        return _escape_line_separators(("\n" if first else ",\n") + body)

    def footer(self, empty: bool) -> str:
        return "]\n" if empty else "\n]\n"


class _CsvFormatter(_Formatter):
    def header(self) -> str:
        return ""  # written with the first rows, once it is known whether they carry targets

    def footer(self, empty: bool) -> str:
        return self._columns(with_target=False) if empty else ""

    extra_columns: list[str] | None = None  # passed-through input columns, fixed by the first row
    leading_columns: list[str] | None = None  # where a sentence lies in its document, before the text

    def _columns(self, with_target: bool) -> str:
        columns = list(self.leading_columns or []) + ["text"] + (["target"] if with_target else []) + ["label"]
        columns += ["best_guess"] if self.abstention is not None else []
        columns += [f"proba_{c}" for c in self.classes] if self.proba else []
        columns += ["explain"] if self.explain else []
        return csv_line(columns + [passed_through_name(name) for name in self.extra_columns or []])

    def prepare(self, first_chunk: list) -> None:
        if len(first_chunk[0]) > 2:
            self.extra_columns = list(first_chunk[0][2])
        if len(first_chunk[0]) > 3:
            self.leading_columns = list(first_chunk[0][3])

    def check_columns(self, extras: list[dict], lines: list[int]) -> None:
        known = set(self.extra_columns or [])
        for line, row in zip(lines, extras):
            new = [name for name in row if name not in known]
            if new:
                raise DataError(
                    located(
                        self.source,
                        line,
                        f"column {new[0]!r} is not in the first record, and CSV output has the first record's "
                        "columns only; name the columns to keep with --keep-columns, or write jsonl",
                    )
                )

    def rows(self, texts, probabilities, explanations, first: bool, extras=None, fields=None) -> str:
        lines = [self._columns(with_target=not isinstance(texts[0], str))] if first else []
        for index, record in enumerate(self.records(texts, probabilities, explanations, fields=fields)):
            cells = [str(record[key]) for key in self.leading_columns or []] + [neutralise_formula(record["text"])]
            if "target" in record:
                cells.append(neutralise_formula(record["target"]))
            cells.append(record["label"])
            if "best_guess" in record:
                cells.append(record["best_guess"])
            if self.proba:
                cells += [repr(p) for p in record["proba"].values()]
            if "explain" in record:
                cells.append(neutralise_formula(json.dumps(record["explain"], ensure_ascii=False)))
            if extras is not None:
                cells += [_csv_cell(extras[index].get(name)) for name in self.extra_columns or ()]
            lines.append(csv_line(cells))
        return "".join(lines)


def _csv_cell(value) -> str:
    """A passed-through value as a CSV cell: strings as they are, None empty, the rest as JSON."""
    if value is None:
        return ""
    return neutralise_formula(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


_NEEDS_QUOTES = re.compile(r'[,"\r\n]').search


def csv_line(cells: list[str]) -> str:
    r"""One CSV row, quoting cells that hold a comma, a quote or a line end.

    Not ``csv.writer``: before Python 3.13 it leaves a lone ``\r`` unquoted when rows end in
    ``\n``, and readers then split the row there. Within 15% of its speed
    (experiments/results/fast_paths.md).

    >>> csv_line(["a,b", "plain", "x\ry"])
    '"a,b",plain,"x\ry"\n'
    """
    return ",".join(['"' + cell.replace('"', '""') + '"' if _NEEDS_QUOTES(cell) else cell for cell in cells]) + "\n"


class _HtmlFormatter(_Formatter):
    """One self-contained page (:class:`stanceclf.article_page.ArticlePage`), written at the end."""

    def __init__(self, classes, proba: bool, explain: int, abstention=None):
        from stanceclf.article_page import ArticlePage

        super().__init__(classes, proba, explain or 5, abstention)  # the page always shows its evidence
        self.page = ArticlePage(self.classes + ([UNCERTAIN] if self.abstention is not None else []))

    def rows(self, texts, probabilities, explanations, first: bool, extras=None, fields=None) -> str:
        for record in self.records(texts, probabilities, explanations, fields=fields):
            self.page.add(record)
        return ""

    def footer(self, empty: bool) -> str:
        return self.page.render()


_FORMATTERS = {
    "text": _TextFormatter,
    "json": _JsonFormatter,
    "jsonl": _JsonlFormatter,
    "csv": _CsvFormatter,
    "html": _HtmlFormatter,
}
