"""Hashed training on a real two-worker Dask cluster builds the model ``train --out-of-core`` builds."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from samples import STATEMENTS
from stanceclf.cli import main
from stanceclf.cluster_training import train_dataframe, train_files
from stanceclf.errors import DataError
from stanceclf.outofcore import train_out_of_core
from stanceclf.persist import load_model_data

pytestmark = pytest.mark.slow

SMALL = {"n_buckets": 1 << 12, "epochs": 2}


def _rows(count: int = 240) -> list[dict]:
    """The sample statements made unique by a counter, in an order unlike the sample's."""
    rows = []
    for i in range(count):
        text, label, target = STATEMENTS[(i * 7) % len(STATEMENTS)]
        rows.append({"text": f"{text} ({i})", "label": label, "target": target})
    return rows


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _split(tmp_path: Path, rows: list[dict], sizes: list[int]) -> tuple[Path, Path]:
    """``all.jsonl`` and a folder of files holding the same rows, in order, ``sizes`` rows each."""
    whole = _write(tmp_path / "all.jsonl", rows)
    folder = tmp_path / "parts"
    folder.mkdir()
    start = 0
    for number, size in enumerate(sizes):
        _write(folder / f"part{number}.jsonl", rows[start : start + size])
        start += size
    assert start == len(rows)
    return whole, folder


def _largest_difference(first, second) -> float:
    a, b = first.to_model_data(), second.to_model_data()
    assert a.classes == b.classes
    differences = [np.abs(a.coef - b.coef).max(), np.abs(a.intercept - b.intercept).max()]
    differences += [np.abs(x.idf - y.idf).max() for x, y in zip(a.blocks, b.blocks)]
    return float(max(differences))


@pytest.mark.parametrize(
    "params",
    [
        SMALL,
        {**SMALL, "class_weight": "balanced", "target_mode": "conjoined", "target_weight": 1.0},
    ],
    ids=["default", "balanced-targets"],
)
def test_files_on_the_cluster_train_the_out_of_core_model_of_the_same_rows(dask_client, tmp_path, params):
    # 240 rows in chunks of 50 over files of 70, 90 and 80: chunks and training steps straddle files
    whole, folder = _split(tmp_path, _rows(), [70, 90, 80])
    target = {"target_column": "target"} if params.get("target_mode", "none") != "none" else {}
    local = train_out_of_core(whole, params, chunk_size=50, **target)
    remote = train_files([folder], params, client=dask_client, chunk_size=50, **target)
    assert remote.label_counts == local.label_counts and remote.chunks == local.chunks == 5
    assert _largest_difference(local.model, remote.model) <= 1e-9
    texts = [row["text"] for row in _rows(20)]
    documents = list(zip(texts, ["tram line"] * 20)) if target else texts
    np.testing.assert_allclose(remote.model.predict_proba(documents), local.model.predict_proba(documents), atol=1e-9)


def test_a_dask_dataframe_trains_the_out_of_core_model_of_its_rows_in_partition_order(dask_client, tmp_path):
    import dask.dataframe as dd
    import pandas as pd

    rows = _rows(150)
    whole = _write(tmp_path / "all.jsonl", rows)
    frame = dd.from_pandas(pd.DataFrame(rows)[["text", "label"]], npartitions=4)
    assert frame.npartitions == 4
    remote = train_dataframe(frame, SMALL, client=dask_client, chunk_size=40)
    local = train_out_of_core(whole, SMALL, chunk_size=40)
    assert _largest_difference(local.model, remote.model) <= 1e-9


def test_the_cli_trains_on_a_scheduler_and_saves_a_model_like_any_other(dask_cluster, tmp_path):
    whole, folder = _split(tmp_path, _rows(120), [60, 60])
    common = ["--out-of-core", "--buckets", "4096", "--chunk-size", "50", "--epochs", "2"]
    local = CliRunner().invoke(main, ["train", str(whole), *common, "-o", str(tmp_path / "local.stance")])
    remote = CliRunner().invoke(
        main,
        [
            "train",
            str(folder / "*.jsonl"),
            *common,
            "--dask",
            dask_cluster.scheduler_address,
            "-o",
            str(tmp_path / "c.stance"),
        ],
    )
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert "trained out of core on 120 statements" in remote.output
    a, b = load_model_data(tmp_path / "local.stance"), load_model_data(tmp_path / "c.stance")
    assert np.abs(a.coef - b.coef).max() <= 1e-9
    assert b.metadata["training_data"]["files"] == [str(folder / "part0.jsonl"), str(folder / "part1.jsonl")]


def test_a_bad_row_in_one_file_is_reported_with_file_and_line_exactly_as_out_of_core(dask_cluster, tmp_path):
    rows = _rows(60)
    rows[44]["label"] = " "
    _, folder = _split(tmp_path, rows, [30, 30])
    bad = folder / "part1.jsonl"
    local = CliRunner().invoke(main, ["train", str(bad), "--out-of-core", "-o", str(tmp_path / "l.stance")])
    remote = CliRunner().invoke(
        main,
        [
            "train",
            str(folder),
            "--out-of-core",
            "--dask",
            dask_cluster.scheduler_address,
            "-o",
            str(tmp_path / "c.stance"),
        ],
    )
    assert local.exit_code == remote.exit_code == 2
    assert f"{bad}:15: missing label" in local.output
    assert remote.output == local.output
    assert not (tmp_path / "c.stance").exists()


def test_a_text_labelled_twice_in_two_files_is_refused_naming_both_places(dask_client, tmp_path):
    rows = _rows(40)
    other = "none" if rows[3]["label"] != "none" else "support"
    rows[30] = {**rows[3], "label": other}  # part1.jsonl line 11 repeats part0.jsonl line 4
    _, folder = _split(tmp_path, rows, [20, 20])
    with pytest.raises(DataError) as caught:
        train_files([folder], SMALL, client=dask_client)
    assert str(caught.value) == (
        f"{folder / 'part1.jsonl'}:11: this text was labelled {rows[3]['label']!r} on "
        f"{folder / 'part0.jsonl'}:4 and {other!r} here"
    )


def test_labels_that_differ_only_in_case_across_files_are_refused_naming_both_places(dask_client, tmp_path):
    rows = _rows(40)
    label = rows[0]["label"]
    rows[25] = {**rows[25], "label": label.title()}  # part1.jsonl line 6
    _, folder = _split(tmp_path, rows, [20, 20])
    with pytest.raises(DataError) as caught:
        train_files([folder], SMALL, client=dask_client)
    assert (
        f"labels {label!r} ({folder / 'part0.jsonl'}:1) and {label.title()!r} ({folder / 'part1.jsonl'}:6) "
        "differ only in case"
    ) in str(caught.value)


def test_a_bad_row_in_a_dataframe_names_its_partition_and_row(dask_client):
    import dask.dataframe as dd
    import pandas as pd

    rows = _rows(40)
    rows[25]["text"] = "   "
    frame = dd.from_pandas(pd.DataFrame(rows)[["text", "label"]], npartitions=2)
    with pytest.raises(DataError, match=r"^<DataFrame partition 1>:6: empty text"):
        train_dataframe(frame, SMALL, client=dask_client)


def test_training_on_an_unreachable_scheduler_is_one_line_and_exit_2_within_10_seconds(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    whole = _write(tmp_path / "all.jsonl", _rows(20))
    command = [
        sys.executable,
        "-m",
        "stanceclf",
        "train",
        str(whole),
        "--out-of-core",
        "-o",
        str(tmp_path / "m.stance"),
    ]
    started = time.perf_counter()
    result = subprocess.run(command + ["--dask", f"tcp://127.0.0.1:{port}"], capture_output=True, text=True, timeout=30)
    assert time.perf_counter() - started < 10
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "cannot reach the Dask scheduler" in result.stderr


def test_dask_training_without_out_of_core_is_refused(tmp_path):
    whole = _write(tmp_path / "all.jsonl", _rows(20))
    result = CliRunner().invoke(main, ["train", str(whole), "--dask", "local", "-o", str(tmp_path / "m.stance")])
    assert result.exit_code == 2 and "give --out-of-core too" in result.output


def test_cluster_training_chunks_as_out_of_core_by_default():
    from stanceclf import cluster_training, outofcore

    assert cluster_training.DEFAULT_CHUNK == outofcore.DEFAULT_CHUNK
