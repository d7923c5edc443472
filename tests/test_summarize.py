"""Who stands where: one row per actor, offsets into the input, mixed stances, the author's row,
the output formats and the command's errors."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from stanceclf import summarize_document
from stanceclf.cli import main
from stanceclf.summarize import aggregate

pytest.importorskip("syntok")


class KeywordModel:
    """A stand-in model whose answers a test can read off the sentence: reject -> oppose,
    back -> support, only if -> conditional, anything else -> none."""

    classes_ = np.array(["conditional", "none", "oppose", "support"])
    params = {"target_mode": "none"}

    def predict_proba(self, texts):
        rows = []
        for text in texts:
            text = text.lower()
            label = (
                "conditional"
                if "only if" in text
                else "oppose"
                if "reject" in text
                else "support"
                if "back" in text
                else "none"
            )
            rows.append([0.85 if c == label else 0.05 for c in self.classes_])
        return np.array(rows)


ARTICLE = (
    "Ferry toll splits the islands\n\n"
    "Ana Ruiz, the harbour master, said she would back the ferry toll.\n\n"
    '"We reject any toll on islanders," said Tomas Berg of the Island Fishers\' League. '
    "The league would accept it only if fishing boats paid nothing, Berg added.\n\n"
    "Ruiz later told reporters she would reject a toll that rose every year.\n\n"
    "The weather was calm on Monday. This toll deserves our backing."
)


@pytest.fixture
def table():
    return summarize_document(ARTICLE, model=KeywordModel())


def test_one_row_per_actor_with_the_author_last(table):
    assert [row.actor for row in table] == ["Ana Ruiz", "Tomas Berg", "author"]


def test_every_evidence_sentence_points_back_into_the_input(table):
    for row in table:
        for sentence in row.evidence:
            assert ARTICLE[sentence["start"] : sentence["end"]] == sentence["text"]


def test_aliases_are_the_other_names_the_document_uses():
    table = summarize_document("Rome will back the toll. Italy said so on Monday.", model=KeywordModel())
    assert [(row.actor, row.aliases) for row in table] == [("Italy", ["Rome"])]  # not Palazzo Chigi


def test_conflicting_stances_of_one_actor_are_mixed_with_their_counts(table):
    ruiz = table[0]
    assert (ruiz.stance, ruiz.counts, ruiz.sentences) == ("mixed", {"oppose": 1, "support": 1}, 2)
    assert ruiz.aliases == ["Ruiz"]


def test_oppose_and_conditional_are_not_mixed(table):
    berg = table[1]
    assert berg.stance != "mixed" and berg.counts == {"conditional": 1, "oppose": 1}


def test_the_stance_most_sentences_take_wins_and_a_tie_goes_to_the_surer_side():
    def stance(*pairs):
        return aggregate("x", [], [{"label": label, "probability": p} for label, p in pairs]).stance

    assert stance(("conditional", 0.5), ("conditional", 0.5), ("oppose", 0.9)) == "conditional"
    assert stance(("conditional", 0.6), ("oppose", 0.9)) == "oppose"


def test_the_authors_voice_is_its_own_row_without_the_sentences_that_take_no_stance(table):
    author = table[-1]
    assert [s["text"] for s in author.evidence] == ["This toll deserves our backing."]
    assert author.stance == "support" and author.aliases == []


def test_sentences_with_no_stance_are_left_out():
    assert summarize_document("The weather was calm.\n\nBoats sailed at noon.", model=KeywordModel()) == []


def test_confidence_is_the_mean_probability_of_the_rows_stance():
    row = aggregate("x", [], [{"label": "oppose", "probability": 0.8}, {"label": "oppose", "probability": 0.6}])
    assert row.stance == "oppose" and row.confidence == pytest.approx(0.7)


def test_switching_every_rule_off_gives_everything_to_the_author():
    table = summarize_document(ARTICLE, model=KeywordModel(), rules=[])
    assert [row.actor for row in table] == ["author"]


def run(*args):
    return CliRunner().invoke(main, ["summarize", *args])


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_json_is_a_list_of_actors_with_offsets(article_file):
    result = run(str(article_file), "--format", "json", "--target", "a ferry toll")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and {"actor", "aliases", "stance", "confidence", "sentences", "evidence"} <= set(rows[0])
    for row in rows:
        assert isinstance(row["aliases"], list) and row["sentences"] == len(row["evidence"])
        assert 0.0 <= row["confidence"] <= 1.0
        for sentence in row["evidence"]:
            assert {"start", "end", "text", "label", "probability"} <= set(sentence)
            assert ARTICLE[sentence["start"] : sentence["end"]] == sentence["text"]
            assert sentence["label"] != "none"


def test_csv_has_one_line_per_actor(article_file):
    result = run(str(article_file), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == len(json.loads(run(str(article_file), "--format", "json").output))
    assert rows[0]["actor"] and rows[0]["stance"]


def test_text_lists_each_actor_and_its_evidence(article_file):
    result = run(str(article_file))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("actor ") and "Ana Ruiz" in result.output and "[" in result.output


def test_html_links_every_evidence_sentence_to_the_sentence_in_the_article(article_file, tmp_path):
    page = tmp_path / "table.html"
    result = run(str(article_file), "--output", str(page))
    assert result.exit_code == 0 and result.output == ""
    html = page.read_text(encoding="utf-8")
    assert "Who stands where" in html and "<script" not in html
    links = re.findall(r'href="#(s\d+)"', html)
    assert links and all(f'id="{anchor}"' in html for anchor in links)
    assert "speaker: <strong>Ana Ruiz</strong>" in html and "speaker: <strong>author</strong>" in html
    assert run(str(article_file), "--output", str(page)).exit_code == 2  # exists: --force to replace


@pytest.mark.parametrize(
    ("content", "problem"),
    [(None, "no such file"), ("  \n\n ", "empty document"), (b"\xff\xfe caf\xe9", "not UTF-8")],
)
def test_bad_input_gives_one_line_and_exit_code_2(tmp_path, content, problem):
    path = tmp_path / "article.txt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 2
    assert problem in result.output and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_target_aware_model_without_a_target_gives_one_line_and_exit_code_2(tmp_path, article_file):
    from stanceclf import StanceClassifier

    texts = ["We back the toll.", "We reject the toll.", "Only if it is free.", "It rained."] * 3
    labels = ["support", "oppose", "conditional", "none"] * 3
    targets = ["toll", "tax", "toll", "tax"] * 3
    model = StanceClassifier(target_mode="conjoined").fit(list(zip(texts, targets)), labels)
    model.save(tmp_path / "aware.stance")
    result = run(str(article_file), "--model", str(tmp_path / "aware.stance"))
    assert result.exit_code == 2 and "--target" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert run(str(article_file), "--model", str(tmp_path / "aware.stance"), "--target", "toll").exit_code == 0


def test_plain_predict_does_not_import_the_summary_modules():
    modules = ("summarize", "attribution", "actors", "places", "actor_table")
    code = (
        "import sys, contextlib; from stanceclf.launcher import main\n"
        "sys.argv = ['stanceclf', 'predict', 'We back it.']\n"
        "with contextlib.suppress(SystemExit): main()\n"
        f"print(sorted(m for m in {modules!r} if 'stanceclf.' + m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
