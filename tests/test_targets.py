"""Target-aware models: per-target and conjoined features, end to end."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from conftest import write_csv
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


@pytest.mark.parametrize("mode", ["conjoined", "per_target"])
def test_target_aware_numpy_path_matches_scikit_learn(mode):
    clf = StanceClassifier(target_mode=mode).fit(PAIRS, LABELS)
    docs = PAIRS + [("Unseen words entirely", "smoking ban"), ("ban", "a target never seen"), ("", "")]
    difference = Predictor(clf.to_model_data()).predict_proba(docs) - clf.predict_proba(docs)
    assert np.abs(difference).max() < 1e-9


def test_target_mode_needs_pairs():
    with pytest.raises(ValueError, match="needs every item of X to be a"):
        StanceClassifier(target_mode="per_target").fit([text for text, _ in PAIRS], LABELS)


def test_cli_trains_and_predicts_with_targets(tmp_path):
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
