"""Target-aware models: per-target and conjoined features, end to end."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from stanceclf import StanceClassifier
from stanceclf.cli import main
from stanceclf.inference import Predictor

# The same words lean opposite ways for two targets: "ban" is support for the smoking ban and
# opposition for the festival.
ROWS = [
    ("Ban it now, finally.", "support", "smoking ban"),
    ("A ban is overdue.", "support", "smoking ban"),
    ("We want the ban.", "support", "smoking ban"),
    ("Let people smoke where they like.", "oppose", "smoking ban"),
    ("Freedom to smoke, no ban.", "oppose", "smoking ban"),
    ("Leave smokers alone.", "oppose", "smoking ban"),
    ("Ban it now, finally.", "oppose", "music festival"),
    ("A ban is overdue.", "oppose", "music festival"),
    ("We want the ban.", "oppose", "music festival"),
    ("Let people dance where they like.", "support", "music festival"),
    ("Freedom to dance, no ban.", "support", "music festival"),
    ("Leave dancers alone.", "support", "music festival"),
]
PAIRS = [(text, target) for text, _, target in ROWS]
LABELS = [label for _, label, _ in ROWS]


@pytest.mark.parametrize("mode", ["conjoined", "per_target"])
def test_target_aware_model_learns_opposite_meanings_per_target(mode):
    clf = StanceClassifier(target_mode=mode, target_weight=2.0, C=100).fit(PAIRS, LABELS)
    assert clf.predict([("We want the ban.", "smoking ban"), ("We want the ban.", "music festival")]).tolist() == [
        "support",
        "oppose",
    ]


@pytest.mark.filterwarnings("ignore:targets never seen")
@pytest.mark.parametrize("mode", ["conjoined", "per_target"])
def test_target_aware_numpy_path_matches_scikit_learn(mode):
    clf = StanceClassifier(target_mode=mode).fit(PAIRS, LABELS)
    docs = PAIRS + [("Unseen words entirely", "smoking ban"), ("ban", "a target never seen"), ("", "")]
    difference = Predictor(clf.to_model_data()).predict_proba(docs) - clf.predict_proba(docs)
    assert np.abs(difference).max() < 1e-9


def test_target_mode_needs_pairs():
    with pytest.raises(ValueError, match="needs every item of X to be a"):
        StanceClassifier(target_mode="per_target").fit([text for text, _ in PAIRS], LABELS)


def test_cli_trains_and_predicts_with_targets(tmp_path, write_csv):
    data = write_csv(tmp_path / "t.csv", ROWS)
    model = tmp_path / "t.stance"
    runner = CliRunner()
    result = runner.invoke(main, ["train", str(data), "-o", str(model), "--target-mode", "per_target", "-C", "100"])
    assert result.exit_code == 0, result.output
    missing = runner.invoke(main, ["predict", "--model", str(model), "We want the ban."])
    assert missing.exit_code == 2 and "--target" in missing.output
    result = runner.invoke(main, ["predict", "--model", str(model), "--target", "music festival", "We want the ban."])
    assert result.output.strip() == "oppose"
    result = runner.invoke(main, ["evaluate", str(data), "--model", str(model), "--format", "json"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def target_models(tmp_path_factory, write_csv):
    folder = tmp_path_factory.mktemp("targets")
    data = write_csv(folder / "t.csv", ROWS)
    models = {}
    for mode in ("conjoined", "per_target"):
        models[mode] = folder / f"{mode}.stance"
        result = CliRunner().invoke(
            main, ["train", str(data), "-o", str(models[mode]), "--target-mode", mode, "-C", "100"]
        )
        assert result.exit_code == 0, result.output
    return data, models


@pytest.mark.parametrize("mode", ["conjoined", "per_target"])
def test_a_target_aware_model_without_a_target_exits_2_on_the_quick_path_too(target_models, mode, capsys):
    from stanceclf.launcher import main as launcher_main

    with pytest.raises(SystemExit) as exited:
        launcher_main(["predict", "--model", str(target_models[1][mode]), "We want the ban."])
    assert exited.value.code == 2
    assert "--target" in capsys.readouterr().err


def test_a_target_the_conjoined_model_never_saw_is_warned_about_with_the_known_ones(target_models):
    model = target_models[1]["conjoined"]
    result = CliRunner().invoke(main, ["predict", "--model", str(model), "--target", "Music festival", "We want it."])
    assert result.exit_code == 0
    assert "never seen in training" in result.stderr
    assert "'music festival', 'smoking ban'" in result.stderr and "did you mean 'music festival'?" in result.stderr
    assert result.stdout.strip() in ("support", "oppose")


def test_a_target_given_to_a_model_that_ignores_targets_is_warned_about(model_file):
    result = CliRunner().invoke(main, ["predict", "--model", str(model_file), "--target", "tram", "We back it."])
    assert result.exit_code == 0
    assert "this model ignores targets" in result.stderr and "--target is not used" in result.stderr


def test_info_lists_the_known_targets(target_models, model_file):
    result = CliRunner().invoke(main, ["info", "--model", str(target_models[1]["per_target"])])
    assert "targets     per_target; 2 known: music festival, smoking ban" in result.output
    assert "targets     ignored" in CliRunner().invoke(main, ["info", "--model", str(model_file)]).output


def test_a_per_target_model_refuses_targets_it_never_saw(target_models, tmp_path, write_csv):
    data, models = target_models
    model = str(models["per_target"])
    result = CliRunner().invoke(main, ["predict", "--model", model, "--target", "new tax", "We want it."])
    assert result.exit_code == 2 and "'new tax' was never seen in training" in result.output
    new = write_csv(
        tmp_path / "new.csv", [("We want the ban.", "support", "smoking ban"), ("Tax it.", "oppose", "tax")]
    )
    result = CliRunner().invoke(main, ["evaluate", str(new), "--model", model])
    assert result.exit_code == 2 and "1 statements are about 1 targets this per_target model never saw" in result.output
    result = CliRunner().invoke(main, ["predict", "--model", model, "--input", str(new), "--target-column", "target"])
    assert result.exit_code == 2 and "new.csv:3: target 'tax' was never seen" in result.output
    clf = StanceClassifier(target_mode="per_target").fit(PAIRS, LABELS)
    with pytest.warns(UserWarning, match="targets never seen in training: 'tax'"):
        clf.predict([("Tax it.", "tax")])
