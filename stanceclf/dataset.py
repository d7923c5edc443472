"""The :class:`Dataset` every reader returns: statements, labels and, where known, targets.

A leaf module (it imports only :mod:`stanceclf.errors`), so that the general reader
(:mod:`stanceclf.data`) and the benchmark readers (:mod:`stanceclf.benchmarks`) can both build
datasets without importing each other.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from stanceclf.errors import DataError, located


@dataclass(frozen=True)
class Dataset:
    """Statements with their labels and, where the file has them, their targets.

    Attributes
    ----------
    texts : list of str
    labels : list of str
    targets : list of str or None
        One target per statement, or None when the file has no target column.
    path : str
        Where the data came from (for messages and model metadata).
    sha256 : str
        SHA-256 of the whole file's bytes (decompressed, for a .gz file), recorded in models trained on it.
    split : str or None
        The split the rows were taken from, or None for all rows.
    lines : list of int
        The line each statement starts on, for messages that point back into the file.
    """

    texts: list[str]
    labels: list[str]
    targets: list[str] | None
    path: str
    sha256: str
    lines: list[int]
    split: str | None = None

    def inputs(self, with_targets: bool = False) -> list:
        """What a model takes as ``X``: the texts, or ``(text, target)`` pairs."""
        if not with_targets:
            return self.texts
        if self.targets is None:
            raise DataError(located(self.path, None, "this model uses targets, but the data has no target column"))
        return list(zip(self.texts, self.targets))

    def __len__(self) -> int:
        return len(self.texts)

    def __repr__(self) -> str:
        # the default dataclass repr prints every statement: hundreds of kilobytes for a corpus
        split = f", split={self.split!r}" if self.split is not None else ""
        targets = "" if self.targets is None else f", {len(set(self.targets))} targets"
        return f"Dataset({self.path!r}{split}: {len(self):,} statements, labels {self.label_counts}{targets})"

    @property
    def label_counts(self) -> dict[str, int]:
        """Number of statements per label, labels sorted."""
        return dict(sorted(Counter(self.labels).items()))
