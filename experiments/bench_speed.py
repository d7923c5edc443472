"""Speed and memory: stanceclf against a plain scikit-learn pipeline and fastText, in one run.

    pip install -e ".[bench]"        # fastText and matplotlib; without them those parts are skipped
    python experiments/bench_speed.py [--sizes 10000,100000,1000000] [--main 200000] [--runs 7]

On a synthetic corpus (experiments/synthetic.py: Zipf vocabulary, 8-30 words, clearly fake,
for timing only) of each size, every tool is run as a separate process, as a user would:

- training: stanceclf `train` (word 1-2-grams with negation marking, the same n-grams as the
  references; and at the main size also the default word + character features), scikit-learn
  `TfidfVectorizer(ngram_range=(1, 2))` + `LogisticRegression` saved with joblib, fastText
  (`wordNgrams=2`, 5 epochs, 2 threads);
- macro-F1 on 20,000 held-out synthetic statements;
- batch prediction of the corpus-sized file to JSON lines (text, label, every probability);
- cold start at the main size: one statement from a fresh process, median of ``--runs`` runs,
  next to `python -c "import numpy"` (the floor) and the shipped default model;
- model file size.

Wall times and peak memory (the process tree's Pss, sampled, and the process's own max RSS)
come from the same machine in the same run; ratios are taken against fastText and
scikit-learn. Writes experiments/results/speed.md and .json, and speed.png with matplotlib.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from synthetic import synthetic_statements, write_corpus

from common import RESULTS, machine, run_measured, write_results

PYTHON = sys.executable
HELD_OUT = 20_000

SKLEARN_TRAIN = """
import csv, sys, joblib
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(max_iter=1000))
model.fit([r["text"] for r in rows], [r["label"] for r in rows])
joblib.dump(model, sys.argv[2])
"""
SKLEARN_PREDICT = """
import json, sys, joblib
model = joblib.load(sys.argv[1])
out = open(sys.argv[3], "w", encoding="utf-8")
classes = [str(c) for c in model.classes_]
def flush(lines):
    for text, p in zip(lines, model.predict_proba(lines)):
        best = max(range(len(classes)), key=p.__getitem__)
        record = {"text": text, "label": classes[best], "proba": dict(zip(classes, map(float, p)))}
        out.write(json.dumps(record) + "\\n")
lines = []
for line in open(sys.argv[2], encoding="utf-8"):
    lines.append(line.rstrip("\\n"))
    if len(lines) == 10000:
        flush(lines); lines = []
if lines:
    flush(lines)
"""
SKLEARN_COLD = "import sys, joblib; print(joblib.load(sys.argv[1]).predict([sys.argv[2]])[0])"
FASTTEXT_TRAIN = """
import csv, sys, fasttext
with open(sys.argv[1], encoding="utf-8") as source, open(sys.argv[3], "w", encoding="utf-8") as target:
    for row in csv.DictReader(source):
        target.write(f"__label__{row['label']} {row['text']}\\n")
model = fasttext.train_supervised(sys.argv[3], wordNgrams=2, epoch=5, thread=2, verbose=0)
model.save_model(sys.argv[2])
"""
FASTTEXT_PREDICT = """
import json, sys, fasttext
model = fasttext.load_model(sys.argv[1])
out = open(sys.argv[3], "w", encoding="utf-8")
def flush(lines):
    labels, probabilities = model.predict(lines, k=-1)
    for text, names, p in zip(lines, labels, probabilities):
        proba = {n.replace("__label__", ""): float(v) for n, v in zip(names, p)}
        out.write(json.dumps({"text": text, "label": max(proba, key=proba.get), "proba": proba}) + "\\n")
lines = []
for line in open(sys.argv[2], encoding="utf-8"):
    lines.append(line.rstrip("\\n"))
    if len(lines) == 10000:
        flush(lines); lines = []
if lines:
    flush(lines)
"""
FASTTEXT_COLD = "import sys, fasttext; print(fasttext.load_model(sys.argv[1]).predict(sys.argv[2])[0][0])"
SCORE = """
import csv, json, sys
from stanceclf.metrics import macro_f1
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
kind, path = sys.argv[1], sys.argv[3]
if kind == "sklearn":
    import joblib
    predicted = [str(p) for p in joblib.load(path).predict(texts)]
elif kind == "fasttext":
    import fasttext
    predicted = [p[0].replace("__label__", "") for p in fasttext.load_model(path).predict(texts)[0]]
else:
    from stanceclf.inference import load_predictor
    predicted = [str(p) for p in load_predictor(path).predict(texts)]
print(json.dumps(macro_f1(labels, predicted)))
"""


def has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def python(code: str, *args) -> list[str]:
    return [PYTHON, "-c", code, *map(str, args)]


def stanceclf(*args) -> list[str]:
    return [PYTHON, "-m", "stanceclf", *map(str, args)]


def checked(result: dict, what: str) -> dict:
    if result["returncode"] != 0:
        raise SystemExit(f"{what} failed with exit code {result['returncode']}")
    return result


def held_out_f1(kind: str, held_out: Path, model: Path) -> float:
    import subprocess

    out = subprocess.run(python(SCORE, kind, held_out, model), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def feature_count(model: Path) -> int:
    from stanceclf.persist import load_model_data

    return load_model_data(model).n_features


def cold_start(command: list[str], runs: int) -> dict:
    results = [checked(run_measured(command, interval=None), " ".join(command[:3])) for _ in range(runs)]
    return {
        "median_seconds": statistics.median(r["seconds"] for r in results),
        "seconds": [r["seconds"] for r in results],
        "peak_mib": max(r["peak_mib"] for r in results),
    }


def bench_size(size: int, folder: Path, main_size: bool, fasttext: bool) -> dict:
    """Train, score and batch-predict every tool on a synthetic corpus of ``size`` statements."""
    train = write_corpus(folder / f"train{size}.csv", size, seed=0)
    held_out = folder / "held_out.csv"
    if not held_out.exists():
        write_corpus(held_out, HELD_OUT, seed=1)
    batch = folder / f"batch{size}.txt"
    batch.write_text("\n".join(synthetic_statements(size, seed=2)[0]) + "\n", encoding="utf-8")
    out = folder / "out.jsonl"
    tools = {}

    model = folder / f"words{size}.stance"
    train_run = checked(
        run_measured(stanceclf("train", train, "-o", model, "--char-ngrams", "none", "--force")), "train"
    )
    predict_run = checked(
        run_measured(
            stanceclf("predict", "--input", batch, "--format", "jsonl", "--model", model, "-o", out, "--force")
        ),
        "predict",
    )
    tools["stanceclf"] = {"train": train_run, "predict": predict_run, "model": model}

    if main_size:
        model = folder / f"default{size}.stance"
        train_run = checked(run_measured(stanceclf("train", train, "-o", model, "--force")), "train default")
        predict_run = checked(
            run_measured(
                stanceclf("predict", "--input", batch, "--format", "jsonl", "--model", model, "-o", out, "--force")
            ),
            "predict default",
        )
        tools["stanceclf (word + char, defaults)"] = {"train": train_run, "predict": predict_run, "model": model}

    model = folder / f"sklearn{size}.joblib"
    train_run = checked(run_measured(python(SKLEARN_TRAIN, train, model)), "sklearn train")
    predict_run = checked(run_measured(python(SKLEARN_PREDICT, model, batch, out)), "sklearn predict")
    tools["scikit-learn pipeline"] = {"train": train_run, "predict": predict_run, "model": model, "kind": "sklearn"}

    if fasttext:
        model = folder / f"fasttext{size}.bin"
        train_run = checked(run_measured(python(FASTTEXT_TRAIN, train, model, folder / "ft.txt")), "fastText train")
        predict_run = checked(run_measured(python(FASTTEXT_PREDICT, model, batch, out)), "fastText predict")
        tools["fastText"] = {"train": train_run, "predict": predict_run, "model": model, "kind": "fasttext"}

    report = {}
    for name, tool in tools.items():
        report[name] = {
            "train_seconds": tool["train"]["seconds"],
            "train_peak_mib": tool["train"]["peak_mib"],
            "predict_per_second": size / tool["predict"]["seconds"],
            "predict_peak_mib": tool["predict"]["peak_mib"],
            "model_mib": tool["model"].stat().st_size / 2**20,
            "held_out_macro_f1": held_out_f1(tool.get("kind", "stanceclf"), held_out, tool["model"]),
            "features": feature_count(tool["model"]) if "kind" not in tool else None,
            "model_path": str(tool["model"]),
        }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--main", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",")} | {args.main})
    fasttext = has_module("fasttext")
    notes = [] if fasttext else ["fastText is not installed (`pip install -e '.[bench]'`): its column is skipped."]
    results: dict = {"machine": machine(), "sizes": {}, "notes": notes}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for size in sizes:
            print(f"size {size:,} ...", flush=True)
            results["sizes"][size] = bench_size(size, folder, size == args.main, fasttext)
        main = results["sizes"][args.main]
        sentence = "w12 w7 w305 w4 w18 w1 w900 w3 w51"
        cold = {"python -c 'import numpy'": cold_start([PYTHON, "-c", "import numpy"], args.runs)}
        cold["stanceclf predict, default model"] = cold_start(
            stanceclf("predict", "Rome will not send troops to Ukraine."), args.runs
        )
        cold["stanceclf predict, synthetic word model"] = cold_start(
            stanceclf("predict", "--model", main["stanceclf"]["model_path"], sentence), args.runs
        )
        cold["scikit-learn pipeline"] = cold_start(
            python(SKLEARN_COLD, main["scikit-learn pipeline"]["model_path"], sentence), args.runs
        )
        if fasttext:
            cold["fastText"] = cold_start(python(FASTTEXT_COLD, main["fastText"]["model_path"], sentence), args.runs)
        results["cold_start"] = cold
    write_results("speed", render(results, args), results)
    plot(results)


def render(results: dict, args) -> str:
    main = results["sizes"][args.main]
    reference = main.get("fastText")
    sklearn = main["scikit-learn pipeline"]
    lines = [
        "# Speed and memory: stanceclf, a plain scikit-learn pipeline and fastText",
        "",
        f"Synthetic corpus (`experiments/synthetic.py`, for timing only), {args.main:,} statements of 8-30 words; "
        f"held-out macro-F1 on {HELD_OUT:,} more. Every figure from one run of "
        f"`python experiments/bench_speed.py --sizes {args.sizes} --main {args.main}` on: {results['machine']}.",
        *[f"\n{note}" for note in results["notes"]],
        "",
        "| | train (s) | train peak (MiB) | batch predict (statements/s) | predict peak (MiB) "
        "| model file (MiB) | held-out macro-F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in main.items():
        lines.append(
            f"| {name} | {row['train_seconds']:.1f} | {row['train_peak_mib']:.0f} | {row['predict_per_second']:,.0f} "
            f"| {row['predict_peak_mib']:.0f} | {row['model_mib']:.1f} | {row['held_out_macro_f1']:.4f} |"
        )
    ours = main["stanceclf"]
    lines += ["", f"stanceclf's word 1-2-gram model has {ours['features']:,} features."]
    lines += ["", "Ratios (stanceclf with the same word 1-2-grams as the references):", ""]
    lines += ["| | vs scikit-learn | vs fastText |", "|---|---|---|"]

    def ratio(a, b):
        return f"{a / b:.2f}x" if b else "-"

    for label, key in (
        ("training time (lower is better)", "train_seconds"),
        ("batch statements/s (higher is better)", "predict_per_second"),
        ("batch peak memory (lower is better)", "predict_peak_mib"),
    ):
        versus_fasttext = ratio(ours[key], reference[key]) if reference else "not run"
        lines.append(f"| {label} | {ratio(ours[key], sklearn[key])} | {versus_fasttext} |")

    def points(other):
        return f"{100 * (ours['held_out_macro_f1'] - other['held_out_macro_f1']):+.2f}" if other else "not run"

    lines.append(f"| held-out macro-F1 difference (points) | {points(sklearn)} | {points(reference)} |")
    cold = results["cold_start"]
    floor = cold["python -c 'import numpy'"]["median_seconds"]
    lines += ["", f"Cold start, one statement from a fresh process (median of {args.runs} runs):", ""]
    lines += ["| | median (s) | vs `import numpy` | peak (MiB) |", "|---|---|---|---|"]
    for name, row in cold.items():
        lines.append(
            f"| {name} | {row['median_seconds']:.3f} | {row['median_seconds'] / floor:.2f}x | {row['peak_mib']:.0f} |"
        )
    lines += ["", "By corpus size (stanceclf: word 1-2-grams):", ""]
    lines += [
        "| statements | tool | train (s) | train peak (MiB) | statements/s | predict peak (MiB) |",
        "|---|---|---|---|---|---|",
    ]
    for size, tools in results["sizes"].items():
        for name, row in tools.items():
            lines.append(
                f"| {int(size):,} | {name} | {row['train_seconds']:.1f} | {row['train_peak_mib']:.0f} "
                f"| {row['predict_per_second']:,.0f} | {row['predict_peak_mib']:.0f} |"
            )
    if (RESULTS / "speed.png").exists() or has_module("matplotlib"):
        lines += ["", "![time and memory against corpus size](speed.png)"]
    return "\n".join(lines) + "\n"


def plot(results: dict) -> None:
    if not has_module("matplotlib"):
        print("matplotlib is not installed: no plot")
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(results["sizes"], key=int)
    names = [n for n in results["sizes"][sizes[0]]]
    figure, axes = plt.subplots(1, 3, figsize=(13, 4))
    for name in names:
        xs = [int(s) for s in sizes if name in results["sizes"][s]]
        rows = [results["sizes"][s][name] for s in sizes if name in results["sizes"][s]]
        axes[0].plot(xs, [r["train_seconds"] for r in rows], marker="o", label=name)
        axes[1].plot(xs, [r["train_peak_mib"] for r in rows], marker="o", label=name)
        axes[2].plot(xs, [r["predict_per_second"] for r in rows], marker="o", label=name)
    for ax, title in zip(axes, ("training time (s)", "training peak memory (MiB)", "batch statements/s")):
        ax.set_xscale("log")
        ax.set_xlabel("statements")
        ax.set_title(title)
        ax.grid(alpha=0.3)
    axes[0].set_yscale("log")
    axes[0].legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(RESULTS / "speed.png", dpi=110)


if __name__ == "__main__":
    main()
