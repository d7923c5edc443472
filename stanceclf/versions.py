"""Versions of stanceclf and the libraries a model was built with (read without importing them)."""

from __future__ import annotations

import platform
from importlib import metadata

_DISTRIBUTIONS = ("stanceclf", "numpy", "scikit-learn", "scipy", "joblib", "click")


def library_versions() -> dict[str, str]:
    """Python's and each library's installed version, ``"not installed"`` where absent."""
    versions = {"python": platform.python_version()}
    for name in _DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions
