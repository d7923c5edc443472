"""Shared fixtures: a small hand-written labelled set and a model trained on it."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from samples import STATEMENTS

# One BLAS thread in the test process and in every process it starts (CLI subprocesses, Dask and
# joblib workers). The tests fit hundreds of tiny models; on 2 shared cores OpenBLAS's second
# thread spins against the other processes, and one audit test's lbfgs fits took 59 s instead of
# 7.6 s (same load). Set before numpy is first imported (it is not, when pytest loads this file);
# a value already in the environment is kept.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")


def _write_csv(path: Path, rows, header=("text", "label", "target"), delimiter=",") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="session")
def write_csv():
    """``write_csv(path, rows, header=..., delimiter=",")``: write a CSV file and return its path."""
    return _write_csv


@pytest.fixture
def labelled_csv(tmp_path) -> Path:
    return _write_csv(tmp_path / "labels.csv", STATEMENTS)


@pytest.fixture(scope="session")
def fitted_model():
    from stanceclf import StanceClassifier

    texts, labels, _ = zip(*STATEMENTS)
    return StanceClassifier().fit(list(texts), list(labels))


@pytest.fixture(scope="session")
def model_file(tmp_path_factory, fitted_model) -> Path:
    path = tmp_path_factory.mktemp("model") / "small.stance"
    fitted_model.save(path)
    return path


@pytest.fixture(scope="session")
def calibrated_model(tmp_path_factory):
    """Trained on the shared statements with a temperature and thresholds for precision 0.9 (5-fold CV)."""
    from stanceclf import load_dataset, train

    path = _write_csv(tmp_path_factory.mktemp("calibrated") / "labels.csv", STATEMENTS)
    return train(load_dataset(path), target_precision=0.9).model


@pytest.fixture(scope="session")
def calibrated_model_file(tmp_path_factory, calibrated_model) -> Path:
    path = tmp_path_factory.mktemp("model") / "calibrated.stance"
    calibrated_model.save(path)
    return path


@pytest.fixture(scope="session")
def dask_cluster():
    """A real two-process Dask cluster on 127.0.0.1 (no dashboard), shared by the session's tests."""
    from stanceclf.cluster import local_cluster

    with local_cluster(2) as cluster:
        yield cluster


@pytest.fixture
def dask_client(dask_cluster):
    from distributed import Client

    with Client(dask_cluster) as client:
        yield client
