"""The parameter table: one bad value per parameter is refused by fit, whatever the solver, and
every value fit accepts survives saving, loading and the command line."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

from stanceclf import StanceClassifier
from stanceclf.errors import ModelFileError, ParameterError
from stanceclf.model import SGD_FROM
from stanceclf.params import MAX_BLOCK_WEIGHT, MAX_BUCKETS, MAX_NGRAM, MAX_WINDOW, PARAMETER_CONSTRAINTS, check_params

TEXTS = [
    "We back the plan.",
    "We reject the plan.",
    "Only if it is funded.",
    "A good plan, we support it.",
    "A reckless plan, scrap it.",
    "Provided it is funded, yes.",
]
LABELS = ["support", "oppose", "conditional"] * 2

# One value per parameter that used to train silently, or to fail only later (on load, past the
# sgd switch at 50,000 rows, or only from the command line).
BAD_VALUES = {
    "word_ngram_range": (1, MAX_NGRAM + 1),  # trained, then the file would not load
    "char_ngram_range": (0, 3),
    "negation": "yes",
    "char_negation": 1,
    "lowercase": "no",
    "sublinear_tf": None,
    "min_df": 0.5,  # a proportion in scikit-learn, silently a count here before
    "max_features": 0,
    "n_buckets": MAX_BUCKETS + 1,
    "C": 0,  # ZeroDivisionError with sgd before
    "class_weight": {"support": 2},  # worked below 50,000 rows, failed above
    "max_iter": 0,
    "solver": "newton",
    "epochs": 0,  # ignored by lbfgs, refused by sgd before
    "random_state": -1,
    "target_mode": "both",
    "target_weight": -1,
    "topic_shrinkage": float("nan"),
    "overlap_exact": "yes",
    "overlap_stem": 1,
    "overlap_char": None,
    "target_mention": "true",
    "mention_window": MAX_WINDOW + 1,
    "pair_weight": 0,
}


def test_every_parameter_has_a_row_in_the_table_and_a_bad_value_here():
    assert set(PARAMETER_CONSTRAINTS) == set(StanceClassifier().get_params()) == set(BAD_VALUES)


def test_every_default_is_allowed():
    check_params(StanceClassifier().get_params())


@pytest.mark.parametrize("solver", ["lbfgs", "sgd", "auto"])
@pytest.mark.parametrize("name", sorted(BAD_VALUES))
def test_fit_refuses_a_bad_value_naming_parameter_value_and_what_is_allowed(name, solver):
    params = {"solver": solver, name: BAD_VALUES[name]}
    with pytest.raises(ParameterError) as caught:
        StanceClassifier(**params).fit(TEXTS, LABELS)
    message = str(caught.value)
    assert f"parameter {name} must be" in message
    assert f"got {BAD_VALUES[name]!r}" in message


def test_parameters_are_checked_before_the_data(monkeypatch):
    # checked first: a bad class_weight is refused even where auto would switch to sgd
    import stanceclf.model

    monkeypatch.setattr(stanceclf.model, "SGD_FROM", 3)
    with pytest.raises(ParameterError, match="class_weight"):
        StanceClassifier(class_weight={"support": 2}).fit(TEXTS, LABELS)
    assert SGD_FROM == 50_000


@pytest.mark.parametrize(
    "params",
    [
        {"word_ngram_range": (1, MAX_NGRAM), "char_ngram_range": (1, MAX_NGRAM)},
        {"C": 1e-6, "solver": "sgd", "epochs": 1, "class_weight": None},
        {"target_mode": "conjoined", "target_weight": MAX_BLOCK_WEIGHT},
        {"n_buckets": 1, "random_state": 2**32 - 1, "solver": "sgd"},
        {"min_df": np.int64(2), "max_features": 3, "negation": np.bool_(False), "C": np.float32(0.5)},
        {"topic_shrinkage": 5.0, "lowercase": False, "sublinear_tf": False},
        {"target_mode": "paired", "overlap_exact": True, "mention_window": MAX_WINDOW, "pair_weight": MAX_BLOCK_WEIGHT},
        {"target_mode": "per_target", "overlap_stem": True, "overlap_char": True, "target_mention": True},
    ],
)
def test_values_fit_accepts_save_and_load(tmp_path, params):
    pairs = params.get("target_mode", "none") != "none" or params.get("topic_shrinkage")
    X = [(text, "plan" if i % 2 else "tram") for i, text in enumerate(TEXTS)] if pairs else TEXTS
    model = StanceClassifier(**params).fit(X, LABELS)
    path = model.save(tmp_path / "m.stance")
    loaded = StanceClassifier.load(path)
    assert loaded.predict(X).tolist() == model.predict(X).tolist()


def test_a_model_file_with_parameters_fit_would_refuse_is_damaged(tmp_path):
    path = StanceClassifier().fit(TEXTS, LABELS).save(tmp_path / "m.stance")
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members["stanceclf.json"])
    manifest["params"]["min_df"] = 0.5
    members["stanceclf.json"] = json.dumps(manifest).encode()
    bad = tmp_path / "bad.stance"
    with zipfile.ZipFile(bad, "w") as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    with pytest.raises(ModelFileError, match="damaged model file: .*parameter min_df must be"):
        StanceClassifier.load(bad)


@pytest.mark.parametrize(
    "option, value",
    [
        ("--word-ngrams", "1-17"),
        ("--C", "0"),
        ("--epochs", "0"),
        ("--target-weight", "-1"),
        ("--seed", "-1"),
        ("--buckets", str(MAX_BUCKETS + 1)),
        ("--solver", "newton"),
    ],
)
def test_the_command_line_refuses_what_the_table_refuses(tmp_path, option, value):
    from click.testing import CliRunner

    from stanceclf.cli import main

    data = tmp_path / "d.csv"
    data.write_text("text,label\n" + "".join(f'"{t}",{y}\n' for t, y in zip(TEXTS, LABELS)), encoding="utf-8")
    result = CliRunner().invoke(main, ["train", str(data), "-o", str(tmp_path / "m.stance"), option, value])
    assert result.exit_code == 2, result.output
    assert option in result.output and not (tmp_path / "m.stance").exists()


def test_the_command_lines_model_options_default_to_the_estimators_defaults():
    from stanceclf.cli import train
    from stanceclf.cli_options import MODEL_OPTIONS, params_from_options

    context = train.make_context("train", ["data.csv", "-o", "m.stance"])
    params = params_from_options(**{name: context.params[name] for _, name, _, _ in MODEL_OPTIONS})
    defaults = StanceClassifier().get_params()
    assert params == {name: defaults[name] for name in params}
