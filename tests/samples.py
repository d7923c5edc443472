"""The small hand-written labelled set the tests share (data, not fixtures: parametrize needs it
at import time). Fixtures built on it live in conftest.py and are served by pytest."""

from __future__ import annotations

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
