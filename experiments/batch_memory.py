"""Peak memory of batch prediction with a large default-feature model, and what it grows with.

    python experiments/batch_memory.py --model M.stance --input STATEMENTS.txt [--jobs 1,2]

``M.stance`` is a model with the default features (word 1-2-grams + character 3-6-grams)
trained on many statements, e.g. ``stanceclf train train1000000.csv -o M.stance`` on the
synthetic corpus of ``experiments/bench_speed.py --data DIR``. Runs ``stanceclf predict
--format jsonl`` over ``STATEMENTS.txt`` once per worker count and records the peak of the whole
process tree (sum of Pss, sampled, and the command's own maximum resident set; see
``common.run_measured``), beside the model's size: features per block and bytes of the
vocabulary strings and coefficients, the parts that do not shrink with the chunk size.
Writes experiments/results/batch_memory.md and .json.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from common import machine, run_measured, write_results
from stanceclf.occurrences import CHUNK, GRAM_LIMIT, WORD_LIMIT
from stanceclf.persist import load_model_data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--load-note", default="")
    args = parser.parse_args()
    model = load_model_data(args.model)
    blocks = {block.name: len(block.features) for block in model.blocks}
    strings = sum(sys.getsizeof(feature) + 8 for block in model.blocks for feature in block.features)
    weights = model.coef.nbytes * 2  # the model's coefficients and the Predictor's transposed copy
    with open(args.input, encoding="utf-8") as statements:
        lines = sum(1 for _ in statements)
    runs = {}
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)  # `python -m stanceclf` imports from the working directory first
        for jobs in [int(j) for j in args.jobs.split(",")]:
            command = [sys.executable, "-m", "stanceclf", "predict", "--model", str(args.model.resolve())]
            command += ["--input", str(args.input.resolve()), "--format", "jsonl", "-o", "out.jsonl", "--force"]
            command += ["--jobs", str(jobs)]
            measured = run_measured(command)
            if measured["returncode"] != 0:
                raise SystemExit(f"predict --jobs {jobs} failed")
            runs[jobs] = measured
    data = {
        "machine": machine(),
        "model": str(args.model),
        "features": blocks,
        "vocabulary_string_mib": strings / 2**20,
        "coefficient_mib": weights / 2**20,
        "statements": lines,
        "chunk": CHUNK,
        "word_limit": WORD_LIMIT,
        "gram_limit": GRAM_LIMIT,
        "runs": {str(jobs): run for jobs, run in runs.items()},
    }
    text = [
        "# Batch prediction memory with a large default-feature model",
        "",
        f"`python experiments/batch_memory.py --model M --input STATEMENTS --jobs {args.jobs}` on {machine()}. "
        f"{args.load_note}",
        "",
        f"Model: {', '.join(f'{name} {count:,} features' for name, count in blocks.items())}; vocabulary strings "
        f"{strings / 2**20:.0f} MiB, coefficients (with the Predictor's transposed copy) {weights / 2**20:.0f} MiB. "
        f"{lines:,} statements predicted to JSON lines.",
        "",
        "| workers | seconds | CPU of the main process (s) | peak memory of the process tree (MiB) |",
        "|---|---|---|---|",
    ]
    for jobs, run in runs.items():
        cpu = "" if run.get("cpu_seconds") is None else f"{run['cpu_seconds']:.1f}"
        text.append(f"| {jobs} | {run['seconds']:.1f} | {cpu} | {run['peak_mib']:.0f} |")
    write_results("batch_memory", "\n".join(text) + "\n", data)
    print("\n".join(text))


if __name__ == "__main__":
    main()
