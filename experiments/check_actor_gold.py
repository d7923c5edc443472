"""Check the actor gold set (datasets/actors) against its format (datasets/actors/README.md).

Every article file has exactly one gold line and every gold line an article file; every line is
a JSON object with the fields the format names; stances are in the allowed set; every evidence
sentence occurs verbatim in its article and every alias in it (case aside); no actor is listed
twice in one article.

    python experiments/check_actor_gold.py [DIR]

Prints one line per problem (file:line: problem) and exits 2 if there is any, else prints a
summary and exits 0. Standard library only.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STANCES = {"support", "oppose", "conditional", "mixed"}
ACTOR_KEYS = {"actor", "aliases", "stance", "evidence"}


def check_actor(where: str, actor: object, text: str) -> list[str]:
    """Problems with one actor row of one gold line."""
    if not isinstance(actor, dict) or set(actor) != ACTOR_KEYS:
        return [f"{where}: an actor must be an object with exactly the keys {sorted(ACTOR_KEYS)}"]
    problems = []
    name = actor["actor"]
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: empty actor name")
    aliases = actor["aliases"]
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        problems.append(f"{where}: {name!r}: aliases must be a list of non-empty strings")
    else:
        # an alias is a name found in the text (case aside: "the union" may open a sentence)
        problems += [
            f"{where}: {name!r}: alias not in the article: {a!r}" for a in aliases if a.lower() not in text.lower()
        ]
    if not isinstance(actor["stance"], str) or actor["stance"] not in STANCES:
        problems.append(f"{where}: {name!r}: stance {actor['stance']!r} not in {sorted(STANCES)}")
    evidence = actor["evidence"]
    if not isinstance(evidence, list) or not evidence:
        return problems + [f"{where}: {name!r}: evidence must be a non-empty list"]
    for sentence in evidence:
        if not isinstance(sentence, str) or not sentence.strip():
            problems.append(f"{where}: {name!r}: empty evidence sentence")
        elif sentence not in text:
            problems.append(f"{where}: {name!r}: evidence not in the article: {sentence[:60]!r}")
        elif sentence != sentence.strip():
            problems.append(f"{where}: {name!r}: evidence has surrounding whitespace: {sentence[:60]!r}")
    if len(set(evidence)) != len(evidence):
        problems.append(f"{where}: {name!r}: the same evidence sentence listed twice")
    return problems


def check_line(where: str, raw: str, articles: dict[str, str]) -> tuple[str | None, list[str]]:
    """(article name or None, problems) for one line of gold.jsonl."""
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as err:
        return None, [f"{where}: not JSON ({err.msg})"]
    if not isinstance(row, dict) or set(row) != {"article", "target", "actors"}:
        return None, [f"{where}: a line must be an object with the keys article, target, actors"]
    name = row["article"]
    if not isinstance(name, str) or name not in articles:
        return name, [f"{where}: no article file {name}.txt"]
    problems = []
    if not isinstance(row["target"], str) or not row["target"].strip():
        problems.append(f"{where}: empty target")
    actors = row["actors"]
    if not isinstance(actors, list) or not actors:
        return name, problems + [f"{where}: actors must be a non-empty list"]
    for actor in actors:
        problems += check_actor(where, actor, articles[name])
    names = Counter(a["actor"] for a in actors if isinstance(a, dict) and isinstance(a.get("actor"), str))
    problems += [f"{where}: actor {n!r} listed {k} times" for n, k in names.items() if k > 1]
    return name, problems


def check(folder: Path) -> tuple[list[str], Counter]:
    """All problems with the gold set in folder, and counts for the summary."""
    gold = folder / "gold.jsonl"
    if not gold.is_file() or not (folder / "articles").is_dir():
        return [f"{folder}: needs gold.jsonl and an articles/ folder"], Counter()
    problems: list[str] = []
    articles = {}
    for path in sorted((folder / "articles").glob("*.txt")):
        try:
            articles[path.stem] = text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(f"{path}: not UTF-8")
            continue
        if "\r" in text or len([p for p in text.split("\n\n") if p.strip()]) < 2:
            problems.append(f"{path}: expected a headline and paragraphs separated by blank lines, no CR")
    seen: Counter = Counter()
    counts: Counter = Counter(articles=len(articles))
    try:
        lines = gold.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return problems + [f"{gold}: not UTF-8"], counts
    for number, raw in enumerate(lines, start=1):
        where = f"{gold}:{number}"
        if not raw.strip():
            problems.append(f"{where}: blank line")
            continue
        name, line_problems = check_line(where, raw, articles)
        problems += line_problems
        if name is None:
            continue
        seen[name] += 1
        if not line_problems:
            row = json.loads(raw)
            counts["actors"] += len(row["actors"])
            for actor in row["actors"]:
                counts[actor["stance"]] += 1
                counts["evidence"] += len(actor["evidence"])
    problems += [f"{gold}: article {n} has {k} gold lines" for n, k in seen.items() if k > 1]
    problems += [f"{folder / 'articles' / n}.txt: no gold line" for n in articles if n not in seen]
    return problems, counts


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "datasets" / "actors"
    problems, counts = check(folder)
    for problem in problems:
        print(problem)
    if problems:
        return 2
    stances = ", ".join(f"{s} {counts[s]}" for s in sorted(STANCES))
    print(
        f"ok: {counts['articles']} articles, {counts['actors']} actors ({stances}), "
        f"{counts['evidence']} evidence sentences"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
