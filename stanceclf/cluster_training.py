"""Hashed training on a Dask cluster: the model ``train --out-of-core`` builds, from partitions on workers.

What runs where:

1. **On the workers, one task per partition** (a partition of a Dask DataFrame, or one input
   file): every row is checked as :func:`stanceclf.outofcore.train_out_of_core` checks it, its
   hashed feature counts are computed and kept in the worker's memory (distributed spills
   them to disk under pressure), and the partition's document frequencies are counted.
2. **On the cluster**: the document frequencies are added up by a tree of tasks; only the sum
   (``n_buckets`` numbers per feature block) reaches the driver, with the label counts and the
   8-byte digest per row that the conflicting-label check needs.
3. **On the driver, sequentially**: the SGD epochs. The rows are cut into the chunks and pieces
   ``train --out-of-core`` cuts the same rows into (``chunk_size`` rows in order, 16 random
   pieces each, drawn with the same seed), and each step asks the workers for its pieces' rows
   (the next step's rows are fetched while this one is fitted) and applies
   :meth:`stanceclf.sgd.SoftmaxSGD.partial_fit` to them in the same order. So the model equals
   the out-of-core one built from the same rows in the same order (tested to 1e-9; it is in
   fact the same floating-point computation).

What scales with workers is step 1 and 2 (reading, checking, hashing, counting); the epochs do
not: each step depends on the weights the previous one left, so one process applies them all,
and every epoch moves all the hashed counts from the workers to that process.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from stanceclf.data import (
    FRAME_NAME,
    check_label_case,
    detect_format,
    frame_records,
    iter_records,
    labelled_row,
    relabel,
)
from stanceclf.errors import DataError, ParameterError, located

if TYPE_CHECKING:
    from stanceclf.outofcore import OutOfCoreSummary

# stanceclf.outofcore (and with it scikit-learn) is imported after connecting, so that an
# unreachable scheduler is reported as quickly as ``predict --dask`` reports it
DEFAULT_CHUNK = 50_000  # stanceclf.outofcore.DEFAULT_CHUNK (a test pins that they agree)


@dataclass
class _Partition:
    """A partition's checked rows as they stay on its worker: hashed counts and label codes."""

    counts: list  # one CSR matrix of float32 counts per feature block, the trained rows only
    codes: np.ndarray  # the trained rows' labels, as indices into ``names``
    names: list[str]  # labels in order of first appearance in this partition
    first_line_of_label: dict[str, int]
    keys: np.ndarray  # for every row (split or not): a 64-bit digest of its target and text
    key_codes: np.ndarray  # ... its label (index into ``names``)
    key_lines: np.ndarray  # ... its line
    targets: set
    sha256: str


@dataclass
class _Settings:
    params: dict
    text_column: str
    label_column: str
    target_column: str | None
    split: str | None
    label_map: dict | None
    fold_case: bool
    fmt: str | None = None
    delimiter: str | None = None
    encoding: str = "utf-8"


def train_dataframe(
    frame,
    params: dict | None = None,
    *,
    client=None,
    text_column: str = "text",
    label_column: str = "label",
    target_column: str | None = None,
    split: str | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    label_map: dict[str, str] | None = None,
    fold_case: bool = False,
) -> OutOfCoreSummary:
    """Train a hashed :class:`~stanceclf.model.StanceClassifier` on a Dask DataFrame's rows.

    The model is the one :func:`stanceclf.outofcore.train_out_of_core` builds from the same rows
    in the same order (partition after partition): see the module's description for what runs
    on the workers and what on this process.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        With a ``text_column`` and a ``label_column`` (and ``target_column`` for a target-aware
        model; a ``split`` column with ``split``).
    params : dict, optional
        :class:`StanceClassifier` parameters; ``n_buckets`` defaults to 2**20 and the solver is
        always ``"sgd"``, as for ``train --out-of-core``.
    client : distributed.Client, optional
        The cluster to run on (by default the current client).
    split, chunk_size, label_map, fold_case
        As :func:`stanceclf.outofcore.train_out_of_core`.

    Returns
    -------
    OutOfCoreSummary
        ``summary.model`` is fitted and saves like any other model.

    Raises
    ------
    DataError
        For the rows ``train --out-of-core`` refuses, naming the partition and its row
        (``<DataFrame partition 3>:17: empty text ...``; rows are counted from 1 in each partition).
    """
    import dask

    client = _client(client)
    settings = _Settings(dict(params or {}), text_column, label_column, target_column, split, label_map, fold_case)
    parts = frame.to_delayed()
    names = [f"{FRAME_NAME[:-1]} partition {number}>" for number in range(len(parts))]
    scans = [dask.delayed(_scan_frame, pure=True)(part, name, settings) for part, name in zip(parts, names)]
    return _train(client, client.compute(scans), names, FRAME_NAME, settings, chunk_size)


def train_files(
    inputs: Sequence[str | Path],
    params: dict | None = None,
    *,
    client=None,
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
    """Train on labelled files, one partition each, read by the workers: ``train --dask``.

    ``inputs`` are paths, globs or folders (as :func:`stanceclf.cluster.input_files`; every
    worker must see them under the same path). The rows are taken file after file, so the
    model equals ``train --out-of-core`` on the files concatenated. Bad rows are reported with
    file and line, exactly as ``train --out-of-core`` reports them. Other parameters as
    :func:`train_dataframe` and :func:`stanceclf.outofcore.train_out_of_core`.
    """
    from stanceclf.cluster import input_files

    client = _client(client)
    paths = input_files(inputs)
    for path in paths:
        if detect_format(path, fmt) == "txt":
            raise DataError(
                located(path, None, "a .txt file has no labels; labelled data must be .csv, .tsv or .jsonl")
            )
    settings = _Settings(
        dict(params or {}),
        text_column,
        label_column,
        target_column,
        split,
        label_map,
        fold_case,
        fmt,
        delimiter,
        encoding,
    )
    names = [str(path) for path in paths]
    scans = [client.submit(_scan_file, name, settings, pure=False) for name in names]
    where = ", ".join(map(str, inputs))
    return _train(client, scans, names, where, settings, chunk_size)


def train_on_cluster(
    dask: str,
    data: str | Path,
    output_path: str | Path,
    params: dict | None = None,
    *,
    cv: int | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    force: bool = False,
    **reading,
) -> OutOfCoreSummary:
    """What ``stanceclf train DATA --out-of-core --dask ADDRESS`` does: connect, train, save.

    ``data`` is a file, a glob or a folder (see :func:`train_files`); ``dask`` a scheduler
    address or ``"local"`` (see :func:`stanceclf.cluster.connected`).
    """
    from stanceclf.cluster import connected, input_files

    if cv:
        raise ParameterError("--cv needs the data in memory; it cannot be combined with --dask training")
    input_files([data])  # a missing input is reported before a cluster starts
    with connected(dask) as client:
        summary = train_files([data], params, client=client, chunk_size=chunk_size, **reading)
    summary.model.save(output_path, force=force)
    return summary


def _client(client):
    from stanceclf.cluster import ClusterError, _distributed

    if client is not None:
        return client
    try:
        return _distributed().get_client()
    except ValueError:
        raise ClusterError("training on a cluster needs a distributed.Client (connect one, or pass client=)") from None


def _template(params: dict):
    from stanceclf.model import StanceClassifier
    from stanceclf.outofcore import DEFAULT_BUCKETS
    from stanceclf.params import check_params

    params = {key: value for key, value in params.items() if not (key == "n_buckets" and value is None)}
    if params.get("solver") == "lbfgs":
        raise ParameterError("training on a cluster uses the sgd solver; --solver lbfgs cannot be combined with it")
    template = StanceClassifier(**{"n_buckets": DEFAULT_BUCKETS, **params, "solver": "sgd"})
    check_params(template.get_params())
    template._check_hashing()
    return template


def _scan_file(path: str, settings: _Settings) -> _Partition:
    """On a worker: read and check one labelled file (its errors name file and line)."""
    required, optional = _columns(settings)
    digest = hashlib.sha256()
    records = iter_records(
        path,
        required,
        optional=optional,
        fmt=settings.fmt,
        digest=digest,
        delimiter=settings.delimiter,
        encoding=settings.encoding,
    )
    return _scan(records, path, settings, digest)


def _scan_frame(frame, name: str, settings: _Settings) -> _Partition:
    """On a worker: check one pandas partition (its errors name the partition and row)."""
    required, optional = _columns(settings)
    digest = hashlib.sha256()
    try:
        return _scan(frame_records(frame, required, optional, digest=digest), name, settings, digest)
    except DataError as error:
        message = str(error)
        raise DataError(name + message[len(FRAME_NAME) :] if message.startswith(FRAME_NAME) else message) from None


def _columns(settings: _Settings) -> tuple[list[str], list[str]]:
    required = [settings.text_column, settings.label_column] + (
        [settings.target_column] if settings.target_column else []
    )
    if settings.split is not None:
        required.append("split")
    return required, [] if settings.target_column else ["target"]


def _scan(records, where: str, settings: _Settings, digest) -> _Partition:
    """The rows of one partition, checked as ``train --out-of-core`` checks them, hashed and counted."""
    import scipy.sparse as sp

    from stanceclf.vectorize import HashedCounter

    template = _template(settings.params)
    uses_targets = template.target_mode != "none"
    label_index: dict[str, int] = {}
    first_line_of_label: dict[str, int] = {}
    keys, key_codes, key_lines, texts, codes, targets = [], [], [], [], [], set()
    for line, row in records:
        text, label = labelled_row(where, line, row, settings.text_column, settings.label_column)
        label = relabel(label, settings.label_map, settings.fold_case)
        target = row.get(settings.target_column or "target", "").strip()
        if label not in label_index:
            first_line_of_label[label] = line
        code = label_index.setdefault(label, len(label_index))
        key = hashlib.blake2b(f"{target}\0{text}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
        keys.append(int.from_bytes(key, "little", signed=True))
        key_codes.append(code)
        key_lines.append(line)
        if settings.split is not None and row["split"].strip() != settings.split:
            continue
        if uses_targets:
            targets.add(target)
        texts.append((text, target) if uses_targets else text)
        codes.append(code)
    counts = [
        HashedCounter(analyzer, template.n_buckets)(texts)
        if texts
        else sp.csr_matrix((0, template.n_buckets), dtype=np.float32)
        for _, analyzer, _ in template._analyzers()
    ]
    return _Partition(
        counts,
        np.array(codes, dtype=np.int64),
        list(label_index),
        first_line_of_label,
        np.array(keys, dtype=np.int64),
        np.array(key_codes, dtype=np.int64),
        np.array(key_lines, dtype=np.int64),
        targets,
        digest.hexdigest(),
    )


def _overview(partition: _Partition) -> dict:
    """On a worker: what the driver needs of a partition before the epochs (no per-row data)."""
    return {
        "rows": int(partition.codes.shape[0]),
        "label_counts": dict(
            zip(partition.names, np.bincount(partition.codes, minlength=len(partition.names)).tolist())
        ),
        "first_line_of_label": partition.first_line_of_label,
        "targets": partition.targets,
        "sha256": partition.sha256,
    }


def _row_keys(partition: _Partition) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    return partition.keys, list(partition.names), partition.key_codes, partition.key_lines


def _frequencies(partition: _Partition) -> list[np.ndarray]:
    from stanceclf.vectorize import document_frequency

    return [document_frequency(counts) for counts in partition.counts]


def _added(first: list[np.ndarray], second: list[np.ndarray]) -> list[np.ndarray]:
    return [a + b for a, b in zip(first, second)]


def _take(partition: _Partition, rows: np.ndarray) -> tuple[list, np.ndarray]:
    """On a worker: some rows of a partition (in the order asked), as counts and label codes."""
    return [counts[rows] for counts in partition.counts], partition.codes[rows]


def _reduced(client, futures: list):
    """The element-wise sum of the futures' lists of arrays, added up by a tree of tasks on the cluster."""
    while len(futures) > 1:
        pairs = [client.submit(_added, a, b, pure=False) for a, b in zip(futures[0::2], futures[1::2])]
        futures = pairs + ([futures[-1]] if len(futures) % 2 else [])
    return futures[0].result()


def _train(client, scans: list, names: list[str], where: str, settings: _Settings, chunk_size: int) -> OutOfCoreSummary:
    from stanceclf.outofcore import OutOfCoreSummary, hashed_model
    from stanceclf.vectorize import smoothed_idf

    start = time.perf_counter()
    template = _template(settings.params)
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be positive, got {chunk_size}")
    try:
        overviews = [future.result() for future in client.map(_overview, scans, pure=False)]  # first bad file first
        label_counts, offsets = _check_labels(client, scans, names, overviews, where, settings.split)
        rows = int(offsets[-1])
        frequencies = _reduced(client, client.map(_frequencies, scans, pure=False))
        analyzers = template._analyzers()
        classes = np.array(sorted(label_counts))
        idf = [smoothed_idf(frequency, rows) for frequency in frequencies]
        renumber = [
            np.array(
                [list(classes).index(label) if label in label_counts else -1 for label in o["label_counts"]],
                dtype=np.int64,
            )
            for o in overviews
        ]
        solver = _epochs(client, scans, offsets, renumber, template, classes, label_counts, idf, chunk_size)
    except BaseException:
        client.cancel(scans)
        raise
    client.cancel(scans)
    chunks = -(-rows // chunk_size)
    provenance = {
        "training_data": {
            "file": where,
            "files": names,
            "sha256": hashlib.sha256("".join(o["sha256"] for o in overviews).encode()).hexdigest(),
            "rows": rows,
            "split": settings.split,
            "label_counts": label_counts,
        },
        "metrics": {},
        "out_of_core": {"chunk_size": chunk_size, "chunks": chunks},
        "cluster": {"partitions": len(scans)},
    }
    if template.target_mode != "none":
        provenance["targets"] = sorted(set().union(*(o["targets"] for o in overviews)))
    model, data = hashed_model(template, analyzers, classes, idf, solver, provenance)
    return OutOfCoreSummary(model, label_counts, data.n_features, time.perf_counter() - start, chunks)


def _check_labels(client, scans, names, overviews, where, split) -> tuple[dict[str, int], np.ndarray]:
    """The refusals ``train --out-of-core`` makes after reading: label case, conflicts, too few rows or labels."""
    first: dict[str, tuple[str, int]] = {}
    for name, overview in zip(names, overviews):
        for label, line in overview["first_line_of_label"].items():
            first.setdefault(label, (name, line))
    check_label_case(where, {label: f"{name}:{line}" for label, (name, line) in first.items()})
    _check_conflicting_labels([future.result() for future in client.map(_row_keys, scans, pure=False)], names)
    totals: dict[str, int] = {}
    for overview in overviews:
        for label, count in overview["label_counts"].items():
            totals[label] = totals.get(label, 0) + count
    offsets = np.cumsum([0] + [overview["rows"] for overview in overviews])
    if offsets[-1] == 0:
        scope = f" in split {split!r}" if split is not None else ""
        raise DataError(located(where, None, f"no statements{scope} (the file has no data rows)"))
    present = sorted(label for label, count in totals.items() if count)
    if len(present) < 2:
        raise DataError(located(where, None, f"only one label ({present[0]!r}); training needs at least 2 labels"))
    return {label: totals[label] for label in present}, offsets


def _check_conflicting_labels(parts: list, names: list[str]) -> None:
    """Refuse a text (with its target) given two labels anywhere, naming both places (by 64-bit digests)."""
    keys = np.concatenate([part[0] for part in parts])
    if len(keys) < 2:
        return
    label_names = sorted({label for part in parts for label in part[1]})
    labels = np.concatenate(
        [np.array([label_names.index(x) for x in part[1]], dtype=np.int64)[part[2]] for part in parts]
    )
    lines = np.concatenate([part[3] for part in parts])
    sources = np.concatenate([np.full(len(part[0]), number, dtype=np.int64) for number, part in enumerate(parts)])
    order = np.argsort(keys, kind="stable")  # equal keys stay in input order: the later row comes second
    clash = np.flatnonzero((keys[order][1:] == keys[order][:-1]) & (labels[order][1:] != labels[order][:-1]))
    if len(clash) == 0:
        return
    earlier, later = order[clash], order[clash + 1]
    first = int(np.argmin(later))  # the conflict whose second row comes first in the input
    a, b = int(earlier[first]), int(later[first])
    place = f"line {lines[a]}" if sources[a] == sources[b] else f"{names[sources[a]]}:{lines[a]}"
    raise DataError(
        located(
            names[sources[b]],
            int(lines[b]),
            f"this text was labelled {label_names[labels[a]]!r} on {place} and {label_names[labels[b]]!r} here",
        )
    )


def _pieces(rows: int, chunk_size: int, seed) -> list[np.ndarray]:
    """The global row numbers of each piece, as ``train --out-of-core`` cuts chunks into pieces."""
    from stanceclf.outofcore import PIECES

    shuffle = np.random.default_rng(seed)
    pieces: list[np.ndarray] = []
    for start in range(0, rows, chunk_size):
        length = min(chunk_size, rows - start)
        parts = [np.sort(part) for part in np.array_split(shuffle.permutation(length), PIECES) if len(part)]
        pieces.extend(start + part for part in parts)
    return pieces


def _epochs(client, scans, offsets, renumber, template, classes, label_counts, idf, chunk_size):
    """SGD over the pieces in ``train --out-of-core``'s order; the next step's rows are fetched during this one."""
    from stanceclf.outofcore import PIECES
    from stanceclf.sgd import SoftmaxSGD
    from stanceclf.vectorize import tfidf_rows

    rows = int(offsets[-1])
    weights = None
    if template.class_weight == "balanced":
        counts = np.array([label_counts[label] for label in classes], dtype=np.float64)
        weights = rows / (len(classes) * counts)
    solver = SoftmaxSGD(
        len(idf) * template.n_buckets, len(classes), C=template.C, n_samples=rows, seed=template.random_state
    )
    pieces = _pieces(rows, chunk_size, template.random_state)
    rng = np.random.default_rng(template.random_state)
    steps = []
    for _ in range(template.epochs):
        order = rng.permutation(len(pieces))
        steps.extend(
            np.concatenate([pieces[i] for i in order[first : first + PIECES]]) for first in range(0, len(order), PIECES)
        )
    weighted = [(block_idf, weight) for block_idf, (_, _, weight) in zip(idf, template._analyzers())]
    pending = _fetch(client, scans, offsets, steps[0]) if steps else None
    for number in range(len(steps)):
        wanted, positions, futures = pending
        pending = _fetch(client, scans, offsets, steps[number + 1]) if number + 1 < len(steps) else None
        features, codes = _assembled(wanted, positions, [future.result() for future in futures], renumber)
        blocks = []
        for counts, (block_idf, weight) in zip(features, weighted):
            matrix = tfidf_rows(counts, block_idf, sublinear_tf=template.sublinear_tf)
            blocks.append(matrix * weight if weight != 1.0 else matrix)
        solver.partial_fit(blocks, codes, None if weights is None else weights[codes])
    return solver


def _fetch(client, scans, offsets, global_rows: np.ndarray):
    """Ask each partition holding some of ``global_rows`` for them (one task per partition)."""
    owner = np.searchsorted(offsets, global_rows, side="right") - 1
    wanted = np.unique(owner)
    positions = [np.flatnonzero(owner == part) for part in wanted]
    futures = [
        client.submit(_take, scans[part], global_rows[where] - offsets[part], pure=False)
        for part, where in zip(wanted.tolist(), positions)
    ]
    return wanted.tolist(), positions, futures


def _assembled(wanted, positions, results, renumber) -> tuple[list, np.ndarray]:
    """The partitions' answers put back in the asked order: one count matrix per block, label codes."""
    import scipy.sparse as sp

    inverse = np.argsort(np.concatenate(positions))
    blocks = [sp.vstack([result[0][k] for result in results], format="csr")[inverse] for k in range(len(results[0][0]))]
    codes = np.concatenate([renumber[part][result[1]] for part, result in zip(wanted, results)])[inverse]
    return blocks, codes
