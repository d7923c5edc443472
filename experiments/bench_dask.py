"""Overhead of a Dask cluster on one machine: local ``predict --jobs 2`` and ``train --out-of-core``
against a two-worker LocalCluster.

    python experiments/bench_dask.py [--part predict|train|both] [--lines 1000000] [--files 8]
                                     [--train-rows 200000] [--train-files 8] [--repeats 3]

Prediction: writes LINES statements (the bundled corpus's statements, each made unique with a
counter) to one .txt file, and the same lines split in order over FILES .txt files (the
cluster's unit of work is a file). Times, as the user would run them (wall clock of the whole
command, start-up included):

- local: ``stanceclf predict --input all.txt --jobs 2 --output local.jsonl``;
- dask: ``stanceclf predict --input parts/ --dask local --output-dir out/`` (``--dask local``
  starts a LocalCluster of one worker process per core, here two, and stops it: included);
- dask, warm: :func:`stanceclf.cluster.predict_files` on an already running two-worker
  LocalCluster (what a long-lived cluster costs per run).

Training: TRAIN_ROWS labelled rows (the bundled corpus's rows made unique with a counter) as one
.jsonl file and the same rows in order over TRAIN_FILES files; times
``stanceclf train all.jsonl --out-of-core --buckets 2**18`` against the same command over
``parts/`` with ``--dask local``, and checks that the two models' weights agree.

The runs of each part alternate (local, cluster, warm cluster, local, ...) and the medians are
compared, so that a change in the machine's load hits every contender alike; the load average
is recorded before each run. Each part rewrites its own section of
experiments/results/bench_dask.json after every repeat, and the Markdown is rendered from both
sections.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import BUNDLED, RESULTS, machine, write_results
from stanceclf import load_dataset

TRAIN_BUCKETS = 1 << 18


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def digest(paths) -> str:
    hashed = hashlib.sha256()
    for path in paths:
        hashed.update(Path(path).read_bytes())
    return hashed.hexdigest()


def split_lines(whole: Path, parts: Path, files: int, lines: int, suffix: str) -> None:
    """The lines of ``whole`` in order over ``files`` files ``parts/partNNN<suffix>``."""
    parts.mkdir()
    per_file = -(-lines // files)
    with open(whole, encoding="utf-8") as handle:
        for index in range(files):
            with open(parts / f"part{index:03d}{suffix}", "w", encoding="utf-8") as part:
                for _ in range(per_file):
                    line = handle.readline()
                    if not line:
                        break
                    part.write(line)


def summarise(seconds: dict[str, list[float]], items: int, reference: str) -> dict:
    median = {name: statistics.median(runs) for name, runs in seconds.items()}
    rate = {name: items / value for name, value in median.items()}
    return {
        "seconds": seconds,
        "median_seconds": median,
        "per_second": rate,
        "ratio_to_local": {name: rate[name] / rate[reference] for name in rate},
    }


def bench_predict(lines: int, files: int, repeats: int, save) -> None:
    texts = load_dataset(BUNDLED).texts
    predict = [sys.executable, "-m", "stanceclf", "predict"]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        whole, parts = root / "all.txt", root / "parts"
        with open(whole, "w", encoding="utf-8") as handle:
            for i in range(lines):
                handle.write(f"{texts[i % len(texts)]} (#{i})\n")
        split_lines(whole, parts, files, lines, ".txt")
        size = whole.stat().st_size
        seconds: dict[str, list[float]] = {"local_jobs_2": [], "dask_local_cluster": [], "dask_running_cluster": []}
        load = []
        output, out = root / "local.jsonl", root / "out"
        for _ in range(repeats):
            load.append(os.getloadavg()[0])
            local = [*predict, "--input", str(whole), "--jobs", "2", "--output", str(output), "--force"]
            seconds["local_jobs_2"].append(timed(local))
            load.append(os.getloadavg()[0])
            cold = [*predict, "--input", str(parts), "--dask", "local", "--output-dir", str(out), "--force"]
            seconds["dask_local_cluster"].append(timed(cold))
            load.append(os.getloadavg()[0])
            seconds["dask_running_cluster"].append(warm_predict(parts, root / "warm"))
            print(f"predict: {json.dumps({k: v[-1] for k, v in seconds.items()})}", flush=True)
            identical = digest(sorted(out.iterdir())) == digest([output]) == digest(sorted((root / "warm").iterdir()))
            save(
                {
                    "lines": lines,
                    "files": files,
                    "input_bytes": size,
                    "repeats": len(seconds["local_jobs_2"]),
                    **summarise(seconds, lines, "local_jobs_2"),
                    "identical_bytes": identical,
                    "load_average_before_runs": load,
                }
            )


def warm_predict(parts: Path, out: Path) -> float:
    from distributed import Client

    from stanceclf.cluster import local_cluster, predict_files

    with local_cluster(2) as cluster, Client(cluster) as client:
        started = time.perf_counter()
        predict_files([parts], out, client=client, force=True)
        return time.perf_counter() - started


def bench_train(rows: int, files: int, repeats: int, save) -> None:
    import numpy as np

    from stanceclf.persist import load_model_data

    dataset = load_dataset(BUNDLED)
    train = [sys.executable, "-m", "stanceclf", "train"]
    common = ["--out-of-core", "--buckets", str(TRAIN_BUCKETS), "--force"]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        whole, parts = root / "all.jsonl", root / "parts"
        with open(whole, "w", encoding="utf-8") as handle:
            for i in range(rows):
                j = i % len(dataset.texts)
                handle.write(json.dumps({"text": f"{dataset.texts[j]} (#{i})", "label": dataset.labels[j]}) + "\n")
        split_lines(whole, parts, files, rows, ".jsonl")
        seconds: dict[str, list[float]] = {"train_out_of_core": [], "train_dask_local_cluster": []}
        load = []
        local_model, cluster_model = root / "local.stance", root / "cluster.stance"
        for _ in range(repeats):
            load.append(os.getloadavg()[0])
            seconds["train_out_of_core"].append(timed([*train, str(whole), *common, "-o", str(local_model)]))
            load.append(os.getloadavg()[0])
            cluster = [*train, str(parts), *common, "--dask", "local", "-o", str(cluster_model)]
            seconds["train_dask_local_cluster"].append(timed(cluster))
            print(f"train: {json.dumps({k: v[-1] for k, v in seconds.items()})}", flush=True)
            local, clustered = load_model_data(local_model), load_model_data(cluster_model)
            difference = float(np.max(np.abs(local.coef - clustered.coef)))
            difference = max(difference, float(np.max(np.abs(local.intercept - clustered.intercept))))
            save(
                {
                    "rows": rows,
                    "files": files,
                    "buckets": TRAIN_BUCKETS,
                    "repeats": len(seconds["train_out_of_core"]),
                    **summarise(seconds, rows, "train_out_of_core"),
                    "max_weight_difference": difference,
                    "load_average_before_runs": load,
                }
            )


def paired(section: dict, name: str, reference: str) -> str:
    """Speed against the reference run of the same repeat (run minutes apart, under similar load)."""
    ratios = [local / run for local, run in zip(section["seconds"][reference], section["seconds"][name])]
    return f"{', '.join(f'{r:.2f}x' for r in ratios)} ({statistics.median(ratios):.2f}x)"


def render(data: dict) -> str:
    parts = [
        "# Dask on one machine: overhead against local `--jobs 2` and `train --out-of-core`\n",
        f"Machine: {data['machine']}. The load average before each run is recorded below: above about 3 on "
        "these 2 cores, other work shared the machine and absolute rates are low and vary. The runs alternate "
        "and medians are compared so that load hits every contender alike.\n",
    ]
    for name, section in (("prediction", data.get("predict")), ("training", data.get("train"))):
        if section:
            loads = section["load_average_before_runs"]
            spread = max(max(runs) / min(runs) for runs in section["seconds"].values())
            noisy = "so the ratios below say little about overhead" if spread > 1.5 else "so the ratios below hold"
            variation = (
                f"two runs of the same command differed by up to {spread:.1f}x, {noisy}"
                if section["repeats"] > 1
                else "one run each (no second run within the time), so the ratios below say little about overhead"
            )
            parts.append(f"- {name}: load average from {min(loads):.0f} to {max(loads):.0f} on 2 cores; {variation}.")
    parts[-1] += "\n"
    predict = data.get("predict")
    if predict:
        rows = "\n".join(
            f"| {name} | {', '.join(f'{s:.1f}' for s in predict['seconds'][name])} | {value:.1f} | "
            f"{predict['per_second'][name]:,.0f} | {predict['ratio_to_local'][name]:.2f}x | "
            f"{paired(predict, name, 'local_jobs_2')} |"
            for name, value in predict["median_seconds"].items()
        )
        loads = ", ".join(f"{x:.1f}" for x in predict["load_average_before_runs"])
        parts.append(f"""## Prediction

Input: {predict["lines"]:,} statements ({predict["input_bytes"] / 2**20:.0f} MiB), the bundled corpus's statements made
unique by a counter; one .txt file for the local run, the same lines in order over {predict["files"]} .txt files
for the cluster (its unit of work is a file). Default model, jsonl output. {predict["repeats"]} alternating
run(s) each, wall clock; load average (1 min) before each run: {loads}.

| run | seconds (each run) | median s | statements/s | vs local --jobs 2 (medians) | same repeat: each (median) |
|---|---|---|---|---|---|
{rows}

- local_jobs_2: `stanceclf predict --input all.txt --jobs 2 --output local.jsonl`
- dask_local_cluster: `stanceclf predict --input parts/ --dask local --output-dir out/` (starts and stops a
  two-worker LocalCluster: included in the time)
- dask_running_cluster: `stanceclf.cluster.predict_files` on a two-worker LocalCluster already running
- the cluster's files concatenated are byte-identical to the local output: {predict["identical_bytes"]}
""")
    train = data.get("train")
    if train:
        rows = "\n".join(
            f"| {name} | {', '.join(f'{s:.1f}' for s in train['seconds'][name])} | {value:.1f} | "
            f"{train['per_second'][name]:,.0f} | {train['ratio_to_local'][name]:.2f}x | "
            f"{paired(train, name, 'train_out_of_core')} |"
            for name, value in train["median_seconds"].items()
        )
        loads = ", ".join(f"{x:.1f}" for x in train["load_average_before_runs"])
        parts.append(f"""## Training

Input: {train["rows"]:,} labelled rows (the bundled corpus's rows made unique by a counter) as one .jsonl file, and
the same rows in order over {train["files"]} .jsonl files for the cluster. `--buckets {train["buckets"]}`, other
parameters default. {train["repeats"]} alternating run(s) each, wall clock of the whole command; load average
before each run: {loads}.

| run | seconds (each run) | median s | rows/s | vs train --out-of-core (medians) | same repeat: each (median) |
|---|---|---|---|---|---|
{rows}

- train_out_of_core: `stanceclf train all.jsonl --out-of-core --buckets {train["buckets"]} -o local.stance`
- train_dask_local_cluster: `stanceclf train parts/ --out-of-core --buckets {train["buckets"]} --dask local
  -o cluster.stance` (starts and stops a two-worker LocalCluster: included)
- largest difference between the two models' weights: {train["max_weight_difference"]:.1e}
""")
    parts.append(f"Command: `{data['command']}`\n")
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["predict", "train", "both", "render"], default="both")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--train-rows", type=int, default=200_000)
    parser.add_argument("--train-files", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    command = "python experiments/bench_dask.py " + " ".join(sys.argv[1:])

    def saver(part: str):
        def save(section: dict) -> None:  # after every repeat: a run stopped early still reports
            previous = RESULTS / "bench_dask.json"
            data = json.loads(previous.read_text(encoding="utf-8")) if previous.exists() else {}
            data = {key: data[key] for key in ("predict", "train", "commands") if key in data}
            data[part] = section
            data["commands"] = {**data.get("commands", {}), part: command}
            data["command"] = "; ".join(dict.fromkeys(data["commands"].values()))
            data["machine"] = machine()
            write_results("bench_dask", render(data), data)

        return save

    if args.part == "render":  # rewrite the Markdown from the JSON, measuring nothing
        data = json.loads((RESULTS / "bench_dask.json").read_text(encoding="utf-8"))
        write_results("bench_dask", render(data), data)
    if args.part in ("predict", "both"):
        bench_predict(args.lines, args.files, args.repeats, saver("predict"))
    if args.part in ("train", "both"):
        bench_train(args.train_rows, args.train_files, args.repeats, saver("train"))


if __name__ == "__main__":
    main()
