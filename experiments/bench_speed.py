"""Speed and memory: stanceclf against a plain scikit-learn pipeline and fastText, in one run.

    pip install -e ".[bench]"        # fastText and matplotlib; without them those parts are skipped
    python experiments/bench_speed.py [--sizes 10000,100000,1000000] [--main 200000] [--runs 7] [--repeat 3]

On a synthetic corpus (experiments/synthetic.py: Zipf vocabulary, 8-30 words, clearly fake,
for timing only) of each size, every tool is run as a separate process, as a user would:

- training: stanceclf `train` (word 1-2-grams with negation marking, the same n-grams as the
  references, solver "auto": lbfgs below 50,000 statements, sgd from there); at the main and the
  largest size also the default word + character features; stanceclf `train --out-of-core`
  (the same n-grams hashed into 2**20 columns, streamed in chunks of 50,000); scikit-learn
  `TfidfVectorizer(ngram_range=(1, 2))` + `LogisticRegression` saved with joblib; fastText
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
import os
import statistics
import sys
import tempfile
from pathlib import Path

from synthetic import synthetic_statements, write_corpus

from common import RESULTS, machine, run_measured, write_results

PYTHON = sys.executable
HELD_OUT = 20_000
DEFAULTS = "stanceclf (word + char, defaults)"
BEFORE = "stanceclf before this change (word + char, defaults)"

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


def median_of(runs: list[dict]) -> dict:
    """The run of median wall time among ``runs``, with every run's times and the highest peak seen."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["all_seconds"] = [r["seconds"] for r in runs]
    chosen["peak_mib"] = max(r["peak_mib"] for r in runs)
    cpu = [r["cpu_seconds"] for r in runs if r.get("cpu_seconds") is not None]
    chosen["cpu_seconds"] = statistics.median(cpu) if cpu else None
    return chosen


def alternating(commands: dict[str, list[str]], repeat: int, what: str) -> dict[str, dict]:
    """Run every command once, then again, ``repeat`` rounds; the median run of each.

    Alternating rather than repeating each command in a row spreads a change in the machine's
    load over all the tools alike.
    """
    runs: dict[str, list[dict]] = {name: [] for name in commands}
    for round_number in range(repeat):
        for name, command in commands.items():
            print(f"  {what} {name} (round {round_number + 1} of {repeat}) ...", flush=True)
            runs[name].append(checked(run_measured(command), f"{name} {what}"))
    return {name: median_of(measured) for name, measured in runs.items()}


TOOLS = ("words", "outofcore", "defaults", "before", "sklearn", "fasttext")
NAMES = {
    "words": "stanceclf",
    "outofcore": "stanceclf out-of-core (hashed, sgd)",
    "defaults": DEFAULTS,
    "before": BEFORE,
    "sklearn": "scikit-learn pipeline",
    "fasttext": "fastText",
}


def corpora(size: int, folder: Path) -> tuple[Path, Path, Path]:
    """The training corpus, the held-out corpus and the batch file of ``size`` statements (reused if there)."""
    train, held_out, batch = folder / f"train{size}.csv", folder / "held_out.csv", folder / f"batch{size}.txt"
    if not train.exists():
        write_corpus(train, size, seed=0)
    if not held_out.exists():
        write_corpus(held_out, HELD_OUT, seed=1)
    if not batch.exists():
        batch.write_text("\n".join(synthetic_statements(size, seed=2)[0]) + "\n", encoding="utf-8")
    return train, held_out, batch


def bench_size(size: int, folder: Path, data: Path, *, tools: list[str], baseline: str | None, repeat: int) -> dict:
    """Train, score and batch-predict every tool on a synthetic corpus of ``size`` statements."""
    train, held_out, batch = corpora(size, data)
    out = folder / "out.jsonl"
    words = ("--char-ngrams", "none")
    before = ["env", f"PYTHONPATH={baseline}"] if baseline else []
    trainers = {  # tool: (model file, training command, kind)
        "words": (f"words{size}.stance", stanceclf("train", train, "-o", "{m}", *words, "--force"), None),
        "outofcore": (
            f"outofcore{size}.stance",
            stanceclf("train", train, "-o", "{m}", *words, "--out-of-core", "--force"),
            None,
        ),
        "defaults": (f"default{size}.stance", stanceclf("train", train, "-o", "{m}", "--force"), None),
        "before": (f"before{size}.stance", before + stanceclf("train", train, "-o", "{m}", "--force"), "before"),
        "sklearn": (f"sklearn{size}.joblib", python(SKLEARN_TRAIN, train, "{m}"), "sklearn"),
        "fasttext": (f"fasttext{size}.bin", python(FASTTEXT_TRAIN, train, "{m}", folder / "ft.txt"), "fasttext"),
    }
    predictors = {
        None: lambda m: stanceclf("predict", "--input", batch, "--format", "jsonl", "--model", m, "-o", out, "--force"),
        "before": lambda m: (
            before + stanceclf("predict", "--input", batch, "--format", "jsonl", "--model", m, "-o", out, "--force")
        ),
        "sklearn": lambda m: python(SKLEARN_PREDICT, m, batch, out),
        "fasttext": lambda m: python(FASTTEXT_PREDICT, m, batch, out),
    }
    models = {tool: folder / trainers[tool][0] for tool in tools}
    trained = alternating(
        {tool: [str(models[tool]) if part == "{m}" else part for part in trainers[tool][1]] for tool in tools},
        repeat,
        "train",
    )
    predicted = alternating({tool: predictors[trainers[tool][2]](models[tool]) for tool in tools}, repeat, "predict")
    report = {}
    for tool in tools:
        model, kind = models[tool], trainers[tool][2]
        train_run, predict_run = trained[tool], predicted[tool]
        report[NAMES[tool]] = {
            "train_seconds": train_run["seconds"],
            "train_seconds_all": train_run["all_seconds"],
            "train_cpu_seconds": train_run["cpu_seconds"],
            "train_peak_mib": train_run["peak_mib"],
            "predict_per_second": size / predict_run["seconds"],
            "predict_seconds_all": predict_run["all_seconds"],
            "predict_cpu_seconds": predict_run["cpu_seconds"],
            "predict_peak_mib": predict_run["peak_mib"],
            "model_mib": model.stat().st_size / 2**20,
            "held_out_macro_f1": held_out_f1(kind if kind in ("sklearn", "fasttext") else "stanceclf", held_out, model),
            "features": feature_count(model) if kind in (None, "before") else None,
            "model_path": str(model),
        }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--main", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7, help="cold-start runs (median)")
    parser.add_argument("--repeat", type=int, default=3, help="training and batch runs at the main size (median)")
    parser.add_argument("--name", default="speed", help="results file name (a rerun at fewer sizes keeps speed.md)")
    parser.add_argument("--tools", default="words,outofcore,defaults,sklearn,fasttext", help=f"any of {TOOLS}")
    parser.add_argument(
        "--baseline", help="a folder holding an earlier stanceclf package: its defaults run as the tool 'before'"
    )
    parser.add_argument(
        "--data", type=Path, help="keep the synthetic corpora here and reuse them (default: a temp dir)"
    )
    parser.add_argument("--load-note", default="", help="how loaded the machine was, in words, for the report")
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",")} | {args.main})
    tools = [tool for tool in TOOLS if tool in args.tools.split(",")]
    if "before" in tools and not args.baseline:
        raise SystemExit("the tool 'before' needs --baseline FOLDER")
    notes = [args.load_note] if args.load_note else []
    if "fasttext" in tools and not has_module("fasttext"):
        tools.remove("fasttext")
        notes.append("fastText is not installed (`pip install -e '.[bench]'`): its column is skipped.")
    results: dict = {"machine": machine(), "sizes": {}, "notes": notes, "load_average": {"start": os.getloadavg()}}
    baseline = str(Path(args.baseline).resolve()) if args.baseline else None
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        data = args.data.resolve() if args.data else folder
        data.mkdir(parents=True, exist_ok=True)
        if args.data:  # models and outputs beside the corpora: a shared /tmp may be swept by others
            folder = data / "work"
            folder.mkdir(exist_ok=True)
        # `python -m stanceclf` imports from the working directory first: run where no stanceclf
        # folder is, so that the installed package (or PYTHONPATH, for --baseline) is what runs
        os.chdir(folder)
        # the main size first, then its cold starts: each size's results are written as soon as
        # they are in, so that a long run at the largest size can be cut short
        for size in sorted(sizes, key=lambda s: (s != args.main, s)):
            print(f"size {size:,} ...", flush=True)
            at_size = [t for t in tools if t not in ("defaults", "before") or size in (args.main, max(sizes))]
            results["sizes"][size] = bench_size(
                size,
                folder,
                data,
                tools=at_size,
                baseline=baseline,
                repeat=args.repeat if size == args.main else 1,
            )
            if size == args.main:
                results["cold_start"] = cold_starts(results["sizes"][size], args.runs)
            results["load_average"]["end"] = os.getloadavg()
            write_results(args.name, render(results, args), results)
    if args.name == "speed":
        plot(results)


def cold_starts(main: dict, runs: int) -> dict:
    """One statement from a fresh process, for each tool's model at the main size (and the default model)."""
    sentence = "w12 w7 w305 w4 w18 w1 w900 w3 w51"
    cold = {"python -c 'import numpy'": cold_start([PYTHON, "-c", "import numpy"], runs)}
    cold["stanceclf predict, default model"] = cold_start(
        stanceclf("predict", "Rome will not send troops to Ukraine."), runs
    )
    for name, tool, command in (
        (
            "stanceclf predict, synthetic word model",
            "stanceclf",
            lambda m: stanceclf("predict", "--model", m, sentence),
        ),
        (
            "stanceclf predict, synthetic default-feature model",
            DEFAULTS,
            lambda m: stanceclf("predict", "--model", m, sentence),
        ),
        ("scikit-learn pipeline", "scikit-learn pipeline", lambda m: python(SKLEARN_COLD, m, sentence)),
        ("fastText", "fastText", lambda m: python(FASTTEXT_COLD, m, sentence)),
    ):
        if tool in main:
            cold[name] = cold_start(command(main[tool]["model_path"]), runs)
    return cold


def render(results: dict, args) -> str:
    sizes = sorted(results["sizes"], key=int)
    command = (
        f"python experiments/bench_speed.py --sizes {args.sizes} --main {args.main} --repeat {args.repeat} "
        f"--tools {args.tools}" + (" --baseline BEFORE" if args.baseline else "")
    )
    if args.name != "speed":
        command += f" --name {args.name}"
    load = results.get("load_average", {})
    load_text = ""
    if load:
        load_text = (
            f" Load average (1, 5, 15 min) at the start {', '.join(f'{x:.1f}' for x in load['start'])}, "
            f"at the end {', '.join(f'{x:.1f}' for x in load['end'])}."
        )
    lines = [
        "# Speed and memory: stanceclf, a plain scikit-learn pipeline and fastText",
        "",
        f"Synthetic corpus (`experiments/synthetic.py`, for timing only) of 8-30-word statements; held-out "
        f"macro-F1 on {HELD_OUT:,} more. Every figure from one run of `{command}` on: {results['machine']}."
        f"{load_text} At {args.main:,} statements training and batch prediction are the median of {args.repeat} "
        "alternating runs (every tool once, then again); other sizes ran once. Peak memory is the whole process "
        "tree's (forked workers included); CPU is the process's own user + system seconds (a forked worker's "
        "CPU is not in it), steadier than wall time on a loaded machine.",
        *[f"\n{note}" for note in results["notes"]],
    ]
    for size in sizes:
        tools = results["sizes"][size]
        runs = "median of 3 alternating runs" if int(size) == args.main and args.repeat > 1 else "one run"
        lines += [
            "",
            f"## {int(size):,} statements ({runs})",
            "",
            "| | train (s) | train CPU (s) | train peak (MiB) | batch predict (statements/s) | predict CPU (s) "
            "| predict peak (MiB) | model file (MiB) | held-out macro-F1 |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for name, row in tools.items():
            lines.append(
                f"| {name} | {row['train_seconds']:.1f} | {_cpu(row['train_cpu_seconds'])} "
                f"| {row['train_peak_mib']:.0f} | {row['predict_per_second']:,.0f} "
                f"| {_cpu(row['predict_cpu_seconds'])} "
                f"| {row['predict_peak_mib']:.0f} | {row['model_mib']:.1f} | {row['held_out_macro_f1']:.4f} |"
            )
    lines += [""]
    lines += ratio_table(results, sizes)
    cold = results["cold_start"]
    floor = cold["python -c 'import numpy'"]["median_seconds"]
    lines += ["", f"## Cold start: one statement from a fresh process (median of {args.runs} runs)", ""]
    lines += ["| | median (s) | vs `import numpy` | peak (MiB) |", "|---|---|---|---|"]
    for name, row in cold.items():
        lines.append(
            f"| {name} | {row['median_seconds']:.3f} | {row['median_seconds'] / floor:.2f}x | {row['peak_mib']:.0f} |"
        )
    if all("stanceclf out-of-core (hashed, sgd)" in results["sizes"][size] for size in sizes):
        lines += ["", "## Out of core: what hashing and streaming cost", ""]
        lines += [
            "| statements | in-memory macro-F1 | out-of-core macro-F1 | difference (points) "
            "| in-memory train peak (MiB) | out-of-core train peak (MiB) |",
            "|---|---|---|---|---|---|",
        ]
        for size in sizes:
            ours, streamed = (
                results["sizes"][size]["stanceclf"],
                results["sizes"][size]["stanceclf out-of-core (hashed, sgd)"],
            )
            lines.append(
                f"| {int(size):,} | {ours['held_out_macro_f1']:.4f} | {streamed['held_out_macro_f1']:.4f} "
                f"| {100 * (streamed['held_out_macro_f1'] - ours['held_out_macro_f1']):+.2f} "
                f"| {ours['train_peak_mib']:.0f} | {streamed['train_peak_mib']:.0f} |"
            )
    if (RESULTS / "speed.png").exists() or has_module("matplotlib"):
        lines += ["", "![time and memory against corpus size](speed.png)"]
    return "\n".join(lines) + "\n"


def _cpu(seconds) -> str:
    return "" if seconds is None else f"{seconds:.1f}"


def ratio_table(results: dict, sizes: list) -> list[str]:
    """stanceclf, with the references' word 1-2-grams and at its defaults, against each reference, as ratios."""
    references = ("scikit-learn pipeline", "fastText")
    columns = [(size, reference) for size in sizes for reference in references]
    lines = [
        "Ratios against the references (fastText, and a scikit-learn pipeline, both with word 1-2-grams): "
        "stanceclf with the same word 1-2-grams (matched features), and at its defaults (word 1-2-grams + "
        "character 3-6-grams, what `stanceclf train` gives without flags).",
        "",
        "| stanceclf | measure |" + "".join(f" {int(s):,}: vs {r} |" for s, r in columns),
        "|---|---|" + "---|" * len(columns),
    ]

    def ratio(a, b):
        return f"{a / b:.2f}x"

    def points(a, b):
        return f"{100 * (a - b):+.2f}"

    for ours_name, label in (("stanceclf", "matched features"), (DEFAULTS, "defaults"), (BEFORE, "defaults, before")):
        for measure, key, show in (
            ("training time (lower is better)", "train_seconds", ratio),
            ("batch statements/s (higher is better)", "predict_per_second", ratio),
            ("training peak memory", "train_peak_mib", ratio),
            ("batch peak memory", "predict_peak_mib", ratio),
            ("held-out macro-F1 difference (points)", "held_out_macro_f1", points),
        ):
            cells = []
            for size, reference in columns:
                tools = results["sizes"][size]
                ok = ours_name in tools and reference in tools
                cells.append(show(tools[ours_name][key], tools[reference][key]) if ok else "not run")
            if any(cell != "not run" for cell in cells):
                lines.append(f"| {label} | {measure} | " + " | ".join(cells) + " |")
    return lines


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
