"""Cold start: one statement through ``stanceclf predict`` in a fresh process, against ``import numpy``.

The default model grew with the four-label corpus (more features to load), so its cold start is
measured on its own here, beside the previous release's model (read from git history) and a
bare ``python -c "import numpy"``, alternating so that load on the machine hits all alike.
Medians of ``--runs`` runs; peak memory of the process. Modules run from compiled bytecode, as
after any ``pip install``: PYTHONDONTWRITEBYTECODE (set on some machines, which makes every start
recompile the package) is dropped for the children, and a first unmeasured run writes the cache.

    python experiments/cold_start.py [--runs 15] [--previous REV]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from pathlib import Path

from bench_speed import PYTHON, cold_start, stanceclf

from common import ROOT, machine, write_results

STATEMENT = "Rome will not send troops to Ukraine."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--previous", default="0312713", help="git revision of the previous release's model")
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as folder:
        previous = Path(folder) / "previous.stance"
        previous.write_bytes(
            subprocess.run(
                ["git", "show", f"{args.previous}:stanceclf/models/default.stance"],
                cwd=ROOT,
                capture_output=True,
                check=True,
            ).stdout
        )
        commands = {
            "python -c 'import numpy'": [PYTHON, "-c", "import numpy"],
            "stanceclf predict, default model": stanceclf("predict", STATEMENT),
            f"stanceclf predict, the model of {args.previous}": stanceclf("predict", "--model", previous, STATEMENT),
        }
        for command in commands.values():
            subprocess.run(command, capture_output=True, check=True)  # compile and cache the bytecode
        runs = {name: [] for name in commands}
        for _ in range(args.runs):  # alternate, one run of each at a time
            for name, command in commands.items():
                runs[name].append(cold_start(command, 1))
    results = {}
    for name, measured in runs.items():
        seconds = sorted(m["median_seconds"] for m in measured)
        results[name] = {"median_seconds": seconds[len(seconds) // 2], "peak_mib": max(m["peak_mib"] for m in measured)}
    numpy_seconds = results["python -c 'import numpy'"]["median_seconds"]
    lines = [
        "# Cold start: one statement from a fresh process",
        "",
        f"`python experiments/cold_start.py --runs {args.runs} --previous {args.previous}` on {machine()}; "
        f"medians of {args.runs} alternating runs. stanceclf runs as `python -m stanceclf` from this checkout.",
        "",
        "| command | median (s) | vs `import numpy` | peak (MiB) |",
        "|---|---|---|---|",
    ]
    for name, row in results.items():
        lines.append(
            f"| {name} | {row['median_seconds']:.3f} | {row['median_seconds'] / numpy_seconds:.2f}x "
            f"| {row['peak_mib']:.0f} |"
        )
    lines += ["", "Command: `python experiments/cold_start.py`", ""]
    write_results("cold_start", "\n".join(lines), {"machine": machine(), "runs": args.runs, "results": results})
    print("\n".join(lines))


if __name__ == "__main__":
    main()
