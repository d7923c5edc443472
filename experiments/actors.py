"""Who stands where, measured: actor precision and recall, and the stance of the actors found.

Reads a gold set in the layout of ``datasets/actors`` (``gold.jsonl``, one line per article:
its target and the table of actors, aliases, stances and evidence sentences a person wrote;
``articles/NN-slug.txt``, the articles), runs :func:`stanceclf.summarize_document` with the
default model and each article's target, and matches predicted rows to gold actors by name or
alias (case, accents, a leading "the", apostrophes and punctuation ignored), one to one, in
the predicted order. A predicted row that matches no gold actor, or one already matched, is a
false positive.

Reports actor precision, recall, stance accuracy of the matched actors and evidence recall (the
gold evidence sentences found in the matched row), overall and per article; then the same with
each attribution rule switched off in turn, and with all of them off.

    python experiments/actors.py                                   # datasets/actors
    python experiments/actors.py tests/data/actors --name actors_dev
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

from common import ROOT, machine, write_results
from stanceclf.attribution import RULES
from stanceclf.inference import load_predictor
from stanceclf.persist import default_model_path
from stanceclf.summarize import summarize_sentences

DEFAULT_DATA = ROOT / "datasets" / "actors"


def normalise(name: str) -> str:
    """A name as compared: accents, case, a leading "the", apostrophes and punctuation ignored.

    >>> normalise("The Transport Workers’ Union"), normalise("Lucía Moreno")
    ('transport workers union', 'lucia moreno')
    """
    name = unicodedata.normalize("NFKD", name)
    name = "".join(char for char in name if not unicodedata.combining(char)).casefold()
    name = re.sub(r"['’]s\b", "", name)
    name = re.sub(r"[^\w\s]", " ", name)
    name = re.sub(r"^\s*the\s+", "", name)
    return re.sub(r"\s+", " ", name).strip()


def read_gold(folder: Path) -> list[dict]:
    """Every article of the gold set, with its text; a clear exit if anything is missing."""
    gold_path = folder / "gold.jsonl"
    if not gold_path.is_file():
        raise SystemExit(f"gold file not found: {gold_path} (give the gold folder as the first argument)")
    articles = []
    for number, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise SystemExit(f"{gold_path}:{number}: not JSON ({error.msg})") from None
        if not isinstance(entry, dict) or "article" not in entry or not isinstance(entry.get("actors"), list):
            raise SystemExit(f"{gold_path}:{number}: needs 'article' and a list of 'actors' (see the gold format)")
        for actor in entry["actors"]:
            if not isinstance(actor, dict) or "actor" not in actor or "stance" not in actor:
                raise SystemExit(f"{gold_path}:{number}: every actor needs 'actor' and 'stance'")
        text_path = folder / "articles" / f"{entry['article']}.txt"
        if not text_path.is_file():
            raise SystemExit(f"{gold_path}:{number}: article file not found: {text_path}")
        entry["text"] = text_path.read_text(encoding="utf-8")
        for actor in entry["actors"]:
            for sentence in actor.get("evidence", []):
                if sentence not in entry["text"]:
                    raise SystemExit(f"{gold_path}:{number}: evidence of {actor['actor']!r} not in the article")
        articles.append(entry)
    if not articles:
        raise SystemExit(f"{gold_path}: no articles")
    return articles


def match(predicted: list[dict], gold: list[dict]) -> list[tuple[int, int]]:
    """``(predicted index, gold index)`` pairs: names or aliases in common, one to one, in order."""
    gold_names = [{normalise(n) for n in [g["actor"], *g.get("aliases", [])]} - {""} for g in gold]
    pairs, taken = [], set()
    for i, row in enumerate(predicted):
        names = {normalise(n) for n in [row["actor"], *row["aliases"]]} - {""}
        overlaps = [(len(names & g), j) for j, g in enumerate(gold_names) if j not in taken and names & g]
        if overlaps:
            j = max(overlaps)[1]
            pairs.append((i, j))
            taken.add(j)
    return pairs


def score_article(entry: dict, rows: list[dict]) -> dict:
    """Counts for one article: predicted, gold, matched, same stance, evidence found."""
    gold = entry["actors"]
    pairs = match(rows, gold)
    same = sum(rows[i]["stance"] == gold[j]["stance"] for i, j in pairs)
    evidence_total = sum(len(g.get("evidence", [])) for g in gold)
    evidence_found = 0
    for i, j in pairs:
        found = {e["text"].strip() for e in rows[i]["evidence"]}
        evidence_found += sum(sentence.strip() in found for sentence in gold[j].get("evidence", []))
    unmatched_gold = [gold[j]["actor"] for j in range(len(gold)) if j not in {j for _, j in pairs}]
    unmatched_rows = [rows[i]["actor"] for i in range(len(rows)) if i not in {i for i, _ in pairs}]
    wrong = [
        (rows[i]["actor"], rows[i]["stance"], gold[j]["stance"])
        for i, j in pairs
        if rows[i]["stance"] != gold[j]["stance"]
    ]
    return {
        "article": entry["article"],
        "predicted": len(rows),
        "gold": len(gold),
        "matched": len(pairs),
        "same_stance": same,
        "evidence_gold": evidence_total,
        "evidence_found": evidence_found,
        "missed": unmatched_gold,
        "extra": unmatched_rows,
        "wrong_stance": wrong,
    }


def totals(scores: list[dict]) -> dict:
    """Precision, recall, stance accuracy and evidence recall over ``scores`` (micro-averaged)."""
    s = {key: sum(score[key] for score in scores) for key in ("predicted", "gold", "matched", "same_stance")}
    evidence = sum(score["evidence_found"] for score in scores), sum(score["evidence_gold"] for score in scores)
    return {
        "precision": s["matched"] / s["predicted"] if s["predicted"] else 0.0,
        "recall": s["matched"] / s["gold"] if s["gold"] else 0.0,
        "stance_accuracy": s["same_stance"] / s["matched"] if s["matched"] else 0.0,
        "evidence_recall": evidence[0] / evidence[1] if evidence[1] else 0.0,
        **s,
    }


class _Memo:
    """The default model, remembering its answers: the ablation runs reclassify no sentence."""

    def __init__(self, model):
        self.model, self.classes_, self._seen = model.model, model.classes_, {}
        self._predictor = model

    def predict_proba(self, inputs):
        import numpy as np

        missing = [x for x in inputs if x not in self._seen]
        if missing:
            for x, row in zip(missing, self._predictor.predict_proba(missing)):
                self._seen[x] = row
        return np.array([self._seen[x] for x in inputs])


def run(articles: list[dict], model, rules) -> list[dict]:
    scores = []
    for entry in articles:
        rows, _ = summarize_sentences(entry["text"], entry.get("target"), model, rules)
        scores.append(score_article(entry, [row.as_dict() for row in rows]))
    return scores


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA), help="gold folder (gold.jsonl + articles/)")
    parser.add_argument("--name", default="actors", help="results/<name>.md and .json")
    args = parser.parse_args(argv)
    folder = Path(args.data)
    if not folder.is_dir():
        raise SystemExit(f"gold folder not found: {folder} (give it as the first argument)")
    articles = read_gold(folder)
    model = _Memo(load_predictor(default_model_path()))
    started = time.perf_counter()
    scores = run(articles, model, RULES)
    seconds = time.perf_counter() - started
    overall = totals(scores)
    ablation = {"all rules": overall}
    for rule in RULES:
        ablation[f"without {rule}"] = totals(run(articles, model, [r for r in RULES if r != rule]))
    ablation["no rules (all author)"] = totals(run(articles, model, []))

    try:
        shown = folder.resolve().relative_to(ROOT)
    except ValueError:
        shown = folder
    lines = [
        "# Who stands where: actors and their stances against a hand-made table",
        "",
        f"Data: `{shown}` ({len(articles)} articles, {overall['gold']} gold actors). "
        f"Model: the default model (`{default_model_path().name}`), each article's target. "
        f"Machine: {machine()}.",
        f"Command: `python experiments/actors.py {' '.join(sys.argv[1:]) if argv is None else ' '.join(argv)}`. "
        f"All rules: {seconds:.1f} s for the {len(articles)} articles (shared machine, not a benchmark).",
        "",
        "Predicted rows are matched to gold actors by name or alias (normalised), one to one. "
        "Stance accuracy counts matched actors only; evidence recall is the share of gold evidence "
        "sentences found in the matched row.",
        "",
        "| | precision | recall | stance accuracy | evidence recall | predicted | gold | matched |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, t in ablation.items():
        lines.append(
            f"| {name} | {t['precision']:.3f} | {t['recall']:.3f} | {t['stance_accuracy']:.3f} | "
            f"{t['evidence_recall']:.3f} | {t['predicted']} | {t['gold']} | {t['matched']} |"
        )
    lines += [
        "",
        "## Per article (all rules)",
        "",
        "| article | precision | recall | stance accuracy | missed | extra | wrong stance |",
    ]
    lines.append("|---|---|---|---|---|---|---|")
    for score in scores:
        t = totals([score])
        wrong = "; ".join(f"{actor}: {got} (gold {want})" for actor, got, want in score["wrong_stance"])
        lines.append(
            f"| {score['article']} | {t['precision']:.2f} | {t['recall']:.2f} | {t['stance_accuracy']:.2f} | "
            f"{', '.join(score['missed'])} | {', '.join(score['extra'])} | {wrong} |"
        )
    data = {
        "data": str(shown),
        "articles": len(articles),
        "machine": machine(),
        "model": str(default_model_path().name),
        "rules": list(RULES),
        "overall": overall,
        "ablation": ablation,
        "per_article": scores,
        "seconds_all_rules": round(seconds, 2),
    }
    print("\n".join(lines))
    write_results(args.name, "\n".join(lines) + "\n", data)


if __name__ == "__main__":
    main()
