"""Tweet normalisation: an optional preprocessing step for tweet benchmarks.

SemEval-2016 Task 6 tweets all end with the collection tag ``#SemST`` and carry their stance
in hashtags written in camel case (``#HillaryForPrison``), which the word tokenizer reads as
one opaque word. :func:`normalise_tweet` drops collection tags and appends the words of each
hashtag beside it, so that ``#StopHillary`` also gives "stop" and "hillary". It is applied to
the statements before training and before predicting (the model file does not apply it):
``experiments/semeval2016.py`` and ``experiments/tweeteval.py`` try it as a candidate chosen,
or not, by cross-validation.

Pure Python (``re`` only).

Examples
--------
>>> normalise_tweet("Vote #HillaryForPresident2016 now! #SemST")
'Vote #HillaryForPresident2016 (Hillary For President 2016) now!'
>>> normalise_tweet("@user says so https://t.co/x #SemST", mask_mentions=True, mask_urls=True)
'@user says so http'
"""

from __future__ import annotations

import re

COLLECTION_TAGS = ("SemST",)  # added to every tweet by the SemEval-2016 organisers
_HASHTAG = re.compile(r"#(\w+)")
_MENTION = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+")
# a boundary before an upper-case letter that follows a lower-case one ("StopHillary"), before
# the last capital of an acronym followed by lower case ("NRAMembers"), and between letters and digits
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")


def split_hashtag(tag: str) -> list[str]:
    """The words of a camel-case hashtag (without its ``#``).

    >>> split_hashtag("NRAMembersForGunSafety")
    ['NRA', 'Members', 'For', 'Gun', 'Safety']
    >>> split_hashtag("feminism")
    ['feminism']
    """
    return [word for part in tag.split("_") for word in _CAMEL.split(part) if word]


def normalise_tweet(
    text: str,
    *,
    split_hashtags: bool = True,
    drop_tags: tuple[str, ...] = COLLECTION_TAGS,
    mask_mentions: bool = False,
    mask_urls: bool = False,
) -> str:
    """A tweet prepared for TF-IDF features.

    Parameters
    ----------
    text : str
    split_hashtags : bool, default True
        After every hashtag of several words, add its words in parentheses (the hashtag stays).
    drop_tags : tuple of str, default ("SemST",)
        Hashtags removed entirely (case-insensitive), such as a collection tag on every tweet.
    mask_mentions : bool, default False
        Replace ``@name`` by ``@user`` (TweetEval's packaging already does this).
    mask_urls : bool, default False
        Replace links by ``http``.

    Returns
    -------
    str
        The tweet with single spaces between words.
    """
    dropped = {tag.lower() for tag in drop_tags}

    def hashtag(match: re.Match) -> str:
        tag = match.group(1)
        if tag.lower() in dropped:
            return ""
        words = split_hashtag(tag) if split_hashtags else [tag]
        return match.group(0) if len(words) < 2 else f"{match.group(0)} ({' '.join(words)})"

    if mask_urls:
        text = _URL.sub("http", text)
    if mask_mentions:
        text = _MENTION.sub("@user", text)
    return " ".join(_HASHTAG.sub(hashtag, text).split())
