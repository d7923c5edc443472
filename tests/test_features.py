"""What a statement is turned into: tokens, negation scopes, n-grams."""

from __future__ import annotations

import pickle

import pytest

from stanceclf.features import Analyzer, char_ngrams, ngrams, word_tokens


def test_negation_scope_runs_to_the_next_punctuation_mark():
    tokens = word_tokens("We will not send troops, but we pay.", negation=True)
    assert tokens == ["we", "will", "not", "NOT_send", "NOT_troops", "but", "we", "pay"]


@pytest.mark.parametrize("cue", ["never", "don't", "won't", "can\u2019t", "cannot", "without"])
def test_contractions_and_other_cues_open_a_negation_scope(cue):
    tokens = word_tokens(f"We {cue} back it.", negation=True)
    assert tokens[-2:] == ["NOT_back", "NOT_it"]


def test_without_negation_marking_tokens_are_plain():
    assert word_tokens("We will not send troops.", negation=False) == ["we", "will", "not", "send", "troops"]


def test_word_ngrams_join_neighbours_with_a_space():
    assert ngrams(["we", "back", "it"], (1, 2)) == ["we", "back", "it", "we back", "back it"]
    assert ngrams(["we", "back", "it"], (2, 3)) == ["we back", "back it", "we back it"]


def test_char_ngrams_stay_inside_padded_words():
    grams = char_ngrams("No plan", (2, 3))
    assert " n" in grams and "no " in grams and "pla" in grams
    assert "o p" not in grams  # never across a word boundary


def test_unicode_text_is_tokenised_not_dropped():
    assert word_tokens("Kyjiw begrüßt die Mission, Київ теж.") == ["kyjiw", "begrüßt", "die", "mission", "київ", "теж"]


def test_analyzer_settings_round_trip_and_pickle():
    analyzer = Analyzer("word", (1, 3), lowercase=False, negation=True)
    assert Analyzer.from_dict(analyzer.to_dict()) == analyzer
    assert pickle.loads(pickle.dumps(analyzer))("Not this") == analyzer("Not this")


@pytest.mark.parametrize("bad", [(0, 2), (3, 1), (1.5, 2)])
def test_analyzer_rejects_impossible_ngram_ranges(bad):
    with pytest.raises(ValueError, match="ngram_range"):
        Analyzer("word", bad)


def test_character_negation_marks_the_words_of_a_negation_scope():
    from stanceclf.features import char_ngrams

    grams = char_ngrams("We will not send troops, but we pay.", (4, 4), negation=True)
    assert "NOT_send" in grams and "NOT_roop" in grams  # inside the scope
    assert " pay" in grams and "NOT_ pay" not in grams  # the comma closed it
    assert " not" in grams  # the cue itself is not marked


def test_character_negation_leaves_statements_without_a_cue_unchanged():
    from stanceclf.features import char_ngrams

    text = "Madrid will send engineers, and Lisbon pays."
    assert char_ngrams(text, (2, 5), negation=True) == char_ngrams(text, (2, 5))
