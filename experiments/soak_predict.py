"""Soak test: batch prediction over millions of lines in constant memory.

    python experiments/soak_predict.py [--lines 5000000] [--jobs N]

Writes a file of LINES statements (the bundled corpus's statements, each made unique with a
counter, so nothing is cached away), streams it through ``stanceclf predict --format jsonl``
with the default model, counts the output rows, and samples the resident memory of the whole
process tree (the command and its worker processes) every half second. Checks that every
input line gave exactly one output row, and writes experiments/results/soak_predict.md/.json.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import BUNDLED, machine, tree_memory_kib, write_results
from stanceclf import load_dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    texts = load_dataset(BUNDLED).texts
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "soak.txt"
        with open(source, "w", encoding="utf-8") as handle:
            for i in range(args.lines):
                handle.write(f"{texts[i % len(texts)]} (#{i})\n")
        size = source.stat().st_size
        command = [sys.executable, "-m", "stanceclf", "predict", "--input", str(source), "--format", "jsonl"]
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE)
        samples: list[tuple[float, int]] = []

        def sample():
            while process.poll() is None:
                samples.append((time.perf_counter() - start, tree_memory_kib(process.pid)))
                time.sleep(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        rows = 0
        while block := process.stdout.read(1 << 20):
            rows += block.count(b"\n")
        process.wait()
        seconds = time.perf_counter() - start
        sampler.join()
    if process.returncode != 0 or rows != args.lines:
        raise SystemExit(f"FAILED: exit code {process.returncode}, {rows} output rows for {args.lines} input lines")
    peak = max(kib for _, kib in samples) / 1024
    quarters = [samples[min(len(samples) - 1, int(q * len(samples)))][1] / 1024 for q in (0.1, 0.25, 0.5, 0.75, 0.99)]
    lines = [
        "# Soak test: batch prediction in constant memory",
        "",
        f"Input: {args.lines:,} statements ({size / 2**20:,.0f} MiB), the bundled corpus's statements made unique by "
        "a counter; `stanceclf predict --input FILE --format jsonl` with the default model"
        + (f" and `--jobs {args.jobs}`" if args.jobs else " (default jobs)")
        + ".",
        f"Machine: {machine()}.",
        "",
        f"- output rows: {rows:,} (one per input line: checked)",
        f"- wall time: {seconds:,.0f} s ({args.lines / seconds:,.0f} statements/s)",
        f"- peak memory of the process tree (sum of Pss): {peak:,.0f} MiB",
        "- memory at 10% / 25% / 50% / 75% / 99% of the run: "
        + " / ".join(f"{value:,.0f}" for value in quarters)
        + " MiB",
        "",
        f"Command: `python experiments/soak_predict.py --lines {args.lines}`",
        "",
    ]
    write_results(
        "soak_predict",
        "\n".join(lines),
        {
            "machine": machine(),
            "lines": args.lines,
            "bytes": size,
            "rows": rows,
            "seconds": seconds,
            "peak_rss_mib": peak,
            "rss_mib_over_time": [[round(t, 1), round(k / 1024, 1)] for t, k in samples],
        },
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
