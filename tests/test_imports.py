"""The import graph reads top-down: no circle, nothing below the command line imports it, and the
cold paths (predicting, scoring a saved model) import no scikit-learn."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "stanceclf"

# Each module may import only modules of lower layers (deferred imports inside functions count).
# A new module takes the lowest layer above everything it imports; CONTRIBUTING.md shows the map.
LAYERS = [
    {
        "errors",
        "features",
        "sgd",
        "metrics",
        "interrupts",
        "versions",
        "topics",
        "conditions",
        "html_common",
        "tweets",
        "offsets",
        "places",
        "calibration",
    },
    {
        "params",
        "dataset",
        "targets",
        "evidence",
        "article_page",
        "report_page",
        "suggesting",
        "actors",
        "abstention",
        "target_features",
        "occurrences",
    },
    {"persist", "benchmarks", "vectorize", "sentences", "cues", "actor_table"},
    {"data", "attribution"},
    {"inference", "batch"},
    {"model", "describe", "predicting", "labelling", "summarize"},
    {"outofcore", "cluster", "terminal", "confidence"},
    {"cluster_training"},
    {"training"},
    {"quality"},
    {"cli_options"},
    {"cli"},
    {"launcher"},
    {"__main__", "__init__"},
]


def imports_of(path: Path) -> set[str]:
    """The stanceclf modules ``path`` imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "stanceclf":
            if node.module == "stanceclf":
                found |= {alias.name for alias in node.names if (PACKAGE / f"{alias.name}.py").exists()}
            else:
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith("stanceclf.")}
    found.discard(path.stem)
    return found


GRAPH = {path.stem: imports_of(path) for path in sorted(PACKAGE.glob("*.py"))}


def test_every_module_has_a_layer():
    layered = set().union(*LAYERS)
    assert set(GRAPH) <= layered, f"give these modules a layer in LAYERS: {sorted(set(GRAPH) - layered)}"


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_a_module_imports_only_lower_layers(module):
    layer = {name: level for level, names in enumerate(LAYERS) for name in names}
    upward = sorted(dep for dep in GRAPH[module] if layer[dep] >= layer[module])
    assert not upward, f"stanceclf.{module} imports {upward} from its own layer or above"


def test_there_is_no_import_circle():
    def reachable(start):
        seen, stack = set(), [start]
        while stack:
            for dep in GRAPH.get(stack.pop(), ()):
                if dep not in seen:
                    seen.add(dep)
                    stack.append(dep)
        return seen

    assert [module for module in GRAPH if module in reachable(module)] == []


def test_nothing_below_the_command_line_imports_it():
    importers = sorted(module for module, deps in GRAPH.items() if "cli" in deps)
    assert importers == ["launcher"]
    assert sorted(module for module, deps in GRAPH.items() if "cli_options" in deps) == ["cli"]


def test_scoring_a_saved_model_imports_no_scikit_learn(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("text,label\nWe back the plan.,support\nWe reject it.,oppose\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from stanceclf.cli import main\n"
        f"main(['evaluate', {str(data)!r}], standalone_mode=False)\n"
        "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "macro-F1" in result.stdout or "macro_f1" in result.stdout.lower()
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_the_command_line_stays_thin():
    source = (PACKAGE / "cli.py").read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 400
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            assert node.end_lineno - node.lineno <= 30, f"cli.{node.name} is longer than 30 lines"
