"""The model file: round trips exactly, refuses what it should, never executes anything."""

from __future__ import annotations

import io
import json
import pickle
import zipfile

import numpy as np
import pytest

from samples import STATEMENTS
from stanceclf import ModelFileError, OutputExistsError, StanceClassifier
from stanceclf.persist import load_model_data

VARIED_TEXTS = [
    "We back the plan.",
    "Rome will not send troops to Ukraine.",
    "",
    "   ",
    "!!! ??? ...",
    "Київ вітає рішення.",
    "L'Italie n'enverra pas de soldats — jamais.",
    "We DON'T oppose it; we can\u2019t wait 🚋",
    "provided provided provided provided",
    "x" * 5000,
]


def test_round_trip_gives_the_same_probabilities_to_1e_9(fitted_model, model_file):
    loaded = StanceClassifier.load(model_file)
    assert np.abs(loaded.predict_proba(VARIED_TEXTS) - fitted_model.predict_proba(VARIED_TEXTS)).max() < 1e-9
    assert loaded.get_params() == fitted_model.get_params()
    assert loaded.classes_.tolist() == fitted_model.classes_.tolist()


def test_model_file_records_versions_and_creation_time(model_file):
    metadata = load_model_data(model_file).metadata
    assert metadata["versions"]["numpy"] == np.__version__
    assert metadata["created"].endswith("Z")


def test_model_file_holds_only_json_and_npy_members(model_file):
    names = zipfile.ZipFile(model_file).namelist()
    assert all(name.endswith((".json", ".txt", ".npy")) for name in names)
    assert "stanceclf.json" in names


def test_saving_over_an_existing_file_needs_force(fitted_model, tmp_path):
    path = tmp_path / "m.stance"
    path.write_bytes(b"precious")
    with pytest.raises(OutputExistsError, match="already exists"):
        fitted_model.save(path)
    assert path.read_bytes() == b"precious"
    fitted_model.save(path, force=True)
    assert StanceClassifier.load(path).classes_.tolist() == fitted_model.classes_.tolist()


def test_same_data_and_parameters_give_a_byte_identical_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    texts, labels, _ = zip(*STATEMENTS)
    StanceClassifier().fit(texts, labels).save(tmp_path / "a.stance")
    StanceClassifier().fit(texts, labels).save(tmp_path / "b.stance")
    assert (tmp_path / "a.stance").read_bytes() == (tmp_path / "b.stance").read_bytes()


def test_pickle_file_is_refused_and_its_payload_never_runs(tmp_path):
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    path = tmp_path / "evil.stance"
    path.write_bytes(pickle.dumps(Payload()))
    with pytest.raises(ModelFileError, match="not a stanceclf model file"):
        StanceClassifier.load(path)
    assert not marker.exists()


def _rewrite(source, target, change):
    """Copy a model file, letting ``change(name, payload)`` alter or drop members."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            payload = change(name, old.read(name))
            if payload is not None:
                new.writestr(name, payload)
    return target


def _npy(array) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _manifest_change(update):
    def change(name, payload):
        if name != "stanceclf.json":
            return payload
        manifest = json.loads(payload)
        update(manifest)
        return json.dumps(manifest)

    return change


@pytest.mark.parametrize(
    "change, message",
    [
        (_manifest_change(lambda m: m.update(format_version=3)), "newer stanceclf"),
        (_manifest_change(lambda m: m.update(format="other")), "not a stanceclf model file"),
        (_manifest_change(lambda m: m.update(classes=["a"])), "two or more distinct"),
        (_manifest_change(lambda m: m["blocks"][0].update(n_features=3)), "the manifest says 3"),
        (lambda n, p: _npy(np.zeros((2, 2))) if n == "arrays/coef.npy" else p, "coefficients have shape"),
        (lambda n, p: _npy(np.full(3, np.nan)) if n == "arrays/intercept.npy" else p, "NaN or infinite"),
        (lambda n, p: _npy(np.zeros(3, dtype=np.int32)) if n == "arrays/intercept.npy" else p, "expected float64"),
        (lambda n, p: _npy(np.array([1.0])) if n == "arrays/idf_word.npy" else p, "idf of 'word' has shape"),
        (lambda n, p: b"we\nwe" if n == "vocabulary/word.txt" else p, "lists a feature twice"),
        (lambda n, p: b"\xff" if n == "vocabulary/word.txt" else p, "not UTF-8"),
        (lambda n, p: None if n == "arrays/coef.npy" else p, "member 'arrays/coef.npy' is missing"),
        (lambda n, p: b"{" if n == "stanceclf.json" else p, "not valid JSON"),
        (_manifest_change(lambda m: m.update(calibration={"method": "temperature", "temperature": -1})), "outside"),
        (_manifest_change(lambda m: m.update(calibration={"method": "pickle"})), "calibration method"),
    ],
)
def test_damaged_or_inconsistent_file_is_refused_with_a_clear_message(model_file, tmp_path, change, message):
    path = _rewrite(model_file, tmp_path / "bad.stance", change)
    with pytest.raises(ModelFileError, match=message):
        StanceClassifier.load(path)


def test_object_array_is_refused_without_unpickling(model_file, tmp_path):
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    evil = io.BytesIO()
    np.save(evil, np.array([Payload()], dtype=object), allow_pickle=True)
    path = _rewrite(model_file, tmp_path / "bad.stance", lambda n, p: evil.getvalue() if n == "arrays/coef.npy" else p)
    with pytest.raises(ModelFileError, match="not a plain numeric array"):
        StanceClassifier.load(path)
    assert not marker.exists()


def test_truncated_file_is_refused(model_file, tmp_path):
    path = tmp_path / "cut.stance"
    path.write_bytes(model_file.read_bytes()[:200])
    with pytest.raises(ModelFileError):
        StanceClassifier.load(path)


def test_missing_model_file_is_named(tmp_path):
    with pytest.raises(ModelFileError, match="nothing.stance: no such model file"):
        StanceClassifier.load(tmp_path / "nothing.stance")


def test_a_file_without_calibration_loads_as_uncalibrated_and_saving_adds_no_field(model_file, fitted_model):
    assert load_model_data(model_file).calibration is None
    assert StanceClassifier.load(model_file).calibration_ is None
    assert "calibration" not in json.loads(zipfile.ZipFile(model_file).read("stanceclf.json"))


def test_a_calibration_with_a_temperature_at_its_bounds_round_trips(fitted_model, tmp_path):
    from stanceclf.calibration import MAX_TEMPERATURE, MIN_TEMPERATURE

    for temperature in (MIN_TEMPERATURE, MAX_TEMPERATURE):
        data = fitted_model.to_model_data()
        data.calibration = {"method": "temperature", "temperature": temperature}
        model = StanceClassifier.from_model_data(data)
        model.save(tmp_path / "t.stance", force=True)
        probabilities = StanceClassifier.load(tmp_path / "t.stance").predict_proba(VARIED_TEXTS)
        assert np.isfinite(probabilities).all()
        assert np.abs(probabilities - model.predict_proba(VARIED_TEXTS)).max() < 1e-9
