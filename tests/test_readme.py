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
    chosen = json.loads((ROOT / "experiments/results/semeval2016.json").read_text(encoding="utf-8"))["chosen_params"]
    examples = [args for args in _shell_commands(README) if args[1] == "train" and "tweeteval" in args[2]]
    assert examples, "no TweetEval training example in the README"
    for args in examples:
        params = train.make_context("train", args[2:]).params
        assert list(params["word_ngram_range"]) == chosen["word_ngram_range"]
        assert list(params["char_ngram_range"]) == chosen["char_ngram_range"]
        assert params["C"] == chosen["C"]
        assert params["target_mode"] == chosen["target_mode"] and params["target_weight"] == chosen["target_weight"]
        assert params["negation"] == chosen["negation"] and params["sublinear_tf"] == chosen["sublinear_tf"]


def test_benchmark_paths_in_commands_use_the_environment_variable():
    commands = [" ".join(args) for args in _shell_commands(README)] + re.findall(
        r"`(python experiments/[^`]*)`", README
    )
    assert not [command for command in commands if "../shared/benchmarks" in command]
    assert any("$STANCECLF_BENCHMARKS" in command for command in re.findall(r"`(python experiments/[^`]*)`", README))
