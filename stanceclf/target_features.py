"""Features of a statement and its target together: does the statement talk about the target?

Conjoined features (``target_mode="conjoined"``) let a word lean differently per *known*
target; they cannot help with a target never seen in training, nor tell a statement about the
target from one about something else. The analyzers here look at both texts at once:

``overlap`` (parameters ``overlap_exact``, ``overlap_stem``, ``overlap_char``, ``target_mention``)
    How much of the target's content words occur in the statement, as exact words, as stems
    (a tiny suffix stripper, :func:`stem`) and as character 4-grams; and whether the whole
    target phrase is mentioned (once, or more often). Each comes as one binned indicator
    feature ("exact:all", "char:1", "mention:no"), so a linear model can learn any shape.
``window`` (parameter ``mention_window``)
    Word uni- and bigrams within ``mention_window`` tokens of a mention of the target, with the
    target's words replaced by ``<T>``: "ban <T>", "<T> is a disaster". The same features for
    every target, so they carry over to targets never seen in training.

Both are ordinary analyzers (a callable giving feature strings, ``to_dict`` / ``from_dict``), so
the TF-IDF blocks, the model file and the numpy-only :class:`~stanceclf.inference.Predictor`
treat them like the word and character blocks. Pure Python, like :mod:`stanceclf.features`.

Examples
--------
>>> overlap = PairAnalyzer("overlap", exact=True, stem=True, char=True, mention=True)
>>> overlap(("We must ban assault weapons now.", "assault weapon ban"))
['exact:high', 'stem:all', 'char:3', 'mention:no']
>>> PairAnalyzer("window", window=1)(("Ban nuclear power, it is a menace.", "nuclear power"))
['ban', '<T>', 'it', 'ban <T>', '<T> it']
"""

from __future__ import annotations

from stanceclf.features import Analyzer, split_document, word_char_ngrams, word_tokens

PAIR_KINDS = ("overlap", "window")
# The parameters of StanceClassifier that switch the pair features on, with their "off" value.
PAIR_PARAMETERS = {
    "overlap_exact": False,
    "overlap_stem": False,
    "overlap_char": False,
    "target_mention": False,
    "mention_window": 0,
}
TARGET_PLACEHOLDER = "<T>"

# Function words carry no topic: a target's content words are the rest (all words if none is left).
_FUNCTION_WORDS = (
    "a an the of to in on at for from by with about as into over under and or but if then than so "
    "is are was were be been being am do does did has have had will would shall should can could may "
    "might must this that these those it its it's they them their we our us you your he him his she "
    "her i me my not no there here what which who whom whose when where why how all any some such "
    "very more most other s"
)
STOPWORDS = frozenset(_FUNCTION_WORDS.split())
# Longest first: the first ending that leaves a stem of at least three letters is cut.
_SUFFIXES: tuple[str, ...] = ("ations", "ation", "ments", "ment", "ness", "ings", "ing", "ies", "ied", "ates", "ate")
_SUFFIXES += ("ed", "es", "ly", "s")


def stem(word: str) -> str:
    """A tiny suffix stripper: enough to match "vaccines", "vaccination" and "vaccine".

    >>> [stem(w) for w in ("vaccines", "vaccination", "vaccine", "policies", "policy", "banning")]
    ['vaccin', 'vaccin', 'vaccin', 'polic', 'polic', 'bann']
    """
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] in "ey":  # "vaccine" / "vaccin", "policy" / "polic"
        word = word[:-1]
    return word


def content_words(tokens: list[str]) -> list[str]:
    """The tokens that are not function words (all of them if every one is)."""
    kept = [token for token in tokens if token not in STOPWORDS]
    return kept or tokens


def _share_bin(share: float) -> str:
    """A share of the target's words found in the statement, in four bins."""
    if share <= 0.0:
        return "0"
    if share < 0.5:
        return "low"
    return "high" if share < 1.0 else "all"


class PairAnalyzer:
    """A picklable callable turning a ``(statement, target)`` pair into statement-target features.

    Parameters
    ----------
    kind : {"overlap", "window"}
    exact, stem, char, mention : bool
        For ``"overlap"``: which overlap indicators to give (see the module docstring).
    window : int
        For ``"window"``: tokens on each side of a target mention whose n-grams are features.
    ngram_range : tuple of int
        For ``"window"``: the n-gram sizes (default unigrams and bigrams).
    lowercase : bool

    A plain statement (no target) has no pair features.
    """

    negation = False  # the attributes every analyzer has (see stanceclf.features.Analyzer)
    conjoin = False

    def __init__(
        self,
        kind: str,
        *,
        exact: bool = False,
        stem: bool = False,
        char: bool = False,
        mention: bool = False,
        window: int = 0,
        ngram_range: tuple[int, int] = (1, 2),
        lowercase: bool = True,
    ):
        if kind not in PAIR_KINDS:
            raise ValueError(f"unknown pair analyzer kind {kind!r} (use {', '.join(map(repr, PAIR_KINDS))})")
        self.kind = kind
        self.exact, self.stem, self.char, self.mention = bool(exact), bool(stem), bool(char), bool(mention)
        self.window = int(window)
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1])) if kind == "window" else (1, 1)
        self.lowercase = bool(lowercase)

    def __call__(self, document) -> list[str]:
        text, target = split_document(document)
        target_words = content_words(word_tokens(target, lowercase=self.lowercase)) if target else []
        if not target_words:
            return []
        words = word_tokens(text, lowercase=self.lowercase)
        if self.kind == "window":
            return self._window(words, {stem(word) for word in target_words})
        return self._overlap(words, target_words)

    def _overlap(self, words: list[str], target_words: list[str]) -> list[str]:
        features = []
        wanted = set(target_words)
        if self.exact:
            features.append("exact:" + _share_bin(len(wanted & set(words)) / len(wanted)))
        stems = [stem(word) for word in words]
        wanted_stems = {stem(word) for word in target_words}
        if self.stem:
            features.append("stem:" + _share_bin(len(wanted_stems & set(stems)) / len(wanted_stems)))
        if self.char:
            target_grams = {gram for word in wanted for gram in word_char_ngrams(word, (4, 4))}
            grams = {gram for word in set(words) for gram in word_char_ngrams(word, (4, 4))}
            # words of one or two letters have no 4-gram: then the words themselves must match
            share = len(target_grams & grams) / len(target_grams) if target_grams else float(wanted <= set(words))
            features.append(f"char:{min(int(share * 4), 4)}")
        if self.mention:
            phrase = [stem(word) for word in target_words]
            content = [s for s, word in zip(stems, words) if word not in STOPWORDS]
            found = sum(content[i : i + len(phrase)] == phrase for i in range(len(content) - len(phrase) + 1))
            features.append("mention:" + ("no" if not found else "once" if found == 1 else "often"))
        return features

    def _window(self, words: list[str], wanted_stems: set[str]) -> list[str]:
        # the target's words become one placeholder per run, so "<T>" stands for the whole mention
        tokens: list[str] = []
        for word in words:
            if stem(word) in wanted_stems:
                if not tokens or tokens[-1] != TARGET_PLACEHOLDER:
                    tokens.append(TARGET_PLACEHOLDER)
            else:
                tokens.append(word)
        mentions = [i for i, token in enumerate(tokens) if token == TARGET_PLACEHOLDER]
        if not mentions or self.window <= 0:
            return []
        low, high = self.ngram_range
        features: dict[str, None] = {}  # ordered and without repeats: overlapping windows count once
        for n in range(low, high + 1):
            for i in mentions:
                span = tokens[max(0, i - self.window) : i + self.window + 1]
                for start in range(len(span) - n + 1):
                    features[" ".join(span[start : start + n])] = None
        return list(features)

    def to_dict(self) -> dict:
        """The analyzer's settings as plain data (for the model file)."""
        settings = {
            "kind": self.kind,
            "ngram_range": list(self.ngram_range),
            "lowercase": self.lowercase,
            "negation": False,
            "conjoin": False,
        }
        if self.kind == "overlap":
            settings.update(exact=self.exact, stem=self.stem, char=self.char, mention=self.mention)
        else:
            settings["window"] = self.window
        return settings

    @classmethod
    def from_dict(cls, settings: dict) -> PairAnalyzer:
        """Rebuild an analyzer from :meth:`to_dict` output."""
        options = {key: settings[key] for key in ("exact", "stem", "char", "mention", "window") if key in settings}
        return cls(
            settings["kind"], ngram_range=tuple(settings["ngram_range"]), lowercase=settings["lowercase"], **options
        )

    def __eq__(self, other) -> bool:
        return isinstance(other, PairAnalyzer) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(tuple(sorted((k, str(v)) for k, v in self.to_dict().items())))

    def __repr__(self) -> str:
        settings = {k: v for k, v in self.to_dict().items() if k not in ("kind", "negation", "conjoin")}
        return f"PairAnalyzer({self.kind!r}, {settings})"


def pair_analyzers(params: dict) -> list[tuple[str, PairAnalyzer, float]]:
    """The pair feature blocks a StanceClassifier's parameters ask for, as (name, analyzer, weight)."""
    blocks = []
    lowercase, weight = bool(params.get("lowercase", True)), float(params.get("pair_weight", 1.0))
    flags = {
        "exact": params.get("overlap_exact", False),
        "stem": params.get("overlap_stem", False),
        "char": params.get("overlap_char", False),
        "mention": params.get("target_mention", False),
    }
    if any(flags.values()):
        blocks.append(("overlap", PairAnalyzer("overlap", lowercase=lowercase, **flags), weight))
    if params.get("mention_window", 0):
        window = PairAnalyzer("window", window=params["mention_window"], lowercase=lowercase)
        blocks.append(("window", window, weight))
    return blocks


def uses_pair_features(params: dict) -> bool:
    """True when any statement-target feature is switched on."""
    return any(params.get(name, off) != off for name, off in PAIR_PARAMETERS.items())


def analyzer_from_dict(settings: dict):
    """An analyzer from a model file's block settings: a :class:`PairAnalyzer` or a plain ``Analyzer``."""
    if settings.get("kind") in PAIR_KINDS:
        return PairAnalyzer.from_dict(settings)
    return Analyzer.from_dict(settings)


def pair_settings_problem(settings: dict, max_window: int) -> str | None:
    """What is wrong with a pair block's settings read from a model file, or None."""
    if settings.get("kind") == "overlap":
        if not all(isinstance(settings.get(key), bool) for key in ("exact", "stem", "char", "mention")):
            return "has invalid overlap flags"
        return None
    window = settings.get("window")
    if type(window) is not int or not 1 <= window <= max_window:
        return f"has an invalid window {window!r}"
    return None
