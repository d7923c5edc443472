"""The README's commands stay true to the code and the results they quote."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from stanceclf.cli import train

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _shell_commands(text: str) -> list[list[str]]:
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for command in block.replace("\\\n", " ").splitlines():
            command = command.split("  # ")[0].strip()
            if command.startswith("stanceclf "):
                commands.append(shlex.split(command))
    return commands


def test_the_semeval_training_example_uses_the_chosen_parameters():
    chosen = json.loads((ROOT / "experiments/results/semeval2016.json").read_text(encoding="utf-8"))["chosen"]["params"]
    examples = [args for args in _shell_commands(README) if args[1] == "train" and "tweeteval" in args[2]]
    assert examples, "no TweetEval training example in the README"
    for args in examples:
        params = train.make_context("train", args[2:]).params
        assert list(params["word_ngram_range"]) == chosen["word_ngram_range"]
        assert list(params["char_ngram_range"]) == chosen["char_ngram_range"]
        assert params["C"] == chosen["C"]
        assert params["target_mode"] == chosen["target_mode"] and params["target_weight"] == chosen["target_weight"]
        assert params["negation"] == chosen["negation"] and params["sublinear_tf"] == chosen["sublinear_tf"]
        assert params["char_negation"] == chosen.get("char_negation", False)  # searched before it existed


def test_benchmark_paths_in_commands_use_the_environment_variable():
    commands = [" ".join(args) for args in _shell_commands(README)] + re.findall(
        r"`(python experiments/[^`]*)`", README
    )
    assert not [command for command in commands if "../shared/benchmarks" in command]
    assert any("$STANCECLF_BENCHMARKS" in command for command in re.findall(r"`(python experiments/[^`]*)`", README))


def _parameter_table() -> dict[str, str]:
    """The README's parameter table as {parameter: default cell}."""
    section = README[README.index("| parameter | default | meaning |") :]
    rows = {}
    for line in section.splitlines()[2:]:
        if not line.startswith("| `"):
            break
        name, default = (cell.strip().strip("`") for cell in line.strip("|").split("|")[:2])
        rows[name] = default
    return rows


def test_every_estimator_parameter_is_in_the_readme_table_with_its_default():
    from stanceclf import StanceClassifier

    defaults = StanceClassifier().get_params()
    table = _parameter_table()
    assert sorted(table) == sorted(defaults), "the README's parameter table and StanceClassifier differ"
    for name, default in defaults.items():
        assert table[name].replace('"', "'") == repr(default), f"README gives {name} the default {table[name]}"
