"""Work in a forked child: its value or its error comes back, and it never outlives a failure here."""

from __future__ import annotations

import time

import pytest

from stanceclf.forked import ForkedWork, can_fork, load_while_importing

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs fork and two cores")


def test_the_childs_value_comes_back_whole():
    with ForkedWork(lambda: {"numbers": list(range(200_000))}) as job:
        assert job.result() == (True, {"numbers": list(range(200_000))})


def test_the_childs_exception_comes_back_as_the_exception():
    def fails():
        raise ValueError("line 7: no column 'text'")

    with ForkedWork(fails) as job:
        done, error = job.result()
    assert not done and isinstance(error, ValueError) and str(error) == "line 7: no column 'text'"


def test_a_failure_here_stops_the_child_at_once():
    start = time.monotonic()
    with pytest.raises(RuntimeError), ForkedWork(lambda: time.sleep(60)) as job:
        raise RuntimeError("this process failed first")
    assert time.monotonic() - start < 10
    assert not job._process.is_alive()


def test_data_loaded_in_a_forked_process_arrives_whole_and_a_failed_child_is_covered():
    import os

    parent = os.getpid()
    assert load_while_importing(lambda: list(range(100_000)), "json") == list(range(100_000))

    def fails_in_the_child():
        if os.getpid() != parent:
            raise MemoryError("simulated")
        return "loaded here"

    assert load_while_importing(fails_in_the_child, "json") == "loaded here"
