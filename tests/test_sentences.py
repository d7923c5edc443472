"""Documents into sentences, and predict --sentences: offsets that point back into the input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from stanceclf.cli import main
from stanceclf.sentences import iter_sentences, paragraph_spans, predict_document

pytest.importorskip("syntok")

ARTICLE = (
    "Oslo said on Monday it would send engineers. The U.S. envoy, Mr. Hale, declined to comment.\n"
    "\n"
    '"We will not take part," the minister told No. 10 reporters. A vote is due on 3 May.\n'
)


def test_sentence_offsets_point_back_into_the_document():
    sentences = list(iter_sentences(ARTICLE))
    assert [s.text for s in sentences] == [
        "Oslo said on Monday it would send engineers.",
        "The U.S. envoy, Mr. Hale, declined to comment.",
        '"We will not take part," the minister told No. 10 reporters.',
        "A vote is due on 3 May.",
    ]
    assert all(ARTICLE[s.start : s.end] == s.text for s in sentences)
    assert [(s.paragraph, s.sentence) for s in sentences] == [(1, 1), (1, 2), (2, 1), (2, 2)]


def test_a_document_without_blank_lines_has_one_paragraph_per_line():
    assert paragraph_spans("First line. Still first.\nSecond line.\r\nThird.") == [(0, 24), (25, 37), (39, 45)]


def test_blank_lines_separate_paragraphs_and_wrapped_lines_stay_together():
    document = "A wrapped\nparagraph here.\n\n  \nNext one."
    spans = paragraph_spans(document)
    assert [document[a:b] for a, b in spans] == ["A wrapped\nparagraph here.", "Next one."]


def test_predict_document_labels_every_sentence(fitted_model):
    results = predict_document(fitted_model, ARTICLE)
    assert len(results) == 4
    for row in results:
        assert ARTICLE[row["start"] : row["end"]] == row["text"]
        assert row["label"] in fitted_model.classes_
        assert sum(row["proba"].values()) == pytest.approx(1.0)
    assert predict_document(fitted_model, "  \n\n ") == []


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_predict_sentences_writes_offsets_into_the_input_file(tmp_path, model_file, fmt):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["predict", "--model", str(model_file), "--input", str(article), "--sentences", "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()] if fmt == "jsonl" else json.loads(result.output)
    assert [list(r)[:5] for r in records] == [["paragraph", "sentence", "start", "end", "text"]] * 4
    assert all(ARTICLE[r["start"] : r["end"]] == r["text"] for r in records)


def test_predict_sentences_in_csv_and_text(tmp_path, model_file):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    base = ["predict", "--model", str(model_file), "--input", str(article), "--sentences"]
    csv_out = CliRunner().invoke(main, [*base, "--format", "csv"]).output.splitlines()
    assert csv_out[0] == "paragraph,sentence,start,end,text,label"
    assert csv_out[1].startswith("1,1,0,44,Oslo said on Monday it would send engineers.,")
    text_out = CliRunner().invoke(main, base).output.splitlines()
    assert len(text_out) == 4 and text_out[2].startswith("2.1\t")
    assert text_out[2].endswith('"We will not take part," the minister told No. 10 reporters.')


def test_predict_sentences_splits_each_row_of_a_table_and_names_it(tmp_path, model_file):
    table = tmp_path / "docs.jsonl"
    table.write_text('{"text": "One. Two!"}\n{"text": "Three."}\n', encoding="utf-8")
    result = CliRunner().invoke(
        main, ["predict", "--model", str(model_file), "--input", str(table), "--sentences", "--format", "jsonl"]
    )
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["document"], r["sentence"], r["text"]) for r in records] == [
        (1, 1, "One."),
        (1, 2, "Two!"),
        (2, 1, "Three."),
    ]


def test_predict_sentences_reads_stdin_as_one_document(model_file):
    result = CliRunner().invoke(
        main, ["predict", "--model", str(model_file), "-", "--sentences", "--format", "jsonl"], input=ARTICLE
    )
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 4


def test_plain_predict_does_not_import_the_splitter():
    import subprocess
    import sys

    code = "import sys; from stanceclf.launcher import main; sys.argv=['stanceclf','predict','x']; "
    code += "import contextlib, io\nwith contextlib.suppress(SystemExit): main()\nprint('syntok' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "False"


def test_a_headline_and_one_paragraph_per_line_keep_their_own_paragraphs():
    document = "Council split over ban\n\nThe vote is on Thursday.\nThe Greens back it."
    spans = paragraph_spans(document)
    assert [document[a:b] for a, b in spans] == [
        "Council split over ban",
        "The vote is on Thursday.",
        "The Greens back it.",
    ]


def test_a_target_aware_model_needs_the_documents_target():
    from samples import STATEMENTS
    from stanceclf import StanceClassifier
    from stanceclf.errors import ParameterError

    texts, labels, targets = zip(*STATEMENTS)
    model = StanceClassifier(target_mode="conjoined").fit(list(zip(texts, targets)), list(labels))
    with pytest.raises(ParameterError, match="target_mode='conjoined'"):
        predict_document(model, ARTICLE)
    assert len(predict_document(model, ARTICLE, target="tram line")) == 4
