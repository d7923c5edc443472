"""Helpers shared by the experiment scripts: where the data is, what machine ran them."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import tempfile
import threading
import time
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


def tree_memory_kib(root: int) -> int:
    """Memory of ``root`` and all its descendants, in KiB (Linux /proc).

    Each process counts its proportional set size (Pss: shared pages divided among the
    processes sharing them), so forked workers are not charged twice for the parent's pages;
    where Pss is not available, the resident set size (VmRSS).
    """
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="utf-8") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        parents[int(entry)] = int(fields.get("PPid", "0").strip() or 0)
        rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    members, frontier = {root}, [root]
    while frontier:
        current = frontier.pop()
        children = [pid for pid, parent in parents.items() if parent == current and pid not in members]
        members.update(children)
        frontier.extend(children)
    return sum(_pss_kib(pid, rss.get(pid, 0)) for pid in members)


def _pss_kib(pid: int, fallback: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return fallback


def run_measured(command: list[str], *, stdout=subprocess.DEVNULL, interval: float | None = 0.2) -> dict:
    """Run ``command``; return its wall time, exit code and the peak memory of its process tree.

    Peak memory is the larger of the sampled tree Pss (which sees worker processes) and the
    command's own maximum resident set, taken by GNU time where installed: a child forked from
    this (large) Python process would otherwise inherit its resident pages until it execs.
    """
    gnu_time = Path("/usr/bin/time")
    report = None
    if gnu_time.exists():
        report = Path(tempfile.mkstemp(suffix=".time")[1])
        command = [str(gnu_time), "-f", "%U %S %M", "-o", str(report), *command]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout)
    peak = [0]
    done = threading.Event()

    def sample():  # never reaps the child: only wait below does
        while not done.is_set():
            peak[0] = max(peak[0], tree_memory_kib(process.pid))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    if interval is not None:  # None: a single process, measured by GNU time alone, undisturbed
        sampler.start()
    process.wait()
    seconds = time.perf_counter() - start
    done.set()
    if interval is not None:
        sampler.join()
    own_peak, cpu = 0, None
    if report is not None:
        text = report.read_text().strip().splitlines()
        report.unlink()
        fields = text[-1].split() if text else []
        if len(fields) == 3 and fields[2].isdigit():
            # user + system CPU seconds of the process (not its forked workers' unless waited for)
            own_peak, cpu = int(fields[2]), float(fields[0]) + float(fields[1])
    result = {"seconds": seconds, "returncode": process.returncode, "peak_mib": max(peak[0], own_peak) / 1024}
    result["cpu_seconds"] = cpu
    return result
