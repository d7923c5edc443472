"""The condition clause of a conditional statement, found by the documented rule."""

from __future__ import annotations

import pytest

from stanceclf.conditions import find_condition


@pytest.mark.parametrize(
    ("text", "clause", "cue"),
    [
        ("Troops should go in only with a UN mandate.", "only with a UN mandate", "only with"),
        ("Once a ceasefire holds, aid should flow.", "Once a ceasefire holds", "once"),
        ("We back it provided that the costs are shared.", "provided that the costs are shared", "provided that"),
        ("Unless fees fall, the club leaves; that is final.", "Unless fees fall", "unless"),
        ("We sign if the audit is clean; otherwise we walk.", "if the audit is clean", "if"),
        ("Only if the audit is clean will we sign.", "Only if the audit is clean", "only if"),
        ("We will not sign until the audit is done.", "until the audit is done", "until"),
        ("The deal is fine as long as quotas stay, but not otherwise.", "as long as quotas stay", "as long as"),
        ('"Lift the ban if tests are negative," he said.', "if tests are negative", "if"),
        ("Rebels will disarm in exchange for seats.", "in exchange for seats", "in exchange for"),
        ("It can go ahead SUBJECT TO review.", "SUBJECT TO review", "subject to"),
    ],
)
def test_the_clause_runs_from_the_cue_to_the_end_of_its_clause(text, clause, cue):
    found = find_condition(text)
    assert (found.text, found.cue) == (clause, cue)
    assert text[found.start : found.end] == found.text


@pytest.mark.parametrize("text", ["We back the plan.", "Before the vote, we met.", "Verifiable claims only."])
def test_statements_without_a_cue_have_no_condition(text):
    assert find_condition(text) is None


def test_a_cue_inside_a_word_is_not_a_cue():
    assert find_condition("The gift of Unlessia and Ifni.") is None
