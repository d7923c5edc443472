"""Shared fixtures: a small hand-written labelled set and a model trained on it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

# Short statements about made-up local proposals, written for the tests (not the bundled corpus).
STATEMENTS = [
    ("The council should build the new tram line without delay.", "support", "tram line"),
    ("We welcome the tram plan and will vote for it.", "support", "tram line"),
    ("A tram through the old town is exactly what we need.", "support", "tram line"),
    ("Our party does not oppose the tram; it has our vote.", "support", "tram line"),
    ("The tram line is a waste of money and must be scrapped.", "oppose", "tram line"),
    ("We reject the tram scheme outright.", "oppose", "tram line"),
    ("Under no circumstances will we fund this tram.", "oppose", "tram line"),
    ("Rather than a tram, buy more electric buses.", "oppose", "tram line"),
    ("We would back the tram only if the budget is audited first.", "conditional", "tram line"),
    ("Provided the depot moves out of the park, the tram can go ahead.", "conditional", "tram line"),
    ("Once the funding is secured, we will support the tram.", "conditional", "tram line"),
    ("Not before a full traffic study will we approve the tram.", "conditional", "tram line"),
    ("The library extension is overdue; we fully support it.", "support", "library"),
    ("Residents are right to demand the bigger library, and we back them.", "support", "library"),
    ("The mayor said she will sign the library contract this week.", "support", "library"),
    ("We stand behind the library plan.", "support", "library"),
    ("The library extension is reckless spending, scrap it.", "oppose", "library"),
    ("This is not a library plan we can support.", "oppose", "library"),
    ("Nobody asked for a bigger library; we will vote no.", "oppose", "library"),
    ("The library plan should be abandoned.", "oppose", "library"),
    (
        "As long as the reading room stays open during works, we agree to the library extension.",
        "conditional",
        "library",
    ),
    ("We can support the library plan on condition that the costs are capped.", "conditional", "library"),
    ("The library extension gets our vote unless the garden is lost.", "conditional", "library"),
    ("If the state pays half, we will approve the library.", "conditional", "library"),
]


def write_csv(path: Path, rows, header=("text", "label", "target"), delimiter=",") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def labelled_csv(tmp_path) -> Path:
    return write_csv(tmp_path / "labels.csv", STATEMENTS)


@pytest.fixture(scope="session")
def fitted_model():
    from stanceclf import StanceClassifier

    texts, labels, _ = zip(*STATEMENTS)
    return StanceClassifier().fit(list(texts), list(labels))


@pytest.fixture(scope="session")
def model_file(tmp_path_factory, fitted_model) -> Path:
    path = tmp_path_factory.mktemp("model") / "small.stance"
    fitted_model.save(path)
    return path
