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
    with BUNDLED.open(encoding="utf-8") as rows:
        assert recorded["rows"] == sum(1 for _ in rows) - 1


def test_shipped_model_records_its_held_out_scores():
    metrics = load_model_data(default_model_path()).metadata["metrics"]
    assert {"test_split_macro_f1", "cv5_macro_f1", "topic_cv5_macro_f1", "news_test_stance_macro_f1"} <= set(metrics)


def test_shipped_model_has_a_no_stance_label():
    assert default_model().classes_.tolist() == ["conditional", "none", "oppose", "support"]


# Written for this test; none of these is in datasets/stance.csv or datasets/news_test.csv.
NO_STANCE = [
    "The harbour committee meets again on the second Tuesday of May.",
    "Ministers from eleven countries attended the talks in Valletta.",
    "The tram would run every eight minutes between the station and the university.",
    "It is not yet known how many households the scheme would cover.",
]


def test_default_model_answers_none_for_sentences_that_take_no_stance():
    predicted = default_model().predict(NO_STANCE).tolist()
    assert predicted.count("none") >= 3, list(zip(NO_STANCE, predicted))


def test_default_model_reads_the_readme_example_as_opposition():
    assert default_model().predict(["Rome will not send troops to Ukraine."]).tolist() == ["oppose"]


# Written for this test, five per label; none of these is in datasets/stance.csv.
FRESH = {
    "Our cabinet approved the pipeline today and the minister called it a historic step.": "support",
    "The harbour authority will never allow the cruise terminal; the project is dead.": "oppose",
    "We can back the new stadium provided the club pays for the access roads itself.": "conditional",
    "The farmers' union welcomes the new irrigation scheme and will help build it.": "support",
    "Parents in Dunmere are campaigning hard for the school merger to go ahead.": "support",
    "Our group will vote in favour of the bridge tolls on Thursday.": "support",
    "I think the lottery-funded museum is exactly what this city needs.": "support",
    "The cycling lobby called the motorway widening a disastrous waste of public money.": "oppose",
    "We will fight the incinerator plan in every court in the land.": "oppose",
    "Scrap the parking levy now; it is driving shoppers out of town.": "oppose",
    "The mayor refused to sign the casino licence, calling it a danger to families.": "oppose",
    "The teachers' union will accept longer school days once salaries rise to match.": "conditional",
    "Only if the river is cleaned up first will we agree to the new marina.": "conditional",
    "No new runway until the night-flight ban is written into law.": "conditional",
    "We could support the stadium, on condition that ticket prices stay affordable.": "conditional",
}


def test_default_model_tells_the_three_stances_apart_on_fresh_sentences():
    predicted = default_model().predict(list(FRESH)).tolist()
    misses = [(text, want, got) for (text, want), got in zip(FRESH.items(), predicted) if want != got]
    # a classifier at ~0.8 macro-F1 on unseen topics will miss some; more than two is a regression
    assert len(misses) <= 2, misses


def test_default_model_numpy_and_scikit_learn_paths_agree():
    texts = ["Rome will not send troops to Ukraine.", "", "Provided Washington guarantees air cover, yes."]
    difference = load_predictor(default_model_path()).predict_proba(texts) - default_model().predict_proba(texts)
    assert np.abs(difference).max() < 1e-9


def test_shipped_model_is_calibrated_and_abstains_below_thresholds_for_every_label():
    calibration = load_model_data(default_model_path()).calibration
    assert calibration["group_by"] == "target" and calibration["temperature"] != 1.0
    assert calibration["target_precision"] >= 0.92
    assert all(0.0 <= threshold < 1.0 for threshold in calibration["thresholds"].values())
