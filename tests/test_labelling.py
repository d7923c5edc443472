"""Labelling in the terminal, as a person does it: through a real pseudo-terminal, keys and all.

Each answer must be on disk before the next question shows, whatever ends the process (q,
Ctrl-C, SIGKILL), and a resumed session must never ask an answered or skipped statement again.
"""

from __future__ import annotations

import csv
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from stanceclf.cli import main
from stanceclf.labelling import AnswerFile, read_pool

POOL = [
    "The council should build the tram.",
    "We reject the tram scheme outright.",
    "Once the funding is secured, we will support the tram.",
    "The weather was mild on Tuesday.",
    "Nobody asked for a bigger library.",
    "We stand behind the library plan.",
]
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _controlling_terminal(ignore_sigint: bool):
    """In the child: make the pty its controlling terminal, so that Ctrl-C is a SIGINT (or, when
    SIGINT is ignored as under nohup, a plain key)."""

    def set_up() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        signal.signal(signal.SIGINT, signal.SIG_IGN if ignore_sigint else signal.SIG_DFL)

    return set_up


class Terminal:
    """``stanceclf label ...`` running on a pseudo-terminal of the given size, its controlling tty."""

    def __init__(self, *args, columns: int = 80, rows: int = 24, ignore_sigint: bool = False):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "stanceclf", "label", *map(str, args)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            preexec_fn=_controlling_terminal(ignore_sigint),
        )
        os.close(slave)
        self.seen = ""

    def expect(self, pattern: str, timeout: float = 30.0) -> str:
        """Read until ``pattern`` (a regular expression) appears in what was shown since the last expect."""
        deadline = time.monotonic() + timeout
        while True:
            match = re.search(pattern, ANSI.sub("", self.seen))
            if match:
                shown = ANSI.sub("", self.seen)
                self.seen = shown[match.end() :]
                return shown[: match.end()]
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"never showed {pattern!r}; showed:\n{ANSI.sub('', self.seen)}")
            if select.select([self.master], [], [], min(left, 0.2))[0]:
                try:
                    self.seen += os.read(self.master, 65536).decode("utf-8", errors="replace")
                except OSError:  # the process ended and closed the terminal
                    time.sleep(0.05)

    def press(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 30.0) -> tuple[int, str]:
        """Wait for the process to end; its exit code and everything it showed since the last expect."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None or select.select([self.master], [], [], 0)[0]:
            if time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError(f"the labelling loop did not end; it showed:\n{ANSI.sub('', self.seen)}")
            if select.select([self.master], [], [], 0.1)[0]:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    break
                if not data:
                    break
                self.seen += data.decode("utf-8", errors="replace")
        self.process.wait()
        return self.process.returncode, ANSI.sub("", self.seen)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def close(self) -> None:
        """End the process and the terminal, whatever state a test left them in."""
        if self.process.poll() is None:
            self.kill()
        if self.master is not None:
            os.close(self.master)
            self.master = None


@pytest.fixture
def terminal():
    """``terminal(*args, columns=80, rows=24)``: ``stanceclf label`` on a pseudo-terminal, ended after the test."""
    started = []

    def start(*args, **size) -> Terminal:
        started.append(Terminal(*args, **size))
        return started[-1]

    yield start
    for term in started:
        term.close()


@pytest.fixture
def pool(tmp_path) -> Path:
    path = tmp_path / "pool.txt"
    path.write_text("\n".join(POOL) + "\n", encoding="utf-8")
    return path


def answers(path: Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [(row["text"], row["label"]) for row in csv.DictReader(handle)]


def question(index: int) -> str:
    return re.escape(POOL[index]) + r"[\s\S]*> "


@pytest.mark.slow
def test_keys_answer_skip_and_undo_and_the_file_holds_exactly_the_answers(pool, tmp_path, terminal):
    out = tmp_path / "labels.csv"
    term = terminal(pool, "--output", out)
    term.expect(question(0))
    term.press("1")  # support
    term.expect(question(1))
    term.press("2")  # oppose
    term.expect(question(2))
    term.press("u")  # take back "oppose"
    term.expect(r"undone[\s\S]*" + question(1))
    term.press("3")  # conditional instead
    term.expect(question(2))
    term.press("s")
    term.expect(question(3))
    term.press("?")
    term.expect(r"Keys[\s\S]*Press any key")
    term.press("x")
    term.expect(question(3))
    term.press("4")
    term.expect(question(4))
    term.press("q")
    code, shown = term.finish()
    assert code == 0
    assert "Traceback" not in shown
    assert answers(out) == [(POOL[0], "support"), (POOL[1], "conditional"), (POOL[3], "none")]
    assert "3 answers and 1 skips this session" in shown


@pytest.mark.slow
def test_a_resumed_session_asks_neither_answered_nor_skipped_statements(pool, tmp_path, terminal):
    out = tmp_path / "labels.csv"
    term = terminal(pool, "--output", out)
    term.expect(question(0))
    term.press("1")
    term.expect(question(1))
    term.press("s")
    term.expect(question(2))
    term.press("q")
    assert term.finish()[0] == 0
    again = terminal(pool, "--output", out)
    first = again.expect(r"> ")
    assert POOL[2] in first and POOL[0] not in first and POOL[1] not in first
    for _ in range(3):
        again.press("2")
        again.expect(r"saved: oppose[\s\S]*> ")
    again.press("2")
    code, shown = again.finish()
    assert code == 0 and "done:" in shown
    assert [text for text, _ in answers(out)] == [POOL[0], *POOL[2:]]


@pytest.mark.slow
@pytest.mark.parametrize("sigint", ["handled", "ignored"])
def test_ctrl_c_stops_cleanly_keeping_every_answer(pool, tmp_path, terminal, sigint):
    out = tmp_path / "labels.csv"
    term = terminal(pool, "--output", out, ignore_sigint=sigint == "ignored")
    term.expect(question(0))
    term.press("1")
    term.expect(question(1))
    term.press("\x03")
    code, shown = term.finish()
    assert code == 130
    assert "Traceback" not in shown and "interrupted: 1 answers" in shown
    assert answers(out) == [(POOL[0], "support")]


@pytest.mark.slow
@pytest.mark.parametrize("confirmed", [0, 1, 4])
def test_a_killed_session_loses_no_confirmed_answer_and_doubles_none(pool, tmp_path, confirmed, terminal):
    out = tmp_path / "labels.csv"
    term = terminal(pool, "--output", out)
    term.expect(question(0))
    for index in range(confirmed):
        term.press("1")
        term.expect(question(index + 1))  # shown only after the answer is synced
    term.press("2")  # killed with this answer in flight: written or not, never half
    term.kill()
    kept = answers(out) if out.exists() else []
    assert kept[:confirmed] == [(text, "support") for text in POOL[:confirmed]]
    assert kept[confirmed:] in ([], [(POOL[confirmed], "oppose")])
    again = terminal(pool, "--output", out)
    for _ in range(len(POOL) - len(kept)):
        again.expect(r"> ")
        again.press("4")
    code, _ = again.finish()
    assert code == 0
    texts = [text for text, _ in answers(out)]
    assert sorted(texts) == sorted(POOL)  # every statement once: none lost, none asked twice


def test_a_row_cut_off_by_a_kill_mid_write_is_dropped_on_resume(tmp_path):
    out = tmp_path / "labels.csv"
    out.write_text('text,label\nWe back it.,support\n"We rej', encoding="utf-8")
    store = AnswerFile.open(out, with_targets=False)
    assert store.answered == {("We back it.", None): "support"}
    store.answer("We reject it.", None, "oppose")
    assert answers(out) == [("We back it.", "support"), ("We reject it.", "oppose")]


@pytest.mark.slow
def test_a_pool_with_repeats_and_empty_lines_asks_each_statement_once(tmp_path, terminal):
    path = tmp_path / "pool.txt"
    path.write_text(f"{POOL[0]}\n\n   \n{POOL[1]}\n{POOL[0]}\n{POOL[1]}\n", encoding="utf-8")
    out = tmp_path / "labels.csv"
    term = terminal(path, "--output", out)
    first = term.expect(question(0))
    assert "2 statements (2 empty, 2 duplicate rows left out)" in first
    term.press("1")
    term.expect(question(1))
    term.press("2")
    code, shown = term.finish()
    assert code == 0 and "done:" in shown
    assert answers(out) == [(POOL[0], "support"), (POOL[1], "oppose")]


@pytest.mark.slow
def test_a_label_key_pressed_twice_quickly_answers_one_question(pool, tmp_path, terminal):
    out = tmp_path / "labels.csv"
    term = terminal(pool, "--output", out)
    term.expect(question(0))
    term.press("11")
    term.expect(question(1))
    time.sleep(0.5)  # had the second key counted, the third question would show now
    term.press("q")
    code, _ = term.finish()
    assert code == 0
    assert answers(out) == [(POOL[0], "support")]


@pytest.mark.slow
def test_a_narrow_short_terminal_gets_lines_that_fit(tmp_path, terminal):
    long = " ".join(["The council should build the tram line without any further delay"] * 12)
    path = tmp_path / "pool.txt"
    path.write_text(long + "\n", encoding="utf-8")
    term = terminal(path, "--output", tmp_path / "labels.csv", columns=32, rows=12)
    screen = term.expect(r"> ")
    term.press("q")
    assert term.finish()[0] == 0
    lines = screen.replace("\r", "").split("\n")
    assert max(len(line) for line in lines) <= 31
    assert len([line for line in lines if line]) <= 12
    assert "more lines" in screen


@pytest.mark.slow
def test_with_a_model_its_guess_is_shown_and_the_labels_train_a_model(pool, tmp_path, model_file, terminal):
    out = tmp_path / "labels.csv"
    term = terminal(pool, "--output", out, "--model", model_file, "--retrain-every", "2")
    first = term.expect(r"> ")
    assert re.search(r"model: (support|oppose|conditional) \d\.\d\d", first)
    assert "1 support  2 oppose  3 conditional" in first  # the default order for these labels
    shown = []
    for key in "1212":
        term.press(key)
        shown.append(term.expect(r"(saved|retrained)[\s\S]*> "))
    assert "retrained on 2 labels; re-ranked" in shown[1] and "retrained on 4 labels" in shown[3]
    term.press("q")
    code, shown = term.finish()
    assert code == 0
    assert len(answers(out)) == 4
    trained = CliRunner().invoke(main, ["train", str(out), "--output", str(tmp_path / "mine.stance")])
    assert trained.exit_code == 0, trained.output


@pytest.mark.slow
def test_over_a_pipe_each_lines_first_character_is_the_key(pool, tmp_path):
    out = tmp_path / "labels.csv"
    result = subprocess.run(
        [sys.executable, "-m", "stanceclf", "label", str(pool), "--output", str(out)],
        input="1\n\n2\nu\n3\nq\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert answers(out) == [(POOL[0], "support"), (POOL[1], "conditional")]


def test_an_output_file_that_is_not_a_labels_file_is_refused_in_one_line(pool, tmp_path):
    out = tmp_path / "notes.csv"
    out.write_text("name,age\nx,1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["label", str(pool), "--output", str(out)], input="q\n")
    assert result.exit_code == 2
    assert "notes.csv:1: not a labels file" in result.output


@pytest.mark.parametrize(("output", "problem"), [("nowhere/labels.csv", "does not exist"), (".", "is a directory")])
def test_an_output_that_cannot_be_written_is_refused_before_the_first_question(pool, tmp_path, output, problem):
    result = CliRunner().invoke(main, ["label", str(pool), "--output", str(tmp_path / output)], input="1\n")
    assert result.exit_code == 2
    assert problem in result.output and "Traceback" not in result.output


def test_read_pool_counts_what_it_leaves_out(tmp_path):
    path = tmp_path / "pool.csv"
    path.write_text("text,target\nA,t1\nA,t1\nA,t2\n,t1\n", encoding="utf-8")
    pool = read_pool(path)
    assert (pool.texts, pool.targets, pool.empty, pool.duplicates) == (["A", "A"], ["t1", "t2"], 1, 1)
