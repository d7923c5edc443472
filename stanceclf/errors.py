"""The few exception types that mean "the user can fix this".

The command line turns each of them into one line on stderr and exit code 2; Python callers can
catch :class:`StanceError` to handle them all.
"""

from __future__ import annotations


class StanceError(Exception):
    """Base class for every error a user can fix by changing their input or options."""


class DataError(StanceError, ValueError):
    """A labelled or unlabelled input file cannot be read as asked.

    The message names the file, the line (where there is one) and what is wrong.
    """


class ModelFileError(StanceError, ValueError):
    """A model file is missing, damaged, of another format version or internally inconsistent."""


class ParameterError(StanceError, ValueError):
    """Parameters that cannot work together (no feature block at all, zero parallel jobs)."""


class OutputError(StanceError, OSError):
    """An output file cannot be written where asked (missing folder, no permission)."""


class OutputExistsError(OutputError, FileExistsError):
    """Writing would replace an existing file and the caller did not ask for that."""


def located(path, line: int | None, problem: str) -> str:
    """Format an error as ``path:line: problem`` (or ``path: problem`` without a line)."""
    where = f"{path}:{line}" if line is not None else f"{path}"
    return f"{where}: {problem}"
