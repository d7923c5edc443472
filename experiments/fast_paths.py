"""Does each hand-written fast path beat the plain way? Medians of several runs, one table.

    python experiments/fast_paths.py [--rows 40000] [--repeats 5]

Measures, on the synthetic corpus (experiments/synthetic.py; timing only):
- our TF-IDF fit (stanceclf.vectorize.fit_tfidf) against scikit-learn's TfidfVectorizer with the
  same analyzer, per block kind (word, char, target-conjoined word, target), in one process;
- numbering a block's features in one process against two (a forked child takes half);
- the console script's quick path (stanceclf.launcher) against the click CLI, as whole processes;
- batch.csv_line against csv.writer;
- the n-gram tables of stanceclf.occurrences (a chunk at a time; char n-grams per distinct word,
  word n-grams as integer keys) against the analyzer called statement by statement, per block;
- the ASCII tokeniser of a joined chunk (translate + split) against the regular expression;
- the sgd step by scipy's sparse products against numpy gathers and a bincount per class;
- loading the training file in a forked child while scikit-learn imports, against one after the other.

A fast path is kept when its median is at least 10% faster than the plain way; results go to
experiments/results/fast_paths.{md,json}. ``--only GROUPS`` measures some groups and keeps the
other rows; ``--cpu`` times in-process measures by CPU time (steadier on a loaded machine).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import synthetic_statements, write_corpus  # noqa: E402

from common import RESULTS, machine  # noqa: E402

MARGIN = 0.10  # a fast path must save at least this share of the plain way's time


CLOCK = {"clock": time.perf_counter, "timer": "wall"}  # --cpu: this process's CPU time instead


def median_time(work, repeats: int) -> float:
    clock = CLOCK["clock"]
    times = []
    for _ in range(repeats):
        start = clock()
        work()
        times.append(clock() - start)
    return statistics.median(times)


def tfidf_rows(texts, targets, repeats: int) -> list[dict]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from stanceclf import vectorize
    from stanceclf.features import Analyzer

    pairs = list(zip(texts, targets))
    blocks = [
        ("word 1-2, negation", Analyzer("word", (1, 2), True, True), texts),
        ("char 3-6, negation", Analyzer("char", (3, 6), True, True), texts),
        ("word 1-2 tied to the target", Analyzer("word", (1, 2), True, True, conjoin=True), pairs),
        ("target bias", Analyzer("target"), pairs),
    ]
    saved = getattr(vectorize, "PARALLEL_FROM", None)
    if saved is not None:
        vectorize.PARALLEL_FROM = 1 << 62  # one process on both sides
    rows = []
    try:
        for name, analyzer, inputs in blocks:
            ours = median_time(lambda a=analyzer, x=inputs: vectorize.fit_tfidf(x, a), repeats)
            plain = median_time(
                lambda a=analyzer, x=inputs: TfidfVectorizer(
                    analyzer=a, sublinear_tf=True, dtype=np.float64
                ).fit_transform(x),
                repeats,
            )
            rows.append(row(f"TF-IDF fit, {name}", "stanceclf.vectorize.fit_tfidf", ours, "TfidfVectorizer", plain))
    finally:
        if saved is not None:
            vectorize.PARALLEL_FROM = saved
    return rows


def two_process_rows(texts, repeats: int) -> list[dict]:
    from stanceclf import vectorize
    from stanceclf.features import Analyzer

    rows: list[dict] = []
    if not hasattr(vectorize, "PARALLEL_FROM"):
        return rows  # removed after losing; see experiments/results/fast_paths.md
    for name, analyzer in (("word 1-2", Analyzer("word", (1, 2), True, True)), ("char 3-6", Analyzer("char", (3, 6)))):
        saved = vectorize.PARALLEL_FROM
        try:
            vectorize.PARALLEL_FROM = 0
            two = median_time(lambda a=analyzer: vectorize.fit_tfidf(texts, a), repeats)
            vectorize.PARALLEL_FROM = 1 << 62
            one = median_time(lambda a=analyzer: vectorize.fit_tfidf(texts, a), repeats)
        finally:
            vectorize.PARALLEL_FROM = saved
        rows.append(row(f"numbering features, {name} block", "two processes (fork)", two, "one process", one))
    return rows


def table_rows(texts, repeats: int) -> list[dict]:
    """The n-gram tables (stanceclf.occurrences) against the analyzer called statement by statement."""
    from collections import defaultdict

    from stanceclf.features import Analyzer
    from stanceclf.occurrences import chunked_counts, ngram_table

    rows = []
    for name, analyzer in (
        ("char 3-6, negation", Analyzer("char", (3, 6), True, True)),
        ("word 1-2, negation", Analyzer("word", (1, 2), True, True)),
    ):

        def count(tables: bool, a=analyzer):
            numbering = defaultdict()
            numbering.default_factory = numbering.__len__
            table = ngram_table(a, numbering.__getitem__) if tables else None
            return chunked_counts(texts, a, numbering.__getitem__, table)

        rows.append(
            row(
                f"feature occurrences and counts, {name} block",
                "occurrences.ngram_table (per chunk, per distinct word / integer n-gram keys)",
                median_time(lambda: count(True), repeats),
                "the analyzer statement by statement",
                median_time(lambda: count(False), repeats),
            )
        )
    return rows


def tokenizer_rows(texts, repeats: int) -> list[dict]:
    """Tokenising a joined ASCII chunk without apostrophes by blanking and splitting, against the regular expression."""
    from stanceclf.features import _WORD
    from stanceclf.occurrences import _tokens

    joined = " ".join(texts)
    assert "'" not in joined and _tokens(joined) == _WORD.findall(joined)
    return [
        row(
            f"word tokens of {len(texts):,} joined ASCII statements without apostrophes",
            "occurrences._tokens (translate + split)",
            median_time(lambda: _tokens(joined), repeats),
            "features._WORD.findall",
            median_time(lambda: _WORD.findall(joined), repeats),
        )
    ]


def sgd_rows(texts, labels, repeats: int) -> list[dict]:
    """The sgd step through scipy's sparse products against numpy gathers and a bincount per class."""
    from stanceclf import StanceClassifier
    from stanceclf.sgd import SoftmaxSGD

    model = StanceClassifier(solver="sgd", epochs=1).fit(texts, labels)
    blocks = [vectorizer.transform(texts) for _, vectorizer in model.vectorizers_]
    codes = np.unique(labels, return_inverse=True)[1]
    width = sum(block.shape[1] for block in blocks)
    bincount_sgd = _bincount_sgd()

    def epoch(solver_class):
        solver = solver_class(width, 3, C=10.0, n_samples=len(codes))
        solver.partial_fit(blocks, codes)
        return solver

    assert np.array_equal(epoch(SoftmaxSGD).coef, epoch(bincount_sgd).coef), "the two steps disagree"
    return [
        row(
            f"one sgd epoch, default features, {len(texts):,} statements",
            "sgd step by scipy sparse products",
            median_time(lambda: epoch(SoftmaxSGD), repeats),
            "numpy gathers + bincount per class",
            median_time(lambda: epoch(bincount_sgd), repeats),
        )
    ]


def _bincount_sgd():
    from stanceclf.sgd import SoftmaxSGD

    class BincountSGD(SoftmaxSGD):
        """The step before scipy's products: what the fast step must equal, bit for bit."""

        def _step(self, columns, values, indptr, codes, weights) -> None:
            batch, n_classes = len(codes), self.intercept.shape[0]
            rows = np.repeat(np.arange(batch), np.diff(indptr))
            occurrence = np.arange(len(columns))
            self._position[columns] = occurrence
            last = self._position[columns]
            is_last = last == occurrence
            features = columns[is_last]
            unique_of = (np.cumsum(is_last) - 1)[last]
            state = self._state[features]
            coef, squared = state[:, :n_classes], state[:, n_classes:]
            per_occurrence = coef[unique_of] * values[:, None]
            scores = np.empty((batch, n_classes))
            for k in range(n_classes):
                scores[:, k] = np.bincount(rows, weights=per_occurrence[:, k], minlength=batch)
            scores += self.intercept
            scores -= scores.max(axis=1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=1, keepdims=True)
            scores[np.arange(batch), codes] -= 1.0
            scores *= (weights / batch)[:, None]
            np.multiply(scores[rows], values[:, None], out=per_occurrence)
            gradient = np.empty((len(features), n_classes))
            for k in range(n_classes):
                gradient[:, k] = np.bincount(unique_of, weights=per_occurrence[:, k], minlength=len(features))
            gradient += self.l2 * coef
            squared += gradient * gradient
            coef -= self.learning_rate * gradient / np.sqrt(squared)
            self._state[features] = state
            intercept_gradient = scores.sum(axis=0)
            self._squared_intercept += intercept_gradient * intercept_gradient
            self.intercept -= self.learning_rate * intercept_gradient / np.sqrt(self._squared_intercept)

    return BincountSGD


def process_seconds(args: list[str], repeats: int) -> float:
    return median_time(lambda: subprocess.run(args, check=True, capture_output=True), repeats)


def launcher_rows(repeats: int) -> list[dict]:
    if importlib.util.find_spec("stanceclf.launcher") is None:
        return []  # removed after losing; see experiments/results/fast_paths.md
    text = "Rome will not send troops to Ukraine."
    quick = [sys.executable, "-c", "from stanceclf.launcher import main; main()", "predict", text]
    full = [sys.executable, "-c", "import sys; from stanceclf.cli import main; main(sys.argv[1:])", "predict", text]
    process_seconds(quick, 1)  # warm the file cache
    # Starting Python and importing numpy is a floor both pay; the cold-start goal is stated as a
    # ratio to it, so the saving counts on the time above it, the part stanceclf controls.
    floor = process_seconds([sys.executable, "-c", "import numpy"], repeats)
    return [
        row(
            f"`stanceclf predict TEXT`, whole process (saving on the time above `import numpy`, {floor:.3f} s)",
            "launcher quick path",
            process_seconds(quick, repeats),
            "click CLI",
            process_seconds(full, repeats),
            floor,
        )
    ]


def csv_rows(repeats: int) -> list[dict]:
    from stanceclf.batch import csv_line

    rng = np.random.default_rng(0)
    cells = [
        [f"{i}", f'statement {i}, "quoted" {rng.integers(1000)}', "support", *map(repr, rng.random(3).tolist())]
        for i in range(100_000)
    ]

    def ours():
        return "".join(map(csv_line, cells))

    def plain():
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(cells)
        return buffer.getvalue()

    assert ours() == plain(), "csv_line and csv.writer disagree"
    return [
        row(
            "CSV lines, 100,000 rows of 6 cells",
            "batch.csv_line",
            median_time(ours, repeats),
            "csv.writer",
            median_time(plain, repeats),
        )
    ]


OVERLAP_SCRIPT = """
import sys, time
start = time.perf_counter()
from stanceclf.data import load_dataset
from stanceclf.forked import load_while_importing
import importlib
path, overlapped = sys.argv[1], sys.argv[2] == "1"
if overlapped:
    data = load_while_importing(lambda: load_dataset(path), "stanceclf.model")
else:
    importlib.import_module("stanceclf.model")
    data = load_dataset(path)
print(time.perf_counter() - start)
"""


def overlap_rows(path: Path, repeats: int) -> list[dict]:
    if importlib.util.find_spec("stanceclf.forked") is None:
        return []  # removed after losing; see experiments/results/fast_paths.md

    def seconds(flag: str) -> float:
        runs = []
        for _ in range(repeats):
            out = subprocess.run(
                [sys.executable, "-c", OVERLAP_SCRIPT, str(path), flag], check=True, capture_output=True, text=True
            ).stdout
            runs.append(float(out.strip().splitlines()[-1]))
        return statistics.median(runs)

    seconds("0")  # warm the file cache
    return [
        row(
            "load the training file and import scikit-learn",
            "overlapped (fork)",
            seconds("1"),
            "one after the other",
            seconds("0"),
        )
    ]


def row(what: str, fast: str, fast_seconds: float, plain: str, plain_seconds: float, floor: float = 0.0) -> dict:
    """One table row; the saving is counted on the time above ``floor`` (what neither way can avoid)."""
    saving = 1 - (fast_seconds - floor) / (plain_seconds - floor)
    return {
        "measure": what,
        "timer": CLOCK["timer"] if floor == 0.0 else "wall",
        "load": round(os.getloadavg()[0], 1),
        "fast_path": fast,
        "fast_seconds": round(fast_seconds, 4),
        "plain_way": plain,
        "plain_seconds": round(plain_seconds, 4),
        "speedup": round(plain_seconds / fast_seconds, 2),
        "verdict": "keep" if saving >= MARGIN else "remove",
    }


GROUPS = ("tfidf", "tables", "tokens", "sgd", "processes", "launcher", "csv", "overlap")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000, help="synthetic statements for the TF-IDF timings")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", default=",".join(GROUPS), help=f"measure these groups, keep the other rows: {GROUPS}")
    parser.add_argument(
        "--cpu", action="store_true", help="time in-process measures by CPU time (steadier on a loaded machine)"
    )
    args = parser.parse_args()
    if args.cpu:
        CLOCK.update(clock=time.process_time, timer="CPU")
    only = set(args.only.split(","))
    texts, labels = synthetic_statements(args.rows)
    targets = [f"target{i % 12}" for i in range(len(texts))]
    measures = {
        "tfidf": lambda: tfidf_rows(texts, targets, args.repeats),
        "tables": lambda: table_rows(texts, args.repeats),
        "tokens": lambda: tokenizer_rows(texts[:8192], args.repeats),
        "sgd": lambda: sgd_rows(texts, labels, args.repeats),
        "processes": lambda: two_process_rows(texts, args.repeats),
        "launcher": lambda: launcher_rows(args.repeats),
        "csv": lambda: csv_rows(args.repeats),
        "overlap": lambda: overlap_rows(write_corpus(Path(folder) / "corpus.csv", args.rows), args.repeats),
    }
    command = f"python experiments/fast_paths.py --rows {args.rows} --repeats {args.repeats}"
    command += (f" --only {args.only}" if only != set(GROUPS) else "") + (" --cpu" if args.cpu else "")
    new = []
    with tempfile.TemporaryDirectory() as folder:
        for group in GROUPS:
            if group in only:
                for measured in measures[group]():
                    new.append({**measured, "command": command, "machine": machine()})
    RESULTS.mkdir(parents=True, exist_ok=True)
    stored = RESULTS / "fast_paths.json"
    rows = new
    if only != set(GROUPS) and stored.exists():  # keep the rows this run did not measure, in their place
        earlier = json.loads(stored.read_text(encoding="utf-8"))
        old_rows = [
            {"command": earlier.get("command", ""), "machine": earlier["machine"], **r} for r in earlier["results"]
        ]
        fresh = {r["measure"]: r for r in new}
        rows = [fresh.pop(r["measure"], r) for r in old_rows] + list(fresh.values())
    result = {"margin": MARGIN, "machine": machine(), "command": command, "results": rows}
    stored.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# Hand-written fast paths against the plain way",
        "",
        "Medians of several runs on synthetic statements (experiments/synthetic.py); each row names the command,",
        "timer (wall time, or the process's CPU time with --cpu) and 1-minute load average it was measured under.",
        f"A fast path is kept when it saves at least {MARGIN:.0%} of the plain way's time.",
        "",
        "| measure | fast path | s | plain way | s | speed-up | verdict | timer, load | command and machine |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['measure']} | {r['fast_path']} | {r['fast_seconds']:.3f} | {r['plain_way']} | "
            f"{r['plain_seconds']:.3f} | {r['speedup']:.2f}x | {r['verdict']} | {r.get('timer', 'wall')}, "
            f"{r.get('load', 'quiet')} | `{r['command']}` on {r['machine']} |"
        )
    # the notes below the table are written by hand: keep them when rerunning
    path = RESULTS / "fast_paths.md"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    notes = old[old.index("\nNotes") :] if "\nNotes" in old else ""
    path.write_text("\n".join(lines) + "\n" + notes, encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
