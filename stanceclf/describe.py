"""What a model file is: labels, targets, parameters, features, training data, metrics, versions.

What ``stanceclf info`` prints, as plain data for Python users (:func:`describe_model`) and as
text (:func:`format_description`). Reads the file with :func:`stanceclf.persist.load_model_data`:
numpy only, nothing executed.
"""

from __future__ import annotations

from pathlib import Path

from stanceclf.persist import default_model_path, load_model_data
from stanceclf.targets import known_targets, targets_line


def describe_model(path: str | Path | None = None) -> dict:
    """A model file's description as JSON-friendly data.

    Parameters
    ----------
    path : path, optional
        The model file; the model shipped with stanceclf by default.

    Returns
    -------
    dict
        ``path``, ``labels``, ``targets`` (None unless the model uses them), ``params``,
        ``features`` (columns per block), ``hashed``, then the file's metadata (``training_data``,
        ``metrics``, ``created``, ``versions`` where recorded), ``calibration`` (the stored
        temperature and abstention thresholds, or None) and ``calibration_fit`` (how they scored
        on the cross-validation that fitted them, where recorded).

    Raises
    ------
    ModelFileError
        If the file is missing or not a valid model file.

    Examples
    --------
    >>> description = describe_model()
    >>> "support" in description["labels"], description["hashed"]
    (True, False)
    """
    path = Path(path) if path is not None else default_model_path()
    model = load_model_data(path)
    return {
        "path": str(path),
        "labels": model.classes,
        "targets": known_targets(model),
        "params": model.params,
        "features": {block.name: block.width for block in model.blocks},
        "hashed": any(block.n_buckets is not None for block in model.blocks),
        **model.metadata,
        "calibration": model.calibration,  # what prediction applies; the metadata's record of its fit follows
        **({"calibration_fit": model.metadata["calibration"]} if "calibration" in model.metadata else {}),
    }


def format_description(description: dict) -> str:
    """The text ``stanceclf info`` prints for a :func:`describe_model` result."""
    kind = " (hashed columns)" if description["hashed"] else ""
    features = ", ".join(f"{name} {count:,}" for name, count in description["features"].items())
    lines = [
        f"model       {description['path']}",
        f"labels      {', '.join(description['labels'])}",
        f"targets     {targets_line(description['params'].get('target_mode', 'none'), description['targets'])}",
        f"features    {features}{kind}",
        "parameters  " + ", ".join(f"{k}={v}" for k, v in sorted(description["params"].items())),
    ]
    data = description.get("training_data", {})
    if data:
        lines.append(f"trained on  {data.get('file')} ({data.get('rows'):,} rows, sha256 {data.get('sha256')})")
    lines += [f"metric      {name} = {value:.4f}" for name, value in description.get("metrics", {}).items()]
    calibration = description.get("calibration")
    if calibration:
        lines.append(f"calibrated  temperature {calibration['temperature']:.4f} (on cross-validated predictions)")
    if calibration and calibration.get("thresholds") is not None:
        limits = ", ".join(
            f"{label} {'never' if value is None else f'{value:.3f}'}"
            for label, value in calibration["thresholds"].items()
        )
        lines.append(
            f"abstains    below {limits} (for precision {calibration['target_precision']}; predict --no-thresholds)"
        )
    if "created" in description:
        lines.append(f"created     {description['created']}")
    versions = description.get("versions", {})
    if versions:
        lines.append("versions    " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    return "\n".join(lines)
