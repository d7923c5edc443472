"""The two HTML pages, measured and photographed: size for a 100-sentence article, screenshots.

Builds the article page of ``experiments/data/demo_article.txt``, the evaluation report of the
default model on ``datasets/news_test.csv``, and the article page of a 100-sentence article (the
first 106 statements of ``datasets/news_test.csv``, five to a paragraph); writes their sizes to
``experiments/results/pages.md`` and ``.json`` and screenshots of the first two to
``experiments/results/article_page.png`` and ``report_page.png`` (headless Chromium).

    python experiments/pages.py
"""

from __future__ import annotations

import csv
import subprocess
import tempfile
import time
from pathlib import Path

from common import RESULTS, ROOT, machine, write_results
from stanceclf.predicting import predict_statements
from stanceclf.training import evaluate_file

DEMO = ROOT / "experiments" / "data" / "demo_article.txt"
NEWS = ROOT / "datasets" / "news_test.csv"
CHROMIUM = "/usr/bin/chromium"
STATEMENTS = 106  # syntok joins a few short statements: 106 give at least 100 sentences


def shoot(page: Path, out: Path, height: int, profile: Path, fragment: str = "") -> None:
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    flags += ["--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
    command = [CHROMIUM, *flags, f"--user-data-dir={profile}", f"--window-size=1000,{height}"]
    subprocess.run(
        [*command, f"--screenshot={out}", page.as_uri() + fragment], capture_output=True, timeout=120, check=True
    )


def main() -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        article, report, long_page = scratch / "article.html", scratch / "report.html", scratch / "long.html"
        predict_statements(input_path=DEMO, output_path=article, sentences=True)
        evaluate_file(NEWS, report_path=report)
        with open(NEWS, encoding="utf-8", newline="") as handle:
            statements = [row["text"] for row in csv.DictReader(handle)][:STATEMENTS]
        long_text = scratch / "long.txt"
        paragraphs = [" ".join(statements[i : i + 5]) for i in range(0, len(statements), 5)]
        long_text.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
        started = time.perf_counter()
        predict_statements(input_path=long_text, output_path=long_page, sentences=True)
        seconds = time.perf_counter() - started
        sizes = {
            name: path.stat().st_size for name, path in [("demo", article), ("report", report), ("long", long_page)]
        }
        sentences = long_page.read_text(encoding="utf-8").count('class="s ')
        shoot(article, RESULTS / "article_page.png", 1100, scratch / "profile", "#s5")  # its tip open
        shoot(report, RESULTS / "report_page.png", 2300, scratch / "profile")
    data = {
        "data": {"demo": str(DEMO.relative_to(ROOT)), "report": str(NEWS.relative_to(ROOT))},
        "machine": machine(),
        "bytes": sizes,
        "long_article_sentences": sentences,
        "long_article_seconds": seconds,
    }
    markdown = "\n".join(
        [
            "# The HTML pages: sizes",
            "",
            f"Machine: {data['machine']}. Command: `python experiments/pages.py`.",
            "",
            "| page | bytes |",
            "|---|---:|",
            f"| article page of `{data['data']['demo']}` | {sizes['demo']:,} |",
            f"| evaluation report, default model on `{data['data']['report']}` | {sizes['report']:,} |",
            f"| article page of a {sentences}-sentence article ({STATEMENTS} news statements) | {sizes['long']:,} |",
            "",
            f"The {sentences}-sentence page took {seconds:.2f} s to predict and write (one run, in process).",
            "Goal: under 1 MB for a 100-sentence article. Screenshots: `article_page.png`, `report_page.png`.",
            "",
        ]
    )
    write_results("pages", markdown, data)
    return data


if __name__ == "__main__":
    main()
