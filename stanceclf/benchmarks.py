"""Readers for the layouts of public stance benchmarks, yielding ordinary :class:`Dataset` objects.

- TweetEval's stance task (Barbieri et al., 2020): a folder per target, each with
  ``{split}_text.txt`` and ``{split}_labels.txt`` (one tweet / one label id a line) and a
  ``mapping.txt`` (``0 none``, ``1 against``, ``2 favor``) beside the target folders.
- The original SemEval-2016 Task 6 release (Mohammad et al., 2016): tab-separated
  ``ID, Target, Tweet, Stance[, ...]`` with a header row, latin-1 encoded, CRLF line ends.

``load_dataset`` recognises both (a folder holding ``mapping.txt``; a ``.txt`` file whose
header starts ``ID<TAB>Target<TAB>Tweet<TAB>Stance``), so the command line trains on them too.
"""

from __future__ import annotations

import hashlib
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
