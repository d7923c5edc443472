"""The article page and the evaluation report: escaped, self-contained, small, and complete."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from stanceclf.article_page import ArticlePage
from stanceclf.cli import main
from stanceclf.html_common import OKABE_ITO, label_colours
from stanceclf.report_page import reliability, render_report

HOSTILE = [
    "<script>document.title='PWNED'</script> We back the plan.",
    '"><img src=x onerror="document.title=\'PWNED\'"> They oppose the tax.',
    "</style><style>body{display:none}</style> & &amp; ' \" only if it rains.",
]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def hostile_article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(" ".join(HOSTILE) + "\n" + HOSTILE[0] + "\n", encoding="utf-8")
    return path


def assert_self_contained(page: str):
    assert "<script" not in page.lower()
    tags = re.findall(r"<[a-zA-Z][^>]*>", page)  # input text is escaped, so every "<" opens a real tag
    assert not [tag for tag in tags if re.search(r"\s(src|href|srcset|action|formaction|on\w+)\s*=", tag, re.I)]
    assert "url(" not in page and "@import" not in page
    assert "Content-Security-Policy" in page


def test_hostile_sentences_show_as_text_in_the_article_page(tmp_path):
    out = tmp_path / "article.html"
    result = run("predict", "--input", hostile_article(tmp_path), "--sentences", "--format", "html", "--output", out)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert_self_contained(page)
    assert "&lt;script&gt;document.title=&#x27;PWNED&#x27;&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=" in page and "<img" not in page
    assert "&lt;/style&gt;&lt;style&gt;" in page


def test_the_article_page_follows_the_extension_and_counts_sentences_per_stance(tmp_path):
    out = tmp_path / "article.html"
    assert run("predict", "--input", hostile_article(tmp_path), "--sentences", "--output", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    labels = re.findall(r'data-label="([^"]+)"', page)
    assert len(labels) >= 4
    for label in set(labels):
        assert f'<td class="t">{label}</td><td>{labels.count(label)}</td>' in page


def test_any_label_set_gets_distinct_colours_and_a_legend():
    labels = ["FAVOR", "AGAINST", "NONE", "x<y", "e", "f", "g", "h", "i"]
    colours = label_colours(labels)
    assert len(set(colours.values())) == len(labels) and set(colours.values()) <= set(OKABE_ITO)
    page = ArticlePage(labels)
    page.add({"text": "a", "label": "x<y", "proba": dict.fromkeys(labels, 1 / 9)})
    html = page.render()
    assert "x&lt;y" in html and "x<y" not in html
    assert html.count('class="key k') == len(labels)


def test_a_100_sentence_article_page_is_under_a_megabyte(tmp_path):
    sentences = [
        f"Councillor {i} said the plan to {'ban' if i % 3 else 'fund'} night flights "
        f"{'only if the airport pays for insulation' if i % 4 == 0 else 'is a serious mistake for the region'}."
        for i in range(100)
    ]
    article = tmp_path / "long.txt"
    article.write_text("\n".join(" ".join(sentences[i : i + 5]) for i in range(0, 100, 5)) + "\n", encoding="utf-8")
    out = tmp_path / "long.html"
    assert run("predict", "--input", article, "--sentences", "--output", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert page.count('class="s ') == 100
    assert len(page.encode("utf-8")) < 1_000_000


def test_every_sentence_can_be_reached_by_keyboard_and_shows_its_details_on_focus(tmp_path):
    out = tmp_path / "article.html"
    assert run("predict", "--input", hostile_article(tmp_path), "--sentences", "--output", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    sentences = re.findall(r'<span class="s [^"]*" id="s\d+" tabindex="0" aria-describedby="(why\d+)"', page)
    assert sentences and all(f'role="tooltip" id="{tip}"' in page for tip in sentences)
    assert ".s:hover .tip,.s:focus .tip" in page


def test_the_evaluation_report_has_every_part(tmp_path, labelled_csv, model_file):
    out = tmp_path / "report.html"
    result = run("evaluate", labelled_csv, "--model", model_file, "--report", out)
    assert result.exit_code == 0, result.output
    assert "accuracy" in result.output  # the usual output still comes
    page = out.read_text(encoding="utf-8")
    assert_self_contained(page)
    for part in ("Scores", "Confusion matrix", "Scores per target", "Reliability", "most confident mistakes"):
        assert f"{part}</h2>" in page
    assert page.count("<svg") == 2


def test_the_report_refuses_an_existing_file_and_cross_validation(tmp_path, labelled_csv, model_file):
    out = tmp_path / "report.html"
    out.write_text("keep", encoding="utf-8")
    result = run("evaluate", labelled_csv, "--model", model_file, "--report", out)
    assert result.exit_code == 2 and "already exists" in result.output
    assert out.read_text(encoding="utf-8") == "keep"
    result = run("evaluate", labelled_csv, "--cv", "2", "--report", tmp_path / "other.html")
    assert result.exit_code == 2 and "--cv" in result.output


def test_report_mistakes_are_the_most_confident_wrong_rows_with_escaped_text():
    report = {
        "n": 3,
        "accuracy": 1 / 3,
        "macro_f1": 0.3,
        "labels": ["a", "b"],
        "per_label": {x: {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 1} for x in "ab"},
        "confusion_matrix": [[1, 1], [1, 0]],
    }
    rows = [
        {"text": "<script>x</script>", "gold": "a", "predicted": "b", "confidence": 0.9, "evidence": []},
        {"text": "right", "gold": "a", "predicted": "a", "confidence": 0.99},
        {"text": "less sure", "gold": "b", "predicted": "a", "confidence": 0.6},
    ]
    page = render_report(report, rows)
    mistakes = page.split("most confident mistakes")[1]
    assert mistakes.index("&lt;script&gt;") < mistakes.index("less sure") and "right" not in mistakes


@pytest.mark.parametrize(("confidences", "correct", "accuracy"), [([0.95, 0.96], [True, False], 0.5)])
def test_reliability_bins_hold_the_share_right(confidences, correct, accuracy):
    (only,) = reliability(confidences, correct)
    assert only["accuracy"] == accuracy and only["n"] == 2 and (only["low"], only["high"]) == (0.9, 1.0)
