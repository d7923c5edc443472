"""The public API: what ``import stanceclf`` offers."""

from __future__ import annotations


def test_the_package_says_its_version():
    from importlib.metadata import version

    import stanceclf

    assert stanceclf.__version__ == version("stanceclf") and stanceclf.__version__.count(".") >= 1
