"""Training on corpora larger than memory: hashed features and SGD over streamed chunks.

The labelled file is read once, in chunks: every row is checked as :func:`stanceclf.data.load_dataset`
checks it, and each chunk's hashed feature counts go to a temporary folder (a few bytes per
feature occurrence, on disk rather than in memory) while the document frequencies add up. Each chunk
is spilled as 16 pieces of randomly chosen rows. The idf then known, each epoch streams the
pieces back in a shuffled order, 16 at a time (about one chunk, drawn from all over the file,
so that a file sorted by label still mixes labels in every step), through
:class:`stanceclf.sgd.SoftmaxSGD`. Memory holds one chunk and the weights (``n_buckets`` x labels),
plus 24 bytes a row for the check that no text carries two labels (a 64-bit digest of each
text, its label and its line): about 2.4 GB for a hundred million rows. The model is an
ordinary hashed :class:`StanceClassifier`.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from array import array
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from stanceclf.data import check_label_case, detect_format, iter_records, labelled_row, relabel
from stanceclf.errors import DataError, located
from stanceclf.model import StanceClassifier
from stanceclf.params import check_params
from stanceclf.persist import FeatureBlock, ModelData
from stanceclf.sgd import SoftmaxSGD
from stanceclf.vectorize import HashedCounter, document_frequency, smoothed_idf, tfidf_rows

DEFAULT_BUCKETS = 1 << 20
DEFAULT_CHUNK = 50_000
PIECES = 16  # each chunk is spilled as this many pieces; a training step reads this many pieces


@dataclass
class OutOfCoreSummary:
    """What out-of-core training reports: the model, counts, size and time."""

    model: StanceClassifier
    label_counts: dict[str, int]
    n_features: int
    seconds: float
    chunks: int

    def as_dict(self) -> dict:
        """The summary as plain data (what ``stanceclf train --out-of-core --format json`` prints)."""
        return {
            "rows": sum(self.label_counts.values()),
            "label_counts": dict(self.label_counts),
            "n_features": self.n_features,
            "seconds": self.seconds,
            "params": self.model.get_params(),
            "chunks": self.chunks,
        }


def train_out_of_core(
    path: str | Path,
    params: dict | None = None,
    *,
    text_column: str = "text",
    label_column: str = "label",
    target_column: str | None = None,
    split: str | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    fmt: str | None = None,
    label_map: dict[str, str] | None = None,
    fold_case: bool = False,
    delimiter: str | None = None,
    encoding: str = "utf-8",
) -> OutOfCoreSummary:
    """Train a hashed :class:`StanceClassifier` on ``path`` without holding the data in memory.

    Parameters
    ----------
    path : str or Path
        A labelled ``.csv``, ``.tsv`` or ``.jsonl`` file.
    params : dict, optional
        :class:`StanceClassifier` parameters. ``n_buckets`` defaults to 2**20 here and the
        solver is always ``"sgd"``; ``min_df`` and ``max_features`` do not apply.
    split : str, optional
        Train on the rows whose ``split`` column holds this value only (all rows are checked).
    chunk_size : int
        Rows per chunk: the unit of memory, of shuffling and of progress.
    label_map, fold_case, delimiter, encoding
        As for :func:`stanceclf.data.load_dataset`.

    Raises
    ------
    DataError
        For the same bad input :func:`stanceclf.data.load_dataset` refuses, with file and line.
    """
    start = time.perf_counter()
    params = {"n_buckets": DEFAULT_BUCKETS, **(params or {}), "solver": "sgd"}
    template = StanceClassifier(**params)
    check_params(template.get_params())
    template._check_hashing()
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be positive, got {chunk_size}")
    analyzers = template._analyzers()
    uses_targets = template.target_mode != "none"
    with tempfile.TemporaryDirectory(prefix="stanceclf-") as folder:
        scan = _scan(
            path,
            Path(folder),
            analyzers,
            template.n_buckets,
            uses_targets,
            columns=(text_column, label_column, target_column),
            split=split,
            chunk_size=chunk_size,
            fmt=fmt,
            seed=template.random_state,
            relabelling=(label_map, fold_case),
            reading={"delimiter": delimiter, "encoding": encoding},
        )
        classes = np.array(sorted(scan.label_counts))
        idf = [smoothed_idf(frequency, scan.rows) for frequency in scan.frequencies]
        weights = None
        if template.class_weight == "balanced":
            counts = np.array([scan.label_counts[label] for label in classes], dtype=np.float64)
            weights = scan.rows / (len(classes) * counts)
        solver = SoftmaxSGD(
            len(analyzers) * template.n_buckets,
            len(classes),
            C=template.C,
            n_samples=scan.rows,
            seed=template.random_state,
        )
        rng = np.random.default_rng(template.random_state)
        for _ in range(template.epochs):
            # a training step's rows come from PIECES pieces of (mostly) different chunks, so a
            # file sorted by label still gives every step a mix of labels
            order = rng.permutation(len(scan.pieces))
            for first in range(0, len(order), PIECES):
                group = [scan.pieces[i] for i in order[first : first + PIECES]]
                features, codes = _load_pieces(Path(folder), group, analyzers, idf, template.sublinear_tf)
                solver.partial_fit(features, codes, None if weights is None else weights[codes])
    provenance = {
        "training_data": {
            "file": Path(path).name,
            "sha256": scan.sha256,
            "rows": scan.rows,
            "split": split,
            "label_counts": scan.label_counts,
        },
        "metrics": {},
        "out_of_core": {"chunk_size": chunk_size, "chunks": scan.chunks},
    }
    if uses_targets:  # a hashed vocabulary cannot say which targets it saw; prediction needs to know
        provenance["targets"] = scan.targets
    model, data = hashed_model(template, analyzers, classes, idf, solver, provenance)
    seconds = time.perf_counter() - start
    return OutOfCoreSummary(model, scan.label_counts, data.n_features, seconds, scan.chunks)


def hashed_model(template: StanceClassifier, analyzers, classes, idf, solver: SoftmaxSGD, provenance: dict):
    """The fitted hashed :class:`StanceClassifier` (and its :class:`ModelData`) from SGD's weights."""
    coef, intercept = solver.coef.T, solver.intercept
    if len(classes) == 2:  # one binary logistic regression, as lbfgs gives for two labels
        coef, intercept = coef[1:] - coef[:1], intercept[1:] - intercept[:1]
    blocks = [
        FeatureBlock(name, analyzer.to_dict(), template.sublinear_tf, [], block_idf, float(weight), template.n_buckets)
        for (name, analyzer, weight), block_idf in zip(analyzers, idf)
    ]
    data = ModelData(
        template.get_params(),
        [str(c) for c in classes],
        blocks,
        np.ascontiguousarray(coef),
        intercept.copy(),
        provenance,
    )
    data.params = {k: list(v) if isinstance(v, tuple) else v for k, v in data.params.items()}
    return StanceClassifier.from_model_data(data), data


@dataclass
class _Scan:
    rows: int
    chunks: int
    pieces: list[str]  # file stems of the spilled pieces
    label_counts: dict[str, int]
    frequencies: list[np.ndarray]
    sha256: str
    targets: list[str]


def _scan(
    path,
    folder: Path,
    analyzers,
    n_buckets: int,
    uses_targets: bool,
    *,
    columns,
    split,
    chunk_size,
    fmt,
    seed,
    relabelling=(None, False),
    reading=None,
):
    """Read and check every row once; spill each chunk's hashed counts; add up document frequencies."""
    text_column, label_column, target_column = columns
    if Path(path).is_dir():
        raise DataError(located(path, None, "is a folder; out-of-core training reads one .csv, .tsv or .jsonl file"))
    fmt = detect_format(path, fmt)
    if fmt == "txt":
        raise DataError(located(path, None, "a .txt file has no labels; labelled data must be .csv, .tsv or .jsonl"))
    required = [text_column, label_column] + ([target_column] if target_column else [])
    if split is not None:
        required.append("split")
    digest = hashlib.sha256()
    counters = [HashedCounter(analyzer, n_buckets) for _, analyzer, _ in analyzers]
    frequencies = [np.zeros(n_buckets, dtype=np.int64) for _ in analyzers]
    label_index: dict[str, int] = {}
    first_line_of_label: dict[str, int] = {}
    targets_seen: set[str] = set()
    keys, key_labels, key_lines = array("q"), array("q"), array("q")
    texts: list[str | tuple[str, str]] = []  # statements, or (statement, target) with targets
    codes: list[int] = []
    chunks, rows = 0, 0

    pieces: list[str] = []
    shuffle = np.random.default_rng(seed)

    def spill():
        """Count a chunk's features and write it as PIECES pieces of randomly chosen rows."""
        nonlocal texts, codes, chunks, rows
        parts = [np.sort(part) for part in np.array_split(shuffle.permutation(len(texts)), PIECES) if len(part)]
        stems = [f"chunk{chunks}_piece{p}" for p in range(len(parts))]
        for number, count in enumerate(counters):
            counts = count(texts)  # float32 counts
            frequencies[number] += document_frequency(counts)
            for stem, part in zip(stems, parts):
                sp.save_npz(folder / f"{stem}_{number}.npz", counts[part], compressed=False)
        chunk_codes = np.array(codes, dtype=np.int64)
        for stem, part in zip(stems, parts):
            np.save(folder / f"{stem}_labels.npy", chunk_codes[part], allow_pickle=False)
        pieces.extend(stems)
        rows += len(texts)
        chunks += 1
        texts, codes = [], []

    optional = [] if target_column else ["target"]
    for line, row in iter_records(path, required, optional=optional, fmt=fmt, digest=digest, **(reading or {})):
        text, label = labelled_row(path, line, row, text_column, label_column)
        label = relabel(label, *relabelling)
        target = row.get(target_column or "target", "").strip()
        if label not in label_index:
            first_line_of_label[label] = line
        code = label_index.setdefault(label, len(label_index))
        key = hashlib.blake2b(f"{target}\0{text}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
        keys.append(int.from_bytes(key, "little", signed=True))
        key_labels.append(code)
        key_lines.append(line)
        if split is not None and row["split"].strip() != split:
            continue
        if uses_targets:
            targets_seen.add(target)
        texts.append((text, target) if uses_targets else text)
        codes.append(code)
        if len(texts) == chunk_size:
            spill()
    if texts:
        spill()
    check_label_case(path, first_line_of_label)
    _check_conflicting_labels(path, keys, key_labels, key_lines, list(label_index))
    if rows == 0:
        where = f" in split {split!r}" if split is not None else ""
        raise DataError(located(path, None, f"no statements{where} (the file has no data rows)"))
    names = list(label_index)  # in order of first appearance, as the stored codes are
    totals = np.zeros(len(names), dtype=np.int64)
    for stem in pieces:
        totals += np.bincount(np.load(folder / f"{stem}_labels.npy", allow_pickle=False), minlength=len(names))
    present = sorted(names[k] for k in np.flatnonzero(totals).tolist())
    if len(present) < 2:
        raise DataError(located(path, None, f"only one label ({present[0]!r}); training needs at least 2 labels"))
    # renumber the codes to the sorted label order the model uses
    renumber = np.full(len(names), -1, dtype=np.int64)
    for index, label in enumerate(present):
        renumber[label_index[label]] = index
    for stem in pieces:
        stored = folder / f"{stem}_labels.npy"
        np.save(stored, renumber[np.load(stored, allow_pickle=False)], allow_pickle=False)
    label_counts = {label: int(totals[label_index[label]]) for label in present}
    return _Scan(rows, chunks, pieces, label_counts, frequencies, digest.hexdigest(), sorted(targets_seen))


def _check_conflicting_labels(path, keys: array, labels: array, lines: array, names: list[str]) -> None:
    """Refuse a text (with its target) given two labels, naming both lines (by 64-bit digests)."""
    keys_np = np.asarray(keys, dtype=np.int64)
    if len(keys_np) < 2:
        return
    order = np.argsort(keys_np, kind="stable")
    sorted_keys, sorted_labels = keys_np[order], np.asarray(labels, dtype=np.int64)[order]
    clash = np.flatnonzero((sorted_keys[1:] == sorted_keys[:-1]) & (sorted_labels[1:] != sorted_labels[:-1]))
    if len(clash) == 0:
        return
    line_numbers = np.asarray(lines, dtype=np.int64)[order]
    pairs = sorted((int(line_numbers[i + 1]), int(line_numbers[i]), i) for i in clash.tolist())
    later, earlier, i = pairs[0]
    first_label, second_label = names[sorted_labels[i]], names[sorted_labels[i + 1]]
    raise DataError(
        located(path, later, f"this text was labelled {first_label!r} on line {earlier} and {second_label!r} here")
    )


def _load_pieces(folder: Path, stems: list[str], analyzers, idf: list[np.ndarray], sublinear_tf: bool):
    """Spilled pieces as one TF-IDF matrix per feature block (rows stacked) and their label codes."""
    blocks = []
    for number, (_, _, weight) in enumerate(analyzers):
        counts = sp.vstack([sp.load_npz(folder / f"{stem}_{number}.npz") for stem in stems], format="csr")
        matrix = tfidf_rows(counts, idf[number], sublinear_tf=sublinear_tf)
        blocks.append(matrix * weight if weight != 1.0 else matrix)
    codes = np.concatenate([np.load(folder / f"{stem}_labels.npy", allow_pickle=False) for stem in stems])
    return blocks, codes
