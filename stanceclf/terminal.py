"""The labelling loop in a terminal: one statement at a time, one key per answer.

Keys are read with the standard library alone: ``termios``/``tty`` put a terminal in cbreak mode
(a key arrives without Enter; Ctrl-C still interrupts), and when standard input is not a
terminal (a pipe, a script) each line's first character is the key, so the loop also works over
pipes. Keys typed before a question appears are discarded (``tcflush``), so a label key pressed
twice quickly answers one question, not two. The screen is plain text wrapped to the terminal's
width and cut to its height (80x24 is enough); no mouse, no curses.

With a model, the pool is asked in :func:`stanceclf.suggesting.suggest` order and, every
``retrain_every`` answers, a fresh model with the given model's parameters is trained on the
answers so far, synchronously between two questions (a line says so; it takes what training on
the answers takes, seconds for a few hundred), and what is left is re-ranked by it.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from stanceclf.errors import StanceError
from stanceclf.labelling import DEFAULT_LABELS, AnswerFile, order_pool, read_pool
from stanceclf.suggesting import DEFAULT_MAX_SIMILARITY

HELP = """\
Keys
  {label_keys}
  s or space   skip this statement (it is not asked again)
  u            undo: take back this session's last answer or skip
  q            quit (every answer is already saved)
  ? or h       this help

Each answer is written to {output} at once. Run the same command
again to carry on where you stopped; train with: stanceclf train {output}

Press any key to go back."""


@dataclass
class LabellingResult:
    """What a session did: answers and skips given, and how it ended."""

    answered: int
    skipped: int
    total_answered: int
    remaining: int
    interrupted: BaseException | None = None

    @property
    def exit_code(self) -> int:
        """0, or the conventional code of the signal that interrupted the session (130 for Ctrl-C)."""
        if self.interrupted is None:
            return 0
        from stanceclf.interrupts import exit_code

        return exit_code(self.interrupted)

    def summary(self, output) -> str:
        how = "interrupted" if self.interrupted else "stopped"
        if self.remaining == 0:
            how = "done"
        return (
            f"{how}: {self.answered} answers and {self.skipped} skips this session; "
            f"{self.total_answered} labels in {output}, {self.remaining} statements left"
        )


class _Keys:
    """One key at a time from a terminal (cbreak mode), or one line at a time from a pipe."""

    def __init__(self, stream=None):
        self.stream = stream if stream is not None else sys.stdin
        try:
            self.fd = self.stream.fileno()
            self.tty = os.isatty(self.fd)
        except (AttributeError, OSError, ValueError):
            self.fd, self.tty = None, False
        self._saved = None

    def __enter__(self):
        if self.tty:
            import termios
            import tty

            self._saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd)
            if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # nohup and the like: Ctrl-C comes as a key
                mode = termios.tcgetattr(self.fd)
                mode[3] &= ~termios.ISIG
                termios.tcsetattr(self.fd, termios.TCSANOW, mode)
        return self

    def __exit__(self, *exc):
        if self._saved is not None:
            import termios

            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def discard_typed_ahead(self) -> None:
        """Drop keys pressed before the next question shows (a double press, a bounce)."""
        if self.tty:
            import termios

            termios.tcflush(self.fd, termios.TCIFLUSH)

    def read(self) -> str | None:
        """The next key ('q' at the end of input), or None for a key that means nothing."""
        if not self.tty:
            line = self.stream.readline()
            if not line:
                return "q"
            line = line.strip()
            return line[0] if line else None
        data = os.read(self.fd, 64)  # a key pressed twice at once arrives as one read: the rest is dropped
        if not data:
            return "q"
        key = data.decode("utf-8", errors="replace")[0]
        if key == "\x03":  # Ctrl-C arriving as a key: SIGINT is ignored in this process (nohup, ...)
            raise KeyboardInterrupt
        return None if key == "\x1b" else key  # arrows and function keys are escape sequences


def run_labelling(
    pool_path: str | Path,
    output: str | Path,
    *,
    model_path: str | Path | None = None,
    labels: str | tuple[str, ...] | None = None,
    strategy: str = "diverse",
    max_similarity: float = DEFAULT_MAX_SIMILARITY,
    retrain_every: int = 25,
    stdin=None,
    stdout=None,
    **reading,
) -> LabellingResult:
    """Ask for a label for each statement of a pool in the terminal and append each answer to ``output``.

    Parameters
    ----------
    pool_path : str or Path
        Unlabelled statements (any file ``predict`` reads); empty rows and repeats are counted
        and left out.
    output : str or Path
        The labels CSV (``text,label[,target]``), created or resumed.
    model_path : str, Path or None
        A model whose guesses are shown and whose :func:`~stanceclf.suggesting.suggest` order is
        followed; None: file order and no guesses.
    labels : tuple of str, or str
        The answers, keys 1 to 9 in this order ("a,b,c" is split at commas) [default: the
        model's labels, else support, oppose, conditional, none; the default model's labels in
        this order].
    strategy, max_similarity
        As in :func:`stanceclf.suggesting.suggest`, with a model.
    retrain_every : int
        With a model, retrain on the answers and re-rank after this many answers (0: never).

    Returns
    -------
    LabellingResult
        ``interrupted`` holds the KeyboardInterrupt (Ctrl-C, SIGTERM) that ended it, if one did.

    Raises
    ------
    StanceError
        An unreadable pool, model or labels file, or more than nine labels.
    """
    stdout = stdout if stdout is not None else sys.stdout
    predictor = None
    if model_path is not None:
        from stanceclf.inference import load_predictor

        predictor = load_predictor(model_path)
    if isinstance(labels, str):
        labels = tuple(part.strip() for part in labels.split(","))
    if not labels:
        known = predictor.classes_.tolist() if predictor is not None else list(DEFAULT_LABELS)
        # the default model's labels, or some of them, in the order people read them
        labels = (
            tuple(label for label in DEFAULT_LABELS if label in known)
            if set(known) <= set(DEFAULT_LABELS)
            else tuple(known)
        )
    labels = tuple(labels)
    if not 1 <= len(labels) <= 9 or len(set(labels)) != len(labels) or not all(label.strip() for label in labels):
        raise StanceError(f"--labels needs 1 to 9 distinct, non-empty labels, got {','.join(labels)!r}")
    pool = read_pool(pool_path, **reading)
    with_targets = any(target is not None for target in pool.targets)
    store = AnswerFile.open(output, with_targets=with_targets)
    ranking = {"strategy": strategy, "max_similarity": max_similarity}
    session = _Session(pool, store, predictor, labels, ranking, retrain_every, Path(output), stdout)
    with _Keys(stdin) as keys:
        try:
            session.loop(keys)
        except KeyboardInterrupt as interruption:
            session.interrupted = interruption
    return session.result()


class _Session:
    def __init__(self, pool, store, model, labels, ranking, retrain_every, output, out):
        self.pool, self.store, self.model, self.labels = pool, store, model, labels
        self.ranking, self.retrain_every, self.output, self.out = ranking, retrain_every, output, out
        self.screen = getattr(out, "isatty", lambda: False)()
        self.uses_targets = model is not None and model.uses_targets
        self.queue = order_pool(self._ranker(), pool, store, **ranking)
        self.answered = self.skipped = self.since_retrain = 0
        self.note = pool.summary()
        self.interrupted = None

    def _ranker(self):
        return None if self.model is None else _InputsOf(self.model, self.uses_targets)

    def loop(self, keys: _Keys) -> None:
        while self.queue:
            position = self.queue[0]
            keys.discard_typed_ahead()  # before the question shows, so no key meant for it is lost
            self.show(position)
            key = keys.read()
            if key is None:
                continue
            if key in ("q", "Q", "\x04"):
                return
            if key in ("?", "h", "H"):
                self.write(HELP.format(label_keys=self.label_keys(), output=self.output))
                keys.read()
            elif key in ("u", "U"):
                self.undo()
            elif key in ("s", "S", " "):
                self.store.skip(self.pool.texts[position], self.pool.targets[position])
                self.queue.pop(0)
                self.skipped += 1
                self.note = "skipped"
            elif key.isdigit() and 1 <= int(key) <= len(self.labels):
                label = self.labels[int(key) - 1]
                self.store.answer(self.pool.texts[position], self.pool.targets[position], label)
                self.queue.pop(0)
                self.answered += 1
                self.since_retrain += 1
                self.note = f"saved: {label}"
                self.maybe_retrain()
            else:
                self.note = f"{key!r} is not a key here; ? for help"

    def undo(self) -> None:
        key = self.store.undo()
        if key is None:
            self.note = "nothing to undo in this session"
            return
        position = next(i for i, item in enumerate(zip(self.pool.texts, self.pool.targets)) if item == key)
        self.queue.insert(0, position)
        self.note = "undone: asking it again"
        self._recount()

    def _recount(self) -> None:
        """Session counts after an undo, from the undo stack (what is left of this session)."""
        self.answered = sum(1 for entry in self.store._undo if not entry[3])
        self.skipped = sum(1 for entry in self.store._undo if entry[3])
        self.since_retrain = min(self.since_retrain, self.answered)

    def maybe_retrain(self) -> None:
        if self.model is None or not self.retrain_every or self.since_retrain < self.retrain_every:
            return
        inputs, answers = self.store.labelled()
        if len(set(answers)) < 2:
            return
        self.write(f"retraining on {len(answers)} labels and re-ranking {len(self.queue)} statements ...")
        from stanceclf.inference import Predictor
        from stanceclf.model import StanceClassifier

        params = StanceClassifier.from_model_data(self.model.model).get_params()
        fitted = StanceClassifier(**params).fit(inputs, answers)
        self.model = Predictor(fitted.to_model_data())
        self.queue = order_pool(self._ranker(), self.pool, self.store, **self.ranking)
        self.since_retrain = 0
        self.note = f"retrained on {len(answers)} labels; re-ranked"

    def label_keys(self) -> str:
        return "  ".join(f"{number} {label}" for number, label in enumerate(self.labels, start=1))

    def show(self, position: int) -> None:
        width, height = shutil.get_terminal_size((80, 24))
        width = max(20, width - 1)  # the last column would wrap on some terminals
        total = len(self.pool.texts)
        done = total - len(self.queue)
        lines = [
            f"[{done + 1}/{total}] {len(self.store.answered)} labelled, {len(self.store.skipped)} skipped"[:width],
            f"  {self.note}"[:width],
        ]
        target = self.pool.targets[position]
        if target is not None:
            lines += textwrap.wrap(f"target: {target}", width)[:2]
        lines.append("-" * min(width, 40))
        footer = []
        if self.model is not None:
            footer.append(self._guess(position, width))
        keys = f"{self.label_keys()}  s skip  u undo  q quit  ? help"
        footer += textwrap.wrap(keys, width)
        room = max(1, height - len(lines) - len(footer) - 3)
        statement = textwrap.wrap(self.pool.texts[position], width) or [""]
        if len(statement) > room:
            statement = statement[: room - 1] + [f"... ({len(statement) - room + 1} more lines)"[:width]]
        lines += statement + ["-" * min(width, 40)] + footer + ["> "]
        self.write("\n".join(lines), clear=True, end="")

    def _guess(self, position: int, width: int) -> str:
        item = (self.pool.texts[position], self.pool.targets[position])
        proba = self.model.predict_proba([item if self.uses_targets else item[0]])[0]
        order = proba.argsort()[::-1]
        classes = self.model.classes_
        runner = f", then {classes[order[1]]} {proba[order[1]]:.2f}" if len(order) > 1 else ""
        return f"model: {classes[order[0]]} {proba[order[0]]:.2f}{runner}"[:width]

    def write(self, text: str, clear: bool = False, end: str = "\n") -> None:
        if clear and self.screen:
            self.out.write("\x1b[H\x1b[2J")
        elif clear:
            self.out.write("\n")
        self.out.write(text + end)
        self.out.flush()

    def result(self) -> LabellingResult:
        return LabellingResult(
            answered=self.answered,
            skipped=self.skipped,
            total_answered=len(self.store.answered),
            remaining=len(self.queue),
            interrupted=self.interrupted,
        )


class _InputsOf:
    """A predictor seen through the pool's form: pairs for target models, texts otherwise."""

    def __init__(self, predictor, uses_targets: bool):
        self.predictor, self.uses_targets = predictor, uses_targets
        self.classes_ = predictor.classes_

    def _inputs(self, items):
        return [item if self.uses_targets or not isinstance(item, tuple) else item[0] for item in items]

    def predict_proba(self, items):
        return self.predictor.predict_proba(self._inputs(items))

    def _features(self, items):
        return self.predictor._features(self._inputs(items))
