"""Statement-target features: what they say about a pair, and that every path computes them alike."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest
from test_persist import VARIED_TEXTS

from samples import STATEMENTS
from stanceclf import ModelFileError, StanceClassifier
from stanceclf.errors import ParameterError
from stanceclf.inference import Predictor, load_predictor
from stanceclf.target_features import PairAnalyzer, stem

PAIRS = [(text, target) for text, _, target in STATEMENTS]
LABELS = [label for _, label, _ in STATEMENTS]
# the shared statements against their own target, another one, a target never seen, and no target words
ODD_PAIRS = (
    [(text, "library") for text in VARIED_TEXTS]
    + [(text, "tram line") for text in VARIED_TEXTS]
    + [(text, "the") for text in VARIED_TEXTS[:3]]
    + [("We back the new ferry, ferry fans rejoice.", "ferry"), ("Trams, trams, tram lines!", "Tram Lines")]
)
ALL_ON = {
    "overlap_exact": True,
    "overlap_stem": True,
    "overlap_char": True,
    "target_mention": True,
    "mention_window": 3,
}


@pytest.mark.parametrize(
    "word, same_as",
    [("vaccines", "vaccination"), ("vaccine", "vaccinate"), ("policies", "policy"), ("banned", "banning")],
)
def test_stemming_matches_the_forms_of_a_word(word, same_as):
    assert stem(word) == stem(same_as)


def test_stemming_keeps_short_words_whole():
    assert [stem(w) for w in ("is", "bus", "gas", "yes")] == ["is", "bus", "gas", "yes"]


@pytest.mark.parametrize(
    "pair, expected",
    [
        (("We back the tram line.", "tram line"), ["exact:all", "stem:all", "char:4", "mention:once"]),
        (("Trams and their lines.", "tram line"), ["exact:0", "stem:all", "char:2", "mention:once"]),
        (("The old tram.", "old tram line network map"), ["exact:low", "stem:low", "char:1", "mention:no"]),
        (("The library is overdue.", "tram line"), ["exact:0", "stem:0", "char:0", "mention:no"]),
        (("Tram line, tram line!", "tram line"), ["exact:all", "stem:all", "char:4", "mention:often"]),
        (("Remember 9/11.", "9/11"), ["exact:all", "stem:all", "char:4", "mention:once"]),
        (("Remember 9/12.", "9/11"), ["exact:high", "stem:high", "char:0", "mention:no"]),
    ],
)
def test_overlap_features_bin_how_much_of_the_target_the_statement_mentions(pair, expected):
    analyzer = PairAnalyzer("overlap", exact=True, stem=True, char=True, mention=True)
    assert analyzer(pair) == expected


def test_only_the_requested_overlap_features_are_given():
    assert PairAnalyzer("overlap", stem=True)(("We back the tram line.", "tram line")) == ["stem:all"]


def test_window_features_replace_the_target_with_a_placeholder_so_they_carry_over_to_new_targets():
    analyzer = PairAnalyzer("window", window=1)
    on_trams = analyzer(("They want to ban trams for good.", "tram"))
    on_ferries = analyzer(("They want to ban ferries for good.", "ferry"))
    assert on_trams == on_ferries == ["ban", "<T>", "for", "ban <T>", "<T> for"]


def test_a_statement_without_a_mention_or_a_target_has_no_pair_features():
    window = PairAnalyzer("window", window=5)
    overlap = PairAnalyzer("overlap", exact=True)
    assert window(("They want to ban trams.", "library")) == []
    assert window("They want to ban trams.") == overlap("They want to ban trams.") == []
    assert overlap(("They want to ban trams.", "")) == []


def test_the_default_model_has_no_pair_features():
    model = StanceClassifier().fit([text for text, _ in PAIRS], LABELS)
    assert [name for name, _ in model.vectorizers_] == ["word", "char"]


def test_pair_features_without_targets_are_refused():
    with pytest.raises(ParameterError, match="target_mode to 'paired'"):
        StanceClassifier(overlap_exact=True).fit(PAIRS, LABELS)


@pytest.mark.parametrize(
    "params",
    [
        {"target_mode": "paired", "overlap_exact": True},
        {"target_mode": "paired", "overlap_stem": True, "target_mention": True, "pair_weight": 2.5},
        {"target_mode": "paired", "overlap_char": True, "lowercase": False},
        {"target_mode": "paired", "mention_window": 2, "char_ngram_range": None},
        {"target_mode": "conjoined", **ALL_ON},
        {"target_mode": "per_target", **ALL_ON},
        {"target_mode": "paired", **ALL_ON, "n_buckets": 512},
    ],
)
def test_loaded_predictor_equals_the_estimator_with_pair_features_to_1e_9(tmp_path, params):
    model = StanceClassifier(**params).fit(PAIRS, LABELS)
    pairs = [pair for pair in ODD_PAIRS if params["target_mode"] != "per_target" or pair[1] in ("tram line", "library")]
    path = model.save(tmp_path / "m.stance")
    batch = pairs * (1 + 40 // len(pairs))  # over 16 statements: the Predictor's batch path (n-gram tables)
    for predictor in (Predictor(model.to_model_data()), load_predictor(path)):
        for texts in (pairs, batch):
            assert np.abs(predictor.predict_proba(texts) - model.predict_proba(texts)).max() < 1e-9
            assert predictor.predict(texts).tolist() == model.predict(texts).tolist()
    reloaded = StanceClassifier.load(path)
    assert np.abs(reloaded.predict_proba(pairs) - model.predict_proba(pairs)).max() < 1e-9


def test_overlap_features_tell_a_statement_about_the_target_from_one_about_another():
    # "none" pairs a statement with another statement's target: only the overlap can tell them apart
    texts = [text for text, _ in PAIRS]
    other = {"tram line": "library", "library": "tram line"}
    X = PAIRS + [(text, other.get(target, "tram line")) for text, target in PAIRS]
    y = ["about"] * len(PAIRS) + ["none"] * len(PAIRS)
    plain = StanceClassifier(target_mode="paired").fit(X, y)
    paired = StanceClassifier(target_mode="paired", overlap_stem=True, target_mention=True).fit(X, y)
    new = [("The ferry should sail at night.", "ferry"), ("The ferry should sail at night.", "cycle lane")]
    assert plain.predict(new).tolist()[0] == plain.predict(new).tolist()[1]  # the text alone cannot tell
    assert paired.predict(new).tolist() == ["about", "none"]
    assert len(texts) == len(PAIRS)


def test_a_model_file_with_damaged_pair_settings_is_refused(tmp_path):
    path = StanceClassifier(target_mode="paired", mention_window=2).fit(PAIRS, LABELS).save(tmp_path / "m.stance")
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members["stanceclf.json"])
    manifest["blocks"][-1]["analyzer"]["window"] = -4
    members["stanceclf.json"] = json.dumps(manifest).encode()
    bad = tmp_path / "bad.stance"
    with zipfile.ZipFile(bad, "w") as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    with pytest.raises(ModelFileError, match="feature block 'window' has an invalid window -4"):
        load_predictor(bad)


def test_a_paired_model_takes_new_targets_without_a_warning(tmp_path):
    from click.testing import CliRunner

    from stanceclf.cli import main

    data = tmp_path / "d.csv"
    rows = "".join(f'"{text}",{label},{target}\n' for text, label, target in STATEMENTS)
    data.write_text("text,label,target\n" + rows, encoding="utf-8")
    model = tmp_path / "m.stance"
    options = ["--target-mode", "paired", "--overlap-stem"]
    trained = CliRunner().invoke(main, ["train", str(data), "-o", str(model), *options])
    assert trained.exit_code == 0, trained.output
    result = CliRunner().invoke(main, ["predict", "We back the ferry.", "--model", str(model), "--target", "ferry"])
    assert result.exit_code == 0 and "warning" not in result.output, result.output
