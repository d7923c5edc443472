"""Corpus checks: the bundled corpus passes, and each kind of problem is caught."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from stanceclf.cli import main
from stanceclf.data import load_dataset
from stanceclf.quality import audit_labels, check_corpus

BUNDLED = Path(__file__).resolve().parent.parent / "datasets" / "stance.csv"


def test_bundled_corpus_passes_the_check_with_the_promised_counts():
    report = check_corpus(BUNDLED)
    assert report.errors == []
    assert report.rows >= 2083 + 2500
    assert all(report.label_counts[label] >= 450 for label in ("support", "oppose", "conditional"))
    assert report.label_counts["none"] >= 800
    assert len(report.target_counts) >= 46 + 20
    assert max(report.target_counts.values()) <= 0.08 * report.rows
    assert 0.2 <= report.split_counts["test"] / report.rows <= 0.3
    assert min(report.lengths) >= 4 and max(report.lengths) <= 60  # headlines are short
    assert not [warning for warning in report.warnings if "stance rows" in warning]  # every target balanced


def test_bundled_corpus_cue_words_appear_under_every_label():
    data = load_dataset(BUNDLED)
    for cue in ("if", "only", "not", "never"):
        labels = {y for t, y in zip(data.texts, data.labels) if cue in t.lower().replace(",", " ").split()}
        assert {"support", "oppose", "conditional"} <= labels, cue


def test_data_check_command_passes_on_the_bundled_corpus():
    result = CliRunner().invoke(main, ["data", "check", str(BUNDLED)])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("OK")


@pytest.mark.parametrize(
    "rows, fragment",
    [
        ([("1", "We back it fully and loudly.", "maybe", "t", "train")], "label 'maybe' is not one of"),
        (
            [
                ("1", "We back it fully and loudly.", "support", "t", "train"),
                ("2", "We back it  fully and loudly.", "oppose", "t", "train"),
            ],
            "same text as line 2",
        ),
        (
            [
                ("1", "We back it fully and loudly.", "support", "t", "train"),
                ("1", "We reject it fully and loudly.", "oppose", "t", "train"),
            ],
            "id '1' already used",
        ),
        (
            [
                ("1", "We back it fully and loudly.", "support", "t", "train"),
                ("2", "We reject it fully and loudly.", "oppose", "t", "test"),
            ],
            "target 't' appears in more than one split",
        ),
        (
            [
                ("1", "We back it fully and loudly.", "support", "a", "train"),
                ("2", "We reject it fully and loudly.", "oppose", "b", "test"),
            ],
            "split 'test' has no statement labelled support",
        ),
        ([("1", "   ", "support", "t", "train")], "empty text"),
    ],
)
def test_check_reports_each_error(tmp_path, rows, fragment, write_csv):
    path = write_csv(tmp_path / "c.csv", rows, header=("id", "text", "label", "target", "split"))
    report = check_corpus(path)
    assert not report.ok
    assert any(fragment in error for error in report.errors), report.errors
    result = CliRunner().invoke(main, ["data", "check", str(path)])
    assert result.exit_code == 2


def test_check_warns_about_exact_and_near_duplicates(tmp_path, write_csv):
    rows = [
        ("We will back the new tram line through the old town tomorrow.", "support"),
        ("We will back the new tram line through the old town tomorrow.", "support"),
        ("Honestly, we will back the new tram line through the old town, grudgingly.", "support"),
        ("No tram, ever, under any mayor.", "oppose"),
    ]
    report = check_corpus(write_csv(tmp_path / "d.csv", rows, header=("text", "label")))
    assert report.ok
    assert any("exact duplicate of line 2" in w for w in report.warnings)
    assert any("near duplicate of line 2" in w for w in report.warnings)


@pytest.mark.slow
def test_audit_ranks_deliberately_flipped_labels_near_the_top(tmp_path, write_csv):
    data = load_dataset(BUNDLED, split="train")
    flip = {"support": "oppose", "oppose": "support", "conditional": "support"}
    rows = list(zip(data.texts, data.labels))[:600]
    flipped = set(range(0, 600, 60))  # ten rows, spread over the targets
    rows = [(text, flip[label] if i in flipped else label) for i, (text, label) in enumerate(rows)]
    noisy = load_dataset(write_csv(tmp_path / "noisy.csv", rows, header=("text", "label")))
    ranked = audit_labels(noisy, {"char_ngram_range": None}, folds=5)
    assert len(ranked) == 600
    assert [r.given_proba for r in ranked] == sorted(r.given_proba for r in ranked)
    top_lines = {row.line for row in ranked[:60]}  # the top tenth of the ranking
    found = sum(i + 2 in top_lines for i in flipped)
    # by chance one would be expected there; four or more happens by chance with p < 0.013
    assert found >= 4, f"only {found} of 10 flipped labels in the top 60"
