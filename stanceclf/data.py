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
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from stanceclf import benchmarks
from stanceclf.dataset import Dataset
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


def detect_format(path: str | Path, fmt: str | None = None) -> str:
    """Return the file format named by ``fmt`` or by the file's extension."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise DataError(located(path, None, f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})"))
        return fmt
    if str(path) == "-":
        return "txt"
    suffix = Path(path).suffix.lower()
    if suffix == ".gz":  # posts.csv.gz: the format of what is compressed
        suffix = Path(Path(path).stem).suffix.lower()
    if suffix not in _EXTENSIONS:
        if not Path(path).exists():
            raise DataError(located(path, None, "no such file"))
        raise DataError(
            located(
                path,
                None,
                f"cannot tell the format from the extension {suffix!r} (use .csv, .tsv, .jsonl or .txt, "
                "optionally with .gz)",
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
    label_map: dict[str, str] | None = None,
    fold_case: bool = False,
    delimiter: str | None = None,
    encoding: str = "utf-8",
) -> Dataset:
    """Read a labelled file and check it is fit to train or evaluate on.

    Parameters
    ----------
    path : str, Path or DataFrame
        A ``.csv``, ``.tsv`` or ``.jsonl`` file with a header (CSV) or keys (JSONL); a public
        benchmark in its own layout: a TweetEval stance folder, or a SemEval-2016 Task 6 file
        (see :mod:`stanceclf.benchmarks`); or a pandas DataFrame with those columns (rows are
        numbered from 1 in messages).
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
    label_map : dict, optional
        Rename labels as they are read (``{"FAVOR": "support", "AGAINST": "oppose"}``);
        labels not in the map are kept.
    fold_case : bool, default False
        Lower-case every label. Without it, two labels that differ only in case
        (``Support`` and ``support``) are an error rather than two labels.
    delimiter : str, optional
        The character between CSV fields, e.g. ``";"`` (default: ``,`` for ``.csv``, tab for
        ``.tsv``).
    encoding : str, default "utf-8"
        The file's encoding, e.g. ``"cp1252"`` for spreadsheet exports (ASCII-compatible
        encodings only).

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        For a missing file or column, an empty text, a missing label, an undecodable byte,
        malformed CSV or JSON, the same text given two labels, labels that differ only in
        case, or too few distinct labels.

    Examples
    --------
    >>> data = load_dataset("datasets/stance.csv")  # doctest: +SKIP
    >>> data.label_counts  # doctest: +SKIP
    {'conditional': 541, 'oppose': 540, 'support': 538}
    """
    frame = is_frame(path)
    benchmark = None if frame else _benchmark_dataset(path, fmt, split)
    if benchmark is not None:
        return _relabelled(benchmark, label_map, fold_case)
    if not frame:
        fmt = detect_format(path, fmt)
        if fmt == "txt":
            raise DataError(
                located(path, None, "a .txt file has no labels; labelled data must be .csv, .tsv or .jsonl")
            )
    digest = hashlib.sha256()
    required = [text_column, label_column]
    optional = [] if target_column is not None else ["target"]
    if target_column is not None:
        required.append(target_column)
    if split is not None:
        required.append(split_column)
    texts, labels, targets, lines = [], [], [], []
    first_line_of: dict[tuple[str, str], tuple[int, str]] = {}
    first_line_of_label: dict[str, int] = {}
    splits_present: set[str] = set()
    has_target = target_column is not None
    if frame:
        records = frame_records(path, required, optional, digest)
        path = FRAME_NAME
    else:
        records = iter_records(
            path, required, optional=optional, fmt=fmt, digest=digest, delimiter=delimiter, encoding=encoding
        )
    for line, row in records:
        text, label = labelled_row(path, line, row, text_column, label_column)
        label = relabel(label, label_map, fold_case)
        first_line_of_label.setdefault(label, line)
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
            splits_present.add(row[split_column].strip())
            continue
        has_target = has_target or target_name in row
        texts.append(text)
        labels.append(label)
        targets.append(target)
        lines.append(line)
    check_label_case(path, first_line_of_label)
    if not texts:
        if split is not None and splits_present:
            present = ", ".join(sorted(splits_present))
            raise DataError(located(path, None, f"no statements in split {split!r} (splits present: {present})"))
        raise DataError(located(path, None, "no statements (the file has no data rows)"))
    distinct = sorted(set(labels))
    if len(distinct) < min_labels:
        raise DataError(
            located(path, None, f"only one label ({distinct[0]!r}); training needs at least {min_labels} labels")
        )
    return Dataset(texts, labels, targets if has_target else None, str(path), digest.hexdigest(), lines, split)


FRAME_NAME = "<DataFrame>"


def is_frame(value) -> bool:
    """True for a pandas (or pandas-like) DataFrame, recognised without importing pandas."""
    return hasattr(value, "columns") and hasattr(value, "itertuples") and not isinstance(value, str | Path)


def frame_documents(frame) -> list:
    """What a model takes as ``X`` from a DataFrame: one column is statements, two are
    (statement, target) pairs; anything else is an error, never a short answer."""
    columns = list(frame.columns)
    if len(columns) == 1:
        return frame.iloc[:, 0].tolist()
    if len(columns) == 2:
        return list(frame.itertuples(index=False, name=None))
    raise ValueError(
        f"X is a DataFrame with {len(columns)} columns ({', '.join(map(str, columns))}); give one column "
        "of statements (df[['text']]) or two of statements and targets (df[['text', 'target']])"
    )


def frame_records(frame, required: Sequence[str], optional: Sequence[str] = (), digest=None):
    """Stream ``(row number, row)`` from a DataFrame as :func:`iter_records` does from a file.

    Rows are numbered from 1; a missing value (None or NaN) counts as an empty cell.
    """
    columns = [str(name) for name in frame.columns]
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise DataError(located(FRAME_NAME, None, f"column {repeated[0]!r} appears more than once"))
    missing = [name for name in required if name not in columns]
    if missing:
        found = ", ".join(repr(name) for name in columns)
        raise DataError(located(FRAME_NAME, None, f"no column {missing[0]!r} (found {found})"))
    wanted = [name for name in list(required) + list(optional) if name in columns]
    positions = [columns.index(name) for name in wanted]
    for number, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        row = {}
        for name, position in zip(wanted, positions):
            value = values[position]
            missing_value = value is None or (isinstance(value, float) and value != value)  # NaN
            if not missing_value and (not isinstance(value, str | int | float) or isinstance(value, bool)):
                raise DataError(
                    located(FRAME_NAME, number, f"column {name!r} holds {type(value).__name__}, expected a string")
                )
            row[name] = "" if missing_value else str(value)
        if digest is not None:
            digest.update(json.dumps(row, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
        yield number, row


def relabel(label: str, label_map: dict[str, str] | None, fold_case: bool) -> str:
    """``label`` renamed by ``label_map`` and, with ``fold_case``, lower-cased."""
    if label_map:
        label = label_map.get(label, label)
    return label.lower() if fold_case else label


def check_label_case(path, first_line_of_label: dict[str, int] | dict[str, str]) -> None:
    """Refuse labels that differ only in case: almost always one label typed two ways.

    ``first_line_of_label`` gives each label's first line in ``path``, or its first place as
    ``"FILE:LINE"`` when the rows came from several files.
    """
    by_folded: dict[str, list[str]] = {}
    for label in first_line_of_label:
        by_folded.setdefault(label.casefold(), []).append(label)
    for spellings in by_folded.values():
        if len(spellings) > 1:
            where = " and ".join(f"{label!r} ({_place(first_line_of_label[label])})" for label in spellings)
            raise DataError(
                located(
                    path,
                    None,
                    f"labels {where} differ only in case; correct the file or fold them into one "
                    "(--fold-case, or fold_case=True)",
                )
            )


def _place(place: int | str) -> str:
    return f"line {place}" if isinstance(place, int) else place


def parse_label_map(text: str) -> dict[str, str]:
    """``"FAVOR=support,AGAINST=oppose"`` as a dict; a :class:`DataError` for anything else."""
    mapping = {}
    for item in text.split(","):
        source, equals, destination = item.partition("=")
        if not equals or not source.strip() or not destination.strip():
            raise DataError(f"label map: {item.strip()!r} is not FROM=TO (e.g. FAVOR=support,AGAINST=oppose)")
        mapping[source.strip()] = destination.strip()
    return mapping


def _relabelled(dataset: Dataset, label_map, fold_case: bool) -> Dataset:
    if not label_map and not fold_case:
        labels = dataset.labels
    else:
        labels = [relabel(label, label_map, fold_case) for label in dataset.labels]
    first_line_of_label: dict[str, int] = {}
    for label, line in zip(labels, dataset.lines):
        first_line_of_label.setdefault(label, line)
    check_label_case(dataset.path, first_line_of_label)
    if labels is dataset.labels:
        return dataset
    from dataclasses import replace

    return replace(dataset, labels=labels)


def _benchmark_dataset(path, fmt: str | None, split: str | None) -> Dataset | None:
    """Read ``path`` with a benchmark reader when it is (or is said to be) in such a layout."""
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
    delimiter: str | None = None,
    encoding: str = "utf-8",
    keep_columns: str | list[str] | None = None,
    read_progress: ReadProgress | None = None,
    skip_lines: int = 0,
) -> Iterator[tuple]:
    """Stream ``(line, text)`` pairs from an unlabelled file, in order, one per input row.

    With ``target_column`` (CSV, TSV, JSONL) each item is ``(line, (text, target))``.
    ``path`` may be ``"-"`` for standard input (one statement a line). Nothing is held in
    memory beyond the current row, so files of any size can be streamed.

    With ``keep_columns`` (``"all"`` or a list of names) each item has a third part, a dict of
    the row's other columns to pass through to the output: CSV cells as strings, JSONL values
    as they are (a key a record lacks is None). A ``.txt`` file has no columns to keep.
    ``read_progress``, if given, counts the bytes read so far (for a percentage done).
    ``skip_lines`` leaves out the rows that start on the first N lines (they are still read and
    checked): what an interrupted run reported as done, to resume after it.
    """
    rows = _iter_texts(
        path,
        text_column=text_column,
        target_column=target_column,
        fmt=fmt,
        delimiter=delimiter,
        encoding=encoding,
        keep_columns=keep_columns,
        read_progress=read_progress,
    )
    if skip_lines < 0:
        raise DataError(f"skip_lines must be 0 or more, got {skip_lines}")
    if skip_lines:
        rows = (item for item in rows if item[0] > skip_lines)
    return rows


def _iter_texts(
    path: str | Path,
    *,
    text_column: str,
    target_column: str | None,
    fmt: str | None,
    delimiter: str | None,
    encoding: str,
    keep_columns: str | list[str] | None,
    read_progress: ReadProgress | None,
) -> Iterator[tuple]:
    fmt = detect_format(path, fmt)
    if fmt == "txt":
        if target_column is not None:
            raise DataError(located(path, None, "a .txt file has no columns; give the target with --target"))
        if isinstance(keep_columns, list) and keep_columns:
            raise DataError(located(path, None, "a .txt file has no columns to keep (--keep-columns)"))
        for line, content in _iter_lines(path, encoding=encoding, read_progress=read_progress):
            yield line, check_text_length(path, line, content.rstrip("\r\n"))
        return
    used = [text_column] + ([target_column] if target_column is not None else [])
    named = keep_columns if isinstance(keep_columns, list) else []
    required = used + (named if fmt != "jsonl" else [])
    records = iter_records(
        path,
        required,
        fmt=fmt,
        delimiter=delimiter,
        encoding=encoding,
        keep=keep_columns if keep_columns else None,
        read_progress=read_progress,
    )
    for line, row in records:
        text = check_text_length(path, line, row[text_column])
        document = text if target_column is None else (text, row[target_column].strip())
        if not keep_columns:
            yield line, document
        elif named:
            yield line, document, {name: row.get(name) for name in named}
        else:
            yield line, document, {name: value for name, value in row.items() if name not in used}


def file_argument_warnings(texts: Iterable[str]) -> list[str]:
    """Warnings for statements given as arguments that name an existing file.

    ``stanceclf predict posts.txt`` (``--input`` forgotten) would classify the file's name.
    """
    warnings = []
    for number, text in enumerate(texts, start=1):
        if "\n" in text or len(text) > 4096 or not text.strip():
            continue
        try:
            is_file = Path(text).is_file()
        except (OSError, ValueError):  # a name too long or with a NUL byte is no file
            continue
        if is_file:
            warnings.append(
                f"warning: argument {number} {text!r} is an existing file, predicted as a statement; "
                f"to read the file, use --input {text}"
            )
    return warnings


def read_document(path: str | Path, *, encoding: str = "utf-8") -> str:
    """The whole text of a .txt file (or ``"-"``, standard input), line ends as ``\\n``.

    For documents split into sentences (``predict --sentences``), where offsets refer to this
    text. Decoding is checked line by line, as for every other input.
    """
    return "".join(text for _, text in _iter_lines(path, encoding=encoding))


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
    delimiter: str | None = None,
    encoding: str = "utf-8",
    keep: str | list[str] | None = None,
    read_progress: ReadProgress | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Stream ``(line, row)`` from a CSV, TSV or JSONL file, checking the required columns.

    ``row`` maps column names to strings; ``line`` is the line the row starts on.
    ``delimiter`` overrides the CSV field separator, ``encoding`` the file's UTF-8. A CSV row
    holds every column; a JSONL row the required and optional keys, plus, with ``keep``
    (``"all"`` or a list of keys), those keys' values as they are in the record.
    """
    fmt = detect_format(path, fmt)
    required, optional = list(required), list(optional)
    delimiter = check_delimiter(delimiter)
    check_encoding(encoding)
    lines = _iter_lines(path, digest, encoding=encoding, read_progress=read_progress)
    if fmt == "jsonl":
        yield from _iter_jsonl(path, lines, required, optional, keep)
    elif fmt in ("csv", "tsv"):
        yield from _iter_csv(path, lines, delimiter or ("," if fmt == "csv" else "\t"), required)
    else:
        raise DataError(located(path, None, f"{fmt} files have no columns; use .csv, .tsv or .jsonl"))


def check_delimiter(delimiter: str | None) -> str | None:
    """One character, with ``\\t`` and ``tab`` accepted for a tab; a :class:`DataError` otherwise."""
    if delimiter is None:
        return None
    if delimiter in ("\\t", "tab", "TAB"):
        return "\t"
    if len(delimiter) != 1 or delimiter in '\r\n"':
        raise DataError(f"the delimiter must be one character other than a quote or line end, got {delimiter!r}")
    return delimiter


def check_encoding(encoding: str) -> str:
    """Accept an ASCII-compatible encoding Python knows (files are split into lines as bytes)."""
    import codecs

    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise DataError(f"unknown encoding {encoding!r} (e.g. utf-8, cp1252, latin-1)") from None
    if name.startswith(("utf-16", "utf-32")):
        raise DataError(f"encoding {encoding!r} is not supported: convert the file to UTF-8 first")
    return name


def _iter_csv(path, lines: Iterator[tuple[int, str]], delimiter: str, required: list[str]):
    numbered = _LineTracker(lines)
    reader = csv.reader(numbered, delimiter=delimiter, strict=True)
    start = 1
    try:
        header = next(reader, None)
        if header is None:
            raise DataError(located(path, None, "empty file (expected a header row naming the columns)"))
        header = [name.strip() for name in header]
        for column, name in enumerate(header):
            if name and name in header[:column]:
                raise DataError(
                    located(
                        path,
                        1,
                        f"column {name!r} appears twice in the header (columns {header.index(name) + 1} and "
                        f"{column + 1}); rename one",
                    )
                )
        missing = [name for name in required if name not in header]
        if missing:
            found = ", ".join(repr(name) for name in header)
            hint = ""
            other = next((sep for sep in (";", "\t", ",", "|") if sep != delimiter and sep in "".join(header)), None)
            if other is not None:
                hint = f"; the columns seem to be separated by {other!r}: try --delimiter {other!r}"
            raise DataError(located(path, 1, f"no column {missing[0]!r} in the header (found {found}){hint}"))
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


def _iter_jsonl(path, lines, required: list[str], optional: list[str], keep=None):
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
        row: dict[str, Any] = {}  # strings, and the kept keys' JSON values as they are
        for name in required + optional:
            if name not in record or record[name] is None:
                if name in optional:
                    continue
                if name in record:
                    raise DataError(located(path, line, f"key {name!r} is null (every record needs a string there)"))
                raise DataError(located(path, line, f"no key {name!r} in this record"))
            value = record[name]
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise DataError(located(path, line, f"key {name!r} holds {type(value).__name__}, expected a string"))
            value = str(value)
            if "\\u" in content and not is_encodable(value):
                raise DataError(located(path, line, f"key {name!r} holds a lone UTF-16 surrogate (\\ud800-\\udfff)"))
            row[name] = value
        if keep is not None:
            for name in record if keep == "all" else keep:
                if name not in row:
                    row[name] = record.get(name)
                    if "\\u" in content and not is_encodable(json.dumps(row[name], ensure_ascii=False)):
                        raise DataError(located(path, line, f"key {name!r} holds a lone UTF-16 surrogate"))
        yield line, row


def is_encodable(text: str) -> bool:
    """False for a string holding lone surrogates, which no UTF-8 output can carry."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


STDIN_NAME = "<stdin>"


class ReadProgress:
    """How many bytes of an input have been read: with its size, the share of the work done."""

    def __init__(self):
        self.bytes = 0


def _iter_lines(
    path: str | Path, digest=None, encoding: str = "utf-8", read_progress: ReadProgress | None = None
) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, decoded line with '\\n' end)``, splitting on \\n, \\r\\n and lone \\r.

    Decoding is strict (UTF-8 unless told) line by line so that an undecodable byte is
    reported with its line. A file whose name ends in ``.gz`` is decompressed as it is read
    (the digest is then of the decompressed bytes, ``read_progress`` of the compressed ones).
    """
    utf8 = check_encoding(encoding) == "utf-8"
    if str(path) == "-":
        if sys.stdin is None or getattr(sys.stdin, "closed", False):
            raise DataError(located(STDIN_NAME, None, "standard input is closed (give statements or --input FILE)"))
        stream = sys.stdin.buffer
        raw_file = None  # standard input is not ours to close
    else:
        try:
            raw_file = stream = open(path, "rb")  # noqa: SIM115 - closed in the finally below
        except FileNotFoundError:
            raise DataError(located(path, None, "no such file")) from None
        except IsADirectoryError:
            raise DataError(located(path, None, "is a directory, expected a file")) from None
        except PermissionError:
            raise DataError(located(path, None, "permission denied")) from None
        if str(path).lower().endswith(".gz"):
            import gzip

            stream = gzip.GzipFile(fileobj=raw_file, mode="rb")
    number = 0
    lines = iter(stream)
    try:
        while True:
            try:
                raw = next(lines)
            except StopIteration:
                break
            except (OSError, EOFError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
                problem = "damaged or truncated gzip data" if stream is not raw_file else "cannot read the file"
                raise DataError(located(path, number + 1, f"{problem} ({error})")) from None
            if digest is not None:
                digest.update(raw)
            if read_progress is not None:
                read_progress.bytes = raw_file.tell() if raw_file is not None else read_progress.bytes + len(raw)
            pieces = raw.splitlines(keepends=True) if b"\r" in raw else (raw,)
            for piece in pieces:
                number += 1
                try:
                    text = piece.decode(encoding)
                except UnicodeDecodeError as error:
                    hint = "; from a spreadsheet? try --encoding cp1252" if utf8 else "; is --encoding right?"
                    raise DataError(
                        located(
                            path,
                            number,
                            f"not valid {'UTF-8' if utf8 else encoding} "
                            f"(byte 0x{piece[error.start]:02x} at column {error.start + 1}){hint}",
                        )
                    ) from None
                if number == 1 and text.startswith(_BOM):
                    text = text[1:]
                yield number, text.rstrip("\r\n") + "\n"
    finally:
        if raw_file is not None:
            stream.close()
            raw_file.close()
