"""Overhead of a Dask cluster on one machine: local ``predict --jobs 2`` against a two-worker LocalCluster.

    python experiments/bench_dask.py [--lines 1000000] [--files 8] [--repeats 1]

Writes LINES statements (the bundled corpus's statements, each made unique with a counter) to one
.txt file, and the same lines split in order over FILES .txt files (the cluster's unit of work is
a file). Times, as the user would run them (wall clock of the whole command, start-up included):

- local: ``stanceclf predict --input all.txt --jobs 2 --output local.jsonl``;
- dask: ``stanceclf predict --input parts/ --dask local --output-dir out/`` (``--dask local``
  starts a LocalCluster of one worker process per core, here two, and stops it: included);
- dask, warm: :func:`stanceclf.cluster.predict_files` on an already running two-worker
  LocalCluster (what a long-lived cluster costs per run).

Checks that the cluster's files, concatenated in order, are byte-identical to the local output,
and writes experiments/results/bench_dask.md/.json.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import BUNDLED, machine, write_results
from stanceclf import load_dataset


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def digest(paths) -> str:
    hashed = hashlib.sha256()
    for path in paths:
        hashed.update(Path(path).read_bytes())
    return hashed.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    texts = load_dataset(BUNDLED).texts
    predict = [sys.executable, "-m", "stanceclf", "predict"]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        whole, parts = root / "all.txt", root / "parts"
        parts.mkdir()
        per_file = -(-args.lines // args.files)
        with open(whole, "w", encoding="utf-8") as handle:
            for i in range(args.lines):
                handle.write(f"{texts[i % len(texts)]} (#{i})\n")
        with open(whole, encoding="utf-8") as handle:
            for index in range(args.files):
                with open(parts / f"part{index:03d}.txt", "w", encoding="utf-8") as part:
                    for _ in range(per_file):
                        line = handle.readline()
                        if not line:
                            break
                        part.write(line)
        size = whole.stat().st_size
        local, dask_cold, dask_warm = [], [], []
        for _ in range(args.repeats):
            output = root / "local.jsonl"
            local.append(timed([*predict, "--input", str(whole), "--jobs", "2", "--output", str(output), "--force"]))
            out = root / "out"
            dask_cold.append(
                timed([*predict, "--input", str(parts), "--dask", "local", "--output-dir", str(out), "--force"])
            )
            dask_warm.append(warm_run(parts, root / "warm"))
        outputs = sorted(out.iterdir())
        identical = digest(outputs) == digest([output]) == digest(sorted((root / "warm").iterdir()))
    best = {"local_jobs_2": min(local), "dask_local_cluster": min(dask_cold), "dask_running_cluster": min(dask_warm)}
    rate = {name: args.lines / seconds for name, seconds in best.items()}
    ratio = {name: rate[name] / rate["local_jobs_2"] for name in rate}
    data = {
        "lines": args.lines,
        "files": args.files,
        "input_bytes": size,
        "repeats": args.repeats,
        "seconds": {"local_jobs_2": local, "dask_local_cluster": dask_cold, "dask_running_cluster": dask_warm},
        "best_seconds": best,
        "statements_per_second": rate,
        "ratio_to_local": ratio,
        "identical_bytes": identical,
        "machine": machine(),
    }
    rows = "\n".join(f"| {name} | {best[name]:.1f} | {rate[name]:,.0f} | {ratio[name]:.2f}x |" for name in best)
    markdown = f"""# Dask on one machine: overhead against local `--jobs 2`

Input: {args.lines:,} statements ({size / 2**20:.0f} MiB), the bundled corpus's statements made unique by a
counter; one .txt file for the local run, the same lines in order over {args.files} .txt files for the
cluster (its unit of work is a file). Default model, jsonl output. Best of {args.repeats} run(s), wall clock.
Machine: {machine()}.

| run | seconds | statements/s | vs local --jobs 2 |
|---|---|---|---|
{rows}

- local_jobs_2: `stanceclf predict --input all.txt --jobs 2 --output local.jsonl`
- dask_local_cluster: `stanceclf predict --input parts/ --dask local --output-dir out/` (starts and stops a
  two-worker LocalCluster: included in the time)
- dask_running_cluster: `stanceclf.cluster.predict_files` on a two-worker LocalCluster already running
- the cluster's {args.files} files concatenated are byte-identical to the local output: {identical}

Command: `python experiments/bench_dask.py --lines {args.lines} --files {args.files} --repeats {args.repeats}`
"""
    write_results("bench_dask", markdown, data)


def warm_run(parts: Path, out: Path) -> float:
    from distributed import Client

    from stanceclf.cluster import local_cluster, predict_files

    with local_cluster(2) as cluster, Client(cluster) as client:
        started = time.perf_counter()
        predict_files([parts], out, client=client, force=True)
        return time.perf_counter() - started


if __name__ == "__main__":
    main()
