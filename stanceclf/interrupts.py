"""Ending work cleanly on Ctrl-C (SIGINT) and on SIGTERM (what ``timeout``, ``kill``, systemd
and container runtimes send).

Python turns SIGINT into ``KeyboardInterrupt`` but lets SIGTERM kill the process on the spot,
so ``finally`` blocks never run: temporary files and folders stay behind. Both signals are
handled alike here: :class:`GracefulStop` lets a batch stop after the current chunk, and
:func:`terminate_as_interrupt` turns SIGTERM into :class:`Terminated`, a ``KeyboardInterrupt``,
so that everything that cleans up after Ctrl-C cleans up after SIGTERM too.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager

EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C
EXIT_TERMINATED = 143  # 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: handled like Ctrl-C, reported with exit code 143."""


def exit_code(interruption: BaseException | None = None, signum: int | None = None) -> int:
    """130 for Ctrl-C, 143 for SIGTERM."""
    if isinstance(interruption, Terminated) or signum == signal.SIGTERM:
        return EXIT_TERMINATED
    return EXIT_INTERRUPTED


def _install(signum: int, handler):
    """Install ``handler``; None where signals cannot be handled (not the main thread)."""
    try:
        return signal.signal(signum, handler)
    except ValueError:
        return None


@contextmanager
def terminate_as_interrupt():
    """Within the block, SIGTERM raises :class:`Terminated` (temporary files get cleaned up)."""

    def raise_terminated(signum, frame):
        raise Terminated()

    previous = _install(signal.SIGTERM, raise_terminated)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class GracefulStop:
    """The first Ctrl-C or SIGTERM asks a batch to stop after the current chunk; a second one stops now.

    Used as ``should_stop`` by :func:`stanceclf.batch.predict_rows`, so an interrupted run
    ends on a row boundary (never a torn line) and can say how far it got.
    """

    def __init__(self):
        self.requested = False
        self.signum: int | None = None
        self._previous: dict[int, object] = {}

    def __call__(self) -> bool:
        return self.requested

    def _handle(self, signum, frame):
        self.requested = True
        self.signum = self.signum or signum
        # a second signal of either kind ends the run at once
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _raise_terminated)

    def __enter__(self):
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous = _install(signum, self._handle)
            if previous is not None:
                self._previous[signum] = previous
        return self

    def __exit__(self, *exc):
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        return False

    @property
    def exit_code(self) -> int:
        return exit_code(signum=self.signum)


def _raise_terminated(signum, frame):
    raise Terminated()
