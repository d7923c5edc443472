"""Hostile input, hostile files, interrupted work: every case ends cleanly or correctly."""

from __future__ import annotations

import csv
import io
import json
import os
import select
import signal
import subprocess
import sys
import time
import zipfile

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stanceclf import DataError, ModelFileError, StanceClassifier
from stanceclf.cli import main
from stanceclf.data import MAX_TEXT_CHARS, iter_texts, load_dataset

FILE_SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Pieces a hand-edited or scraped file is made of, hostile ones included.
PIECES = st.sampled_from(
    [
        "text",
        "label",
        "target",
        ",",
        "\t",
        ";",
        '"',
        '""',
        "\n",
        "\r\n",
        "\r",
        "\x00",
        "\ufeff",
        "support",
        "oppose",
        "conditional",
        "=cmd|' /C calc'!A0",
        "+1",
        "-1",
        "@x",
        " ",
        "   ",
        "We back it.",
        "Київ",
        "{",
        "}",
        '{"text": "a", "label": "support"}',
        "[",
        "é",
    ]
)
HOSTILE_TEXT = st.one_of(st.lists(PIECES, max_size=40).map("".join), st.text(max_size=200))


def _write(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _assert_clean_error(error: DataError, path) -> None:
    message = str(error)
    assert message.startswith(str(path))
    assert "\n" not in message


@FILE_SETTINGS
@given(content=st.one_of(st.binary(max_size=300), HOSTILE_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))))
@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl"])
def test_labelled_reader_returns_data_or_one_located_error(tmp_path, suffix, content):
    path = _write(tmp_path, "data" + suffix, content)
    try:
        data = load_dataset(path)
    except DataError as error:
        _assert_clean_error(error, path)
        return
    assert len(data.texts) == len(data.labels) == len(data.lines) > 0
    assert all(text.strip() for text in data.texts) and len(set(data.labels)) >= 2


@FILE_SETTINGS
@given(lines=st.lists(HOSTILE_TEXT.filter(lambda t: "\n" not in t and "\r" not in t), min_size=1, max_size=12))
def test_txt_prediction_input_keeps_every_line_in_order(tmp_path, lines):
    path = _write(tmp_path, "posts.txt", "\n".join(lines).encode("utf-8", "surrogatepass") + b"\n")
    try:
        read = [text for _, text in iter_texts(path)]
    except DataError as error:
        _assert_clean_error(error, path)
        return
    expected = [line.removeprefix("\ufeff") if i == 0 else line for i, line in enumerate(lines)]
    assert read == expected


@FILE_SETTINGS
@given(texts=st.lists(HOSTILE_TEXT, min_size=1, max_size=10))
def test_csv_prediction_input_round_trips_any_text_through_every_output_format(tmp_path, model_file, texts):
    source = tmp_path / "in.csv"
    with open(source, "w", encoding="utf-8", newline="", errors="surrogatepass") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text"])
        writer.writerows([t] for t in texts)
    runner = CliRunner()
    for fmt in ("jsonl", "json", "csv"):
        result = runner.invoke(main, ["predict", "--model", str(model_file), "--input", str(source), "--format", fmt])
        if result.exit_code == 2:
            assert result.output.count("\n") == 1 and "in.csv:" in result.output
            return
        assert result.exit_code == 0, result.output
        if fmt == "jsonl":
            out = [json.loads(line)["text"] for line in result.output.split("\n") if line]
        elif fmt == "json":
            out = [record["text"] for record in json.loads(result.output)]
        else:
            rows = list(csv.DictReader(io.StringIO(result.output, newline="")))
            out = [
                r["text"][1:] if r["text"][:1] == "'" and t[:1] in "=+-@\t\r" else r["text"]
                for r, t in zip(rows, texts)
            ]
        normalised = [t.replace("\r\n", "\n").replace("\r", "\n") for t in texts]
        assert out == normalised, fmt


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"", "empty file"),
        (b"text,label\n", "no statements"),
        (b'text,label\n"never closed,support\nother,oppose\n', "data.csv:2: malformed CSV"),
        (b"text;label\nWe back it.;support\n", "data.csv:1: no column 'text'"),
        (b"text,label\nA,support,extra\n", "data.csv:2: expected 2 fields"),
        (b"text,label\n   ,support\nB,oppose\n", "data.csv:2: empty text"),
        (b"text,label\nA,support\nB,support\n", "only one label"),
        (b"text,label\nA\xff,support\nB,oppose\n", "data.csv:2: not valid UTF-8"),
        (b"text,label\n" + b"x" * (MAX_TEXT_CHARS + 1) + b",support\nB,oppose\n", "data.csv:2: statement of 200,001"),
    ],
)
def test_each_listed_hostile_file_gives_its_own_clear_error(tmp_path, content, fragment):
    path = _write(tmp_path, "data.csv", content)
    with pytest.raises(DataError, match=fragment.replace("(", r"\(")) as caught:
        load_dataset(path)
    _assert_clean_error(caught.value, path)


def test_nul_bytes_bom_and_mixed_line_ends_are_read_as_data(tmp_path):
    path = _write(tmp_path, "data.csv", b"\xef\xbb\xbftext,label\r\nA\x00B,support\rC,oppose\nD,support\r\n")
    data = load_dataset(path)
    assert data.texts == ["A\x00B", "C", "D"]
    assert data.lines == [2, 3, 4]


def test_formula_cells_are_read_verbatim_and_neutralised_only_on_csv_output(tmp_path, model_file):
    path = _write(tmp_path, "data.csv", b"text,label\n=cmd|' /C calc'!A0,support\n@SUM(1),oppose\n")
    assert load_dataset(path).texts == ["=cmd|' /C calc'!A0", "@SUM(1)"]
    result = CliRunner().invoke(main, ["predict", "--model", str(model_file), "--input", str(path), "--format", "csv"])
    cells = [row["text"] for row in csv.DictReader(io.StringIO(result.output))]
    assert cells == ["'=cmd|' /C calc'!A0", "'@SUM(1)"]


def test_ten_megabyte_line_is_refused_quickly_with_its_line_number(tmp_path, model_file):
    path = tmp_path / "long.txt"
    path.write_bytes(b"short line\n" + b"word " * (2 * 1024 * 1024) + b"\nlast\n")
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["predict", "--model", str(model_file), "--input", str(path)])
    assert result.exit_code == 2
    assert "long.txt:2: statement of 10,485,760 characters" in result.output
    assert time.perf_counter() - start < 30


def test_jsonl_nested_too_deeply_is_an_error_not_a_crash(tmp_path):
    path = _write(tmp_path, "deep.jsonl", b"[" * 100_000 + b"\n")
    with pytest.raises(DataError, match="deep.jsonl:1: invalid JSON"):
        load_dataset(path)


def test_jsonl_lone_surrogate_is_refused(tmp_path):
    path = _write(tmp_path, "s.jsonl", b'{"text": "a\\ud800b", "label": "support"}\n')
    with pytest.raises(DataError, match="lone UTF-16 surrogate"):
        load_dataset(path)


# --- model files from strangers ------------------------------------------------------------


def _zip(tmp_path, members: dict[str, bytes], name="evil.stance"):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, payload in members.items():
            archive.writestr(member, payload)
    return path


def _listing(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*"))


def test_joblib_file_with_a_payload_is_refused_and_nothing_runs(tmp_path):
    joblib = pytest.importorskip("joblib")
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path = tmp_path / "model.joblib"
    joblib.dump(Payload(), path)
    result = CliRunner().invoke(main, ["predict", "--model", str(path), "hello"])
    assert result.exit_code == 2 and "not a stanceclf model file" in result.output
    assert not marker.exists()


def test_path_traversal_member_names_are_refused_and_nothing_is_written(model_file, tmp_path):
    with zipfile.ZipFile(model_file) as good:
        members = {name: good.read(name) for name in good.namelist()}
    members["../../escaped.txt"] = b"gotcha"
    path = _zip(tmp_path, members)
    before = _listing(tmp_path.parent)
    with pytest.raises(ModelFileError, match="unexpected member '../../escaped.txt'"):
        StanceClassifier.load(path)
    assert _listing(tmp_path.parent) == before


def test_zip_bomb_is_refused_without_inflating_it(model_file, tmp_path):
    with zipfile.ZipFile(model_file) as good:
        members = {name: good.read(name) for name in good.namelist()}
    members["arrays/coef.npy"] = b"\x00" * (64 << 20)  # 64 MiB of zeros deflate to ~64 KiB
    path = _zip(tmp_path, members)
    assert path.stat().st_size < 1 << 20
    start = time.perf_counter()
    with pytest.raises(ModelFileError, match="zip bomb"):
        StanceClassifier.load(path)
    assert time.perf_counter() - start < 5


# --- interrupted work -----------------------------------------------------------------------


def _cli(*args) -> list[str]:
    return [sys.executable, "-m", "stanceclf", *map(str, args)]


def _wait_until_rows_are_written(process: subprocess.Popen, output) -> None:
    """Return once ``process`` has written rows to the temporary file beside ``output``.

    Interrupting then, rather than after a fixed pause, is both sooner and surer: rows are
    known to be written, and the signal handlers are in place before the output is opened.
    """
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if any(path.stat().st_size > 0 for path in output.parent.glob(f".{output.name}.*.tmp")):
            return
        time.sleep(0.01)
    raise AssertionError(f"no rows written to {output}'s temporary file (exit code {process.poll()})")


@pytest.fixture
def long_input(tmp_path):
    path = tmp_path / "many.txt"
    line = "We will back the tram provided the depot moves, said the mayor of a mid-sized town.\n"
    path.write_text(line * 400_000, encoding="utf-8")
    return path


@pytest.mark.slow
def test_killed_prediction_leaves_the_old_output_file_intact(tmp_path, model_file, long_input):
    out = tmp_path / "out.jsonl"
    out.write_text("the old, complete output\n", encoding="utf-8")
    process = subprocess.Popen(
        _cli("predict", "--model", model_file, "--input", long_input, "--format", "jsonl", "--output", out, "--force")
    )
    _wait_until_rows_are_written(process, out)
    assert process.poll() is None, "finished before it could be killed: make the input longer"
    process.kill()
    process.wait()
    assert out.read_text(encoding="utf-8") == "the old, complete output\n"


@pytest.mark.slow
def test_killed_training_leaves_the_old_model_intact(tmp_path, model_file):
    data = tmp_path / "big.csv"
    with open(data, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for i in range(60_000):
            writer.writerow(
                [f"statement number {i} about proposal {i % 97} and topic {i % 89}", ["support", "oppose"][i % 2]]
            )
    target = tmp_path / "model.stance"
    target.write_bytes(model_file.read_bytes())
    # word n-grams only: a vocabulary of some 180,000 features still takes a while to write, and
    # the fit before it takes a fifth of the time it takes with character n-grams
    process = subprocess.Popen(
        _cli("train", data, "--output", target, "--force", "--solver", "lbfgs", "--char-ngrams", "none")
    )
    # kill it while the new model is being written: as soon as the temporary file appears
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".model.stance.*.tmp")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    process.kill()
    process.wait()
    assert process.returncode == -signal.SIGKILL, "finished before it could be killed mid-write"
    assert StanceClassifier.load(target).classes_.tolist() == ["conditional", "oppose", "support"]


@pytest.mark.slow
def test_ctrl_c_leaves_a_complete_prefix_and_says_how_far_it_got(model_file, long_input):
    process = subprocess.Popen(
        _cli("predict", "--model", model_file, "--input", long_input, "--format", "jsonl"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    readable, _, _ = select.select([process.stdout], [], [], 60)  # rows are being written: interrupt now
    assert readable, "no rows written within 60 seconds"
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    lines = stdout.decode("utf-8").splitlines()
    assert stdout.endswith(b"\n") and 0 < len(lines) < 400_000
    assert all(json.loads(line)["label"] for line in lines)  # no torn line
    message = stderr.decode("utf-8").strip()
    assert message == (
        f"interrupted: wrote {len(lines):,} complete rows, through input line {len(lines)}; "
        f"resume with --skip-lines {len(lines)}"
    )


@pytest.mark.slow
def test_ctrl_c_with_output_file_keeps_the_complete_rows_written_under_a_partial_name(tmp_path, model_file, long_input):
    out = tmp_path / "out.csv"
    process = subprocess.Popen(
        _cli("predict", "--model", model_file, "--input", long_input, "--format", "csv", "--output", out),
        stderr=subprocess.PIPE,
    )
    _wait_until_rows_are_written(process, out)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    partial = tmp_path / "out.csv.partial"
    with partial.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(row["label"] in {"support", "oppose", "conditional"} for row in rows)
    assert not out.exists()
    assert f"wrote {len(rows):,} complete rows to {partial} ({out} not created)" in stderr.decode("utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_forced_run_keeps_the_old_output_and_leaves_no_temporary_file(
    tmp_path, model_file, long_input, signum, code
):
    out = tmp_path / "keep.jsonl"
    out.write_text("the old, complete output\n", encoding="utf-8")
    process = subprocess.Popen(
        _cli("predict", "--model", model_file, "--input", long_input, "--output", out, "--force"),
        stderr=subprocess.PIPE,
    )
    _wait_until_rows_are_written(process, out)
    assert process.poll() is None, "finished before it could be interrupted: make the input longer"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert out.read_text(encoding="utf-8") == "the old, complete output\n"
    lines = (tmp_path / "keep.jsonl.partial").read_text(encoding="utf-8").splitlines()
    assert lines and all(json.loads(line)["label"] for line in lines)
    assert f"wrote {len(lines):,} complete rows to {out}.partial ({out} left as it was)" in stderr.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.jsonl", "keep.jsonl.partial", "many.txt"]


@pytest.mark.slow
def test_sigterm_during_out_of_core_training_removes_its_temporary_folder(tmp_path):
    data = tmp_path / "big.csv"
    with open(data, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for i in range(50_000):  # 50 chunks: it is stopped after the first
            writer.writerow([f"statement {i} about proposal {i % 97} and topic {i % 89}", ["support", "oppose"][i % 2]])
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    process = subprocess.Popen(
        _cli("train", data, "--out-of-core", "--chunk-size", "1000", "-o", tmp_path / "m.stance"),
        env={**os.environ, "TMPDIR": str(scratch)},
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not any(scratch.glob("stanceclf-*/*.npz")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "finished before it could be terminated"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143
    assert list(scratch.iterdir()) == []
    assert "Traceback" not in stderr.decode() and not (tmp_path / "m.stance").exists()


@pytest.mark.slow
def test_worker_processes_end_when_the_parent_is_killed(tmp_path, model_file, long_input):
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(_cli("predict", "--model", model_file, "--input", long_input, "--jobs", "2", "-o", out))
    _wait_until_rows_are_written(process, out)  # the workers (all forked at the first chunk) have answered
    children = _children(process.pid)
    assert children, "no worker processes started"
    process.kill()
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{pid}") for pid in children):
        time.sleep(0.2)
    alive = [pid for pid in children if os.path.exists(f"/proc/{pid}") and "zombie" not in _state(pid)]
    assert alive == []


def _children(parent: int) -> list[str]:
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                children.append(entry)
    return children


def _state(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            return next((line for line in status if line.startswith("State:")), "").lower()
    except OSError:
        return "gone"
