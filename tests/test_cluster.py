"""Predicting and cross-validating on a real two-worker Dask cluster gives what one machine gives."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from samples import STATEMENTS
from stanceclf.cli import main
from stanceclf.cluster import local_cluster, on_cluster, predict_collection, predict_files
from stanceclf.errors import DataError, ParameterError
from stanceclf.inference import load_predictor

pytestmark = pytest.mark.slow

TEXTS = [text for text, _, _ in STATEMENTS]


def _inputs(folder: Path, rows: int = 30) -> Path:
    """The same statements as .jsonl, .csv, .tsv and .txt files, with an id column to keep."""
    folder.mkdir()
    texts = [TEXTS[i % len(TEXTS)] + ("" if i < len(TEXTS) else f" ({i})") for i in range(rows)]
    (folder / "a.jsonl").write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)))
    (folder / "b.csv").write_text("id,text\n" + "".join(f'{i},"{t}"\n' for i, t in enumerate(texts)))
    (folder / "c.tsv").write_text("id\ttext\n" + "".join(f"{i}\t{t}\n" for i, t in enumerate(texts)))
    (folder / "d.txt").write_text("".join(t + "\n" for t in texts))
    return folder


def _local(source: Path, output: Path, *options: str) -> None:
    result = CliRunner().invoke(main, ["predict", "--input", str(source), "--output", str(output), *options])
    assert result.exit_code == 0, result.output


def test_dataframe_predictions_equal_the_local_predictor_row_for_row(dask_client, model_file):
    import dask.dataframe as dd
    import pandas as pd

    frame = pd.DataFrame({"text": TEXTS}, index=range(100, 100 + len(TEXTS)))
    lazy = predict_collection(dd.from_pandas(frame, npartitions=3), model_file, client=dask_client)
    assert lazy.npartitions == 3
    got = lazy.compute()
    predictor = load_predictor(model_file)
    assert got.index.tolist() == frame.index.tolist()
    assert got["label"].tolist() == predictor.predict(TEXTS).tolist()
    columns = [f"proba_{label}" for label in predictor.classes_]
    np.testing.assert_array_equal(got[columns].to_numpy(), predictor.predict_proba(TEXTS))


def test_bag_predictions_equal_the_local_predictor_in_order(dask_client, model_file):
    import dask.bag as db

    got = predict_collection(db.from_sequence(TEXTS, npartitions=4), model_file, client=dask_client).compute()
    assert [row["label"] for row in got] == load_predictor(model_file).predict(TEXTS).tolist()


def test_the_model_reaches_each_worker_once_not_with_every_task(dask_client, model_file):
    import dask.bag as db

    lazy = predict_collection(db.from_sequence(TEXTS * 4, npartitions=16), model_file, client=dask_client)
    lazy.compute()
    holders = dask_client.run(
        lambda dask_worker: sum(type(value).__name__ == "Predictor" for value in dask_worker.data.values())
    )
    assert sorted(holders.values()) == [1, 1]  # one copy per worker for 16 tasks
    model_bytes = model_file.stat().st_size
    graph = dict(lazy.__dask_graph__())
    import cloudpickle

    assert len(cloudpickle.dumps(graph)) < model_bytes  # the tasks name the model, they do not carry it


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "text", "html"])
def test_cluster_output_files_are_byte_identical_to_local_predict(dask_cluster, model_file, tmp_path, fmt):
    folder = _inputs(tmp_path / "posts")
    out = tmp_path / "out"
    options = ["--model", str(model_file), "--format", fmt, "--proba"]
    result = CliRunner().invoke(
        main,
        ["predict", "--input", str(folder), "--dask", dask_cluster.scheduler_address, "--output-dir", str(out)]
        + options,
    )
    assert result.exit_code == 0, result.output
    written = sorted(path.name for path in out.iterdir())
    suffix = {"jsonl": ".jsonl", "json": ".json", "csv": ".csv", "text": ".txt", "html": ".html"}[fmt]
    assert written == [name + suffix for name in "abcd"]
    for source in sorted(folder.iterdir()):
        _local(source, tmp_path / f"local{suffix}", "--force", *options)
        assert (out / (source.stem + suffix)).read_bytes() == (tmp_path / f"local{suffix}").read_bytes(), source


def test_a_glob_selects_the_files_and_outputs_are_not_replaced_without_force(
    dask_cluster, dask_client, model_file, tmp_path
):
    folder = _inputs(tmp_path / "posts")
    out = tmp_path / "out"
    run = predict_files([str(folder / "*.csv")], out, client=dask_client, model_path=model_file)
    assert run.outputs == [out / "b.jsonl"] and run.rows == [30]
    result = CliRunner().invoke(
        main,
        [
            "predict",
            "--input",
            str(folder / "*.csv"),
            "--dask",
            dask_cluster.scheduler_address,
            "--output-dir",
            str(out),
        ],
    )
    assert result.exit_code == 2 and "b.jsonl: already exists (use --force" in result.output


def test_a_bad_row_is_reported_with_file_and_line_exactly_as_locally(dask_cluster, tmp_path):
    folder = _inputs(tmp_path / "posts")
    with (folder / "a.jsonl").open("a") as handle:
        handle.write('{"id": 99, "text": \n')
    local = CliRunner().invoke(main, ["predict", "--input", str(folder / "a.jsonl"), "-o", str(tmp_path / "x.jsonl")])
    remote = CliRunner().invoke(
        main,
        [
            "predict",
            "--input",
            str(folder),
            "--dask",
            dask_cluster.scheduler_address,
            "--output-dir",
            str(tmp_path / "o"),
        ],
    )
    assert local.exit_code == remote.exit_code == 2
    assert f"{folder / 'a.jsonl'}:31:" in local.output
    assert remote.output == local.output
    assert not (tmp_path / "o" / "a.jsonl").exists()


def test_an_unreachable_scheduler_is_one_line_and_exit_2_within_10_seconds(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = _inputs(tmp_path / "posts")
    command = [
        sys.executable,
        "-m",
        "stanceclf",
        "predict",
        "--input",
        str(source),
        "--output-dir",
        str(tmp_path / "o"),
    ]
    started = time.perf_counter()
    result = subprocess.run(command + ["--dask", f"tcp://127.0.0.1:{port}"], capture_output=True, text=True, timeout=30)
    assert time.perf_counter() - started < 10
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "cannot reach the Dask scheduler" in result.stderr


def test_plain_predict_imports_no_dask():
    code = (
        "import sys; from stanceclf.cli import main\n"
        "try: main(['predict', 'We back the plan.'])\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr.strip() == "[]"


def test_output_dir_without_dask_or_dask_without_files_is_refused():
    with pytest.raises(ParameterError, match="go together"):
        from stanceclf.cluster import predict_on_cluster

        predict_on_cluster(None, Path("posts.csv"), Path("out"))
    with pytest.raises(ParameterError, match="give --input"):
        predict_on_cluster("local", None, Path("out"), texts=["We back it."])


def test_a_missing_input_is_a_data_error(tmp_path):
    from stanceclf.cluster import input_files

    with pytest.raises(DataError, match="no input matches"):
        input_files([str(tmp_path / "nothing*.csv")])


def test_cross_validation_on_the_cluster_scores_exactly_as_the_local_run(dask_cluster, labelled_csv):
    from stanceclf.data import load_dataset
    from stanceclf.training import cross_validate

    dataset = load_dataset(labelled_csv)
    local = cross_validate(dataset, folds=3)
    with on_cluster(dask_cluster.scheduler_address, cv=3):
        remote = cross_validate(dataset, folds=3)
    assert remote == local
    command = ["evaluate", str(labelled_csv), "--cv", "3", "--format", "json"]
    here = CliRunner().invoke(main, command)
    there = CliRunner().invoke(main, [*command, "--dask", dask_cluster.scheduler_address])
    assert there.exit_code == 0, there.output
    assert json.loads(there.output) == json.loads(here.output)


def test_a_worker_killed_mid_run_loses_and_duplicates_no_row(model_file, tmp_path):
    from distributed import Client

    folder = tmp_path / "posts"
    folder.mkdir()
    rows = 5_000  # a file takes a worker long enough to be caught half-written (killed.is_set() checks)
    for name in "abcd":
        (folder / f"{name}.txt").write_text("".join(f"{TEXTS[i % len(TEXTS)]} {name}{i}\n" for i in range(rows)))
    out = tmp_path / "out"
    with local_cluster(2) as cluster, Client(cluster) as client:
        pids = list(client.run(os.getpid).values())
        killed = threading.Event()

        def kill_when_a_file_is_half_written():
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not killed.is_set():
                if any(path.name.endswith(".tmp") and path.stat().st_size > 0 for path in out.glob(".*")):
                    os.kill(pids[0], signal.SIGKILL)
                    killed.set()
                time.sleep(0.01)

        watcher = threading.Thread(target=kill_when_a_file_is_half_written)
        out.mkdir()
        watcher.start()
        run = predict_files([folder], out, client=client, model_path=model_file, fmt="jsonl")
        watcher.join()
    assert killed.is_set(), "the run ended before a worker could be killed"
    assert run.rows == [rows] * 4
    assert sorted(path.name for path in out.iterdir()) == ["a.jsonl", "b.jsonl", "c.jsonl", "d.jsonl"]  # no .tmp left
    for name in "abcd":
        _local(folder / f"{name}.txt", tmp_path / "local.jsonl", "--force", "--model", str(model_file), "--jobs", "1")
        assert (out / f"{name}.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()


def test_grid_search_on_the_cluster_scores_exactly_as_the_local_run(dask_cluster):
    from sklearn.model_selection import GridSearchCV

    from stanceclf import StanceClassifier

    texts, labels, _ = zip(*STATEMENTS)
    search = GridSearchCV(StanceClassifier(), {"C": [1.0, 10.0]}, cv=3, scoring="f1_macro", n_jobs=-1)
    local = search.fit(list(texts), list(labels)).cv_results_["mean_test_score"]
    with on_cluster(dask_cluster.scheduler_address):
        remote = search.fit(list(texts), list(labels)).cv_results_["mean_test_score"]
    np.testing.assert_array_equal(remote, local)


def test_dask_local_starts_a_cluster_on_this_machine_and_stops_it(model_file, tmp_path):
    folder = _inputs(tmp_path / "posts")
    command = ["predict", "--input", str(folder / "*.txt"), "--dask", "local", "--output-dir", str(tmp_path / "o")]
    result = CliRunner().invoke(main, [*command, "--model", str(model_file)])
    assert result.exit_code == 0, result.output
    assert f"30 statements predicted into 1 file in {tmp_path / 'o'}" in result.output
    _local(folder / "d.txt", tmp_path / "local.jsonl", "--model", str(model_file))
    assert (tmp_path / "o" / "d.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
