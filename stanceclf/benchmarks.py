"""Readers for the layouts of public stance benchmarks, yielding ordinary :class:`Dataset` objects.

- TweetEval's stance task (Barbieri et al., 2020): a folder per target, each with
  ``{split}_text.txt`` and ``{split}_labels.txt`` (one tweet / one label id a line) and a
  ``mapping.txt`` (``0 none``, ``1 against``, ``2 favor``) beside the target folders.
- The original SemEval-2016 Task 6 release (Mohammad et al., 2016): tab-separated
  ``ID, Target, Tweet, Stance[, ...]`` with a header row, latin-1 encoded, CRLF line ends.

``load_dataset`` recognises both (a folder holding ``mapping.txt``; a ``.txt`` file whose
header starts ``ID<TAB>Target<TAB>Tweet<TAB>Stance``), so the command line trains on them too.

- Emergent (Ferreira and Vlachos, 2016): news headlines against a claim, ``for`` / ``against``
  / ``observing``; the original CSV files with ``claimHeadline, articleHeadline,
  articleHeadlineStance, articleId, claimId`` (:func:`load_emergent`; groups: the claim id).
- VAST (Allaway and McKeown, 2020): comments against a topic phrase, ``con`` / ``pro`` /
  ``neutral``; the official CSV files (``post``, ``topic_str``, ``label``, ``seen?``) or the
  normalised ``text,label,target`` copies (:func:`load_vast`; groups: the topic; test rows
  marked ``zero-shot`` / ``few-shot`` by the file's own ``seen?`` column).

Both return a :class:`BenchmarkDataset`: a :class:`Dataset` that also carries the groups to
hold out together in cross-validation and, where the benchmark has them, the test subsets.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from stanceclf.dataset import Dataset
from stanceclf.errors import DataError, located

TWEETEVAL_SPLITS = ("train", "val", "test")
SEMEVAL_HEADER = ("ID", "Target", "Tweet", "Stance")


def is_tweeteval_folder(path: str | Path) -> bool:
    return Path(path).is_dir() and (Path(path) / "mapping.txt").is_file()


def is_semeval_file(path: str | Path) -> bool:
    path = Path(path)
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        first = handle.readline().decode("latin-1").rstrip("\r\n").split("\t")
    return tuple(first[:4]) == SEMEVAL_HEADER


def load_tweeteval(folder: str | Path, split: str = "train", targets: list[str] | None = None) -> Dataset:
    """Read TweetEval's stance folder: every target's ``split`` (``"train+val"`` joins two).

    Parameters
    ----------
    folder : str or Path
        The ``stance`` folder (holding ``mapping.txt`` and one folder per target).
    split : str, default "train"
        ``train``, ``val``, ``test``, or several joined by ``+``.
    targets : list of str, optional
        Target folders to read (default: all, sorted).

    Returns
    -------
    Dataset
        Labels as ``mapping.txt`` names them (``none``, ``against``, ``favor``); targets are the
        folder names.
    """
    folder = Path(folder)
    if not is_tweeteval_folder(folder):
        raise DataError(located(folder, None, "not a TweetEval stance folder (no mapping.txt)"))
    splits = split.split("+")
    for name in splits:
        if name not in TWEETEVAL_SPLITS:
            raise DataError(located(folder, None, f"unknown split {name!r} (use {', '.join(TWEETEVAL_SPLITS)})"))
    mapping_path = folder / "mapping.txt"
    mapping = {}
    for number, line in enumerate(_read_utf8(mapping_path).splitlines(), start=1):
        if line.strip():
            key, _, name = line.strip().partition("\t")
            if not name:
                raise DataError(located(mapping_path, number, "expected '<id><TAB><label>'"))
            mapping[key] = name.strip()
    digest = hashlib.sha256()
    texts, labels, target_names, lines = [], [], [], []
    chosen = targets or sorted(p.name for p in folder.iterdir() if p.is_dir())
    for target in chosen:
        for name in splits:
            text_path = folder / target / f"{name}_text.txt"
            label_path = folder / target / f"{name}_labels.txt"
            tweets = _read_utf8(text_path).split("\n")
            ids = _read_utf8(label_path).split("\n")
            tweets, ids = _drop_final_empty(tweets), _drop_final_empty(ids)
            if len(tweets) != len(ids):
                raise DataError(
                    located(label_path, None, f"{len(ids)} labels for {len(tweets)} tweets in {text_path.name}")
                )
            for number, (tweet, label_id) in enumerate(zip(tweets, ids), start=1):
                label = mapping.get(label_id.strip())
                if label is None:
                    raise DataError(located(label_path, number, f"label id {label_id.strip()!r} is not in mapping.txt"))
                if not tweet.strip():
                    raise DataError(located(text_path, number, "empty tweet"))
                texts.append(tweet.rstrip("\r"))
                labels.append(label)
                target_names.append(target)
                lines.append(number)
            digest.update(text_path.read_bytes())
            digest.update(label_path.read_bytes())
    if not texts:
        raise DataError(located(folder, None, "no target folders with tweets"))
    return Dataset(texts, labels, target_names, str(folder), digest.hexdigest(), lines, split)


def load_semeval2016(*paths: str | Path) -> Dataset:
    """Read SemEval-2016 Task 6 files in the organisers' format (several are concatenated).

    The official training set is ``trainingdata-all-annotations.txt`` plus
    ``trialdata-all-annotations.txt``; the files are latin-1, so every byte decodes.
    """
    digest = hashlib.sha256()
    texts, labels, targets, lines = [], [], [], []
    for path in map(Path, paths):
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise DataError(located(path, None, "no such file")) from None
        digest.update(raw)
        rows = raw.decode("latin-1").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        header = rows[0].split("\t")
        if tuple(header[:4]) != SEMEVAL_HEADER:
            raise DataError(located(path, 1, f"expected a header starting {' '.join(SEMEVAL_HEADER)}"))
        for number, row in enumerate(rows[1:], start=2):
            if not row.strip():
                continue
            fields = row.split("\t")
            if len(fields) < 4:
                raise DataError(located(path, number, f"expected at least 4 tab-separated fields, found {len(fields)}"))
            _, target, tweet, stance = (field.strip() for field in fields[:4])
            if not tweet:
                raise DataError(located(path, number, "empty tweet"))
            if not stance:
                raise DataError(located(path, number, "missing stance"))
            texts.append(tweet)
            labels.append(stance)
            targets.append(target)
            lines.append(number)
    if not texts:
        raise DataError(located(paths[0], None, "no tweets"))
    return Dataset(texts, labels, targets, ",".join(map(str, paths)), digest.hexdigest(), lines)


def _read_utf8(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DataError(located(path, None, "no such file")) from None
    except UnicodeDecodeError as error:
        raise DataError(located(path, None, f"not valid UTF-8 (byte offset {error.start})")) from None


def _drop_final_empty(lines: list[str]) -> list[str]:
    return lines[:-1] if lines and lines[-1] == "" else lines


@dataclass(frozen=True, repr=False)
class BenchmarkDataset(Dataset):
    """A :class:`Dataset` with the groups to keep together when cross-validating, and test subsets.

    Attributes
    ----------
    groups : list of str
        One group per statement (Emergent: the claim id; VAST: the topic), for ``GroupKFold``.
    subsets : list of str or None
        One subset name per statement where the benchmark defines them (VAST's test rows:
        ``zero-shot`` or ``few-shot``), else None.
    """

    groups: list[str] | None = None
    subsets: list[str] | None = None


EMERGENT_COLUMNS = ("claimHeadline", "articleHeadline", "articleHeadlineStance", "claimId")
EMERGENT_LABELS = ("for", "against", "observing")
EMERGENT_FILES = {
    "train": "original/url-versions-2015-06-14-clean-train.csv",
    "test": "original/url-versions-2015-06-14-clean-test.csv",
}
VAST_LABELS = {"0": "con", "1": "pro", "2": "neutral"}  # the official files' label ids
VAST_SUBSETS = {"0": "zero-shot", "1": "few-shot"}  # the official ``seen?`` column
VAST_FILES = {"train": "normalised/train.csv", "dev": "normalised/dev.csv", "test": "original/official/vast_test.csv"}


def load_emergent(path: str | Path, split: str | None = None) -> BenchmarkDataset:
    """Read an Emergent file: headline (text) against claim (target), grouped by claim id.

    Parameters
    ----------
    path : str or Path
        An original Emergent CSV file (``url-versions-2015-06-14-clean-*.csv``, columns
        ``claimHeadline, articleHeadline, articleHeadlineStance, articleId, claimId``), or the
        ``emergent`` folder of the shared benchmarks (then give ``split``).
    split : {"train", "test"}, optional
        Which file of the folder to read.

    Returns
    -------
    BenchmarkDataset
        Labels as the source spells them (``for``, ``against``, ``observing``); ``groups`` the
        claim ids.

    Raises
    ------
    DataError
        Naming file and line: a missing column, an empty headline or claim, an unknown label.
    """
    path = _benchmark_file(path, split, EMERGENT_FILES)
    raw, rows = _csv_rows(path, EMERGENT_COLUMNS)
    texts, labels, targets, groups, lines = [], [], [], [], []
    for number, row in rows:
        label = row["articleHeadlineStance"].strip()
        if label not in EMERGENT_LABELS:
            raise DataError(located(path, number, f"unknown stance {label!r} (expected {', '.join(EMERGENT_LABELS)})"))
        texts.append(_required(path, number, row, "articleHeadline", "headline"))
        targets.append(_required(path, number, row, "claimHeadline", "claim"))
        groups.append(_required(path, number, row, "claimId", "claim id"))
        labels.append(label)
        lines.append(number)
    if not texts:
        raise DataError(located(path, None, "no headlines"))
    digest = hashlib.sha256(raw).hexdigest()
    return BenchmarkDataset(texts, labels, targets, str(path), digest, lines, split, groups=groups)


def load_vast(path: str | Path, split: str | None = None) -> BenchmarkDataset:
    """Read a VAST file: comment (text) against topic (target), grouped by topic.

    Parameters
    ----------
    path : str or Path
        An official VAST CSV file (columns ``post``, ``topic_str``, ``label`` as 0/1/2 and
        ``seen?``), a normalised ``text,label,target`` copy, or the ``vast`` folder of the
        shared benchmarks (then give ``split``: train and dev are read from ``normalised/``,
        test from the official ``vast_test.csv``).
    split : {"train", "dev", "test"}, optional
        Which file of the folder to read.

    Returns
    -------
    BenchmarkDataset
        Labels ``con``, ``pro``, ``neutral``; targets the lemmatised topic (``topic_str``, the
        one the neutral label refers to); ``groups`` the topics; ``subsets`` ``zero-shot`` or
        ``few-shot`` per row when the file has the ``seen?`` column.

    Raises
    ------
    DataError
        Naming file and line: a missing column, an empty comment or topic, an unknown label or
        ``seen?`` value.
    """
    path = _benchmark_file(path, split, VAST_FILES)
    header = _header(path)
    official = "post" in header
    columns = ("post", "topic_str", "label", "seen?") if official else ("text", "label", "target")
    raw, rows = _csv_rows(path, columns)
    names = VAST_LABELS if official else {name: name for name in VAST_LABELS.values()}
    texts, labels, targets, subsets, lines = [], [], [], [], []
    for number, row in rows:
        label = names.get(row["label"].strip())
        if label is None:
            raise DataError(located(path, number, f"unknown label {row['label']!r} (expected {', '.join(names)})"))
        texts.append(_required(path, number, row, "post" if official else "text", "comment"))
        targets.append(_required(path, number, row, "topic_str" if official else "target", "topic"))
        labels.append(label)
        lines.append(number)
        if official:
            subset = VAST_SUBSETS.get(row["seen?"].strip())
            if subset is None:
                raise DataError(located(path, number, f"'seen?' must be 0 or 1, got {row['seen?']!r}"))
            subsets.append(subset)
    if not texts:
        raise DataError(located(path, None, "no comments"))
    digest = hashlib.sha256(raw).hexdigest()
    return BenchmarkDataset(
        texts, labels, targets, str(path), digest, lines, split, groups=list(targets), subsets=subsets or None
    )


def _benchmark_file(path: str | Path, split: str | None, files: dict[str, str]) -> Path:
    path = Path(path)
    if not path.is_dir():
        return path
    if split not in files:
        raise DataError(located(path, None, f"a benchmark folder needs a split ({', '.join(files)}), got {split!r}"))
    return path / files[split]


def _header(path: Path) -> list[str]:
    text = _read_utf8(path)
    return next(csv.reader(io.StringIO(text)), [])


def _csv_rows(path: Path, columns: tuple[str, ...]) -> tuple[bytes, list[tuple[int, dict[str, str]]]]:
    """The file's bytes and its rows as ``(first line, {column: value})``, every field present."""
    text = _read_utf8(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(located(path, 1, "empty file (expected a header row)")) from None
    missing = [name for name in columns if name not in header]
    if missing:
        raise DataError(located(path, 1, f"missing column {missing[0]!r} (the header has {', '.join(header)})"))
    positions = {name: header.index(name) for name in columns}
    rows, line = [], reader.line_num + 1
    try:
        for fields in reader:
            if fields and len(fields) != len(header):
                raise DataError(located(path, line, f"expected {len(header)} fields, found {len(fields)}"))
            if fields:
                rows.append((line, {name: fields[i] for name, i in positions.items()}))
            line = reader.line_num + 1
    except csv.Error as error:
        raise DataError(located(path, line, f"not valid CSV ({error})")) from None
    return path.read_bytes(), rows


def _required(path: Path, line: int, row: dict[str, str], column: str, what: str) -> str:
    value = row[column].strip()
    if not value:
        raise DataError(located(path, line, f"empty {what} (column {column!r})"))
    return value
