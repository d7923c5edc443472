"""Evidence in the text: which stretches of a statement pushed its decision, as character offsets.

A model sees features (word n-grams such as ``to ukraine``, character n-grams such as ``" prov"``);
a reader sees words. This module maps every feature occurrence back to the words of the
original statement: a word n-gram credits each word it spans, a character n-gram the word it
lies in. Each word then holds a push towards every label (its share of the label's score,
minus its mean share over all labels, because only differences between scores change the
probabilities); its strongest push names the label and the weight. The strongest words are kept
and neighbours pushing the same label are merged into one span: ``text[start:end]`` is the
evidence, whatever the case, apostrophes or white space of the original.

Pure Python over :mod:`stanceclf.features`, so it sits on the numpy-only prediction path;
:meth:`stanceclf.inference.Predictor.evidence` feeds it the model's contributions.
"""

from __future__ import annotations

import re

from stanceclf.features import TARGET_SEPARATOR, Analyzer, char_words, split_document, word_char_ngrams, word_tokens

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_CHUNK = re.compile(r"\S+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})

KEEP_SHARE = 0.3  # a word is evidence when its push is at least this share of the strongest word's
MAX_SPANS = 6  # at most this many spans per statement: enough to read, few enough to see


def _normalised(text: str, lowercase: bool) -> tuple[str, list[int]]:
    """The text as the analyzers see it, and for each of its characters the original's index.

    Lower-casing can change a string's length ("İ" becomes two characters), so the map is
    built character by character when it does.
    """
    lowered = text.lower() if lowercase else text
    if len(lowered) == len(text):
        return lowered.translate(_APOSTROPHES), list(range(len(text)))
    pieces, origin = [], []
    for index, character in enumerate(text):
        piece = character.lower() if lowercase else character
        pieces.append(piece)
        origin.extend([index] * len(piece))
    return "".join(pieces).translate(_APOSTROPHES), origin


def word_spans(text: str, lowercase: bool = True) -> list[tuple[int, int]]:
    """``(start, end)`` in ``text`` of each word token the analyzers see, in order.

    >>> word_spans("We DON'T back it.")
    [(0, 2), (3, 8), (9, 13), (14, 16)]
    """
    seen, origin = _normalised(text, lowercase)
    spans = []
    for match in _WORD.finditer(seen):
        spans.append((origin[match.start()], origin[match.end() - 1] + 1))
    return spans


def feature_units(document, analyzer: Analyzer) -> list[tuple[str, tuple[int, ...]]]:
    """Every feature occurrence of ``document`` with the indices of the words it credits.

    Word indices count the tokens of :func:`word_spans`; a character n-gram credits the word
    tokens inside its whitespace-separated word (none for a word of punctuation only). Target
    features credit no word and are left out.
    """
    text, target = split_document(document)
    if analyzer.kind not in ("word", "char") or (analyzer.conjoin and not target):  # target, statement-target
        return []
    prefix = target + TARGET_SEPARATOR if analyzer.conjoin else ""
    spans = word_spans(text, analyzer.lowercase)
    occurrences: list[tuple[str, tuple[int, ...]]] = []
    if analyzer.kind == "word":
        tokens = word_tokens(text, lowercase=analyzer.lowercase, negation=analyzer.negation)
        if len(tokens) != len(spans):  # cannot happen with the shared token pattern; be safe
            return []
        low, high = analyzer.ngram_range
        for n in range(low, high + 1):
            for i in range(len(tokens) - n + 1):
                occurrences.append((prefix + " ".join(tokens[i : i + n]), tuple(range(i, i + n))))
        return occurrences
    seen, origin = _normalised(text, analyzer.lowercase)
    chunks = [(origin[m.start()], origin[m.end() - 1] + 1) for m in _CHUNK.finditer(seen)]
    words = char_words(text, lowercase=analyzer.lowercase, negation=analyzer.negation)
    if len(words) != len(chunks):
        return []
    token = 0
    for word, (start, end) in zip(words, chunks):
        while token < len(spans) and spans[token][1] <= start:
            token += 1
        inside: list[int] = []
        while token + len(inside) < len(spans) and spans[token + len(inside)][0] < end:
            inside.append(token + len(inside))
        if inside:
            units = tuple(inside)
            occurrences.extend((prefix + gram, units) for gram in word_char_ngrams(word, analyzer.ngram_range))
    return occurrences


def evidence_spans(
    text: str,
    spans: list[tuple[int, int]],
    pushes,
    labels: list[str],
    *,
    max_spans: int = MAX_SPANS,
    focus: str | None = None,
) -> list[dict]:
    """The strongest words of ``text`` as merged spans, in text order.

    Parameters
    ----------
    text : str
        The statement.
    spans : list of (int, int)
        Each word's offsets (:func:`word_spans`).
    pushes : sequence of sequences of float
        For each word, its push towards each label (its contribution to the label's score
        minus its mean contribution over all labels).
    labels : list of str
        The labels, in the order of each push.
    max_spans : int
        Keep at most this many spans (the strongest).
    focus : str, optional
        The predicted label: if no kept word pushes it, its strongest words are kept as well
        (by the same share of the strongest such word), so that the label always has its reasons.

    Returns
    -------
    list of dict
        ``start``, ``end``, ``text`` (``text[start:end]``), ``label`` and ``weight`` (the summed
        push of its words towards ``label``).

    Examples
    --------
    >>> pushes = [[0, 0], [0.9, -0.9], [0.5, -0.5]]
    >>> evidence_spans("we back it", [(0, 2), (3, 7), (8, 10)], pushes, ["support", "oppose"])
    [{'start': 3, 'end': 10, 'text': 'back it', 'label': 'support', 'weight': 1.4}]
    """
    best = []
    for push in pushes:
        k = max(range(len(labels)), key=lambda j: push[j])
        best.append((labels[k], float(push[k])))
    strongest = max((weight for _, weight in best), default=0.0)
    if strongest <= 0:
        return []
    kept = [i for i, (_, weight) in enumerate(best) if weight >= KEEP_SHARE * strongest]
    if focus is not None and all(best[i][0] != focus for i in kept):
        own = [weight for label, weight in best if label == focus and weight > 0]
        if own:
            extra = [i for i, (label, weight) in enumerate(best) if label == focus and weight >= KEEP_SHARE * max(own)]
            kept = sorted(set(kept) | set(extra))
    merged: list[list] = []  # [first word, last word, label, weight]
    for i in kept:
        label, weight = best[i]
        if merged and merged[-1][1] == i - 1 and merged[-1][2] == label:
            merged[-1][1] = i
            merged[-1][3] += weight
        else:
            merged.append([i, i, label, weight])
    # the strongest spans, the focus label's strongest always among them
    ranked = sorted(merged, key=lambda m: (m[2] != focus or m is not _strongest(merged, focus), -m[3]))
    merged = sorted(ranked[:max_spans], key=lambda m: m[0])
    results = []
    for first, last, label, weight in merged:
        start, end = spans[first][0], spans[last][1]
        span = {"start": start, "end": end, "text": text[start:end], "label": label, "weight": round(weight, 6)}
        results.append(span)
    return results


def _strongest(merged: list[list], label: str | None):
    own = [m for m in merged if m[2] == label]
    return max(own, key=lambda m: m[3]) if own else None


def mark_evidence(text: str, evidence: list[dict], open_mark: str = "[", close_mark: str = "]") -> str:
    """``text`` with each evidence span between marks, for plain-text output.

    >>> mark_evidence("we back it", [{"start": 3, "end": 7}])
    'we [back] it'
    """
    pieces, position = [], 0
    for span in sorted(evidence, key=lambda s: s["start"]):
        pieces += [text[position : span["start"]], open_mark, text[span["start"] : span["end"]], close_mark]
        position = span["end"]
    pieces.append(text[position:])
    return "".join(pieces)
