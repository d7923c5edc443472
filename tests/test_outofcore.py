"""Hashed feature blocks and out-of-core training: same predictions on every path, checked input."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from samples import STATEMENTS
from stanceclf import StanceClassifier
from stanceclf.errors import DataError
from stanceclf.features import feature_bucket
from stanceclf.inference import Predictor, load_predictor
from stanceclf.outofcore import train_out_of_core

TEXTS = [s[0] for s in STATEMENTS]
LABELS = [s[1] for s in STATEMENTS]
ODD_TEXTS = ["", "!!!", "Ünïcödé façade — naïve “quotes”", "🙂 emoji only 🙂", "We don't NOT back it, never."]


def test_feature_buckets_are_crc32_and_the_same_in_every_process():
    # fixed values: a change of hash function would silently break every saved hashed model
    assert feature_bucket("plan", 1 << 20) == 0xDD5A5B7D % (1 << 20)
    assert feature_bucket("not_back the", 97) == feature_bucket("not_back the", 97)
    assert 0 <= feature_bucket("\ud800 lone surrogate", 10) < 10


def test_hashed_model_gives_the_same_probabilities_through_numpy_and_scipy():
    clf = StanceClassifier(n_buckets=512).fit(TEXTS, LABELS)
    texts = TEXTS + ODD_TEXTS
    np.testing.assert_allclose(Predictor(clf.to_model_data()).predict_proba(texts), clf.predict_proba(texts), atol=1e-9)
    assert clf.n_features_ == 1024


def test_hashed_model_round_trips_through_a_version_2_file_without_vocabulary(tmp_path):
    clf = StanceClassifier(n_buckets=256, target_mode="conjoined", target_weight=1.0)
    pairs = [(text, target) for text, _, target in STATEMENTS]
    clf.fit(pairs, LABELS)
    path = clf.save(tmp_path / "hashed.stance")
    with zipfile.ZipFile(path) as archive:
        assert not [name for name in archive.namelist() if name.startswith("vocabulary/")]
        assert b'"format_version":2' in archive.read("stanceclf.json")
    loaded = StanceClassifier.load(path)
    np.testing.assert_allclose(loaded.predict_proba(pairs), clf.predict_proba(pairs), atol=1e-12)
    np.testing.assert_allclose(load_predictor(path).predict_proba(pairs), clf.predict_proba(pairs), atol=1e-9)


def test_explaining_a_hashed_model_names_the_statements_own_features():
    clf = StanceClassifier(n_buckets=4096, char_ngram_range=None).fit(TEXTS, LABELS)
    explanation = clf.explain("We reject the tram scheme outright.", top=3)
    named = [name for terms in explanation.values() for name, _ in terms]
    assert named and all(name.startswith("word:") and "#" not in name for name in named)
    assert "word:reject" in " ".join(named)


def test_out_of_core_learns_the_same_idf_and_nearly_the_same_weights_as_in_memory_sgd(tmp_path, write_csv):
    data = write_csv(tmp_path / "labels.csv", STATEMENTS * 3)
    params = {"n_buckets": 1024, "epochs": 5, "random_state": 7}
    streamed = train_out_of_core(data, params, chunk_size=20).model
    in_memory = StanceClassifier(**params, solver="sgd").fit(TEXTS * 3, LABELS * 3)
    for (_, ours), (_, reference) in zip(streamed.vectorizers_, in_memory.vectorizers_):
        assert np.array_equal(ours.idf_, reference.idf_)
    # the same data in another order: different steps, the same model within SGD's noise
    assert np.mean(streamed.predict(TEXTS) == in_memory.predict(TEXTS)) >= 0.95
    assert np.abs(streamed.predict_proba(TEXTS) - in_memory.predict_proba(TEXTS)).max() < 0.05


def test_out_of_core_learns_over_many_chunks_and_records_its_provenance(tmp_path, write_csv):
    rng = np.random.default_rng(0)
    cues = {"support": "welcome", "oppose": "reject", "conditional": "provided"}
    rows = []
    for i in range(900):
        label = list(cues)[i % 3]
        words = [f"w{k}" for k in rng.integers(0, 200, size=8)] + [cues[label], f"row{i}"]
        rows.append((" ".join(rng.permutation(words)), label, "x"))
    data = write_csv(tmp_path / "many.csv", rows)
    summary = train_out_of_core(data, {"n_buckets": 2048, "char_ngram_range": None, "epochs": 3}, chunk_size=100)
    assert summary.chunks == 9
    assert 0 < summary.seconds < 120
    assert summary.label_counts == {"conditional": 300, "oppose": 300, "support": 300}
    accuracy = np.mean(summary.model.predict([r[0] for r in rows]) == np.array([r[1] for r in rows]))
    assert accuracy > 0.95
    recorded = summary.model.provenance_["training_data"]
    assert recorded["rows"] == 900 and len(recorded["sha256"]) == 64


def test_a_file_sorted_by_label_trains_as_well_as_a_shuffled_one(tmp_path, write_csv):
    rng = np.random.default_rng(1)
    cues = {"conditional": "provided", "oppose": "reject", "support": "welcome"}
    rows = []
    for label, cue in cues.items():  # all of one label, then the next: each chunk holds one label
        for i in range(300):
            words = [f"w{k}" for k in rng.integers(0, 200, size=8)] + [cue, f"{label}{i}"]
            rows.append((" ".join(rng.permutation(words)), label))
    data = write_csv(tmp_path / "sorted.csv", rows, header=("text", "label"))
    model = train_out_of_core(data, {"n_buckets": 2048, "char_ngram_range": None}, chunk_size=100).model
    predicted = model.predict([f"w1 w2 {cue} w3" for cue in cues.values()])
    assert predicted.tolist() == list(cues)
    accuracy = np.mean(model.predict([r[0] for r in rows]) == np.array([r[1] for r in rows]))
    assert accuracy > 0.95


def test_out_of_core_trains_on_one_split_only(tmp_path, write_csv):
    rows = [(text, label, "train" if i % 4 else "test") for i, (text, label, _) in enumerate(STATEMENTS)]
    data = write_csv(tmp_path / "split.csv", rows, header=("text", "label", "split"))
    summary = train_out_of_core(data, {"n_buckets": 256}, split="train")
    assert sum(summary.label_counts.values()) == 18


@pytest.mark.parametrize(
    "rows, message",
    [
        ([("We back it.", "support"), ("  ", "oppose")], "bad.csv:3: empty text"),
        (
            [("We back it.", "support"), ("We back it.", "oppose")],
            "bad.csv:3: this text was labelled 'support' on line 2",
        ),
        ([("We back it.", "support"), ("Again.", "support")], "only one label"),
        ([], "no statements"),
    ],
)
def test_out_of_core_refuses_what_load_dataset_refuses(tmp_path, rows, message, write_csv):
    bad = write_csv(tmp_path / "bad.csv", rows, header=("text", "label"))
    with pytest.raises(DataError, match=message):
        train_out_of_core(bad, {"n_buckets": 64})


def test_out_of_core_refuses_a_folder_with_a_clear_message(tmp_path):
    with pytest.raises(DataError, match="is a folder; out-of-core training reads one"):
        train_out_of_core(tmp_path, {"n_buckets": 64})


def test_two_label_out_of_core_model_is_one_binary_logistic_regression(tmp_path, write_csv):
    rows = [(text, label) for text, label, _ in STATEMENTS if label != "conditional"]
    data = write_csv(tmp_path / "two.csv", rows, header=("text", "label"))
    model = train_out_of_core(data, {"n_buckets": 512, "epochs": 5}).model
    assert model.logistic_.coef_.shape == (1, 1024)
    texts = [row[0] for row in rows]
    np.testing.assert_allclose(
        Predictor(model.to_model_data()).predict_proba(texts), model.predict_proba(texts), atol=1e-9
    )
