"""What to label next: the strategies rank as their definitions say, and the command lists them."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from stanceclf.cli import main
from stanceclf.cli_options import STRATEGIES as CLI_STRATEGIES
from stanceclf.errors import StanceError
from stanceclf.suggesting import STRATEGIES, suggest, uncertainty

SURE, TORN_TWO, SPREAD = [0.97, 0.01, 0.01, 0.01], [0.48, 0.46, 0.03, 0.03], [0.4, 0.2, 0.2, 0.2]


@pytest.mark.parametrize(
    ("strategy", "most_uncertain"),
    [("least-confidence", "SPREAD"), ("margin", "TORN_TWO"), ("entropy", "SPREAD"), ("diverse", "SPREAD")],
)
def test_each_strategy_ranks_its_own_kind_of_doubt_first(strategy, most_uncertain):
    scores = uncertainty(np.array([SURE, TORN_TWO, SPREAD]), strategy)
    assert ["SURE", "TORN_TWO", "SPREAD"][int(scores.argmax())] == most_uncertain
    assert int(scores.argmin()) == 0


def test_the_command_line_offers_exactly_the_librarys_strategies():
    assert CLI_STRATEGIES == STRATEGIES


class FixedModel:
    """A model whose probabilities are given: pins the ordering, not a classifier's mood."""

    classes_ = np.array(["a", "b", "c", "d"])

    def __init__(self, proba_of):
        self.proba_of = proba_of

    def predict_proba(self, texts):
        return np.array([self.proba_of[text] for text in texts])


def test_suggest_orders_by_uncertainty_names_the_guess_and_skips_repeats_and_excluded():
    model = FixedModel({"sure": SURE, "torn": TORN_TWO, "spread": SPREAD, "done": SPREAD})
    picks = suggest(model, ["sure", "torn", "torn", "spread", "done"], n=10, strategy="margin", exclude=[4])
    assert [pick.text for pick in picks] == ["torn", "spread", "sure"]
    assert [pick.index for pick in picks] == [1, 3, 0]
    assert picks[0].label == "a" and picks[0].proba["b"] == pytest.approx(0.46)


def test_random_order_is_seeded():
    model = FixedModel({str(i): SURE for i in range(50)})
    pool = [str(i) for i in range(50)]
    first = [p.index for p in suggest(model, pool, n=20, strategy="random", random_state=3)]
    assert first == [p.index for p in suggest(model, pool, n=20, strategy="random", random_state=3)]
    assert first != [p.index for p in suggest(model, pool, n=20, strategy="random", random_state=4)]


def test_diverse_keeps_near_copies_of_one_sentence_out_of_a_batch(fitted_model):
    copies = [f"Maybe the tram plan could work, perhaps, in some form number {i}." for i in range(10)]
    others = [
        "The library extension is overdue; we fully support it.",
        "We reject the tram scheme outright.",
        "Once the funding is secured, we will support the tram.",
        "The weather in the valley was mild on Tuesday.",
        "Nobody asked for a bigger library; we will vote no.",
    ]
    pool = copies + others
    by_entropy = suggest(fitted_model, pool, n=5, strategy="entropy")
    diverse = suggest(fitted_model, pool, n=5, strategy="diverse")
    assert sum(pick.text in copies for pick in by_entropy) >= 3  # the pool is built so that entropy falls for it
    assert sum(pick.text in copies for pick in diverse) == 1
    assert len({pick.index for pick in diverse}) == 5


def test_diverse_with_the_numpy_predictor_picks_what_the_estimator_picks(fitted_model):
    from stanceclf.inference import Predictor

    pool = [f"Maybe the tram could work {i}." for i in range(6)] + ["We stand behind the library plan.", "No."]
    from_estimator = [p.index for p in suggest(fitted_model, pool, n=4, strategy="diverse")]
    predictor = Predictor(fitted_model.to_model_data())
    assert [p.index for p in suggest(predictor, pool, n=4, strategy="diverse")] == from_estimator


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [({"strategy": "smart"}, "unknown strategy"), ({"n": 0}, "n must be"), ({"max_similarity": 2.0}, "between 0")],
)
def test_bad_arguments_are_refused_with_a_clear_error(fitted_model, arguments, problem):
    with pytest.raises(StanceError, match=problem):
        suggest(fitted_model, ["We back it."], **arguments)


def test_suggest_command_lists_n_statements_with_their_pool_lines(model_file, tmp_path):
    pool = tmp_path / "pool.txt"
    pool.write_text("We back the tram.\n\nMaybe the library.\nWe back the tram.\nNo tram, ever.\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["suggest", str(pool), "--model", str(model_file), "-n", "5", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert sorted(row["line"] for row in rows) == [1, 3, 5]  # the empty line and the repeat are not suggested
    assert all(set(row["proba"]) == {"conditional", "oppose", "support"} for row in rows)
    text = CliRunner().invoke(main, ["suggest", str(pool), "--model", str(model_file), "-n", "1"])
    assert text.exit_code == 0 and text.output.count("\n") == 1


def test_suggest_command_names_a_missing_pool_file_in_one_line(model_file, tmp_path):
    result = CliRunner().invoke(main, ["suggest", str(tmp_path / "nope.txt"), "--model", str(model_file)])
    assert result.exit_code == 2
    assert "nope.txt" in result.output and "Traceback" not in result.output
