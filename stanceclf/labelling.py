"""Labelling your own data: the pool to label, what to ask next, and the answers file.

:func:`read_pool` reads any file ``predict`` reads and keeps one copy of each statement,
counting what it left out. :class:`AnswerFile` is the output CSV (``text,label[,target]``, which
``stanceclf train`` reads as it is): each answer is appended, flushed and synced to disk before
the next question, so a killed process loses nothing; a row cut off by a kill mid-write is
removed on the next start. Skipped statements go to a side file, ``<output>.skipped``, one JSON
string a line, so a resumed session asks neither answered nor skipped statements again. The
terminal loop itself is :mod:`stanceclf.terminal`.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from stanceclf.data import iter_texts
from stanceclf.errors import DataError
from stanceclf.suggesting import DEFAULT_MAX_SIMILARITY, suggest

DEFAULT_LABELS = ("support", "oppose", "conditional", "none")


@dataclass
class Pool:
    """The statements to label, one per distinct (text, target), and what reading left out."""

    texts: list[str]
    targets: list[str | None]
    lines: list[int]
    empty: int = 0
    duplicates: int = 0

    def items(self) -> list:
        """What a model predicts from: texts, or (text, target) pairs when targets were read."""
        if any(target is not None for target in self.targets):
            return list(zip(self.texts, self.targets))
        return list(self.texts)

    def summary(self) -> str:
        left_out = []
        if self.empty:
            left_out.append(f"{self.empty} empty")
        if self.duplicates:
            left_out.append(f"{self.duplicates} duplicate")
        tail = f" ({', '.join(left_out)} rows left out)" if left_out else ""
        return f"{len(self.texts)} statements{tail}"


def read_pool(path: str | Path, *, text_column: str = "text", target_column: str | None = None, **reading) -> Pool:
    """Read an unlabelled pool (.txt, .csv, .tsv, .jsonl), dropping empty rows and repeats, and count both.

    Parameters
    ----------
    path : str or Path
        Any file ``stanceclf predict --input`` reads.
    text_column, target_column : str
        Columns of a CSV/TSV/JSONL file; with no ``target_column``, a ``target`` column is used
        when a CSV/JSONL file has one.

    Returns
    -------
    Pool

    Raises
    ------
    DataError
        The file cannot be read, naming file and line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "pool.txt").write_text("We back it.\\n\\nWe back it.\\nNo.\\n", encoding="utf-8")
    >>> pool = read_pool(folder / "pool.txt")
    >>> pool.texts, pool.empty, pool.duplicates
    (['We back it.', 'No.'], 1, 1)
    """
    if target_column is None and Path(path).suffix.lower() in (".csv", ".tsv", ".jsonl"):
        target_column = "target" if "target" in _columns(path, reading.get("encoding", "utf-8")) else None
    pool = Pool([], [], [])
    seen: set = set()
    for line, item in iter_texts(path, text_column=text_column, target_column=target_column, **reading):
        text, target = item if isinstance(item, tuple) else (item, None)
        if not text.strip():
            pool.empty += 1
            continue
        key = (text.strip(), target)
        if key in seen:
            pool.duplicates += 1
            continue
        seen.add(key)
        pool.texts.append(text)
        pool.targets.append(target)
        pool.lines.append(line)
    return pool


def _columns(path, encoding: str) -> list[str]:
    """The header of a CSV/TSV file or the keys of a JSONL file's first record."""
    try:
        with open(path, encoding=encoding, newline="") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return []  # iter_texts reports the problem with its line
    if str(path).lower().endswith(".jsonl"):
        try:
            record = json.loads(first)
        except ValueError:
            return []
        return list(record) if isinstance(record, dict) else []
    delimiter = "\t" if str(path).lower().endswith(".tsv") else ","
    return next(csv.reader([first], delimiter=delimiter), [])


@dataclass
class AnswerFile:
    """The labels given so far, on disk after every answer; undo within this session."""

    path: Path
    with_targets: bool
    answered: dict = field(default_factory=dict)  # (text, target) -> label
    skipped: set = field(default_factory=set)
    _undo: list = field(default_factory=list)  # (file, size before, key, was a skip)

    @property
    def skipped_path(self) -> Path:
        return self.path.with_name(self.path.name + ".skipped")

    @classmethod
    def open(cls, path: str | Path, *, with_targets: bool) -> AnswerFile:
        """Read what an earlier session wrote (removing a row cut off by a kill) or start anew."""
        store = cls(Path(path), with_targets)
        if store.path.is_dir():
            raise DataError(f"{store.path}: is a directory; --output needs a file name")
        if not store.path.parent.is_dir():
            raise DataError(f"{store.path}: the folder {store.path.parent} does not exist")
        if not os.access(store.path.parent, os.W_OK) or (store.path.exists() and not os.access(store.path, os.W_OK)):
            raise DataError(f"{store.path}: permission denied (cannot write the answers there)")
        if store.path.exists():
            _cut_unfinished_line(store.path)
            store._read_answers()
        if store.skipped_path.exists():
            _cut_unfinished_line(store.skipped_path)
            for number, raw in enumerate(store.skipped_path.read_text(encoding="utf-8").splitlines(), start=1):
                try:
                    text, target = json.loads(raw)
                except (ValueError, TypeError):
                    raise DataError(f"{store.skipped_path}:{number}: not a skipped statement") from None
                store.skipped.add((text, target))
        return store

    def _read_answers(self) -> None:
        with open(self.path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            if "text" not in columns or "label" not in columns:
                raise DataError(f"{self.path}:1: not a labels file (needs columns text,label); choose another --output")
            if ("target" in columns) != self.with_targets:
                has = "has" if "target" in columns else "has no"
                raise DataError(f"{self.path}:1: {has} a target column but the pool does not match; another --output?")
            for row in reader:
                self.answered[(row["text"], row.get("target"))] = row["label"]

    def has(self, text: str, target: str | None) -> bool:
        return (text, target) in self.answered or (text, target) in self.skipped

    def answer(self, text: str, target: str | None, label: str) -> None:
        """Append one answer and sync it to disk before returning."""
        fresh = not self.path.exists() or self.path.stat().st_size == 0
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if fresh:
            writer.writerow(["text", "label", "target"] if self.with_targets else ["text", "label"])
        writer.writerow([text, label, target] if self.with_targets else [text, label])
        size = 0 if fresh else self.path.stat().st_size
        _append(self.path, buffer.getvalue())
        self.answered[(text, target)] = label
        self._undo.append((self.path, size, (text, target), False))

    def skip(self, text: str, target: str | None) -> None:
        """Remember a skipped statement so that no later session asks it again."""
        size = self.skipped_path.stat().st_size if self.skipped_path.exists() else 0
        _append(self.skipped_path, json.dumps([text, target], ensure_ascii=False) + "\n")
        self.skipped.add((text, target))
        self._undo.append((self.skipped_path, size, (text, target), True))

    def undo(self) -> tuple | None:
        """Take back this session's last answer or skip; returns its (text, target), or None."""
        if not self._undo:
            return None
        path, size, key, was_skip = self._undo.pop()
        with open(path, "r+b") as handle:
            handle.truncate(size)
            handle.flush()
            os.fsync(handle.fileno())
        if was_skip:
            self.skipped.discard(key)
        else:
            self.answered.pop(key, None)
        return key

    def labelled(self) -> tuple[list, list[str]]:
        """Everything answered so far, as (inputs, labels) a model trains on."""
        keys = list(self.answered)
        inputs = [key if self.with_targets else key[0] for key in keys]
        return inputs, [self.answered[key] for key in keys]


def _append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _cut_unfinished_line(path: Path) -> None:
    """Remove a last line without its newline: a write cut off by a kill, never confirmed."""
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with open(path, "r+b") as handle:
            handle.truncate(data.rfind(b"\n") + 1)
            os.fsync(handle.fileno())


def order_pool(
    model, pool: Pool, store: AnswerFile, *, strategy: str = "diverse", max_similarity: float = DEFAULT_MAX_SIMILARITY
) -> list[int]:
    """Positions in ``pool`` still to ask, the most useful first (file order without a model)."""
    remaining = [i for i in range(len(pool.texts)) if not store.has(pool.texts[i], pool.targets[i])]
    if model is None or not remaining:
        return remaining
    asked = set(range(len(pool.texts))) - set(remaining)
    picks = suggest(
        model, pool.items(), n=len(remaining), strategy=strategy, max_similarity=max_similarity, exclude=asked
    )
    return [pick.index for pick in picks]


def suggest_file(
    model_path: str | Path | None,
    pool_path: str | Path,
    n: int = 50,
    *,
    strategy: str = "diverse",
    max_similarity: float = DEFAULT_MAX_SIMILARITY,
    **reading,
) -> list:
    """What ``stanceclf suggest`` does: read a model and a pool, return the best ``n`` suggestions.

    Parameters
    ----------
    model_path : str, Path or None
        A model file; None for the bundled default model.
    pool_path : str or Path
        The unlabelled statements (any file ``predict`` reads).
    n, strategy, max_similarity
        As in :func:`stanceclf.suggesting.suggest`.

    Returns
    -------
    list of Suggestion
        With ``line``: the pool file's line of each statement.
    """
    from stanceclf.inference import load_predictor
    from stanceclf.persist import default_model_path

    predictor = load_predictor(model_path or default_model_path())
    pool = read_pool(pool_path, **reading)
    picks = suggest(predictor, pool.items(), n=n, strategy=strategy, max_similarity=max_similarity)
    for pick in picks:
        pick.line = pool.lines[pick.index]
    return picks


def format_suggestion(pick) -> str:
    """One suggestion as a line: pool line, score, the model's guess and probability, the statement."""
    target = f" [{pick.target}]" if pick.target is not None else ""
    where = f"{pick.line}" if pick.line is not None else f"#{pick.index}"
    return f"{where}\t{pick.score:.3f}\t{pick.label} {pick.proba[pick.label]:.2f}\t{pick.text}{target}"
