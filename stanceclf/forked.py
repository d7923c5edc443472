"""One piece of work in a forked child process while this process does another.

Used where two halves of a job can run side by side on two cores (numbering features, loading
data while scikit-learn is imported). A fork shares the parent's memory as it was, so the work
needs no pickling of its inputs; only its result comes back, through a pipe.
"""

from __future__ import annotations

import multiprocessing
import os


def can_fork() -> bool:
    """True where forking helps: the platform forks and there is a second core."""
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) >= 2


class ForkedWork:
    """``work()`` running in a forked child from construction; :meth:`result` waits for it.

    Examples
    --------
    >>> with ForkedWork(lambda: sum(range(10))) as job:  # doctest: +SKIP
    ...     mine = sum(range(10, 20))
    ...     job.result()
    (True, 45)
    """

    def __init__(self, work):
        self._receiver, sender = multiprocessing.Pipe(duplex=False)

        def run():
            try:
                outcome = (True, work())
            except BaseException as error:  # noqa: BLE001 - handed to the parent, which decides
                outcome = (False, error)
            try:
                sender.send(outcome)
            except Exception:  # noqa: BLE001 - e.g. an exception that cannot be pickled
                sender.send((False, None))
            finally:
                os._exit(0)

        self._process = multiprocessing.get_context("fork").Process(target=run, daemon=True)
        self._process.start()
        sender.close()

    def __enter__(self) -> ForkedWork:
        return self

    def __exit__(self, *exc) -> None:
        """Stop the child if its result was never taken (this process failed first)."""
        if self._process.is_alive() and not self._receiver.closed:
            self._process.terminate()
            self._process.join()
        self._receiver.close()

    def result(self) -> tuple[bool, object]:
        """``(True, value)``, or ``(False, exception)`` when the work raised (``None``: the child died)."""
        try:
            return self._receiver.recv()
        except EOFError:
            return False, None
        finally:
            self._receiver.close()
            self._process.join()


def load_while_importing(load, module: str):
    """Return ``load()``, computed in a forked process while this one imports ``module``.

    Importing the training code (scikit-learn, scipy) takes about half a second, and so does
    reading a large file; side by side on two cores they cost the longer of the two. Where
    there is no fork, or the child fails in any way but a data error, the data is loaded here.

    Examples
    --------
    >>> load_while_importing(lambda: [1, 2, 3], "json")
    [1, 2, 3]
    """
    import importlib

    from stanceclf.errors import StanceError

    if not can_fork():
        importlib.import_module(module)
        return load()
    with ForkedWork(load) as job:
        importlib.import_module(module)
        done, value = job.result()
    if done:
        return value
    if isinstance(value, StanceError):
        raise value
    return load()
