"""Helpers shared by the experiment scripts: where the data is, what machine ran them."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

from stanceclf.versions import library_versions

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "experiments" / "results"
BUNDLED = ROOT / "datasets" / "stance.csv"


def machine() -> str:
    """One line naming the processor, cores, memory and library versions."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    versions = library_versions()
    libs = ", ".join(f"{k} {versions[k]}" for k in ("python", "numpy", "scikit-learn"))
    return f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()}; {libs}"


def benchmarks_dir(argument: str | None) -> Path:
    """The public benchmarks folder: the argument, else $STANCECLF_BENCHMARKS, else ../shared/benchmarks."""
    candidate = argument or os.environ.get("STANCECLF_BENCHMARKS") or str(ROOT.parent / "shared" / "benchmarks")
    path = Path(candidate)
    if not path.is_dir():
        raise SystemExit(f"benchmarks folder not found: {path} (pass it as an argument or set STANCECLF_BENCHMARKS)")
    return path


def write_results(name: str, markdown: str, data: dict) -> None:
    """Write ``results/<name>.md`` and ``results/<name>.json`` and say where."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.md").write_text(markdown, encoding="utf-8")
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS / name}.md and .json")
