"""Documents into sentences: paragraphs, sentences and their character offsets in the input.

News articles, speeches and threads take stances sentence by sentence, so ``predict
--sentences`` classifies each sentence on its own. The splitter is syntok (chosen over pysbd and
blingfire on hand-split news prose: ``experiments/sentence_splitters.py``); it is an optional
extra (``pip install "stanceclf[sentences]"``) imported only here, so a plain ``predict TEXT``
stays on the numpy-only cold path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from stanceclf.errors import StanceError

# A paragraph ends at every line end (articles pasted one paragraph per line, like most news
# text files), unless the text is hard-wrapped: then at blank lines only.
_LINE_BREAK = re.compile(r"\r\n|\r(?!\n)|\n")
_BLANK_LINE = re.compile(r"(?:\r\n|\r(?!\n)|\n)(?:[ \t\f\v]*(?:\r\n|\r(?!\n)|\n))+")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document: ``document[start:end] == text``; numbers count from 1."""

    paragraph: int
    sentence: int
    start: int
    end: int
    text: str


def _syntok_segmenter():
    try:
        import syntok.segmenter as segmenter
    except ImportError:
        raise StanceError(
            "sentence splitting needs the 'sentences' extra: pip install \"stanceclf[sentences]\""
        ) from None
    return segmenter


def paragraph_spans(document: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each non-blank paragraph of ``document``, white space trimmed."""
    separator = _BLANK_LINE if _BLANK_LINE.search(document) and _is_hard_wrapped(document) else _LINE_BREAK
    pieces, start = [], 0
    for match in separator.finditer(document):
        pieces.append((start, match.start()))
        start = match.end()
    pieces.append((start, len(document)))
    spans = []
    for start, end in pieces:
        chunk = document[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
    return spans


_SENTENCE_END = re.compile(r"[.!?:;][\"'\u201d\u2019)\]]*$")


def _is_hard_wrapped(document: str) -> bool:
    """True when most lines followed by another line stop mid-sentence (text wrapped at a width)."""
    lines = [line.strip() for line in _LINE_BREAK.split(document)]
    followed = [line for line, after in zip(lines, lines[1:]) if line and after]
    mid_sentence = sum(1 for line in followed if not _SENTENCE_END.search(line))
    return bool(followed) and mid_sentence * 2 > len(followed)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of one paragraph, as offsets into ``text``."""
    segmenter = _syntok_segmenter()
    spans = []
    for paragraph in segmenter.analyze(text):
        for sentence in paragraph:
            start = sentence[0].offset
            end = sentence[-1].offset + len(sentence[-1].value)
            spans.append((start, end))
    return spans


def iter_sentences(document: str) -> Iterator[Sentence]:
    """Every sentence of ``document`` with its paragraph number, sentence number and offsets.

    Examples
    --------
    >>> [(s.paragraph, s.sentence, s.text) for s in iter_sentences("Oslo said no. Bern agreed.\\n\\nA vote follows.")]
    [(1, 1, 'Oslo said no.'), (1, 2, 'Bern agreed.'), (2, 1, 'A vote follows.')]
    """
    _syntok_segmenter()  # fail before the first row rather than in the middle of the output
    for number, (start, end) in enumerate(paragraph_spans(document), start=1):
        for index, (s_start, s_end) in enumerate(split_sentences(document[start:end]), start=1):
            yield Sentence(number, index, start + s_start, start + s_end, document[start + s_start : start + s_end])


def sentence_rows(documents, *, numbered: bool):
    """Split ``(line, document[, columns])`` rows into ``(line, sentence, columns, fields)`` rows.

    The rows are what :func:`stanceclf.batch.predict_rows` takes; ``columns`` (input columns
    to pass through) are repeated for every sentence of their document.

    ``document`` may be a ``(text, target)`` pair; each sentence keeps the target. ``fields``
    holds ``paragraph``, ``sentence``, ``start`` and ``end`` (offsets into the document), and
    with ``numbered`` also ``document`` (the input line or argument number the document came
    from). ``line`` is the input line a sentence starts on, for progress and interruption
    messages.
    """
    for line, document, *rest in documents:
        extras = rest[0] if rest else {}  # input columns passed through, repeated for each sentence
        text, target = (document, None) if isinstance(document, str) else document
        for sentence in iter_sentences(text):
            fields = {"document": line} if numbered else {}
            fields.update(
                paragraph=sentence.paragraph, sentence=sentence.sentence, start=sentence.start, end=sentence.end
            )
            where = line if numbered else line + text.count("\n", 0, sentence.start)
            yield where, (sentence.text if target is None else (sentence.text, target)), extras, fields


def predict_document(model, document: str, target: str | None = None) -> list[dict]:
    """The stance of every sentence of ``document``, in order.

    Parameters
    ----------
    model : StanceClassifier or Predictor
        Anything with ``classes_`` and ``predict_proba`` (e.g. :func:`stanceclf.default_model`).
    document : str
        An article, speech or thread; paragraphs end at line ends (or, where the text is
        hard-wrapped, at blank lines).
    target : str, optional
        The target of every sentence, for models trained with a ``target_mode``.

    Returns
    -------
    list of dict
        One per sentence: ``paragraph``, ``sentence`` (both from 1), ``start``, ``end``
        (``document[start:end] == text``), ``text``, ``label`` and ``proba`` (label -> probability).

    Raises
    ------
    ParameterError
        For a target-aware model given no ``target`` (its answers would ignore what it was
        trained to use), or a ``per_target`` model given a target it never saw.
    """
    import warnings

    from stanceclf.targets import check_target_options

    for message in check_target_options(model, target, None):  # the same rules as predict --target
        warnings.warn(message.removeprefix("warning: "), stacklevel=2)
    sentences = list(iter_sentences(document))
    if not sentences:
        return []
    inputs = [s.text if target is None else (s.text, target) for s in sentences]
    probabilities = model.predict_proba(inputs)
    classes = [str(c) for c in model.classes_]
    results = []
    for sentence, row in zip(sentences, probabilities):
        results.append(
            {
                "paragraph": sentence.paragraph,
                "sentence": sentence.sentence,
                "start": sentence.start,
                "end": sentence.end,
                "text": sentence.text,
                "label": classes[int(row.argmax())],
                "proba": {c: float(p) for c, p in zip(classes, row)},
            }
        )
    return results
