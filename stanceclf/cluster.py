"""Predicting and cross-validating on a Dask cluster: the same results as one machine, more machines.

Three ways in, each a thin layer over what runs locally:

- :func:`predict_collection` turns a Dask DataFrame or Bag of statements into a lazy collection
  of predictions (``map_partitions`` over the numpy-only :class:`~stanceclf.inference.Predictor`);
- :func:`predict_files` predicts whole files on the workers, one output file per input file,
  each written by the same code as ``stanceclf predict --output`` (so the bytes are the same);
- :func:`on_cluster` runs the fits of ``cross_validate`` / ``GridSearchCV`` / ``evaluate --cv``
  through joblib's Dask backend.

The model travels to each worker once: it is scattered (``broadcast=True``) and the tasks
refer to it by key, so a task message carries only file names or a partition. dask and
distributed (the ``dask`` extra) are imported here, inside the functions, and nowhere else.
Files are read and written by the workers: on a real cluster, input and output folders must be
on a file system every worker sees under the same path.
"""

from __future__ import annotations

import contextlib
import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stanceclf.errors import DataError, OutputExistsError, ParameterError, StanceError, located

CONNECT_TIMEOUT = 5  # seconds: with dask's imports, an unreachable scheduler is reported within 10
INPUT_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".tsv", ".txt")
# html too: each input file is one page, written whole by predict_statements on its worker
_OUTPUT_SUFFIX = {"jsonl": ".jsonl", "json": ".json", "csv": ".csv", "text": ".txt", "html": ".html"}


class ClusterError(StanceError, ConnectionError):
    """The Dask scheduler cannot be reached, or the ``dask`` extra is not installed."""


def _distributed():
    try:
        import distributed
    except ImportError:
        raise ClusterError("--dask needs the 'dask' extra: pip install 'stanceclf[dask]'") from None
    return distributed


def local_cluster(n_workers: int):
    """A ``LocalCluster`` of ``n_workers`` worker processes that listens on 127.0.0.1 only."""
    return _distributed().LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,  # the predictor holds the GIL: processes, not threads, run in parallel
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        # the scheduler's health/metrics server would take port 8787 on every interface
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    )


@contextlib.contextmanager
def connected(address: str, *, n_workers: int | None = None) -> Iterator[Any]:
    """A ``distributed.Client`` for ``address``; ``"local"`` starts a ``LocalCluster`` on 127.0.0.1.

    Parameters
    ----------
    address : str
        A scheduler address (``tcp://SCHEDULER:8786``) or ``"local"`` for a cluster of worker
        processes on this machine (one per core, or ``n_workers``), closed on leaving.

    Raises
    ------
    ClusterError
        If the scheduler does not answer within :data:`CONNECT_TIMEOUT` seconds.
    """
    distributed = _distributed()
    if address == "local":
        workers = n_workers or os.cpu_count() or 1
        with local_cluster(workers) as cluster, distributed.Client(cluster) as client:
            yield client
        return
    import logging

    quiet = logging.getLogger("distributed")
    level, quiet.level = quiet.level, logging.CRITICAL  # one line of ours, not distributed's retries
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ClusterError(
            f"{address}: cannot reach the Dask scheduler ({reason[:160]}); "
            "check the address, or use --dask local for a cluster on this machine"
        ) from None
    finally:
        quiet.level = level
    with client:
        yield client


@contextlib.contextmanager
def on_cluster(address: str | None, *, cv: int | None = 0) -> Iterator[Any]:
    """Within the block, joblib (and so scikit-learn's ``n_jobs``) runs its tasks on ``address``.

    ``None`` changes nothing: the block runs locally. Cross-validation scores are those of the
    local run: every fit is the same deterministic computation, only its place changes. ``cv``
    None (a command without ``--cv``) with an address is a mistake: nothing would run there.

    Examples
    --------
    >>> with on_cluster(None):
    ...     pass
    """
    if address is None:
        yield None
        return
    if cv is None:
        raise ParameterError("--dask runs the cross-validation fits on the cluster: give --cv K too")
    import joblib

    with connected(address) as client, joblib.parallel_backend("dask"):
        yield client


def _model_reference(predictor, client):
    """The predictor as a graph dependency sent to every worker once (scattered), or embedded once."""
    if client is None:
        try:
            client = _distributed().get_client()
        except ValueError:  # no client: dask's local schedulers share this process's memory anyway
            import dask

            return dask.delayed(predictor, pure=True, traverse=False)
    return client.scatter(predictor, broadcast=True, hash=False)


def predict_collection(
    collection,
    model=None,
    *,
    client=None,
    text_column: str = "text",
    target_column: str | None = None,
):
    """Lazy predictions for a Dask DataFrame or Bag of statements, partition by partition.

    Parameters
    ----------
    collection : dask.dataframe.DataFrame or dask.bag.Bag
        A DataFrame with a ``text_column`` (and ``target_column`` for a target model), or a Bag
        of statements (or of ``(statement, target)`` pairs).
    model : path, ModelData or Predictor, optional
        The model; the one shipped with stanceclf by default.
    client : distributed.Client, optional
        The client whose workers receive the model once (``scatter(broadcast=True)``); by
        default the current client, if any.

    Returns
    -------
    dask.dataframe.DataFrame or dask.bag.Bag
        For a DataFrame: one row per input row, same index and partitions, with a ``label``
        column and one ``proba_<label>`` column per label. For a Bag: one dict per statement,
        ``{"label": ..., "proba": {label: probability}}``. Nothing is computed until asked.

    Raises
    ------
    DataError
        When computed, for a statement that is not a string (naming the partition and row).
    """
    predictor = _predictor(model)
    reference = _model_reference(predictor, client)
    if hasattr(collection, "columns"):
        import numpy as np
        import pandas as pd

        columns = {"label": pd.Series([], dtype=object)}
        columns.update({f"proba_{label}": pd.Series([], dtype=np.float64) for label in predictor.classes_})
        meta = pd.DataFrame(columns)
        return collection.map_partitions(
            _predict_frame, reference, text_column, target_column, meta=meta, align_dataframes=False
        )
    return collection.map_partitions(_predict_items, reference)


def _predictor(model):
    from stanceclf.inference import Predictor, load_predictor
    from stanceclf.persist import ModelData, default_model_path

    if isinstance(model, Predictor):
        return model
    if isinstance(model, ModelData):
        return Predictor(model)
    return load_predictor(model or default_model_path())


def _checked(documents: list, where: str) -> list:
    for number, document in enumerate(documents):
        text = document[0] if isinstance(document, tuple) else document
        if not isinstance(text, str):
            raise DataError(f"{where}, row {number}: the statement is {type(text).__name__}, not text")
    return documents


def _predict_frame(frame, predictor, text_column: str, target_column: str | None):
    import numpy as np
    import pandas as pd

    documents = frame[text_column].tolist()
    if target_column is not None:
        documents = list(zip(documents, frame[target_column].tolist()))
    classes = [str(label) for label in predictor.classes_]
    probabilities = predictor.predict_proba(_checked(documents, "partition")) if documents else np.zeros((0, 1))
    result = {"label": pd.Series([classes[i] for i in probabilities.argmax(axis=1)], index=frame.index, dtype=object)}
    for i, label in enumerate(classes):
        result[f"proba_{label}"] = pd.Series(probabilities[:, i] if documents else [], index=frame.index, dtype=float)
    return pd.DataFrame(result, index=frame.index)


def _predict_items(items, predictor) -> list[dict]:
    documents = _checked(list(items), "partition")
    if not documents:
        return []
    classes = [str(label) for label in predictor.classes_]
    probabilities = predictor.predict_proba(documents)
    return [
        {"label": classes[row.argmax()], "proba": {label: float(p) for label, p in zip(classes, row)}}
        for row in probabilities
    ]


@dataclass
class FilesRun:
    """What :func:`predict_files` wrote: output files in input order, their rows, warnings."""

    outputs: list[Path]
    rows: list[int]
    warnings: list[str] = field(default_factory=list)


def input_files(patterns: Sequence[str | Path]) -> list[Path]:
    """The files that ``patterns`` name: paths, globs (``posts/*.jsonl``) and folders, in order.

    A folder stands for its .jsonl, .csv, .tsv and .txt files, sorted by name.

    Raises
    ------
    DataError
        If a pattern matches nothing, or a file has an extension stanceclf cannot read.
    """
    found: list[Path] = []
    for pattern in patterns:
        text = str(pattern)
        matches = sorted(glob.glob(text, recursive=True)) if glob.has_magic(text) else [text]
        if not matches or not Path(matches[0]).exists():
            raise DataError(located(text, None, "no such file or folder (no input matches)"))
        for match in map(Path, matches):
            if match.is_dir():
                found.extend(sorted(p for p in match.iterdir() if p.suffix.lower() in INPUT_SUFFIXES))
            elif match.suffix.lower() in INPUT_SUFFIXES:
                found.append(match)
            else:
                raise DataError(located(match, None, f"cannot read a {match.suffix or 'nameless'} file as input"))
    if not found:
        raise DataError(located(", ".join(map(str, patterns)), None, "no .jsonl, .csv, .tsv or .txt file to predict"))
    return found


def output_files(inputs: Sequence[Path], output_dir: Path, fmt: str, *, force: bool = False) -> list[Path]:
    """One output file per input: its name with the format's extension, in ``output_dir``.

    Raises
    ------
    ParameterError
        If two inputs would write the same output file (``a.csv`` and ``a.jsonl``).
    OutputExistsError
        If an output exists and ``force`` is false.
    """
    outputs: list[Path] = []
    seen: dict[Path, Path] = {}
    for path in inputs:
        output = Path(output_dir) / (path.stem + _OUTPUT_SUFFIX[fmt])
        if output in seen:
            raise ParameterError(f"{seen[output]} and {path} would both be written to {output}; rename one")
        if output.resolve() == path.resolve():
            raise ParameterError(f"{path}: the output would replace the input; choose another --output-dir")
        if output.exists() and not force:
            raise OutputExistsError(located(output, None, "already exists (use --force to replace it)"))
        seen[output] = path
        outputs.append(output)
    return outputs


def predict_files(
    inputs: Sequence[str | Path],
    output_dir: str | Path,
    *,
    client,
    model_path: str | Path | None = None,
    fmt: str | None = None,
    force: bool = False,
    **options,
) -> FilesRun:
    """Predict every input file on the cluster's workers into ``output_dir``, one file each.

    Each output is written by :func:`stanceclf.predicting.predict_statements` on a worker, to a
    temporary name renamed into place when complete, so its bytes are those of
    ``stanceclf predict --input IN --output OUT`` and a worker lost mid-file leaves no torn
    file: distributed runs the file again on another worker.

    Parameters
    ----------
    inputs : paths, globs or folders
        As :func:`input_files`.
    output_dir : path
        Created if missing; every worker must see it under this path.
    client : distributed.Client
        From :func:`connected`.
    fmt : {"jsonl", "json", "csv", "text", "html"}, optional
        The output format (default: jsonl); html: one page per input file.
    options
        ``proba``, ``explain``, ``text_column``, ``target``, ``target_column``, ``keep_columns``,
        ``delimiter``, ``encoding``, ``sentences``: as :func:`~stanceclf.predicting.predict_statements`.

    Returns
    -------
    FilesRun

    Raises
    ------
    StanceError
        The first bad row in input-file order, with its file and line, exactly as a local run
        reports it (other files may be written by then).
    """
    from stanceclf.batch import output_format

    fmt = output_format(None, fmt or "jsonl")
    paths = input_files(inputs)
    outputs = output_files(paths, Path(output_dir), fmt, force=force)
    Path(output_dir).mkdir(parents=True, exist_ok=True)
    reference = _model_reference(_predictor(model_path), client)
    futures = [
        client.submit(_predict_file, reference, str(source), str(output), fmt, options, pure=False)
        for source, output in zip(paths, outputs)
    ]
    run = FilesRun(outputs, [])
    try:
        for future in futures:
            rows, warnings = future.result()
            run.rows.append(rows)
            run.warnings.extend(warnings)
    except BaseException:
        client.cancel(futures)
        raise
    return run


def _predict_file(predictor, source: str, output: str, fmt: str, options: dict) -> tuple[int, list[str]]:
    """On a worker: one input file to one output file, as ``predict --input --output --force``."""
    from stanceclf.predicting import predict_statements

    target = Path(output)
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):  # left by a worker killed mid-file
        stale.unlink(missing_ok=True)
    warnings: list[str] = []
    run = predict_statements(
        (), Path(source), target, predictor=predictor, fmt=fmt, jobs=1, force=True, warn=warnings.append, **options
    )
    return run.rows, warnings


def predict_on_cluster(
    dask: str | None,
    input_path: Path | None,
    output_dir: Path | None,
    *,
    texts: Sequence[str] = (),
    output_path: Path | None = None,
    jobs: int | None = None,
    skip_lines: int = 0,
    progress_every: int | None = None,
    warn=None,
    **options,
) -> FilesRun:
    """What ``stanceclf predict --input GLOB --dask ADDRESS --output-dir DIR`` does.

    Checks that the options fit a cluster run (files in, a folder out), connects to the
    scheduler address ``dask`` (or ``"local"``, see :func:`connected`), runs
    :func:`predict_files` and passes the workers' warnings and a closing count to ``warn``. ``jobs`` is ignored:
    the cluster's workers are the jobs.

    Raises
    ------
    ParameterError
        For statements, stdin, ``--output`` or a missing ``--dask`` / ``--output-dir``.
    ClusterError
        If the scheduler cannot be reached.
    """
    if dask is None or output_dir is None:
        raise ParameterError("--output-dir and --dask ADDRESS go together (use --output for one file here)")
    if texts or input_path is None or str(input_path) == "-" or output_path is not None:
        raise ParameterError("--dask predicts files into --output-dir: give --input FILE, GLOB or FOLDER, no --output")
    if skip_lines or progress_every:
        raise ParameterError("--skip-lines and --progress-every work on one machine, not with --dask")
    fmt = options.get("fmt") or "jsonl"
    output_files(input_files([input_path]), Path(output_dir), fmt, force=options.get("force", False))
    with connected(dask) as client:
        run = predict_files([input_path], output_dir, client=client, **options)
    files = f"{len(run.outputs)} file" + ("s" if len(run.outputs) != 1 else "")
    for warning in [*run.warnings, f"{sum(run.rows):,} statements predicted into {files} in {output_dir}"]:
        (warn or print)(warning)
    return run
