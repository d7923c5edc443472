"""Checking the targets a model is given against the ones it was trained on.

A target-aware model (``target_mode`` ``"conjoined"`` or ``"per_target"``) answers differently
per target, so a missing or misspelt target is a wrong answer waiting to happen: a
``per_target`` model knows nothing about a target it never saw and would give every statement
the same label (its class priors). These checks turn those cases into an error or a warning,
and a target given to a model that ignores targets into a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from stanceclf.errors import DataError, ParameterError, located
from stanceclf.features import TARGET_SEPARATOR


def target_mode(model) -> str:
    """The ``target_mode`` of a ModelData, Predictor or StanceClassifier."""
    model = getattr(model, "model", model)  # a Predictor holds its ModelData as .model
    params = model.params if hasattr(model, "params") else model.get_params()
    return params.get("target_mode", "none")


def known_targets(model) -> list[str] | None:
    """The targets a ModelData (or Predictor) was trained on, sorted; None when it cannot tell.

    Recorded in the model's metadata by :func:`stanceclf.train`; otherwise read from the
    target-tied features of the vocabulary (a hashed model without the record cannot tell).
    """
    model = getattr(model, "model", model)
    if hasattr(model, "to_model_data"):  # a fitted StanceClassifier
        model = model.to_model_data()
    recorded = model.metadata.get("targets")
    if recorded is not None:
        return sorted(recorded)
    if target_mode(model) == "none":
        return []
    targets: set[str] = set()
    for block in model.blocks:
        if block.n_buckets is not None:
            continue
        if block.analyzer.get("kind") == "target":
            return sorted(block.features)
        if block.analyzer.get("conjoin"):
            targets.update(feature.partition(TARGET_SEPARATOR)[0] for feature in block.features)
    return sorted(targets) if targets else None


def describe_targets(model) -> str:
    """One line for ``stanceclf info``: the targets a model knows, or that it ignores them."""
    mode = target_mode(model)
    return targets_line(mode, None if mode == "none" else known_targets(model))


def targets_line(mode: str, known: list[str] | None) -> str:
    """:func:`describe_targets` from a target mode and the known targets (None: not recorded)."""
    if mode == "none":
        return "ignored (target_mode='none': --target has no effect)"
    if known is None:
        return f"{mode}; the known targets were not recorded (hashed features)"
    return f"{mode}; {len(known)} known: " + ", ".join(known)


def unseen_target_problem(model, target: str, known: list[str] | None) -> tuple[bool, str] | None:
    """``(is_error, message)`` for a target the model never saw, or None if it is known.

    Unseen by a ``per_target`` model is an error (it would answer with its priors alone);
    unseen by a ``conjoined`` model a warning (the shared features still answer).
    """
    if known is None or target in known or target_mode(model) == "paired":  # paired: new targets are the point
        return None
    listed = ", ".join(repr(name) for name in known[:20]) + (f" and {len(known) - 20} more" if len(known) > 20 else "")
    same_but_case = [name for name in known if name.casefold() == target.casefold()]
    hint = f"; did you mean {same_but_case[0]!r}?" if same_but_case else ""
    if target_mode(model) == "per_target":
        return True, (
            f"target {target!r} was never seen in training, and a per_target model would give every "
            f"statement about it the same label (known targets: {listed}){hint}"
        )
    return False, (
        f"warning: target {target!r} was never seen in training; only the shared features will "
        f"answer (known targets: {listed}){hint}"
    )


def check_target_options(model, target: str | None, target_column: str | None) -> list[str]:
    """Check how ``predict`` is told the targets; return warnings, raise for what cannot work.

    Raises
    ------
    ParameterError
        For a target-aware model given no target, or a ``per_target`` model given a target it
        never saw.
    """
    mode = target_mode(model)
    if mode == "none":
        if target is not None or target_column is not None:
            option = "--target" if target is not None else "--target-column"
            return [f"warning: this model ignores targets (trained with target_mode='none'); {option} is not used"]
        return []
    if target is None and target_column is None:
        raise ParameterError(
            f"this model was trained with target_mode={mode!r}: "
            "give each statement's target with --target NAME or --target-column COLUMN"
        )
    if target is None:
        return []
    problem = unseen_target_problem(model, target, known_targets(model))
    if problem is None:
        return []
    is_error, message = problem
    if is_error:
        raise ParameterError(message)
    return [message]


def checked_targets(model, rows: Iterable[tuple], path, warn: Callable[[str], object]) -> Iterator[tuple]:
    """Pass ``(line, (text, target))`` rows through, checking each target as it arrives.

    A target unseen by a ``per_target`` model is a :class:`DataError` naming file and line;
    one unseen by a ``conjoined`` model is warned about once, with its first line.
    """
    known = known_targets(model)
    if known is None:
        yield from rows
        return
    known_set, warned = set(known), set()
    for item in rows:  # (line, document) or (line, document, columns passed through)
        line, target = item[0], item[1][1]
        if target not in known_set and target not in warned:
            problem = unseen_target_problem(model, target, known)
            assert problem is not None  # the target is not among the known ones
            is_error, message = problem
            if is_error:
                raise DataError(located(path, line, message))
            warned.add(target)
            warn(f"{path}:{line}: {message}")
        yield item


def check_dataset_targets(model, dataset) -> None:
    """Refuse to score a ``per_target`` model on targets it never saw (every answer would be its priors)."""
    if target_mode(model) != "per_target" or dataset.targets is None:
        return
    known = known_targets(model)
    if known is None:
        return
    unseen = sorted(set(dataset.targets) - set(known))
    if unseen:
        rows = sum(target in set(unseen) for target in dataset.targets)
        names = ", ".join(repr(name) for name in unseen[:10]) + (" ..." if len(unseen) > 10 else "")
        raise DataError(
            located(
                dataset.path,
                None,
                f"{rows:,} statements are about {len(unseen)} targets this per_target model never saw ({names}); "
                "it would give each of them its class priors, the same label for every statement. Score a "
                "conjoined model (--target-mode conjoined) or a target-free one on new targets",
            )
        )
