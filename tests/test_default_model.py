"""The model shipped in the package: built from today's datasets/, and it answers sensibly."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from stanceclf import default_model
from stanceclf.inference import load_predictor
from stanceclf.persist import default_model_path, load_model_data

BUNDLED = Path(__file__).resolve().parent.parent / "datasets" / "stance.csv"


def test_shipped_model_was_trained_on_the_current_bundled_data():
    recorded = load_model_data(default_model_path()).metadata["training_data"]
    actual = hashlib.sha256(BUNDLED.read_bytes()).hexdigest()
    assert recorded["sha256"] == actual, (
        "datasets/stance.csv changed since the default model was built: run `python experiments/build_default_model.py`"
    )
    assert recorded["rows"] == sum(1 for _ in BUNDLED.open(encoding="utf-8")) - 1


def test_shipped_model_records_its_held_out_scores():
    metrics = load_model_data(default_model_path()).metadata["metrics"]
    assert {"test_split_macro_f1", "cv5_macro_f1", "topic_cv5_macro_f1"} <= set(metrics)


def test_default_model_reads_the_readme_example_as_opposition():
    assert default_model().predict(["Rome will not send troops to Ukraine."]).tolist() == ["oppose"]


def test_default_model_tells_the_three_stances_apart_on_fresh_sentences():
    # Written for this test; none of these is in datasets/stance.csv.
    sentences = {
        "Our cabinet approved the pipeline today and the minister called it a historic step.": "support",
        "The harbour authority will never allow the cruise terminal; the project is dead.": "oppose",
        "We can back the new stadium provided the club pays for the access roads itself.": "conditional",
    }
    assert default_model().predict(list(sentences)).tolist() == list(sentences.values())


def test_default_model_numpy_and_scikit_learn_paths_agree():
    texts = ["Rome will not send troops to Ukraine.", "", "Provided Washington guarantees air cover, yes."]
    difference = load_predictor(default_model_path()).predict_proba(texts) - default_model().predict_proba(texts)
    assert np.abs(difference).max() < 1e-9
