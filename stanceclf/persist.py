"""The pickle-free model file: save, load, validate.

A model file is a zip archive holding only plain data:

``stanceclf.json``
    format name and version, the estimator's parameters, the labels, the feature blocks'
    settings and the metadata (library versions, training-data hash and size, metrics, time);
    for a calibrated model also ``calibration``, its temperature and abstention thresholds
    (optional: older files have none and load as before; checked by
    :func:`stanceclf.calibration.check_calibration`).
``vocabulary/<block>.txt``
    each feature block's feature strings in column order (sorted), one per line, UTF-8.
    Features never contain a line feed (they are cut from whitespace-split text). A hashed
    block (format version 2, written by out-of-core training) has no vocabulary: a feature's
    column is the CRC-32 of its UTF-8 bytes modulo the block's ``n_buckets``.
``arrays/idf_<block>.npy``, ``arrays/coef.npy``, ``arrays/intercept.npy``
    float64 arrays, read with ``numpy.load(allow_pickle=False)``; stored uncompressed so that
    loading them is a copy, not an inflate (the cold start of ``stanceclf predict``).

Loading reads those members by name into memory (nothing is extracted to disk, nothing is
unpickled or executed), bounds how much it will inflate, and checks every shape, dtype and value
before a model is built from it. This module needs only numpy, so the cold prediction path can
use it without scikit-learn.
"""

from __future__ import annotations

import io
import itertools
import json
import operator
import os
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from stanceclf.calibration import check_calibration
from stanceclf.errors import ModelFileError, OutputError, OutputExistsError, ParameterError, located
from stanceclf.params import MAX_BLOCK_WEIGHT, MAX_BUCKETS, MAX_NGRAM, MAX_WINDOW, check_params
from stanceclf.target_features import PAIR_KINDS, pair_settings_problem

FORMAT_NAME = "stanceclf-model"
FORMAT_VERSION = 1  # written for vocabulary models, so they stay readable by older releases
HASHED_FORMAT_VERSION = 2  # written when a block is hashed; this release reads both
MANIFEST = "stanceclf.json"
# Generous for real models (a 1M-statement model is a few hundred MB) while refusing zip bombs.
MAX_MEMBER_BYTES = 1 << 30
MAX_TOTAL_BYTES = 2 << 30
MAX_COMPRESSION_RATIO = 200
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed entry times keep equal models byte-identical


@dataclass
class FeatureBlock:
    """One TF-IDF feature block: how features are made, which exist and their idf weights."""

    name: str
    analyzer: dict
    sublinear_tf: bool
    features: list[str]
    idf: np.ndarray
    weight: float = 1.0
    n_buckets: int | None = None  # set for a hashed block, whose ``features`` is empty

    @property
    def width(self) -> int:
        """Number of columns the block takes."""
        return self.n_buckets if self.n_buckets is not None else len(self.features)


@dataclass
class ModelData:
    """Everything a trained model is, as plain data: what a model file holds."""

    params: dict
    classes: list[str]
    blocks: list[FeatureBlock]
    coef: np.ndarray
    intercept: np.ndarray
    metadata: dict = field(default_factory=dict)
    calibration: dict | None = None  # temperature and abstention thresholds (stanceclf.calibration)

    @property
    def n_features(self) -> int:
        return sum(block.width for block in self.blocks)


def save_model_data(model: ModelData, path: str | Path, *, force: bool = False) -> Path:
    """Write ``model`` to ``path`` atomically (a file beside it, then a rename).

    Raises
    ------
    OutputExistsError
        If ``path`` exists and ``force`` is false.
    """
    path = Path(path)
    if path.exists() and not force:
        raise OutputExistsError(located(path, None, "already exists (use --force to replace it)"))
    hashed = any(block.n_buckets is not None for block in model.blocks)
    manifest = {
        "format": FORMAT_NAME,
        "format_version": HASHED_FORMAT_VERSION if hashed else FORMAT_VERSION,
        "params": model.params,
        "classes": list(model.classes),
        "blocks": [
            {
                "name": b.name,
                "analyzer": b.analyzer,
                "sublinear_tf": b.sublinear_tf,
                "weight": b.weight,
                "n_features": len(b.features),
                **({"n_buckets": b.n_buckets} if b.n_buckets is not None else {}),
            }
            for b in model.blocks
        ],
        "metadata": model.metadata,
    }
    if model.calibration is not None:  # only then: an uncalibrated model's file stays byte for byte as before
        manifest["calibration"] = model.calibration
    members = {MANIFEST: (_json_bytes(manifest), zipfile.ZIP_DEFLATED)}
    for block in model.blocks:
        if block.n_buckets is None:
            vocabulary = "\n".join(block.features).encode("utf-8")
            if vocabulary.count(b"\n") != max(len(block.features) - 1, 0):
                raise ValueError(f"feature block {block.name!r} has a feature containing a line feed")
            members[f"vocabulary/{block.name}.txt"] = (vocabulary, zipfile.ZIP_DEFLATED)
        members[f"arrays/idf_{block.name}.npy"] = (_npy_bytes(block.idf), zipfile.ZIP_STORED)
    members["arrays/coef.npy"] = (_npy_bytes(model.coef), zipfile.ZIP_STORED)
    members["arrays/intercept.npy"] = (_npy_bytes(model.intercept), zipfile.ZIP_STORED)
    with atomic_writer(path, "wb", force=force) as out, zipfile.ZipFile(out, "w") as archive:
        for name, (payload, compression) in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = compression
            info.external_attr = 0o644 << 16
            archive.writestr(info, payload, compresslevel=1)  # fast; vocabularies shrink well anyway
    return path


def load_model_data(path: str | Path) -> ModelData:
    """Read and validate a model file without executing anything from it.

    Raises
    ------
    ModelFileError
        If the file is missing, not a stanceclf model, of another format version, too large
        when inflated, or internally inconsistent (shapes, dtypes, non-finite weights,
        vocabulary sizes).
    """
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ModelFileError(located(path, None, "no such model file")) from None
    except IsADirectoryError:
        raise ModelFileError(located(path, None, "is a directory, expected a model file")) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ModelFileError(
            located(
                path, None, "not a stanceclf model file (not a zip archive; pickle and joblib files are never loaded)"
            )
        ) from None
    with archive:
        reader = _MemberReader(path, archive)
        manifest = _parse_json(path, MANIFEST, reader.read(MANIFEST))
        _check_manifest(path, manifest)
        blocks = []
        for spec in manifest["blocks"]:
            name, n_buckets = spec["name"], spec.get("n_buckets")
            features = []
            if n_buckets is None:
                features = _parse_vocabulary(path, f"vocabulary/{name}.txt", reader.read(f"vocabulary/{name}.txt"))
            idf = _parse_npy(path, f"arrays/idf_{name}.npy", reader.read(f"arrays/idf_{name}.npy"))
            blocks.append(
                FeatureBlock(name, spec["analyzer"], spec["sublinear_tf"], features, idf, spec["weight"], n_buckets)
            )
        coef = _parse_npy(path, "arrays/coef.npy", reader.read("arrays/coef.npy"))
        intercept = _parse_npy(path, "arrays/intercept.npy", reader.read("arrays/intercept.npy"))
        extra = sorted(set(archive.namelist()) - reader.seen)
        if extra:
            raise ModelFileError(located(path, None, f"unexpected member {extra[0]!r} in the model file"))
    model = ModelData(
        manifest["params"],
        manifest["classes"],
        blocks,
        coef,
        intercept,
        manifest["metadata"],
        manifest.get("calibration"),
    )
    _check_consistency(path, model, manifest)
    return model


class atomic_writer:
    """Context manager writing a file beside ``path`` and renaming it into place on success.

    On an exception the temporary file is removed and any existing ``path`` is left untouched;
    a process killed mid-write leaves at most a stray ``.tmp`` file beside it, never a torn one.
    """

    def __init__(self, path: str | Path, mode: str = "w", *, force: bool = False, encoding: str | None = None):
        self.path = Path(path)
        self.mode = mode
        self.force = force
        self.encoding = encoding if "b" not in mode else None

    def __enter__(self):
        if self.path.exists() and not self.force:
            raise OutputExistsError(located(self.path, None, "already exists (use --force to replace it)"))
        import tempfile  # not needed on the prediction path

        directory = self.path.parent if str(self.path.parent) else Path(".")
        try:
            fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=directory)
        except FileNotFoundError:
            raise OutputError(
                located(self.path, None, f"cannot write here: the folder {directory} does not exist")
            ) from None
        except PermissionError:
            raise OutputError(
                located(self.path, None, f"cannot write here: permission denied in {directory}")
            ) from None
        self._file = os.fdopen(fd, self.mode, encoding=self.encoding, newline="" if self.encoding else None)
        return self._file

    def commit(self, path: str | Path | None = None) -> None:
        """Flush, sync and rename the temporary file into place (or to ``path`` instead)."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.chmod(self._tmp, 0o644)
        os.replace(self._tmp, self.path if path is None else path)

    def discard(self) -> None:
        self._file.close()
        if os.path.exists(self._tmp):
            os.unlink(self._tmp)

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.commit()
        else:
            self.discard()
        return False


def creation_time() -> str:
    """UTC creation time; honours ``SOURCE_DATE_EPOCH`` so that builds can be byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.isdigit() else time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array, dtype=np.float64), allow_pickle=False)
    return buffer.getvalue()


class _MemberReader:
    """Reads named members of the archive into memory, never more than the size limits."""

    def __init__(self, path: Path, archive: zipfile.ZipFile):
        self.path = path
        self.archive = archive
        self.total = 0
        self.seen: set[str] = set()

    def read(self, name: str) -> bytes:
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise ModelFileError(located(self.path, None, f"damaged model file: member {name!r} is missing")) from None
        if info.file_size > MAX_MEMBER_BYTES or (
            info.file_size > (1 << 20) and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            raise ModelFileError(located(self.path, None, f"member {name!r} inflates implausibly (zip bomb?); refused"))
        try:
            with self.archive.open(info) as member:
                payload = member.read(min(MAX_MEMBER_BYTES, MAX_TOTAL_BYTES - self.total) + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
            raise ModelFileError(
                located(self.path, None, f"damaged model file: cannot read {name!r} ({error})")
            ) from None
        if len(payload) > MAX_MEMBER_BYTES or self.total + len(payload) > MAX_TOTAL_BYTES:
            raise ModelFileError(
                located(self.path, None, f"member {name!r} is larger than any model (zip bomb?); refused")
            )
        self.total += len(payload)
        self.seen.add(name)
        return payload


def _parse_json(path: Path, name: str, payload: bytes):
    try:
        return json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ModelFileError(located(path, None, f"damaged model file: {name!r} is not valid JSON")) from None


def _parse_vocabulary(path: Path, name: str, payload: bytes) -> list[str]:
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise ModelFileError(located(path, None, f"damaged model file: {name!r} is not UTF-8 text")) from None
    return text.split("\n") if text else []


def _parse_npy(path: Path, name: str, payload: bytes) -> np.ndarray:
    try:
        array = np.load(io.BytesIO(payload), allow_pickle=False)
    except (ValueError, OSError, EOFError) as error:
        raise ModelFileError(
            located(path, None, f"damaged model file: {name!r} is not a plain numeric array ({error})")
        ) from None
    if not isinstance(array, np.ndarray) or array.dtype != np.float64:
        raise ModelFileError(located(path, None, f"{name!r} has dtype {array.dtype}, expected float64"))
    if not np.all(np.isfinite(array)):
        raise ModelFileError(located(path, None, f"{name!r} holds NaN or infinite values"))
    return array


def _check_manifest(path: Path, manifest) -> None:
    def fail(problem: str):
        raise ModelFileError(located(path, None, problem))

    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        fail("not a stanceclf model file (its manifest names no stanceclf format)")
    version = manifest.get("format_version")
    if version not in (FORMAT_VERSION, HASHED_FORMAT_VERSION) or isinstance(version, bool):
        newer = isinstance(version, int) and version > HASHED_FORMAT_VERSION
        why = "a newer stanceclf; upgrade to read it" if newer else "an unknown writer"
        fail(
            f"model format version {version!r} is from {why} "
            f"(this stanceclf reads versions {FORMAT_VERSION} and {HASHED_FORMAT_VERSION})"
        )
    for key, kind in (("params", dict), ("classes", list), ("blocks", list), ("metadata", dict)):
        if not isinstance(manifest.get(key), kind):
            fail(f"damaged model file: manifest field {key!r} is missing or not a {kind.__name__}")
    try:  # the same table fit checks: a file says nothing a fresh fit would refuse
        check_params(manifest["params"])
    except ParameterError as error:
        fail(f"damaged model file: {error}")
    classes = manifest["classes"]
    if len(classes) < 2 or len(set(classes)) != len(classes) or not all(isinstance(c, str) for c in classes):
        fail("damaged model file: the labels must be two or more distinct strings")
    if "calibration" in manifest:  # optional: files written before calibration have none
        problem = check_calibration(manifest["calibration"], classes)
        if problem:
            fail(f"damaged model file: {problem}")
    names = []
    for spec in manifest["blocks"]:
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not spec["name"].isidentifier():
            fail("damaged model file: a feature block has no valid name")
        analyzer = spec.get("analyzer")
        if not isinstance(analyzer, dict) or analyzer.get("kind") not in ("word", "char", "target", *PAIR_KINDS):
            fail(f"damaged model file: feature block {spec['name']!r} has no valid analyzer")
        problem = pair_settings_problem(analyzer, MAX_WINDOW) if analyzer["kind"] in PAIR_KINDS else None
        if problem:
            fail(f"damaged model file: feature block {spec['name']!r} {problem}")
        ngram = analyzer.get("ngram_range")
        if not (isinstance(ngram, list) and len(ngram) == 2 and all(type(n) is int for n in ngram)):
            fail(f"damaged model file: feature block {spec['name']!r} has no valid ngram_range")
        if not 1 <= ngram[0] <= ngram[1] <= MAX_NGRAM:
            fail(f"damaged model file: feature block {spec['name']!r} has ngram_range {ngram}")
        if not all(isinstance(analyzer.get(k), bool) for k in ("lowercase", "negation", "conjoin")):
            fail(f"damaged model file: feature block {spec['name']!r} has invalid analyzer flags")
        weight = spec.get("weight")
        if not (isinstance(weight, int | float) and not isinstance(weight, bool) and 0 < weight <= MAX_BLOCK_WEIGHT):
            fail(f"damaged model file: feature block {spec['name']!r} has an invalid weight {weight!r}")
        if not isinstance(spec.get("sublinear_tf"), bool):
            fail(f"damaged model file: feature block {spec['name']!r} has no sublinear_tf flag")
        buckets = spec.get("n_buckets")
        if buckets is not None:
            if version != HASHED_FORMAT_VERSION:
                fail(f"damaged model file: hashed block {spec['name']!r} in a version {version} file")
            if type(buckets) is not int or not 1 <= buckets <= MAX_BUCKETS or spec.get("n_features") != 0:
                fail(f"damaged model file: feature block {spec['name']!r} has an invalid n_buckets {buckets!r}")
        names.append(spec["name"])
    if not names or len(set(names)) != len(names):
        fail("damaged model file: feature blocks are missing or share a name")


def _check_consistency(path: Path, model: ModelData, manifest: dict) -> None:
    def fail(problem: str):
        raise ModelFileError(located(path, None, f"inconsistent model file: {problem}"))

    for block, spec in zip(model.blocks, manifest["blocks"]):
        features = block.features
        # sorted strictly ascending: no feature twice, and look-ups can bisect
        if not all(map(operator.lt, features, itertools.islice(features, 1, None))):  # in C: cold start
            fail(f"vocabulary {block.name!r} is not sorted or lists a feature twice")
        if len(features) != spec.get("n_features"):
            fail(f"vocabulary {block.name!r} has {len(features)} features, the manifest says {spec.get('n_features')}")
        if block.idf.shape != (block.width,):
            fail(f"idf of {block.name!r} has shape {block.idf.shape}, expected ({block.width},)")
        if np.any(block.idf <= 0):
            fail(f"idf of {block.name!r} has non-positive weights")
    rows = 1 if len(model.classes) == 2 else len(model.classes)
    if model.coef.shape != (rows, model.n_features):
        fail(f"coefficients have shape {model.coef.shape}, expected ({rows}, {model.n_features})")
    if model.intercept.shape != (rows,):
        fail(f"intercepts have shape {model.intercept.shape}, expected ({rows},)")


def default_model_path() -> Path:
    """Where the default model shipped inside the package lies."""
    return Path(__file__).resolve().parent / "models" / "default.stance"
