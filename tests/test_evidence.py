"""Evidence spans: the stretches of the original text behind a decision, as character offsets."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samples import STATEMENTS
from stanceclf import StanceClassifier
from stanceclf.evidence import evidence_spans, feature_units, mark_evidence, word_spans
from stanceclf.features import Analyzer
from stanceclf.inference import Predictor

TEXTS = [s[0] for s in STATEMENTS]
LABELS = [s[1] for s in STATEMENTS]


@pytest.fixture
def run():
    from click.testing import CliRunner

    from stanceclf.cli import main

    return lambda *args: CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def predictor(fitted_model):
    return Predictor(fitted_model.to_model_data())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80) | st.sampled_from(TEXTS))
def test_every_span_is_the_text_between_its_offsets(predictor, text):
    for span in predictor.evidence(text):
        assert text[span["start"] : span["end"]] == span["text"]
        assert span["label"] in predictor.model.classes and span["weight"] > 0


@pytest.mark.parametrize(
    "text", ["İstanbul DON’T want it.", "ẞtraße  and\tTABS\nhere", "We don't, won't, can't!", "ﬁne ﬂags"]
)
def test_word_offsets_survive_case_changes_apostrophes_and_white_space(text):
    spans = word_spans(text)
    tokens = [text[start:end] for start, end in spans]
    assert all(token.strip() == token and token for token in tokens)
    assert len(spans) == len(Analyzer("word")(text))


def test_a_character_ngram_credits_the_word_it_lies_in():
    occurrences = feature_units("We back it, truly.", Analyzer("char", (3, 3)))
    assert ("bac", (1,)) in occurrences and (",", ()) not in occurrences
    assert {units for _, units in occurrences} == {(0,), (1,), (2,), (3,)}  # "it," credits "it"


def test_a_word_ngram_credits_every_word_it_spans():
    occurrences = feature_units("we back the plan", Analyzer("word", (1, 2)))
    assert ("back the", (1, 2)) in occurrences and ("plan", (3,)) in occurrences


def test_neighbouring_words_pushing_one_label_merge_and_others_do_not():
    spans = [(0, 2), (3, 7), (8, 11), (12, 16)]
    pushes = [[1.0, -1.0], [1.0, -1.0], [-1.0, 1.0], [0.0, 0.0]]
    found = evidence_spans("we back the plan", spans, pushes, ["support", "oppose"])
    found = [(s["text"], s["label"], s["weight"]) for s in found]
    assert found == [("we back", "support", 2.0), ("the", "oppose", 1.0)]


def test_a_char_only_model_gives_whole_words_as_evidence():
    model = StanceClassifier(word_ngram_range=None, char_ngram_range=(2, 4)).fit(TEXTS, LABELS)
    text = "We strongly support the tram, really."
    boundaries = {edge for span in word_spans(text) for edge in span}
    evidence = Predictor(model.to_model_data()).evidence(text)
    assert evidence and all(s["start"] in boundaries and s["end"] in boundaries for s in evidence)


def test_the_strongest_evidence_is_the_word_a_reader_would_point_at():
    from stanceclf.inference import load_predictor
    from stanceclf.persist import default_model_path

    evidence = load_predictor(default_model_path()).evidence("I strongly oppose the new fuel tax.")
    strongest = max(evidence, key=lambda s: s["weight"])
    assert (strongest["text"], strongest["label"]) == ("oppose", "oppose")


def test_marked_text_brackets_each_span():
    assert mark_evidence("we back it", [{"start": 3, "end": 7}, {"start": 0, "end": 2}]) == "[we] [back] it"


def test_explain_output_carries_evidence_and_the_condition_clause(run):
    text = "We back the deployment only with a UN mandate."
    result = run("predict", "--explain", "--format", "jsonl", text)
    record = json.loads(result.output)
    assert record["label"] == "conditional"
    assert record["condition"] == {"start": 23, "end": 45, "text": "only with a UN mandate", "cue": "only with"}
    assert record["evidence"] and all(text[s["start"] : s["end"]] == s["text"] for s in record["evidence"])
    assert any("only" in s["text"] for s in record["evidence"] if s["label"] == "conditional")


def test_text_output_marks_the_evidence_in_the_statement(run):
    result = run("predict", "--explain", "I strongly oppose the new fuel tax.")
    evidence_line = next(line for line in result.output.splitlines() if line.startswith("  evidence: "))
    assert "[oppose]" in evidence_line and evidence_line.replace("[", "").replace("]", "").endswith(
        "I strongly oppose the new fuel tax."
    )


def test_the_predicted_label_keeps_its_strongest_words_when_others_push_harder():
    spans = [(0, 1), (2, 3), (4, 5)]
    pushes = [[0.0, 3.0], [0.5, -0.5], [0.1, -0.1]]  # "b" pushes support, far weaker than "a" oppose
    found = evidence_spans("a b c", spans, pushes, ["support", "oppose"], focus="support", max_spans=1)
    assert [(s["text"], s["label"]) for s in found] == [("b", "support")]
    assert [s["text"] for s in evidence_spans("a b c", spans, pushes, ["support", "oppose"])] == ["a"]
