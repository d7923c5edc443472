"""Reading and validating labelled and unlabelled statement files.

Formats, chosen by extension: ``.csv`` (comma) and ``.tsv`` (tab) with a header row, ``.jsonl``
(one JSON object a line) and, for unlabelled input only, ``.txt`` (one statement a line). Files
are UTF-8 with or without a byte-order mark; ``\\n``, ``\\r\\n`` and lone ``\\r`` line ends are all
accepted. Every problem is reported as a :class:`~stanceclf.errors.DataError` whose message names
the file, the line and what is wrong; no row is ever dropped silently.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from stanceclf.errors import DataError, located

FORMATS = ("csv", "tsv", "jsonl", "txt")
_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_EXTENSIONS[".txt"] = "txt"
_BOM = "\ufeff"
# Statements are sentences, not books: a longer field is almost surely a broken quote or a
# pasted file, and its character n-grams alone would take gigabytes.
MAX_TEXT_CHARS = 200_000
# A statement can legitimately be long (a pasted article); csv's default 128 KiB cap is not ours.
csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True)
class Dataset:
    """Statements with their labels and, where the file has them, their targets.

    Attributes
    ----------
    texts : list of str
    labels : list of str
    targets : list of str or None
        One target per statement, or None when the file has no target column.
    path : str
        Where the data came from (for messages and model metadata).
    sha256 : str
        SHA-256 of the whole file's bytes, recorded in models trained on it.
    split : str or None
        The split the rows were taken from, or None for all rows.
    lines : list of int
        The line each statement starts on, for messages that point back into the file.
    """

    texts: list[str]
    labels: list[str]
    targets: list[str] | None
    path: str
    sha256: str
    lines: list[int]
    split: str | None = None

    def inputs(self, with_targets: bool = False) -> list:
        """What a model takes as ``X``: the texts, or ``(text, target)`` pairs."""
        if not with_targets:
            return self.texts
        if self.targets is None:
            raise DataError(located(self.path, None, "this model uses targets, but the data has no target column"))
        return list(zip(self.texts, self.targets))

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def label_counts(self) -> dict[str, int]:
        """Number of statements per label, labels sorted."""
        return dict(sorted(Counter(self.labels).items()))


def detect_format(path: str | Path, fmt: str | None = None) -> str:
    """Return the file format named by ``fmt`` or by the file's extension."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise DataError(located(path, None, f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})"))
        return fmt
    if str(path) == "-":
        return "txt"
    suffix = Path(path).suffix.lower()
    if suffix not in _EXTENSIONS:
        raise DataError(
            located(
                path, None, f"cannot tell the format from the extension {suffix!r} (use .csv, .tsv, .jsonl or .txt)"
            )
        )
    return _EXTENSIONS[suffix]


def load_dataset(
    path: str | Path,
    *,
    text_column: str = "text",
    label_column: str = "label",
    target_column: str | None = None,
    fmt: str | None = None,
    min_labels: int = 2,
    split: str | None = None,
    split_column: str = "split",
) -> Dataset:
    """Read a labelled file and check it is fit to train or evaluate on.

    Parameters
    ----------
    path : str or Path
        A ``.csv``, ``.tsv`` or ``.jsonl`` file with a header (CSV) or keys (JSONL); or a
        public benchmark in its own layout: a TweetEval stance folder, or a SemEval-2016
        Task 6 file (see :mod:`stanceclf.benchmarks`).
    text_column, label_column : str
        Which columns hold the statement and its label.
    target_column : str, optional
        Which column holds the target. By default a column called ``target`` is used when
        present; naming a column that is absent is an error.
    fmt : {"csv", "tsv", "jsonl", "tweeteval", "semeval2016"}, optional
        Overrides the format the extension (or layout) implies.
    min_labels : int, default 2
        The fewest distinct labels accepted (training needs two; evaluating can take one).
    split : str, optional
        Keep only the rows whose ``split_column`` holds this value (e.g. ``"train"``); the
        other rows are still read and checked. For a TweetEval folder: which split files to
        read (``train``, ``val``, ``test`` or e.g. ``train+val``; default ``train``).
    split_column : str, default "split"

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        For a missing file or column, an empty text, a missing label, an undecodable byte,
        malformed CSV or JSON, the same text given two labels, or too few distinct labels.

    Examples
    --------
    >>> data = load_dataset("datasets/stance.csv")  # doctest: +SKIP
    >>> data.label_counts  # doctest: +SKIP
    {'conditional': 541, 'oppose': 540, 'support': 538}
    """
    benchmark = _benchmark_dataset(path, fmt, split)
    if benchmark is not None:
        return benchmark
    fmt = detect_format(path, fmt)
    if fmt == "txt":
        raise DataError(located(path, None, "a .txt file has no labels; labelled data must be .csv, .tsv or .jsonl"))
    digest = hashlib.sha256()
    required = [text_column, label_column]
    optional = [] if target_column is not None else ["target"]
    if target_column is not None:
        required.append(target_column)
    if split is not None:
        required.append(split_column)
    texts, labels, targets, lines = [], [], [], []
    first_line_of: dict[tuple[str, str], tuple[int, str]] = {}
    has_target = target_column is not None
    for line, row in iter_records(path, required, optional=optional, fmt=fmt, digest=digest):
        text, label = labelled_row(path, line, row, text_column, label_column)
        target_name = target_column or "target"
        target = row.get(target_name, "").strip()
        # the same words may lean differently towards different targets, never within one
        seen = first_line_of.setdefault((target, text), (line, label))
        if seen[1] != label:
            about = f" about {target!r}" if target else ""
            raise DataError(
                located(path, line, f"this text{about} was labelled {seen[1]!r} on line {seen[0]} and {label!r} here")
            )
        if split is not None and row[split_column].strip() != split:
            continue
        has_target = has_target or target_name in row
        texts.append(text)
        labels.append(label)
        targets.append(target)
        lines.append(line)
    if not texts:
        where = f" in split {split!r}" if split is not None else ""
        raise DataError(located(path, None, f"no statements{where} (the file has no data rows)"))
    distinct = sorted(set(labels))
    if len(distinct) < min_labels:
        raise DataError(
            located(path, None, f"only one label ({distinct[0]!r}); training needs at least {min_labels} labels")
        )
    return Dataset(texts, labels, targets if has_target else None, str(path), digest.hexdigest(), lines, split)


def _benchmark_dataset(path, fmt: str | None, split: str | None) -> Dataset | None:
    """Read ``path`` with a benchmark reader when it is (or is said to be) in such a layout."""
    from stanceclf import benchmarks

    if str(path) == "-":
        return None
    if fmt == "tweeteval" or (fmt is None and benchmarks.is_tweeteval_folder(path)):
        return benchmarks.load_tweeteval(path, split or "train")
    if fmt == "semeval2016" or (
        fmt is None and Path(path).suffix.lower() == ".txt" and benchmarks.is_semeval_file(path)
    ):
        if split is not None:
            raise DataError(located(path, None, "SemEval-2016 files have no split column; pass the split's own file"))
        return benchmarks.load_semeval2016(path)
    return None


def iter_texts(
    path: str | Path,
    *,
    text_column: str = "text",
    target_column: str | None = None,
    fmt: str | None = None,
) -> Iterator[tuple[int, str]]:
    """Stream ``(line, text)`` pairs from an unlabelled file, in order, one per input row.

    With ``target_column`` (CSV, TSV, JSONL) each item is ``(line, (text, target))``.
    ``path`` may be ``"-"`` for standard input (one statement a line). Nothing is held in
    memory beyond the current row, so files of any size can be streamed.
    """
    fmt = detect_format(path, fmt)
    if fmt == "txt":
        if target_column is not None:
            raise DataError(located(path, None, "a .txt file has no columns; give the target with --target"))
        for line, content in _iter_lines(path):
            yield line, check_text_length(path, line, content.rstrip("\r\n"))
        return
    if target_column is None:
        for line, row in iter_records(path, [text_column], fmt=fmt):
            yield line, check_text_length(path, line, row[text_column])
        return
    for line, row in iter_records(path, [text_column, target_column], fmt=fmt):
        yield line, (check_text_length(path, line, row[text_column]), row[target_column].strip())


def read_document(path: str | Path) -> str:
    """The whole text of a .txt file (or ``"-"``, standard input), line ends as ``\\n``.

    For documents split into sentences (``predict --sentences``), where offsets refer to this
    text. Decoding is checked line by line, as for every other input.
    """
    return "".join(text for _, text in _iter_lines(path))


def labelled_row(path, line: int, row: dict, text_column: str, label_column: str) -> tuple[str, str]:
    """The text and (stripped) label of one row, or a :class:`DataError` naming file and line."""
    text, label = row[text_column], row[label_column].strip()
    check_text_length(path, line, text)
    if not text.strip():
        raise DataError(located(path, line, f"empty text (every row needs a statement in column {text_column!r})"))
    if not label:
        raise DataError(located(path, line, f"missing label (every row needs a label in column {label_column!r})"))
    return text, label


def check_text_length(path, line: int | None, text: str) -> str:
    """Return ``text``, or raise if it is longer than any statement (:data:`MAX_TEXT_CHARS`)."""
    if len(text) > MAX_TEXT_CHARS:
        raise DataError(
            located(
                path, line, f"statement of {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,} (a broken quote?)"
            )
        )
    return text


def iter_records(
    path: str | Path,
    required: Iterable[str],
    *,
    optional: Iterable[str] = (),
    fmt: str | None = None,
    digest=None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Stream ``(line, row)`` from a CSV, TSV or JSONL file, checking the required columns.

    ``row`` maps column names to strings; ``line`` is the line the row starts on.
    """
    fmt = detect_format(path, fmt)
    required, optional = list(required), list(optional)
    lines = _iter_lines(path, digest)
    if fmt == "jsonl":
        yield from _iter_jsonl(path, lines, required, optional)
    elif fmt in ("csv", "tsv"):
        yield from _iter_csv(path, lines, "," if fmt == "csv" else "\t", required)
    else:
        raise DataError(located(path, None, f"{fmt} files have no columns; use .csv, .tsv or .jsonl"))


def _iter_csv(path, lines: Iterator[tuple[int, str]], delimiter: str, required: list[str]):
    numbered = _LineTracker(lines)
    reader = csv.reader(numbered, delimiter=delimiter, strict=True)
    start = 1
    try:
        header = next(reader, None)
        if header is None:
            raise DataError(located(path, None, "empty file (expected a header row naming the columns)"))
        header = [name.strip() for name in header]
        missing = [name for name in required if name not in header]
        if missing:
            found = ", ".join(repr(name) for name in header)
            raise DataError(located(path, 1, f"no column {missing[0]!r} in the header (found {found})"))
        while True:
            start = numbered.last + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            if not fields:
                continue  # a truly blank line between rows carries no statement
            if len(fields) != len(header):
                hint = " (is the delimiter right?)" if len(fields) == 1 else ""
                raise DataError(
                    located(path, start, f"expected {len(header)} fields as in the header, found {len(fields)}{hint}")
                )
            yield start, dict(zip(header, fields))
    except csv.Error as error:
        raise DataError(located(path, start, f"malformed CSV: {error}")) from None


class _LineTracker:
    """Feeds numbered lines to ``csv.reader`` and remembers the last line number handed out."""

    def __init__(self, lines: Iterator[tuple[int, str]]):
        self._lines = lines
        self.last = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        self.last, content = next(self._lines)
        return content


def _iter_jsonl(path, lines, required: list[str], optional: list[str]):
    for line, content in lines:
        if not content.strip():
            continue  # blank lines separate nothing in JSONL; skipping them drops no record
        try:
            record = json.loads(content)
        except json.JSONDecodeError as error:
            raise DataError(located(path, line, f"invalid JSON ({error.msg} at column {error.colno})")) from None
        except RecursionError:
            raise DataError(located(path, line, "invalid JSON (nested too deeply)")) from None
        if not isinstance(record, dict):
            raise DataError(located(path, line, f"expected a JSON object, found {type(record).__name__}"))
        row = {}
        for name in required + optional:
            if name not in record or record[name] is None:
                if name in optional:
                    continue
                raise DataError(located(path, line, f"no key {name!r} in this record"))
            value = record[name]
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise DataError(located(path, line, f"key {name!r} holds {type(value).__name__}, expected a string"))
            value = str(value)
            if "\\u" in content and not is_encodable(value):
                raise DataError(located(path, line, f"key {name!r} holds a lone UTF-16 surrogate (\\ud800-\\udfff)"))
            row[name] = value
        yield line, row


def is_encodable(text: str) -> bool:
    """False for a string holding lone surrogates, which no UTF-8 output can carry."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


STDIN_NAME = "<stdin>"


def _iter_lines(path: str | Path, digest=None) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, decoded line with '\\n' end)``, splitting on \\n, \\r\\n and lone \\r.

    Decoding is strict UTF-8 line by line so that an undecodable byte is reported with its line.
    """
    if str(path) == "-":
        stream, close = sys.stdin.buffer, False
    else:
        try:
            stream, close = open(path, "rb"), True  # noqa: SIM115 - closed in the finally below
        except FileNotFoundError:
            raise DataError(located(path, None, "no such file")) from None
        except IsADirectoryError:
            raise DataError(located(path, None, "is a directory, expected a file")) from None
        except PermissionError:
            raise DataError(located(path, None, "permission denied")) from None
    try:
        number = 0
        for raw in stream:
            if digest is not None:
                digest.update(raw)
            pieces = raw.splitlines(keepends=True) if b"\r" in raw else (raw,)
            for piece in pieces:
                number += 1
                try:
                    text = piece.decode("utf-8")
                except UnicodeDecodeError as error:
                    raise DataError(
                        located(
                            path,
                            number,
                            f"not valid UTF-8 (byte 0x{piece[error.start]:02x} at column {error.start + 1})",
                        )
                    ) from None
                if number == 1 and text.startswith(_BOM):
                    text = text[1:]
                yield number, text.rstrip("\r\n") + "\n"
    finally:
        if close:
            stream.close()
