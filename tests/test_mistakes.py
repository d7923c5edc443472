"""The mistakes battery: what newcomers got wrong, each ending in one clear line, never a
traceback, never an exit-0 wrong answer."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from samples import STATEMENTS
from stanceclf.cli import main

GOOD = "text,label,target\n" + "".join(f'"{t}",{y},{g}\n' for t, y, g in STATEMENTS)
FILES = {
    "good.csv": GOOD.encode(),
    "columns.csv": GOOD.replace("text,label", "body,stance", 1).encode(),
    "case.csv": GOOD.replace(",support,", ",Support,", 1).encode(),
    "cp1252.csv": (GOOD + "Caf\u00e9 owners back it.,support,tram line\n").encode("cp1252"),
    "semicolon.csv": GOOD.replace(",", ";").encode(),
    "twice.csv": GOOD.replace("text,label,target", "text,label,text", 1).encode(),
    "semeval.csv": GOOD.replace(",support,", ",FAVOR,").replace(",oppose,", ",AGAINST,").encode(),
    "labels": GOOD.encode(),
}

# (arguments, fragment of the one error line); {model} is the small test model, {dir} the folder
MISTAKES = [
    (["train", "{dir}/columns.csv", "-o", "{dir}/m.stance"], "no column 'text' in the header"),
    (["train", "{dir}/case.csv", "-o", "{dir}/m.stance"], "differ only in case"),
    (["data", "check", "{dir}/case.csv", "--labels", "any"], "differ only in case"),
    (["train", "{dir}/cp1252.csv", "-o", "{dir}/m.stance"], "try --encoding cp1252"),
    (["train", "{dir}/semicolon.csv", "-o", "{dir}/m.stance"], "try --delimiter ';'"),
    (["train", "{dir}/twice.csv", "-o", "{dir}/m.stance"], "column 'text' appears twice"),
    (["evaluate", "{dir}/semeval.csv", "--model", "{model}"], "are not labels of the model"),
    (["evaluate", "{dir}/good.csv", "--split", "dev", "--model", "{model}"], "no column 'split'"),
    (["train", "{dir}/missing", "-o", "{dir}/m.stance"], "no such file"),
    (["train", "{dir}/good.csv", "-o", "{dir}/m.stance", "--word-ngrams", "none", "--char-ngrams", "none"], "none"),
    (["train", "{dir}/good.csv", "-o", "{dir}/m.stance", "--cv", "2", "--jobs", "0"], "not 0"),
    (["predict", "--model", "{model}", "-o", "{dir}/out.csv", "--format", "jsonl", "x"], "does not match"),
    (["predict", "--model", "{dir}/target.stance", "We want it."], "--target"),
    (["predict", "--model", "{dir}/target.stance", "--target", "new tax", "We want it."], "never seen in training"),
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mistakes")
    for name, content in FILES.items():
        (folder / name).write_bytes(content)
    args = ["train", str(folder / "good.csv"), "-o", str(folder / "target.stance"), "--target-mode", "per_target"]
    assert CliRunner().invoke(main, [*args, "--char-ngrams", "none"]).exit_code == 0
    return folder


@pytest.mark.parametrize(
    "args, fragment", MISTAKES, ids=[" ".join(a[:2]) + f" {i}" for i, (a, _) in enumerate(MISTAKES)]
)
def test_each_mistake_is_one_line_and_exit_2(folder, model_file, args, fragment):
    args = [a.format(dir=folder, model=model_file) for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if args[:2] == ["data", "check"]:  # a report listing every problem, then exit 2
        assert fragment in result.stdout
        return
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and fragment in errors[0], result.stderr


@pytest.mark.parametrize(
    "args, warning",
    [
        (["predict", "--model", "{model}", "--target", "tram", "We back it."], "ignores targets"),
        (["predict", "--model", "{model}", "{dir}/good.csv"], "is an existing file"),
    ],
)
def test_each_doubtful_call_answers_with_a_warning(folder, model_file, args, warning):
    result = CliRunner().invoke(main, [a.format(dir=folder, model=model_file) for a in args])
    assert result.exit_code == 0 and warning in result.stderr and result.stdout.strip()
