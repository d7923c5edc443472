"""The one table of what every :class:`~stanceclf.model.StanceClassifier` parameter may be.

scikit-learn's idea (``_parameter_constraints`` on each estimator), written here without its
private helpers. ``StanceClassifier.fit`` checks the table first, for every solver path; the
command line builds its option types from it (:func:`click_type` in ``stanceclf.cli``); the model
file's loader checks a file's parameters and block bounds against it. Rules that tie two
parameters together (``min_df`` with ``n_buckets``, at least one feature block) stay in ``fit``.

This module imports nothing heavy: the cold prediction path reads it too.

Examples
--------
>>> check_params({"C": 1.0, "solver": "sgd"})
>>> check_params({"C": 0})
Traceback (most recent call last):
...
stanceclf.errors.ParameterError: StanceClassifier parameter C must be a number > 0 and <= 1e+12, got 0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real

from stanceclf.errors import ParameterError

MAX_NGRAM = 16  # longer n-grams only multiply features; the model file refuses more (a bound, not a choice)
MAX_BUCKETS = 1 << 26  # 64M columns per hashed block: coefficients of 8 labels fill 4 GB
MAX_BLOCK_WEIGHT = 1e6  # block weights are scale factors; beyond this the file calls them damaged
MAX_WINDOW = 1000  # tokens each side of a target mention; more is the whole statement anyway (a bound)
MAX_C = 1e12  # beyond this lbfgs and sgd alike see no regularisation; infinities are refused


@dataclass(frozen=True)
class Interval:
    """A number between ``low`` and ``high`` (None: unbounded); ``closed`` says which ends count."""

    kind: type  # int or float (a float interval accepts ints too)
    low: float | None
    high: float | None
    closed: str = "both"  # "both", "left", "right" or "neither"
    note: str = ""

    def accepts(self, value) -> bool:
        if isinstance(value, bool) or not isinstance(value, Integral if self.kind is int else Real):
            return False
        value = float(value)
        if not math.isfinite(value):
            return False
        if self.low is not None and (value < self.low or (value == self.low and self.closed in ("right", "neither"))):
            return False
        return self.high is None or not (
            value > self.high or (value == self.high and self.closed in ("left", "neither"))
        )

    def describe(self) -> str:
        what = "an integer" if self.kind is int else "a number"
        bounds = []
        if self.low is not None:
            bounds.append(f"{'>=' if self.closed in ('both', 'left') else '>'} {_number(self.low, self.kind)}")
        if self.high is not None:
            bounds.append(f"{'<=' if self.closed in ('both', 'right') else '<'} {_number(self.high, self.kind)}")
        return " ".join([what, " and ".join(bounds), self.note]).strip()


@dataclass(frozen=True)
class Options:
    """One of a few strings."""

    values: tuple[str, ...]

    def accepts(self, value) -> bool:
        return isinstance(value, str) and value in self.values

    def describe(self) -> str:
        return "one of " + ", ".join(map(repr, self.values))


@dataclass(frozen=True)
class Boolean:
    """True or False (numpy's bool too), never a string such as ``"no"``."""

    def accepts(self, value) -> bool:
        kind = type(value)
        return isinstance(value, bool) or (kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_"))

    def describe(self) -> str:
        return "True or False"


@dataclass(frozen=True)
class NgramRange:
    """Two integers ``(low, high)`` with ``1 <= low <= high <= MAX_NGRAM`` (a tuple or a list)."""

    high: int = MAX_NGRAM

    def accepts(self, value) -> bool:
        return (
            isinstance(value, tuple | list)
            and len(value) == 2
            and all(isinstance(n, Integral) and not isinstance(n, bool) for n in value)
            and 1 <= value[0] <= value[1] <= self.high
        )

    def describe(self) -> str:
        return f"a pair (low, high) of integers with 1 <= low <= high <= {self.high}"


@dataclass(frozen=True)
class NoneValue:
    """None, meaning the parameter's "off" or "unbounded"."""

    def accepts(self, value) -> bool:
        return value is None

    def describe(self) -> str:
        return "None"


# Every parameter of StanceClassifier and what it may be; any one entry of a list will do.
PARAMETER_CONSTRAINTS: dict[str, list] = {
    "word_ngram_range": [NgramRange(), NoneValue()],
    "char_ngram_range": [NgramRange(), NoneValue()],
    "negation": [Boolean()],
    "char_negation": [Boolean()],
    "lowercase": [Boolean()],
    "sublinear_tf": [Boolean()],
    "min_df": [Interval(int, 1, None, note="(a count of statements; proportions are not supported)")],
    "max_features": [Interval(int, 1, None), NoneValue()],
    "n_buckets": [Interval(int, 1, MAX_BUCKETS), NoneValue()],
    "C": [Interval(float, 0, MAX_C, closed="right")],
    "class_weight": [Options(("balanced",)), NoneValue()],
    "max_iter": [Interval(int, 1, None)],
    "solver": [Options(("auto", "lbfgs", "sgd"))],
    "epochs": [Interval(int, 1, None)],
    "random_state": [Interval(int, 0, 2**32 - 1)],
    "target_mode": [Options(("none", "paired", "conjoined", "per_target"))],
    "target_weight": [Interval(float, 0, MAX_BLOCK_WEIGHT, closed="right")],
    "topic_shrinkage": [Interval(float, 0, MAX_BLOCK_WEIGHT)],
    "overlap_exact": [Boolean()],
    "overlap_stem": [Boolean()],
    "overlap_char": [Boolean()],
    "target_mention": [Boolean()],
    "mention_window": [Interval(int, 0, MAX_WINDOW, note="(tokens each side of a target mention; 0: off)")],
    "pair_weight": [Interval(float, 0, MAX_BLOCK_WEIGHT, closed="right")],
}


def allowed(name: str) -> str:
    """What parameter ``name`` may be, in words.

    >>> allowed("class_weight")
    "one of 'balanced' or None"
    """
    parts = [constraint.describe() for constraint in PARAMETER_CONSTRAINTS[name]]
    return " or ".join(parts)


def check_param(name: str, value) -> None:
    """Raise :class:`ParameterError` unless ``value`` is allowed for parameter ``name``.

    Raises
    ------
    ParameterError
        Naming the parameter, the value and what is allowed.
    """
    if not any(constraint.accepts(value) for constraint in PARAMETER_CONSTRAINTS[name]):
        raise ParameterError(f"StanceClassifier parameter {name} must be {allowed(name)}, got {value!r}")


def check_params(params: dict) -> None:
    """Check every known parameter in ``params`` against :data:`PARAMETER_CONSTRAINTS`.

    Names the table does not know are left to the caller (``StanceClassifier(**params)`` refuses
    them with a ``TypeError``).
    """
    for name, value in params.items():
        if name in PARAMETER_CONSTRAINTS:
            check_param(name, value)


def _number(value: float, kind: type) -> str:
    return str(int(value)) if kind is int or (float(value).is_integer() and abs(value) < 1e6) else f"{value:g}"
