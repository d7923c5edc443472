"""Which sentence splitter should ``predict --sentences`` use? Measured on hand-split news prose.

Reads ``experiments/data/sentence_split_gold.txt`` (news paragraphs with quotes, "U.S.", "Mr.",
"No. 10", decimals, initials, times), gives each splitter every paragraph as one string and
counts the gold sentences it returns exactly (after stripping white space), and times it on the
same paragraphs repeated. Candidates: syntok, pysbd and blingfire (all maintained, none
downloads anything at run time) and a naive regular expression as the floor.

    pip install syntok pysbd blingfire && python experiments/sentence_splitters.py
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from common import machine, write_results

GOLD = Path(__file__).resolve().parent / "data" / "sentence_split_gold.txt"


def read_gold(path: Path = GOLD) -> list[list[str]]:
    """Paragraphs, each a list of its gold sentences."""
    paragraphs, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if current:
                paragraphs.append(current)
            current = []
        else:
            current.append(line.strip())
    if current:
        paragraphs.append(current)
    return paragraphs


def split_regex(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


def split_syntok(text: str) -> list[str]:
    from stanceclf.sentences import split_sentences

    return [text[start:end] for start, end in split_sentences(text)]


def split_pysbd(text: str) -> list[str]:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False).segment(text)


def split_blingfire(text: str) -> list[str]:
    import blingfire

    return blingfire.text_to_sentences(text).split("\n")


SPLITTERS = {"syntok": split_syntok, "pysbd": split_pysbd, "blingfire": split_blingfire, "regex": split_regex}


def score(splitter, paragraphs) -> dict:
    gold_total = found_total = exact = 0
    errors = []
    for sentences in paragraphs:
        predicted = [s.strip() for s in splitter(" ".join(sentences)) if s.strip()]
        gold_total += len(sentences)
        found_total += len(predicted)
        hits = len(set(predicted) & set(sentences))
        exact += hits
        if hits < len(sentences) or len(predicted) != len(sentences):
            errors.append({"gold": sentences, "predicted": predicted})
    precision, recall = exact / found_total, exact / gold_total
    text = " ".join(" ".join(p) for p in paragraphs) * 20
    start = time.perf_counter()
    splitter(text)
    seconds = time.perf_counter() - start
    return {
        "sentences": gold_total,
        "exact_precision": precision,
        "exact_recall": recall,
        "exact_f1": 2 * precision * recall / (precision + recall),
        "paragraphs_wrong": len(errors),
        "chars_per_second": len(text) / seconds,
        "errors": errors,
    }


def main() -> None:
    paragraphs = read_gold()
    results = {name: score(fn, paragraphs) for name, fn in SPLITTERS.items()}
    lines = [
        "# Sentence splitters on hand-split news prose",
        "",
        f"`python experiments/sentence_splitters.py` on `{GOLD.relative_to(GOLD.parents[2])}`: "
        f"{len(paragraphs)} paragraphs, {results['regex']['sentences']} sentences.",
        f"Machine: {machine()}.",
        "",
        "| splitter | exact-sentence F1 | precision | recall | paragraphs with an error | characters/s |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['exact_f1']:.3f} | {r['exact_precision']:.3f} | {r['exact_recall']:.3f} "
            f"| {r['paragraphs_wrong']} | {r['chars_per_second']:,.0f} |"
        )
    lines += ["", "## Errors", ""]
    for name, r in results.items():
        for error in r["errors"]:
            lines.append(f"- **{name}**: {' | '.join(error['predicted'])}")
    write_results("sentence_splitters", "\n".join(lines) + "\n", results)


if __name__ == "__main__":
    main()
