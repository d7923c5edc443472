"""Who stands where: the stance of each actor an article names, with the sentences it rests on.

:func:`summarize_document` classifies every sentence (:func:`stanceclf.sentences.predict_document`),
gives each sentence its speaker (:mod:`stanceclf.attribution`) and gathers the sentences of
each actor into one row. Sentences labelled ``none`` are left out; sentences with no speaker
one can name are the author's own voice, in a row of their own called ``author``. An actor
whose sentences both support and oppose is ``mixed``, with the count of each, rather than
averaged into whichever side has more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from stanceclf.errors import DataError, located

NO_STANCE = "none"  # the label of sentences that take no stance (stanceclf.metrics.NO_STANCE)
MIXED = "mixed"


@dataclass
class ActorStance:
    """One row of the table: an actor, its stance on the target, and the evidence."""

    actor: str
    aliases: list[str]
    stance: str
    confidence: float
    counts: dict[str, int]
    evidence: list[dict] = field(default_factory=list)

    @property
    def sentences(self) -> int:
        """How many sentences carry this actor's stance."""
        return len(self.evidence)

    def as_dict(self) -> dict:
        """The row as JSON would hold it."""
        return {
            "actor": self.actor,
            "aliases": self.aliases,
            "stance": self.stance,
            "confidence": round(self.confidence, 4),
            "sentences": self.sentences,
            "counts": self.counts,
            "evidence": self.evidence,
        }


def aggregate(actor: str, aliases: list[str], evidence: list[dict], probas: list[dict] | None = None) -> ActorStance:
    """One actor's row from its evidence sentences (each with ``label`` and ``probability``).

    ``probas`` (label -> probability, one per sentence) gives the confidence of a stance that
    is not every sentence's own label; without it such sentences count 0.

    The stance is the label most of the sentences take (ties: the larger summed probability),
    or ``mixed`` when some support and some oppose. The confidence is the mean probability the
    model gave the row's stance over its sentences; for ``mixed``, the mean probability of each
    sentence's own label.

    Examples
    --------
    >>> evidence = [{"label": "oppose", "probability": 0.9}, {"label": "support", "probability": 0.7}]
    >>> row = aggregate("the union", [], evidence)
    >>> row.stance, row.counts, round(row.confidence, 2)
    ('mixed', {'oppose': 1, 'support': 1}, 0.8)
    """
    counts: dict[str, int] = {}
    mass: dict[str, float] = {}
    for sentence in evidence:
        counts[sentence["label"]] = counts.get(sentence["label"], 0) + 1
        mass[sentence["label"]] = mass.get(sentence["label"], 0.0) + sentence["probability"]
    if "support" in counts and "oppose" in counts:
        stance = MIXED
        confidence = sum(mass.values()) / len(evidence)
    else:
        stance = max(counts, key=lambda label: (counts[label], mass[label]))
        own = [p.get(stance, 0.0) for p in probas] if probas is not None else None
        confidence = sum(own if own else (s["probability"] if s["label"] == stance else 0.0 for s in evidence))
        confidence /= len(evidence)
    return ActorStance(actor, aliases, stance, confidence, dict(sorted(counts.items())), evidence)


def summarize_document(document: str, target: str | None = None, model=None, rules=None) -> list[ActorStance]:
    """The table of who stands where in ``document``: one row per actor that takes a stance.

    Parameters
    ----------
    document : str
        An article: paragraphs end at line ends (or, where hard-wrapped, at blank lines).
    target : str, optional
        The proposal the article is about. Given to the model when it was trained with a
        ``target_mode``; a model that ignores targets does not need it.
    model : Predictor, StanceClassifier, str or Path, optional
        A model or a model file (default: the model shipped with stanceclf).
    rules : iterable of str, optional
        The attribution rules in force (default: all of :data:`stanceclf.attribution.RULES`).

    Returns
    -------
    list of ActorStance
        The actors in the order they first take a stance, the ``author`` row last. Each
        evidence sentence is a dict with ``start``, ``end`` (``document[start:end] == text``),
        ``text``, ``label``, ``probability`` (of that label), ``paragraph``, ``sentence`` and
        ``rule`` (the attribution rule that named the speaker; None for the author's voice).

    Raises
    ------
    ParameterError
        For a target-aware model given no ``target``.

    Examples
    --------
    >>> article = "Bus fares\\n\\nThe drivers' union has rejected the fare rise. It is a bad idea."
    >>> [(row.actor, row.stance) for row in summarize_document(article)]  # doctest: +SKIP
    [("the drivers' union", 'oppose'), ('author', 'oppose')]
    """
    return summarize_sentences(document, target, _model(model), rules)[0]


def summarize_sentences(document: str, target: str | None, model, rules=None) -> tuple[list[ActorStance], list[dict]]:
    """The table of :func:`summarize_document` and every sentence it read (each with its
    ``speaker``: an actor's name, ``"author"``, or None for a sentence left out)."""
    from stanceclf.attribution import attribute_sentences
    from stanceclf.sentences import predict_document
    from stanceclf.targets import target_mode

    given = target if target_mode(model) != "none" else None  # a target-free model would only warn
    sentences = predict_document(model, document, given)
    attributions, _ = attribute_sentences(document, sentences, rules)
    rows: dict[object, tuple] = {}
    for sentence, said in zip(sentences, attributions):
        names = [actor.name for actor in said.actors]
        sentence["speaker"] = " and ".join(names) if names else "author" if said.author else None
        if sentence["label"] == NO_STANCE or (said.actor is None and not said.author):
            continue
        evidence = {
            "start": sentence["start"],
            "end": sentence["end"],
            "text": sentence["text"],
            "label": sentence["label"],
            "probability": round(sentence["proba"][sentence["label"]], 4),
            "paragraph": sentence["paragraph"],
            "sentence": sentence["sentence"],
            "rule": said.rule if said.actor is not None else None,
        }
        for actor in said.actors if said.actors else [None]:  # None: the author
            row = rows.setdefault("author" if actor is None else actor.key, (actor, [], []))
            row[1].append(evidence)
            row[2].append(sentence["proba"])
    table = [
        aggregate(a.name, _found(a, document), ev, probas) for key, (a, ev, probas) in rows.items() if key != "author"
    ]
    if "author" in rows:
        table.append(aggregate("author", [], *rows["author"][1:]))
    return table, sentences


def summarize_file(
    path: str | Path,
    *,
    target: str | None = None,
    model_path: str | Path | None = None,
    fmt: str = "text",
    output: str | Path | None = None,
    force: bool = False,
) -> str | None:
    """What ``stanceclf summarize`` does: read an article, build its table, format it.

    Returns the formatted table, or writes it atomically to ``output`` (and returns None).

    Raises
    ------
    DataError
        For a missing, unreadable, non-UTF-8 or empty article.
    ParameterError
        For a target-aware model given no ``target``.
    OutputExistsError
        When ``output`` exists and ``force`` is not set.
    """
    from stanceclf import actor_table

    document = read_document(path)
    model = _model(model_path)
    rows, sentences = summarize_sentences(document, target, model, None)
    if fmt == "json":
        text = actor_table.format_json(rows)
    elif fmt == "csv":
        text = actor_table.format_csv(rows)
    elif fmt == "html":
        text = actor_table.format_html(rows, sentences, [str(c) for c in model.classes_], target)
    else:
        text = actor_table.format_text(rows, target)
    if output is None:
        return text
    from stanceclf.persist import atomic_writer

    with atomic_writer(output, "w", force=force, encoding="utf-8") as out:
        out.write(text if text.endswith("\n") else text + "\n")
    return None


def _found(actor, document: str) -> list[str]:
    """The actor's other names that the document uses ("Rome", not every seat in the places table)."""
    import re

    def used(name: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", document, re.IGNORECASE) is not None

    # "Italian government" counts where "Italian" is found
    return [alias for alias in actor.aliases() if used(alias) or used(alias.removesuffix(" government"))]


def _model(model):
    from stanceclf.inference import load_predictor
    from stanceclf.persist import default_model_path

    if model is None:
        return load_predictor(default_model_path())
    if isinstance(model, (str, Path)):
        return load_predictor(model)
    return model


def read_document(path: str | Path) -> str:
    """The text of an article file, or a one-line :class:`DataError` saying what is wrong with it."""
    path = Path(path)
    try:
        document = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(located(path, None, "no such file (give the article as a UTF-8 text file)")) from None
    except IsADirectoryError:
        raise DataError(located(path, None, "is a folder, not an article file")) from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise DataError(located(path, line, "not UTF-8 text (save the article as UTF-8)")) from None
    except OSError as error:
        raise DataError(located(path, None, f"cannot be read ({error.strerror})")) from None
    if not document.strip():
        raise DataError(located(path, None, "empty document (nothing to summarise)"))
    return document
