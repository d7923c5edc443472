"""Tweet normalisation for the tweet benchmarks."""

from __future__ import annotations

import pytest

from stanceclf.tweets import normalise_tweet, split_hashtag


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("StopHillary2016", ["Stop", "Hillary", "2016"]),
        ("NRAMembers", ["NRA", "Members"]),
        ("climate_change", ["climate", "change"]),
        ("feminism", ["feminism"]),
        ("ALLCAPS", ["ALLCAPS"]),
    ],
)
def test_camel_case_hashtags_split_into_their_words(tag, words):
    assert split_hashtag(tag) == words


def test_collection_tag_goes_and_multiword_hashtags_keep_their_tag_beside_the_words():
    assert normalise_tweet("#SemST Ban it #ProLife #semst") == "Ban it #ProLife (Pro Life)"


def test_single_word_hashtags_mentions_and_links_stay_unless_asked():
    text = "@HillaryClinton see http://t.co/ab #vote"
    assert normalise_tweet(text) == text
    assert normalise_tweet(text, mask_mentions=True, mask_urls=True) == "@user see http #vote"


def test_splitting_can_be_switched_off():
    assert normalise_tweet("#StopHillary now #SemST", split_hashtags=False) == "#StopHillary now"
