"""stanceclf: say where a statement stands on a proposal (support, oppose, conditional or none).

The public API. Names are imported on first use, so that ``import stanceclf`` (and the cold
``stanceclf predict`` path) does not pay for scikit-learn until a model is trained.

Supported modules (their public names keep working across minor releases):
``stanceclf`` (the names in ``__all__``), ``stanceclf.model``, ``stanceclf.params`` (the parameter
constraints), ``stanceclf.dataset``, ``stanceclf.data``, ``stanceclf.inference``,
``stanceclf.training``, ``stanceclf.outofcore``, ``stanceclf.predicting``, ``stanceclf.describe``,
``stanceclf.metrics``, ``stanceclf.persist``, ``stanceclf.sentences``, ``stanceclf.suggesting``,
``stanceclf.summarize``, ``stanceclf.calibration``, ``stanceclf.abstention``, ``stanceclf.confidence``
and ``stanceclf.errors``. Every other module (``actor_table``, ``actors``, ``article_page``,
``attribution``, ``batch``, ``benchmarks``, ``cli``, ``conditions``, ``cues``, ``evidence``,
``features``, ``html_common``, ``interrupts``, ``labelling``, ``launcher``, ``offsets``, ``places``,
``quality``, ``report_page``, ``sgd``, ``target_features``, ``targets``, ``terminal``, ``topics``, ``tweets``,
``vectorize``, ``versions``) is internal:
it may change in any release. CONTRIBUTING.md maps them all.
"""

from __future__ import annotations

import importlib

__all__ = [
    "__version__",
    "Dataset",
    "DataError",
    "ModelFileError",
    "OutputExistsError",
    "Predictor",
    "StanceClassifier",
    "StanceError",
    "cross_validate",
    "default_model",
    "evaluate",
    "load_dataset",
    "load_predictor",
    "iter_sentences",
    "predict_document",
    "suggest",
    "summarize_document",
    "train",
    "train_out_of_core",
]

_WHERE = {
    "Dataset": "stanceclf.dataset",
    "load_dataset": "stanceclf.data",
    "DataError": "stanceclf.errors",
    "ModelFileError": "stanceclf.errors",
    "OutputExistsError": "stanceclf.errors",
    "StanceError": "stanceclf.errors",
    "Predictor": "stanceclf.inference",
    "load_predictor": "stanceclf.inference",
    "StanceClassifier": "stanceclf.model",
    "default_model": "stanceclf.model",
    "cross_validate": "stanceclf.training",
    "evaluate": "stanceclf.training",
    "train": "stanceclf.training",
    "train_out_of_core": "stanceclf.outofcore",
    "iter_sentences": "stanceclf.sentences",
    "predict_document": "stanceclf.sentences",
    "suggest": "stanceclf.suggesting",
    "summarize_document": "stanceclf.summarize",
}


def __getattr__(name: str):
    if name == "__version__":  # read from the installed metadata on first use, not at import
        from importlib.metadata import version

        globals()["__version__"] = value = version("stanceclf")
        return value
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'stanceclf' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
