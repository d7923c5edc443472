"""Text to features: the tokens and n-grams a statement is described by.

Pure Python (``re`` only), so that the numpy-only prediction path and the scikit-learn training
path share one definition of what a feature is. The TF-IDF weighting itself is done by
scikit-learn when training (:mod:`stanceclf.model`) and by numpy when predicting
(:mod:`stanceclf.inference`).
"""

from __future__ import annotations

import re
import zlib

# Words (letters and digits, with inner apostrophes as in "don't") and the punctuation marks
# that end a negation scope.
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[.,:;!?]")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_SCOPE_END = frozenset(".,:;!?")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
NEGATION_CUES = frozenset(
    {"not", "no", "never", "cannot", "nor", "neither", "nobody", "nothing", "none", "nowhere", "without"}
)
NEGATION_PREFIX = "NOT_"


def ascii_apostrophes(text: str) -> str:
    """``text`` with typographic apostrophes (’, ‘, ʼ) as "'"."""
    if text.isascii():
        return text
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")  # faster than translate


def is_negation_cue(token: str) -> bool:
    """True for "not", "never", "without" ... and for contractions such as "don't" or "won't"."""
    return token in NEGATION_CUES or token.endswith("n't")


def word_tokens(text: str, *, lowercase: bool = True, negation: bool = False) -> list[str]:
    """Split a statement into word tokens, optionally marking the scope of a negation.

    With ``negation=True`` every token after a negation cue, up to the next punctuation mark,
    gets the prefix ``NOT_``: in "we will not send troops, but we pay", "send" and "troops"
    become "NOT_send" and "NOT_troops" while "pay" stays as it is.
    """
    if lowercase:
        text = text.lower()
    if not text.isascii():  # typographic apostrophes become "'"; ASCII text has none
        text = text.translate(_APOSTROPHES)
    words = _WORD.findall(text)
    if not negation or ("n't" not in text and NEGATION_CUES.isdisjoint(words)):
        return words  # nothing to mark: most statements, and the fast path
    tokens = []
    in_scope = False
    for token in _TOKEN.findall(text):
        if token in _SCOPE_END:
            in_scope = False
            continue
        tokens.append(NEGATION_PREFIX + token if in_scope else token)
        if is_negation_cue(token):
            in_scope = True
    return tokens


def ngrams(tokens: list[str], ngram_range: tuple[int, int]) -> list[str]:
    """All n-grams of ``tokens`` for n in ``ngram_range`` (inclusive), joined by a space."""
    low, high = ngram_range
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        shifted = (tokens, tokens[1:]) if n == 2 else (tokens[i:] for i in range(n))
        grams.extend(map(" ".join, zip(*shifted)))
    return grams


# Marks a word inside a negation scope in the character block; white space cannot occur inside
# a whitespace-separated word, so the mark cannot clash with text.
_NEGATED_WORD = "\t"


def char_words(text: str, *, lowercase: bool = True, negation: bool = False) -> list[str]:
    """The whitespace-separated words character n-grams are cut from.

    With ``negation``, the words after a negation cue up to the next punctuation mark (the
    word carrying it included) come back marked, and their n-grams get the ``NOT_`` prefix
    (:func:`word_char_ngrams`): the scope rule of :func:`word_tokens`, so that "will not send
    troops" does not teach "send" and "troops" the label of a refusal.
    """
    if lowercase:
        text = text.lower()
    words = (text if text.isascii() else text.translate(_APOSTROPHES)).split()
    if not negation or ("n't" not in text and NEGATION_CUES.isdisjoint(_WORD.findall(text))):
        return words
    marked, in_scope = [], False
    for word in words:
        marked.append(_NEGATED_WORD + word if in_scope else word)
        tokens = _WORD.findall(word.lower())
        if any(mark in word for mark in _SCOPE_END):
            in_scope = False
            # a cue before the mark ("not.") opens nothing; one after it ("end.never") does
            after = re.split(r"[.,:;!?]", word.lower())[-1]
            in_scope = any(is_negation_cue(t) for t in _WORD.findall(after))
        elif any(is_negation_cue(t) for t in tokens):
            in_scope = True
    return marked


def word_char_ngrams(word: str, ngram_range: tuple[int, int]) -> list[str]:
    """Character n-grams of one word padded with a space on both sides: "plan" gives " p" ... "n "."""
    if word.startswith(_NEGATED_WORD):
        return [NEGATION_PREFIX + gram for gram in word_char_ngrams(word[1:], ngram_range)]
    padded = f" {word} "
    length = len(padded)
    low, high = ngram_range
    grams: list[str] = []
    for n in range(low, min(high, length) + 1):
        grams.extend(padded[i : i + n] for i in range(length - n + 1))
    return grams


def char_ngrams(
    text: str, ngram_range: tuple[int, int], *, lowercase: bool = True, negation: bool = False
) -> list[str]:
    """Character n-grams inside word boundaries, each word padded with a space on both sides.

    The same idea as scikit-learn's ``analyzer="char_wb"``: "plan" gives " p", "pl", ... "n ".
    With ``negation``, the n-grams of words in a negation scope carry the ``NOT_`` prefix.
    """
    grams = []
    for word in char_words(text, lowercase=lowercase, negation=negation):
        grams.extend(word_char_ngrams(word, ngram_range))
    return grams


def feature_bucket(feature: str, n_buckets: int) -> int:
    """The column of ``feature`` in a hashed block: CRC-32 of its UTF-8 bytes modulo ``n_buckets``.

    CRC-32 is in the standard library, fast, and the same on every platform and Python, so a
    hashed model gives the same columns wherever it is loaded.
    """
    return zlib.crc32(feature.encode("utf-8", "surrogatepass")) % n_buckets


class BucketCache(dict):
    """feature -> bucket, computing each distinct feature's bucket once (cleared when full)."""

    def __init__(self, n_buckets: int, limit: int = 1_000_000):
        super().__init__()
        self.n_buckets = n_buckets
        self.limit = limit

    def __missing__(self, feature: str) -> int:
        if len(self) >= self.limit:
            self.clear()
        bucket = self[feature] = feature_bucket(feature, self.n_buckets)
        return bucket


def split_document(document) -> tuple[str, str]:
    """A document is a statement, or a ``(statement, target)`` pair; return both parts."""
    if isinstance(document, str):
        return document, ""
    text, target = document
    return text, target


TARGET_SEPARATOR = " @ "  # between a target and a feature conjoined with it


class Analyzer:
    """A picklable callable turning one document into its list of features.

    Parameters
    ----------
    kind : {"word", "char", "target"}
        Word n-grams (with optional negation marking), character n-grams within words, or the
        document's target alone (a per-target bias feature).
    ngram_range : tuple of int
        Smallest and largest n, inclusive (ignored for ``"target"``).
    lowercase : bool
    negation : bool
        Mark negation scopes: ``NOT_`` before the words (word block) or the character n-grams
        of the words (character block) between a negation cue and the next punctuation mark.
    conjoin : bool
        Prefix every feature with the document's target (``"climate @ not_support"``), so that
        a feature's weight can differ from target to target.
    """

    def __init__(
        self,
        kind: str,
        ngram_range: tuple[int, int] = (1, 1),
        lowercase: bool = True,
        negation: bool = False,
        conjoin: bool = False,
    ):
        if kind not in ("word", "char", "target"):
            raise ValueError(f"unknown analyzer kind {kind!r} (use 'word', 'char' or 'target')")
        low, high = ngram_range
        if not (isinstance(low, int) and isinstance(high, int) and 1 <= low <= high):
            raise ValueError(f"ngram_range must be two integers 1 <= low <= high, got {ngram_range!r}")
        self.kind = kind
        self.ngram_range = (low, high)
        self.lowercase = lowercase
        self.negation = negation
        self.conjoin = conjoin

    def __call__(self, document) -> list[str]:
        text, target = split_document(document)
        if self.kind == "target":
            return [target] if target else []
        if self.kind == "word":
            features = ngrams(word_tokens(text, lowercase=self.lowercase, negation=self.negation), self.ngram_range)
        else:
            features = char_ngrams(text, self.ngram_range, lowercase=self.lowercase, negation=self.negation)
        if self.conjoin:
            if not target:
                return []
            prefix = target + TARGET_SEPARATOR
            return [prefix + feature for feature in features]
        return features

    def to_dict(self) -> dict:
        """The analyzer's settings as plain data (for the model file)."""
        return {
            "kind": self.kind,
            "ngram_range": list(self.ngram_range),
            "lowercase": self.lowercase,
            "negation": self.negation,
            "conjoin": self.conjoin,
        }

    @classmethod
    def from_dict(cls, settings: dict) -> Analyzer:
        """Rebuild an analyzer from :meth:`to_dict` output."""
        return cls(
            settings["kind"],
            tuple(settings["ngram_range"]),
            lowercase=settings["lowercase"],
            negation=settings["negation"],
            conjoin=settings["conjoin"],
        )

    def __eq__(self, other) -> bool:
        return isinstance(other, Analyzer) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((self.kind, self.ngram_range, self.lowercase, self.negation, self.conjoin))

    def __repr__(self) -> str:
        return (
            f"Analyzer({self.kind!r}, {self.ngram_range!r}, lowercase={self.lowercase}, "
            f"negation={self.negation}, conjoin={self.conjoin})"
        )
